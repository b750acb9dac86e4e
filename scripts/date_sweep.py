"""The date sweep: the date-dependent tests (marked ``dated``) run again with the clock at each of
a fixed set of hostile moments, London time, one pytest process per moment, as many at once as
there are cores. Prints each moment's result and how long the sweep took; exits 1 if any failed.

    .venv/bin/python scripts/date_sweep.py                  # every moment (CI runs this)
    .venv/bin/python scripts/date_sweep.py 2027-12-25       # one moment (or: make sweep AS_OF=...)
    .venv/bin/python scripts/date_sweep.py --all-tests      # every non-browser test, not only dated

Browser tests stay out: the browser keeps the real clock, so its cookies and the server's would
disagree. Extra pytest arguments go after ``--``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each moment and why it is hostile. A day alone is 09:00 that day.
MOMENTS: list[tuple[str, str]] = [
    ("2026-12-12", "a Saturday"),
    ("2026-12-13", "a Sunday"),
    ("2027-08-30", "an English bank-holiday Monday (not one in Scotland)"),
    ("2027-12-24", "Christmas Eve, a Friday"),
    ("2027-12-25", "Christmas Day on a Saturday (its bank holiday moves to the 27th)"),
    ("2027-12-27", "a substitute bank holiday, Monday 27 December"),
    ("2027-12-31", "the last day of the year"),
    ("2028-01-01", "New Year's Day on a Saturday"),
    ("2028-01-02", "2 January, a Sunday (a Scottish bank holiday moves)"),
    ("2028-02-28", "the day before a leap day"),
    ("2028-02-29", "a leap day"),
    ("2027-03-01", "the first day of a month, a Monday"),
    ("2027-04-30", "the last day of a month, a Friday"),
    ("2027-03-28T00:30", "British Summer Time starts today, before the clocks go forward"),
    ("2027-03-28T23:30", "British Summer Time started today, late at night"),
    ("2027-10-31T00:30", "British Summer Time ends today, before the clocks go back"),
    ("2027-10-31T23:30", "British Summer Time ended today, late at night"),
    ("2027-11-30", "the last day of Social Work England's CPD year"),
    ("2027-12-01", "the first day of Social Work England's CPD year"),
    ("2027-09-02", "the first day of a school term (an INSET day)"),
    ("2027-07-22", "the first day of a school holiday (the summer)"),
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


def run_one(moment: str, command: list[str]) -> tuple[str, int, float, str]:
    """One moment's run: its return code, how long it took and what to print of it."""
    started = time.monotonic()
    done = subprocess.run(
        [*command, f"--as-of={moment}"], cwd=ROOT, capture_output=True, text=True, check=False
    )
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
    moments = args.moments or [moment for moment, _ in MOMENTS]
    why = dict(MOMENTS)
    marker = "not browser" if args.all_tests else "dated and not browser"

    started = time.monotonic()
    files = files_to_run(marker, extra)
    command = pytest_command(marker, [*extra, *files])
    print(f"Date sweep: {len(files)} test files at {len(moments)} moments, {args.jobs} at a time.")
    failed = []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for moment, code, took, report in pool.map(lambda m: run_one(m, command), moments):
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
