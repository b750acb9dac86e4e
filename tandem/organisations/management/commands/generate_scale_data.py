from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.organisations.scale import scale_data_generate


class Command(BaseCommand):
    help = "Build a deterministic organisation of N staff for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--staff", type=int, default=2000)
        parser.add_argument("--years", type=int, default=5, help="History to generate (later).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--replace", action="store_true", help="Rebuild if it exists.")

    def handle(self, *args: Any, **options: Any) -> None:
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
