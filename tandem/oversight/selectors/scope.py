"""Whose figures: an organisation, a unit and everything under it, a staff category; and
the unit each person is shown under, one level below."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from tandem.meetings.models import SessionKind
from tandem.organisations.models import (
    Organisation,
    Team,
    TeamKind,
)
from tandem.organisations.selectors import (
    TEAM_DEPTH,
)

DAY = datetime.timedelta(days=1)
# The kinds of session that meet a person's requirement: their own, one to one or ad hoc.
COUNTED_KINDS = [SessionKind.ONE_TO_ONE, SessionKind.AD_HOC]
NO_UNIT = 0  # the group key of people in no team


@dataclass(frozen=True)
class Scope:
    """Whose figures: an organisation, optionally one unit and everything under it, optionally
    one staff category (both as people are now)."""

    organisation: Organisation
    unit: Team | None = None
    staff_category: str = ""

    def in_unit(self, team: str = "team") -> Q:
        """The condition that the team at ``team`` is the scope's unit or under it."""
        condition = Q()
        if self.unit is not None:
            path = team
            for _ in range(TEAM_DEPTH):
                condition |= Q(**{path: self.unit.pk})
                path += "__parent"
        return condition

    def people(self, prefix: str = "") -> Q:
        """The condition that the person at ``prefix`` (e.g. ``"supervisee__"``) is in scope."""
        condition = self.in_unit(f"{prefix}team")
        if self.staff_category:
            condition &= Q(**{f"{prefix}staff_category": self.staff_category})
        return condition

    def grouping(self, prefix: str = "") -> Any:
        """An expression giving the unit each person is shown under, one level below the scope:
        for a unit, its child containing the person's team (the unit itself for people directly
        in it); for the whole organisation, the service above the person's team (the team itself
        where there is no service)."""
        team = f"{prefix}team"
        if self.unit is not None:
            return Case(
                When(**{f"{team}__parent_id": self.unit.pk}, then=F(f"{team}_id")),
                When(**{f"{team}__parent__parent_id": self.unit.pk}, then=F(f"{team}__parent_id")),
                default=Coalesce(F(f"{team}_id"), Value(NO_UNIT)),
                output_field=IntegerField(),
            )
        return Case(
            When(**{f"{team}__kind": TeamKind.SERVICE}, then=F(f"{team}_id")),
            When(**{f"{team}__parent__kind": TeamKind.SERVICE}, then=F(f"{team}__parent_id")),
            default=Coalesce(F(f"{team}_id"), Value(NO_UNIT)),
            output_field=IntegerField(),
        )


def units_named(organisation: Organisation, ids: Iterable[int]) -> dict[int, Team]:
    return {
        t.pk: t
        for t in Team.objects.for_organisation(organisation).filter(pk__in=[i for i in ids if i])
    }
