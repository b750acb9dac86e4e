"""Sessions in calendars: the .ics invitation, the personal feed and its secret address."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tandem.core.models import AuditEvent
from tandem.meetings.feed_views import NEW_FEED_KEY
from tandem.meetings.models import CalendarFeed, Session, SessionKind, SessionStatus
from tandem.meetings.services import calendars

pytestmark = pytest.mark.dated

UTC = datetime.UTC


def local(*args: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args), timezone.get_default_timezone())


def make_session(cast: Any, starts_at: datetime.datetime, **fields: Any) -> Session:
    fields.setdefault("supervisee", cast.supervisee)
    fields.setdefault("supervisor", cast.supervisor)
    fields.setdefault("location", "Room 2, Riverside House")
    return Session.objects.create(
        organisation=cast.organisation, starts_at=starts_at, duration_minutes=90, **fields
    )


def parse(data: bytes) -> Calendar:
    assert b"\r\n" in data, "iCalendar lines end with CRLF"
    return Calendar.from_ical(data)


def addresses(values: Any) -> list[str]:
    values = values if isinstance(values, list) else [values]
    return [str(v).removeprefix("mailto:") for v in values]


@pytest.fixture
def session(cast):
    # 10:00 in London in British Summer Time is 09:00 UTC.
    return make_session(cast, local(2026, 6, 15, 10, 0))


# The invitation


def test_a_session_is_an_invitation(cast, session):
    calendar = parse(calendars.session_ics(session))

    assert str(calendar["prodid"]) == "-//Tandem//Supervision//EN"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["method"]) == "REQUEST"
    [event] = calendar.events
    assert str(event["uid"]) == f"session-{session.pk}@tandem"
    assert event["dtstart"].dt == datetime.datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
    assert event["dtstart"].dt.utcoffset() == datetime.timedelta(0)
    assert event["dtend"].dt == datetime.datetime(2026, 6, 15, 10, 30, tzinfo=UTC)
    assert event["dtstamp"].dt.tzinfo is not None
    assert str(event["summary"]) == "Supervision: Sue Supervisee with Sam Supervisor"
    assert str(event["location"]) == "Room 2, Riverside House"
    link = settings.SITE_URL.rstrip("/") + reverse("session", args=[session.pk])
    assert link in str(event["description"])
    assert addresses(event["organizer"]) == ["sam@riverside.test"]
    assert event["organizer"].params["CN"] == "Sam Supervisor"
    assert sorted(addresses(event["attendee"])) == ["sam@riverside.test", "sue@riverside.test"]
    assert str(event["status"]) == "CONFIRMED"
    assert event["sequence"] == 0


def test_a_cancelled_session_cancels_the_invitation(cast, session):
    session.status = SessionStatus.CANCELLED
    session.save()

    calendar = parse(calendars.session_ics(session))

    assert str(calendar["method"]) == "CANCEL"
    [event] = calendar.events
    assert str(event["uid"]) == f"session-{session.pk}@tandem"
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1


def test_moving_a_session_raises_its_sequence(cast):
    from tandem.meetings.services import sessions

    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    session = make_session(cast, start)
    sessions.session_move(
        session=session,
        starts_at=start + datetime.timedelta(days=1),
        duration_minutes=60,
        location="Online",
        by=cast.supervisor,
    )

    [event] = parse(calendars.session_ics(session)).events

    assert event["sequence"] == 1
    assert event["dtstart"].dt == (start + datetime.timedelta(days=1)).astimezone(UTC)
    assert str(event["location"]) == "Online"


def test_a_group_session_is_called_by_its_title_and_invites_its_members(cast):
    group = make_session(
        cast,
        local(2026, 6, 16, 14, 0),
        kind=SessionKind.GROUP,
        supervisee=None,
        title="Reflective group: Assessment Team",
    )
    group.members.set([cast.supervisee, cast.colleague])

    [event] = parse(calendars.session_ics(group)).events

    assert str(event["summary"]) == "Reflective group: Assessment Team"
    assert sorted(addresses(event["attendee"])) == [
        "cole@riverside.test",
        "sam@riverside.test",
        "sue@riverside.test",
    ]


# The feed


def test_the_feed_has_the_persons_sessions_from_three_months_ago_to_a_year_ahead(cast):
    now = local(2026, 6, 1, 12, 0)
    past = make_session(cast, now - datetime.timedelta(days=80))
    soon = make_session(cast, now + datetime.timedelta(days=7))
    cancelled = make_session(
        cast, now + datetime.timedelta(days=14), status=SessionStatus.CANCELLED
    )
    far = make_session(cast, now + datetime.timedelta(days=360))
    make_session(cast, now - datetime.timedelta(days=100))  # too long ago
    make_session(cast, now + datetime.timedelta(days=380))  # too far ahead
    make_session(  # someone else's
        cast, now + datetime.timedelta(days=7), supervisee=cast.supervisor, supervisor=cast.manager
    )

    calendar = parse(calendars.feed_ics(cast.supervisee, now))

    assert "method" not in calendar
    assert str(calendar["prodid"]) == "-//Tandem//Supervision//EN"
    events = {str(e["uid"]): e for e in calendar.events}
    assert sorted(events) == sorted(f"session-{s.pk}@tandem" for s in (past, soon, cancelled, far))
    assert str(events[f"session-{cancelled.pk}@tandem"]["status"]) == "CANCELLED"
    assert str(events[f"session-{soon.pk}@tandem"]["status"]) == "CONFIRMED"


def test_the_feed_never_carries_the_agenda_or_notes(cast, session):
    session.cancel_note = "Private: Sue is off with stress"
    session.status = SessionStatus.CANCELLED
    session.save()

    data = calendars.feed_ics(cast.supervisee, local(2026, 6, 1, 12, 0))

    assert b"stress" not in data


# Feed addresses


def test_a_feed_keeps_only_the_hash_of_its_token_and_is_audited(cast):
    feed, raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)

    assert len(raw) >= 40
    assert raw not in feed.token_hash
    assert feed.token_hash == calendars.feed_token_hash(raw)
    assert calendars.calendar_feed_for_token(raw) == feed
    assert AuditEvent.objects.filter(action="calendar_feed.create", object_id=str(feed.pk)).exists()


def test_a_new_feed_stops_the_old_one(cast):
    old, old_raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)
    new, new_raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)

    old.refresh_from_db()
    assert old.revoked_at is not None
    assert calendars.calendar_feed_for_token(old_raw) is None
    assert calendars.calendar_feed_for_token(new_raw) == new
    assert CalendarFeed.objects.filter(person=cast.supervisee, revoked_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="calendar_feed.revoke", object_id=str(old.pk)).exists()


def test_revoking_stops_the_feed_and_is_audited(cast):
    feed, raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)

    calendars.calendar_feed_revoke(feed, cast.supervisee.user)
    calendars.calendar_feed_revoke(feed, cast.supervisee.user)  # again: nothing more

    assert calendars.calendar_feed_for_token(raw) is None
    assert AuditEvent.objects.filter(action="calendar_feed.revoke").count() == 1


# The pages


def test_the_feed_address_needs_no_sign_in(cast):
    session = make_session(cast, timezone.now() + datetime.timedelta(days=7))
    feed, raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)

    response = Client().get(reverse("calendar-feed", args=[raw]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    [event] = parse(response.content).events
    assert str(event["uid"]) == f"session-{session.pk}@tandem"
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None


@pytest.mark.parametrize("which", ["unknown", "revoked", "left"])
def test_a_wrong_or_stopped_feed_address_is_not_found(cast, which):
    feed, raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)
    if which == "unknown":
        raw = raw[:-4] + "abcd"
    elif which == "revoked":
        calendars.calendar_feed_revoke(feed, None)
    else:
        cast.supervisee.left_on = timezone.localdate() - datetime.timedelta(days=1)
        cast.supervisee.save()

    response = Client().get(reverse("calendar-feed", args=[raw]))

    assert response.status_code == 404
    feed.refresh_from_db()
    assert feed.last_fetched_at is None


def test_the_invitation_is_for_those_who_may_see_the_session(cast, session):
    path = reverse("session-ics", args=[session.pk])

    for who in ("supervisee", "supervisor", "manager"):
        response = cast.client_for(getattr(cast, who)).get(path)
        assert response.status_code == 200, who
        assert response["Content-Type"].startswith("text/calendar")
        assert "attachment" in response["Content-Disposition"]
        assert str(parse(response.content).events[0]["uid"]) == f"session-{session.pk}@tandem"
    assert cast.client_for(cast.colleague).get(path).status_code == 403
    assert cast.client_for(cast.outsider).get(path).status_code == 404
    assert Client().get(path).status_code == 302


def test_making_a_feed_shows_its_address_once(cast):
    client = cast.client_for(cast.supervisee)
    page = reverse("calendar-feeds")

    assert "You have no calendar feed" in client.get(page).content.decode()
    response = client.post(page, {"action": "create"})
    assert response.status_code == 302
    assert response.url == page
    shown = client.get(page).content.decode()
    assert "Google Calendar" in shown
    assert "Subscribe from web" in shown
    feed = CalendarFeed.objects.get(person=cast.supervisee, revoked_at__isnull=True)
    address = next(
        word
        for word in shown.replace("<", " ").replace(">", " ").split()
        if "/calendar/feed/" in word and word.startswith("http")
    )
    assert feed.token_hash == calendars.feed_token_hash(
        address.rsplit("/", 1)[1].removesuffix(".ics")
    )
    assert NEW_FEED_KEY not in client.session
    again = client.get(page).content.decode()
    assert "/calendar/feed/" not in again, "the address is shown once"

    assert Client().get(address.removeprefix("http://testserver")).status_code == 200


def test_stopping_a_feed_from_the_page(cast):
    client = cast.client_for(cast.supervisee)
    _feed, raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)

    response = client.post(reverse("calendar-feeds"), {"action": "revoke"})

    assert response.status_code == 302
    assert Client().get(reverse("calendar-feed", args=[raw])).status_code == 404
    assert "You have no calendar feed" in client.get(reverse("calendar-feeds")).content.decode()


def test_nobody_can_stop_someone_elses_feed(cast):
    _feed, raw = calendars.calendar_feed_create(cast.supervisee, cast.supervisee.user)

    cast.client_for(cast.supervisor).post(reverse("calendar-feeds"), {"action": "revoke"})
    cast.client_for(cast.outsider).post(reverse("calendar-feeds"), {"action": "revoke"})

    assert calendars.calendar_feed_for_token(raw) is not None
