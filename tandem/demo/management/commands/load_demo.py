"""Load the demo organisations (``make demo``) and print who to sign in as."""

import contextlib
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from tandem.core.clock import parse_as_of
from tandem.core.commands import TandemCommand
from tandem.core.dates import long_date
from tandem.demo.load import demo_load, demo_report


class Command(TandemCommand):
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
            day = f"{moment:%A} {long_date(moment)}, {moment:%H:%M}"
            self.stdout.write(f"Loading the demo as of {day} (London).")
        with clock:
            self._load(options)

    def _load(self, options: dict[str, Any]) -> None:
        try:
            loaded = demo_load()
        except ValidationError as error:
            raise CommandError("Could not load the demo: " + " ".join(error.messages)) from error
        except (DatabaseError, ValueError) as error:
            message = " ".join(str(error).split())
            raise CommandError(f"Could not load the demo: {message}") from error
        self.stdout.write(demo_report(loaded), ending="")
