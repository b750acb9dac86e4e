"""Where an NQSW stands in their ASYE on a day: the review points with their due dates, what is
next, how far in they are with pauses counted, the caseload against its weighting, protected
time, self-assessments, evidence by PCF domain and direct observations. A fixed number of
queries, however long the year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import QuerySet
from django.utils import timezone

from tandem.organisations.models import Organisation, Person

from . import asye_dates, frameworks
from .models import (
    ASYE_RUNNING,
    Asye,
    AsyePause,
    AsyeProgramme,
    AsyeReview,
    AsyeStatus,
    CaseloadEntry,
    PauseKind,
)

WARN_MONTHS_BEFORE_LONGEST = 3


def programme_current(organisation: Organisation | int, on: datetime.date | None = None) -> Any:
    """The organisation's programme in force on ``on``: the latest version from then."""
    day = on or timezone.localdate()
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    return (
        AsyeProgramme.objects.filter(organisation_id=organisation_id, effective_from__lte=day)
        .order_by("-effective_from", "-version")
        .first()
    )


def current_asye(person: Person) -> Asye | None:
    """The NQSW's ASYE in progress, else their latest."""
    found = Asye.objects.filter(person=person).select_related("programme", "assessor")
    return (
        found.filter(status__in=ASYE_RUNNING).order_by("-starts_on").first()
        or found.order_by("-starts_on").first()
    )


def pauses_of(asye: Asye, rows: list[AsyePause] | None = None) -> list[asye_dates.Pause]:
    found = rows if rows is not None else list(asye.pauses.all())
    return [
        asye_dates.Pause(
            p.starts_on,
            p.ends_on,
            Decimal(p.fte_percent or 0) / 100 if p.kind == PauseKind.PART_TIME else Decimal(0),
        )
        for p in found
    ]


@dataclass(frozen=True)
class ReviewRow:
    review: AsyeReview
    on: datetime.date

    @property
    def held(self) -> bool:
        return self.review.held_on is not None

    @property
    def overdue(self) -> bool:
        return not self.held and not self.review.optional and self.review.due_on < self.on

    @property
    def on_time(self) -> bool:
        held_on = self.review.held_on
        return held_on is not None and held_on <= self.review.due_on


@dataclass(frozen=True)
class AsyePosition:
    asye: Asye
    on: datetime.date
    reviews: list[ReviewRow]
    pauses: list[AsyePause]
    months_in: Decimal
    ends_on: datetime.date
    longest_on: datetime.date
    weight_percent: int | None
    caseload: CaseloadEntry | None
    self_assessments: dict[str, Any]
    self_assessment_due: list[tuple[str, datetime.date]]
    evidence_by_domain: list[tuple[str, int]]
    evidence_count: int
    reflections_count: int
    observations: list[Any] = field(default_factory=list)

    @property
    def programme(self) -> AsyeProgramme:
        return self.asye.programme

    @property
    def next_review(self) -> ReviewRow | None:
        return next((r for r in self.reviews if not r.held and not r.review.optional), None)

    @property
    def overdue_reviews(self) -> list[ReviewRow]:
        return [r for r in self.reviews if r.overdue]

    @property
    def near_longest(self) -> bool:
        return self.ends_on > self.longest_on - relativedelta(months=WARN_MONTHS_BEFORE_LONGEST)

    @property
    def beyond_longest(self) -> bool:
        return self.ends_on > self.longest_on

    @property
    def caseload_limit(self) -> int | None:
        if self.weight_percent is None:
            return None
        return self.programme.full_caseload * self.weight_percent // 100

    @property
    def above_weighting(self) -> bool:
        """The latest caseload entered was above the weighting of its day."""
        return self.caseload is not None and self.caseload.above

    @property
    def protected_hours_a_week(self) -> Decimal:
        """Protected development time: the programme's share of a 37-hour week, pro rata."""
        fte = self.fte_now
        return (Decimal(37) * self.programme.protected_time_percent / 100 * fte).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def fte_now(self) -> Decimal:
        for pause in self.pauses:
            if pause.kind == PauseKind.PART_TIME and pause.starts_on <= self.on <= pause.ends_on:
                return Decimal(pause.fte_percent or 100) / 100
        return Decimal(1)

    @property
    def paused_now(self) -> AsyePause | None:
        return next(
            (
                p
                for p in self.pauses
                if p.kind != PauseKind.PART_TIME and p.starts_on <= self.on <= p.ends_on
            ),
            None,
        )

    @property
    def observations_done(self) -> int:
        return sum(1 for o in self.observations if o.observed_on <= self.on)


def weight_at(weights: list[list[int]], months_in: Decimal) -> int | None:
    """The caseload weighting for this far into the programme: the first stage not yet past."""
    for until_month, percent in weights:
        if months_in < until_month:
            return int(percent)
    return int(weights[-1][1]) if weights else None


def asye_position(asye: Asye, on: datetime.date | None = None) -> AsyePosition:
    """Where the NQSW stands on ``on`` (today). Six queries."""
    day = on or timezone.localdate()
    programme = asye.programme
    pause_rows = list(asye.pauses.all())
    pauses = pauses_of(asye, pause_rows)
    reviews = [ReviewRow(r, day) for r in asye.reviews.select_related("session")]
    months_in = asye_dates.months_accrued(asye.starts_on, day, pauses)
    evidence = list(asye.evidence.values("kind", "domains"))
    counts = dict.fromkeys((n for n, _ in frameworks.PCF_DOMAINS), 0)
    for row in evidence:
        for number in row["domains"]:
            if number in counts:
                counts[number] += 1
    names = dict(frameworks.PCF_DOMAINS)
    done = {s.point: s for s in asye.self_assessments.all()}
    points = ["start", "midpoint", "end"]
    due = [
        (point, asye_dates.date_of_month(asye.starts_on, month, pauses))
        for point, month in zip(points, programme.self_assessment_months, strict=False)
        if point not in done
    ]
    return AsyePosition(
        asye=asye,
        on=day,
        reviews=reviews,
        pauses=pause_rows,
        months_in=months_in,
        ends_on=asye.ends_on or asye_dates.date_of_month(asye.starts_on, programme.months, pauses),
        longest_on=asye.starts_on + relativedelta(months=programme.longest_months),
        weight_percent=weight_at(programme.caseload_weights, months_in),
        caseload=asye.caseload.first(),
        self_assessments=done,
        self_assessment_due=due,
        evidence_by_domain=[(f"{n}. {names[n]}", counts[n]) for n in counts],
        evidence_count=sum(1 for r in evidence if r["kind"] == "evidence"),
        reflections_count=sum(1 for r in evidence if r["kind"] == "reflection"),
        observations=list(asye.observations.select_related("observer")),
    )


def asyes_assessed_by(person: Person) -> QuerySet[Asye]:
    return Asye.objects.filter(assessor=person, status=AsyeStatus.IN_PROGRESS).select_related(
        "person"
    )
