"""What a dashboard, an export or the API is asked for, read from query parameters once for all
of them: the unit (``unit``), the staff category (``category``) and the period (``period`` =
month, quarter, year or custom; ``date`` = a day in it; ``from`` and ``to`` for custom).

Bad values never fail the page: each is replaced by its default and named in ``errors`` (the
API answers 422 with them instead). A unit the person may not oversee is a 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django.http import Http404

from tandem.organisations.models import Person, StaffCategory, Team, TeamKind

from .periods import KINDS, Period, PeriodError
from .selectors import Oversight, Scope, may_oversee_unit, unit_with_parents


@dataclass(frozen=True)
class Choice:
    scope: Scope
    period: Period
    today: datetime.date
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def unit(self) -> Team | None:
        return self.scope.unit

    def params(self, **changes: Any) -> dict[str, str]:
        """The query parameters that ask for this choice again (with ``changes``)."""
        values: dict[str, str] = {"period": self.period.kind}
        if self.period.kind == "custom":
            values["from"] = self.period.starts_on.isoformat()
            values["to"] = self.period.ends_on.isoformat()
        else:
            values["date"] = self.period.starts_on.isoformat()
        if self.scope.unit is not None:
            values["unit"] = str(self.scope.unit.pk)
        if self.scope.staff_category:
            values["category"] = self.scope.staff_category
        for key, value in changes.items():
            if value is None or value == "":
                values.pop(key, None)
            else:
                values[key] = str(value)
        return values

    def query(self, **changes: Any) -> str:
        return "?" + urlencode(self.params(**changes))


# Dates outside these years are refused: the trend and the previous and next periods of a date
# near the ends of the calendar would not exist.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def default_day(today: datetime.date) -> datetime.date:
    """The last whole month: on the first of the month, last month is what a manager wants."""
    return today.replace(day=1) - relativedelta(months=1)


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value.strip())


def read_period(params: Mapping[str, Any], today: datetime.date, errors: dict[str, str]) -> Period:
    kind = str(params.get("period") or "month")
    if kind not in KINDS:
        errors["period"] = "Choose a month, a quarter, a year or your own dates."
        kind = "month"
    if kind == "custom":
        try:
            first, last = _date(str(params.get("from", ""))), _date(str(params.get("to", "")))
            if not FIRST_YEAR <= min(first, last).year <= max(first, last).year <= LAST_YEAR:
                errors["from"] = f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}."
                return Period.month(default_day(today))
            return Period.custom(first, last)
        except PeriodError as error:
            errors["to"] = str(error)
        except ValueError:
            errors["from"] = "Enter the first and last days of the period as dates."
        return Period.month(default_day(today))
    day = default_day(today)
    if params.get("date"):
        try:
            day = _date(str(params["date"]))
        except ValueError:
            errors["date"] = "Enter a day in the period you want as a date, like 2026-10-01."
        else:
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                errors["date"] = f"Enter a date between {FIRST_YEAR} and {LAST_YEAR}."
                day = default_day(today)
    return Period.of(kind, day)


# Directorates first, then services, then teams.
KIND_ORDER = {TeamKind.DIRECTORATE: 0, TeamKind.SERVICE: 1, TeamKind.TEAM: 2}


def widest_unit(access: Oversight) -> Team:
    """The highest unit the person leads (a head of service who also manages a team under it
    gets the service); of two at the same level, the first by name."""
    return min(access.units, key=lambda u: (KIND_ORDER.get(TeamKind(u.kind), 9), u.name, u.pk))


def read_choice(
    params: Mapping[str, Any],
    *,
    access: Oversight,
    person: Person,
    today: datetime.date,
    unit: Team | None = None,
) -> Choice:
    """The scope and period asked for. ``unit`` (from the URL) wins over the ``unit``
    parameter; without either, the whole organisation for those who may see it, else the
    first unit the person leads. Raises Http404 for a unit they may not oversee."""
    errors: dict[str, str] = {}
    period = read_period(params, today, errors)
    if unit is None and params.get("unit"):
        raw = str(params["unit"])
        valid = raw.isascii() and raw.isdigit() and len(raw) <= 18
        unit = unit_with_parents(access.organisation, int(raw)) if valid else None
        if unit is None:
            raise Http404("No such team.")
    if unit is None and not access.whole_organisation:
        unit = widest_unit(access)
    if unit is not None and not may_oversee_unit(access, unit):
        raise Http404("No such team.")
    category = str(params.get("category") or "")
    if category and category not in StaffCategory.values:
        errors["category"] = "Choose a staff category from the list."
        category = ""
    scope = Scope(access.organisation, unit, category)
    return Choice(scope=scope, period=period, today=today, errors=errors)
