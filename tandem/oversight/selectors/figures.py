"""The compliance figures and the 12-month trend, each one aggregate query per source
(windows, sessions, records, people in post, disagreements, actions), ungrouped or grouped by
unit, person or month. See ``definitions.py`` for what each means."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from tandem.agreements.models import Agreement, AgreementStatus, FrequencyRule
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import (
    Organisation,
    Person,
    SupervisionRelationship,
)
from tandem.records.models import (
    Action,
    ActionStatus,
    Disagreement,
    DisagreementStatus,
    Record,
    RecordStatus,
)

from ..models import DueWindow
from ..periods import Period, midnight, trend_period, zone
from . import development as development_figures
from .scope import COUNTED_KINDS, DAY, NO_UNIT, Scope


@dataclass
class Figures:
    """The compliance figures for one scope, period and group. See ``definitions.py``."""

    # Windows (the policy)
    people: int = 0
    required: int = 0
    met: int = 0
    people_missing: int = 0
    # Sessions
    held: int = 0
    short: int = 0
    cancelled: int = 0
    rebooked_in_time: int = 0
    rebook_overdue: int = 0
    # Records
    records: int = 0
    records_due: int = 0
    shared_on_time: int = 0
    shared_late: int = 0
    not_shared: int = 0
    signed: int = 0
    # Now, whatever the period
    staff: int = 0
    agreements_in_date: int = 0
    no_supervisor: int = 0
    open_disagreements: int = 0
    overdue_actions: int = 0
    # Development, today (people in post) and in the period (ASYE reviews, observations)
    cpd_people: int = 0
    cpd_on_track: int = 0
    cpd_met: int = 0
    revalidations_due: int = 0
    nqsws: int = 0
    nqsw_above_weighting: int = 0
    objectives_overdue: int = 0
    asye_reviews_due: int = 0
    asye_reviews_on_time: int = 0
    observations: int = 0

    @property
    def cpd_on_track_percent(self) -> int | None:
        return percent(self.cpd_on_track, self.cpd_people)

    @property
    def asye_on_time_percent(self) -> int | None:
        return percent(self.asye_reviews_on_time, self.asye_reviews_due)

    @property
    def missed(self) -> int:
        return self.required - self.met

    @property
    def people_compliant(self) -> int:
        return self.people - self.people_missing

    @property
    def met_percent(self) -> int | None:
        return percent(self.met, self.required)

    @property
    def people_percent(self) -> int | None:
        return percent(self.people_compliant, self.people)

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.shared_on_time, self.records_due)

    @property
    def signed_percent(self) -> int | None:
        return percent(self.signed, self.records)

    @property
    def agreements_percent(self) -> int | None:
        return percent(self.agreements_in_date, self.staff)

    @property
    def short_percent(self) -> int | None:
        return percent(self.short, self.held)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        for name in (
            "missed",
            "people_compliant",
            "met_percent",
            "people_percent",
            "on_time_percent",
            "signed_percent",
            "agreements_percent",
            "short_percent",
            "cpd_on_track_percent",
            "asye_on_time_percent",
        ):
            data[name] = getattr(self, name)
        return data


def percent(part: int, whole: int) -> int | None:
    """A whole-number percentage, rounded down so 99.6% never shows as 100%; None of nothing."""
    if not whole:
        return None
    return part * 100 // whole


def _held_in(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": SessionStatus.HELD, f"{prefix}kind__in": COUNTED_KINDS})


def qualifying_sessions() -> QuerySet[Session]:
    """For a window (the outer row): the held sessions of its person inside it that lasted at
    least its minimum."""
    return Session.objects.filter(
        _held_in(),
        supervisee_id=OuterRef("person_id"),
        held_started_at__gte=OuterRef("starts_at"),
        held_started_at__lt=OuterRef("ends_at"),
        held_minutes__gte=Coalesce(OuterRef("min_minutes"), Value(0)),
    )


def windows_due(scope: Scope, period: Period, today: datetime.date) -> QuerySet[DueWindow]:
    """The windows of people in scope that ended in the period (by yesterday), each with
    ``is_met``: whether it had a qualifying session."""
    return (
        DueWindow.objects.for_organisation(scope.organisation)
        .filter(ends_on__gte=period.starts_on, ends_on__lte=period.due_until(today))
        .filter(scope.people("person__"))
        .annotate(is_met=Exists(qualifying_sessions()))
    )


def _window_figures() -> dict[str, Any]:
    return {
        "people": Count("person_id", distinct=True),
        "required": Count("pk"),
        "met": Count("pk", filter=Q(is_met=True)),
        "people_missing": Count("person_id", distinct=True, filter=Q(is_met=False)),
    }


def _minimum_then(organisation: Organisation | None = None) -> Any:
    """For a session (the outer row): the minimum length of the window it was held in. With
    the ``organisation``, looked up only for sessions shorter than its longest minimum (the
    others cannot be short), which spares a lookup per session."""
    minimum = Subquery(
        DueWindow.objects.filter(
            person_id=OuterRef("supervisee_id"),
            starts_at__lte=OuterRef("held_started_at"),
            ends_at__gt=OuterRef("held_started_at"),
        )
        .order_by("-starts_at")
        .values("min_minutes")[:1]
    )
    if organisation is None:
        return minimum
    longest = Subquery(
        FrequencyRule.objects.for_organisation(organisation)
        .order_by()
        .values("organisation_id")
        .annotate(longest=Max("min_minutes"))
        .values("longest")[:1]
    )
    return Case(
        When(held_minutes__gte=Coalesce(longest, Value(0)), then=Value(None)),
        default=minimum,
        output_field=IntegerField(),
    )


def sessions_in(scope: Scope, period: Period) -> QuerySet[Session]:
    """Sessions of people in scope held, or cancelled, in the period."""
    start, end = midnight(period.starts_on), midnight(period.ends_on + DAY)
    return (
        Session.objects.for_organisation(scope.organisation)
        .filter(kind__in=COUNTED_KINDS)
        .filter(scope.people("supervisee__"))
        .filter(
            Q(status=SessionStatus.HELD, held_started_at__gte=start, held_started_at__lt=end)
            | Q(status=SessionStatus.CANCELLED, starts_at__gte=start, starts_at__lt=end)
        )
    )


def _session_figures(today: datetime.date, organisation: Organisation) -> dict[str, Any]:
    rebooked = Session.objects.filter(rebooked_from=OuterRef("pk"))
    booked_by_deadline = rebooked.annotate(booked_on=TruncDate("created_at", tzinfo=zone())).filter(
        booked_on__lte=OuterRef("rebook_by")
    )
    cancelled = Q(status=SessionStatus.CANCELLED)
    return {
        "_annotations": {
            "minimum": _minimum_then(organisation),
            "rebooked": Exists(rebooked),
            "rebooked_by_deadline": Exists(booked_by_deadline),
        },
        "held": Count("pk", filter=Q(status=SessionStatus.HELD)),
        "short": Count("pk", filter=Q(status=SessionStatus.HELD, held_minutes__lt=F("minimum"))),
        "cancelled": Count("pk", filter=cancelled),
        "rebooked_in_time": Count(
            "pk",
            filter=cancelled
            & Q(rebooked=True)
            & (Q(rebook_by__isnull=True) | Q(rebooked_by_deadline=True)),
        ),
        "rebook_overdue": Count("pk", filter=cancelled & Q(rebooked=False, rebook_by__lt=today)),
    }


def records_in(scope: Scope, period: Period) -> QuerySet[Record]:
    return (
        Record.objects.for_organisation(scope.organisation)
        .filter(held_on__gte=period.starts_on, held_on__lte=period.ends_on)
        .filter(scope.people("supervisee__"))
        .annotate(shared_on=TruncDate("shared_at", tzinfo=zone()))
    )


def _record_figures(today: datetime.date) -> dict[str, Any]:
    deadline_passed = Q(due_on__lt=today)
    shared = Q(shared_at__isnull=False)
    return {
        "records": Count("pk"),
        "records_due": Count("pk", filter=deadline_passed | shared),
        "shared_on_time": Count("pk", filter=shared & Q(shared_on__lte=F("due_on"))),
        "shared_late": Count("pk", filter=shared & Q(shared_on__gt=F("due_on"))),
        "not_shared": Count("pk", filter=deadline_passed & Q(status=RecordStatus.DRAFT)),
        "signed": Count("pk", filter=Q(status=RecordStatus.SIGNED)),
    }


def agreement_in_date(today: datetime.date) -> Exists:
    """For a person (the outer row): an active agreement, signed by both, not yet due for
    review."""
    return Exists(
        Agreement.objects.filter(
            supervisee_id=OuterRef("pk"), status=AgreementStatus.ACTIVE
        ).filter(Q(review_due_on__isnull=True) | Q(review_due_on__gte=today))
    )


def has_supervisor(today: datetime.date) -> Exists:
    return Exists(
        SupervisionRelationship.objects.filter(supervisee_id=OuterRef("pk"))
        .filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def staff_in(scope: Scope, today: datetime.date) -> QuerySet[Person]:
    """People in scope in post today."""
    return (
        Person.objects.for_organisation(scope.organisation)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
        .filter(scope.people())
    )


def _staff_figures(scope: Scope, today: datetime.date) -> dict[str, Any]:
    development = development_figures.staff_figures(scope, today)
    return {
        "_annotations": {
            "in_date": agreement_in_date(today),
            "supervised": has_supervisor(today),
            **development.pop("_annotations"),
        },
        "staff": Count("pk"),
        "agreements_in_date": Count("pk", filter=Q(in_date=True)),
        "no_supervisor": Count("pk", filter=Q(supervised=False)),
        **development,
    }


def open_disagreements_in(scope: Scope) -> QuerySet[Disagreement]:
    return Disagreement.objects.for_organisation(scope.organisation).filter(
        Q(status=DisagreementStatus.OPEN) & scope.people("record__supervisee__")
    )


def overdue_actions_in(scope: Scope, today: datetime.date) -> QuerySet[Action]:
    return Action.objects.for_organisation(scope.organisation).filter(
        Q(status=ActionStatus.OPEN, due_on__lt=today) & scope.people("owner__")
    )


# (queryset, where the person is, the figures) for each table, in one place.
def _sources(scope: Scope, period: Period, today: datetime.date) -> list[tuple[Any, str, Any]]:
    return [
        (windows_due(scope, period, today), "person__", _window_figures()),
        (
            sessions_in(scope, period),
            "supervisee__",
            _session_figures(today, scope.organisation),
        ),
        (records_in(scope, period), "supervisee__", _record_figures(today)),
        (staff_in(scope, today), "", _staff_figures(scope, today)),
        (open_disagreements_in(scope), "record__supervisee__", {"open_disagreements": Count("pk")}),
        (overdue_actions_in(scope, today), "owner__", {"overdue_actions": Count("pk")}),
        (
            development_figures.asye_reviews_in(scope, period, today),
            "asye__person__",
            development_figures.review_figures(),
        ),
        (
            development_figures.observations_in(scope, period),
            "asye__person__",
            development_figures.OBSERVATION_FIGURES,
        ),
    ]


def _aggregate(qs: QuerySet[Any], figures: dict[str, Any]) -> dict[str, Any]:
    figures = dict(figures)
    annotations = figures.pop("_annotations", {})
    if annotations:
        qs = qs.annotate(**annotations)
    return qs.aggregate(**figures)


def _grouped(qs: QuerySet[Any], key: Any, figures: dict[str, Any]) -> list[dict[str, Any]]:
    figures = dict(figures)
    annotations = figures.pop("_annotations", {})
    if annotations:
        qs = qs.annotate(**annotations)
    return list(qs.annotate(group=key).values("group").annotate(**figures).order_by())


def figures(scope: Scope, period: Period, today: datetime.date) -> Figures:
    """The headline: nine queries (eight sources and the development rules), whatever the size
    of the scope."""
    result = Figures()
    for qs, _prefix, wanted in _sources(scope, period, today):
        for name, value in _aggregate(qs, wanted).items():
            setattr(result, name, value or 0)
    return result


def figures_total(groups: Iterable[Figures]) -> Figures:
    """The figures of the whole scope from its groups by unit or by person: each person is in
    exactly one group, so every figure (distinct people included) is the sum of the groups'.
    Spares the dashboards nine queries when they show the units anyway."""
    total = Figures()
    for group in groups:
        for f in fields(Figures):
            setattr(total, f.name, getattr(total, f.name) + getattr(group, f.name))
    return total


def figures_by(
    scope: Scope,
    period: Period,
    today: datetime.date,
    *,
    by: str,
    people: Sequence[int] | None = None,
) -> dict[int, Figures]:
    """The same figures grouped ``by`` "unit" (one level below the scope) or "person" (only
    ``people``, when given). Nine queries, whatever the number of groups."""
    grouped: dict[int, Figures] = defaultdict(Figures)
    for qs, prefix, wanted in _sources(scope, period, today):
        if by == "person":
            column = f"{prefix[:-2]}_id" if prefix else "pk"
            key = F(column)
            if people is not None:
                qs = qs.filter(**{f"{column}__in": list(people)})
        else:
            key = scope.grouping(prefix)
        for row in _grouped(qs, key, wanted):
            target = grouped[row.pop("group") or NO_UNIT]
            for name, value in row.items():
                setattr(target, name, value or 0)
    return dict(grouped)


# The trend


@dataclass(frozen=True)
class Month:
    month: datetime.date
    required: int
    met: int
    records_due: int
    shared_on_time: int

    @property
    def met_percent(self) -> int | None:
        return percent(self.met, self.required)

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.shared_on_time, self.records_due)

    @property
    def label(self) -> str:
        return f"{self.month:%b %Y}"


def trend(scope: Scope, period: Period, today: datetime.date) -> list[Month]:
    """The 12 months ending with the period's last: windows met and records shared on time,
    month by month. Two queries."""
    months = trend_period(period)
    windows = {
        row["month"]: row
        for row in windows_due(scope, months, today)
        .annotate(month=TruncMonth("ends_on"))
        .values("month")
        .annotate(required=Count("pk"), met=Count("pk", filter=Q(is_met=True)))
        .order_by()
    }
    records = {
        row["month"]: row
        for row in records_in(scope, months)
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(**{k: v for k, v in _record_figures(today).items() if k in RECORD_TREND})
        .order_by()
    }
    result = []
    for first in months.months():
        w = _by_month(windows, first)
        r = _by_month(records, first)
        result.append(
            Month(
                month=first,
                required=w.get("required", 0),
                met=w.get("met", 0),
                records_due=r.get("records_due", 0),
                shared_on_time=r.get("shared_on_time", 0),
            )
        )
    return result


RECORD_TREND = ("records_due", "shared_on_time")


def _by_month(rows: dict[Any, dict[str, Any]], first: datetime.date) -> dict[str, Any]:
    """TruncMonth gives a date on PostgreSQL and SQLite alike; look either way for safety."""
    for key, row in rows.items():
        day = key.date() if isinstance(key, datetime.datetime) else key
        if day == first:
            return row
    return {}
