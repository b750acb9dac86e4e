"""Session reminders, for cron (every 15 minutes): plan what sessions call for, send what is due.

Safe to run as often as you like, and beside the task worker: every reminder is written once
and sent once, whoever sends it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from tandem.core.commands import TandemCommand
from tandem.meetings.services import reminders


class Command(TandemCommand):
    help = "Plan session reminders and send the ones that are due (run every 15 minutes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Run as if it were this moment (ISO 8601, e.g. 2026-03-05T09:00); defaults to now.",
        )
        parser.add_argument(
            "--limit",
            type=int,
            default=reminders.SEND_LIMIT,
            help="Send at most this many reminders in this run (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now: datetime.datetime | None = None
        if options.get("now"):
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(
                    f"--now must be an ISO 8601 date and time, not {options['now']!r}."
                ) from error
            if timezone.is_naive(now):
                now = timezone.make_aware(now, timezone.get_default_timezone())
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        now = now or timezone.now()
        planned = reminders.reminders_plan(now)
        sent = reminders.reminders_send_due(now, limit=options["limit"])
        self.stdout.write(f"Session reminders: {planned} planned, {sent} sent.")
