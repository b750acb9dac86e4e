"""Import a staff list (CSV or XLSX) into an organisation, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from tandem.core.commands import TandemCommand
from tandem.core.scoping import organisation_scope
from tandem.organisations.imports import ImportFileError, read_table, staff_import
from tandem.organisations.models import Organisation


class Command(TandemCommand):
    help = "Import a staff list (CSV or XLSX) into an organisation. Nothing is saved on error."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="The organisation's name or number.")
        parser.add_argument("file", type=Path, help="A .csv or .xlsx file with a header row.")

    def handle(self, *args: Any, **options: Any) -> None:
        key = options["organisation"]
        lookup = {"pk": int(key)} if str(key).isdigit() else {"name": key}
        organisation = Organisation.objects.filter(**lookup).first()
        if organisation is None:
            raise CommandError(f"No organisation called {key}.")
        path: Path = options["file"]
        try:
            rows = read_table(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        except ImportFileError as error:
            raise CommandError(str(error)) from error
        with organisation_scope(organisation):
            result = staff_import(organisation=organisation, rows=rows)
        if not result.ok:
            for row_error in result.errors:
                self.stderr.write(str(row_error))
            count = len(result.errors)
            problems = "problem" if count == 1 else "problems"
            raise CommandError(f"{count} {problems} in {path.name}: nothing imported.")
        self.stdout.write(result.summary())
