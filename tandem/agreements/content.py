"""What a template's content may hold, and how an agreement's answers are checked and hashed.

A template field is {"key", "label", "type", "required", "hint", "choices", "min", "max",
"columns", "party"}. Fields whose key is in STRUCTURED_KEYS carry the arrangements that later
features read (the schedule reads the frequency, duration and location; records read who
records, where and who else may see them); their answers are also copied into columns of the
agreement version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from .models import ConfidentialityException, Frequency, Recorder

FIELD_TYPES = {
    "text": "A line of text",
    "long_text": "Paragraphs of text",
    "choice": "One of a list",
    "multi_choice": "Any of a list",
    "yes_no": "Yes or no",
    "number": "A whole number",
    "date": "A date",
    "frequency": "How often sessions happen",
    "duration": "Session length in minutes, shortest and longest",
    "location": "Where sessions happen",
    "person": "One of the two parties, filled in by Tandem",
    "list": "A table of rows",
    "cancellation": "The cancellation rule: re-book within N working days, and its wording",
    "recording": "Who records each session, and how",
    "exceptions": "When confidentiality gives way",
    "escalation": "Where disagreements go, shown from the escalation chain",
}

# Keys with a fixed meaning, and the type each must have.
STRUCTURED_KEYS = {
    "frequency": "frequency",
    "duration": "duration",
    "location": "location",
    "cancellation": "cancellation",
    "recording": "recording",
    "records_stored": "long_text",
    "record_viewers": "long_text",
    "confidentiality_exceptions": "exceptions",
    "escalation": "escalation",
}

# Types that take no answer: Tandem fills them in from the agreement itself.
DERIVED_TYPES = {"person", "escalation"}

DURATION_LIMITS = (15, 480)  # minutes: what any template's duration field may allow at most


def iter_fields(content: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Every (section, field) of a template's content, in order."""
    for section in content.get("sections", []):
        for field in section.get("fields", []):
            yield section, field


def headings(content: dict[str, Any]) -> list[str]:
    """Every heading, field label and term heading: what a reader sees as the document's parts."""
    found = [content.get("title", "")]
    for section in content.get("sections", []):
        found.append(section.get("heading", ""))
        found += [field.get("label", "") for field in section.get("fields", [])]
        found += [term.get("heading", "") for term in section.get("terms", [])]
    found += [part.get("heading", "") for part in content.get("closing", [])]
    return [text for text in found if text]


def check_template_content(content: dict[str, Any]) -> list[str]:
    """Problems with a template's content, in plain words; empty when it can be used."""
    problems = []
    seen: set[str] = set()
    if not content.get("title"):
        problems.append("The template needs a title.")
    for section, field in iter_fields(content):
        key, kind = field.get("key", ""), field.get("type", "")
        where = f"“{field.get('label') or key}” in “{section.get('heading', '')}”"
        if not key or not key.replace("_", "").isalnum():
            problems.append(f"{where} needs a key of letters, numbers and underscores.")
        if key in seen:
            problems.append(f"{where} repeats the key {key}.")
        seen.add(key)
        if kind not in FIELD_TYPES:
            problems.append(f"{where} has an unknown type {kind}.")
        if key in STRUCTURED_KEYS and STRUCTURED_KEYS[key] != kind:
            problems.append(f"{where} must be of type {STRUCTURED_KEYS[key]}.")
        if kind in ("choice", "multi_choice"):
            choices = field.get("choices") or []
            pairs = all(isinstance(choice, list | tuple) and len(choice) == 2 for choice in choices)
            if not choices or not pairs:
                problems.append(f"{where} needs choices, each a value and a label.")
        if kind == "duration":
            low, high = field.get("min", DURATION_LIMITS[0]), field.get("max", DURATION_LIMITS[1])
            if not DURATION_LIMITS[0] <= low <= high <= DURATION_LIMITS[1]:
                problems.append(f"{where} needs limits between 15 and 480 minutes.")
    return problems


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(
    *, template_content: dict[str, Any], responses: dict[str, Any], parties: dict[str, Any]
) -> str:
    """The fingerprint of exactly what is signed: the template's wording, every answer and who
    the two parties are. Any change to any of them changes the hash."""
    document = {"template": template_content, "responses": responses, "parties": parties}
    return hashlib.sha256(canonical(document).encode()).hexdigest()


def structured_columns(responses: dict[str, Any]) -> dict[str, Any]:
    """The structured arrangements as the agreement version's columns."""
    duration = responses.get("duration") or {}
    cancellation = responses.get("cancellation") or {}
    recording = responses.get("recording") or {}
    frequency = responses.get("frequency") or ""
    recorder = recording.get("recorder") or ""
    return {
        "frequency": frequency if frequency in Frequency.values else "",
        "duration_min_minutes": duration.get("min"),
        "duration_max_minutes": duration.get("max"),
        "location": (responses.get("location") or "")[:300],
        "rebook_within_working_days": cancellation.get("rebook_within_working_days"),
        "recorder": recorder if recorder in Recorder.values else "",
        "confidentiality_exceptions": [
            value
            for value in responses.get("confidentiality_exceptions") or []
            if value in ConfidentialityException.values
        ],
    }
