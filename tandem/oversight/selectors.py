"""The compliance figures, computed in the database: one definition of each, used by the
headline, the units side by side, person by person, the trend, the exports and the API.

Every figure is an aggregate over one table (windows, sessions, records, people, disagreements,
actions), filtered to a ``Scope`` (an organisation, a unit and everything under it, a staff
category) and a ``Period``, and optionally grouped: by nothing (the headline), by unit (teams or
services side by side), by person or by month (the trend). Each is one query whatever the size
of the organisation; the definitions page (``definitions.py``) says what each means.

Whose figures: people are counted in their current team and current staff category; what was
required of them is the policy as it stood on each date (``DueWindow``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from tandem.agreements.models import Agreement, AgreementStatus, FrequencyRule
from tandem.meetings.models import AgendaItem, Session, SessionKind, SessionStatus
from tandem.organisations.models import (
    Organisation,
    Person,
    Role,
    SupervisionRelationship,
    Team,
    TeamKind,
)
from tandem.organisations.selectors import (
    TEAM_DEPTH,
    managed_people,
    person_has_role,
    teams_managed_by,
)
from tandem.records.models import (
    Action,
    ActionStatus,
    Disagreement,
    DisagreementStatus,
    Record,
    RecordStatus,
)

from .models import AGREES, SMALL_GROUP, DueWindow, SessionFeedback
from .periods import Period, trend_period
from .windows import midnight, zone

DAY = datetime.timedelta(days=1)
# The kinds of session that meet a person's requirement: their own, one to one or ad hoc.
COUNTED_KINDS = [SessionKind.ONE_TO_ONE, SessionKind.AD_HOC]
NO_UNIT = 0  # the group key of people in no team


# Who may see what


@dataclass(frozen=True)
class Oversight:
    """What a person may oversee: the whole organisation, or the units they lead (with
    everything under them)."""

    organisation: Organisation
    whole_organisation: bool
    units: tuple[Team, ...]

    @property
    def any(self) -> bool:
        return self.whole_organisation or bool(self.units)


def oversight_of(person: Person | None) -> Oversight | None:
    """Senior leaders and organisation admins oversee the organisation; the manager of a team,
    service or directorate oversees it. Anyone else oversees nothing (None)."""
    if person is None:
        return None
    whole = person_has_role(person, Role.SENIOR_LEADER) or person_has_role(person, Role.ADMIN)
    units = tuple(teams_managed_by(person=person).select_related("parent"))
    access = Oversight(person.organisation, whole, units)
    return access if access.any else None


def _ancestor_ids(unit: Team) -> set[int]:
    ids = set()
    current: Team | None = unit
    for _ in range(TEAM_DEPTH):
        if current is None:
            break
        ids.add(current.pk)
        current = current.parent
    return ids


def may_oversee_unit(access: Oversight | None, unit: Team) -> bool:
    if access is None or unit.organisation_id != access.organisation.pk:
        return False
    if access.whole_organisation:
        return True
    led = {u.pk for u in access.units}
    return bool(led & _ancestor_ids(unit))


def may_oversee_person(access: Oversight | None, viewer: Person, person: Person) -> bool:
    if access is None or person.organisation_id != access.organisation.pk:
        return False
    if access.whole_organisation:
        return True
    return managed_people(manager=viewer).filter(pk=person.pk).exists()


def unit_with_parents(organisation: Organisation, pk: int) -> Team | None:
    """A unit of this organisation with its parents loaded (for permissions and breadcrumbs)."""
    return (
        Team.objects.for_organisation(organisation)
        .select_related("parent", "parent__parent", "manager")
        .filter(pk=pk)
        .first()
    )


# The scope of a set of figures


@dataclass(frozen=True)
class Scope:
    """Whose figures: an organisation, optionally one unit and everything under it, optionally
    one staff category (both as people are now)."""

    organisation: Organisation
    unit: Team | None = None
    staff_category: str = ""

    def in_unit(self, team: str = "team") -> Q:
        """The condition that the team at ``team`` is the scope's unit or under it."""
        condition = Q()
        if self.unit is not None:
            path = team
            for _ in range(TEAM_DEPTH):
                condition |= Q(**{path: self.unit.pk})
                path += "__parent"
        return condition

    def people(self, prefix: str = "") -> Q:
        """The condition that the person at ``prefix`` (e.g. ``"supervisee__"``) is in scope."""
        condition = self.in_unit(f"{prefix}team")
        if self.staff_category:
            condition &= Q(**{f"{prefix}staff_category": self.staff_category})
        return condition

    def grouping(self, prefix: str = "") -> Any:
        """An expression giving the unit each person is shown under, one level below the scope:
        for a unit, its child containing the person's team (the unit itself for people directly
        in it); for the whole organisation, the service above the person's team (the team itself
        where there is no service)."""
        team = f"{prefix}team"
        if self.unit is not None:
            return Case(
                When(**{f"{team}__parent_id": self.unit.pk}, then=F(f"{team}_id")),
                When(**{f"{team}__parent__parent_id": self.unit.pk}, then=F(f"{team}__parent_id")),
                default=Coalesce(F(f"{team}_id"), Value(NO_UNIT)),
                output_field=IntegerField(),
            )
        return Case(
            When(**{f"{team}__kind": TeamKind.SERVICE}, then=F(f"{team}_id")),
            When(**{f"{team}__parent__kind": TeamKind.SERVICE}, then=F(f"{team}__parent_id")),
            default=Coalesce(F(f"{team}_id"), Value(NO_UNIT)),
            output_field=IntegerField(),
        )


# The figures


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


def _staff_figures(today: datetime.date) -> dict[str, Any]:
    return {
        "_annotations": {
            "in_date": agreement_in_date(today),
            "supervised": has_supervisor(today),
        },
        "staff": Count("pk"),
        "agreements_in_date": Count("pk", filter=Q(in_date=True)),
        "no_supervisor": Count("pk", filter=Q(supervised=False)),
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
        (staff_in(scope, today), "", _staff_figures(today)),
        (open_disagreements_in(scope), "record__supervisee__", {"open_disagreements": Count("pk")}),
        (overdue_actions_in(scope, today), "owner__", {"overdue_actions": Count("pk")}),
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
    """The headline: six queries, whatever the size of the scope."""
    result = Figures()
    for qs, _prefix, wanted in _sources(scope, period, today):
        for name, value in _aggregate(qs, wanted).items():
            setattr(result, name, value or 0)
    return result


def figures_total(groups: Iterable[Figures]) -> Figures:
    """The figures of the whole scope from its groups by unit or by person: each person is in
    exactly one group, so every figure (distinct people included) is the sum of the groups'.
    Spares the dashboards six queries when they show the units anyway."""
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
    ``people``, when given). Six queries, whatever the number of groups."""
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


# Exceptions: who needs attention, and since when


def missed_windows(scope: Scope, period: Period, today: datetime.date) -> QuerySet[Any]:
    """People with a window in the period that had no qualifying session: how many of how
    many and the first and last missed deadlines; longest overdue first. Their last sessions
    come from ``last_held_of`` for the rows shown (counting the rows then costs nothing more)."""
    return (
        windows_due(scope, period, today)
        .values(
            "person_id",
            "person__first_name",
            "person__last_name",
            "person__staff_category",
            "person__team__name",
        )
        .annotate(
            required=Count("pk"),
            missed=Count("pk", filter=Q(is_met=False)),
            first_missed=Min("ends_on", filter=Q(is_met=False)),
            last_missed=Max("ends_on", filter=Q(is_met=False)),
        )
        .filter(missed__gt=0)
        .order_by("first_missed", "person__last_name", "person__first_name", "person_id")
    )


def last_held_of(person_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these people last had a session held (one query)."""
    rows = (
        Session.objects.filter(_held_in(), supervisee_id__in=list(person_ids))
        .values("supervisee_id")
        .annotate(last=Max("held_started_at"))
        .order_by()
    )
    return {row["supervisee_id"]: row["last"] for row in rows}


def overdue_records(scope: Scope, today: datetime.date) -> QuerySet[Record]:
    """Records still not shared after their deadline, oldest first."""
    return (
        Record.objects.for_organisation(scope.organisation)
        .filter(scope.people("supervisee__"))
        .filter(status=RecordStatus.DRAFT, due_on__lt=today)
        .select_related("supervisee", "supervisor", "supervisee__team")
        .order_by("due_on", "pk")
    )


def rebook_overdue_sessions(
    scope: Scope, today: datetime.date, period: Period | None = None
) -> QuerySet[Session]:
    """Cancelled sessions not re-booked by their deadline, oldest first: those that were due in
    the period when one is given (as the ``rebook_overdue`` figure counts them)."""
    sessions = Session.objects.for_organisation(scope.organisation)
    if period is not None:
        sessions = sessions.filter(
            starts_at__gte=midnight(period.starts_on), starts_at__lt=midnight(period.ends_on + DAY)
        )
    return (
        sessions.filter(kind__in=COUNTED_KINDS)
        .filter(scope.people("supervisee__"))
        .filter(status=SessionStatus.CANCELLED, rebook_by__lt=today)
        .filter(~Exists(Session.objects.filter(rebooked_from=OuterRef("pk"))))
        .select_related("supervisee", "supervisor")
        .order_by("rebook_by", "pk")
    )


def agreements_out_of_date(scope: Scope, today: datetime.date) -> QuerySet[Person]:
    """People in post without an agreement in date, with the date their latest one was due for
    review (None: they never had one)."""
    latest_review = (
        Agreement.objects.filter(supervisee_id=OuterRef("pk"))
        .exclude(status=AgreementStatus.SUPERSEDED)
        .order_by("-created_at")
        .values("review_due_on")[:1]
    )
    return (
        staff_in(scope, today)
        .annotate(in_date=agreement_in_date(today), review_due_on=Subquery(latest_review))
        .filter(in_date=False)
        .select_related("team")
        .order_by(F("review_due_on").asc(nulls_first=True), "last_name", "first_name", "pk")
    )


# One person


@dataclass(frozen=True)
class PersonWindow:
    window: DueWindow
    session_id: int | None
    session_at: datetime.datetime | None

    @property
    def met(self) -> bool:
        return self.session_id is not None


def person_windows(person: Person, period: Period, today: datetime.date) -> list[PersonWindow]:
    """The person's windows touching the period, each with the session that met it (the first
    qualifying one), or none. One query."""
    first = qualifying_sessions().order_by("held_started_at")
    rows = (
        DueWindow.objects.for_organisation(person.organisation_id)
        .filter(person=person, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on)
        .annotate(
            session_id=Subquery(first.values("pk")[:1]),
            session_at=Subquery(first.values("held_started_at")[:1]),
        )
        .order_by("starts_on")
    )
    return [PersonWindow(w, w.session_id, w.session_at) for w in rows]


def person_sessions(person: Person, period: Period) -> QuerySet[Session]:
    """The person's own sessions in the period (held by when they were held, others by when
    they were booked), with each held one's minimum then."""
    start, end = midnight(period.starts_on), midnight(period.ends_on + DAY)
    when = Coalesce("held_started_at", "starts_at")
    return (
        Session.objects.for_organisation(person.organisation_id)
        .filter(supervisee=person, kind__in=COUNTED_KINDS)
        .annotate(when=when, minimum=_minimum_then())
        .filter(when__gte=start, when__lt=end)
        .select_related("supervisor", "rebooked_as")
        .order_by("when", "pk")
    )


def person_records(person: Person, period: Period) -> QuerySet[Record]:
    return (
        Record.objects.for_organisation(person.organisation_id)
        .filter(supervisee=person, held_on__gte=period.starts_on, held_on__lte=period.ends_on)
        .annotate(shared_on=TruncDate("shared_at", tzinfo=zone()))
        .select_related("supervisor")
        .order_by("held_on", "pk")
    )


# Supervision balance and feedback


@dataclass
class Balance:
    """Agenda minutes of held sessions by supervision function (Morrison's four)."""

    minutes: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.minutes.values())

    def share(self, function: str) -> int | None:
        return percent(self.minutes.get(function, 0), self.total)


def _agenda_in(scope: Scope, period: Period) -> QuerySet[AgendaItem]:
    start, end = midnight(period.starts_on), midnight(period.ends_on + DAY)
    return AgendaItem.objects.filter(
        session__organisation=scope.organisation,
        session__status=SessionStatus.HELD,
        session__kind__in=COUNTED_KINDS,
        session__held_started_at__gte=start,
        session__held_started_at__lt=end,
    ).filter(scope.people("session__supervisee__"))


def balance(scope: Scope, period: Period) -> Balance:
    result = Balance()
    rows = (
        _agenda_in(scope, period)
        .values("function")
        .annotate(minutes=Sum("minutes"), items=Count("pk"))
        .order_by()
    )
    for row in rows:
        result.minutes[row["function"]] = row["minutes"] or 0
        result.items[row["function"]] = row["items"]
    return result


def balance_by_unit(scope: Scope, period: Period) -> dict[int, Balance]:
    grouped: dict[int, Balance] = defaultdict(Balance)
    rows = (
        _agenda_in(scope, period)
        .annotate(group=scope.grouping("session__supervisee__"))
        .values("group", "function")
        .annotate(minutes=Sum("minutes"), items=Count("pk"))
        .order_by()
    )
    for row in rows:
        target = grouped[row["group"] or NO_UNIT]
        target.minutes[row["function"]] = row["minutes"] or 0
        target.items[row["function"]] = row["items"]
    return dict(grouped)


FEEDBACK_QUESTIONS = ("useful", "time_to_reflect", "felt_supported")


@dataclass(frozen=True)
class FeedbackSummary:
    """The share of responses agreeing with each question; nothing at all below
    ``SMALL_GROUP`` responses (``shown`` is False and the shares are None)."""

    responses: int
    agreeing: dict[str, int | None]

    @property
    def shown(self) -> bool:
        return self.responses >= SMALL_GROUP


def _feedback_in(scope: Scope, period: Period) -> QuerySet[SessionFeedback]:
    """Feedback carries the team its person was in when they answered."""
    condition = scope.in_unit("team")
    if scope.staff_category:
        condition &= Q(person__staff_category=scope.staff_category)
    return (
        SessionFeedback.objects.for_organisation(scope.organisation)
        .filter(held_on__gte=period.starts_on, held_on__lte=period.ends_on)
        .filter(condition)
    )


def _feedback_figures() -> dict[str, Any]:
    wanted: dict[str, Any] = {"responses": Count("pk")}
    for question in FEEDBACK_QUESTIONS:
        wanted[question] = Count("pk", filter=Q(**{f"{question}__gte": AGREES}))
    return wanted


def _summary(row: dict[str, Any]) -> FeedbackSummary:
    responses = row.get("responses") or 0
    if responses < SMALL_GROUP:
        return FeedbackSummary(responses, dict.fromkeys(FEEDBACK_QUESTIONS))
    return FeedbackSummary(
        responses, {q: percent(row.get(q) or 0, responses) for q in FEEDBACK_QUESTIONS}
    )


def feedback_summary(scope: Scope, period: Period) -> FeedbackSummary:
    return _summary(_feedback_in(scope, period).aggregate(**_feedback_figures()))


def feedback_by_unit(scope: Scope, period: Period) -> dict[int, FeedbackSummary]:
    """By unit one level below the scope, using the team each person was in when they
    answered."""
    rows = (
        _feedback_in(scope, period)
        .annotate(group=scope.grouping())  # feedback's own team, as people's is in the others
        .values("group")
        .annotate(**_feedback_figures())
        .order_by()
    )
    return {row["group"] or NO_UNIT: _summary(row) for row in rows}


def units_named(organisation: Organisation, ids: Iterable[int]) -> dict[int, Team]:
    return {
        t.pk: t
        for t in Team.objects.for_organisation(organisation).filter(pk__in=[i for i in ids if i])
    }
