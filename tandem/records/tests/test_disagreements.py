"""Disagreements: recorded beside a shared record, routed to the right senior manager by the
source contract's rules, resolved by that person only, and never changed afterwards.

The council contract (../shared/seeds, "Disagreements"): "either party may refer the issue to
the relevant Senior Manager for resolution ... the Head of Service in the case of dispute
between Team managers, the assistant director in the case of dispute between the Head of Service
and a Team Manager", and a supervisee's concern about the manager's supervision practice goes
to "the relevant Senior Manager" too. In Tandem: the supervisor's own manager (their line
manager, then the managers of the units above them), never one of the two.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tandem.core.models import AuditEvent, Notice
from tandem.organisations.models import (
    Nation,
    Person,
    Role,
    Sector,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    TeamKind,
)
from tandem.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RelationshipFactory,
    RoleGrantFactory,
    TeamFactory,
    UserFactory,
)
from tandem.records import selectors, services
from tandem.records.models import (
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    ImmutableRecordError,
    Record,
)
from tandem.records.tests.factories import draft_record, shared_record, signed_record, write


def person(organisation, first: str, last: str, **fields: Any) -> Person:
    return PersonFactory(
        organisation=organisation,
        user=UserFactory(email=f"{first.lower()}@{organisation.pk}.test"),
        first_name=first,
        last_name=last,
        **fields,
    )


def record_between(cast, supervisor: Person, supervisee: Person) -> Record:
    return shared_record(cast, supervisor=supervisor, supervisee=supervisee)


def routed(record: Record, kind: str = DisagreementKind.RECORD) -> tuple[Person | None, str]:
    route = services.disagreement_route(record=record, kind=kind)
    return route.person, route.role


# Routing, case by case


def test_a_social_worker_and_their_practice_supervisor_go_to_the_team_manager(cast):
    record = shared_record(cast)  # Sam (practice supervisor) supervises Sue

    disagreement = services.disagreement_raise(
        record=record, by=cast.supervisee, text="The decision on CF-204981 was not agreed."
    )

    assert (disagreement.routed_to, disagreement.routed_as) == (cast.manager, "Team manager")
    assert disagreement.routing_reason == (
        "A disagreement goes to the supervisor's manager: Sam Supervisor's team manager."
    )
    assert disagreement.status == DisagreementStatus.OPEN


def test_a_social_worker_supervised_by_the_team_manager_goes_to_the_head_of_service(cast):
    worker = person(cast.organisation, "Wes", "Worker", team=cast.supervisee.team)
    RelationshipFactory(supervisee=worker, supervisor=cast.manager)
    record = record_between(cast, cast.manager, worker)

    # Mia's line manager is Hal, who leads the service: routed to him as head of service.
    assert routed(record) == (cast.head_of_service, "Head of service")


def test_a_team_manager_supervised_by_another_team_manager_goes_to_the_head_of_service(cast):
    fostering = cast.colleague.team
    other_manager = person(
        cast.organisation,
        "Tom",
        "Other",
        team=fostering,
        staff_category=StaffCategory.TEAM_MANAGER,
    )
    fostering.manager = other_manager
    fostering.save()
    record = record_between(cast, other_manager, cast.manager)

    # Tom has no line manager in Tandem: his team is his own, so the service's head.
    assert routed(record) == (cast.head_of_service, "Head of service")
    RelationshipFactory(supervisee=other_manager, supervisor=cast.head_of_service)
    assert routed(record) == (cast.head_of_service, "Head of service")


def test_a_team_manager_and_the_head_of_service_go_to_the_assistant_director(cast):
    record = record_between(cast, cast.head_of_service, cast.manager)

    assert routed(record) == (cast.director, "Assistant director")


def test_a_concern_about_the_supervisors_practice_goes_to_the_supervisors_manager(cast):
    record = shared_record(cast)

    concern = services.disagreement_raise(
        record=record,
        by=cast.supervisee,
        kind=DisagreementKind.PRACTICE,
        text="Sessions keep being cut short.",
    )

    assert (concern.routed_to, concern.routed_as, concern.kind) == (
        cast.manager,
        "Team manager",
        DisagreementKind.PRACTICE,
    )
    assert concern.routing_reason.startswith(
        "A concern about the supervisor's practice goes to the supervisor's manager"
    )


def test_only_the_supervisee_raises_a_concern_about_the_supervisors_practice(cast):
    record = shared_record(cast)

    with pytest.raises(ValidationError) as error:
        services.disagreement_raise(
            record=record, by=cast.supervisor, kind=DisagreementKind.PRACTICE, text="Hm."
        )

    assert list(error.value.message_dict) == ["kind"]
    assert not Disagreement.objects.exists()


def test_with_nobody_above_the_supervisor_it_goes_to_a_senior_leader(cast):
    chief = person(cast.organisation, "Cath", "Chief", job_title="Director of children's services")
    RoleGrantFactory(person=chief, role=Role.SENIOR_LEADER)
    # Ada leads the directorate, the top of the hierarchy; she is a senior leader herself, but
    # one of the two, so it goes to the other senior leader.
    record = record_between(cast, cast.director, cast.head_of_service)

    assert routed(record) == (chief, "Senior leader")
    route = services.disagreement_route(record=record, kind=DisagreementKind.RECORD)
    assert route.reason == (
        "Nobody manages the supervisor in Tandem, so it goes to the organisation's senior leaders."
    )


def test_with_nobody_above_and_no_senior_leader_the_admin_is_told_what_to_do(cast):
    record = record_between(cast, cast.director, cast.head_of_service)

    disagreement = services.disagreement_raise(
        record=record, by=cast.head_of_service, text="I disagree with the objectives."
    )

    assert disagreement.routed_to is None
    assert "an organisation admin should give someone that role" in disagreement.routing_reason


def test_a_professional_supervisor_manages_nobody_so_is_passed_over(cast):
    """Sam's line management ends; a practice educator in another team gives him professional
    supervision. A disagreement about Sue's record goes to Sam's team manager, not to her."""
    SupervisionRelationship.objects.filter(supervisee=cast.supervisor).delete()
    educator = person(cast.organisation, "Pat", "Educator", team=cast.colleague.team)
    RelationshipFactory(
        supervisee=cast.supervisor, supervisor=educator, kind=SupervisionKind.PROFESSIONAL
    )
    record = shared_record(cast)

    assert routed(record) == (cast.manager, "Team manager")


def test_a_line_manager_outside_the_supervisors_units_is_their_manager(cast):
    """Sam is line-managed by Cole, in another team: Cole is Sam's manager for disagreements,
    and so reads the record, without the welfare section."""
    SupervisionRelationship.objects.filter(supervisee=cast.supervisor).delete()
    RelationshipFactory(supervisee=cast.supervisor, supervisor=cast.colleague)
    record = shared_record(cast)

    assert routed(record) == (cast.colleague, "Line manager")
    access = selectors.record_access(cast.colleague, record)
    assert (access.level, access.reason) == (selectors.Level.WITHOUT_WELFARE, "manager")


@pytest.fixture
def school(db):
    """A school: the headteacher leads the school, a deputy (senior leader) key stage 2, a team
    leader Year 5, where a teacher supervises a teaching assistant."""
    organisation = OrganisationFactory(
        name="Brook Primary School", nation=Nation.ENGLAND, sector=Sector.SCHOOL
    )
    whole = TeamFactory(organisation=organisation, name="Brook", kind=TeamKind.DIRECTORATE)
    stage = TeamFactory(
        organisation=organisation, name="Key stage 2", kind=TeamKind.SERVICE, parent=whole
    )
    year = TeamFactory(organisation=organisation, name="Year 5", kind=TeamKind.TEAM, parent=stage)
    cast: dict[str, Any] = {
        "head": person(organisation, "Hana", "Head", team=whole, staff_category="teacher"),
        "deputy": person(organisation, "Dev", "Deputy", team=stage, staff_category="teacher"),
        "leader": person(organisation, "Lee", "Leader", team=year, staff_category="teacher"),
        "teacher": person(organisation, "Tia", "Teacher", team=year, staff_category="teacher"),
        "assistant": person(
            organisation, "Asa", "Assistant", team=year, staff_category="support_staff"
        ),
    }
    whole.manager, stage.manager, year.manager = cast["head"], cast["deputy"], cast["leader"]
    for unit in (whole, stage, year):
        unit.save()
    return cast


@pytest.mark.parametrize(
    ("supervisor", "supervisee", "to", "title"),
    [
        ("teacher", "assistant", "leader", "Team leader"),
        ("leader", "teacher", "deputy", "Senior leader"),
        ("deputy", "leader", "head", "Headteacher"),
    ],
)
def test_a_school_routes_by_the_schools_titles(cast, school, supervisor, supervisee, to, title):
    record = record_between(cast, school[supervisor], school[supervisee])

    disagreement = services.disagreement_raise(
        record=record, by=school[supervisee], text="Not what we agreed."
    )

    assert (disagreement.routed_to, disagreement.routed_as) == (school[to], title)
    assert title.lower() in disagreement.routing_reason


# Raising


def test_raising_tells_the_manager_and_the_other_party_and_is_audited(cast):
    record = shared_record(cast)
    notices = Notice.objects.count()

    disagreement = services.disagreement_raise(
        record=record,
        by=cast.supervisee,
        about="Decision on CF-204981",
        text="The step-up was not agreed in the session.",
    )

    told = Notice.objects.order_by("pk")[notices:]
    assert sorted(n.user.email for n in told) == ["mia@riverside.test", "sam@riverside.test"]
    to_mia = next(n for n in told if n.user == cast.manager.user)
    assert "it needs your resolution as team manager" in to_mia.text
    assert to_mia.url == f"/disagreements/{disagreement.pk}/"
    assert "CF-204981" not in to_mia.text  # no words of the record in a notice
    event = AuditEvent.objects.get(action="record.disagreement")
    assert event.detail == {
        "disagreement": disagreement.pk,
        "kind": "record",
        "routed_to": cast.manager.pk,
    }
    # Beside the record, never in it: the record's words are untouched.
    stored = Record.objects.get(pk=record.pk)
    assert (stored.version_number, stored.status) == (record.version_number, record.status)


def test_either_party_may_raise_one_on_a_signed_record_too(cast):
    record = signed_record(cast)

    disagreement = services.disagreement_raise(
        record=record, by=cast.supervisor, text="On reflection, the decision was wrong."
    )

    assert disagreement.routed_to == cast.manager


def test_no_disagreement_on_a_draft(cast):
    record = draft_record(cast)
    write(record)

    with pytest.raises(ValidationError, match="still a draft"):
        services.disagreement_raise(record=record, by=cast.supervisee, text="No.")

    assert not Disagreement.objects.exists()


@pytest.mark.parametrize("who", ["manager", "head_of_service", "colleague", "admin", "outsider"])
def test_no_disagreement_raised_by_someone_who_is_not_a_party(cast, who):
    record = shared_record(cast)

    with pytest.raises(ValidationError, match="Only the supervisor and the supervisee"):
        services.disagreement_raise(record=record, by=getattr(cast, who), text="No.")

    assert not Disagreement.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "  "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"text": "No.", "about": "x" * 301}, "about"),
        ({"text": "No.", "kind": "grievance"}, "kind"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_written(cast, changes, field):
    record = shared_record(cast)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        services.disagreement_raise(record=record, by=cast.supervisee, **changes)

    assert list(error.value.message_dict) == [field]
    assert not Disagreement.objects.exists()
    assert AuditEvent.objects.count() == events


# Resolving


@pytest.fixture
def raised(cast) -> Disagreement:
    record = shared_record(cast)
    return services.disagreement_raise(
        record=record, by=cast.supervisee, text="The decision on CF-204981 was not agreed."
    )


@pytest.mark.parametrize(
    "who", ["supervisor", "supervisee", "head_of_service", "director", "colleague", "outsider"]
)
def test_only_the_person_it_was_routed_to_resolves_it(cast, raised, who):
    with pytest.raises(ValidationError, match="Only the manager this disagreement was routed to"):
        services.disagreement_resolve(
            disagreement=raised, by=getattr(cast, who), resolution="Agreed."
        )

    raised.refresh_from_db()
    assert (raised.status, raised.resolution) == (DisagreementStatus.OPEN, "")


def test_the_resolution_is_recorded_shown_to_both_and_never_changes(cast, raised):
    notices = Notice.objects.count()

    resolved = services.disagreement_resolve(
        disagreement=raised,
        by=cast.manager,
        resolution="Discussed with both: the step-up stands; the record adds the reason.",
    )

    stored = Disagreement.objects.get(pk=raised.pk)
    assert (stored.status, stored.resolved_by, stored.resolution) == (
        DisagreementStatus.RESOLVED,
        cast.manager,
        "Discussed with both: the step-up stands; the record adds the reason.",
    )
    assert stored.resolved_at is not None
    assert list(selectors.disagreements_to_resolve(person=cast.manager)) == []
    told = Notice.objects.order_by("pk")[notices:]
    assert sorted(n.user.email for n in told) == ["sam@riverside.test", "sue@riverside.test"]
    assert all("resolved the disagreement" in n.text for n in told)
    assert AuditEvent.objects.filter(action="record.disagreement_resolved").count() == 1

    with pytest.raises(ValidationError, match="already been resolved"):
        services.disagreement_resolve(disagreement=resolved, by=cast.manager, resolution="Again")
    with pytest.raises(ImmutableRecordError):
        resolved.resolution = "Something else"
        resolved.save()
    with pytest.raises(ImmutableRecordError):
        stored.status = DisagreementStatus.OPEN
        stored.save()
    with pytest.raises(ImmutableRecordError):
        Disagreement.objects.filter(pk=raised.pk).update(resolution="Something else")
    with pytest.raises(ImmutableRecordError):
        Disagreement.objects.filter(pk=raised.pk).update(text="Something else")
    with pytest.raises(ImmutableRecordError):
        Disagreement.objects.filter(pk=raised.pk).delete()
    final = Disagreement.objects.get(pk=raised.pk)
    assert (final.status, final.text) == (
        DisagreementStatus.RESOLVED,
        "The decision on CF-204981 was not agreed.",
    )
    assert final.resolution.startswith("Discussed with both")


def test_an_open_disagreements_words_never_change_either(cast, raised):
    with pytest.raises(ImmutableRecordError):
        raised.text = "Something milder."
        raised.save()

    assert Disagreement.objects.get(pk=raised.pk).text.startswith("The decision on CF-204981")


@pytest.mark.parametrize(("resolution", "message"), [("  ", "Enter the resolution.")])
def test_an_empty_resolution_is_refused(cast, raised, resolution, message):
    with pytest.raises(ValidationError) as error:
        services.disagreement_resolve(disagreement=raised, by=cast.manager, resolution=resolution)

    assert error.value.message_dict == {"resolution": [message]}
    assert Disagreement.objects.get(pk=raised.pk).status == DisagreementStatus.OPEN


def test_the_person_it_is_routed_to_reads_the_record_without_welfare(cast):
    chief = person(cast.organisation, "Cath", "Chief")
    RoleGrantFactory(person=chief, role=Role.SENIOR_LEADER)
    record = record_between(cast, cast.director, cast.head_of_service)
    assert selectors.record_access(chief, record) == selectors.NO_ACCESS
    assert record not in selectors.readable_records(person=chief)

    disagreement = services.disagreement_raise(
        record=record, by=cast.head_of_service, text="The objectives were not agreed."
    )

    access = selectors.record_access(chief, record)
    assert (access.level, access.reason) == (selectors.Level.WITHOUT_WELFARE, "disagreement")
    assert not access.reads_welfare
    assert list(selectors.readable_records(person=chief)) == [record]
    assert list(selectors.disagreements_to_resolve(person=chief)) == [disagreement]
    services.disagreement_resolve(disagreement=disagreement, by=chief, resolution="Agreed.")
    # Resolved, it stays readable: the resolution sits beside the record.
    assert selectors.record_access(chief, record).level == selectors.Level.WITHOUT_WELFARE
