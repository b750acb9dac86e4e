"""The development API as the cast meets it: the same permissions as the pages, CPD logged from a
supervision record, objectives reviewed, and bad input answered with a 400 keyed by the field
(a 422 for the wrong shape), never a 500."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from tandem.api.services import api_token_create
from tandem.core.tests.shared import noon
from tandem.development import services
from tandem.development.models import CpdRecord, ObjectiveReview
from tandem.records.tests.factories import shared_record

from .factories import CpdRecordFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)
at_today = time_machine.travel(noon(TODAY), tick=False)


def api(person: Any) -> Client:
    _token, raw = api_token_create(person=person, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, body, content_type="application/json")


def cpd_body(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "course",
        "title": "Working with neglect",
        "done_on": "2026-12-01",
        "description": "A day's course.",
        "learnt": "The graded care profile.",
        "impact": "I use it in assessments.",
        **changes,
    }


@pytest.mark.parametrize(
    ("who", "reads", "writes"),
    [
        ("supervisee", 200, 201),
        ("supervisor", 200, 201),
        ("manager", 200, 403),
        ("colleague", 403, 403),
        ("admin", 403, 403),
        ("outsider", 404, 404),
    ],
)
@at_today
def test_the_same_people_as_on_the_pages(cast, who, reads, writes):
    client = api(getattr(cast, who))
    sue = cast.supervisee.pk
    assert client.get(f"/api/people/{sue}/development").status_code == reads
    assert client.get(f"/api/people/{sue}/cpd").status_code == reads
    assert post(client, f"/api/people/{sue}/cpd", cpd_body()).status_code == writes
    cpd = CpdRecordFactory(person=cast.supervisee)
    assert client.get(f"/api/cpd/{cpd.pk}").status_code == reads


@at_today
def test_cpd_from_a_record_and_the_position_it_makes(cast):
    record = shared_record(cast, on=datetime.date(2026, 12, 2))
    client = api(cast.supervisee)
    answer = post(
        client,
        f"/api/people/{cast.supervisee.pk}/cpd",
        cpd_body(kind="supervision", done_on="2026-12-02", record_id=record.pk),
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["source_record_id"] == record.pk
    assert answer.json()["counts_as_peer_reflection"] is True
    position = client.get(f"/api/people/{cast.supervisee.pk}/development").json()
    assert position["swe"] == {
        "year_starts_on": "2026-12-01",
        "year_ends_on": "2027-11-30",
        "records": 1,
        "records_needed": 2,
        "peer_reflected": 1,
        "peer_needed": 1,
        "state": "on_track",
    }
    # Another person's record cannot be the source.
    other = api(cast.colleague)
    refused = post(other, f"/api/people/{cast.colleague.pk}/cpd", cpd_body(record_id=record.pk))
    assert refused.status_code == 400 and "record_id" in refused.json()["detail"]


@at_today
def test_bad_input_is_a_400_by_field_or_a_422_and_nothing_is_written(cast):
    client = api(cast.supervisee)
    path = f"/api/people/{cast.supervisee.pk}/cpd"
    future = post(client, path, cpd_body(done_on="2026-12-08", hours=2, participatory_hours=3))
    assert future.status_code == 400
    assert set(future.json()["detail"]) == {"done_on", "participatory_hours"}
    shape = post(client, path, cpd_body(kind="nonsense", hours="lots"))
    assert shape.status_code == 422 and "detail" in shape.json()
    nul = post(client, path, cpd_body(title="A\x00B"))
    assert nul.status_code == 422
    assert not CpdRecord.objects.exists()


@at_today
def test_objectives_are_added_and_reviewed_in_a_record(cast):
    client = api(cast.supervisor)
    added = post(
        client,
        f"/api/people/{cast.supervisee.pk}/objectives",
        {"title": "Court skills", "measure": "Two hearings observed", "target_on": "2027-03-01"},
    )
    assert added.status_code == 201
    record = shared_record(cast, on=datetime.date(2026, 12, 2))
    reviewed = post(
        client,
        f"/api/objectives/{added.json()['id']}/reviews",
        {"progress": "One hearing observed.", "status": "open", "record_id": record.pk},
    )
    assert reviewed.status_code == 201
    assert reviewed.json()["reviewed_on"] == "2026-12-02"
    assert ObjectiveReview.objects.get().record == record
    listed = client.get(f"/api/people/{cast.supervisee.pk}/objectives").json()
    assert [o["title"] for o in listed["items"]] == ["Court skills"]
    other = ObjectiveFactory(person=cast.colleague)
    assert (
        post(
            client, f"/api/objectives/{other.pk}/reviews", {"progress": "x", "status": "open"}
        ).status_code
        == 404
    )


@at_today
def test_the_asye_through_the_api(cast):
    services.asye_start(
        person=cast.supervisee,
        starts_on=datetime.date(2026, 9, 1),
        assessor=cast.colleague,
        by=cast.supervisor,
    )
    body = api(cast.colleague).get(f"/api/people/{cast.supervisee.pk}/asye").json()
    assert body["assessor"]["full_name"] == "Cole Colleague"
    assert [r["key"] for r in body["reviews"]] == ["3m", "6m", "9m", "12m", "panel"]
    assert body["reviews"][0]["overdue"] is True
    assert api(cast.admin).get(f"/api/people/{cast.supervisee.pk}/asye").status_code == 403
