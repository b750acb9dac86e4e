"""Benchmark: the oversight dashboards at two organisation sizes, against hand-written SQL.

    python bench/oversight.py [--staff 20000] [--runs 5] [--years 5] [--explain]

Builds (once) two deterministic organisations with their history (``generate_scale_data``:
windows, sessions, records, agreements; ``--staff`` and a tenth of it), grants one person the
senior leader role, then measures in-process with Django's test client, for last month:

- the organisation dashboard (``/oversight/organisation/``), the dashboard of one team
  (``/oversight/units/<id>/``) and one person's page (``/oversight/people/<id>/``). While a page
  still answers 404 (not built yet), the same selectors and tables it shows are measured
  directly instead, and the table says so;
- the headline ``figures()`` alone (six queries);
- the baseline: ONE hand-written SQL statement computing the same headline figures for the same
  scope (whole organisation, the team, the person), from the definitions in
  ``oversight/definitions.py``. Its numbers are checked against ``figures()``: the benchmark
  stops if they differ.

Prints the median of ``--runs`` runs, the baseline, the ratio, the query count of each, and the
growth of each from the small to the large organisation. With ``--explain`` (PostgreSQL), prints
the plan of each of ``figures()``'s queries and of the baseline at the large size. Not a test:
exits 0 unless it cannot run (or the figures disagree).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from tandem.demo.scale.history import history_generate  # noqa: E402
from tandem.demo.scale.organisation import scale_data_generate  # noqa: E402
from tandem.organisations.models import (  # noqa: E402
    Organisation,
    Person,
    Role,
    Team,
    TeamKind,
)
from tandem.organisations.services import role_grant  # noqa: E402
from tandem.oversight import selectors as s  # noqa: E402
from tandem.oversight import tables  # noqa: E402
from tandem.oversight.filters import Choice, read_choice  # noqa: E402
from tandem.oversight.periods import Period, midnight  # noqa: E402

DAY = datetime.timedelta(days=1)
FIGURES = [
    "people",
    "required",
    "met",
    "people_missing",
    "held",
    "short",
    "cancelled",
    "rebooked_in_time",
    "rebook_overdue",
    "records",
    "records_due",
    "shared_on_time",
    "shared_late",
    "not_shared",
    "signed",
    "staff",
    "agreements_in_date",
    "no_supervisor",
    "open_disagreements",
    "overdue_actions",
]


# The baseline: one statement, written by hand from the definitions.

HEADLINE_SQL = """
SELECT * FROM
(
  SELECT COUNT(DISTINCT w.person_id) AS people,
         COUNT(*) AS required,
         COUNT(*) FILTER (WHERE w.met) AS met,
         COUNT(DISTINCT w.person_id) FILTER (WHERE NOT w.met) AS people_missing
  FROM (
    SELECT dw.person_id,
           EXISTS (
             SELECT 1 FROM meetings_session s
             WHERE s.supervisee_id = dw.person_id AND s.status = 'held'
               AND s.kind IN ('one_to_one', 'ad_hoc')
               AND s.held_started_at >= dw.starts_at AND s.held_started_at < dw.ends_at
               AND s.held_minutes >= COALESCE(dw.min_minutes, 0)
           ) AS met
    FROM oversight_duewindow dw
    WHERE dw.organisation_id = %(org)s AND dw.ends_on >= %(start)s
      AND dw.ends_on <= %(due_until)s {window_people}
  ) w
) windows,
(
  SELECT COUNT(*) FILTER (WHERE s.status = 'held') AS held,
         COUNT(*) FILTER (
           WHERE s.status = 'held' AND s.held_minutes < (
             SELECT dw.min_minutes FROM oversight_duewindow dw
             WHERE dw.person_id = s.supervisee_id
               AND dw.starts_at <= s.held_started_at AND dw.ends_at > s.held_started_at
             LIMIT 1)
         ) AS short,
         COUNT(*) FILTER (WHERE s.status = 'cancelled') AS cancelled,
         COUNT(*) FILTER (
           WHERE s.status = 'cancelled' AND EXISTS (
             SELECT 1 FROM meetings_session r
             WHERE r.rebooked_from_id = s.id
               AND (s.rebook_by IS NULL OR {rebooked_on} <= s.rebook_by))
         ) AS rebooked_in_time,
         COUNT(*) FILTER (
           WHERE s.status = 'cancelled' AND s.rebook_by < %(today)s
             AND NOT EXISTS (SELECT 1 FROM meetings_session r WHERE r.rebooked_from_id = s.id)
         ) AS rebook_overdue
  FROM meetings_session s
  WHERE s.organisation_id = %(org)s AND s.kind IN ('one_to_one', 'ad_hoc') {session_people}
    AND (
      (s.status = 'held' AND s.held_started_at >= %(start_at)s AND s.held_started_at < %(end_at)s)
      OR (s.status = 'cancelled' AND s.starts_at >= %(start_at)s AND s.starts_at < %(end_at)s)
    )
) sessions,
(
  SELECT COUNT(*) AS records,
         COUNT(*) FILTER (WHERE r.due_on < %(today)s OR r.shared_at IS NOT NULL) AS records_due,
         COUNT(*) FILTER (WHERE {shared_on} <= r.due_on) AS shared_on_time,
         COUNT(*) FILTER (WHERE {shared_on} > r.due_on) AS shared_late,
         COUNT(*) FILTER (WHERE r.due_on < %(today)s AND r.status = 'draft') AS not_shared,
         COUNT(*) FILTER (WHERE r.status = 'signed') AS signed
  FROM records_record r
  WHERE r.organisation_id = %(org)s AND r.held_on >= %(start)s AND r.held_on <= %(end)s
    {record_people}
) records,
(
  SELECT COUNT(*) AS staff,
         COUNT(*) FILTER (
           WHERE EXISTS (
             SELECT 1 FROM agreements_agreement a
             WHERE a.supervisee_id = p.id AND a.status = 'active'
               AND (a.review_due_on IS NULL OR a.review_due_on >= %(today)s))
         ) AS agreements_in_date,
         COUNT(*) FILTER (
           WHERE NOT EXISTS (
             SELECT 1 FROM organisations_supervisionrelationship sr
             WHERE sr.supervisee_id = p.id AND sr.starts_on <= %(today)s
               AND (sr.ends_on IS NULL OR sr.ends_on >= %(today)s))
         ) AS no_supervisor
  FROM organisations_person p
  WHERE p.organisation_id = %(org)s AND (p.left_on IS NULL OR p.left_on >= %(today)s)
    {staff_people}
) staff,
(
  SELECT COUNT(*) AS open_disagreements
  FROM records_disagreement d JOIN records_record r ON r.id = d.record_id
  WHERE d.organisation_id = %(org)s AND d.status = 'open' {record_people}
) disagreements,
(
  SELECT COUNT(*) AS overdue_actions
  FROM records_action a
  WHERE a.organisation_id = %(org)s AND a.status = 'open' AND a.due_on < %(today)s
    {action_people}
) actions
"""

IN_UNIT = """
  AND {column} IN (
    SELECT p.id FROM organisations_person p
    JOIN organisations_team t ON t.id = p.team_id
    LEFT JOIN organisations_team t2 ON t2.id = t.parent_id
    WHERE p.organisation_id = %(org)s
      AND (t.id = %(unit)s OR t.parent_id = %(unit)s OR t2.parent_id = %(unit)s)
  )"""


def local_date(column: str) -> str:
    """The day in the organisation's time zone of a timestamp column."""
    zone = settings.TIME_ZONE
    if connection.vendor == "postgresql":
        return f"({column} AT TIME ZONE '{zone}')::date"
    return f"django_datetime_cast_date({column}, '{zone}', 'UTC')"


def headline_sql(*, unit: int | None = None, person: int | None = None) -> str:
    """The statement for the organisation, one unit (and everything under it) or one person."""

    def people(column: str) -> str:
        if person is not None:
            return f"AND {column} = %(person)s"
        if unit is not None:
            return IN_UNIT.format(column=column)
        return ""

    return HEADLINE_SQL.format(
        window_people=people("dw.person_id"),
        session_people=people("s.supervisee_id"),
        record_people=people("r.supervisee_id"),
        staff_people=people("p.id"),
        action_people=people("a.owner_id"),
        rebooked_on=local_date("r.created_at"),
        shared_on=local_date("r.shared_at"),
    )


def headline_params(
    org: Organisation, period: Period, today: datetime.date, **extra: int
) -> dict[str, Any]:
    ops = connection.ops
    return {
        "org": org.pk,
        "start": ops.adapt_datefield_value(period.starts_on),
        "end": ops.adapt_datefield_value(period.ends_on),
        "due_until": ops.adapt_datefield_value(period.due_until(today)),
        "today": ops.adapt_datefield_value(today),
        "start_at": ops.adapt_datetimefield_value(midnight(period.starts_on)),
        "end_at": ops.adapt_datetimefield_value(midnight(period.ends_on + DAY)),
        **extra,
    }


def run_sql(sql: str, params: dict[str, Any]) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    return {name: int(value or 0) for name, value in zip(names, row, strict=True)}


# Measuring


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def count_queries(fn: Callable[[], object]) -> tuple[int, float]:
    """The number of queries of one run, and the time they took in the database (ms)."""
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries), sum(float(q["time"]) for q in queries.captured_queries) * 1000


@dataclass
class Row:
    what: str
    how: str  # "page" or "selectors" (the page was not there yet)
    ms: float
    queries: int
    sql_ms: float  # of one run, the time its queries took
    baseline_ms: float


@dataclass
class Subjects:
    org: Organisation
    leader: Person
    team: Team
    person: Person


def prepare(staff: int, seed: int, years: int) -> Subjects:
    started = time.perf_counter()
    summary = scale_data_generate(staff=staff, seed=seed)
    org = summary.organisation
    history = history_generate(org, years=years, seed=seed, report=print)
    print(f"  data: {org.name} ready in {time.perf_counter() - started:.1f} s")
    print(f"  {history.line()}")
    people = Person.objects.for_organisation(org)
    leader = people.filter(team__kind=TeamKind.DIRECTORATE).order_by("pk").first()
    assert leader is not None
    role_grant(person=leader, role=Role.SENIOR_LEADER)
    team = Team.objects.for_organisation(org).filter(kind=TeamKind.TEAM).order_by("pk").first()
    assert team is not None
    person = people.filter(team=team).exclude(pk=team.manager_id).order_by("-pk").first()
    assert person is not None
    return Subjects(org, leader, team, person)


def page_or_selectors(
    client: Client, url: str, selectors: Callable[[], object]
) -> tuple[str, Callable[[], object]]:
    """The page when it answers 200; else what it would compute (saying so)."""
    status = client.get(url).status_code
    if status == 200:
        return "page", lambda: client.get(url)
    print(f"  {url} answered {status}: measuring the selectors it calls instead")
    return "selectors", selectors


def organisation_selectors(choice: Choice) -> Callable[[], object]:
    def run() -> object:
        return [
            tables.headline_table(s.figures(choice.scope, choice.period, choice.today)),
            tables.units_table(choice),
            tables.trend_table(choice),
            tables.missed_table(choice),
            tables.records_overdue_table(choice),
            tables.rebook_table(choice),
            tables.agreements_table(choice),
        ]

    return run


def team_selectors(choice: Choice) -> Callable[[], object]:
    def run() -> object:
        return [
            tables.headline_table(s.figures(choice.scope, choice.period, choice.today)),
            tables.people_table(choice),
            tables.trend_table(choice),
            tables.missed_table(choice),
            tables.records_overdue_table(choice),
            tables.rebook_table(choice),
            tables.agreements_table(choice),
        ]

    return run


def person_selectors(person: Person, choice: Choice) -> Callable[[], object]:
    def run() -> object:
        by_person = s.figures_by(
            choice.scope, choice.period, choice.today, by="person", people=[person.pk]
        )
        return [
            by_person,
            s.person_windows(person, choice.period, choice.today),
            list(s.person_sessions(person, choice.period)),
            list(s.person_records(person, choice.period)),
        ]

    return run


def check(what: str, computed: s.Figures, by_hand: dict[str, int]) -> None:
    ours = {name: getattr(computed, name) for name in FIGURES}
    theirs = {name: by_hand[name] for name in FIGURES}
    if ours != theirs:
        differ = {k: (ours[k], theirs[k]) for k in FIGURES if ours[k] != theirs[k]}
        raise SystemExit(f"{what}: figures() and the hand-written SQL differ: {differ}")


def measure(
    subjects: Subjects, today: datetime.date, period: Period, runs: int
) -> tuple[list[Row], dict[str, int]]:
    org, leader, team, person = subjects.org, subjects.leader, subjects.team, subjects.person
    client = Client()
    client.force_login(leader.user)
    access = s.oversight_of(leader)
    assert access is not None and access.whole_organisation
    params = {"period": "month", "date": period.starts_on.isoformat()}
    org_choice = read_choice(params, access=access, person=leader, today=today)
    team_choice = read_choice(params, access=access, person=leader, today=today, unit=team)
    person_choice = read_choice(params, access=access, person=leader, today=today)
    query = org_choice.query()

    # The baselines, checked against figures() first.
    org_sql, org_params = headline_sql(), headline_params(org, period, today)
    team_sql = headline_sql(unit=team.pk)
    team_params = headline_params(org, period, today, unit=team.pk)
    person_sql = headline_sql(person=person.pk)
    person_params = headline_params(org, period, today, person=person.pk)
    headline = s.figures(org_choice.scope, period, today)
    check("organisation", headline, run_sql(org_sql, org_params))
    check("team", s.figures(team_choice.scope, period, today), run_sql(team_sql, team_params))
    by_person = s.figures_by(person_choice.scope, period, today, by="person", people=[person.pk])
    check("person", by_person.get(person.pk, s.Figures()), run_sql(person_sql, person_params))
    print(
        f"  hand-written SQL = figures() for the organisation, the team and the person; "
        f"organisation: {headline.met}/{headline.required} sessions required met "
        f"({headline.met_percent}%), {headline.held} held, {headline.records} records"
    )

    cases: list[tuple[str, str, Callable[[], object], Callable[[], object]]] = []
    how, fn = page_or_selectors(
        client, f"/oversight/organisation/{query}", organisation_selectors(org_choice)
    )
    cases.append(("organisation dashboard", how, fn, lambda: run_sql(org_sql, org_params)))
    cases.append(
        (
            "organisation figures()",
            "selectors",
            lambda: s.figures(org_choice.scope, period, today),
            lambda: run_sql(org_sql, org_params),
        )
    )
    how, fn = page_or_selectors(
        client, f"/oversight/units/{team.pk}/{query}", team_selectors(team_choice)
    )
    cases.append(("team dashboard", how, fn, lambda: run_sql(team_sql, team_params)))
    how, fn = page_or_selectors(
        client, f"/oversight/people/{person.pk}/{query}", person_selectors(person, person_choice)
    )
    cases.append(("person page", how, fn, lambda: run_sql(person_sql, person_params)))

    rows = []
    for what, how, fn, baseline in cases:
        queries, sql_ms = count_queries(fn)
        ms = median_ms(fn, runs)
        baseline_ms = median_ms(baseline, runs)
        rows.append(Row(what, how, ms, queries, sql_ms, baseline_ms))
    sizes = {"team members": Person.objects.filter(team=team).count()}
    return rows, sizes


def explain(subjects: Subjects, today: datetime.date, period: Period) -> None:
    """The plans of figures()' six queries and of the baseline (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        print("--explain needs PostgreSQL")
        return
    scope = s.Scope(subjects.org)
    with CaptureQueriesContext(connection) as captured:
        s.figures(scope, period, today)
    statements: list[tuple[str, str, dict[str, Any] | None]] = [
        ("figures() query", q["sql"], None) for q in captured.captured_queries
    ]
    statements.append(
        ("hand-written SQL", headline_sql(), headline_params(subjects.org, period, today))
    )
    for n, (what, sql, params) in enumerate(statements, 1):
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n-- {n}. {what}\n{sql}\n{plan}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[1])
    parser.add_argument("--staff", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    small = max(20, args.staff // 10)
    today = timezone.localdate()
    period = Period.month(today.replace(day=1) - DAY)

    print(
        f"database: {connection.vendor}; sizes {small} and {args.staff} staff, {args.years} "
        f"years of history; {period.label} (today {today}); median of {args.runs} runs"
    )
    by_size: dict[int, list[Row]] = {}
    subjects: dict[int, Subjects] = {}
    for staff in (small, args.staff):
        print(f"{staff} staff")
        subjects[staff] = prepare(staff, args.seed, args.years)
        by_size[staff], sizes = measure(subjects[staff], today, period, args.runs)
        print(f"  team: {subjects[staff].team.name}, {sizes['team members']} members")

    header = (
        f"{'what':<24}{'measured':>10}{'staff':>7}{'median ms':>11}{'queries':>9}"
        f"{'in DB ms':>10}{'SQL ms':>9}{'ratio':>8}"
    )
    print()
    print(
        "median ms: the page (or its selectors) end to end; in DB ms: its queries' time in one "
        "run;\nSQL ms: the baseline, one hand-written statement giving the same headline "
        "figures for the same scope; ratio: median ms / SQL ms"
    )
    print(header)
    print("-" * len(header))
    for staff, rows in by_size.items():
        for row in rows:
            print(
                f"{row.what:<24}{row.how:>10}{staff:>7}{row.ms:>11.1f}{row.queries:>9}"
                f"{row.sql_ms:>10.1f}{row.baseline_ms:>9.1f}{row.ms / row.baseline_ms:>8.2f}"
            )
    print()
    print(f"growth from {small} to {args.staff} staff ({args.staff / small:.0f}x the data):")
    for small_row, large_row in zip(by_size[small], by_size[args.staff], strict=True):
        print(
            f"  {small_row.what:<24} time x{large_row.ms / small_row.ms:.2f} "
            f"(SQL x{large_row.baseline_ms / small_row.baseline_ms:.2f}), "
            f"queries {small_row.queries} -> {large_row.queries}"
        )
    if args.explain:
        explain(subjects[args.staff], today, period)


if __name__ == "__main__":
    from tandem.core.scoping import across_organisations

    with across_organisations("a benchmark: it builds, measures and checks every organisation"):
        main()
