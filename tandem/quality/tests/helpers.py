"""Building supervision history for the quality tests: held sessions with shared records (with
cases and actions), and sessions booked ahead."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tandem.meetings.models import Session, SessionStatus
from tandem.records import services as record_services
from tandem.records.models import Record
from tandem.records.tests.factories import draft_record, write

DAY = datetime.timedelta(days=1)


def case(reference: str = "CF-1001", *, reflected: bool = True, **changes: Any) -> dict[str, Any]:
    return {
        "case_reference": reference,
        "label": "Sibling group",
        "discussion": "Drift since the strategy meeting.",
        "reflection": {"experience": "Two missed visits.", "analysis": "Capacity, not intent."}
        if reflected
        else {},
        "decision": "Step up to a child protection enquiry.",
        "rationale": "New information from school.",
        **changes,
    }


def action(record: Record, text: str = "Book the strategy discussion") -> dict[str, Any]:
    return {
        "text": text,
        "owner": record.supervisee_id,
        "due_on": (record.held_on + 7 * DAY).isoformat(),
        "case_reference": "",
    }


def record_on(
    cast: Any,
    day: datetime.date,
    *,
    cases: list[dict[str, Any]] | None = None,
    actions: list[str] | None = None,
    share: bool = True,
    supervisee: Any = None,
) -> Record:
    """A held session on ``day`` with its record written (and shared unless told)."""
    record = draft_record(cast, on=day, supervisee=supervisee or cast.supervisee)
    write(
        record,
        cases=cases if cases is not None else [case()],
        actions=[action(record, text) for text in (actions or [])],
    )
    record.refresh_from_db()
    if share:
        record = record_services.record_share(
            record=record, by=record.supervisor, version=record.version_number
        )
    return record


def booked(cast: Any, days_ahead: int, supervisee: Any = None) -> Session:
    """A one-to-one session booked ``days_ahead`` days from now, at 10:00."""
    day = timezone.localdate() + days_ahead * DAY
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    return Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=supervisee or cast.supervisee,
        starts_at=starts_at,
        duration_minutes=90,
        status=SessionStatus.SCHEDULED,
    )


def principal_social_worker(cast: Any) -> Any:
    """A principal social worker with the practice auditor role, in no team and managing
    nobody: what they read, they read as the auditor."""
    from tandem.organisations.models import Role, StaffCategory
    from tandem.organisations.tests.factories import PersonFactory, RoleGrantFactory, UserFactory

    person = PersonFactory(
        organisation=cast.organisation,
        user=UserFactory(email="pat@riverside.test"),
        first_name="Pat",
        last_name="Principal",
        staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER,
        job_title="Principal social worker",
        team=None,
    )
    RoleGrantFactory(person=person, role=Role.AUDITOR)
    return person
