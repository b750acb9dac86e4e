"""The monthly report for a unit: what its manager takes to their own supervision, or to the
service's performance meeting. The same tables as the dashboard (``tables.py``), every
exception in full, as a document: ``report_context`` gathers it, ``report_html`` lays it out,
``report_pdf`` prints it with WeasyPrint (imported only then: it is slow to import).

For a team, person by person; for a service or a directorate, the units below it side by side.
Feedback keeps its suppression of small groups, like everywhere else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from tandem.core.dates import long_date
from tandem.organisations.models import Person, StaffCategory, Team, TeamKind

from . import selectors as s
from . import tables
from .filters import Choice
from .periods import zone


@dataclass(frozen=True)
class PrintedCell:
    text: str
    numeric: bool


@dataclass(frozen=True)
class PrintedTable:
    """A ``tables.Table`` as the document prints it: every cell as text."""

    key: str
    title: str
    headings: list[str]
    numeric: list[bool]
    rows: list[list[PrintedCell]]
    note: str = ""
    intro: str = ""
    empty: str = "None."

    @property
    def header(self) -> list[PrintedCell]:
        return [
            PrintedCell(heading, i > 0 and i < len(self.numeric) and self.numeric[i])
            for i, heading in enumerate(self.headings)
        ]


def printed(cell: Any) -> str:
    value = tables.plain(cell)
    if isinstance(value, datetime.datetime):
        value = value.astimezone(zone()) if value.tzinfo else value
        return f"{long_date(value)} {value:%H:%M}"
    if isinstance(value, datetime.date):
        return long_date(value)
    return str(value)


def printed_table(
    table: tables.Table, *, intro: str = "", empty: str = "None.", title: str = ""
) -> PrintedTable:
    numeric = [*table.numeric, *[False] * (len(table.headings) - len(table.numeric))]
    rows = [
        [
            PrintedCell(printed(cell), i > 0 and i < len(numeric) and numeric[i])
            for i, cell in enumerate(row)
        ]
        for row in table.rows
    ]
    return PrintedTable(
        key=table.key,
        title=title or table.title,
        headings=table.headings,
        numeric=numeric,
        rows=rows,
        note=table.note,
        intro=intro,
        empty=empty,
    )


def unit_path(unit: Team) -> list[str]:
    """The unit's name after those of the units above it: directorate, service, team."""
    return [u.name for u in reversed(s.units_up(unit))]


def category_label(value: str) -> str:
    if not value:
        return ""
    try:
        return str(StaffCategory(value).label)
    except ValueError:
        return value


def is_team(unit: Team) -> bool:
    return unit.kind == TeamKind.TEAM


def report_context(
    choice: Choice,
    *,
    made_by: Person,
    made_at: datetime.datetime,
    definitions_url: str,
) -> dict[str, Any]:
    """Everything the report shows, for ``choice`` (a unit and a month)."""
    unit = choice.unit
    assert unit is not None, "The monthly report is for a unit."
    period = choice.period
    as_at = f"{long_date(choice.today)}"
    headline = tables.headline_table(s.figures(choice.scope, period, choice.today))
    if is_team(unit):
        breakdown = printed_table(
            tables.people_table(choice),
            intro="Each person in the team now, with their figures for the month.",
            empty="No one is in this team.",
        )
    else:
        below = "Services" if unit.kind == TeamKind.DIRECTORATE else "Teams"
        breakdown = printed_table(
            tables.units_table(choice),
            title=f"{below} side by side",
            intro=f"The units of {unit.name} side by side, with their figures for the month.",
            empty="There are no units below this one.",
        )
    exceptions = [
        printed_table(
            tables.missed_table(choice, limit=None),
            intro=f"People with a session required in {period.label} that was not held.",
            empty="No one missed a session required in the month.",
        ),
        printed_table(
            tables.records_overdue_table(choice, limit=None),
            intro=f"As things stood on {as_at}.",
            empty="No record is overdue.",
        ),
        printed_table(
            tables.rebook_table(choice, limit=None),
            intro=f"As things stood on {as_at}.",
            empty="Every cancelled session was re-booked in time.",
        ),
        printed_table(
            tables.agreements_table(choice, limit=None),
            intro=f"As things stood on {as_at}.",
            empty="Everyone has an agreement in date.",
        ),
    ]
    organisation = choice.scope.organisation
    title = f"Monthly supervision report: {unit.name}, {period.label}"
    return {
        "document_title": title,
        "organisation_name": organisation.name,
        "unit": unit,
        "unit_path": unit_path(unit),
        "unit_kind": unit.get_kind_display(),
        "month": period.label,
        "period": period,
        "staff_category": category_label(choice.scope.staff_category),
        "made_on": f"{long_date(made_at)} at {made_at.astimezone(zone()):%H:%M}",
        "made_by": made_by.full_name,
        "headline": printed_table(headline),
        "trend": printed_table(
            tables.trend_table(choice), intro=f"The 12 months up to {period.label}."
        ),
        "breakdown": breakdown,
        "exceptions": exceptions,
        "balance": printed_table(
            tables.balance_table(choice),
            intro="Share of agenda time in the month's sessions by supervision function.",
        ),
        "feedback": printed_table(
            tables.feedback_table(choice),
            intro="What supervisees said after their sessions in the month.",
        ),
        "definitions_url": definitions_url,
    }


def report_html(context: dict[str, Any], *, pdf: bool = True) -> str:
    return render_to_string("oversight/report.html", {**context, "pdf": pdf})


def report_pdf(html: str) -> bytes:
    from tandem.core.pdf import html_pdf  # WeasyPrint is slow to import.

    return html_pdf(html)


def report_filename(unit: Team, period_start: datetime.date) -> str:
    """tandem-report-assessment-team-2026-10.pdf"""
    return f"tandem-report-{slugify(unit.name) or 'unit'}-{period_start:%Y-%m}.pdf"
