"""The date sweep: the date-dependent tests (marked ``dated``) run again with the clock at each of
a fixed set of hostile moments, London time, one pytest process per moment, as many at once as
there are cores, each from a copy of one migrated database. At the moments that vary one already
run in full, only the calendar's own tests run (MOMENTS says which). Prints each moment's result
and how long the sweep took; exits 1 if any failed.

    .venv/bin/python scripts/date_sweep.py                  # every moment (CI runs this)
    .venv/bin/python scripts/date_sweep.py 2027-12-25       # one moment (or: make sweep AS_OF=...)
    .venv/bin/python scripts/date_sweep.py --all-tests      # every non-browser test, not only dated

Browser tests stay out: the browser keeps the real clock, so its cookies and the server's would
disagree. Extra pytest arguments go after ``--``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each moment, why it is hostile, and what runs at it: every dated test ("all"), or the tests of
# the calendar's own arithmetic ("calendar", CALENDAR_FILES) where the moment is a variation on
# one already run in full (a second Saturday-like day, the other side of a clock change). A day
# alone is 09:00 that day.
MOMENTS: list[tuple[str, str, str]] = [
    ("2026-12-12", "a Saturday", "all"),
    ("2026-12-13", "a Sunday", "all"),
    ("2027-08-30", "an English bank-holiday Monday (not one in Scotland)", "all"),
    ("2027-12-24", "Christmas Eve, a Friday", "calendar"),
    ("2027-12-25", "Christmas Day on a Saturday (its bank holiday moves to the 27th)", "all"),
    ("2027-12-27", "a substitute bank holiday, Monday 27 December", "all"),
    ("2027-12-31", "the last day of the year", "all"),
    ("2028-01-01", "New Year's Day on a Saturday", "calendar"),
    ("2028-01-02", "2 January, a Sunday (a Scottish bank holiday moves)", "calendar"),
    ("2028-02-28", "the day before a leap day", "calendar"),
    ("2028-02-29", "a leap day", "all"),
    ("2027-03-01", "the first day of a month, a Monday", "calendar"),
    ("2027-04-30", "the last day of a month, a Friday", "calendar"),
    (
        "2027-03-28T00:30",
        "British Summer Time starts today, before the clocks go forward",
        "calendar",
    ),
    ("2027-03-28T23:30", "British Summer Time started today, late at night", "all"),
    ("2027-10-31T00:30", "British Summer Time ends today, before the clocks go back", "all"),
    ("2027-10-31T23:30", "British Summer Time ended today, late at night", "calendar"),
    ("2027-11-30", "the last day of Social Work England's CPD year", "all"),
    ("2027-12-01", "the first day of Social Work England's CPD year", "all"),
    ("2027-09-02", "the first day of a school term (an INSET day)", "all"),
    ("2027-07-22", "the first day of a school holiday (the summer)", "calendar"),
]
# The calendar's own arithmetic: working days, windows, schedules, deadlines, reminders, periods.
CALENDAR_FILES = [
    "tandem/core/tests/test_calendar.py",
    "tandem/core/tests/test_clock.py",
    "tandem/meetings/tests/test_calendars.py",
    "tandem/meetings/tests/test_policy_change.py",
    "tandem/meetings/tests/test_reminders.py",
    "tandem/meetings/tests/test_requirements.py",
    "tandem/meetings/tests/test_schedule.py",
    "tandem/meetings/tests/test_sessions.py",
    "tandem/oversight/tests/test_compliance.py",
    "tandem/oversight/tests/test_daily.py",
    "tandem/oversight/tests/test_periods.py",
    "tandem/oversight/tests/test_windows.py",
    "tandem/records/tests/test_deadline.py",
]


def pytest_command(marker: str, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-m", marker, *extra]


def files_to_run(marker: str, extra: list[str]) -> list[str]:
    """The test files holding a test the marker selects, collected once, so that each moment's
    run imports and collects only those."""
    done = subprocess.run(
        [*pytest_command(marker, extra), "--collect-only"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit("The date sweep could not collect its tests:\n" + done.stdout + done.stderr)
    files = {line.split("::")[0] for line in done.stdout.splitlines() if "::" in line}
    return sorted(files)


def template_database(folder: Path) -> Path:
    """One migrated SQLite file, which each moment's run copies instead of migrating a
    database of its own (about 13 s a run)."""
    path = folder / "template.sqlite3"
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{path}"},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit("The date sweep could not migrate its database:\n" + done.stdout + done.stderr)
    return path


def run_one(
    moment: str, command: list[str], template: Path, folder: Path
) -> tuple[str, int, float, str]:
    """One moment's run: its return code, how long it took and what to print of it."""
    started = time.monotonic()
    database = folder / f"{moment.replace(':', '')}.sqlite3"
    shutil.copyfile(template, database)
    done = subprocess.run(
        [*command, "--reuse-db", f"--as-of={moment}"],
        cwd=ROOT,
        env={**os.environ, "TANDEM_TEST_DATABASE": str(database)},
        capture_output=True,
        text=True,
        check=False,
    )
    database.unlink(missing_ok=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    report = lines[-1] if lines else "no output"
    if done.returncode:
        failures = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
        report = "\n".join([report, *failures]) if failures else done.stdout + done.stderr
    return moment, done.returncode, time.monotonic() - started, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("moments", nargs="*", help="moments to run at (default: the whole set)")
    parser.add_argument("--all-tests", action="store_true", help="every non-browser test")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args, extra = parser.parse_known_args()
    extra = [x for x in extra if x != "--"]
    moments = args.moments or [moment for moment, _, _ in MOMENTS]
    why = {moment: reason for moment, reason, _ in MOMENTS}
    # A moment named on the command line runs every dated test.
    scope = {moment: what for moment, _, what in MOMENTS} if not args.moments else {}
    marker = "not browser" if args.all_tests else "dated and not browser"

    started = time.monotonic()
    files = files_to_run(marker, extra)
    calendar = [f for f in files if f in CALENDAR_FILES]
    commands = {
        "all": pytest_command(marker, [*extra, *files]),
        "calendar": pytest_command(marker, [*extra, *calendar]),
    }
    print(
        f"Date sweep: {len(files)} test files at {len(moments)} moments "
        f"({len(calendar)} calendar files only at "
        f"{sum(1 for m in moments if scope.get(m) == 'calendar')}), {args.jobs} at a time."
    )
    failed = []
    with tempfile.TemporaryDirectory(prefix="tandem-sweep-") as name:
        folder = Path(name)
        template = template_database(folder)

        def run(moment: str) -> tuple[str, int, float, str]:
            command = commands["calendar" if scope.get(moment) == "calendar" else "all"]
            return run_one(moment, command, template, folder)

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for moment, code, took, report in pool.map(run, moments):
                status = "ok  " if code == 0 else "FAIL"
                reason = f" ({why[moment]})" if moment in why else ""
                print(f"{status} {moment:<17} {took:5.1f} s  {report}{reason}", flush=True)
                if code:
                    failed.append(moment)
    took = time.monotonic() - started
    print(
        f"Date sweep: {len(moments) - len(failed)} of {len(moments)} moments passed "
        f"in {took:.0f} s."
    )
    if failed:
        print("Failed at: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
