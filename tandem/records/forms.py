"""The record forms: the writing page (agenda notes, sections, case discussions and actions, all
on one page), addenda, disagreements, resolutions and the break-glass reason.

The forms only read what was typed: dates as day/month/year, rows of cases and actions (a row
left empty is ignored). Whether the words are acceptable (lengths, the case reference's format,
a due date's range, a rationale for a decision) is for ``services.clean_content``, whose errors
come back keyed by the service's names ("cases.0.case_reference") and are put on the field of
the row they are about here (``RecordForm.apply_service_errors``).
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from tandem.meetings.forms import GovukRadios, SessionDateField
from tandem.meetings.models import AgendaItem
from tandem.organisations.models import Person

from . import layout as layouts
from . import services
from .models import DisagreementKind, Record

# Blank rows offered for new case discussions and actions on a fresh page.
BLANK_CASES = 1
BLANK_ACTIONS = 2
# At most this many rows on the page: a few past what a record may hold, so the service's own
# limit is the one that speaks.
CASE_ROWS_MAX = services.CASES_MAX + 5
ACTION_ROWS_MAX = services.ACTIONS_MAX + 5
KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
STALE_PAGE = "This page is out of date: open the record again to carry on writing."
DUE_HINT = "For example, 14/05/2027"
CASE_FIELDS = ("case_reference", "label", "discussion", "decision", "rationale")
ACTION_FIELDS = ("text", "due_on", "case_reference")


def new_key() -> str:
    return uuid.uuid4().hex


def _rows(data: Any, name: str, maximum: int, default: int) -> int:
    """How many rows the submitted page had, within bounds (a tampered count is clamped)."""
    try:
        return max(0, min(int(data.get(name, default)), maximum))
    except (TypeError, ValueError):
        return default


def _textarea(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _text(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=False)


def due_text(iso: str) -> str:
    """A stored due date (2027-05-14) as typed on the page (14/05/2027)."""
    try:
        return f"{datetime.date.fromisoformat(iso):%d/%m/%Y}"
    except (TypeError, ValueError):
        return ""


def _has_words(bound: forms.BoundField) -> bool:
    return bool(str(bound.value() or "").strip())


@dataclass
class Row:
    """One case discussion or action on the page: its index and its bound fields (a case's
    reflection prompts apart)."""

    what: str
    index: int
    fields: dict[str, forms.BoundField]
    reflection: list[forms.BoundField] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        """Said after each label by screen readers, so the fields of each row are told apart."""
        return f", {self.what} {self.index + 1}"

    @property
    def is_empty(self) -> bool:
        return not any(
            _has_words(bound) for name, bound in self.fields.items() if name not in ("key", "owner")
        ) and not any(_has_words(bound) for bound in self.reflection)

    @property
    def reflection_open(self) -> bool:
        return any(_has_words(bound) or bound.errors for bound in self.reflection)


class RecordForm(forms.Form):
    """The whole record on one page. Built from the latest version (unbound) or from what was
    submitted (bound, with the same number of rows)."""

    base_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": STALE_PAGE, "invalid": STALE_PAGE, "min_value": STALE_PAGE},
    )
    case_rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    action_rows = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)
    # "off" once an autosave met someone else's save: it stops until the page is saved.
    autosave = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        record: Record,
        items: list[AgendaItem],
        content: dict[str, Any] | None = None,
        welfare: str = "",
        version_number: int = 0,
        blank_cases: int = BLANK_CASES,
        blank_actions: int = BLANK_ACTIONS,
    ) -> None:
        self.record = record
        self.items = items
        self.layout_sections = record.layout.get("sections", [])
        self.prompts = record.layout.get("reflection", {}).get("prompts", [])
        self.owners: dict[int, Person] = {
            record.supervisor_id: record.supervisor,
            record.supervisee_id: record.supervisee,
        }
        initial: dict[str, Any] = {}
        if data is None:
            content = content or {}
            cases = list(content.get("cases", []))
            actions = list(content.get("actions", []))
            self.case_count = min(len(cases) + blank_cases, CASE_ROWS_MAX)
            self.action_count = min(len(actions) + blank_actions, ACTION_ROWS_MAX)
            initial = self._initial(content, welfare, cases, actions)
            initial["base_version"] = version_number
            initial["autosave"] = "on"
        else:
            self.case_count = _rows(data, "case_rows", CASE_ROWS_MAX, 0)
            self.action_count = _rows(data, "action_rows", ACTION_ROWS_MAX, 0)
        initial["case_rows"] = self.case_count
        initial["action_rows"] = self.action_count
        super().__init__(data, initial=initial)
        self._add_fields()
        # Which page row each service index refers to (empty rows are not sent to the service).
        self.case_row_of: list[int] = []
        self.action_row_of: list[int] = []

    def _initial(
        self,
        content: dict[str, Any],
        welfare: str,
        cases: list[dict[str, Any]],
        actions: list[dict[str, Any]],
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for key, text in content.get("sections", {}).items():
            initial[key] = text
        initial[layouts.WELFARE] = welfare
        for item_id, notes in content.get("agenda", {}).items():
            initial[f"agenda-{item_id}"] = notes
        for index in range(self.case_count):
            case = cases[index] if index < len(cases) else {}
            initial[f"case-{index}-key"] = case.get("key") or new_key()
            for name in CASE_FIELDS:
                initial[f"case-{index}-{name}"] = case.get(name, "")
            for prompt in self.prompts:
                reflection = case.get("reflection", {})
                initial[f"case-{index}-reflection-{prompt['key']}"] = reflection.get(
                    prompt["key"], ""
                )
        for index in range(self.action_count):
            action = actions[index] if index < len(actions) else {}
            initial[f"action-{index}-key"] = action.get("key") or new_key()
            initial[f"action-{index}-text"] = action.get("text", "")
            initial[f"action-{index}-owner"] = action.get("owner") or ""
            initial[f"action-{index}-due_on"] = due_text(action.get("due_on", ""))
            initial[f"action-{index}-case_reference"] = action.get("case_reference", "")
        return initial

    def _add_fields(self) -> None:
        for item in self.items:
            self.fields[f"agenda-{item.pk}"] = _textarea(
                item.title, "Notes on this agenda item", rows=3
            )
        for section in self.layout_sections:
            self.fields[section["key"]] = _textarea(section["heading"], rows=6)
        for index in range(self.case_count):
            self._add_case_fields(index)
        owner_choices = [
            (self.record.supervisor_id, f"{self.record.supervisor.full_name} (supervisor)"),
            (self.record.supervisee_id, f"{self.record.supervisee.full_name} (supervisee)"),
        ]
        for index in range(self.action_count):
            prefix = f"action-{index}-"
            self.fields[prefix + "key"] = forms.CharField(widget=forms.HiddenInput, required=False)
            self.fields[prefix + "text"] = _text("What will be done")
            self.fields[prefix + "owner"] = forms.TypedChoiceField(
                label="Who will do it",
                choices=owner_choices,
                coerce=int,
                required=False,
                widget=GovukRadios,
                error_messages={"invalid_choice": "Choose the supervisor or the supervisee."},
            )
            self.fields[prefix + "due_on"] = SessionDateField(
                label="Due date", help_text=DUE_HINT, required=False
            )
            self.fields[prefix + "case_reference"] = _text(
                "Case reference (if it is about a case)", "For example, CF-204981"
            )

    def _add_case_fields(self, index: int) -> None:
        prefix = f"case-{index}-"
        self.fields[prefix + "key"] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.fields[prefix + "case_reference"] = _text(
            "Case reference", layouts.CASE_REFERENCE_HINT
        )
        self.fields[prefix + "label"] = _text(
            "Label", "A few words to recognise the case by, with no names or case details"
        )
        self.fields[prefix + "discussion"] = _textarea("What was discussed", rows=4)
        for prompt in self.prompts:
            self.fields[f"{prefix}reflection-{prompt['key']}"] = _textarea(
                prompt["label"], prompt.get("hint", ""), rows=3
            )
        self.fields[prefix + "decision"] = _textarea("Decision", rows=3)
        self.fields[prefix + "rationale"] = _textarea(
            "Rationale", "Why this was decided: needed when there is a decision", rows=3
        )

    # Rendering

    def agenda_fields(self) -> list[tuple[AgendaItem, forms.BoundField]]:
        return [(item, self[f"agenda-{item.pk}"]) for item in self.items]

    def sections(self) -> list[dict[str, Any]]:
        """Each section with its prompts, opened when it has words or an error."""
        shown = []
        for section in self.layout_sections:
            bound = self[section["key"]]
            shown.append({**section, "field": bound, "open": _has_words(bound) or bound.errors})
        return shown

    def case_rows_shown(self) -> list[Row]:
        return [
            Row(
                "case",
                index,
                {name: self[f"case-{index}-{name}"] for name in ("key", *CASE_FIELDS)},
                [self[f"case-{index}-reflection-{prompt['key']}"] for prompt in self.prompts],
            )
            for index in range(self.case_count)
        ]

    def action_rows_shown(self) -> list[Row]:
        return [
            Row(
                "action",
                index,
                {
                    name: self[f"action-{index}-{name}"]
                    for name in ("key", "text", "owner", "due_on", "case_reference")
                },
            )
            for index in range(self.action_count)
        ]

    @property
    def can_add_case(self) -> bool:
        return self.case_count < CASE_ROWS_MAX

    @property
    def can_add_action(self) -> bool:
        return self.action_count < ACTION_ROWS_MAX

    # Reading what was typed

    def _raw(self, name: str) -> str:
        value = self[name].value() if name in self.fields else ""
        return str(value or "").strip()

    def _value(self, name: str) -> Any:
        cleaned = getattr(self, "cleaned_data", {})
        if name in cleaned:
            return cleaned[name] if cleaned[name] is not None else ""
        return ""

    def _key(self, name: str, seen: set[str]) -> str:
        key = self._raw(name)
        if not KEY.fullmatch(key) or key in seen:
            key = new_key()
        seen.add(key)
        return key

    def payload(self) -> dict[str, Any]:
        """What to hand to ``services.record_save``: empty rows left out."""
        sections = {
            section["key"]: self._value(section["key"])
            for section in self.layout_sections
            if section["key"] != layouts.WELFARE
        }
        agenda = {str(item.pk): self._value(f"agenda-{item.pk}") for item in self.items}
        cases: list[dict[str, Any]] = []
        self.case_row_of = []
        seen: set[str] = set()
        for index in range(self.case_count):
            prefix = f"case-{index}-"
            names = [prefix + name for name in CASE_FIELDS]
            names += [f"{prefix}reflection-{prompt['key']}" for prompt in self.prompts]
            if not any(self._raw(name) for name in names):
                continue
            case = {name: self._value(prefix + name) for name in CASE_FIELDS}
            case["key"] = self._key(prefix + "key", seen)
            case["reflection"] = {
                prompt["key"]: self._value(f"{prefix}reflection-{prompt['key']}")
                for prompt in self.prompts
            }
            cases.append(case)
            self.case_row_of.append(index)
        actions: list[dict[str, Any]] = []
        self.action_row_of = []
        seen = set()
        for index in range(self.action_count):
            prefix = f"action-{index}-"
            if not any(self._raw(prefix + name) for name in ACTION_FIELDS):
                continue
            due = self._value(prefix + "due_on")
            actions.append(
                {
                    "key": self._key(prefix + "key", seen),
                    "text": self._value(prefix + "text"),
                    "owner": self._value(prefix + "owner") or None,
                    "due_on": due.isoformat() if isinstance(due, datetime.date) else "",
                    "case_reference": self._value(prefix + "case_reference"),
                }
            )
            self.action_row_of.append(index)
        return {
            "sections": sections,
            "welfare": self._value(layouts.WELFARE),
            "agenda": agenda,
            "cases": cases,
            "actions": actions,
        }

    def check_words(self) -> None:
        """On a form that did not parse, also ask the service what else is wrong, so every
        problem shows at once (a field that already has an error keeps only its own)."""
        payload = self.payload()
        try:
            services.clean_content(self.record, **payload)
        except ValidationError as error:
            self.apply_service_errors(error, keep_existing=True)

    # Errors from the service

    def field_for(self, key: str) -> str | None:
        """The form field a service error key is about, or None (the top of the form)."""
        parts = key.split(".")
        name = ""
        if parts[0] == "sections" and len(parts) == 2:
            name = parts[1]
        elif parts[0] == layouts.WELFARE:
            name = layouts.WELFARE
        elif parts[0] == "agenda" and len(parts) == 2:
            name = f"agenda-{parts[1]}"
        elif parts[0] in ("cases", "actions") and len(parts) >= 3 and parts[1].isdigit():
            rows = self.case_row_of if parts[0] == "cases" else self.action_row_of
            position = int(parts[1])
            if position < len(rows):
                prefix = "case" if parts[0] == "cases" else "action"
                name = f"{prefix}-{rows[position]}-{'-'.join(parts[2:])}"
        return name if name in self.fields else None

    def apply_service_errors(self, error: ValidationError, *, keep_existing: bool = False) -> None:
        items: Iterable[tuple[str, list[str]]]
        if hasattr(error, "error_dict"):
            items = error.message_dict.items()
        else:
            items = [(NON_FIELD_ERRORS, error.messages)]
        for key, messages in items:
            name = None if key == NON_FIELD_ERRORS else self.field_for(key)
            if name is not None and keep_existing and name in self.errors:
                continue
            for message in messages:
                if name is None and message in self.non_field_errors():
                    continue
                self.add_error(name, message)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on a small form: on the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for key, messages in error.message_dict.items():
            form.add_error(key if key in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The correction or addition, in full. The record itself stays as it was.",
        error_messages={"required": "Enter the addendum."},
    )


class DisagreementForm(forms.Form):
    kind = forms.ChoiceField(
        label="What is it about?",
        choices=DisagreementKind.choices,
        widget=GovukRadios,
        initial=DisagreementKind.RECORD,
        error_messages={
            "required": "Choose what the disagreement is about.",
            "invalid_choice": "Choose what the disagreement is about.",
        },
    )
    about = forms.CharField(
        label="Which part of the record",
        required=False,
        help_text="For example, the decision on case CF-204981, or a line you quote",
    )
    text = forms.CharField(
        label="What you disagree with, and why",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what you disagree with and why."},
    )

    def __init__(self, *args: Any, practice_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not practice_allowed:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [
                c for c in DisagreementKind.choices if c[0] != DisagreementKind.PRACTICE
            ]


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label="Resolution",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you decided and why. Both people in the supervision are told, and it "
        "is shown beside the record.",
        error_messages={"required": "Enter the resolution."},
    )


class WelfareReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to read it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a grievance or a disciplinary procedure, or a safeguarding "
        "concern. At least 10 characters.",
        error_messages={
            "required": "Enter why you need to read the welfare section (at least 10 characters)."
        },
    )
