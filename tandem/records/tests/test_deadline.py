"""The deadline to share a record, against calendars worked by hand; sharing on time or late;
overdue records flagged once to both parties and the supervisor's manager; the daily command.

The deadline is N working days after the session (N from the organisation, 10 by default):
count the working days after the session day, skipping weekends, the bank holidays of the
organisation's nation (substitute days included) and the organisation's closure days; the Nth
is the last day to share.
"""

from __future__ import annotations

import datetime
from io import StringIO

import holidays
import hypothesis
import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import strategies as st

from tandem.core.models import AuditEvent, ClosureDay, Notice
from tandem.organisations.models import Nation, Organisation
from tandem.records import selectors, services
from tandem.records.management.commands import records_daily
from tandem.records.models import Record, RecordStatus
from tandem.records.tests.factories import draft_record, shared_record, signed_record, write

pytestmark = pytest.mark.dated

D = datetime.date


def in_nation(cast, nation: str, *, days: int = 10) -> Organisation:
    """The cast's organisation moved to this nation, with this deadline."""
    Organisation.objects.filter(pk=cast.organisation.pk).update(
        nation=nation, record_deadline_working_days=days
    )
    cast.organisation.refresh_from_db()
    return cast.organisation


# The hand-worked calendars. Each comment counts the working days after the session: (n) is the
# nth working day; "-" a day that does not count, and why.
CALENDARS = [
    pytest.param(
        Nation.ENGLAND,
        D(2027, 3, 24),
        D(2027, 4, 9),
        # Wed 24 Mar 2027 session. Thu 25 (1), Fri 26 - Good Friday, Sat 27 Sun 28 -,
        # Mon 29 - Easter Monday, Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 (5), Mon 5 (6),
        # Tue 6 (7), Wed 7 (8), Thu 8 (9), Fri 9 Apr (10).
        id="england-easter-2027",
    ),
    pytest.param(
        Nation.WALES,
        D(2027, 3, 24),
        D(2027, 4, 9),
        # Wales keeps England's bank holidays: the same count as above.
        id="wales-easter-2027",
    ),
    pytest.param(
        Nation.SCOTLAND,
        D(2027, 3, 24),
        D(2027, 4, 8),
        # Scotland has Good Friday but no Easter Monday. Thu 25 (1), Fri 26 - Good Friday,
        # Mon 29 (2), Tue 30 (3), Wed 31 (4), Thu 1 Apr (5), Fri 2 (6), Mon 5 (7), Tue 6 (8),
        # Wed 7 (9), Thu 8 Apr (10).
        id="scotland-easter-2027",
    ),
    pytest.param(
        Nation.NORTHERN_IRELAND,
        D(2027, 3, 10),
        D(2027, 3, 25),
        # Wed 10 Mar 2027 session. Thu 11 (1), Fri 12 (2), Mon 15 (3), Tue 16 (4),
        # Wed 17 - St Patrick's Day, Thu 18 (5), Fri 19 (6), Mon 22 (7), Tue 23 (8), Wed 24 (9),
        # Thu 25 Mar (10). (Good Friday, 26 March, comes the day after.)
        id="northern-ireland-st-patricks-2027",
    ),
    pytest.param(
        Nation.ENGLAND,
        D(2027, 3, 10),
        D(2027, 3, 24),
        # The same session in England, where 17 March is a working day: Thu 11 (1) ... Wed 24 (10).
        id="england-no-st-patricks-2027",
    ),
    pytest.param(
        Nation.ENGLAND,
        D(2026, 12, 18),
        D(2027, 1, 6),
        # Fri 18 Dec 2026 session. Mon 21 (1), Tue 22 (2), Wed 23 (3), Thu 24 (4),
        # Fri 25 - Christmas Day, Sat 26 - Boxing Day, a Saturday, so Mon 28 - its substitute,
        # Tue 29 (5), Wed 30 (6), Thu 31 (7), Fri 1 Jan 2027 - New Year's Day, Mon 4 (8),
        # Tue 5 (9), Wed 6 Jan (10).
        id="england-christmas-2026",
    ),
    pytest.param(
        Nation.SCOTLAND,
        D(2026, 12, 18),
        D(2027, 1, 7),
        # As England to Thu 31 (7); Fri 1 Jan - New Year's Day; 2 January, a Saturday, is a
        # Scottish holiday, so Mon 4 Jan - its substitute; Tue 5 (8), Wed 6 (9), Thu 7 Jan (10).
        id="scotland-christmas-2026",
    ),
]


@pytest.mark.parametrize(("nation", "held_on", "due_on"), CALENDARS)
def test_the_deadline_is_ten_working_days_on_the_nations_calendar(cast, nation, held_on, due_on):
    organisation = in_nation(cast, nation)

    assert selectors.record_due_on(organisation, held_on) == due_on
    record = draft_record(cast, on=held_on)
    assert (record.held_on, record.due_on) == (held_on, due_on)


def test_a_closure_day_pushes_the_deadline_one_working_day(cast):
    organisation = in_nation(cast, Nation.ENGLAND)
    ClosureDay.objects.create(
        organisation=organisation, date=D(2027, 4, 1), reason="Council closure day"
    )
    # Wed 24 Mar 2027 session. Thu 25 (1), Fri 26 - Good Friday, Mon 29 - Easter Monday,
    # Tue 30 (2), Wed 31 (3), Thu 1 Apr - closed, Fri 2 (4), Mon 5 (5), Tue 6 (6), Wed 7 (7),
    # Thu 8 (8), Fri 9 (9), Mon 12 Apr (10): one working day later than without the closure.
    assert selectors.record_due_on(organisation, D(2027, 3, 24)) == D(2027, 4, 12)
    assert draft_record(cast, on=D(2027, 3, 24)).due_on == D(2027, 4, 12)


def test_another_organisations_closure_day_does_not_count(cast):
    in_nation(cast, Nation.ENGLAND)
    ClosureDay.objects.create(organisation=cast.other_organisation, date=D(2027, 4, 1))

    assert draft_record(cast, on=D(2027, 3, 24)).due_on == D(2027, 4, 9)


def test_the_number_of_working_days_comes_from_the_organisation(cast):
    organisation = in_nation(cast, Nation.ENGLAND, days=5)
    # Wed 24 Mar 2027 session, 5 working days: Thu 25 (1), Fri 26 - Good Friday,
    # Mon 29 - Easter Monday, Tue 30 (2), Wed 31 (3), Thu 1 Apr (4), Fri 2 Apr (5).
    assert selectors.record_due_on(organisation, D(2027, 3, 24)) == D(2027, 4, 2)
    assert draft_record(cast, on=D(2027, 3, 24)).due_on == D(2027, 4, 2)


def test_a_record_keeps_the_deadline_it_was_given(cast):
    """A deadline changed later applies to sessions from then on, not to records started."""
    in_nation(cast, Nation.ENGLAND)
    record = draft_record(cast, on=D(2027, 3, 24))
    in_nation(cast, Nation.ENGLAND, days=5)

    record.refresh_from_db()
    assert record.due_on == D(2027, 4, 9)


def _is_working_day(day: datetime.date, nation: str) -> bool:
    """Worked out from the holidays package directly, not from Tandem's calendar."""
    subdivision = {"england": "ENG", "wales": "WLS", "scotland": "SCT", "northern_ireland": "NIR"}
    bank_holidays = holidays.UK(subdiv=subdivision[nation], years=day.year, observed=True)
    return day.weekday() < 5 and day not in bank_holidays


@hypothesis.settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    held_on=st.dates(min_value=D(2025, 1, 1), max_value=D(2032, 12, 31)),
    nation=st.sampled_from(Nation.values),
    days=st.integers(min_value=1, max_value=60),
)
def test_the_deadline_is_always_a_working_day_exactly_n_working_days_after(
    cast, held_on, nation, days
):
    organisation = in_nation(cast, nation, days=days)

    due_on = selectors.record_due_on(organisation, held_on)

    assert due_on > held_on
    assert _is_working_day(due_on, nation)
    between = [
        held_on + datetime.timedelta(days=offset)
        for offset in range(1, (due_on - held_on).days + 1)
    ]
    assert sum(_is_working_day(day, nation) for day in between) == days


# Sharing on time


def london(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.mark.parametrize(
    ("shared_at", "on_time"),
    [
        # Due Fri 9 Apr 2027 (the 10th working day): shared that evening, British Summer Time,
        # which is still 9 April in London though 22:30 in UTC.
        pytest.param(london(D(2027, 4, 9), 23, 30), True, id="10th-working-day-late-evening"),
        pytest.param(london(D(2027, 3, 25), 9), True, id="1st-working-day"),
        # Mon 12 Apr 2027: the 11th working day.
        pytest.param(london(D(2027, 4, 12), 0, 5), False, id="11th-working-day"),
    ],
)
def test_shared_on_the_tenth_working_day_is_on_time_on_the_eleventh_late(cast, shared_at, on_time):
    in_nation(cast, Nation.ENGLAND)
    record = draft_record(cast, on=D(2027, 3, 24))
    write(record)
    record.refresh_from_db()
    with time_machine.travel(shared_at, tick=False):
        services.record_share(record=record, by=cast.supervisor, version=record.version_number)

    record.refresh_from_db()
    assert record.shared_at == shared_at
    assert record.shared_on_time is on_time
    assert record.is_overdue is not on_time
    event = AuditEvent.objects.get(action="record.share", object_id=str(record.pk))
    assert event.detail["on_time"] is on_time
    assert event.detail["due_on"] == "2027-04-09"


def test_a_record_not_shared_is_neither_on_time_nor_late_until_its_day_passes(cast):
    in_nation(cast, Nation.ENGLAND)
    record = draft_record(cast, on=D(2027, 3, 24))

    assert record.shared_on_time is None
    with time_machine.travel(london(D(2027, 4, 9), 23, 59)):
        assert record.is_overdue is False
    with time_machine.travel(london(D(2027, 4, 10), 0, 1)):
        assert record.is_overdue is True


# Overdue records


def overdue_draft(cast, days_ago: int = 30) -> Record:
    """A draft of a session held ``days_ago`` days ago: past its 10 working days."""
    return draft_record(cast, on=timezone.localdate() - datetime.timedelta(days=days_ago))


def emails_to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def test_an_overdue_record_is_flagged_to_both_and_the_supervisors_manager_once(
    cast, django_capture_on_commit_callbacks
):
    record = overdue_draft(cast)
    notices_before = Notice.objects.count()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.records_overdue_notify() == 1

    # Sam and Sue, and Sam's manager Mia; nobody else (not Hal, not Ada).
    assert emails_to(mail.outbox) == [
        "mia@riverside.test",
        "sam@riverside.test",
        "sue@riverside.test",
    ]
    notices = Notice.objects.order_by("pk")[notices_before:]
    assert sorted(n.user.email for n in notices) == emails_to(mail.outbox)
    subject = mail.outbox[0].subject
    assert f"was due to be shared by {record.due_on:%-d %B %Y}" in subject
    assert "Sue Supervisee" in subject
    # The link to the record, and none of its words.
    link = settings.SITE_URL.rstrip("/") + reverse("record", args=[record.pk])
    assert all(link in message.body for message in mail.outbox)
    assert all("Caseload" not in message.body for message in mail.outbox)
    record.refresh_from_db()
    assert record.overdue_notified_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="record.overdue", object_id=str(record.pk)).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        assert services.records_overdue_notify() == 0
        assert (
            services.records_overdue_notify(today=timezone.localdate() + datetime.timedelta(days=3))
            == 0
        )
    assert len(mail.outbox) == 3
    assert Notice.objects.count() == notices_before + 3


def test_shared_signed_and_not_yet_due_records_are_never_flagged(
    cast, django_capture_on_commit_callbacks
):
    shared = shared_record(cast, on=timezone.localdate() - datetime.timedelta(days=40))
    signed = signed_record(cast, on=timezone.localdate() - datetime.timedelta(days=50))
    recent = overdue_draft(cast, days_ago=1)
    assert (shared.status, signed.status) == (RecordStatus.SHARED, RecordStatus.SIGNED)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.records_overdue_notify() == 0

    assert mail.outbox == []
    assert Record.objects.filter(overdue_notified_on__isnull=False).count() == 0
    # Flagged the day after its last day, not on it.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.records_overdue_notify(today=recent.due_on) == 0
        assert (
            services.records_overdue_notify(today=recent.due_on + datetime.timedelta(days=1)) == 1
        )
    assert len(mail.outbox) == 3


def test_a_record_shared_late_is_not_flagged_afterwards(cast, django_capture_on_commit_callbacks):
    record = overdue_draft(cast)
    write(record)
    record.refresh_from_db()
    services.record_share(record=record, by=cast.supervisor, version=record.version_number)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.records_overdue_notify() == 0

    assert mail.outbox == []
    record.refresh_from_db()
    assert record.shared_on_time is False


def test_each_overdue_record_is_flagged(cast, django_capture_on_commit_callbacks):
    records = [overdue_draft(cast, days_ago=days) for days in (20, 30, 40)]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert services.records_overdue_notify() == 3

    assert len(mail.outbox) == 9
    assert all(
        r.overdue_notified_on is not None
        for r in Record.objects.filter(pk__in=[r.pk for r in records])
    )


# The daily command


def test_the_daily_command_prints_one_line_and_does_nothing_more_the_second_time(
    cast, django_capture_on_commit_callbacks
):
    overdue_draft(cast)
    mail.outbox.clear()

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("records_daily", stdout=out)
    assert out.getvalue() == "Records: 1 overdue record flagged.\n"
    assert len(mail.outbox) == 3

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("records_daily", stdout=out)
    assert out.getvalue() == "Records: 0 overdue records flagged.\n"
    assert len(mail.outbox) == 3


def test_the_daily_command_takes_a_date(cast):
    record = overdue_draft(cast, days_ago=1)
    out = StringIO()

    call_command("records_daily", "--date", record.due_on.isoformat(), stdout=out)
    assert "0 overdue records" in out.getvalue()
    call_command(
        "records_daily",
        "--date",
        (record.due_on + datetime.timedelta(days=1)).isoformat(),
        stdout=out,
    )
    assert "1 overdue record flagged" in out.getvalue()


def test_the_daily_command_refuses_a_bad_date_with_one_plain_line(cast, capsys):
    with pytest.raises(
        CommandError, match=r"^--date must be a date like 2027-04-09, not '9/4/27'\.$"
    ):
        call_command("records_daily", "--date", "9/4/27")

    with pytest.raises(SystemExit) as exit:
        records_daily.Command().run_from_argv(["manage.py", "records_daily", "--date", "9/4/27"])
    assert exit.value.code != 0
    error = capsys.readouterr().err
    assert error.strip().count("\n") == 0
    assert "--date must be a date like 2027-04-09" in error
    assert "Traceback" not in error


def test_the_daily_command_fails_with_one_plain_line_when_the_database_does(
    cast, monkeypatch, capsys
):
    def broken(**kwargs):
        raise DatabaseError("could not connect to server: Connection refused\nIs it running?")

    monkeypatch.setattr(services, "records_overdue_notify", broken)

    with pytest.raises(SystemExit) as exit:
        records_daily.Command().run_from_argv(["manage.py", "records_daily"])
    assert exit.value.code != 0
    error = capsys.readouterr().err.strip()
    assert "\n" not in error
    assert error == (
        "CommandError: Records: overdue records could not be checked "
        "(could not connect to server: Connection refused)."
    )
