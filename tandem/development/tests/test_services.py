"""Development's services and positions, as a supervisee, a supervisor and a nurse meet them:
CPD counted by registration year, NMC revalidation's evidence against its numbers, the Care
Certificate, safeguarding leads' training, objectives reviewed in supervision, the appraisal.
Every refusal names the field and writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tandem.core.models import AuditEvent
from tandem.core.tests.shared import noon
from tandem.development import selectors, services
from tandem.development.models import (
    CareCertificate,
    CpdKind,
    CpdRecord,
    Objective,
    ObjectiveStatus,
    PracticeHours,
    SafeguardingTrainingKind,
)
from tandem.development.schemes import Scheme
from tandem.development.selectors import CpdState
from tandem.organisations.models import StaffCategory
from tandem.organisations.tests.factories import PersonFactory
from tandem.records.tests.factories import held_session, shared_record, write

from .factories import CpdRecordFactory, ObjectiveFactory, RevalidationFactory

pytestmark = pytest.mark.django_db
day = datetime.date


def cpd_fields(**changes):
    return {
        "kind": CpdKind.COURSE,
        "title": "Working with neglect",
        "done_on": day(2026, 11, 2),
        "description": "A day's course.",
        "learnt": "The graded care profile.",
        "impact": "I use it in neglect assessments.",
        "peer_reflection": False,
        "peer_with": "",
        "peer_on": None,
        "hours": None,
        "participatory_hours": None,
    } | changes


def refusal(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


# Social Work England CPD


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_a_record_on_30_november_counts_for_the_year_that_ends_then_not_the_next(cast):
    sue = cast.supervisee
    CpdRecordFactory(person=sue, done_on=day(2026, 11, 30), kind=CpdKind.SUPERVISION)
    CpdRecordFactory(person=sue, done_on=day(2026, 12, 1))

    ended = selectors.swe_position(sue, day(2026, 11, 30))
    assert (ended.records, ended.peer_reflected) == (1, 1)
    assert ended.state == CpdState.BEHIND  # 1 of 2, after 1 September

    now = selectors.swe_position(sue)
    assert now.year.starts_on == day(2026, 12, 1)
    assert (now.records, now.peer_reflected, now.state) == (1, 0, CpdState.ON_TRACK)


def test_two_records_one_with_peer_reflection_meet_the_year(cast):
    sue = cast.supervisee
    CpdRecordFactory(person=sue, done_on=day(2026, 3, 1))
    assert selectors.swe_position(sue, day(2026, 9, 1)).state == CpdState.BEHIND
    CpdRecordFactory(person=sue, done_on=day(2026, 9, 2), peer_reflection=True, peer_with="Sam")
    position = selectors.swe_position(sue, day(2026, 9, 3))
    assert position.met and position.state == CpdState.MET
    # Counted up to the day asked about: on 1 March only the first existed.
    assert selectors.swe_position(sue, day(2026, 3, 1)).records == 1


def test_an_organisation_s_own_numbers_count(cast):
    services.scheme_rules_set(
        organisation=cast.organisation,
        scheme=Scheme.SWE_CPD,
        values={"records_per_year": 3},
        by=cast.admin,
    )
    CpdRecordFactory(person=cast.supervisee, done_on=day(2026, 1, 5), kind=CpdKind.SUPERVISION)
    CpdRecordFactory(person=cast.supervisee, done_on=day(2026, 1, 6))
    position = selectors.swe_position(cast.supervisee, day(2026, 2, 1))
    assert (position.records_needed, position.met) == (3, False)
    event = AuditEvent.objects.get(action="development.rules_changed")
    assert event.detail["changed"] == {"records_per_year": [2, 3]}


def test_a_rule_set_out_of_range_is_refused_and_nothing_changes(cast):
    with pytest.raises(ValidationError) as error:
        services.scheme_rules_set(
            organisation=cast.organisation,
            scheme=Scheme.SWE_CPD,
            values={"records_per_year": 1, "peer_reflected_records": 2},
            by=cast.admin,
        )
    assert refusal(error) == {"peer_reflected_records"}
    assert selectors.rules_of(cast.organisation, Scheme.SWE_CPD)["records_per_year"] == 2


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_cpd_started_from_a_record_links_back_and_names_the_case(cast):
    record = shared_record(cast)
    write(
        record,
        base=record.version_number,
        cases=[
            {
                "key": "c1",
                "case_reference": "CF-204981",
                "label": "",
                "discussion": "Drift in the plan.",
                "reflection": {},
                "decision": "",
                "rationale": "",
            }
        ],
    )
    cpd = services.cpd_record_add(
        person=cast.supervisee,
        by=cast.supervisee,
        fields=cpd_fields(kind=CpdKind.SUPERVISION, done_on=record.held_on),
        source_record=record,
        source_case_reference="CF-204981",
    )
    assert cpd.source_record == record and cpd.source_case_reference == "CF-204981"
    assert cpd.counts_as_peer_reflection
    assert list(record.cpd_records.all()) == [cpd]
    with pytest.raises(ValidationError) as error:
        services.cpd_record_add(
            person=cast.colleague,
            by=cast.colleague,
            fields=cpd_fields(),
            source_record=record,
        )
    assert refusal(error) == {"source_record"}


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_bad_cpd_is_refused_on_its_fields_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as error:
        services.cpd_record_add(
            person=cast.supervisee,
            by=cast.supervisee,
            fields=cpd_fields(
                done_on=day(2026, 12, 8),
                title="",
                peer_reflection=True,
                hours=Decimal("2"),
                participatory_hours=Decimal("3"),
            ),
        )
    assert refusal(error) == {"done_on", "title", "peer_with", "participatory_hours"}
    assert "today or in the past" in error.value.message_dict["done_on"][0]
    assert not CpdRecord.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="development.").exists()


# NMC revalidation


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_revalidation_progress_counts_the_three_years_before_the_renewal_date(cast):
    nurse = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.NURSE)
    revalidation = services.revalidation_start(
        person=nurse, due_on=day(2027, 2, 28), pin="12a3456e", by=nurse
    )
    assert revalidation.pin == "12A3456E"
    position = selectors.revalidation_position(revalidation)
    assert (position.period.starts_on, position.period.ends_on) == (
        day(2024, 2, 28),
        day(2027, 2, 27),
    )
    assert position.due_soon and position.days_left == 83
    CpdRecordFactory(person=nurse, done_on=day(2024, 2, 27), hours=Decimal("30"))  # before
    CpdRecordFactory(
        person=nurse,
        done_on=day(2025, 5, 1),
        hours=Decimal("36"),
        participatory_hours=Decimal("20"),
    )
    services.practice_hours_add(
        revalidation=revalidation,
        starts_on=day(2024, 3, 1),
        ends_on=day(2026, 11, 30),
        hours=Decimal("3200"),
        setting="Staff nurse, Elm House",
        by=nurse,
    )
    for n in range(5):
        services.feedback_add(
            revalidation=revalidation,
            received_on=day(2026, 1, 1 + n),
            source="A relative",
            summary="Kind and clear.",
            used_for="",
            by=nurse,
        )
        services.reflective_account_add(
            revalidation=revalidation,
            written_on=day(2026, 2, 1 + n),
            experience="A fall.",
            learnt="Checks.",
            changed="I check twice.",
            code_theme="safety",
            by=nurse,
        )
    with pytest.raises(ValidationError) as error:
        services.revalidation_confirm(
            revalidation=revalidation,
            confirmer_name="Rita Manager",
            confirmer_role="Registered manager",
            confirmer_pin="",
            confirmed_on=day(2026, 12, 1),
            by=nurse,
        )
    assert "__all__" in refusal(error)  # the discussion is not signed yet
    services.reflective_discussion_add(
        revalidation=revalidation,
        held_on=day(2026, 11, 20),
        partner_name="Jo Partner",
        partner_pin="98B7654C",
        partner_email="jo@example.org",
        partner_address="Elm House",
        partner_signed_on=day(2026, 11, 20),
        by=nurse,
    )
    position = selectors.revalidation_position(revalidation)
    assert [t.have for t in position.tallies] == [
        Decimal("3200"),
        Decimal("36"),
        Decimal("20"),
        5,
        5,
        1,
    ]
    assert position.evidence_complete and not position.ready
    services.revalidation_confirm(
        revalidation=revalidation,
        confirmer_name="Rita Manager",
        confirmer_role="Registered manager",
        confirmer_pin="",
        confirmed_on=day(2026, 12, 1),
        by=nurse,
    )
    assert selectors.revalidation_position(revalidation).ready


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_hours_that_do_not_add_up_and_dates_outside_the_period_are_refused(cast):
    revalidation = RevalidationFactory(person=cast.outsider, due_on=day(2027, 2, 28))
    with pytest.raises(ValidationError) as error:
        services.practice_hours_add(
            revalidation=revalidation,
            starts_on=day(2026, 11, 1),
            ends_on=day(2026, 11, 2),
            hours=Decimal("49"),
            setting="Ward 4",
            by=cast.outsider,
        )
    assert refusal(error) == {"hours"}
    assert "do not fit in 2 days" in error.value.message_dict["hours"][0]
    with pytest.raises(ValidationError) as error:
        services.practice_hours_add(
            revalidation=revalidation,
            starts_on=day(2026, 11, 2),
            ends_on=day(2026, 11, 1),
            hours=Decimal("7"),
            setting="Ward 4",
            by=cast.outsider,
        )
    assert refusal(error) == {"ends_on"}
    with pytest.raises(ValidationError) as error:
        services.feedback_add(
            revalidation=revalidation,
            received_on=day(2023, 1, 1),
            source="A patient",
            summary="Thanks",
            used_for="",
            by=cast.outsider,
        )
    assert refusal(error) == {"received_on"}
    with pytest.raises(ValidationError) as error:
        services.reflective_discussion_add(
            revalidation=revalidation,
            held_on=day(2026, 11, 20),
            partner_name="Jo",
            partner_pin="12A3456E",  # the nurse's own PIN
            partner_email="",
            partner_address="",
            partner_signed_on=day(2026, 11, 19),
            by=cast.outsider,
        )
    assert refusal(error) == {"partner_pin", "partner_signed_on"}
    assert not PracticeHours.objects.exists()


# The Care Certificate and safeguarding leads


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_the_care_certificate_is_complete_when_its_16_standards_are_signed_off(cast):
    carer = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.CARE_WORKER)
    certificate = services.care_certificate_start(
        person=carer, started_on=day(2026, 9, 7), by=cast.manager
    )
    assert certificate.target_on == day(2026, 11, 30)
    position = selectors.care_certificate_position(carer)
    assert (position.signed_off, position.total, position.overdue) == (0, 16, True)
    with pytest.raises(ValidationError):
        services.care_standard_sign_off(
            standard=certificate.standards.first(), on=day(2026, 10, 1), by=carer
        )
    for standard in certificate.standards.all():
        services.care_standard_sign_off(standard=standard, on=day(2026, 10, 1), by=cast.manager)
    certificate.refresh_from_db()
    assert certificate.completed_on == day(2026, 10, 1)
    assert selectors.care_certificate_position(carer).complete
    with pytest.raises(ValidationError):
        services.care_certificate_start(person=carer, started_on=day(2026, 9, 7), by=cast.manager)
    assert CareCertificate.objects.count() == 1


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_a_safeguarding_lead_trains_every_two_years_and_updates_every_year(cast):
    lead = cast.colleague
    assert Scheme.SAFEGUARDING_LEAD not in selectors.schemes_of(lead)
    services.safeguarding_lead_designate(person=lead, on=day(2024, 9, 1), by=cast.admin)
    assert Scheme.SAFEGUARDING_LEAD in selectors.schemes_of(lead)
    services.safeguarding_training_add(
        person=lead,
        kind=SafeguardingTrainingKind.TRAINING,
        title="DSL training",
        done_on=day(2025, 1, 10),
        by=lead,
    )
    position = selectors.safeguarding_position(lead)
    assert position.training_due_on == day(2027, 1, 10)
    assert position.update_due_on == day(2026, 1, 10) and position.update_overdue
    services.safeguarding_training_add(
        person=lead,
        kind=SafeguardingTrainingKind.UPDATE,
        title="KCSIE 2026 update",
        done_on=day(2026, 9, 5),
        by=lead,
    )
    assert selectors.safeguarding_position(lead).current
    services.safeguarding_lead_end(person=lead, on=day(2026, 12, 6), by=cast.admin)
    assert Scheme.SAFEGUARDING_LEAD not in selectors.schemes_of(lead)


# Development plans and the appraisal


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_an_objective_reviewed_in_supervision_takes_the_session_s_date(cast):
    objective = ObjectiveFactory(person=cast.supervisee, target_on=day(2027, 3, 1))
    record = shared_record(cast)
    review = services.objective_review(
        objective=objective,
        by=cast.supervisor,
        progress="Two visits observed; both good.",
        status=ObjectiveStatus.MET,
        record=record,
    )
    objective.refresh_from_db()
    assert review.reviewed_on == record.held_on
    assert (objective.status, objective.closed_on) == (ObjectiveStatus.MET, record.held_on)
    assert list(selectors.open_objectives(person=cast.supervisee)) == []
    other = ObjectiveFactory(person=cast.colleague)
    with pytest.raises(ValidationError) as error:
        services.objective_review(
            objective=other, by=cast.supervisor, progress="x", status="open", record=record
        )
    assert refusal(error) == {"record"}


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_a_new_objective_needs_a_target_today_or_later(cast):
    with pytest.raises(ValidationError) as error:
        services.objective_add(
            person=cast.supervisee,
            by=cast.supervisee,
            fields={"title": "Court skills", "measure": "", "target_on": day(2026, 12, 6)},
        )
    assert refusal(error) == {"measure", "target_on"}
    assert not Objective.objects.exists()


@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_the_appraisal_summarises_the_year_s_supervision_and_keeps_it(cast):
    for weeks in (2, 6, 10):
        held_session(cast, on=day(2026, 12, 7) - datetime.timedelta(weeks=weeks))
    held_session(cast, on=day(2025, 6, 1))  # before the year
    CpdRecordFactory(person=cast.supervisee, done_on=day(2026, 6, 1))
    objective = ObjectiveFactory(person=cast.supervisee, target_on=day(2027, 1, 1))
    services.objective_review(
        objective=objective, by=cast.supervisor, progress="Done", status=ObjectiveStatus.MET
    )
    appraisal = services.appraisal_hold(
        person=cast.supervisee,
        by=cast.supervisor,
        held_on=day(2026, 12, 7),
        period_starts_on=day(2025, 12, 8),
        period_ends_on=day(2026, 12, 7),
        appraiser_comments="A strong first year.",
    )
    assert appraisal.summary["sessions_held"] == 3
    assert appraisal.summary["themes"] == {"management": 6}
    assert (appraisal.summary["objectives_met"], appraisal.summary["cpd_records"]) == (1, 1)
    with pytest.raises(ValidationError) as error:
        services.appraisal_hold(
            person=cast.supervisee,
            by=cast.supervisee,
            held_on=day(2026, 12, 7),
            period_starts_on=day(2026, 12, 7),
            period_ends_on=day(2026, 1, 1),
            appraiser_comments="",
        )
    assert refusal(error) == {"__all__", "period_ends_on", "appraiser_comments"}
