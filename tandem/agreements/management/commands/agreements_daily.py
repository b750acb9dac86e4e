"""The agreements' daily round, for cron: mark reviews that have come due, send reminders.

Safe to run more than once a day: an agreement is marked due once, and reminded about once per
review date, so a second run finds nothing to do.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser

from tandem.agreements import services
from tandem.core.commands import TandemCommand


class Command(TandemCommand):
    help = "Mark supervision agreements due for review and send review reminders (run daily)."

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
                    f"--date must be YYYY-MM-DD, not {options['date']!r}."
                ) from error
        marked = services.agreements_mark_due(today=today)
        reminded = services.agreement_reminders_send(today=today)
        self.stdout.write(
            f"Agreements: {marked} marked due for review, {reminded} review reminders sent."
        )
