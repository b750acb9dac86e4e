"""Benchmark: generating and storing everyone's 12-month schedule, at two sizes.

    python bench/schedule.py [--staff 20000] [--runs 3]

Builds (or reuses) the deterministic scale organisation (``generate_scale_data``: everyone has a
current line-management supervisor), gives each supervisee an active agreement, then times the
real code path, ``schedule_create_all`` (frequency rules, windows from ``sessions_needed``,
``propose`` on the working-day calendar, the supervisors' busy days, bulk inserts in batches,
one audit event), against the baseline: a plain ``bulk_create`` of the same number of Session
rows, built before the clock starts. Prints medians, rows/s, the ratio, query counts and growth.
Removes every row it made (sessions, agreements, its template, audit events), so it can run
again; the scale organisation itself stays for the other benchmarks. Exits 0.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from dateutil.relativedelta import relativedelta  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from tandem.agreements.models import (  # noqa: E402
    Agreement,
    AgreementStatus,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
    FrequencyRule,
)
from tandem.core.models import AuditEvent  # noqa: E402
from tandem.demo.scale.organisation import scale_data_generate  # noqa: E402
from tandem.meetings.models import Session  # noqa: E402
from tandem.meetings.services.schedule import BATCH_SIZE, schedule_create_all  # noqa: E402
from tandem.organisations.models import Organisation, SupervisionRelationship  # noqa: E402

TEMPLATE_NAME = "Benchmark: schedule"
WEEKDAY, AT = 1, datetime.time(10, 0)  # Tuesdays at 10:00


class QueryCounter:
    """Counts queries without keeping their SQL (a bulk insert's SQL is large)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting() -> Iterator[QueryCounter]:
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


def raw_delete(queryset: Any) -> None:
    queryset._raw_delete(using=queryset.db)


def delete_sessions(org: Organisation) -> None:
    """Between runs: remove the sessions and, on PostgreSQL, vacuum their table, so every run
    inserts into the same clean table rather than one bloated by the last run's dead rows."""
    raw_delete(Session.objects.for_organisation(org))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Session._meta.db_table}")


def clean_up(org: Organisation, rules_existed: bool) -> None:
    """Remove what this benchmark made in the organisation, children first."""
    raw_delete(Session.objects.for_organisation(org))
    raw_delete(AuditEvent.objects.filter(organisation=org, action__startswith="schedule."))
    templates = AgreementTemplate.objects.filter(organisation=org, name=TEMPLATE_NAME)
    agreements = Agreement.objects.filter(template_version__template__in=templates)
    raw_delete(AgreementVersion.objects.filter(agreement__in=agreements))
    raw_delete(Agreement.objects.filter(pk__in=list(agreements.values_list("pk", flat=True))))
    raw_delete(AgreementTemplateVersion.objects.filter(template__in=templates))
    raw_delete(templates)
    if not rules_existed:
        raw_delete(FrequencyRule.objects.for_organisation(org))


@transaction.atomic
def give_agreements(org: Organisation) -> int:
    """An active agreement for every current supervision relationship: monthly, 90 minutes.

    Written directly with bulk_create, not through agreement_start/save/sign: this only sets up
    data for the schedule to read (those services work one agreement at a time, with signatures,
    notices and audit events, and would take longer than what is measured)."""
    builtin = AgreementTemplateVersion.objects.filter(
        template__slug="council-supervision-contract", template__organisation__isnull=True
    ).latest("number")
    template = AgreementTemplate.objects.create(organisation=org, name=TEMPLATE_NAME)
    version = AgreementTemplateVersion.objects.create(
        template=template, number=1, content=builtin.content
    )
    today = timezone.localdate()
    relationships = list(
        SupervisionRelationship.objects.for_organisation(org)
        .current()
        .values_list("pk", "supervisee_id", "supervisor_id")
    )
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                organisation=org,
                supervisee_id=supervisee_id,
                supervisor_id=supervisor_id,
                relationship_id=pk,
                template_version=version,
                status=AgreementStatus.ACTIVE,
                signed_on=today,
                review_due_on=today + relativedelta(months=12),
            )
            for pk, supervisee_id, supervisor_id in relationships
        ],
        batch_size=2000,
    )
    responses = {
        "frequency": "monthly",
        "duration": {"min": 90, "max": 120},
        "location": "Team room",
    }
    AgreementVersion.objects.bulk_create(
        [
            AgreementVersion(
                organisation_id=agreement.organisation_id,
                agreement=agreement,
                number=1,
                supervisor_id=agreement.supervisor_id,
                responses=responses,
                content_hash="0" * 64,
                frequency="monthly",
                duration_min_minutes=90,
                duration_max_minutes=120,
                location="Team room",
            )
            for agreement in agreements
        ],
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE agreements_agreement, agreements_agreementversion")
    return len(agreements)


def run_schedule(org: Organisation, start: datetime.date) -> tuple[float, int, int]:
    with counting() as queries:
        started = time.perf_counter()
        result = schedule_create_all(organisation=org, start=start, weekday=WEEKDAY, at=AT)
        elapsed = time.perf_counter() - started
    return elapsed, result.created, queries.count


def run_baseline(rows: list[tuple[Any, ...]], org: Organisation) -> tuple[float, int]:
    now = timezone.now()
    prepared = [
        Session(
            organisation_id=org.pk,
            supervisor_id=supervisor_id,
            supervisee_id=supervisee_id,
            agreement_id=agreement_id,
            starts_at=starts_at,
            duration_minutes=minutes,
            location=location,
            from_schedule=True,
            created_at=now,
        )
        for supervisor_id, supervisee_id, agreement_id, starts_at, minutes, location in rows
    ]
    with counting() as queries:
        started = time.perf_counter()
        with transaction.atomic():
            Session.objects.bulk_create(prepared, batch_size=1000)
        elapsed = time.perf_counter() - started
    return elapsed, queries.count


def measure(staff: int, seed: int, runs: int) -> dict[str, float]:
    started = time.perf_counter()
    summary = scale_data_generate(staff=staff, seed=seed)
    org = summary.organisation
    print(f"  data: {org.name} ready in {time.perf_counter() - started:.1f} s")
    rules_existed = FrequencyRule.objects.for_organisation(org).exists()
    clean_up(org, rules_existed=True)  # what an interrupted run left behind
    try:
        agreements = give_agreements(org)
        delete_sessions(org)  # vacuums the table other runs left
        start = timezone.localdate() + datetime.timedelta(days=1)
        schedule_times, baseline_times = [], []
        rows: list[tuple[Any, ...]] = []
        created = schedule_queries = baseline_queries = 0
        for run in range(runs):
            elapsed, created, schedule_queries = run_schedule(org, start)
            schedule_times.append(elapsed)
            sessions = Session.objects.for_organisation(org)
            if run == 0:
                rows = list(
                    sessions.order_by("pk").values_list(
                        "supervisor_id",
                        "supervisee_id",
                        "agreement_id",
                        "starts_at",
                        "duration_minutes",
                        "location",
                    )
                )
            delete_sessions(org)
            elapsed, baseline_queries = run_baseline(rows, org)
            baseline_times.append(elapsed)
            delete_sessions(org)
        print(f"  {agreements} agreements, {created} sessions, {runs} runs")
        return {
            "agreements": agreements,
            "rows": created,
            "schedule": statistics.median(schedule_times),
            "baseline": statistics.median(baseline_times),
            "schedule_queries": schedule_queries,
            "baseline_queries": baseline_queries,
        }
    finally:
        clean_up(org, rules_existed=rules_existed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--staff", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    # Not seed 1: generate_scale_data's history (bench/oversight.py) gives seed 1's supervisees
    # agreements already, which this benchmark would schedule as well as its own.
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()
    small = max(200, args.staff // 10)

    print(
        f"database: {connection.vendor}; sizes {small} and {args.staff} staff; "
        f"median of {args.runs} runs; batches of {BATCH_SIZE} agreements"
    )
    by_size = {}
    for staff in (small, args.staff):
        print(f"{staff} staff")
        by_size[staff] = measure(staff, args.seed, args.runs)

    header = (
        f"{'staff':>7}{'rows':>9}{'schedule s':>12}{'rows/s':>9}{'queries':>9}"
        f"{'bulk s':>9}{'rows/s':>9}{'queries':>9}{'schedule/bulk':>15}"
    )
    print()
    print(header)
    print("-" * len(header))
    for staff, r in by_size.items():
        print(
            f"{staff:>7}{r['rows']:>9.0f}{r['schedule']:>12.2f}{r['rows'] / r['schedule']:>9.0f}"
            f"{r['schedule_queries']:>9.0f}{r['baseline']:>9.2f}{r['rows'] / r['baseline']:>9.0f}"
            f"{r['baseline_queries']:>9.0f}{r['schedule'] / r['baseline']:>15.1f}"
        )
    s, large = by_size[small], by_size[args.staff]
    print()
    print(
        f"growth from {small} to {args.staff} staff ({large['rows'] / s['rows']:.1f}x the rows): "
        f"schedule x{large['schedule'] / s['schedule']:.1f}, "
        f"bulk insert x{large['baseline'] / s['baseline']:.1f}, "
        f"queries {s['schedule_queries']:.0f} -> {large['schedule_queries']:.0f}"
    )


if __name__ == "__main__":
    from tandem.core.scoping import across_organisations

    with across_organisations("a benchmark: it builds, measures and checks every organisation"):
        main()
