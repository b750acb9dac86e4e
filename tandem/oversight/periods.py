"""Periods the figures are computed over: a calendar month, a quarter, a financial year (1 April
to 31 March, as councils, trusts and schools report) or any two dates; and the days they are
made of (``zone``, ``midnight``), the first day that counts and how far ahead windows go."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

from tandem.core.dates import long_date

if TYPE_CHECKING:
    from tandem.organisations.models import Organisation

DAY = datetime.timedelta(days=1)
KINDS = ("month", "quarter", "year", "custom")
# No period may be longer than this: five years of history is what Tandem keeps to hand.
MAX_YEARS = 5


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day`` in the organisation's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone())


def horizon(today: datetime.date) -> datetime.date:
    """How far ahead windows are written: the end of the third month from now, so the current
    window (a quarter at most) is whole and the nightly run has room to move it on."""
    return today + relativedelta(months=3, day=31)


def counts_from(organisation: Organisation) -> datetime.date:
    """The first day Tandem's figures count: sessions before it were not recorded here."""
    return organisation.compliance_from or timezone.localdate(organisation.created_at)


class PeriodError(ValueError):
    """A period that cannot be: the message is for the person who asked for it."""


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date
    kind: str = "custom"

    @classmethod
    def month(cls, day: datetime.date) -> Period:
        first = day.replace(day=1)
        return cls(first, first + relativedelta(day=31), "month")

    @classmethod
    def quarter(cls, day: datetime.date) -> Period:
        first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return cls(first, first + relativedelta(months=3) - DAY, "quarter")

    @classmethod
    def year(cls, day: datetime.date) -> Period:
        """The financial year that ``day`` falls in."""
        start_year = day.year if day.month >= 4 else day.year - 1
        first = datetime.date(start_year, 4, 1)
        return cls(first, datetime.date(start_year + 1, 3, 31), "year")

    @classmethod
    def custom(cls, starts_on: datetime.date, ends_on: datetime.date) -> Period:
        if ends_on < starts_on:
            raise PeriodError("The end of the period must be on or after its start.")
        if ends_on >= starts_on + relativedelta(years=MAX_YEARS):
            raise PeriodError("Choose a period of 5 years or less.")
        return cls(starts_on, ends_on, "custom")

    @classmethod
    def of(cls, kind: str, day: datetime.date) -> Period:
        if kind == "quarter":
            return cls.quarter(day)
        if kind == "year":
            return cls.year(day)
        return cls.month(day)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.starts_on:%B %Y}"
        if self.kind == "quarter":
            return f"{self.starts_on:%B} to {self.ends_on:%B %Y}"
        if self.kind == "year":
            return f"{self.starts_on.year} to {self.ends_on.year} (1 April to 31 March)"
        return f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"

    def previous(self) -> Period:
        if self.kind in ("month", "quarter", "year"):
            return Period.of(self.kind, self.starts_on - DAY)
        length = self.ends_on - self.starts_on
        return Period(self.starts_on - length - DAY, self.starts_on - DAY, "custom")

    def next(self) -> Period:
        if self.kind in ("month", "quarter", "year"):
            return Period.of(self.kind, self.ends_on + DAY)
        length = self.ends_on - self.starts_on
        return Period(self.ends_on + DAY, self.ends_on + DAY + length, "custom")

    def due_until(self, today: datetime.date) -> datetime.date:
        """The last day whose windows have ended and count: yesterday at the latest, since a
        window that ends today can still be met today."""
        return min(self.ends_on, today - DAY)

    def months(self) -> list[datetime.date]:
        """The first day of each calendar month the period touches."""
        first = self.starts_on.replace(day=1)
        months = []
        while first <= self.ends_on:
            months.append(first)
            first += relativedelta(months=1)
        return months


def trend_period(period: Period) -> Period:
    """The 12 calendar months ending with the period's last month."""
    last = period.ends_on.replace(day=1)
    return Period(last - relativedelta(months=11), last + relativedelta(day=31), "custom")
