"""Working days: weekends, the bank holidays of the organisation's nation (with substitute days),
the organisation's own closure days and, for schools, term time.

``WorkingCalendar`` is plain data and pure functions, so the schedule, record deadlines and their
tests use it without a database; ``calendar_for(organisation)`` builds one from the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import holidays

# The organisation's nation, as the `holidays` package names the UK's subdivisions.
SUBDIVISIONS = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern_ireland": "NIR",
}
DAY = datetime.timedelta(days=1)


@cache
def bank_holidays(nation: str, year: int) -> frozenset[datetime.date]:
    """The nation's bank holidays in a year, substitute days included."""
    return frozenset(holidays.UK(subdiv=SUBDIVISIONS[nation], years=year, observed=True))


@dataclass(frozen=True)
class TermPeriod:
    """A stretch of teaching between breaks: a half term. ``term`` groups them into terms."""

    name: str
    term: str
    starts_on: datetime.date
    ends_on: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class WorkingCalendar:
    nation: str = "england"
    closures: frozenset[datetime.date] = frozenset()
    # Set for organisations that work in term time only (schools); empty means all year.
    terms: tuple[TermPeriod, ...] = field(default=())

    def is_bank_holiday(self, day: datetime.date) -> bool:
        return day in bank_holidays(self.nation, day.year)

    def in_term(self, day: datetime.date) -> bool:
        return not self.terms or any(day in period for period in self.terms)

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and not self.is_bank_holiday(day)
            and day not in self.closures
            and self.in_term(day)
        )

    def day_off(self, day: datetime.date) -> str | None:
        """Why ``day`` is not a working day, in words ("a weekend day", "a bank holiday: Boxing
        Day (substitute day)"), or None on a working day: what a form says before booking it."""
        if day.weekday() >= 5:
            return "a weekend day"
        if self.is_bank_holiday(day):
            name = holidays.UK(subdiv=SUBDIVISIONS[self.nation], years=day.year).get(day)
            name = (name or "").replace("(observed)", "(substitute day)")
            return f"a bank holiday: {name}" if name else "a bank holiday"
        if day in self.closures:
            return "one of the organisation's closure days"
        if not self.in_term(day):
            return "outside term time"
        return None

    def working_days(self, start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
        """Working days from ``start`` to ``end``, both included."""
        day = start
        while day <= end:
            if self.is_working_day(day):
                yield day
            day += DAY

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The working day ``days`` working days after ``start`` (a record due 10 working days
        after a session). Zero gives ``start`` itself if it is a working day, else the next."""
        day = start
        if days == 0:
            return self.next_working_day(start)
        counted = 0
        while counted < days:
            day += DAY
            if self.is_working_day(day):
                counted += 1
            if (day - start).days > 3660:
                raise ValueError("No working days within ten years: check the calendar.")
        return day

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """``day`` if it is a working day, otherwise the first one after it."""
        for offset in range(3660):
            candidate = day + offset * DAY
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("No working days within ten years: check the calendar.")

    def previous_working_day(self, day: datetime.date) -> datetime.date:
        for offset in range(3660):
            candidate = day - offset * DAY
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("No working days within ten years: check the calendar.")

    def term_of(self, day: datetime.date) -> TermPeriod | None:
        return next((period for period in self.terms if day in period), None)


def calendar_for(organisation: Any, *, term_time_only: bool | None = None) -> WorkingCalendar:
    """The organisation's calendar from the database. Schools work in term time when they have
    entered their term dates."""
    from .models import ClosureDay, TermDate

    closures = frozenset(
        ClosureDay.objects.filter(organisation=organisation).values_list("date", flat=True)
    )
    terms: Iterable[TermPeriod] = ()
    if term_time_only is None:
        term_time_only = getattr(organisation, "sector", "") == "school"
    if term_time_only:
        terms = tuple(
            TermPeriod(t.name, t.term, t.starts_on, t.ends_on)
            for t in TermDate.objects.filter(organisation=organisation).order_by("starts_on")
        )
    return WorkingCalendar(nation=organisation.nation, closures=closures, terms=tuple(terms))
