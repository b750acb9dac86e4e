"""Writes about supervision sessions and their agenda: one function per change, each audited in
the same transaction.

Every refusal is a ``ValidationError`` keyed by the field it is about (``starts_at``,
``duration_minutes``, ``supervisee``...), so pages put it next to what was typed and the API
returns it as it is. Nothing is written when anything is refused.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core.calendar import calendar_for
from tandem.core.dates import long_date
from tandem.core.services import audit_event_write
from tandem.organisations.models import Person

from ..models import (
    AgendaItem,
    CancelReason,
    Priority,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionFunction,
)

MAX_MINUTES = 8 * 60
# No session lasts longer than a PositiveSmallIntegerField holds: sessions starting earlier than
# this before a new one cannot overlap it, whoever booked them.
LONGEST_POSSIBLE = datetime.timedelta(minutes=32767)
# Called with (session=, by=) when a session is recorded as held, in the same transaction:
# the records app starts the session's record here.
SESSION_HELD_HOOKS: list[Callable[..., None]] = []
# Called with (sessions=) when sessions are booked, by hand or by the 12-month schedule, in the
# same transaction: the quality app puts a case-file audit's discussion waiting for a session on
# the agenda of the first one.
SESSION_BOOKED_HOOKS: list[Callable[..., None]] = []
# Agreements whose rules are in force, or being agreed: the ones a session follows.
AGREEMENT_STATUSES = [
    AgreementStatus.ACTIVE,
    AgreementStatus.DUE_FOR_REVIEW,
    AgreementStatus.AWAITING_SIGNATURES,
    AgreementStatus.DRAFT,
]


# Checks


def _minutes_text(minutes: int) -> str:
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _check_length(minutes: Any, field: str, problems: dict[str, str]) -> None:
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        problems[field] = "Enter the length in minutes, as a whole number, like 90."
    elif minutes <= 0:
        problems[field] = "Enter a length of at least 1 minute."
    elif minutes > MAX_MINUTES:
        problems[field] = f"A session lasts at most 8 hours ({MAX_MINUTES} minutes)."


def _check_time(
    *,
    supervisor: Person,
    starts_at: datetime.datetime,
    duration_minutes: Any,
    problems: dict[str, str],
    exclude: Session | None = None,
) -> None:
    """Not in the past, a sensible length, and no other session of the supervisor's at the
    same time (any session not cancelled that overlaps [starts_at, ends_at))."""
    _check_length(duration_minutes, "duration_minutes", problems)
    if timezone.is_naive(starts_at):
        problems["starts_at"] = "Enter the date and time of the session."
        return
    if starts_at < timezone.now():
        problems["starts_at"] = "The session must be in the future: enter a later date or time."
        return
    if "duration_minutes" in problems:
        return
    ends_at = starts_at + datetime.timedelta(minutes=duration_minutes)
    others = (
        Session.objects.filter(
            supervisor=supervisor,
            starts_at__lt=ends_at,
            starts_at__gt=starts_at - LONGEST_POSSIBLE,
        )
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("supervisee")
        .order_by("starts_at")
    )
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    clash = next((other for other in others if other.ends_at > starts_at), None)
    if clash is not None:
        start, end = _local(clash.starts_at), _local(clash.ends_at)
        with_whom = f" with {clash.supervisee.full_name}" if clash.supervisee else ""
        problems["starts_at"] = (
            f"{supervisor.full_name} already has a session{with_whom} from {start:%H:%M} to "
            f"{end:%H:%M} on {long_date(start)}. Choose a time that does not overlap it."
        )


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(dict(problems))


def _lock(session: Session) -> Session:
    """The session as it is now, locked until the change is written."""
    return Session.objects.select_for_update().get(pk=session.pk)


def _lock_supervisor(supervisor: Person) -> None:
    """Bookings for one supervisor are checked for overlaps one at a time."""
    Person.objects.select_for_update().filter(pk=supervisor.pk).first()


def _actor_user(by: Person | None) -> Any:
    return getattr(by, "user", by)


# Agreements


def agreement_of_pair(*, supervisor: Person, supervisee: Person) -> Agreement | None:
    """The pair's agreement a new session follows: the one in force, else the one being made."""
    agreements = list(
        Agreement.objects.filter(
            organisation_id=supervisee.organisation_id,
            supervisee=supervisee,
            supervisor=supervisor,
            status__in=AGREEMENT_STATUSES,
        ).order_by("-created_at", "-id")
    )
    for status in AGREEMENT_STATUSES:
        for agreement in agreements:
            if agreement.status == status:
                return agreement
    return None


def rebook_within(session: Session) -> int | None:
    """The working days the session's agreement allows to re-book a cancelled session."""
    agreement = session.agreement
    if agreement is None and session.supervisee is not None:
        agreement = agreement_of_pair(supervisor=session.supervisor, supervisee=session.supervisee)
    if agreement is None:
        return None
    version = agreement.versions.order_by("-number").first()
    return version.rebook_within_working_days if version is not None else None


def rebook_deadline(session: Session) -> datetime.date | None:
    """The last day to re-book this session if it is cancelled: its date plus the agreement's
    working days, on the organisation's calendar. None when the agreement sets no rule."""
    days = rebook_within(session)
    if days is None:
        return None
    calendar = calendar_for(session.organisation)
    return calendar.add_working_days(timezone.localdate(session.starts_at), days)


# Carrying agenda items on


def _carry(items: Iterable[AgendaItem], into: Session) -> list[AgendaItem]:
    """Copies of unfinished items in the new session's agenda, each pointing to its original."""
    now = timezone.now()
    copies = [
        AgendaItem(
            organisation_id=into.organisation_id,
            session=into,
            added_by_id=item.added_by_id,
            title=item.title,
            detail=item.detail,
            priority=item.priority,
            minutes=item.minutes,
            function=item.function,
            carried_from=item,
            created_at=now + datetime.timedelta(microseconds=index),
        )
        for index, item in enumerate(items)
        if not item.done
    ]
    return AgendaItem.objects.bulk_create(copies)


def previous_held_session(
    *, supervisor: Person, supervisee: Person, before: datetime.datetime
) -> Session | None:
    """The pair's last held session before this time."""
    return (
        Session.objects.filter(
            organisation_id=supervisee.organisation_id,
            supervisor=supervisor,
            supervisee=supervisee,
            status=SessionStatus.HELD,
            starts_at__lt=before,
        )
        .order_by("-starts_at", "-id")
        .first()
    )


def _taken_on(items: list[AgendaItem], *, besides: Session) -> set[int]:
    """Which of these items a scheduled or held session (other than ``besides``) has already
    taken on, directly or through cancelled sessions and their re-bookings."""
    taken: set[int] = set()
    # Each copy still to follow, with the original it descends from.
    frontier = {item.pk: item.pk for item in items}
    while frontier:
        copies = (
            AgendaItem.objects.filter(carried_from_id__in=list(frontier))
            .exclude(session=besides)
            .values_list("pk", "carried_from_id", "session__status")
        )
        following: dict[int, int] = {}
        for pk, parent, status in copies:
            original = frontier[parent]
            if status == SessionStatus.CANCELLED:
                following[pk] = original
            else:
                taken.add(original)
        frontier = {pk: original for pk, original in following.items() if original not in taken}
    return taken


def _unfinished_from_last_held(session: Session) -> list[AgendaItem]:
    """The unfinished items of the pair's last held session that no open session has taken on
    yet (a session already booked carries them; a cancelled one gives them back)."""
    if session.supervisee is None:
        return []
    last = previous_held_session(
        supervisor=session.supervisor, supervisee=session.supervisee, before=session.starts_at
    )
    if last is None:
        return []
    unfinished = list(last.agenda.filter(done=False).order_by("created_at", "id"))
    taken = _taken_on(unfinished, besides=session)
    return [item for item in unfinished if item.pk not in taken]


# Sessions


def _check_people(
    *,
    supervisor: Person,
    supervisee: Person | None,
    members: list[Person],
    kind: str,
    agreement: Agreement | None,
    title: str,
    problems: dict[str, str],
) -> None:
    organisation_id = supervisor.organisation_id
    if kind not in SessionKind.values:
        problems["kind"] = "Choose one to one, ad hoc or group supervision."
        return
    if kind == SessionKind.GROUP:
        if supervisee is not None:
            problems["supervisee"] = "A group session has members, not one supervisee."
        if not title.strip():
            problems["title"] = "Enter a name for the group, like Reflective practice group."
        if len(members) < 2:
            problems["members"] = "Choose at least 2 people for a group session."
        elif any(member.organisation_id != organisation_id for member in members):
            problems["members"] = "Choose people in your organisation."
        elif any(member.pk == supervisor.pk for member in members):
            problems["members"] = "The supervisor leads the group: choose the other people."
        return
    if members:
        problems["members"] = "Only group sessions have members."
    if supervisee is None:
        problems["supervisee"] = "Choose whom the session is with."
    elif supervisee.organisation_id != organisation_id:
        problems["supervisee"] = "Choose someone in your organisation."
    elif supervisee.pk == supervisor.pk:
        problems["supervisee"] = "A supervisor does not supervise themselves: choose someone else."
    if agreement is not None and (
        agreement.organisation_id != organisation_id
        or supervisee is None
        or agreement.supervisee_id != supervisee.pk
    ):
        problems["agreement"] = "Choose the agreement of this supervisee."


@transaction.atomic
def session_book(
    *,
    supervisor: Person,
    supervisee: Person | None = None,
    members: Iterable[Person] = (),
    kind: str,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str,
    agreement: Agreement | None = None,
    title: str = "",
    by: Person,
    from_schedule: bool = False,
) -> Session:
    """Book a session. Open actions and unfinished items from the pair's last held session are
    carried into its agenda automatically."""
    members = list(members)
    problems: dict[str, str] = {}
    _check_people(
        supervisor=supervisor,
        supervisee=supervisee,
        members=members,
        kind=kind,
        agreement=agreement,
        title=title,
        problems=problems,
    )
    if len(location) > 300:
        problems["location"] = "Enter a place of 300 characters or fewer."
    if len(title) > 200:
        problems["title"] = "Enter a title of 200 characters or fewer."
    _lock_supervisor(supervisor)
    _check_time(
        supervisor=supervisor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        problems=problems,
    )
    _raise(problems)
    if agreement is None and supervisee is not None:
        agreement = agreement_of_pair(supervisor=supervisor, supervisee=supervisee)
    session = Session.objects.create(
        organisation_id=supervisor.organisation_id,
        kind=kind,
        supervisor=supervisor,
        supervisee=supervisee,
        title=title,
        agreement=agreement,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        from_schedule=from_schedule,
        created_by=by if isinstance(by, Person) else None,
    )
    if members:
        session.members.set(members)
    carried = _carry(_unfinished_from_last_held(session), into=session)
    audit_event_write(
        organisation=supervisor.organisation,
        actor=_actor_user(by),
        action="session.book",
        target=session,
        detail={
            "kind": kind,
            "starts_at": starts_at.isoformat(),
            "duration_minutes": duration_minutes,
            "carried_items": [item.carried_from_id for item in carried],
        },
    )
    for hook in SESSION_BOOKED_HOOKS:
        hook(sessions=[session])
    return session


@transaction.atomic
def session_move(
    *,
    session: Session,
    starts_at: datetime.datetime,
    duration_minutes: int,
    location: str,
    by: Person,
) -> Session:
    """Move a scheduled session to another time, length or place: the same checks as booking."""
    session = _lock(session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a scheduled session can be moved.")
    problems: dict[str, str] = {}
    if len(location) > 300:
        problems["location"] = "Enter a place of 300 characters or fewer."
    _lock_supervisor(session.supervisor)
    _check_time(
        supervisor=session.supervisor,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        problems=problems,
        exclude=session,
    )
    _raise(problems)
    before = {
        "starts_at": session.starts_at.isoformat(),
        "duration_minutes": session.duration_minutes,
        "location": session.location,
    }
    session.starts_at = starts_at
    session.duration_minutes = duration_minutes
    session.location = location
    session.save(update_fields=["starts_at", "duration_minutes", "location"])
    audit_event_write(
        organisation=session.organisation,
        actor=_actor_user(by),
        action="session.move",
        target=session,
        detail={
            "before": before,
            "after": {
                "starts_at": starts_at.isoformat(),
                "duration_minutes": duration_minutes,
                "location": location,
            },
        },
    )
    return session


@transaction.atomic
def session_cancel(*, session: Session, by: Person, reason: str, note: str = "") -> Session:
    """Cancel a scheduled session. When the agreement says within how many working days a
    cancelled session is re-booked, ``rebook_by`` is that many working days after its date."""
    session = _lock(session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Only a scheduled session can be cancelled.")
    problems: dict[str, str] = {}
    if reason not in CancelReason.values:
        problems["reason"] = "Choose why the session is cancelled."
    elif reason == CancelReason.OTHER and not note.strip():
        problems["note"] = "Say why the session is cancelled."
    _raise(problems)
    session.status = SessionStatus.CANCELLED
    session.cancelled_by = by
    session.cancelled_at = timezone.now()
    session.cancel_reason = reason
    session.cancel_note = note
    session.rebook_by = rebook_deadline(session)
    session.save(
        update_fields=[
            "status",
            "cancelled_by",
            "cancelled_at",
            "cancel_reason",
            "cancel_note",
            "rebook_by",
        ]
    )
    audit_event_write(
        organisation=session.organisation,
        actor=_actor_user(by),
        action="session.cancel",
        target=session,
        detail={
            "by": by.pk,
            "reason": reason,
            "rebook_by": session.rebook_by.isoformat() if session.rebook_by else None,
        },
    )
    return session


@transaction.atomic
def session_rebook(
    *,
    cancelled: Session,
    starts_at: datetime.datetime,
    duration_minutes: int | None = None,
    location: str | None = None,
    by: Person,
) -> Session:
    """A new scheduled session in place of a cancelled one, with the same people and agenda
    (its unfinished items, carried). A cancelled session is re-booked once."""
    cancelled = _lock(cancelled)
    if cancelled.status != SessionStatus.CANCELLED:
        raise ValidationError("Only a cancelled session can be re-booked.")
    if Session.objects.filter(rebooked_from=cancelled).exists():
        raise ValidationError("This session has already been re-booked.")
    duration = cancelled.duration_minutes if duration_minutes is None else duration_minutes
    place = cancelled.location if location is None else location
    problems: dict[str, str] = {}
    if len(place) > 300:
        problems["location"] = "Enter a place of 300 characters or fewer."
    _lock_supervisor(cancelled.supervisor)
    _check_time(
        supervisor=cancelled.supervisor,
        starts_at=starts_at,
        duration_minutes=duration,
        problems=problems,
    )
    _raise(problems)
    session = Session.objects.create(
        organisation_id=cancelled.organisation_id,
        kind=cancelled.kind,
        supervisor=cancelled.supervisor,
        supervisee=cancelled.supervisee,
        title=cancelled.title,
        agreement=cancelled.agreement,
        starts_at=starts_at,
        duration_minutes=duration,
        location=place,
        rebooked_from=cancelled,
        created_by=by if isinstance(by, Person) else None,
    )
    members = list(cancelled.members.all())
    if members:
        session.members.set(members)
    carried = _carry(cancelled.agenda.order_by("created_at", "id"), into=session)
    audit_event_write(
        organisation=cancelled.organisation,
        actor=_actor_user(by),
        action="session.rebook",
        target=session,
        detail={
            "rebooked_from": cancelled.pk,
            "starts_at": starts_at.isoformat(),
            "rebook_by": cancelled.rebook_by.isoformat() if cancelled.rebook_by else None,
            "carried_items": [item.carried_from_id for item in carried],
        },
    )
    return session


@transaction.atomic
def session_record_held(
    *, session: Session, started_at: datetime.datetime, minutes: int, by: Person
) -> Session:
    """The session happened: when it really started and how many minutes it lasted."""
    session = _lock(session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(
            "This session was cancelled: re-book it instead."
            if session.status == SessionStatus.CANCELLED
            else "This session is already recorded as held."
        )
    problems: dict[str, str] = {}
    if timezone.is_naive(started_at):
        problems["started_at"] = "Enter when the session started."
    elif started_at > timezone.now():
        problems["started_at"] = "A session is recorded as held once it has happened."
    _check_length(minutes, "minutes", problems)
    _raise(problems)
    session.status = SessionStatus.HELD
    session.held_started_at = started_at
    session.held_minutes = minutes
    session.save(update_fields=["status", "held_started_at", "held_minutes"])
    carried = _carry_into_next(session)
    audit_event_write(
        organisation=session.organisation,
        actor=_actor_user(by),
        action="session.held",
        target=session,
        detail={
            "started_at": started_at.isoformat(),
            "minutes": minutes,
            "carried": [item.pk for item in carried],
        },
    )
    for hook in SESSION_HELD_HOOKS:
        hook(session=session, by=by)
    return session


def _carry_into_next(held: Session) -> list[AgendaItem]:
    """What a held session left unfinished goes on the pair's next booked session at once, so a
    session the schedule proposed in advance gets it too."""
    if held.supervisee is None:
        return []
    following = (
        Session.objects.filter(
            organisation_id=held.organisation_id,
            supervisor=held.supervisor,
            supervisee=held.supervisee,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=held.starts_at,
        )
        .order_by("starts_at", "id")
        .first()
    )
    if following is None:
        return []
    unfinished = list(held.agenda.filter(done=False).order_by("created_at", "id"))
    taken = _taken_on(unfinished, besides=following)
    return _carry([item for item in unfinished if item.pk not in taken], into=following)


# The agenda


def party_ids(session: Session) -> set[int]:
    """The people taking part: supervisor, supervisee and group members."""
    ids = {session.supervisor_id}
    if session.supervisee_id is not None:
        ids.add(session.supervisee_id)
    ids.update(session.members.values_list("pk", flat=True))
    return ids


@transaction.atomic
def agenda_item_add(
    *,
    session: Session,
    by: Person,
    title: str,
    detail: str = "",
    priority: str = Priority.MEDIUM,
    minutes: int = 10,
    function: str,
) -> AgendaItem:
    """An item on the agenda of a scheduled session, added by one of the people taking part."""
    session = _lock(session)
    if by.pk not in party_ids(session):
        raise ValidationError("Only the people taking part in the session add to its agenda.")
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError(
            "This session was cancelled: add to the agenda of the re-booked session."
            if session.status == SessionStatus.CANCELLED
            else "This session has been held: add the item to the next session's agenda."
        )
    problems: dict[str, str] = {}
    title = title.strip()
    if not title:
        problems["title"] = "Enter what the item is about."
    elif len(title) > 200:
        problems["title"] = "Enter a title of 200 characters or fewer."
    if priority not in Priority.values:
        problems["priority"] = "Choose high, medium or low priority."
    if function not in SupervisionFunction.values:
        problems["function"] = "Choose which function of supervision the item serves."
    _check_length(minutes, "minutes", problems)
    _raise(problems)
    item = AgendaItem.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        added_by=by,
        title=title,
        detail=detail,
        priority=priority,
        minutes=minutes,
        function=function,
    )
    audit_event_write(
        organisation=session.organisation,
        actor=_actor_user(by),
        action="agenda_item.add",
        target=session,
        summary=f"Agenda item added: {title}",
        detail={"item": item.pk, "minutes": minutes, "function": function},
    )
    return item


@transaction.atomic
def agenda_item_done(*, item: AgendaItem, done: bool = True, by: Person) -> AgendaItem:
    """Mark an item done (or not done after all). Items left not done when a session is held
    are carried into the pair's next session."""
    session = _lock(item.session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("This session was cancelled: its items are on the re-booked one.")
    item = AgendaItem.objects.get(pk=item.pk)
    if item.done == done:
        return item
    item.done = done
    item.save(update_fields=["done"])
    audit_event_write(
        organisation=session.organisation,
        actor=_actor_user(by),
        action="agenda_item.done" if done else "agenda_item.not_done",
        target=session,
        summary=f"Agenda item {'done' if done else 'not done'}: {item.title}",
        detail={"item": item.pk},
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: Person) -> None:
    """Take an item off the agenda of a scheduled session."""
    session = _lock(item.session)
    if session.status != SessionStatus.SCHEDULED:
        raise ValidationError("Items are only taken off the agenda of a scheduled session.")
    title, pk = item.title, item.pk
    AgendaItem.objects.filter(pk=pk).delete()
    audit_event_write(
        organisation=session.organisation,
        actor=_actor_user(by),
        action="agenda_item.remove",
        target=session,
        summary=f"Agenda item removed: {title}",
        detail={"item": pk},
    )
