"""Sessions as calendar entries: one session's invitation (.ics), a person's calendar feed, and
the secret feed addresses that Outlook or Google Calendar subscribe to.

A feed address carries a secret token; only its SHA-256 is kept, as for API tokens. A person
has at most one working feed: making a new one revokes the old. What goes into a calendar is
what anyone who sees the invitation may see (who, when, where, a link to Tandem), never the
agenda or notes: a feed address can end up in places a password would not.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from tandem.core.models import AuditEvent
from tandem.core.scoping import across_organisations
from tandem.core.services import audit_event_write
from tandem.core.tokens import token_hash as feed_token_hash
from tandem.core.tokens import token_new
from tandem.organisations.models import Person
from tandem.organisations.selectors import person_for_user

from ..models import CalendarFeed, Session, SessionKind, SessionStatus

PRODID = "-//Tandem//Supervision//EN"
FEED_PAST = relativedelta(months=3)
FEED_AHEAD = relativedelta(months=12)
# How often subscribed calendars are asked to fetch the feed again (they may ignore it).
FEED_REFRESH = datetime.timedelta(hours=1)


def session_url(session: Session) -> str:
    """The session's page, as a full address for emails and calendars."""
    return settings.SITE_URL.rstrip("/") + reverse("session", args=[session.pk])


def session_summary(session: Session) -> str:
    supervisor = session.supervisor.full_name
    if session.kind == SessionKind.GROUP or session.supervisee is None:
        return session.title or f"{session.get_kind_display()} with {supervisor}"
    return f"Supervision: {session.supervisee.full_name} with {supervisor}"


def session_participants(session: Session) -> list[Person]:
    """The supervisor first, then the supervisee or the group's members."""
    people = [session.supervisor]
    if session.supervisee is not None:
        people.append(session.supervisee)
    people += [m for m in session.members.all() if m.pk not in {p.pk for p in people}]
    return people


MOVE_ACTION = "session.move"  # As ``sessions.session_move`` audits a move.


def session_moves(sessions: Iterable[Session]) -> dict[int, int]:
    """How many times each session was moved, counted from the audit trail (one query)."""
    ids = [str(session.pk) for session in sessions]
    counts = (
        AuditEvent.objects.filter(
            object_type=Session._meta.label_lower, object_id__in=ids, action=MOVE_ACTION
        )
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {int(row["object_id"]): row["n"] for row in counts}


def session_sequence(session: Session, moves: int = 0) -> int:
    """The iCalendar SEQUENCE: how many times the session changed after it was first booked.
    Each move counts one, and a cancellation one more, so that a calendar holding an earlier
    copy applies the change."""
    return moves + (1 if session.status == SessionStatus.CANCELLED else 0)


def _address(person: Person, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.user.email}")
    address.params["cn"] = vText(person.full_name)
    address.params["role"] = vText(role)
    return address


def _event(session: Session, stamp: datetime.datetime, moves: int) -> Event:
    cancelled = session.status == SessionStatus.CANCELLED
    event = Event()
    event.add("uid", f"session-{session.pk}@tandem")
    event.add("dtstamp", stamp)
    event.add("dtstart", session.starts_at.astimezone(datetime.UTC))
    event.add("dtend", session.ends_at.astimezone(datetime.UTC))
    event.add("summary", ("Cancelled: " if cancelled else "") + session_summary(session))
    if session.location:
        event.add("location", session.location)
    lines = [
        f"{session.get_kind_display()}, {session.duration_minutes} minutes.",
        "This session was cancelled." if cancelled else "",
        f"Agenda and record in Tandem: {session_url(session)}",
    ]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", session_url(session))
    event.add("organizer", _address(session.supervisor, "CHAIR"))
    for person in session_participants(session):
        role = "CHAIR" if person.pk == session.supervisor_id else "REQ-PARTICIPANT"
        event.add("attendee", _address(person, role))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", session_sequence(session, moves))
    return event


def _calendar(method: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _with_people(sessions: Any) -> Any:
    return sessions.select_related("supervisor__user", "supervisee__user").prefetch_related(
        "members__user"
    )


def session_ics(session: Session) -> bytes:
    """One session as an invitation to import or forward: a REQUEST while it stands, a CANCEL
    (STATUS:CANCELLED, same UID, higher SEQUENCE) once it is cancelled, which removes it."""
    session = _with_people(Session.objects.filter(pk=session.pk)).get()
    cancelled = session.status == SessionStatus.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    moves = session_moves([session]).get(session.pk, 0)
    calendar.add_component(_event(session, timezone.now().astimezone(datetime.UTC), moves))
    return calendar.to_ical()


def feed_sessions(person: Person, now: datetime.datetime | None = None) -> Iterable[Session]:
    now = now or timezone.now()
    return _with_people(
        Session.objects.for_organisation(person.organisation_id)
        .of_person(person)
        .filter(starts_at__gte=now - FEED_PAST, starts_at__lte=now + FEED_AHEAD)
        .order_by("starts_at", "pk")
    )


def feed_ics(person: Person, now: datetime.datetime | None = None) -> bytes:
    """The person's sessions from 3 months ago to 12 months ahead, cancelled ones included as
    STATUS:CANCELLED so that calendars which already show them take them off."""
    now = now or timezone.now()
    calendar = _calendar()
    calendar.add("x-wr-calname", "Tandem supervision")
    calendar.add("refresh-interval", FEED_REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", FEED_REFRESH)
    stamp = now.astimezone(datetime.UTC)
    sessions = list(feed_sessions(person, now))
    moves = session_moves(sessions)
    for session in sessions:
        calendar.add_component(_event(session, stamp, moves.get(session.pk, 0)))
    return calendar.to_ical()


# Feed addresses


def calendar_feed_of(person: Person) -> CalendarFeed | None:
    """The person's working feed, if they have one."""
    return (
        CalendarFeed.objects.for_organisation(person.organisation_id)
        .filter(person=person, revoked_at__isnull=True)
        .first()
    )


@transaction.atomic
def calendar_feed_create(person: Person, by: Person | None = None) -> tuple[CalendarFeed, str]:
    """A new secret feed address for ``person``; returns the feed and its token, which is never
    stored. Any feed they had stops working."""
    # Lock the person so that two clicks at once cannot leave two working feeds.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    for old in CalendarFeed.objects.filter(person=person, revoked_at__isnull=True):
        calendar_feed_revoke(old, by)
    raw = token_new()
    feed = CalendarFeed.objects.create(
        organisation_id=person.organisation_id, person=person, token_hash=feed_token_hash(raw)
    )
    audit_event_write(
        organisation=person.organisation,
        actor=by,
        action="calendar_feed.create",
        target=feed,
        detail={"person": person.pk},
    )
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(feed: CalendarFeed, by: Person | None = None) -> CalendarFeed:
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        audit_event_write(
            organisation=feed.organisation,
            actor=by,
            action="calendar_feed.revoke",
            target=feed,
            detail={"person": feed.person_id},
        )
    return feed


def calendar_feed_for_token(raw: str) -> CalendarFeed | None:
    """The working feed with this token, of someone still in post; None otherwise. Marks it
    fetched."""
    if not raw:
        return None
    with across_organisations("whose calendar address, and so which organisation", routine=True):
        feed = (
            CalendarFeed.objects.select_related("person__user")
            .filter(token_hash=feed_token_hash(raw), revoked_at__isnull=True)
            .first()
        )
        if feed is None:
            return None
        person = person_for_user(feed.person.user)
        if person is None or person.pk != feed.person_id:
            return None
        feed.last_fetched_at = timezone.now()
        CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched_at=feed.last_fetched_at)
        return feed
