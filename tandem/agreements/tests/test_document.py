"""The agreement as a document: every answer as text, the printable page and the PDF.

The PDF test fills in every field of the school's built-in template, has both parties sign, and
reads the PDF's text layer back with pypdf: every answer, both names, both signature lines with
their dates and every heading must be there.
"""

from __future__ import annotations

import datetime
import io
import re
import time
import unicodedata
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from pypdf import PdfReader

from config import urls as config_urls
from tandem.agreements import services
from tandem.agreements.content import DERIVED_TYPES, headings, iter_fields
from tandem.agreements.document import (
    MANAGERS_RULE,
    NOT_FILLED_IN,
    display_value,
    document_context,
    format_date,
    term_blocks,
)
from tandem.agreements.models import Agreement, AgreementTemplate, AgreementVersion
from tandem.agreements.pdf import agreement_pdf, agreement_pdf_filename
from tandem.organisations.models import SupervisionRelationship

SCHOOL = "school-staff-supervision-agreement"
COUNCIL = "council-supervision-contract"


# agreement_sign links its notice to the agreement's page. Until the app's own views are routed,
# these tests point that name at a stub; once "agreement" resolves, the fixture does nothing.
def _agreement_page(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse()


urlpatterns = [
    *config_urls.urlpatterns,
    path("agreements/<int:pk>/", _agreement_page, name="agreement"),
]


@pytest.fixture(autouse=True)
def agreement_url(settings: Any) -> None:
    try:
        reverse("agreement", args=[1])
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__


# Filling in a template


def answer(field: dict[str, Any]) -> tuple[Any, list[str]]:
    """A plausible answer for the field, and the text the document must show for it."""
    key, kind = field["key"], field["type"]
    text = f"Answer for {key}."
    if kind == "text":
        return text, [text]
    if kind == "long_text":
        second = f"Second paragraph for {key}."
        return f"{text}\n\n{second}", [text, second]
    if kind == "location":
        return f"{text} Room 4, Civic Centre", [f"{text} Room 4, Civic Centre"]
    if kind == "choice":
        first = field["choices"][0]
        return first, [str(first)]
    if kind == "multi_choice":
        return field["choices"][:2], [str(choice) for choice in field["choices"][:2]]
    if kind == "yes_no":
        return True, ["Yes"]
    if kind == "number":
        return 7, ["7"]
    if kind == "date":
        return "2026-12-07", ["7 December 2026"]
    if kind == "frequency":
        # Sue is an NQSW in her first months: nothing less often than weekly passes the policy.
        return "weekly", ["Weekly"]
    if kind == "duration":
        return {"min": 90, "max": 120}, ["At least 90 minutes, at most 120 minutes"]
    if kind == "list":
        rows = [
            {"Month": "December", "Date": "2026-12-07"},
            {"Month": "January", "Date": "2027-01-11"},
        ]
        return rows, ["December: 7 December 2026", "January: 11 January 2027"]
    if kind == "cancellation":
        return (
            {"rebook_within_working_days": 5, "terms": text},
            ["Re-book within 5 working days.", text],
        )
    if kind == "recording":
        return (
            {"recorder": "supervisor", "method": text},
            ["Recorded by: The supervisor", f"Method: {text}"],
        )
    if kind == "exceptions":
        return ["safeguarding", "health"], ["Safeguarding", "Health or fitness to practise"]
    raise AssertionError(f"No answer for a {kind} field ({key}).")


def fill(content: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Answers for every field Tandem does not fill in itself, and the text each must show."""
    responses, expected = {}, {}
    for _section, field in iter_fields(content):
        if field["type"] in DERIVED_TYPES:
            continue
        responses[field["key"]], expected[field["key"]] = answer(field)
    return responses, expected


def latest(slug: str) -> Any:
    return AgreementTemplate.objects.get(slug=slug).versions.order_by("-number").first()


def start(cast: Any, slug: str) -> tuple[Agreement, dict[str, list[str]]]:
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisee)
    template_version = latest(slug)
    agreement = services.agreement_start(
        relationship=relationship, template_version=template_version, by=cast.supervisor
    )
    responses, expected = fill(template_version.content)
    services.agreement_save(agreement=agreement, responses=responses, by=cast.supervisee)
    return agreement, expected


def sign(agreement: Agreement, *people: Any) -> None:
    for person in people:
        services.agreement_sign(
            agreement=agreement,
            person=person,
            content_hash=services.current_version(agreement).content_hash,
        )


def squash(text: str) -> str:
    """Text without any whitespace, for comparing with a PDF's text layer, which breaks lines
    wherever the layout did."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


# The PDF


def test_pdf_of_a_signed_school_agreement_carries_every_field_and_both_signatures(
    cast: Any,
) -> None:
    agreement, expected = start(cast, SCHOOL)
    sign(agreement, cast.supervisee, cast.supervisor)
    agreement.refresh_from_db()
    assert agreement.status == "active"

    began = time.perf_counter()
    pdf = agreement_pdf(agreement)
    seconds = time.perf_counter() - began
    print(f"\nOne agreement PDF: {seconds:.2f}s, {len(pdf):,} bytes")

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    flat = squash(text)

    def assert_shows(wanted: str) -> None:
        assert squash(wanted) in flat, f"The PDF does not show {wanted!r}"

    for lines in expected.values():
        for line in lines:
            assert_shows(line)
    content = latest(SCHOOL).content
    for heading in headings(content):
        assert_shows(heading)
    today = format_date(timezone.localdate())
    for name, role in (("Sue Supervisee", "Supervisee"), ("Sam Supervisor", "Supervisor")):
        assert_shows(name)
        assert_shows(f"Signed by {name} ({role}) on {today}")
    # The escalation route, from Sue's chain.
    assert_shows("1. Supervisor: Sam Supervisor")
    assert_shows("2. Team manager: Mia Manager")
    version = services.current_version(agreement)
    assert_shows(version.content_hash)
    assert_shows(f"Review due on {format_date(agreement.review_due_on)}")
    assert_shows("Riverside Council")
    assert_shows("Page 1 of")
    assert NOT_FILLED_IN not in text


def test_pdf_of_an_unsigned_agreement_says_so(cast: Any) -> None:
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisee)
    agreement = services.agreement_start(
        relationship=relationship, template_version=latest(COUNCIL), by=cast.supervisor
    )
    flat = squash(pdf_text(agreement_pdf(agreement)))
    assert squash("Sue Supervisee (Supervisee): Not signed yet") in flat
    assert squash("Sam Supervisor (Supervisor): Not signed yet") in flat
    assert squash(NOT_FILLED_IN) in flat
    assert squash("The review date is set when both have signed") in flat
    assert agreement_pdf_filename(agreement) == "supervision-agreement-sue-supervisee-v1.pdf"


# The document's context


def test_document_context_of_a_council_contract(cast: Any) -> None:
    agreement, expected = start(cast, COUNCIL)
    sign(agreement, cast.supervisee)
    agreement.refresh_from_db()
    context = document_context(agreement)

    assert context["title"] == "Supervision contract"
    assert context["organisation_name"] == "Riverside Council"
    assert context["parties"]["supervisee"]["name"] == "Sue Supervisee"
    assert context["parties"]["supervisor"]["name"] == "Sam Supervisor"
    assert context["status"] == "Awaiting signatures"
    version = services.current_version(agreement)
    assert context["version_number"] == version.number
    assert context["content_hash"] == version.content_hash
    assert context["short_hash"] == version.content_hash[:12]
    assert context["template_name"] == "Supervision contract (council children's services)"
    assert context["template_version_number"] == latest(COUNCIL).number

    content = latest(COUNCIL).content
    assert [s["heading"] for s in context["sections"]] == [
        s["heading"] for s in content["sections"]
    ]
    fields = {f["key"]: f for s in context["sections"] for f in s["fields"]}
    for key, lines in expected.items():
        assert fields[key]["lines"] == lines, key
    assert fields["supervisee"]["lines"] == ["Sue Supervisee"]
    assert fields["supervisor"]["lines"] == ["Sam Supervisor"]
    assert fields["frequency"]["lines"] == ["Weekly"]
    assert fields["duration"]["lines"] == ["At least 90 minutes, at most 120 minutes"]
    assert fields["escalation"]["lines"] == [
        "1. Supervisor: Sam Supervisor",
        "2. Team manager: Mia Manager",
        "3. Head of service: Hal Service",
        "4. Assistant director: Ada Director",
    ]
    # "Any other issues" is both the section and its one field: the label is not repeated.
    assert fields["other_issues"]["show_label"] is False
    assert fields["workload"]["show_label"] is True

    sections = {s["key"]: s for s in context["sections"]}
    assert sections["parties_to_the_contract"]["signatures_here"]
    assert sections["review"]["review_here"]
    assert sum(s["signatures_here"] for s in context["sections"]) == 1
    mandate = sections["mandate"]["terms"][0]["blocks"]
    assert [block["kind"] for block in mandate] == ["paragraph", "bullets"]
    assert mandate[1]["own_markers"] is True  # "a) ...", "b) ...": no bullets as well
    assert len(mandate[1]["items"]) == 5
    # "1. Performance Management discussions": numbered by the form already.
    assert sections["meeting_content"]["numbered_terms"] is False

    supervisee_signature, supervisor_signature = context["signatures"]
    assert supervisee_signature["role"] == "Supervisee"
    assert supervisee_signature["signed"] is True
    assert supervisee_signature["content_hash"] == version.content_hash
    assert supervisee_signature["matches_version"] is True
    assert supervisee_signature["text"] == (
        f"Signed by Sue Supervisee (Supervisee) on {format_date(timezone.localdate())} "
        f"at {supervisee_signature['signed_time']}"
    )
    assert supervisor_signature["signed"] is False
    assert supervisor_signature["text"] == "Sam Supervisor (Supervisor): Not signed yet"
    assert context["review_due_on"] == ""
    assert context["fully_signed"] is False


def test_school_terms_are_numbered_and_signatures_sit_under_signed(cast: Any) -> None:
    agreement, _expected = start(cast, SCHOOL)
    sections = {s["key"]: s for s in document_context(agreement)["sections"]}
    assert sections["terms"]["numbered_terms"] is True  # "term 8 (Recording)"
    assert [t["heading"] for t in sections["terms"]["terms"]][7] == "Recording"
    assert sections["objectives"]["numbered_terms"] is False  # under their own heading
    assert sections["signed"]["signatures_here"] is True
    # The school's form has no review section: the review date follows the last section.
    assert list(sections)[-1] == "review"
    assert sections["review"]["review_here"] is True


def test_an_earlier_version_shows_what_was_signed_then(cast: Any) -> None:
    agreement, _expected = start(cast, SCHOOL)
    sign(agreement, cast.supervisee, cast.supervisor)
    first = services.current_version(agreement)
    responses = {**first.responses, "purpose": "A changed purpose."}
    services.agreement_save(agreement=agreement, responses=responses, by=cast.supervisor)
    agreement.refresh_from_db()

    current = document_context(agreement)
    assert current["version_number"] == 2
    assert current["fully_signed"] is False
    assert current["status"] == "Draft"

    earlier = document_context(agreement, first)
    assert earlier["version_number"] == 1
    assert earlier["is_current_version"] is False
    assert earlier["fully_signed"] is True
    assert earlier["content_hash"] == first.content_hash
    purpose = next(f for s in earlier["sections"] for f in s["fields"] if f["key"] == "purpose")
    assert purpose["lines"] == ["Answer for purpose.", "Second paragraph for purpose."]
    html = render_to_string("agreements/document.html", earlier)
    assert "Version 2 has replaced it." in html
    assert "the review date is on version 2" in html
    assert "Set when both have signed" not in html


def test_the_document_is_standalone(cast: Any) -> None:
    agreement, _expected = start(cast, SCHOOL)
    html = render_to_string("agreements/document.html", document_context(agreement))
    assert "<script" not in html
    assert "<link" not in html
    assert "transport" not in html.lower()
    assert "@font-face" not in html
    assert 'counter(page) " of " counter(pages)' in html
    assert "@page" in html and "size: A4" in html
    assert "govuk" not in html


def test_answers_are_escaped(cast: Any) -> None:
    agreement, _expected = start(cast, SCHOOL)
    version = services.current_version(agreement)
    responses = {**version.responses, "purpose": '<img src="file:///etc/passwd"> & more'}
    services.agreement_save(agreement=agreement, responses=responses, by=cast.supervisor)
    html = render_to_string("agreements/document.html", document_context(agreement))
    assert "<img" not in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt; &amp; more" in html
    assert squash("<img src=") in squash(pdf_text(agreement_pdf(agreement)))


# Each type of answer


FIELDS: list[tuple[dict[str, Any], Any, list[str]]] = [
    ({"type": "text"}, "  A line  ", ["A line"]),
    ({"type": "text"}, "", [NOT_FILLED_IN]),
    ({"type": "long_text"}, "One.\nStill one.\n\n\nTwo.", ["One.\nStill one.", "Two."]),
    ({"type": "long_text"}, "  \n ", [NOT_FILLED_IN]),
    ({"type": "choice", "choices": ["Tea", "Coffee"]}, "Coffee", ["Coffee"]),
    ({"type": "choice", "choices": [["t", "Tea"], ["c", "Coffee"]]}, "c", ["Coffee"]),
    ({"type": "choice", "choices": [{"value": "t", "label": "Tea"}]}, "t", ["Tea"]),
    (
        {"type": "multi_choice", "choices": [["t", "Tea"], ["c", "Coffee"]]},
        ["t", "c"],
        ["Tea", "Coffee"],
    ),
    ({"type": "multi_choice", "choices": ["Tea"]}, [], [NOT_FILLED_IN]),
    ({"type": "yes_no"}, True, ["Yes"]),
    ({"type": "yes_no"}, False, ["No"]),
    ({"type": "yes_no"}, None, [NOT_FILLED_IN]),
    ({"type": "number"}, 0, ["0"]),
    ({"type": "number"}, 1200, ["1,200"]),
    ({"type": "date"}, "2026-09-07", ["7 September 2026"]),
    ({"type": "date"}, datetime.date(2027, 1, 1), ["1 January 2027"]),
    ({"type": "frequency"}, "six_weekly", ["Every 6 weeks"]),
    ({"type": "frequency"}, "", [NOT_FILLED_IN]),
    ({"type": "duration"}, {"min": 60, "max": 120}, ["At least 60 minutes, at most 120 minutes"]),
    ({"type": "duration"}, {"min": 60, "max": 60}, ["60 minutes"]),
    ({"type": "duration"}, {"min": 60, "max": None}, ["At least 60 minutes"]),
    ({"type": "duration"}, {"min": None, "max": None}, [NOT_FILLED_IN]),
    ({"type": "location"}, "Room 4", ["Room 4"]),
    (
        {"type": "list", "columns": ["Month", "Date"]},
        [{"month": "September", "date": "2026-09-07"}, {"Month": "", "Date": ""}],
        ["September: 7 September 2026"],
    ),
    (
        {"type": "list", "columns": ["Month", "Date"]},
        [["October", "2026-10-05"]],
        ["October: 5 October 2026"],
    ),
    ({"type": "list", "columns": ["Month", "Date"]}, [], [NOT_FILLED_IN]),
    (
        {"type": "cancellation"},
        {"rebook_within_working_days": 5, "terms": "Whoever cancels re-books."},
        ["Re-book within 5 working days.", "Whoever cancels re-books."],
    ),
    (
        {"type": "cancellation"},
        {"rebook_within_working_days": 1, "terms": ""},
        ["Re-book within 1 working day."],
    ),
    ({"type": "cancellation"}, {"rebook_within_working_days": None, "terms": ""}, [NOT_FILLED_IN]),
    (
        {"type": "recording"},
        {"recorder": "both", "method": "Typed notes."},
        ["Recorded by: Both, taking turns", "Method: Typed notes."],
    ),
    ({"type": "exceptions"}, ["safeguarding", "conduct"], ["Safeguarding", "Conduct"]),
    ({"type": "exceptions"}, [], [NOT_FILLED_IN]),
]


@pytest.mark.parametrize(("field", "value", "lines"), FIELDS)
def test_display_value(field: dict[str, Any], value: Any, lines: list[str]) -> None:
    assert display_value(field, value, agreement=None, version=None) == lines  # type: ignore[arg-type]


def test_display_value_of_the_derived_fields(cast: Any) -> None:
    agreement, _expected = start(cast, COUNCIL)
    version = services.current_version(agreement)
    assert isinstance(version, AgreementVersion)

    def show(field: dict[str, Any]) -> list[str]:
        return display_value(field, None, agreement=agreement, version=version)

    assert show({"type": "person", "party": "supervisee"}) == ["Sue Supervisee"]
    assert show({"type": "person", "party": "supervisor"}) == ["Sam Supervisor"]
    chain = [
        "1. Supervisor: Sam Supervisor",
        "2. Team manager: Mia Manager",
        "3. Head of service: Hal Service",
        "4. Assistant director: Ada Director",
    ]
    assert show({"type": "escalation", "hint": ""}) == chain
    hint = "Between managers: the head of service, then the assistant director."
    assert show({"type": "escalation", "hint": hint}) == [*chain, MANAGERS_RULE]


def test_term_blocks() -> None:
    assert term_blocks("To include:\n- One\n- Two\n\nAfter.") == [
        {"kind": "paragraph", "text": "To include:"},
        {"kind": "bullets", "items": ["One", "Two"], "own_markers": False},
        {"kind": "paragraph", "text": "After."},
    ]
    assert term_blocks("- a) First\n- b) Second")[0]["own_markers"] is True
