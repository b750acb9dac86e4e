"""Whose figures: a unit and everything under it, a staff category, grouping one level down,
person by person; never another organisation's."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from tandem.organisations.models import StaffCategory, TeamKind
from tandem.oversight import selectors
from tandem.oversight.periods import Period
from tandem.oversight.selectors import NO_UNIT, Scope
from tandem.oversight.services.windows import windows_refresh

from .factories import at, counting_from, held, organisation, person, record, unit

pytestmark = [pytest.mark.django_db, pytest.mark.dated]

TODAY = date(2025, 3, 10)
FEBRUARY = Period.month(date(2025, 2, 1))


@pytest.fixture
def tree():
    """Children's Services (a directorate) with two services and a team straight under it:

    Children's Services: Dee (directly in it)
      Safeguarding (service): Hana (directly in it)
        Assessment: Abe (met), Amy (missed)
        Fostering: Fay, a practice supervisor (met)
      Early Help (service)
        Family Support: Eve (met)
      Quality (a team with no service): Quinn (missed)
    Nobody's team: Ned (missed)

    Every one of them a monthly social worker: one window in February each. Another
    organisation has three people, all met, who must never show.
    """
    org = counting_from(organisation("Scope Council"), date(2025, 1, 1))
    d = unit(org, "Children's Services", TeamKind.DIRECTORATE)
    s1 = unit(org, "Safeguarding", TeamKind.SERVICE, parent=d)
    s2 = unit(org, "Early Help", TeamKind.SERVICE, parent=d)
    t1 = unit(org, "Assessment", parent=s1)
    t2 = unit(org, "Fostering", parent=s1)
    t3 = unit(org, "Family Support", parent=s2)
    t4 = unit(org, "Quality", parent=d)
    people = SimpleNamespace(
        dee=person(org, team=d, first_name="Dee"),
        hana=person(org, team=s1, first_name="Hana"),
        abe=person(org, team=t1, first_name="Abe"),
        amy=person(org, team=t1, first_name="Amy"),
        fay=person(
            org, team=t2, first_name="Fay", staff_category=StaffCategory.PRACTICE_SUPERVISOR
        ),
        eve=person(org, team=t3, first_name="Eve"),
        quinn=person(org, team=t4, first_name="Quinn"),
        ned=person(org, first_name="Ned"),
    )
    windows_refresh(org, today=TODAY)
    for who in (people.abe, people.fay, people.eve):
        held(who, people.dee, date(2025, 2, 12))
    record(held(people.hana, people.dee, date(2025, 2, 12)), shared_at=at(date(2025, 2, 13)))

    other = counting_from(organisation(name="Other Trust"), date(2025, 1, 1))
    their_team = unit(other, "Assessment")
    boss = person(other, team=their_team)
    theirs = [boss] + [person(other, team=their_team) for _ in range(3)]
    for who in theirs[1:]:
        record(held(who, boss, date(2025, 2, 12)), shared_at=at(date(2025, 2, 13)))
    windows_refresh(other, today=TODAY)
    return SimpleNamespace(
        org=org,
        other=other,
        theirs={p.pk for p in theirs},
        their_team=their_team,
        d=d,
        s1=s1,
        s2=s2,
        t1=t1,
        t2=t2,
        t3=t3,
        t4=t4,
        p=people,
    )


def counts(figures) -> tuple[int, int, int]:
    return (figures.required, figures.met, figures.staff)


def test_a_unit_counts_everyone_under_it(tree):
    def at_unit(u=None, category=""):
        return counts(selectors.figures(Scope(tree.org, u, category), FEBRUARY, TODAY))

    assert at_unit(tree.t1) == (2, 1, 2)  # Abe (met), Amy
    assert at_unit(tree.s1) == (4, 3, 4)  # Abe, Amy, Fay, Hana
    assert at_unit(tree.d) == (7, 4, 7)  # all but Ned
    assert at_unit() == (8, 4, 8)  # all eight; nobody from the other organisation
    assert at_unit(category=StaffCategory.PRACTICE_SUPERVISOR) == (1, 1, 1)  # Fay
    assert at_unit(tree.t1, StaffCategory.PRACTICE_SUPERVISOR) == (0, 0, 0)
    whole = selectors.figures(Scope(tree.org), FEBRUARY, TODAY)
    assert (whole.held, whole.records, whole.shared_on_time) == (4, 1, 1)


def test_by_unit_groups_one_level_below_the_scope(tree):
    def grouped(u=None):
        rows = selectors.figures_by(Scope(tree.org, u), FEBRUARY, TODAY, by="unit")
        return {key: (f.required, f.met) for key, f in rows.items()}

    # A service: its teams side by side, and Hana (directly in the service) under it.
    assert grouped(tree.s1) == {tree.t1.pk: (2, 1), tree.t2.pk: (1, 1), tree.s1.pk: (1, 1)}
    # The directorate: its services, the team with no service, and Dee under it.
    by_service = {
        tree.s1.pk: (4, 3),
        tree.s2.pk: (1, 1),
        tree.t4.pk: (1, 0),
        tree.d.pk: (1, 0),
    }
    assert grouped(tree.d) == by_service
    # The organisation: services (a team with no service on its own), and Ned in no team.
    assert grouped() == {**by_service, NO_UNIT: (1, 0)}
    # A team: just itself.
    assert grouped(tree.t1) == {tree.t1.pk: (2, 1)}

    # Every figure adds up to the headline, staff and records too.
    rows = selectors.figures_by(Scope(tree.org), FEBRUARY, TODAY, by="unit")
    headline = selectors.figures(Scope(tree.org), FEBRUARY, TODAY)
    assert sum(f.staff for f in rows.values()) == headline.staff
    assert rows[tree.s1.pk].records == 1
    assert rows[tree.s1.pk].held == 3

    named = selectors.units_named(tree.org, [*rows, tree.other.pk * 1000])
    assert {t.name for t in named.values()} == {
        "Safeguarding",
        "Early Help",
        "Quality",
        "Children's Services",
    }


def test_by_person_for_the_people_asked_about(tree):
    p = tree.p
    rows = selectors.figures_by(
        Scope(tree.org, tree.t1), FEBRUARY, TODAY, by="person", people=[p.abe.pk, p.amy.pk]
    )
    assert {key: (f.required, f.met, f.missed, f.held) for key, f in rows.items()} == {
        p.abe.pk: (1, 1, 0, 1),
        p.amy.pk: (1, 0, 1, 0),
    }
    everyone = selectors.figures_by(Scope(tree.org), FEBRUARY, TODAY, by="person")
    assert set(everyone) == {vars(p)[name].pk for name in vars(p)}
    # Outside the scope, even when asked for: nothing.
    asked = selectors.figures_by(
        Scope(tree.org, tree.t1), FEBRUARY, TODAY, by="person", people=[p.eve.pk]
    )
    assert asked == {}


def test_the_other_organisation_counts_only_its_own(tree):
    theirs = selectors.figures(Scope(tree.other), FEBRUARY, TODAY)
    # Four people (the boss and three), each a February window; three held and met.
    assert (theirs.required, theirs.met, theirs.held, theirs.records) == (4, 3, 3, 3)
    ours = selectors.figures_by(Scope(tree.org), FEBRUARY, TODAY, by="person")
    assert not set(ours) & tree.theirs
    # Asking for their people by id through our scope gives nothing.
    asked = selectors.figures_by(
        Scope(tree.org), FEBRUARY, TODAY, by="person", people=sorted(tree.theirs)
    )
    assert asked == {}
    # Their team is never named among ours.
    assert selectors.units_named(tree.org, [tree.their_team.pk]) == {}


def test_exception_lists_stay_in_scope(tree):
    missed = list(selectors.missed_windows(Scope(tree.org, tree.s1), FEBRUARY, TODAY))
    assert [row["person_id"] for row in missed] == [tree.p.amy.pk]
    assert missed[0]["first_missed"] == date(2025, 2, 28)
    everywhere = selectors.missed_windows(Scope(tree.org), FEBRUARY, TODAY)
    assert {row["person_id"] for row in everywhere} == {
        tree.p.amy.pk,
        tree.p.quinn.pk,
        tree.p.dee.pk,
        tree.p.ned.pk,
    }


def test_who_may_oversee_what(cast):
    team = cast.manager.team
    service = team.parent
    fostering = cast.colleague.team
    director = selectors.oversight_of(cast.director)
    head = selectors.oversight_of(cast.head_of_service)
    manager = selectors.oversight_of(cast.manager)

    admin = selectors.oversight_of(cast.admin)
    assert director is not None and director.whole_organisation
    assert admin is not None and admin.whole_organisation
    assert selectors.oversight_of(cast.supervisee) is None
    assert selectors.oversight_of(None) is None
    assert selectors.may_oversee_unit(head, fostering) and selectors.may_oversee_unit(head, team)
    assert selectors.may_oversee_unit(manager, team)
    assert not selectors.may_oversee_unit(manager, fostering)
    assert not selectors.may_oversee_unit(manager, service)
    assert selectors.may_oversee_person(manager, cast.manager, cast.supervisee)
    assert not selectors.may_oversee_person(manager, cast.manager, cast.colleague)
    assert selectors.may_oversee_person(head, cast.head_of_service, cast.colleague)
    outsider = selectors.oversight_of(cast.outsider)
    assert not selectors.may_oversee_unit(outsider, team)
    assert not selectors.may_oversee_person(outsider, cast.outsider, cast.supervisee)
    assert not selectors.may_oversee_person(director, cast.director, cast.outsider)
