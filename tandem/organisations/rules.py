"""Object permissions, with `rules`. Pages and the API ask these, never their own checks.

Every predicate starts from the signed-in user's person; a user without one (or of another
organisation) gets nothing. Supervisor and supervisee follow from relationships; admin, HR and
senior leader are explicit grants (RoleGrant).
"""

from __future__ import annotations

from typing import Any

import rules

from . import selectors
from .models import Person, Role, Team


def _person(user: Any) -> Person | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def _role(role: Role) -> rules.Predicate:
    @rules.predicate(name=f"has_role_{role.value}")
    def predicate(user: Any) -> bool:
        person = _person(user)
        return person is not None and selectors.person_has_role(person, role)

    return predicate


is_org_admin = _role(Role.ADMIN)
is_hr = _role(Role.HR)
is_senior_leader = _role(Role.SENIOR_LEADER)


@rules.predicate
def has_person(user: Any) -> bool:
    return _person(user) is not None


@rules.predicate
def same_organisation(user: Any, obj: Any) -> bool:
    person = _person(user)
    return person is not None and obj is not None and obj.organisation_id == person.organisation_id


@rules.predicate
def is_self(user: Any, person: Person) -> bool:
    me = _person(user)
    return me is not None and person is not None and me.pk == person.pk


@rules.predicate
def manages_or_supervises(user: Any, person: Person) -> bool:
    me = _person(user)
    return (
        me is not None
        and person is not None
        and selectors.person_is_managed_by(person=person, manager=me)
    )


@rules.predicate
def manages_in_hierarchy(user: Any, person: Person) -> bool:
    me = _person(user)
    return (
        me is not None
        and person is not None
        and me.pk != person.pk
        and selectors.managed_people(manager=me).filter(pk=person.pk).exists()
    )


@rules.predicate
def manages_team(user: Any, team: Team) -> bool:
    me = _person(user)
    if me is None or team is None:
        return False
    unit: Team | None = selectors.team_with_ancestors(team.pk)
    while unit is not None:
        if unit.manager_id == me.pk:
            return True
        unit = unit.parent
    return False


@rules.predicate
def is_member(user: Any, team: Team) -> bool:
    me = _person(user)
    return me is not None and team is not None and me.team_id == team.pk


@rules.predicate
def may_view_supervisee(user: Any, relationship: Any) -> bool:
    return relationship is not None and user.has_perm(
        "organisations.view_person", relationship.supervisee
    )


is_people_officer = is_org_admin | is_hr
can_see_everyone = is_org_admin | is_hr | is_senior_leader

rules.add_perm("organisations.list_people", can_see_everyone)
rules.add_perm("organisations.list_teams", can_see_everyone)
rules.add_perm("organisations.import_staff", is_people_officer)
rules.add_perm("organisations.manage_roles", is_org_admin)
# Give or take away admin, HR and senior leader for one person (services.roles_set keeps
# at least one admin and stops admins removing their own admin role).
rules.add_perm("organisations.change_roles", same_organisation & is_org_admin)
rules.add_perm(
    "organisations.view_person",
    same_organisation & (is_self | can_see_everyone | manages_or_supervises),
)
rules.add_perm("organisations.change_person", same_organisation & is_people_officer)
# Invitations to set a password: whoever adds people (admins and HR) sends and resends them.
rules.add_perm("organisations.invite_person", same_organisation & is_people_officer)
rules.add_perm(
    "organisations.change_supervisor",
    same_organisation & ~is_self & (is_people_officer | manages_in_hierarchy),
)
rules.add_perm(
    "organisations.view_team",
    same_organisation & (can_see_everyone | manages_team | is_member),
)
# Members see who is in their team; opening each person's page is for those who may see them.
rules.add_perm(
    "organisations.open_team_members", same_organisation & (can_see_everyone | manages_team)
)
rules.add_perm("organisations.view_relationship", same_organisation & may_view_supervisee)
rules.add_perm("organisations.use_api", has_person)
# The working calendar (closure days and term dates): its page and adding to it, for the
# organisation's admins; removing one entry, for an admin of the organisation it belongs to.
rules.add_perm("organisations.manage_calendar", is_org_admin)
# The organisation's settings: admins change them; HR and senior leaders read them.
rules.add_perm("organisations.change_settings", is_org_admin)
rules.add_perm("organisations.view_settings", can_see_everyone)
# The audit trail: the organisation's admins search and export it; nobody changes it.
rules.add_perm("organisations.view_audit", is_org_admin)
rules.add_perm("organisations.change_calendar_entry", same_organisation & is_org_admin)
