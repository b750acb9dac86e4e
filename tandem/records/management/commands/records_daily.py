"""The records' daily round, for cron: flag records not shared by their due date.

Safe to run more than once a day: a record is flagged once, so a second run finds nothing to do.
Prints one line; on failure, one plain line on standard error and a non-zero exit status.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from tandem.core.commands import TandemCommand
from tandem.records import services


class Command(TandemCommand):
    help = (
        "Tell both parties and the supervisor's manager about supervision records not shared "
        "by their due date (run daily)."
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
            flagged = services.records_overdue_notify(today=today)
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
            raise CommandError(
                f"Records: overdue records could not be checked ({reason})."
            ) from error
        self.stdout.write(
            f"Records: {flagged} overdue record{'' if flagged == 1 else 's'} flagged."
        )
