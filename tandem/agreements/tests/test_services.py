"""Writes about agreements and their templates, the daily round, the rules and the policies.

Sue (NQSW) is supervised by Sam; Mia manages their team and supervises Sam. Services that take
``today=`` are given dates; ``agreement_start`` and ``agreement_sign`` use the real date, so the
expectations about them are computed from it.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tandem.agreements import content, policies, services
from tandem.agreements.models import (
    INTERVAL_DAYS,
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
    Frequency,
    FrequencyRule,
    ReviewReason,
    SignatureRole,
)
from tandem.agreements.tasks import agreements_daily_task
from tandem.agreements.tests.factories import (
    SIMPLE_RESPONSES,
    AgreementTemplateFactory,
    AgreementTemplateVersionFactory,
    signed_agreement,
    template_content,
)
from tandem.core.models import AuditEvent, Notice
from tandem.organisations.models import StaffCategory, SupervisionRelationship
from tandem.organisations.services import relationship_end, relationship_start
from tandem.organisations.tests.factories import PersonFactory

pytestmark = pytest.mark.dated

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def line_relationship(person) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=person, kind="line", ends_on=None)


def audited(action: str, target) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            action=action, object_type=target._meta.label_lower, object_id=str(target.pk)
        )
    )


def version_snapshot(version: AgreementVersion) -> tuple:
    version.refresh_from_db()
    return (
        version.number,
        version.responses,
        version.content_hash,
        version.frequency,
        version.duration_min_minutes,
        version.location,
        version.updated_at,
        sorted(version.signatures.values_list("role", "person_id", "content_hash")),
    )


def expected_hash(agreement: Agreement, responses: dict, supervisor=None) -> str:
    return content.content_hash(
        template_content=agreement.template_version.content,
        responses=responses,
        parties=services.parties(
            supervisee=agreement.supervisee, supervisor=supervisor or agreement.supervisor
        ),
    )


@pytest.fixture
def relationship(cast) -> SupervisionRelationship:
    """Sue's current line supervision, by Sam."""
    return line_relationship(cast.supervisee)


@pytest.fixture
def template_version(cast) -> AgreementTemplateVersion:
    return AgreementTemplateVersionFactory(template__organisation=cast.organisation)


@pytest.fixture
def draft(cast, relationship, template_version) -> Agreement:
    return services.agreement_start(
        relationship=relationship, template_version=template_version, by=cast.supervisee
    )


@pytest.fixture
def new_nqsw(cast):
    """Sue in her first 6 weeks of the ASYE, whatever today is: the policy is weekly, 90 min."""
    cast.supervisee.asye_start = today() - datetime.timedelta(days=10)
    cast.supervisee.save(update_fields=["asye_start"])
    return cast.supervisee


# Starting


def test_start_makes_a_draft_whose_answers_follow_the_policy(cast, relationship, template_version):
    agreement = services.agreement_start(
        relationship=relationship, template_version=template_version, by=cast.supervisee
    )

    rule = policies.rule_for(cast.supervisee, today())
    assert rule is not None
    version = agreement.versions.get()
    assert (agreement.status, agreement.organisation, agreement.relationship) == (
        AgreementStatus.DRAFT,
        cast.organisation,
        relationship,
    )
    assert (agreement.supervisee, agreement.supervisor) == (cast.supervisee, cast.supervisor)
    assert (agreement.template_version, agreement.created_by) == (template_version, cast.supervisee)
    assert (agreement.signed_on, agreement.review_due_on) == (None, None)
    assert (version.number, version.supervisor) == (1, cast.supervisor)
    assert version.responses == {
        # An NQSW's policy changes with time in post: the agreement follows it, naming no
        # frequency of its own, so the schedule tapers without a new version.
        "frequency": "as_policy",
        "duration": {"min": rule.min_minutes, "max": max(rule.min_minutes, 120)},
    }
    assert (version.frequency, version.duration_min_minutes) == ("", rule.min_minutes)
    assert version.content_hash == expected_hash(agreement, version.responses)
    assert len(audited("agreement.start", agreement)) == 1


@pytest.mark.parametrize("days_into_asye", [0, 10, 41, 42, 200])
def test_default_answers_follow_the_policy_that_changes_with_time_in_post(cast, days_into_asye):
    on = cast.supervisee.asye_start + datetime.timedelta(days=days_into_asye)

    assert services.default_responses(cast.supervisee, on) == {
        "frequency": "as_policy",
        "duration": {"min": 90, "max": 120},
    }


def test_default_answers_name_the_policys_one_frequency_when_it_never_changes(cast):
    worker = PersonFactory(
        organisation=cast.organisation, staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER
    )
    assert services.default_responses(worker, today()) == {
        "frequency": "monthly",
        "duration": {"min": 90, "max": 120},
    }


def test_default_answers_for_a_category_without_a_minimum_length(cast):
    teacher = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.TEACHER)

    assert services.default_responses(teacher, today()) == {"frequency": "termly"}


def test_a_new_nqsw_starts_weekly_for_90_minutes(cast, new_nqsw, relationship, template_version):
    agreement = services.agreement_start(
        relationship=relationship, template_version=template_version, by=cast.supervisor
    )

    assert agreement.versions.get().responses == {
        "frequency": "as_policy",
        "duration": {"min": 90, "max": 120},
    }


def test_a_second_open_agreement_for_the_same_supervision_is_refused(
    cast, draft, relationship, template_version
):
    with pytest.raises(ValidationError):
        services.agreement_start(
            relationship=relationship, template_version=template_version, by=cast.supervisor
        )

    assert Agreement.objects.filter(relationship=relationship).get() == draft


def test_a_signed_agreement_also_blocks_a_second_one(cast, relationship, template_version):
    signed_agreement(relationship, template_version=template_version)

    with pytest.raises(ValidationError):
        services.agreement_start(
            relationship=relationship, template_version=template_version, by=cast.supervisee
        )
    assert Agreement.objects.filter(relationship=relationship).count() == 1


def test_an_ended_supervision_is_refused(cast, relationship, template_version):
    relationship_end(relationship=relationship, ends_on=today() - DAY)

    with pytest.raises(ValidationError):
        services.agreement_start(
            relationship=relationship, template_version=template_version, by=cast.supervisee
        )
    assert not Agreement.objects.exists()


def test_another_organisations_template_is_refused(cast, relationship):
    theirs = AgreementTemplateVersionFactory(template__organisation=cast.other_organisation)

    with pytest.raises(ValidationError) as refused:
        services.agreement_start(
            relationship=relationship, template_version=theirs, by=cast.supervisee
        )
    assert "template" in refused.value.message_dict
    assert not Agreement.objects.exists()


def test_a_builtin_template_may_be_used(cast, relationship):
    builtin = AgreementTemplateVersionFactory(
        template__organisation=None, template__slug="test-builtin"
    )

    agreement = services.agreement_start(
        relationship=relationship, template_version=builtin, by=cast.supervisee
    )
    assert agreement.template_version == builtin


# Saving


def test_saving_a_draft_updates_its_version_in_place(cast, draft):
    version = draft.versions.get()
    hash_before = version.content_hash

    saved = services.agreement_save(agreement=draft, responses=SIMPLE_RESPONSES, by=cast.supervisor)

    assert (saved.pk, saved.number) == (version.pk, 1)
    assert draft.versions.count() == 1
    version.refresh_from_db()
    assert version.responses == SIMPLE_RESPONSES
    assert version.content_hash != hash_before
    assert version.content_hash == expected_hash(draft, SIMPLE_RESPONSES)
    assert (version.frequency, version.duration_min_minutes, version.duration_max_minutes) == (
        "weekly",
        90,
        120,
    )
    assert version.location == SIMPLE_RESPONSES["location"]
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    assert len(audited("agreement.save", draft)) == 1


def test_saving_the_same_answers_again_changes_nothing(cast, draft):
    services.agreement_save(agreement=draft, responses=SIMPLE_RESPONSES, by=cast.supervisor)
    before = version_snapshot(draft.versions.get())

    services.agreement_save(agreement=draft, responses=dict(SIMPLE_RESPONSES), by=cast.supervisor)

    assert version_snapshot(draft.versions.get()) == before
    assert len(audited("agreement.save", draft)) == 1


@pytest.mark.parametrize("frequency", ["fortnightly", "monthly", "quarterly"])
def test_a_frequency_below_the_policy_is_refused_and_nothing_changes(
    cast, new_nqsw, draft, frequency
):
    before = version_snapshot(draft.versions.get())

    with pytest.raises(ValidationError) as refused:
        services.agreement_save(
            agreement=draft,
            responses={**SIMPLE_RESPONSES, "frequency": frequency},
            by=cast.supervisee,
        )

    assert set(refused.value.message_dict) == {"frequency"}
    assert "weekly" in refused.value.message_dict["frequency"][0]
    assert version_snapshot(draft.versions.get()) == before
    assert draft.versions.count() == 1
    assert audited("agreement.save", draft) == []


def test_a_duration_below_the_policy_minimum_is_refused(cast, new_nqsw, draft):
    before = version_snapshot(draft.versions.get())

    with pytest.raises(ValidationError) as refused:
        services.agreement_save(
            agreement=draft,
            responses={**SIMPLE_RESPONSES, "duration": {"min": 60, "max": 90}},
            by=cast.supervisee,
        )

    assert set(refused.value.message_dict) == {"duration"}
    assert "90 minutes" in refused.value.message_dict["duration"][0]
    assert version_snapshot(draft.versions.get()) == before


def test_both_shortfalls_are_reported_together(cast, new_nqsw, draft):
    with pytest.raises(ValidationError) as refused:
        services.agreement_save(
            agreement=draft,
            responses={"frequency": "monthly", "duration": {"min": 45, "max": 60}},
            by=cast.supervisee,
        )

    assert set(refused.value.message_dict) == {"frequency", "duration"}


def test_an_agreement_may_be_stricter_than_the_policy(cast, draft):
    cast.supervisee.asye_start = today() - datetime.timedelta(days=300)  # monthly from day 183
    cast.supervisee.save(update_fields=["asye_start"])

    version = services.agreement_save(
        agreement=draft,
        responses={**SIMPLE_RESPONSES, "frequency": "fortnightly", "duration": {"min": 120}},
        by=cast.supervisee,
    )

    assert (version.frequency, version.duration_min_minutes) == ("fortnightly", 120)


# Signing


@pytest.mark.parametrize("who", ["manager", "colleague", "admin", "head_of_service"])
def test_only_the_two_parties_sign(cast, draft, who):
    version = draft.versions.get()

    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=draft, person=getattr(cast, who), content_hash=version.content_hash
        )

    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    assert not AgreementSignature.objects.exists()
    assert not Notice.objects.exists()
    assert audited("agreement.sign", draft) == []


def test_a_stale_content_hash_is_refused(cast, draft):
    read = draft.versions.get().content_hash
    services.agreement_save(agreement=draft, responses=SIMPLE_RESPONSES, by=cast.supervisor)

    with pytest.raises(ValidationError) as refused:
        services.agreement_sign(agreement=draft, person=cast.supervisee, content_hash=read)

    assert set(refused.value.message_dict) == {"content_hash"}
    assert not AgreementSignature.objects.exists()
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT


def test_the_first_signature_awaits_the_other_party(cast, draft):
    version = draft.versions.get()

    signature = services.agreement_sign(
        agreement=draft, person=cast.supervisee, content_hash=version.content_hash
    )

    assert (signature.version, signature.person, signature.role) == (
        version,
        cast.supervisee,
        SignatureRole.SUPERVISEE,
    )
    assert signature.content_hash == version.content_hash
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.AWAITING_SIGNATURES
    assert (draft.signed_on, draft.review_due_on) == (None, None)
    notice = Notice.objects.get()
    assert (notice.user, notice.organisation) == (cast.supervisor.user, cast.organisation)
    assert notice.url == reverse("agreement", args=[draft.pk])
    assert "Sue Supervisee" in notice.text
    assert len(audited("agreement.sign", draft)) == 1


def test_the_second_signature_makes_it_active_until_the_review_date(cast, draft):
    version = draft.versions.get()
    services.agreement_sign(
        agreement=draft, person=cast.supervisee, content_hash=version.content_hash
    )

    signature = services.agreement_sign(
        agreement=draft, person=cast.supervisor, content_hash=version.content_hash
    )

    assert (signature.role, signature.content_hash) == (
        SignatureRole.SUPERVISOR,
        version.content_hash,
    )
    draft.refresh_from_db()
    months = cast.organisation.agreement_review_months
    assert draft.status == AgreementStatus.ACTIVE
    assert draft.signed_on == today()
    assert draft.review_due_on == today() + relativedelta(months=months)
    assert (draft.review_reason, draft.reminder_sent_for) == ("", None)
    assert Notice.objects.filter(user=cast.supervisee.user).count() == 1
    assert sorted(version.signatures.values_list("role", flat=True)) == [
        SignatureRole.SUPERVISEE,
        SignatureRole.SUPERVISOR,
    ]


def test_the_review_date_follows_the_organisations_setting(cast, draft):
    cast.organisation.agreement_review_months = 6
    cast.organisation.save(update_fields=["agreement_review_months"])
    version = draft.versions.get()

    for person in (cast.supervisor, cast.supervisee):
        services.agreement_sign(agreement=draft, person=person, content_hash=version.content_hash)

    draft.refresh_from_db()
    assert draft.review_due_on == today() + relativedelta(months=6)


def test_signing_twice_is_refused(cast, draft):
    version = draft.versions.get()
    services.agreement_sign(
        agreement=draft, person=cast.supervisee, content_hash=version.content_hash
    )

    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=draft, person=cast.supervisee, content_hash=version.content_hash
        )
    assert version.signatures.count() == 1

    services.agreement_sign(
        agreement=draft, person=cast.supervisor, content_hash=version.content_hash
    )
    with pytest.raises(ValidationError):
        services.agreement_sign(
            agreement=draft, person=cast.supervisor, content_hash=version.content_hash
        )
    assert version.signatures.count() == 2


# A signed version never changes


def test_a_change_after_signing_makes_a_new_version_both_sign_again(cast, relationship):
    agreement = signed_agreement(relationship)
    first = agreement.versions.get()
    before = version_snapshot(first)
    changed = {**first.responses, "location": "Room 4, Riverside House"}

    second = services.agreement_save(agreement=agreement, responses=changed, by=cast.supervisee)

    assert (second.number, second.responses, second.supervisor) == (2, changed, cast.supervisor)
    assert second.pk != first.pk
    assert second.content_hash == expected_hash(agreement, changed)
    assert second.content_hash != first.content_hash
    assert version_snapshot(first) == before
    assert all(s.content_hash == first.content_hash for s in first.signatures.all())
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT

    with pytest.raises(ValidationError) as stale:
        services.agreement_sign(
            agreement=agreement, person=cast.supervisee, content_hash=first.content_hash
        )
    assert "content_hash" in stale.value.message_dict

    services.agreement_sign(
        agreement=agreement, person=cast.supervisee, content_hash=second.content_hash
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.AWAITING_SIGNATURES
    services.agreement_sign(
        agreement=agreement, person=cast.supervisor, content_hash=second.content_hash
    )
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert version_snapshot(first) == before
    assert second.signatures.count() == 2


def test_a_change_after_one_signature_makes_a_new_version_too(cast, draft):
    first = draft.versions.get()
    services.agreement_sign(
        agreement=draft, person=cast.supervisee, content_hash=first.content_hash
    )
    before = version_snapshot(first)

    second = services.agreement_save(
        agreement=draft, responses=SIMPLE_RESPONSES, by=cast.supervisor
    )

    assert second.number == 2
    assert version_snapshot(first) == before
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.DRAFT
    services.agreement_sign(
        agreement=draft, person=cast.supervisor, content_hash=second.content_hash
    )
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.AWAITING_SIGNATURES


# A change of supervisor


def test_a_new_supervisor_makes_the_agreement_due_for_review(cast, relationship):
    agreement = signed_agreement(relationship)
    latest_notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    tomorrow = today() + DAY

    relationship_start(
        supervisee=cast.supervisee,
        supervisor=cast.manager,
        starts_on=tomorrow,
        by=cast.admin.user,
    )

    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DUE_FOR_REVIEW
    assert agreement.review_reason == ReviewReason.SUPERVISOR_CHANGED
    assert agreement.review_due_on == tomorrow
    notices = Notice.objects.filter(pk__gt=latest_notice)
    assert sorted(notices.values_list("user__email", flat=True)) == [
        "mia@riverside.test",
        "sue@riverside.test",
    ]
    assert {n.url for n in notices} == {reverse("agreement", args=[agreement.pk])}
    (event,) = audited("agreement.due_for_review", agreement)
    assert event.detail["reason"] == ReviewReason.SUPERVISOR_CHANGED
    assert event.actor == cast.admin.user


def test_a_new_supervisor_does_not_touch_other_peoples_agreements(cast, relationship):
    sues = signed_agreement(relationship)
    sams = signed_agreement(line_relationship(cast.supervisor))

    relationship_start(supervisee=cast.supervisee, supervisor=cast.manager, starts_on=today())

    sues.refresh_from_db()
    sams.refresh_from_db()
    assert (sues.status, sams.status) == (AgreementStatus.DUE_FOR_REVIEW, AgreementStatus.ACTIVE)


def test_the_review_after_a_new_supervisor_is_a_new_agreement_that_supersedes_the_old(
    cast, relationship
):
    old = signed_agreement(relationship)
    old_version = old.versions.get()
    before = version_snapshot(old_version)
    new_relationship = relationship_start(
        supervisee=cast.supervisee, supervisor=cast.manager, starts_on=today()
    )

    new = services.agreement_review_start(agreement=old, by=cast.supervisee)

    assert new.pk != old.pk
    assert (new.supervisee, new.supervisor, new.relationship) == (
        cast.supervisee,
        cast.manager,
        new_relationship,
    )
    assert (new.status, new.template_version) == (AgreementStatus.DRAFT, old.template_version)
    version = new.versions.get()
    assert (version.number, version.supervisor) == (1, cast.manager)
    assert version.responses == old_version.responses
    assert version.content_hash == expected_hash(new, version.responses, cast.manager)
    old.refresh_from_db()
    assert old.status == AgreementStatus.DUE_FOR_REVIEW

    with pytest.raises(ValidationError):  # Sam no longer supervises Sue
        services.agreement_sign(
            agreement=new, person=cast.supervisor, content_hash=version.content_hash
        )
    services.agreement_sign(
        agreement=new, person=cast.supervisee, content_hash=version.content_hash
    )
    old.refresh_from_db()
    assert old.status == AgreementStatus.DUE_FOR_REVIEW  # until both have signed
    services.agreement_sign(agreement=new, person=cast.manager, content_hash=version.content_hash)

    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == AgreementStatus.ACTIVE
    assert (old.status, old.superseded_by) == (AgreementStatus.SUPERSEDED, new)
    assert version_snapshot(old_version) == before
    with pytest.raises(ValidationError):
        services.agreement_save(agreement=old, responses=SIMPLE_RESPONSES, by=cast.supervisee)
    with pytest.raises(ValidationError):
        services.agreement_review_start(agreement=old, by=cast.supervisee)


def test_the_agreement_with_the_former_supervisor_is_no_longer_changed_or_signed(
    cast, relationship
):
    old = signed_agreement(relationship)
    relationship_start(supervisee=cast.supervisee, supervisor=cast.manager, starts_on=today())
    new = services.agreement_review_start(agreement=old, by=cast.supervisee)
    before = version_snapshot(old.versions.get())

    with pytest.raises(ValidationError):
        services.agreement_save(
            agreement=old,
            responses={**SIMPLE_RESPONSES, "location": "Elsewhere"},
            by=cast.supervisor,
        )
    with pytest.raises(ValidationError):
        services.agreement_sign(agreement=old, person=cast.supervisee, content_hash=before[2])

    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, old.versions.count()) == (AgreementStatus.DUE_FOR_REVIEW, 1)
    assert version_snapshot(old.versions.get()) == before
    assert new.status == AgreementStatus.DRAFT


# The annual review


def test_the_review_date_makes_the_agreement_due(cast, relationship):
    agreement = signed_agreement(relationship)
    due_on = agreement.review_due_on

    assert services.agreements_mark_due(today=due_on - DAY) == 0
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE

    assert services.agreements_mark_due(today=due_on) == 1
    agreement.refresh_from_db()
    assert (agreement.status, agreement.review_reason) == (
        AgreementStatus.DUE_FOR_REVIEW,
        ReviewReason.ANNUAL,
    )
    (event,) = audited("agreement.due_for_review", agreement)
    assert event.detail == {"reason": ReviewReason.ANNUAL}
    assert services.agreements_mark_due(today=due_on) == 0
    assert services.agreements_mark_due(today=due_on + DAY) == 0


def test_an_annual_review_is_a_new_version_to_sign_again(cast, relationship):
    agreement = signed_agreement(relationship)
    first = agreement.versions.get()
    before = version_snapshot(first)
    services.agreements_mark_due(today=agreement.review_due_on)

    reviewed = services.agreement_review_start(agreement=agreement, by=cast.supervisor)

    assert reviewed.pk == agreement.pk
    second = services.current_version(reviewed)
    assert (second.number, second.responses, second.supervisor) == (
        2,
        first.responses,
        cast.supervisor,
    )
    assert not second.signatures.exists()
    reviewed.refresh_from_db()
    assert reviewed.status == AgreementStatus.DRAFT
    assert version_snapshot(first) == before
    assert len(audited("agreement.review", agreement)) == 1

    for person in (cast.supervisee, cast.supervisor):
        services.agreement_sign(agreement=reviewed, person=person, content_hash=second.content_hash)
    reviewed.refresh_from_db()
    assert reviewed.status == AgreementStatus.ACTIVE
    assert reviewed.review_reason == ""
    assert reviewed.review_due_on == today() + relativedelta(
        months=cast.organisation.agreement_review_months
    )
    assert Agreement.objects.count() == 1


# Reminders and the daily round


def due_in(agreement: Agreement, days: int) -> datetime.date:
    due_on = today() + datetime.timedelta(days=days)
    Agreement.objects.filter(pk=agreement.pk).update(review_due_on=due_on)
    agreement.refresh_from_db()
    return due_on


def test_reminders_go_to_both_parties_and_the_supervisors_manager_once(cast, relationship):
    agreement = signed_agreement(relationship)
    due_on = due_in(agreement, 20)
    latest_notice = Notice.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mail.outbox.clear()

    assert services.agreement_reminders_send(today=today()) == 1

    assert sorted(to for message in mail.outbox for to in message.to) == [
        "mia@riverside.test",
        "sam@riverside.test",
        "sue@riverside.test",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    link = settings.SITE_URL.rstrip("/") + reverse("agreement", args=[agreement.pk])
    for message in mail.outbox:
        assert f"{due_on:%-d %B %Y}" in message.subject
        assert link in message.body
    notices = Notice.objects.filter(pk__gt=latest_notice)
    assert sorted(notices.values_list("user__email", flat=True)) == [
        "mia@riverside.test",
        "sam@riverside.test",
        "sue@riverside.test",
    ]
    assert {n.text for n in notices} == {mail.outbox[0].subject}
    agreement.refresh_from_db()
    assert agreement.reminder_sent_for == due_on

    assert services.agreement_reminders_send(today=today()) == 0
    assert services.agreement_reminders_send(today=today() + DAY) == 0
    assert len(mail.outbox) == 3
    assert Notice.objects.filter(pk__gt=latest_notice).count() == 3


@pytest.mark.parametrize("days", [40, 31, 0, -5])
def test_no_reminder_outside_the_30_days_before_the_review(cast, relationship, days):
    agreement = signed_agreement(relationship)
    due_in(agreement, days)
    mail.outbox.clear()

    assert services.agreement_reminders_send(today=today()) == 0
    assert mail.outbox == []


def test_a_new_review_date_is_reminded_about_again(cast, relationship):
    agreement = signed_agreement(relationship)
    due_in(agreement, 20)
    services.agreement_reminders_send(today=today())
    due_in(agreement, 25)
    mail.outbox.clear()

    assert services.agreement_reminders_send(today=today()) == 1
    assert len(mail.outbox) == 3


def test_no_reminder_for_an_agreement_already_due_or_in_draft(cast, relationship, draft):
    Agreement.objects.filter(pk=draft.pk).update(review_due_on=today() + 10 * DAY)
    mail.outbox.clear()

    assert services.agreement_reminders_send(today=today()) == 0
    assert mail.outbox == []


def test_the_daily_command_prints_its_counts_and_does_nothing_more_the_second_time(
    cast, relationship
):
    sues = signed_agreement(relationship)
    due_in(sues, 20)
    sams = signed_agreement(line_relationship(cast.supervisor))
    due_in(sams, 0)
    mail.outbox.clear()

    out = StringIO()
    call_command("agreements_daily", stdout=out)
    assert out.getvalue().strip() == (
        "Agreements: 1 marked due for review, 1 review reminders sent."
    )
    assert len(mail.outbox) == 3
    sams.refresh_from_db()
    assert sams.status == AgreementStatus.DUE_FOR_REVIEW

    out = StringIO()
    call_command("agreements_daily", stdout=out)
    assert out.getvalue().strip() == (
        "Agreements: 0 marked due for review, 0 review reminders sent."
    )
    assert len(mail.outbox) == 3


def test_the_daily_command_takes_a_date(cast, relationship):
    agreement = signed_agreement(relationship)
    out = StringIO()

    call_command("agreements_daily", "--date", agreement.review_due_on.isoformat(), stdout=out)

    assert "1 marked due for review" in out.getvalue()


def test_the_daily_task_does_the_same(cast, relationship):
    agreement = signed_agreement(relationship)
    due_in(agreement, 20)
    mail.outbox.clear()

    assert agreements_daily_task.call() == {"marked_due": 0, "reminders_sent": 1}
    assert agreements_daily_task.call() == {"marked_due": 0, "reminders_sent": 0}
    assert len(mail.outbox) == 3


# Templates


@pytest.fixture
def builtin_template() -> AgreementTemplate:
    return AgreementTemplateVersionFactory(
        template__organisation=None, template__slug="test-builtin", template__name="Contract"
    ).template


def test_copying_a_template_makes_the_organisations_own_with_the_same_content(
    cast, builtin_template
):
    source = builtin_template.versions.get()

    copied = services.template_copy(
        template=builtin_template, organisation=cast.organisation, by=cast.admin
    )

    assert (copied.organisation, copied.copied_from) == (cast.organisation, builtin_template)
    assert copied.name == "Contract (Riverside Council)"
    version = copied.versions.get()
    assert (version.number, version.content, version.created_by) == (
        1,
        source.content,
        cast.admin,
    )
    assert builtin_template.versions.count() == 1
    assert len(audited("agreement_template.copy", copied)) == 1


def test_saving_a_changed_template_makes_a_version_agreements_do_not_follow(cast, relationship):
    template = AgreementTemplateFactory(organisation=cast.organisation)
    first = template.versions.get()
    agreement = services.agreement_start(
        relationship=relationship, template_version=first, by=cast.supervisee
    )
    changed = template_content(title="Our supervision agreement")

    second = services.template_save(template=template, content=changed, by=cast.admin)

    assert (second.number, second.content, second.created_by) == (2, changed, cast.admin)
    first.refresh_from_db()
    assert first.content == template_content()
    agreement.refresh_from_db()
    assert agreement.template_version == first
    assert services.template_latest_version(template) == second
    assert len(audited("agreement_template.save", template)) == 1

    again = services.template_save(
        template=template,
        content=template_content(title="Our supervision agreement"),
        by=cast.admin,
    )
    assert again == second
    assert template.versions.count() == 2


def test_a_builtin_template_cannot_be_saved(cast, builtin_template):
    with pytest.raises(ValidationError):
        services.template_save(
            template=builtin_template, content=template_content(title="Mine"), by=cast.admin
        )
    assert builtin_template.versions.count() == 1


@pytest.mark.parametrize(
    "broken",
    [
        template_content(title=""),
        template_content(
            sections=[
                {
                    "key": "a",
                    "heading": "A",
                    "fields": [
                        {"key": "notes", "label": "Notes", "type": "long_text"},
                        {"key": "notes", "label": "Notes again", "type": "long_text"},
                    ],
                }
            ]
        ),
        template_content(
            sections=[
                {
                    "key": "a",
                    "heading": "A",
                    "fields": [{"key": "frequency", "label": "How often", "type": "text"}],
                }
            ]
        ),
        template_content(
            sections=[
                {
                    "key": "a",
                    "heading": "A",
                    "fields": [
                        {"key": "duration", "label": "Length", "type": "duration", "min": 5}
                    ],
                }
            ]
        ),
        template_content(
            sections=[
                {
                    "key": "a",
                    "heading": "A",
                    "fields": [{"key": "colour", "label": "Colour", "type": "choice"}],
                }
            ]
        ),
    ],
    ids=["no-title", "repeated-key", "structured-key-wrong-type", "duration-limits", "no-choices"],
)
def test_invalid_template_content_is_refused(cast, broken):
    template = AgreementTemplateFactory(organisation=cast.organisation)
    problems = content.check_template_content(broken)
    assert problems

    with pytest.raises(ValidationError) as refused:
        services.template_save(template=template, content=broken, by=cast.admin)

    assert refused.value.message_dict == {"content": problems}
    assert template.versions.count() == 1


def test_the_factory_content_is_valid():
    assert content.check_template_content(template_content()) == []


# Rules

PEOPLE = [
    "supervisee",
    "supervisor",
    "manager",
    "head_of_service",
    "director",
    "admin",
    "colleague",
    "outsider",
]
MAY = {
    "agreements.view_agreement": {
        "supervisee",
        "supervisor",
        "manager",
        "head_of_service",
        "director",
        "admin",
    },
    "agreements.change_agreement": {"supervisee", "supervisor"},
    "agreements.sign_agreement": {"supervisee", "supervisor"},
}
TABLE = [(perm, who, who in allowed) for perm, allowed in MAY.items() for who in PEOPLE]


@pytest.mark.parametrize(("perm", "who", "expected"), TABLE)
def test_who_may_do_what_with_an_agreement(cast, relationship, perm, who, expected):
    agreement = signed_agreement(relationship)

    assert getattr(cast, who).user.has_perm(perm, agreement) is expected


@pytest.mark.parametrize("perm", list(MAY))
def test_nobody_anonymous_may_see_an_agreement(cast, draft, perm):
    assert not AnonymousUser().has_perm(perm, draft)


def test_a_superseded_agreement_is_read_only_for_its_parties(cast, relationship):
    agreement = signed_agreement(relationship)
    Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.SUPERSEDED)
    agreement.refresh_from_db()

    for person in (cast.supervisee, cast.supervisor):
        assert person.user.has_perm("agreements.view_agreement", agreement)
        assert not person.user.has_perm("agreements.change_agreement", agreement)
        assert not person.user.has_perm("agreements.sign_agreement", agreement)


# Policies


def test_the_default_rules_are_made_once(cast):
    policies.frequency_rules_ensure(cast.organisation)
    policies.frequency_rules_ensure(cast.organisation)

    rules = FrequencyRule.objects.for_organisation(cast.organisation)
    assert rules.count() == len(policies.DEFAULT_RULES)
    assert not FrequencyRule.objects.for_organisation(cast.other_organisation).exists()
    policies.frequency_rules_ensure(cast.other_organisation)
    assert FrequencyRule.objects.count() == 2 * len(policies.DEFAULT_RULES)


def test_an_organisations_edited_rules_are_never_overwritten(cast):
    policies.frequency_rules_ensure(cast.organisation)
    rule = FrequencyRule.objects.for_organisation(cast.organisation).get(
        staff_category=StaffCategory.NQSW_ASYE, from_day=0
    )
    rule.until_day, rule.min_minutes = 56, 120
    rule.save()
    FrequencyRule.objects.for_organisation(cast.organisation).filter(
        staff_category=StaffCategory.TEACHER
    ).delete()
    count = FrequencyRule.objects.for_organisation(cast.organisation).count()

    policies.frequency_rules_ensure(cast.organisation)

    rule.refresh_from_db()
    assert (rule.until_day, rule.min_minutes) == (56, 120)
    assert FrequencyRule.objects.for_organisation(cast.organisation).count() == count
    on = cast.supervisee.asye_start + datetime.timedelta(days=50)
    assert policies.rule_for(cast.supervisee, on) == rule
    teacher = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.TEACHER)
    assert policies.rule_for(teacher, today()) is None
    assert (
        policies.check_against_policy(
            person=teacher, on=today(), frequency="quarterly", duration_min_minutes=10
        )
        == []
    )


@pytest.mark.parametrize(
    ("day", "frequency"),
    [
        (-30, "weekly"),
        (0, "weekly"),
        (41, "weekly"),
        (42, "fortnightly"),
        (182, "fortnightly"),
        (183, "monthly"),
        (400, "monthly"),
    ],
)
def test_an_nqsws_rule_depends_on_days_since_the_asye_start(cast, day, frequency):
    on = cast.supervisee.asye_start + datetime.timedelta(days=day)

    rule = policies.rule_for(cast.supervisee, on)

    assert rule is not None
    assert (rule.frequency, rule.min_minutes) == (frequency, 90)


def test_without_an_asye_start_the_clock_starts_at_employment(cast):
    nqsw = PersonFactory(
        organisation=cast.organisation,
        staff_category=StaffCategory.NQSW_ASYE,
        employment_start=datetime.date(2026, 1, 5),
        asye_start=None,
    )

    assert policies.rule_for(nqsw, datetime.date(2026, 1, 20)).frequency == "weekly"
    assert policies.rule_for(nqsw, datetime.date(2026, 3, 1)).frequency == "fortnightly"


@pytest.mark.parametrize(
    ("category", "frequency", "minutes"),
    [
        (StaffCategory.PRACTICE_SUPERVISOR, "monthly", 90),
        (StaffCategory.CARE_WORKER, "two_monthly", None),
        (StaffCategory.NURSE, "quarterly", None),
        (StaffCategory.SUPPORT_STAFF, "termly", None),
    ],
)
def test_other_staff_have_one_rule_throughout(cast, category, frequency, minutes):
    person = PersonFactory(organisation=cast.organisation, staff_category=category)

    rule = policies.rule_for(person, today())

    assert rule is not None
    assert (rule.frequency, rule.min_minutes, rule.until_day) == (frequency, minutes, None)


def test_frequencies_are_listed_most_often_first():
    intervals = [INTERVAL_DAYS[f] for f in Frequency.values]
    assert intervals == sorted(intervals)
    assert set(INTERVAL_DAYS) == set(Frequency.values)


@pytest.mark.parametrize(
    ("frequency", "than", "expected"),
    [
        ("weekly", "weekly", True),
        ("weekly", "fortnightly", True),
        ("weekly", "monthly", True),
        ("fortnightly", "weekly", False),
        ("monthly", "fortnightly", False),
        ("fortnightly", "monthly", True),
        ("six_weekly", "monthly", False),
        ("half_termly", "termly", True),
        ("termly", "half_termly", False),
        ("two_monthly", "quarterly", True),
        ("quarterly", "two_monthly", False),
        ("termly", "quarterly", True),
        ("quarterly", "termly", True),
    ],
)
def test_at_least_as_often(frequency, than, expected):
    assert policies.at_least_as_often(frequency, than) is expected
