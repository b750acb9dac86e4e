"""What the record pages share: the record for the reader (404 when they may read nothing of
it, whatever the reason, so that a record's existence is not told), the parts they read (for the
audit trail) and a version's words as the pages show them, at the reader's level."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone

from tandem.meetings.models import AgendaItem
from tandem.organisations.access import PersonRequest
from tandem.organisations.models import Person

from . import layout as layouts
from . import selectors
from .models import Record
from .selectors import Access, Level


def record_or_404(request: PersonRequest, pk: int) -> tuple[Record, Access]:
    """The record in the person's organisation and what they may read of it; 404 when nothing."""
    person = request.person
    record = selectors.record_for_page(organisation_id=person.organisation_id, pk=pk)
    if record is None:
        raise Http404
    access = selectors.record_access(person, record)
    if not access.can_read:
        raise Http404
    return record, access


def as_number(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def agenda_items(record: Record) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(session_id=record.session_id).order_by("created_at", "id")
    )


def parts_read(access: Access) -> list[str]:
    """The parts of a record a reader is shown, for the audit trail."""
    if access.level == Level.CASES:
        return ["cases"]
    parts = ["agenda", "sections", "cases", "actions", "addenda", "disagreements"]
    return [*parts, "welfare"] if access.reads_welfare else parts


def parts_words(parts: list[str]) -> str:
    """What ``parts_read`` listed, as the supervisee's page of readings says it."""
    if "welfare" in parts:
        return "All of it, the welfare section included"
    if parts == ["cases"]:
        return "The case discussions only"
    if parts == ["versions"]:
        return "Its earlier versions"
    return "All of it but the welfare section" if parts else ""


def other_party(record: Record, person: Person) -> Person:
    return record.supervisee if person.pk == record.supervisor_id else record.supervisor


def clock(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def parse_date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def content_shown(
    record: Record,
    content: dict[str, Any],
    *,
    items: list[AgendaItem],
    welfare: str | None,
    level: Level,
    action_rows: list[Any] | None = None,
) -> dict[str, Any]:
    """A version's words as the read pages show them, at the reader's level: the welfare text
    only when given (``None``: restricted), nothing but the cases for a CASES reader."""
    prompts = {p["key"]: p["label"] for p in record.layout.get("reflection", {}).get("prompts", [])}
    cases = [
        {
            **case,
            "reflection_shown": [
                (prompts.get(key, key), text) for key, text in case.get("reflection", {}).items()
            ],
        }
        for case in content.get("cases", [])
    ]
    if level < Level.WITHOUT_WELFARE:
        return {"cases": cases}
    notes = content.get("agenda", {})
    agenda = [{"title": item.title, "notes": notes.get(str(item.pk), "")} for item in items]
    sections = []
    for section in record.layout.get("sections", []):
        if section["key"] == layouts.WELFARE:
            text = welfare
        else:
            text = content.get("sections", {}).get(section["key"], "")
        sections.append({**section, "text": text, "restricted_here": text is None})
    people = {record.supervisor_id: record.supervisor, record.supervisee_id: record.supervisee}
    if action_rows is None:
        actions = [
            {
                "text": action.get("text", ""),
                "owner": people.get(action.get("owner")),
                "due_on": parse_date(action.get("due_on")),
                "case_reference": action.get("case_reference", ""),
                "status": "",
            }
            for action in content.get("actions", [])
        ]
    else:
        actions = [
            {
                "text": action.text,
                "owner": action.owner,
                "due_on": action.due_on,
                "case_reference": action.case_reference,
                "status": action.status,
                "status_text": action.get_status_display(),
            }
            for action in action_rows
        ]
    return {"agenda": agenda, "sections": sections, "cases": cases, "actions": actions}
