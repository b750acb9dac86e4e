"""API operations on the quality of supervision and the supervisor's pathway: supervision
audits, case-file audits, group records, pathways, the pipeline and the equality figures. The
same permissions as the pages (``rules``): an audit is read by its auditor, the supervisor
audited and those above, never by anyone in the supervisee's team; equality figures are
aggregates with small groups suppressed, and nobody's equality data is ever in a person object.
Anyone else of the organisation is refused (403), anyone of another finds nothing (404)."""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages
from tandem.meetings.api import Id
from tandem.organisations.access import PersonRequest
from tandem.organisations.api import ERRORS, PersonRef
from tandem.records.models import GroupRecord
from tandem.records.selectors import group_record_role, group_records_readable

from . import selectors
from .models import Pathway, PipelineEntry, SupervisionAudit

router = Router(tags=["quality"])


class AuditResponseOut(Schema):
    group: str
    text: str
    weight: int
    fact: str
    suggested: str
    answer: str
    comment: str


class AuditOut(Schema):
    id: int
    supervisor: PersonRef
    supervisee: PersonRef
    auditor: PersonRef
    starts_on: datetime.date
    ends_on: datetime.date
    seed: int
    status: str
    score: int | None
    summary: str
    completed_at: datetime.datetime | None
    reply: str
    replied_at: datetime.datetime | None
    record_ids: list[int]
    responses: list[AuditResponseOut]


class AuditSummaryOut(Schema):
    id: int
    supervisor: PersonRef
    supervisee: PersonRef
    auditor: PersonRef
    starts_on: datetime.date
    ends_on: datetime.date
    status: str
    score: int | None


class CaseAuditOut(Schema):
    id: int
    worker: PersonRef
    case_reference: str
    label: str
    by_rule: bool
    stage: str
    grade: str
    audited_on: datetime.date | None
    findings: str
    required_actions: str
    learning_note: str
    learning_record_id: int | None
    impact_note: str
    impact_record_id: int | None


class GroupAttendeeOut(Schema):
    person: PersonRef
    present: bool
    acknowledged_at: datetime.datetime | None


class GroupCaseOut(Schema):
    case_reference: str
    label: str
    case_holder: PersonRef
    discussion: str
    decision: str
    rationale: str


class GroupActionOut(Schema):
    text: str
    owner: PersonRef
    due_on: datetime.date
    status: str


class GroupRecordOut(Schema):
    id: int
    session_id: int
    title: str
    supervisor: PersonRef
    held_on: datetime.date
    status: str
    shared_at: datetime.datetime | None
    learning_points: str
    attendance: list[GroupAttendeeOut]
    cases: list[GroupCaseOut]
    actions: list[GroupActionOut]


class PathwayItemOut(Schema):
    area: str
    title: str
    due_on: datetime.date | None
    done_on: datetime.date | None


class PathwayPointOut(Schema):
    point: str
    on: datetime.date
    completed_on: datetime.date | None
    due: bool


class PathwayOut(Schema):
    id: int
    person: PersonRef
    starts_on: datetime.date
    status: str
    months_in: int
    done: int
    overdue: int
    items: list[PathwayItemOut]
    self_assessments: list[PathwayPointOut]
    own_sessions: int
    group_sessions: int


class PipelineOut(Schema):
    id: int
    person: PersonRef
    identified_on: datetime.date
    status: str
    status_on: datetime.date
    plan: list[str]


class EqualityRowOut(Schema):
    group: str
    shown: bool
    staff: int | None
    in_pipeline: int | None
    appointed: int | None
    coached: int | None


class EqualityOut(Schema):
    characteristic: str
    rows: list[EqualityRowOut]


def _audit(request: PersonRequest, pk: int) -> SupervisionAudit:
    found = (
        SupervisionAudit.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("supervisor", "supervisee", "auditor")
        .first()
    )
    if found is None:
        raise Http404
    if not request.user.has_perm("quality.view_audit", found):
        raise PermissionDenied
    return found


@router.get(
    "/quality/audits",
    response={200: list[AuditSummaryOut], **ERRORS},
    summary="Supervision audits the caller may read, newest first",
)
@paginate(ApiPages)
def audit_list(request: PersonRequest) -> Any:
    return selectors.audits_visible_to(request.person)


@router.get(
    "/quality/audits/{audit_id}",
    response={200: AuditOut, **ERRORS},
    summary="One supervision audit: its sample, the facts, the answers, the score, the reply",
)
def audit_detail(request: PersonRequest, audit_id: Id) -> Any:
    found = _audit(request, audit_id)
    return {
        **{f: getattr(found, f) for f in AuditSummaryOut.model_fields},
        "seed": found.seed,
        "summary": found.summary,
        "completed_at": found.completed_at,
        "reply": found.reply,
        "replied_at": found.replied_at,
        "record_ids": list(found.sample.values_list("record_id", flat=True)),
        "responses": list(found.responses.all()),
    }


@router.get(
    "/quality/case-audits",
    response={200: list[CaseAuditOut], **ERRORS},
    summary="Case-file audits the caller may read, newest first",
)
@paginate(ApiPages)
def case_audit_list(request: PersonRequest) -> Any:
    return selectors.case_audits_visible_to(request.person).order_by("-created_at", "-id")


@router.get(
    "/group-records",
    response={200: list[GroupRecordOut], **ERRORS},
    summary="Group supervision records the caller may read, newest first",
    description="There is no welfare in a group record, ever.",
)
@paginate(ApiPages)
def group_record_list(request: PersonRequest) -> Any:
    return [
        _group_body(record)
        for record in group_records_readable(person=request.person)
        .prefetch_related("attendance__person", "cases__case_holder", "actions__owner")
        .order_by("-held_on", "-id")[:1000]
    ]


def _group_body(record: GroupRecord) -> dict[str, Any]:
    return {
        "id": record.pk,
        "session_id": record.session_id,
        "title": record.session.title,
        "supervisor": record.supervisor,
        "held_on": record.held_on,
        "status": record.status,
        "shared_at": record.shared_at,
        "learning_points": record.learning_points,
        "attendance": list(record.attendance.all()),
        "cases": list(record.cases.all()),
        "actions": list(record.actions.all()),
    }


@router.get(
    "/group-records/{record_id}",
    response={200: GroupRecordOut, **ERRORS},
    summary="One group supervision record",
)
def group_record_detail(request: PersonRequest, record_id: Id) -> Any:
    record = (
        GroupRecord.objects.filter(organisation_id=request.person.organisation_id, pk=record_id)
        .select_related("session", "supervisor")
        .first()
    )
    if record is None:
        raise Http404
    if group_record_role(request.person, record) is None:
        raise PermissionDenied
    return _group_body(record)


@router.get(
    "/pathways/{pathway_id}",
    response={200: PathwayOut, **ERRORS},
    summary="A practice supervisor's pathway: the plan and the KSS self-assessments",
)
def pathway_detail(request: PersonRequest, pathway_id: Id) -> Any:
    found = (
        Pathway.objects.filter(organisation_id=request.person.organisation_id, pk=pathway_id)
        .select_related("person")
        .first()
    )
    if found is None:
        raise Http404
    if not (
        request.user.has_perm("quality.view_pathway", found.person)
        or found.supporter_id == request.person.pk
    ):
        raise PermissionDenied
    progress = selectors.pathway_progress(found, timezone.localdate())
    return {
        "id": found.pk,
        "person": found.person,
        "starts_on": found.starts_on,
        "status": found.status,
        "months_in": progress.months_in,
        "done": progress.done,
        "overdue": progress.overdue,
        "items": progress.items,
        "self_assessments": [
            {
                "point": p["point"],
                "on": p["on"],
                "completed_on": p["done"].completed_on if p["done"] else None,
                "due": p["due"],
            }
            for p in progress.points
        ],
        "own_sessions": progress.own_sessions,
        "group_sessions": progress.group_sessions,
    }


@router.get(
    "/quality/pipeline",
    response={200: list[PipelineOut], **ERRORS},
    summary="The pipeline of potential practice supervisors (HR and senior leaders)",
)
@paginate(ApiPages)
def pipeline_list(request: PersonRequest) -> Any:
    if not request.user.has_perm("quality.pipeline"):
        raise PermissionDenied
    entries = (
        PipelineEntry.objects.filter(organisation_id=request.person.organisation_id)
        .select_related("person")
        .prefetch_related("plan")
        .order_by("-identified_on", "-id")
    )
    return [
        {
            "id": e.pk,
            "person": e.person,
            "identified_on": e.identified_on,
            "status": e.status,
            "status_on": e.status_on,
            "plan": [item.get_kind_display() for item in e.plan.all()],
        }
        for e in entries[:1000]
    ]


@router.get(
    "/quality/equality-figures",
    response={200: list[EqualityOut], **ERRORS},
    summary="Equal opportunities figures: aggregates only, small groups suppressed",
    description="A group of fewer than 5 people has `shown` false and no figures; when only "
    "one group would be hidden, the next smallest is hidden too. HR and senior leaders.",
)
def equality_figures(request: PersonRequest) -> Any:
    if not request.user.has_perm("quality.equality_figures"):
        raise PermissionDenied
    figures = selectors.equality_figures(request.person.organisation, timezone.localdate())
    return [
        {
            "characteristic": name,
            "rows": [
                {
                    "group": row.label,
                    "shown": not row.suppressed,
                    "staff": row.staff,
                    "in_pipeline": row.in_pipeline,
                    "appointed": row.appointed,
                    "coached": row.coached,
                }
                for row in rows
            ],
        }
        for name, rows in figures.items()
    ]
