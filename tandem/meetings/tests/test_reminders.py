"""Session reminders: planned once, at the right working-day moments, to the right people, and
sent exactly once, even when the worker dies half-way through a round."""

from __future__ import annotations

import datetime
import signal
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from tandem.core.models import ClosureDay, Notice
from tandem.meetings.models import Reminder, ReminderKind, Session, SessionKind, SessionStatus
from tandem.meetings.services import reminders
from tandem.meetings.tasks import send_due_reminders

pytestmark = pytest.mark.dated

P, T, LATE, R = (
    ReminderKind.PREPARE,
    ReminderKind.TOMORROW,
    ReminderKind.OVERDUE,
    ReminderKind.REBOOK,
)


def local(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), timezone.get_default_timezone())


def make_session(cast: Any, starts_at: datetime.datetime, **fields: Any) -> Session:
    fields.setdefault("supervisee", cast.supervisee)
    fields.setdefault("supervisor", cast.supervisor)
    return Session.objects.create(
        organisation=cast.organisation,
        starts_at=starts_at,
        duration_minutes=90,
        location="Room 2",
        **fields,
    )


def planned(session: Session | None = None) -> set[tuple[str, str, datetime.datetime]]:
    """(kind, email, due_at) of every reminder (of one session)."""
    rows = Reminder.objects.all() if session is None else session.reminders.all()
    return {(r.kind, r.user.email, r.due_at) for r in rows.select_related("user")}


SAM, SUE = "sam@riverside.test", "sue@riverside.test"


# Planning


def test_a_monday_session_is_prepared_for_on_thursday_and_reminded_on_friday(cast):
    monday = make_session(cast, local(2026, 3, 9, 10, 0))

    assert reminders.reminders_plan(local(2026, 3, 2, 12, 0)) == 4

    thursday, friday = local(2026, 3, 5, 9, 0), local(2026, 3, 6, 9, 0)
    assert planned(monday) == {
        (P, SAM, thursday),
        (P, SUE, thursday),
        (T, SAM, friday),
        (T, SUE, friday),
    }


def test_planning_again_adds_nothing(cast):
    make_session(cast, local(2026, 3, 9, 10, 0))
    make_session(cast, local(2026, 3, 2, 10, 0))  # becomes overdue
    now = local(2026, 3, 4, 12, 0)

    first = reminders.reminders_plan(now)
    before = planned()
    assert reminders.reminders_plan(now) == 0
    assert reminders.reminders_plan(now + datetime.timedelta(minutes=15)) == 0

    assert first == len(before) == 5
    assert planned() == before


def test_a_session_after_a_bank_holiday_skips_it(cast):
    # Monday 25 May 2026 is the spring bank holiday: the working day before Tuesday 26 May is
    # Friday 22 May, and the one before that Thursday 21 May (09:00 British Summer Time).
    tuesday = make_session(cast, local(2026, 5, 26, 14, 0))

    reminders.reminders_plan(local(2026, 5, 18, 12, 0))

    assert planned(tuesday) == {
        (P, SAM, local(2026, 5, 21, 9, 0)),
        (P, SUE, local(2026, 5, 21, 9, 0)),
        (T, SAM, local(2026, 5, 22, 9, 0)),
        (T, SUE, local(2026, 5, 22, 9, 0)),
    }
    assert local(2026, 5, 21, 9, 0).astimezone(datetime.UTC).hour == 8


def test_the_organisations_closure_days_are_not_working_days(cast):
    ClosureDay.objects.create(organisation=cast.organisation, date=datetime.date(2026, 3, 6))
    monday = make_session(cast, local(2026, 3, 9, 10, 0))

    reminders.reminders_plan(local(2026, 3, 2, 12, 0))

    assert {(k, due) for k, _email, due in planned(monday)} == {
        (P, local(2026, 3, 4, 9, 0)),
        (T, local(2026, 3, 5, 9, 0)),
    }


def test_a_group_session_reminds_every_member(cast):
    group = make_session(
        cast, local(2026, 3, 10, 10, 0), kind=SessionKind.GROUP, supervisee=None, title="Group"
    )
    group.members.set([cast.supervisee, cast.colleague])

    reminders.reminders_plan(local(2026, 3, 2, 12, 0))

    assert {email for kind, email, _due in planned(group) if kind == T} == {
        SAM,
        SUE,
        "cole@riverside.test",
    }


def test_booked_too_late_to_prepare_only_the_day_before_reminder_is_planned(cast):
    session = make_session(cast, local(2026, 3, 9, 10, 0))

    reminders.reminders_plan(local(2026, 3, 6, 9, 30))  # after Friday's 09:00

    assert {kind for kind, _email, _due in planned(session)} == {T}


def test_reminders_not_yet_sent_move_with_their_session(cast):
    session = make_session(cast, local(2026, 3, 9, 10, 0))
    reminders.reminders_plan(local(2026, 3, 2, 12, 0))

    session.starts_at = local(2026, 3, 12, 10, 0)  # Thursday
    session.save()
    reminders.reminders_plan(local(2026, 3, 2, 12, 15))

    assert {(k, due) for k, _email, due in planned(session)} == {
        (P, local(2026, 3, 10, 9, 0)),
        (T, local(2026, 3, 11, 9, 0)),
    }
    assert Reminder.objects.count() == 4


def test_a_session_neither_recorded_nor_cancelled_a_day_later_is_overdue_to_the_supervisor(cast):
    # Friday 14:00: a day later is Saturday, so the reminder waits for Monday 09:00.
    forgotten = make_session(cast, local(2026, 3, 6, 14, 0))
    held = make_session(cast, local(2026, 3, 5, 10, 0), status=SessionStatus.HELD)

    assert reminders.reminders_plan(local(2026, 3, 7, 13, 0)) == 0  # not a day yet
    reminders.reminders_plan(local(2026, 3, 7, 15, 0))

    assert planned(forgotten) == {(LATE, SAM, local(2026, 3, 9, 9, 0))}
    assert planned(held) == set()


def test_a_cancelled_session_not_rebooked_in_time_reminds_both(cast):
    rebooked = make_session(
        cast,
        local(2026, 3, 2, 10, 0),
        status=SessionStatus.CANCELLED,
        rebook_by=datetime.date(2026, 3, 6),
    )
    make_session(cast, local(2026, 3, 16, 10, 0), rebooked_from=rebooked)
    not_rebooked = make_session(
        cast,
        local(2026, 3, 3, 10, 0),
        status=SessionStatus.CANCELLED,
        rebook_by=datetime.date(2026, 3, 6),
    )

    reminders.reminders_plan(local(2026, 3, 6, 17, 0))  # the last day to re-book: not yet
    assert {k for k, _e, _d in planned()} <= {P, T}
    reminders.reminders_plan(local(2026, 3, 7, 10, 0))  # Saturday: due on Monday

    monday = local(2026, 3, 9, 9, 0)
    assert planned(not_rebooked) == {(R, SAM, monday), (R, SUE, monday)}
    assert planned(rebooked) == set()


def test_people_who_have_left_are_not_reminded(cast):
    cast.supervisee.left_on = datetime.date(2026, 3, 1)
    cast.supervisee.save()
    session = make_session(cast, local(2026, 3, 9, 10, 0))

    reminders.reminders_plan(local(2026, 3, 2, 12, 0))

    assert {email for _k, email, _d in planned(session)} == {SAM}


# Sending


def test_sending_emails_each_due_reminder_once_and_marks_it_sent(cast):
    session = make_session(cast, local(2026, 3, 9, 10, 0))
    reminders.reminders_plan(local(2026, 3, 2, 12, 0))

    assert reminders.reminders_send_due(local(2026, 3, 5, 8, 59)) == 0
    assert reminders.reminders_send_due(local(2026, 3, 5, 9, 0)) == 2
    assert reminders.reminders_send_due(local(2026, 3, 5, 9, 15)) == 0

    assert sorted(m.to[0] for m in mail.outbox) == [SAM, SUE]
    message = next(m for m in mail.outbox if m.to == [SUE])
    assert message.subject == "Prepare for supervision on Monday 9 March at 10:00"
    assert "Your supervision with Sam Supervisor is on Monday 9 March at 10:00" in message.body
    assert "agenda items" in message.body
    link = settings.SITE_URL.rstrip("/") + reverse("session", args=[session.pk])
    assert link in message.body
    prepared = Reminder.objects.filter(kind=P)
    assert all(r.sent_at is not None for r in prepared)
    assert not Reminder.objects.filter(kind=T, sent_at__isnull=False).exists()
    assert Notice.objects.filter(user=cast.supervisee.user, text=message.subject).count() == 1

    assert reminders.reminders_send_due(local(2026, 3, 6, 9, 0)) == 2
    assert len(mail.outbox) == 4


def test_the_overdue_and_rebook_emails_say_what_to_do(cast):
    make_session(cast, local(2026, 3, 5, 10, 0))
    make_session(
        cast,
        local(2026, 3, 3, 10, 0),
        status=SessionStatus.CANCELLED,
        rebook_by=datetime.date(2026, 3, 6),
    )
    now = local(2026, 3, 9, 9, 30)

    reminders.reminders_plan(now)
    assert reminders.reminders_send_due(now) == 3

    subjects = {(m.to[0], m.subject): m.body for m in mail.outbox}
    overdue = subjects[(SAM, "Record the supervision of Thursday 5 March at 10:00")]
    assert "still shown as scheduled" in overdue
    assert (SUE, "Cancelled supervision not yet re-booked") in subjects
    assert "re-booked by 6 March 2026" in subjects[(SAM, "Cancelled supervision not yet re-booked")]


def test_a_reminder_no_longer_wanted_is_dropped_not_sent(cast):
    session = make_session(cast, local(2026, 3, 9, 10, 0))
    reminders.reminders_plan(local(2026, 3, 2, 12, 0))
    session.status = SessionStatus.CANCELLED
    session.save()

    assert reminders.reminders_send_due(local(2026, 3, 6, 9, 30)) == 0

    assert mail.outbox == []
    assert not Reminder.objects.filter(session=session, kind__in=[P, T]).exists()


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: the round stops where it is."""


class DiesOnThirdEmail(LocmemBackend):
    attempts = 0

    def send_messages(self, messages: Any) -> int:
        DiesOnThirdEmail.attempts += len(messages)
        if DiesOnThirdEmail.attempts >= 3:
            raise WorkerKilled
        return super().send_messages(messages)


def test_a_worker_killed_mid_round_loses_none_and_repeats_none(cast, settings):
    for day in (9, 10, 11):
        make_session(cast, local(2026, 3, day, 10, 0))
    reminders.reminders_plan(local(2026, 3, 2, 12, 0))
    now = local(2026, 3, 6, 9, 30)
    due = Reminder.objects.filter(due_at__lte=now)
    # Monday's PREPARE and TOMORROW and Tuesday's PREPARE, to both: six.
    assert due.count() == 6

    DiesOnThirdEmail.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.DiesOnThirdEmail"
    with pytest.raises(WorkerKilled):
        reminders.reminders_send_due(now)

    assert len(mail.outbox) == 2
    assert due.filter(sent_at__isnull=False).count() == 2
    assert due.filter(sent_at__isnull=True).count() == 4
    sent = {
        (r.user.email, r.kind, r.session_id, r.sent_at) for r in due.filter(sent_at__isnull=False)
    }
    first_two = list(due.filter(sent_at__isnull=False).values_list("pk", flat=True))

    # Restarted, with a working mail server: the rest go, and nothing goes twice.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reminders.reminders_plan(now)
    assert reminders.reminders_send_due(now) == 4
    assert reminders.reminders_send_due(now) == 0

    per_email = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert len(per_email) == 6
    assert set(per_email.values()) == {1}
    assert not due.filter(sent_at__isnull=True).exists()
    # The two sent before the crash kept their mark: they were not sent again.
    assert {
        (r.user.email, r.kind, r.session_id, r.sent_at) for r in due.filter(pk__in=first_two)
    } == sent


def test_a_reminder_sent_meanwhile_by_another_worker_is_skipped(cast, monkeypatch):
    make_session(cast, local(2026, 3, 9, 10, 0))
    reminders.reminders_plan(local(2026, 3, 2, 12, 0))
    now = local(2026, 3, 5, 9, 30)
    real_send = reminders._send

    def other_worker_got_there_first(reminder: Reminder) -> None:
        # Between this worker listing the due reminders and locking one, another sends one.
        other = Reminder.objects.filter(sent_at__isnull=True, due_at__lte=now).exclude(
            pk=reminder.pk
        )
        other.update(sent_at=timezone.now())
        real_send(reminder)

    monkeypatch.setattr(reminders, "_send", other_worker_got_there_first)

    assert reminders.reminders_send_due(now) == 1
    assert len(mail.outbox) == 1


def test_the_send_limit_is_respected(cast):
    for day in (9, 10):
        make_session(cast, local(2026, 3, day, 10, 0))
    reminders.reminders_plan(local(2026, 3, 2, 12, 0))

    now = local(2026, 3, 6, 9, 30)  # six due: Monday's two kinds and Tuesday's PREPARE
    assert [reminders.reminders_send_due(now, limit=4) for _round in range(3)] == [4, 2, 0]
    assert len(mail.outbox) == 6


# The command and the task


def test_the_command_plans_sends_and_counts(cast):
    make_session(cast, local(2026, 3, 9, 10, 0))
    out = StringIO()

    call_command("meetings_reminders", "--now", "2026-03-05T09:30", stdout=out)
    assert out.getvalue().strip() == "Session reminders: 4 planned, 2 sent."

    call_command("meetings_reminders", "--now", "2026-03-05T09:45", stdout=out)
    assert out.getvalue().strip().endswith("Session reminders: 0 planned, 0 sent.")
    assert len(mail.outbox) == 2


def test_the_task_does_the_same(cast):
    make_session(cast, timezone.now() + datetime.timedelta(hours=2))

    result = send_due_reminders.call()

    # The day-before reminder is already due (and so too late to prepare): to both.
    assert result == {"planned": 2, "sent": 2}
    assert send_due_reminders.call() == {"planned": 0, "sent": 0}


@pytest.fixture
def restore_signals():
    """The worker takes over SIGINT and SIGTERM; give them back to pytest afterwards."""
    names = ["SIGINT", "SIGTERM", "SIGQUIT"]
    saved = {n: signal.getsignal(getattr(signal, n)) for n in names if hasattr(signal, n)}
    yield
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_sends_the_reminders(cast, restore_signals):
    """Enqueued like cron would, run by ``db_worker`` until the queue is empty."""
    make_session(cast, timezone.now() + datetime.timedelta(hours=2))
    result = send_due_reminders.enqueue()
    assert result.status == TaskResultStatus.READY

    call_command(
        "db_worker",
        batch=True,
        interval=0,
        startup_delay=False,
        reload=False,
        verbosity=0,
    )

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL, result.errors
    assert result.return_value == {"planned": 2, "sent": 2}
    assert sorted(m.to[0] for m in mail.outbox) == [SAM, SUE]
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
