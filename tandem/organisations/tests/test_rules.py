"""The permission rules, as a table over the cast: (permission, who asks, about what, answer).

Besides the cast: Hana, Riverside's HR officer (no team), and Hillside's own "Wards" team.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tandem.organisations.models import Role
from tandem.organisations.tests.factories import (
    PersonFactory,
    RoleGrantFactory,
    TeamFactory,
    UserFactory,
)

CAST = [
    "director",
    "head_of_service",
    "manager",
    "supervisor",
    "supervisee",
    "colleague",
    "admin",
    "hr",
    "outsider",
]


@pytest.fixture
def world(cast):
    hr = PersonFactory(organisation=cast.organisation, first_name="Hana", last_name="HR")
    RoleGrantFactory(person=hr, role=Role.HR)
    team = cast.supervisee.team
    objects = {name: getattr(cast, name) for name in CAST if name != "hr"}
    objects.update(
        hr=hr,
        team=team,
        other_team=cast.colleague.team,
        service=team.parent,
        directorate=team.parent.parent,
        hillside_team=TeamFactory(organisation=cast.other_organisation, name="Wards"),
        nothing=None,
    )
    return objects


def everyone(perm: str, obj: str, allowed: set[str]) -> list[tuple[str, str, str, bool]]:
    """One row per member of the cast: allowed if named in ``allowed``."""
    return [(perm, who, obj, who in allowed) for who in CAST]


TABLE = [
    *everyone(
        "organisations.view_person",
        "supervisee",
        {"supervisee", "supervisor", "manager", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone(
        "organisations.view_person",
        "supervisor",
        {"supervisor", "manager", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone(
        "organisations.view_person",
        "colleague",
        {"colleague", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone("organisations.view_person", "director", {"director", "admin", "hr"}),
    *everyone("organisations.view_person", "admin", {"admin", "director", "hr"}),
    *everyone("organisations.view_person", "outsider", {"outsider"}),
    # Not oneself, and only people officers or managers above the person in the hierarchy:
    # Sam supervises Sue but manages no unit, so he may not move her.
    *everyone(
        "organisations.change_supervisor",
        "supervisee",
        {"manager", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone(
        "organisations.change_supervisor",
        "supervisor",
        {"manager", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone(
        "organisations.change_supervisor", "manager", {"head_of_service", "director", "admin", "hr"}
    ),
    *everyone(
        "organisations.change_supervisor",
        "colleague",
        {"head_of_service", "director", "admin", "hr"},
    ),
    *everyone("organisations.change_supervisor", "admin", {"hr"}),
    *everyone("organisations.change_supervisor", "director", {"admin", "hr"}),
    *everyone("organisations.change_supervisor", "outsider", set()),
    *everyone(
        "organisations.view_team",
        "team",
        {"supervisee", "supervisor", "manager", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone(
        "organisations.view_team",
        "other_team",
        {"colleague", "head_of_service", "director", "admin", "hr"},
    ),
    *everyone("organisations.view_team", "service", {"head_of_service", "director", "admin", "hr"}),
    *everyone("organisations.view_team", "directorate", {"director", "admin", "hr"}),
    *everyone("organisations.view_team", "hillside_team", {"outsider"}),
    # Without an object: about one's own organisation.
    *everyone("organisations.list_people", "nothing", {"director", "admin", "hr", "outsider"}),
    *everyone("organisations.list_teams", "nothing", {"director", "admin", "hr", "outsider"}),
    *everyone("organisations.import_staff", "nothing", {"admin", "hr", "outsider"}),
    *everyone("organisations.manage_roles", "nothing", {"admin", "outsider"}),
    *everyone("organisations.use_api", "nothing", set(CAST)),
]


@pytest.mark.parametrize(("perm", "who", "obj", "expected"), TABLE)
def test_rule(world, perm, who, obj, expected):
    assert world[who].user.has_perm(perm, world[obj]) is expected


OBJECT_PERMS = [
    ("organisations.view_person", "supervisee"),
    ("organisations.change_supervisor", "supervisee"),
    ("organisations.change_person", "supervisee"),
    ("organisations.view_team", "team"),
    ("organisations.list_people", "nothing"),
    ("organisations.import_staff", "nothing"),
    ("organisations.manage_roles", "nothing"),
    ("organisations.use_api", "nothing"),
]


@pytest.mark.parametrize(("perm", "obj"), OBJECT_PERMS)
def test_no_person_no_permission(world, perm, obj):
    """Signed out, a login without a staff record, or a deactivated login: nothing."""
    assert not AnonymousUser().has_perm(perm, world[obj])
    assert not UserFactory().has_perm(perm, world[obj])
    admin = world["admin"].user
    admin.is_active = False
    admin.save()
    assert not admin.has_perm(perm, world[obj])


@pytest.mark.parametrize("who", CAST)
def test_only_people_officers_change_a_persons_record(world, who):
    allowed = who in {"admin", "hr"}
    assert world[who].user.has_perm("organisations.change_person", world["supervisee"]) is allowed
    assert not world[who].user.has_perm(
        "organisations.change_person", world["outsider" if who != "outsider" else "supervisee"]
    )
