"""The compliance figures against cases worked out by hand.

Every case uses fixed past dates and an explicit ``today``; the expected numbers are worked out
in the comments from the default policy (``agreements.policies.DEFAULT_RULES``: an NQSW weekly
for days 0-41 of the ASYE, fortnightly for days 42-182, monthly after; other social workers
monthly; all at least 90 minutes) and the English working calendar.
"""

from __future__ import annotations

import datetime
from datetime import date

import pytest

from tandem.agreements.models import Agreement, AgreementStatus, Frequency, FrequencyRule
from tandem.agreements.tests.factories import signed_agreement
from tandem.meetings.models import SessionKind
from tandem.organisations import services as organisation_services
from tandem.organisations.models import Organisation, StaffCategory, TeamKind
from tandem.oversight import selectors
from tandem.oversight.models import DueWindow
from tandem.oversight.periods import Period
from tandem.oversight.selectors import Figures, Scope
from tandem.oversight.services.windows import windows_refresh
from tandem.records.models import (
    Action,
    ActionStatus,
    Disagreement,
    DisagreementStatus,
    RecordStatus,
)
from tandem.records.selectors import record_due_on

from .factories import (
    at,
    cancelled,
    counting_from,
    feedback,
    held,
    organisation,
    person,
    rebooked,
    record,
    supervised,
    unit,
)

pytestmark = [pytest.mark.django_db, pytest.mark.dated]


@pytest.fixture
def org() -> Organisation:
    return organisation("Hand Worked Council")


def spans(person_id: int, until: date | None = None) -> list[tuple[date, date, str]]:
    rows = DueWindow.objects.filter(person_id=person_id).order_by("starts_on")
    if until is not None:
        rows = rows.filter(starts_on__lte=until)
    return [(w.starts_on, w.ends_on, w.frequency) for w in rows]


# 1. An NQSW whose required frequency changes in the middle of a month


def test_nqsw_frequency_changes_mid_month(org):
    # ASYE starts Monday 4 August 2025, so day 42 (the first fortnightly day) is Monday
    # 15 September: September has weekly windows, then fortnightly ones.
    counting_from(org, date(2025, 8, 1))
    team = unit(org, "Assessment")
    supervisor = person(org)  # in no team: outside the scope below
    start = date(2025, 8, 4)
    nqsw = person(
        org,
        team=team,
        staff_category=StaffCategory.NQSW_ASYE,
        employment_start=start,
        asye_start=start,
    )
    today = date(2025, 10, 20)
    windows_refresh(org, today=today)

    # Weekly from day 0: 4-10, 11-17, 18-24, 25-31 August, 1-7 and 8-14 September (days 35-41);
    # fortnightly from day 42: 15-28 September, 29 September-12 October, 13-26 October...
    assert spans(nqsw.pk, until=date(2025, 10, 13)) == [
        (date(2025, 8, 4), date(2025, 8, 10), Frequency.WEEKLY),
        (date(2025, 8, 11), date(2025, 8, 17), Frequency.WEEKLY),
        (date(2025, 8, 18), date(2025, 8, 24), Frequency.WEEKLY),
        (date(2025, 8, 25), date(2025, 8, 31), Frequency.WEEKLY),
        (date(2025, 9, 1), date(2025, 9, 7), Frequency.WEEKLY),
        (date(2025, 9, 8), date(2025, 9, 14), Frequency.WEEKLY),
        (date(2025, 9, 15), date(2025, 9, 28), Frequency.FORTNIGHTLY),
        (date(2025, 9, 29), date(2025, 10, 12), Frequency.FORTNIGHTLY),
        (date(2025, 10, 13), date(2025, 10, 26), Frequency.FORTNIGHTLY),
    ]

    first = held(nqsw, supervisor, date(2025, 9, 3))  # 90 minutes: meets 1-7 September
    held(nqsw, supervisor, date(2025, 9, 10), minutes=60)  # short: 8-14 September not met
    third = held(nqsw, supervisor, date(2025, 9, 22), minutes=95, kind=SessionKind.AD_HOC)

    # September: windows ending in it are 1-7, 8-14 and 15-28 September: 3 required, 2 met
    # (3 September, 22 September), 1 missed; 3 held, 1 of them short (60 < 90 minutes).
    september = Period.month(date(2025, 9, 1))
    scope = Scope(org, unit=team)
    figures = selectors.figures(scope, september, today)
    assert (figures.people, figures.required, figures.met, figures.missed) == (1, 3, 2, 1)
    assert (figures.people_missing, figures.held, figures.short) == (1, 3, 1)
    assert figures.met_percent == 66  # 2/3, rounded down
    assert figures.short_percent == 33

    # The same for the person on their own.
    mine = selectors.figures_by(scope, september, today, by="person")[nqsw.pk]
    assert (mine.required, mine.met, mine.missed, mine.held, mine.short) == (3, 2, 1, 3, 1)

    # The person's page: every window touching September, with the session that met it.
    rows = selectors.person_windows(nqsw, september, today)
    assert [(r.window.starts_on, r.session_id) for r in rows] == [
        (date(2025, 9, 1), first.pk),
        (date(2025, 9, 8), None),
        (date(2025, 9, 15), third.pk),
        (date(2025, 9, 29), None),
    ]

    # The quarter July-September adds August's four weekly windows, none met: 7 required, 2 met.
    quarter = selectors.figures(scope, Period.quarter(date(2025, 9, 1)), today)
    assert (quarter.required, quarter.met, quarter.missed) == (7, 2, 5)


def test_a_window_ending_today_is_not_yet_due(org):
    # A social worker (monthly): on 30 September the September window can still be met today.
    counting_from(org, date(2025, 9, 1))
    worker = person(org)
    windows_refresh(org, today=date(2025, 9, 30))
    september = Period.month(date(2025, 9, 1))
    assert selectors.figures(Scope(org), september, date(2025, 9, 30)).required == 0
    assert selectors.figures(Scope(org), september, date(2025, 10, 1)).required == 1
    assert DueWindow.objects.filter(person=worker)[0].ends_on == date(2025, 9, 30)


# 2. Cancelled sessions, re-booked in time, late, or not at all


def test_cancelled_sessions_rebooked_in_time_late_or_not_at_all(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    today = date(2025, 11, 3)

    # Re-booked on its deadline day, at 23:30 British Summer Time (22:30 UTC): in time.
    in_time = cancelled(worker, supervisor, date(2025, 10, 6), rebook_by=date(2025, 10, 17))
    rebooked(in_time, booked_at=at(date(2025, 10, 17), 23, 30), on=date(2025, 11, 10))
    # Re-booked at 00:30 the day after its deadline: still 17 October in UTC (23:30), but
    # 18 October in London: late. Cancelled, not in time, and not overdue either.
    late = cancelled(worker, supervisor, date(2025, 10, 8), rebook_by=date(2025, 10, 17))
    rebooked(late, booked_at=at(date(2025, 10, 18), 0, 30), on=date(2025, 11, 12))
    # Never re-booked, deadline 24 October passed by 3 November: re-booking overdue.
    overdue = cancelled(worker, supervisor, date(2025, 10, 13), rebook_by=date(2025, 10, 24))
    # No deadline (the agreement set none) and re-booked: in time.
    open_ended = cancelled(worker, supervisor, date(2025, 10, 20))
    rebooked(open_ended, booked_at=at(date(2025, 10, 29)), on=date(2025, 11, 14))
    # Deadline still to come (5 November): neither.
    cancelled(worker, supervisor, date(2025, 10, 22), rebook_by=date(2025, 11, 5))
    # Cancelled in September: another period.
    september = cancelled(worker, supervisor, date(2025, 9, 29), rebook_by=date(2025, 10, 1))

    # October: 5 cancelled (6, 8, 13, 20, 22 October), 2 re-booked in time (6 and 20), 1 overdue
    # (13). The re-bookings are still to happen (scheduled in November): none held.
    october = Period.month(date(2025, 10, 1))
    figures = selectors.figures(Scope(org), october, today)
    assert (figures.cancelled, figures.rebooked_in_time, figures.rebook_overdue) == (5, 2, 1)
    assert figures.held == 0

    # The September one's deadline passed too: the list of exceptions has both, oldest first.
    listed = selectors.rebook_overdue_sessions(Scope(org), today)
    assert [s.pk for s in listed] == [september.pk, overdue.pk]
    # September on its own: 1 cancelled, overdue.
    before = selectors.figures(Scope(org), october.previous(), today)
    assert (before.cancelled, before.rebooked_in_time, before.rebook_overdue) == (1, 0, 1)


# 3. Records shared by the 10th working day, on the 11th, or not at all


def test_record_deadline_over_christmas_on_time_late_and_not_shared(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    # Held Thursday 18 December 2025. Working days after it: Fri 19 (1), Mon 22 (2), Tue 23 (3),
    # Wed 24 (4); 25 and 26 December are bank holidays; Mon 29 (5), Tue 30 (6), Wed 31 (7);
    # 1 January is a bank holiday; Fri 2 (8), Mon 5 (9), Tue 6 January 2026 (10).
    held_on = date(2025, 12, 18)
    due = date(2026, 1, 6)
    assert record_due_on(org, held_on) == due

    on_time = record(held(worker, supervisor, held_on, hour=9), shared_at=at(due, 16))
    late = record(held(worker, supervisor, held_on, hour=11), shared_at=at(date(2026, 1, 7), 9))
    never = record(held(worker, supervisor, held_on, hour=14))  # still a draft
    signed = record(
        held(worker, supervisor, held_on, hour=16),
        shared_at=at(date(2026, 1, 5), 12),
        status=RecordStatus.SIGNED,
    )
    # Held Tuesday 30 December: due the 10th working day, Wednesday 14 January; a draft on
    # 12 January is not yet late and not yet due.
    not_yet = record(held(worker, supervisor, date(2025, 12, 30)))
    assert not_yet.due_on == date(2026, 1, 14)
    assert {on_time.due_on, late.due_on, never.due_on, signed.due_on} == {due}

    # December: 5 records; 4 due (3 shared, 1 draft past its deadline); on time: the one shared
    # on 6 January and the signed one shared on 5 January; late: 7 January; not shared: 1;
    # signed by both: 1.
    figures = selectors.figures(Scope(org), Period.month(held_on), date(2026, 1, 12))
    assert (figures.records, figures.records_due) == (5, 4)
    assert (figures.shared_on_time, figures.shared_late, figures.not_shared) == (2, 1, 1)
    assert figures.signed == 1
    assert figures.on_time_percent == 50  # 2 of 4
    assert figures.signed_percent == 20  # 1 of 5
    assert [r.pk for r in selectors.overdue_records(Scope(org), date(2026, 1, 12))] == [never.pk]


def test_a_record_shared_late_in_the_evening_counts_by_london_days(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    # Held Thursday 14 August 2025: Fri 15 (1), Mon 18 to Fri 22 (2-6), Mon 25 is the summer
    # bank holiday, Tue 26 to Fri 29 August (7-10): due Friday 29 August.
    held_on = date(2025, 8, 14)
    due = date(2025, 8, 29)
    assert record_due_on(org, held_on) == due
    # 23:30 on the due day in British Summer Time is 22:30 UTC: on time.
    evening = record(held(worker, supervisor, held_on, hour=9), shared_at=at(due, 23, 30))
    # 00:30 the next morning is still 29 August in UTC (23:30), but 30 August in London: late.
    after_midnight = record(
        held(worker, supervisor, held_on, hour=14), shared_at=at(date(2025, 8, 30), 0, 30)
    )
    assert at(date(2025, 8, 30), 0, 30).astimezone(datetime.UTC).date() == due

    figures = selectors.figures(Scope(org), Period.month(held_on), date(2025, 9, 15))
    assert (figures.shared_on_time, figures.shared_late) == (1, 1)
    records = selectors.person_records(worker, Period.month(held_on))
    shared_on = {r.pk: r.shared_on for r in records}  # type: ignore[attr-defined]
    assert shared_on == {evening.pk: due, after_midnight.pk: date(2025, 8, 30)}


def test_a_record_shared_late_on_a_winter_evening_counts_on_time(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    held_on = date(2025, 12, 18)
    due = record_due_on(org, held_on)  # Tuesday 6 January 2026 (see above)
    # 23:30 on the due day in winter is 23:30 UTC too: on time.
    record(held(worker, supervisor, held_on), shared_at=at(due, 23, 30))
    figures = selectors.figures(Scope(org), Period.month(held_on), date(2026, 2, 1))
    assert (figures.shared_on_time, figures.shared_late) == (1, 0)


# 4. A change of supervisor in the middle of the year


def test_a_change_of_supervisor_changes_nothing_required(org):
    counting_from(org, date(2025, 4, 1))
    team = unit(org, "Assessment")
    leaders = unit(org, "Leaders")
    old = person(org, team=leaders, first_name="Olive")
    new = person(org, team=leaders, first_name="Nia")
    start = date(2025, 4, 7)  # a Monday
    nqsw = person(
        org,
        team=team,
        staff_category=StaffCategory.NQSW_ASYE,
        employment_start=start,
        asye_start=start,
    )
    organisation_services.relationship_start(supervisee=nqsw, supervisor=old, starts_on=start)
    windows_refresh(org, today=date(2025, 7, 15))
    before = spans(nqsw.pk, until=date(2025, 10, 31))

    # Nia takes over on 1 August; the nightly refresh runs that day.
    organisation_services.relationship_start(
        supervisee=nqsw, supervisor=new, starts_on=date(2025, 8, 1)
    )
    windows_refresh(org, today=date(2025, 8, 1))
    after = spans(nqsw.pk, until=date(2025, 10, 31))
    assert after == before

    # The clock is the NQSW's from 7 April: weekly to 18 May (days 0-41), fortnightly from
    # 19 May (day 42) to 6 October (day 182), monthly after; nothing starts again in August.
    assert after[:7] == [
        (date(2025, 4, 7), date(2025, 4, 13), Frequency.WEEKLY),
        (date(2025, 4, 14), date(2025, 4, 20), Frequency.WEEKLY),
        (date(2025, 4, 21), date(2025, 4, 27), Frequency.WEEKLY),
        (date(2025, 4, 28), date(2025, 5, 4), Frequency.WEEKLY),
        (date(2025, 5, 5), date(2025, 5, 11), Frequency.WEEKLY),
        (date(2025, 5, 12), date(2025, 5, 18), Frequency.WEEKLY),
        (date(2025, 5, 19), date(2025, 6, 1), Frequency.FORTNIGHTLY),
    ]
    august_on = [w for w in after if w[0] >= date(2025, 7, 28)]
    assert august_on == [
        (date(2025, 7, 28), date(2025, 8, 10), Frequency.FORTNIGHTLY),
        (date(2025, 8, 11), date(2025, 8, 24), Frequency.FORTNIGHTLY),
        (date(2025, 8, 25), date(2025, 9, 7), Frequency.FORTNIGHTLY),
        (date(2025, 9, 8), date(2025, 9, 21), Frequency.FORTNIGHTLY),
        (date(2025, 9, 22), date(2025, 10, 5), Frequency.FORTNIGHTLY),
        # Day 182 (6 October) alone would be a one-day fortnight: it joins October's month.
        (date(2025, 10, 6), date(2025, 10, 31), Frequency.MONTHLY),
    ]

    # July to September: windows ending 13 and 27 July, 10 and 24 August, 7 and 21 September:
    # 6 required. Olive held 10 and 24 July, Nia 6 and 20 August and 3 September: 5 met; the
    # window 8-21 September had none.
    for day in (date(2025, 7, 10), date(2025, 7, 24)):
        held(nqsw, old, day)
    for day in (date(2025, 8, 6), date(2025, 8, 20), date(2025, 9, 3)):
        held(nqsw, new, day)
    today = date(2025, 10, 20)
    figures = selectors.figures(Scope(org, unit=team), Period.quarter(date(2025, 7, 1)), today)
    assert (figures.required, figures.met, figures.missed, figures.held) == (6, 5, 1, 5)


# 5. The policy as it stood


def test_a_policy_change_rewrites_only_windows_not_yet_ended(org):
    counting_from(org, date(2025, 1, 1))
    worker = person(org)  # a social worker: monthly, 90 minutes
    windows_refresh(org, today=date(2025, 3, 20))
    supervisor = person(org, team=unit(org, "Elsewhere"))
    for day in (date(2025, 1, 15), date(2025, 3, 4)):
        held(worker, supervisor, day)
    first_quarter = Period.quarter(date(2025, 1, 1))
    scope = Scope(org, staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER)
    counted_on = date(2025, 4, 2)
    before = selectors.figures_by(scope, first_quarter, counted_on, by="person")[worker.pk]
    # January, February, March: 3 required; 15 January and 4 March: 2 met.
    assert (before.required, before.met) == (3, 2)

    # On 1 April the organisation makes social work supervision fortnightly.
    FrequencyRule.objects.filter(
        organisation=org, staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER
    ).update(frequency=Frequency.FORTNIGHTLY)
    windows_refresh(org, today=date(2025, 4, 1))

    # January to March stay monthly (they had ended); fortnights from 1 April.
    assert spans(worker.pk, until=date(2025, 5, 1)) == [
        (date(2025, 1, 1), date(2025, 1, 31), Frequency.MONTHLY),
        (date(2025, 2, 1), date(2025, 2, 28), Frequency.MONTHLY),
        (date(2025, 3, 1), date(2025, 3, 31), Frequency.MONTHLY),
        (date(2025, 4, 1), date(2025, 4, 14), Frequency.FORTNIGHTLY),
        (date(2025, 4, 15), date(2025, 4, 28), Frequency.FORTNIGHTLY),
        (date(2025, 4, 29), date(2025, 5, 12), Frequency.FORTNIGHTLY),
    ]
    after = selectors.figures_by(scope, first_quarter, counted_on, by="person")[worker.pk]
    assert (after.required, after.met) == (3, 2)


def test_a_policy_change_mid_window_requires_nothing_in_the_past(org):
    # Monthly until Saturday 15 March 2025, when the rule becomes fortnightly. Fortnights from
    # the current window's start would give 1-14 March, which ended before the change: nobody
    # can be asked, on the 15th, to have met it. It joins the next: 1-28 March, then 29 March-11
    # April and on.
    counting_from(org, date(2025, 1, 1))
    worker = person(org)
    windows_refresh(org, today=date(2025, 3, 10))
    FrequencyRule.objects.filter(
        organisation=org, staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER
    ).update(frequency=Frequency.FORTNIGHTLY)
    windows_refresh(org, today=date(2025, 3, 15))

    assert spans(worker.pk, until=date(2025, 4, 11)) == [
        (date(2025, 1, 1), date(2025, 1, 31), Frequency.MONTHLY),
        (date(2025, 2, 1), date(2025, 2, 28), Frequency.MONTHLY),
        (date(2025, 3, 1), date(2025, 3, 28), Frequency.FORTNIGHTLY),
        (date(2025, 3, 29), date(2025, 4, 11), Frequency.FORTNIGHTLY),
    ]
    march = Period.month(date(2025, 3, 1))
    assert selectors.figures(Scope(org), march, date(2025, 3, 16)).required == 0


def test_a_change_of_staff_category_rewrites_only_windows_not_yet_ended(org):
    counting_from(org, date(2025, 1, 1))
    worker = person(org)  # a social worker: monthly
    windows_refresh(org, today=date(2025, 3, 20))

    # From 1 April they work as a care worker: every two months, no minimum length.
    worker.staff_category = StaffCategory.CARE_WORKER
    worker.save()
    windows_refresh(org, today=date(2025, 4, 1))

    rows = DueWindow.objects.filter(person=worker, starts_on__lte=date(2025, 6, 1))
    assert [(w.starts_on, w.ends_on, w.staff_category, w.min_minutes) for w in rows] == [
        (date(2025, 1, 1), date(2025, 1, 31), StaffCategory.REGISTERED_SOCIAL_WORKER, 90),
        (date(2025, 2, 1), date(2025, 2, 28), StaffCategory.REGISTERED_SOCIAL_WORKER, 90),
        (date(2025, 3, 1), date(2025, 3, 31), StaffCategory.REGISTERED_SOCIAL_WORKER, 90),
        (date(2025, 4, 1), date(2025, 5, 31), StaffCategory.CARE_WORKER, None),
        (date(2025, 6, 1), date(2025, 7, 31), StaffCategory.CARE_WORKER, None),
    ]
    # January to March still needed 3 sessions (counted under their category now).
    first_quarter = Period.quarter(date(2025, 1, 1))
    scope = Scope(org, staff_category=StaffCategory.CARE_WORKER)
    assert selectors.figures(scope, first_quarter, date(2025, 4, 2)).required == 3


# 6. Agreements, supervisors, disagreements and actions: how things stand today


def test_agreements_supervisors_disagreements_and_actions_by_scope(org):
    counting_from(org, date(2025, 1, 1))
    service = unit(org, "Safeguarding", TeamKind.SERVICE)
    team = unit(org, "Assessment", parent=service)
    other = unit(org, "Fostering", parent=service)
    boss = person(org, team=other)
    supervised(boss, person(org), date(2025, 1, 1))
    today = date(2026, 6, 30)

    def agreement(who, status, review_due_on):
        relationship = supervised(who, boss, date(2025, 1, 1))
        made = signed_agreement(relationship)
        Agreement.objects.filter(pk=made.pk).update(status=status, review_due_on=review_due_on)

    in_date = person(org, team=team)
    agreement(in_date, AgreementStatus.ACTIVE, today)  # due for review today: still in date
    lapsed = person(org, team=team)
    agreement(lapsed, AgreementStatus.ACTIVE, date(2026, 6, 29))  # review date passed
    marked_due = person(org, team=team)
    agreement(marked_due, AgreementStatus.DUE_FOR_REVIEW, date(2026, 6, 1))
    without = person(org, team=team)
    supervised(without, boss, date(2025, 1, 1))  # supervised, no agreement
    alone = person(org, team=team)  # no supervisor, no agreement
    ended = person(org, team=team)
    relationship = supervised(ended, boss, date(2025, 1, 1))
    relationship.ends_on = date(2026, 6, 29)
    relationship.save()
    person(org, team=team, left_on=date(2026, 6, 1))  # left: not counted at all

    # The team: 6 in post; 1 agreement in date; 2 without a supervisor today (alone, ended).
    figures = selectors.figures(Scope(org, unit=team), Period.month(today), today)
    assert (figures.staff, figures.agreements_in_date, figures.no_supervisor) == (6, 1, 2)
    assert figures.agreements_percent == 16  # 1 of 6
    out_of_date = selectors.agreements_out_of_date(Scope(org, unit=team), today)
    # Those who never had one first (by name), then by review date: 1 June, 29 June.
    listed = [p.pk for p in out_of_date]
    assert set(listed[:3]) == {without.pk, alone.pk, ended.pk}
    assert listed[3:] == [marked_due.pk, lapsed.pk]

    # Disagreements: 2 open in the team, 1 resolved; 1 open in the other team.
    session = held(in_date, boss, date(2026, 6, 2))
    its_record = record(session, shared_at=at(date(2026, 6, 3)))
    other_record = record(held(boss, in_date, date(2026, 6, 2), hour=14))
    for raised, on in (
        (DisagreementStatus.OPEN, its_record),
        (DisagreementStatus.OPEN, its_record),
        (DisagreementStatus.RESOLVED, its_record),
        (DisagreementStatus.OPEN, other_record),
    ):
        Disagreement.objects.create(
            organisation=org, record=on, raised_by=on.supervisee, text="No.", status=raised
        )
    # Actions: open and past due (2 in the team), open and due today (not overdue), done.
    for key, owner, due_on, status in (
        ("a", in_date, date(2026, 6, 29), ActionStatus.OPEN),
        ("b", lapsed, date(2026, 6, 1), ActionStatus.OPEN),
        ("c", in_date, today, ActionStatus.OPEN),
        ("d", in_date, date(2026, 6, 1), ActionStatus.DONE),
        ("e", boss, date(2026, 6, 1), ActionStatus.OPEN),
    ):
        Action.objects.create(
            organisation=org,
            record=its_record,
            key=key,
            text="Do it",
            owner=owner,
            due_on=due_on,
            status=status,
        )

    figures = selectors.figures(Scope(org, unit=team), Period.month(today), today)
    assert (figures.open_disagreements, figures.overdue_actions) == (2, 2)
    whole = selectors.figures(Scope(org, unit=service), Period.month(today), today)
    assert (whole.open_disagreements, whole.overdue_actions) == (3, 3)


# 8. Feedback: small groups are never shown


def test_feedback_from_fewer_than_five_people_is_not_shown(org):
    service = unit(org, "Safeguarding", TeamKind.SERVICE)
    small = unit(org, "Small", parent=service)
    large = unit(org, "Large", parent=service)
    supervisor = person(org, team=service)
    days = [date(2025, 10, d) for d in (1, 2, 3, 6, 7)]

    def answers(team, rows):
        for day, row in zip(days, rows, strict=False):
            feedback(held(person(org, team=team), supervisor, day), team=team, answers=row)

    # 4 responses in the small team.
    answers(small, [(4, 3, 1), (4, 3, 1), (1, 3, 1), (1, 3, 1)])
    # 5 in the large team: useful 4,3,2,4,1 (3 agree: 60%); time to reflect 1,1,2,3,4
    # (2 agree: 40%); felt supported 4,4,4,4,2 (4 agree: 80%).
    answers(large, [(4, 1, 4), (3, 1, 4), (2, 2, 4), (4, 3, 4), (1, 4, 2)])

    october = Period.month(date(2025, 10, 1))
    assert not selectors.feedback_summary(Scope(org, unit=small), october).shown
    hidden = selectors.feedback_summary(Scope(org, unit=small), october)
    assert hidden.agreeing == {"useful": None, "time_to_reflect": None, "felt_supported": None}

    shown = selectors.feedback_summary(Scope(org, unit=large), october)
    assert shown.shown and shown.responses == 5
    assert shown.agreeing == {"useful": 60, "time_to_reflect": 40, "felt_supported": 80}

    # The service: 9 responses. Useful 2+3 = 5 (55%), reflect 4+2 = 6 (66%), supported
    # 0+4 = 4 (44%).
    both = selectors.feedback_summary(Scope(org, unit=service), october)
    assert both.agreeing == {"useful": 55, "time_to_reflect": 66, "felt_supported": 44}

    by_unit = selectors.feedback_by_unit(Scope(org, unit=service), october)
    assert not by_unit[small.pk].shown
    assert by_unit[small.pk].agreeing["useful"] is None
    assert by_unit[large.pk].agreeing == shown.agreeing
    # The other month: nothing.
    assert selectors.feedback_summary(Scope(org), october.next()).responses == 0


# 9. A fixed number of queries, whatever the size


def _populate(org, team, count: int, start: int) -> None:
    supervisor = person(org, team=team)
    for n in range(count):
        worker = person(org, team=unit(org, f"Team {start + n}", parent=team))
        session = held(worker, supervisor, date(2025, 10, 1 + n % 20))
        record(session, shared_at=at(date(2025, 10, 25)))
        cancelled(worker, supervisor, date(2025, 10, 2 + n % 20), rebook_by=date(2025, 10, 30))


@pytest.mark.parametrize("size", [2, 12])
def test_figures_take_a_fixed_number_of_queries(org, size, django_assert_num_queries):
    counting_from(org, date(2025, 1, 1))
    service = unit(org, "Safeguarding", TeamKind.SERVICE)
    _populate(org, service, size, 0)
    windows_refresh(org, today=date(2025, 11, 10))
    scope = Scope(org, unit=service)
    october = Period.month(date(2025, 10, 1))
    today = date(2025, 11, 10)

    with django_assert_num_queries(9):
        headline = selectors.figures(scope, october, today)
    assert headline.required == size + 1  # everyone's October window; the supervisor's too
    assert headline.held == size and headline.cancelled == size
    with django_assert_num_queries(9):
        by_unit = selectors.figures_by(scope, october, today, by="unit")
    assert sum(f.required for f in by_unit.values()) == headline.required
    with django_assert_num_queries(9):
        by_person = selectors.figures_by(scope, october, today, by="person")
    assert len(by_person) == size + 1
    with django_assert_num_queries(2):
        months = selectors.trend(scope, october, today)
    assert [m.required for m in months][-1] == size + 1
    assert len(months) == 12


def test_empty_figures_are_zero_not_none(org):
    figures = selectors.figures(Scope(org), Period.month(date(2025, 10, 1)), date(2025, 11, 1))
    assert figures == Figures()
    assert figures.met_percent is None
    assert figures.as_dict()["missed"] == 0


def test_windows_begin_and_end_at_london_midnight(org):
    # A monthly social worker. 00:30 on 1 September in British Summer Time is 23:30 UTC on
    # 31 August: it is September's session, not August's. 23:30 on 31 August is August's.
    counting_from(org, date(2025, 8, 1))
    supervisor, worker = person(org, team=unit(org, "Elsewhere")), person(org)
    windows_refresh(org, today=date(2025, 10, 1))
    august = held(worker, supervisor, date(2025, 8, 31), hour=23)
    september = held(worker, supervisor, date(2025, 9, 1), hour=0)
    rows = selectors.person_windows(
        worker, Period.custom(date(2025, 8, 1), date(2025, 9, 30)), date(2025, 10, 1)
    )
    assert [(r.window.starts_on, r.session_id) for r in rows] == [
        (date(2025, 8, 1), august.pk),
        (date(2025, 9, 1), september.pk),
    ]
    scope = Scope(org, staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER)
    by_month = [
        (m.required, m.met)
        for m in selectors.trend(scope, Period.month(date(2025, 9, 1)), date(2025, 10, 1))
    ]
    # The supervisor's windows count too: 2 required a month, 1 met.
    assert by_month[-2:] == [(2, 1), (2, 1)]
    assert by_month[:-2] == [(0, 0)] * 10


def test_disagreements_and_actions_person_by_person(org):
    supervisor, worker = person(org), person(org)
    its_record = record(held(worker, supervisor, date(2025, 10, 1)))
    Disagreement.objects.create(
        organisation=org, record=its_record, raised_by=worker, text="No, that is not right."
    )
    Action.objects.create(
        organisation=org,
        record=its_record,
        key="a",
        text="Book the course",
        owner=supervisor,
        due_on=date(2025, 10, 10),
    )
    rows = selectors.figures_by(
        Scope(org), Period.month(date(2025, 10, 1)), date(2025, 11, 1), by="person"
    )
    # The disagreement is about the supervisee's record; the action is its owner's.
    assert (rows[worker.pk].open_disagreements, rows[worker.pk].overdue_actions) == (1, 0)
    assert (rows[supervisor.pk].open_disagreements, rows[supervisor.pk].overdue_actions) == (0, 1)
