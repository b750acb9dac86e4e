"""The frequency policy as a page: a change of one category's rules is a new set from a date,
previewed before it is saved; the windows before that date are judged as they were."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.agreements import policies
from tandem.agreements.models import Frequency, FrequencyRule
from tandem.agreements.policies import Stage
from tandem.core.models import AuditEvent
from tandem.meetings.policy import policy_change_preview, sessions_needed_for
from tandem.organisations.models import Role, StaffCategory
from tandem.organisations.tests.factories import RoleGrantFactory
from tandem.oversight.models import DueWindow
from tandem.oversight.services.windows import windows_refresh
from tandem.oversight.tests.factories import counting_from, organisation, person, supervised

pytestmark = [pytest.mark.django_db, pytest.mark.dated]
WORKER = StaffCategory.REGISTERED_SOCIAL_WORKER
FORTNIGHTLY = [Stage(0, Frequency.FORTNIGHTLY, 90)]
TODAY = date(2026, 12, 7)
NEW_YEAR = date(2027, 1, 1)


def change(org, by, stages=FORTNIGHTLY, effective_from=NEW_YEAR, category=WORKER):
    return policies.frequency_policy_change(
        organisation=org,
        by=by,
        staff_category=category,
        effective_from=effective_from,
        stages=stages,
        today=TODAY,
    )


@pytest.fixture
def org():
    return counting_from(organisation("Policy Council"), date(2026, 1, 1))


def test_a_change_is_a_new_set_from_its_date_and_the_old_set_is_kept(org, cast):
    change(org, cast.admin)

    assert policies.policy_sets(org) == [date(2000, 1, 1), NEW_YEAR]
    assert [r.frequency for r in policies.category_rules(org, WORKER, TODAY)] == ["monthly"]
    assert [r.frequency for r in policies.category_rules(org, WORKER, NEW_YEAR)] == ["fortnightly"]
    # Every other category is copied into the new set unchanged.
    nqsw = policies.category_rules(org, StaffCategory.NQSW_ASYE, NEW_YEAR)
    assert [r.frequency for r in nqsw] == ["weekly", "fortnightly", "monthly"]
    assert FrequencyRule.objects.for_organisation(org).count() == 2 * len(policies.DEFAULT_RULES)
    # The same day again replaces that set's rules for the category, nothing else.
    change(org, cast.admin, stages=[Stage(0, Frequency.WEEKLY, 60)])
    assert [r.frequency for r in policies.category_rules(org, WORKER, NEW_YEAR)] == ["weekly"]
    assert policies.policy_sets(org) == [date(2000, 1, 1), NEW_YEAR]


def test_windows_follow_each_set_from_its_date(org, cast):
    worker = person(org, staff_category=WORKER)
    change(org, cast.admin)
    windows = sessions_needed_for(worker, date(2026, 11, 1), date(2027, 1, 31))
    assert [(w.starts_on, w.ends_on, w.frequency) for w in windows] == [
        (date(2026, 11, 1), date(2026, 11, 30), "monthly"),
        (date(2026, 12, 1), date(2026, 12, 31), "monthly"),
        (date(2027, 1, 1), date(2027, 1, 14), "fortnightly"),
        (date(2027, 1, 15), date(2027, 1, 28), "fortnightly"),
        (date(2027, 1, 29), date(2027, 1, 31), "fortnightly"),
    ]


def test_the_change_rewrites_only_windows_from_its_date(org, cast):
    worker = person(org, staff_category=WORKER)
    windows_refresh(org, today=TODAY)
    ended = {w.pk: (w.starts_on, w.ends_on) for w in DueWindow.objects.filter(person=worker)}
    ended = {pk: span for pk, span in ended.items() if span[1] < TODAY}

    change(org, cast.admin)
    windows_refresh(org, today=TODAY)

    after = DueWindow.objects.filter(person=worker).order_by("starts_on")
    kept = {w.pk: (w.starts_on, w.ends_on) for w in after if w.ends_on < TODAY}
    assert kept == ended  # the very same rows: January to November 2026, monthly
    assert [(w.starts_on, w.frequency) for w in after if w.starts_on.year == 2026][-1] == (
        date(2026, 12, 1),
        "monthly",
    )
    assert {w.frequency for w in after if w.starts_on >= NEW_YEAR} == {"fortnightly"}


def test_the_preview_against_a_hand_worked_change(org, cast):
    # Three social workers, all long in post: monthly now, 12 sessions a year each. One has an
    # agreement asking fortnightly already (26 a year: unchanged by a fortnightly policy).
    # One leaves on 31 March 2027 (3 months: 3 now, 7 fortnightly windows after).
    from tandem.agreements.tests.factories import SIMPLE_RESPONSES, signed_agreement

    stays = person(org, staff_category=WORKER)
    leaves = person(org, staff_category=WORKER, left_on=date(2027, 3, 31))
    agreed = person(org, staff_category=WORKER)
    supervisor = person(org, staff_category=StaffCategory.TEAM_MANAGER)
    signed_agreement(
        supervised(agreed, supervisor, date(2026, 1, 1)),
        responses={**SIMPLE_RESPONSES, "frequency": "fortnightly"},
    )
    person(org, staff_category=WORKER, left_on=date(2026, 12, 31))  # gone before the change
    person(org, staff_category=StaffCategory.CARE_WORKER)  # another category

    preview = policy_change_preview(
        org, staff_category=WORKER, effective_from=NEW_YEAR, stages=FORTNIGHTLY
    )
    assert (preview.people, preview.more, preview.fewer, preview.same) == (3, 2, 0, 1)
    # Before: 12 + 3 + 27 (the agreement's fortnights). After: 27 + 7 + 27.
    assert preview.sessions_before == 12 + 3 + 27
    assert preview.sessions_after == 27 + 7 + 27
    assert preview.until == date(2027, 12, 31)
    assert stays and leaves
    # A looser policy: monthly becoming every 2 months.
    looser = policy_change_preview(
        org, staff_category=WORKER, effective_from=NEW_YEAR, stages=[Stage(0, "two_monthly")]
    )
    assert (looser.more, looser.fewer, looser.same) == (0, 2, 1)
    # Nothing was saved.
    assert policies.policy_sets(org) == [date(2000, 1, 1)]


@pytest.mark.parametrize(
    ("stages", "effective_from", "key"),
    [
        (FORTNIGHTLY, date(2026, 12, 6), "effective_from"),  # yesterday
        (FORTNIGHTLY, date(2029, 1, 1), "effective_from"),  # more than 2 years ahead
        ([], NEW_YEAR, "stages"),
        ([Stage(42, "weekly")], NEW_YEAR, "stages"),  # no stage from the start
        ([Stage(0, "weekly"), Stage(0, "monthly")], NEW_YEAR, "stages"),
        ([Stage(0, "daily")], NEW_YEAR, "stages"),
        ([Stage(0, "weekly", 5)], NEW_YEAR, "stages"),
        ([Stage(0, "monthly", 90)], NEW_YEAR, "stages"),  # the rules already in force
    ],
)
def test_a_bad_change_is_refused_and_nothing_is_written(org, cast, stages, effective_from, key):
    with pytest.raises(ValidationError) as refused:
        change(org, cast.admin, stages=stages, effective_from=effective_from)
    assert key in refused.value.message_dict
    assert policies.policy_sets(org) == [date(2000, 1, 1)]
    assert not AuditEvent.objects.filter(action=policies.POLICY_CHANGED).exists()


def test_a_change_is_audited_with_the_old_and_new_rules_and_listed(org, cast):
    change(org, cast.admin)
    event = AuditEvent.objects.get(action=policies.POLICY_CHANGED)
    assert event.actor == cast.admin.user
    assert event.detail["old"] == [
        {"from_day": 0, "frequency": "monthly", "min_minutes": 90, "note": ANY_NOTE}
    ]
    assert event.detail["new"] == [
        {"from_day": 0, "frequency": "fortnightly", "min_minutes": 90, "note": ""}
    ]
    [row] = policies.policy_history(org)
    assert (row["by"], row["effective_from"]) == ("Ann Admin", NEW_YEAR)
    assert row["old"] == "From the start: monthly (90 minutes)"
    assert row["new"] == "From the start: fortnightly (90 minutes)"


ANY_NOTE = "Social workers: at least monthly"


@time_machine.travel(datetime.datetime(2026, 12, 7, 10, tzinfo=datetime.UTC), tick=False)
def test_the_pages_only_admins_change_it_hr_and_senior_leaders_read_it(cast):
    RoleGrantFactory(person=cast.head_of_service, role=Role.HR)
    page = reverse("frequency-policy")
    nqsw = reverse("frequency-policy-change", kwargs={"category": "nqsw_asye"})
    for who, status in {
        "director": 200,
        "head_of_service": 200,
        "manager": 403,
        "supervisor": 403,
        "supervisee": 403,
    }.items():
        client = cast.client_for(getattr(cast, who))
        assert client.get(page).status_code == status, who
        assert client.get(nqsw).status_code == 403, who
        assert client.post(nqsw, {"effective_from": "2027-01-01"}).status_code == 403, who
    ann = cast.client_for(cast.admin)
    listed = ann.get(page).content.decode()
    assert "Newly qualified social worker (ASYE)" in listed and "From week 6 to month 6" in listed
    assert ann.get(reverse("frequency-policy-change", kwargs={"category": "x"})).status_code == 404

    form = ann.get(nqsw).content.decode()
    assert 'value="2027-01-01"' in form  # the first of next month
    post = {
        "effective_from": "01/01/2027",
        "frequency_0": "weekly",
        "minutes_0": "90",
        "from_1": "8",
        "unit_1": "weeks",
        "frequency_1": "fortnightly",
        "minutes_1": "90",
        "from_2": "6",
        "unit_2": "months",
        "frequency_2": "monthly",
        "minutes_2": "90",
    }
    preview = ann.post(nqsw, {**post, "action": "preview"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "What this change does" in text and "Save the change" in text
    assert policies.policy_sets(cast.organisation) == [date(2000, 1, 1)]

    bad = ann.post(nqsw, {**post, "effective_from": "01/12/2026", "action": "save"})
    assert bad.status_code == 400
    assert "A change starts today or later" in bad.content.decode()
    missing = ann.post(nqsw, {**post, "from_1": "", "action": "save"})
    assert missing.status_code == 400
    assert "Enter when stage 2 starts." in missing.content.decode()

    saved = ann.post(nqsw, {**post, "action": "save"})
    assert saved.status_code == 302
    rules = policies.category_rules(cast.organisation, StaffCategory.NQSW_ASYE, NEW_YEAR)
    assert [(r.from_day, r.until_day, r.frequency) for r in rules] == [
        (0, 56, "weekly"),
        (56, 183, "fortnightly"),
        (183, None, "monthly"),
    ]
    listed = ann.get(page).content.decode()
    assert "Planned: new rules from 1 January 2027" in listed and "Ann Admin" in listed
    # Another organisation's admin sees their own organisation's rules only.
    assert "Hillside Trust" in cast.client_for(cast.outsider).get(page).content.decode()
