"""Sessions through the API: book, prepare the agenda from both sides, cancel, re-book, record as
held; the same permissions as the pages; refusals as JSON; schedules, what the policy needs and
calendar feeds.

Sam supervises Sue (an NQSW: sessions of at least 90 minutes); Mia manages their team; Cole is
in another team; Ann is Riverside's admin; Olga, Hillside's admin, finds nothing of Riverside's.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.tests.factories import signed_agreement
from tandem.api.services import api_token_create
from tandem.core.models import AuditEvent
from tandem.meetings.models import (
    AgendaItem,
    CalendarFeed,
    CancelReason,
    Session,
    SessionKind,
    SessionStatus,
)
from tandem.meetings.policy import sessions_needed_for
from tandem.meetings.services import calendars, sessions
from tandem.meetings.tests.test_session_pages import CHANGE, EVERYONE, RECORD_HELD, VIEW
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

NOT_FOUND = {"detail": "Not found."}
FORBIDDEN = {"detail": "You do not have permission to do this."}
# Only the people taking part change the agenda; the rest are refused as for changing it.
AGENDA = {**CHANGE, "supervisee": 201, "supervisor": 201}


def api(person: Any) -> Client:
    _token, raw = api_token_create(person=person, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def iso(moment: datetime.datetime) -> str:
    return moment.isoformat()


def when(days: int, hour: int = 10, minute: int = 0) -> str:
    return iso(at(days, hour, minute))


def cancelled(cast: Any, **changes: Any) -> Session:
    return sessions.session_cancel(
        session=book(cast, **changes),
        by=cast.supervisee,
        reason=CancelReason.ILLNESS,
    )


def booking(cast: Any, **changes: Any) -> dict[str, Any]:
    """What Sam sends to book a one to one with Sue a week ahead."""
    return {
        "kind": "one_to_one",
        "supervisee_id": cast.supervisee.pk,
        "starts_at": when(7),
        "duration_minutes": 90,
        "location": "Room 2, Riverside House",
        **changes,
    }


# The whole flow


def test_book_prepare_cancel_rebook_and_record_as_held(cast):
    sues_agreement(cast, 5)
    sam, sue = api(cast.supervisor), api(cast.supervisee)

    booked = post(sam, "/api/sessions", booking(cast))
    assert booked.status_code == 201, booked.json()
    session = booked.json()
    assert session["status"] == "scheduled" and session["kind"] == "one_to_one"
    assert (session["supervisor"]["full_name"], session["supervisee"]["full_name"]) == (
        "Sam Supervisor",
        "Sue Supervisee",
    )
    assert session["agreement_id"] is not None
    assert session["allowed"] == {"change": True, "change_agenda": True, "record_held": True}
    assert session["ics_url"] == "http://testserver" + reverse("session-ics", args=[session["id"]])
    url = f"/api/sessions/{session['id']}"

    # Both sides add to the agenda.
    hers = post(
        sue,
        f"{url}/agenda",
        {"title": "A hard visit", "function": "support", "priority": "high", "minutes": 30},
    )
    his = post(sam, f"{url}/agenda", {"title": "Caseload", "function": "management"})
    assert hers.status_code == his.status_code == 201
    assert his.json()["minutes"] == 10 and his.json()["priority"] == "medium"
    agenda = sue.get(f"{url}/agenda").json()
    assert [(i["title"], i["added_by"]["full_name"]) for i in agenda["items"]] == [
        ("A hard visit", "Sue Supervisee"),
        ("Caseload", "Sam Supervisor"),
    ]
    assert agenda["fit"] == {
        "planned_minutes": 40,
        "session_minutes": 90,
        "fits": True,
        "text": "The items fit in 90 minutes",
    }

    # Sue cancels, ill: the agreement says re-book within 5 working days.
    off = post(sue, f"{url}/cancel", {"reason": "illness", "note": "Flu"})
    assert off.status_code == 200, off.json()
    assert off.json()["status"] == "cancelled"
    assert off.json()["cancel_reason"] == "illness"
    assert off.json()["cancelled_by"]["full_name"] == "Sue Supervisee"
    assert off.json()["rebook_by"] is not None and off.json()["rebook_overdue"] is False

    # Sam re-books it: the same people, the agenda carried.
    again = post(sam, f"{url}/rebook", {"starts_at": when(9, 14)})
    assert again.status_code == 201, again.json()
    new = again.json()
    assert new["rebooked_from_id"] == session["id"] and new["duration_minutes"] == 90
    assert [i["title"] for i in new["agenda"]] == ["A hard visit", "Caseload"]
    assert {i["carried_from_session_id"] for i in new["agenda"]} == {session["id"]}
    assert sam.get(url).json()["rebooked_as_id"] == new["id"]

    # One item is dealt with; then the day comes and goes, and Sam records it, 60 minutes.
    done = post(sam, f"/api/agenda-items/{new['agenda'][1]['id']}/done")
    assert done.status_code == 200 and done.json()["done"] is True
    Session.objects.filter(pk=new["id"]).update(starts_at=at(-1, 14))
    held = post(
        sam, f"/api/sessions/{new['id']}/held", {"started_at": when(-1, 14, 5), "minutes": 60}
    )
    assert held.status_code == 200, held.json()
    assert held.json()["status"] == "held" and held.json()["held_minutes"] == 60
    # Sue is an NQSW: the policy asks for 90 minutes, so it is flagged short.
    assert held.json()["short"] is True
    listed = sue.get("/api/sessions", {"status": "held"}).json()["items"]
    assert [(s["id"], s["short"]) for s in listed] == [(new["id"], True)]

    actions = AuditEvent.objects.filter(action__startswith="session.").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["session.book", "session.cancel", "session.held", "session.rebook"]


def test_marking_an_item_not_done_after_all(cast):
    entry = item(book(cast), "Caseload", done=True)
    response = post(api(cast.supervisee), f"/api/agenda-items/{entry.pk}/done", {"done": False})
    assert response.status_code == 200 and response.json()["done"] is False


def test_a_group_session_is_booked_with_its_members(cast):
    RelationshipFactory(supervisee=cast.colleague, supervisor=cast.supervisor, kind="professional")
    response = post(
        api(cast.supervisor),
        "/api/sessions",
        {
            "kind": "group",
            "title": "Reflective practice",
            "member_ids": [cast.supervisee.pk, cast.colleague.pk],
            "starts_at": when(8),
            "duration_minutes": 60,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["supervisee"] is None and body["title"] == "Reflective practice"
    assert {m["full_name"] for m in body["members"]} == {"Sue Supervisee", "Cole Colleague"}
    cole = api(cast.colleague)
    assert cole.get(f"/api/sessions/{body['id']}").json()["allowed"]["change"] is False
    assert post(cole, f"/api/sessions/{body['id']}/cancel", {"reason": "leave"}).status_code == 403


# Who may do what: the pages' rules


@pytest.mark.parametrize("who", EVERYONE)
def test_who_sees_a_session_and_its_agenda(cast, who):
    session = book(cast)
    item(session, "Caseload")
    client = api(getattr(cast, who))
    for path in [f"/api/sessions/{session.pk}", f"/api/sessions/{session.pk}/agenda"]:
        response = client.get(path)
        assert response.status_code == VIEW[who], path
        if VIEW[who] != 200:
            assert response.json() == (NOT_FOUND if who == "outsider" else FORBIDDEN)


@pytest.mark.parametrize("who", EVERYONE)
@pytest.mark.parametrize("action", ["move", "cancel"])
def test_who_moves_and_cancels(cast, who, action):
    session = book(cast)
    body = {"starts_at": when(9)} if action == "move" else {"reason": "leave"}
    response = post(api(getattr(cast, who)), f"/api/sessions/{session.pk}/{action}", body)
    assert response.status_code == CHANGE[who]
    session.refresh_from_db()
    changed = (session.starts_at, session.status) != (at(7), SessionStatus.SCHEDULED)
    assert changed == (CHANGE[who] == 200)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_rebooks(cast, who):
    session = cancelled(cast)
    response = post(
        api(getattr(cast, who)), f"/api/sessions/{session.pk}/rebook", {"starts_at": when(9)}
    )
    expected = 201 if CHANGE[who] == 200 else CHANGE[who]
    assert response.status_code == expected
    assert Session.objects.filter(rebooked_from=session).exists() == (expected == 201)


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_supervisor_records_a_session_as_held(cast, who):
    session = past_session(cast, 1, status=SessionStatus.SCHEDULED)
    response = post(
        api(getattr(cast, who)),
        f"/api/sessions/{session.pk}/held",
        {"started_at": when(-1), "minutes": 90},
    )
    assert response.status_code == RECORD_HELD[who]
    session.refresh_from_db()
    assert (session.status == SessionStatus.HELD) == (RECORD_HELD[who] == 200)


@pytest.mark.parametrize("who", EVERYONE)
def test_who_adds_to_the_agenda_and_marks_items_done(cast, who):
    session = book(cast)
    entry = item(session, "Caseload")
    client = api(getattr(cast, who))
    added = post(
        client, f"/api/sessions/{session.pk}/agenda", {"title": "Leave", "function": "management"}
    )
    done = post(client, f"/api/agenda-items/{entry.pk}/done")
    assert added.status_code == AGENDA[who]
    assert done.status_code == (200 if AGENDA[who] == 201 else AGENDA[who])
    entry.refresh_from_db()
    assert session.agenda.count() == (2 if AGENDA[who] == 201 else 1)
    assert entry.done == (AGENDA[who] == 201)


def test_the_outsider_finds_nothing_anywhere(cast):
    agreement = sues_agreement(cast, 5)
    session = book(cast)
    entry = item(session, "Caseload")
    old = cancelled(cast, starts_at=at(8))
    olga = api(cast.outsider)
    gets = [
        f"/api/sessions/{session.pk}",
        f"/api/sessions/{session.pk}/agenda",
        f"/api/people/{cast.supervisee.pk}/sessions-needed",
    ]
    for path in gets:
        response = olga.get(path)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    posts = [
        (f"/api/sessions/{session.pk}/move", {"starts_at": when(9)}),
        (f"/api/sessions/{session.pk}/cancel", {"reason": "illness"}),
        (f"/api/sessions/{old.pk}/rebook", {"starts_at": when(9)}),
        (f"/api/sessions/{session.pk}/held", {"started_at": when(-1), "minutes": 60}),
        (f"/api/sessions/{session.pk}/agenda", {"title": "x", "function": "support"}),
        (f"/api/agenda-items/{entry.pk}/done", {}),
        (
            f"/api/agreements/{agreement.pk}/schedule",
            {"weekday": 1, "time": "10:00", "start": str(timezone.localdate())},
        ),
    ]
    for path, body in posts:
        response = post(olga, path, body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    assert olga.get("/api/sessions").json() == {"items": [], "count": 0}
    # Booking with Sue: she is not someone Olga supervises.
    refused = post(olga, "/api/sessions", booking(cast))
    assert refused.status_code == 400
    assert refused.json() == {"detail": {"supervisee_id": ["Choose someone you supervise."]}}
    session.refresh_from_db()
    assert (session.status, session.starts_at, session.agenda.count()) == (
        SessionStatus.SCHEDULED,
        at(7),
        1,
    )
    assert Session.objects.count() == 2 and not Session.objects.filter(rebooked_from=old).exists()


# The list


def test_the_list_holds_the_sessions_each_person_may_see(cast):
    mine = book(cast)
    held = past_session(cast, 5, minutes=45)
    overdue = past_session(
        cast,
        20,
        status=SessionStatus.CANCELLED,
        rebook_by=timezone.localdate() - datetime.timedelta(days=2),
    )

    def ids(who: Any, **query: Any) -> list[int]:
        return [s["id"] for s in api(who).get("/api/sessions", query).json()["items"]]

    everything = [overdue.pk, held.pk, mine.pk]
    for who in ("supervisee", "supervisor", "manager", "director", "admin"):
        assert ids(getattr(cast, who)) == everything, who
    assert ids(cast.colleague) == ids(cast.outsider) == []
    items = api(cast.manager).get("/api/sessions").json()["items"]
    flags = {s["id"]: (s["short"], s["rebook_overdue"]) for s in items}
    assert flags == {overdue.pk: (False, True), held.pk: (True, False), mine.pk: (False, False)}
    # Filters.
    sue = cast.supervisee
    assert ids(sue, status="scheduled") == [mine.pk]
    assert ids(sue, **{"from": str(timezone.localdate())}) == [mine.pk]
    assert ids(sue, to=str(timezone.localdate() - datetime.timedelta(days=5))) == [
        overdue.pk,
        held.pk,
    ]
    assert ids(sue, **{"from": str(at(-5).date()), "to": str(at(-5).date())}) == [held.pk]
    assert ids(sue, supervisee_id=sue.pk) == everything
    assert ids(sue, supervisee_id=cast.colleague.pk) == []


def test_bad_list_filters_get_422(cast):
    client = api(cast.supervisee)
    for query in [{"status": "lost"}, {"from": "yesterday"}, {"to": "9999-12-31"}]:
        response = client.get("/api/sessions", query)
        assert response.status_code == 422, query
        assert "detail" in response.json()


def _query_count(client: Client, path: str) -> int:
    client.get(path)  # The token's first use is recorded; later ones are not.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _more_sessions(cast: Any, n: int) -> None:
    """Another of Sam's supervisees with a session booked, one held short and one cancelled
    past its re-book date; and a group session."""
    person = PersonFactory(
        organisation=cast.organisation,
        team=cast.supervisee.team,
        staff_category=StaffCategory.NQSW_ASYE,
        asye_start=datetime.date(2026, 9, 1),
    )
    RelationshipFactory(supervisee=person, supervisor=cast.supervisor)
    session = book(cast, at(20 + n), supervisee=person)
    item(session, "Caseload")
    past_session(cast, 10 + n, minutes=45, supervisee=person)
    past_session(
        cast,
        30 + n,
        status=SessionStatus.CANCELLED,
        supervisee=person,
        rebook_by=timezone.localdate() - datetime.timedelta(days=2),
    )
    book(
        cast,
        at(40 + n),
        kind=SessionKind.GROUP,
        supervisee=None,
        title=f"Group {n}",
        members=[cast.supervisee, person],
    )


@pytest.mark.parametrize("who", ["supervisor", "manager", "admin"])
def test_the_list_runs_the_same_number_of_queries_at_any_size(cast, who):
    assert line_of(cast.supervisee)
    _more_sessions(cast, 0)
    client = api(getattr(cast, who))
    path = "/api/sessions?page_size=100"
    before = _query_count(client, path)
    for n in range(1, 6):
        _more_sessions(cast, n)
    body = client.get(path).json()
    assert body["count"] == 24
    assert sum(s["short"] for s in body["items"]) == 6
    assert sum(s["rebook_overdue"] for s in body["items"]) == 6
    assert _query_count(client, path) == before


def test_a_session_and_its_agenda_run_the_same_number_of_queries_at_any_size(cast):
    session = book(cast)
    item(session, "First")
    client = api(cast.supervisee)
    paths = [f"/api/sessions/{session.pk}", f"/api/sessions/{session.pk}/agenda"]
    before = [_query_count(client, path) for path in paths]
    for n in range(10):
        item(session, f"Item {n}")
    assert [_query_count(client, path) for path in paths] == before


# Refusals, as JSON


def _refused(client: Client, path: str, body: dict[str, Any], status: int = 400) -> Any:
    sessions_before, events_before = Session.objects.count(), AuditEvent.objects.count()
    response = post(client, path, body)
    assert response.status_code == status, response.json()
    assert response["Content-Type"].startswith("application/json")
    assert (Session.objects.count(), AuditEvent.objects.count()) == (
        sessions_before,
        events_before,
    )
    return response.json()["detail"]


def test_bad_bookings_are_refused_with_the_reason_on_the_field(cast):
    sam = api(cast.supervisor)
    past = iso(timezone.now() - datetime.timedelta(minutes=1))
    assert _refused(sam, "/api/sessions", booking(cast, starts_at=past)) == {
        "starts_at": ["The session must be in the future: enter a later date or time."]
    }
    assert _refused(sam, "/api/sessions", booking(cast, duration_minutes=0)) == {
        "duration_minutes": ["Enter a length of at least 1 minute."]
    }
    assert _refused(sam, "/api/sessions", booking(cast, supervisee_id=cast.colleague.pk)) == {
        "supervisee_id": ["Choose someone you supervise."]
    }
    assert _refused(sam, "/api/sessions", booking(cast, supervisee_id=None)) == {
        "supervisee_id": ["Choose whom the session is with."]
    }
    assert _refused(
        sam, "/api/sessions", booking(cast, kind="group", title="G", supervisee_id=None)
    ) == {"member_ids": ["Choose at least 2 people for a group session."]}
    assert _refused(sam, "/api/sessions", booking(cast, location="x" * 301)) == {
        "location": ["Enter a place of 300 characters or fewer."]
    }
    # Sam already has a session with Sue from 09:30 to 11:00 that day.
    book(cast, at(7, 9, 30), supervisee=cast.supervisee)
    overlap = _refused(sam, "/api/sessions", booking(cast))
    assert list(overlap) == ["starts_at"]
    assert overlap["starts_at"][0].startswith(
        "Sam Supervisor already has a session with Sue Supervisee from 09:30 to 11:00 on"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": "next tuesday"}, "starts_at"),
        ({"starts_at": "9999-12-31T23:59:00+00:00"}, "starts_at"),
        ({"duration_minutes": "long"}, "duration_minutes"),
        ({"kind": "chat"}, "kind"),
        ({"supervisee_id": 0}, "supervisee_id"),
        ({"location": "Room\x002"}, "location"),
    ],
)
def test_booking_input_of_the_wrong_shape_gets_422(cast, changes, field):
    detail = _refused(api(cast.supervisor), "/api/sessions", booking(cast, **changes), 422)
    assert {error["loc"][-1] for error in detail} == {field}


def test_a_time_without_an_offset_is_uk_time(cast):
    response = post(
        api(cast.supervisor), "/api/sessions", booking(cast, starts_at=f"{at(7).date()}T10:00:00")
    )
    assert response.status_code == 201
    assert Session.objects.get().starts_at == at(7)


def test_bad_changes_are_refused(cast):
    session = book(cast)
    sam = api(cast.supervisor)
    url = f"/api/sessions/{session.pk}"
    assert _refused(sam, f"{url}/cancel", {"reason": "bored"}, 422)[0]["loc"][-1] == "reason"
    assert _refused(sam, f"{url}/cancel", {"reason": "other"}) == {
        "note": ["Say why the session is cancelled."]
    }
    assert _refused(sam, f"{url}/move", {"starts_at": when(-1)}) == {
        "starts_at": ["The session must be in the future: enter a later date or time."]
    }
    assert _refused(sam, f"{url}/held", {"started_at": when(1), "minutes": 60}) == {
        "started_at": ["A session is recorded as held once it has happened."]
    }
    assert _refused(sam, f"{url}/rebook", {"starts_at": when(9)}) == {
        "__all__": ["Only a cancelled session can be re-booked."]
    }
    assert _refused(sam, f"{url}/agenda", {"title": " ", "function": "support", "minutes": 0}) == {
        "title": ["Enter what the item is about."],
        "minutes": ["Enter a length of at least 1 minute."],
    }
    assert _refused(sam, f"{url}/agenda", {"title": "x", "function": "gossip"}, 422)
    off = post(sam, f"{url}/cancel", {"reason": "crisis"})
    assert off.status_code == 200
    assert _refused(sam, f"{url}/cancel", {"reason": "crisis"}) == {
        "__all__": ["Only a scheduled session can be cancelled."]
    }
    assert post(sam, f"{url}/rebook", {"starts_at": when(9)}).status_code == 201
    assert _refused(sam, f"{url}/rebook", {"starts_at": when(10)}) == {
        "__all__": ["This session has already been re-booked."]
    }


def test_unknown_sessions_and_items_are_not_found(cast):
    sam = api(cast.supervisor)
    assert sam.get("/api/sessions/999999").json() == NOT_FOUND
    assert post(sam, "/api/agenda-items/999999/done").status_code == 404


# Schedules


def _schedule_body(**changes: Any) -> dict[str, Any]:
    start = timezone.localdate() + datetime.timedelta(days=1)
    return {"weekday": 1, "time": "10:00", "start": str(start), "months": 2, **changes}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisor", 201),
        ("supervisee", 201),
        ("manager", 403),
        ("admin", 403),
        ("colleague", 403),
        ("outsider", 404),
    ],
)
def test_who_schedules_an_agreement_s_sessions(cast, who, status):
    agreement = signed_agreement(line_of(cast.supervisee))
    response = post(
        api(getattr(cast, who)), f"/api/agreements/{agreement.pk}/schedule", _schedule_body()
    )
    assert response.status_code == status
    made = Session.objects.filter(from_schedule=True)
    if status == 201:
        body = response.json()
        assert body["created"] == made.count() > 0
        assert [s["id"] for s in body["sessions"]] == list(
            made.order_by("starts_at", "id").values_list("pk", flat=True)
        )
        assert all(s["from_schedule"] and s["status"] == "scheduled" for s in body["sessions"])
        assert all(
            timezone.localtime(datetime.datetime.fromisoformat(s["starts_at"])).time()
            == datetime.time(10)
            for s in body["sessions"]
        )
    else:
        assert not made.exists()


def test_bad_schedules_are_refused(cast):
    agreement = signed_agreement(line_of(cast.supervisee))
    sam = api(cast.supervisor)
    url = f"/api/agreements/{agreement.pk}/schedule"
    yesterday = str(timezone.localdate() - datetime.timedelta(days=1))
    assert _refused(sam, url, _schedule_body(start=yesterday)) == {
        "start": ["A schedule cannot start in the past."]
    }
    assert _refused(sam, url, _schedule_body(weekday=5)) == {
        "weekday": ["Choose a weekday from Monday to Friday."]
    }
    assert _refused(sam, url, _schedule_body(months=0)) == {
        "months": ["A schedule covers 1 to 24 months."]
    }
    for changes in [{"time": "25:00"}, {"weekday": 7}, {"start": "9999-01-01"}]:
        detail = _refused(sam, url, _schedule_body(**changes), 422)
        assert {error["loc"][-1] for error in detail} == set(changes)


def test_a_draft_agreement_has_no_schedule(cast):
    agreement = sues_agreement(cast, 5)
    agreement.status = "draft"
    agreement.save(update_fields=["status"])
    detail = _refused(
        api(cast.supervisor), f"/api/agreements/{agreement.pk}/schedule", _schedule_body()
    )
    assert detail == {"__all__": ["Only an active agreement (signed by both) has a schedule."]}


# What the policy needs


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisee", 200),
        ("supervisor", 200),
        ("manager", 200),
        ("admin", 200),
        ("colleague", 403),
        ("outsider", 404),
    ],
)
def test_who_reads_the_sessions_a_person_needs(cast, who, status):
    start, end = datetime.date(2026, 12, 1), datetime.date(2027, 2, 28)
    response = api(getattr(cast, who)).get(
        f"/api/people/{cast.supervisee.pk}/sessions-needed",
        {"start": str(start), "end": str(end)},
    )
    assert response.status_code == status
    if status == 200:
        expected = sessions_needed_for(cast.supervisee, start, end)
        assert response.json() == [
            {
                "starts_on": str(r.starts_on),
                "ends_on": str(r.ends_on),
                "frequency": r.frequency,
                "min_minutes": r.min_minutes,
            }
            for r in expected
        ]
        assert len(expected) > 1


def test_the_sessions_needed_by_default_and_with_an_agreed_frequency(cast):
    client = api(cast.supervisor)
    url = f"/api/people/{cast.supervisee.pk}/sessions-needed"
    windows = client.get(url).json()
    assert windows[0]["starts_on"] == str(timezone.localdate())
    assert windows[-1]["ends_on"] <= str(timezone.localdate() + datetime.timedelta(days=366))
    start = str(timezone.localdate())
    weekly = client.get(url, {"start": start, "agreed_frequency": "weekly"}).json()
    assert all(w["frequency"] == "weekly" for w in weekly)


def test_bad_windows_are_refused(cast):
    client = api(cast.supervisor)
    url = f"/api/people/{cast.supervisee.pk}/sessions-needed"
    backwards = client.get(url, {"start": "2027-01-10", "end": "2027-01-01"})
    assert backwards.status_code == 400
    assert backwards.json() == {"detail": {"end": ["The end must be on or after the start."]}}
    too_long = client.get(url, {"start": "2027-01-01", "end": "2030-01-01"})
    assert too_long.status_code == 400 and list(too_long.json()["detail"]) == ["end"]
    assert client.get(url, {"start": "0001-01-01"}).status_code == 422
    assert client.get(url, {"agreed_frequency": "hourly"}).status_code == 422


# Calendar feeds


def test_a_calendar_feed_is_made_shown_once_and_stopped(cast):
    sue = api(cast.supervisee)
    book(cast)
    assert sue.get("/api/calendar-feed").json() == {
        "active": False,
        "created_at": None,
        "last_fetched_at": None,
    }

    made = sue.post("/api/calendar-feed")
    assert made.status_code == 201
    body = made.json()
    assert body["active"] is True and body["last_fetched_at"] is None
    assert body["url"].startswith("http://testserver/calendar/feed/")
    assert body["webcal_url"] == body["url"].replace("http://", "webcal://", 1)
    token = body["url"].rsplit("/", 1)[-1].removesuffix(".ics")
    fetched = Client().get(body["url"])
    assert fetched.status_code == 200 and b"Supervision: Sue Supervisee" in fetched.content

    status = sue.get("/api/calendar-feed")
    assert status.json()["active"] is True and status.json()["last_fetched_at"] is not None
    assert token not in status.content.decode()
    assert CalendarFeed.objects.get().token_hash == calendars.feed_token_hash(token)

    stopped = sue.delete("/api/calendar-feed")
    assert stopped.status_code == 200 and stopped.json()["active"] is False
    assert Client().get(body["url"]).status_code == 404
    assert sue.delete("/api/calendar-feed").json()["active"] is False


def test_a_new_feed_stops_the_old_one_and_feeds_are_personal(cast):
    sue = api(cast.supervisee)
    first = sue.post("/api/calendar-feed").json()["url"]
    second = sue.post("/api/calendar-feed").json()["url"]
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200
    assert api(cast.supervisor).get("/api/calendar-feed").json()["active"] is False
    assert CalendarFeed.objects.filter(revoked_at__isnull=True).count() == 1


def test_agenda_items_are_mine_to_add_only_while_the_session_is_scheduled(cast):
    session = cancelled(cast)
    assert AgendaItem.objects.count() == 0
    assert _refused(
        api(cast.supervisee),
        f"/api/sessions/{session.pk}/agenda",
        {"title": "Later", "function": "support"},
    ) == {"__all__": ["This session was cancelled: add to the agenda of the re-booked session."]}
