"""The session pages as people use them, through the test client.

Sam supervises Sue; Mia manages their team (and supervises Sam); Hal and Ada are above Mia;
Cole is in another team of Hal's service; Ann is Riverside's admin; Olga is the admin of
Hillside, another organisation, and finds nothing of Riverside's.
"""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.tests.test_pages import form_data
from tandem.core.calendar import WorkingCalendar
from tandem.core.models import ClosureDay
from tandem.meetings.models import AgendaItem, CancelReason, Session, SessionKind, SessionStatus
from tandem.meetings.services import sessions
from tandem.meetings.tests.test_schedule import london, since_spring
from tandem.meetings.tests.test_sessions import (
    at,
    book,
    item,
    line_of,
    past_session,
    sues_agreement,
)
from tandem.organisations.models import StaffCategory
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory

EVERYONE = [
    "supervisee",
    "supervisor",
    "manager",
    "head_of_service",
    "director",
    "colleague",
    "admin",
    "outsider",
]


def working(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """``days`` working days from today, at this time in London: a day the booking forms take
    without asking to confirm it, whatever day the tests run on."""
    day = WorkingCalendar().add_working_days(timezone.localdate(), days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def text(response: Any) -> str:
    return response.content.decode()


def shows(response: Any, words: str) -> bool:
    return html.escape(words) in text(response)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def errors_on(response: Any) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def value_shown(response: Any, name: str, value: str) -> bool:
    """The form shows this value back in the input called ``name``."""
    return f'name="{name}" type="text" value="{html.escape(value)}"' in text(response)


def day(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y}"


def cancelled(cast: Any, **changes: Any) -> Session:
    return sessions.session_cancel(
        session=book(cast, **changes),
        by=cast.supervisee,
        reason=CancelReason.ILLNESS,
    )


# Who may do what


VIEW = {
    "supervisee": 200,
    "supervisor": 200,
    "manager": 200,
    "head_of_service": 200,
    "director": 200,
    "colleague": 403,
    "admin": 200,
    "outsider": 404,
}
CHANGE = {**VIEW, "manager": 403, "head_of_service": 403, "director": 403, "admin": 403}
RECORD_HELD = {**CHANGE, "supervisee": 403}


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_a_session(cast, who):
    session = book(cast)
    response = cast.client_for(getattr(cast, who)).get(reverse("session", args=[session.pk]))
    assert response.status_code == VIEW[who]
    if who == "outsider":
        assert "Sue Supervisee" not in text(response)


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("page", ["session-move", "session-cancel", "session-rebook"])
def test_who_moves_cancels_and_rebooks(cast, who, page):
    session = cancelled(cast) if page == "session-rebook" else book(cast)
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse(page, args=[session.pk])).status_code == CHANGE[who]


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_supervisor_records_a_session_as_held(cast, who):
    session = book(cast)
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("session-held", args=[session.pk])).status_code == RECORD_HELD[who]


@pytest.mark.parametrize("who", EVERYONE)
def test_who_adds_to_the_agenda(cast, who):
    session = book(cast)
    client = cast.client_for(getattr(cast, who))
    response = client.post(
        reverse("session", args=[session.pk]),
        {"title": "Caseload", "priority": "medium", "minutes": "15", "function": "management"},
    )
    allowed = who in ("supervisee", "supervisor")
    assert response.status_code == (302 if allowed else CHANGE[who])
    assert session.agenda.count() == (1 if allowed else 0)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_marks_items_done_and_removes_them(cast, who):
    session = book(cast)
    entry = item(session, "Caseload")
    client = cast.client_for(getattr(cast, who))
    done = client.post(reverse("session-agenda-done", args=[session.pk, entry.pk]))
    removed = client.post(reverse("session-agenda-remove", args=[session.pk, entry.pk]))
    allowed = who in ("supervisee", "supervisor")
    assert done.status_code == removed.status_code == (302 if allowed else CHANGE[who])
    assert AgendaItem.objects.filter(pk=entry.pk).exists() != allowed


def test_an_item_of_another_session_is_not_found(cast):
    session = book(cast)
    other = item(book(cast, at(8)), "Elsewhere")
    client = cast.client_for(cast.supervisee)
    assert (
        client.post(reverse("session-agenda-done", args=[session.pk, other.pk])).status_code == 404
    )


def test_group_members_see_and_add_to_the_agenda_but_do_not_cancel(cast):
    group = book(
        cast,
        kind=SessionKind.GROUP,
        supervisee=None,
        title="Reflective practice",
        members=[cast.supervisee, cast.colleague],
    )
    cole = cast.client_for(cast.colleague)
    assert cole.get(reverse("session", args=[group.pk])).status_code == 200
    assert cole.get(reverse("session-cancel", args=[group.pk])).status_code == 403
    added = cole.post(
        reverse("session", args=[group.pk]),
        {"title": "A hard week", "priority": "high", "minutes": "10", "function": "support"},
    )
    assert added.status_code == 302
    assert group.agenda.get().added_by == cast.colleague


def test_the_outsider_changes_nothing(cast):
    session = book(cast)
    entry = item(session, "Caseload")
    olga = cast.client_for(cast.outsider)
    posts = {
        "session": {"title": "x", "priority": "low", "minutes": "5", "function": "support"},
        "session-cancel": {"reason": "illness"},
        "session-move": {"date": day(working(9)), "time": "10:00", "duration_minutes": "60"},
        "session-held": {"date": day(at(-1)), "time": "10:00", "minutes": "60"},
    }
    for name, data in posts.items():
        response = olga.post(reverse(name, args=[session.pk]), data)
        assert response.status_code == 404, name
        assert "Riverside" not in text(response) and "Sue Supervisee" not in text(response)
    for name in ("session-agenda-done", "session-agenda-remove"):
        assert olga.post(reverse(name, args=[session.pk, entry.pk])).status_code == 404
    session.refresh_from_db()
    entry.refresh_from_db()
    assert (session.status, session.starts_at, session.agenda.count()) == (
        SessionStatus.SCHEDULED,
        at(7),
        1,
    )
    assert not entry.done
    # Booking with Sue: she is not someone Olga supervises.
    response = olga.post(
        reverse("session-book"),
        {
            "kind": "one_to_one",
            "supervisee": cast.supervisee.pk,
            "date": day(working(9)),
            "time": "10:00",
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert errors_on(response)["supervisee"] == ["Choose someone you supervise."]
    assert Session.objects.count() == 1


# Booking


def test_sam_books_a_session_with_sue(cast):
    sam = cast.client_for(cast.supervisor)
    page = sam.get(reverse("session-book"))
    assert page.status_code == 200
    assert shows(page, "Sue Supervisee")
    data = {
        **form_data(page),
        "supervisee": str(cast.supervisee.pk),
        "date": day(working(10)),
        "time": "14:30",
        "duration_minutes": "90",
        "location": "The quiet room",
    }

    response = sam.post(reverse("session-book"), data)

    session = Session.objects.get()
    assert response.status_code == 302 and response.url == reverse("session", args=[session.pk])
    assert session.starts_at == working(10, 14, 30)
    assert (session.supervisor, session.supervisee, session.kind) == (
        cast.supervisor,
        cast.supervisee,
        SessionKind.ONE_TO_ONE,
    )
    assert (session.duration_minutes, session.location) == (90, "The quiet room")


def test_booking_says_how_many_items_were_carried(cast):
    item(past_session(cast, 7), "Open action")
    response = cast.client_for(cast.supervisor).post(
        reverse("session-book"),
        {
            "kind": "one_to_one",
            "supervisee": cast.supervisee.pk,
            "date": day(working(10)),
            "time": "10:00",
            "duration_minutes": "90",
        },
        follow=True,
    )
    assert (
        "Session booked. 1 unfinished item from your last session carried into its agenda."
        in messages_of(response)
    )
    assert shows(response, "Open action")


def test_the_booking_page_starts_from_the_pairs_agreement(cast):
    sues_agreement(cast, 5)
    page = cast.client_for(cast.supervisor).get(
        reverse("session-book"), {"supervisee": cast.supervisee.pk}
    )
    assert form_data(page)["supervisee"] == str(cast.supervisee.pk)
    assert form_data(page)["duration_minutes"] == "90"
    assert form_data(page)["location"] == "Meeting room 2, Riverside House"


def test_mia_books_a_group_session(cast):
    mia = cast.client_for(cast.manager)
    page = mia.get(reverse("session-book"))
    assert shows(page, "Group supervision") and shows(page, "Who is in the group")
    response = mia.post(
        reverse("session-book"),
        {
            "kind": "group",
            "title": "Reflective practice",
            "members": [cast.supervisor.pk, cast.supervisee.pk],
            "date": day(working(12)),
            "time": "09:30",
            "duration_minutes": "120",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.kind == SessionKind.GROUP and session.title == "Reflective practice"
    assert set(session.members.all()) == {cast.supervisor, cast.supervisee}


def test_sam_supervises_one_person_so_is_offered_no_groups(cast):
    page = cast.client_for(cast.supervisor).get(reverse("session-book"))
    assert not shows(page, "Group supervision")


def test_someone_who_supervises_no_one_is_told_so(cast):
    page = cast.client_for(cast.supervisee).get(reverse("session-book"))
    assert page.status_code == 200
    assert "there is no one to book a session with" in text(page)
    assert '<form method="post" novalidate>' not in text(page)


def test_bad_booking_input_is_shown_on_its_fields_and_kept(cast):
    sam = cast.client_for(cast.supervisor)
    typed = {
        "kind": "one_to_one",
        "supervisee": str(cast.supervisee.pk),
        "date": "31/02/2027",
        "time": "25:61",
        "duration_minutes": "ninety",
        "location": "Room 9",
    }
    response = sam.post(reverse("session-book"), typed)

    assert response.status_code == 200
    assert errors_on(response) == {
        "date": ["Enter a real date as day/month/year, for example 27/03/2027."],
        "time": ["Enter a time on the 24-hour clock, for example 14:30."],
        "duration_minutes": ["Enter the minutes as a whole number, for example 90."],
    }
    for name in ("date", "time", "duration_minutes", "location"):
        assert value_shown(response, name, typed[name]), name
    assert form_data(response)["supervisee"] == str(cast.supervisee.pk)
    assert "There is a problem" in text(response)
    assert 'href="#id_date"' in text(response)
    assert text(response).count("govuk-form-group--error") == 3
    assert "<title>Error: " in text(response)
    assert not Session.objects.exists()


def test_missing_booking_input_is_asked_for(cast):
    response = cast.client_for(cast.supervisor).post(
        reverse("session-book"), {"kind": "one_to_one"}
    )
    assert errors_on(response) == {
        "supervisee": ["Choose whom the session is with."],
        "date": ["Enter the date, for example 27/03/2027."],
        "time": ["Enter the start time, for example 14:30."],
        "duration_minutes": ["Enter how many minutes, for example 90."],
    }
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("27/03/27", "Enter the year in full, for example 27/03/2027."),
        ("next tuesday", "Enter a real date as day/month/year, for example 27/03/2027."),
    ],
)
def test_dates_are_typed_in_full(cast, date, message):
    response = cast.client_for(cast.supervisor).post(
        reverse("session-book"),
        {
            "kind": "one_to_one",
            "supervisee": cast.supervisee.pk,
            "date": date,
            "time": "10:00",
            "duration_minutes": "90",
        },
    )
    assert errors_on(response) == {"date": [message]}
    assert value_shown(response, "date", date)


def test_the_services_refusals_land_on_the_fields_with_what_was_typed(cast):
    book(cast, working(10, 14))
    sam = cast.client_for(cast.supervisor)
    typed = {
        "kind": "one_to_one",
        "supervisee": cast.supervisee.pk,
        "date": day(working(10)),
        "time": "15:00",
        "duration_minutes": "600",
        "location": "Room 9",
    }

    response = sam.post(reverse("session-book"), typed)
    assert errors_on(response) == {
        "duration_minutes": ["A session lasts at most 8 hours (480 minutes)."]
    }
    assert value_shown(response, "duration_minutes", "600")

    response = sam.post(reverse("session-book"), {**typed, "duration_minutes": "60"})
    (clash,) = errors_on(response)["date"]
    assert clash.startswith("Sam Supervisor already has a session with Sue Supervisee from 14:00")
    assert value_shown(response, "time", "15:00") and value_shown(response, "location", "Room 9")

    response = sam.post(
        reverse("session-book"), {**typed, "date": day(at(-1)), "duration_minutes": "60"}
    )
    assert errors_on(response) == {
        "date": ["The session must be in the future: enter a later date or time."]
    }
    assert Session.objects.count() == 1


def test_only_my_supervisees_are_offered(cast):
    sam = cast.client_for(cast.supervisor)
    page = sam.get(reverse("session-book"))
    assert not shows(page, "Cole Colleague")
    response = sam.post(
        reverse("session-book"),
        {
            "kind": "one_to_one",
            "supervisee": cast.colleague.pk,
            "date": day(working(10)),
            "time": "10:00",
            "duration_minutes": "90",
        },
    )
    assert errors_on(response) == {"supervisee": ["Choose someone you supervise."]}
    assert not Session.objects.exists()


# Moving


def test_the_move_page_starts_from_the_session_and_moves_it(cast):
    session = book(cast, working(7, 10), duration_minutes=90, location="Room 2")
    sue = cast.client_for(cast.supervisee)
    page = sue.get(reverse("session-move", args=[session.pk]))
    data = form_data(page)
    assert (data["date"], data["time"], data["duration_minutes"], data["location"]) == (
        day(working(7)),
        "10:00",
        "90",
        "Room 2",
    )
    response = sue.post(
        reverse("session-move", args=[session.pk]), {**data, "time": "13:15", "location": "Online"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.starts_at, session.location) == (working(7, 13, 15), "Online")


def test_a_bad_move_keeps_what_was_typed_and_changes_nothing(cast):
    session = book(cast, working(7, 10))
    book(cast, working(8, 10))
    sue = cast.client_for(cast.supervisee)
    typed = {
        "date": day(working(8)),
        "time": "10:45",
        "duration_minutes": "30",
        "location": "Online",
    }
    response = sue.post(reverse("session-move", args=[session.pk]), typed)
    assert list(errors_on(response)) == ["date"]
    assert all(value_shown(response, name, value) for name, value in typed.items())
    session.refresh_from_db()
    assert session.starts_at == working(7, 10)


# Cancelling and re-booking


def test_the_cancel_page_offers_every_reason_and_says_when_to_rebook(cast):
    sues_agreement(cast, 5)
    session = book(cast)
    page = cast.client_for(cast.supervisee).get(reverse("session-cancel", args=[session.pk]))
    for value, label in CancelReason.choices:
        assert f'type="radio" value="{value}"' in text(page)
        assert shows(page, label)
    deadline = sessions.rebook_deadline(session)
    assert deadline is not None
    assert f"re-book this one by {deadline:%A %-d %B %Y}" in text(page)


def test_cancelling(cast):
    sues_agreement(cast, 5)
    session = book(cast)
    sue = cast.client_for(cast.supervisee)
    response = sue.post(
        reverse("session-cancel", args=[session.pk]),
        {"reason": "illness", "note": "Off sick"},
        follow=True,
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert (session.cancelled_by, session.cancel_reason, session.cancel_note) == (
        cast.supervisee,
        "illness",
        "Off sick",
    )
    assert messages_of(response) == [
        f"Session cancelled. Re-book it by {session.rebook_by:%-d %B %Y}."
    ]
    assert shows(response, "Re-book")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": "Typed note"}, "reason", "Choose why the session is cancelled."),
        ({"reason": "other", "note": " "}, "note", "Say why the session is cancelled."),
        ({"reason": "holiday"}, "reason", "Choose one of the reasons."),
    ],
)
def test_cancelling_needs_a_reason(cast, data, field, message):
    session = book(cast)
    response = cast.client_for(cast.supervisee).post(
        reverse("session-cancel", args=[session.pk]), data
    )
    assert errors_on(response) == {field: [message]}
    if data.get("note", "").strip():
        assert data["note"] in text(response)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_the_rebook_page_shows_the_date_to_rebook_by_and_rebooks(cast):
    sues_agreement(cast, 5)
    old = cancelled(cast)
    sue = cast.client_for(cast.supervisee)
    page = sue.get(reverse("session-rebook", args=[old.pk]))
    assert f"Re-book by {old.rebook_by:%A %-d %B %Y}" in text(page)
    assert form_data(page)["duration_minutes"] == "90"

    response = sue.post(
        reverse("session-rebook", args=[old.pk]),
        {**form_data(page), "date": day(working(9)), "time": "11:00"},
    )

    new = Session.objects.get(rebooked_from=old)
    assert response.status_code == 302 and response.url == reverse("session", args=[new.pk])
    assert new.starts_at == working(9, 11)
    # Once re-booked, the page leads to the new session.
    again = sue.get(reverse("session-rebook", args=[old.pk]))
    assert again.status_code == 302 and again.url == reverse("session", args=[new.pk])
    assert shows(sue.get(reverse("session", args=[old.pk])), "Re-booked")


def test_a_bad_rebooking_keeps_what_was_typed(cast):
    old = cancelled(cast)
    typed = {"date": "32/01/2027", "time": "noon", "duration_minutes": "0", "location": "Room 4"}
    response = cast.client_for(cast.supervisor).post(
        reverse("session-rebook", args=[old.pk]), typed
    )
    assert set(errors_on(response)) == {"date", "time"}
    assert all(value_shown(response, name, value) for name, value in typed.items())
    assert not Session.objects.filter(rebooked_from=old).exists()


def test_pages_for_the_wrong_status_lead_back_to_the_session(cast):
    scheduled = book(cast)
    held = past_session(cast, 3)
    sam = cast.client_for(cast.supervisor)
    for name, session in [
        ("session-rebook", scheduled),
        ("session-cancel", held),
        ("session-move", held),
        ("session-held", held),
    ]:
        response = sam.get(reverse(name, args=[session.pk]))
        assert response.status_code == 302, name
        assert response.url == reverse("session", args=[session.pk])


# Recording as held


def test_recording_as_held(cast):
    session = past_session(cast, 1, status=SessionStatus.SCHEDULED)
    sam = cast.client_for(cast.supervisor)
    page = sam.get(reverse("session-held", args=[session.pk]))
    assert form_data(page)["minutes"] == "90"
    response = sam.post(
        reverse("session-held", args=[session.pk]),
        {**form_data(page), "time": "10:05", "minutes": "85"},
        follow=True,
    )
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD
    assert (session.held_started_at, session.held_minutes) == (at(-1, 10, 5), 85)
    # Sue is an NQSW: her sessions last at least 90 minutes.
    assert messages_of(response) == [
        "Recorded as held. It was shorter than your organisation's policy asks for."
    ]
    assert shows(response, "Shorter than policy")


def test_a_session_is_not_recorded_as_held_before_it_starts(cast):
    session = book(cast)
    typed = {"date": day(at(7)), "time": "10:00", "minutes": "90"}
    response = cast.client_for(cast.supervisor).post(
        reverse("session-held", args=[session.pk]), typed
    )
    assert errors_on(response) == {"date": ["A session is recorded as held once it has happened."]}
    assert all(value_shown(response, name, value) for name, value in typed.items())
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


# The list, the flags and the home page


def test_the_list_shows_upcoming_and_recent_sessions_with_their_flags(cast):
    upcoming = book(cast, at(7))
    short = past_session(cast, 5, minutes=45)
    overdue = past_session(
        cast,
        20,
        status=SessionStatus.CANCELLED,
        rebook_by=timezone.localdate() - datetime.timedelta(days=3),
    )
    sue = cast.client_for(cast.supervisee)
    page = sue.get(reverse("sessions"))
    for session in (upcoming, short, overdue):
        assert f'href="{reverse("session", args=[session.pk])}"' in text(page)
    assert "Shorter than policy" in text(page)
    assert "Not re-booked in time" in text(page)
    assert shows(page, f"to be re-booked by {overdue.rebook_by:%-d %B %Y}")
    assert shows(sue.get(reverse("session", args=[short.pk])), "Shorter than policy")
    assert "Not re-booked in time" in text(sue.get(reverse("session", args=[overdue.pk])))


def test_managers_see_the_flags_of_their_people_and_others_do_not(cast):
    past_session(cast, 5, minutes=45)
    past_session(
        cast,
        20,
        status=SessionStatus.CANCELLED,
        rebook_by=timezone.localdate() - datetime.timedelta(days=3),
    )
    short_tag = '<strong class="govuk-tag govuk-tag--orange">Shorter than policy</strong>'
    overdue_tag = '<strong class="govuk-tag govuk-tag--red">Not re-booked in time</strong>'
    for who in ("manager", "head_of_service", "admin"):
        page = cast.client_for(getattr(cast, who)).get(reverse("sessions"))
        assert short_tag in text(page) and overdue_tag in text(page), who
    page = cast.client_for(cast.colleague).get(reverse("sessions"))
    assert short_tag not in text(page) and overdue_tag not in text(page)
    assert "Sue Supervisee" not in text(page)


def test_my_supervision_shows_my_next_sessions_and_the_navigation_leads_to_them(cast):
    session = book(cast, at(7, 14))
    home = cast.client_for(cast.supervisor).get(reverse("home"))
    assert "Your next sessions" in text(home)
    assert f'href="{reverse("session", args=[session.pk])}"' in text(home)
    assert f'href="{reverse("session-book")}"' in text(home)
    assert f'href="{reverse("sessions")}"' in text(home)
    sues_home = cast.client_for(cast.supervisee).get(reverse("home"))
    assert f'href="{reverse("session", args=[session.pk])}"' in text(sues_home)
    assert f'href="{reverse("session-book")}"' not in text(sues_home)


# Query counts


def _queries(client: Client, url: str) -> int:
    client.get(url)  # Warm up whatever is cached once per process.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _a_supervisee_with_sessions(cast: Any, n: int) -> None:
    """Another of Sam's supervisees, in Sue's team, with one session of each kind."""
    person = PersonFactory(
        organisation=cast.organisation,
        team=cast.supervisee.team,
        staff_category=StaffCategory.NQSW_ASYE,
        asye_start=datetime.date(2026, 9, 1),
    )
    RelationshipFactory(supervisee=person, supervisor=cast.supervisor)
    book(cast, at(20 + n), supervisee=person)
    past_session(cast, 10 + n, minutes=45, supervisee=person)
    past_session(
        cast,
        30 + n,
        status=SessionStatus.CANCELLED,
        supervisee=person,
        rebook_by=timezone.localdate() - datetime.timedelta(days=2),
    )


@pytest.mark.parametrize("who", ["supervisor", "manager", "admin"])
def test_the_sessions_list_does_not_grow_with_the_number_of_sessions(cast, who):
    assert line_of(cast.supervisee)
    _a_supervisee_with_sessions(cast, 0)
    book(
        cast,
        at(15),
        kind=SessionKind.GROUP,
        supervisee=None,
        title="Group",
        members=[cast.supervisee, cast.colleague],
    )
    client = cast.client_for(getattr(cast, who))
    before = _queries(client, reverse("sessions"))
    for n in range(1, 6):
        _a_supervisee_with_sessions(cast, n)
    assert Session.objects.count() == 19
    page = client.get(reverse("sessions"))
    assert text(page).count("Shorter than policy") >= 6
    assert _queries(client, reverse("sessions")) == before


def test_the_sessions_list_pages_through_many_upcoming_sessions(cast):
    import datetime as dt

    from django.utils import timezone as tz

    from tandem.meetings.models import Session

    start = tz.now() + dt.timedelta(days=1)
    Session.objects.bulk_create(
        Session(
            organisation=cast.organisation,
            supervisor=cast.supervisor,
            supervisee=cast.supervisee,
            starts_at=start + dt.timedelta(days=7 * week),
            duration_minutes=90,
            location="Room 1",
        )
        for week in range(30)
    )
    client = cast.client_for(cast.supervisee)
    first = client.get("/sessions/").content.decode()
    assert first.count('href="/sessions/') >= 25 and "?page=2" in first
    second = client.get("/sessions/?page=2").content.decode()
    assert "Room 1" in second


# A session on a day that is not a working day: said on the form, kept only when confirmed.
# Thursday 3 December 2026; Sunday the 6th, Boxing Day's substitute on Monday the 28th.


def warned(response: Any) -> list[str]:
    return errors_on(response).get("date", [])


def test_booking_on_a_sunday_asks_to_confirm_the_day(cast):
    since_spring(cast)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        sam = cast.client_for(cast.supervisor)
        typed = {
            "kind": "one_to_one",
            "supervisee": cast.supervisee.pk,
            "date": "06/12/2026",
            "time": "10:00",
            "duration_minutes": "90",
            "location": "Online",
        }
        response = sam.post(reverse("session-book"), typed)
        assert warned(response) == [
            "Sunday 6 December 2026 is a weekend day. Choose another day, or tick the box to "
            "keep this one."
        ]
        assert shows(response, "Keep the session on Sunday 6 December 2026")
        assert 'name="keep_day" type="checkbox" value="2026-12-06"' in text(response)
        assert all(value_shown(response, name, typed[name]) for name in ("date", "time"))
        assert not Session.objects.exists()

        response = sam.post(reverse("session-book"), {**typed, "keep_day": "2026-12-06"})
        assert response.status_code == 302
        assert Session.objects.get().starts_at == london(datetime.date(2026, 12, 6), 10)


def test_a_tick_for_one_day_does_not_keep_another(cast):
    since_spring(cast)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        session = book(cast, london(datetime.date(2026, 12, 8), 10))
        sue = cast.client_for(cast.supervisee)
        typed = {"date": "28/12/2026", "time": "10:00", "duration_minutes": "90"}
        response = sue.post(
            reverse("session-move", args=[session.pk]), {**typed, "keep_day": "2026-12-06"}
        )
        assert warned(response) == [
            "Monday 28 December 2026 is a bank holiday: Boxing Day (substitute day). Choose "
            "another day, or tick the box to keep this one."
        ]
        session.refresh_from_db()
        assert session.starts_at == london(datetime.date(2026, 12, 8), 10)
        # A working day needs no tick, and shows no box.
        response = sue.post(
            reverse("session-move", args=[session.pk]), {**typed, "date": "29/12/2026"}
        )
        assert response.status_code == 302
        page = sue.get(reverse("session-move", args=[session.pk]))
        assert not shows(page, "Keep the session on")


def test_rebooking_onto_a_closure_day_asks_to_confirm_it(cast):
    since_spring(cast)
    ClosureDay.objects.create(
        organisation=cast.organisation, date=datetime.date(2026, 12, 29), reason="Christmas closure"
    )
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, tzinfo=datetime.UTC), tick=False):
        old = cancelled(cast, starts_at=london(datetime.date(2026, 12, 8), 10))
        sue = cast.client_for(cast.supervisee)
        typed = {"date": "29/12/2026", "time": "11:00", "duration_minutes": "90"}
        response = sue.post(reverse("session-rebook", args=[old.pk]), typed)
        assert warned(response) == [
            "Tuesday 29 December 2026 is one of the organisation's closure days. Choose another "
            "day, or tick the box to keep this one."
        ]
        response = sue.post(
            reverse("session-rebook", args=[old.pk]), {**typed, "keep_day": "2026-12-29"}
        )
        assert response.status_code == 302
        assert Session.objects.get(rebooked_from=old).starts_at == london(
            datetime.date(2026, 12, 29), 11
        )
