"""Helpers for record tests: a held session with its draft record, and a record taken through
the workflow by the services (written, shared, signed)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tandem.meetings.models import AgendaItem, Session, SessionStatus
from tandem.records import services
from tandem.records.models import Record


def held_session(
    cast: Any,
    *,
    on: datetime.date | None = None,
    supervisor: Any = None,
    supervisee: Any = None,
    agenda: tuple[str, ...] = ("Caseload", "Training plan"),
) -> Session:
    """A 90-minute session held at 10:00 (a week ago unless told), with agenda items."""
    day = on or timezone.localdate() - datetime.timedelta(days=7)
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    session = Session.objects.create(
        organisation=(supervisor or cast.supervisor).organisation,
        supervisor=supervisor or cast.supervisor,
        supervisee=supervisee or cast.supervisee,
        starts_at=starts_at,
        duration_minutes=90,
        status=SessionStatus.HELD,
        held_started_at=starts_at,
        held_minutes=90,
    )
    for title in agenda:
        AgendaItem.objects.create(
            organisation_id=session.organisation_id,
            session=session,
            added_by=session.supervisor,
            title=title,
            function="management",
        )
    return session


def draft_record(cast: Any, **session_fields: Any) -> Record:
    session = held_session(cast, **session_fields)
    record = services.record_start(session=session, by=session.supervisor)
    assert record is not None
    return record


def write(record: Record, by: Any = None, *, base: int | None = None, **changes: Any) -> Any:
    """Save the record with some words in every section (override any part)."""
    by = by or record.supervisor
    fields: dict[str, Any] = {
        "sections": {"performance": "Caseload of 18; two visits overdue.", "development": "PCF 6."},
        "welfare": "Feeling stretched; annual leave booked for May.",
        "agenda": {},
        "cases": [],
        "actions": [],
    }
    fields.update(changes)
    return services.record_save(
        record=record,
        by=by,
        base_version=record.version_number if base is None else base,
        **fields,
    )


def shared_record(cast: Any, **session_fields: Any) -> Record:
    record = draft_record(cast, **session_fields)
    write(record)
    record.refresh_from_db()
    return services.record_share(record=record, by=record.supervisor, version=record.version_number)


def signed_record(cast: Any, **session_fields: Any) -> Record:
    record = shared_record(cast, **session_fields)
    services.record_sign(record=record, by=record.supervisor, version=record.version_number)
    record.refresh_from_db()
    services.record_sign(record=record, by=record.supervisee, version=record.version_number)
    record.refresh_from_db()
    return record
