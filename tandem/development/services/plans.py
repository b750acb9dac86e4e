"""Writes about development plans: the organisation's courses, objectives, their reviews in
supervision, and the yearly appraisal."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.organisations.models import Organisation, Person
from tandem.records.models import Record

from ..models import Appraisal, Course, Objective, ObjectiveReview, ObjectiveStatus
from ..selectors import year_summary
from ._common import audit, check_past, check_text, refuse_if

OBJECTIVE_FIELDS = ("title", "measure", "target_on", "evidence", "training_need", "course")


@transaction.atomic
def course_add(*, organisation: Organisation, title: str, provider: str, by: Person) -> Course:
    problems: dict[str, str] = {}
    check_text(problems, "title", title, label="the course's title", limit=200)
    check_text(problems, "provider", provider, label="the provider", required=False, limit=200)
    if Course.objects.filter(organisation=organisation, title__iexact=title.strip()).exists():
        problems["title"] = "There is already a course with that title."
    refuse_if(problems)
    course = Course.objects.create(
        organisation=organisation, title=title.strip(), provider=provider.strip()
    )
    audit(subject=by, by=by, action="course_added", target=course)
    return course


@transaction.atomic
def course_set_active(*, course: Course, active: bool, by: Person) -> Course:
    course.active = active
    course.save(update_fields=["active"])
    audit(subject=by, by=by, action="course_changed", target=course, detail={"active": active})
    return course


def _objective_problems(person: Person, fields: dict[str, Any], *, new: bool) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_text(problems, "title", fields.get("title", ""), label="the objective", limit=200)
    check_text(problems, "measure", fields.get("measure", ""), label="how it will be measured")
    check_text(problems, "evidence", fields.get("evidence", ""), label="evidence", required=False)
    check_text(
        problems,
        "training_need",
        fields.get("training_need", ""),
        label="the training need",
        required=False,
        limit=200,
    )
    target_on = fields.get("target_on")
    if target_on is None:
        problems["target_on"] = "Enter the target date."
    elif new and target_on < timezone.localdate():
        problems["target_on"] = "The target date of a new objective must be today or later."
    course = fields.get("course")
    if course is not None and course.organisation_id != person.organisation_id:
        problems["course"] = "Choose one of your organisation's courses."
    return problems


@transaction.atomic
def objective_add(*, person: Person, by: Person, fields: dict[str, Any]) -> Objective:
    """Add an objective to the person's development plan (``fields``: OBJECTIVE_FIELDS)."""
    refuse_if(_objective_problems(person, fields, new=True))
    objective = Objective.objects.create(
        organisation=person.organisation,
        person=person,
        created_by=by,
        **_objective_values(fields),
    )
    audit(subject=person, by=by, action="objective_added", target=objective)
    return objective


def _objective_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {key: fields.get(key) for key in OBJECTIVE_FIELDS}
    for key in ("title", "measure", "evidence", "training_need"):
        values[key] = (values[key] or "").strip()
    return values


@transaction.atomic
def objective_change(*, objective: Objective, by: Person, fields: dict[str, Any]) -> Objective:
    refuse_if(_objective_problems(objective.person, fields, new=False))
    for key, value in _objective_values(fields).items():
        setattr(objective, key, value)
    objective.save()
    audit(subject=objective.person, by=by, action="objective_changed", target=objective)
    return objective


@transaction.atomic
def objective_review(
    *,
    objective: Objective,
    by: Person,
    progress: str,
    status: str,
    record: Record | None = None,
    reviewed_on: datetime.date | None = None,
) -> ObjectiveReview:
    """Note progress on an objective, in a supervision session (``record``, whose date it takes)
    or on its own; a review may close it as met or not met, or open it again."""
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    problems: dict[str, str] = {}
    check_text(problems, "progress", progress, label="the progress made")
    if status not in ObjectiveStatus.values:
        problems["status"] = "Choose whether the objective is open, met or closed unmet."
    if record is not None and objective.person_id != record.supervisee_id:
        problems["record"] = "An objective is reviewed in its own person's supervision."
    day = record.held_on if record is not None else (reviewed_on or timezone.localdate())
    check_past(problems, "reviewed_on", day, label="The date of the review")
    refuse_if(problems)
    review = ObjectiveReview.objects.create(
        organisation=objective.organisation,
        objective=objective,
        record=record,
        reviewed_on=day,
        progress=progress.strip(),
        status=status,
        by=by,
    )
    objective.status = status
    objective.closed_on = None if status == ObjectiveStatus.OPEN else day
    objective.save(update_fields=["status", "closed_on"])
    audit(
        subject=objective.person,
        by=by,
        action="objective_reviewed",
        target=objective,
        detail={"status": status, "record": record.pk if record else None},
    )
    return review


@transaction.atomic
def appraisal_hold(
    *,
    person: Person,
    by: Person,
    held_on: datetime.date | None,
    period_starts_on: datetime.date | None,
    period_ends_on: datetime.date | None,
    appraiser_comments: str,
) -> Appraisal:
    """Record the yearly appraisal: the year's supervision as Tandem holds it on the day (kept
    with the appraisal, so it reads the same later), and the appraiser's comments."""
    problems: dict[str, str] = {}
    if by.pk == person.pk:
        problems["__all__"] = "Your appraiser records your appraisal."
    if held_on is None:
        problems["held_on"] = "Enter the date of the appraisal."
    check_past(problems, "held_on", held_on, label="The date of the appraisal")
    if period_starts_on is None:
        problems["period_starts_on"] = "Enter the first day of the year it covers."
    if period_ends_on is None:
        problems["period_ends_on"] = "Enter the last day of the year it covers."
    if period_starts_on and period_ends_on:
        if period_ends_on <= period_starts_on:
            problems["period_ends_on"] = "The last day must be after the first day."
        elif (period_ends_on - period_starts_on).days > 400:
            problems["period_ends_on"] = "An appraisal covers a year at most."
    check_text(problems, "appraiser_comments", appraiser_comments, label="the appraiser's comments")
    refuse_if(problems)
    assert period_starts_on is not None and period_ends_on is not None
    summary = year_summary(person=person, starts_on=period_starts_on, ends_on=period_ends_on)
    appraisal = Appraisal.objects.create(
        organisation=person.organisation,
        person=person,
        appraiser=by,
        held_on=held_on,
        period_starts_on=period_starts_on,
        period_ends_on=period_ends_on,
        summary=summary.as_json(),
        appraiser_comments=appraiser_comments.strip(),
    )
    audit(subject=person, by=by, action="appraisal_held", target=appraisal)
    return appraisal


@transaction.atomic
def appraisal_comment(*, appraisal: Appraisal, by: Person, text: str) -> Appraisal:
    """The appraised person's own comments on their appraisal."""
    problems: dict[str, str] = {}
    if by.pk != appraisal.person_id:
        problems["__all__"] = "Only the person appraised adds their comments."
    check_text(problems, "person_comments", text, label="your comments")
    refuse_if(problems)
    appraisal.person_comments = text.strip()
    appraisal.save(update_fields=["person_comments"])
    audit(subject=appraisal.person, by=by, action="appraisal_commented", target=appraisal)
    return appraisal
