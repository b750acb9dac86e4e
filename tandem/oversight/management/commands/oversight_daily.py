"""Oversight's nightly round, for cron: every organisation's windows (the sessions each person
needs) moved on to the horizon, and rewritten from the policy in force where it changed.

Safe to run more than once a day: windows that have ended are never rewritten, and the current
and future ones come out the same from the same policy. Prints one line per organisation; on
failure, one plain line on standard error and a non-zero exit status.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from tandem.core.commands import TandemCommand
from tandem.oversight.services import windows


class Command(TandemCommand):
    help = (
        "Write each person's sessions required from the frequency policy, a few months ahead "
        "(run nightly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            help="Run as if today were this date (YYYY-MM-DD); defaults to today.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date | None = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"--date must be a date like 2027-04-09, not {options['date']!r}."
                ) from error
        try:
            written = windows.windows_refresh_all(today=today)
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
            raise CommandError(
                f"Oversight: the sessions required could not be written ({reason})."
            ) from error
        if not written:
            self.stdout.write("Oversight: no organisations.")
        for name, count in written.items():
            self.stdout.write(
                f"Oversight: {name}: {count} window{'' if count == 1 else 's'} written."
            )
