"""What the records app adds to pages it does not own: My supervision (records to finish,
overdue actions, and for managers the records past their deadline and the disagreements to
resolve), a held session's page (its record), an agreement's page (who else may see its
records) and a person's page (their recent records, for those who may read them).

Each panel costs a fixed number of queries, however many records there are.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F
from django.utils import timezone

from tandem.agreements.models import Agreement
from tandem.meetings.models import Session, SessionKind, SessionStatus
from tandem.organisations.access import PersonRequest
from tandem.organisations.models import Person
from tandem.organisations.selectors import person_is_manager

from . import selectors
from .models import GroupRecord, Record, RecordSignature, RecordStatus, RecordViewer

HOME_PANEL_ROWS = 5
PERSON_PANEL_RECORDS = 10


def _first(queryset: Any, limit: int = HOME_PANEL_ROWS) -> tuple[list[Any], bool]:
    """The first rows, and whether there are more: one query."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def _records_to_finish(person: Person, today: Any) -> dict[str, Any]:
    """Drafts to write and share, and shared records awaiting my signature (or the other's).
    Two queries."""
    records, more = _first(selectors.records_to_finish(person=person))
    shared = [r.pk for r in records if r.status == RecordStatus.SHARED]
    signed_by_me = set()
    if shared:
        signed_by_me = set(
            RecordSignature.objects.filter(
                record_id__in=shared, person=person, version__number=F("record__version_number")
            ).values_list("record_id", flat=True)
        )
    rows = []
    for record in records:
        other = record.supervisee if record.supervisor_id == person.pk else record.supervisor
        if record.status == RecordStatus.DRAFT:
            next_step = "write"
        elif record.pk in signed_by_me:
            next_step = "awaiting"
        else:
            next_step = "sign"
        rows.append(
            {
                "record": record,
                "other": other,
                "next_step": next_step,
                "overdue": record.status == RecordStatus.DRAFT and record.due_on < today,
            }
        )
    return {"rows": rows, "more": more}


def home_panel(request: PersonRequest, person: Person) -> dict[str, Any] | None:
    """My records to finish and the overdue actions of my supervision, either side; for a
    manager, the records of their people past the sharing deadline; for whoever a disagreement
    was routed to, the disagreements to resolve. At most seven queries."""
    today = timezone.localdate()
    finish = _records_to_finish(person, today)
    actions, more_actions = _first(selectors.overdue_actions(person=person, today=today))
    # A team's manager, or the line manager of someone outside the units they lead.
    late, more_late = _first(selectors.overdue_records_managed(person=person, today=today))
    is_manager = bool(late) or person_is_manager(person)
    disagreements, more_disagreements = _first(selectors.disagreements_to_resolve(person=person))
    if not (finish["rows"] or actions or is_manager or disagreements):
        return None
    return {
        "template": "records/_home_panel.html",
        "me": person,
        "finish": finish,
        "actions": actions,
        "more_actions": more_actions,
        "is_manager": is_manager,
        "late": late,
        "more_late": more_late,
        "disagreements": disagreements,
        "more_disagreements": more_disagreements,
        "today": today,
    }


def session_panel(request: PersonRequest, session: Session) -> dict[str, Any] | None:
    """On a held one-to-one session's page: its record, with its status and a way in (the
    "session-record" page starts it if need be). Nothing for a session not held, a group
    session, or a reader who may not read the record. At most five queries. A held group
    session: its group record, for the group's supervisor, its members and their managers."""
    if session.status == SessionStatus.HELD and session.kind == SessionKind.GROUP:
        return _group_session_panel(request, session)
    if session.status != SessionStatus.HELD or session.supervisee_id is None:
        return None
    person = request.person
    record = Record.objects.filter(organisation_id=session.organisation_id, session=session).first()
    if record is None:
        if person.pk not in (session.supervisor_id, session.supervisee_id):
            return None
    elif not selectors.record_access(person, record).can_read:
        return None
    return {
        "template": "records/_session_panel.html",
        "record": record,
        "session": session,
        "overdue": record is not None
        and record.status == RecordStatus.DRAFT
        and record.due_on < timezone.localdate(),
    }


def _group_session_panel(request: PersonRequest, session: Session) -> dict[str, Any] | None:
    person = request.person
    record = GroupRecord.objects.filter(
        organisation_id=session.organisation_id, session=session
    ).first()
    if record is None:
        if person.pk != session.supervisor_id:
            return None
    elif selectors.group_record_role(person, record) is None:
        return None
    return {
        "template": "records/_group_session_panel.html",
        "group_record": record,
        "session": session,
        "writes": person.pk == session.supervisor_id,
    }


def agreement_panel(request: PersonRequest, agreement: Agreement) -> dict[str, Any] | None:
    """On an agreement's page: the others it names who may see the records, and for the two
    parties a link to change them. One query."""
    person = request.person
    viewers = list(
        RecordViewer.objects.filter(organisation_id=agreement.organisation_id, agreement=agreement)
        .select_related("person")
        .order_by("added_at", "id")
    )
    return {
        "template": "records/_agreement_panel.html",
        "agreement": agreement,
        "viewers": viewers,
        "can_change": person.pk in (agreement.supervisee_id, agreement.supervisor_id),
    }


def person_panel(request: PersonRequest, subject: Person) -> dict[str, Any] | None:
    """On a person's page: the records of their own supervision that the reader may read,
    newest first. Nothing when there are none. One query."""
    me = request.person
    records = list(
        selectors.readable_records(person=me)
        .filter(supervisee=subject)
        .order_by("-held_on", "-id")[:PERSON_PANEL_RECORDS]
    )
    if not records:
        return None
    return {"template": "records/_person_panel.html", "records": records, "subject": subject}
