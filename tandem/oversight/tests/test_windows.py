"""The policy written down: each person's windows, from the first day the figures count to a
few months ahead, rewritten only where they have not ended yet."""

from __future__ import annotations

import datetime
import itertools
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from tandem.agreements.models import Frequency, FrequencyRule
from tandem.agreements.tests.factories import SIMPLE_RESPONSES, signed_agreement
from tandem.core.models import TermDate
from tandem.organisations.models import Organisation, Sector, StaffCategory
from tandem.oversight import tasks
from tandem.oversight.models import DueWindow
from tandem.oversight.periods import midnight
from tandem.oversight.services.windows import windows_refresh, windows_refresh_all

from .factories import counting_from, organisation, person, supervised

pytestmark = [pytest.mark.django_db, pytest.mark.dated]
DAY = datetime.timedelta(days=1)


@pytest.fixture
def org() -> Organisation:
    return organisation("Window Council")


def windows_of(who) -> list[DueWindow]:
    return list(DueWindow.objects.filter(person=who).order_by("starts_on"))


def assert_contiguous(windows: list[DueWindow]) -> None:
    for before, after in itertools.pairwise(windows):
        assert after.starts_on == before.ends_on + DAY


def test_windows_run_without_gaps_from_the_first_day_to_the_horizon(org):
    counting_from(org, date(2025, 1, 1))
    long_served = person(org, employment_start=date(2019, 5, 1))
    joined = person(org, employment_start=date(2025, 2, 10))
    leaving = person(org, left_on=date(2025, 4, 15))

    written = windows_refresh(org, today=date(2025, 3, 15))

    # Monthly from 1 January (the first day the figures count) to the end of the third month
    # after March: January to June, 6 windows.
    mine = windows_of(long_served)
    assert [(w.starts_on, w.ends_on) for w in (mine[0], mine[-1])] == [
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 6, 1), date(2025, 6, 30)),
    ]
    assert len(mine) == 6
    assert_contiguous(mine)
    # Each window's instants are London midnights: GMT in January, BST in June.
    assert mine[0].starts_at == midnight(date(2025, 1, 1))
    assert mine[0].starts_at.astimezone(datetime.UTC).hour == 0
    assert mine[-1].ends_at == midnight(date(2025, 7, 1))
    assert mine[-1].ends_at.astimezone(datetime.UTC).hour == 23  # 30 June, 23:00 UTC
    assert {(w.frequency, w.min_minutes) for w in mine} == {(Frequency.MONTHLY, 90)}

    # From their first day, 10 February: 10-28 February, then March to June.
    theirs = windows_of(joined)
    assert (theirs[0].starts_on, theirs[0].ends_on) == (date(2025, 2, 10), date(2025, 2, 28))
    assert len(theirs) == 5
    assert_contiguous(theirs)

    # Until they leave on 15 April: January to March, then 1-15 April.
    gone = windows_of(leaving)
    assert [(w.starts_on, w.ends_on) for w in gone[-2:]] == [
        (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 4, 15)),
    ]
    assert written == 6 + 5 + 4


def test_refreshing_again_changes_nothing_and_never_touches_ended_windows(org):
    counting_from(org, date(2025, 1, 1))
    worker = person(org)
    windows_refresh(org, today=date(2025, 3, 15))
    before = {w.starts_on: w for w in windows_of(worker)}

    # The same day again: the same windows.
    windows_refresh(org, today=date(2025, 3, 15))
    again = {w.starts_on: w for w in windows_of(worker)}
    assert [(w.starts_on, w.ends_on) for w in again.values()] == [
        (w.starts_on, w.ends_on) for w in before.values()
    ]

    # A month on: the horizon moves to the end of July; January and February, which had ended,
    # are the very same rows; March, running then, has since ended and stays too.
    windows_refresh(org, today=date(2025, 4, 20))
    later = {w.starts_on: w for w in windows_of(worker)}
    for day in (date(2025, 1, 1), date(2025, 2, 1)):
        assert later[day].pk == before[day].pk
        assert later[day].computed_at == before[day].computed_at
    assert max(later) == date(2025, 7, 1)
    assert_contiguous(list(later.values()))


def test_a_stricter_frequency_agreed_in_an_active_agreement_applies(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    relationship = supervised(worker, supervisor, date(2025, 1, 1))
    signed_agreement(relationship, responses=dict(SIMPLE_RESPONSES, frequency="weekly"))
    bystander = person(org)

    windows_refresh(org, today=date(2025, 3, 3))

    # Weekly (stricter than the monthly policy) from 1 January, 90 minutes as the policy says.
    mine = windows_of(worker)
    assert {w.frequency for w in mine} == {Frequency.WEEKLY}
    assert (mine[0].starts_on, mine[0].ends_on) == (date(2025, 1, 1), date(2025, 1, 7))
    assert {(w.ends_on - w.starts_on).days for w in mine[:-1]} == {6}
    assert {w.min_minutes for w in mine} == {90}
    assert_contiguous(mine)
    assert {w.frequency for w in windows_of(bystander)} == {Frequency.MONTHLY}


def test_a_looser_frequency_agreed_does_not_apply(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    relationship = supervised(worker, supervisor, date(2025, 1, 1))
    agreement = signed_agreement(relationship)
    agreement.versions.update(frequency=Frequency.QUARTERLY)
    windows_refresh(org, today=date(2025, 3, 3))
    assert {w.frequency for w in windows_of(worker)} == {Frequency.MONTHLY}


def test_moving_the_first_day_later_drops_what_ended_before_it(org):
    counting_from(org, date(2025, 1, 1))
    worker = person(org)
    windows_refresh(org, today=date(2025, 3, 15))
    counting_from(org, date(2025, 2, 1))
    windows_refresh(org, today=date(2025, 3, 15))
    assert windows_of(worker)[0].starts_on == date(2025, 2, 1)
    assert_contiguous(windows_of(worker))


def test_moving_the_first_day_earlier_writes_the_days_before(org):
    # Set up on 12 March: the figures count from then, so the first window is 12-31 March.
    counting_from(org, date(2025, 3, 12))
    worker = person(org)
    windows_refresh(org, today=date(2025, 3, 12))
    windows_refresh(org, today=date(2025, 4, 2))
    assert windows_of(worker)[0].starts_on == date(2025, 3, 12)

    # Their history is imported: the figures count from 1 January. January and February are
    # written, and March whole (not 1-11 March and 12-31 March).
    counting_from(org, date(2025, 1, 1))
    windows_refresh(org, today=date(2025, 4, 2))
    mine = windows_of(worker)
    assert [(w.starts_on, w.ends_on) for w in mine[:4]] == [
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2025, 4, 1), date(2025, 4, 30)),
    ]
    assert_contiguous(mine)


def test_a_new_person_gets_windows_from_the_first_day_whatever_others_have(org):
    counting_from(org, date(2025, 1, 1))
    person(org)
    windows_refresh(org, today=date(2025, 3, 15))
    start = date(2025, 3, 3)
    newcomer = person(
        org, staff_category=StaffCategory.NQSW_ASYE, employment_start=start, asye_start=start
    )
    windows_refresh(org, people=[newcomer], today=date(2025, 3, 15))
    # Weekly from the ASYE start, 3 March: two weeks have ended, the third runs today.
    mine = windows_of(newcomer)
    assert [(w.starts_on, w.ends_on) for w in mine[:3]] == [
        (date(2025, 3, 3), date(2025, 3, 9)),
        (date(2025, 3, 10), date(2025, 3, 16)),
        (date(2025, 3, 17), date(2025, 3, 23)),
    ]


def test_people_of_another_organisation_are_left_alone(org):
    counting_from(org, date(2025, 1, 1))
    other = counting_from(organisation(name="Other Trust"), date(2025, 1, 1))
    theirs = person(other)
    assert windows_refresh(org, people=[theirs], today=date(2025, 3, 15)) == 0
    assert not DueWindow.objects.filter(person=theirs).exists()


def test_the_nightly_run_refreshes_every_organisation(org):
    counting_from(org, date(2025, 1, 1))
    other = counting_from(organisation(name="Other Trust"), date(2025, 3, 1))
    person(org)
    person(other)
    written = windows_refresh_all(today=date(2025, 3, 15))
    # January to June here; March to June there.
    assert written == {"Window Council": 6, "Other Trust": 4}


# In the background: a change enqueues one refresh per organisation, once committed


def queued() -> list[dict]:
    return [
        r.args_kwargs
        for r in DBTaskResult.objects.filter(task_path__endswith="refresh_windows").order_by(
            "enqueued_at"
        )
    ]


def test_changes_enqueue_a_refresh_once_committed(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        worker = person(org)
        second = person(org)
    # Both people, in one task for the organisation.
    assert queued() == [{"args": [org.pk, sorted([worker.pk, second.pk])], "kwargs": {}}]

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        rule = FrequencyRule.objects.create(
            organisation=org, staff_category=StaffCategory.NURSE, frequency=Frequency.MONTHLY
        )
        worker.save()
    # A rule concerns everyone: one task for all.
    assert queued() == [{"args": [org.pk, None], "kwargs": {}}]

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rule.delete()
    assert callbacks and queued() == []  # not before the commit


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_is_enqueued_at_once():
    org = organisation(name="Autocommit Council")
    worker = person(org)
    DBTaskResult.objects.all().delete()
    worker.first_name = "Changed"
    worker.save()
    assert queued() == [{"args": [org.pk, [worker.pk]], "kwargs": {}}]
    # And one inside a transaction, once it commits.
    DBTaskResult.objects.all().delete()
    with transaction.atomic():
        worker.save()
        assert queued() == []
    assert queued() == [{"args": [org.pk, [worker.pk]], "kwargs": {}}]


def test_the_task_refreshes_the_people_named(org):
    counting_from(org, date(2025, 1, 1))
    named, other = person(org), person(org)
    assert tasks.refresh_windows.call(org.pk, [named.pk]) > 0
    assert DueWindow.objects.filter(person=named).exists()
    assert not DueWindow.objects.filter(person=other).exists()
    assert tasks.refresh_windows.call(org.pk + 1000, None) == 0  # the organisation has gone


def test_leaving_entered_late_drops_what_was_required_after(org):
    counting_from(org, date(2025, 1, 1))
    worker = person(org)
    windows_refresh(org, today=date(2025, 4, 1))
    # On 1 April, HR enters that they left on 10 February: nothing was needed of them in March.
    worker.left_on = date(2025, 2, 10)
    worker.save()
    windows_refresh(org, today=date(2025, 4, 1))
    assert [(w.starts_on, w.ends_on) for w in windows_of(worker)] == [
        (date(2025, 1, 1), date(2025, 1, 31)),
        (date(2025, 2, 1), date(2025, 2, 28)),
    ]


def test_a_schools_windows_follow_its_terms_and_stay_put(org):
    # A school counting from 1 August: nothing is needed in the summer holiday; a teacher needs
    # a session each term (autumn: 3 September to 19 December, over its half-term break).
    school = counting_from(
        organisation(name="Riverside Academy", sector=Sector.SCHOOL), date(2025, 8, 1)
    )
    for name, term, starts_on, ends_on in (
        ("Autumn 1", "Autumn 2025", date(2025, 9, 3), date(2025, 10, 24)),
        ("Autumn 2", "Autumn 2025", date(2025, 11, 3), date(2025, 12, 19)),
        ("Spring 1", "Spring 2026", date(2026, 1, 5), date(2026, 2, 13)),
        ("Spring 2", "Spring 2026", date(2026, 2, 23), date(2026, 3, 27)),
    ):
        TermDate.objects.create(
            organisation=school, name=name, term=term, starts_on=starts_on, ends_on=ends_on
        )
    teacher = person(school, staff_category=StaffCategory.TEACHER)
    windows_refresh(school, today=date(2025, 10, 1))
    windows_refresh(school, today=date(2026, 1, 6))
    autumn = windows_of(teacher)[0]
    assert (autumn.starts_on, autumn.ends_on) == (date(2025, 9, 3), date(2025, 12, 19))
    # The autumn term had ended by January: the very same row, night after night.
    windows_refresh(school, today=date(2026, 1, 7))
    assert windows_of(teacher)[0].pk == autumn.pk


def test_only_the_signed_version_in_force_sets_the_agreed_frequency(org):
    counting_from(org, date(2025, 1, 1))
    supervisor, worker = person(org), person(org)
    relationship = supervised(worker, supervisor, date(2025, 1, 1))
    agreement = signed_agreement(relationship, responses=dict(SIMPLE_RESPONSES, frequency="weekly"))
    # A later version, signed, that leaves the frequency to the policy: weekly no longer holds.
    first = agreement.versions.get()
    first.pk = None
    first.number = 2
    first.frequency = ""
    first.save()
    windows_refresh(org, today=date(2025, 3, 3))
    assert {w.frequency for w in windows_of(worker)} == {Frequency.MONTHLY}


def test_refreshing_takes_the_same_queries_for_more_people(org):
    counting_from(org, date(2025, 1, 1))
    taken = []
    for size in (2, 12):
        for _ in range(size):
            person(org)
        windows_refresh(org, today=date(2025, 3, 15))
        with CaptureQueriesContext(connection) as queries:
            windows_refresh(org, today=date(2025, 4, 15))
        taken.append(len(queries))
    assert taken[0] == taken[1]
