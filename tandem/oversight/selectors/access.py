"""Who may oversee what: the whole organisation, or the units a person leads."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from tandem.organisations.models import (
    Organisation,
    Person,
    Role,
    Team,
)
from tandem.organisations.selectors import (
    TEAM_DEPTH,
    managed_people,
    person_has_role,
    teams_managed_by,
)


@dataclass(frozen=True)
class Oversight:
    """What a person may oversee: the whole organisation, or the units they lead (with
    everything under them)."""

    organisation: Organisation
    whole_organisation: bool
    units: tuple[Team, ...]

    @property
    def any(self) -> bool:
        return self.whole_organisation or bool(self.units)


def oversight_of(person: Person | None) -> Oversight | None:
    """Senior leaders and organisation admins oversee the organisation; the manager of a team,
    service or directorate oversees it. Anyone else oversees nothing (None)."""
    if person is None:
        return None
    whole = person_has_role(person, Role.SENIOR_LEADER) or person_has_role(person, Role.ADMIN)
    units = tuple(teams_managed_by(person=person).select_related("parent"))
    access = Oversight(person.organisation, whole, units)
    return access if access.any else None


def units_up(unit: Team) -> list[Team]:
    """The unit and those above it, nearest first (parents loaded: see ``unit_with_parents``)."""
    chain: list[Team] = []
    current: Team | None = unit
    for _ in range(TEAM_DEPTH):
        if current is None:
            break
        chain.append(current)
        current = current.parent
    return chain


def may_oversee_unit(access: Oversight | None, unit: Team) -> bool:
    if access is None or unit.organisation_id != access.organisation.pk:
        return False
    if access.whole_organisation:
        return True
    led = {u.pk for u in access.units}
    return bool(led & {u.pk for u in units_up(unit)})


def units_overseen(access: Oversight | None) -> QuerySet[Team]:
    """The units ``may_oversee_unit`` says yes to, in one query: each unit the person leads and
    those under it, to the depth ``units_up`` walks. tests/test_one_answer.py proves the two
    equal on organisations of every shape."""
    if access is None:
        return Team.objects.none()
    teams = Team.objects.for_organisation(access.organisation)
    if access.whole_organisation:
        return teams
    led = [unit.pk for unit in access.units]
    under = Q(pk__in=led)
    path = "parent"
    for _ in range(TEAM_DEPTH - 1):
        under |= Q(**{f"{path}__in": led})
        path += "__parent"
    return teams.filter(under)


def may_oversee_person(access: Oversight | None, viewer: Person, person: Person) -> bool:
    if access is None or person.organisation_id != access.organisation.pk:
        return False
    if access.whole_organisation:
        return True
    return managed_people(manager=viewer).filter(pk=person.pk).exists()


def unit_with_parents(organisation: Organisation, pk: int) -> Team | None:
    """A unit of this organisation with its parents loaded (for permissions and breadcrumbs)."""
    return (
        Team.objects.for_organisation(organisation)
        .select_related("parent", "parent__parent", "manager")
        .filter(pk=pk)
        .first()
    )
