"""Exports of the oversight tables (CSV, XLSX) and the monthly report (PDF): the same figures as
the page, safe to open in a spreadsheet, only for those who may oversee them, audited."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tandem.core.models import AuditEvent
from tandem.core.tests.shared import clock_at, noon
from tandem.organisations.models import Person, StaffCategory, Team
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory
from tandem.oversight import exports, report, tables
from tandem.oversight.filters import Choice, read_choice
from tandem.oversight.selectors import oversight_of
from tandem.oversight.services.windows import windows_refresh
from tandem.records.tests.factories import draft_record, held_session, shared_record

TODAY = datetime.date(2026, 11, 23)
OCTOBER = {"period": "month", "date": "2026-10-01"}
EVIL = '=HYPERLINK("http://evil.test","Click")'


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[None]:
    """The pages' "today", and everything else's, is TODAY (midday in London)."""
    with clock_at(noon(TODAY)):
        yield


@pytest.fixture
def figures(cast: Any) -> Any:
    """Windows from April 2026 for everyone; Sue had two sessions in October, Cole one; one of
    Sue's records was shared."""
    org = cast.organisation
    org.compliance_from = datetime.date(2026, 4, 1)
    org.save()
    windows_refresh(org, today=TODAY)
    draft_record(cast, on=datetime.date(2026, 10, 6))
    shared_record(cast, on=datetime.date(2026, 10, 20))
    held_session(
        cast,
        on=datetime.date(2026, 10, 14),
        supervisor=cast.head_of_service,
        supervisee=cast.colleague,
    )
    return cast


def team(name: str) -> Team:
    return Team.objects.get(name=name)


def url(table: str, fmt: str, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("oversight-export", args=[table, fmt]) + (f"?{query}" if query else "")


def choice_for(person: Person, params: dict[str, str]) -> Choice:
    access = oversight_of(person)
    assert access is not None
    return read_choice(params, access=access, person=person, today=TODAY)


def csv_rows(response: Any) -> list[list[str]]:
    body = response.content
    assert body.startswith("\ufeff".encode()), "a byte order mark, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def as_text(cell: Any) -> str:
    value = tables.plain(cell)
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def xlsx_sheet(response: Any) -> Any:
    book = load_workbook(io.BytesIO(response.content))
    return book.worksheets[0]


def report_url(unit: Team, year: int, month: int) -> str:
    return reverse("oversight-team-report", args=[unit.pk, year, month])


# The same figures as the page


def test_units_csv_has_the_figures_of_the_page(figures: Any) -> None:
    hal = figures.head_of_service
    service = team("Safeguarding")
    response = figures.client_for(hal).get(url("units", "csv", unit=str(service.pk), **OCTOBER))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="tandem-units-safeguarding-2026-10-01-2026-10-31.csv"'
    )

    page = tables.units_table(choice_for(hal, {**OCTOBER, "unit": str(service.pk)}))
    rows = csv_rows(response)
    assert rows[0] == page.headings
    assert rows[1:] == [[as_text(cell) for cell in row] for row in page.rows]
    # Not a table of noughts: both teams (and Hal, in the service itself), with sessions
    # required and held in October.
    assert [row[0] for row in rows[1:]] == [
        "Assessment Team",
        "Fostering Team",
        "Safeguarding (people directly in it)",
    ]
    required = rows[0].index("Sessions required")
    held = rows[0].index("Sessions held")
    assert all(int(row[required]) > 0 for row in rows[1:])
    assert {row[0]: int(row[held]) for row in rows[1:]} == {
        "Assessment Team": 2,
        "Fostering Team": 1,
        "Safeguarding (people directly in it)": 0,
    }


def test_people_csv_has_the_figures_of_the_page(figures: Any) -> None:
    mia = figures.manager
    response = figures.client_for(mia).get(url("people", "csv", **OCTOBER))
    assert response.status_code == 200
    page = tables.people_table(choice_for(mia, OCTOBER))
    rows = csv_rows(response)
    assert rows[0] == page.headings
    assert rows[1:] == [[as_text(cell) for cell in row] for row in page.rows]
    names = [row[0] for row in rows[1:]]
    assert names == ["Mia Manager", "Sue Supervisee", "Sam Supervisor"]
    sue = rows[1 + names.index("Sue Supervisee")]
    assert sue[rows[0].index("Sessions held")] == "2"
    assert sue[rows[0].index("Staff category")] == str(StaffCategory.NQSW_ASYE.label)


def test_exception_csv_writes_dates_in_iso_form(figures: Any) -> None:
    # Sue's draft record of 6 October was due long before 23 November.
    response = figures.client_for(figures.manager).get(url("records-overdue", "csv", **OCTOBER))
    rows = csv_rows(response)
    assert rows[0][:2] == ["Supervisee", "Supervisor"]
    overdue = [row for row in rows[1:] if row[0] == "Sue Supervisee"]
    assert overdue
    deadline = overdue[0][rows[0].index("Deadline")]
    assert datetime.date.fromisoformat(deadline) < TODAY


def test_people_xlsx_opens_with_numbers_as_numbers(figures: Any) -> None:
    mia = figures.manager
    response = figures.client_for(mia).get(url("people", "xlsx", **OCTOBER))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-2026-10-01-2026-10-31.xlsx"')
    sheet = xlsx_sheet(response)
    page = tables.people_table(choice_for(mia, OCTOBER))
    assert sheet.title == "Person by person"
    assert [c.value for c in sheet[1]] == page.headings
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"

    headings = page.headings
    by_name = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(by_name) == {"Mia Manager", "Sam Supervisor", "Sue Supervisee"}
    sue = by_name["Sue Supervisee"]
    held = sue[headings.index("Sessions held")]
    assert held.value == 2 and held.data_type == "n"
    required = sue[headings.index("Sessions required")]
    assert isinstance(required.value, int) and required.value > 0
    met = sue[headings.index("% held as required")]
    page_sue = next(r for r in page.rows if tables.plain(r[0]) == "Sue Supervisee")
    expected_percent = page_sue[headings.index("% held as required")]
    assert met.value == pytest.approx(int(expected_percent.rstrip("%")) / 100)
    assert met.number_format == "0%"
    assert sheet.column_dimensions["A"].width >= len("Sue Supervisee")


def test_xlsx_keeps_dates_as_dates(figures: Any) -> None:
    response = figures.client_for(figures.manager).get(url("records-overdue", "xlsx", **OCTOBER))
    sheet = xlsx_sheet(response)
    deadline_col = [c.value for c in sheet[1]].index("Deadline")
    deadline = sheet.cell(row=2, column=deadline_col + 1)
    assert isinstance(deadline.value, datetime.datetime | datetime.date)
    assert deadline.is_date
    assert "yy" in deadline.number_format


def test_sheet_title_is_one_excel_accepts() -> None:
    title = exports.sheet_title("Supervision balance: share of agenda time by function")
    assert len(title) <= 31
    assert not set(title) & set("\\/?*[]:")
    assert title.startswith("Supervision balance")
    assert exports.sheet_title("[]:*?") == "Figures"


# Formula injection


def test_a_name_that_is_a_formula_stays_text(figures: Any) -> None:
    PersonFactory(
        organisation=figures.organisation,
        team=team("Assessment Team"),
        first_name=EVIL,
        last_name="Smith",
    )
    client = figures.client_for(figures.manager)

    rows = csv_rows(client.get(url("people", "csv", **OCTOBER)))
    evil = [row for row in rows[1:] if "HYPERLINK" in row[0]]
    assert evil == [evil[0]]
    assert evil[0][0] == f"'{EVIL} Smith"
    assert not any(row[0].startswith(("=", "+", "-", "@")) for row in rows)

    sheet = xlsx_sheet(client.get(url("people", "xlsx", **OCTOBER)))
    cell = next(c for c in sheet["A"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s", "text, never a formula"
    assert cell.value == f"{EVIL} Smith"
    assert cell.quotePrefix


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_csv_guards_each_formula_start(start: str) -> None:
    table = tables.Table("x", "X", ["Name", "Count"], [[f"{start}1+1", -3]], [False, True])
    body = exports.table_csv(table).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[1] == [f"'{start}1+1", "-3"]


# Who may export what


def test_a_team_manager_may_not_export_another_team_or_the_organisation(figures: Any) -> None:
    client = figures.client_for(figures.manager)
    fostering = team("Fostering Team")
    directorate = team("Children's Services")
    service = team("Safeguarding")
    for unit in (fostering, directorate, service):
        for fmt in ("csv", "xlsx"):
            response = client.get(url("people", fmt, unit=str(unit.pk), **OCTOBER))
            assert response.status_code == 404, (unit.name, fmt)
    # Without a unit, their own team: nobody from elsewhere in the organisation.
    rows = csv_rows(client.get(url("people", "csv", **OCTOBER)))
    names = {row[0] for row in rows[1:]}
    assert "Cole Colleague" not in names and "Hal Service" not in names
    assert "Sue Supervisee" in names


def test_the_director_exports_the_whole_organisation(figures: Any) -> None:
    rows = csv_rows(figures.client_for(figures.director).get(url("people", "csv", **OCTOBER)))
    names = {row[0] for row in rows[1:]}
    assert {"Cole Colleague", "Sue Supervisee", "Hal Service"} <= names


def test_another_organisation_and_people_who_oversee_nothing_get_404(figures: Any) -> None:
    assessment = team("Assessment Team")
    outsider = figures.client_for(figures.outsider)
    assert outsider.get(url("people", "csv", unit=str(assessment.pk))).status_code == 404
    assert outsider.get(report_url(assessment, 2026, 10)).status_code == 404
    supervisee = figures.client_for(figures.supervisee)
    assert supervisee.get(url("people", "csv")).status_code == 404
    assert supervisee.get(report_url(assessment, 2026, 10)).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(figures: Any, client: Any) -> None:
    response = client.get(url("people", "csv"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(
    "params, message",
    [
        (
            {"period": "custom", "from": "2026-10-10", "to": "2026-10-01"},
            "The end of the period must be on or after its start.",
        ),
        ({"period": "custom", "from": "soon", "to": "later"}, "Enter the first and last days"),
        ({"period": "fortnight"}, "Choose a month, a quarter, a year or your own dates."),
        ({"period": "month", "date": "31/10/2026"}, "Enter a day in the period"),
        ({"category": "wizard"}, "Choose a staff category from the list."),
    ],
)
def test_bad_choices_are_a_400_with_a_message(
    figures: Any, params: dict[str, str], message: str
) -> None:
    response = figures.client_for(figures.manager).get(url("people", "csv", **params))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="oversight.export").exists()


def test_unknown_tables_and_formats_are_404(figures: Any) -> None:
    client = figures.client_for(figures.director)
    assert client.get(url("nonsense", "csv")).status_code == 404
    assert client.get(url("people", "pdf")).status_code == 404
    assert client.get(url("people", "csv", unit="abc")).status_code == 404


@pytest.mark.parametrize("table", sorted(tables.EXPORTS))
def test_every_table_exports_in_both_formats(figures: Any, table: str) -> None:
    client = figures.client_for(figures.head_of_service)
    params = {**OCTOBER, "unit": str(team("Safeguarding").pk)}
    csv_response = client.get(url(table, "csv", **params))
    assert csv_response.status_code == 200
    built = tables.EXPORTS[table](choice_for(figures.head_of_service, params))
    rows = csv_rows(csv_response)
    assert rows[0] == built.headings
    assert len(rows) == 1 + len(built.rows)
    sheet = xlsx_sheet(client.get(url(table, "xlsx", **params)))
    assert [c.value for c in sheet[1]] == built.headings
    assert sheet.max_row == 1 + len(built.rows)


# Audit


def test_exports_are_audited(figures: Any) -> None:
    mia = figures.manager
    figures.client_for(mia).get(url("people", "xlsx", **OCTOBER))
    event = AuditEvent.objects.get(action="oversight.export")
    assert event.organisation == figures.organisation
    assert event.actor == mia.user
    assert event.detail["table"] == "people"
    assert event.detail["format"] == "xlsx"
    assert event.detail["unit"] == team("Assessment Team").pk
    assert event.detail["period"] == {
        "kind": "month",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-31",
    }
    assert event.detail["rows"] == 3
    # Refused exports leave no trace of an export.
    figures.client_for(mia).get(url("people", "csv", unit=str(team("Fostering Team").pk)))
    assert AuditEvent.objects.filter(action="oversight.export").count() == 1


# Query counts


def _export_queries(cast: Any, extra: int) -> tuple[int, int]:
    """Add ``extra`` people to the team, export it: (queries, rows of people)."""
    assessment = team("Assessment Team")
    for _ in range(extra):
        person = PersonFactory(organisation=cast.organisation, team=assessment)
        RelationshipFactory(supervisee=person, supervisor=cast.supervisor)
        held_session(cast, on=datetime.date(2026, 10, 8), supervisee=person)
    windows_refresh(cast.organisation, today=TODAY)
    client = cast.client_for(cast.manager)
    client.get(url("people", "csv", **OCTOBER))  # sessions and caches warmed
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("people", "csv", **OCTOBER))
    assert response.status_code == 200
    return len(queries.captured_queries), len(csv_rows(response)) - 1


def test_people_export_queries_do_not_grow_with_people(
    figures: Any, django_assert_max_num_queries: Any
) -> None:
    few, few_rows = _export_queries(figures, 2)
    many, many_rows = _export_queries(figures, 12)
    assert (few_rows, many_rows) == (3 + 2, 3 + 2 + 12)
    assert many == few
    client = figures.client_for(figures.manager)
    with django_assert_max_num_queries(few):
        client.get(url("people", "xlsx", **OCTOBER))


# The monthly report


def _pdf_text(content: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_the_monthly_report_is_a_pdf_of_the_team(figures: Any) -> None:
    assessment = team("Assessment Team")
    mia = figures.manager
    response = figures.client_for(mia).get(report_url(assessment, 2026, 10))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "tandem-report-assessment-team-2026-10.pdf" in response["Content-Disposition"]
    text = " ".join(_pdf_text(response.content).split())
    assert "Assessment Team" in text
    assert "October 2026" in text
    assert "Sue Supervisee" in text  # person by person
    assert "definitions" in text

    event = AuditEvent.objects.get(action="oversight.report")
    assert event.actor == mia.user
    assert event.object_id == str(assessment.pk)
    assert event.detail["period"]["starts_on"] == "2026-10-01"


def _report_html(cast: Any, person: Person, unit: Team) -> str:
    choice = choice_for(person, {**OCTOBER, "unit": str(unit.pk)})
    context = report.report_context(
        choice,
        made_by=person,
        made_at=datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC),
        definitions_url="https://tandem.test/oversight/definitions/",
    )
    return report.report_html(context)


def test_the_report_of_a_team_is_person_by_person(figures: Any) -> None:
    html = _report_html(figures, figures.manager, team("Assessment Team"))
    assert "Assessment Team: October 2026" in html
    assert "Children&#x27;s Services › Safeguarding › Assessment Team" in html
    assert "Person by person" in html
    for name in ("Mia Manager", "Sam Supervisor", "Sue Supervisee"):
        assert name in html
    assert "The last 12 months" in html and "Nov 2025" in html and "Oct 2026" in html
    assert "Records not shared by their deadline" in html
    assert "Agreements not in date" in html
    # Feedback from fewer than 5 people is never shown.
    assert "Fewer than 5 responses" in html
    assert "https://tandem.test/oversight/definitions/" in html


def test_the_report_of_a_service_puts_its_teams_side_by_side(figures: Any) -> None:
    html = _report_html(figures, figures.head_of_service, team("Safeguarding"))
    assert "Safeguarding: October 2026" in html
    assert "Person by person" not in html
    assert "Assessment Team" in html and "Fostering Team" in html


@pytest.mark.parametrize(
    "year, month",
    [(2026, 13), (2026, 0), (1800, 10), (2026, 12), (2027, 1)],
)
def test_months_that_cannot_be_reported_are_404(figures: Any, year: int, month: int) -> None:
    response = figures.client_for(figures.manager).get(
        report_url(team("Assessment Team"), year, month)
    )
    assert response.status_code == 404


def test_a_manager_may_not_have_the_report_of_another_team(figures: Any) -> None:
    client = figures.client_for(figures.manager)
    for name in ("Fostering Team", "Safeguarding", "Children's Services"):
        assert client.get(report_url(team(name), 2026, 10)).status_code == 404
    assert not AuditEvent.objects.filter(action="oversight.report").exists()
    # The head of service may have the report of each of their teams.
    hal = figures.client_for(figures.head_of_service)
    assert hal.get(report_url(team("Fostering Team"), 2026, 10)).status_code == 200


def test_the_directors_report_puts_services_side_by_side(figures: Any) -> None:
    directorate = team("Children's Services")
    response = figures.client_for(figures.director).get(report_url(directorate, 2026, 10))
    assert response.status_code == 200
    text = " ".join(_pdf_text(response.content).split())
    assert "Children's Services: October 2026" in text
    assert "Services side by side" in text and "Safeguarding" in text
    assert "&#x27;" not in text, "the running title prints the name, not its HTML"
