"""An organisation's settings, changed by its admins in a page: what each may be, the change
(validated, audited with the old and the new value) and its history. Saving the organisation
is what oversight listens for: it recounts the windows (the day figures count from, the NQSW
clock) in the background, as for any change to the organisation."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.core.services import audit_event_write

from .models import Nation, Organisation, Person, PolicyClock, ReflectionModel, Sector

ACTION = "organisation.settings_changed"
DEADLINE_DAYS = (1, 30)
REVIEW_MONTHS = (1, 24)
SMALLEST_GROUP = (5, 50)  # never below 5
INSPECTOR_DAYS = (1, 90)

# (key, label): the settings in the order the page shows them.
SETTINGS: list[tuple[str, str]] = [
    ("name", "Name"),
    ("nation", "Nation (for bank holidays)"),
    ("sector", "Sector"),
    ("record_deadline_working_days", "Record deadline (working days)"),
    ("agreement_review_months", "Agreement review period (months)"),
    ("policy_clock", "An NQSW's time in post counts from"),
    ("reflection_model", "Reflective model for case discussions"),
    ("compliance_from", "Compliance figures count from"),
    ("smallest_group", "Smallest group shown (feedback, equality figures)"),
    ("inspector_access_days", "Longest inspector access (days)"),
]
CHOICES = {
    "nation": Nation,
    "sector": Sector,
    "policy_clock": PolicyClock,
    "reflection_model": ReflectionModel,
}


def shown(key: str, value: Any) -> str:
    """A setting's value in words, as the page and the history show it."""
    if value in (None, ""):
        return "Not set" if key != "compliance_from" else "The day the organisation was set up"
    if key in CHOICES:
        return str(CHOICES[key](value).label) if value in CHOICES[key].values else str(value)
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    if key == "record_deadline_working_days":
        return f"{value} working days"
    if key == "agreement_review_months":
        return f"{value} months"
    if key == "smallest_group":
        return f"{value} people or responses"
    if key == "inspector_access_days":
        return f"{value} days"
    return str(value)


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def settings_problems(organisation: Organisation, values: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name:
        problems["name"] = "Enter the organisation's name."
    elif len(name) > 200:
        problems["name"] = "Enter a name of 200 characters or fewer."
    elif Organisation.objects.filter(name__iexact=name).exclude(pk=organisation.pk).exists():
        problems["name"] = f"Another organisation is called {name}."
    for key, options in CHOICES.items():
        if values.get(key) not in options.values:
            problems[key] = f"Choose the {dict(SETTINGS)[key].split(' (')[0].lower()}."
    deadline = values.get("record_deadline_working_days")
    low, high = DEADLINE_DAYS
    if not isinstance(deadline, int) or not low <= deadline <= high:
        problems["record_deadline_working_days"] = (
            f"Enter a record deadline from {low} to {high} working days."
        )
    months = values.get("agreement_review_months")
    low, high = REVIEW_MONTHS
    if not isinstance(months, int) or not low <= months <= high:
        problems["agreement_review_months"] = f"Enter a review period from {low} to {high} months."
    group = values.get("smallest_group")
    low, high = SMALLEST_GROUP
    if not isinstance(group, int) or not low <= group <= high:
        problems["smallest_group"] = (
            f"Enter a smallest group from {low} to {high}: never below {low}."
        )
    days = values.get("inspector_access_days")
    low, high = INSPECTOR_DAYS
    if not isinstance(days, int) or not low <= days <= high:
        problems["inspector_access_days"] = f"Enter an inspector access from {low} to {high} days."
    counted = values.get("compliance_from")
    if counted is not None:
        if counted > timezone.localdate():
            problems["compliance_from"] = "The figures can count only from today or earlier."
        elif counted < datetime.date(2000, 1, 1):
            problems["compliance_from"] = "Enter a date from 1 January 2000."
    return problems


@transaction.atomic
def settings_change(
    *, organisation: Organisation, by: Person, values: dict[str, Any]
) -> dict[str, tuple[Any, Any]]:
    """Change the organisation's settings to ``values`` (every key of ``SETTINGS``). Returns
    what changed, {key: (old, new)}; each change is one audit event with both values."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    problems = settings_problems(organisation, values)
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    changed: dict[str, tuple[Any, Any]] = {}
    for key, _label in SETTINGS:
        new = values[key].strip() if key == "name" else values[key]
        old = getattr(organisation, key)
        if old != new:
            changed[key] = (old, new)
            setattr(organisation, key, new)
    if not changed:
        return changed
    organisation.save(update_fields=list(changed))
    for key, (old, new) in changed.items():
        audit_event_write(
            organisation=organisation,
            actor=by,
            action=ACTION,
            target=organisation,
            summary=f"{dict(SETTINGS)[key]}: {shown(key, old)} to {shown(key, new)}",
            detail={"setting": key, "old": _stored(old), "new": _stored(new)},
        )
    return changed


def settings_history(organisation: Organisation, limit: int = 100) -> list[dict[str, Any]]:
    """The changes, newest first: who, when, the setting, the old and the new value."""
    events = (
        AuditEvent.objects.filter(organisation=organisation, action=ACTION)
        .select_related("actor__person")
        .order_by("-at", "-id")[:limit]
    )
    labels = dict(SETTINGS)
    rows = []
    for event in events:
        detail = event.detail or {}
        key = detail.get("setting", "")
        old, new = detail.get("old"), detail.get("new")
        if key == "compliance_from":
            old = datetime.date.fromisoformat(old) if old else None
            new = datetime.date.fromisoformat(new) if new else None
        person = getattr(event.actor, "person", None) if event.actor else None
        rows.append(
            {
                "at": event.at,
                "by": person.full_name if person else "Tandem",
                "setting": labels.get(key, key),
                "old": shown(key, old),
                "new": shown(key, new),
            }
        )
    return rows
