"""Every table of figures, built once: the dashboards show them (with links), the exports
write them (CSV and XLSX, without links) and the reports print them. A table is plain data:
headings and rows of cells, a cell being a number, text, a date, None or a ``Link``."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tandem.core.dates import long_date
from tandem.meetings.models import SupervisionFunction
from tandem.organisations.models import StaffCategory, Team, TeamKind

from . import selectors as s
from .definitions import BY_KEY
from .filters import Choice
from .periods import zone

# Exception lists on a page show this many rows; the export has them all.
PAGE_ROWS = 25


@dataclass(frozen=True)
class Link:
    text: str
    href: str

    def __str__(self) -> str:
        return self.text


Cell = Any  # int | str | datetime.date | None | Link


@dataclass
class Table:
    key: str
    title: str
    headings: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    total: int | None = None  # rows there are in all, when only some are shown
    note: str = ""

    @property
    def truncated(self) -> bool:
        return self.total is not None and self.total > len(self.rows)


def plain(cell: Cell) -> Any:
    """A cell as an export writes it: links become their text, None becomes empty."""
    if cell is None:
        return ""
    if isinstance(cell, Link):
        return cell.text
    return cell


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def _category(value: str) -> str:
    try:
        return str(StaffCategory(value).label)
    except ValueError:
        return value


def _day(moment: datetime.datetime | datetime.date | None) -> datetime.date | None:
    if isinstance(moment, datetime.datetime):
        return moment.astimezone(zone()).date() if moment.tzinfo else moment.date()
    return moment


FIGURE_HEADINGS = [
    "Sessions required",
    "Held as required",
    "% held as required",
    "People",
    "% people fully supervised",
    "Sessions held",
    "Shorter than the minimum",
    "Cancelled",
    "Re-booked in time",
    "Records due",
    "% shared on time",
    "Records overdue",
    "% signed by both",
    "Staff in post",
    "% agreements in date",
    "Without a supervisor",
    "Open disagreements",
    "Overdue actions",
    "% CPD on track",
    "Revalidations due",
    "% ASYE reviews on time",
    "Observations",
    "NQSWs above weighting",
    "Objectives overdue",
]
FIGURE_NUMERIC = [True] * len(FIGURE_HEADINGS)


def figure_cells(f: s.Figures) -> list[Cell]:
    return [
        f.required,
        f.met,
        _pct(f.met_percent),
        f.people,
        _pct(f.people_percent),
        f.held,
        f.short,
        f.cancelled,
        f.rebooked_in_time,
        f.records_due,
        _pct(f.on_time_percent),
        f.not_shared,
        _pct(f.signed_percent),
        f.staff,
        _pct(f.agreements_percent),
        f.no_supervisor,
        f.open_disagreements,
        f.overdue_actions,
        _pct(f.cpd_on_track_percent),
        f.revalidations_due,
        _pct(f.asye_on_time_percent),
        f.observations,
        f.nqsw_above_weighting,
        f.objectives_overdue,
    ]


def unit_link(choice: Choice, unit_id: int, name: str) -> Link:
    return Link(name, reverse("oversight-unit", args=[unit_id]) + choice.query(unit=None))


def person_link(choice: Choice, person_id: int, name: str) -> Link:
    return Link(name, reverse("oversight-person", args=[person_id]) + choice.query(unit=None))


def headline_table(figures: s.Figures) -> Table:
    """The headline figures as a two-column table (beside the headline panels and charts)."""
    f = figures
    rows: list[list[Cell]] = [
        [BY_KEY["required"].name, f.required],
        [BY_KEY["met"].name, f"{f.met} ({_pct(f.met_percent) or 'none due'})"],
        [BY_KEY["people"].name, f"{f.people_compliant} of {f.people}"],
        [BY_KEY["held"].name, f.held],
        [BY_KEY["short"].name, f.short],
        [BY_KEY["cancelled"].name, f.cancelled],
        [BY_KEY["rebooked_in_time"].name, f.rebooked_in_time],
        [BY_KEY["rebook_overdue"].name, f.rebook_overdue],
        [BY_KEY["records_due"].name, f.records_due],
        [BY_KEY["shared_on_time"].name, f"{f.shared_on_time} ({_pct(f.on_time_percent)})"],
        [BY_KEY["not_shared"].name, f.not_shared],
        [BY_KEY["signed"].name, f"{f.signed} ({_pct(f.signed_percent)})"],
        [BY_KEY["agreements_in_date"].name, f"{f.agreements_in_date} of {f.staff}"],
        [BY_KEY["no_supervisor"].name, f.no_supervisor],
        [BY_KEY["open_disagreements"].name, f.open_disagreements],
        [BY_KEY["overdue_actions"].name, f.overdue_actions],
        [
            BY_KEY["cpd_on_track"].name,
            f"{f.cpd_on_track} of {f.cpd_people} ({_pct(f.cpd_on_track_percent)})",
        ],
        [BY_KEY["revalidations_due"].name, f.revalidations_due],
        [
            BY_KEY["asye_reviews_on_time"].name,
            f"{f.asye_reviews_on_time} of {f.asye_reviews_due} ({_pct(f.asye_on_time_percent)})",
        ],
        [BY_KEY["observations"].name, f.observations],
        [BY_KEY["nqsw_above_weighting"].name, f"{f.nqsw_above_weighting} of {f.nqsws}"],
        [BY_KEY["objectives_overdue"].name, f.objectives_overdue],
    ]
    return Table("headline", "Headline figures", ["Figure", "Value"], rows, [False, True])


def _directly(choice: Choice, unit: Team) -> bool:
    """Whether a unit's row holds only the people directly in it: the scope's own unit, or at
    the organisation's level a directorate (whose services have rows of their own)."""
    if choice.unit is not None:  # a team has no units below it: everyone is directly in it
        return unit.pk == choice.unit.pk and unit.kind != TeamKind.TEAM
    return unit.kind == TeamKind.DIRECTORATE


def unit_name(choice: Choice, units: dict[int, Team], unit_id: int) -> str:
    """How a group of the units side by side is named in every table."""
    if unit_id not in units:
        return "Not in a team"
    unit = units[unit_id]
    return unit.name + (" (people directly in it)" if _directly(choice, unit) else "")


def units_table(choice: Choice, by_unit: dict[int, s.Figures] | None = None) -> Table:
    """The units one level below the scope, side by side: seven queries, one when ``by_unit``
    (``selectors.figures_by(..., by="unit")``) is given."""
    if by_unit is None:
        by_unit = s.figures_by(choice.scope, choice.period, choice.today, by="unit")
    units = s.units_named(choice.scope.organisation, by_unit.keys())
    rows = []
    for unit_id, f in sorted(
        by_unit.items(), key=lambda item: units[item[0]].name if item[0] in units else "~"
    ):
        name = unit_name(choice, units, unit_id)
        label: Cell = unit_link(choice, unit_id, name) if unit_id in units else name
        rows.append([label, *figure_cells(f)])
    unit = choice.unit
    title = "Teams" if unit is not None and unit.kind != TeamKind.DIRECTORATE else "Services"
    return Table("units", title, ["Unit", *FIGURE_HEADINGS], rows, [False, *FIGURE_NUMERIC])


def people_table(choice: Choice, limit: int | None = None) -> Table:
    """Person by person, for the people in scope in post or with a window in the period.
    Eight queries; ``limit`` rows (all when None), in name order."""
    people = (
        s.staff_in(choice.scope, choice.today)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )
    total = people.count() if limit is not None else None
    chosen = list(people[:limit] if limit is not None else people)
    # The whole scope at once needs no list of ids (20,000 of them would not fit in a query).
    ids = [p.pk for p in chosen] if limit is not None else None
    by_person = s.figures_by(choice.scope, choice.period, choice.today, by="person", people=ids)
    rows = []
    for person in chosen:
        f = by_person.get(person.pk, s.Figures())
        rows.append(
            [
                person_link(choice, person.pk, person.full_name),
                _category(person.staff_category),
                person.team.name if person.team else "",
                *figure_cells(f),
            ]
        )
    return Table(
        "people",
        "Person by person",
        ["Person", "Staff category", "Team", *FIGURE_HEADINGS],
        rows,
        [False, False, False, *FIGURE_NUMERIC],
        total=total,
    )


def trend_table(choice: Choice) -> Table:
    months = s.trend(choice.scope, choice.period, choice.today)
    rows = [
        [
            m.label,
            m.required,
            m.met,
            _pct(m.met_percent),
            m.records_due,
            m.shared_on_time,
            _pct(m.on_time_percent),
        ]
        for m in months
    ]
    return Table(
        "trend",
        "The last 12 months",
        [
            "Month",
            "Sessions required",
            "Held as required",
            "% held as required",
            "Records due",
            "Shared on time",
            "% shared on time",
        ],
        rows,
        [False, True, True, True, True, True, True],
    )


def missed_table(
    choice: Choice, limit: int | None = PAGE_ROWS, *, people_missing: int | None = None
) -> Table:
    """``people_missing`` (from the headline figures) is how many rows there are in all, which
    spares counting them again."""
    qs = s.missed_windows(choice.scope, choice.period, choice.today)
    total = None
    if limit is not None:
        total = people_missing if people_missing is not None else qs.count()
    chosen = list(qs[:limit] if limit is not None else qs)
    last_held = s.last_held_of(row["person_id"] for row in chosen)
    rows = []
    for row in chosen:
        name = f"{row['person__first_name']} {row['person__last_name']}"
        rows.append(
            [
                person_link(choice, row["person_id"], name),
                row["person__team__name"] or "",
                _category(row["person__staff_category"]),
                f"{row['missed']} of {row['required']}",
                row["first_missed"],
                _day(last_held.get(row["person_id"])) or "Never",
            ]
        )
    return Table(
        "missed",
        "Sessions missed",
        [
            "Person",
            "Team",
            "Staff category",
            "Missed",
            "First missed by",
            "Last session held",
        ],
        rows,
        [False, False, False, True, False, False],
        total=total,
        note="Longest overdue first: the first window that ended without a session.",
    )


def records_overdue_table(choice: Choice, limit: int | None = PAGE_ROWS) -> Table:
    qs = s.overdue_records(choice.scope, choice.today)
    total = qs.count() if limit is not None else None
    rows = []
    for record in qs[:limit] if limit is not None else qs:
        rows.append(
            [
                person_link(choice, record.supervisee_id, record.supervisee.full_name),
                record.supervisor.full_name,
                Link(f"{long_date(record.held_on)}", reverse("record", args=[record.pk])),
                record.due_on,
                (choice.today - record.due_on).days,
            ]
        )
    return Table(
        "records-overdue",
        "Records not shared by their deadline",
        ["Supervisee", "Supervisor", "Session", "Deadline", "Days overdue"],
        rows,
        [False, False, False, False, True],
        total=total,
    )


def rebook_table(choice: Choice, limit: int | None = PAGE_ROWS) -> Table:
    qs = s.rebook_overdue_sessions(choice.scope, choice.today, choice.period)
    total = qs.count() if limit is not None else None
    rows = []
    for session in qs[:limit] if limit is not None else qs:
        supervisee = session.supervisee
        rows.append(
            [
                person_link(choice, supervisee.pk, supervisee.full_name) if supervisee else "",
                session.supervisor.full_name,
                Link(
                    f"{long_date(_day(session.starts_at))}",
                    reverse("session", args=[session.pk]),
                ),
                session.rebook_by,
            ]
        )
    return Table(
        "rebook-overdue",
        "Cancelled sessions not re-booked in time",  # due in the period, as the figure
        ["Supervisee", "Supervisor", "Cancelled session", "Re-book by"],
        rows,
        [False, False, False, False],
        total=total,
    )


def agreements_table(choice: Choice, limit: int | None = PAGE_ROWS) -> Table:
    qs = s.agreements_out_of_date(choice.scope, choice.today)
    total = qs.count() if limit is not None else None
    rows = []
    for person in qs[:limit] if limit is not None else qs:
        due = person.review_due_on  # type: ignore[attr-defined]
        rows.append(
            [
                person_link(choice, person.pk, person.full_name),
                person.team.name if person.team else "",
                due if due else "No agreement in force",
            ]
        )
    return Table(
        "agreements",
        "Agreements not in date",
        ["Person", "Team", "Review was due"],
        rows,
        [False, False, False],
        total=total,
    )


FUNCTIONS = list(SupervisionFunction)


def balance_table(choice: Choice) -> Table:
    """Agenda minutes by supervision function: the scope's total, then each unit."""
    whole = s.balance(choice.scope, choice.period)
    by_unit = s.balance_by_unit(choice.scope, choice.period)
    units = s.units_named(choice.scope.organisation, by_unit.keys())

    def cells(b: s.Balance) -> list[Cell]:
        return [_pct(b.share(str(f))) for f in FUNCTIONS] + [b.total]

    rows: list[list[Cell]] = [["All", *cells(whole)]]
    for unit_id, b in sorted(
        by_unit.items(), key=lambda i: units[i[0]].name if i[0] in units else "~"
    ):
        rows.append([unit_name(choice, units, unit_id), *cells(b)])
    return Table(
        "balance",
        "Supervision balance: share of agenda time by function",
        ["Unit", *[str(f.label) for f in FUNCTIONS], "Agenda minutes"],
        rows,
        [False, True, True, True, True, True],
    )


FEEDBACK_HEADINGS = ["Was it useful", "Time to reflect", "Felt supported"]


def feedback_table(choice: Choice) -> Table:
    """Supervisees' feedback: never a group of fewer than 5 responses."""
    whole = s.feedback_summary(choice.scope, choice.period)
    by_unit = s.feedback_by_unit(choice.scope, choice.period)
    units = s.units_named(choice.scope.organisation, by_unit.keys())

    smallest = s.smallest_group(choice.scope.organisation)

    def cells(summary: s.FeedbackSummary) -> list[Cell]:
        if not summary.shown:
            return [f"Fewer than {smallest} responses", "", "", ""]
        return [summary.responses] + [_pct(summary.agreeing[q]) for q in s.FEEDBACK_QUESTIONS]

    rows: list[list[Cell]] = [["All", *cells(whole)]]
    for unit_id, summary in sorted(
        by_unit.items(), key=lambda i: units[i[0]].name if i[0] in units else "~"
    ):
        rows.append([unit_name(choice, units, unit_id), *cells(summary)])
    return Table(
        "feedback",
        "Supervisees' feedback: share answering Yes or Mostly",
        ["Unit", "Responses", *FEEDBACK_HEADINGS],
        rows,
        [False, True, True, True, True],
        note=f"Groups of fewer than {smallest} responses are not shown.",
    )


# Every table an export may ask for, by key: each whole, however long.
EXPORTS: dict[str, Callable[[Choice], Table]] = {
    "headline": lambda c: headline_table(s.figures(c.scope, c.period, c.today)),
    "units": units_table,
    "people": people_table,
    "trend": trend_table,
    "missed": lambda c: missed_table(c, limit=None),
    "records-overdue": lambda c: records_overdue_table(c, limit=None),
    "rebook-overdue": lambda c: rebook_table(c, limit=None),
    "agreements": lambda c: agreements_table(c, limit=None),
    "balance": balance_table,
    "feedback": feedback_table,
}
