"""Periods the figures cover: months, quarters, financial years and any two dates."""

from __future__ import annotations

import datetime
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.oversight.periods import Period, PeriodError, trend_period

pytestmark = pytest.mark.dated

DAY = datetime.timedelta(days=1)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


def test_a_month_runs_from_the_first_to_the_last_day():
    assert Period.month(date(2024, 2, 17)) == Period(date(2024, 2, 1), date(2024, 2, 29), "month")
    assert Period.month(date(2025, 2, 1)).ends_on == date(2025, 2, 28)
    assert Period.month(date(2025, 12, 31)).starts_on == date(2025, 12, 1)
    assert Period.month(date(2025, 9, 30)).label == "September 2025"


@pytest.mark.parametrize(
    ("day", "starts_on", "ends_on"),
    [
        (date(2025, 1, 1), date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 3, 31), date(2025, 1, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 4, 1), date(2025, 6, 30)),
        (date(2025, 9, 30), date(2025, 7, 1), date(2025, 9, 30)),
        (date(2025, 12, 31), date(2025, 10, 1), date(2025, 12, 31)),
    ],
)
def test_quarters_are_the_financial_years_quarters(day, starts_on, ends_on):
    quarter = Period.quarter(day)
    assert (quarter.starts_on, quarter.ends_on, quarter.kind) == (starts_on, ends_on, "quarter")


def test_the_year_is_the_financial_year_from_1_april():
    assert Period.year(date(2025, 3, 31)) == Period(date(2024, 4, 1), date(2025, 3, 31), "year")
    assert Period.year(date(2025, 4, 1)) == Period(date(2025, 4, 1), date(2026, 3, 31), "year")
    assert Period.year(date(2026, 1, 15)).label == "2025 to 2026 (1 April to 31 March)"
    assert Period.quarter(date(2025, 5, 5)).label == "April to June 2025"


def test_a_custom_period_must_end_on_or_after_its_start():
    assert Period.custom(date(2025, 5, 5), date(2025, 5, 5)).kind == "custom"
    with pytest.raises(PeriodError, match="on or after its start"):
        Period.custom(date(2025, 5, 6), date(2025, 5, 5))


def test_a_custom_period_is_five_years_at_most():
    # 1 April 2020 to 31 March 2025 is five financial years exactly, leap day and all.
    five = Period.custom(date(2020, 4, 1), date(2025, 3, 31))
    assert five.label == "1 April 2020 to 31 March 2025"
    with pytest.raises(PeriodError, match="5 years or less"):
        Period.custom(date(2020, 4, 1), date(2025, 4, 1))
    with pytest.raises(PeriodError, match="5 years or less"):
        Period.custom(date(2019, 1, 1), date(2025, 1, 1))


def test_previous_and_next():
    march = Period.month(date(2025, 3, 9))
    assert march.previous() == Period.month(date(2025, 2, 1))
    assert march.next() == Period.month(date(2025, 4, 1))
    assert Period.month(date(2025, 1, 1)).previous() == Period.month(date(2024, 12, 1))
    assert Period.quarter(date(2025, 2, 1)).previous() == Period.quarter(date(2024, 12, 1))
    assert Period.year(date(2025, 6, 1)).next() == Period.year(date(2026, 6, 1))
    # A custom period steps by its own length: 10 days before, 10 days after.
    ten = Period.custom(date(2025, 3, 11), date(2025, 3, 20))
    assert ten.previous() == Period.custom(date(2025, 3, 1), date(2025, 3, 10))
    assert ten.next() == Period.custom(date(2025, 3, 21), date(2025, 3, 30))


def test_windows_count_up_to_yesterday():
    june = Period.month(date(2025, 6, 1))
    # A window ending today can still be met today: only yesterday's count.
    assert june.due_until(date(2025, 6, 15)) == date(2025, 6, 14)
    assert june.due_until(date(2025, 6, 30)) == date(2025, 6, 29)
    assert june.due_until(date(2025, 7, 1)) == date(2025, 6, 30)
    assert june.due_until(date(2026, 1, 1)) == date(2025, 6, 30)


def test_the_trend_is_the_twelve_months_ending_with_the_period():
    trend = trend_period(Period.quarter(date(2025, 5, 1)))  # April to June 2025
    assert (trend.starts_on, trend.ends_on) == (date(2024, 7, 1), date(2025, 6, 30))
    assert len(trend.months()) == 12
    assert trend.months()[0] == date(2024, 7, 1)


@given(day=days, kind=st.sampled_from(["month", "quarter", "year"]))
def test_consecutive_periods_tile_without_gaps_or_overlaps(day, kind):
    period = Period.of(kind, day)
    assert period.starts_on <= day <= period.ends_on
    assert period.next().starts_on == period.ends_on + DAY
    assert period.previous().ends_on == period.starts_on - DAY
    assert period.next().previous() == period
    assert Period.of(kind, period.ends_on) == period


@given(start=days, length=st.integers(min_value=0, max_value=400))
def test_custom_periods_step_by_their_own_length(start, length):
    period = Period.custom(start, start + length * DAY)
    for other in (period.previous(), period.next()):
        assert other.ends_on - other.starts_on == period.ends_on - period.starts_on
    assert period.next().starts_on == period.ends_on + DAY
    assert period.previous().next() == period


@given(day=days, kind=st.sampled_from(["month", "quarter", "year"]))
def test_months_cover_the_period(day, kind):
    period = Period.of(kind, day)
    months = period.months()
    assert len(months) == {"month": 1, "quarter": 3, "year": 12}[kind]
    assert months[0] == period.starts_on
    assert all(m.day == 1 for m in months)
