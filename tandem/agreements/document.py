"""The agreement as a document: every answer as plain lines of text, and the context the printable
page and the PDF (``agreements/document.html``) are rendered from.

Nothing here writes: the document shows one version of an agreement (the current one unless
another is asked for) exactly as it was answered and signed. The two derived fields are filled in
from the agreement itself: a ``person`` field shows the party's name, an ``escalation`` field the
supervisee's escalation chain as it is today.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone

from tandem.core.dates import long_date
from tandem.organisations.selectors import person_escalation_chain

from .models import (
    AS_POLICY,
    AS_POLICY_LABEL,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    ConfidentialityException,
    Frequency,
    Recorder,
    SignatureRole,
)
from .services import current_version

NOT_FILLED_IN = "Not filled in"
NOT_SIGNED_YET = "Not signed yet"

# The council's rule for disagreements between managers. Shown under an escalation field whose
# hint carries it; the council's own contract already says it in its "Disagreements" term.
MANAGERS_RULE = (
    "Disputes between team managers go to the head of service; between a head of service and a "
    "team manager, to the assistant director."
)

# Field types whose lines are items of a list rather than paragraphs.
LIST_TYPES = {"multi_choice", "exceptions", "list"}

# Sections where the form has its signature boxes or its review date: the document puts the
# signatures and the review date there; without such a section, they follow the last section.
SIGNATURE_SECTIONS = {"signed", "signatures", "parties_to_the_contract"}
REVIEW_SECTIONS = {"review", "date_of_review"}

SHORT_HASH_LENGTH = 12

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OWN_MARKER = re.compile(r"^(\(?[a-z0-9]{1,3}[.)])\s")
_NUMBERED_HEADING = re.compile(r"^\d+[.)]\s")


# Values


def format_date(value: datetime.date | str | None) -> str:
    """7 September 2026. An ISO date string is read; anything else is shown as it is."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return value
    elif isinstance(value, datetime.datetime):
        day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    else:
        day = value
    return long_date(day)


def format_time(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%H:%M}"


def paragraphs(text: Any) -> list[str]:
    """Text as its paragraphs (split at blank lines), each stripped; single line breaks stay."""
    if text is None:
        return []
    text = str(text).replace("\r\n", "\n").strip()
    if not text:
        return []
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _choice_label(field: dict[str, Any], value: Any) -> str:
    """A choice's label. Choices are strings (value and label alike), [value, label] pairs or
    {"value", "label"} objects."""
    for choice in field.get("choices") or []:
        if isinstance(choice, dict):
            choice_value, label = choice.get("value"), choice.get("label", choice.get("value"))
        elif isinstance(choice, list | tuple) and len(choice) == 2:
            choice_value, label = choice
        else:
            choice_value, label = choice, choice
        if choice_value == value or str(choice_value) == str(value):
            return str(label)
    return str(value)


def _label_of(choices: type[Any], value: Any) -> str:
    """A TextChoices label, or the stored value itself when it is not one of them."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _minutes(value: Any) -> str:
    return "1 minute" if value == 1 else f"{value} minutes"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return format_date(value)
    text = str(value).strip()
    return format_date(text) if _ISO_DATE.match(text) else text


def _column_keys(column: Any) -> list[str]:
    """How a row may name a column: as labelled, lower-cased, or as a key ("Start date" ->
    "start_date")."""
    if isinstance(column, dict):
        return [str(column.get(name)) for name in ("key", "label") if column.get(name)]
    label = str(column)
    return [label, label.lower(), re.sub(r"\W+", "_", label.lower()).strip("_")]


def _row_line(columns: list[Any], row: Any) -> str:
    """One row of a list field as a line: its cells in column order, "September: 7 September
    2026"."""
    if isinstance(row, dict):
        cells, used = [], set()
        for column in columns:
            for name in _column_keys(column):
                if name in row:
                    cells.append(_cell(row[name]))
                    used.add(name)
                    break
        cells += [_cell(value) for name, value in row.items() if name not in used]
    elif isinstance(row, list | tuple):
        cells = [_cell(value) for value in row]
    else:
        cells = [_cell(row)]
    return ": ".join(cell for cell in cells if cell)


def _escalation_lines(field: dict[str, Any], agreement: Agreement) -> list[str]:
    chain = person_escalation_chain(person=agreement.supervisee)
    lines = [
        f"{number}. {link.label}: {link.person.full_name}"
        for number, link in enumerate(chain, start=1)
    ]
    hint = " ".join(str(field.get("hint") or "").lower().split())
    if lines and "head of service" in hint and "assistant director" in hint:
        lines.append(MANAGERS_RULE)
    return lines


def _lines(field: dict[str, Any], value: Any, agreement: Agreement, version: Any) -> list[str]:
    kind = field.get("type", "")
    if kind == "person":
        person = version.supervisor if field.get("party") == "supervisor" else agreement.supervisee
        return [person.full_name]
    if kind == "escalation":
        return _escalation_lines(field, agreement)
    if _is_empty(value):
        return []
    if kind in ("text", "long_text", "location"):
        return paragraphs(value)
    if kind == "choice":
        return [_choice_label(field, value)]
    if kind == "multi_choice":
        values = value if isinstance(value, list) else [value]
        return [_choice_label(field, item) for item in values if not _is_empty(item)]
    if kind == "yes_no":
        if isinstance(value, str):
            value = value.strip().lower() in ("yes", "true", "y", "1")
        return ["Yes" if value else "No"]
    if kind == "number":
        return [
            f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
        ]
    if kind == "date":
        return [format_date(value)]
    if kind == "frequency":
        return [AS_POLICY_LABEL if value == AS_POLICY else _label_of(Frequency, value)]
    if kind == "duration":
        if not isinstance(value, dict):
            return [_minutes(value)]
        low, high = value.get("min"), value.get("max")
        if low is not None and high is not None:
            if low == high:
                return [_minutes(low)]
            return [f"At least {_minutes(low)}, at most {_minutes(high)}"]
        if low is not None:
            return [f"At least {_minutes(low)}"]
        if high is not None:
            return [f"At most {_minutes(high)}"]
        return []
    if kind == "list":
        rows = value if isinstance(value, list) else [value]
        columns = field.get("columns") or []
        return [line for line in (_row_line(columns, row) for row in rows) if line]
    if kind == "cancellation":
        if not isinstance(value, dict):
            return paragraphs(value)
        lines = []
        days = value.get("rebook_within_working_days")
        if days is not None and days != "":
            unit = "working day" if days == 1 else "working days"
            lines.append(f"Re-book within {days} {unit}.")
        return lines + paragraphs(value.get("terms"))
    if kind == "recording":
        if not isinstance(value, dict):
            return paragraphs(value)
        lines = []
        if value.get("recorder"):
            lines.append(f"Recorded by: {_label_of(Recorder, value['recorder'])}")
        method = paragraphs(value.get("method"))
        if method:
            lines.append(f"Method: {method[0]}")
            lines += method[1:]
        return lines
    if kind == "exceptions":
        values = value if isinstance(value, list) else [value]
        return [_label_of(ConfidentialityException, item) for item in values if item]
    # A type this document does not know yet: its answer as text.
    if isinstance(value, list):
        return [str(item) for item in value if not _is_empty(item)]
    return paragraphs(value)


def display_value(
    field: dict[str, Any], value: Any, *, agreement: Agreement, version: AgreementVersion
) -> list[str]:
    """A field's answer as plain lines of text, as the document shows it; "Not filled in" when
    there is no answer."""
    return _lines(field, value, agreement, version) or [NOT_FILLED_IN]


# Terms


def term_blocks(text: str) -> list[dict[str, Any]]:
    """A term's text as blocks: paragraphs, and bullet lists made of its "- " lines. A list whose
    items carry their own markers ("a) ...") is shown without bullets."""
    blocks: list[dict[str, Any]] = []
    paragraph: list[str] = []

    def end_paragraph() -> None:
        if paragraph:
            blocks.append({"kind": "paragraph", "text": "\n".join(paragraph)})
            paragraph.clear()

    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("- ") or line == "-":
            end_paragraph()
            item = line[2:].strip()
            if blocks and blocks[-1]["kind"] == "bullets":
                blocks[-1]["items"].append(item)
            else:
                blocks.append({"kind": "bullets", "items": [item]})
        elif not line:
            end_paragraph()
        else:
            paragraph.append(line)
    end_paragraph()
    for block in blocks:
        if block["kind"] == "bullets":
            block["own_markers"] = all(_OWN_MARKER.match(item) for item in block["items"])
    return blocks


def _terms(terms: list[dict[str, Any]], *, section_heading: str = "") -> tuple[list[Any], bool]:
    """A section's terms, and whether to number them. Several headed terms standing on their own
    (in a section without a heading of its own) are the agreement's clauses, and are numbered as
    the forms refer to them ("term 8 (Recording)", "as in point 2"), unless their headings are
    numbered already. Terms under a section heading keep the form's own layout."""
    headed = [term for term in terms if term.get("heading")]
    numbered = (
        not section_heading
        and len(terms) > 1
        and len(headed) == len(terms)
        and not any(_NUMBERED_HEADING.match(term["heading"]) for term in headed)
    )
    return [
        {
            "key": term.get("key", ""),
            "heading": term.get("heading", ""),
            "text": term.get("text", ""),
            "blocks": term_blocks(term.get("text", "")),
        }
        for term in terms
    ], numbered


# The document


def _signatures(agreement: Agreement, version: AgreementVersion) -> list[dict[str, Any]]:
    """One entry per party, the supervisee first, signed or not."""
    signed = {signature.role: signature for signature in version.signatures.all()}
    expected = {
        SignatureRole.SUPERVISEE: agreement.supervisee,
        SignatureRole.SUPERVISOR: version.supervisor,
    }
    entries = []
    for role, person in expected.items():
        signature = signed.get(role)
        entry: dict[str, Any] = {
            "role": role.label,
            "role_value": role.value,
            "name": person.full_name,
            "signed": signature is not None,
        }
        if signature is None:
            entry["text"] = f"{person.full_name} ({role.label}): {NOT_SIGNED_YET}"
        else:
            name = signature.person.full_name
            entry.update(
                name=name,
                signed_at=signature.signed_at,
                signed_on=format_date(signature.signed_on),
                signed_time=format_time(signature.signed_at),
                content_hash=signature.content_hash,
                short_hash=signature.content_hash[:SHORT_HASH_LENGTH],
                matches_version=signature.content_hash == version.content_hash,
                text=f"Signed by {name} ({role.label}) on {format_date(signature.signed_on)} "
                f"at {format_time(signature.signed_at)}",
            )
        entries.append(entry)
    return entries


def _empty_section(key: str, heading: str) -> dict[str, Any]:
    return {
        "key": key,
        "heading": heading,
        "guidance": [],
        "fields": [],
        "terms": [],
        "numbered_terms": False,
        "signatures_here": False,
        "review_here": False,
    }


def _party(person: Any, role: str) -> dict[str, Any]:
    return {"role": role, "name": person.full_name, "job_title": person.job_title}


def document_context(
    agreement: Agreement, version: AgreementVersion | None = None
) -> dict[str, Any]:
    """Everything ``agreements/document.html`` shows, for one version of the agreement (the
    current one by default)."""
    latest = current_version(agreement)
    version = version or latest
    template_version = agreement.template_version
    content = template_version.content or {}
    responses = version.responses or {}

    sections = []
    for section in content.get("sections", []):
        heading = section.get("heading", "")
        fields = []
        for field in section.get("fields", []):
            lines = display_value(
                field, responses.get(field.get("key", "")), agreement=agreement, version=version
            )
            label = field.get("label", "")
            fields.append(
                {
                    "key": field.get("key", ""),
                    "label": label,
                    "type": field.get("type", ""),
                    "lines": lines,
                    "empty": lines == [NOT_FILLED_IN],
                    "as_list": field.get("type") in LIST_TYPES and lines != [NOT_FILLED_IN],
                    # A field named as its section (e.g. "Any other issues") is not repeated.
                    "show_label": bool(label) and label.strip() != heading.strip(),
                }
            )
        terms, numbered = _terms(section.get("terms", []), section_heading=heading)
        sections.append(
            {
                "key": section.get("key", ""),
                "heading": heading,
                "guidance": paragraphs(section.get("guidance")),
                "fields": fields,
                "terms": terms,
                "numbered_terms": numbered,
                "signatures_here": section.get("key") in SIGNATURE_SECTIONS,
                "review_here": section.get("key") in REVIEW_SECTIONS,
            }
        )
    # The signatures and the review date go in the form's own sections for them (the first of
    # each); a form without one has them added, after its last section.
    for flag, heading, key in (
        ("signatures_here", "Signatures", "signatures"),
        ("review_here", "Review", "review"),
    ):
        placed = [section for section in sections if section[flag]]
        for extra in placed[1:]:
            extra[flag] = False
        if not placed:
            sections.append({**_empty_section(key, heading), flag: True})

    closing, _numbered = _terms(content.get("closing", []), section_heading="closing")
    signatures = _signatures(agreement, version)
    supervisee = _party(agreement.supervisee, SignatureRole.SUPERVISEE.label)
    supervisor = _party(version.supervisor, SignatureRole.SUPERVISOR.label)
    organisation = agreement.organisation
    template = template_version.template
    is_current = version.pk == latest.pk
    fully_signed = all(entry["signed"] for entry in signatures)
    status = agreement.get_status_display() if is_current else "Replaced by a later version"

    return {
        "agreement": agreement,
        "version": version,
        "title": content.get("title") or template.name,
        "document_title": (
            f"{content.get('title') or 'Supervision agreement'}: {supervisee['name']} and "
            f"{supervisor['name']}"
        ),
        "organisation_name": organisation.name,
        "introduction": paragraphs(content.get("introduction")),
        "parties": {"supervisee": supervisee, "supervisor": supervisor},
        "status": status,
        "status_value": agreement.status if is_current else AgreementStatus.SUPERSEDED.value,
        "is_current_version": is_current,
        "current_version_number": latest.number,
        "version_number": version.number,
        "content_hash": version.content_hash,
        "short_hash": version.content_hash[:SHORT_HASH_LENGTH],
        "template_name": template.name,
        "template_version_number": template_version.number,
        "sections": sections,
        "closing": closing,
        "signatures": signatures,
        "fully_signed": fully_signed,
        "signed_on": format_date(agreement.signed_on) if is_current else "",
        "review_due_on": format_date(agreement.review_due_on) if is_current else "",
        "review_reason": agreement.get_review_reason_display() if is_current else "",
        "review_months": organisation.agreement_review_months,
        "has_escalation": any(
            field["type"] == "escalation" for section in sections for field in section["fields"]
        ),
        "generated_on": format_date(timezone.localdate()),
        "generated_at": format_time(timezone.now()),
    }
