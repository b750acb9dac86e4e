"""API operations on practitioner development: where a person stands (CPD, revalidation, the
Care Certificate, safeguarding training, the ASYE), their CPD records and objectives, logged
and reviewed. The same permissions as the pages (``rules``): the person and their supervisor
write, managers up the chain and HR read, the ASYE's assessor reads the ASYE; anyone else of
the organisation is refused (403), anyone of another finds nothing (404). A service's refusal is
a 400 whose ``detail`` is keyed by the field; input of the wrong shape is a 422."""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages
from tandem.meetings.api import Day, Id, Text
from tandem.organisations.access import PersonRequest
from tandem.organisations.api import ERRORS, PersonRef
from tandem.organisations.models import Person
from tandem.records.models import Record
from tandem.records.selectors import record_access

from . import asye_selectors, selectors, services
from .access import CHANGE, VIEW
from .models import CpdKind, CpdRecord, Objective, ObjectiveStatus

router = Router(tags=["development"])


class CpdIn(Schema):
    kind: CpdKind
    title: Text = Field(max_length=200)
    done_on: Day
    description: Text = Field(max_length=5000)
    learnt: Text = Field(max_length=5000)
    impact: Text = Field(max_length=5000)
    peer_reflection: bool = False
    peer_with: Text = Field("", max_length=200)
    peer_on: Day | None = None
    hours: Decimal | None = Field(None, ge=0, le=9999, decimal_places=1)
    participatory_hours: Decimal | None = Field(None, ge=0, le=9999, decimal_places=1)
    record_id: Id | None = Field(None, description="The supervision record it came from.")
    case_reference: Text = Field("", max_length=40, description="A case discussed there.")


class CpdOut(Schema):
    id: int
    person_id: int
    kind: str
    title: str
    done_on: datetime.date
    description: str
    learnt: str
    impact: str
    peer_reflection: bool
    counts_as_peer_reflection: bool
    peer_with: str
    peer_on: datetime.date | None
    hours: Decimal | None
    participatory_hours: Decimal | None
    source_record_id: int | None
    source_case_reference: str


class SweOut(Schema):
    year_starts_on: datetime.date
    year_ends_on: datetime.date
    records: int
    records_needed: int
    peer_reflected: int
    peer_needed: int
    state: str = Field(description="met, on_track or behind.")


class TallyOut(Schema):
    label: str
    have: Decimal
    need: Decimal
    met: bool


class RevalidationOut(Schema):
    due_on: datetime.date
    period_starts_on: datetime.date
    period_ends_on: datetime.date
    days_left: int
    due_soon: bool
    evidence_complete: bool
    confirmed: bool
    tallies: list[TallyOut]


class CareCertificateOut(Schema):
    started_on: datetime.date
    target_on: datetime.date
    completed_on: datetime.date | None
    signed_off: int
    total: int
    overdue: bool


class SafeguardingOut(Schema):
    training_due_on: datetime.date | None
    update_due_on: datetime.date | None
    current: bool


class ReviewPointOut(Schema):
    id: int
    key: str
    label: str
    due_on: datetime.date
    held_on: datetime.date | None
    optional: bool
    overdue: bool


class AsyeOut(Schema):
    id: int
    starts_on: datetime.date
    status: str
    programme: str
    assessor: PersonRef | None
    months_in: Decimal
    ends_on: datetime.date
    near_longest: bool
    weight_percent: int | None
    caseload_limit: int | None
    latest_caseload: int | None
    above_weighting: bool
    observations_done: int
    observations_required: int
    reviews: list[ReviewPointOut]
    recommendation: str
    panel_decision: str


class DevelopmentOut(Schema):
    person: PersonRef
    on: datetime.date
    schemes: list[str]
    swe: SweOut | None = None
    revalidation: RevalidationOut | None = None
    care_certificate: CareCertificateOut | None = None
    safeguarding: SafeguardingOut | None = None
    asye: AsyeOut | None = None
    open_objectives: int
    overdue_objectives: int


class ObjectiveIn(Schema):
    title: Text = Field(max_length=200)
    measure: Text = Field(max_length=5000)
    target_on: Day
    evidence: Text = Field("", max_length=5000)
    training_need: Text = Field("", max_length=200)


class ObjectiveOut(Schema):
    id: int
    person_id: int
    title: str
    measure: str
    target_on: datetime.date
    evidence: str
    training_need: str
    course_id: int | None
    status: str
    closed_on: datetime.date | None


class ReviewIn(Schema):
    progress: Text = Field(max_length=5000)
    status: ObjectiveStatus
    record_id: Id | None = Field(None, description="The supervision record it was reviewed in.")


class ReviewOut(Schema):
    id: int
    objective_id: int
    record_id: int | None
    reviewed_on: datetime.date
    progress: str
    status: str


def _subject(request: PersonRequest, person_id: int, perm: str = VIEW) -> Person:
    subject = (
        Person.objects.filter(organisation_id=request.person.organisation_id, pk=person_id)
        .select_related("organisation")
        .first()
    )
    if subject is None:
        raise Http404
    if not request.user.has_perm(perm, subject):
        raise PermissionDenied
    return subject


def _asye_body(position: Any) -> dict[str, Any]:
    a = position.asye
    return {
        "id": a.pk,
        "starts_on": a.starts_on,
        "status": a.status,
        "programme": str(a.programme),
        "assessor": a.assessor,
        "months_in": position.months_in,
        "ends_on": position.ends_on,
        "near_longest": position.near_longest,
        "weight_percent": position.weight_percent,
        "caseload_limit": position.caseload_limit,
        "latest_caseload": position.caseload.cases if position.caseload else None,
        "above_weighting": position.above_weighting,
        "observations_done": position.observations_done,
        "observations_required": position.programme.observations_required,
        "reviews": [
            {
                "id": row.review.pk,
                "key": row.review.key,
                "label": row.review.label,
                "due_on": row.review.due_on,
                "held_on": row.review.held_on,
                "optional": row.review.optional,
                "overdue": row.overdue,
            }
            for row in position.reviews
        ],
        "recommendation": a.recommendation,
        "panel_decision": a.panel_decision,
    }


@router.get(
    "/people/{person_id}/development",
    response={200: DevelopmentOut, **ERRORS},
    summary="Where a person stands in their development today",
    description="Each rule set that applies to them (Social Work England CPD, NMC revalidation, "
    "the Care Certificate, safeguarding lead training), their ASYE, and their objectives.",
)
def development(request: PersonRequest, person_id: Id) -> Any:
    subject = _subject(request, person_id)
    today = timezone.localdate()
    shown = selectors.positions(subject, today)
    open_ones = list(selectors.open_objectives(person=subject))
    body: dict[str, Any] = {
        "person": subject,
        "on": today,
        "schemes": shown["schemes"],
        "open_objectives": len(open_ones),
        "overdue_objectives": sum(1 for o in open_ones if o.target_on < today),
    }
    if swe := shown.get("swe"):
        body["swe"] = {
            "year_starts_on": swe.year.starts_on,
            "year_ends_on": swe.year.ends_on,
            "records": swe.records,
            "records_needed": swe.records_needed,
            "peer_reflected": swe.peer_reflected,
            "peer_needed": swe.peer_needed,
            "state": swe.state,
        }
    if revalidation := shown.get("revalidation"):
        body["revalidation"] = {
            "due_on": revalidation.revalidation.due_on,
            "period_starts_on": revalidation.period.starts_on,
            "period_ends_on": revalidation.period.ends_on,
            "days_left": revalidation.days_left,
            "due_soon": revalidation.due_soon,
            "evidence_complete": revalidation.evidence_complete,
            "confirmed": revalidation.confirmed,
            "tallies": [
                {"label": t.label, "have": t.have, "need": t.need, "met": t.met}
                for t in revalidation.tallies
            ],
        }
    if care := shown.get("care_certificate"):
        body["care_certificate"] = {
            "started_on": care.certificate.started_on,
            "target_on": care.certificate.target_on,
            "completed_on": care.certificate.completed_on,
            "signed_off": care.signed_off,
            "total": care.total,
            "overdue": care.overdue,
        }
    if safeguarding := shown.get("safeguarding"):
        body["safeguarding"] = {
            "training_due_on": safeguarding.training_due_on,
            "update_due_on": safeguarding.update_due_on,
            "current": safeguarding.current,
        }
    if shown.get("asye") is not None and request.user.has_perm("development.view_asye", subject):
        body["asye"] = _asye_body(shown["asye"])
    return body


@router.get(
    "/people/{person_id}/asye",
    response={200: AsyeOut, **ERRORS},
    summary="An NQSW's ASYE: its reviews and their due dates, caseload, observations",
)
def asye(request: PersonRequest, person_id: Id) -> Any:
    subject = _subject(request, person_id, "development.view_asye")
    current = asye_selectors.current_asye(subject)
    if current is None:
        raise Http404
    return _asye_body(asye_selectors.asye_position(current))


@router.get(
    "/people/{person_id}/cpd",
    response={200: list[CpdOut], **ERRORS},
    summary="A person's CPD records, newest first",
)
@paginate(ApiPages)
def cpd_list(request: PersonRequest, person_id: Id) -> Any:
    subject = _subject(request, person_id)
    return CpdRecord.objects.filter(person=subject).order_by("-done_on", "-id")


@router.post(
    "/people/{person_id}/cpd",
    response={201: CpdOut, **ERRORS},
    summary="Log a piece of CPD, from a supervision record if it came from one",
)
def cpd_add(request: PersonRequest, person_id: Id, payload: CpdIn) -> Any:
    subject = _subject(request, person_id, CHANGE)
    record = None
    if payload.record_id is not None:
        record = Record.objects.filter(
            organisation_id=subject.organisation_id, pk=payload.record_id
        ).first()
        if record is None or not record_access(request.person, record).reads_sections:
            raise ValidationError({"record_id": "Choose a supervision record you may read."})
    fields = payload.dict(exclude={"record_id", "case_reference"})
    cpd = services.cpd_record_add(
        person=subject,
        by=request.person,
        fields=fields,
        source_record=record,
        source_case_reference=payload.case_reference,
    )
    return Status(201, cpd)


@router.get("/cpd/{cpd_id}", response={200: CpdOut, **ERRORS}, summary="One CPD record")
def cpd_detail(request: PersonRequest, cpd_id: Id) -> Any:
    cpd = (
        CpdRecord.objects.filter(organisation_id=request.person.organisation_id, pk=cpd_id)
        .select_related("person")
        .first()
    )
    if cpd is None:
        raise Http404
    if not request.user.has_perm(VIEW, cpd.person):
        raise PermissionDenied
    return cpd


@router.get(
    "/people/{person_id}/objectives",
    response={200: list[ObjectiveOut], **ERRORS},
    summary="A person's development plan: open objectives first, by target date",
)
@paginate(ApiPages)
def objective_list(request: PersonRequest, person_id: Id) -> Any:
    subject = _subject(request, person_id)
    return selectors.objectives(person=subject).order_by("status", "target_on", "id")


@router.post(
    "/people/{person_id}/objectives",
    response={201: ObjectiveOut, **ERRORS},
    summary="Add an objective to a person's development plan",
)
def objective_add(request: PersonRequest, person_id: Id, payload: ObjectiveIn) -> Any:
    subject = _subject(request, person_id, CHANGE)
    objective = services.objective_add(person=subject, by=request.person, fields=payload.dict())
    return Status(201, objective)


@router.post(
    "/objectives/{objective_id}/reviews",
    response={201: ReviewOut, **ERRORS},
    summary="Review an objective, in a supervision record or on its own",
)
def objective_review(request: PersonRequest, objective_id: Id, payload: ReviewIn) -> Any:
    objective = (
        Objective.objects.filter(organisation_id=request.person.organisation_id, pk=objective_id)
        .select_related("person")
        .first()
    )
    if objective is None or not request.user.has_perm(VIEW, objective.person):
        raise Http404
    if not request.user.has_perm(CHANGE, objective.person):
        raise PermissionDenied
    record = None
    if payload.record_id is not None:
        record = Record.objects.filter(
            organisation_id=objective.organisation_id, pk=payload.record_id
        ).first()
        if record is None or not record_access(request.person, record).reads_sections:
            raise ValidationError({"record_id": "Choose a supervision record you may read."})
    review = services.objective_review(
        objective=objective,
        by=request.person,
        progress=payload.progress,
        status=payload.status,
        record=record,
    )
    return Status(201, review)
