"""API operations on supervision records: read them at the level the reader may, write them
with optimistic concurrency, share, sign, add addenda, record and resolve disagreements, open
the welfare section by break-glass, follow up actions and export case decisions.

Thin, like the pages: find the record in the person's organisation and ask ``record_access``;
anyone who may not read it gets a 404, as on the pages. A reader who may not make a change is
forbidden (403). The change is the same service the pages call; its refusal comes back as a 400
whose ``detail`` is keyed by the field it is about (``sections.performance``,
``cases.0.case_reference``, ``version``...), and input of the wrong shape is a 422. Every read
of a record's words is audited (``services.record_read``, how "api").

What a reader is shown follows their level: the welfare section only to those who read it (the
key is left out otherwise), and to people the agreement lets see case discussions only, only
those.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages
from tandem.core.services import audit_event_write
from tandem.meetings.api import Id
from tandem.meetings.models import AgendaItem, Session
from tandem.organisations.access import PersonRequest
from tandem.organisations.api import ERRORS
from tandem.organisations.models import Person

from . import layout as layouts
from . import selectors, services
from .models import (
    Action,
    ActionStatus,
    Addendum,
    Disagreement,
    Record,
    RecordVersion,
    WelfareAccess,
)
from .schemas import (
    ActionFilter,
    ActionOut,
    ActionStatusIn,
    AddendumIn,
    AddendumOut,
    CaseDecisionOut,
    CaseFilter,
    ConflictOut,
    DisagreementIn,
    DisagreementOut,
    RecordFilter,
    RecordOut,
    RecordSummaryOut,
    ResolveIn,
    SaveIn,
    VersionIn,
    VersionNumber,
    VersionOut,
    VersionSummaryOut,
    WelfareAccessOut,
    WelfareIn,
)
from .selectors import Access, AccessReason

router = Router(tags=["records"])

# Finding things


def _record(request: PersonRequest, pk: int) -> tuple[Record, Access]:
    """The record and what I may read of it: not found (404) unless I may read some of it."""
    record = selectors.record_for_page(organisation_id=request.person.organisation_id, pk=pk)
    access = selectors.record_access(request.person, record) if record else selectors.NO_ACCESS
    if record is None or not access.can_read:
        raise Http404
    return record, access


def _party_record(request: PersonRequest, pk: int) -> tuple[Record, Access]:
    """A record I may change: one I read and am a party to (403 for other readers)."""
    record, access = _record(request, pk)
    if not access.is_party:
        raise PermissionDenied
    return record, access


def _my_actions(person: Person) -> QuerySet[Action]:
    """Actions I own or that were agreed in my supervision."""
    return selectors.actions_of(person=person)


def _disagreements() -> QuerySet[Disagreement]:
    return Disagreement.objects.select_related(
        "raised_by", "routed_to", "resolved_by", "record__supervisor", "record__supervisee"
    )


# What a reader is shown


def _content(content: dict[str, Any], access: Access) -> dict[str, Any]:
    shown: dict[str, Any] = {"cases": content.get("cases", [])}
    if access.reads_sections:
        shown["sections"] = content.get("sections", {})
        shown["agenda"] = content.get("agenda", {})
        shown["actions"] = content.get("actions", [])
    return shown


def _parts(access: Access) -> list[str]:
    parts = ["cases"]
    if access.reads_sections:
        parts += ["sections", "agenda", "actions"]
    if access.reads_welfare:
        parts.append("welfare")
    return parts


def _version(version: RecordVersion, access: Access) -> dict[str, Any]:
    body = {
        "number": version.number,
        "saved_by": version.saved_by,
        "saved_at": version.saved_at,
        "hash": version.content_hash,
        "content": _content(version.content, access),
    }
    if access.reads_welfare:
        body["welfare"] = version.welfare
    return body


def _summary(record: Record) -> dict[str, Any]:
    return {
        name: getattr(record, name)
        for name in (
            "id",
            "status",
            "supervisor",
            "supervisee",
            "session_id",
            "agreement_id",
            "held_on",
            "due_on",
            "version_number",
            "shared_at",
            "signed_at",
        )
    } | {"overdue": record.is_overdue}


def _level_name(access: Access) -> str:
    return {
        selectors.Level.FULL: "full",
        selectors.Level.WITHOUT_WELFARE: "without_welfare",
        selectors.Level.CASES: "cases",
    }[access.level]


def _record_body(request: PersonRequest, record: Record, access: Access) -> dict[str, Any]:
    """The record as this reader may read it; the read is audited."""
    me = request.person
    version = selectors.current_version(record, with_welfare=access.reads_welfare)
    layout = dict(record.layout)
    if not access.reads_sections:
        layout = {"reflection": layout.get("reflection", {})}
    body = _summary(record) | {
        "layout": layout,
        "access": {
            "level": _level_name(access),
            "reason": access.reason,
            "may_open_welfare": access.may_break_glass,
            "welfare_open_until": access.welfare_open_until,
        },
        "version": _version(version, access),
    }
    signed_roles: set[str] = set()
    if access.reads_sections:
        signatures = services.signatures_of_current(record)
        signed_roles = set(signatures)
        body |= {
            "agenda_items": list(
                AgendaItem.objects.filter(session_id=record.session_id)
                .order_by("created_at", "id")
                .values("id", "title")
            ),
            "signatures": list(signatures.values()),
            "addenda": list(Addendum.objects.filter(record=record).select_related("written_by")),
            "disagreements": list(_disagreements().filter(record=record)),
        }
    if access.reason == AccessReason.SUPERVISEE or access.may_break_glass:
        # The supervisee sees every opening of their welfare section; a manager their own.
        openings = WelfareAccess.objects.filter(record=record).select_related("person")
        if access.reason != AccessReason.SUPERVISEE:
            openings = openings.filter(person=me)
        body["welfare_accesses"] = list(openings)
    body["allowed"] = selectors.record_allowed(
        record=record, person=me, access=access, signed_roles=signed_roles
    )
    services.record_read(record=record, by=me, parts=_parts(access), how="api")
    return body


def _conflict(conflict: services.RecordConflict, access: Access) -> dict[str, Any]:
    mine = conflict.mine
    return {
        "detail": str(conflict),
        "theirs": _version(conflict.theirs, access),
        "mine": {
            "content": _content(mine, access),
            "welfare": mine["welfare"] if access.reads_welfare else "",
        },
    }


def _merged(record: Record, payload: SaveIn) -> dict[str, Any]:
    """What to save: the parts sent, and the parts left out as they were in the version the
    writer started from (so that a save of one part loses none of the others)."""
    base = RecordVersion.objects.filter(
        record=record, number=payload.base_version
    ).first() or selectors.current_version(record)
    content = base.content
    sections = dict(content.get("sections", {}))
    if payload.sections is not None:
        for name in (layouts.PERFORMANCE, layouts.DEVELOPMENT):
            value = getattr(payload.sections, name)
            if value is not None:
                sections[name] = value
    return {
        "sections": sections,
        "welfare": base.welfare if payload.welfare is None else payload.welfare,
        "agenda": content.get("agenda", {}) if payload.agenda is None else payload.agenda,
        "cases": (
            content.get("cases", [])
            if payload.cases is None
            else [case.model_dump() for case in payload.cases]
        ),
        "actions": (
            content.get("actions", [])
            if payload.actions is None
            else [action.model_dump() for action in payload.actions]
        ),
    }


# Records


@router.get(
    "/records",
    response={200: list[RecordSummaryOut], **ERRORS},
    summary="The records I may read: mine, my people's, and those an agreement lets me see",
)
@paginate(ApiPages)
def record_list(request: PersonRequest, filters: Query[RecordFilter]) -> Any:
    found = selectors.readable_records(person=request.person)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.supervisee_id is not None:
        found = found.filter(supervisee_id=filters.supervisee_id)
    return found.order_by("-held_on", "-id")


@router.get(
    "/records/{record_id}",
    response={200: RecordOut, **ERRORS},
    exclude_unset=True,
    summary="A record as I may read it: its latest version, signatures, addenda, disagreements",
    description=(
        "The supervisee and supervisor read all of it; managers up the chain read it without "
        "the welfare section, unless they have opened it by break-glass; people the agreement "
        "names read what it allows. The read is audited."
    ),
)
def record_detail(request: PersonRequest, record_id: Id) -> Any:
    record, access = _record(request, record_id)
    return _record_body(request, record, access)


@router.post(
    "/sessions/{session_id}/record",
    response={200: RecordOut, 201: RecordOut, **ERRORS},
    exclude_unset=True,
    summary="Start the record of a held session (201), or get the one it has (200)",
)
def session_record(request: PersonRequest, session_id: Id) -> Any:
    me = request.person
    session = Session.objects.for_organisation(me.organisation_id).filter(pk=session_id).first()
    if session is None or not request.user.has_perm("meetings.view_session", session):
        raise Http404
    existing = Record.objects.filter(session=session).values_list("pk", flat=True).first()
    if existing is not None:
        record, access = _record(request, existing)
        return Status(200, _record_body(request, record, access))
    if me.pk not in (session.supervisor_id, session.supervisee_id):
        raise PermissionDenied
    started = services.record_start(session=session, by=me)
    if started is None:
        raise ValidationError(
            {"session": "Only a held one-to-one session has a record: record it as held first."}
        )
    record, access = _record(request, started.pk)
    return Status(201, _record_body(request, record, access))


@router.get(
    "/records/{record_id}/versions",
    response={200: list[VersionSummaryOut], **ERRORS},
    summary="Every saved version of a record, newest first: who saved it, when, and its hash",
)
@paginate(ApiPages)
def version_list(request: PersonRequest, record_id: Id) -> Any:
    record, _access = _record(request, record_id)
    services.record_read(record=record, by=request.person, parts=["versions"], how="api")
    return selectors.version_history(record)


@router.get(
    "/records/{record_id}/versions/{number}",
    response={200: VersionOut, **ERRORS},
    exclude_unset=True,
    summary="One saved version of a record, as I may read it",
)
def version_detail(request: PersonRequest, record_id: Id, number: VersionNumber) -> Any:
    record, access = _record(request, record_id)
    versions = RecordVersion.objects.filter(record=record, number=number)
    if not access.reads_welfare:
        versions = versions.defer("welfare")
    version = versions.select_related("saved_by").first()
    if version is None:
        raise Http404
    services.record_read(
        record=record, by=request.person, parts=[*_parts(access), f"version {number}"], how="api"
    )
    return _version(version, access)


@router.post(
    "/records/{record_id}/versions",
    response={200: VersionOut, 201: VersionOut, 409: ConflictOut, **ERRORS},
    exclude_unset=True,
    summary="Save the record's words as a new version (201); unchanged words save nothing (200)",
    description=(
        "For the supervisor and the supervisee, until both have signed. Send `base_version`, the "
        "version the words were written from; parts left out stay as they were in it. If "
        "someone has saved since, nothing is saved and the answer is a 409 with both versions: "
        "`theirs`, the latest, and `mine`, what this save tried to write."
    ),
)
def record_save(request: PersonRequest, record_id: Id, payload: SaveIn) -> Any:
    record, access = _party_record(request, record_id)
    before = record.version_number
    words = _merged(record, payload)
    try:
        version = services.record_save(
            record=record,
            by=request.person,
            base_version=payload.base_version,
            **words,
        )
    except services.RecordConflict as conflict:
        return Status(409, _conflict(conflict, access))
    return Status(201 if version.number > before else 200, _version(version, access))


@router.post(
    "/records/{record_id}/share",
    response={200: RecordOut, **ERRORS},
    exclude_unset=True,
    summary="Share the draft with the other party, who is told; send the version read",
)
def record_share(request: PersonRequest, record_id: Id, payload: VersionIn) -> Any:
    record, _access = _party_record(request, record_id)
    services.record_share(record=record, by=request.person, version=payload.version)
    record, access = _record(request, record_id)
    return _record_body(request, record, access)


@router.post(
    "/records/{record_id}/sign",
    response={200: RecordOut, **ERRORS},
    exclude_unset=True,
    summary="Sign the version read as a true record; signed by both, it never changes again",
)
def record_sign(request: PersonRequest, record_id: Id, payload: VersionIn) -> Any:
    record, _access = _party_record(request, record_id)
    services.record_sign(record=record, by=request.person, version=payload.version)
    record, access = _record(request, record_id)
    return _record_body(request, record, access)


# Addenda


def _addendum(record: Record, number: int) -> Addendum:
    return Addendum.objects.select_related("written_by").get(record=record, number=number)


@router.post(
    "/records/{record_id}/addenda",
    response={201: AddendumOut, **ERRORS},
    summary="Add a correction or addition to a shared or signed record; signed by me at once",
)
def addendum_add(request: PersonRequest, record_id: Id, payload: AddendumIn) -> Any:
    record, _access = _party_record(request, record_id)
    added = services.addendum_add(record=record, by=request.person, text=payload.text)
    return Status(201, _addendum(record, added.number))


@router.post(
    "/records/{record_id}/addenda/{number}/sign",
    response={200: AddendumOut, **ERRORS},
    summary="Sign an addendum the other party wrote",
)
def addendum_sign(request: PersonRequest, record_id: Id, number: VersionNumber) -> Any:
    record, _access = _party_record(request, record_id)
    addendum = Addendum.objects.filter(record=record, number=number).first()
    if addendum is None:
        raise Http404
    services.addendum_sign(addendum=addendum, by=request.person)
    return _addendum(record, number)


# Disagreements


@router.post(
    "/records/{record_id}/disagreements",
    response={201: DisagreementOut, **ERRORS},
    summary="Record a disagreement beside a shared record; it is routed up the escalation chain",
    description=(
        "Kind `record`: either party disagrees with what the record says or decides. Kind "
        "`practice`: the supervisee's concern about the supervisor's practice. Either goes to "
        "the supervisor's manager, who records the resolution."
    ),
)
def disagreement_raise(request: PersonRequest, record_id: Id, payload: DisagreementIn) -> Any:
    record, _access = _party_record(request, record_id)
    raised = services.disagreement_raise(
        record=record,
        by=request.person,
        kind=payload.kind,
        about=payload.about,
        text=payload.text,
    )
    return Status(201, _disagreements().get(pk=raised.pk))


@router.get(
    "/disagreements",
    response={200: list[DisagreementOut], **ERRORS},
    summary="The open disagreements routed to me for a resolution",
)
@paginate(ApiPages)
def disagreement_list(request: PersonRequest) -> Any:
    return selectors.disagreements_to_resolve(person=request.person).select_related(
        "routed_to", "resolved_by"
    )


@router.post(
    "/disagreements/{disagreement_id}/resolve",
    response={200: DisagreementOut, **ERRORS},
    summary="Record the resolution of a disagreement routed to me",
)
def disagreement_resolve(request: PersonRequest, disagreement_id: Id, payload: ResolveIn) -> Any:
    me = request.person
    disagreement = (
        _disagreements().filter(pk=disagreement_id, organisation_id=me.organisation_id).first()
    )
    if disagreement is None or not selectors.record_access(me, disagreement.record).can_read:
        raise Http404
    if disagreement.routed_to_id != me.pk:
        raise PermissionDenied
    services.disagreement_resolve(disagreement=disagreement, by=me, resolution=payload.resolution)
    return _disagreements().get(pk=disagreement.pk)


# Break-glass


@router.post(
    "/records/{record_id}/welfare-access",
    response={201: WelfareAccessOut, **ERRORS},
    summary="Break-glass: open a record's welfare section, giving a reason",
    description=(
        "For a manager up the chain (or the manager a disagreement was routed to), e.g. for a "
        f"grievance or disciplinary procedure. For {services.BREAK_GLASS_MINUTES} minutes the "
        "record is read with its welfare section. Recorded, audited and shown to the supervisee, "
        "who is told."
    ),
)
def welfare_open(request: PersonRequest, record_id: Id, payload: WelfareIn) -> Any:
    record, access = _record(request, record_id)
    if not access.may_break_glass:
        raise PermissionDenied
    opened = services.welfare_open(record=record, by=request.person, reason=payload.reason)
    return Status(201, WelfareAccess.objects.select_related("person").get(pk=opened.pk))


# Actions


@router.get(
    "/actions",
    response={200: list[ActionOut], **ERRORS},
    summary="Actions I own or that were agreed in my supervision, soonest due first",
)
@paginate(ApiPages)
def action_list(request: PersonRequest, filters: Query[ActionFilter]) -> Any:
    found = _my_actions(request.person)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.overdue:
        found = found.filter(status=ActionStatus.OPEN, due_on__lt=timezone.localdate())
    return found.order_by("due_on", "id")


@router.post(
    "/actions/{action_id}/status",
    response={200: ActionOut, **ERRORS},
    summary="Mark an action done, no longer needed, or open again",
)
def action_status(request: PersonRequest, action_id: Id, payload: ActionStatusIn) -> Any:
    me = request.person
    action = (
        Action.objects.filter(pk=action_id, organisation_id=me.organisation_id)
        .select_related("record")
        .first()
    )
    if action is None or not selectors.record_access(me, action.record).reads_sections:
        raise Http404
    if me.pk not in (action.owner_id, action.record.supervisor_id, action.record.supervisee_id):
        raise PermissionDenied
    services.action_set_status(action=action, by=me, status=payload.status)
    return _my_actions(me).get(pk=action.pk)


# Case decisions


@router.get(
    "/case-decisions",
    response={200: list[CaseDecisionOut], **ERRORS},
    summary="Supervision decisions about one case, oldest first, for the case file",
    description=(
        "From the shared and signed records I may read; never the welfare section. Each is "
        'marked "Supervision decision".'
    ),
)
@paginate(ApiPages)
def case_decisions(request: PersonRequest, filters: Query[CaseFilter]) -> Any:
    reference = filters.case_reference.strip().upper()
    problem = layouts.case_reference_problem(reference)
    if problem:
        raise ValidationError({"case_reference": problem})
    me = request.person
    # One audit event per request, whatever the number of decisions: who asked about which case.
    audit_event_write(
        organisation=me.organisation,
        actor=request.user,
        action="case_decisions.export",
        summary=f"Supervision decisions for case {reference} (api)",
        detail={"case_reference": reference, "format": "api"},
    )
    return selectors.case_decisions(person=me, case_reference=reference)


class RecordReadOut(Schema):
    """One reading of my records by someone other than me and the record's supervisor."""

    at: datetime.datetime
    record_id: int
    who: str
    job_title: str
    welfare_opened: bool
    parts: list[str]
    how: str
    reason: str

    @staticmethod
    def resolve_record_id(event: Any) -> int:
        return int(event.object_id)

    @staticmethod
    def resolve_who(event: Any) -> str:
        return selectors.reader_of(event)[0]

    @staticmethod
    def resolve_job_title(event: Any) -> str:
        return selectors.reader_of(event)[1]

    @staticmethod
    def resolve_welfare_opened(event: Any) -> bool:
        return bool(event.action == selectors.BREAK_GLASS)

    @staticmethod
    def resolve_parts(event: Any) -> list[str]:
        return list((event.detail or {}).get("parts", []))

    @staticmethod
    def resolve_how(event: Any) -> str:
        return str((event.detail or {}).get("how", ""))

    @staticmethod
    def resolve_reason(event: Any) -> str:
        return str((event.detail or {}).get("reason", ""))


@router.get(
    "/me/record-reads",
    response={200: list[RecordReadOut], **ERRORS},
    summary="Who has read my records: everyone but me and the record's supervisor, newest first",
)
@paginate(ApiPages)
def record_reads(request: PersonRequest) -> Any:
    events, _records = selectors.reads_by_others(person=request.person)
    return events
