"""Any table of figures (``tables.Table``) as a file to take away: CSV for anything, XLSX for
Excel. The same cells as the page shows, without the links (``tables.plain``).

Both guard against formula injection: a name or a note typed by someone that begins with
``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) would run as a formula when the file
is opened in a spreadsheet. In CSV such text gets a leading apostrophe, as OWASP advises; in XLSX
it is written as text (never a formula) and marked to stay text if the cell is edited.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tandem.core.downloads import csv_text, formula_risky

from .filters import Choice
from .tables import Table, plain

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

DATE_FORMAT = "yyyy-mm-dd"
PERCENT_FORMAT = "0%"
PERCENT = re.compile(r"^(\d{1,3})%$")
SHEET_TITLE_MAX = 31
SHEET_TITLE_BAD = re.compile(r"[\\/?*\[\]:]")
WIDTH_MIN, WIDTH_MAX = 8, 60


def table_csv(table: Table) -> bytes:
    """The headings, then each row, as ``core.downloads`` writes any CSV."""
    return csv_text(table.headings, ([plain(cell) for cell in row] for row in table.rows)).encode(
        "utf-8"
    )


def sheet_title(title: str) -> str:
    """A worksheet title Excel accepts: no ``\\ / ? * [ ] :``, 31 characters at most, not
    beginning or ending with an apostrophe, never empty."""
    cleaned = re.sub(r"\s+", " ", SHEET_TITLE_BAD.sub(" ", title)).strip()
    cleaned = cleaned[:SHEET_TITLE_MAX].strip().strip("'").strip()
    return cleaned or "Figures"


def _width(value: Any) -> int:
    if isinstance(value, datetime.date):
        return 10
    return len(str(value))


def _xlsx_value(value: Any, numeric: bool) -> tuple[Any, str | None]:
    """The value to store and its number format: a percentage in a column of numbers as a
    fraction shown as a percentage, so it sums and sorts; everything else as it is."""
    if value == "":
        return None, None
    if isinstance(value, bool):
        return ("Yes" if value else "No"), None
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None), "yyyy-mm-dd hh:mm"
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if numeric and isinstance(value, str):
        match = PERCENT.match(value)
        if match:
            return int(match.group(1)) / 100, PERCENT_FORMAT
    return value, None


def table_xlsx(table: Table, about: list[tuple[str, str]] | None = None) -> bytes:
    """The table on a sheet of its own (header row in bold and frozen, numbers as numbers,
    dates as dates), and when ``about`` is given a second sheet saying what it is."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_title(table.title)
    bold = Font(bold=True)
    widths = [_width(h) for h in table.headings]
    for col, heading in enumerate(table.headings, start=1):
        cell = sheet.cell(row=1, column=col, value=heading)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=2):
        for col, raw in enumerate(row, start=1):
            numeric = table.numeric[col - 1] if col - 1 < len(table.numeric) else False
            value, number_format = _xlsx_value(plain(raw), numeric)
            cell = sheet.cell(row=r, column=col)
            cell.value = value
            if isinstance(value, str):
                # Text stays text: openpyxl would store "=..." as a formula.
                cell.data_type = "s"
                if formula_risky(value):
                    cell.quotePrefix = True
            if number_format:
                cell.number_format = number_format
            if col - 1 < len(widths):
                widths[col - 1] = max(widths[col - 1], _width(plain(raw)))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(
            max(width + 2, WIDTH_MIN), WIDTH_MAX
        )
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    if about:
        info = book.create_sheet("About")
        for r, (label, text) in enumerate(about, start=1):
            info.cell(row=r, column=1, value=label).font = bold
            cell = info.cell(row=r, column=2, value=text)
            cell.data_type = "s"
        info.column_dimensions["A"].width = 18
        info.column_dimensions["B"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def scope_slug(choice: Choice) -> str:
    scope = choice.scope
    name = scope.unit.name if scope.unit is not None else scope.organisation.name
    slug = slugify(name) or "unit"
    if scope.staff_category:
        slug += "-" + slugify(scope.staff_category)
    return slug


def export_filename(table: Table, choice: Choice, fmt: str) -> str:
    """tandem-people-assessment-team-2026-10-01-2026-10-31.csv"""
    period = choice.period
    return (
        f"tandem-{slugify(table.key)}-{scope_slug(choice)}-"
        f"{period.starts_on.isoformat()}-{period.ends_on.isoformat()}.{fmt}"
    )


def export_response(
    table: Table, choice: Choice, fmt: str, about: list[tuple[str, str]] | None = None
) -> HttpResponse:
    """The table as a download in ``fmt`` (``csv`` or ``xlsx``), never cached."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}.")
    body = table_csv(table) if fmt == "csv" else table_xlsx(table, about)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{export_filename(table, choice, fmt)}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
