"""Load the demo organisations (``make demo``) and print who to sign in as."""

import contextlib
import importlib
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from tandem.core.clock import parse_as_of
from tandem.organisations.demo import DEMO_PASSWORD, DEMO_URL, load_demo


def _count(number: int, singular: str, plural: str = "") -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


class Command(BaseCommand):
    help = (
        "Create the demo organisations (Northbridge Council Children's Services and Hollyfield "
        "Primary School) and print the demo logins. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--as-of",
            metavar="MOMENT",
            help="Load the demo as it would be on this day (London time; YYYY-MM-DD, 09:00, or "
            "YYYY-MM-DDTHH:MM): every date and timestamp in it is relative to that moment, as if "
            "the clock said so. For trying the demo on a hostile date; the date sweep does the "
            "same in the tests.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        clock: contextlib.AbstractContextManager[Any] = contextlib.nullcontext()
        if options.get("as_of"):
            try:
                moment = parse_as_of(options["as_of"])
            except ValueError as error:
                raise CommandError(f"--as-of: {error}") from error
            import time_machine  # only here: the product itself never moves the clock

            clock = time_machine.travel(moment, tick=True)
            self.stdout.write(f"Loading the demo as of {moment:%A %-d %B %Y, %H:%M} (London).")
        with clock:
            self._load(options)

    def _load(self, options: dict[str, Any]) -> None:
        try:
            logins = load_demo()
            agreements = self._load_agreements()
            sessions = self._load_sessions()
            records = self._load_records()
            oversight = self._load_oversight()
        except ValidationError as error:
            raise CommandError("Could not load the demo: " + " ".join(error.messages)) from error
        except (DatabaseError, ValueError) as error:
            message = " ".join(str(error).split())
            raise CommandError(f"Could not load the demo: {message}") from error

        header = ("Organisation", "Role", "Name", "Email")
        rows = [header, *((x.organisation, x.role, x.name, x.email) for x in logins)]
        widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
        lines = [
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        if agreements is not None:
            self.stdout.write(f"Demo supervision agreements made: {agreements}.")
        if sessions is not None:
            self.stdout.write(
                f"Demo supervision sessions made: {sessions['sessions']} ({sessions['held']} "
                f"held, {sessions['cancelled']} cancelled, {sessions['scheduled']} scheduled; "
                f"{sessions['rebooked']} re-booked), with {sessions['agenda_items']} agenda "
                f"items. Term dates added: {sessions['term_dates']}; closure days added: "
                f"{sessions['closure_days']}."
            )
        if records is not None:
            self.stdout.write(
                f"Demo supervision records made: {records['records']} ({records['signed']} "
                f"signed by both, {records['shared']} shared and awaiting signatures, "
                f"{records['drafts']} drafts, {records['overdue']} of them overdue), with "
                f"{_count(records['disagreements'], 'disagreement')} "
                f"({records['resolved']} resolved), {_count(records['addenda'], 'addendum', 'addenda')}"
                f" and {_count(records['welfare_opened'], 'break-glass opening')} of a welfare "
                "section."
            )
        if oversight is not None:
            self.stdout.write(
                f"Demo oversight: figures count from the start of the demo's history "
                f"({_count(oversight['windows'], 'window')} of sessions required up to date), "
                f"with {_count(oversight['feedback'], 'feedback response')} made, "
                f"{_count(oversight['packs'], 'evidence pack')} and "
                f"{_count(oversight['accesses'], 'inspector access', 'inspector accesses')}."
            )
        self.stdout.write("Demo organisations loaded. Sign in as any of these:\n")
        for line in lines:
            self.stdout.write(line.rstrip())
        self.stdout.write(f"\nPassword for every demo login: {DEMO_PASSWORD}")
        self.stdout.write(f"Open {DEMO_URL}")

    @staticmethod
    def _load_agreements() -> int | None:
        """The demo's supervision agreements, when that app is installed: None when it is not.
        Imported here, not at the top, because organisations never imports the apps above it."""
        if not apps.is_installed("tandem.agreements"):
            return None
        demo = importlib.import_module("tandem.agreements.demo")
        made: int = demo.load_demo_agreements()
        return made

    @staticmethod
    def _load_sessions() -> dict[str, int] | None:
        """The demo's supervision sessions and Hollyfield's term dates, after the agreements,
        when the meetings app is installed: None when it is not."""
        if not apps.is_installed("tandem.meetings"):
            return None
        demo = importlib.import_module("tandem.meetings.demo")
        counts: dict[str, int] = demo.load_demo_sessions()
        return counts

    @staticmethod
    def _load_records() -> dict[str, int] | None:
        """The demo's supervision records, after the sessions, when the records app is
        installed: None when it is not."""
        if not apps.is_installed("tandem.records"):
            return None
        demo = importlib.import_module("tandem.records.demo")
        counts: dict[str, int] = demo.load_demo_records()
        return counts

    @staticmethod
    def _load_oversight() -> dict[str, int] | None:
        """The figures counted from the start of the demo's history, feedback on sessions and
        an evidence pack, after the records, when the oversight app is installed: None when it
        is not."""
        if not apps.is_installed("tandem.oversight"):
            return None
        demo = importlib.import_module("tandem.oversight.demo")
        counts: dict[str, int] = demo.load_demo_oversight()
        return counts
