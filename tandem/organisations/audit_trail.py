"""The organisation's audit trail, as its admins search it: events by who, what was done, what
it was about and when, newest first, and the same events as a CSV file.

The trail is read-only for everyone: no page or API operation changes or removes an event, and
reading or exporting it is itself an event.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.core.services import audit_event_write

from .models import Organisation, Person

EXPORTED = "audit.export"
CSV_HEADINGS = [
    "When",
    "Who",
    "Email",
    "Action",
    "Object type",
    "Object",
    "Summary",
    "Detail",
]
# What the commonest actions are called on the page; others are spelt out from their names.
ACTION_LABELS = {
    "record.view": "Read a supervision record",
    "record.welfare_break_glass": "Opened a welfare section, giving a reason",
    "record.share": "Shared a record",
    "record.sign": "Signed a record",
    "session.book": "Booked a session",
    "organisation.settings_changed": "Changed the organisation's settings",
    "frequency_policy.changed": "Changed the frequency policy",
    EXPORTED: "Exported the audit trail",
}


@dataclass(frozen=True)
class Search:
    who: str = ""
    action: str = ""
    object_type: str = ""
    about: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    def as_detail(self) -> dict[str, Any]:
        return {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in self.__dict__.items()
            if value
        }


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    words = action.replace(".", ": ", 1).replace("_", " ").replace(".", " ")
    return words[:1].upper() + words[1:]


def object_type_label(object_type: str) -> str:
    """``records.record`` as "Supervision record": the model's own name for itself."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def audit_search(organisation: Organisation, search: Search) -> QuerySet[AuditEvent]:
    """The organisation's events that match, newest first, each with its actor's person."""
    events = AuditEvent.objects.filter(organisation=organisation)
    for word in search.who.split():
        events = events.filter(
            Q(actor__person__first_name__icontains=word)
            | Q(actor__person__last_name__icontains=word)
            | Q(actor__email__icontains=word)
        )
    if search.action:
        events = events.filter(action=search.action)
    if search.object_type:
        events = events.filter(object_type=search.object_type)
    if search.about:
        about = search.about.strip()
        events = events.filter(Q(summary__icontains=about) | Q(object_id=about))
    if search.since:
        events = events.filter(at__gte=_start_of(search.since))
    if search.until:
        events = events.filter(at__lt=_start_of(search.until + datetime.timedelta(days=1)))
    return events.select_related("actor__person").order_by("-at", "-id")


def actions_used(organisation: Organisation) -> list[tuple[str, str]]:
    """The actions the organisation's trail holds, as (action, label), by label."""
    used = (
        AuditEvent.objects.filter(organisation=organisation)
        .order_by()
        .values_list("action", flat=True)
        .distinct()
    )
    return sorted(((a, action_label(a)) for a in used), key=lambda pair: pair[1])


def object_types_used(organisation: Organisation) -> list[tuple[str, str]]:
    used = (
        AuditEvent.objects.filter(organisation=organisation)
        .exclude(object_type="")
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
    return sorted(((t, object_type_label(t)) for t in used), key=lambda pair: pair[1])


def actor_name(event: AuditEvent) -> str:
    """Who did it: their name, a login without a person by its email, Tandem itself."""
    user = event.actor
    if user is None:
        return "Tandem"
    person: Person | None = getattr(user, "person", None)
    return person.full_name if person is not None else user.email or user.get_username()


def detail_text(detail: dict[str, Any]) -> str:
    """An event's detail as one line: "parts: summary, discussion; how: page"."""
    parts = []
    for key, value in detail.items():
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif isinstance(value, dict):
            value = json.dumps(value, ensure_ascii=False, default=str)
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def csv_rows(events: QuerySet[AuditEvent]) -> Iterator[list[Any]]:
    for event in events.iterator(chunk_size=2000):
        user = event.actor
        yield [
            timezone.localtime(event.at).isoformat(timespec="seconds"),
            actor_name(event),
            user.email if user is not None else "",
            event.action,
            event.object_type,
            event.object_id,
            event.summary,
            json.dumps(event.detail, ensure_ascii=False, default=str, sort_keys=True),
        ]


def audit_exported(*, organisation: Organisation, by: Person, search: Search) -> None:
    audit_event_write(
        organisation=organisation,
        actor=by,
        action=EXPORTED,
        summary="The audit trail, as a CSV file",
        detail={"search": search.as_detail()},
    )
