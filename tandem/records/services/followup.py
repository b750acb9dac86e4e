"""After the session: actions carried into the next session's agenda and their progress, and
records not shared by their deadline flagged to the people concerned."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.scoping import across_organisations
from tandem.core.services import audit_event_write
from tandem.meetings.models import AgendaItem, Session, SessionStatus, SupervisionFunction
from tandem.organisations.models import Person

from ..models import (
    Action,
    ActionStatus,
    Record,
    RecordStatus,
)

# Actions
from ._common import _tell, _url, _user
from .disagreements import _first_above, supervisor_managers


def carry_open_actions(record: Record) -> list[int]:
    """Open actions of the pair go on their next booked session's agenda, once: an action whose
    item is already there (put there before, or carried there by the meetings app as an
    unfinished item of the session in between) is not added again. Returns the ids of the
    actions added."""
    following = (
        Session.objects.filter(
            organisation_id=record.organisation_id,
            supervisor_id=record.supervisor_id,
            supervisee_id=record.supervisee_id,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=record.session.starts_at,
        )
        .order_by("starts_at", "id")
        .first()
    )
    if following is None:
        return []
    actions = list(
        Action.objects.filter(
            organisation_id=record.organisation_id,
            record__supervisor_id=record.supervisor_id,
            record__supervisee_id=record.supervisee_id,
            status=ActionStatus.OPEN,
        )
        .select_related("owner")
        .order_by("due_on", "position", "id")
    )
    there = _items_on(following, {a.agenda_item_id for a in actions if a.agenda_item_id})
    carried = []
    for action in actions:
        copy = there.get(action.agenda_item_id) if action.agenda_item_id else None
        if copy is not None:
            if copy != action.agenda_item_id:
                # Follow the copy, so marking the action done ticks the item on that agenda.
                action.agenda_item_id = copy
                action.save(update_fields=["agenda_item"])
            continue
        item = AgendaItem.objects.create(
            organisation_id=following.organisation_id,
            session=following,
            added_by=record.supervisor,
            title=f"Action: {action.text}"[:200],
            detail=f"{action.owner.full_name}, due {long_date(action.due_on)}"
            + (f", case {action.case_reference}" if action.case_reference else ""),
            minutes=5,
            function=SupervisionFunction.MANAGEMENT,
        )
        action.agenda_item = item
        action.save(update_fields=["agenda_item"])
        carried.append(action.pk)
    return carried


def _items_on(session: Session, item_ids: set[int]) -> dict[int, int]:
    """For each of these agenda items, the id of it or its carried copy on ``session``, if
    there is one. One query per step of carrying (an item is carried once per session)."""
    found: dict[int, int] = {}
    # Each item still to follow, with the original it descends from.
    frontier = {pk: pk for pk in item_ids}
    for _ in range(100):
        if not frontier:
            break
        following: dict[int, int] = {}
        rows = AgendaItem.objects.filter(
            Q(pk__in=list(frontier)) | Q(carried_from_id__in=list(frontier))
        ).values_list("pk", "carried_from_id", "session_id")
        for pk, parent, session_id in rows:
            original = frontier.get(pk) if pk in frontier else frontier.get(parent)
            if original is None or original in found:
                continue
            if session_id == session.pk:
                found[original] = pk
            elif pk not in frontier:
                following[pk] = original
        frontier = {pk: original for pk, original in following.items() if original not in found}
    return found


@transaction.atomic
def action_set_status(*, action: Action, by: Person, status: str) -> Action:
    """Progress on an action (done, no longer needed, open again): follow-up, not a change to
    the record, so it is allowed after signing, by the owner or either party."""
    action = Action.objects.select_for_update().select_related("record").get(pk=action.pk)
    record = action.record
    if by.pk not in (action.owner_id, record.supervisor_id, record.supervisee_id):
        raise ValidationError("Only the people in the supervision update its actions.")
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, done or no longer needed."})
    if action.status == status:
        return action
    action.status = status
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.save(update_fields=["status", "completed_at"])
    if action.agenda_item_id is not None:
        AgendaItem.objects.filter(pk=action.agenda_item_id).update(done=status != ActionStatus.OPEN)
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="action.status",
        target=record,
        detail={"action": action.pk, "status": status},
    )
    return action


# Deadlines


@across_organisations(
    "the daily round: records not shared by their due date, in every organisation"
)
def records_overdue_notify(*, today: datetime.date | None = None) -> int:
    """Once per record: tell both parties and the supervisor's manager that a record was not
    shared by its due date. Returns how many records were flagged."""
    today = today or timezone.localdate()
    # The ids first: the loop marks each record, so it must not read the table it changes.
    ids = list(
        Record.objects.filter(
            status=RecordStatus.DRAFT, due_on__lt=today, overdue_notified_on__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(ids), 500):
        chunk = Record.objects.filter(pk__in=ids[start : start + 500]).select_related(
            "organisation", "supervisor__user", "supervisee__user"
        )
        count += sum(_overdue_notify_one(record, today) for record in chunk.order_by("pk"))
    return count


def _overdue_notify_one(record: Record, today: datetime.date) -> bool:
    with transaction.atomic():
        # Locked and checked again: a record shared or flagged meanwhile is left alone.
        still_due = (
            Record.objects.select_for_update()
            .filter(pk=record.pk, status=RecordStatus.DRAFT, overdue_notified_on__isnull=True)
            .exists()
        )
        if not still_due:
            return False
        subject = (
            f"The record of the supervision of {record.supervisee.full_name} on "
            f"{long_date(record.held_on)} was due to be shared by {long_date(record.due_on)}"
        )
        people = [record.supervisor, record.supervisee]
        manager = _first_above(
            supervisor_managers(record.supervisor), {record.supervisor_id, record.supervisee_id}
        )
        if manager is not None:
            people.append(manager.person)
        for person in people:
            _tell(record, person, subject, _url(record))
        Record.objects.filter(pk=record.pk).update(overdue_notified_on=today)
        audit_event_write(
            organisation=record.organisation,
            actor=None,
            action="record.overdue",
            target=record,
            detail={"due_on": record.due_on.isoformat(), "told": [p.pk for p in people]},
        )
    return True
