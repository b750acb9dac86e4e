"""The shared agenda: who adds to it and when, marking items done, taking them off, and how
well the items fit the session."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.core.models import AuditEvent
from tandem.meetings import selectors
from tandem.meetings.models import AgendaItem, CancelReason, Priority, SessionKind, SessionStatus
from tandem.meetings.services import sessions
from tandem.meetings.tests.test_sessions import at, book, item, past_session

pytestmark = pytest.mark.dated


def add(session, by, **changes):
    fields = {"title": "Caseload", "function": "management", "minutes": 15}
    fields.update(changes)
    return sessions.agenda_item_add(session=session, by=by, **fields)


# Adding


def test_either_party_adds_to_the_agenda(cast):
    session = book(cast)
    mine = add(
        session,
        cast.supervisee,
        title="A difficult visit",
        detail="Last Tuesday",
        priority=Priority.HIGH,
        minutes=20,
        function="support",
    )
    theirs = add(session, cast.supervisor)

    assert (mine.added_by, mine.title, mine.detail) == (
        cast.supervisee,
        "A difficult visit",
        "Last Tuesday",
    )
    assert (mine.priority, mine.minutes, mine.function, mine.done) == ("high", 20, "support", False)
    assert theirs.added_by == cast.supervisor
    assert list(session.agenda.all()) == [mine, theirs]
    assert AuditEvent.objects.filter(action="agenda_item.add").count() == 2


def test_group_members_add_to_their_groups_agenda(cast):
    group = book(
        cast,
        kind=SessionKind.GROUP,
        supervisee=None,
        title="Reflective practice",
        members=[cast.supervisee, cast.colleague],
    )
    assert add(group, cast.colleague).added_by == cast.colleague


@pytest.mark.parametrize("who", ["manager", "admin", "head_of_service", "outsider"])
def test_only_the_people_taking_part_add_to_the_agenda(cast, who):
    session = book(cast)
    with pytest.raises(ValidationError, match="Only the people taking part"):
        add(session, getattr(cast, who))
    assert not session.agenda.exists()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (SessionStatus.HELD, "has been held"),
        (SessionStatus.CANCELLED, "was cancelled"),
    ],
)
def test_nothing_is_added_to_a_held_or_cancelled_session(cast, status, message):
    session = past_session(cast, 2, status=status)
    with pytest.raises(ValidationError, match=message):
        add(session, cast.supervisee)
    assert not session.agenda.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"priority": "urgent"}, "priority"),
        ({"function": "gossip"}, "function"),
        ({"function": ""}, "function"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": -5}, "minutes"),
        ({"minutes": 481}, "minutes"),
    ],
)
def test_bad_items_are_refused_by_field(cast, changes, field):
    session = book(cast)
    with pytest.raises(ValidationError) as error:
        add(session, cast.supervisee, **changes)
    assert list(error.value.message_dict) == [field]
    assert not session.agenda.exists()


# Done and removed


def test_marking_done_and_not_done(cast):
    session = book(cast)
    entry = add(session, cast.supervisee)
    assert sessions.agenda_item_done(item=entry, by=cast.supervisor).done
    assert not sessions.agenda_item_done(item=entry, done=False, by=cast.supervisor).done
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="agenda_item.").order_by("id")
    ] == [
        "agenda_item.add",
        "agenda_item.done",
        "agenda_item.not_done",
    ]


def test_items_are_marked_done_on_a_held_session_but_not_a_cancelled_one(cast):
    held = past_session(cast, 1)
    entry = item(held, "Discussed")
    assert sessions.agenda_item_done(item=entry, by=cast.supervisor).done

    cancelled = past_session(cast, 3, status=SessionStatus.CANCELLED)
    other = item(cancelled, "Never discussed")
    with pytest.raises(ValidationError, match="cancelled"):
        sessions.agenda_item_done(item=other, by=cast.supervisor)
    other.refresh_from_db()
    assert not other.done


def test_items_come_off_a_scheduled_agenda_only(cast):
    session = book(cast)
    entry = add(session, cast.supervisee)
    sessions.agenda_item_remove(item=entry, by=cast.supervisee)
    assert not session.agenda.exists()
    assert AuditEvent.objects.filter(action="agenda_item.remove").count() == 1

    held = past_session(cast, 1)
    kept = item(held, "On the record")
    with pytest.raises(ValidationError, match="scheduled"):
        sessions.agenda_item_remove(item=kept, by=cast.supervisor)
    assert AgendaItem.objects.filter(pk=kept.pk).exists()


def test_unfinished_items_of_a_held_session_carry_and_finished_ones_do_not(cast):
    held = past_session(cast, 1)
    finished = item(held, "Finished")
    unfinished = item(held, "Unfinished")
    sessions.agenda_item_done(item=finished, by=cast.supervisor)
    assert [i.carried_from for i in book(cast).agenda.all()] == [unfinished]


# How well the agenda fits


def test_items_that_fit(cast):
    session = book(cast, duration_minutes=90)
    add(session, cast.supervisee, minutes=60)
    add(session, cast.supervisor, minutes=30)
    fit = selectors.agenda_fit(session)
    assert fit.fits and fit.over_by == 0
    assert (fit.planned_minutes, fit.session_minutes) == (90, 90)
    assert fit.text == "The items fit in 90 minutes"


def test_items_that_need_more_time_than_the_session(cast):
    session = book(cast, duration_minutes=90)
    add(session, cast.supervisee, minutes=60)
    add(session, cast.supervisor, minutes=50)
    fit = selectors.agenda_fit(session)
    assert not fit.fits and fit.over_by == 20
    assert fit.text == "The items need 20 minutes more than the session"


def test_done_items_need_no_time_and_one_minute_is_singular(cast):
    session = book(cast, duration_minutes=60)
    add(session, cast.supervisee, minutes=61)
    done = add(session, cast.supervisor, minutes=30)
    sessions.agenda_item_done(item=done, by=cast.supervisor)
    assert selectors.agenda_fit(session).text == "The items need 1 minute more than the session"
    assert selectors.agenda_fit(book(cast, at(8), duration_minutes=1)).text == (
        "The items fit in 1 minute"
    )


def test_the_session_page_shows_the_fit(cast):
    session = book(cast, duration_minutes=90)
    add(session, cast.supervisee, minutes=60)
    client = cast.client_for(cast.supervisee)
    page = client.get(reverse("session", args=[session.pk])).content.decode()
    assert "The items fit in 90 minutes" in page
    add(session, cast.supervisee, minutes=50)
    page = client.get(reverse("session", args=[session.pk])).content.decode()
    assert "The items need 20 minutes more than the session" in page


def test_the_agenda_stays_with_a_cancelled_session_and_moves_to_its_rebooking(cast):
    session = book(cast)
    add(session, cast.supervisee, title="Keep this")
    cancelled = sessions.session_cancel(
        session=session, by=cast.supervisor, reason=CancelReason.CRISIS
    )
    assert [i.title for i in cancelled.agenda.all()] == ["Keep this"]
    rebooked = sessions.session_rebook(cancelled=cancelled, starts_at=at(9), by=cast.supervisor)
    assert [i.title for i in rebooked.agenda.all()] == ["Keep this"]


def test_recording_a_session_held_carries_its_unfinished_items_into_the_next_booked_one(cast):
    import datetime as dt

    from django.utils import timezone as tz

    from tandem.meetings.models import AgendaItem, Session
    from tandem.meetings.services import sessions

    now = tz.now()
    first = sessions.session_book(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        kind="one_to_one",
        starts_at=now + dt.timedelta(days=1),
        duration_minutes=90,
        location="Room 1",
        by=cast.supervisor,
    )
    second = sessions.session_book(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        kind="one_to_one",
        starts_at=now + dt.timedelta(days=8),
        duration_minutes=90,
        location="Room 1",
        by=cast.supervisor,
    )
    for title, done in (("Caseload", False), ("Training plan", True)):
        item = sessions.agenda_item_add(
            session=first,
            by=cast.supervisee,
            title=title,
            detail="",
            priority="medium",
            minutes=10,
            function="development",
        )
        if done:
            sessions.agenda_item_done(item=item, by=cast.supervisee)
    Session.objects.filter(pk=first.pk).update(starts_at=now - dt.timedelta(hours=2))
    first.refresh_from_db()

    sessions.session_record_held(
        session=first, started_at=now - dt.timedelta(hours=2), minutes=90, by=cast.supervisor
    )

    carried = AgendaItem.objects.filter(session=second)
    assert [item.title for item in carried] == ["Caseload"]
    assert carried.get().carried_from.session == first
