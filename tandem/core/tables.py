"""What every file import shares: reading a CSV file's rows and naming a problem in one row."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any


class TableError(Exception):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


def header_key(cell: Any) -> str:
    """A column heading as a key: "Staff number" and "staff-number" both become staff_number."""
    return str(cell or "").strip().lower().replace(" ", "_").replace("-", "_")


def csv_table(content: bytes) -> list[list[str]]:
    """A CSV file's rows of cells: UTF-8 (with or without a byte-order mark) or, as Excel on
    Windows saves it, Windows-1252."""
    if b"\x00" in content:
        raise TableError("The file is not a CSV file: save it again as CSV.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise TableError(
            f"The file could not be read as CSV ({error}): save it again as CSV."
        ) from error
