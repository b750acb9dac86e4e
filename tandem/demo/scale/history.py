"""Years of supervision history for the scale organisation (``manage.py generate_scale_data``).

For each person of the organisation ``scale.organisation`` builds (N/20 teams, everyone with a
line-management supervisor but the directors at the top), this writes what the oversight
figures read, from ``years`` back to today:

- the due windows, from the real policy (``windows_for`` with the organisation's rules);
- about one held one-to-one session per window: most windows met, a few teams struggling, an
  improving trend; some sessions short, some cancelled and most of those re-booked;
- a record for each held session, due 10 working days later on the working calendar: most
  signed, some shared and awaiting signatures, a few drafts, some shared late;
- one active agreement for each supervisee (a few past their review date), a few open actions
  and disagreements;
- development, for the development figures: social workers' CPD (none to three records each
  registration year, some with peer reflection) and two objectives each (one met, one open, some
  past its target).

Deterministic for a seed. Fast: rows are built in Python, people in batches, and written with
PostgreSQL's COPY (``bulk_create`` elsewhere), ids taken from the tables' own sequences, one
transaction per batch. The organisation's ``compliance_from`` is set last: it marks the history
as complete, so a run that was interrupted is cleared and started again.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import connection, models, transaction
from django.utils import timezone

from tandem.agreements.models import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplateVersion,
    AgreementVersion,
    Frequency,
    Recorder,
)
from tandem.core.calendar import WorkingCalendar, calendar_for
from tandem.development.models import CpdKind, CpdRecord, Objective, ObjectiveStatus
from tandem.development.schemes import SOCIAL_WORK
from tandem.meetings.models import (
    AgendaItem,
    CancelReason,
    Reminder,
    Session,
    SessionKind,
    SessionStatus,
)
from tandem.meetings.policy import frequency_rules
from tandem.organisations.models import (
    Organisation,
    Person,
    SupervisionKind,
    SupervisionRelationship,
)
from tandem.oversight.models import DueWindow, EvidencePack, InspectorAccess, SessionFeedback
from tandem.oversight.periods import horizon, zone
from tandem.oversight.services.windows import windows_for
from tandem.records.layout import layout_for
from tandem.records.models import (
    Action,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    Record,
    RecordSignature,
    RecordStatus,
    RecordVersion,
    RecordViewer,
    WelfareAccess,
)

DAY = datetime.timedelta(days=1)
# People per batch: about 60 windows, sessions and records each, so some 50,000 rows a table.
BATCH_PEOPLE = 800
TEMPLATE_SLUG = "council-supervision-contract"
REBOOK_WORKING_DAYS = 5
MINUTES = 90  # the sessions' planned length (the social work policy's minimum)

# How often things go wrong (see the module docstring); the rest goes right.
STRUGGLING_TEAMS = 0.06  # share of teams that miss far more windows
MISS_USUAL = (0.03, 0.09)  # a usual team's chance that a window has no session at all
MISS_STRUGGLING = (0.22, 0.32)
CANCELLED = 0.04
REBOOKED = 0.8
REBOOKED_LATE = 0.1  # of those re-booked, booked after the re-booking date
SHORT = 0.03
SHARED_LATE = 0.08
NEVER_SHARED = 0.008
SIGNED = 0.95  # of the records shared, signed by both (the rest await a signature)
ACTION = 0.25  # records with an action
ACTION_LEFT_OPEN = 0.04  # of the actions past their date, still open
DISAGREEMENT = 0.003
DISAGREEMENT_LEFT_OPEN = 0.05
AGREEMENT_AGE_DAYS = (10, 395)  # signed this long ago: a few are past the 12-month review

ACTION_TEXTS = [
    "Book the case review with the independent reviewing officer",
    "Update the chronology before the next visit",
    "Complete the safeguarding training module",
    "Arrange a joint visit with the health visitor",
    "Send the assessment to the family for comments",
    "Read the practice guidance on contextual safeguarding",
]
DISAGREEMENT_TEXT = "The record does not say that I asked for a second opinion on this case."


@dataclass(frozen=True)
class HistorySummary:
    organisation: Organisation
    created: bool
    windows: int
    sessions: int
    held: int
    cancelled: int
    records: int
    agreements: int
    actions: int
    disagreements: int
    seconds: float = 0.0

    def line(self) -> str:
        what = "history built" if self.created else "history already there"
        took = f" in {self.seconds:.0f} s" if self.created else ""
        return (
            f"{what}{took}: {self.windows} sessions required (windows), {self.sessions} sessions "
            f"({self.held} held, {self.cancelled} cancelled), {self.records} records, "
            f"{self.agreements} agreements, {self.actions} actions, "
            f"{self.disagreements} disagreements"
        )


def history_summary(organisation: Organisation, *, created: bool = False) -> HistorySummary:
    sessions = Session.objects.for_organisation(organisation)
    return HistorySummary(
        organisation=organisation,
        created=created,
        windows=DueWindow.objects.for_organisation(organisation).count(),
        sessions=sessions.count(),
        held=sessions.filter(status=SessionStatus.HELD).count(),
        cancelled=sessions.filter(status=SessionStatus.CANCELLED).count(),
        records=Record.objects.for_organisation(organisation).count(),
        agreements=Agreement.objects.for_organisation(organisation).count(),
        actions=Action.objects.for_organisation(organisation).count(),
        disagreements=Disagreement.objects.for_organisation(organisation).count(),
    )


def history_exists(organisation: Organisation) -> bool:
    """Complete history: ``compliance_from`` is set last, once every batch is written."""
    return (
        organisation.compliance_from is not None
        and DueWindow.objects.for_organisation(organisation).exists()
    )


# Writing rows fast


class Writer:
    """Ids from the tables' own sequences, then rows by COPY on PostgreSQL, by ``bulk_create``
    elsewhere (SQLite in tests). Rows are tuples in the order of ``fields``."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.written: dict[str, int] = {}

    def json(self, value: Any) -> Any:
        if self.postgres:
            from psycopg.types.json import Jsonb

            return Jsonb(value)
        return value

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        """``count`` new ids for ``model``'s rows, unused by anyone else."""
        if count == 0:
            return []
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # SQLite's AUTOINCREMENT: past the highest id ever used, deleted rows' too.
            cursor.execute(
                f"SELECT MAX(id) FROM {connection.ops.quote_name(table)} "
                "UNION ALL SELECT seq FROM sqlite_sequence WHERE name = %s",
                [table],
            )
            first = max((row[0] or 0 for row in cursor.fetchall()), default=0) + 1
            return list(range(first, first + count))

    def write(
        self, model: type[models.Model], fields: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        if not rows:
            return
        self.written[model.__name__] = self.written.get(model.__name__, 0) + len(rows)
        if self.postgres:
            columns = ", ".join(_column(model, name) for name in fields)
            table = connection.ops.quote_name(model._meta.db_table)
            sql = f"COPY {table} ({columns}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        names = ["pk" if name == "id" else name for name in fields]
        model._default_manager.bulk_create(
            [model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=2000
        )


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return connection.ops.quote_name(field.column)


# The working calendar, cached by date: most people share the same months.


class Days:
    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._later: dict[tuple[datetime.date, int], datetime.date] = {}
        self._between: dict[tuple[datetime.date, datetime.date], tuple[datetime.date, ...]] = {}

    def later(self, day: datetime.date, working_days: int) -> datetime.date:
        key = (day, working_days)
        found = self._later.get(key)
        if found is None:
            found = self._later[key] = self.calendar.add_working_days(day, working_days)
        return found

    def between(self, start: datetime.date, end: datetime.date) -> tuple[datetime.date, ...]:
        key = (start, end)
        found = self._between.get(key)
        if found is None:
            found = self._between[key] = tuple(self.calendar.working_days(start, end))
        return found


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone())


def small_layout(organisation: Organisation) -> dict[str, Any]:
    """The record layout's sections and reflective model without their prompts: the same keys
    a new record has, in a few hundred bytes rather than a few thousand per row."""
    layout = layout_for(template_content=None, reflection_model=organisation.reflection_model)
    return {
        "sections": [{**section, "prompts": []} for section in layout["sections"]],
        "reflection": {**layout["reflection"], "prompts": []},
    }


# Deleting


def history_delete(organisation: Organisation) -> None:
    """Remove everything the history (and anything done with it since) added to the
    organisation, without loading its rows. Its people and teams stay."""
    org = organisation.pk

    def raw(queryset: Any) -> None:
        queryset._raw_delete(using=queryset.db)

    packs = EvidencePack.objects.filter(organisation_id=org)
    raw(CpdRecord.objects.filter(organisation_id=org))
    raw(Objective.objects.filter(organisation_id=org))
    raw(EvidencePack.records.through.objects.filter(evidencepack__organisation_id=org))
    raw(InspectorAccess.objects.filter(organisation_id=org))
    raw(packs)
    raw(SessionFeedback.objects.filter(organisation_id=org))
    raw(AgendaItem.objects.filter(session__organisation_id=org))
    raw(Reminder.objects.filter(organisation_id=org))
    raw(Session.members.through.objects.filter(session__organisation_id=org))
    raw(RecordSignature.objects.filter(record__organisation_id=org))
    raw(RecordVersion.objects.filter(organisation_id=org))
    raw(WelfareAccess.objects.filter(organisation_id=org))
    for model in (CaseDiscussion, Action, Addendum, Disagreement):
        raw(model.objects.filter(organisation_id=org))
    raw(Record.objects.filter(organisation_id=org))
    Session.objects.filter(organisation_id=org).exclude(rebooked_from=None).update(
        rebooked_from=None
    )
    raw(Session.objects.filter(organisation_id=org))
    raw(DueWindow.objects.filter(organisation_id=org))
    raw(RecordViewer.objects.filter(organisation_id=org))
    raw(AgreementSignature.objects.filter(version__agreement__organisation_id=org))
    raw(AgreementVersion.objects.filter(agreement__organisation_id=org))
    Agreement.objects.filter(organisation_id=org).exclude(superseded_by=None).update(
        superseded_by=None
    )
    raw(Agreement.objects.filter(organisation_id=org))
    Organisation.objects.filter(pk=org).update(compliance_from=None)
    organisation.compliance_from = None


# Generating


def history_generate(
    organisation: Organisation,
    *,
    years: int,
    seed: int = 1,
    today: datetime.date | None = None,
    report: Callable[[str], None] | None = None,
) -> HistorySummary:
    """Write ``years`` of history for the organisation's people (nothing if it is there)."""
    if years < 1 or years > 5:
        raise ValueError("History can be from 1 to 5 years.")
    if history_exists(organisation):
        return history_summary(organisation)
    started = time.perf_counter()
    history_delete(organisation)  # what an interrupted run left
    today = today or timezone.localdate()
    first = today.replace(day=1) - relativedelta(years=years)
    builder = _Builder(organisation, seed=seed, today=today, first=first)
    people = builder.people
    say = report or (lambda line: None)
    say(f"history from {first} to {today} for {len(people)} people, batches of {BATCH_PEOPLE}")
    with transaction.atomic():
        builder.agreements()
    for start in range(0, len(people), BATCH_PEOPLE):
        with transaction.atomic():
            builder.batch(people[start : start + BATCH_PEOPLE])
        done = min(start + BATCH_PEOPLE, len(people))
        w = builder.writer.written
        say(
            f"  {done}/{len(people)} people: {w.get('DueWindow', 0)} windows, "
            f"{w.get('Session', 0)} sessions, {w.get('Record', 0)} records "
            f"({time.perf_counter() - started:.0f} s)"
        )
    Organisation.objects.filter(pk=organisation.pk).update(compliance_from=first)
    organisation.compliance_from = first
    _refresh_statistics()
    summary = history_summary(organisation, created=True)
    return replace(summary, seconds=time.perf_counter() - started)


def _refresh_statistics() -> None:
    """Tell PostgreSQL's planner about the new rows (and, outside a transaction, vacuum them
    so index-only scans work at once), as autovacuum would in a while."""
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(
        connection.ops.quote_name(model._meta.db_table)
        for model in (
            DueWindow,
            Session,
            Record,
            Action,
            Disagreement,
            Agreement,
            AgreementVersion,
            AgreementSignature,
        )
    )
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        cursor.execute(f"{command} {tables}")


SESSION_FIELDS = (
    "id",
    "organisation_id",
    "kind",
    "supervisor_id",
    "supervisee_id",
    "title",
    "agreement_id",
    "starts_at",
    "duration_minutes",
    "location",
    "status",
    "from_schedule",
    "cancelled_by_id",
    "cancelled_at",
    "cancel_reason",
    "cancel_note",
    "rebook_by",
    "rebooked_from_id",
    "held_started_at",
    "held_minutes",
    "created_at",
    "created_by_id",
)
RECORD_FIELDS = (
    "id",
    "organisation_id",
    "session_id",
    "supervisor_id",
    "supervisee_id",
    "agreement_id",
    "layout",
    "held_on",
    "status",
    "version_number",
    "due_on",
    "shared_at",
    "shared_by_id",
    "signed_at",
    "created_at",
)
WINDOW_FIELDS = (
    "organisation_id",
    "person_id",
    "starts_on",
    "ends_on",
    "starts_at",
    "ends_at",
    "frequency",
    "min_minutes",
    "staff_category",
    "computed_at",
)
ACTION_FIELDS = (
    "organisation_id",
    "record_id",
    "key",
    "position",
    "text",
    "case_reference",
    "owner_id",
    "due_on",
    "status",
    "completed_at",
)
DISAGREEMENT_FIELDS = (
    "organisation_id",
    "record_id",
    "kind",
    "raised_by_id",
    "raised_at",
    "about",
    "text",
    "routed_to_id",
    "routed_as",
    "routing_reason",
    "status",
    "resolution",
    "resolved_by_id",
    "resolved_at",
)
CPD_FIELDS = (
    "organisation_id",
    "person_id",
    "kind",
    "title",
    "done_on",
    "description",
    "learnt",
    "impact",
    "peer_reflection",
    "peer_with",
    "source_case_reference",
    "created_by_id",
    "created_at",
)
OBJECTIVE_FIELDS = (
    "organisation_id",
    "person_id",
    "title",
    "measure",
    "target_on",
    "evidence",
    "training_need",
    "status",
    "closed_on",
    "created_by_id",
    "created_at",
)
CPD_KINDS = [CpdKind.COURSE, CpdKind.READING, CpdKind.SUPERVISION, CpdKind.E_LEARNING]
CANCEL_REASONS = [
    CancelReason.ILLNESS,
    CancelReason.CRISIS,
    CancelReason.SAFEGUARDING,
    CancelReason.LEAVE,
    CancelReason.OTHER,
]
HOURS = (9, 10, 11, 13, 14, 15)


class _Builder:
    """The state of one run: the organisation's people, policy and calendar, and the random
    choices, in a fixed order so a seed gives the same history."""

    def __init__(
        self, organisation: Organisation, *, seed: int, today: datetime.date, first: datetime.date
    ) -> None:
        self.org = organisation
        self.today = today
        self.first = first
        self.span = max(1, (today - first).days)
        self.now = timezone.now()
        self.rng = random.Random(seed)
        self.development_rng = random.Random(seed * 7919 + 1)
        self.writer = Writer()
        self.rules = frequency_rules(organisation)
        calendar = calendar_for(organisation)
        self.terms = calendar.terms
        self.days = Days(calendar)
        self.record_days = organisation.record_deadline_working_days
        self.last = horizon(today)
        self.layout = self.writer.json(small_layout(organisation))

        self.people: list[Person] = list(
            Person.objects.for_organisation(organisation).order_by("pk")
        )
        for person in self.people:
            person.organisation = organisation  # clock_start reads the organisation's setting
        # Each person's current line-management supervisor (relationship id, supervisor id).
        self.line: dict[int, tuple[int, int]] = {
            supervisee: (pk, supervisor)
            for pk, supervisee, supervisor in SupervisionRelationship.objects.for_organisation(
                organisation
            )
            .current(today)
            .filter(kind=SupervisionKind.LINE)
            .order_by("pk")
            .values_list("pk", "supervisee_id", "supervisor_id")
        }
        self.agreement_of: dict[int, int] = {}
        # Each team's chance that a window has no session at all.
        self.miss: dict[int | None, float] = {}
        for team_id in sorted({p.team_id for p in self.people if p.team_id}):
            struggling = self.rng.random() < STRUGGLING_TEAMS
            low, high = MISS_STRUGGLING if struggling else MISS_USUAL
            self.miss[team_id] = self.rng.uniform(low, high)

    # Agreements: one active agreement a supervisee, monthly, 90 minutes.

    def agreements(self) -> None:
        template = (
            AgreementTemplateVersion.objects.filter(
                template__organisation__isnull=True, template__slug=TEMPLATE_SLUG
            )
            .order_by("-number")
            .first()
        )
        if template is None:
            from tandem.agreements.builtin import builtin_templates_load

            builtin_templates_load()
            template = (
                AgreementTemplateVersion.objects.filter(
                    template__organisation__isnull=True, template__slug=TEMPLATE_SLUG
                )
                .order_by("-number")
                .first()
            )
        assert template is not None, "The built-in templates are missing."
        pairs = sorted(self.line.items())
        agreement_ids = self.writer.ids(Agreement, len(pairs))
        version_ids = self.writer.ids(AgreementVersion, len(pairs))
        responses = self.writer.json(
            {
                "frequency": Frequency.MONTHLY,
                "duration": {"min": MINUTES, "max": 120},
                "location": "Team room",
                "rebook_within": REBOOK_WORKING_DAYS,
            }
        )
        review = relativedelta(months=self.org.agreement_review_months)
        agreements, versions, signatures = [], [], []
        for (supervisee, (relationship, supervisor)), pk, version in zip(
            pairs, agreement_ids, version_ids, strict=True
        ):
            signed_on = self.today - self.rng.randrange(*AGREEMENT_AGE_DAYS) * DAY
            signed_at = at(signed_on, 12)
            self.agreement_of[supervisee] = pk
            agreements.append(
                (
                    pk,
                    self.org.pk,
                    supervisee,
                    supervisor,
                    relationship,
                    template.pk,
                    AgreementStatus.ACTIVE.value,
                    signed_on,
                    signed_on + review,
                    "",
                    at(signed_on - 7 * DAY, 9),
                    supervisor,
                )
            )
            versions.append(
                (
                    version,
                    self.org.pk,
                    pk,
                    1,
                    supervisor,
                    responses,
                    "0" * 64,
                    Frequency.MONTHLY.value,
                    MINUTES,
                    120,
                    "Team room",
                    REBOOK_WORKING_DAYS,
                    Recorder.SUPERVISOR.value,
                    self.writer.json([]),
                    signed_at,
                    signed_at,
                    supervisor,
                )
            )
            signatures.append((self.org.pk, version, supervisee, "supervisee", signed_at, "0" * 64))
            signatures.append((self.org.pk, version, supervisor, "supervisor", signed_at, "0" * 64))
        self.writer.write(
            Agreement,
            (
                "id",
                "organisation_id",
                "supervisee_id",
                "supervisor_id",
                "relationship_id",
                "template_version_id",
                "status",
                "signed_on",
                "review_due_on",
                "review_reason",
                "created_at",
                "created_by_id",
            ),
            agreements,
        )
        self.writer.write(
            AgreementVersion,
            (
                "id",
                "organisation_id",
                "agreement_id",
                "number",
                "supervisor_id",
                "responses",
                "content_hash",
                "frequency",
                "duration_min_minutes",
                "duration_max_minutes",
                "location",
                "rebook_within_working_days",
                "recorder",
                "confidentiality_exceptions",
                "created_at",
                "updated_at",
                "created_by_id",
            ),
            versions,
        )
        self.writer.write(
            AgreementSignature,
            ("organisation_id", "version_id", "person_id", "role", "signed_at", "content_hash"),
            signatures,
        )

    # One batch of people: windows, sessions, records, actions, disagreements.

    def batch(self, people: Sequence[Person]) -> None:
        windows: list[tuple[Any, ...]] = []
        planned: list[tuple[Person, int, datetime.date, int | None]] = []
        for person in people:
            agreed = Frequency.MONTHLY.value if person.pk in self.agreement_of else None
            for window in windows_for(
                person,
                rules=self.rules,
                first=self.first,
                last=self.last,
                agreed_frequency=agreed,
                terms=self.terms,
            ):
                windows.append(
                    (
                        self.org.pk,
                        person.pk,
                        window.starts_on,
                        window.ends_on,
                        window.starts_at,
                        window.ends_at,
                        window.frequency,
                        window.min_minutes,
                        window.staff_category,
                        self.now,
                    )
                )
                line = self.line.get(person.pk)
                if line is None or window.starts_on >= self.today:
                    continue  # no one to supervise them (the top), or not begun
                day = self._session_day(person, window.starts_on, window.ends_on)
                if day is not None:
                    planned.append((person, line[1], day, window.min_minutes))
        self.writer.write(DueWindow, WINDOW_FIELDS, windows)

        sessions, records = self._sessions(planned)
        self.writer.write(Session, SESSION_FIELDS, sessions)
        self.writer.write(Record, RECORD_FIELDS, records)
        actions, disagreements = self._follow_up(records)
        self.writer.write(Action, ACTION_FIELDS, actions)
        self.writer.write(Disagreement, DISAGREEMENT_FIELDS, disagreements)
        cpd, objectives = self._development(people)
        self.writer.write(CpdRecord, CPD_FIELDS, cpd)
        self.writer.write(Objective, OBJECTIVE_FIELDS, objectives)

    def _development(
        self, people: Sequence[Person]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """CPD for social workers, none to three records a year, and two objectives each. With
        its own random numbers, so the sessions of a seed are what they were before."""
        rng, org = self.development_rng, self.org.pk
        cpd: list[tuple[Any, ...]] = []
        objectives: list[tuple[Any, ...]] = []
        years = max(1, self.span // 365)
        for person in people:
            if person.staff_category in SOCIAL_WORK:
                for _ in range(rng.choice((0, 1, 2, 2, 3)) * years):
                    day = self.first + datetime.timedelta(days=rng.randrange(self.span))
                    peer = rng.random() < 0.5
                    cpd.append(
                        (
                            org,
                            person.pk,
                            rng.choice(CPD_KINDS),
                            "Learning from practice",
                            day,
                            "A course, a briefing or a discussion.",
                            "What changed in my thinking.",
                            "What I do differently now.",
                            peer,
                            "A colleague" if peer else "",
                            "",
                            person.pk,
                            self.now,
                        )
                    )
            target = self.today + datetime.timedelta(days=rng.randrange(-60, 240))
            met_on = self.today - datetime.timedelta(days=rng.randrange(1, 300))
            for title, target_on, status, closed_on in (
                ("Develop a practice skill", target, ObjectiveStatus.OPEN, None),
                ("Complete the team's training", met_on, ObjectiveStatus.MET, met_on),
            ):
                objectives.append(
                    (
                        org,
                        person.pk,
                        title,
                        "Evidence from supervision and observation.",
                        target_on,
                        "",
                        "",
                        status,
                        closed_on,
                        person.pk,
                        self.now,
                    )
                )
        return cpd, objectives

    def _session_day(
        self, person: Person, starts_on: datetime.date, ends_on: datetime.date
    ) -> datetime.date | None:
        """The day of the window's session, or None when the window goes without one: more
        often in struggling teams, and less often as the years go by (the trend improves)."""
        progress = (starts_on - self.first).days / self.span
        miss = self.miss.get(person.team_id, MISS_USUAL[1]) * (1.35 - 0.7 * progress)
        if self.rng.random() < miss:
            return None
        days = self.days.between(starts_on, ends_on)
        if not days:
            return None
        day = self.rng.choice(days)
        return day if day < self.today else None

    def _sessions(
        self, planned: list[tuple[Person, int, datetime.date, int | None]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng, org, days = self.rng, self.org.pk, self.days
        # Ids: one for each planned session, one more for each cancelled one's re-booking.
        cancels = [rng.random() < CANCELLED for _ in planned]
        session_ids = iter(self.writer.ids(Session, len(planned) + sum(cancels)))
        sessions: list[tuple[Any, ...]] = []
        held: list[tuple[int, int, int, datetime.date, datetime.datetime, int]] = []
        for (person, supervisor, day, minimum), cancelled in zip(planned, cancels, strict=True):
            agreement = self.agreement_of.get(person.pk)
            starts_at = at(day, rng.choice(HOURS))
            booked_at = starts_at - rng.randint(7, 30) * DAY
            rebooked_from = None
            if cancelled:
                pk = next(session_ids)
                cancelled_at = starts_at - datetime.timedelta(hours=rng.randint(2, 72))
                rebook_by = days.later(day, REBOOK_WORKING_DAYS)
                sessions.append(
                    (
                        pk,
                        org,
                        SessionKind.ONE_TO_ONE.value,
                        supervisor,
                        person.pk,
                        "",
                        agreement,
                        starts_at,
                        MINUTES,
                        "Team room",
                        SessionStatus.CANCELLED.value,
                        True,
                        rng.choice((supervisor, person.pk)),
                        cancelled_at,
                        rng.choice(CANCEL_REASONS).value,
                        "",
                        rebook_by,
                        None,
                        None,
                        None,
                        booked_at,
                        supervisor,
                    )
                )
                if rng.random() >= REBOOKED:
                    continue  # never re-booked
                if rng.random() < REBOOKED_LATE:
                    booked_on = rebook_by + rng.randint(1, 4) * DAY
                    day = days.later(booked_on, rng.randint(1, 5))
                    booked_at = at(booked_on, 9)
                else:
                    day = days.later(day, rng.randint(1, 8))
                    booked_at = cancelled_at + datetime.timedelta(hours=rng.randint(1, 24))
                if day >= self.today:
                    continue  # to be held later: not part of the history
                starts_at = at(day, rng.choice(HOURS))
                rebooked_from = pk
            pk = next(session_ids)
            if minimum and rng.random() < SHORT:
                minutes = rng.randint(max(20, minimum // 2), minimum - 5)
            else:
                minutes = rng.choice((MINUTES, MINUTES, MINUTES, 95, 100, 105, 120))
            started = starts_at + datetime.timedelta(minutes=rng.choice((0, 0, 0, 5, 10)))
            sessions.append(
                (
                    pk,
                    org,
                    SessionKind.ONE_TO_ONE.value,
                    supervisor,
                    person.pk,
                    "",
                    agreement,
                    starts_at,
                    MINUTES,
                    "Team room",
                    SessionStatus.HELD.value,
                    rebooked_from is None,
                    None,
                    None,
                    "",
                    "",
                    None,
                    rebooked_from,
                    started,
                    minutes,
                    booked_at,
                    supervisor,
                )
            )
            held.append((pk, supervisor, person.pk, day, started, minutes))

        record_ids = self.writer.ids(Record, len(held))
        records = [self._record(pk, *row) for pk, row in zip(record_ids, held, strict=True)]
        return sessions, records

    def _record(
        self,
        pk: int,
        session: int,
        supervisor: int,
        supervisee: int,
        day: datetime.date,
        started: datetime.datetime,
        minutes: int,
    ) -> tuple[Any, ...]:
        rng, days = self.rng, self.days
        due_on = days.later(day, self.record_days)
        draw = rng.random()
        shared_on: datetime.date | None
        if draw < NEVER_SHARED:
            shared_on = None
        elif draw < NEVER_SHARED + SHARED_LATE:
            shared_on = days.later(due_on, rng.randint(1, 10))
        else:
            shared_on = days.later(day, rng.randint(1, self.record_days))
        shared_at = signed_at = None
        status = RecordStatus.DRAFT.value
        if shared_on is not None and shared_on < self.today:
            shared_at = at(shared_on, rng.randint(9, 17), rng.randint(0, 59))
            status = RecordStatus.SHARED.value
            signed_on = shared_on + rng.randint(0, 6) * DAY
            if rng.random() < SIGNED and signed_on < self.today:
                signed_at = at(signed_on, rng.randint(9, 17), rng.randint(0, 59))
                signed_at = max(signed_at, shared_at + datetime.timedelta(minutes=5))
                status = RecordStatus.SIGNED.value
        return (
            pk,
            self.org.pk,
            session,
            supervisor,
            supervisee,
            self.agreement_of.get(supervisee),
            self.layout,
            day,
            status,
            0,  # no saved versions: the words are not part of the benchmark
            due_on,
            shared_at,
            supervisor if shared_at else None,
            signed_at,
            started + datetime.timedelta(minutes=minutes),
        )

    def _follow_up(
        self, records: list[tuple[Any, ...]]
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng, today = self.rng, self.today
        actions, disagreements = [], []
        for record in records:
            pk, org, _session, supervisor, supervisee = record[:5]
            day, status, shared_at = record[7], record[8], record[11]
            if rng.random() < ACTION:
                due_on = day + rng.randint(7, 42) * DAY
                done = due_on < today and rng.random() >= ACTION_LEFT_OPEN
                actions.append(
                    (
                        org,
                        pk,
                        "a1",
                        0,
                        rng.choice(ACTION_TEXTS),
                        "",
                        supervisee if rng.random() < 0.7 else supervisor,
                        due_on,
                        ActionStatus.DONE.value if done else ActionStatus.OPEN.value,
                        at(min(due_on, today - DAY), 16) if done else None,
                    )
                )
            if status != RecordStatus.DRAFT and rng.random() < DISAGREEMENT:
                raised_at = shared_at + rng.randint(1, 5) * DAY
                if raised_at >= self.now:
                    continue
                routed_to = self.line.get(supervisor, (None, None))[1]
                resolved = (
                    routed_to is not None
                    and raised_at.date() < today - 30 * DAY
                    and rng.random() >= DISAGREEMENT_LEFT_OPEN
                )
                resolved_at = raised_at + rng.randint(3, 20) * DAY if resolved else None
                disagreements.append(
                    (
                        org,
                        pk,
                        DisagreementKind.RECORD.value,
                        supervisee,
                        raised_at,
                        "Case discussions",
                        DISAGREEMENT_TEXT,
                        routed_to,
                        "The supervisor's manager" if routed_to else "",
                        "The next manager up in the line." if routed_to else "",
                        DisagreementStatus.RESOLVED.value
                        if resolved
                        else DisagreementStatus.OPEN.value,
                        "Discussed together; the record now has an addendum." if resolved else "",
                        routed_to if resolved else None,
                        min(resolved_at, self.now) if resolved_at else None,
                    )
                )
        return actions, disagreements
