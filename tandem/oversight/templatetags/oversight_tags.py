"""Filters for showing a ``tables.Table`` on a page: one way to write each kind of cell."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tandem.oversight.periods import zone
from tandem.oversight.tables import Link, Table

register = template.Library()


def day_text(day: datetime.date) -> str:
    """A date as people read it: 5 October 2026."""
    return f"{day.day} {day:%B %Y}"


@register.filter
def cell(value: Any) -> str | SafeString:
    """A cell as the page shows it: links as links, dates in words, numbers with commas."""
    if value is None:
        return ""
    if isinstance(value, Link):
        return format_html('<a class="govuk-link" href="{}">{}</a>', value.href, value.text)
    if isinstance(value, datetime.datetime):
        moment = value.astimezone(zone()) if value.tzinfo else value
        return day_text(moment.date())
    if isinstance(value, datetime.date):
        return day_text(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


@register.filter
def columns(table: Table) -> list[tuple[str, bool]]:
    """Each heading with whether its column holds numbers (right-aligned)."""
    numeric = list(table.numeric) + [False] * (len(table.headings) - len(table.numeric))
    return list(zip(table.headings, numeric, strict=False))


@register.filter
def cells(row: list[Any], table: Table) -> list[tuple[Any, bool]]:
    """A row's cells with whether each is in a numeric column."""
    numeric = list(table.numeric) + [False] * (len(row) - len(table.numeric))
    return list(zip(row, numeric, strict=False))


@register.filter
def more(table: Table) -> int:
    """How many rows the page leaves out (the export has them all)."""
    return max((table.total or 0) - len(table.rows), 0)
