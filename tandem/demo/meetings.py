"""The demo organisations' supervision sessions: ``load_demo_sessions``, run by ``load_demo``.

It builds on the people and agreements that ``tandem.demo.organisations`` and
``tandem.demo.agreements`` load. For every supervisee whose agreement is (or was until its review
fell due) in force, and every other supervisee with a line supervisor (no agreement yet, a draft,
one awaiting a signature: supervised all the same, as often as the policy says, but Grace
Adeyemi, whose supervision starts with the agreement she has yet to sign):

* Two years of history before ``today`` (from the first of that month; from the start of the
  supervision, if later: an NQSW's starts at their ASYE start), one session in each window the
  policy and the agreement need (``requirements.sessions_needed``, as the schedule does and as
  the oversight figures count them, on the supervisee's clock whoever supervised them), on the
  organisation's working days (bank holidays, closure days and, at Hollyfield, term time). Most
  were held, a few minutes late and about as long as agreed; about 1 in 12 with an agreement was
  cancelled with a reason and re-booked within the agreement's working days (within the window
  when a day was free). Two Northbridge sessions were cancelled and never re-booked (the "not
  re-booked in time" flag), two were shorter than the 90 minutes the policy asks for social
  workers (the "shorter than policy" flag), and one of the last week, if there is one, has not
  been recorded yet.
* The oversight story, at Northbridge: more than a quarter of the windows a year ago had no
  session at all, fewer month by month since, hardly any now (``MISSED_A_YEAR_AGO``, never an
  NQSW's); but in Child Protection West (``STRUGGLING_TEAM``) three in five are missed all year,
  some of them by a session cut short.
* The next 12 months, proposed by ``schedule.schedule_create`` for each active agreement, on the
  pair's usual day (from the agreement's dates of meetings) and time.
* Agenda items, tagged with a function of supervision, on the last three held sessions of each
  pair and on its next session: items left unfinished are carried into the next session. Amira
  Hussain's next session with Daniel Okafor has two items she added and one carried from her
  last session.
* Daniel's monthly group supervision with social workers of Duty and Assessment (the last three
  held, the next one booked), and at Hollyfield an ad hoc safeguarding session of Grace Adeyemi
  with Tom Bennett, the designated safeguarding lead, a few days ago.

Hollyfield also gets its term dates for 2024-25 to 2027-28 (imported as an admin would) and two
INSET days a year as closure days.

Past sessions cannot go through the booking service: it refuses a time in the past, by design.
They are built here and written with ``bulk_create``, on working days only and never at the same
time as another session of the same supervisor (or of anyone taking part), which this module
checks itself as it places them. Future sessions go through the schedule and the services; where
the schedule puts two of a supervisor's sessions at the same time (a window of a single working
day, at the end of the 12 months), the second is moved to a free time through ``session_move``.

Idempotent: an organisation that has any session already gets none; term dates are matched on
their start dates and closure days on their dates. Which sessions are cancelled, short or late
follows from a random generator seeded with each supervisee's staff number, so every load of the
same demo on the same day makes the same sessions.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.agreements.models import Agreement, AgreementStatus, AgreementVersion, Frequency
from tandem.agreements.policies import clock_start
from tandem.core.calendar import WorkingCalendar, calendar_for
from tandem.core.models import ClosureDay
from tandem.core.terms import closure_day_add, term_dates_import
from tandem.demo.bulk import bulk_insert
from tandem.demo.organisations import (
    HOLLYFIELD,
    MEADOWBANK,
    NORTHBRIDGE,
    STRUGGLING_TEAM,
    improving,
)
from tandem.meetings.models import (
    AgendaItem,
    CancelReason,
    Priority,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionFunction,
)
from tandem.meetings.requirements import Requirement, Rule, sessions_needed
from tandem.meetings.services import schedule
from tandem.meetings.services import sessions as session_services
from tandem.organisations.models import (
    Organisation,
    Person,
    Sector,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    Team,
)

LONDON = ZoneInfo("Europe/London")
DAY = datetime.timedelta(days=1)
HISTORY_YEARS = 2
SCHEDULE_MONTHS = 12
CANCEL_RATE = 0.08
SHORT_RATE = 0.02  # besides the two recent short sessions the story needs
HELD_WITH_AGENDA = 3  # the last few held sessions of each pair have their agenda filled in
# Northbridge's windows that no session met (never an NQSW's): more than one in four a year ago,
# hardly any now. In the struggling team, three in five all year (in a rota: k + the month, mod 5),
# one miss in three a session cut short of the policy's minimum rather than none at all.
MISSED_A_YEAR_AGO = 0.3
MISSED_NOW = 0.0
STRUGGLING_MISSES = (0, 1, 3)
CUT_SHORT = 1 / 3
# Which windows are missed is spread evenly over people and months, not left to chance, so each
# month's figure is close to its rate: the k-th supervisee (by staff number) misses a window when
# frac(k * SPREAD + the window's end * SHIFT) is below the rate.
SPREAD = 0.6180339887498949
SHIFT = 0.7548776662466927

# --- Hollyfield's calendar ---------------------------------------------------------------------

# (half term, term, first day, last day): an English school year, term dates as a local authority
# sets them. The first day of the autumn and spring terms are INSET days (below).
HOLLYFIELD_TERMS: list[tuple[str, str, str, str]] = [
    ("Autumn 1 2024", "Autumn 2024", "2024-09-02", "2024-10-25"),
    ("Autumn 2 2024", "Autumn 2024", "2024-11-04", "2024-12-20"),
    ("Spring 1 2025", "Spring 2025", "2025-01-06", "2025-02-14"),
    ("Spring 2 2025", "Spring 2025", "2025-02-24", "2025-04-04"),
    ("Summer 1 2025", "Summer 2025", "2025-04-22", "2025-05-23"),
    ("Summer 2 2025", "Summer 2025", "2025-06-02", "2025-07-22"),
    ("Autumn 1 2025", "Autumn 2025", "2025-09-01", "2025-10-24"),
    ("Autumn 2 2025", "Autumn 2025", "2025-11-03", "2025-12-19"),
    ("Spring 1 2026", "Spring 2026", "2026-01-05", "2026-02-13"),
    ("Spring 2 2026", "Spring 2026", "2026-02-23", "2026-03-27"),
    ("Summer 1 2026", "Summer 2026", "2026-04-13", "2026-05-22"),
    ("Summer 2 2026", "Summer 2026", "2026-06-01", "2026-07-21"),
    ("Autumn 1 2026", "Autumn 2026", "2026-09-03", "2026-10-23"),
    ("Autumn 2 2026", "Autumn 2026", "2026-11-02", "2026-12-18"),
    ("Spring 1 2027", "Spring 2027", "2027-01-05", "2027-02-12"),
    ("Spring 2 2027", "Spring 2027", "2027-02-22", "2027-03-25"),
    ("Summer 1 2027", "Summer 2027", "2027-04-12", "2027-05-28"),
    ("Summer 2 2027", "Summer 2027", "2027-06-07", "2027-07-21"),
    ("Autumn 1 2027", "Autumn 2027", "2027-09-02", "2027-10-22"),
    ("Autumn 2 2027", "Autumn 2027", "2027-11-01", "2027-12-17"),
    ("Spring 1 2028", "Spring 2028", "2028-01-04", "2028-02-11"),
    ("Spring 2 2028", "Spring 2028", "2028-02-21", "2028-04-07"),
    ("Summer 1 2028", "Summer 2028", "2028-04-24", "2028-05-26"),
    ("Summer 2 2028", "Summer 2028", "2028-06-05", "2028-07-21"),
]
HOLLYFIELD_INSET: list[tuple[datetime.date, str]] = [
    (datetime.date(2024, 9, 2), "INSET day: safeguarding and child protection update"),
    (datetime.date(2025, 1, 6), "INSET day: curriculum planning"),
    (datetime.date(2025, 9, 1), "INSET day: safeguarding and child protection update"),
    (datetime.date(2026, 1, 5), "INSET day: phonics and early reading"),
    (datetime.date(2026, 9, 3), "INSET day: safeguarding and child protection update"),
    (datetime.date(2027, 1, 5), "INSET day: maths mastery"),
    (datetime.date(2027, 9, 2), "INSET day: safeguarding and child protection update"),
    (datetime.date(2028, 1, 4), "INSET day: behaviour and relationships"),
]
SCHOOL_ADMIN = ("Karen", "Doyle")

# --- Who is who in the story -------------------------------------------------------------------

AMIRA = ("Amira", "Hussain")
DANIEL = ("Daniel", "Okafor")
GRACE = ("Grace", "Adeyemi")
TOM = ("Tom", "Bennett")
# Grace's termly supervision with Tom starts with the agreement she has yet to sign: so far, only
# the ad hoc session below.
NOT_YET_SUPERVISED = (GRACE,)
GROUP_TEAM = "Duty and Assessment"
GROUP_TITLE = "Reflective group supervision: Duty and Assessment"
GROUP_MEMBERS = 6
# The teams the flags are shown in first (their team manager sees them), then anywhere.
NOT_REBOOKED_TEAMS = ("Duty and Assessment", "Child Protection East")
SHORT_TEAMS = ("Duty and Assessment", "Court and Proceedings")

# Usual times: the first supervisee of a supervisor in the morning, the next in the afternoon.
COUNCIL_TIMES = [datetime.time(10, 0), datetime.time(14, 0), datetime.time(9, 30)]
SCHOOL_TIMES = [datetime.time(15, 45), datetime.time(13, 15), datetime.time(10, 45)]
# Where the schedule had to put two sessions of a supervisor on one day, the second moves to one
# of these times.
FREE_TIMES = [datetime.time(h, m) for h in range(9, 17) for m in (0, 30)]
WEEKDAY_NAMES = ["monday", "tuesday", "wednesday", "thursday", "friday"]

# (reason, weight, notes to pick from: "" for none)
CANCEL_REASONS: list[tuple[str, int, list[str]]] = [
    (CancelReason.ILLNESS, 35, ["", "Off sick with flu.", "Sickness: a migraine.", ""]),
    (
        CancelReason.CRISIS,
        20,
        [
            "A placement broke down overnight: finding an emergency placement.",
            "Called to court at short notice.",
            "",
        ],
    ),
    (
        CancelReason.SAFEGUARDING,
        20,
        [
            "A strategy discussion on a new section 47 enquiry, called for the same time.",
            "A child missing from care: the return home interview could not wait.",
            "",
        ],
    ),
    (CancelReason.LEAVE, 15, ["Annual leave booked before the session was.", "", "Carer's leave."]),
    (
        CancelReason.OTHER,
        10,
        [
            "The room was double-booked and no other private room was free.",
            "Jury service.",
            "Train strike: could not get in.",
        ],
    ),
]
SCHOOL_CANCEL_NOTES: dict[str, list[str]] = {
    CancelReason.CRISIS: ["Covering a class: two teachers off sick.", "A burst pipe closed KS2."],
    CancelReason.SAFEGUARDING: ["A disclosure at the end of the day that needed the DSL."],
    CancelReason.OTHER: ["Parents' evening moved to the same afternoon.", "Ofsted call."],
}

# --- Agenda items ------------------------------------------------------------------------------

# (title, function, priority, minutes)
Item = tuple[str, str, str, int]
M, D, S, X = (
    SupervisionFunction.MANAGEMENT,
    SupervisionFunction.DEVELOPMENT,
    SupervisionFunction.SUPPORT,
    SupervisionFunction.MEDIATION,
)
H, MED, L = Priority.HIGH, Priority.MEDIUM, Priority.LOW

COUNCIL_ITEMS: list[Item] = [
    ("Caseload review: cases open over six months and what is drifting", M, H, 25),
    ("The Ward children: outcome of the section 47 enquiry and next steps", M, H, 20),
    ("Child protection conference report due next week", M, MED, 15),
    ("Statutory visits due this month and the two that are late", M, H, 15),
    ("Management oversight on the Kelly family assessment", M, MED, 15),
    ("Chronology to update before the strategy discussion", M, MED, 10),
    ("Audit actions from the case file audit", M, L, 10),
    ("Court statement for the Public Law Outline case: the timetable", M, H, 20),
    ("CPD record for Social Work England: what to write up this year", D, L, 10),
    ("Trauma-informed practice course: what I am using on visits", D, MED, 15),
    ("Critical reflection: my analysis in the last child and family assessment", D, MED, 20),
    ("Feedback from the direct observation of my practice", D, MED, 15),
    ("Practice educator training and taking a student next spring", D, L, 10),
    ("Wellbeing after a difficult home visit", S, H, 15),
    ("Workload and working late: the last month", S, MED, 10),
    ("Annual leave and cover over Christmas", S, L, 5),
    ("The impact of the duty week", S, MED, 10),
    ("Joint working with the health visitor on the Lee family", X, MED, 10),
    ("Disagreement with the school about the threshold for a referral", X, MED, 15),
    ("Feedback to the IRO about the care plan", X, L, 10),
    ("How the team shares the duty rota", X, L, 10),
]
SCHOOL_ITEMS: list[Item] = [
    ("Behaviour plan for a pupil in my class", M, H, 15),
    ("Reports and parents' evening preparation", M, MED, 10),
    ("Pupil progress in maths after the data drop", M, MED, 10),
    ("SEN support plans due for review this half term", M, MED, 10),
    ("Safeguarding concerns logged on CPOMS this half term", M, H, 15),
    ("Maths lead: planning the staff meeting on fluency", D, MED, 15),
    ("Phonics training: what is working in class", D, L, 10),
    ("Feedback from the lesson observation", D, MED, 10),
    ("Workload and marking", S, H, 10),
    ("Wellbeing in the run-up to the end of term", S, MED, 10),
    ("A difficult conversation with a parent", S, MED, 10),
    ("Working with the teaching assistant in class", X, L, 10),
    ("Talking to the SENCO about a pupil's EHCP", X, MED, 10),
]
NQSW_ITEMS: list[Item] = [
    ("ASYE: evidence for my next review against the PCF", D, H, 20),
    ("Protected development time: how I used it this month", D, MED, 10),
    ("Building up my caseload: what to take on next", M, MED, 15),
    ("Reflective log: a visit that stayed with me", S, MED, 15),
    ("Knowledge and skills statement self-assessment", D, MED, 15),
]
GROUP_ITEMS: list[Item] = [
    ("Case presentation: a family where neglect is hard to evidence", M, H, 40),
    ("Using the Signs of Safety mapping together", D, MED, 30),
    ("What is working well on the duty rota", X, L, 20),
    ("Secondary trauma and looking after each other", S, MED, 30),
]
AD_HOC_ITEMS: list[Item] = [
    ("A disclosure from a pupil in Year 4: what was said and the record on CPOMS", M, H, 20),
    ("Early help: talking to the parent and the referral", X, MED, 10),
    ("How Grace is after the disclosure", S, MED, 10),
]
# Amira's story: (who adds it, item, done).
AMIRA_HELD: list[list[tuple[str, Item, bool]]] = [
    [
        ("supervisor", ("Induction: your first weeks in Duty and Assessment", M, MED, 20), True),
        ("supervisor", ("ASYE: the learning agreement and starting the portfolio", D, H, 25), True),
        ("supervisee", ("How my first week has felt", S, MED, 15), True),
    ],
    [
        (
            "supervisee",
            ("First joint visit: what I saw and what worried me", M, H, 25),
            True,
        ),
        ("supervisor", ("Shadowing on duty: the contacts you screened", D, MED, 20), True),
        (
            "supervisor",
            ("Reading: the local threshold document and Working Together on assessment", D, L, 15),
            False,
        ),
    ],
]
AMIRA_NEXT: list[Item] = [
    ("The Wood family: my assessment analysis before it goes to Claire", M, H, 30),
    ("ASYE reflective log: writing up my first home visit", D, MED, 20),
]


# --- Helpers -----------------------------------------------------------------------------------


def _at(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, at, tzinfo=LONDON)


def _local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(LONDON).date()


def _named(people: Iterable[Person], name: tuple[str, str]) -> Person | None:
    return next((p for p in people if (p.first_name, p.last_name) == name), None)


def _weekday_of(version: AgreementVersion | None, default: int) -> int:
    """The usual day from the agreement's "Dates of supervision meetings" ("Tuesdays 3, 10...")."""
    rows = (version.responses.get("meeting_dates") if version else None) or []
    for row in rows:
        if isinstance(row, list) and len(row) > 1 and isinstance(row[1], str):
            word = row[1].split(" ", 1)[0].lower().rstrip("s")
            if word in WEEKDAY_NAMES:
                return WEEKDAY_NAMES.index(word)
    return default


def _session_key(session: Session) -> tuple[int, datetime.datetime]:
    return (session.supervisor_id, session.starts_at)


def _item_key(item: AgendaItem) -> tuple[int, datetime.datetime]:
    return (item.session_id, item.created_at)


Interval = tuple[datetime.datetime, datetime.datetime]


@dataclass(eq=False)
class _Pair:
    """A supervisee with an agreement in force (or due for review) and what it says; or, with no
    such agreement (None), their current line supervisor and the policy."""

    agreement: Agreement | None
    supervisor: Person
    relationship_id: int
    supervisee: Person
    frequency: str
    minutes: int
    location: str
    rebook_within: int | None
    weekday: int
    at: datetime.time
    rng: random.Random
    # Filled in as the history is built.
    held: list[Session] = field(default_factory=list)
    regular: list[Session] = field(default_factory=list)  # one per window, not re-bookings
    last_window_end: datetime.date | None = None


@dataclass
class _Plan:
    """What the history will write: sessions, re-bookings (after their originals), members of
    group sessions and agenda items (after their sessions)."""

    sessions: list[Session] = field(default_factory=list)
    rebookings: list[Session] = field(default_factory=list)
    members: list[tuple[Session, list[Person]]] = field(default_factory=list)
    agenda: list[tuple[Session, Person, Item, bool, AgendaItem | None]] = field(
        default_factory=list
    )


# --- Hollyfield's calendar ---------------------------------------------------------------------


def _school_calendar(organisation: Organisation) -> tuple[int, int]:
    """Hollyfield's term dates, imported as its admin would (the import is safe to repeat), and
    its INSET days. Returns (term dates added, closure days added)."""
    admin = (
        Person.objects.for_organisation(organisation)
        .filter(first_name=SCHOOL_ADMIN[0], last_name=SCHOOL_ADMIN[1])
        .select_related("user")
        .first()
    )
    actor = admin.user if admin is not None else None
    rows = [
        {"name": name, "term": term, "starts_on": starts_on, "ends_on": ends_on}
        for name, term, starts_on, ends_on in HOLLYFIELD_TERMS
    ]
    result = term_dates_import(organisation=organisation, rows=rows, by=actor)
    if not result.ok:
        raise ValueError(
            "Hollyfield's term dates could not be imported: "
            + "; ".join(str(error) for error in result.errors)
        )
    closed = set(ClosureDay.objects.for_organisation(organisation).values_list("date", flat=True))
    added = 0
    for day, reason in HOLLYFIELD_INSET:
        if day not in closed:
            closure_day_add(organisation=organisation, date=day, reason=reason, by=actor)
            added += 1
    return result.created, added


# --- Sessions ----------------------------------------------------------------------------------


class _Builder:
    """The sessions of one organisation: history in memory, then written in bulk; then the
    schedule, the story's future sessions and the agenda."""

    def __init__(self, organisation: Organisation, today: datetime.date) -> None:
        self.organisation = organisation
        self.today = today
        self.school = organisation.sector == Sector.SCHOOL
        self.times = SCHOOL_TIMES if self.school else COUNCIL_TIMES
        self.calendar: WorkingCalendar = calendar_for(organisation)
        self.rules: dict[str, list[Rule]] = schedule.frequency_rules(organisation)
        # From the first of a month, so the figures can count from then (``oversight.demo``).
        self.history_start = (today - relativedelta(years=HISTORY_YEARS)).replace(day=1)
        self.horizon = today + relativedelta(months=SCHEDULE_MONTHS + 2)
        self.people = {
            p.pk: p for p in Person.objects.for_organisation(organisation).select_related("user")
        }
        for person in self.people.values():
            person.organisation = organisation  # for the policy clock, without a query each
        self.teams = {t.pk: t.name for t in Team.objects.for_organisation(organisation)}
        # Who is in a session on each day, and when: {person id: {day: [(start, end)]}}.
        self.busy: defaultdict[int, defaultdict[datetime.date, list[Interval]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.now = timezone.now()
        self.order: dict[int, int] = {}  # supervisees by staff number: where they are in the spread
        self.plan = _Plan()
        self.group_members: tuple[Person, list[Person]] | None = None
        self.counts: dict[str, int] = defaultdict(int)

    # Where a session can go

    def _idle(self, people: Sequence[int], day: datetime.date) -> bool:
        return all(not self.busy[p].get(day) for p in people)

    def _clashes(self, people: Sequence[int], start: datetime.datetime, minutes: int) -> bool:
        end = start + datetime.timedelta(minutes=minutes)
        day = _local_day(start)
        return any(s < end and start < e for p in people for s, e in self.busy[p].get(day, ()))

    def _occupy(self, people: Iterable[int], start: datetime.datetime, minutes: int) -> None:
        end = start + datetime.timedelta(minutes=minutes)
        for p in people:
            self.busy[p][_local_day(start)].append((start, end))

    def _place(
        self,
        days: Sequence[datetime.date],
        *,
        weekday: int | None,
        at: datetime.time,
        minutes: int,
        people: Sequence[int],
    ) -> datetime.datetime | None:
        """As the schedule does: the usual weekday first, a day nobody involved has another
        session first; failing that, any time of the day that clashes with nothing."""
        ordered = [d for d in days if d.weekday() == weekday]
        ordered += [d for d in days if d.weekday() != weekday]
        for day in ordered:
            if self._idle(people, day):
                return _at(day, at)
        for day in ordered:
            for time in (at, *self.times):
                start = _at(day, time)
                if not self._clashes(people, start, minutes):
                    return start
        return None

    # The pairs

    def pairs(self) -> list[_Pair]:
        agreements = list(
            Agreement.objects.for_organisation(self.organisation)
            .filter(status__in=[AgreementStatus.ACTIVE, AgreementStatus.DUE_FOR_REVIEW])
            .order_by("supervisor_id", "supervisee__staff_number")
        )
        versions: dict[int, AgreementVersion] = {}
        for row in AgreementVersion.objects.filter(agreement__in=agreements).order_by(
            "agreement_id", "number"
        ):
            versions[row.agreement_id] = row  # the last wins
        position: dict[int, int] = defaultdict(int)
        pairs = []
        for agreement in agreements:
            supervisee = self.people[agreement.supervisee_id]
            agreement.supervisee = supervisee
            agreement.supervisor = self.people[agreement.supervisor_id]
            version = versions.get(agreement.pk)
            n = position[agreement.supervisor_id]
            position[agreement.supervisor_id] += 1
            pairs.append(
                _Pair(
                    agreement=agreement,
                    supervisor=agreement.supervisor,
                    relationship_id=agreement.relationship_id,
                    supervisee=supervisee,
                    frequency=version.frequency if version else "",
                    minutes=(version.duration_min_minutes if version else None)
                    or schedule.DEFAULT_MINUTES,
                    location=version.location if version else "",
                    rebook_within=version.rebook_within_working_days if version else None,
                    weekday=_weekday_of(version, default=n % 5),
                    at=self.times[n % 2],
                    rng=random.Random(f"tandem-demo-sessions {supervisee.staff_number}"),
                )
            )
        pairs += self._pairs_without_agreement(pairs, position)
        return pairs

    def _pairs_without_agreement(
        self, pairs: Sequence[_Pair], position: dict[int, int]
    ) -> list[_Pair]:
        """Supervisees with no agreement in force (none yet, a draft, one awaiting a signature)
        were supervised all the same, by their line supervisor, as often as the policy says:
        their agreement is what is missing, not their supervision. Their sessions have no
        agreement, and none are scheduled ahead until one is signed."""
        covered = {pair.supervisee.pk for pair in pairs}
        rooms: dict[int, str] = {}
        for pair in pairs:  # the supervisor's usual room, from their other agreements
            if pair.location:
                rooms.setdefault(pair.supervisor.pk, pair.location)
        made = []
        for relationship in (
            SupervisionRelationship.objects.for_organisation(self.organisation)
            .current()
            .filter(kind=SupervisionKind.LINE)
            .exclude(supervisee_id__in=covered)
            .order_by("supervisor_id", "supervisee__staff_number")
        ):
            supervisee = self.people[relationship.supervisee_id]
            if (supervisee.first_name, supervisee.last_name) in NOT_YET_SUPERVISED:
                continue
            supervisor = self.people[relationship.supervisor_id]
            n = position.get(supervisor.pk, 0)
            position[supervisor.pk] = n + 1
            made.append(
                _Pair(
                    agreement=None,
                    supervisor=supervisor,
                    relationship_id=relationship.pk,
                    supervisee=supervisee,
                    frequency="",
                    minutes=schedule.DEFAULT_MINUTES,
                    location=rooms.get(supervisor.pk, ""),
                    rebook_within=None,
                    weekday=n % 5,
                    at=self.times[n % 2],
                    rng=random.Random(f"tandem-demo-sessions {supervisee.staff_number}"),
                )
            )
        return made

    def _relationships(self, pairs: Sequence[_Pair]) -> dict[int, list[SupervisionRelationship]]:
        """Each supervisee's line supervision over time: whom their sessions were with."""
        by_supervisee: dict[int, list[SupervisionRelationship]] = defaultdict(list)
        for relationship in (
            SupervisionRelationship.objects.for_organisation(self.organisation)
            .filter(kind=SupervisionKind.LINE, supervisee_id__in=[p.supervisee.pk for p in pairs])
            .order_by("starts_on", "pk")
        ):
            by_supervisee[relationship.supervisee_id].append(relationship)
        return by_supervisee

    # History

    def _windows(self, pair: _Pair, start: datetime.date, end: datetime.date) -> list[Requirement]:
        return sessions_needed(
            rules=self.rules.get(pair.supervisee.staff_category, ()),
            clock_start=clock_start(pair.supervisee),
            start=start,
            end=end,
            agreed_frequency=pair.frequency or None,
            terms=self.calendar.terms,
        )

    def history(self, pair: _Pair, relationships: Sequence[SupervisionRelationship]) -> None:
        """One session in each window from the start of the history to today, with whoever
        supervised them then. The windows run on the supervisee's clock, as the policy's do, not
        the pair's: a change of supervisor does not restart them. The window that today falls in
        is left to the schedule when its session would come after today."""
        supervisee = pair.supervisee
        if not relationships:
            return
        start = max(self.history_start, min(r.starts_on for r in relationships))
        if supervisee.employment_start:
            start = max(start, supervisee.employment_start)
        if start >= self.today:
            return
        for window in self._windows(pair, start, self.horizon):
            if window.starts_on >= self.today:
                break
            missed = self._missed(pair, window)
            cut_short = missed and pair.rng.random() < CUT_SHORT and self._struggling(pair)
            if missed and not cut_short:
                continue  # nobody booked one
            # Whoever supervised them at the end of the window, else at its start.
            relationship, days = None, []
            for on in (window.ends_on, window.starts_on):
                relationship = next(
                    (
                        r
                        for r in relationships
                        if r.starts_on <= on and (r.ends_on is None or on <= r.ends_on)
                    ),
                    None,
                )
                if relationship is None:
                    continue
                days = [
                    d
                    for d in self.calendar.working_days(window.starts_on, window.ends_on)
                    if relationship.starts_on <= d
                    and (relationship.ends_on is None or d <= relationship.ends_on)
                ]
                if days:
                    break
            if relationship is None or not days:
                continue
            supervisor = self.people[relationship.supervisor_id]
            current = relationship.pk == pair.relationship_id
            minutes = max(pair.minutes, window.min_minutes or 0)
            starts_at = self._place(
                days,
                weekday=pair.weekday,
                at=pair.at,
                minutes=minutes,
                people=[supervisor.pk, supervisee.pk],
            )
            if starts_at is None or _local_day(starts_at) >= self.today:
                break
            self._past_session(pair, supervisor, starts_at, minutes, window, current)
            if cut_short and pair.held:
                pair.held[-1].held_minutes = pair.rng.choice([45, 50, 60, 60, 70])
            if current:
                pair.last_window_end = window.ends_on

    def _struggling(self, pair: _Pair) -> bool:
        return self.teams.get(pair.supervisee.team_id or 0) == STRUGGLING_TEAM

    def _missed(self, pair: _Pair, window: Requirement) -> bool:
        """Whether nobody met this window (see ``MISSED_A_YEAR_AGO``): at Northbridge only, never
        an NQSW's, nor the one running today."""
        supervisee = pair.supervisee
        if (
            self.school
            or supervisee.staff_category == StaffCategory.NQSW_ASYE
            or window.frequency == Frequency.WEEKLY
            or window.ends_on >= self.today
        ):
            return False
        k = self.order.get(supervisee.pk, 0)
        if self._struggling(pair):
            if window.frequency == Frequency.MONTHLY:
                step = window.starts_on.year * 12 + window.starts_on.month
            else:
                step = window.starts_on.toordinal() // 14
            return (k + step) % 5 in STRUGGLING_MISSES
        rate = improving(window.ends_on, self.today, year_ago=MISSED_A_YEAR_AGO, now=MISSED_NOW)
        return (k * SPREAD + window.ends_on.toordinal() * SHIFT) % 1 < rate

    def _session(
        self,
        pair: _Pair,
        supervisor: Person,
        starts_at: datetime.datetime,
        minutes: int,
        *,
        linked: bool,
    ) -> Session:
        agreement = pair.agreement
        signed_on = agreement.signed_on if agreement is not None else None
        return Session(
            organisation_id=self.organisation.pk,
            kind=SessionKind.ONE_TO_ONE,
            supervisor_id=supervisor.pk,
            supervisee_id=pair.supervisee.pk,
            agreement_id=(
                agreement.pk
                if agreement is not None
                and linked
                and signed_on is not None
                and _local_day(starts_at) >= signed_on
                else None
            ),
            starts_at=starts_at,
            duration_minutes=minutes,
            location=pair.location,
            from_schedule=True,
            created_at=min(starts_at - datetime.timedelta(days=28), self.now),
            created_by_id=supervisor.pk,
        )

    def _hold(self, pair: _Pair, session: Session, policy_minimum: int | None) -> None:
        rng = pair.rng
        session.status = SessionStatus.HELD
        session.held_started_at = session.starts_at + datetime.timedelta(
            minutes=rng.choice([0, 0, 2, 3, 5, 5, 8, 10])
        )
        held = session.duration_minutes + rng.choice([-10, -5, 0, 0, 0, 5, 10, 15])
        if policy_minimum:
            held = max(held, policy_minimum)
            if rng.random() < SHORT_RATE:
                held = rng.choice([55, 60, 65, 70, 75])
        session.held_minutes = max(held, 15)
        pair.held.append(session)

    def _past_session(
        self,
        pair: _Pair,
        supervisor: Person,
        starts_at: datetime.datetime,
        minutes: int,
        window: Requirement,
        linked: bool,
    ) -> None:
        people = [supervisor.pk, pair.supervisee.pk]
        session = self._session(pair, supervisor, starts_at, minutes, linked=linked)
        self._occupy(people, starts_at, minutes)
        self.plan.sessions.append(session)
        pair.regular.append(session)
        # NQSWs' weekly weeks are never missed; elsewhere about 1 in 12 sessions is cancelled
        # and re-booked within the agreement's working days (without an agreement, there are
        # none to re-book within: those sessions were all held).
        if (
            window.frequency != Frequency.WEEKLY
            and pair.agreement is not None
            and pair.rng.random() < CANCEL_RATE
        ):
            rebooked = self._rebook(pair, supervisor, session, window)
            if rebooked is not None:
                return
        self._hold(pair, session, window.min_minutes)

    def _cancel(self, pair: _Pair, session: Session, supervisor: Person) -> None:
        rng = pair.rng
        reasons = [r for r, _, _ in CANCEL_REASONS]
        reason = rng.choices(reasons, weights=[w for _, w, _ in CANCEL_REASONS])[0]
        notes = next(n for r, _, n in CANCEL_REASONS if r == reason)
        if self.school and reason in SCHOOL_CANCEL_NOTES:
            notes = SCHOOL_CANCEL_NOTES[reason]
        note = rng.choice(notes)
        if reason == CancelReason.OTHER and not note:
            note = "Could not be held as planned."
        by_supervisee = reason in (CancelReason.ILLNESS, CancelReason.LEAVE) and rng.random() < 0.6
        ahead = (
            datetime.timedelta(hours=rng.choice([1, 2, 3]))
            if reason in (CancelReason.CRISIS, CancelReason.SAFEGUARDING, CancelReason.ILLNESS)
            else datetime.timedelta(days=rng.choice([2, 5, 9]))
        )
        session.status = SessionStatus.CANCELLED
        session.cancelled_by_id = pair.supervisee.pk if by_supervisee else supervisor.pk
        session.cancelled_at = session.starts_at - ahead
        session.cancel_reason = reason
        session.cancel_note = note
        session.rebook_by = self._rebook_by(pair, session)

    def _rebook_by(self, pair: _Pair, session: Session) -> datetime.date | None:
        if pair.rebook_within is None:
            return None
        return self.calendar.add_working_days(_local_day(session.starts_at), pair.rebook_within)

    def _rebook(
        self, pair: _Pair, supervisor: Person, session: Session, window: Requirement
    ) -> Session | None:
        """Cancel the session and re-book it within the agreement's working days (10 where it
        sets none), before today; None, and nothing changed, when no time is free in them."""
        day = _local_day(session.starts_at)
        within = pair.rebook_within if pair.rebook_within is not None else 10
        last = min(self.calendar.add_working_days(day, within), self.today - DAY)
        days = list(self.calendar.working_days(day + DAY, last))
        people = [supervisor.pk, pair.supervisee.pk]
        # Within the window if a day is free there, so the window is still met; else after it.
        starts_at = None
        for choice in ([d for d in days if d <= window.ends_on], days):
            starts_at = self._place(
                choice, weekday=None, at=pair.at, minutes=session.duration_minutes, people=people
            )
            if starts_at is not None:
                break
        if starts_at is None:
            return None
        self._cancel(pair, session, supervisor)
        rebooked = Session(
            organisation_id=self.organisation.pk,
            kind=session.kind,
            supervisor_id=supervisor.pk,
            supervisee_id=pair.supervisee.pk,
            agreement_id=session.agreement_id,
            starts_at=starts_at,
            duration_minutes=session.duration_minutes,
            location=session.location,
            rebooked_from=session,
            created_at=session.cancelled_at or self.now,
            created_by_id=supervisor.pk,
        )
        self._occupy(people, starts_at, session.duration_minutes)
        self._hold(pair, rebooked, window.min_minutes)
        self.plan.rebookings.append(rebooked)
        return rebooked

    # The flags the story needs

    def _story_pairs(
        self,
        pairs: Sequence[_Pair],
        teams: Sequence[str],
        count: int,
        avoid: Sequence[_Pair] = (),
    ) -> list[_Pair]:
        """Registered social workers' pairs, one from each of these teams first (their team
        manager sees the flag), then from anywhere; each with another supervisor, and pairs in
        ``avoid`` only when there is no other."""
        candidates = [
            p
            for p in pairs
            if p.supervisee.staff_category == StaffCategory.REGISTERED_SOCIAL_WORKER
            and p.agreement is not None
            and p.agreement.status == AgreementStatus.ACTIVE
            and len(p.regular) > 2
        ]
        candidates.sort(key=lambda p: any(p is a for a in avoid))
        chosen: list[_Pair] = []

        def pick(team: str | None) -> bool:
            for pair in candidates:
                if any(pair is c for c in chosen) or pair.supervisor.pk in {
                    c.supervisor.pk for c in chosen
                }:
                    continue
                if team is None or self.teams.get(pair.supervisee.team_id) == team:
                    chosen.append(pair)
                    return True
            return False

        for team in teams:
            if len(chosen) < count:
                pick(team)
        while len(chosen) < count and pick(None):
            pass
        return chosen

    def flags(self, pairs: Sequence[_Pair]) -> None:
        """Two sessions cancelled and never re-booked, two recent ones shorter than the policy,
        and one from last week not yet recorded."""
        taken: list[_Pair] = []
        for pair in self._story_pairs(pairs, NOT_REBOOKED_TEAMS, 2):
            taken.append(pair)
            session = next(
                (
                    s
                    for s in reversed(pair.regular)
                    if s.status == SessionStatus.HELD
                    and (self._rebook_by(pair, s) or self.today) < self.today
                ),
                None,
            )
            if session is None:
                continue
            pair.held.remove(session)
            session.held_started_at = None
            session.held_minutes = None
            self._cancel(pair, session, self.people[session.supervisor_id])
            session.cancel_reason = CancelReason.CRISIS
            session.cancel_note = "An emergency placement move had to be made that day."
            session.cancelled_by_id = session.supervisor_id
            session.cancelled_at = session.starts_at - datetime.timedelta(hours=2)
        for n, pair in enumerate(self._story_pairs(pairs, SHORT_TEAMS, 2, avoid=taken)):
            taken.append(pair)
            if pair.held:
                pair.held[-1].held_minutes = (60, 70)[n]
        for pair in pairs:
            recent = pair.regular[-1] if pair.regular else None
            if (
                not any(pair is t for t in taken)
                and not self.school
                and pair.supervisee.staff_category == StaffCategory.REGISTERED_SOCIAL_WORKER
                and recent is not None
                and recent.status == SessionStatus.HELD
                and recent in pair.held
                and 2 <= (self.today - _local_day(recent.starts_at)).days <= 7
            ):
                pair.held.remove(recent)
                recent.status = SessionStatus.SCHEDULED
                recent.held_started_at = None
                recent.held_minutes = None
                break

    # The group and the ad hoc session

    def group(self) -> None:
        """Daniel's monthly reflective group with social workers of his team: the last three,
        held, and the next one, booked through the service."""
        daniel = _named(self.people.values(), DANIEL)
        if daniel is None or self.school:
            return
        members = sorted(
            (
                p
                for p in self.people.values()
                if self.teams.get(p.team_id) == GROUP_TEAM
                and p.staff_category
                in (StaffCategory.REGISTERED_SOCIAL_WORKER, StaffCategory.NQSW_ASYE)
                and p.left_on is None
            ),
            key=lambda p: (p.staff_category != StaffCategory.NQSW_ASYE, p.staff_number),
        )[:GROUP_MEMBERS]
        if len(members) < 2:
            return
        people = [daniel.pk, *(m.pk for m in members)]
        for months_ago in (3, 2, 1):
            month = (self.today - relativedelta(months=months_ago)).replace(day=15)
            days = [
                d
                for d in self.calendar.working_days(month, month + relativedelta(day=31))
                if d < self.today
            ]
            starts_at = self._place(
                days, weekday=2, at=datetime.time(13, 30), minutes=90, people=people
            )
            if starts_at is None:
                continue
            self._occupy(people, starts_at, 90)
            session = Session(
                organisation_id=self.organisation.pk,
                kind=SessionKind.GROUP,
                supervisor_id=daniel.pk,
                title=GROUP_TITLE,
                starts_at=starts_at,
                duration_minutes=90,
                location="Meeting room 3.2, Northbridge Civic Centre",
                status=SessionStatus.HELD,
                held_started_at=starts_at + datetime.timedelta(minutes=5),
                held_minutes=85,
                created_at=starts_at - datetime.timedelta(days=30),
                created_by_id=daniel.pk,
            )
            self.plan.sessions.append(session)
            self.plan.members.append((session, members))
            for n in range(2):
                item = GROUP_ITEMS[(months_ago + n) % len(GROUP_ITEMS)]
                self.plan.agenda.append((session, daniel, item, True, None))
        self.group_members = (daniel, members)

    def next_group(self, daniel: Person, members: list[Person]) -> None:
        ids = [daniel.pk, *(m.pk for m in members)]
        first = self.today + datetime.timedelta(days=7)
        days = list(self.calendar.working_days(first, first + datetime.timedelta(days=28)))
        days.sort(key=lambda d: (d.weekday() != 2, d))
        for day in days:
            starts_at = _at(day, datetime.time(13, 30))
            end = starts_at + datetime.timedelta(minutes=90)
            clash = (
                Session.objects.for_organisation(self.organisation)
                .filter(
                    Q(supervisor_id__in=ids)
                    | Q(supervisee_id__in=ids)
                    | Q(
                        pk__in=Session.members.through.objects.filter(person_id__in=ids).values(
                            "session_id"
                        )
                    ),
                    starts_at__lt=end,
                    starts_at__gte=starts_at - datetime.timedelta(hours=8),
                )
                .exclude(status=SessionStatus.CANCELLED)
            )
            if any(s.ends_at > starts_at for s in clash):
                continue
            try:
                session = session_services.session_book(
                    supervisor=daniel,
                    members=members,
                    kind=SessionKind.GROUP,
                    title=GROUP_TITLE,
                    starts_at=starts_at,
                    duration_minutes=90,
                    location="Meeting room 3.2, Northbridge Civic Centre",
                    by=daniel,
                )
            except ValidationError:
                continue
            self.counts["sessions"] += 1
            self.counts["scheduled"] += 1
            self.upcoming_items(session, [(daniel, GROUP_ITEMS[0]), (daniel, GROUP_ITEMS[3])])
            return

    def ad_hoc(self) -> None:
        """Grace told Tom about a pupil's disclosure: an ad hoc session after school a few days
        ago."""
        grace = _named(self.people.values(), GRACE)
        tom = _named(self.people.values(), TOM)
        if grace is None or tom is None:
            return
        # A few school days ago: the last but one, or the last before a holiday.
        days = sorted(
            self.calendar.working_days(self.today - datetime.timedelta(days=70), self.today - DAY),
            reverse=True,
        )
        days = days[1:] or days
        starts_at = self._place(
            days, weekday=None, at=datetime.time(15, 45), minutes=40, people=[tom.pk, grace.pk]
        )
        if starts_at is None:
            return
        self._occupy([tom.pk, grace.pk], starts_at, 40)
        agreement = session_services.agreement_of_pair(supervisor=tom, supervisee=grace)
        session = Session(
            organisation_id=self.organisation.pk,
            kind=SessionKind.AD_HOC,
            supervisor_id=tom.pk,
            supervisee_id=grace.pk,
            agreement_id=agreement.pk if agreement else None,
            starts_at=starts_at,
            duration_minutes=40,
            location="The designated safeguarding lead's office",
            status=SessionStatus.HELD,
            held_started_at=starts_at,
            held_minutes=45,
            created_at=starts_at - datetime.timedelta(hours=2),
            created_by_id=tom.pk,
        )
        self.plan.sessions.append(session)
        for n, item in enumerate(AD_HOC_ITEMS):
            self.plan.agenda.append((session, grace if n == 0 else tom, item, True, None))

    # Agenda items

    def _pool(self, pair: _Pair) -> list[Item]:
        if self.school:
            return SCHOOL_ITEMS
        if pair.supervisee.staff_category == StaffCategory.NQSW_ASYE:
            return NQSW_ITEMS + COUNCIL_ITEMS
        return COUNCIL_ITEMS

    def history_agenda(self, pair: _Pair) -> list[tuple[Session, Person, Item, bool]]:
        """Items on the last few held sessions of the pair: all done but, now and then, one on
        the last. Returns the last session's unfinished items, to carry into the next."""
        held = [s for s in pair.held if s.kind == SessionKind.ONE_TO_ONE][-HELD_WITH_AGENDA:]
        supervisee = pair.supervisee
        if (supervisee.first_name, supervisee.last_name) == AMIRA:
            plan = AMIRA_HELD[-len(held) :] if held else []
            unfinished = []
            for session, items in zip(held[-len(plan) :], plan, strict=False):
                supervisor = self.people[session.supervisor_id]
                for who, item, done in items:
                    person = supervisee if who == "supervisee" else supervisor
                    self.plan.agenda.append((session, person, item, done, None))
                    if not done and session is held[-1]:
                        unfinished.append((session, person, item, False))
            return unfinished
        pool = self._pool(pair)
        rng = pair.rng
        unfinished = []
        for session in held:
            supervisor = self.people[session.supervisor_id]
            last = session is held[-1]
            for n, item in enumerate(rng.sample(pool, 3)):
                person = supervisor if n == 0 or rng.random() < 0.4 else supervisee
                done = not (last and n == 2 and rng.random() < 0.5)
                self.plan.agenda.append((session, person, item, done, None))
                if not done:
                    unfinished.append((session, person, item, False))
        return unfinished

    def write(self) -> None:
        """The history, in bulk: sessions, then re-bookings (which point to them), then group
        members and agenda items."""
        made = bulk_insert(self.plan.sessions, _session_key)
        made += bulk_insert(self.plan.rebookings, _session_key)
        through = Session.members.through
        through.objects.bulk_create(
            [
                through(session_id=session.pk, person_id=member.pk)
                for session, members in self.plan.members
                for member in members
            ]
        )
        self.counts["sessions"] += len(made)
        for session in made:
            self.counts[str(session.status)] += 1
        self.counts["rebooked"] += len(self.plan.rebookings)

    def write_agenda(
        self, entries: list[tuple[Session, Person, Item, bool, AgendaItem | None]]
    ) -> None:
        items = []
        for index, (
            session,
            person,
            (title, function, priority, minutes),
            done,
            carried,
        ) in enumerate(entries):
            # Carried items come in when the last session is held; new ones a few days ahead.
            before = session.starts_at - datetime.timedelta(days=3 if carried is None else 7)
            created_at = min(before, self.now) + datetime.timedelta(microseconds=index)
            items.append(
                AgendaItem(
                    organisation_id=session.organisation_id,
                    session_id=session.pk,
                    added_by_id=person.pk,
                    title=title,
                    priority=priority,
                    minutes=minutes,
                    function=function,
                    carried_from=carried,
                    done=done,
                    created_at=created_at,
                )
            )
        bulk_insert(items, _item_key)
        self.counts["agenda_items"] += len(items)

    def upcoming_items(self, session: Session, items: Sequence[tuple[Person, Item]]) -> None:
        self.write_agenda([(session, person, item, False, None) for person, item in items])

    # The future

    def future(self, pairs: Sequence[_Pair]) -> None:
        """The next 12 months of each active agreement, from the schedule: from the window after
        the last one held (or tomorrow), on the pair's usual day and time."""
        tomorrow = max(self.today, timezone.localdate()) + DAY
        for pair in pairs:
            if pair.agreement is None or pair.agreement.status != AgreementStatus.ACTIVE:
                continue
            start = max(tomorrow, (pair.last_window_end or self.today) + DAY)
            made = schedule.schedule_create(
                agreement=pair.agreement,
                start=start,
                months=SCHEDULE_MONTHS,
                weekday=pair.weekday,
                at=pair.at,
                by=pair.supervisor,
            )
            self.counts["sessions"] += len(made)
            self.counts["scheduled"] += len(made)
        self.untangle()

    def untangle(self) -> None:
        """When a window has no working day but one the supervisor already has a session on
        (a short window at the end of the 12 months), the schedule puts a second session on
        that day, at the usual time: move it, through the service, to a free time that day."""
        sessions = (
            Session.objects.for_organisation(self.organisation)
            .filter(status=SessionStatus.SCHEDULED, starts_at__gte=self.now)
            .order_by("supervisor_id", "starts_at", "id")
        )
        last_end: dict[int, datetime.datetime] = {}
        for session in sessions:
            end = last_end.get(session.supervisor_id)
            if end is not None and end > session.starts_at:
                session = self._move(session)
            last_end[session.supervisor_id] = max(session.ends_at, end or session.ends_at)

    def _move(self, session: Session) -> Session:
        day = _local_day(session.starts_at)
        for time in FREE_TIMES:
            try:
                return session_services.session_move(
                    session=session,
                    starts_at=_at(day, time),
                    duration_minutes=session.duration_minutes,
                    location=session.location,
                    by=self.people[session.supervisor_id],
                )
            except ValidationError:
                continue
        return session

    def upcoming_agenda(
        self,
        pairs: Sequence[_Pair],
        unfinished: dict[int, list[tuple[Session, Person, Item, bool]]],
    ) -> None:
        """The next session of each pair: the items not finished last time, carried, and, for
        most pairs, an item or two added already."""
        next_sessions: dict[tuple[int, int | None], Session] = {}
        for session in (
            Session.objects.for_organisation(self.organisation)
            .filter(
                kind=SessionKind.ONE_TO_ONE,
                status=SessionStatus.SCHEDULED,
                starts_at__gte=self.now,
            )
            .order_by("-starts_at")
        ):
            next_sessions[(session.supervisor_id, session.supervisee_id)] = session
        originals = {
            (item.session_id, item.title): item
            for item in AgendaItem.objects.filter(
                session__organisation=self.organisation, done=False
            )
        }
        entries: list[tuple[Session, Person, Item, bool, AgendaItem | None]] = []
        for pair in pairs:
            supervisee = pair.supervisee
            session = next_sessions.get((pair.supervisor.pk, supervisee.pk))
            if session is None:
                continue
            for held, person, item, _ in unfinished.get(id(pair), []):
                original = originals.get((held.pk, item[0]))
                if original is not None:
                    entries.append((session, person, item, False, original))
            if (supervisee.first_name, supervisee.last_name) == AMIRA:
                entries += [(session, supervisee, item, False, None) for item in AMIRA_NEXT]
                continue
            rng = pair.rng
            if rng.random() < 0.65:
                carried_titles = {e[2][0] for e in entries if e[0] is session}
                fresh = [i for i in self._pool(pair) if i[0] not in carried_titles]
                for n, item in enumerate(rng.sample(fresh, rng.choice([1, 2]))):
                    person = supervisee if n == 0 else self.people[session.supervisor_id]
                    entries.append((session, person, item, False, None))
        self.write_agenda(entries)

    def build(self) -> None:
        pairs = self.pairs()
        self.order = {
            pk: k
            for k, pk in enumerate(
                sorted(
                    (p.supervisee.pk for p in pairs), key=lambda pk: self.people[pk].staff_number
                )
            )
        }
        relationships = self._relationships(pairs)
        # Amira first, so her weekly sessions have the usual day.
        pairs.sort(key=lambda p: (p.supervisee.first_name, p.supervisee.last_name) != AMIRA)
        for pair in pairs:
            self.history(pair, relationships.get(pair.supervisee.pk, []))
        self.flags(pairs)
        self.group()
        self.ad_hoc()
        unfinished = {id(pair): self.history_agenda(pair) for pair in pairs}
        self.write()
        self.write_agenda(self.plan.agenda)
        pairs.sort(key=lambda p: (p.supervisor.pk, p.supervisee.staff_number))
        self.future(pairs)
        if self.group_members is not None:
            self.next_group(*self.group_members)
        self.upcoming_agenda(pairs, unfinished)


@transaction.atomic
def load_demo_sessions(today: datetime.date | None = None) -> dict[str, int]:
    """Give the demo organisations their sessions (see the module's docstring). Returns counts
    of what was made: ``sessions`` (``held``, ``cancelled`` and ``scheduled`` among them, and
    ``rebooked``), ``agenda_items``, ``term_dates`` and ``closure_days``; all 0 on a second run.
    Does nothing for a demo organisation that is not there."""
    today = today or timezone.localdate()
    counts: dict[str, int] = dict.fromkeys(
        (
            "sessions",
            "held",
            "cancelled",
            "scheduled",
            "rebooked",
            "agenda_items",
            "term_dates",
            "closure_days",
        ),
        0,
    )
    for name in (NORTHBRIDGE, HOLLYFIELD, MEADOWBANK):
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        if organisation.sector == Sector.SCHOOL:
            counts["term_dates"], counts["closure_days"] = _school_calendar(organisation)
        if Session.objects.for_organisation(organisation).exists():
            continue
        builder = _Builder(organisation, today)
        builder.build()
        for key, value in builder.counts.items():
            counts[key] = counts.get(key, 0) + value
    return counts
