"""Charts drawn on the server as inline SVG: the 12-month trend (lines) and the units side by
side (bars). This module only does the geometry; ``oversight/_line_chart.html`` and
``oversight/_bar_chart.html`` draw it.

Each chart is drawn from the same ``tables.Table`` the page shows beside it, so the chart and
its accessible table can never disagree. Colours have at least 3:1 contrast with white and are
never the only difference between series: each has its own marker shape and line style, and a
legend in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .selectors import percent
from .tables import Link, Table

# GOV.UK blue (5.2:1 on white) and GOV.UK black (19:1), with shapes and dashes that differ too.
BLUE = "#1d70b8"
BLACK = "#0b0c0c"
GRID = "#b1b4b6"

WIDTH = 640
TICKS = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str  # the x label it belongs to, for the marker's tooltip

    @property
    def corner_x(self) -> float:
        """Where a square marker's corner goes."""
        return round(self.x - 5, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    marker: str  # "circle" or "square"
    dashed: bool
    points: list[Point]
    path: str  # SVG path data, with gaps where there is no figure
    legend_x: float

    @property
    def dash(self) -> str:
        return "8 5" if self.dashed else ""


@dataclass(frozen=True)
class Tick:
    position: float
    text: str
    second_line: str = ""


@dataclass(frozen=True)
class LineChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    series: list[Series]
    legend_y: float

    @property
    def empty(self) -> bool:
        return not any(s.points for s in self.series)

    @property
    def y_label_x(self) -> float:
        return self.left - 8


def _y(value: float, top: float, bottom: float) -> float:
    return round(bottom - (bottom - top) * value / 100, 1)


def _path(points: Sequence[Point | None]) -> str:
    """SVG path data through the points, lifting the pen over missing ones."""
    parts: list[str] = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point.x} {point.y}")
        pen_down = True
    return " ".join(parts)


def _trend_words(name: str, labels: Sequence[str], values: Sequence[int | None]) -> str:
    known = [
        (label, value) for label, value in zip(labels, values, strict=True) if value is not None
    ]
    if not known:
        return f"{name}: no figures in these months."
    (first_label, first), (last_label, last) = known[0], known[-1]
    if len(known) == 1 or first_label == last_label:
        return f"{name}: {last}% in {last_label}."
    low = min(known, key=lambda item: item[1])
    high = max(known, key=lambda item: item[1])
    change = "rose" if last > first else "fell" if last < first else "stayed"
    words = (
        f"{name} {change} from {first}% in {first_label} to {last}% in {last_label}"
        if change != "stayed"
        else f"{name} stayed at {last}% from {first_label} to {last_label}"
    )
    return f"{words} (lowest {low[1]}% in {low[0]}, highest {high[1]}% in {high[0]})."


def line_chart(
    *,
    key: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
) -> LineChart:
    """Percentages (0 to 100, None where there is no figure) over ``labels``, one line each."""
    height = 300
    left, right, top, bottom = 56.0, WIDTH - 24.0, 56.0, height - 52.0
    count = max(len(labels), 1)
    step = (right - left) / max(count - 1, 1)
    xs = [round(left + step * i, 1) for i in range(count)]
    styles = [(BLUE, "circle", False), (BLACK, "square", True)]
    drawn: list[Series] = []
    for index, (name, values) in enumerate(series):
        colour, marker, dashed = styles[index % len(styles)]
        points: list[Point | None] = [
            None if value is None else Point(xs[i], _y(value, top, bottom), value, labels[i])
            for i, value in enumerate(values)
        ]
        drawn.append(
            Series(
                name=name,
                colour=colour,
                marker=marker,
                dashed=dashed,
                points=[p for p in points if p is not None],
                path=_path(points),
                legend_x=left + 280 * index,
            )
        )
    x_ticks = []
    previous_year = ""
    for x, label in zip(xs, labels, strict=False):
        month, _, year = label.partition(" ")
        x_ticks.append(Tick(x, month, year if year != previous_year else ""))
        previous_year = year
    y_ticks = [Tick(_y(t, top, bottom), f"{t}%") for t in TICKS]
    description = (
        " ".join(_trend_words(name, labels, values) for name, values in series)
        + " The same figures are in the table below the chart."
    )
    return LineChart(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        series=drawn,
        legend_y=20,
    )


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    href: str
    y: float
    width: float
    value: int | None
    text: str

    @property
    def text_x(self) -> float:
        return self.width + 6

    @property
    def text_y(self) -> float:
        return self.y + 15


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    width: int
    height: int
    label_width: float
    bar_area: float
    bar_height: float
    top: float
    bars: list[Bar]
    ticks: list[Tick] = field(default_factory=list)

    @property
    def bottom(self) -> float:
        return self.height - 28

    @property
    def tick_text_y(self) -> float:
        return self.bottom + 18

    @property
    def empty(self) -> bool:
        return not self.bars


MAX_LABEL = 28


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def bar_chart(
    *, key: str, title: str, bars: Sequence[tuple[str, str, int | None]], measure: str
) -> BarChart:
    """One horizontal bar per (label, link, percentage or None), 0 to 100%."""
    label_width, bar_area, row, bar_height, top = 220.0, 340.0, 30.0, 20.0, 8.0
    drawn = []
    for index, (label, href, value) in enumerate(bars):
        drawn.append(
            Bar(
                label=label,
                short_label=_short(label),
                href=href,
                y=top + index * row,
                width=round(bar_area * (value or 0) / 100, 1),
                value=value,
                text="none due" if value is None else f"{value}%",
            )
        )
    height = int(top + len(drawn) * row + 36)
    ticks = [Tick(round(bar_area * t / 100, 1), f"{t}%") for t in TICKS]
    known = [b for b in drawn if b.value is not None]
    if known:
        low = min(known, key=lambda b: b.value or 0)
        high = max(known, key=lambda b: b.value or 0)
        description = (
            f"{measure}, {len(drawn)} side by side: highest {high.label} at {high.text}, "
            f"lowest {low.label} at {low.text}. The same figures are in the table below."
        )
    else:
        description = f"{measure}: no sessions were due. The same figures are in the table below."
    return BarChart(
        key=key,
        title=title,
        description=description,
        width=WIDTH,
        height=height,
        label_width=label_width,
        bar_area=bar_area,
        bar_height=bar_height,
        top=top,
        bars=drawn,
        ticks=ticks,
    )


# From the tables the pages show


def _column(table: Table, heading: str) -> int:
    return table.headings.index(heading)


def _number(cell: object) -> int:
    return cell if isinstance(cell, int) else 0


def trend_chart(table: Table) -> LineChart:
    """The 12-month trend from ``tables.trend_table``: % held as required and % of records
    shared on time, month by month."""
    month = _column(table, "Month")
    required = _column(table, "Sessions required")
    met = _column(table, "Held as required")
    due = _column(table, "Records due")
    on_time = _column(table, "Shared on time")
    labels = [str(row[month]) for row in table.rows]
    held = [percent(_number(row[met]), _number(row[required])) for row in table.rows]
    shared = [percent(_number(row[on_time]), _number(row[due])) for row in table.rows]
    return line_chart(
        key="trend",
        title="Sessions held as required and records shared on time, the last 12 months",
        labels=labels,
        series=[("Sessions held as required", held), ("Records shared on time", shared)],
    )


def units_chart(table: Table) -> BarChart:
    """Units side by side from ``tables.units_table``: % of sessions required that were held."""
    required = _column(table, "Sessions required")
    met = _column(table, "Held as required")
    bars = []
    for row in table.rows:
        label = row[0]
        href = label.href if isinstance(label, Link) else ""
        bars.append((str(label), href, percent(_number(row[met]), _number(row[required]))))
    return bar_chart(
        key="units",
        title=f"{table.title}: sessions held as required",
        bars=bars,
        measure="Sessions held as required",
    )
