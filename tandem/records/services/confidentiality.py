"""Break-glass opening of the welfare section, the audit of every read, and the people an
agreement names among "others who may see the record"."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.services import audit_event_write
from tandem.organisations.models import Person

from ..models import (
    Record,
    RecordViewer,
    ViewerScope,
    WelfareAccess,
)
from ..selectors import record_access

# Confidentiality
from ._common import (
    BREAK_GLASS_MINUTES,
    DISAGREEMENT_MAX,
    REASON_MIN,
    _raise,
    _refuse_unless,
    _tell,
    _text,
    _url,
    _user,
)


@transaction.atomic
def welfare_open(*, record: Record, by: Person, reason: str) -> WelfareAccess:
    """Break-glass: a manager opens the welfare section with a written reason (a grievance or
    disciplinary procedure, a safeguarding concern). Recorded, audited and shown to the
    supervisee, who is told."""
    access = record_access(by, record)
    _refuse_unless("open_welfare", record, by, access=access)
    reason = _text(reason)
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {"reason": "Enter why you need to read the welfare section (at least 10 characters)."}
        )
    if len(reason) > DISAGREEMENT_MAX:
        raise ValidationError({"reason": f"Enter {DISAGREEMENT_MAX:,} characters or fewer."})
    now = timezone.now()
    opened = WelfareAccess.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        person=by,
        reason=reason,
        opened_at=now,
        expires_at=now + datetime.timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.welfare_break_glass",
        target=record,
        summary=f"{by.full_name} opened the welfare section of {record}",
        detail={"reason": reason, "access": opened.pk},
    )
    _tell(
        record,
        record.supervisee,
        f"{by.full_name} opened the welfare section of your supervision record of "
        f"{long_date(record.held_on)}, giving a reason",
        _url(record),
    )
    return opened


def record_read(*, record: Record, by: Person, parts: list[str], how: str = "page") -> None:
    """Every read of a record is an audit event: who, which parts, how (page, pdf, api)."""
    audit_event_write(
        organisation=record.organisation,
        actor=by.user,
        action="record.view",
        target=record,
        detail={"parts": parts, "how": how},
    )


@transaction.atomic
def record_viewer_add(*, agreement: Any, person: Person, scope: str, by: Person) -> RecordViewer:
    """Name someone among "others who may see the record" on the pair's agreement."""
    if by.pk not in (agreement.supervisor_id, agreement.supervisee_id):
        raise ValidationError("Only the two parties to the agreement name who else may see it.")
    problems = {}
    if scope not in ViewerScope.values:
        problems["scope"] = "Choose what they may see."
    if person.organisation_id != agreement.organisation_id or person.pk in (
        agreement.supervisor_id,
        agreement.supervisee_id,
    ):
        problems["person"] = "Choose someone else in your organisation."
    elif RecordViewer.objects.filter(agreement=agreement, person=person).exists():
        problems["person"] = f"{person.full_name} is already named."
    _raise(problems)
    viewer = RecordViewer.objects.create(
        organisation_id=agreement.organisation_id,
        agreement=agreement,
        person=person,
        scope=scope,
        added_by=by,
    )
    audit_event_write(
        organisation=agreement.organisation,
        actor=_user(by),
        action="record_viewer.add",
        target=agreement,
        summary=f"{person.full_name} may see {viewer.get_scope_display().lower()}",
        detail={"person": person.pk, "scope": scope},
    )
    return viewer


@transaction.atomic
def record_viewer_remove(*, viewer: RecordViewer, by: Person) -> None:
    agreement = viewer.agreement
    if by.pk not in (agreement.supervisor_id, agreement.supervisee_id):
        raise ValidationError("Only the two parties to the agreement change who else may see it.")
    person_id = viewer.person_id
    viewer.delete()
    audit_event_write(
        organisation=agreement.organisation,
        actor=_user(by),
        action="record_viewer.remove",
        target=agreement,
        detail={"person": person_id},
    )
