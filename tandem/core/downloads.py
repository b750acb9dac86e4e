"""CSV files to take away, written one way everywhere: UTF-8 with a byte order mark (so Excel
reads it as such), Windows line ends, dates in ISO form, and no formula injection.

A name or a note typed by someone that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return) would run as a formula when the file is opened in a spreadsheet; such text is
written behind an apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

# What a cell must not begin with: each makes a spreadsheet read the text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"


def formula_risky(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(value: Any) -> Any:
    """A cell as CSV writes it: None empty, dates in ISO form, text that a spreadsheet would
    read as a formula behind an apostrophe, numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, str) and formula_risky(value):
        return "'" + value
    return value


def csv_text(headings: Iterable[Any], rows: Iterable[Iterable[Any]]) -> str:
    """The headings, then each row, with the byte order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in headings])
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return BOM + out.getvalue()


def csv_download(name: str, headings: Iterable[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """``name``.csv as an attachment, kept out of shared caches."""
    response = HttpResponse(csv_text(headings, rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


class _Echo:
    """A file that gives back what is written to it: csv.writer line by line, for streaming."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    name: str, headings: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> StreamingHttpResponse:
    """As ``csv_download``, written as it is read: for exports too long to hold in memory (an
    organisation's audit trail)."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow([csv_cell(h) for h in headings])
        for row in rows:
            yield writer.writerow([csv_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
