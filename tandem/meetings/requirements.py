"""Which sessions a person needs between two dates: one pure function, no database.

The answer is a list of windows, each needing at least one session of at least the rule's
length: weekly windows while an NQSW's policy says weekly, calendar months for "monthly", half
terms and terms from the school's own term dates. An agreement may be stricter than the policy,
never looser: the stricter frequency of the two applies.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from tandem.agreements.models import INTERVAL_DAYS, Frequency
from tandem.core.calendar import TermPeriod

DAY = datetime.timedelta(days=1)
# Without term dates, "each half term" and "each term" fall back to these lengths.
FALLBACK_DAYS: dict[str, int] = {Frequency.HALF_TERMLY: 49, Frequency.TERMLY: 91}


@dataclass(frozen=True)
class Rule:
    """A frequency rule as plain data: from day ``from_day`` of time in post (inclusive) until
    ``until_day`` (exclusive; None for no end)."""

    from_day: int
    until_day: int | None
    frequency: str
    min_minutes: int | None = None
    # The first day of the set of rules this one belongs to (None: in force since ever).
    effective_from: datetime.date | None = None


@dataclass(frozen=True)
class Requirement:
    """At least one session of at least ``min_minutes`` from ``starts_on`` to ``ends_on``."""

    starts_on: datetime.date
    ends_on: datetime.date
    frequency: str
    min_minutes: int | None


def stricter(frequency: str, other: str | None) -> str:
    if not other:
        return frequency
    return other if INTERVAL_DAYS[other] < INTERVAL_DAYS[frequency] else frequency


def _rule_on(rules: Sequence[Rule], day_in_post: int) -> Rule | None:
    for rule in rules:
        if rule.from_day <= day_in_post and (
            rule.until_day is None or day_in_post < rule.until_day
        ):
            return rule
    return None


def _next_change(rules: Sequence[Rule], day_in_post: int) -> int | None:
    """The first day in post after this one on which a different rule starts or a rule ends."""
    changes = [r.from_day for r in rules if r.from_day > day_in_post]
    changes += [r.until_day for r in rules if r.until_day is not None and r.until_day > day_in_post]
    return min(changes) if changes else None


def _window_end(
    day: datetime.date, frequency: str, terms: Sequence[TermPeriod]
) -> datetime.date | None:
    """The last day of the window that starts on ``day``; None when ``day`` is outside term for
    a term-based frequency (no window starts in a break)."""
    if frequency in (Frequency.HALF_TERMLY, Frequency.TERMLY) and terms:
        period = next((p for p in terms if p.starts_on <= day <= p.ends_on), None)
        if period is None:
            return None
        if frequency == Frequency.HALF_TERMLY:
            return period.ends_on
        return max(p.ends_on for p in terms if p.term == period.term)
    if frequency == Frequency.MONTHLY:
        return day + relativedelta(day=31)  # the last day of the calendar month
    if frequency == Frequency.TWO_MONTHLY:
        return day + relativedelta(months=2) - DAY
    if frequency == Frequency.QUARTERLY:
        return day + relativedelta(months=3) - DAY
    length = FALLBACK_DAYS.get(frequency) or INTERVAL_DAYS[frequency]
    return day + (length - 1) * DAY


def _next_term_day(day: datetime.date, terms: Sequence[TermPeriod]) -> datetime.date | None:
    later = [p.starts_on for p in terms if p.starts_on > day]
    return min(later) if later else None


def windows_start(
    *,
    counted_from: datetime.date | None,
    employment_start: datetime.date | None,
    clock: datetime.date | None,
) -> datetime.date | None:
    """Where a person's windows start: the latest of the first day counted, their employment
    start and their policy clock (nothing is required before any of them). The compliance
    windows and the schedule both start here, so they keep to the same weeks."""
    known = [d for d in (counted_from, employment_start, clock) if d is not None]
    return max(known) if known else None


def sessions_needed(
    *,
    rules: Sequence[Rule],
    clock_start: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
    agreed_frequency: str | None = None,
    terms: Sequence[TermPeriod] = (),
) -> list[Requirement]:
    """The windows from ``start`` to ``end`` (both included) that each need a session.

    Time in post counts from ``clock_start`` (the start of employment or of the ASYE; None means
    long in post). Each window runs under the rule in force on its first day and is cut short
    where the rule changes, so the stricter early weeks of an NQSW are never stretched.

    When the rules come in sets with effective-from dates (a change of policy), each set rules
    the days from its date until the next set's, and a window is cut short where a set ends.
    """
    if end < start:
        return []
    dates = sorted({rule.effective_from for rule in rules if rule.effective_from is not None})
    if len(dates) > 1 or (dates and dates[0] > start):
        needed: list[Requirement] = []
        for number, since in enumerate(dates):
            until = dates[number + 1] - DAY if number + 1 < len(dates) else end
            first, last = max(start, since), min(end, until)
            if first > last:
                continue
            needed += _needed(
                [rule for rule in rules if rule.effective_from == since],
                clock_start,
                first,
                last,
                agreed_frequency,
                terms,
            )
        return needed
    return _needed(rules, clock_start, start, end, agreed_frequency, terms)


def _needed(
    rules: Sequence[Rule],
    clock_start: datetime.date | None,
    start: datetime.date,
    end: datetime.date,
    agreed_frequency: str | None,
    terms: Sequence[TermPeriod],
) -> list[Requirement]:
    """``sessions_needed`` under one set of rules."""
    needed: list[Requirement] = []
    day = start
    while day <= end:
        in_post = (day - clock_start).days if clock_start else 10**6
        rule = _rule_on(rules, max(in_post, 0))
        if rule is None and not agreed_frequency:
            change = _next_change(rules, max(in_post, 0))
            if change is None or clock_start is None:
                break
            day = clock_start + change * DAY
            continue
        frequency = stricter(rule.frequency, agreed_frequency) if rule else str(agreed_frequency)
        window_end = _window_end(day, frequency, terms)
        if window_end is None:  # in a school break: the next window starts with the next term
            next_day = _next_term_day(day, terms)
            if next_day is None:
                break
            day = next_day
            continue
        change = _next_change(rules, max(in_post, 0)) if clock_start else None
        if change is not None and clock_start is not None:
            cut = clock_start + (change - 1) * DAY
            stub = (cut - day).days + 1
            joined = False
            if cut < window_end and needed and stub * 2 < INTERVAL_DAYS[frequency]:
                # A stub of a few days before the rule changes needs no session of its own:
                # the next rule's first window starts here instead, when it covers the stub
                # (a stricter next rule's shorter windows must not start before the change).
                next_rule = _rule_on(rules, change) or rule
                next_frequency = (
                    stricter(next_rule.frequency, agreed_frequency) if next_rule else frequency
                )
                joined_end = _window_end(day, next_frequency, terms) or cut
                later = _next_change(rules, change)
                if later is not None:
                    joined_end = min(joined_end, clock_start + (later - 1) * DAY)
                if joined_end > cut:
                    rule, frequency, window_end = next_rule, next_frequency, joined_end
                    joined = True
            if not joined:
                window_end = min(window_end, cut)
        window_end = min(window_end, end)
        needed.append(Requirement(day, window_end, frequency, rule.min_minutes if rule else None))
        day = window_end + DAY
    return needed
