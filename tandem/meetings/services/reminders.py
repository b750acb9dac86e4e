"""Reminders about sessions: planned as rows, then sent, each exactly once.

Planning writes one ``Reminder`` row per (session, person, kind); the unique constraint means
running it again, or twice at once, adds nothing. Sending takes one due row at a time in its own
transaction: lock it, skip it if it was sent meanwhile, send the email, mark it sent, commit. A
worker killed between two reminders has committed every one it sent and none it did not, so a
restart sends the rest and repeats nothing. (Killed in the instant between the mail server
accepting an email and the commit, that one email would go again: once too often is better than
never, and that window is milliseconds.)

The kinds, at 09:00 on the organisation's working days (bank holidays, closures, term time):
  PREPARE, two working days before a session, to everyone in it: add your agenda items;
  TOMORROW, the working day before, to everyone in it;
  OVERDUE, the first working morning a day after a session's start, if it is still neither
    recorded as held nor cancelled, to the supervisor;
  REBOOK, the working morning after a cancelled session's re-book-by date, if it has not been
    re-booked, to the supervisor and the supervisee.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.calendar import WorkingCalendar, calendar_for
from tandem.core.dates import long_date
from tandem.core.scoping import across_organisations
from tandem.core.services import notice_send
from tandem.organisations.models import Person

from ..models import Reminder, ReminderKind, Session, SessionKind, SessionStatus
from .calendars import session_participants, session_summary, session_url

DAY = datetime.timedelta(days=1)
SEND_AT = datetime.time(9, 0)
# Sessions are looked at this far ahead: long enough that a term-time school's reminders for
# the first session after the summer holiday fall, as they should, on its last working days.
PLAN_AHEAD = datetime.timedelta(days=70)
# Overdue and re-booking reminders are about the last four weeks only: switching reminders on
# does not send one about every session of the past.
LOOK_BACK = datetime.timedelta(days=28)
SEND_LIMIT = 200

Key = tuple[int, int, str]


def _at_send_time(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(
        datetime.datetime.combine(day, SEND_AT), timezone.get_default_timezone()
    )


def _local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def working_day_before(calendar: WorkingCalendar, day: datetime.date) -> datetime.date:
    return calendar.previous_working_day(day - DAY)


def prepare_due(calendar: WorkingCalendar, starts_at: datetime.datetime) -> datetime.datetime:
    """09:00 two working days before the session's day."""
    day = working_day_before(calendar, _local_date(starts_at))
    return _at_send_time(working_day_before(calendar, day))


def tomorrow_due(calendar: WorkingCalendar, starts_at: datetime.datetime) -> datetime.datetime:
    """09:00 on the working day before the session's day."""
    return _at_send_time(working_day_before(calendar, _local_date(starts_at)))


def overdue_due(calendar: WorkingCalendar, starts_at: datetime.datetime) -> datetime.datetime:
    """The first 09:00 on a working day at least a day after the session started."""
    late = starts_at + DAY
    day = _local_date(late)
    if _at_send_time(day) < late:
        day += DAY
    return _at_send_time(calendar.next_working_day(day))


def rebook_due(calendar: WorkingCalendar, rebook_by: datetime.date) -> datetime.datetime:
    """09:00 on the first working day after the re-book-by date."""
    return _at_send_time(calendar.add_working_days(rebook_by, 1))


def _in_post(person: Person | None, today: datetime.date) -> bool:
    return (
        person is not None
        and person.user.is_active
        and (person.left_on is None or person.left_on >= today)
    )


def _recipients(session: Session, kind: str, today: datetime.date) -> list[Person]:
    if kind in (ReminderKind.PREPARE, ReminderKind.TOMORROW):
        people = session_participants(session)
    elif kind == ReminderKind.OVERDUE:
        people = [session.supervisor]
    else:  # REBOOK: one to one and ad hoc, both sides; a group is re-booked by its supervisor.
        people = [session.supervisor]
        if session.kind != SessionKind.GROUP and session.supervisee is not None:
            people.append(session.supervisee)
    return [person for person in people if _in_post(person, today)]


class _Planner:
    def __init__(self, now: datetime.datetime) -> None:
        self.now = now
        self.today = _local_date(now)
        self.calendars: dict[int, WorkingCalendar] = {}
        self.created = 0

    def calendar(self, session: Session) -> WorkingCalendar:
        if session.organisation_id not in self.calendars:
            self.calendars[session.organisation_id] = calendar_for(session.organisation)
        return self.calendars[session.organisation_id]

    def plan(self, sessions: Iterable[Session], wanted: Any) -> None:
        """``wanted(session)`` gives the (kind, due_at) pairs the session should have."""
        sessions = list(sessions)
        existing: dict[Key, tuple[int, datetime.datetime, datetime.datetime | None]] = {
            (r.session_id, r.user_id, r.kind): (r.pk, r.due_at, r.sent_at)
            for r in Reminder.objects.filter(session__in=sessions)
        }
        for session in sessions:
            for kind, due_at in wanted(session):
                for person in _recipients(session, kind, self.today):
                    self.ensure(session, person, kind, due_at, existing)

    def ensure(
        self,
        session: Session,
        person: Person,
        kind: str,
        due_at: datetime.datetime,
        existing: dict[Key, tuple[int, datetime.datetime, datetime.datetime | None]],
    ) -> None:
        key = (session.pk, person.user_id, kind)
        if key in existing:
            pk, planned_at, sent_at = existing[key]
            if sent_at is None and planned_at != due_at:
                # The session moved: the reminder moves with it, unless it has gone already.
                Reminder.objects.filter(pk=pk, sent_at__isnull=True).update(due_at=due_at)
            return
        _reminder, created = Reminder.objects.get_or_create(
            session=session,
            user_id=person.user_id,
            kind=kind,
            defaults={"organisation_id": session.organisation_id, "due_at": due_at},
        )
        self.created += created


def _with_people(sessions: Any) -> Any:
    return sessions.select_related(
        "organisation", "supervisor__user", "supervisee__user"
    ).prefetch_related("members__user")


@across_organisations("the reminders round: sessions in every organisation")
def reminders_plan(now: datetime.datetime | None = None) -> int:
    """Write the reminders that sessions call for, as of ``now``. Returns how many are new;
    running it again adds none."""
    now = now or timezone.now()
    planner = _Planner(now)

    def upcoming(session: Session) -> list[tuple[str, datetime.datetime]]:
        calendar = planner.calendar(session)
        tomorrow_at = tomorrow_due(calendar, session.starts_at)
        wanted: list[tuple[str, datetime.datetime]] = [(ReminderKind.TOMORROW, tomorrow_at)]
        # Booked too late to prepare two days ahead: the day-before reminder says it all.
        if tomorrow_at > now:
            wanted.append((ReminderKind.PREPARE, prepare_due(calendar, session.starts_at)))
        return wanted

    planner.plan(
        _with_people(
            Session.objects.filter(
                status=SessionStatus.SCHEDULED,
                starts_at__gt=now,
                starts_at__lte=now + PLAN_AHEAD,
            )
        ),
        upcoming,
    )
    planner.plan(
        _with_people(
            Session.objects.filter(
                status=SessionStatus.SCHEDULED,
                starts_at__lte=now - DAY,
                starts_at__gte=now - LOOK_BACK,
            )
        ),
        lambda s: [(ReminderKind.OVERDUE, overdue_due(planner.calendar(s), s.starts_at))],
    )
    planner.plan(
        _with_people(
            Session.objects.filter(
                status=SessionStatus.CANCELLED,
                rebook_by__lt=planner.today,
                rebook_by__gte=planner.today - LOOK_BACK,
                rebooked_as__isnull=True,
            )
        ),
        lambda s: [(ReminderKind.REBOOK, rebook_due(planner.calendar(s), s.rebook_by))],
    )
    return planner.created


# Sending


def still_wanted(reminder: Reminder, now: datetime.datetime) -> bool:
    """Whether the reminder still makes sense: the session may have been cancelled, recorded,
    re-booked or moved, or the person may have left, since it was planned."""
    session = reminder.session
    person = getattr(reminder.user, "person", None)
    if person is None or not _in_post(person, _local_date(now)):
        return False
    if reminder.kind in (ReminderKind.PREPARE, ReminderKind.TOMORROW):
        return (
            session.status == SessionStatus.SCHEDULED
            and session.starts_at > now
            and person.pk in {p.pk for p in session_participants(session)}
        )
    if reminder.kind == ReminderKind.OVERDUE:
        return session.status == SessionStatus.SCHEDULED
    return (
        session.status == SessionStatus.CANCELLED
        and not Session.objects.filter(rebooked_from=session).exists()
    )


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return f"{local:%A %-d %B} at {local:%H:%M}"


def _other_side(session: Session, person: Person) -> str:
    """Who the session is with, from the recipient's side."""
    if session.kind == SessionKind.GROUP or session.supervisee is None:
        return session_summary(session)
    if person.pk == session.supervisee_id:
        return f"your supervision with {session.supervisor.full_name}"
    return f"your supervision of {session.supervisee.full_name}"


def reminder_message(reminder: Reminder) -> tuple[str, str]:
    """The email's subject and body: plain words and a link to the session."""
    session = reminder.session
    person: Person = reminder.user.person
    what = _other_side(session, person)
    when = _when(session.starts_at)
    where = f", {session.location}" if session.location else ""
    link = session_url(session)
    if reminder.kind == ReminderKind.PREPARE:
        subject = f"Prepare for supervision on {when}"
        body = (
            f"{what[0].upper()}{what[1:]} is on {when}{where}, for "
            f"{session.duration_minutes} minutes.\n\n"
            "Take a few minutes to look at the notes of your last session and add your agenda "
            f"items, so that the time goes on what matters most:\n{link}"
        )
    elif reminder.kind == ReminderKind.TOMORROW:
        subject = f"Supervision on {when}"
        body = (
            f"A reminder: {what} is on {when}{where}, for {session.duration_minutes} "
            f"minutes.\n\nThe agenda is in Tandem:\n{link}"
        )
    elif reminder.kind == ReminderKind.OVERDUE:
        subject = f"Record the supervision of {when}"
        body = (
            f"{what[0].upper()}{what[1:]} on {when} is still shown as scheduled. Record it "
            "as held, or as cancelled with the reason, so that the record is right:\n"
            f"{link}"
        )
    else:
        rebook_by = f"{long_date(session.rebook_by)}" if session.rebook_by else "now"
        subject = "Cancelled supervision not yet re-booked"
        body = (
            f"{what[0].upper()}{what[1:]} on {when} was cancelled and should have been "
            f"re-booked by {rebook_by}. It has not been re-booked yet. Agree a new time and "
            f"book it in Tandem:\n{link}"
        )
    return subject, f"{body}\n\nTandem"


def _send(reminder: Reminder) -> None:
    subject, body = reminder_message(reminder)
    send_mail(subject, body, None, [reminder.user.email])
    notice_send(
        organisation=reminder.session.organisation,
        user=reminder.user,
        text=subject,
        url=reverse("session", args=[reminder.session_id]),
    )


@across_organisations("the reminders round: due reminders in every organisation")
def reminders_send_due(now: datetime.datetime | None = None, limit: int = SEND_LIMIT) -> int:
    """Send up to ``limit`` due reminders, each in its own transaction; returns how many were
    sent. An error sending one (the mail server is down) stops the round with that one unsent;
    the next round starts from it."""
    now = now or timezone.now()
    due = list(
        Reminder.objects.filter(sent_at__isnull=True, due_at__lte=now)
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        with transaction.atomic():
            reminder = (
                Reminder.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related(
                    "user__person",
                    "session__organisation",
                    "session__supervisor__user",
                    "session__supervisee__user",
                )
                .filter(pk=pk, sent_at__isnull=True, due_at__lte=now)
                .first()
            )
            if reminder is None:  # Sent, moved or being sent by another worker.
                continue
            if not still_wanted(reminder, now):
                reminder.delete()
                continue
            _send(reminder)
            reminder.sent_at = timezone.now()
            reminder.save(update_fields=["sent_at"])
            sent += 1
    return sent


def reminders_round(now: datetime.datetime | None = None) -> dict[str, int]:
    """Plan, then send what is due: what the task and the command do."""
    now = now or timezone.now()
    planned = reminders_plan(now)
    sent = reminders_send_due(now)
    return {"planned": planned, "sent": sent}
