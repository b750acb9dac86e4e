"""An organisation's own calendar: its closure days and, for schools, its term dates.

Term dates are entered one at a time or imported from a CSV file, one half term a row. An import
checks every row first and applies all or nothing; rows are matched on their start date, so
importing the same file again changes nothing and a corrected file updates what changed.
Every change is audited.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from .dates import long_date
from .models import ClosureDay, TermDate
from .services import audit_event_write
from .tables import RowError, TableError, csv_table, header_key

COLUMNS = ["name", "term", "starts_on", "ends_on"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
MAX_ROWS = 500
MAX_NAME = 60  # TermDate.name and TermDate.term
TEMPLATE_EXAMPLE = [
    ("Autumn 1 2026", "Autumn 2026", "2026-09-03", "2026-10-23"),
    ("Autumn 2 2026", "Autumn 2026", "2026-11-02", "2026-12-18"),
    ("Spring 1 2027", "Spring 2027", "2027-01-05", "2027-02-12"),
    ("Spring 2 2027", "Spring 2027", "2027-02-22", "2027-03-26"),
    ("Summer 1 2027", "Summer 2027", "2027-04-12", "2027-05-28"),
    ("Summer 2 2027", "Summer 2027", "2027-06-07", "2027-07-21"),
]


class TermFileError(Exception):
    """The file as a whole cannot be read: not a CSV, empty, no header, missing columns."""


@dataclass(frozen=True)
class TermRow:
    row: int
    name: str
    term: str
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass
class TermImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{self.rows} half terms: {self.created} added, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


def _when(starts_on: datetime.date, ends_on: datetime.date) -> str:
    return f"{long_date(starts_on)} to {long_date(ends_on)}"


# Reading the file


def read_term_csv(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a term dates CSV file as dictionaries keyed on the normalised header. Blank rows
    are kept as empty dictionaries, so that row numbers match the spreadsheet's."""
    if not filename.lower().endswith(".csv"):
        raise TermFileError("The file must be a CSV file (.csv).")
    try:
        table = csv_table(content)
    except TableError as error:
        raise TermFileError(str(error)) from error
    while table and not any(cell.strip() for cell in table[-1]):
        table.pop()
    if not table:
        raise TermFileError("The file is empty.")
    header = [header_key(cell) for cell in table[0]]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise TermFileError(
            f"The first row must name the columns {', '.join(COLUMNS)}: "
            f"it has no {', '.join(missing)} column."
        )
    rows: list[dict[str, str]] = []
    for values in table[1:]:
        if not any(value.strip() for value in values):
            rows.append({})
            continue
        rows.append({h: v.strip() for h, v in zip(header, values, strict=False) if h in COLUMNS})
    if not any(rows):
        raise TermFileError("The file has no term dates: add one row for each half term.")
    if len(rows) > MAX_ROWS:
        raise TermFileError(f"The file has more than {MAX_ROWS} rows.")
    return rows


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_EXAMPLE)
    return out.getvalue()


def parse_date(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


# Checking the rows


def parse_rows(rows: Iterable[dict[str, str]]) -> tuple[list[TermRow], list[RowError]]:
    """Check each row on its own: values present, dates readable, ends on or after it starts."""
    parsed: list[TermRow] = []
    errors: list[RowError] = []
    for index, raw in enumerate(rows, start=2):
        if not raw:
            continue
        row_errors: list[RowError] = []
        for column in ("name", "term"):
            value = raw.get(column, "")
            if not value:
                row_errors.append(RowError(index, column, f"Enter the {column}."))
            elif len(value) > MAX_NAME:
                row_errors.append(
                    RowError(index, column, f"The {column} must be {MAX_NAME} characters or fewer.")
                )
        dates: dict[str, datetime.date] = {}
        for column, label in (("starts_on", "start date"), ("ends_on", "end date")):
            value = raw.get(column, "")
            if not value:
                row_errors.append(RowError(index, column, f"Enter the {label}."))
                continue
            try:
                dates[column] = parse_date(value)
            except ValueError:
                row_errors.append(
                    RowError(index, column, f"{value} is not a date: use 2026-09-03 or 03/09/2026.")
                )
        if len(dates) == 2 and dates["ends_on"] < dates["starts_on"]:
            row_errors.append(
                RowError(index, "ends_on", "The half term must end on or after the day it starts.")
            )
        errors += row_errors
        if not row_errors:
            parsed.append(
                TermRow(index, raw["name"], raw["term"], dates["starts_on"], dates["ends_on"])
            )
    return parsed, errors


def _overlaps(a_start: datetime.date, a_end: datetime.date, b: Any) -> bool:
    return a_start <= b.ends_on and b.starts_on <= a_end


def _check_overlaps(rows: list[TermRow], existing: list[TermDate]) -> list[RowError]:
    """Half terms must not overlap: within the file, or with term dates already entered that
    the file does not replace (a row replaces the one with the same start date)."""
    errors: list[RowError] = []
    by_start = sorted(rows, key=lambda r: (r.starts_on, r.row))
    for i, row in enumerate(by_start):
        for earlier in by_start[:i]:
            if _overlaps(row.starts_on, row.ends_on, earlier):
                first, second = sorted([earlier, row], key=lambda r: r.row)
                errors.append(
                    RowError(
                        second.row,
                        "starts_on",
                        f"{second.name} ({_when(second.starts_on, second.ends_on)}) overlaps "
                        f"{first.name} on row {first.row} "
                        f"({_when(first.starts_on, first.ends_on)}).",
                    )
                )
                break
    replaced = {row.starts_on for row in rows}
    kept = [term for term in existing if term.starts_on not in replaced]
    for row in rows:
        clash = next((t for t in kept if _overlaps(row.starts_on, row.ends_on, t)), None)
        if clash is not None:
            errors.append(
                RowError(
                    row.row,
                    "starts_on",
                    f"{row.name} ({_when(row.starts_on, row.ends_on)}) overlaps {clash.name}, "
                    f"already in your term dates ({_when(clash.starts_on, clash.ends_on)}).",
                )
            )
    return errors


def _error_order(error: RowError) -> tuple[int, int, str]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return error.row, column, error.message


def term_dates_import(
    *, organisation: Any, rows: list[dict[str, str]], by: Any
) -> TermImportResult:
    """Check every row, then apply them all in one transaction, or none if any is wrong: the
    result's ``errors`` name the row, the column and the problem. Nothing that is already
    there is written again, so the same file twice changes nothing."""
    result = TermImportResult(rows=sum(1 for row in rows if row))
    parsed, errors = parse_rows(rows)
    with transaction.atomic():
        existing = list(
            TermDate.objects.for_organisation(organisation)
            .select_for_update()
            .order_by("starts_on")
        )
        errors += _check_overlaps(parsed, existing)
        if errors:
            result.errors = sorted(set(errors), key=_error_order)
            return result
        if not parsed:
            result.errors = [RowError(2, "", "The file has no term dates.")]
            return result
        by_start = {term.starts_on: term for term in existing}
        for row in parsed:
            term = by_start.get(row.starts_on)
            if term is None:
                TermDate.objects.create(
                    organisation=organisation,
                    name=row.name,
                    term=row.term,
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                )
                result.created += 1
            elif (term.name, term.term, term.ends_on) != (row.name, row.term, row.ends_on):
                term.name, term.term, term.ends_on = row.name, row.term, row.ends_on
                term.save(update_fields=["name", "term", "ends_on"])
                result.updated += 1
            else:
                result.unchanged += 1
        if result.created or result.updated:
            audit_event_write(
                organisation=organisation,
                actor=by,
                action="term_dates.import",
                summary=result.summary(),
                detail={
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    return result


# One at a time


@transaction.atomic
def closure_day_add(
    *, organisation: Any, date: datetime.date, reason: str = "", by: Any
) -> ClosureDay:
    """A day the organisation is closed: not a working day for deadlines and schedules."""
    if ClosureDay.objects.for_organisation(organisation).filter(date=date).exists():
        raise ValidationError(
            {"date": f"{long_date(date)} is already a closure day."}, code="duplicate"
        )
    closure = ClosureDay.objects.create(organisation=organisation, date=date, reason=reason)
    audit_event_write(
        organisation=organisation,
        actor=by,
        action="closure_day.add",
        target=closure,
        summary=f"Closure day {long_date(date)}" + (f": {reason}" if reason else ""),
        detail={"date": date.isoformat(), "reason": reason},
    )
    return closure


@transaction.atomic
def closure_day_remove(*, closure_day: ClosureDay, by: Any) -> None:
    audit_event_write(
        organisation=closure_day.organisation,
        actor=by,
        action="closure_day.remove",
        target=closure_day,
        summary=f"Closure day {long_date(closure_day.date)} removed",
        detail={"date": closure_day.date.isoformat(), "reason": closure_day.reason},
    )
    closure_day.delete()


@transaction.atomic
def term_date_add(
    *,
    organisation: Any,
    name: str,
    term: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by: Any,
) -> TermDate:
    """One half term. It must not overlap the organisation's other half terms."""
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": "The half term must end on or after the day it starts."}, code="order"
        )
    existing = TermDate.objects.for_organisation(organisation).select_for_update()
    clash = next((t for t in existing if _overlaps(starts_on, ends_on, t)), None)
    if clash is not None:
        raise ValidationError(
            {
                "starts_on": f"These dates overlap {clash.name} "
                f"({_when(clash.starts_on, clash.ends_on)})."
            },
            code="overlap",
        )
    term_date = TermDate.objects.create(
        organisation=organisation, name=name, term=term, starts_on=starts_on, ends_on=ends_on
    )
    audit_event_write(
        organisation=organisation,
        actor=by,
        action="term_date.add",
        target=term_date,
        detail={
            "name": name,
            "term": term,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return term_date


@transaction.atomic
def term_date_remove(*, term_date: TermDate, by: Any) -> None:
    audit_event_write(
        organisation=term_date.organisation,
        actor=by,
        action="term_date.remove",
        target=term_date,
        summary=f"{term_date} removed",
        detail={
            "name": term_date.name,
            "term": term_date.term,
            "starts_on": term_date.starts_on.isoformat(),
            "ends_on": term_date.ends_on.isoformat(),
        },
    )
    term_date.delete()
