"""The practice-supervisor pathway (the senior managers' briefing, points 2 and 3), the
pipeline of potential practice supervisors, and equality data each person declares."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from tandem.development.frameworks import Rating
from tandem.development.models import Appraisal
from tandem.organisations.models import Person

from ..frameworks import PS_KSS_HEADINGS, PS_KSS_VERSION
from ..models import (
    POINT_MONTHS,
    Disability,
    EqualityProfile,
    EthnicGroup,
    Pathway,
    PathwayArea,
    PathwayItem,
    PathwayPoint,
    PathwaySelfAssessment,
    PathwayStatus,
    PipelineEntry,
    PipelinePlanItem,
    PipelineStatus,
    PlanKind,
    Sex,
)
from ._common import audit, refuse_if, text

# The plan every new practice supervisor starts with: (area, what, months to do it in).
DEFAULT_PLAN: list[tuple[str, str, int]] = [
    (PathwayArea.INDUCTION, "Meet your team as their practice supervisor", 1),
    (PathwayArea.INDUCTION, "Meet your fellow practice supervisors and colleagues", 1),
    (PathwayArea.INDUCTION, "Meet your managers: what they expect of you in the role", 1),
    (PathwayArea.INDUCTION, "Meet the partner agencies you will work with as a manager", 3),
    (PathwayArea.INDUCTION, "Meet the finance officer: the budgets you hold", 3),
    (PathwayArea.INDUCTION, "Meet the data analysts: the figures about your team", 3),
    (PathwayArea.INDUCTION, "Meet the IT department: the systems you will use", 1),
    (
        PathwayArea.MODEL,
        "Training in the organisation's supervision model and reflective supervision",
        3,
    ),
    (PathwayArea.MODEL, "Read the supervision policy: roles and responsibilities", 1),
    (PathwayArea.PERFORMANCE, "Training and support in performance management procedures", 6),
    (PathwayArea.DATA, "Performance information training: what data is collected and why", 6),
    (PathwayArea.COACHING, "Agree a coach or mentor, and your first goals in the role", 2),
    (PathwayArea.PEER, "Join a peer supervision group or an action learning set", 3),
    (
        PathwayArea.PARTNERSHIP,
        "Take on a partnership responsibility, e.g. a multi-agency safeguarding sub-group",
        9,
    ),
]
# A self-assessment may be done from a month before its point.
EARLY = relativedelta(months=1)


@transaction.atomic
def pathway_start(
    *, person: Person, starts_on: datetime.date | None, supporter: Person | None, by: Person
) -> Pathway:
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = "Enter their first day as a practice supervisor."
    elif starts_on > timezone.localdate() + relativedelta(months=3):
        problems["starts_on"] = "Start the pathway no more than 3 months ahead."
    if supporter is not None and (
        supporter.organisation_id != person.organisation_id or supporter.pk == person.pk
    ):
        problems["supporter"] = "Choose someone else in the organisation to support them."
    if Pathway.objects.filter(person=person, status=PathwayStatus.ACTIVE).exists():
        problems["starts_on"] = f"{person.full_name} is on the pathway already."
    refuse_if(problems)
    assert starts_on is not None
    pathway = Pathway.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        starts_on=starts_on,
        supporter=supporter,
        created_by=by,
    )
    PathwayItem.objects.bulk_create(
        PathwayItem(
            organisation_id=person.organisation_id,
            pathway=pathway,
            area=area,
            title=title,
            due_on=starts_on + relativedelta(months=months),
            position=index,
        )
        for index, (area, title, months) in enumerate(DEFAULT_PLAN, start=1)
    )
    audit(
        by=by,
        organisation=person.organisation,
        action="pathway_started",
        target=pathway,
        person=person.pk,
    )
    return pathway


@transaction.atomic
def pathway_item_add(
    *,
    pathway: Pathway,
    by: Person,
    area: str,
    title: str,
    detail: str = "",
    due_on: datetime.date | None = None,
) -> PathwayItem:
    problems: dict[str, str] = {}
    if area not in PathwayArea.values:
        problems["area"] = "Choose which part of the pathway it belongs to."
    title = text(problems, "title", title, label="what it is", limit=200)
    detail = text(problems, "detail", detail, label="the detail", required=False)
    refuse_if(problems)
    item = PathwayItem.objects.create(
        organisation_id=pathway.organisation_id,
        pathway=pathway,
        area=area,
        title=title,
        detail=detail,
        due_on=due_on,
        position=pathway.items.count() + 1,
    )
    audit(by=by, organisation=pathway.person.organisation, action="pathway_item_added", target=item)
    return item


@transaction.atomic
def pathway_item_done(
    *, item: PathwayItem, by: Person, done_on: datetime.date | None, note: str = ""
) -> PathwayItem:
    problems: dict[str, str] = {}
    if done_on is None:
        problems["done_on"] = "Enter the date it was done."
    elif done_on > timezone.localdate():
        problems["done_on"] = "The date it was done must be today or in the past."
    note = text(problems, "detail", note, label="the note", required=False)
    refuse_if(problems)
    item.done_on = done_on
    if note:
        item.detail = note
    item.save(update_fields=["done_on", "detail"])
    audit(
        by=by,
        organisation=item.pathway.person.organisation,
        action="pathway_item_done",
        target=item,
    )
    return item


def point_date(pathway: Pathway, point: str) -> datetime.date:
    return pathway.starts_on + relativedelta(months=POINT_MONTHS[PathwayPoint(point)])


def points_open(pathway: Pathway, today: datetime.date) -> list[str]:
    """The self-assessments that may be done on ``today``: from a month before each point."""
    return [
        point
        for point in PathwayPoint.values
        if today
        >= point_date(pathway, point)
        - (EARLY if POINT_MONTHS[PathwayPoint(point)] else relativedelta())
    ]


def points_due(pathway: Pathway, today: datetime.date, done: set[str]) -> list[str]:
    """Self-assessments whose point has come and that are not done."""
    return [
        point
        for point in PathwayPoint.values
        if point not in done and today >= point_date(pathway, point)
    ]


@transaction.atomic
def self_assessment_save(
    *,
    pathway: Pathway,
    by: Person,
    point: str,
    completed_on: datetime.date | None,
    ratings: dict[str, dict[str, str]],
) -> PathwaySelfAssessment:
    """The person's self-assessment against the practice supervisor KSS headings at a point."""
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if by.pk != pathway.person_id:
        problems["completed_on"] = "A self-assessment is made by the practice supervisor."
    if point not in PathwayPoint.values:
        problems["completed_on"] = "Choose the start, 6 months or 12 months."
    elif point not in points_open(pathway, today):
        problems["completed_on"] = (
            f"This self-assessment opens on {point_date(pathway, point) - EARLY:%-d %B %Y}."
        )
    elif PathwaySelfAssessment.objects.filter(pathway=pathway, point=point).exists():
        problems["completed_on"] = "This self-assessment is done already."
    if completed_on is None:
        problems["completed_on"] = "Enter the date of the self-assessment."
    elif completed_on > today:
        problems["completed_on"] = "The date must be today or in the past."
    cleaned: dict[str, dict[str, str]] = {}
    for number, heading in PS_KSS_HEADINGS:
        entry = ratings.get(str(number), {})
        rating = entry.get("rating", "")
        if rating not in Rating.values:
            problems[f"rating_{number}"] = f"Choose how you rate yourself on “{heading}”."
        note = text(
            problems, f"note_{number}", entry.get("note", ""), label="the note", required=False
        )
        cleaned[str(number)] = {"rating": rating, "note": note}
    refuse_if(problems)
    assert completed_on is not None
    done = PathwaySelfAssessment.objects.create(
        organisation_id=pathway.organisation_id,
        pathway=pathway,
        point=point,
        framework=PS_KSS_VERSION,
        completed_on=completed_on,
        ratings=cleaned,
    )
    audit(
        by=by,
        organisation=pathway.person.organisation,
        action="pathway_self_assessed",
        target=done,
        point=point,
    )
    return done


# The pipeline


@transaction.atomic
def pipeline_add(
    *,
    person: Person,
    by: Person,
    identified_on: datetime.date | None,
    strengths: str,
    best_placed: str = "",
    appraisal: Appraisal | None = None,
) -> PipelineEntry:
    problems: dict[str, str] = {}
    if identified_on is None:
        problems["identified_on"] = "Enter the date they were identified."
    elif identified_on > timezone.localdate():
        problems["identified_on"] = "The date must be today or in the past."
    strengths = text(problems, "strengths", strengths, label="their strengths")
    best_placed = text(
        problems, "best_placed", best_placed, label="where they may be best placed", required=False
    )
    if by.pk == person.pk:
        problems["strengths"] = "Someone else identifies you as a potential practice supervisor."
    if appraisal is not None and appraisal.person_id != person.pk:
        appraisal = None
    if PipelineEntry.objects.filter(
        person=person,
        status__in=[PipelineStatus.IDENTIFIED, PipelineStatus.DEVELOPING, PipelineStatus.ACTING_UP],
    ).exists():
        problems["strengths"] = f"{person.full_name} is in the pipeline already."
    refuse_if(problems)
    assert identified_on is not None
    entry = PipelineEntry.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        identified_on=identified_on,
        identified_by=by,
        appraisal=appraisal,
        strengths=strengths,
        best_placed=best_placed,
        status_on=identified_on,
    )
    audit(
        by=by,
        organisation=person.organisation,
        action="pipeline_added",
        target=entry,
        person=person.pk,
    )
    return entry


@transaction.atomic
def pipeline_plan_add(
    *,
    entry: PipelineEntry,
    by: Person,
    kind: str,
    description: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None = None,
) -> PipelinePlanItem:
    problems: dict[str, str] = {}
    if kind not in PlanKind.values:
        problems["kind"] = "Choose training, mentoring, coaching, shadowing or acting up."
    description = text(problems, "description", description, label="what it is", limit=300)
    if starts_on is None:
        problems["starts_on"] = "Enter the date it starts."
    elif ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = "The end must be on or after the start."
    refuse_if(problems)
    assert starts_on is not None
    item = PipelinePlanItem.objects.create(
        organisation_id=entry.organisation_id,
        entry=entry,
        kind=kind,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    if entry.status == PipelineStatus.IDENTIFIED:
        entry.status = (
            PipelineStatus.ACTING_UP if kind == PlanKind.ACTING_UP else PipelineStatus.DEVELOPING
        )
        entry.status_on = starts_on
        entry.save(update_fields=["status", "status_on"])
    elif kind == PlanKind.ACTING_UP and entry.status == PipelineStatus.DEVELOPING:
        entry.status, entry.status_on = PipelineStatus.ACTING_UP, starts_on
        entry.save(update_fields=["status", "status_on"])
    audit(by=by, organisation=entry.person.organisation, action="pipeline_plan_added", target=item)
    return item


@transaction.atomic
def pipeline_status_set(
    *, entry: PipelineEntry, by: Person, status: str, on: datetime.date | None
) -> PipelineEntry:
    problems: dict[str, str] = {}
    if status not in PipelineStatus.values:
        problems["status"] = "Choose where they are in the pipeline."
    if on is None:
        problems["on"] = "Enter the date."
    elif on > timezone.localdate():
        problems["on"] = "The date must be today or in the past."
    elif on < entry.identified_on:
        problems["on"] = "The date must be on or after they were identified."
    refuse_if(problems)
    assert on is not None
    before = entry.status
    entry.status, entry.status_on = status, on
    entry.save(update_fields=["status", "status_on"])
    audit(
        by=by,
        organisation=entry.person.organisation,
        action="pipeline_status",
        target=entry,
        before=before,
        after=status,
    )
    return entry


# Equality data


@transaction.atomic
def equality_declare(*, person: Person, by: Person, values: dict[str, Any]) -> EqualityProfile:
    """What the person chooses to declare about themself: every answer optional, "prefer not
    to say" always possible. Only they write it."""
    problems: dict[str, str] = {}
    if by.pk != person.pk:
        problems["ethnic_group"] = "Only the person declares their own equality information."
    choices = {"ethnic_group": EthnicGroup, "sex": Sex, "disability": Disability}
    cleaned = {}
    for key, options in choices.items():
        value = values.get(key) or ""
        if value and value not in options.values:
            problems[key] = "Choose one of the answers, or leave it blank."
        cleaned[key] = value
    refuse_if(problems)
    profile, _created = EqualityProfile.objects.update_or_create(
        person=person,
        defaults={
            "organisation_id": person.organisation_id,
            "updated_at": timezone.now(),
            **cleaned,
        },
    )
    # The audit event says that it changed, never what it says.
    audit(by=by, organisation=person.organisation, action="equality_declared", target=profile)
    return profile
