"""Benchmark: importing a staff list, first time and again unchanged, at two sizes.

    python bench/staff_import.py [--staff 20000]

Makes a deterministic staff list (a directorate, services, teams of about 20, each with a
manager who is everyone's line manager), imports it into a new organisation with the real
import (every row checked, then applied in one transaction, audited), imports it again (nothing
changes), and compares both with the baseline: a plain ``bulk_create`` of the same users and
people. Prints medians of single runs per size, the ratios, and growth. Exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from tandem.core.models import User  # noqa: E402
from tandem.demo.scale.organisation import FIRST, LAST  # noqa: E402
from tandem.organisations.imports import staff_import  # noqa: E402
from tandem.organisations.models import Organisation, Person  # noqa: E402

TEAM_SIZE = 20


def staff_rows(staff: int, tag: str) -> list[dict[str, str]]:
    rows = []
    for i in range(staff):
        team = i // TEAM_SIZE
        service = team // 10
        manager = f"{tag}{team * TEAM_SIZE:06d}"
        number = f"{tag}{i:06d}"
        rows.append(
            {
                "staff_number": number,
                "first_name": FIRST[i % len(FIRST)],
                "last_name": LAST[(i // len(FIRST)) % len(LAST)],
                "email": f"{number.lower()}@bench.example",
                "job_title": "Team manager" if number == manager else "Social worker",
                "staff_category": "team_manager"
                if number == manager
                else "registered_social_worker",
                "directorate": "Bench Directorate",
                "service": f"Service {service}",
                "team": f"Team {team}",
                "manages": "yes" if number == manager else "",
                "line_manager": "" if number == manager else manager,
                "employment_start": "2020-01-06",
            }
        )
    return rows


def fresh_organisation(name: str) -> Organisation:
    old = Organisation.objects.filter(name=name).first()
    if old is not None:
        # Delete what the import made, children first (the models protect their parents).
        with connection.cursor() as cursor:
            for table, column in [
                ("core_auditevent", "organisation_id"),
                ("organisations_supervisionrelationship", "organisation_id"),
                ("organisations_historicalsupervisionrelationship", "organisation_id"),
            ]:
                cursor.execute(f"DELETE FROM {table} WHERE {column} = %s", [old.pk])
        people = Person.objects.filter(organisation=old)
        users = list(people.values_list("user_id", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE organisations_team SET manager_id = NULL, parent_id = NULL "
                "WHERE organisation_id = %s",
                [old.pk],
            )
        people.delete()
        User.objects.filter(pk__in=users).delete()
        from tandem.organisations.models import Team

        Team.objects.filter(organisation=old).delete()
        old.delete()
    return Organisation.objects.create(name=name, sector="children_social_care")


def baseline(rows: list[dict[str, str]], tag: str) -> float:
    """The same users and people written with bulk_create, then rolled back."""
    organisation = fresh_organisation(f"Bench baseline {tag}")
    started = time.perf_counter()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(email=row["email"], password="!") for row in rows], batch_size=2000
        )
        Person.objects.bulk_create(
            [
                Person(
                    organisation=organisation,
                    user=user,
                    staff_number=row["staff_number"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    job_title=row["job_title"],
                    staff_category=row["staff_category"],
                )
                for user, row in zip(users, rows, strict=True)
            ],
            batch_size=2000,
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    organisation.delete()
    return elapsed


def measure(staff: int) -> tuple[float, float, float]:
    tag = f"B{staff}"
    rows = staff_rows(staff, tag)
    organisation = fresh_organisation(f"Bench import {staff}")  # frees the emails of a last run
    base = baseline(rows, tag)
    started = time.perf_counter()
    result = staff_import(organisation=organisation, rows=rows)
    first = time.perf_counter() - started
    assert result.ok and result.created == staff, result.errors[:3]
    started = time.perf_counter()
    again = staff_import(organisation=organisation, rows=rows)
    second = time.perf_counter() - started
    assert again.ok and again.unchanged == staff and again.supervisors_changed == 0
    return first, second, base


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--staff", type=int, default=20000)
    args = parser.parse_args()
    small = max(200, args.staff // 10)
    print(f"database: {connection.vendor}; sizes {small} and {args.staff} staff")
    results = {staff: measure(staff) for staff in (small, args.staff)}
    header = (
        f"{'staff':>7}{'import s':>10}{'again s':>9}{'bulk s':>8}{'import/bulk':>13}{'rows/s':>9}"
    )
    print(header)
    print("-" * len(header))
    for staff, (first, second, base) in results.items():
        print(
            f"{staff:>7}{first:>10.2f}{second:>9.2f}{base:>8.2f}"
            f"{first / base:>13.1f}{staff / first:>9.0f}"
        )
    (f_small, s_small, _), (f_large, s_large, _) = results[small], results[args.staff]
    print(
        f"growth for {args.staff / small:.0f}x the rows: import x{f_large / f_small:.1f}, "
        f"re-import x{s_large / s_small:.1f}"
    )


if __name__ == "__main__":
    from tandem.core.scoping import across_organisations

    with across_organisations("a benchmark: it builds, measures and checks every organisation"):
        main()
