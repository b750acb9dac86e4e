"""Writes about the ASYE: the organisation's programme (as data, in versions), an NQSW's year
on it, pauses that push its dates back, review meetings booked on the working-day calendar and
recorded, caseload, self-assessments, evidence, direct observations with the family's feedback,
the assessor's recommendation and the moderation panel's decision."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.core.calendar import calendar_for
from tandem.core.scoping import across_organisations
from tandem.core.tokens import token_hash, token_new
from tandem.meetings.models import SessionKind
from tandem.meetings.services.sessions import session_book
from tandem.organisations.models import Organisation, Person
from tandem.organisations.selectors import relationships_of_supervisee

from .. import asye_dates, asye_defaults, frameworks
from ..asye_selectors import asye_position, pauses_of, programme_current
from ..models import (
    ASYE_RUNNING,
    Asye,
    AsyeEvidence,
    AsyePause,
    AsyeProgramme,
    AsyeReview,
    AsyeStatus,
    CaseloadEntry,
    EvidenceKind,
    Observation,
    PauseKind,
    Recommendation,
    SelfAssessment,
    SelfAssessmentPoint,
)
from ._common import audit, check_past, check_text, refuse_if

FEEDBACK_LINK_DAYS = 28
PROGRAMME_FIELDS = (
    "name",
    "months",
    "review_points",
    "self_assessment_months",
    "observations_required",
    "protected_time_percent",
    "caseload_weights",
    "full_caseload",
    "longest_months",
    "frameworks",
)


# The programme


@transaction.atomic
def programme_ensure(organisation: Organisation) -> AsyeProgramme:
    """The organisation's programme in force today; the built-in one, the first time."""
    found = programme_current(organisation)
    if found is not None:
        return found
    earliest = (
        AsyeProgramme.objects.filter(organisation=organisation).order_by("effective_from").first()
    )
    if earliest is not None:  # only versions from a later date: start from the first of them
        return earliest
    return AsyeProgramme.objects.create(
        organisation=organisation,
        name=asye_defaults.DEFAULT_NAME,
        effective_from=datetime.date(2000, 1, 1),
        review_points=asye_defaults.DEFAULT_REVIEW_POINTS,
        self_assessment_months=asye_defaults.DEFAULT_SELF_ASSESSMENT_MONTHS,
        caseload_weights=asye_defaults.DEFAULT_CASELOAD_WEIGHTS,
    )


def _programme_problems(fields: dict[str, Any]) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_text(problems, "name", fields.get("name"), label="the programme's name", limit=200)
    check_text(problems, "frameworks", fields.get("frameworks"), label="the frameworks", limit=300)
    months = fields.get("months")
    if not isinstance(months, int) or not 6 <= months <= 36:
        problems["months"] = "The programme lasts from 6 to 36 months."
    longest = fields.get("longest_months")
    if not isinstance(longest, int) or not isinstance(months, int) or longest < months:
        problems["longest_months"] = "The longest it may run cannot be shorter than the programme."
    if not fields.get("review_points"):
        problems["review_points"] = "Enter at least one review point."
    for key, low, high, label in (
        ("observations_required", 0, 20, "Direct observations"),
        ("protected_time_percent", 0, 50, "Protected development time"),
        ("full_caseload", 1, 100, "A full caseload"),
    ):
        value = fields.get(key)
        if not isinstance(value, int) or not low <= value <= high:
            problems[key] = f"{label} must be from {low} to {high}."
    return problems


@transaction.atomic
def programme_revise(
    *, programme: AsyeProgramme, by: Person, fields: dict[str, Any], effective_from: datetime.date
) -> AsyeProgramme:
    """A new version of the programme from ``effective_from`` (today or later). NQSWs who
    started under an earlier version keep it: their reviews and dates do not change."""
    problems = _programme_problems(fields)
    if effective_from < timezone.localdate():
        problems["effective_from"] = "A change counts from today or a later date."
    refuse_if(problems)
    latest = (
        AsyeProgramme.objects.filter(organisation=programme.organisation, name=fields["name"])
        .order_by("-version")
        .first()
    )
    revised = AsyeProgramme.objects.create(
        organisation=programme.organisation,
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        created_by=by,
        **{key: fields[key] for key in PROGRAMME_FIELDS},
    )
    audit(
        subject=by,
        by=by,
        action="asye_programme_revised",
        target=revised,
        summary=f"{revised} from {effective_from:%-d %B %Y}",
        detail={"from": programme.pk},
    )
    return revised


# An NQSW's year


def _reschedule(asye: Asye) -> None:
    """Every review not yet held, and the planned end, from the start and the pauses."""
    pauses = pauses_of(asye)
    for review in asye.reviews.filter(held_on__isnull=True):
        review.due_on = asye_dates.date_of_month(asye.starts_on, review.month, pauses)
        review.save(update_fields=["due_on"])
    asye.ends_on = asye_dates.date_of_month(asye.starts_on, asye.programme.months, pauses)
    asye.save(update_fields=["ends_on"])


@transaction.atomic
def asye_start(
    *,
    person: Person,
    starts_on: datetime.date | None,
    assessor: Person | None,
    by: Person,
) -> Asye:
    """Start the NQSW's ASYE on the organisation's programme in force on the start date, with
    each review point due the programme's months on."""
    problems: dict[str, str] = {}
    if starts_on is None:
        problems["starts_on"] = "Enter the date the ASYE starts."
    if Asye.objects.filter(person=person, status__in=ASYE_RUNNING).exists():
        problems["__all__"] = f"{person.full_name}'s ASYE has already started."
    if assessor is not None and (
        assessor.organisation_id != person.organisation_id or assessor.pk == person.pk
    ):
        problems["assessor"] = "Choose an assessor in your organisation, other than the NQSW."
    refuse_if(problems)
    assert starts_on is not None
    programme = programme_current(person.organisation, starts_on) or programme_ensure(
        person.organisation
    )
    asye = Asye.objects.create(
        organisation=person.organisation,
        person=person,
        programme=programme,
        starts_on=starts_on,
        assessor=assessor,
    )
    AsyeReview.objects.bulk_create(
        AsyeReview(
            organisation=person.organisation,
            asye=asye,
            key=point["key"],
            label=point["label"],
            month=point["month"],
            optional=point.get("optional", False),
            panel=point.get("panel", False),
            position=position,
            due_on=asye_dates.date_of_month(starts_on, point["month"], []),
        )
        for position, point in enumerate(programme.review_points)
    )
    _reschedule(asye)
    audit(subject=person, by=by, action="asye_started", target=asye)
    return asye


@transaction.atomic
def asye_assessor_set(*, asye: Asye, assessor: Person | None, by: Person) -> Asye:
    if assessor is not None and (
        assessor.organisation_id != asye.organisation_id or assessor.pk == asye.person_id
    ):
        refuse_if({"assessor": "Choose an assessor in your organisation, other than the NQSW."})
    asye.assessor = assessor
    asye.save(update_fields=["assessor"])
    audit(subject=asye.person, by=by, action="asye_assessor_set", target=asye)
    return asye


@transaction.atomic
def asye_pause_add(
    *,
    asye: Asye,
    kind: str,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    fte_percent: int | None,
    note: str,
    by: Person,
) -> AsyePause:
    """Record a pause or a spell of part-time working: every later date moves back."""
    asye = Asye.objects.select_for_update().select_related("programme").get(pk=asye.pk)
    problems = asye_dates.pause_problems(
        starts_on,
        ends_on,
        asye_starts_on=asye.starts_on,
        fte_percent=fte_percent,
        part_time=kind == PauseKind.PART_TIME,
    )
    if kind not in PauseKind.values:
        problems["kind"] = "Choose the kind of pause."
    check_text(problems, "note", note, label="the note", required=False, limit=300)
    refuse_if(problems)
    pause = AsyePause.objects.create(
        organisation=asye.organisation,
        asye=asye,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        fte_percent=fte_percent if kind == PauseKind.PART_TIME else None,
        note=note.strip(),
        recorded_by=by,
    )
    _reschedule(asye)
    audit(subject=asye.person, by=by, action="asye_paused", target=pause, summary=str(pause))
    return pause


@transaction.atomic
def asye_pause_remove(*, pause: AsyePause, by: Person) -> None:
    asye = Asye.objects.select_for_update().select_related("programme").get(pk=pause.asye_id)
    audit(subject=asye.person, by=by, action="asye_pause_removed", target=pause, summary=str(pause))
    pause.delete()
    _reschedule(asye)


def _review_host(asye: Asye) -> Person | None:
    """Who leads a review meeting: the assessor, else the NQSW's supervisor."""
    if asye.assessor is not None:
        return asye.assessor
    relationship = relationships_of_supervisee(person=asye.person).first()
    return relationship.supervisor if relationship else None


def review_suggested_day(review: AsyeReview) -> datetime.date:
    """The working day a review meeting is suggested for: its due date, or the next working day
    of the organisation's calendar, and never in the past."""
    day = max(review.due_on, timezone.localdate() + datetime.timedelta(days=1))
    return calendar_for(review.asye.organisation).next_working_day(day)


@transaction.atomic
def asye_review_book(
    *,
    review: AsyeReview,
    starts_at: datetime.datetime | None,
    duration_minutes: int,
    location: str,
    by: Person,
) -> AsyeReview:
    """Book the review meeting as a session on a working day, with the assessor (or the
    supervisor) and the NQSW."""
    asye = review.asye
    problems: dict[str, str] = {}
    host = _review_host(asye)
    if host is None:
        problems["__all__"] = "Name an assessor (or a supervisor) first: they hold the review."
    if review.held_on is not None:
        problems["__all__"] = f"The {review.label.lower()} has been held."
    if starts_at is None:
        problems["starts_at"] = "Enter the date and time of the review meeting."
    elif not calendar_for(asye.organisation).is_working_day(timezone.localdate(starts_at)):
        problems["starts_at"] = (
            f"{starts_at:%A %-d %B %Y} is not a working day (a weekend, a bank holiday or a "
            "closure day): choose another day."
        )
    refuse_if(problems)
    assert host is not None and starts_at is not None
    session = session_book(
        supervisor=host,
        supervisee=asye.person,
        kind=SessionKind.AD_HOC,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location,
        by=by,
    )
    review.session = session
    review.save(update_fields=["session"])
    audit(subject=asye.person, by=by, action="asye_review_booked", target=review)
    return review


@transaction.atomic
def asye_review_record(
    *,
    review: AsyeReview,
    held_on: datetime.date | None,
    progress: str,
    assessor_view: str,
    nqsw_view: str,
    by: Person,
) -> AsyeReview:
    """Record the review: its date, the progress made, the assessor's and the NQSW's views."""
    problems: dict[str, str] = {}
    if held_on is None:
        problems["held_on"] = "Enter the date the review was held."
    elif held_on < review.asye.starts_on:
        problems["held_on"] = "The review is held after the ASYE started."
    check_past(problems, "held_on", held_on, label="The date of the review")
    check_text(problems, "progress", progress, label="the progress made")
    check_text(problems, "assessor_view", assessor_view, label="the assessor's view")
    check_text(problems, "nqsw_view", nqsw_view, label="the NQSW's view", required=False)
    refuse_if(problems)
    review.held_on = held_on
    review.progress = progress.strip()
    review.assessor_view = assessor_view.strip()
    review.nqsw_view = nqsw_view.strip()
    review.recorded_by = by
    review.save()
    audit(subject=review.asye.person, by=by, action="asye_review_recorded", target=review)
    return review


@transaction.atomic
def asye_nqsw_view(*, review: AsyeReview, text: str, by: Person) -> AsyeReview:
    """The NQSW's own view of a review, in their words."""
    problems: dict[str, str] = {}
    if by.pk != review.asye.person_id:
        problems["__all__"] = "The NQSW writes their own view."
    check_text(problems, "nqsw_view", text, label="your view")
    refuse_if(problems)
    review.nqsw_view = text.strip()
    review.save(update_fields=["nqsw_view"])
    audit(subject=review.asye.person, by=by, action="asye_review_nqsw_view", target=review)
    return review


@transaction.atomic
def caseload_enter(
    *, asye: Asye, on: datetime.date | None, cases: int | None, by: Person
) -> CaseloadEntry:
    problems: dict[str, str] = {}
    if on is None:
        problems["on"] = "Enter the date of the caseload."
    check_past(problems, "on", on, label="The date of the caseload")
    if cases is None or not 0 <= cases <= 200:
        problems["cases"] = "Enter the number of cases, from 0 to 200."
    refuse_if(problems)
    assert on is not None and cases is not None
    limit = asye_position(asye, on).caseload_limit
    entry = CaseloadEntry.objects.create(
        organisation=asye.organisation,
        asye=asye,
        on=on,
        cases=cases,
        limit=limit,
        above=limit is not None and cases > limit,
        entered_by=by,
    )
    audit(subject=asye.person, by=by, action="asye_caseload", target=entry, summary=str(entry))
    return entry


@transaction.atomic
def self_assessment_save(
    *,
    asye: Asye,
    point: str,
    completed_on: datetime.date | None,
    ratings: dict[str, dict[str, str]],
    by: Person,
) -> SelfAssessment:
    """The NQSW's self-assessment at a point: a rating (and a note) for every KSS statement."""
    problems: dict[str, str] = {}
    if by.pk != asye.person_id:
        problems["__all__"] = "The NQSW completes their own self-assessment."
    if point not in SelfAssessmentPoint.values:
        problems["point"] = "Choose the start, the midpoint or the end."
    elif SelfAssessment.objects.filter(asye=asye, point=point).exists():
        problems["point"] = "That self-assessment is done: each is done once."
    if completed_on is None:
        problems["completed_on"] = "Enter the date."
    check_past(problems, "completed_on", completed_on, label="The date")
    for number, _statement in frameworks.KSS_STATEMENTS:
        entry = ratings.get(str(number), {})
        if entry.get("rating") not in frameworks.Rating.values:
            problems[f"rating_{number}"] = f"Rate yourself against statement {number}."
        if len(entry.get("note", "")) > 2000:
            problems[f"note_{number}"] = "Keep each note to 2,000 characters."
    refuse_if(problems)
    assessment = SelfAssessment.objects.create(
        organisation=asye.organisation,
        asye=asye,
        point=point,
        framework=frameworks.KSS_VERSION,
        completed_on=completed_on,
        ratings=ratings,
    )
    audit(subject=asye.person, by=by, action="asye_self_assessment", target=assessment)
    return assessment


def _domains_problem(domains: list[int]) -> str:
    valid = {n for n, _ in frameworks.PCF_DOMAINS}
    if not domains or not set(domains) <= valid:
        return "Choose at least one PCF domain it shows."
    return ""


@transaction.atomic
def asye_evidence_add(
    *,
    asye: Asye,
    kind: str,
    title: str,
    on: datetime.date | None,
    text: str,
    domains: list[int],
    by: Person,
) -> AsyeEvidence:
    problems: dict[str, str] = {}
    if kind not in EvidenceKind.values:
        problems["kind"] = "Choose evidence or a critical reflection."
    check_text(problems, "title", title, label="a title", limit=200)
    if on is None:
        problems["on"] = "Enter the date."
    check_past(problems, "on", on, label="The date")
    check_text(problems, "text", text, label="what it shows")
    if problem := _domains_problem(domains):
        problems["domains"] = problem
    refuse_if(problems)
    evidence = AsyeEvidence.objects.create(
        organisation=asye.organisation,
        asye=asye,
        kind=kind,
        title=title.strip(),
        on=on,
        text=text.strip(),
        domains=sorted(set(domains)),
        added_by=by,
    )
    audit(subject=asye.person, by=by, action="asye_evidence_added", target=evidence)
    return evidence


OBSERVATION_FIELDS = (
    "observed_on",
    "preparation",
    "consent",
    "consent_note",
    "observation",
    "domains",
    "benchmarking",
    "reflection",
)


@transaction.atomic
def observation_save(
    *,
    asye: Asye,
    by: Person,
    fields: dict[str, Any],
    observation: Observation | None = None,
) -> Observation:
    """Add a direct observation (numbered in turn) or change one. The family's consent comes
    first: an observation with no consent recorded is refused."""
    problems: dict[str, str] = {}
    if by.pk == asye.person_id:
        problems["__all__"] = "Someone else observes your practice and records it."
    observed_on = fields.get("observed_on")
    if observed_on is None:
        problems["observed_on"] = "Enter the date of the observation."
    check_past(problems, "observed_on", observed_on, label="The date of the observation")
    if not fields.get("consent"):
        problems["consent"] = "Record the family's consent to the observation."
    for key, label in (
        ("preparation", "the preparation"),
        ("observation", "what was observed"),
        ("benchmarking", "the benchmarking"),
        ("reflection", "the reflection"),
    ):
        check_text(problems, key, fields.get(key), label=label, required=key == "observation")
    check_text(
        problems,
        "consent_note",
        fields.get("consent_note"),
        label="how",
        required=False,
        limit=300,
    )
    if problem := _domains_problem(fields.get("domains") or []):
        problems["domains"] = problem
    refuse_if(problems)
    values = {key: fields.get(key) for key in OBSERVATION_FIELDS}
    for key in ("preparation", "consent_note", "observation", "benchmarking", "reflection"):
        values[key] = (values[key] or "").strip()
    values["domains"] = sorted(set(values["domains"] or []))
    if observation is None:
        Asye.objects.select_for_update().get(pk=asye.pk)
        number = asye.observations.count() + 1
        observation = Observation.objects.create(
            organisation=asye.organisation, asye=asye, number=number, observer=by, **values
        )
        audit(subject=asye.person, by=by, action="asye_observation_added", target=observation)
    else:
        for key, value in values.items():
            setattr(observation, key, value)
        observation.save()
        audit(subject=asye.person, by=by, action="asye_observation_changed", target=observation)
    return observation


@transaction.atomic
def observation_feedback_link(*, observation: Observation, by: Person) -> str:
    """A link for the family to give their feedback with no sign-in: the address is the secret
    (only its hash is kept), it works once, and for 28 days. Returns the raw token."""
    if observation.feedback:
        refuse_if({"__all__": "The family's feedback is in: no link is needed."})
    raw = token_new("tdf_")
    observation.feedback_token_hash = token_hash(raw)
    observation.feedback_link_expires_on = timezone.localdate() + datetime.timedelta(
        days=FEEDBACK_LINK_DAYS
    )
    observation.save(update_fields=["feedback_token_hash", "feedback_link_expires_on"])
    audit(subject=observation.asye.person, by=by, action="asye_feedback_link", target=observation)
    return raw


def observation_for_feedback(raw: str) -> Observation | None:
    """The observation a family's link is for, while the link works."""
    if not raw.startswith("tdf_") or len(raw) > 100:
        return None
    with across_organisations(
        "whose family feedback link, and so which organisation", routine=True
    ):
        return (
            Observation.objects.filter(
                feedback_token_hash=token_hash(raw),
                feedback_link_expires_on__gte=timezone.localdate(),
                feedback="",
            )
            .select_related("asye__person", "organisation")
            .first()
        )


def _feedback_problems(text: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    check_text(problems, "feedback", text, label="your feedback", limit=3000)
    return problems


@transaction.atomic
def observation_feedback_give(*, observation: Observation, text: str) -> Observation:
    """The family's feedback through their link: the words and the day, nothing else about
    them. The link stops working."""
    refuse_if(_feedback_problems(text))
    observation.feedback = text.strip()
    observation.feedback_on = timezone.localdate()
    observation.feedback_by_link = True
    observation.feedback_token_hash = ""
    observation.save()
    audit(
        subject=observation.asye.person,
        by=None,
        action="asye_feedback_given",
        target=observation,
        summary="Family feedback given through the link",
    )
    return observation


@transaction.atomic
def observation_feedback_enter(
    *, observation: Observation, text: str, on: datetime.date | None, by: Person
) -> Observation:
    """The family's feedback from the paper form, typed in by the NQSW or the observer."""
    problems = _feedback_problems(text)
    if on is None:
        problems["feedback_on"] = "Enter the date the family gave it."
    check_past(problems, "feedback_on", on, label="The date")
    refuse_if(problems)
    observation.feedback = text.strip()
    observation.feedback_on = on
    observation.feedback_by_link = False
    observation.feedback_token_hash = ""
    observation.save()
    audit(
        subject=observation.asye.person, by=by, action="asye_feedback_entered", target=observation
    )
    return observation


@transaction.atomic
def asye_recommend(
    *, asye: Asye, recommendation: str, notes: str, on: datetime.date | None, by: Person
) -> Asye:
    """The assessor's final recommendation: pass, fail or extension."""
    problems: dict[str, str] = {}
    if asye.assessor_id is not None and by.pk != asye.assessor_id:
        problems["__all__"] = "The assessor makes the final recommendation."
    if recommendation not in Recommendation.values:
        problems["recommendation"] = "Choose pass, fail or extension."
    check_text(problems, "notes", notes, label="the reasons")
    if on is None:
        problems["on"] = "Enter the date."
    check_past(problems, "on", on, label="The date")
    refuse_if(problems)
    asye.recommendation = recommendation
    asye.recommendation_notes = notes.strip()
    asye.recommended_on = on
    asye.save(update_fields=["recommendation", "recommendation_notes", "recommended_on"])
    audit(
        subject=asye.person,
        by=by,
        action="asye_recommended",
        target=asye,
        detail={"recommendation": recommendation},
    )
    return asye


@transaction.atomic
def asye_panel_decide(
    *, asye: Asye, decision: str, notes: str, on: datetime.date | None, by: Person
) -> Asye:
    """The moderation panel's decision, after the assessor's recommendation: it ends the ASYE
    as passed or not passed, or extends it."""
    problems: dict[str, str] = {}
    if not asye.recommendation:
        problems["__all__"] = "The panel decides after the assessor's recommendation."
    if decision not in Recommendation.values:
        problems["decision"] = "Choose pass, fail or extension."
    check_text(problems, "notes", notes, label="the panel's reasons")
    if on is None:
        problems["on"] = "Enter the date of the panel."
    check_past(problems, "on", on, label="The date of the panel")
    refuse_if(problems)
    asye.panel_decision = decision
    asye.panel_notes = notes.strip()
    asye.panel_on = on
    asye.status = {
        Recommendation.PASS: AsyeStatus.PASSED,
        Recommendation.FAIL: AsyeStatus.FAILED,
        Recommendation.EXTENSION: AsyeStatus.EXTENDED,
    }[Recommendation(decision)]
    asye.save()
    panel = asye.reviews.filter(panel=True, held_on__isnull=True).first()
    if panel is not None:
        panel.held_on = on
        panel.progress = notes.strip()
        panel.assessor_view = f"Panel decision: {Recommendation(decision).label}"
        panel.recorded_by = by
        panel.save()
    audit(
        subject=asye.person,
        by=by,
        action="asye_panel_decided",
        target=asye,
        detail={"decision": decision},
    )
    return asye
