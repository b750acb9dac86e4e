"""API operations on people, teams and supervision relationships. Thin: check, select, serve."""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages

from . import selectors, services
from .access import PersonRequest, get_scoped_or_404
from .models import Person, StaffCategory, SupervisionKind, SupervisionRelationship, Team

router = Router(tags=["organisations"])


class TeamRef(Schema):
    id: int
    name: str
    kind: str


class PersonRef(Schema):
    id: int
    full_name: str
    job_title: str


class PersonOut(Schema):
    id: int
    staff_number: str
    first_name: str
    last_name: str
    full_name: str
    email: str
    job_title: str
    staff_category: str
    team: TeamRef | None
    employment_start: datetime.date | None
    asye_start: datetime.date | None
    asye_end: datetime.date | None
    probation_end: datetime.date | None
    registration_number: str
    left_on: datetime.date | None


class TeamMemberOut(Schema):
    """What a team page shows of a member: enough to know who is who, nothing personal."""

    id: int
    full_name: str
    job_title: str
    staff_category: str


class TeamOut(Schema):
    id: int
    name: str
    kind: str
    parent: TeamRef | None
    manager: PersonRef | None
    member_count: int


class RelationshipOut(Schema):
    id: int
    kind: str
    supervisee: PersonRef
    supervisor: PersonRef
    starts_on: datetime.date
    ends_on: datetime.date | None


class ChainLinkOut(Schema):
    role: str
    label: str
    person: PersonRef


class OrganisationOut(Schema):
    id: int
    name: str
    nation: str
    sector: str
    record_deadline_working_days: int


class MeOut(Schema):
    person: PersonOut
    organisation: OrganisationOut
    roles: list[str]
    supervisors: list[RelationshipOut]
    supervisees: list[RelationshipOut]


class PeopleFilter(Schema):
    q: str = Field("", max_length=200, description="Words in the name, email or job title.")
    category: StaffCategory | None = None


class TeamFilter(Schema):
    q: str = Field("", max_length=200)


class SupervisorIn(Schema):
    supervisor_id: int
    kind: SupervisionKind = SupervisionKind.LINE
    starts_on: datetime.date | None = Field(None, description="Defaults to today.")


class RelationshipEndIn(Schema):
    ends_on: datetime.date


class ErrorOut(Schema):
    detail: Any


# Every operation may answer these; each carries a "detail" that says what went wrong.
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


def _require(request: PersonRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _person(request: PersonRequest, pk: int, perm: str = "organisations.view_person") -> Person:
    return get_scoped_or_404(request, Person.objects.select_related("team", "user"), perm, pk=pk)


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who I am and my supervision")
def me(request: PersonRequest) -> dict[str, Any]:
    person: Person = request.person
    return {
        "person": person,
        "organisation": person.organisation,
        "roles": sorted(person.granted_roles),
        "supervisors": list(selectors.relationships_of_supervisee(person=person)),
        "supervisees": list(selectors.relationships_of_supervisor(person=person)),
    }


@router.get(
    "/people", response={200: list[PersonOut], **ERRORS}, summary="People in my organisation"
)
@paginate(ApiPages)
def people(request: PersonRequest, filters: Query[PeopleFilter]) -> Any:
    _require(request, "organisations.list_people")
    return selectors.person_list(
        organisation=request.person.organisation,
        search=filters.q,
        staff_category=filters.category or "",
    )


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS})
def person(request: PersonRequest, person_id: int) -> Person:
    return _person(request, person_id)


@router.get(
    "/people/{person_id}/escalation-chain",
    response={200: list[ChainLinkOut], **ERRORS},
    summary="Whom a disagreement goes to, in order",
)
def escalation_chain(request: PersonRequest, person_id: int) -> Any:
    return selectors.person_escalation_chain(person=_person(request, person_id))


@router.get(
    "/people/{person_id}/relationships",
    response={200: list[RelationshipOut], **ERRORS},
    summary="Every supervision relationship of a person, newest first",
)
@paginate(ApiPages)
def relationships(request: PersonRequest, person_id: int) -> Any:
    return selectors.relationship_history(person=_person(request, person_id)).select_related(
        "supervisee", "supervisor"
    )


@router.post(
    "/people/{person_id}/supervisors",
    response={201: RelationshipOut, **ERRORS},
    summary="Give a person a new supervisor; the current one of that kind ends the day before",
)
def supervisor_change(request: PersonRequest, person_id: int, payload: SupervisorIn) -> Any:
    supervisee = _person(request, person_id, "organisations.change_supervisor")
    supervisor = (
        Person.objects.for_organisation(supervisee.organisation_id)
        .filter(pk=payload.supervisor_id)
        .first()
    )
    if supervisor is None:
        return Status(400, {"detail": {"supervisor_id": ["No such person in your organisation."]}})
    relationship = services.relationship_start(
        supervisee=supervisee,
        supervisor=supervisor,
        kind=payload.kind,
        starts_on=payload.starts_on or timezone.localdate(),
        by=request.person,
    )
    return Status(201, relationship)


@router.post(
    "/relationships/{relationship_id}/end",
    response={200: RelationshipOut, **ERRORS},
    summary="End a supervision relationship on a given (inclusive) day",
)
def relationship_end(
    request: PersonRequest, relationship_id: int, payload: RelationshipEndIn
) -> Any:
    relationship = get_scoped_or_404(
        request,
        SupervisionRelationship.objects.select_related("supervisee", "supervisor"),
        "organisations.view_relationship",
        pk=relationship_id,
    )
    if not request.user.has_perm("organisations.change_supervisor", relationship.supervisee):
        raise PermissionDenied
    return services.relationship_end(
        relationship=relationship, ends_on=payload.ends_on, by=request.person
    )


def _teams_with_counts() -> Any:
    return Team.objects.select_related("manager", "parent").annotate(
        member_count=Count("members", distinct=True)
    )


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, summary="Teams in my organisation")
@paginate(ApiPages)
def teams(request: PersonRequest, filters: Query[TeamFilter]) -> Any:
    _require(request, "organisations.list_teams")
    return selectors.team_list(organisation=request.person.organisation, search=filters.q)


@router.get("/teams/{team_id}", response={200: TeamOut, **ERRORS})
def team(request: PersonRequest, team_id: int) -> Team:
    return get_scoped_or_404(request, _teams_with_counts(), "organisations.view_team", pk=team_id)


@router.get(
    "/teams/{team_id}/members",
    response={200: list[TeamMemberOut], **ERRORS},
    summary="A team's members: names, job titles and staff categories",
)
@paginate(ApiPages)
def team_members(request: PersonRequest, team_id: int) -> Any:
    unit = get_scoped_or_404(request, Team.objects.all(), "organisations.view_team", pk=team_id)
    return selectors.team_members(team=unit).select_related("team", "user")
