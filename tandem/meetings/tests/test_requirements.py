"""Which sessions a person needs: the pure function, worked by hand and checked by properties.

``sessions_needed`` takes plain data, so all but the last two tests (``meetings.policy``, which
reads the database) need no database. The expected windows are written out by hand from the
rules in ../shared/domain.md, not computed.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.agreements.models import INTERVAL_DAYS, Frequency
from tandem.core.calendar import TermPeriod
from tandem.meetings.requirements import Requirement, Rule, sessions_needed, stricter

pytestmark = pytest.mark.dated

D = datetime.date
DAY = datetime.timedelta(days=1)
WEEKLY, FORTNIGHTLY, MONTHLY = Frequency.WEEKLY, Frequency.FORTNIGHTLY, Frequency.MONTHLY

# The default NQSW policy (agreements.policies.DEFAULT_RULES): weekly for days 0-41 in post,
# fortnightly for days 42-182, monthly from day 183; sessions of at least 90 minutes.
NQSW_RULES = [
    Rule(0, 42, WEEKLY, 90),
    Rule(42, 183, FORTNIGHTLY, 90),
    Rule(183, None, MONTHLY, 90),
]
QUALIFIED_RULES = [Rule(0, None, MONTHLY, 90)]


def windows(requirements: list[Requirement]) -> list[tuple[datetime.date, datetime.date, str]]:
    return [(r.starts_on, r.ends_on, r.frequency) for r in requirements]


# The hand-worked case


def test_an_nqsw_starting_on_4_january_2027_weekly_then_fortnightly_then_monthly():
    """Clock start Monday 4 January 2027 (day 0). Day 42 is Monday 15 February 2027, day 183 is
    Tuesday 6 July 2027."""
    needed = sessions_needed(
        rules=NQSW_RULES,
        clock_start=D(2027, 1, 4),
        start=D(2027, 1, 4),
        end=D(2027, 10, 31),
    )

    assert windows(needed) == [
        # Six weeks of weekly windows, Monday to Sunday, to mid-February (days 0-41).
        (D(2027, 1, 4), D(2027, 1, 10), WEEKLY),
        (D(2027, 1, 11), D(2027, 1, 17), WEEKLY),
        (D(2027, 1, 18), D(2027, 1, 24), WEEKLY),
        (D(2027, 1, 25), D(2027, 1, 31), WEEKLY),
        (D(2027, 2, 1), D(2027, 2, 7), WEEKLY),
        (D(2027, 2, 8), D(2027, 2, 14), WEEKLY),
        # Fortnightly windows from day 42 to early July.
        (D(2027, 2, 15), D(2027, 2, 28), FORTNIGHTLY),
        (D(2027, 3, 1), D(2027, 3, 14), FORTNIGHTLY),
        (D(2027, 3, 15), D(2027, 3, 28), FORTNIGHTLY),
        (D(2027, 3, 29), D(2027, 4, 11), FORTNIGHTLY),
        (D(2027, 4, 12), D(2027, 4, 25), FORTNIGHTLY),
        (D(2027, 4, 26), D(2027, 5, 9), FORTNIGHTLY),
        (D(2027, 5, 10), D(2027, 5, 23), FORTNIGHTLY),
        (D(2027, 5, 24), D(2027, 6, 6), FORTNIGHTLY),
        (D(2027, 6, 7), D(2027, 6, 20), FORTNIGHTLY),
        (D(2027, 6, 21), D(2027, 7, 4), FORTNIGHTLY),
        # The fortnightly rule still holds on Monday 5 July (day 182), but a window of that one
        # day would be a stub of under half a fortnight: sessions_needed lets such a stub join
        # the next rule's first window, so the first monthly window runs 5 to 31 July.
        (D(2027, 7, 5), D(2027, 7, 31), MONTHLY),
        # Then calendar months.
        (D(2027, 8, 1), D(2027, 8, 31), MONTHLY),
        (D(2027, 9, 1), D(2027, 9, 30), MONTHLY),
        (D(2027, 10, 1), D(2027, 10, 31), MONTHLY),
    ]
    assert {r.min_minutes for r in needed} == {90}


def test_a_window_cut_by_the_end_of_the_range_ends_there():
    needed = sessions_needed(
        rules=NQSW_RULES, clock_start=D(2027, 1, 4), start=D(2027, 1, 4), end=D(2027, 1, 20)
    )
    assert windows(needed) == [
        (D(2027, 1, 4), D(2027, 1, 10), WEEKLY),
        (D(2027, 1, 11), D(2027, 1, 17), WEEKLY),
        (D(2027, 1, 18), D(2027, 1, 20), WEEKLY),
    ]


def test_an_end_before_the_start_needs_nothing():
    assert (
        sessions_needed(
            rules=QUALIFIED_RULES, clock_start=None, start=D(2027, 2, 1), end=D(2027, 1, 31)
        )
        == []
    )


# Qualified social workers: each calendar month


@pytest.mark.parametrize("clock_start", [None, D(2015, 6, 1)])
def test_a_qualified_social_worker_long_in_post_needs_one_session_each_calendar_month(
    clock_start,
):
    needed = sessions_needed(
        rules=QUALIFIED_RULES, clock_start=clock_start, start=D(2027, 3, 15), end=D(2027, 8, 31)
    )

    assert windows(needed) == [
        # Starting mid-month, the first window runs to the end of that month.
        (D(2027, 3, 15), D(2027, 3, 31), MONTHLY),
        (D(2027, 4, 1), D(2027, 4, 30), MONTHLY),
        (D(2027, 5, 1), D(2027, 5, 31), MONTHLY),
        (D(2027, 6, 1), D(2027, 6, 30), MONTHLY),
        (D(2027, 7, 1), D(2027, 7, 31), MONTHLY),
        (D(2027, 8, 1), D(2027, 8, 31), MONTHLY),
    ]


def test_february_in_a_leap_year_is_one_window():
    needed = sessions_needed(
        rules=QUALIFIED_RULES, clock_start=None, start=D(2028, 2, 1), end=D(2028, 3, 31)
    )
    assert windows(needed) == [
        (D(2028, 2, 1), D(2028, 2, 29), MONTHLY),
        (D(2028, 3, 1), D(2028, 3, 31), MONTHLY),
    ]


# Agreements: stricter than the policy, never looser


def test_an_agreement_stricter_than_the_policy_gives_its_own_windows():
    needed = sessions_needed(
        rules=QUALIFIED_RULES,
        clock_start=None,
        start=D(2027, 3, 1),
        end=D(2027, 4, 30),
        agreed_frequency=FORTNIGHTLY,
    )

    assert windows(needed) == [
        (D(2027, 3, 1), D(2027, 3, 14), FORTNIGHTLY),
        (D(2027, 3, 15), D(2027, 3, 28), FORTNIGHTLY),
        (D(2027, 3, 29), D(2027, 4, 11), FORTNIGHTLY),
        (D(2027, 4, 12), D(2027, 4, 25), FORTNIGHTLY),
        (D(2027, 4, 26), D(2027, 4, 30), FORTNIGHTLY),
    ]
    # The policy's minimum length still applies.
    assert {r.min_minutes for r in needed} == {90}


@pytest.mark.parametrize("agreed", [MONTHLY, Frequency.QUARTERLY, Frequency.TERMLY])
def test_a_looser_agreement_never_loosens_the_policy(agreed):
    """An NQSW in their first weeks is supervised weekly whatever the agreement says."""
    needed = sessions_needed(
        rules=NQSW_RULES,
        clock_start=D(2027, 1, 4),
        start=D(2027, 1, 4),
        end=D(2027, 1, 24),
        agreed_frequency=agreed,
    )
    assert windows(needed) == [
        (D(2027, 1, 4), D(2027, 1, 10), WEEKLY),
        (D(2027, 1, 11), D(2027, 1, 17), WEEKLY),
        (D(2027, 1, 18), D(2027, 1, 24), WEEKLY),
    ]


def test_a_quarterly_agreement_for_a_monthly_rule_stays_monthly():
    needed = sessions_needed(
        rules=QUALIFIED_RULES,
        clock_start=None,
        start=D(2027, 1, 1),
        end=D(2027, 3, 31),
        agreed_frequency=Frequency.QUARTERLY,
    )
    assert windows(needed) == [
        (D(2027, 1, 1), D(2027, 1, 31), MONTHLY),
        (D(2027, 2, 1), D(2027, 2, 28), MONTHLY),
        (D(2027, 3, 1), D(2027, 3, 31), MONTHLY),
    ]


# Schools: half terms and terms from the school's own term dates

TERMS = (
    TermPeriod("Autumn 1 2026", "Autumn 2026", D(2026, 9, 3), D(2026, 10, 23)),
    TermPeriod("Autumn 2 2026", "Autumn 2026", D(2026, 11, 2), D(2026, 12, 18)),
    TermPeriod("Spring 1 2027", "Spring 2027", D(2027, 1, 5), D(2027, 2, 12)),
    TermPeriod("Spring 2 2027", "Spring 2027", D(2027, 2, 22), D(2027, 3, 26)),
    TermPeriod("Summer 1 2027", "Summer 2027", D(2027, 4, 12), D(2027, 5, 28)),
    TermPeriod("Summer 2 2027", "Summer 2027", D(2027, 6, 7), D(2027, 7, 21)),
)
SCHOOL_YEAR = {"start": D(2026, 9, 1), "end": D(2027, 8, 31)}


def test_each_half_term_is_one_window_and_the_breaks_need_nothing():
    needed = sessions_needed(
        rules=[Rule(0, None, Frequency.HALF_TERMLY)],
        clock_start=D(2020, 9, 1),
        terms=TERMS,
        **SCHOOL_YEAR,
    )

    assert windows(needed) == [
        (D(2026, 9, 3), D(2026, 10, 23), Frequency.HALF_TERMLY),
        (D(2026, 11, 2), D(2026, 12, 18), Frequency.HALF_TERMLY),
        (D(2027, 1, 5), D(2027, 2, 12), Frequency.HALF_TERMLY),
        (D(2027, 2, 22), D(2027, 3, 26), Frequency.HALF_TERMLY),
        (D(2027, 4, 12), D(2027, 5, 28), Frequency.HALF_TERMLY),
        (D(2027, 6, 7), D(2027, 7, 21), Frequency.HALF_TERMLY),
    ]


def test_each_term_is_one_window_across_its_half_term_break():
    needed = sessions_needed(
        rules=[Rule(0, None, Frequency.TERMLY)],
        clock_start=D(2020, 9, 1),
        terms=TERMS,
        **SCHOOL_YEAR,
    )

    assert windows(needed) == [
        (D(2026, 9, 3), D(2026, 12, 18), Frequency.TERMLY),
        (D(2027, 1, 5), D(2027, 3, 26), Frequency.TERMLY),
        (D(2027, 4, 12), D(2027, 7, 21), Frequency.TERMLY),
    ]


def test_a_school_agreement_for_each_half_term_beats_a_termly_policy():
    needed = sessions_needed(
        rules=[Rule(0, None, Frequency.TERMLY)],
        clock_start=D(2020, 9, 1),
        start=D(2027, 1, 1),
        end=D(2027, 3, 31),
        agreed_frequency=Frequency.HALF_TERMLY,
        terms=TERMS,
    )
    assert windows(needed) == [
        (D(2027, 1, 5), D(2027, 2, 12), Frequency.HALF_TERMLY),
        (D(2027, 2, 22), D(2027, 3, 26), Frequency.HALF_TERMLY),
    ]


def test_starting_part_way_through_a_half_term_the_first_window_runs_to_its_end():
    needed = sessions_needed(
        rules=[Rule(0, None, Frequency.HALF_TERMLY)],
        clock_start=None,
        start=D(2026, 10, 1),
        end=D(2026, 12, 31),
        terms=TERMS,
    )
    assert windows(needed) == [
        (D(2026, 10, 1), D(2026, 10, 23), Frequency.HALF_TERMLY),
        (D(2026, 11, 2), D(2026, 12, 18), Frequency.HALF_TERMLY),
    ]


# Properties, over random policies, clocks, ranges and agreements

ROLLING = [
    Frequency.WEEKLY,
    Frequency.FORTNIGHTLY,
    Frequency.MONTHLY,
    Frequency.SIX_WEEKLY,
    Frequency.TWO_MONTHLY,
    Frequency.QUARTERLY,
]
PROPERTIES = settings(max_examples=200, deadline=None)


@st.composite
def rule_sets(draw: st.DrawFn) -> list[Rule]:
    """Rules covering every day in post from day 0, the last without an end, like the default
    policies: each starts where the one before ends."""
    changes = sorted(draw(st.sets(st.integers(1, 800), max_size=3)))
    frequencies = draw(
        st.lists(st.sampled_from(ROLLING), min_size=len(changes) + 1, max_size=len(changes) + 1)
    )
    bounds: list[int | None] = [0, *changes, None]
    return [
        Rule(from_day, bounds[i + 1], frequencies[i], draw(st.sampled_from([None, 60, 90])))
        for i, (from_day, frequency) in enumerate(zip(bounds, frequencies, strict=False))
        if from_day is not None and frequency
    ]


dates = st.dates(D(2024, 1, 1), D(2029, 12, 31))
lengths = st.integers(0, 730)  # ranges of up to 2 years
agreed_frequencies = st.one_of(st.none(), st.sampled_from(ROLLING))


@st.composite
def clock_starts(draw: st.DrawFn, start: datetime.date) -> datetime.date | None:
    """Long in post (None or years ago), or a clock near the range so the rules change in it."""
    return draw(
        st.one_of(
            st.none(),
            st.dates(D(2005, 1, 1), D(2030, 12, 31)),
            st.integers(-60, 800).map(lambda days: start - days * DAY),
        )
    )


@st.composite
def cases(draw: st.DrawFn) -> dict:
    """The arguments of sessions_needed: rules, clock start, a range of up to 2 years and an
    optional agreed frequency."""
    start = draw(dates)
    return {
        "rules": draw(rule_sets()),
        "clock_start": draw(clock_starts(start)),
        "start": start,
        "end": start + draw(lengths) * DAY,
        "agreed_frequency": draw(agreed_frequencies),
    }


def rule_in_force(rules: list[Rule], clock_start: datetime.date | None, day: datetime.date) -> Rule:
    in_post = max(0, (day - clock_start).days) if clock_start else 10**6
    return next(
        r for r in rules if r.from_day <= in_post and (r.until_day is None or in_post < r.until_day)
    )


def at_least_as_strict(frequency: str, than: str | None) -> bool:
    return than is None or INTERVAL_DAYS[frequency] <= INTERVAL_DAYS[than]


@PROPERTIES
@given(cases())
def test_windows_cover_the_range_in_order_without_gaps_or_overlaps(case):
    needed = sessions_needed(**case)

    assert needed
    assert needed[0].starts_on == case["start"]
    assert needed[-1].ends_on == case["end"]
    for window in needed:
        assert window.starts_on <= window.ends_on
    for before, after in itertools.pairwise(needed):
        assert after.starts_on == before.ends_on + DAY


@PROPERTIES
@given(cases())
def test_no_window_is_longer_than_its_frequency_allows(case):
    for window in sessions_needed(**case):
        days = (window.ends_on - window.starts_on).days + 1
        assert days <= INTERVAL_DAYS[window.frequency], window


@PROPERTIES
@given(cases())
def test_each_window_is_at_least_as_strict_as_the_policy_and_the_agreement(case):
    rules, clock_start, agreed = case["rules"], case["clock_start"], case["agreed_frequency"]

    for index, window in enumerate(sessions_needed(**case)):
        assert at_least_as_strict(window.frequency, agreed), window
        rule = rule_in_force(rules, clock_start, window.starts_on)
        if at_least_as_strict(window.frequency, rule.frequency):
            continue
        # The one exception, by design: a stub of under half an interval left before the rule
        # changes (never in the first window) joins the next rule's first window, so that
        # window follows the rule that starts right after the stub.
        assert index > 0 and clock_start is not None and rule.until_day is not None, window
        stub = rule.until_day - (window.starts_on - clock_start).days
        assert stub * 2 < INTERVAL_DAYS[stricter(rule.frequency, agreed)], window
        next_rule = rule_in_force(rules, clock_start, clock_start + rule.until_day * DAY)
        assert window.frequency == stricter(next_rule.frequency, agreed), window
        assert window.ends_on >= clock_start + rule.until_day * DAY or (
            window.ends_on == case["end"]
        ), "a joined stub's window runs past the change"


@PROPERTIES
@given(cases())
def test_a_window_under_one_rule_follows_that_rule(case):
    """The policy is never tightened or loosened early: a window whose first and last days fall
    under the same rule has that rule's frequency (or the agreed one, if stricter). Only a
    joined stub crosses a change; the last window may be cut short by the end of the range."""
    rules, clock_start, agreed = case["rules"], case["clock_start"], case["agreed_frequency"]
    needed = sessions_needed(**case)

    for window in needed[:-1]:
        rule = rule_in_force(rules, clock_start, window.starts_on)
        if rule == rule_in_force(rules, clock_start, window.ends_on):
            assert window.frequency == stricter(rule.frequency, agreed), window


@PROPERTIES
@given(cases(), st.integers(1, 400))
def test_extending_the_range_never_removes_a_window(case, more):
    shorter = sessions_needed(**case)
    longer = sessions_needed(**{**case, "end": case["end"] + more * DAY})

    assert len(longer) >= len(shorter)
    # Every window but the last is unchanged; the last, cut by the old end, may now run on.
    assert longer[: len(shorter) - 1] == shorter[:-1]
    last = longer[len(shorter) - 1]
    assert last.starts_on == shorter[-1].starts_on
    assert last.ends_on >= shorter[-1].ends_on
    assert last.frequency == shorter[-1].frequency


@PROPERTIES
@given(cases(), st.sampled_from(ROLLING), st.sampled_from(ROLLING))
def test_a_stricter_agreement_never_needs_fewer_sessions(case, one, other):
    """Counted in windows. The ends of the range cut a window short (a calendar month started
    mid-month, the remainder at the end), and a stricter frequency may line its windows up
    differently, so one fewer window is possible at an end; never more than one. See the
    example below."""
    strict, loose = sorted([one, other], key=INTERVAL_DAYS.__getitem__)

    def count(agreed: str | None) -> int:
        return len(sessions_needed(**{**case, "agreed_frequency": agreed}))

    assert count(strict) >= count(loose) - 1
    assert count(loose) >= count(None) - 1


def test_a_stricter_agreement_may_need_one_window_fewer_across_a_month_end():
    """31 January to 1 February touches two calendar months (two monthly windows) but is one
    fortnightly window: the count drops by one at the edge of the range, by design."""
    range_ = {"rules": QUALIFIED_RULES, "clock_start": None}
    range_ |= {"start": D(2027, 1, 31), "end": D(2027, 2, 1)}

    assert len(sessions_needed(**range_)) == 2
    assert windows(sessions_needed(**range_, agreed_frequency=FORTNIGHTLY)) == [
        (D(2027, 1, 31), D(2027, 2, 1), FORTNIGHTLY)
    ]


def test_a_short_stub_before_a_stricter_rule_stays_under_the_old_rule():
    """Quarterly for days 0-99, weekly from day 100 (Sunday 11 April 2027). The 10 days left
    of the quarterly rule (1 to 10 April) are under half a quarter, but a weekly window from
    1 April would end before the change: the stub keeps its own quarterly window and the weekly
    windows start with the weekly rule, not before."""
    needed = sessions_needed(
        rules=[Rule(0, 100, Frequency.QUARTERLY), Rule(100, None, WEEKLY)],
        clock_start=D(2027, 1, 1),
        start=D(2027, 1, 1),
        end=D(2027, 4, 30),
    )
    assert windows(needed) == [
        (D(2027, 1, 1), D(2027, 3, 31), Frequency.QUARTERLY),
        (D(2027, 4, 1), D(2027, 4, 10), Frequency.QUARTERLY),
        (D(2027, 4, 11), D(2027, 4, 17), WEEKLY),
        (D(2027, 4, 18), D(2027, 4, 24), WEEKLY),
        (D(2027, 4, 25), D(2027, 4, 30), WEEKLY),
    ]


def test_a_short_stub_before_a_stricter_rule_joins_a_window_that_covers_it():
    """Quarterly for days 0-92, weekly from day 93 (Sunday 4 April 2027): the 3 days 1 to 3
    April join the first weekly window, 1 to 7 April."""
    needed = sessions_needed(
        rules=[Rule(0, 93, Frequency.QUARTERLY), Rule(93, None, WEEKLY)],
        clock_start=D(2027, 1, 1),
        start=D(2027, 1, 1),
        end=D(2027, 4, 14),
    )
    assert windows(needed) == [
        (D(2027, 1, 1), D(2027, 3, 31), Frequency.QUARTERLY),
        (D(2027, 4, 1), D(2027, 4, 7), WEEKLY),
        (D(2027, 4, 8), D(2027, 4, 14), WEEKLY),
    ]


# From the database: meetings.policy reads the organisation's rules, clock and calendar


@pytest.mark.django_db
def test_policy_reads_the_organisations_rules_and_the_persons_clock(cast):
    from tandem.meetings.policy import rules_for, sessions_needed_for

    sue = cast.supervisee  # an NQSW whose ASYE started on Tuesday 1 September 2026

    from tandem.agreements.models import SINCE_EVER

    assert rules_for(sue) == [replace(rule, effective_from=SINCE_EVER) for rule in NQSW_RULES]
    assert windows(sessions_needed_for(sue, D(2026, 9, 1), D(2026, 10, 31))) == [
        (D(2026, 9, 1), D(2026, 9, 7), WEEKLY),
        (D(2026, 9, 8), D(2026, 9, 14), WEEKLY),
        (D(2026, 9, 15), D(2026, 9, 21), WEEKLY),
        (D(2026, 9, 22), D(2026, 9, 28), WEEKLY),
        (D(2026, 9, 29), D(2026, 10, 5), WEEKLY),
        (D(2026, 10, 6), D(2026, 10, 12), WEEKLY),
        (D(2026, 10, 13), D(2026, 10, 26), FORTNIGHTLY),
        (D(2026, 10, 27), D(2026, 10, 31), FORTNIGHTLY),
    ]
    # An agreement may only make it stricter.
    agreed = sessions_needed_for(sue, D(2026, 10, 13), D(2026, 10, 26), agreed_frequency=WEEKLY)
    assert windows(agreed) == [
        (D(2026, 10, 13), D(2026, 10, 19), WEEKLY),
        (D(2026, 10, 20), D(2026, 10, 26), WEEKLY),
    ]


@pytest.mark.django_db
def test_policy_follows_an_organisations_own_rules_and_term_dates(cast):
    from tandem.agreements.models import FrequencyRule
    from tandem.agreements.policies import frequency_rules_ensure
    from tandem.core.models import TermDate
    from tandem.meetings.policy import sessions_needed_for
    from tandem.organisations.models import Sector, StaffCategory

    organisation = cast.organisation
    organisation.sector = Sector.SCHOOL
    organisation.save()
    frequency_rules_ensure(organisation)
    FrequencyRule.objects.for_organisation(organisation).filter(
        staff_category=StaffCategory.SUPPORT_STAFF
    ).update(frequency=Frequency.HALF_TERMLY)
    for period in TERMS[:3]:
        TermDate.objects.create(
            organisation=organisation,
            name=period.name,
            term=period.term,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )

    needed = sessions_needed_for(cast.admin, D(2026, 9, 1), D(2027, 2, 28))  # support staff

    assert windows(needed) == [
        (D(2026, 9, 3), D(2026, 10, 23), Frequency.HALF_TERMLY),
        (D(2026, 11, 2), D(2026, 12, 18), Frequency.HALF_TERMLY),
        (D(2027, 1, 5), D(2027, 2, 12), Frequency.HALF_TERMLY),
    ]
