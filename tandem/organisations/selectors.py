"""Reads about organisations, teams and people. Every function is scoped to one organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.core.scoping import across_organisations

from .models import (
    Organisation,
    Person,
    Role,
    Sector,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)

# How far up the hierarchy any query reaches: directorate > service > team.
TEAM_DEPTH = 3


def person_for_user(user: Any) -> Person | None:
    """The signed-in user's person, with what every page needs, in one query."""
    if not getattr(user, "is_authenticated", False):
        return None
    # Someone who has left keeps their records but no longer works in Tandem.
    # Whether they lead a unit rides along: the navigation asks on every page.
    with across_organisations("who is signed in, and so which organisation", routine=True):
        return (
            Person.objects.select_related("organisation", "team", "user")
            .annotate(leads_a_unit=Exists(Team.objects.filter(manager=OuterRef("pk"))))
            .current()
            .filter(user=user, user__is_active=True)
            .first()
        )


def person_list(
    *,
    organisation: Organisation,
    search: str = "",
    team: Team | None = None,
    staff_category: str = "",
    never_signed_in: bool = False,
) -> QuerySet[Person]:
    people = Person.objects.for_organisation(organisation).select_related("team", "user")
    if never_signed_in:
        people = people.current().filter(user__last_login__isnull=True)
    for word in search.split():
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(staff_number__iexact=word)
            | Q(user__email__icontains=word)
            | Q(job_title__icontains=word)
        )
    if team is not None:
        people = people.filter(team=team)
    if staff_category:
        people = people.filter(staff_category=staff_category)
    return people.order_by("last_name", "first_name", "id")


def team_list(*, organisation: Organisation, search: str = "") -> QuerySet[Team]:
    teams = (
        Team.objects.for_organisation(organisation)
        .select_related("manager", "parent", "parent__parent")
        .annotate(member_count=Count("members", distinct=True))
    )
    for word in search.split():
        teams = teams.filter(
            Q(name__icontains=word)
            | Q(manager__first_name__icontains=word)
            | Q(manager__last_name__icontains=word)
        )
    return teams.order_by("name", "id")


def team_members(*, team: Team) -> QuerySet[Person]:
    return (
        Person.objects.for_organisation(team.organisation_id)
        .filter(team=team)
        .select_related("user")
        .order_by("last_name", "first_name")
    )


def relationships_of_supervisee(
    *, person: Person, on: datetime.date | None = None
) -> QuerySet[SupervisionRelationship]:
    """The person's current supervisors, one per kind of supervision."""
    return (
        SupervisionRelationship.objects.for_organisation(person.organisation_id)
        .current(on)
        .filter(supervisee=person)
        .select_related("supervisor", "supervisor__user", "supervisor__team")
        .order_by("kind")
    )


def relationships_of_supervisor(
    *, person: Person, on: datetime.date | None = None
) -> QuerySet[SupervisionRelationship]:
    """The people this person supervises now."""
    return (
        SupervisionRelationship.objects.for_organisation(person.organisation_id)
        .current(on)
        .filter(supervisor=person)
        .select_related("supervisee", "supervisee__user", "supervisee__team")
        .order_by("supervisee__last_name", "supervisee__first_name")
    )


def relationship_history(*, person: Person) -> QuerySet[SupervisionRelationship]:
    """Every relationship the person has had, either side, newest first."""
    return (
        SupervisionRelationship.objects.for_organisation(person.organisation_id)
        .filter(Q(supervisee=person) | Q(supervisor=person))
        .select_related("supervisee", "supervisor")
        .order_by("-starts_on", "-id")
    )


def team_with_ancestors(team_id: int | None) -> Team | None:
    """A team with its parents and their managers loaded, so walking up costs no queries."""
    if team_id is None:
        return None
    related = []
    prefix = ""
    for _ in range(TEAM_DEPTH):
        related += [f"{prefix}manager", f"{prefix}manager__user"]
        prefix += "parent__"
    related += [prefix.rstrip("_"), "organisation"]
    return Team.objects.select_related(*related).filter(pk=team_id).first()


@dataclass(frozen=True)
class ChainLink:
    """One step up the escalation chain: who, and in what capacity."""

    role: str
    label: str
    person: Person


CHAIN_LABELS = {
    "supervisor": "Supervisor",
    TeamKind.TEAM: "Team manager",
    TeamKind.SERVICE: "Head of service",
    TeamKind.DIRECTORATE: "Assistant director",
}
# A school's units are led by people with a school's titles; the chain's order is the same.
SCHOOL_CHAIN_LABELS = {
    **CHAIN_LABELS,
    TeamKind.TEAM: "Team leader",
    TeamKind.SERVICE: "Senior leader",
    TeamKind.DIRECTORATE: "Headteacher",
}


def person_escalation_chain(*, person: Person, on: datetime.date | None = None) -> list[ChainLink]:
    """Whom a disagreement goes to, in order: supervisor, team manager, head of service,
    assistant director.

    The supervisor is the current line-management supervisor (or, without one, the current
    professional or clinical supervisor); the others are the managers of the person's team and
    of the units above it. Nobody appears twice and the person never appears in their own
    chain: a team manager's chain starts above their own team. Two queries, whatever the size.
    """
    chain: list[ChainLink] = []
    seen = {person.pk}
    relationships = sorted(
        relationships_of_supervisee(person=person, on=on),
        key=lambda r: list(SupervisionKind.values).index(r.kind),
    )
    if relationships:
        supervisor = relationships[0].supervisor
        chain.append(ChainLink("supervisor", CHAIN_LABELS["supervisor"], supervisor))
        seen.add(supervisor.pk)
    unit = team_with_ancestors(person.team_id)
    labels = (
        SCHOOL_CHAIN_LABELS
        if unit is not None and unit.organisation.sector == Sector.SCHOOL
        else CHAIN_LABELS
    )
    while unit is not None:
        manager = unit.manager
        if manager is not None and manager.pk not in seen:
            role = (
                "team_manager"
                if unit.kind == TeamKind.TEAM
                else ("head_of_service" if unit.kind == TeamKind.SERVICE else "assistant_director")
            )
            chain.append(ChainLink(role, labels[unit.kind], manager))
            seen.add(manager.pk)
        unit = unit.parent
    return chain


def managed_people(*, manager: Person) -> QuerySet[Person]:
    """Everyone in the units this person manages, at any depth below them."""
    in_managed_unit = Q()
    prefix = "team__"
    for _ in range(TEAM_DEPTH):
        in_managed_unit |= Q(**{f"{prefix}manager": manager})
        prefix += "parent__"
    return Person.objects.for_organisation(manager.organisation_id).filter(in_managed_unit)


def person_is_managed_by(*, person: Person, manager: Person) -> bool:
    """True if ``manager`` is above ``person`` in the hierarchy or supervises them now."""
    if person.organisation_id != manager.organisation_id or person.pk == manager.pk:
        return False
    return (
        managed_people(manager=manager).filter(pk=person.pk).exists()
        or relationships_of_supervisee(person=person).filter(supervisor=manager).exists()
    )


def person_has_role(person: Person, role: Role | str) -> bool:
    return str(role) in person.granted_roles


def person_is_supervisor(person: Person) -> bool:
    return relationships_of_supervisor(person=person).exists()


def teams_managed_by(*, person: Person) -> QuerySet[Team]:
    """The units this person leads, directorate, service or team."""
    return (
        Team.objects.for_organisation(person.organisation_id)
        .filter(manager=person)
        .order_by("name")
    )


def person_is_manager(person: Person) -> bool:
    """Whether the person leads a unit: no query for the signed-in person (``person_for_user``
    loads it with them)."""
    known = getattr(person, "leads_a_unit", None)
    if known is not None:
        return bool(known)
    return Team.objects.for_organisation(person.organisation_id).filter(manager=person).exists()


def today() -> datetime.date:
    return timezone.localdate()
