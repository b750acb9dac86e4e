"""The audit trail page: the organisation's admins search its events by who, what, what about
and when, and export them as CSV; nobody else opens it, and nobody changes it."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.core.services import audit_event_write

LONDON_NOON = datetime.time(12)


def event(cast, who, action, *, on=None, summary="", target=None, organisation=None, **detail):
    made = audit_event_write(
        organisation=organisation or cast.organisation,
        actor=getattr(cast, who) if who else None,
        action=action,
        target=target,
        summary=summary,
        detail=detail,
    )
    if on is not None:
        moment = timezone.make_aware(datetime.datetime.combine(on, LONDON_NOON))
        AuditEvent.objects.filter(pk=made.pk).update(at=moment)
    return made


def search(cast, **query):
    return cast.client_for(cast.admin).get(reverse("audit-trail"), query)


def shown(response) -> list[tuple[str, str]]:
    return [(row["who"], row["event"].action) for row in response.context["rows"]]


@pytest.fixture
def trail(cast):
    event(cast, "manager", "record.view", on=datetime.date(2026, 11, 2), summary="Record 12")
    event(cast, "supervisor", "session.book", on=datetime.date(2026, 11, 20), summary="Booked")
    event(cast, "admin", "settings_changed", on=datetime.date(2026, 12, 1), summary="Deadline")
    event(cast, None, "record.overdue", on=datetime.date(2026, 12, 3), summary="Record 12 late")
    event(cast, "outsider", "record.view", organisation=cast.other_organisation, summary="Theirs")
    return cast


def test_the_admin_sees_the_organisations_events_newest_first(trail):
    page = search(trail)
    assert page.status_code == 200
    assert shown(page) == [
        ("Tandem", "record.overdue"),
        ("Ann Admin", "settings_changed"),
        ("Sam Supervisor", "session.book"),
        ("Mia Manager", "record.view"),
    ]
    body = page.content.decode()
    assert "Read a supervision record" in body and "Theirs" not in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"who": "mia"}, [("Mia Manager", "record.view")]),
        ({"who": "sam@riverside"}, [("Sam Supervisor", "session.book")]),
        ({"who": "Sam Supervisor"}, [("Sam Supervisor", "session.book")]),
        ({"action": "record.view"}, [("Mia Manager", "record.view")]),
        ({"about": "record 12"}, [("Tandem", "record.overdue"), ("Mia Manager", "record.view")]),
        (
            {"since": "20/11/2026", "until": "1/12/2026"},
            [("Ann Admin", "settings_changed"), ("Sam Supervisor", "session.book")],
        ),
        ({"since": "04/12/2026"}, []),
    ],
)
def test_the_admin_searches_by_who_what_about_and_when(trail, query, expected):
    assert shown(search(trail, **query)) == expected


def test_a_search_by_object_finds_the_events_about_it(cast):
    target = cast.supervisee
    event(cast, "admin", "role.grant", target=target, summary="Granted a role")
    event(cast, "admin", "role.grant", summary="Another")
    page = search(cast, object_type="organisations.person", about=str(target.pk))
    assert shown(page) == [("Ann Admin", "role.grant")]
    assert "Person" in dict(page.context["form"].fields["object_type"].choices).values()


def test_bad_dates_and_choices_are_field_errors_not_failures(trail):
    page = search(trail, since="31/02/2026", until="yesterday", action="made.up")
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert errors["since"] == ["Enter a real date for the from, for example 27/03/2027."]
    assert errors["action"] == ["Choose from the list."]
    assert "There is a problem" in page.content.decode()
    backwards = search(trail, since="02/12/2026", until="01/12/2026")
    assert backwards.context["form"].errors == {
        "until": ["The end date must be the same as or after the start date."]
    }


def test_the_csv_export_holds_the_matching_events_and_is_itself_audited(trail):
    event(trail, "manager", "record.view", summary='=HYPERLINK("http://x")')
    response = search(trail, action="record.view", format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-trail.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "When",
        "Who",
        "Email",
        "Action",
        "Object type",
        "Object",
        "Summary",
        "Detail",
    ]
    assert [(r[1], r[2], r[3], r[6]) for r in rows[1:]] == [
        ("Mia Manager", "mia@riverside.test", "record.view", '\'=HYPERLINK("http://x")'),
        ("Mia Manager", "mia@riverside.test", "record.view", "Record 12"),
    ]
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == trail.admin.user
    assert export.detail == {"search": {"action": "record.view"}}


@pytest.mark.parametrize(
    "who", ["supervisee", "supervisor", "manager", "head_of_service", "director", "colleague"]
)
def test_only_admins_open_the_audit_trail(trail, who):
    client = trail.client_for(getattr(trail, who))
    assert client.get(reverse("audit-trail")).status_code == 403
    assert client.get(reverse("audit-trail"), {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_another_organisations_admin_sees_only_their_own(trail):
    page = trail.client_for(trail.outsider).get(reverse("audit-trail"))
    assert [row["event"].summary for row in page.context["rows"]] == ["Theirs"]
    assert "record.overdue" not in dict(page.context["form"].fields["action"].choices)


def test_nobody_changes_the_trail_through_the_page(trail):
    client = trail.client_for(trail.admin)
    before = list(AuditEvent.objects.values_list("pk", "action", "summary"))
    assert client.post(reverse("audit-trail"), {"action": "record.view"}).status_code == 405
    assert client.delete(reverse("audit-trail")).status_code == 405
    assert list(AuditEvent.objects.values_list("pk", "action", "summary")) == before


def test_the_page_makes_the_same_queries_for_more_events(cast):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert search(cast).status_code == 200
        return len(captured)

    event(cast, "manager", "record.view", target=cast.supervisee)
    few = queries()
    for who in ("supervisor", "manager", "head_of_service", "director", None):
        event(cast, who, "session.book", target=cast.supervisee)
    assert queries() == few
