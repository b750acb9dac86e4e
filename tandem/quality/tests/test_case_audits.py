"""Case-file audits: chosen by rule from a stored seed (the same seed, the same cases), or by
hand; the discussion before the audit, the learning after it and its impact arrive on the
worker's agendas in turn and are recorded in later records."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tandem.meetings.models import AgendaItem
from tandem.organisations.models import Role
from tandem.organisations.tests.factories import RoleGrantFactory
from tandem.quality import services
from tandem.quality.models import CaseAudit, CaseAuditStage
from tandem.quality.sampling import seeded_sample, share_of

from .helpers import DAY, booked, case, record_on

pytestmark = pytest.mark.django_db


def month_start():
    return timezone.localdate().replace(day=1)


def many_cases(cast, count=10):
    """Records over the last few months discussing ``count`` cases of the supervisee's."""
    start = month_start() - 90 * DAY
    for n in range(count):
        record_on(cast, start + n * DAY, cases=[case(f"CF-{2000 + n}")])


def test_a_share_is_rounded_up_and_never_more_than_all():
    assert share_of(10, 10) == 1
    assert share_of(11, 10) == 2
    assert share_of(3, 50) == 2
    assert share_of(1, 1) == 1
    assert share_of(0, 50) == 0
    assert share_of(4, 100) == 4


def test_the_same_seed_chooses_the_same_items_and_another_seed_others():
    items = [f"CF-{n}" for n in range(100)]
    first = seeded_sample(items, 10, seed=42, salt=7)
    assert seeded_sample(items, 10, seed=42, salt=7) == first
    assert seeded_sample(items, 10, seed=43, salt=7) != first
    assert seeded_sample(items, 10, seed=42, salt=8) != first
    assert len(set(first)) == 10


def test_a_months_selection_is_reproducible_from_its_seed(cast):
    many_cases(cast, 10)
    chosen = services.case_round_select(
        organisation=cast.organisation,
        month=month_start(),
        share_percent=30,
        by=cast.head_of_service,
    )
    references = sorted(chosen.audits.values_list("case_reference", flat=True))
    assert len(references) == 3
    assert set(references) <= {f"CF-{2000 + n}" for n in range(10)}

    candidates = services.case_candidates(cast.organisation, chosen.month)
    again = services.chosen_by_rule(candidates, share_percent=30, seed=chosen.seed)
    assert sorted(reference for _w, reference, _l in again) == references
    # And chosen for real a second time with the stored seed: the same cases.
    second = services.case_round_select(
        organisation=cast.organisation,
        month=month_start(),
        share_percent=30,
        seed=chosen.seed,
        by=cast.head_of_service,
    )
    assert sorted(second.audits.values_list("case_reference", flat=True)) == references


def test_nothing_to_choose_from_is_refused_with_the_reason(cast):
    with pytest.raises(ValidationError) as refused:
        services.case_round_select(
            organisation=cast.organisation, month=month_start(), share_percent=10, by=cast.director
        )
    assert "No cases were discussed" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        services.case_round_select(
            organisation=cast.organisation, month=month_start(), share_percent=0, by=cast.director
        )
    assert "between 1 and 100" in str(refused.value)


def test_the_audit_travels_through_supervision_and_back(cast):
    """Before: on the next agenda. Graded: the learning on the next agenda after. Learning
    recorded in a later record: the impact on the session after that. Impact recorded: done."""
    RoleGrantFactory(person=cast.head_of_service, role=Role.AUDITOR)
    first = booked(cast, 3)
    second = booked(cast, 10)
    third = booked(cast, 40)
    chosen = services.case_audit_add(
        worker=cast.supervisee, case_reference="cf-77", label="Neglect", by=cast.head_of_service
    )
    assert chosen.case_reference == "CF-77"
    assert chosen.supervisor == cast.supervisor
    assert chosen.pre_item.session == first
    assert "before it happens" in chosen.pre_item.title

    graded = services.case_audit_record(
        case_audit=chosen,
        by=cast.head_of_service,
        grade="Requires improvement",
        findings="The plan is not SMART.",
        required_actions="Review the plan with the family.",
        audited_on=timezone.localdate(),
    )
    assert graded.stage == CaseAuditStage.AUDITED
    assert graded.learning_item.session == first  # the next booked one after now

    # The learning is recorded in a record of a session held on or after the audit.
    earlier = record_on(cast, timezone.localdate() - 20 * DAY)
    with pytest.raises(ValidationError) as refused:
        services.case_learning_record(
            case_audit=graded, record=earlier, note="Plans", by=cast.supervisor
        )
    assert "on or after the audit" in str(refused.value)
    # A session held today, after the audit.
    today_record = record_on(cast, timezone.localdate())
    learnt = services.case_learning_record(
        case_audit=graded, record=today_record, note="Plans need dates.", by=cast.supervisor
    )
    assert learnt.stage == CaseAuditStage.LEARNING
    # The first session booked after the learning's: not the later ones.
    assert learnt.impact_item.session == first
    assert {second, third}.isdisjoint({learnt.impact_item.session})

    # The impact: not in the session the learning was recorded in, in a later one.
    with pytest.raises(ValidationError) as refused:
        services.case_impact_record(
            case_audit=learnt, record=today_record, note="Better", by=cast.supervisor
        )
    assert "held after" in str(refused.value)


def test_a_waiting_discussion_goes_on_the_next_session_booked(cast):
    chosen = services.case_audit_add(
        worker=cast.supervisee, case_reference="CF-88", label="", by=cast.director
    )
    assert chosen.pre_item is None
    session = booked(cast, 5)
    services.place_waiting_items(sessions=[session])
    chosen.refresh_from_db()
    assert chosen.pre_item.session == session
    assert AgendaItem.objects.filter(session=session, title__contains="CF-88").count() == 1
    # Booked through the meetings app, a session takes on what waits (the hook).
    from tandem.meetings.services import sessions as meeting_sessions

    assert services.place_waiting_items in meeting_sessions.SESSION_BOOKED_HOOKS


def test_the_impact_is_recorded_from_a_later_record(cast):
    chosen = services.case_audit_add(
        worker=cast.supervisee, case_reference="CF-5", label="", by=cast.director
    )
    audited_on = timezone.localdate() - 30 * DAY
    services.case_audit_record(
        case_audit=chosen,
        by=cast.director,
        grade="Good",
        findings="Clear analysis.",
        required_actions="",
        audited_on=audited_on,
    )
    learning_at = record_on(cast, audited_on + 2 * DAY)
    services.case_learning_record(
        case_audit=chosen, record=learning_at, note="Keep the chronology.", by=cast.supervisor
    )
    impact_at = record_on(cast, audited_on + 20 * DAY)
    done = services.case_impact_record(
        case_audit=chosen, record=impact_at, note="Chronologies in every case.", by=cast.supervisee
    )
    assert done.stage == CaseAuditStage.DONE
    assert done.impact_record == impact_at
    assert services.due_in_record(impact_at) == []


def test_the_record_panel_offers_the_learning_and_saves_it(cast):
    chosen = services.case_audit_add(
        worker=cast.supervisee, case_reference="CF-9", label="", by=cast.director
    )
    services.case_audit_record(
        case_audit=chosen,
        by=cast.director,
        grade="Good",
        findings="Clear.",
        required_actions="",
        audited_on=timezone.localdate() - 10 * DAY,
    )
    record = record_on(cast, timezone.localdate() - 5 * DAY)
    client = cast.client_for(cast.supervisor)
    page = client.get(reverse("record", args=[record.pk]))
    assert "Case-file audits to discuss" in page.content.decode()
    url = reverse("case-audit-learning", args=[chosen.pk])
    empty = client.post(url, {"record": record.pk, f"ca{chosen.pk}-note": ""})
    assert empty.status_code == 400
    assert "Enter" in empty.content.decode()
    saved = client.post(url, {"record": record.pk, f"ca{chosen.pk}-note": "Use the chronology."})
    assert saved.status_code == 302
    chosen.refresh_from_db()
    assert chosen.learning_note == "Use the chronology."
    assert chosen.learning_record == record
    assert chosen.stage == CaseAuditStage.LEARNING
    # Someone who is not a party to the record cannot record on it.
    again = cast.client_for(cast.director).post(
        reverse("case-audit-impact", args=[chosen.pk]),
        {"record": record.pk, f"ca{chosen.pk}-note": "Seen."},
    )
    assert again.status_code == 400
    chosen.refresh_from_db()
    assert chosen.impact_note == ""


def test_pages_choose_grade_and_refuse_bad_input(cast):
    RoleGrantFactory(person=cast.head_of_service, role=Role.AUDITOR)
    many_cases(cast, 4)
    hal = cast.client_for(cast.head_of_service)
    bad = hal.post(reverse("case-audit-round"), {"month": "31/02/2026", "share_percent": "500"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "Enter a real date" in body
    chosen = hal.post(
        reverse("case-audit-round"), {"month": month_start().isoformat(), "share_percent": "50"}
    )
    assert chosen.status_code == 302
    audit = CaseAudit.objects.filter(organisation=cast.organisation).first()
    assert audit is not None and audit.by_rule
    page = hal.get(reverse("case-audit", args=[audit.pk]))
    assert "Record the audit" in page.content.decode()
    missing = hal.post(reverse("case-audit", args=[audit.pk]), {"grade": "", "findings": ""})
    assert missing.status_code == 400
    assert "Choose a grade" in missing.content.decode()
    graded = hal.post(
        reverse("case-audit", args=[audit.pk]),
        {"grade": "Good", "findings": "Fine.", "audited_on": timezone.localdate().isoformat()},
    )
    assert graded.status_code == 302
    audit.refresh_from_db()
    assert audit.grade == "Good"
    # The worker reads it; a colleague in another team does not.
    assert (
        cast.client_for(cast.supervisee).get(reverse("case-audit", args=[audit.pk])).status_code
        == 200
    )
    assert (
        cast.client_for(cast.colleague).get(reverse("case-audit", args=[audit.pk])).status_code
        == 403
    )
    # Nobody else grades it.
    assert (
        cast.client_for(cast.supervisor)
        .post(reverse("case-audit", args=[audit.pk]), {})
        .status_code
        == 403
    )


def test_the_grading_scale_is_the_organisations(cast):
    services.settings_change(
        organisation=cast.organisation,
        grades=["Strong", "Adequate", "Weak"],
        share_percent=20,
        by=cast.director,
    )
    chosen = services.case_audit_add(
        worker=cast.supervisee, case_reference="CF-1", label="", by=cast.director
    )
    with pytest.raises(ValidationError):
        services.case_audit_record(
            case_audit=chosen,
            by=cast.director,
            grade="Good",
            findings="x",
            required_actions="",
            audited_on=timezone.localdate(),
        )
    with pytest.raises(ValidationError) as refused:
        services.settings_change(
            organisation=cast.organisation, grades=["Only"], share_percent=20, by=cast.director
        )
    assert "at least two" in str(refused.value)


def test_a_waiting_discussion_goes_on_the_first_session_a_schedule_proposes(cast):
    import datetime as dt

    from tandem.agreements.tests.factories import signed_agreement
    from tandem.meetings.services import schedule_create
    from tandem.organisations.models import SupervisionRelationship

    chosen = services.case_audit_add(
        worker=cast.supervisee, case_reference="CF-SCHED", label="", by=cast.director
    )
    assert chosen.pre_item is None
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisee, ends_on=None)
    agreement = signed_agreement(relationship)
    sessions = schedule_create(
        agreement=agreement,
        start=timezone.localdate() + DAY,
        months=3,
        weekday=2,
        at=dt.time(10),
        by=cast.supervisor,
    )
    chosen.refresh_from_db()
    first = min(sessions, key=lambda s: s.starts_at)
    assert chosen.pre_item is not None and chosen.pre_item.session_id == first.pk
