"""Sharing a record, signing it (both, the same version, then never changed again) and addenda."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.services import audit_event_write
from tandem.organisations.models import Person

from ..models import (
    Addendum,
    Record,
    RecordSignature,
    RecordStatus,
    SignatureRole,
)
from ..selectors import current_version, signed_roles_of

# Sharing and signing
from ._common import (
    ADDENDUM_MAX,
    _lock,
    _other_party,
    _refuse_unless,
    _require_party,
    _tell,
    _text,
    _url,
    _user,
)
from .followup import carry_open_actions


def _has_words(content: dict[str, Any], welfare: str) -> bool:
    return bool(
        any(content.get("sections", {}).values())
        or any(content.get("agenda", {}).values())
        or content.get("cases")
        or content.get("actions")
        or welfare
    )


@transaction.atomic
def record_share(*, record: Record, by: Person, version: int) -> Record:
    """Share the draft with the other party, who is told. ``version`` is the one the sharer
    read: a record saved since is not shared unread."""
    record = _lock(record)
    _refuse_unless("share", record, by)
    if version != record.version_number:
        raise ValidationError(
            {
                "version": "The record has been saved since you opened it: read the latest "
                "version, then share it."
            }
        )
    latest = current_version(record)
    if not _has_words(latest.content, latest.welfare):
        raise ValidationError("Write the record before sharing it: every section is empty.")
    record.status = RecordStatus.SHARED
    record.shared_at = timezone.now()
    record.shared_by = by
    record.save(update_fields=["status", "shared_at", "shared_by"])
    carried = carry_open_actions(record)
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.share",
        target=record,
        detail={
            "version": record.version_number,
            "on_time": record.shared_on_time,
            "due_on": record.due_on.isoformat(),
            "carried_actions": carried,
        },
    )
    other = _other_party(record, by)
    _tell(
        record,
        other,
        f"{by.full_name} shared the record of your supervision on {long_date(record.held_on)}: "
        "read it and sign it if it is a true record",
        _url(record),
    )
    return record


@transaction.atomic
def record_sign(*, record: Record, by: Person, version: int) -> Record:
    """Sign the version read as a true record. When both have signed the same version the
    record is complete and never changes again."""
    record = _lock(record)
    latest = current_version(record)
    signed_roles = signed_roles_of(record)
    _refuse_unless("sign", record, by, signed_roles=signed_roles)
    role = _require_party(record, by, "sign the record")
    if version != record.version_number:
        raise ValidationError(
            {
                "version": f"You read version {version}, but the record has been changed since "
                f"(version {record.version_number}). Read the latest version, then sign it."
            }
        )
    RecordSignature.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        version=latest,
        person=by,
        role=role,
        content_hash=latest.content_hash,
    )
    complete = signed_roles | {role} == {SignatureRole.SUPERVISOR, SignatureRole.SUPERVISEE}
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.sign",
        target=record,
        detail={"version": latest.number, "role": role, "hash": latest.content_hash},
    )
    other = _other_party(record, by)
    if complete:
        record.status = RecordStatus.SIGNED
        record.signed_at = timezone.now()
        record.save(update_fields=["status", "signed_at"])
        _tell(
            record,
            other,
            f"The record of your supervision on {long_date(record.held_on)} is agreed and signed "
            "by both",
            _url(record),
        )
    else:
        _tell(
            record,
            other,
            f"{by.full_name} signed the record of your supervision on {long_date(record.held_on)}: "
            "your signature is needed",
            _url(record),
        )
    return record


def signatures_of_current(record: Record) -> dict[str, RecordSignature]:
    """The signatures on the latest version, by role."""
    return {
        signature.role: signature
        for signature in RecordSignature.objects.filter(
            record=record, version__number=record.version_number
        ).select_related("person")
    }


# Addenda


@transaction.atomic
def addendum_add(*, record: Record, by: Person, text: str) -> Addendum:
    """A correction or addition to a shared or signed record, signed by its writer at once and
    by the other party in turn."""
    record = _lock(record)
    _refuse_unless("add_addendum", record, by)
    role = _require_party(record, by, "add to the record")
    text = _text(text)
    if not text:
        raise ValidationError({"text": "Enter the addendum."})
    if len(text) > ADDENDUM_MAX:
        raise ValidationError(
            {"text": f"Enter {ADDENDUM_MAX:,} characters or fewer (it has {len(text):,})."}
        )
    number = Addendum.objects.filter(record=record).count() + 1
    now = timezone.now()
    addendum = Addendum.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        number=number,
        text=text,
        written_by=by,
        written_at=now,
        supervisor_signed_at=now if role == SignatureRole.SUPERVISOR else None,
        supervisee_signed_at=now if role == SignatureRole.SUPERVISEE else None,
    )
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.addendum",
        target=record,
        detail={"addendum": number},
    )
    _tell(
        record,
        _other_party(record, by),
        f"{by.full_name} added addendum {number} to the record of {long_date(record.held_on)}: "
        "your signature is needed",
        _url(record),
    )
    return addendum


@transaction.atomic
def addendum_sign(*, addendum: Addendum, by: Person) -> Addendum:
    record = _lock(addendum.record)
    role = _require_party(record, by, "sign an addendum")
    addendum = Addendum.objects.select_for_update().get(pk=addendum.pk)
    field = f"{role}_signed_at"
    if getattr(addendum, field) is not None:
        raise ValidationError("You have already signed this addendum.")
    setattr(addendum, field, timezone.now())
    addendum.save(update_fields=[field])
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.addendum_sign",
        target=record,
        detail={"addendum": addendum.number, "role": role},
    )
    return addendum
