"""The organisation's settings page: only admins change them, HR and senior leaders read them;
every value is checked (a deadline of 0 or 60 working days is refused); each change is audited
with the old and the new value and listed with who made it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.organisations import settings as org_settings
from tandem.organisations.models import Organisation, Role
from tandem.organisations.tests.factories import RoleGrantFactory

pytestmark = pytest.mark.django_db


def values(org, **changes):
    return {**{key: getattr(org, key) for key, _label in org_settings.SETTINGS}, **changes}


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"record_deadline_working_days": 0}, "record_deadline_working_days"),
        ({"record_deadline_working_days": 60}, "record_deadline_working_days"),
        ({"agreement_review_months": 0}, "agreement_review_months"),
        ({"agreement_review_months": 25}, "agreement_review_months"),
        ({"nation": "atlantis"}, "nation"),
        ({"name": ""}, "name"),
        ({"name": "Hillside Trust"}, "name"),
        ({"compliance_from": datetime.date(2999, 1, 1)}, "compliance_from"),
    ],
)
def test_each_setting_is_checked(cast, changes, key):
    with pytest.raises(ValidationError) as refused:
        org_settings.settings_change(
            organisation=cast.organisation,
            by=cast.admin,
            values=values(cast.organisation, **changes),
        )
    assert key in refused.value.message_dict
    assert Organisation.objects.get(pk=cast.organisation.pk).record_deadline_working_days == 10


def test_a_change_is_audited_with_the_old_and_new_value_and_listed(cast):
    changed = org_settings.settings_change(
        organisation=cast.organisation,
        by=cast.admin,
        values=values(
            cast.organisation, record_deadline_working_days=15, policy_clock="employment_start"
        ),
    )
    assert set(changed) == {"record_deadline_working_days", "policy_clock"}
    event = AuditEvent.objects.get(
        action=org_settings.ACTION, detail__setting="record_deadline_working_days"
    )
    assert event.detail == {"setting": "record_deadline_working_days", "old": 10, "new": 15}
    assert event.actor == cast.admin.user
    history = org_settings.settings_history(cast.organisation)
    assert {row["setting"] for row in history} == {
        "Record deadline (working days)",
        "An NQSW's time in post counts from",
    }
    deadline = next(row for row in history if row["setting"].startswith("Record deadline"))
    assert (deadline["by"], deadline["old"], deadline["new"]) == (
        "Ann Admin",
        "10 working days",
        "15 working days",
    )
    # Nothing changed: nothing written.
    assert (
        org_settings.settings_change(
            organisation=cast.organisation,
            by=cast.admin,
            values=values(Organisation.objects.get(pk=cast.organisation.pk)),
        )
        == {}
    )
    assert AuditEvent.objects.filter(action=org_settings.ACTION).count() == 2


def test_only_admins_change_them_hr_and_senior_leaders_read_them(cast):
    RoleGrantFactory(person=cast.head_of_service, role=Role.HR)
    url = reverse("organisation-settings")
    post = {
        **{k: v for k, v in values(cast.organisation).items() if v is not None},
        "record_deadline_working_days": "12",
    }
    for who, status in {
        "director": 200,
        "head_of_service": 200,
        "manager": 403,
        "supervisor": 403,
        "supervisee": 403,
        "colleague": 403,
    }.items():
        client = cast.client_for(getattr(cast, who))
        assert client.get(url).status_code == status, who
        assert client.post(url, post).status_code == 403, who
    assert Organisation.objects.get(pk=cast.organisation.pk).record_deadline_working_days == 10
    ann = cast.client_for(cast.admin)
    bad = ann.post(url, {**post, "record_deadline_working_days": "0"})
    assert bad.status_code == 400
    assert "Enter a record deadline from 1 to 30 working days." in bad.content.decode()
    saved = ann.post(url, post)
    assert saved.status_code == 302
    assert Organisation.objects.get(pk=cast.organisation.pk).record_deadline_working_days == 12
    page = ann.get(url).content.decode()
    assert "10 working days" in page and "12 working days" in page and "Ann Admin" in page
    # Another organisation's admin changes only their own.
    olga = cast.client_for(cast.outsider)
    assert "Hillside Trust" in olga.get(url).content.decode()


def test_a_later_start_for_the_figures_is_kept(cast):
    day = timezone.localdate() - datetime.timedelta(days=30)
    org_settings.settings_change(
        organisation=cast.organisation,
        by=cast.admin,
        values=values(cast.organisation, compliance_from=day),
    )
    assert Organisation.objects.get(pk=cast.organisation.pk).compliance_from == day
    [row] = org_settings.settings_history(cast.organisation)
    assert row["new"] == f"{day:%-d %B %Y}"
    assert row["old"] == "The day the organisation was set up"


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"smallest_group": 3}, "smallest_group"),
        ({"smallest_group": 4}, "smallest_group"),
        ({"inspector_access_days": 0}, "inspector_access_days"),
        ({"inspector_access_days": 91}, "inspector_access_days"),
    ],
)
def test_the_smallest_group_is_never_below_5_and_inspector_access_at_most_90_days(
    cast, changes, key
):
    with pytest.raises(ValidationError) as refused:
        org_settings.settings_change(
            organisation=cast.organisation,
            by=cast.admin,
            values=values(cast.organisation, **changes),
        )
    assert key in refused.value.message_dict


def test_a_larger_smallest_group_hides_more_and_a_shorter_access_is_the_limit(cast):
    from tandem.organisations.tests.factories import PersonFactory
    from tandem.oversight.selectors import smallest_group
    from tandem.oversight.services.packs import max_access_days
    from tandem.quality.selectors import equality_figures
    from tandem.quality.services import equality_declare

    for _ in range(6):
        person = PersonFactory(organisation=cast.organisation)
        equality_declare(person=person, by=person, values={"ethnic_group": "black"})
    black = "Black, Black British, Caribbean or African"

    def shown() -> bool:
        rows = {
            r.label: r
            for r in equality_figures(
                Organisation.objects.get(pk=cast.organisation.pk), timezone.localdate()
            )["Ethnic group"]
        }
        return not rows[black].suppressed

    assert shown()
    org_settings.settings_change(
        organisation=cast.organisation,
        by=cast.admin,
        values=values(cast.organisation, smallest_group=7, inspector_access_days=30),
    )
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert smallest_group(organisation) == 7
    assert not shown()
    assert max_access_days(organisation) == 30
