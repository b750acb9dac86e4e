from typing import Any

from django.core.management.base import CommandError, CommandParser

from tandem.core.commands import TandemCommand
from tandem.core.scoping import across_organisations
from tandem.demo.scale.history import history_generate
from tandem.demo.scale.organisation import scale_data_generate


class Command(TandemCommand):
    help = (
        "Build a deterministic organisation of N staff for benchmarks, with years of "
        "supervision history (windows, sessions, records, agreements)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--staff", type=int, default=2000)
        parser.add_argument(
            "--years", type=int, default=5, help="Years of history, 1 to 5 (0: people only)."
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Rebuild if it exists.")

    @across_organisations("building the benchmarks' organisation")
    def handle(self, *args: Any, **options: Any) -> None:
        years = options["years"]
        if years < 0 or years > 5:
            raise CommandError("--years must be from 0 to 5.")
        try:
            summary = scale_data_generate(
                staff=options["staff"], seed=options["seed"], replace=options["replace"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{summary.organisation.name}: {summary.staff} staff, {summary.teams} units, "
            f"{summary.relationships} supervision relationships"
        )
        if years == 0:
            return
        history = history_generate(
            summary.organisation,
            years=years,
            seed=options["seed"],
            report=lambda line: self.stdout.write(line),
        )
        self.stdout.write(history.line())
