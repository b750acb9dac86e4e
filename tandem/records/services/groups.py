"""Writes about group records: the record of a group supervision session or an action
learning set. The responsible supervisor (the session's supervisor) writes it while it is a
draft: who came, the cases discussed (whose case, the decision and its rationale), the
learning points and the actions; then shares it, and from then on it never changes. Each member
acknowledges having read it. There is nowhere to write about anyone's welfare.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tandem.core.services import audit_event_write
from tandem.meetings.models import Session, SessionKind, SessionStatus
from tandem.organisations.models import Person

from ..models import (
    ActionStatus,
    GroupAction,
    GroupAttendance,
    GroupCaseDiscussion,
    GroupRecord,
    GroupRecordStatus,
)
from ._common import ACTION_MAX, CASE_TEXT_MAX, LABEL_MAX, NOTES_MAX, _raise, _user

REFERENCE_MAX = 40
GROUP_CASES_MAX = 30
GROUP_ACTIONS_MAX = 50


def _audit(record: GroupRecord, by: Person | None, what: str, **detail: Any) -> None:
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action=f"group_record.{what}",
        target=record,
        detail={"session": record.session_id, **detail},
    )


def _lock(record: GroupRecord) -> GroupRecord:
    return (
        GroupRecord.objects.select_for_update(of=("self",))
        .select_related("organisation", "session", "supervisor")
        .get(pk=record.pk)
    )


def _writable(record: GroupRecord, by: Person) -> GroupRecord:
    record = _lock(record)
    if by.pk != record.supervisor_id:
        raise ValidationError("Only the group's supervisor writes its record.")
    if record.status != GroupRecordStatus.DRAFT:
        raise ValidationError("This record has been shared with the group, so it cannot change.")
    return record


def member_ids(record: GroupRecord) -> set[int]:
    return set(GroupAttendance.objects.filter(record=record).values_list("person_id", flat=True))


@transaction.atomic
def group_record_start(*, session: Session, by: Person) -> GroupRecord:
    """The draft record of a held group session, everyone in the group marked present."""
    if session.kind != SessionKind.GROUP:
        raise ValidationError("Only a group session has a group record.")
    if session.status != SessionStatus.HELD:
        raise ValidationError("Record the session as held before writing its record.")
    if by.pk != session.supervisor_id:
        raise ValidationError("Only the group's supervisor writes its record.")
    existing = GroupRecord.objects.filter(session=session).first()
    if existing is not None:
        return existing
    held = session.held_started_at or session.starts_at
    record = GroupRecord.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        supervisor_id=session.supervisor_id,
        held_on=timezone.localdate(held),
    )
    GroupAttendance.objects.bulk_create(
        GroupAttendance(organisation_id=session.organisation_id, record=record, person=member)
        for member in session.members.all()
    )
    _audit(record, by, "start")
    return record


@transaction.atomic
def group_record_save(
    *, record: GroupRecord, by: Person, learning_points: str, present: set[int]
) -> GroupRecord:
    """The learning points, and who was present (every other member sent apologies)."""
    record = _writable(record, by)
    if len(learning_points) > NOTES_MAX:
        _raise(
            {"learning_points": f"Write the learning points in {NOTES_MAX:,} characters or fewer."}
        )
    members = member_ids(record)
    unknown = present - members
    if unknown:
        _raise({"present": "Choose people from the group."})
    record.learning_points = learning_points.strip()
    record.save(update_fields=["learning_points"])
    GroupAttendance.objects.filter(record=record, person_id__in=present).update(present=True)
    GroupAttendance.objects.filter(record=record).exclude(person_id__in=present).update(
        present=False
    )
    _audit(record, by, "save", present=sorted(present))
    return record


def _text(problems: dict[str, str], key: str, value: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        problems[key] = f"{label} must be {limit:,} characters or fewer."
    return value


@transaction.atomic
def group_case_add(
    *,
    record: GroupRecord,
    by: Person,
    case_reference: str,
    case_holder: Person | None,
    label: str = "",
    discussion: str = "",
    decision: str = "",
    rationale: str = "",
) -> GroupCaseDiscussion:
    """A case discussed in the group. A decision needs its rationale."""
    record = _writable(record, by)
    problems: dict[str, str] = {}
    reference = (case_reference or "").strip()
    if not reference:
        problems["case_reference"] = "Enter the case reference, as the case system has it."
    elif len(reference) > REFERENCE_MAX:
        problems["case_reference"] = (
            f"Enter a case reference of {REFERENCE_MAX} characters or fewer."
        )
    label = _text(problems, "label", label, "The label", LABEL_MAX)
    discussion = _text(problems, "discussion", discussion, "The discussion", CASE_TEXT_MAX)
    decision = _text(problems, "decision", decision, "The decision", CASE_TEXT_MAX)
    rationale = _text(problems, "rationale", rationale, "The rationale", CASE_TEXT_MAX)
    if decision and not rationale:
        problems["rationale"] = "Enter the rationale for the decision."
    if case_holder is None or case_holder.pk not in member_ids(record):
        problems["case_holder"] = "Choose whose case it is, from the group."
    if GroupCaseDiscussion.objects.filter(record=record).count() >= GROUP_CASES_MAX:
        problems["case_reference"] = f"A group record holds at most {GROUP_CASES_MAX} cases."
    _raise(problems)
    position = GroupCaseDiscussion.objects.filter(record=record).aggregate(top=Max("position"))
    case = GroupCaseDiscussion.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        position=(position["top"] or 0) + 1,
        case_reference=reference,
        label=label,
        case_holder=case_holder,
        discussion=discussion,
        decision=decision,
        rationale=rationale,
    )
    _audit(record, by, "case_add", case=case.pk, case_reference=reference)
    return case


@transaction.atomic
def group_case_remove(*, case: GroupCaseDiscussion, by: Person) -> None:
    record = _writable(case.record, by)
    GroupCaseDiscussion.objects.filter(pk=case.pk, record=record).delete()
    _audit(record, by, "case_remove", case=case.pk)


@transaction.atomic
def group_action_add(
    *,
    record: GroupRecord,
    by: Person,
    text: str,
    owner: Person | None,
    due_on: datetime.date | None,
) -> GroupAction:
    record = _writable(record, by)
    problems: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        problems["text"] = "Enter what will be done."
    elif len(text) > ACTION_MAX:
        problems["text"] = f"Enter the action in {ACTION_MAX} characters or fewer."
    if owner is None or owner.pk not in member_ids(record) | {record.supervisor_id}:
        problems["owner"] = "Choose who will do it, from the group or its supervisor."
    if due_on is None:
        problems["due_on"] = "Enter the date it is due."
    elif due_on < record.held_on:
        problems["due_on"] = "The due date must be on or after the day of the session."
    if GroupAction.objects.filter(record=record).count() >= GROUP_ACTIONS_MAX:
        problems["text"] = f"A group record holds at most {GROUP_ACTIONS_MAX} actions."
    _raise(problems)
    action = GroupAction.objects.create(
        organisation_id=record.organisation_id, record=record, text=text, owner=owner, due_on=due_on
    )
    _audit(record, by, "action_add", action=action.pk)
    return action


@transaction.atomic
def group_action_remove(*, action: GroupAction, by: Person) -> None:
    record = _writable(action.record, by)
    GroupAction.objects.filter(pk=action.pk, record=record).delete()
    _audit(record, by, "action_remove", action=action.pk)


@transaction.atomic
def group_record_share(*, record: GroupRecord, by: Person) -> GroupRecord:
    """Shared with the group: it never changes again, and each member is asked to read it."""
    record = _writable(record, by)
    if not GroupAttendance.objects.filter(record=record, present=True).exists():
        _raise({"present": "Mark who was present before sharing the record."})
    GroupRecord.objects.filter(pk=record.pk).update(
        status=GroupRecordStatus.SHARED, shared_at=timezone.now()
    )
    record.refresh_from_db()
    _audit(record, by, "share")
    return record


@transaction.atomic
def group_record_acknowledge(*, record: GroupRecord, by: Person) -> GroupAttendance:
    """A member has read the shared record."""
    if record.status != GroupRecordStatus.SHARED:
        raise ValidationError("The record has not been shared with the group yet.")
    attendance = (
        GroupAttendance.objects.select_for_update(of=("self",))
        .filter(record=record, person=by)
        .first()
    )
    if attendance is None:
        raise ValidationError("Only the group's members acknowledge its record.")
    if attendance.acknowledged_at is None:
        attendance.acknowledged_at = timezone.now()
        attendance.save(update_fields=["acknowledged_at"])
        _audit(record, by, "acknowledge")
    return attendance


@transaction.atomic
def group_action_set_status(*, action: GroupAction, by: Person, status: str) -> GroupAction:
    """Follow-up of an action: its owner or the group's supervisor marks it done."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": ["Choose open, done or no longer needed."]})
    action = (
        GroupAction.objects.select_for_update(of=("self",))
        .select_related("record")
        .get(pk=action.pk)
    )
    if by.pk not in (action.owner_id, action.record.supervisor_id):
        raise ValidationError("Only the action's owner or the group's supervisor changes it.")
    action.status = status
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.save(update_fields=["status", "completed_at"])
    _audit(action.record, by, "action_status", action=action.pk, status=status)
    return action
