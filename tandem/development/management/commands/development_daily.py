"""Development's daily round, for cron: CPD reminders from 1 September to social workers behind
for the registration year (once a month), and reminders to nurses whose revalidation is due soon
(once). Safe to run more than once a day. Prints one line; on failure, one plain line on
standard error and a non-zero exit status."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from tandem.core.commands import TandemCommand
from tandem.development.services.reminders import development_reminders_send


class Command(TandemCommand):
    help = (
        "Remind social workers behind on the year's CPD (from 1 September) and nurses whose "
        "revalidation is due soon (run daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="Run as if today were this date (YYYY-MM-DD); defaults to today."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today: datetime.date | None = None
        if options.get("date"):
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(
                    f"--date must be a date like 2027-09-01, not {options['date']!r}."
                ) from error
        try:
            sent = development_reminders_send(today=today)
        except DatabaseError as error:
            reason = str(error).strip().splitlines()[0] if str(error).strip() else "no reason"
            raise CommandError(f"Development: reminders could not be sent ({reason}).") from error
        self.stdout.write(
            f"Development: {sent['cpd']} CPD reminder{'' if sent['cpd'] == 1 else 's'} and "
            f"{sent['revalidation']} revalidation reminder"
            f"{'' if sent['revalidation'] == 1 else 's'} sent."
        )
