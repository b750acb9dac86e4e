"""A record as a document, and case decisions as rows for the case file: the context the
printable page and the PDF (``records/print.html``) are rendered from, and the columns of the
case decision exports.

Nothing here writes, and nothing here decides who reads what: each function is given the
reader's ``Access`` (``selectors.record_access``) and leaves out what it does not allow. The
welfare section is loaded only for a reader who may read it; a reader named for case
discussions gets those and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.document import format_date, format_time, paragraphs
from tandem.core.downloads import csv_text
from tandem.meetings.models import AgendaItem

from . import layout as layouts
from .models import (
    Action,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    Disagreement,
    GroupCaseDiscussion,
    Record,
    RecordSignature,
    RecordStatus,
    SignatureRole,
    WelfareAccess,
)
from .selectors import Access, Level, current_version

SHORT_HASH_LENGTH = 12
NOTHING_RECORDED = "Nothing recorded"
# What every exported decision is marked as, for the case file.
DECISION_MARK = "Supervision decision"
GROUP_DECISION_MARK = "Group supervision decision"


def _person_line(person: Any) -> dict[str, str]:
    return {"name": person.full_name, "job_title": person.job_title}


def _signatures(record: Record, current_number: int) -> list[dict[str, Any]]:
    """Each version's signatures, newest version first: who, as what, when, and the start of
    the fingerprint they signed. One query."""
    by_version: dict[int, list[dict[str, Any]]] = {}
    for signature in (
        RecordSignature.objects.filter(record=record)
        .select_related("person")
        .annotate(number=F("version__number"))
        .order_by("signed_at", "id")
    ):
        by_version.setdefault(signature.number, []).append(
            {
                "name": signature.person.full_name,
                "role": signature.get_role_display(),
                "role_value": signature.role,
                "signed_on": format_date(signature.signed_at),
                "signed_time": format_time(signature.signed_at),
                "short_hash": signature.content_hash[:SHORT_HASH_LENGTH],
            }
        )
    return [
        {"number": number, "is_current": number == current_number, "signatures": entries}
        for number, entries in sorted(by_version.items(), reverse=True)
    ]


def _awaiting(record: Record, signed: list[dict[str, Any]]) -> list[str]:
    """Who has yet to sign the current version of a shared record."""
    if record.status != RecordStatus.SHARED:
        return []
    current = next((entry for entry in signed if entry["is_current"]), None)
    roles = {s["role_value"] for s in current["signatures"]} if current else set()
    waiting = []
    if SignatureRole.SUPERVISEE not in roles:
        waiting.append(f"{record.supervisee.full_name} (Supervisee)")
    if SignatureRole.SUPERVISOR not in roles:
        waiting.append(f"{record.supervisor.full_name} (Supervisor)")
    return waiting


def _cases(record: Record, content: dict[str, Any]) -> list[dict[str, Any]]:
    prompts = record.layout.get("reflection", {}).get("prompts", [])
    cases = []
    for case in content.get("cases", []):
        reflection = case.get("reflection") or {}
        cases.append(
            {
                "case_reference": case.get("case_reference", ""),
                "label": case.get("label", ""),
                "discussion": paragraphs(case.get("discussion")),
                "reflection": [
                    {"label": prompt["label"], "text": paragraphs(reflection.get(prompt["key"]))}
                    for prompt in prompts
                    if reflection.get(prompt["key"])
                ],
                "decision": paragraphs(case.get("decision")),
                "rationale": paragraphs(case.get("rationale")),
            }
        )
    return cases


def _sections(record: Record, content: dict[str, Any], welfare: str | None) -> list[dict[str, Any]]:
    """The record's sections in its layout's order, with its layout's headings. The welfare
    section is there only when ``welfare`` is given (None: the reader may not read it)."""
    texts = content.get("sections", {})
    sections = []
    for section in record.layout.get("sections", []):
        key = section["key"]
        if key == layouts.WELFARE:
            if welfare is None:
                continue
            text = welfare
        else:
            text = texts.get(key, "")
        sections.append(
            {
                "key": key,
                "heading": section.get("heading") or layouts.section_heading(record.layout, key),
                "paragraphs": paragraphs(text),
                "restricted": key == layouts.WELFARE,
            }
        )
    return sections


def _agenda(record: Record, content: dict[str, Any]) -> list[dict[str, Any]]:
    notes = content.get("agenda", {})
    return [
        {"title": item.title, "notes": paragraphs(notes.get(str(item.pk)))}
        for item in AgendaItem.objects.filter(session_id=record.session_id).order_by(
            "created_at", "id"
        )
    ]


def _actions(record: Record) -> list[dict[str, Any]]:
    today = timezone.localdate()
    return [
        {
            "text": action.text,
            "owner": action.owner.full_name,
            "due_on": format_date(action.due_on),
            "status": action.get_status_display(),
            "status_value": action.status,
            "overdue": action.status == ActionStatus.OPEN and action.due_on < today,
            "case_reference": action.case_reference,
        }
        for action in Action.objects.filter(record=record)
        .select_related("owner")
        .order_by("position", "id")
    ]


def _addenda(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "number": addendum.number,
            "paragraphs": paragraphs(addendum.text),
            "written_by": addendum.written_by.full_name,
            "written_on": format_date(addendum.written_at),
            "supervisor_signed_on": format_date(addendum.supervisor_signed_at),
            "supervisee_signed_on": format_date(addendum.supervisee_signed_at),
            "is_signed": addendum.is_signed,
        }
        for addendum in Addendum.objects.filter(record=record)
        .select_related("written_by")
        .order_by("number")
    ]


def _disagreements(record: Record) -> list[dict[str, Any]]:
    return [
        {
            "kind": disagreement.get_kind_display(),
            "raised_by": disagreement.raised_by.full_name,
            "raised_on": format_date(disagreement.raised_at),
            "about": disagreement.about,
            "paragraphs": paragraphs(disagreement.text),
            "routed_to": disagreement.routed_to.full_name if disagreement.routed_to else "",
            "routed_as": disagreement.routed_as,
            "resolved": bool(disagreement.resolved_at),
            "resolution": paragraphs(disagreement.resolution),
            "resolved_by": disagreement.resolved_by.full_name if disagreement.resolved_by else "",
            "resolved_on": format_date(disagreement.resolved_at),
        }
        for disagreement in Disagreement.objects.filter(record=record)
        .select_related("raised_by", "routed_to", "resolved_by")
        .order_by("raised_at", "id")
    ]


def _welfare_openings(record: Record) -> list[dict[str, str]]:
    return [
        {
            "name": opened.person.full_name,
            "opened_on": format_date(opened.opened_at),
            "opened_time": format_time(opened.opened_at),
            "reason": opened.reason,
        }
        for opened in WelfareAccess.objects.filter(record=record)
        .select_related("person")
        .order_by("opened_at", "id")
    ]


def record_document(record: Record, access: Access) -> dict[str, Any]:
    """Everything ``records/print.html`` shows of this record to a reader with this access,
    and ``parts``: what it shows, for the audit of the read. At most nine queries."""
    assert access.can_read, "The views answer 404 to a reader without access."
    only_cases = access.level == Level.CASES
    reads_welfare = access.reads_welfare and not only_cases
    version = current_version(record, with_welfare=reads_welfare)
    content = version.content or {}
    supervisee, supervisor = _person_line(record.supervisee), _person_line(record.supervisor)
    context: dict[str, Any] = {
        "record": record,
        "access": access,
        "document_title": (
            f"Supervision record: {supervisee['name']} and {supervisor['name']}, "
            f"{format_date(record.held_on)}"
        ),
        "organisation_name": record.organisation.name,
        "parties": {"supervisee": supervisee, "supervisor": supervisor},
        "held_on": format_date(record.held_on),
        "due_on": format_date(record.due_on),
        "shared_on": format_date(record.shared_at),
        "signed_on": format_date(record.signed_at),
        "status": record.get_status_display(),
        "status_value": record.status,
        "is_draft": record.status == RecordStatus.DRAFT,
        "version_number": version.number,
        "short_hash": version.content_hash[:SHORT_HASH_LENGTH],
        "content_hash": version.content_hash,
        "saved_by": version.saved_by.full_name,
        "saved_on": format_date(version.saved_at),
        "only_cases": only_cases,
        "cases": _cases(record, content),
        "reflection_model": record.layout.get("reflection", {}).get("name", ""),
        "generated_on": format_date(timezone.localdate()),
        "generated_at": format_time(timezone.now()),
    }
    parts = ["cases"]
    if only_cases:
        context.update(sections=[], agenda=[], actions=[], addenda=[], disagreements=[])
        context.update(signed_versions=[], awaiting=[], welfare_restricted=False)
        context.update(welfare_openings=[], welfare_by_break_glass=False)
        context["parts"] = parts
        return context
    signed_versions = _signatures(record, version.number)
    context.update(
        sections=_sections(record, content, version.welfare if reads_welfare else None),
        agenda=_agenda(record, content),
        actions=_actions(record),
        addenda=_addenda(record),
        disagreements=_disagreements(record),
        signed_versions=signed_versions,
        awaiting=_awaiting(record, signed_versions),
        welfare_restricted=not reads_welfare,
        welfare_by_break_glass=reads_welfare and not access.is_party,
        welfare_heading=layouts.section_heading(record.layout, layouts.WELFARE),
        welfare_openings=(_welfare_openings(record) if access.reason == "supervisee" else []),
    )
    parts = ["sections", "agenda", *parts, "actions", "addenda", "disagreements"]
    if reads_welfare:
        parts.append("welfare")
    context["parts"] = parts
    return context


# Case decisions, for the case file


DECISION_COLUMNS = (
    ("kind", "Kind"),
    ("held_on", "Date of supervision"),
    ("case_reference", "Case reference"),
    ("label", "Label"),
    ("decision", "Decision"),
    ("rationale", "Rationale"),
    ("supervisor", "Supervisor"),
    ("supervisee", "Supervisee"),
    ("record_status", "Record status"),
)


def decision_rows(decisions: Iterable[CaseDiscussion]) -> list[dict[str, Any]]:
    """Each decision as the exports show it: marked a supervision decision, with its date,
    case, decision and rationale, the two people and whether the record is agreed yet. Only
    these fields: never the discussion, the reflection or anything of the welfare section."""
    return [
        {
            "kind": DECISION_MARK,
            "held_on": format_date(case.record.held_on),
            "held_on_iso": case.record.held_on.isoformat(),
            "case_reference": case.case_reference,
            "label": case.label,
            "decision": case.decision,
            "rationale": case.rationale,
            "supervisor": case.record.supervisor.full_name,
            "supervisee": case.record.supervisee.full_name,
            "record_status": case.record.get_status_display(),
            "record_id": case.record_id,
            "url": reverse("record", args=[case.record_id]),
        }
        for case in decisions
    ]


def group_decision_rows(decisions: Iterable[GroupCaseDiscussion]) -> list[dict[str, Any]]:
    """Decisions made in group supervision, as ``decision_rows`` shows them: the responsible
    supervisor, and the case holder where a one-to-one decision has the supervisee. A group
    record has no welfare section to leave out."""
    return [
        {
            "kind": GROUP_DECISION_MARK,
            "held_on": format_date(case.record.held_on),
            "held_on_iso": case.record.held_on.isoformat(),
            "case_reference": case.case_reference,
            "label": case.label,
            "decision": case.decision,
            "rationale": case.rationale,
            "supervisor": case.record.supervisor.full_name,
            "supervisee": case.case_holder.full_name,
            "record_status": case.record.get_status_display(),
            "record_id": case.record_id,
            "url": reverse("group-record", args=[case.record_id]),
        }
        for case in decisions
    ]


def merged_by_date(*row_lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of both kinds in the order the sessions were held (a stable sort)."""
    rows = [row for rows in row_lists for row in rows]
    return sorted(rows, key=lambda row: row["held_on_iso"])


def decisions_csv(rows: list[dict[str, Any]]) -> str:
    """The decisions as CSV, one per row, dates as YYYY-MM-DD so spreadsheets sort them."""
    return csv_text(
        [label for _key, label in DECISION_COLUMNS],
        (
            [{**row, "held_on": row["held_on_iso"]}[key] for key, _label in DECISION_COLUMNS]
            for row in rows
        ),
    )


def decisions_document(
    *, organisation_name: str, case_reference: str, rows: list[dict[str, Any]], person: Any
) -> dict[str, Any]:
    """The context of ``records/case_decisions_pdf.html``."""
    return {
        "organisation_name": organisation_name,
        "case_reference": case_reference,
        "document_title": f"Supervision decisions for case {case_reference}",
        "rows": [
            {
                **row,
                "decision_paragraphs": paragraphs(row["decision"]),
                "rationale_paragraphs": paragraphs(row["rationale"]),
            }
            for row in rows
        ],
        "produced_by": person.full_name,
        "generated_on": format_date(timezone.localdate()),
        "generated_at": format_time(timezone.now()),
        "mark": DECISION_MARK,
    }
