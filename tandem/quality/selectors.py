"""Reads for the quality pages and the API: which audits a person may see (the same answer as
``rules.may_read_audit``, as a query), results by team and quarter, pathway progress, the
pipeline's counts, turnover beside supervision, and equality figures with small groups
suppressed. Each a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncQuarter

from tandem.meetings.models import Session, SessionKind, SessionStatus
from tandem.organisations.models import Organisation, Person, Role, Team
from tandem.organisations.selectors import managed_people, person_has_role
from tandem.oversight.models import SMALL_GROUP
from tandem.oversight.periods import Period
from tandem.oversight.selectors.balance import smallest_group
from tandem.oversight.selectors.figures import figures_by, percent
from tandem.oversight.selectors.scope import Scope

from .models import (
    CHARACTERISTICS,
    PIPELINE_OPEN,
    AuditStatus,
    CaseAudit,
    CaseAuditStage,
    EqualityProfile,
    Pathway,
    PathwayArea,
    PathwayItem,
    PathwayPoint,
    PipelineEntry,
    PipelinePlanItem,
    PipelineStatus,
    PlanKind,
    SupervisionAudit,
)


def sees_all_audits(person: Person) -> bool:
    return person_has_role(person, Role.AUDITOR) or person_has_role(person, Role.SENIOR_LEADER)


def audits_visible_to(person: Person) -> QuerySet[SupervisionAudit]:
    """The audits ``quality.view_audit`` lets this person read (tests prove the two agree)."""
    audits = SupervisionAudit.objects.for_organisation(person.organisation_id)
    own = Q(auditor=person) | Q(supervisor=person)
    if sees_all_audits(person):
        others = Q()
    else:
        others = Q(supervisor__in=managed_people(manager=person).values("pk"))
    outside_team = ~Q(supervisee=person)
    if person.team_id is not None:
        outside_team &= ~Q(supervisee__team_id=person.team_id) & ~Q(team_id=person.team_id)
    return (
        audits.filter(own | (others & outside_team))
        .select_related("supervisor", "supervisee", "auditor", "team")
        .order_by("-created_at", "-id")
    )


@dataclass
class ResultCell:
    audits: int = 0
    average: int | None = None


@dataclass
class ResultRow:
    team: str
    cells: dict[datetime.date, ResultCell] = field(default_factory=dict)
    columns: list[ResultCell | None] = field(default_factory=list)
    audits: int = 0
    average: int | None = None


def quarters_back(today: datetime.date, count: int = 4) -> list[datetime.date]:
    first = Period.quarter(today).starts_on
    return [first - relativedelta(months=3 * n) for n in range(count - 1, -1, -1)]


def audit_results(
    person: Person, today: datetime.date
) -> tuple[list[datetime.date], list[ResultRow]]:
    """Completed audits' average score by the supervisee's team (as it was) and quarter, over
    the last four quarters, of the audits this person may read. Two queries."""
    quarters = quarters_back(today)
    visible = audits_visible_to(person).filter(
        status=AuditStatus.COMPLETED, completed_at__date__gte=quarters[0]
    )
    rows = (
        visible.annotate(quarter=TruncQuarter("completed_at"))
        .values("team__name", "quarter")
        .annotate(audits=Count("pk"), average=Avg("score"))
        .order_by("team__name", "quarter")
    )
    by_team: dict[str, ResultRow] = {}
    for row in rows:
        name = row["team__name"] or "No team"
        result = by_team.setdefault(name, ResultRow(team=name))
        quarter = row["quarter"]
        quarter = quarter.date() if isinstance(quarter, datetime.datetime) else quarter
        result.cells[quarter] = ResultCell(
            row["audits"], int(row["average"]) if row["average"] is not None else None
        )
    overall = visible.values("team__name").annotate(audits=Count("pk"), average=Avg("score"))
    for row in overall:
        name = row["team__name"] or "No team"
        if name in by_team:
            by_team[name].audits = row["audits"]
            by_team[name].average = int(row["average"]) if row["average"] is not None else None
    for result in by_team.values():
        result.columns = [result.cells.get(quarter) for quarter in quarters]
    return quarters, list(by_team.values())


def case_audits_visible_to(person: Person) -> QuerySet[CaseAudit]:
    audits = CaseAudit.objects.for_organisation(person.organisation_id)
    if not sees_all_audits(person):
        audits = audits.filter(
            Q(worker=person)
            | Q(supervisor=person)
            | Q(worker__in=managed_people(manager=person).values("pk"))
            | Q(auditor=person)
        )
    return audits.select_related("worker", "supervisor", "auditor", "round")


def case_audit_figures(audits: QuerySet[CaseAudit], grades: list[str]) -> dict[str, Any]:
    """How many were chosen, audited, at each grade, with learning recorded and its impact
    checked. One query."""
    good = grades[:2]
    figures = audits.aggregate(
        chosen=Count("pk"),
        audited=Count("pk", filter=~Q(stage=CaseAuditStage.SELECTED)),
        good_or_better=Count("pk", filter=Q(grade__in=good)),
        learning=Count("pk", filter=Q(stage__in=[CaseAuditStage.LEARNING, CaseAuditStage.DONE])),
        impact=Count("pk", filter=Q(stage=CaseAuditStage.DONE)),
    )
    figures["good_percent"] = percent(figures["good_or_better"], figures["audited"])
    figures["learning_percent"] = percent(figures["learning"], figures["audited"])
    return figures


# The pathway


@dataclass
class PathwayProgress:
    pathway: Pathway
    months_in: int
    items: list[PathwayItem]
    done: int
    overdue: int
    assessments: dict[str, Any]
    points: list[dict[str, Any]]
    own_sessions: int
    group_sessions: int

    @property
    def percent(self) -> int | None:
        return percent(self.done, len(self.items))


def pathway_progress(pathway: Pathway, today: datetime.date) -> PathwayProgress:
    """Where a practice supervisor stands on the pathway: the plan, the self-assessments due,
    their own supervision and the peer groups and action learning sets they have been in since
    they started. Four queries."""
    from .services.pathway import point_date

    items = list(pathway.items.order_by("area", "position", "id"))
    assessments = {a.point: a for a in pathway.assessments.all()}
    points = [
        {
            "point": point,
            "label": label,
            "on": point_date(pathway, point),
            "done": assessments.get(point),
            "due": point not in assessments and today >= point_date(pathway, point),
        }
        for point, label in PathwayPoint.choices
    ]
    held = Session.objects.filter(
        organisation_id=pathway.organisation_id,
        status=SessionStatus.HELD,
        starts_at__date__gte=pathway.starts_on,
    ).aggregate(
        own=Count("pk", filter=Q(supervisee=pathway.person) & ~Q(kind=SessionKind.GROUP)),
        group=Count("pk", filter=Q(members=pathway.person, kind=SessionKind.GROUP), distinct=True),
    )
    delta = relativedelta(today, pathway.starts_on)
    return PathwayProgress(
        pathway=pathway,
        months_in=max(0, delta.years * 12 + delta.months),
        items=items,
        done=sum(1 for item in items if item.done_on),
        overdue=sum(
            1 for item in items if not item.done_on and item.due_on and item.due_on < today
        ),
        assessments=assessments,
        points=points,
        own_sessions=held["own"],
        group_sessions=held["group"],
    )


def pathways_visible_to(person: Person) -> QuerySet[Pathway]:
    pathways = Pathway.objects.for_organisation(person.organisation_id).select_related(
        "person", "supporter"
    )
    if person_has_role(person, Role.HR):
        return pathways
    return pathways.filter(
        Q(person=person)
        | Q(supporter=person)
        | Q(person__in=managed_people(manager=person).values("pk"))
    )


# The pipeline, turnover and equality


def pipeline_counts(organisation: Organisation, today: datetime.date) -> dict[str, int]:
    """People in the pipeline by where they are, and those appointed in the last 12 months."""
    year_ago = today - relativedelta(years=1)
    counts = PipelineEntry.objects.for_organisation(organisation).aggregate(
        identified=Count("pk", filter=Q(status=PipelineStatus.IDENTIFIED)),
        developing=Count("pk", filter=Q(status=PipelineStatus.DEVELOPING)),
        acting_up=Count("pk", filter=Q(status=PipelineStatus.ACTING_UP)),
        open=Count("pk", filter=Q(status__in=PIPELINE_OPEN)),
        appointed=Count("pk", filter=Q(status=PipelineStatus.APPOINTED, status_on__gte=year_ago)),
        withdrawn=Count("pk", filter=Q(status=PipelineStatus.WITHDRAWN, status_on__gte=year_ago)),
    )
    return {key: value or 0 for key, value in counts.items()}


@dataclass(frozen=True)
class TeamTurnover:
    team: Team
    headcount: int
    leavers: int
    supervised_percent: int | None
    met: int
    required: int

    @property
    def turnover_percent(self) -> int | None:
        """Leavers in the last 12 months over the people in the team then (those still in post
        and those who left), rounded down."""
        return percent(self.leavers, self.headcount + self.leavers)


def turnover_by_team(
    organisation: Organisation, teams: list[Team], today: datetime.date
) -> list[TeamTurnover]:
    """Each team's headcount, leavers in the last 12 months and turnover, beside the share of
    the sessions the policy required over the same 12 months that were held. Ten queries."""
    year_ago = today - relativedelta(years=1)
    ids = [team.pk for team in teams]
    people = (
        Person.objects.for_organisation(organisation)
        .filter(team_id__in=ids)
        .values("team_id")
        .annotate(
            headcount=Count("pk", filter=Q(left_on__isnull=True) | Q(left_on__gte=today)),
            leavers=Count("pk", filter=Q(left_on__gte=year_ago, left_on__lt=today)),
        )
    )
    counts = {row["team_id"]: row for row in people}
    period = Period.custom(year_ago, today - datetime.timedelta(days=1))
    met: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    members = list(
        Person.objects.for_organisation(organisation)
        .filter(team_id__in=ids)
        .values_list("pk", "team_id")
    )
    team_of = dict(members)
    for person_id, figures in figures_by(
        Scope(organisation), period, today, by="person", people=list(team_of)
    ).items():
        team_id = team_of.get(person_id)
        if team_id is not None:
            met[team_id][0] += figures.met
            met[team_id][1] += figures.required
    return [
        TeamTurnover(
            team=team,
            headcount=counts.get(team.pk, {}).get("headcount", 0),
            leavers=counts.get(team.pk, {}).get("leavers", 0),
            supervised_percent=percent(met[team.pk][0], met[team.pk][1]),
            met=met[team.pk][0],
            required=met[team.pk][1],
        )
        for team in teams
    ]


@dataclass
class EqualityRow:
    label: str
    staff: int | None
    in_pipeline: int | None
    appointed: int | None
    coached: int | None
    suppressed: bool = False

    @property
    def progression_percent(self) -> int | None:
        return (
            None
            if self.suppressed or not self.staff
            else percent(self.in_pipeline or 0, self.staff)
        )


def suppress(rows: list[EqualityRow], threshold: int = SMALL_GROUP) -> list[EqualityRow]:
    """No figure for a group of fewer than ``threshold`` people; and when exactly one group is
    hidden, the next smallest is hidden too, so that it cannot be worked out from the others
    and the total."""
    small = [row for row in rows if row.staff is not None and 0 < row.staff < threshold]
    if len(small) == 1:
        rest = sorted(
            (row for row in rows if row not in small and row.staff), key=lambda r: r.staff or 0
        )
        if rest:
            small.append(rest[0])
    for row in small:
        row.staff = row.in_pipeline = row.appointed = row.coached = None
        row.suppressed = True
    return rows


def equality_figures(
    organisation: Organisation, today: datetime.date, threshold: int | None = None
) -> dict[str, list[EqualityRow]]:
    """For each characteristic, each group's staff in post, people in the pipeline (open or
    appointed), appointed, and offered coaching or mentoring (on the pathway or in the
    pipeline): aggregates only, small groups suppressed. Four queries."""
    staff = list(
        Person.objects.for_organisation(organisation)
        .current()
        .values_list(
            "pk",
            "equality_profile__ethnic_group",
            "equality_profile__sex",
            "equality_profile__disability",
        )
    )
    entries = dict(
        PipelineEntry.objects.for_organisation(organisation)
        .exclude(status=PipelineStatus.WITHDRAWN)
        .values_list("person_id", "status")
    )
    coached = set(
        PipelinePlanItem.objects.for_organisation(organisation)
        .filter(kind__in=[PlanKind.COACHING, PlanKind.MENTORING])
        .values_list("entry__person_id", flat=True)
    ) | set(
        PathwayItem.objects.for_organisation(organisation)
        .filter(area=PathwayArea.COACHING)
        .values_list("pathway__person_id", flat=True)
    )
    result: dict[str, list[EqualityRow]] = {}
    for index, (_key, (name, options)) in enumerate(CHARACTERISTICS.items(), start=1):
        groups: dict[str, list[int]] = defaultdict(list)
        for row in staff:
            groups[row[index] or ""].append(row[0])
        rows = []
        for value, label in [*options.choices, ("", "Not declared")]:
            people = groups.get(value, [])
            rows.append(
                EqualityRow(
                    label=str(label),
                    staff=len(people),
                    in_pipeline=sum(1 for p in people if p in entries),
                    appointed=sum(1 for p in people if entries.get(p) == PipelineStatus.APPOINTED),
                    coached=sum(1 for p in people if p in coached),
                )
            )
        result[name] = suppress(rows, threshold or smallest_group(organisation))
    return result


def equality_profiles(organisation: Organisation) -> QuerySet[EqualityProfile]:
    """Everyone's declarations: for HR alone."""
    return (
        EqualityProfile.objects.for_organisation(organisation)
        .select_related("person", "person__team")
        .order_by("person__last_name", "person__first_name")
    )


# Who supervises the supervisors


@dataclass(frozen=True)
class SupervisorRow:
    supervisor: Person
    own_met: int
    own_required: int
    supervisees: int
    their_met: int
    their_required: int

    @property
    def own_percent(self) -> int | None:
        return percent(self.own_met, self.own_required)

    @property
    def their_percent(self) -> int | None:
        return percent(self.their_met, self.their_required)


def supervisors_supervision(
    scope: Scope, period: Period, today: datetime.date, limit: int = 200
) -> list[SupervisorRow]:
    """Each supervisor in scope (by the supervisee's unit), their own supervision beside their
    supervisees': the sessions the policy required in the period and how many were held.
    Twenty queries at most, whatever the number of supervisors."""
    from tandem.organisations.models import SupervisionRelationship

    pairs = list(
        SupervisionRelationship.objects.for_organisation(scope.organisation)
        .current(today)
        .filter(scope.people("supervisee__"))
        .values_list("supervisor_id", "supervisee_id")
        .order_by("supervisor__last_name", "supervisor__first_name", "supervisor_id")
    )
    supervisees: dict[int, set[int]] = defaultdict(set)
    for supervisor_id, supervisee_id in pairs:
        supervisees[supervisor_id].add(supervisee_id)
    chosen = list(supervisees)[:limit]
    everyone = set(chosen) | {s for sid in chosen for s in supervisees[sid]}
    figures = figures_by(
        Scope(scope.organisation), period, today, by="person", people=list(everyone)
    )
    people = {p.pk: p for p in Person.objects.filter(pk__in=chosen).select_related("team")}
    rows = []
    for supervisor_id in chosen:
        own = figures.get(supervisor_id)
        theirs = [figures[s] for s in supervisees[supervisor_id] if s in figures]
        rows.append(
            SupervisorRow(
                supervisor=people[supervisor_id],
                own_met=own.met if own else 0,
                own_required=own.required if own else 0,
                supervisees=len(supervisees[supervisor_id]),
                their_met=sum(f.met for f in theirs),
                their_required=sum(f.required for f in theirs),
            )
        )
    return rows


def turnover_in(scope: Scope, on: datetime.date) -> dict[str, Any]:
    """People in scope (by their team) in post on ``on`` and those who left in the 12 months
    to it, and the turnover: one query."""
    year_ago = on - relativedelta(years=1)
    counts = (
        Person.objects.for_organisation(scope.organisation)
        .filter(scope.people())
        .aggregate(
            in_post=Count("pk", filter=Q(left_on__isnull=True) | Q(left_on__gte=on)),
            leavers=Count("pk", filter=Q(left_on__gt=year_ago, left_on__lt=on)),
        )
    )
    whole = (counts["in_post"] or 0) + (counts["leavers"] or 0)
    return {**counts, "percent": percent(counts["leavers"] or 0, whole)}


def pack_figures(scope: Scope, period: Period, today: datetime.date) -> dict[str, Any]:
    """The quality and workforce figures an evidence pack keeps for its scope and period: all
    the audits of supervisees (and case-file audits of workers) in scope, as aggregates only.
    Three queries and the grading scale."""
    from .services.case_audits import settings_of

    audits = (
        SupervisionAudit.objects.for_organisation(scope.organisation)
        .filter(status=AuditStatus.COMPLETED)
        .filter(completed_at__date__gte=period.starts_on, completed_at__date__lte=period.ends_on)
        .filter(scope.people("supervisee__"))
        .aggregate(completed=Count("pk"), average=Avg("score"))
    )
    cases = case_audit_figures(
        CaseAudit.objects.for_organisation(scope.organisation)
        .filter(created_at__date__gte=period.starts_on, created_at__date__lte=period.ends_on)
        .filter(scope.people("worker__")),
        settings_of(scope.organisation).grades,
    )
    return {
        "audits_completed": audits["completed"],
        "audit_score": int(audits["average"]) if audits["average"] is not None else None,
        "case_audits_good": cases["good_percent"],
        "case_audits_learning": cases["learning_percent"],
        "turnover": turnover_in(scope, min(period.ends_on, today))["percent"],
    }
