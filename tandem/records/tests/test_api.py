"""Supervision records through the API: start, write, share, sign, addenda, disagreements,
break-glass, actions and case decisions; what each of the fixed cast may read; refusals as JSON.

Sam supervises Sue; Mia manages their team, Hal the service, Ada the directorate (managers up
the chain read records without the welfare section); Cole is in another team and Ann is the
admin (neither may read Sue's records: 404); Olga is in another organisation.
"""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tandem.agreements.tests.factories import signed_agreement
from tandem.api.api import api as ninja_api
from tandem.api.services import api_token_create
from tandem.core.models import AuditEvent
from tandem.meetings.models import AgendaItem
from tandem.meetings.tests.test_sessions import book, line_of
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory
from tandem.records import services
from tandem.records.models import (
    Action,
    Addendum,
    Disagreement,
    Record,
    RecordVersion,
    WelfareAccess,
)
from tandem.records.tests.factories import (
    draft_record,
    held_session,
    shared_record,
    signed_record,
    write,
)

NOT_FOUND = {"detail": "Not found."}
FORBIDDEN = {"detail": "You do not have permission to do this."}
WELFARE = "Feeling stretched; annual leave booked for May."


def api(person: Any) -> Client:
    _token, raw = api_token_create(person=person, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, body or {}, content_type="application/json")


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def case(reference: str = "CF-204981", **changes: Any) -> dict[str, Any]:
    return {
        "case_reference": reference,
        "label": "Child A, core group",
        "discussion": "Drift in the plan since March.",
        "reflection": {"experience": "The visit was cut short.", "analysis": "Escalate."},
        "decision": "Step up to a child protection conference.",
        "rationale": "Two missed core groups and new concerns from school.",
        **changes,
    }


def action(cast: Any, **changes: Any) -> dict[str, Any]:
    return {
        "text": "Book the strategy meeting",
        "owner": cast.supervisee.pk,
        "due_on": in_days(7),
        "case_reference": "CF-204981",
        **changes,
    }


def words(cast: Any, record: Record, **changes: Any) -> dict[str, Any]:
    """What Sam sends to save a full record, from its latest version."""
    return {
        "base_version": record.version_number,
        "sections": {"performance": "Caseload of 18.", "development": "PCF domain 6."},
        "welfare": WELFARE,
        "agenda": {str(item.pk): "Talked it through." for item in record.session.agenda.all()},
        "cases": [case()],
        "actions": [action(cast)],
        **changes,
    }


def _unchanged(*models: Any) -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (AuditEvent, *models))


def refused(client: Client, path: str, body: dict[str, Any] | None, status: int = 400) -> Any:
    """A refusal in JSON that writes nothing: no version, addendum, disagreement or audit event."""
    models = (RecordVersion, Addendum, Disagreement, WelfareAccess, Record)
    before = _unchanged(*models)
    response = post(client, path, body)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert _unchanged(*models) == before
    return response.json()["detail"]


# The whole path


def test_start_write_share_sign_and_correct_a_record(cast):
    session = held_session(cast)
    sam, sue = api(cast.supervisor), api(cast.supervisee)

    started = post(sam, f"/api/sessions/{session.pk}/record")
    assert started.status_code == 201, started.json()
    record = started.json()
    assert (record["status"], record["version_number"]) == ("draft", 1)
    assert [item["title"] for item in record["agenda_items"]] == ["Caseload", "Training plan"]
    assert record["version"]["content"]["sections"] == {"performance": "", "development": ""}
    assert record["allowed"] == {
        "write": True,
        "share": True,
        "sign": False,
        "add_addendum": False,
        "disagree": False,
        "open_welfare": False,
    }
    again = post(sue, f"/api/sessions/{session.pk}/record")
    assert (again.status_code, again.json()["id"]) == (200, record["id"])
    url = f"/api/records/{record['id']}"

    saved = post(sam, f"{url}/versions", words(cast, Record.objects.get(pk=record["id"])))
    assert saved.status_code == 201, saved.json()
    version = saved.json()
    assert version["number"] == 2 and version["saved_by"]["full_name"] == "Sam Supervisor"
    assert version["welfare"] == WELFARE
    assert version["content"]["cases"][0]["case_reference"] == "CF-204981"
    assert version["content"]["actions"][0]["owner"] == cast.supervisee.pk

    history = sam.get(f"{url}/versions").json()
    assert [(v["number"], v["saved_by"]["full_name"]) for v in history["items"]] == [
        (2, "Sam Supervisor"),
        (1, "Sam Supervisor"),
    ]
    assert history["items"][0]["hash"] == version["hash"]
    first = sam.get(f"{url}/versions/1").json()
    assert first["content"]["cases"] == [] and first["welfare"] == ""

    shared = post(sam, f"{url}/share", {"version": 2})
    assert shared.status_code == 200, shared.json()
    assert shared.json()["status"] == "shared" and shared.json()["shared_at"]
    assert post(sue, f"{url}/sign", {"version": 2}).json()["allowed"]["sign"] is False
    signed = post(sam, f"{url}/sign", {"version": 2}).json()
    assert signed["status"] == "signed" and signed["signed_at"]
    assert {(s["role"], s["person"]["full_name"]) for s in signed["signatures"]} == {
        ("supervisor", "Sam Supervisor"),
        ("supervisee", "Sue Supervisee"),
    }
    assert signed["allowed"]["write"] is False

    added = post(sue, f"{url}/addenda", {"text": "The visit was on the 3rd, not the 4th."})
    assert added.status_code == 201, added.json()
    assert added.json()["supervisee_signed_at"] and added.json()["signed"] is False
    countersigned = post(sam, f"{url}/addenda/1/sign")
    assert countersigned.status_code == 200 and countersigned.json()["signed"] is True
    assert Record.objects.get(pk=record["id"]).version_number == 2
    shown = sue.get(url).json()
    assert [(a["number"], a["written_by"]["full_name"], a["signed"]) for a in shown["addenda"]] == [
        (1, "Sue Supervisee", True)
    ]
    assert shown["version"]["number"] == 2 and shown["status"] == "signed"


def test_a_disagreement_goes_to_the_manager_who_resolves_it(cast):
    record = shared_record(cast)
    url = f"/api/records/{record.pk}"

    raised = post(
        api(cast.supervisee),
        f"{url}/disagreements",
        {"kind": "record", "about": "The decision on CF-204981", "text": "It was not agreed."},
    )
    assert raised.status_code == 201, raised.json()
    body = raised.json()
    assert (body["routed_to"]["full_name"], body["routed_as"], body["status"]) == (
        "Mia Manager",
        "Team manager",
        "open",
    )

    mia = api(cast.manager)
    assert [d["id"] for d in mia.get("/api/disagreements").json()["items"]] == [body["id"]]
    assert api(cast.head_of_service).get("/api/disagreements").json()["count"] == 0
    resolved = post(
        mia, f"/api/disagreements/{body['id']}/resolve", {"resolution": "Agreed to step up."}
    )
    assert resolved.status_code == 200, resolved.json()
    assert (resolved.json()["status"], resolved.json()["resolved_by"]["full_name"]) == (
        "resolved",
        "Mia Manager",
    )
    assert mia.get("/api/disagreements").json()["count"] == 0
    shown = api(cast.supervisor).get(url).json()["disagreements"]
    assert [(d["text"], d["resolution"]) for d in shown] == [
        ("It was not agreed.", "Agreed to step up.")
    ]


def test_only_the_manager_it_was_routed_to_resolves_a_disagreement(cast):
    record = shared_record(cast)
    disagreement = services.disagreement_raise(record=record, by=cast.supervisee, text="No.")
    path = f"/api/disagreements/{disagreement.pk}/resolve"
    body = {"resolution": "Agreed."}
    assert refused(api(cast.head_of_service), path, body, 403) == FORBIDDEN["detail"]
    assert refused(api(cast.supervisor), path, body, 403) == FORBIDDEN["detail"]
    assert refused(api(cast.colleague), path, body, 404) == NOT_FOUND["detail"]
    assert refused(api(cast.outsider), path, body, 404) == NOT_FOUND["detail"]
    assert refused(api(cast.manager), path, {"resolution": "  "}) == {
        "resolution": ["Enter the resolution."]
    }


def test_a_concern_about_practice_is_the_supervisee_s_to_raise(cast):
    record = shared_record(cast)
    path = f"/api/records/{record.pk}/disagreements"
    assert refused(api(cast.supervisor), path, {"kind": "practice", "text": "x"}) == {
        "kind": ["A concern about the supervisor's practice is raised by the supervisee."]
    }
    raised = post(api(cast.supervisee), path, {"kind": "practice", "text": "Always late."})
    assert raised.status_code == 201 and raised.json()["routed_to"]["full_name"] == "Mia Manager"


def test_starting_a_record_needs_a_held_session_of_my_own(cast):
    scheduled = book(cast)
    assert refused(api(cast.supervisor), f"/api/sessions/{scheduled.pk}/record", None) == {
        "session": ["Only a held one-to-one session has a record: record it as held first."]
    }
    held = held_session(cast)
    path = f"/api/sessions/{held.pk}/record"
    assert refused(api(cast.manager), path, None, 403) == FORBIDDEN["detail"]
    assert refused(api(cast.colleague), path, None, 404) == NOT_FOUND["detail"]
    assert refused(api(cast.outsider), path, None, 404) == NOT_FOUND["detail"]
    assert post(api(cast.supervisee), path).status_code == 201
    # Once started, a manager may get it, without the welfare section.
    got = post(api(cast.manager), path)
    assert got.status_code == 200 and "welfare" not in got.json()["version"]


# Who reads what


@pytest.mark.parametrize(
    ("who", "level", "reads_welfare"),
    [
        ("supervisee", "full", True),
        ("supervisor", "full", True),
        ("manager", "without_welfare", False),
        ("head_of_service", "without_welfare", False),
        ("director", "without_welfare", False),
        ("colleague", None, False),
        ("admin", None, False),
        ("outsider", None, False),
    ],
)
def test_who_reads_a_record_and_how_much(cast, who, level, reads_welfare):
    record = signed_record(cast)
    client = api(getattr(cast, who))
    response = client.get(f"/api/records/{record.pk}")
    listed = client.get("/api/records").json()["items"]
    if level is None:
        assert response.status_code == 404 and response.json() == NOT_FOUND
        assert listed == []
        return
    assert response.status_code == 200
    body = response.json()
    assert body["access"]["level"] == level
    assert [r["id"] for r in listed] == [record.pk]
    assert (
        body["version"]["content"]["sections"]["performance"]
        == "Caseload of 18; two visits overdue."
    )
    assert ("welfare" in body["version"]) is reads_welfare
    assert (WELFARE in response.content.decode()) is reads_welfare
    assert body["allowed"]["open_welfare"] is not reads_welfare
    version = client.get(f"/api/records/{record.pk}/versions/{record.version_number}")
    assert ("welfare" in version.json()) is reads_welfare
    # Every read is audited, as through the pages.
    assert AuditEvent.objects.filter(
        action="record.view",
        object_id=str(record.pk),
        actor=getattr(cast, who).user,
        detail__how="api",
    ).exists()


def _named(cast: Any, scope: str) -> Record:
    """A signed record on Sue and Sam's agreement, which names Cole with this scope."""
    agreement = signed_agreement(line_of(cast.supervisee))
    record = draft_record(cast)
    Record.objects.filter(pk=record.pk).update(agreement=agreement)
    record.refresh_from_db()
    write(record, cases=[case()], actions=[action(cast)])
    record.refresh_from_db()
    services.record_share(record=record, by=cast.supervisor, version=record.version_number)
    services.record_viewer_add(
        agreement=agreement, person=cast.colleague, scope=scope, by=cast.supervisee
    )
    return record


def test_someone_the_agreement_names_for_case_discussions_reads_only_those(cast):
    record = _named(cast, "cases")
    cole = api(cast.colleague)
    body = cole.get(f"/api/records/{record.pk}").json()
    assert body["access"]["level"] == "cases"
    assert set(body["version"]["content"]) == {"cases"}
    assert body["version"]["content"]["cases"][0]["decision"] == case()["decision"]
    assert "welfare" not in body["version"] and "sections" not in body["layout"]
    assert "addenda" not in body and "disagreements" not in body
    text = cole.get(f"/api/records/{record.pk}/versions/{record.version_number}").content
    assert b"Caseload of 18" not in text and WELFARE.encode() not in text
    # Reading is not writing.
    assert refused(cole, f"/api/records/{record.pk}/addenda", {"text": "x"}, 403)


def test_someone_the_agreement_names_for_the_record_reads_it_without_welfare(cast):
    record = _named(cast, "without_welfare")
    body = api(cast.colleague).get(f"/api/records/{record.pk}").json()
    assert body["access"] == {
        "level": "without_welfare",
        "reason": "named",
        "may_open_welfare": False,
        "welfare_open_until": None,
    }
    assert "welfare" not in body["version"] and body["version"]["content"]["sections"]
    assert refused(
        api(cast.colleague), f"/api/records/{record.pk}/welfare-access", {"reason": "x" * 20}, 403
    )


def test_break_glass_opens_the_welfare_section_and_shows_it_to_the_supervisee(cast):
    record = signed_record(cast)
    url = f"/api/records/{record.pk}"
    mia = api(cast.manager)
    assert refused(mia, f"{url}/welfare-access", {"reason": "Need it"}) == {
        "reason": ["Enter why you need to read the welfare section (at least 10 characters)."]
    }
    assert refused(api(cast.supervisor), f"{url}/welfare-access", {"reason": "x" * 20}, 403)
    assert refused(api(cast.colleague), f"{url}/welfare-access", {"reason": "x" * 20}, 404)

    opened = post(mia, f"{url}/welfare-access", {"reason": "A grievance was raised today."})
    assert opened.status_code == 201, opened.json()
    assert opened.json()["person"]["full_name"] == "Mia Manager"
    body = mia.get(url).json()
    assert body["version"]["welfare"] == WELFARE
    assert body["access"]["welfare_open_until"] == opened.json()["expires_at"]
    assert body["allowed"]["open_welfare"] is False
    shown = api(cast.supervisee).get(url).json()["welfare_accesses"]
    assert [(a["person"]["full_name"], a["reason"]) for a in shown] == [
        ("Mia Manager", "A grievance was raised today.")
    ]
    assert AuditEvent.objects.filter(action="record.welfare_break_glass").count() == 1
    # Hal, also up the chain, has not opened it.
    assert "welfare" not in api(cast.head_of_service).get(url).json()["version"]


# Every operation refuses strangers


def _operations() -> list[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "records" in operation.get("tags", [])
    ]


def _filled(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"{(\w+)}", lambda match: str(ids[match.group(1)]), path)


def _ids(cast: Any) -> dict[str, int]:
    record = shared_record(cast)
    write(record, cases=[], actions=[action(cast)])
    addendum = services.addendum_add(record=record, by=cast.supervisor, text="A correction.")
    disagreement = services.disagreement_raise(record=record, by=cast.supervisee, text="No.")
    return {
        "record_id": record.pk,
        "session_id": record.session_id,
        "number": addendum.number,
        "disagreement_id": disagreement.pk,
        "action_id": Action.objects.get(record=record).pk,
    }


def test_the_operations_walked_here_are_all_of_the_records_api():
    assert len(_operations()) == 18


@pytest.mark.parametrize(("method", "path"), _operations())
def test_every_operation_needs_a_token(cast, method, path):
    response = Client().generic(method, _filled(path, _ids(cast)), "{}", "application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize("who", ["colleague", "admin", "outsider"])
@pytest.mark.parametrize(("method", "path"), [op for op in _operations() if "{" in op[1]])
def test_every_operation_on_a_record_is_not_found_by_those_who_may_not_read_it(
    cast, method, path, who
):
    ids = _ids(cast)
    client = api(getattr(cast, who))
    bodies = {
        "/versions": {"base_version": 3},
        "/share": {"version": 3},
        "/sign": {"version": 3},
        "/addenda": {"text": "Mine."},
        "/disagreements": {"text": "Mine."},
        "/resolve": {"resolution": "Mine."},
        "/welfare-access": {"reason": "A grievance was raised."},
        "/status": {"status": "done"},
    }
    body = next((b for end, b in bodies.items() if path.endswith(end)), {})
    before = _unchanged(RecordVersion, Addendum, Disagreement, WelfareAccess, Record)
    response = client.generic(method, _filled(path, ids), json.dumps(body), "application/json")
    assert response.status_code == 404, (path, response.content)
    assert response.json() == NOT_FOUND
    assert _unchanged(RecordVersion, Addendum, Disagreement, WelfareAccess, Record) == before
    assert Action.objects.get(pk=ids["action_id"]).status == "open"


# Writing at once


def test_a_save_from_an_older_version_is_told_and_shown_both(cast):
    record = draft_record(cast)
    write(record)  # Sam saves version 2.
    record.refresh_from_db()
    sue = api(cast.supervisee)
    mine = words(cast, record, base_version=1, welfare="I am fine now.")
    mine["sections"] = {"performance": "Sue's words.", "development": ""}

    response = post(sue, f"/api/records/{record.pk}/versions", mine)

    assert response.status_code == 409, response.json()
    body = response.json()
    assert body["detail"].startswith("Sam Supervisor saved this record at ")
    assert body["theirs"]["number"] == 2
    assert body["theirs"]["saved_by"]["full_name"] == "Sam Supervisor"
    assert body["theirs"]["content"]["sections"]["performance"] == (
        "Caseload of 18; two visits overdue."
    )
    assert body["theirs"]["welfare"] == WELFARE
    assert body["mine"]["content"]["sections"]["performance"] == "Sue's words."
    assert body["mine"]["welfare"] == "I am fine now."
    assert body["mine"]["content"]["cases"][0]["case_reference"] == "CF-204981"
    assert RecordVersion.objects.filter(record=record).count() == 2
    # Copied into the latest, it saves.
    again = post(sue, f"/api/records/{record.pk}/versions", {**mine, "base_version": 2})
    assert again.status_code == 201 and again.json()["number"] == 3


def test_a_save_of_some_parts_keeps_the_others_and_an_unchanged_save_writes_nothing(cast):
    record = draft_record(cast)
    url = f"/api/records/{record.pk}/versions"
    sam = api(cast.supervisor)
    assert post(sam, url, words(cast, record)).status_code == 201
    only = post(sam, url, {"base_version": 2, "sections": {"development": "New plan."}})
    assert only.status_code == 201, only.json()
    saved = only.json()
    assert saved["content"]["sections"] == {
        "performance": "Caseload of 18.",
        "development": "New plan.",
    }
    assert saved["welfare"] == WELFARE
    assert [c["case_reference"] for c in saved["content"]["cases"]] == ["CF-204981"]
    assert len(saved["content"]["actions"]) == 1
    same = post(sam, url, {"base_version": 3})
    assert (same.status_code, same.json()["number"]) == (200, 3)
    assert RecordVersion.objects.filter(record=record).count() == 3


# Bad input


def test_bad_words_are_refused_by_field_and_nothing_is_saved(cast):
    record = draft_record(cast)
    sam = api(cast.supervisor)
    url = f"/api/records/{record.pk}/versions"
    long = "x" * (services.SECTION_MAX + 1)
    assert refused(
        sam, url, words(cast, record, sections={"performance": long, "development": ""})
    ) == {"sections.performance": ["Enter 20,000 characters or fewer (it has 20,001)."]}
    assert refused(sam, url, words(cast, record, cases=[case("Child A Smith")])) == {
        "cases.0.case_reference": [
            "Enter a case reference like CF-204981: 3 to 30 letters, numbers, hyphens or "
            "slashes, with at least one number."
        ]
    }
    assert refused(
        sam, url, words(cast, record, actions=[action(cast, owner=cast.manager.pk, due_on="")])
    ) == {
        "actions.0.owner": ["Choose who will do it: the supervisor or the supervisee."],
        "actions.0.due_on": ["Enter the date it is due, like 14 5 2027."],
    }
    assert refused(sam, url, words(cast, record, cases=[case(decision="Go", rationale="")])) == {
        "cases.0.rationale": ["Enter the rationale for the decision."]
    }
    # The wrong shape is a 422, with where it was wrong.
    for body in [
        {},
        {"base_version": "latest"},
        words(cast, record, welfare="null \x00 char"),
        words(cast, record, cases="CF-1"),
        words(cast, record, actions=[action(cast, key="k" * 41)]),
    ]:
        assert refused(sam, url, body, 422)


def test_sharing_and_signing_refuse_a_stale_version_and_someone_else(cast):
    record = draft_record(cast)
    write(record)
    url = f"/api/records/{record.pk}"
    sam, sue = api(cast.supervisor), api(cast.supervisee)
    assert refused(sam, f"{url}/share", {"version": 1}) == {
        "version": [
            "The record has been saved since you opened it: read the latest version, then share it."
        ]
    }
    assert refused(sue, f"{url}/sign", {"version": 2}) == {
        "__all__": ["Share the record before signing it."]
    }
    assert post(sam, f"{url}/share", {"version": 2}).status_code == 200
    write(Record.objects.get(pk=record.pk), by=cast.supervisee, welfare="Better now.")
    assert refused(sue, f"{url}/sign", {"version": 2}) == {
        "version": [
            "You read version 2, but the record has been changed since (version 3). Read the "
            "latest version, then sign it."
        ]
    }
    # Signing someone else's record: Mia reads it but is not a party; Cole may not read it.
    assert refused(api(cast.manager), f"{url}/sign", {"version": 3}, 403) == FORBIDDEN["detail"]
    assert refused(api(cast.colleague), f"{url}/sign", {"version": 3}, 404)
    assert refused(sue, f"{url}/sign", {"version": -1}, 422)


def test_addenda_are_for_shared_records_and_a_signed_record_takes_no_new_version(cast):
    draft = draft_record(cast)
    sam = api(cast.supervisor)
    assert refused(sam, f"/api/records/{draft.pk}/addenda", {"text": "A fix."}) == {
        "__all__": [
            "This record is still a draft: change the record itself. Addenda are for records "
            "that have been shared."
        ]
    }
    signed = signed_record(cast, on=timezone.localdate() - datetime.timedelta(days=3))
    url = f"/api/records/{signed.pk}"
    assert refused(sam, f"{url}/addenda", {"text": ""}) == {"text": ["Enter the addendum."]}
    assert refused(sam, f"{url}/addenda", {"text": "x" * 5001}) == {
        "text": ["Enter 5,000 characters or fewer (it has 5,001)."]
    }
    assert refused(sam, f"{url}/versions", words(cast, signed)) == {
        "__all__": ["Both have signed this record, so it cannot change: add an addendum instead."]
    }
    assert refused(sam, f"{url}/addenda/1/sign", None, 404) == NOT_FOUND["detail"]
    added = post(sam, f"{url}/addenda", {"text": "A fix."})
    assert refused(sam, f"{url}/addenda/{added.json()['number']}/sign", None) == {
        "__all__": ["You have already signed this addendum."]
    }


def test_a_disagreement_on_a_draft_or_without_words_is_refused(cast):
    draft = draft_record(cast)
    path = f"/api/records/{draft.pk}/disagreements"
    assert refused(api(cast.supervisee), path, {"text": "No."})
    shared = shared_record(cast, on=timezone.localdate() - datetime.timedelta(days=2))
    path = f"/api/records/{shared.pk}/disagreements"
    assert refused(api(cast.supervisee), path, {"text": " "}) == {
        "text": ["Enter what you disagree with and why."]
    }
    assert refused(api(cast.supervisee), path, {"kind": "other", "text": "No."}, 422)
    assert refused(api(cast.manager), path, {"text": "No."}, 403) == FORBIDDEN["detail"]


# Actions and case decisions


def test_my_actions_their_status_and_the_overdue_ones(cast):
    record = shared_record(cast)
    write(
        Record.objects.get(pk=record.pk),
        actions=[action(cast), action(cast, text="Read the policy", owner=cast.supervisor.pk)],
    )
    late = Action.objects.get(text="Read the policy")
    Action.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(1))
    sue, sam = api(cast.supervisee), api(cast.supervisor)
    assert [a["text"] for a in sue.get("/api/actions").json()["items"]] == [
        "Read the policy",
        "Book the strategy meeting",
    ]
    overdue = sam.get("/api/actions", {"overdue": "true"}).json()["items"]
    assert [(a["text"], a["overdue"], a["owner"]["full_name"]) for a in overdue] == [
        ("Read the policy", True, "Sam Supervisor")
    ]
    assert api(cast.manager).get("/api/actions").json()["count"] == 0

    path = f"/api/actions/{late.pk}/status"
    done = post(sue, path, {"status": "done"})
    assert done.status_code == 200, done.json()
    assert done.json()["status"] == "done" and done.json()["completed_at"]
    assert sam.get("/api/actions", {"overdue": "true"}).json()["items"] == []
    assert sam.get("/api/actions", {"status": "done"}).json()["count"] == 1
    assert refused(sue, path, {"status": "finished"}, 422)
    assert refused(api(cast.manager), path, {"status": "open"}, 403) == FORBIDDEN["detail"]
    assert refused(api(cast.colleague), path, {"status": "open"}, 404) == NOT_FOUND["detail"]


def test_case_decisions_for_the_case_file_never_carry_welfare(cast):
    signed = signed_record(cast, on=timezone.localdate() - datetime.timedelta(days=20))
    draft = draft_record(cast)
    write(draft, cases=[case(decision="Not yet decided")])
    write(
        Record.objects.get(pk=shared_record(cast).pk),
        cases=[case(), case("LAC/1234")],
    )
    mia = api(cast.manager)
    response = mia.get("/api/case-decisions", {"case_reference": "cf-204981"})
    assert response.status_code == 200, response.json()
    found = response.json()["items"]
    assert [(d["marked"], d["case_reference"], d["decision"]) for d in found] == [
        ("Supervision decision", "CF-204981", case()["decision"])
    ]
    assert found[0]["record"]["supervisee"]["full_name"] == "Sue Supervisee"
    assert WELFARE not in response.content.decode()
    assert signed.pk not in [d["record"]["id"] for d in found]  # no case discussed there
    assert (
        api(cast.colleague)
        .get("/api/case-decisions", {"case_reference": "CF-204981"})
        .json()["items"]
        == []
    )
    bad = mia.get("/api/case-decisions", {"case_reference": "Child A Smith"})
    assert bad.status_code == 400 and list(bad.json()["detail"]) == ["case_reference"]
    assert mia.get("/api/case-decisions").status_code == 422


# Query counts


def _query_count(client: Client, path: str) -> int:
    client.get(path)  # The token's first use is recorded; later ones are not.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def _more(cast: Any, n: int) -> None:
    """Another supervisee of Sam's with a shared record holding a case decision and an action,
    and a disagreement on it routed to Mia."""
    person = PersonFactory(organisation=cast.organisation, team=cast.supervisee.team)
    RelationshipFactory(supervisee=person, supervisor=cast.supervisor)
    record = draft_record(
        cast, supervisee=person, on=timezone.localdate() - datetime.timedelta(days=10 + n)
    )
    write(record, cases=[case()], actions=[action(cast, owner=cast.supervisor.pk)])
    record.refresh_from_db()
    services.record_share(record=record, by=cast.supervisor, version=record.version_number)
    services.disagreement_raise(record=record, by=person, text="No.")


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("supervisor", "/api/records?page_size=100"),
        ("manager", "/api/records?page_size=100"),
        ("supervisor", "/api/actions?page_size=100"),
        ("manager", "/api/disagreements?page_size=100"),
        ("manager", "/api/case-decisions?case_reference=CF-204981&page_size=100"),
    ],
)
def test_the_lists_run_the_same_number_of_queries_at_any_size(cast, who, path):
    _more(cast, 0)
    client = api(getattr(cast, who))
    before = _query_count(client, path)
    for n in range(1, 6):
        _more(cast, n)
    assert client.get(path).json()["count"] == 6
    assert _query_count(client, path) == before


def test_a_record_and_its_versions_run_the_same_number_of_queries_at_any_size(cast):
    record = shared_record(cast)
    client = api(cast.supervisee)
    paths = [f"/api/records/{record.pk}", f"/api/records/{record.pk}/versions"]
    before = [_query_count(client, path) for path in paths]
    for n in range(5):
        write(Record.objects.get(pk=record.pk), welfare=f"Note {n}")
        services.addendum_add(record=record, by=cast.supervisor, text=f"Fix {n}")
        AgendaItem.objects.create(
            organisation_id=record.session.organisation_id,
            session=record.session,
            added_by=cast.supervisor,
            title=f"Item {n}",
            function="support",
        )
    assert [_query_count(client, path) for path in paths] == before


def test_group_sessions_have_no_record(cast):
    session = held_session(cast)
    type(session).objects.filter(pk=session.pk).update(supervisee=None)
    assert refused(api(cast.supervisor), f"/api/sessions/{session.pk}/record", None) == {
        "session": ["Only a held one-to-one session has a record: record it as held first."]
    }


# Generated input, on real records


@pytest.fixture
def keep_the_test_transaction_open():
    """As in tandem/api/tests/test_openapi_fuzz.py: a WSGI client from outside Django must not
    close the test's connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


records_schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", get_wsgi_application()
).include(tag="records")


@records_schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_input_on_a_real_record_never_fails(case, cast, keep_the_test_transaction_open):
    """Sam, a party, sends whatever schemathesis makes to his own record, addendum,
    disagreement, action and session: answers within the schema, never a 500."""
    ids = _ids(cast)
    _token, raw = api_token_create(person=cast.supervisor, name="schemathesis")
    if case.path_parameters:
        case.path_parameters = {name: ids[name] for name in case.path_parameters}
    if isinstance(case.body, dict) and "base_version" in case.body:
        # From the latest version, so that the words themselves are saved, whatever they are.
        case.body["base_version"] = Record.objects.get(pk=ids["record_id"]).version_number
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
