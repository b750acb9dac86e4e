"""The ASYE's calendar: when each point of the programme falls, once pauses and part-time
working are counted. Plain functions on plain data; no database.

An NQSW accrues ASYE time day by day: a whole day for each day in post, nothing during a pause
(sickness, parental leave), and a share of a day while working part time (at 60%, 0.6 of a day).
Month ``m`` of the programme is reached on the day the time accrued equals what ``m`` calendar
months from the start would hold without pauses, so a pause of 20 days pushes every later date
back by 20 days, and a year at 60% takes 20 months.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta

ONE_DAY = datetime.timedelta(days=1)
# However long the pauses, the walk stops here: ten years is no ASYE.
LONGEST = datetime.timedelta(days=3660)


@dataclass(frozen=True)
class Pause:
    """From ``starts_on`` to ``ends_on`` (both included), the NQSW accrues ``rate`` of a day for
    each day: 0 for a pause, their working share for part-time working."""

    starts_on: datetime.date
    ends_on: datetime.date
    rate: Decimal = Decimal(0)


def _rate(day: datetime.date, pauses: list[Pause]) -> Decimal:
    rates = [pause.rate for pause in pauses if pause.starts_on <= day <= pause.ends_on]
    return min(rates) if rates else Decimal(1)


def full_days(starts_on: datetime.date, months: int) -> int:
    """The days in ``months`` calendar months from the start, with no pause."""
    return (starts_on + relativedelta(months=months) - starts_on).days


def date_of_month(starts_on: datetime.date, months: int, pauses: list[Pause]) -> datetime.date:
    """The day month ``months`` of the programme is reached: with no pause, the same day
    ``months`` calendar months after the start."""
    target = Decimal(full_days(starts_on, months))
    if not pauses or target == 0:
        return starts_on + relativedelta(months=months)
    accrued = Decimal(0)
    day = starts_on
    limit = starts_on + LONGEST
    while day < limit:
        accrued += _rate(day, pauses)
        day += ONE_DAY
        if accrued >= target:
            return day
    return limit


def months_accrued(starts_on: datetime.date, on: datetime.date, pauses: list[Pause]) -> Decimal:
    """How far into the programme the NQSW is on ``on``, in months of 30.44 days accrued."""
    if on <= starts_on:
        return Decimal(0)
    if not pauses:
        days = Decimal((on - starts_on).days)
    else:
        days = Decimal(0)
        day = starts_on
        while day < on:
            days += _rate(day, pauses)
            day += ONE_DAY
    return (days / Decimal("30.4375")).quantize(Decimal("0.1"))


def pause_problems(
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    *,
    asye_starts_on: datetime.date,
    fte_percent: int | None,
    part_time: bool,
) -> dict[str, str]:
    """What is wrong with a pause or a spell of part-time working, by field."""
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = "Enter the first day."
    if ends_on is None:
        problems["ends_on"] = "Enter the last day."
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "The last day must be the same as or after the first day."
    if starts_on and starts_on < asye_starts_on:
        problems["starts_on"] = "The first day must be on or after the ASYE started."
    if part_time and (fte_percent is None or not 10 <= fte_percent <= 99):
        problems["fte_percent"] = (
            "Enter the share of full time worked, from 10 to 99 (for example, 60)."
        )
    return problems
