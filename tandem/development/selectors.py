"""Where a person stands in their development, on a given day: each rule set's position, the
open objectives, and a year's supervision for the appraisal. Reads only; each function costs a
fixed number of queries, however much the person has logged.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from tandem.meetings.models import AgendaItem, Session, SessionStatus
from tandem.organisations.models import Organisation, Person
from tandem.records.models import CaseDiscussion

from . import asye_selectors, schemes
from .models import (
    CareCertificate,
    CpdRecord,
    Objective,
    ObjectiveStatus,
    Revalidation,
    SafeguardingLead,
    SafeguardingTraining,
    SafeguardingTrainingKind,
    SchemeRules,
)
from .models.registration import PEER_KINDS
from .schemes import Period, Scheme

ZERO = Decimal("0")


def rules_of(organisation: Organisation | int, scheme: str) -> dict[str, int]:
    """The organisation's numbers for one rule set: its own where it set them, else the
    defaults. One query."""
    return all_rules(organisation)[scheme]


def all_rules(organisation: Organisation | int) -> dict[str, dict[str, int]]:
    """Every rule set's numbers for the organisation, by scheme. One query."""
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    own = dict(
        SchemeRules.objects.filter(organisation_id=organisation_id).values_list("scheme", "values")
    )
    return {
        scheme: schemes.defaults(scheme)
        | {k: v for k, v in (own.get(scheme) or {}).items() if k in schemes.defaults(scheme)}
        for scheme in Scheme.values
    }


def is_safeguarding_lead(person: Person, on: datetime.date | None = None) -> bool:
    day = on or timezone.localdate()
    return (
        SafeguardingLead.objects.filter(person=person, designated_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .exists()
    )


def schemes_of(person: Person, on: datetime.date | None = None) -> list[str]:
    """The rule sets this person's development answers to. One query."""
    return schemes.schemes_for(
        person.staff_category, safeguarding_lead=is_safeguarding_lead(person, on)
    )


def cpd_records(*, person: Person) -> QuerySet[CpdRecord]:
    return CpdRecord.objects.filter(person=person).select_related("source_record")


# Social Work England


class CpdState:
    MET = "met"
    ON_TRACK = "on_track"
    BEHIND = "behind"


@dataclass(frozen=True)
class SwePosition:
    """Where a social worker stands in a registration year, counting CPD up to ``on``."""

    on: datetime.date
    year: Period
    records: int
    peer_reflected: int
    records_needed: int
    peer_needed: int
    reminders_from: datetime.date

    @property
    def met(self) -> bool:
        return self.records >= self.records_needed and self.peer_reflected >= self.peer_needed

    @property
    def state(self) -> str:
        if self.met:
            return CpdState.MET
        return CpdState.BEHIND if self.on >= self.reminders_from else CpdState.ON_TRACK

    @property
    def records_to_go(self) -> int:
        return max(0, self.records_needed - self.records)

    @property
    def peer_to_go(self) -> int:
        return max(0, self.peer_needed - self.peer_reflected)


def peer_reflected_q(prefix: str = "") -> Q:
    """A CPD record that counts as peer reflection: marked so, or supervision of either kind."""
    return Q(**{f"{prefix}peer_reflection": True}) | Q(**{f"{prefix}kind__in": list(PEER_KINDS)})


def cpd_counts(
    *, starts_on: datetime.date, until: datetime.date, person_ref: str = "pk"
) -> dict[str, Any]:
    """Annotations for a query of people: ``cpd_n``, their CPD records from ``starts_on`` to
    ``until``, and ``cpd_peer``, those with peer reflection. The one way CPD is counted for many
    people at once (oversight's figures and the reminders use it; ``swe_position`` counts the
    same rows for one person)."""
    rows = CpdRecord.objects.filter(done_on__gte=starts_on, done_on__lte=until)
    return {
        "cpd_n": count_per_person(rows, person_ref),
        "cpd_peer": count_per_person(rows.filter(peer_reflected_q()), person_ref),
    }


def count_per_person(queryset: QuerySet[Any], person_ref: str = "pk") -> Any:
    """For a person (the outer row, its id at ``person_ref``): how many rows of ``queryset``
    (a model with a ``person``) are theirs, as an annotation."""
    return Coalesce(
        Subquery(
            queryset.filter(person_id=OuterRef(person_ref))
            .order_by()
            .values("person_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def cpd_met_q(rules: dict[str, int]) -> Q:
    """On people annotated with ``cpd_counts``: the year's requirement met."""
    return Q(cpd_n__gte=rules["records_per_year"], cpd_peer__gte=rules["peer_reflected_records"])


def people_behind_on_cpd(organisation: Organisation, on: datetime.date) -> QuerySet[Person]:
    """Social workers in post who are behind for the registration year on ``on``: reminders
    have begun and the year's CPD is not met. None before reminders begin. Two queries."""
    rules = rules_of(organisation, Scheme.SWE_CPD)
    year = schemes.registration_year(on, starts_month=rules["year_starts_month"])
    people = Person.objects.filter(
        organisation=organisation, staff_category__in=list(schemes.SOCIAL_WORK)
    ).filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
    if on < schemes.reminders_start(year, from_month=rules["reminders_from_month"]):
        return people.none()
    return (
        people.annotate(**cpd_counts(starts_on=year.starts_on, until=on))
        .exclude(cpd_met_q(rules))
        .select_related("user")
    )


def swe_position(
    person: Person, on: datetime.date | None = None, *, rules: dict[str, int] | None = None
) -> SwePosition:
    """The registration year containing ``on`` (today by default), with the CPD recorded in it
    up to that day. Two queries (one when ``rules`` are given)."""
    day = on or timezone.localdate()
    rules = rules or rules_of(person.organisation_id, Scheme.SWE_CPD)
    year = schemes.registration_year(day, starts_month=rules["year_starts_month"])
    counts = CpdRecord.objects.filter(
        person=person, done_on__gte=year.starts_on, done_on__lte=min(day, year.ends_on)
    ).aggregate(records=Count("id"), peer=Count("id", filter=peer_reflected_q()))
    return SwePosition(
        on=day,
        year=year,
        records=counts["records"],
        peer_reflected=counts["peer"],
        records_needed=rules["records_per_year"],
        peer_needed=rules["peer_reflected_records"],
        reminders_from=schemes.reminders_start(year, from_month=rules["reminders_from_month"]),
    )


# NMC revalidation


@dataclass(frozen=True)
class Tally:
    label: str
    have: Decimal | int
    need: Decimal | int

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def to_go(self) -> Decimal | int:
        return max(self.need - self.have, 0)


@dataclass(frozen=True)
class RevalidationPosition:
    revalidation: Revalidation
    period: Period
    on: datetime.date
    tallies: list[Tally]
    due_soon_days: int
    confirmed: bool = False
    cpd: list[CpdRecord] = field(default_factory=list)

    @property
    def days_left(self) -> int:
        return (self.revalidation.due_on - self.on).days

    @property
    def due_soon(self) -> bool:
        return 0 <= self.days_left <= self.due_soon_days

    @property
    def evidence_complete(self) -> bool:
        return all(tally.met for tally in self.tallies)

    @property
    def ready(self) -> bool:
        return self.evidence_complete and self.confirmed


def current_revalidation(person: Person, on: datetime.date | None = None) -> Revalidation | None:
    """The next revalidation due on or after ``on`` (the latest, if all are past)."""
    day = on or timezone.localdate()
    found = Revalidation.objects.filter(person=person, due_on__gte=day).order_by("due_on").first()
    return found or Revalidation.objects.filter(person=person).order_by("-due_on").first()


def revalidation_position(
    revalidation: Revalidation, on: datetime.date | None = None
) -> RevalidationPosition:
    """The evidence gathered for a revalidation against the organisation's numbers. Five
    queries."""
    day = on or timezone.localdate()
    rules = rules_of(revalidation.organisation_id, Scheme.NMC_REVALIDATION)
    period = schemes.revalidation_period(revalidation.due_on, cycle_years=rules["cycle_years"])
    cpd = list(
        CpdRecord.objects.filter(
            person_id=revalidation.person_id,
            done_on__gte=period.starts_on,
            done_on__lte=period.ends_on,
        ).order_by("done_on", "id")
    )
    cpd_hours = sum((r.hours or ZERO for r in cpd), ZERO)
    participatory = sum((r.participatory_hours or ZERO for r in cpd), ZERO)
    counts = Revalidation.objects.filter(pk=revalidation.pk).aggregate(
        feedback=Count("feedback", distinct=True),
        accounts=Count("reflective_accounts", distinct=True),
        discussions=Count(
            "discussions", filter=Q(discussions__partner_signed_on__isnull=False), distinct=True
        ),
    )
    practice = revalidation.practice_hours.aggregate(total=Coalesce(Sum("hours"), ZERO))["total"]
    tallies = [
        Tally("Practice hours", practice, Decimal(rules["practice_hours"])),
        Tally("CPD hours", cpd_hours, Decimal(rules["cpd_hours"])),
        Tally("Participatory CPD hours", participatory, Decimal(rules["participatory_hours"])),
        Tally("Pieces of practice-related feedback", counts["feedback"], rules["feedback"]),
        Tally("Written reflective accounts", counts["accounts"], rules["reflective_accounts"]),
        Tally(
            "Reflective discussions signed by the partner",
            counts["discussions"],
            rules["reflective_discussions"],
        ),
    ]
    return RevalidationPosition(
        revalidation=revalidation,
        period=period,
        on=day,
        tallies=tallies,
        due_soon_days=rules["due_soon_days"],
        confirmed=revalidation.confirmed_on is not None,
        cpd=cpd,
    )


# The Care Certificate and safeguarding leads


@dataclass(frozen=True)
class CareCertificatePosition:
    certificate: CareCertificate
    signed_off: int
    total: int
    on: datetime.date

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.signed_off == self.total

    @property
    def overdue(self) -> bool:
        return not self.complete and self.on > self.certificate.target_on


def care_certificate_position(
    person: Person, on: datetime.date | None = None
) -> CareCertificatePosition | None:
    """The person's latest Care Certificate and how many standards are signed off. One query."""
    day = on or timezone.localdate()
    certificate = (
        CareCertificate.objects.filter(person=person)
        .annotate(
            total=Count("standards"),
            signed=Count("standards", filter=Q(standards__signed_off_on__isnull=False)),
        )
        .order_by("-started_on")
        .first()
    )
    if certificate is None:
        return None
    return CareCertificatePosition(certificate, certificate.signed, certificate.total, day)


@dataclass(frozen=True)
class SafeguardingPosition:
    on: datetime.date
    last_training: datetime.date | None
    last_update: datetime.date | None
    training_months: int
    update_months: int

    @property
    def training_due_on(self) -> datetime.date | None:
        if self.last_training is None:
            return None
        return schemes.months_after(self.last_training, self.training_months)

    @property
    def update_due_on(self) -> datetime.date | None:
        latest = max((d for d in (self.last_training, self.last_update) if d), default=None)
        return schemes.months_after(latest, self.update_months) if latest else None

    @property
    def training_overdue(self) -> bool:
        due = self.training_due_on
        return due is None or due < self.on

    @property
    def update_overdue(self) -> bool:
        due = self.update_due_on
        return due is None or due < self.on

    @property
    def current(self) -> bool:
        return not (self.training_overdue or self.update_overdue)


def safeguarding_position(person: Person, on: datetime.date | None = None) -> SafeguardingPosition:
    """When the lead last trained and last updated their knowledge, and when each is next due.
    Two queries."""
    day = on or timezone.localdate()
    rules = rules_of(person.organisation_id, Scheme.SAFEGUARDING_LEAD)
    latest: dict[str, Any] = {
        row["kind"]: row["last"]
        for row in SafeguardingTraining.objects.filter(person=person, done_on__lte=day)
        .values("kind")
        .annotate(last=Max("done_on"))
        .order_by()
    }
    return SafeguardingPosition(
        on=day,
        last_training=latest.get(SafeguardingTrainingKind.TRAINING),
        last_update=latest.get(SafeguardingTrainingKind.UPDATE),
        training_months=rules["training_months"],
        update_months=rules["update_months"],
    )


# Development plans


def objectives(*, person: Person) -> QuerySet[Objective]:
    return Objective.objects.filter(person=person).select_related("course")


def open_objectives(*, person: Person) -> QuerySet[Objective]:
    return objectives(person=person).filter(status=ObjectiveStatus.OPEN).order_by("target_on", "id")


@dataclass(frozen=True)
class YearSummary:
    """A year's supervision, for the appraisal: what Tandem holds, counted."""

    starts_on: datetime.date
    ends_on: datetime.date
    sessions_held: int
    themes: dict[str, int]
    case_discussions: int
    objectives_met: int
    objectives_reviewed: int
    objectives_open: int
    cpd_records: int

    def as_json(self) -> dict[str, Any]:
        return {
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "sessions_held": self.sessions_held,
            "themes": self.themes,
            "case_discussions": self.case_discussions,
            "objectives_met": self.objectives_met,
            "objectives_reviewed": self.objectives_reviewed,
            "objectives_open": self.objectives_open,
            "cpd_records": self.cpd_records,
        }


def year_summary(
    *, person: Person, starts_on: datetime.date, ends_on: datetime.date
) -> YearSummary:
    """Sessions held with the person as supervisee, the themes of their agendas (the four
    functions of supervision), case discussions, objectives met and reviewed, and CPD logged,
    from ``starts_on`` to ``ends_on``. Five queries."""
    held = Session.objects.filter(
        supervisee=person,
        status=SessionStatus.HELD,
        starts_at__date__gte=starts_on,
        starts_at__date__lte=ends_on,
    )
    themes = {
        row["function"]: row["n"]
        for row in AgendaItem.objects.filter(session__in=held)
        .values("function")
        .annotate(n=Count("id"))
        .order_by()
    }
    plans = Objective.objects.filter(person=person).aggregate(
        met=Count(
            "id",
            filter=Q(status=ObjectiveStatus.MET, closed_on__gte=starts_on, closed_on__lte=ends_on),
            distinct=True,
        ),
        reviewed=Count(
            "id",
            filter=Q(reviews__reviewed_on__gte=starts_on, reviews__reviewed_on__lte=ends_on),
            distinct=True,
        ),
        open=Count("id", filter=Q(status=ObjectiveStatus.OPEN), distinct=True),
    )
    return YearSummary(
        starts_on=starts_on,
        ends_on=ends_on,
        sessions_held=held.count(),
        themes=themes,
        case_discussions=CaseDiscussion.objects.filter(
            record__supervisee=person, record__held_on__gte=starts_on, record__held_on__lte=ends_on
        ).count(),
        objectives_met=plans["met"],
        objectives_reviewed=plans["reviewed"],
        objectives_open=plans["open"],
        cpd_records=CpdRecord.objects.filter(
            person=person, done_on__gte=starts_on, done_on__lte=ends_on
        ).count(),
    )


# Everything at once


def positions(subject: Person, on: datetime.date | None = None) -> dict[str, Any]:
    """Where the person stands on ``on`` (today) in each rule set that applies to them, and in
    their ASYE: what the development page, the panels and the API show."""
    day = on or timezone.localdate()
    found = schemes_of(subject, day)
    shown: dict[str, Any] = {"schemes": found}
    if Scheme.SWE_CPD in found:
        shown["swe"] = swe_position(subject, day)
    if Scheme.NMC_REVALIDATION in found:
        revalidation = current_revalidation(subject, day)
        shown["revalidation"] = revalidation_position(revalidation, day) if revalidation else None
    if Scheme.CARE_CERTIFICATE in found:
        shown["care_certificate"] = care_certificate_position(subject, day)
    if Scheme.SAFEGUARDING_LEAD in found:
        shown["safeguarding"] = safeguarding_position(subject, day)
    current = asye_selectors.current_asye(subject)
    if current is not None:
        shown["asye"] = asye_selectors.asye_position(current, day)
    return shown
