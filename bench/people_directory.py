"""Benchmark: the people directory and a person's page at two organisation sizes.

    python bench/people_directory.py [--staff 20000] [--runs 15]

Builds (once) two deterministic organisations with ``generate_scale_data`` on the configured
database (set DATABASE_URL for PostgreSQL, where the figures matter), then measures, in-process
with Django's test client, the server-side time of each page against the hand-written SQL that
reads the same rows, and the growth of each from the small to the large organisation. Prints
medians, ratios and query counts. Not a test: it always exits 0 unless it cannot run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tandem.api.services import api_token_create  # noqa: E402
from tandem.demo.scale.organisation import scale_data_generate  # noqa: E402
from tandem.organisations.models import Person, Role  # noqa: E402
from tandem.organisations.services import role_grant  # noqa: E402

PAGE_SIZE = 25


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def raw_people_page(org_id: int, offset: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM organisations_person WHERE organisation_id = %s", [org_id]
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT p.id, p.first_name, p.last_name, p.staff_number, p.job_title, t.name "
            "FROM organisations_person p LEFT JOIN organisations_team t ON t.id = p.team_id "
            "WHERE p.organisation_id = %s ORDER BY p.last_name, p.first_name, p.id "
            "LIMIT %s OFFSET %s",
            [org_id, PAGE_SIZE, offset],
        )
        cursor.fetchall()


def raw_person(person_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.*, u.email FROM organisations_person p JOIN core_user u ON u.id = p.user_id "
            "WHERE p.id = %s",
            [person_id],
        )
        cursor.fetchone()
        cursor.execute(
            "SELECT r.*, s.first_name, s.last_name FROM organisations_supervisionrelationship r "
            "JOIN organisations_person s ON s.id = r.supervisor_id "
            "WHERE r.supervisee_id = %s OR r.supervisor_id = %s ORDER BY r.starts_on DESC",
            [person_id, person_id],
        )
        cursor.fetchall()


def measure(staff: int, seed: int, runs: int) -> dict[str, tuple[float, float, int]]:
    started = time.perf_counter()
    summary = scale_data_generate(staff=staff, seed=seed)
    print(f"  data: {summary.organisation.name} ready in {time.perf_counter() - started:.1f} s")
    org = summary.organisation
    people = Person.objects.for_organisation(org)
    admin = people.order_by("id").first()
    assert admin is not None
    role_grant(person=admin, role=Role.ADMIN)
    member = people.order_by("-id").first()
    assert member is not None
    client = Client()
    client.force_login(admin.user)
    middle_page = max(1, (staff // PAGE_SIZE) // 2)

    _token, raw_token = api_token_create(person=admin, name="benchmark", lifetime_days=1)
    api_client = Client(headers={"Authorization": f"Bearer {raw_token}"})

    cases: dict[str, tuple[Client, str, Callable[[], None]]] = {
        "people list, first page": (client, "/people/", lambda: raw_people_page(org.pk, 0)),
        "people list, middle page": (
            client,
            f"/people/?page={middle_page}",
            lambda: raw_people_page(org.pk, (middle_page - 1) * PAGE_SIZE),
        ),
        "person page": (client, f"/people/{member.pk}/", lambda: raw_person(member.pk)),
        "API people, middle page": (
            api_client,
            f"/api/people?page={middle_page}",
            lambda: raw_people_page(org.pk, (middle_page - 1) * PAGE_SIZE),
        ),
    }
    results = {}
    for name, (client, url, baseline) in cases.items():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Count now: every request clears the connection's query log when it starts.
        query_count = len(queries)
        page_ms = median_ms(lambda client=client, url=url: client.get(url), runs)
        sql_ms = median_ms(baseline, runs)
        results[name] = (page_ms, sql_ms, query_count)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--staff", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    small = max(200, args.staff // 10)

    print(f"database: {connection.vendor}; sizes {small} and {args.staff} staff; {args.runs} runs")
    by_size = {}
    for staff in (small, args.staff):
        print(f"{staff} staff")
        by_size[staff] = measure(staff, args.seed, args.runs)

    header = f"{'what':<28}{'staff':>7}{'page ms':>10}{'SQL ms':>9}{'page/SQL':>10}{'queries':>9}"
    print()
    print(header)
    print("-" * len(header))
    for staff, results in by_size.items():
        for name, (page_ms, sql_ms, queries) in results.items():
            print(
                f"{name:<28}{staff:>7}{page_ms:>10.2f}{sql_ms:>9.2f}"
                f"{page_ms / sql_ms:>10.1f}{queries:>9}"
            )
    print()
    print(f"growth from {small} to {args.staff} staff ({args.staff / small:.0f}x the data):")
    for name in by_size[small]:
        page_small, _, q_small = by_size[small][name]
        page_large, _, q_large = by_size[args.staff][name]
        print(f"  {name:<28} time x{page_large / page_small:.2f}, queries {q_small} -> {q_large}")


if __name__ == "__main__":
    from tandem.core.scoping import across_organisations

    with across_organisations("a benchmark: it builds, measures and checks every organisation"):
        main()
