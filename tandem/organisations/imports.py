"""Staff import from a CSV or XLSX file: check every row first, then apply all or nothing.

The file is HR's staff list, one row per person, keyed on the staff number, so importing the
same file again changes nothing and importing next month's file updates what changed. Line
managers become line-management supervision relationships; the history of earlier ones is kept.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tandem.core.dates import long_date
from tandem.core.models import AuditEvent, User
from tandem.core.services import audit_event_write
from tandem.core.tables import RowError, TableError, csv_table, header_key

from . import services
from .models import (
    Organisation,
    Person,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)

COLUMNS = [
    "staff_number",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "staff_category",
    "directorate",
    "service",
    "team",
    "manages",
    "line_manager",
    "employment_start",
    "asye_start",
    "asye_end",
    "probation_end",
    "registration_number",
    "left_on",
]
REQUIRED = ["staff_number", "first_name", "last_name", "email", "staff_category"]
DATE_COLUMNS = ["employment_start", "asye_start", "asye_end", "probation_end", "left_on"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]
YES = {"yes", "y", "true", "1"}
NO = {"", "no", "n", "false", "0"}
MAX_ROWS = 25_000
# Called with the organisation and everyone an import created or updated (bulk writes send no
# signals): oversight rewrites their policy windows.
PEOPLE_IMPORTED_HOOKS: list[Callable[[Organisation, list[Person]], None]] = []
TEMPLATE_EXAMPLE = [
    {
        "staff_number": "E1001",
        "first_name": "Jo",
        "last_name": "Bloggs",
        "email": "jo.bloggs@example.org",
        "job_title": "Team manager",
        "staff_category": "team_manager",
        "directorate": "Children's Services",
        "service": "Child Protection",
        "team": "Court Team",
        "manages": "yes",
        "employment_start": "2019-09-02",
    },
    {
        "staff_number": "E1002",
        "first_name": "Sam",
        "last_name": "Example",
        "email": "sam.example@example.org",
        "job_title": "Social worker (ASYE)",
        "staff_category": "nqsw_asye",
        "directorate": "Children's Services",
        "service": "Child Protection",
        "team": "Court Team",
        "line_manager": "E1001",
        "employment_start": "2026-09-07",
        "asye_start": "2026-09-07",
        "asye_end": "2027-09-06",
        "registration_number": "SW123456",
    },
]


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, no header, missing columns."""


@dataclass
class StaffRow:
    row: int
    staff_number: str
    first_name: str
    last_name: str
    email: str
    job_title: str
    staff_category: str
    units: list[tuple[str, str]]  # (kind, name) from the top of the hierarchy down
    manages: bool
    line_manager: str
    registration_number: str
    dates: dict[str, datetime.date | None]
    # The file's columns: one it leaves out leaves that detail of existing people as it was.
    columns: frozenset[str] = frozenset(COLUMNS)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    supervisors_changed: int = 0
    errors: list[RowError] = field(default_factory=list)
    # The people the import added, to invite.
    new_people: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return (
            f"{self.rows} rows: {self.created} people added, {self.updated} updated, "
            f"{self.unchanged} unchanged; {self.teams_created} teams added; "
            f"{self.supervisors_changed} line managers set."
        )


def read_table(filename: str, content: bytes) -> list[dict[str, str]]:
    """Rows of a CSV or XLSX file as dictionaries keyed on the normalised header."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(content)
    elif name.endswith(".csv"):
        table = _csv_rows(content)
    else:
        raise ImportFileError("The file must be a CSV or an Excel (.xlsx) file.")
    if not table:
        raise ImportFileError("The file is empty.")
    header = [header_key(cell) for cell in table[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(f"The file has no {', '.join(missing)} column.")
    rows: list[dict[str, str]] = []
    for values in table[1:]:
        if not any(_text(v) for v in values):
            rows.append({})
            continue
        rows.append({h: _text(v) for h, v in zip(header, values, strict=False) if h in COLUMNS})
    while rows and not rows[-1]:
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"The file has more than {MAX_ROWS:,} rows: split it.")
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(content: bytes) -> list[list[str]]:
    try:
        return csv_table(content)
    except TableError as error:
        raise ImportFileError(str(error)) from error


def _xlsx_rows(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            "The Excel file could not be read: save it again as .xlsx."
        ) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def template_csv() -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for example in TEMPLATE_EXAMPLE:
        writer.writerow(example)
    return out.getvalue()


def _category(value: str) -> str | None:
    wanted = value.strip().lower()
    for choice, label in StaffCategory.choices:
        if wanted in (choice, label.lower()):
            return str(choice)
    return None


def _date(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_rows(rows: Iterable[dict[str, str]]) -> tuple[list[StaffRow], list[RowError]]:
    """Check each row on its own and against the others in the file."""
    parsed: list[StaffRow] = []
    errors: list[RowError] = []
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):
        if not raw:
            continue
        row_errors: list[RowError] = []

        def error(
            column: str, message: str, row: int = index, found: list[RowError] = row_errors
        ) -> None:
            found.append(RowError(row, column, message))

        for column in REQUIRED:
            if not raw.get(column, "").strip():
                error(column, f"Enter the {column.replace('_', ' ')}.")
        number = raw.get("staff_number", "").strip()
        email = raw.get("email", "").strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                error("email", f"{email} is not an email address.")
        if number in seen_numbers:
            error("staff_number", f"Staff number {number} is also on row {seen_numbers[number]}.")
        elif number:
            seen_numbers[number] = index
        if email in seen_emails:
            error("email", f"{email} is also on row {seen_emails[email]}.")
        elif email:
            seen_emails[email] = index
        category = _category(raw.get("staff_category", ""))
        if raw.get("staff_category", "").strip() and category is None:
            error("staff_category", f"{raw['staff_category']} is not a staff category.")
        dates: dict[str, datetime.date | None] = {}
        for column in DATE_COLUMNS:
            value = raw.get(column, "").strip()
            try:
                dates[column] = _date(value) if value else None
            except ValueError:
                dates[column] = None
                error(column, f"{value} is not a date: use 2026-09-07 or 07/09/2026.")
        asye_start, asye_end = dates["asye_start"], dates["asye_end"]
        if asye_start and asye_end and asye_end <= asye_start:
            error("asye_end", "The ASYE must end after it starts.")
        start, left = dates["employment_start"], dates["left_on"]
        if start and left and left < start:
            error("left_on", "The leaving date is before the employment start.")
        manages = raw.get("manages", "").strip().lower()
        if manages not in YES | NO:
            error("manages", "Enter yes or no.")
        units = [
            (kind, raw.get(kind, "").strip())
            for kind in (TeamKind.DIRECTORATE, TeamKind.SERVICE, TeamKind.TEAM)
            if raw.get(kind, "").strip()
        ]
        if manages in YES and not units:
            error("manages", "Name the directorate, service or team this person manages.")
        line_manager = raw.get("line_manager", "").strip()
        if line_manager and line_manager == number:
            error("line_manager", "Nobody can be their own line manager.")
        errors += row_errors
        if not row_errors:
            parsed.append(
                StaffRow(
                    row=index,
                    staff_number=number,
                    first_name=raw["first_name"].strip(),
                    last_name=raw["last_name"].strip(),
                    email=email,
                    job_title=raw.get("job_title", "").strip(),
                    staff_category=category or "",
                    units=[(str(kind), name) for kind, name in units],
                    manages=manages in YES,
                    line_manager=line_manager,
                    registration_number=raw.get("registration_number", "").strip(),
                    dates=dates,
                    columns=frozenset(raw),
                )
            )
    return parsed, errors


def _check_against_organisation(
    organisation: Organisation,
    rows: list[StaffRow],
    numbers_in_file: set[str],
    today: datetime.date,
) -> list[RowError]:
    """What only the database can tell: emails taken elsewhere, unknown line managers."""
    errors: list[RowError] = []
    existing = {
        p.staff_number: p
        for p in Person.objects.for_organisation(organisation).select_related("user")
    }
    users = {
        u.email: u
        for u in User.objects.filter(email__in=[row.email for row in rows]).select_related("person")
    }
    known_numbers = numbers_in_file | existing.keys()
    for row in rows:
        user = users.get(row.email)
        person = getattr(user, "person", None) if user else None
        if user is not None and (person is None or person.organisation_id != organisation.pk):
            errors.append(RowError(row.row, "email", f"{row.email} is used by another login."))
        elif person is not None and person.staff_number != row.staff_number:
            errors.append(
                RowError(
                    row.row,
                    "email",
                    f"{row.email} belongs to staff number {person.staff_number}.",
                )
            )
        if row.line_manager and row.line_manager not in known_numbers:
            errors.append(
                RowError(
                    row.row, "line_manager", f"No one has the staff number {row.line_manager}."
                )
            )
    # A line manager who changed today already cannot change again today through an import.
    changed_today = {
        r.supervisee_id: r.supervisor_id
        for r in SupervisionRelationship.objects.for_organisation(organisation).filter(
            kind=SupervisionKind.LINE, ends_on__isnull=True, starts_on__gte=today
        )
    }
    for row in rows:
        person = existing.get(row.staff_number)
        manager = existing.get(row.line_manager)
        if person is None or person.pk not in changed_today or not row.line_manager:
            continue
        if manager is None or changed_today[person.pk] != manager.pk:
            errors.append(
                RowError(
                    row.row,
                    "line_manager",
                    "The line manager already changed today: change it on the person's page.",
                )
            )
    return errors


class _RowProblems(Exception):
    """Found while applying: the transaction rolls back and the rows are reported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


def staff_import(
    *,
    organisation: Organisation,
    rows: list[dict[str, str]],
    by: Person | None = None,
    today: datetime.date | None = None,
) -> ImportResult:
    """Check every row, then apply them all in one transaction, or none if any is wrong."""
    today = today or timezone.localdate()
    parsed, errors = parse_rows(rows)
    result = ImportResult(rows=sum(1 for row in rows if row))
    # A line manager on a row with its own problem is still known: report that problem alone.
    numbers_in_file = {row.get("staff_number", "").strip() for row in rows if row}
    errors += _check_against_organisation(organisation, parsed, numbers_in_file, today)
    if not errors:
        try:
            with transaction.atomic():
                _apply(organisation, parsed, by, today, result)
        except _RowProblems as problems:
            errors = problems.errors
            result = ImportResult(rows=result.rows)
    result.errors = sorted(errors, key=lambda e: (e.row, COLUMNS.index(e.column)))
    return result


def _apply(
    organisation: Organisation,
    parsed: list[StaffRow],
    by: Person | None,
    today: datetime.date,
    result: ImportResult,
) -> None:
    units = _ensure_units(organisation, parsed, result)
    people = {
        p.staff_number: p
        for p in Person.objects.for_organisation(organisation).select_related("user")
    }
    new_rows = []
    for row in parsed:
        team = units.get(tuple(row.units)) if row.units else None
        if row.staff_number in people:
            _update_person(people[row.staff_number], row, team, result)
        else:
            new_rows.append(row)
    added = _create_people(organisation, new_rows, units)
    people.update(added)
    result.created = len(new_rows)
    result.new_people = sorted(person.pk for person in added.values())

    for row in parsed:
        if row.manages and row.units:
            unit = units[tuple(row.units)]
            if unit.manager_id != people[row.staff_number].pk:
                unit.manager = people[row.staff_number]
                unit.save(update_fields=["manager"])

    current = {
        r.supervisee_id: r
        for r in SupervisionRelationship.objects.for_organisation(organisation).filter(
            kind=SupervisionKind.LINE, ends_on__isnull=True
        )
    }
    first_line_managers: list[SupervisionRelationship] = []
    problems: list[RowError] = []
    for row in parsed:
        person = people[row.staff_number]
        left_on = row.dates["left_on"]
        if left_on is not None:
            _end_relationships(person, left_on, by)
            continue
        if not row.line_manager:
            continue
        manager = people[row.line_manager]
        existing = current.get(person.pk)
        if existing is not None and existing.supervisor_id == manager.pk:
            continue
        # Tandem knows the line manager from the day of the import, or from a future start.
        employment_start = row.dates["employment_start"]
        starts_on = max(today, employment_start) if employment_start else today
        if manager.left_on is not None and manager.left_on < starts_on:
            problems.append(
                RowError(
                    row.row, "line_manager", f"{manager} left on {long_date(manager.left_on)}."
                )
            )
            continue
        result.supervisors_changed += 1
        if existing is None:
            first_line_managers.append(
                SupervisionRelationship(
                    organisation=organisation,
                    supervisee=person,
                    supervisor=manager,
                    kind=SupervisionKind.LINE,
                    starts_on=starts_on,
                )
            )
        else:
            services.relationship_start(
                supervisee=person,
                supervisor=manager,
                kind=SupervisionKind.LINE,
                starts_on=starts_on,
                by=by,
            )
    if problems:
        raise _RowProblems(problems)
    _start_relationships(organisation, first_line_managers, by)
    for hook in PEOPLE_IMPORTED_HOOKS:
        hook(organisation, list(people.values()))

    audit_event_write(
        organisation=organisation,
        actor=by,
        action="staff.import",
        summary=result.summary(),
        detail={
            "rows": result.rows,
            "created": result.created,
            "updated": result.updated,
            "teams_created": result.teams_created,
            "supervisors_changed": result.supervisors_changed,
        },
    )


BATCH = 1000


def _create_people(
    organisation: Organisation,
    rows: list[StaffRow],
    units: dict[tuple[tuple[str, str], ...], Team],
) -> dict[str, Person]:
    """New people in bulk, with their history: a first import of 20,000 staff is one file.

    They get no password: each sets one through "Forgotten your password?".
    """
    if not rows:
        return {}
    no_password = make_password(None)
    users = User.objects.bulk_create(
        [User(email=row.email, password=no_password) for row in rows], batch_size=BATCH
    )
    people = [
        Person(
            organisation=organisation,
            user=user,
            staff_number=row.staff_number,
            team=units.get(tuple(row.units)) if row.units else None,
            first_name=row.first_name,
            last_name=row.last_name,
            job_title=row.job_title,
            staff_category=row.staff_category,
            registration_number=row.registration_number,
            **row.dates,
        )
        for user, row in zip(users, rows, strict=True)
    ]
    created = bulk_create_with_history(people, Person, batch_size=BATCH)
    return {person.staff_number: person for person in created}


def _start_relationships(
    organisation: Organisation, relationships: list[SupervisionRelationship], by: Person | None
) -> None:
    """First line managers in bulk, each audited as relationship_start audits one."""
    if not relationships:
        return
    created = bulk_create_with_history(relationships, SupervisionRelationship, batch_size=BATCH)
    by_pair = {(r.supervisee_id, r.kind): r for r in created}
    actor_user: Any = getattr(by, "user", by)
    if not getattr(actor_user, "is_authenticated", False):
        actor_user = None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organisation=organisation,
                actor=actor_user,
                action="relationship.start",
                object_type=SupervisionRelationship._meta.label_lower,
                object_id=str(by_pair[(r.supervisee_id, r.kind)].pk),
                summary=str(r)[:300],
                detail={
                    "supervisee": r.supervisee_id,
                    "supervisor": r.supervisor_id,
                    "previous_supervisor": None,
                    "kind": r.kind,
                    "starts_on": r.starts_on.isoformat(),
                    "source": "staff import",
                },
            )
            for r in relationships
        ],
        batch_size=BATCH,
    )


def _ensure_units(
    organisation: Organisation, rows: list[StaffRow], result: ImportResult
) -> dict[tuple[tuple[str, str], ...], Team]:
    """Find or make every directorate, service and team the file names, top down."""
    units: dict[tuple[tuple[str, str], ...], Team] = {}
    for row in rows:
        parent: Team | None = None
        for depth in range(1, len(row.units) + 1):
            path = tuple(row.units[:depth])
            if path not in units:
                kind, name = path[-1]
                unit = (
                    Team.objects.for_organisation(organisation)
                    .filter(parent=parent, name=name)
                    .first()
                )
                if unit is None:
                    unit = Team.objects.create(
                        organisation=organisation, parent=parent, name=name, kind=kind
                    )
                    result.teams_created += 1
                units[path] = unit
            parent = units[path]
    return units


PERSON_FIELDS = [
    "first_name",
    "last_name",
    "job_title",
    "staff_category",
    "registration_number",
    "employment_start",
    "asye_start",
    "asye_end",
    "probation_end",
    "left_on",
]


def _update_person(person: Person, row: StaffRow, team: Team | None, result: ImportResult) -> None:
    values: dict[str, Any] = {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "job_title": row.job_title,
        "staff_category": row.staff_category,
        "registration_number": row.registration_number,
        **row.dates,
    }
    changed = [
        name
        for name in PERSON_FIELDS
        if name in row.columns and getattr(person, name) != values[name]
    ]
    if team is not None and person.team_id != team.pk:
        person.team = team
        changed.append("team")
    if person.user.email != row.email:
        person.user.email = row.email
        person.user.save(update_fields=["email"])
        changed.append("email")
    if not changed:
        result.unchanged += 1
        return
    for name in changed:
        if name in values:
            setattr(person, name, values[name])
    fields = [name for name in changed if name != "email"]
    if fields:
        person.save(update_fields=fields)
    result.updated += 1


def _end_relationships(person: Person, left_on: datetime.date, by: Person | None) -> None:
    """A leaver's open relationships, either side, end on their last day."""
    open_relationships = SupervisionRelationship.objects.for_organisation(
        person.organisation_id
    ).filter(ends_on__isnull=True, starts_on__lte=left_on)
    for relationship in open_relationships.filter(supervisee=person) | open_relationships.filter(
        supervisor=person
    ):
        services.relationship_end(relationship=relationship, ends_on=left_on, by=by)
