"""What leaves a record or follows from it, as people use it through the test client: the
printable page and the PDF (only what each reader may read), case decisions for the case file
(never any welfare notes), the actions list and its status forms, and the people an agreement
names to see its records.

Sam supervises Sue; Mia manages their team; Hal and Ada are above her; Cole is in another team;
Ann is Riverside's admin; Olga is Hillside's admin and finds nothing of Riverside's.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tandem.agreements.tests.factories import signed_agreement
from tandem.core.models import AuditEvent
from tandem.core.tests.shared import row_security_queries
from tandem.meetings.models import AgendaItem
from tandem.meetings.tests.test_sessions import line_of
from tandem.records import services
from tandem.records.models import Action, ActionStatus, Record, RecordViewer, ViewerScope
from tandem.records.tests.factories import draft_record, write

# Words only the welfare section holds: no reader without the right to it may ever see them.
WELFARE = "Zanzibar bereavement leave; counselling via occupational health."
WELFARE_WORDS = ("Zanzibar", "bereavement", "counselling")
PERFORMANCE = "Caseload of 18, two visits overdue on the Hartley family."
DISCUSSION = "Quixotic home visit pattern discussed at length."
DECISION = "Step down to a child in need plan from 1 May."
RATIONALE = "Safety plan held for twelve weeks; school attendance back to 96%."
ADDENDUM = "Correction: the review is on 14 May, not 12 May."
DISAGREEMENT = "The record understates how stretched the team is."
RESOLUTION = "Agreed to add a workload review to the next team meeting."
CASE = "CF-204981"


def page_text(response: Any) -> str:
    return html.unescape(response.content.decode())


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Text without its white space: the PDF breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


def client_for(cast: Any, who: str) -> Client:
    return cast.client_for(getattr(cast, who))


def full_record(cast: Any, *, days_ago: int = 7, sign: bool = True, **changes: Any) -> Record:
    """Sue and Sam's record with every part: agenda notes, a case decision, two actions (one
    overdue), the welfare section; shared and, unless told, signed by both, with an addendum
    and a resolved disagreement."""
    record = draft_record(cast, on=timezone.localdate() - datetime.timedelta(days=days_ago))
    held = record.held_on
    item = AgendaItem.objects.filter(session=record.session).order_by("id").first()
    assert item is not None
    fields: dict[str, Any] = {
        "sections": {"performance": PERFORMANCE, "development": "PCF 6 reflection."},
        "welfare": WELFARE,
        "agenda": {str(item.pk): "Talked through the eighteen cases."},
        "cases": [
            {
                "case_reference": CASE,
                "label": "Sibling group",
                "discussion": DISCUSSION,
                "reflection": {"analysis": "Hypothesis: the pattern follows school holidays."},
                "decision": DECISION,
                "rationale": RATIONALE,
            }
        ],
        "actions": [
            {
                "text": "Book the review meeting",
                "owner": cast.supervisee.pk,
                "due_on": (held + datetime.timedelta(days=2)).isoformat(),
                "case_reference": CASE,
            },
            {
                "text": "Read the neglect toolkit",
                "owner": cast.supervisor.pk,
                "due_on": (held + datetime.timedelta(days=60)).isoformat(),
            },
        ],
    }
    fields.update(changes)
    write(record, **fields)
    record.refresh_from_db()
    services.record_share(record=record, by=cast.supervisor, version=record.version_number)
    if not sign:
        record.refresh_from_db()
        return record
    for person in (cast.supervisor, cast.supervisee):
        record.refresh_from_db()
        services.record_sign(record=record, by=person, version=record.version_number)
    record.refresh_from_db()
    addendum = services.addendum_add(record=record, by=cast.supervisee, text=ADDENDUM)
    services.addendum_sign(addendum=addendum, by=cast.supervisor)
    disagreement = services.disagreement_raise(
        record=record, by=cast.supervisee, text=DISAGREEMENT, about="Workload"
    )
    assert disagreement.routed_to is not None
    services.disagreement_resolve(
        disagreement=disagreement, by=disagreement.routed_to, resolution=RESOLUTION
    )
    record.refresh_from_db()
    return record


def with_agreement(cast: Any) -> Any:
    """Sue and Sam's signed agreement: records started from now on carry it."""
    return signed_agreement(line_of(cast.supervisee))


# The printable page


def test_print_shows_the_whole_record_to_each_party(cast):
    record = full_record(cast)
    url = reverse("record-print", args=[record.pk])
    for who in ("supervisee", "supervisor"):
        response = client_for(cast, who).get(url)
        assert response.status_code == 200
        text = page_text(response)
        for words in (
            "Riverside Council",
            "Sue Supervisee",
            "Sam Supervisor",
            f"{record.held_on.day} {record.held_on:%B %Y}",
            "Agreed and signed by both",
            "Performance and workload",
            PERFORMANCE,
            "Caseload",
            "Talked through the eighteen cases.",
            f"Case {CASE}: Sibling group",
            DISCUSSION,
            DECISION,
            RATIONALE,
            "Book the review meeting",
            "Overdue",
            ADDENDUM,
            DISAGREEMENT,
            RESOLUTION,
            "Signed by Sue Supervisee (Supervisee)",
            "Signed by Sam Supervisor (Supervisor)",
            WELFARE,
        ):
            assert words in text, f"{who} does not see {words!r}"
    signature_hash = record.signatures.first().content_hash
    assert signature_hash[:12] in text
    event = AuditEvent.objects.filter(action="record.view", object_id=str(record.pk)).latest("pk")
    assert event.detail["how"] == "print"
    assert "welfare" in event.detail["parts"]
    assert event.actor == cast.supervisor.user


@pytest.mark.parametrize("who", ["manager", "head_of_service", "director"])
def test_print_for_managers_up_the_chain_leaves_out_the_welfare_section(cast, who):
    record = full_record(cast)
    response = client_for(cast, who).get(reverse("record-print", args=[record.pk]))
    assert response.status_code == 200
    text = page_text(response)
    assert PERFORMANCE in text and DECISION in text and RESOLUTION in text
    assert "welfare and support section is restricted" in text
    for word in WELFARE_WORDS:
        assert word not in text
    event = AuditEvent.objects.filter(action="record.view").latest("pk")
    assert event.actor == getattr(cast, who).user
    assert "welfare" not in event.detail["parts"]


def test_print_after_break_glass_includes_the_welfare_section(cast):
    record = full_record(cast)
    services.welfare_open(record=record, by=cast.manager, reason="A grievance was raised today")
    text = page_text(client_for(cast, "manager").get(reverse("record-print", args=[record.pk])))
    assert WELFARE in text
    assert "opened by break-glass" in text
    # Sue sees who opened it, and why.
    sue = page_text(client_for(cast, "supervisee").get(reverse("record-print", args=[record.pk])))
    assert "Mia Manager" in sue and "A grievance was raised today" in sue


@pytest.mark.parametrize("who", ["colleague", "admin", "outsider"])
def test_print_and_pdf_are_not_found_for_anyone_else(cast, who):
    record = full_record(cast, sign=False)
    client = client_for(cast, who)
    for name in ("record-print", "record-pdf"):
        assert client.get(reverse(name, args=[record.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action="record.view").exists()


def test_print_sends_someone_signed_out_to_sign_in(cast):
    record = full_record(cast, sign=False)
    response = Client().get(reverse("record-print", args=[record.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_named_readers_see_what_the_agreement_allows(cast):
    agreement = with_agreement(cast)
    record = full_record(cast)
    assert record.agreement_id == agreement.pk
    services.record_viewer_add(
        agreement=agreement, person=cast.colleague, scope=ViewerScope.CASES, by=cast.supervisee
    )
    services.record_viewer_add(
        agreement=agreement,
        person=cast.admin,
        scope=ViewerScope.WITHOUT_WELFARE,
        by=cast.supervisee,
    )
    url = reverse("record-print", args=[record.pk])

    cases_only = page_text(client_for(cast, "colleague").get(url))
    assert DECISION in cases_only and CASE in cases_only
    for hidden in (PERFORMANCE, "Book the review meeting", ADDENDUM, DISAGREEMENT, *WELFARE_WORDS):
        assert hidden not in cases_only
    assert "case discussions and decisions of this supervision only" in cases_only

    without_welfare = page_text(client_for(cast, "admin").get(url))
    assert PERFORMANCE in without_welfare and DECISION in without_welfare
    for word in WELFARE_WORDS:
        assert word not in without_welfare


def test_print_of_a_draft_says_it_is_a_draft(cast):
    record = draft_record(cast)
    write(record)
    text = page_text(client_for(cast, "supervisor").get(reverse("record-print", args=[record.pk])))
    assert "This record is a draft" in text
    assert "Caseload of 18; two visits overdue." in text


# The PDF


def test_pdf_carries_the_record_and_both_signatures(cast):
    record = full_record(cast)
    response = client_for(cast, "supervisee").get(reverse("record-pdf", args=[record.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "supervision-record-sue-supervisee" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    flat = squash(pdf_text(response.content))
    held = f"{record.held_on.day} {record.held_on:%B %Y}"
    for words in (
        "Riverside Council",
        "Supervision record",
        "Sue Supervisee",
        "Sam Supervisor",
        held,
        "Agreed and signed by both",
        PERFORMANCE,
        "Talked through the eighteen cases.",
        DECISION,
        RATIONALE,
        "Book the review meeting",
        ADDENDUM,
        DISAGREEMENT,
        RESOLUTION,
        "Signed by Sue Supervisee (Supervisee)",
        "Signed by Sam Supervisor (Supervisor)",
        record.signatures.first().content_hash[:12],
        WELFARE,
        "Page 1 of",
    ):
        assert squash(words) in flat, f"The PDF does not show {words!r}"
    event = AuditEvent.objects.filter(action="record.view").latest("pk")
    assert event.detail["how"] == "pdf"
    assert event.actor == cast.supervisee.user


def test_a_managers_pdf_has_no_welfare_section(cast):
    record = full_record(cast)
    response = client_for(cast, "manager").get(reverse("record-pdf", args=[record.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert squash(PERFORMANCE) in squash(text)
    for word in WELFARE_WORDS:
        assert word not in text


# Case decisions


def decisions_url(reference: str, how: str = "") -> str:
    url = f"{reverse('case-decisions')}?case_reference={reference}"
    return f"{url}&format={how}" if how else url


def test_case_decisions_page_asks_for_a_reference_in_the_right_format(cast):
    client = client_for(cast, "supervisor")
    first = client.get(reverse("case-decisions"))
    assert first.status_code == 200
    assert "Case reference" in page_text(first)
    for bad, message in (
        ("", "Enter the case reference."),
        ("Hartley family", "Enter a case reference like CF-204981"),
        ("ABC", "Enter a case reference like CF-204981"),
    ):
        response = client.get(decisions_url(bad))
        assert response.status_code == 400
        assert message in page_text(response)
        assert "There is a problem" in page_text(response)
        # What was typed stays in the box.
        assert f'value="{html.escape(bad)}"' in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="case_decisions").exists()


def test_case_decisions_lists_decisions_from_shared_records_only(cast):
    full_record(cast)
    draft = draft_record(cast, on=timezone.localdate() - datetime.timedelta(days=3))
    write(
        draft,
        cases=[
            {
                "case_reference": CASE,
                "decision": "A draft decision",
                "rationale": "Not yet agreed",
            }
        ],
    )
    response = client_for(cast, "supervisor").get(decisions_url(CASE.lower()))
    assert response.status_code == 200
    text = page_text(response)
    assert "Supervision decision" in text
    assert DECISION in text and RATIONALE in text
    assert "A draft decision" not in text
    assert DISCUSSION not in text
    event = AuditEvent.objects.get(action="case_decisions.view")
    assert event.detail["case_reference"] == CASE


def test_case_decision_csv_is_marked_and_never_carries_welfare(cast):
    record = full_record(cast)
    response = client_for(cast, "supervisee").get(decisions_url(CASE, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows == [
        {
            "Kind": "Supervision decision",
            "Date of supervision": record.held_on.isoformat(),
            "Case reference": CASE,
            "Label": "Sibling group",
            "Decision": DECISION,
            "Rationale": RATIONALE,
            "Supervisor": "Sam Supervisor",
            "Supervisee": "Sue Supervisee",
            "Record status": "Agreed and signed by both",
        }
    ]
    for word in (*WELFARE_WORDS, DISCUSSION):
        assert word not in body
    event = AuditEvent.objects.get(action="case_decisions.export")
    assert event.detail == {
        "case_reference": CASE,
        "format": "csv",
        "decisions": 1,
        "records": [record.pk],
    }
    assert event.actor == cast.supervisee.user


def test_case_decision_csv_cells_are_never_spreadsheet_formulas(cast):
    full_record(
        cast,
        sign=False,
        cases=[{"case_reference": CASE, "decision": "=HYPERLINK(1)", "rationale": "+1 and more"}],
    )
    body = client_for(cast, "supervisor").get(decisions_url(CASE, "csv")).content.decode()
    row = next(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert row["Decision"] == "'=HYPERLINK(1)"
    assert row["Rationale"] == "'+1 and more"
    assert row["Record status"] == "Shared, awaiting signatures"


def test_case_decision_pdf_is_marked_and_never_carries_welfare(cast):
    full_record(cast)
    response = client_for(cast, "manager").get(decisions_url(CASE, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = squash(text)
    for words in (
        "Supervision decision",
        f"Supervision decisions for case {CASE}",
        DECISION,
        RATIONALE,
        "Sam Supervisor",
        "Sue Supervisee",
        "Agreed and signed by both",
        "Riverside Council",
    ):
        assert squash(words) in flat, f"The PDF does not show {words!r}"
    for word in (*WELFARE_WORDS, "Quixotic"):
        assert word not in text
    # The decision itself is headed with the mark, not only the document.
    lines = [
        line.strip()
        for page in PdfReader(io.BytesIO(response.content)).pages
        for line in (page.extract_text() or "").splitlines()
    ]
    assert lines.count("Supervision decision") == 1
    assert AuditEvent.objects.get(action="case_decisions.export").detail["format"] == "pdf"


@pytest.mark.parametrize("who", ["colleague", "admin", "outsider"])
def test_case_decisions_of_records_someone_may_not_read_are_not_found(cast, who):
    full_record(cast)
    client = client_for(cast, who)
    page = client.get(decisions_url(CASE))
    assert page.status_code == 200
    assert DECISION not in page_text(page)
    assert "No decisions about case" in page_text(page)
    body = client.get(decisions_url(CASE, "csv")).content.decode("utf-8-sig")
    assert DECISION not in body
    assert len(list(csv.reader(io.StringIO(body)))) == 1  # the header row alone


def test_case_decisions_cost_the_same_queries_however_many(cast, django_assert_max_num_queries):
    full_record(cast, sign=False)
    client = client_for(cast, "supervisor")
    client.get(decisions_url(CASE))  # warm the session and the permission caches

    def queries(how: str = "") -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(decisions_url(CASE, how)).status_code == 200
        return len(captured)

    few = (queries(), queries("csv"))
    for days in (20, 40, 60, 80):
        full_record(cast, days_ago=days, sign=False)
    assert (queries(), queries("csv")) == few
    with django_assert_max_num_queries(12):
        client.get(decisions_url(CASE))


# Actions


def test_actions_lists_my_open_actions_overdue_first(cast):
    full_record(cast)
    for who in ("supervisee", "supervisor"):
        response = client_for(cast, who).get(reverse("actions"))
        assert response.status_code == 200
        text = page_text(response)
        overdue, later = text.index("Book the review meeting"), text.index("Read the neglect")
        assert overdue < later
        assert text.count("Overdue") >= 1
        assert "Mark as done" in text


@pytest.mark.parametrize("who", ["manager", "colleague", "outsider"])
def test_actions_list_shows_nobody_elses_actions(cast, who):
    full_record(cast)
    text = page_text(client_for(cast, who).get(reverse("actions")))
    assert "Book the review meeting" not in text
    assert "You have no open actions." in text


def test_owner_marks_an_action_done_and_opens_it_again(cast):
    record = full_record(cast)
    action = Action.objects.get(record=record, text="Book the review meeting")
    client = client_for(cast, "supervisee")
    url = reverse("action-status", args=[action.pk])
    response = client.post(url, {"status": "done", "next": reverse("actions")}, follow=True)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert "“Book the review meeting” marked as done." in page_text(response)
    assert "Book the review meeting" not in page_text(client.get(reverse("actions")))
    closed = page_text(client.get(reverse("actions") + "?show=closed"))
    assert "Book the review meeting" in closed and "Open again" in closed
    assert AuditEvent.objects.filter(action="action.status").count() == 1

    client.post(url, {"status": "open"})
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_other_party_may_drop_an_action_and_bad_input_changes_nothing(cast):
    record = full_record(cast)
    action = Action.objects.get(record=record, text="Book the review meeting")
    client = client_for(cast, "supervisor")
    url = reverse("action-status", args=[action.pk])
    response = client.post(url, {"status": "finished"}, follow=True)
    assert "Choose open, done or no longer needed." in page_text(response)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    # A next address off the site is ignored.
    response = client.post(url, {"status": "dropped", "next": "https://evil.example/"})
    assert response["Location"] == reverse("actions")
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED
    assert client.get(url).status_code == 405


@pytest.mark.parametrize(
    ("who", "status"),
    [("manager", 403), ("head_of_service", 403), ("colleague", 404), ("outsider", 404)],
)
def test_only_the_people_in_the_supervision_change_an_action(cast, who, status):
    record = full_record(cast)
    action = Action.objects.get(record=record, text="Book the review meeting")
    response = client_for(cast, who).post(
        reverse("action-status", args=[action.pk]), {"status": "done"}
    )
    assert response.status_code == status
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_actions_list_costs_the_same_queries_however_many(cast, django_assert_max_num_queries):
    full_record(cast, sign=False)
    client = client_for(cast, "supervisee")
    client.get(reverse("actions"))
    with django_assert_max_num_queries(8 + row_security_queries()) as few:
        client.get(reverse("actions"))
    for days in (20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240, 260, 280):
        full_record(cast, days_ago=days, sign=False)
    assert Action.objects.count() == 30  # more than a page
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("actions"))
    assert "Next" in page_text(response)


# Others who may see the record


def test_a_party_names_and_removes_someone_who_may_see_the_records(cast):
    agreement = with_agreement(cast)
    client = client_for(cast, "supervisee")
    url = reverse("agreement-record-viewers", args=[agreement.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "No one else is named." in page_text(page)

    found = page_text(client.get(url + "?q=Cole"))
    assert "Cole Colleague" in found
    # The two parties are never offered.
    assert "Sam Supervisor," not in page_text(client.get(url + "?q=Sam"))

    response = client.post(
        url, {"q": "Cole", "person": cast.colleague.pk, "scope": ViewerScope.CASES}, follow=True
    )
    assert "Cole Colleague may now see case discussions and decisions only." in page_text(response)
    viewer = RecordViewer.objects.get(agreement=agreement)
    assert (viewer.person, viewer.scope) == (cast.colleague, ViewerScope.CASES)
    assert AuditEvent.objects.filter(action="record_viewer.add").count() == 1

    # On the agreement's page too.
    agreement_page = page_text(client.get(reverse("agreement", args=[agreement.pk])))
    assert "Others who may see the record" in agreement_page
    assert "Cole Colleague: case discussions and decisions only" in agreement_page
    assert "Change who else may see the record" in agreement_page

    removed = client.post(
        reverse("agreement-record-viewer-remove", args=[agreement.pk, viewer.pk]), follow=True
    )
    assert "Cole Colleague no longer sees the records of this supervision." in page_text(removed)
    assert not RecordViewer.objects.exists()


def test_naming_someone_without_choosing_shows_errors_and_keeps_the_search(cast):
    agreement = with_agreement(cast)
    client = client_for(cast, "supervisor")
    url = reverse("agreement-record-viewers", args=[agreement.pk])
    response = client.post(url, {"q": "Cole"})
    assert response.status_code == 400
    text = page_text(response)
    assert "There is a problem" in text
    assert "Search for the person, then choose them." in text
    assert "Choose what they may see." in text
    assert "Cole Colleague" in text  # the search results are still there
    # Someone from another organisation, or a party, is not a choice.
    for person in (cast.outsider, cast.supervisee):
        response = client.post(url, {"person": person.pk, "scope": ViewerScope.CASES})
        assert response.status_code == 400
        assert "Choose someone from the search results." in page_text(response)
    services.record_viewer_add(
        agreement=agreement, person=cast.admin, scope=ViewerScope.CASES, by=cast.supervisor
    )
    response = client.post(url, {"person": cast.admin.pk, "scope": ViewerScope.CASES})
    assert response.status_code == 400
    assert "Ann Admin is already named." in page_text(response)
    assert RecordViewer.objects.count() == 1


def test_those_who_see_the_agreement_see_the_list_but_only_parties_change_it(cast):
    agreement = with_agreement(cast)
    viewer = services.record_viewer_add(
        agreement=agreement, person=cast.colleague, scope=ViewerScope.CASES, by=cast.supervisor
    )
    url = reverse("agreement-record-viewers", args=[agreement.pk])
    remove = reverse("agreement-record-viewer-remove", args=[agreement.pk, viewer.pk])
    manager = client_for(cast, "manager")
    page = manager.get(url)
    assert page.status_code == 200
    assert "Cole Colleague" in page_text(page)
    assert "Name them" not in page_text(page)
    assert manager.post(url, {"person": cast.admin.pk, "scope": "cases"}).status_code == 403
    assert manager.post(remove).status_code == 403
    for who in ("colleague", "outsider"):
        client = client_for(cast, who)
        assert client.get(url).status_code == 404
        assert client.post(remove).status_code == 404
    assert RecordViewer.objects.count() == 1
