"""The scale organisation's history (``generate_scale_data --years``) and the oversight benchmark,
at a tiny size on the test database: the shape of what is generated, the figures it gives, that
re-running changes nothing and ``--replace`` rebuilds, and that the benchmark runs."""

from __future__ import annotations

import datetime
import itertools
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.core.calendar import calendar_for
from tandem.demo.scale.history import history_generate
from tandem.demo.scale.organisation import scale_data_generate
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import Organisation, Person, SupervisionRelationship
from tandem.oversight.models import DueWindow
from tandem.oversight.periods import Period, horizon, midnight
from tandem.oversight.selectors import Scope, figures
from tandem.records.models import Record, RecordStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)
STAFF = 40
ROOT = Path(__file__).resolve().parents[3]


def generate(*args: str) -> str:
    out = StringIO()
    call_command("generate_scale_data", "--staff", str(STAFF), *args, stdout=out)
    return out.getvalue()


def scale_org() -> Organisation:
    return Organisation.objects.get(name__startswith=f"Scale test {STAFF} staff")


def snapshot(org: Organisation) -> dict[str, list[int]]:
    """The ids of everything the history wrote, to tell a rebuild from nothing at all."""
    return {
        "windows": list(DueWindow.objects.for_organisation(org).values_list("pk", flat=True)),
        "sessions": list(Session.objects.for_organisation(org).values_list("pk", flat=True)),
        "records": list(Record.objects.for_organisation(org).values_list("pk", flat=True)),
        "agreements": list(Agreement.objects.for_organisation(org).values_list("pk", flat=True)),
    }


def test_one_year_of_history_has_the_shape_of_real_supervision() -> None:
    org = scale_data_generate(staff=STAFF, seed=3).organisation
    summary = history_generate(org, years=1, seed=3, today=TODAY)
    first = TODAY.replace(day=1) - relativedelta(years=1)
    org.refresh_from_db()
    assert org.compliance_from == first

    # Windows: everyone's policy from the first day to the horizon, back to back, monthly.
    months = len(Period(first, horizon(TODAY)).months())
    people = list(Person.objects.for_organisation(org))
    assert summary.windows == len(people) * months
    for person in people[:5]:
        windows = list(DueWindow.objects.filter(person=person).order_by("starts_on"))
        assert windows[0].starts_on == first
        assert windows[-1].ends_on == horizon(TODAY)
        assert all(b.starts_on == a.ends_on + DAY for a, b in itertools.pairwise(windows))

    # Sessions: about one a month for everyone with a supervisor, by their supervisor, held
    # in the past; a few cancelled, most of those re-booked with a deadline.
    supervised = dict(
        SupervisionRelationship.objects.for_organisation(org).values_list(
            "supervisee_id", "supervisor_id"
        )
    )
    this_month = TODAY.replace(day=1)
    ended = DueWindow.objects.filter(person__in=supervised, ends_on__lt=this_month).count()
    sessions = Session.objects.for_organisation(org)
    held = sessions.filter(status=SessionStatus.HELD)
    held_before = held.filter(held_started_at__lt=midnight(this_month)).count()
    assert 0.75 * ended <= held_before <= 1.05 * ended
    assert summary.cancelled < 0.1 * summary.sessions
    for session in sessions:
        assert session.supervisor_id == supervised[session.supervisee_id]
        assert session.starts_at.date() < TODAY
    for cancelled in sessions.filter(status=SessionStatus.CANCELLED):
        assert cancelled.rebook_by is not None and cancelled.rebook_by > cancelled.starts_at.date()
        again = getattr(cancelled, "rebooked_as", None)
        if again is not None:
            assert again.supervisee_id == cancelled.supervisee_id
            assert again.held_started_at > cancelled.starts_at
    assert held.filter(held_minutes__lt=90).exists()  # some short ones

    # Records: one per held session, due 10 working days later; most signed, some late.
    calendar = calendar_for(org)
    records = list(Record.objects.for_organisation(org).select_related("session"))
    assert len(records) == held.count()
    for record in records:
        assert record.session.status == SessionStatus.HELD
        assert record.held_on == timezone.localdate(record.session.held_started_at)
        assert record.due_on == calendar.add_working_days(record.held_on, 10)
        assert (record.shared_at is None) == (record.status == RecordStatus.DRAFT)
        assert (record.signed_at is None) == (record.status != RecordStatus.SIGNED)
    signed = sum(r.status == RecordStatus.SIGNED for r in records)
    assert signed > 0.8 * len(records)

    # Agreements: one active agreement per supervisee.
    assert summary.agreements == len(supervised)
    assert Agreement.objects.for_organisation(org).filter(
        status=AgreementStatus.ACTIVE
    ).count() == len(supervised)

    # The figures over the last six months look like a real organisation.
    period = Period.custom(TODAY.replace(day=1) - relativedelta(months=6), TODAY - DAY)
    result = figures(Scope(org), period, TODAY)
    assert result.required > 0
    assert result.met_percent is not None and 70 <= result.met_percent <= 100
    assert result.on_time_percent is not None and 70 <= result.on_time_percent <= 100
    assert result.signed_percent is not None and 70 <= result.signed_percent <= 100
    assert result.agreements_percent is not None and 70 <= result.agreements_percent <= 100
    assert result.staff == len(people)


def test_the_same_seed_gives_the_same_history() -> None:
    org = scale_data_generate(staff=STAFF, seed=5).organisation
    first = history_generate(org, years=1, seed=5, today=TODAY)
    org = scale_data_generate(staff=STAFF, seed=5, replace=True).organisation
    again = history_generate(org, years=1, seed=5, today=TODAY)
    keys = ("windows", "sessions", "held", "cancelled", "records", "actions", "disagreements")
    assert [getattr(first, k) for k in keys] == [getattr(again, k) for k in keys]


def test_rerunning_changes_nothing_and_replace_rebuilds() -> None:
    out = generate("--years", "1")
    assert "history built" in out
    org = scale_org()
    before = snapshot(org)
    assert before["sessions"] and before["records"]

    out = generate("--years", "1")
    assert "history already there" in out
    assert snapshot(scale_org()) == before

    out = generate("--years", "1", "--replace")
    assert "history built" in out
    after = snapshot(scale_org())
    assert len(after["windows"]) == len(before["windows"])
    assert not set(after["sessions"]) & set(before["sessions"])  # new rows, the old ones gone
    assert Session.objects.filter(pk__in=before["sessions"]).count() == 0


def test_an_interrupted_history_is_cleared_and_built_again() -> None:
    generate("--years", "1")
    org = scale_org()
    before = snapshot(org)
    # compliance_from is written last: without it the history counts as unfinished.
    Organisation.objects.filter(pk=org.pk).update(compliance_from=None)
    out = generate("--years", "1")
    assert "history built" in out
    after = snapshot(scale_org())
    assert len(after["sessions"]) == len(before["sessions"])
    assert not set(after["records"]) & set(before["records"])


def test_people_only_without_years() -> None:
    out = generate("--years", "0")
    assert "history" not in out
    assert not Session.objects.for_organisation(scale_org()).exists()


@pytest.mark.parametrize("years", ["-1", "6"])
def test_bad_years_are_refused_in_one_line(years: str) -> None:
    with pytest.raises(CommandError, match="--years must be from 0 to 5"):
        generate("--years", years)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="copies the SQLite test database")
def test_the_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    # The benchmark runs in its own process: give it a copy of the migrated test database.
    path = tmp_path / "bench.sqlite3"
    target = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(target)
    target.close()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, "bench/oversight.py", "--staff", "40", "--years", "1", "--runs", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "hand-written SQL = figures()" in result.stdout
    for what in ("organisation dashboard", "team dashboard", "person page"):
        assert what in result.stdout
    assert "growth from 20 to 40 staff" in result.stdout
