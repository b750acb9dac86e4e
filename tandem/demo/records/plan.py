"""What the demo's records will be: an entry per held session, its words, and its fate (how far
through the workflow its record goes), from its age and the story."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from tandem.core.calendar import WorkingCalendar, calendar_for
from tandem.demo.organisations import STRUGGLING_TEAM, improving
from tandem.meetings.models import AgendaItem, Session, SessionKind, SessionStatus
from tandem.organisations.models import Organisation, Person, Sector, StaffCategory, Team
from tandem.records import layout as layouts
from tandem.records.models import ActionStatus, Record

from . import case_kinds, roles, words
from .cases import KOLB_KEYS, Case, Caseload
from .compose import Facts, compose

MINUTE = datetime.timedelta(minutes=1)
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
LATE_RATE = 0.11  # records of the past shared after their due date (at a school)
# At Northbridge, fewer and fewer records are shared late as the year goes on, except in the
# struggling team, where nearly half are.
LATE_A_YEAR_AGO = 0.16
LATE_NOW = 0.03
LATE_STRUGGLING = 0.45
EDITED_BY_SUPERVISEE = 0.2  # the supervisee added to the draft before it was shared
EDITED_AFTER_SHARING = 0.08  # ... or after, so both signed a later version
RECENT_DAYS = 100  # actions of records this recent may still be open
# Five Northbridge teams with an overdue draft each, so their managers see one; one at the school.
OVERDUE_TEAMS = (
    "Duty and Assessment",
    "Child Protection East",
    "Court and Proceedings",
    "Children in Care South",
    "Multi-Agency Safeguarding Hub",
)
OVERDUE_WITHIN_DAYS = 56
# A school has no sessions in the summer holidays: its overdue draft may be from before them.
SCHOOL_OVERDUE_WITHIN_DAYS = 120
AWAITING = 2  # records of the past still waiting for the supervisee's signature

AMIRA = ("Amira", "Hussain")
DANIEL = ("Daniel", "Okafor")
BUKOLA = ("Bukola", "Adebayo")
GRACE = ("Grace", "Adeyemi")
CONNOR = ("Connor", "Walsh")
REBECCA = ("Rebecca", "Lewis")
AMIRA_CASE = ("CF-204981", "Sibling group of three, neglect")
GRACE_CASE = ("CPOMS-41872", "Year 4 pupil, disclosure at the end of the day")


class Fate:
    """Where a record's story stops. The first two are written in bulk, the rest by services."""

    SIGNED = "signed"  # the past: signed by both
    AWAITING = "awaiting"  # the past: shared, signed by the supervisor only
    EMPTY = "empty"  # started, nothing written
    DRAFT = "draft"
    OVERDUE = "overdue"  # a draft past its due date, partly written
    SHARED = "shared"
    HALF = "half"  # shared and signed by the supervisor
    BOTH = "both"  # shared and signed by both, today

    BULK = (SIGNED, AWAITING)


@dataclass(eq=False)
class Entry:
    """One held session and the record it will get."""

    session: Session
    supervisor: Person
    supervisee: Person
    held_on: datetime.date
    due_on: datetime.date
    layout: dict[str, Any]
    facts: Facts
    rng: random.Random
    content: dict[str, Any] = field(default_factory=dict)
    welfare: str = ""
    addition: str = ""  # what the supervisee adds to the development section, if anything
    fate: str = Fate.SIGNED
    record: Record | None = None
    # Progress the story needs on some actions, by key (the rest follow the record's age).
    action_status: dict[str, str] = field(default_factory=dict)


def named(people: dict[int, Person], name: tuple[str, str]) -> Person | None:
    return next((p for p in people.values() if (p.first_name, p.last_name) == name), None)


def moment(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class Planner:
    """The records to make: one entry per held session, with its words and its fate."""

    def __init__(self, organisation: Organisation, today: datetime.date) -> None:
        self.organisation = organisation
        self.today = today
        self.now = timezone.now()
        self.school = organisation.sector == Sector.SCHOOL
        self.calendar: WorkingCalendar = calendar_for(organisation, term_time_only=False)
        self.people = {
            p.pk: p for p in Person.objects.for_organisation(organisation).select_related("user")
        }
        for person in self.people.values():
            person.organisation = organisation
        teams = Team.objects.for_organisation(organisation)
        self.teams = dict(teams.values_list("pk", "name"))
        self.team_managers = dict(teams.values_list("pk", "manager_id"))
        self.layouts: dict[tuple[int | None, bool], dict[str, Any]] = {}
        self.caseloads: dict[int, Caseload] = {}
        self.rngs: dict[int, random.Random] = {}
        self._summaries: dict[int, str] = {}

    # Planning

    def _layout(self, session: Session, asye: bool) -> dict[str, Any]:
        agreement = session.agreement
        key = (agreement.template_version_id if agreement else None, asye)
        if key not in self.layouts:
            self.layouts[key] = layouts.layout_for(
                template_content=agreement.template_version.content if agreement else None,
                reflection_model=self.organisation.reflection_model,
                asye=asye,
            )
        return self.layouts[key]

    def _caseload(self, supervisee: Person) -> Caseload:
        if supervisee.pk not in self.caseloads:
            team = self.teams.get(supervisee.team_id or 0, "")
            kinds = (
                (case_kinds.SCHOOL_CASE,)
                if self.school
                else case_kinds.TEAM_CASES.get(team, case_kinds.DEFAULT_CASES)
            )
            caseload = Caseload(kinds, self._rng(supervisee))
            story = {
                AMIRA: (case_kinds.NEGLECT, *AMIRA_CASE, 0),
                GRACE: (case_kinds.SCHOOL_CASE, *GRACE_CASE, 2),
            }
            seeded = story.get((supervisee.first_name, supervisee.last_name))
            if seeded is not None:
                kind, reference, label, stage = seeded
                case = Case(kind, reference, label, stage)
                caseload.open.append(case)
                caseload.pinned.append(case)
            self.caseloads[supervisee.pk] = caseload
        return self.caseloads[supervisee.pk]

    def _rng(self, supervisee: Person) -> random.Random:
        if supervisee.pk not in self.rngs:
            self.rngs[supervisee.pk] = random.Random(
                f"tandem-demo-records {supervisee.staff_number}"
            )
        return self.rngs[supervisee.pk]

    def plan(self) -> list[Entry]:
        sessions = list(
            Session.objects.for_organisation(self.organisation)
            .filter(
                status=SessionStatus.HELD,
                supervisee__isnull=False,
                kind__in=[SessionKind.ONE_TO_ONE, SessionKind.AD_HOC],
                record__isnull=True,
            )
            .select_related("agreement__template_version")
            .order_by("starts_at", "pk")
        )
        agenda: defaultdict[int, list[tuple[int, str, bool]]] = defaultdict(list)
        for row in (
            AgendaItem.objects.filter(session__in=sessions)
            .order_by("created_at", "pk")
            .values_list("session_id", "pk", "function", "done")
        ):
            agenda[row[0]].append(row[1:])
        entries = []
        for session in sessions:
            supervisor = self.people[session.supervisor_id]
            assert session.supervisee_id is not None
            supervisee = self.people[session.supervisee_id]
            held_on = timezone.localdate(session.held_started_at or session.starts_at)
            asye = supervisee.staff_category == StaffCategory.NQSW_ASYE
            layout = self._layout(session, asye)
            week = None
            if asye and supervisee.asye_start and held_on >= supervisee.asye_start:
                week = (held_on - supervisee.asye_start).days // 7 + 1
            facts = Facts(
                school=self.school,
                role=roles.role_of(
                    school=self.school,
                    staff_category=supervisee.staff_category,
                    job_title=supervisee.job_title,
                ),
                held_on=held_on,
                supervisor_id=supervisor.pk,
                supervisee_id=supervisee.pk,
                agenda=tuple(agenda[session.pk]),
                reflection_keys=tuple(p["key"] for p in layout["reflection"]["prompts"]),
                asye_week=week,
                struggling=self.teams.get(supervisee.team_id or 0) == STRUGGLING_TEAM,
            )
            rng = self._rng(supervisee)
            count = rng.choice(roles.CASES_PER_SESSION[facts.role])
            if session.kind == SessionKind.AD_HOC:
                count = 1
            cases = self._caseload(supervisee).pick(count)
            content, welfare = compose(rng, facts, cases)
            entry = Entry(
                session=session,
                supervisor=supervisor,
                supervisee=supervisee,
                held_on=held_on,
                due_on=self.calendar.add_working_days(
                    held_on, self.organisation.record_deadline_working_days
                ),
                layout=layout,
                facts=facts,
                rng=rng,
                content=content,
                welfare=welfare,
            )
            if rng.random() < EDITED_BY_SUPERVISEE + EDITED_AFTER_SHARING:
                entry.addition = rng.choice(words.SUPERVISEE_ADDITIONS)
            entry.fate = self._fate(entry)
            entries.append(entry)
        self._pick_overdue(entries)
        self._pick_awaiting(entries)
        self._story_fates(entries)
        return entries

    def late_rate(self, entry: Entry) -> float:
        """How likely a record of the past was to be shared after its due date."""
        if self.school:
            return LATE_RATE
        if self.teams.get(entry.supervisee.team_id or 0) == STRUGGLING_TEAM:
            return LATE_STRUGGLING
        return improving(entry.held_on, self.today, year_ago=LATE_A_YEAR_AGO, now=LATE_NOW)

    def _fate(self, entry: Entry) -> str:
        if entry.due_on < self.today:
            return Fate.SIGNED
        age = (self.today - entry.held_on).days
        roll = entry.rng.random()
        if age <= 3:
            return Fate.EMPTY if roll < 0.4 else Fate.DRAFT
        if age <= 7:
            return Fate.DRAFT if roll < 0.7 else Fate.SHARED
        if roll < 0.1:
            return Fate.DRAFT
        if roll < 0.45:
            return Fate.SHARED
        return Fate.HALF if roll < 0.8 else Fate.BOTH

    def _recent_past(
        self, entries: Sequence[Entry], within_days: int = OVERDUE_WITHIN_DAYS
    ) -> list[Entry]:
        """Records of the past from the last weeks, newest first, outside the story."""
        story = {AMIRA, DANIEL, BUKOLA, GRACE, CONNOR}
        return sorted(
            (
                e
                for e in entries
                if e.fate == Fate.SIGNED
                and e.held_on >= self.today - within_days * DAY
                and (e.supervisee.first_name, e.supervisee.last_name) not in story
                and (e.supervisor.first_name, e.supervisor.last_name) not in story
            ),
            key=lambda e: (e.held_on, e.session.pk),
            reverse=True,
        )

    def _pick_overdue(self, entries: Sequence[Entry]) -> None:
        """Drafts never shared: one per team of ``OVERDUE_TEAMS`` whose manager is not in the
        supervision, so the team manager sees it; at a school, the latest."""
        if self.school:
            picked = self._recent_past(entries, SCHOOL_OVERDUE_WITHIN_DAYS)[:1]
        else:
            candidates = self._recent_past(entries)
            picked = []
            for team in OVERDUE_TEAMS:
                match = next(
                    (
                        e
                        for e in candidates
                        if self.teams.get(e.supervisee.team_id or 0) == team
                        and self.team_managers.get(e.supervisee.team_id or 0)
                        not in (e.supervisor.pk, e.supervisee.pk)
                    ),
                    None,
                )
                if match is not None:
                    picked.append(match)
        for entry in picked:
            entry.fate = Fate.OVERDUE

    def _pick_awaiting(self, entries: Sequence[Entry]) -> None:
        if self.school:
            return
        candidates = [e for e in self._recent_past(entries) if e.held_on < self.today - 20 * DAY]
        teams: set[int | None] = set()
        for entry in candidates:
            if len(teams) == AWAITING:
                break
            if entry.supervisee.team_id not in teams:
                teams.add(entry.supervisee.team_id)
                entry.fate = Fate.AWAITING

    def of(self, entries: Sequence[Entry], name: tuple[str, str]) -> list[Entry]:
        return [e for e in entries if (e.supervisee.first_name, e.supervisee.last_name) == name]

    def _story_fates(self, entries: Sequence[Entry]) -> None:
        # Amira's first record (signed by both) has her first actions: one done, two overdue.
        # Her second waits for her signature. (She is in week 3: the second is always recent.)
        amira = self.of(entries, AMIRA)
        if amira:
            first = amira[0]
            if first.fate not in Fate.BULK:
                first.fate = Fate.BOTH
            first.content["actions"] = self._amira_actions(first)
            first.action_status = {"amira-1": ActionStatus.DONE}
            for entry in amira[1:]:
                entry.fate = Fate.HALF
        for entry in self.of(entries, GRACE):
            if entry.session.kind == SessionKind.AD_HOC:
                # Tom has signed; Grace has yet to. How she is after the disclosure, and the
                # reflection they did together.
                entry.fate = Fate.HALF
                entry.welfare = words.GRACE_WELFARE
                for case in entry.content["cases"]:
                    reflection = dict(
                        zip(KOLB_KEYS, case_kinds.SCHOOL_CASE.reflection, strict=True)
                    )
                    case["reflection"] = {
                        key: reflection.get(key, "") for key in entry.facts.reflection_keys
                    }
        bukola = self.of(entries, BUKOLA)
        if bukola:
            latest = bukola[-1]
            # Fiona has signed it; Bukola disagrees instead of signing.
            latest.fate = Fate.AWAITING if latest.fate in Fate.BULK else Fate.HALF
            latest.content["sections"]["performance"] += " " + words.BUKOLA_ALLOCATION

    def _amira_actions(self, entry: Entry) -> list[dict[str, Any]]:
        amira, daniel = entry.supervisee.pk, entry.supervisor.pk
        return [
            {
                "key": f"amira-{n}",
                "text": what,
                "owner": owner,
                "due_on": (entry.held_on + days * DAY).isoformat(),
                "case_reference": reference,
            }
            for n, (what, owner, days, reference) in enumerate(
                [
                    ("Put protected development time in the calendar", amira, 2, ""),
                    ("See each child alone and record their views", amira, 5, AMIRA_CASE[0]),
                    ("Read the council's neglect strategy and the GCP2 guidance", amira, 7, ""),
                    ("Book the first direct observation of practice", daniel, 21, ""),
                ],
                start=1,
            )
        ]
