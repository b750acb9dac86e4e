"""The 12-month schedule: ``propose`` (pure, worked by hand on fixed dates), the services that
store it, and sessions moving with a change of supervisor.

Services refuse a start in the past, so the database tests count from today and check
properties (working days, one session per window); the hand-worked cases use fixed dates.
"""

from __future__ import annotations

import datetime

import holidays
import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.agreements import policies
from tandem.agreements import services as agreement_services
from tandem.agreements.models import Agreement, AgreementStatus, Frequency
from tandem.agreements.policies import clock_start
from tandem.agreements.tests.factories import AgreementTemplateVersionFactory, signed_agreement
from tandem.core.calendar import SUBDIVISIONS, TermPeriod, WorkingCalendar, calendar_for
from tandem.core.models import AuditEvent, ClosureDay, TermDate
from tandem.meetings.models import AgendaItem, Session, SessionStatus
from tandem.meetings.policy import rules_for
from tandem.meetings.requirements import Requirement, Rule, sessions_needed
from tandem.meetings.services import sessions as session_services
from tandem.meetings.services.schedule import (
    LONDON,
    propose,
    schedule_create,
    schedule_create_all,
    sessions_supervisor_changed,
)
from tandem.meetings.tests.test_sessions import item
from tandem.organisations.models import (
    Nation,
    Sector,
    StaffCategory,
    SupervisionRelationship,
)
from tandem.organisations.services import SUPERVISOR_CHANGE_HOOKS, relationship_start
from tandem.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.dated

D = datetime.date
DAY = datetime.timedelta(days=1)
TEN = datetime.time(10, 0)
MON, TUE, WED, THU, FRI = range(5)
ENGLAND = WorkingCalendar(nation="england")
SCOTLAND = WorkingCalendar(nation="scotland")
MONTHLY_RULES = [Rule(0, None, Frequency.MONTHLY, 90)]
WEEKLY_RULES = [Rule(0, None, Frequency.WEEKLY, None)]


def weekly(start: datetime.date, end: datetime.date) -> list[Requirement]:
    return sessions_needed(rules=WEEKLY_RULES, clock_start=None, start=start, end=end)


def monthly(start: datetime.date, end: datetime.date) -> list[Requirement]:
    return sessions_needed(rules=MONTHLY_RULES, clock_start=None, start=start, end=end)


def dates(proposals) -> list[datetime.date]:
    return [p.date for p in proposals]


def today() -> datetime.date:
    return timezone.localdate()


def next_weekday(day: datetime.date, weekday: int) -> datetime.date:
    """The first ``weekday`` strictly after ``day``."""
    return day + ((weekday - day.weekday() - 1) % 7 + 1) * DAY


def london(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def session_day(session: Session) -> datetime.date:
    return session.starts_at.astimezone(LONDON).date()


def bank_holidays(nation: str, start: datetime.date, end: datetime.date) -> set[datetime.date]:
    years = range(start.year, end.year + 1)
    return set(holidays.UK(subdiv=SUBDIVISIONS[nation], years=years, observed=True))


def one_per_window(sessions, needed: list[Requirement]) -> None:
    """Exactly one session in each window, in order."""
    assert len(sessions) == len(needed)
    for session, window in zip(sessions, needed, strict=True):
        assert window.starts_on <= session_day(session) <= window.ends_on


# Proposals, by hand


def test_each_month_gets_the_first_thursday_at_the_agreed_time():
    proposals = propose(
        monthly(D(2027, 1, 1), D(2027, 12, 31)),
        ENGLAND,
        weekday=THU,
        at=TEN,
        duration_minutes=60,
        location="Room 2",
    )

    assert dates(proposals) == [
        D(2027, 1, 7),
        D(2027, 2, 4),
        D(2027, 3, 4),
        D(2027, 4, 1),
        D(2027, 5, 6),
        D(2027, 6, 3),
        D(2027, 7, 1),
        D(2027, 8, 5),
        D(2027, 9, 2),
        D(2027, 10, 7),
        D(2027, 11, 4),
        D(2027, 12, 2),
    ]
    first = proposals[0]
    assert first.starts_at == datetime.datetime(2027, 1, 7, 10, 0, tzinfo=LONDON)
    assert first.starts_at.utcoffset() == datetime.timedelta(0)  # GMT in winter
    assert proposals[6].starts_at.utcoffset() == datetime.timedelta(hours=1)  # BST in July
    # The policy's 90 minutes beat the 60 asked for; the location is carried as it is.
    assert {p.duration_minutes for p in proposals} == {90}
    assert {p.location for p in proposals} == {"Room 2"}
    assert proposals.unplaced == []


def test_a_busy_day_moves_to_the_next_agreed_weekday_then_any_free_day():
    march = monthly(D(2027, 3, 1), D(2027, 3, 31))
    common = {"weekday": THU, "at": TEN, "duration_minutes": 60, "location": ""}

    assert dates(propose(march, ENGLAND, **common, busy={D(2027, 3, 4)})) == [D(2027, 3, 11)]
    every_thursday = {D(2027, 3, 4), D(2027, 3, 11), D(2027, 3, 18), D(2027, 3, 25)}
    # No Thursday free: the first free working day of the window.
    assert dates(propose(march, ENGLAND, **common, busy=every_thursday)) == [D(2027, 3, 1)]
    # Every working day busy: no proposal (never two sessions at once); the window is reported.
    all_days = set(ENGLAND.working_days(D(2027, 3, 1), D(2027, 3, 31)))
    full = propose(march, ENGLAND, **common, busy=all_days)
    assert dates(full) == [] and full.unplaced == march


def test_english_bank_holidays_move_a_monday_session_to_the_next_working_day():
    needed = weekly(D(2027, 1, 4), D(2028, 1, 2))

    proposals = propose(needed, ENGLAND, weekday=MON, at=TEN, duration_minutes=60, location="")

    moved = {p.date for p in proposals if p.date.weekday() != MON}
    # Easter Monday, the May, spring and late summer bank holidays: the Tuesday. Christmas
    # week 2027 has substitute days on Monday 27 and Tuesday 28 December: the Wednesday.
    assert moved == {
        D(2027, 3, 30),
        D(2027, 5, 4),
        D(2027, 6, 1),
        D(2027, 8, 31),
        D(2027, 12, 29),
    }
    assert len(proposals) == len(needed) == 52
    assert not set(dates(proposals)) & bank_holidays("england", D(2027, 1, 1), D(2027, 12, 31))


@pytest.mark.parametrize(
    ("weekday", "holiday", "instead"),
    [
        # St Andrew's Day, a Thursday in 2028: the first working day of that week instead.
        (THU, D(2028, 11, 30), D(2028, 11, 27)),
        # 2 January, a Tuesday in 2029, the day after New Year's Day: the Wednesday.
        (TUE, D(2029, 1, 2), D(2029, 1, 3)),
    ],
)
def test_scottish_holidays_are_skipped_where_english_days_are_not(weekday, holiday, instead):
    needed = weekly(D(2028, 9, 4), D(2029, 9, 2))
    common = {"weekday": weekday, "at": TEN, "duration_minutes": 60, "location": ""}

    scottish = dates(propose(needed, SCOTLAND, **common))
    english = dates(propose(needed, ENGLAND, **common))

    assert holiday not in scottish
    assert instead in scottish
    assert holiday in english  # a working day in England: the Scottish calendar made the move
    assert not set(scottish) & bank_holidays("scotland", D(2028, 9, 4), D(2029, 9, 2))


def test_a_window_with_no_working_day_gets_no_session_and_is_reported():
    school = WorkingCalendar(
        terms=(
            TermPeriod("Summer 2", "Summer 2027", D(2027, 6, 7), D(2027, 7, 21)),
            TermPeriod("Autumn 1", "Autumn 2027", D(2027, 9, 6), D(2027, 10, 22)),
        )
    )
    needed = monthly(D(2027, 7, 1), D(2027, 9, 30))

    proposals = propose(needed, school, weekday=WED, at=TEN, duration_minutes=60, location="")

    assert dates(proposals) == [D(2027, 7, 7), D(2027, 9, 8)]
    assert proposals.unplaced == [needed[1]]  # August: the summer holiday


def test_closure_days_are_not_working_days():
    closed = WorkingCalendar(closures=frozenset({D(2027, 2, 4), D(2027, 2, 11)}))
    proposals = propose(
        monthly(D(2027, 2, 1), D(2027, 2, 28)),
        closed,
        weekday=THU,
        at=TEN,
        duration_minutes=60,
        location="",
    )
    assert dates(proposals) == [D(2027, 2, 18)]


# Proposals, by property

calendars = st.builds(
    WorkingCalendar,
    nation=st.sampled_from(sorted(SUBDIVISIONS)),
    closures=st.frozensets(st.dates(D(2027, 1, 1), D(2028, 12, 31)), max_size=40),
)
rule_choices = st.sampled_from([WEEKLY_RULES, MONTHLY_RULES, [Rule(0, None, "fortnightly", 60)]])


@settings(max_examples=150, deadline=None)
@given(
    calendars,
    rule_choices,
    st.dates(D(2027, 1, 1), D(2027, 12, 31)),
    st.integers(0, 400),
    st.integers(0, 4),
    st.sets(st.dates(D(2027, 1, 1), D(2028, 12, 31)), max_size=60),
)
def test_every_proposal_is_a_working_day_in_its_window(
    calendar, rules, start, length, weekday, busy
):
    needed = sessions_needed(rules=rules, clock_start=None, start=start, end=start + length * DAY)

    proposals = propose(
        needed, calendar, weekday=weekday, at=TEN, duration_minutes=30, location="", busy=busy
    )

    placed = [w for w in needed if w not in proposals.unplaced]
    assert len(proposals) == len(placed)
    for proposal, window in zip(proposals, placed, strict=True):
        days = list(calendar.working_days(window.starts_on, window.ends_on))
        assert proposal.date in days
        free = [d for d in days if d not in busy]
        assert proposal.date in free
        on_weekday = [d for d in free if d.weekday() == weekday]
        assert proposal.date == (on_weekday or free)[0]
    for window in proposals.unplaced:
        days = list(calendar.working_days(window.starts_on, window.ends_on))
        assert all(day in busy for day in days)


# Storing a schedule


def pair(organisation, **supervisee_fields) -> SupervisionRelationship:
    supervisee = PersonFactory(organisation=organisation, **supervisee_fields)
    return RelationshipFactory(supervisee=supervisee)


def responses(frequency: str | None = "monthly", minutes: int | None = 90, **more) -> dict:
    answers = {"location": "Room 4, Riverside House", **more}
    if frequency:
        answers["frequency"] = frequency
    if minutes:
        answers["duration"] = {"min": minutes, "max": max(minutes, 120)}
    return answers


def sams_agreement(cast, **answers) -> Agreement:
    """Sam (a practice supervisor, long in post: monthly under the policy) supervised by Mia."""
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisor, ends_on=None)
    return signed_agreement(relationship, responses=responses(**answers))


def scheduled(agreement: Agreement):
    return list(
        Session.objects.filter(agreement=agreement, status=SessionStatus.SCHEDULED).order_by(
            "starts_at"
        )
    )


def test_a_schedule_made_mid_week_keeps_to_the_weeks_of_the_asye(cast):
    """Made on the last day of an ASYE week, the schedule's weeks are still the ASYE's: one
    session in each, the usual Tuesday where it can. (Its weeks used to run from the day it was
    made, so Tuesday 7 March 2028 counted for the week before and the ASYE's second week got
    nothing; the date sweep found it.)"""
    sue = cast.supervisee
    sue.asye_start = sue.employment_start = D(2028, 2, 15)  # a Tuesday
    sue.save()
    relationship = SupervisionRelationship.objects.get(supervisee=sue, ends_on=None)
    relationship.starts_on = sue.asye_start
    relationship.save()
    with time_machine.travel(london(D(2028, 2, 29), 12), tick=False):  # Tuesday, week 3
        agreement = signed_agreement(
            relationship, responses=responses(frequency=None, minutes=None)
        )
        schedule_create(
            agreement=agreement, start=D(2028, 3, 1), months=1, weekday=TUE, at=TEN, by=None
        )

    days = [session_day(s) for s in scheduled(agreement)]
    weeks = [(sue.asye_start + 7 * n * DAY, sue.asye_start + (7 * n + 6) * DAY) for n in (2, 3, 4)]
    for first, last in weeks:
        assert len([d for d in days if first <= d <= last]) == 1, (first, days)
    assert D(2028, 3, 7) in days and D(2028, 3, 14) in days


def test_an_nqsw_is_seen_weekly_then_fortnightly_then_monthly(cast):
    sue = cast.supervisee
    sue.asye_start = next_weekday(today() + 7 * DAY, MON)
    sue.save()
    relationship = SupervisionRelationship.objects.get(supervisee=sue, ends_on=None)
    # The agreement leaves the frequency to the policy, which changes with time in post.
    agreement = signed_agreement(relationship, responses=responses(frequency=None, minutes=None))

    sessions = schedule_create(
        agreement=agreement, start=sue.asye_start, weekday=WED, at=TEN, by=cast.supervisor
    )

    needed = sessions_needed(
        rules=rules_for(sue),
        clock_start=clock_start(sue),
        start=sue.asye_start,
        end=sue.asye_start + relativedelta(months=12) - DAY,
    )
    frequencies = [w.frequency for w in needed]
    # Six weekly windows, then fortnightly ones to six months (10 or 11, as the months fall: a
    # stub before the change joins the next window), then monthly ones.
    fortnightly = frequencies.count(Frequency.FORTNIGHTLY)
    assert frequencies[:6] == [Frequency.WEEKLY] * 6
    assert frequencies[6 : 6 + fortnightly] == [Frequency.FORTNIGHTLY] * fortnightly
    assert 10 <= fortnightly <= 11
    assert set(frequencies[6 + fortnightly :]) == {Frequency.MONTHLY}
    one_per_window(scheduled(agreement), needed)
    days = [session_day(s) for s in scheduled(agreement)]
    # Six sessions in the first six weeks, ten more to six months, then about one a month.
    assert len([d for d in days if d < sue.asye_start + 42 * DAY]) == 6
    assert len([d for d in days if d < sue.asye_start + 183 * DAY]) in (
        5 + fortnightly,
        6 + fortnightly,
    )
    session = sessions[0]
    assert session.starts_at.astimezone(LONDON).time() == TEN
    assert session.duration_minutes == 90  # the NQSW policy's minimum; the agreement said none
    assert session.location == "Room 4, Riverside House"
    assert session.supervisor == cast.supervisor
    assert session.from_schedule and session.created_by == cast.supervisor
    event = AuditEvent.objects.get(action="schedule.create")
    assert event.detail["created"] == len(sessions)
    assert event.actor == cast.supervisor.user


def test_the_longer_of_the_agreement_and_the_policy_minimum_is_used(cast):
    agreement = sams_agreement(cast, minutes=120)

    sessions = schedule_create(
        agreement=agreement, start=today() + DAY, months=3, weekday=TUE, at=TEN, by=None
    )

    assert sessions and {s.duration_minutes for s in sessions} == {120}


def test_an_english_organisation_is_never_booked_on_a_bank_holiday_or_closure(cast):
    start = next_weekday(today(), MON)
    closures = {D(start.year, 12, 29), D(start.year, 12, 30), D(start.year, 12, 31)}
    for day in closures:
        ClosureDay.objects.create(organisation=cast.organisation, date=day, reason="Christmas")
    agreement = sams_agreement(cast, frequency="weekly")

    sessions = schedule_create(agreement=agreement, start=start, weekday=MON, at=TEN, by=None)

    calendar = calendar_for(cast.organisation)
    days = [session_day(s) for s in sessions]
    holidays_in_range = bank_holidays("england", start, days[-1])
    # One session a week, in every week of the 12 months with a working day in it (a week of
    # bank holidays, closures and a weekend has none: from Monday 27 December 2027, say).
    ends = start + relativedelta(months=12)
    weeks = [start + 7 * n * DAY for n in range(53) if start + 7 * n * DAY < ends]
    bookable = [
        week
        for week in weeks
        if any(calendar.is_working_day(week + k * DAY) and week + k * DAY < ends for k in range(7))
    ]
    assert len(days) == len(set(days)) == len(bookable) >= 50
    for day in days:
        assert calendar.is_working_day(day)
        assert day not in holidays_in_range and day not in closures
    # Weekly windows run Monday to Sunday: the Monday when it is a working day, else the
    # week's first working day. Any 12 months hold at least four Monday bank holidays.
    for day in days:
        monday = day - day.weekday() * DAY
        week = list(calendar.working_days(monday, monday + 6 * DAY))
        assert day == week[0]
        assert (day == monday) == calendar.is_working_day(monday)
    assert len([d for d in days if d.weekday() != MON]) >= 4


def test_a_scottish_organisation_is_never_booked_on_st_andrews_day_or_2_january(db):
    scotland = OrganisationFactory(name="Glen Council", nation=Nation.SCOTLAND)
    relationship = pair(scotland)
    agreement = signed_agreement(relationship, responses=responses(frequency="weekly"))
    start = today() + DAY
    # Weekly on the weekday St Andrew's Day falls on this time round, when it is a weekday.
    andrew = D(start.year if start <= D(start.year, 11, 30) else start.year + 1, 11, 30)
    weekday = andrew.weekday() if andrew.weekday() < 5 else TUE

    sessions = schedule_create(agreement=agreement, start=start, weekday=weekday, at=TEN, by=None)

    days = {session_day(s) for s in sessions}
    assert not any((d.month, d.day) in {(11, 30), (1, 2)} for d in days)
    assert not days & bank_holidays("scotland", start, max(days))
    calendar = calendar_for(scotland)
    assert all(calendar.is_working_day(d) for d in days)


def school_terms(organisation, year: int) -> None:
    """Six half terms of the school year starting in September ``year``."""
    Y, N = year, year + 1
    for name, term, starts, ends in [
        ("Autumn 1", "Autumn", D(Y, 9, 6), D(Y, 10, 22)),
        ("Autumn 2", "Autumn", D(Y, 11, 1), D(Y, 12, 17)),
        ("Spring 1", "Spring", D(N, 1, 5), D(N, 2, 11)),
        ("Spring 2", "Spring", D(N, 2, 21), D(N, 3, 31)),
        ("Summer 1", "Summer", D(N, 4, 18), D(N, 5, 26)),
        ("Summer 2", "Summer", D(N, 6, 5), D(N, 7, 21)),
    ]:
        TermDate.objects.create(
            organisation=organisation, name=name, term=term, starts_on=starts, ends_on=ends
        )


def test_a_school_is_only_booked_in_term_and_the_summer_is_reported(db):
    school = OrganisationFactory(name="Oak Academy", sector=Sector.SCHOOL)
    year = today().year + 1
    school_terms(school, year)
    relationship = pair(school, staff_category=StaffCategory.TEACHER)
    # Monthly: stricter than the school's termly policy, so August has a window too.
    agreement = signed_agreement(relationship, responses=responses(minutes=45))

    sessions = schedule_create(
        agreement=agreement, start=D(year, 9, 1), weekday=FRI, at=TEN, by=None
    )

    calendar = calendar_for(school)
    assert calendar.terms
    days = [session_day(s) for s in sessions]
    assert len(days) == 11  # every month of the school year but August
    for day in days:
        assert calendar.in_term(day) and calendar.is_working_day(day)
    assert {s.duration_minutes for s in sessions} == {45}
    event = AuditEvent.objects.get(action="schedule.create")
    assert event.detail["unplaced"] == [
        [agreement.pk, D(year + 1, 8, 1).isoformat(), D(year + 1, 8, 31).isoformat()]
    ]


def test_sessions_are_on_the_agreed_weekday_unless_the_supervisor_is_busy(cast):
    agreement = sams_agreement(cast)
    start = D(today().year + 1, 1, 1)
    calendar = calendar_for(cast.organisation)
    february = list(calendar.working_days(D(start.year, 2, 1), D(start.year, 2, 28)))
    first_thursday = next(d for d in february if d.weekday() == THU)
    # Mia (the supervisor) already sees another supervisee that Thursday.
    Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.manager,
        supervisee=PersonFactory(organisation=cast.organisation),
        starts_at=datetime.datetime.combine(first_thursday, TEN, tzinfo=LONDON),
        duration_minutes=60,
    )

    sessions = schedule_create(agreement=agreement, start=start, weekday=THU, at=TEN, by=None)

    days = [session_day(s) for s in sessions]
    assert len(days) == 12
    for day in days:
        month = list(calendar.working_days(day.replace(day=1), day + relativedelta(day=31)))
        thursdays = [d for d in month if d.weekday() == THU and d != first_thursday]
        assert day == (thursdays or month)[0]
    assert first_thursday not in days
    assert first_thursday + 7 * DAY in days


def test_recreating_replaces_untouched_proposals_and_keeps_the_rest(cast):
    agreement = sams_agreement(cast)
    start = D(today().year + 1, 1, 1)
    first = schedule_create(agreement=agreement, start=start, weekday=MON, at=TEN, by=None)
    prepared, held, cancelled = first[1], first[2], first[3]
    AgendaItem.objects.create(
        organisation_id=prepared.organisation_id,
        session=prepared,
        added_by=cast.supervisor,
        title="Caseload",
        function="management",
    )
    Session.objects.filter(pk=held.pk).update(status=SessionStatus.HELD)
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    by_hand = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.manager,
        supervisee=cast.supervisor,
        starts_at=datetime.datetime.combine(D(start.year, 6, 15), TEN, tzinfo=LONDON),
        duration_minutes=60,
    )

    second = schedule_create(agreement=agreement, start=start, weekday=WED, at=TEN, by=None)

    kept = {prepared.pk, held.pk, cancelled.pk, by_hand.pk}
    remaining = set(Session.objects.filter(supervisee=cast.supervisor).values_list("pk", flat=True))
    assert kept <= remaining
    assert remaining - kept == {s.pk for s in second}
    # The months that have a prepared, held or hand-booked session get no second one; the
    # month of the cancelled one gets a new one, on the new weekday.
    covered = {session_day(s).month for s in (prepared, held, by_hand)}
    assert sorted(session_day(s).month for s in second) == sorted(set(range(1, 13)) - covered)
    calendar = calendar_for(cast.organisation)
    for session in second:
        day = session_day(session)
        month = list(calendar.working_days(day.replace(day=1), day + relativedelta(day=31)))
        assert day == ([d for d in month if d.weekday() == WED] or month)[0]
    event = AuditEvent.objects.filter(action="schedule.create").order_by("pk").last()
    assert event.detail["deleted"] == 12 - 3
    assert event.detail["created"] == len(second) == 12 - 3


def test_the_schedule_never_replaces_sessions_before_its_start(cast):
    agreement = sams_agreement(cast)
    year = today().year + 1
    schedule_create(agreement=agreement, start=D(year, 1, 1), weekday=MON, at=TEN, by=None)

    schedule_create(
        agreement=agreement, start=D(year, 7, 1), months=3, weekday=MON, at=TEN, by=None
    )

    months = sorted(session_day(s).month for s in scheduled(agreement))
    assert months == [1, 2, 3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize(
    "status",
    [AgreementStatus.DRAFT, AgreementStatus.DUE_FOR_REVIEW, AgreementStatus.SUPERSEDED],
)
def test_only_an_active_agreement_has_a_schedule(cast, status):
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisor, ends_on=None)
    if status == AgreementStatus.DRAFT:
        agreement = agreement_services.agreement_start(
            relationship=relationship,
            template_version=AgreementTemplateVersionFactory(
                template__organisation=cast.organisation
            ),
            by=cast.supervisor,
        )
    else:
        agreement = sams_agreement(cast)
        Agreement.objects.filter(pk=agreement.pk).update(status=status)

    with pytest.raises(ValidationError):
        schedule_create(agreement=agreement, start=today() + DAY, weekday=MON, at=TEN, by=None)
    assert not Session.objects.exists()
    assert not AuditEvent.objects.filter(action="schedule.create").exists()


@pytest.mark.parametrize(
    ("start_in", "months", "weekday"),
    [(-1, 12, MON), (1, 0, MON), (1, 25, MON), (1, 12, 5), (1, 12, 7)],
)
def test_a_start_in_the_past_or_odd_lengths_and_days_are_refused(cast, start_in, months, weekday):
    agreement = sams_agreement(cast)

    with pytest.raises(ValidationError):
        schedule_create(
            agreement=agreement,
            start=today() + start_in * DAY,
            months=months,
            weekday=weekday,
            at=TEN,
            by=None,
        )
    assert not Session.objects.exists()


# A change of supervisor


def test_a_new_supervisor_takes_over_the_sessions_still_to_come(cast):
    assert sessions_supervisor_changed in SUPERVISOR_CHANGE_HOOKS
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisee, ends_on=None)
    agreement = signed_agreement(relationship, responses=responses(frequency="weekly"))
    schedule_create(
        agreement=agreement, start=today() + DAY, months=3, weekday=TUE, at=TEN, by=None
    )
    past = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=timezone.now() - 14 * DAY,
        duration_minutes=90,
        status=SessionStatus.HELD,
    )
    changes_on = today() + 30 * DAY
    later = Session.objects.filter(agreement=agreement, starts_at__gte=_midnight(changes_on))
    cancelled = later.order_by("starts_at").first()
    Session.objects.filter(pk=cancelled.pk).update(status=SessionStatus.CANCELLED)
    # Sam also sees Cole, who is not changing supervisor.
    other = Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.colleague,
        starts_at=_midnight(changes_on) + 40 * DAY,
        duration_minutes=60,
    )

    relationship_start(
        supervisee=cast.supervisee,
        supervisor=cast.manager,
        starts_on=changes_on,
        by=cast.admin.user,
    )

    sessions = Session.objects.filter(supervisee=cast.supervisee)
    moved = sessions.filter(supervisor=cast.manager)
    assert moved.exists()
    assert all(s.starts_at >= _midnight(changes_on) for s in moved)
    assert all(s.status == SessionStatus.SCHEDULED for s in moved)
    stayed = sessions.filter(supervisor=cast.supervisor)
    assert past in stayed and cancelled in stayed
    assert all(
        s.starts_at < _midnight(changes_on) or s.status != SessionStatus.SCHEDULED for s in stayed
    )
    other.refresh_from_db()
    assert other.supervisor == cast.supervisor
    event = AuditEvent.objects.get(action="sessions.supervisor_changed")
    assert event.detail["sessions"] == moved.count()
    assert event.actor == cast.admin.user


def test_a_first_supervisor_moves_nothing(cast):
    newcomer = PersonFactory(organisation=cast.organisation)
    relationship_start(supervisee=newcomer, supervisor=cast.manager, by=None)
    assert not AuditEvent.objects.filter(action="sessions.supervisor_changed").exists()


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LONDON)


# A whole organisation at once


def test_the_organisation_run_spreads_a_supervisors_sessions_over_their_days(db):
    organisation = OrganisationFactory(name="Many Hands Council")
    supervisor = PersonFactory(organisation=organisation)
    agreements = []
    for _ in range(3):
        supervisee = PersonFactory(organisation=organisation)
        relationship = RelationshipFactory(supervisee=supervisee, supervisor=supervisor)
        agreements.append(signed_agreement(relationship, responses=responses()))
    start = D(today().year + 1, 1, 1)

    result = schedule_create_all(organisation=organisation, start=start, weekday=THU, at=TEN)

    assert result.agreements == 3 and result.created == 36
    by_month: dict[int, list[datetime.date]] = {}
    for session in Session.objects.filter(supervisor=supervisor):
        by_month.setdefault(session_day(session).month, []).append(session_day(session))
    assert all(len(set(days)) == 3 for days in by_month.values())  # never two on one day
    assert AuditEvent.objects.filter(action="schedule.create_all").count() == 1

    # Run again: the same schedule replaces the first; nothing doubles.
    again = schedule_create_all(organisation=organisation, start=start, weekday=THU, at=TEN)
    assert again.deleted == 36 and again.created == 36
    assert Session.objects.filter(supervisor=supervisor).count() == 36


def test_the_organisation_run_makes_the_same_queries_for_more_agreements(db):
    def run(name: str, people: int) -> int:
        organisation = OrganisationFactory(name=name)
        for _ in range(people):
            signed_agreement(pair(organisation), responses=responses())
        with CaptureQueriesContext(connection) as queries:
            schedule_create_all(organisation=organisation, start=today() + DAY, weekday=MON, at=TEN)
        return len(queries)

    # Up to 47 sessions: SQLite's bulk inserts hold at most 999 values.
    assert run("Small Council", 1) == run("Larger Council", 3)


def since_spring(cast) -> None:
    """The cast's supervision as begun in spring 2026, whatever day the tests run on (under the
    date sweep the cast is made on the sweep's day), for the tests that travel to fixed dates."""
    SupervisionRelationship.objects.filter(organisation=cast.organisation).update(
        starts_on=D(2026, 4, 1)
    )


def test_the_issues_nqsw_from_monday_4_january_2027_tapers_without_a_new_agreement(cast):
    """Sue starts her ASYE on Monday 4 January 2027, her agreement "as the policy requires",
    sessions on Mondays. Worked by hand: weekly in weeks 1 to 6 (4 January to 14 February), then
    fortnightly to 4 July (10 fortnights from 15 February), then monthly by calendar month from
    5 July. A bank holiday Monday takes the window's other Monday: Easter Monday 29 March gives
    5 April, 3 May gives 26 April, 31 May gives 24 May, 30 August gives 2 August. The year's last
    window, 1 to 3 January 2028, has no working day (New Year's Day's substitute is Monday the
    3rd): 22 sessions, each in its own window."""
    since_spring(cast)
    with time_machine.travel(london(D(2026, 12, 14), 9), tick=False):
        sue = cast.supervisee
        sue.asye_start = D(2027, 1, 4)
        sue.save()
        relationship = SupervisionRelationship.objects.get(supervisee=sue, ends_on=None)
        agreement = signed_agreement(
            relationship, responses=responses(frequency="as_policy", minutes=None)
        )

        schedule_create(agreement=agreement, start=D(2027, 1, 4), weekday=MON, at=TEN, by=None)

        days = [session_day(s) for s in scheduled(agreement)]
        assert days == [
            *[D(2027, 1, 4) + 7 * n * DAY for n in range(6)],
            *[D(2027, 2, 15), D(2027, 3, 1), D(2027, 3, 15), D(2027, 4, 5), D(2027, 4, 12)],
            *[D(2027, 4, 26), D(2027, 5, 10), D(2027, 5, 24), D(2027, 6, 7), D(2027, 6, 21)],
            *[D(2027, 7, 5), D(2027, 8, 2), D(2027, 9, 6), D(2027, 10, 4), D(2027, 11, 1)],
            D(2027, 12, 6),
        ]
        assert not set(days) & bank_holidays("england", D(2027, 1, 1), D(2028, 1, 31))
        needed = sessions_needed(
            rules=rules_for(sue), clock_start=D(2027, 1, 4), start=D(2027, 1, 4), end=D(2028, 1, 3)
        )
        assert [w.frequency for w in needed].count(Frequency.FORTNIGHTLY) == 10
        one_per_window(scheduled(agreement), needed[:-1])
        assert (needed[-1].starts_on, needed[-1].ends_on) == (D(2028, 1, 1), D(2028, 1, 3))
        # The taper came from the policy: the pair signed one version.
        assert agreement.versions.count() == 1


def test_re_proposing_after_a_policy_change_moves_only_future_untouched_sessions(cast):
    """Sam is seen monthly on Tuesdays from January 2027. In March his category becomes
    fortnightly from 1 April; the schedule proposed again keeps what has passed, the session
    booked by hand and the one with an agenda, and proposes fortnightly ones from April."""
    since_spring(cast)
    with time_machine.travel(london(D(2026, 12, 14), 9), tick=False):
        agreement = sams_agreement(cast, frequency="as_policy")
        schedule_create(agreement=agreement, start=D(2027, 1, 4), weekday=TUE, at=TEN, by=None)
        proposed = scheduled(agreement)
        prepared = next(s for s in proposed if session_day(s) >= D(2027, 5, 1))
        item(prepared, "Caseload review")
        by_hand = session_services.session_book(
            supervisor=cast.manager,
            supervisee=cast.supervisor,
            starts_at=london(D(2027, 6, 17), 14),
            duration_minutes=90,
            kind="one_to_one",
            location="Room 4",
            by=cast.manager,
        )
    with time_machine.travel(london(D(2027, 3, 10), 9), tick=False):
        before = {s.pk: s.starts_at for s in scheduled(agreement)}
        policies.frequency_policy_change(
            organisation=cast.organisation,
            by=cast.admin,
            staff_category=cast.supervisor.staff_category,
            effective_from=D(2027, 4, 1),
            stages=[policies.Stage(0, Frequency.FORTNIGHTLY, 90)],
        )
        schedule_create(agreement=agreement, start=D(2027, 3, 11), weekday=TUE, at=TEN, by=None)

        after = {s.pk: s.starts_at for s in scheduled(agreement)}
        gone_by = london(D(2027, 3, 10), 9)
        kept = {pk for pk, starts_at in before.items() if starts_at < gone_by}
        kept |= {prepared.pk, by_hand.pk}
        assert {pk: before[pk] for pk in kept} == {pk: after[pk] for pk in kept}
        assert not {pk for pk in before if pk not in kept} & set(after)
        # From April: one session a fortnight, the hand-booked and prepared ones counted in.
        april_on = sorted(
            d for d in (s.astimezone(LONDON).date() for s in after.values()) if d >= D(2027, 4, 1)
        )
        needed = sessions_needed(
            rules=rules_for(cast.supervisor),
            clock_start=None,
            start=D(2027, 4, 1),
            end=D(2028, 3, 1),  # 24 whole fortnights
        )
        assert [w.frequency for w in needed] == [Frequency.FORTNIGHTLY] * 24
        assert all(any(w.starts_on <= d <= w.ends_on for d in april_on) for w in needed)
