"""What the records app adds to other apps' pages: My supervision (records to finish, overdue
actions on both people's pages, records past their deadline and disagreements for managers),
the record on a held session's page, and a person's records on their page. Each costs the same
number of queries however many records there are.
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

from tandem.core.models import Notice
from tandem.meetings.models import Session, SessionStatus
from tandem.records import services
from tandem.records.models import RecordStatus
from tandem.records.tests.factories import draft_record, held_session, shared_record, write
from tandem.records.tests.test_output import full_record, page_text

pytestmark = pytest.mark.dated


def home(cast: Any, who: str) -> str:
    response = cast.client_for(getattr(cast, who)).get(reverse("home"))
    assert response.status_code == 200
    return page_text(response)


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# My supervision


def test_overdue_actions_show_on_both_peoples_home_pages(cast):
    full_record(cast)
    sue, sam = home(cast, "supervisee"), home(cast, "supervisor")
    for text in (sue, sam):
        assert "Overdue actions" in text
        assert "Book the review meeting" in text
        # Sam's own action is not due yet: not in the overdue list.
        assert "Read the neglect toolkit" not in text
    assert "Yours, due" in sue
    assert "Sue Supervisee’s, due" in sam
    for who in ("colleague", "manager", "outsider"):
        assert "Book the review meeting" not in home(cast, who)


def test_records_to_finish_say_what_each_person_does_next(cast):
    draft = draft_record(cast, on=days_ago(2))
    shared = shared_record(cast, on=days_ago(4))
    sam = home(cast, "supervisor")
    assert "Records to finish" in sam
    assert "Write and share" in sam
    assert "Read and sign" in sam  # Sam has not signed the shared one yet
    services.record_sign(record=shared, by=cast.supervisor, version=shared.version_number)
    sam, sue = home(cast, "supervisor"), home(cast, "supervisee")
    assert "Awaiting Sue Supervisee’s signature" in sam
    assert "Read and sign" in sue
    assert f"{draft.due_on:%-d %b %Y}" in sam
    assert "Overdue" not in sam
    assert "Records to finish" not in home(cast, "colleague")

    shared.refresh_from_db()
    services.record_sign(record=shared, by=cast.supervisee, version=shared.version_number)
    shared.refresh_from_db()
    assert shared.status == RecordStatus.SIGNED
    assert "Read and sign" not in home(cast, "supervisee")


def test_a_draft_past_its_deadline_is_flagged_to_both_and_to_the_managers(cast):
    record = draft_record(cast, on=days_ago(30))
    assert record.due_on < timezone.localdate()
    for who in ("supervisor", "supervisee"):
        text = home(cast, who)
        assert "Records to finish" in text and "Overdue" in text
    for who in ("manager", "head_of_service"):
        text = home(cast, who)
        assert "Records past their sharing deadline" in text
        assert "Sam Supervisor with Sue Supervisee" in text
    assert "Records past their sharing deadline" not in home(cast, "colleague")


def test_a_manager_with_nothing_overdue_is_told_so(cast):
    draft_record(cast, on=days_ago(1))
    text = home(cast, "manager")
    assert "No records of your people are past their sharing deadline." in text


def test_disagreements_to_resolve_show_to_the_manager_they_were_routed_to(cast):
    record = shared_record(cast)
    disagreement = services.disagreement_raise(
        record=record, by=cast.supervisee, text="It leaves out the staffing gap."
    )
    routed = disagreement.routed_to
    assert routed is not None
    who = next(name for name in ("manager", "head_of_service") if getattr(cast, name) == routed)
    text = home(cast, who)
    assert "Disagreements to resolve" in text
    assert "Sue Supervisee, on the record of" in text
    assert "Disagreements to resolve" not in home(cast, "supervisor")
    services.disagreement_resolve(disagreement=disagreement, by=routed, resolution="Added.")
    assert "Disagreements to resolve" not in home(cast, who)


def _home_queries(client: Client) -> int:
    # Unread notices cost a query to mark them read: the same with any number of records.
    Notice.objects.update(read_at=timezone.now())
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["supervisor", "supervisee", "manager"])
def test_home_page_costs_the_same_queries_however_many_records(
    cast, who, django_assert_max_num_queries
):
    # One of each: a signed record with its overdue action and a resolved disagreement, a
    # draft past its deadline, a shared record with an open disagreement.
    full_record(cast, days_ago=60)
    draft_record(cast, on=days_ago(40))
    record = shared_record(cast, on=days_ago(170))
    services.disagreement_raise(record=record, by=cast.supervisee, text="Not so.")
    client = cast.client_for(getattr(cast, who))
    client.get(reverse("home"))
    few = _home_queries(client)
    for days in (3, 5, 20, 25, 30, 35, 45):
        draft_record(cast, on=days_ago(days))
    for days in (50, 55, 70, 75, 80, 90, 100):
        full_record(cast, days_ago=days, sign=False)
    for days in (110, 120, 130, 140, 150, 160):
        record = shared_record(cast, on=days_ago(days))
        services.disagreement_raise(record=record, by=cast.supervisee, text="Not so.")
    Notice.objects.update(read_at=timezone.now())
    with django_assert_max_num_queries(few):
        assert client.get(reverse("home")).status_code == 200


# A held session's page


def test_a_held_sessions_page_shows_its_record(cast):
    record = draft_record(cast)
    url = reverse("session", args=[record.session_id])
    for who in ("supervisor", "supervisee", "manager"):
        text = page_text(cast.client_for(getattr(cast, who)).get(url))
        assert "Record of this session" in text
        assert "Draft" in text
        assert reverse("session-record", args=[record.session_id]) in text
    # Ann may see every session, but not the records.
    admin = cast.client_for(cast.admin).get(url)
    assert admin.status_code == 200
    assert "Record of this session" not in page_text(admin)


def test_a_shared_record_reads_as_shared_on_its_session(cast):
    record = shared_record(cast)
    text = page_text(
        cast.client_for(cast.supervisee).get(reverse("session", args=[record.session_id]))
    )
    assert "Shared, awaiting signatures" in text
    assert "Read the record" in text


def test_a_held_session_without_a_record_offers_to_start_one(cast):
    session = held_session(cast)  # held directly, without the hook
    text = page_text(cast.client_for(cast.supervisor).get(reverse("session", args=[session.pk])))
    assert "No record has been started yet." in text
    assert "Start the record" in text
    manager = page_text(cast.client_for(cast.manager).get(reverse("session", args=[session.pk])))
    assert "Record of this session" not in manager


def test_a_scheduled_session_has_no_record_panel(cast):
    session = held_session(cast)
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.SCHEDULED,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        held_started_at=None,
        held_minutes=None,
    )
    text = page_text(cast.client_for(cast.supervisor).get(reverse("session", args=[session.pk])))
    assert "Supervision session" in text
    assert "Record of this session" not in text


# A person's page


def test_a_persons_page_lists_their_records_for_those_who_may_read_them(cast):
    record = draft_record(cast)
    write(record)
    url = reverse("person", args=[cast.supervisee.pk])
    for who in ("supervisor", "manager", "supervisee"):
        text = page_text(cast.client_for(getattr(cast, who)).get(url))
        assert "Supervision records" in text
        assert reverse("record", args=[record.pk]) in text
    admin = cast.client_for(cast.admin).get(url)
    assert admin.status_code == 200
    assert "Supervision records" not in page_text(admin)
