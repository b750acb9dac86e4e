"""The 12-month schedule: one proposed session for each window the policy and the agreement
require, on one of the organisation's working days.

``propose`` is a pure function (windows and a calendar in, proposals out), so its rules are tested
without a database. ``schedule_create`` stores the schedule of one agreement;
``schedule_create_all`` does the same for every active agreement of an organisation, in batches
(a yearly run, and the benchmark). Both go through ``_schedule_batch``, so they cannot drift
apart. ``sessions_supervisor_changed`` moves future sessions to a new supervisor.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.agreements.models import Agreement, AgreementStatus, AgreementVersion
from tandem.agreements.policies import clock_start
from tandem.agreements.services import current_version
from tandem.core.calendar import WorkingCalendar, calendar_for
from tandem.core.services import audit_event_write
from tandem.organisations.models import Organisation, Person, SupervisionRelationship

from ..models import Session, SessionKind, SessionStatus
from ..policy import frequency_rules, rules_for
from ..requirements import Requirement, Rule, sessions_needed, windows_start

LONDON = ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)
# When neither the policy nor the agreement says how long a session lasts.
DEFAULT_MINUTES = 60
MAX_MONTHS = 24
# Agreements per batch in ``schedule_create_all``: about 12,000 sessions for monthly supervision.
BATCH_SIZE = 1000
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


# Proposals: no database


@dataclass(frozen=True)
class Proposal:
    date: datetime.date
    starts_at: datetime.datetime
    duration_minutes: int
    location: str


class Proposals(list[Proposal]):
    """The proposals, one per window that has a working day, in order; ``unplaced`` holds the
    windows without any working day (a school break, a long closure), for the caller to flag."""

    def __init__(self, proposals: Iterable[Proposal] = ()) -> None:
        super().__init__(proposals)
        self.unplaced: list[Requirement] = []


@lru_cache(maxsize=4096)
def _working_days(
    calendar: WorkingCalendar, start: datetime.date, end: datetime.date
) -> tuple[datetime.date, ...]:
    """Cached: across an organisation most people's windows are the same calendar months."""
    return tuple(calendar.working_days(start, end))


def _choose(
    days: Sequence[datetime.date], weekday: int, busy: AbstractSet[datetime.date]
) -> datetime.date | None:
    """The agreed weekday if free, else the first free working day; None when every working
    day of the window is busy: the supervisor is never booked twice by the schedule, and the
    window is reported for the pair to book by hand."""
    preferred = [day for day in days if day.weekday() == weekday]
    others = [day for day in days if day.weekday() != weekday]
    for day in chain(preferred, others):
        if day not in busy:
            return day
    return None


def propose(
    requirements: Iterable[Requirement],
    calendar: WorkingCalendar,
    *,
    weekday: int,
    at: datetime.time,
    duration_minutes: int,
    location: str,
    busy: AbstractSet[datetime.date] = frozenset(),
) -> Proposals:
    """One session per window, on a working day of ``calendar`` inside it: the first agreed
    ``weekday`` (0 is Monday) that is a working day, else the window's first working day;
    skipping ``busy`` days (the supervisor already has a session) while another day is free.
    A session lasts ``duration_minutes`` or the window's policy minimum, whichever is longer."""
    proposals = Proposals()
    for requirement in requirements:
        days = _working_days(calendar, requirement.starts_on, requirement.ends_on)
        if not days:
            proposals.unplaced.append(requirement)
            continue
        day = _choose(days, weekday, busy)
        if day is None:
            proposals.unplaced.append(requirement)
            continue
        proposals.append(
            Proposal(
                date=day,
                starts_at=timezone.make_aware(datetime.datetime.combine(day, at), LONDON),
                duration_minutes=max(duration_minutes, requirement.min_minutes or 0),
                location=location,
            )
        )
    return proposals


# Storing schedules


@dataclass(frozen=True)
class Arrangements:
    """What the schedule reads from an agreement's current version."""

    frequency: str
    duration_min_minutes: int | None
    location: str

    @classmethod
    def of(cls, version: AgreementVersion) -> Arrangements:
        return cls(version.frequency, version.duration_min_minutes, version.location)


@dataclass
class ScheduleResult:
    created: int = 0
    deleted: int = 0
    agreements: int = 0
    # (agreement id, window) for each window with no working day.
    unplaced: list[tuple[int, Requirement]] = field(default_factory=list)
    # The sessions made, kept by ``schedule_create`` only: an organisation's run counts them.
    sessions: list[Session] = field(default_factory=list)


def _actor_user(by: Person | None) -> Any:
    return getattr(by, "user", by)


def _lock_supervisors(ids: Iterable[int]) -> None:
    """As ``sessions.session_book`` does: bookings for one supervisor happen one at a time, so
    the busy days read here stay true until the schedule is written."""
    list(Person.objects.select_for_update().filter(pk__in=sorted(set(ids))).values_list("pk"))


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), LONDON)


def _check(*, start: datetime.date, months: int, weekday: int) -> None:
    if start < timezone.localdate():
        raise ValidationError({"start": "A schedule cannot start in the past."})
    if not 1 <= months <= MAX_MONTHS:
        raise ValidationError({"months": f"A schedule covers 1 to {MAX_MONTHS} months."})
    if weekday not in range(len(WEEKDAYS)):
        raise ValidationError({"weekday": "Choose a weekday from Monday to Friday."})


def _period(
    start: datetime.date, months: int, at: datetime.time
) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the schedule. Today counts only if ``at`` is still to come."""
    end = start + relativedelta(months=months) - DAY
    first = start
    if timezone.make_aware(datetime.datetime.combine(start, at), LONDON) <= timezone.now():
        first = start + DAY
    return first, end


def _delete_untouched(
    organisation: Organisation, agreements: Sequence[Agreement], since: datetime.datetime
) -> int:
    """Delete the pairs' proposed sessions from ``since`` on that nobody has touched: still
    scheduled, no agenda items. Held, cancelled and prepared sessions stay."""
    pairs = {(a.supervisor_id, a.supervisee_id) for a in agreements}
    candidates = (
        Session.objects.for_organisation(organisation)
        .filter(
            supervisee_id__in=[a.supervisee_id for a in agreements],
            from_schedule=True,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=since,
            agenda__isnull=True,
        )
        .values_list("pk", "supervisor_id", "supervisee_id")
    )
    stale = [pk for pk, supervisor, supervisee in candidates if (supervisor, supervisee) in pairs]
    deleted = 0
    for offset in range(0, len(stale), 1000):
        _, by_model = Session.objects.filter(pk__in=stale[offset : offset + 1000]).delete()
        deleted += by_model.get(Session._meta.label, 0)
    return deleted


# How far back the schedule looks for the start of a person's windows (below).
ALIGN_WITHIN = datetime.timedelta(days=731)


def _chain_from(
    person: Person,
    organisation: Organisation,
    clock: datetime.date | None,
    begin: datetime.date,
) -> datetime.date:
    """Where to chain the schedule's windows from: where the person's windows start, as the
    compliance figures write them (``windows_start``), so that a schedule starting mid-window
    keeps to the same weeks: an NQSW's weekly windows run from her ASYE start, not from the day
    the schedule is made. (Chained from ``begin`` instead, a schedule made on the day before a
    window boundary skipped a required week; the date sweep found it on 29 February 2028.)
    Monthly and termly windows follow the calendar whatever the start; a start after ``begin``,
    or more than two years before it (too far to matter), leaves ``begin``."""
    start = windows_start(
        counted_from=organisation.compliance_from,
        employment_start=person.employment_start,
        clock=clock,
    )
    return start if start is not None and begin - ALIGN_WITHIN <= start <= begin else begin


def _schedule_batch(
    *,
    organisation: Organisation,
    agreements: Sequence[tuple[Agreement, Arrangements]],
    calendar: WorkingCalendar,
    rules: dict[str, list[Rule]],
    first: datetime.date,
    end: datetime.date,
    weekday: int,
    at: datetime.time,
    by: Person | None,
) -> ScheduleResult:
    """The schedule of these agreements, stored. Each agreement has its supervisee and its
    relationship loaded. A window the pair already has a session in (kept because it was
    prepared, held or booked by hand) gets no new one."""
    result = ScheduleResult(agreements=len(agreements))
    if not agreements:
        return result
    _lock_supervisors(a.supervisor_id for a, _ in agreements)
    since = max(timezone.now(), _midnight(first))
    result.deleted = _delete_untouched(organisation, [a for a, _ in agreements], since)

    # What everyone involved already has in the period, on either side of the table.
    people = {a.supervisor_id for a, _ in agreements} | {a.supervisee_id for a, _ in agreements}
    existing = (
        Session.objects.for_organisation(organisation)
        .filter(Q(supervisor_id__in=people) | Q(supervisee_id__in=people))
        .filter(starts_at__gte=_midnight(first), starts_at__lt=_midnight(end + DAY))
        .exclude(status=SessionStatus.CANCELLED)
        .values_list("supervisor_id", "supervisee_id", "starts_at")
    )
    busy: dict[int | None, set[datetime.date]] = defaultdict(set)
    taken: dict[tuple[int, int | None], set[datetime.date]] = defaultdict(set)
    for supervisor_id, supervisee_id, starts_at in existing:
        day = starts_at.astimezone(LONDON).date()
        busy[supervisor_id].add(day)
        busy[supervisee_id].add(day)
        taken[supervisor_id, supervisee_id].add(day)

    now = timezone.now()
    created_by = by.pk if isinstance(by, Person) else None
    for agreement, arrangements in agreements:
        supervisee: Person = agreement.supervisee
        relationship: SupervisionRelationship = agreement.relationship
        last = min(d for d in (end, supervisee.left_on, relationship.ends_on) if d is not None)
        begin = max(first, relationship.starts_on)
        clock = clock_start(supervisee)
        needed = [
            replace(window, starts_on=max(window.starts_on, begin))
            for window in sessions_needed(
                rules=rules.get(supervisee.staff_category, ()),
                clock_start=clock,
                start=_chain_from(supervisee, organisation, clock, begin),
                end=last,
                agreed_frequency=arrangements.frequency or None,
                terms=calendar.terms,
            )
            if window.ends_on >= begin
        ]
        held = taken.get((agreement.supervisor_id, agreement.supervisee_id), set())
        if held:
            needed = [r for r in needed if not any(r.starts_on <= d <= r.ends_on for d in held)]
        proposals = propose(
            needed,
            calendar,
            weekday=weekday,
            at=at,
            duration_minutes=arrangements.duration_min_minutes or DEFAULT_MINUTES,
            location=arrangements.location,
            busy=busy[agreement.supervisor_id],
        )
        result.unplaced += [(agreement.pk, window) for window in proposals.unplaced]
        for proposal in proposals:
            busy[agreement.supervisor_id].add(proposal.date)
            busy[agreement.supervisee_id].add(proposal.date)
            result.sessions.append(
                # Ids rather than objects: setting a related object costs more than the row.
                Session(
                    organisation_id=organisation.pk,
                    kind=SessionKind.ONE_TO_ONE,
                    supervisor_id=agreement.supervisor_id,
                    supervisee_id=agreement.supervisee_id,
                    agreement_id=agreement.pk,
                    starts_at=proposal.starts_at,
                    duration_minutes=proposal.duration_minutes,
                    location=proposal.location,
                    from_schedule=True,
                    created_at=now,
                    created_by_id=created_by,
                )
            )
    result.sessions = Session.objects.bulk_create(result.sessions, batch_size=1000)
    result.created = len(result.sessions)
    from .sessions import SESSION_BOOKED_HOOKS

    for hook in SESSION_BOOKED_HOOKS:
        hook(sessions=result.sessions)
    return result


def _unplaced_detail(unplaced: list[tuple[int, Requirement]]) -> list[list[Any]]:
    return [[pk, w.starts_on.isoformat(), w.ends_on.isoformat()] for pk, w in unplaced[:50]]


@transaction.atomic
def schedule_create(
    *,
    agreement: Agreement,
    start: datetime.date,
    months: int = 12,
    weekday: int,
    at: datetime.time,
    by: Person,
) -> list[Session]:
    """Propose the sessions of an active agreement for ``months`` from ``start``, on the agreed
    ``weekday`` at ``at`` where the calendar allows. Proposals made before and never touched are
    replaced; sessions that are prepared, held or cancelled stay. Windows with no working day
    are recorded in the audit event."""
    _check(start=start, months=months, weekday=weekday)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.ACTIVE:
        raise ValidationError("Only an active agreement (signed by both) has a schedule.")
    supervisee = agreement.supervisee
    organisation = supervisee.organisation
    first, end = _period(start, months, at)
    result = _schedule_batch(
        organisation=organisation,
        agreements=[(agreement, Arrangements.of(current_version(agreement)))],
        calendar=calendar_for(organisation),
        rules={supervisee.staff_category: rules_for(supervisee)},
        first=first,
        end=end,
        weekday=weekday,
        at=at,
        by=by,
    )
    audit_event_write(
        organisation=organisation,
        actor=_actor_user(by),
        action="schedule.create",
        target=agreement,
        detail={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "weekday": weekday,
            "at": at.isoformat("minutes"),
            "created": result.created,
            "deleted": result.deleted,
            "unplaced": _unplaced_detail(result.unplaced),
        },
    )
    return result.sessions


@transaction.atomic
def schedule_create_all(
    *,
    organisation: Organisation,
    start: datetime.date,
    months: int = 12,
    weekday: int,
    at: datetime.time,
    by: Person | None = None,
    batch_size: int = BATCH_SIZE,
) -> ScheduleResult:
    """``schedule_create`` for every active agreement of the organisation, in batches of
    agreements (a few queries and one bulk insert each), audited once. Agreements are taken by
    supervisor, so a supervisor's sessions are spread over their days together."""
    _check(start=start, months=months, weekday=weekday)
    first, end = _period(start, months, at)
    calendar = calendar_for(organisation)
    rules = frequency_rules(organisation)
    ids = list(
        Agreement.objects.for_organisation(organisation)
        .filter(status=AgreementStatus.ACTIVE)
        .order_by("supervisor_id", "pk")
        .values_list("pk", flat=True)
    )
    total = ScheduleResult()
    for offset in range(0, len(ids), batch_size):
        chunk = ids[offset : offset + batch_size]
        agreements = list(
            Agreement.objects.select_for_update(of=("self",))
            .select_related("supervisee", "relationship")
            .filter(pk__in=chunk, status=AgreementStatus.ACTIVE)
            .order_by("supervisor_id", "pk")
        )
        versions = {}
        rows = AgreementVersion.objects.filter(agreement_id__in=chunk).order_by(
            "agreement_id", "number"
        )
        for agreement_id, frequency, minutes, location in rows.values_list(
            "agreement_id", "frequency", "duration_min_minutes", "location"
        ):
            versions[agreement_id] = Arrangements(frequency, minutes, location)  # the last wins
        for agreement in agreements:
            agreement.supervisee.organisation = organisation  # for the policy clock
        result = _schedule_batch(
            organisation=organisation,
            agreements=[(a, versions[a.pk]) for a in agreements],
            calendar=calendar,
            rules=rules,
            first=first,
            end=end,
            weekday=weekday,
            at=at,
            by=by,
        )
        total.agreements += result.agreements
        total.created += result.created
        total.deleted += result.deleted
        total.unplaced += result.unplaced
    audit_event_write(
        organisation=organisation,
        actor=_actor_user(by),
        action="schedule.create_all",
        target=organisation,
        detail={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "weekday": weekday,
            "at": at.isoformat("minutes"),
            "agreements": total.agreements,
            "created": total.created,
            "deleted": total.deleted,
            "unplaced": len(total.unplaced),
        },
    )
    return total


# A change of supervisor


def sessions_supervisor_changed(
    *, previous: SupervisionRelationship | None, new: SupervisionRelationship, by: Person
) -> None:
    """Registered with organisations: the supervisee's sessions still to come with the previous
    supervisor, from the day the new one starts, move to the new supervisor. Held and cancelled
    sessions, and earlier ones, keep the supervisor they had."""
    if previous is None or previous.supervisor_id == new.supervisor_id:
        return
    moving = list(
        Session.objects.for_organisation(new.organisation_id)
        .filter(
            supervisee_id=new.supervisee_id,
            supervisor_id=previous.supervisor_id,
            status=SessionStatus.SCHEDULED,
            starts_at__gte=_midnight(new.starts_on),
        )
        # Sessions of another kind of supervision with the same person stay with them.
        .filter(Q(agreement__isnull=True) | Q(agreement__relationship__kind=new.kind))
        .values_list("pk", flat=True)
    )
    if not moving:
        return
    Session.objects.filter(pk__in=moving).update(supervisor_id=new.supervisor_id)
    audit_event_write(
        organisation=new.supervisee.organisation,
        actor=_actor_user(by),
        action="sessions.supervisor_changed",
        target=new,
        detail={
            "sessions": len(moving),
            "from_supervisor": previous.supervisor_id,
            "to_supervisor": new.supervisor_id,
            "from": new.starts_on.isoformat(),
        },
    )
