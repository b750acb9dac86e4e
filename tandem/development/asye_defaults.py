"""The built-in early-career programme every organisation starts from (../shared/domain.md):
12 months, reviews at 3, 6, (optional) 9 and 12 months, then a moderation panel; KSS
self-assessment at the start, midpoint and end; 3 direct observations; 10% protected
development time; a caseload of 25%, 50%, 70% and 90% of a full one to 3, 6, 9 and 12 months.
Organisations change any of it in the programme page (a new version from a date)."""

from __future__ import annotations

from typing import Any

DEFAULT_NAME = "ASYE"
DEFAULT_REVIEW_POINTS: list[dict[str, Any]] = [
    {"key": "3m", "label": "3-month review", "month": 3, "optional": False, "panel": False},
    {"key": "6m", "label": "6-month review", "month": 6, "optional": False, "panel": False},
    {"key": "9m", "label": "9-month review", "month": 9, "optional": True, "panel": False},
    {"key": "12m", "label": "Final review", "month": 12, "optional": False, "panel": False},
    {"key": "panel", "label": "Moderation panel", "month": 13, "optional": False, "panel": True},
]
DEFAULT_SELF_ASSESSMENT_MONTHS = [0, 6, 12]
DEFAULT_CASELOAD_WEIGHTS = [[3, 25], [6, 50], [9, 70], [12, 90]]


def review_points_text(points: list[dict[str, Any]]) -> str:
    """The review points as the programme page shows them to edit: one a line, "month, label",
    with "(optional)" or "(panel)" after the label."""
    lines = []
    for point in points:
        extra = " (panel)" if point.get("panel") else " (optional)" if point.get("optional") else ""
        lines.append(f"{point['month']}, {point['label']}{extra}")
    return "\n".join(lines)


def review_points_parse(text: str) -> tuple[list[dict[str, Any]], str]:
    """The lines of the programme page as review points, or a problem in plain words."""
    points: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        month_text, _, label = line.partition(",")
        label = label.strip()
        try:
            month = int(month_text.strip())
        except ValueError:
            return [], f"Line {number}: start with the month, a number, then a comma and the name."
        if not 1 <= month <= 36:
            return [], f"Line {number}: the month must be from 1 to 36."
        panel = label.endswith("(panel)")
        optional = label.endswith("(optional)")
        label = label.removesuffix("(panel)").removesuffix("(optional)").strip()
        if not label or len(label) > 100:
            return [], f"Line {number}: give the review a name of up to 100 characters."
        key = "panel" if panel else f"{month}m"
        if key in seen:
            return [], f"Line {number}: there is already a review at month {month}."
        seen.add(key)
        points.append(
            {"key": key, "label": label, "month": month, "optional": optional, "panel": panel}
        )
    if not points:
        return [], "Enter at least one review point."
    months = [p["month"] for p in points]
    if months != sorted(months):
        return [], "List the review points in the order they fall."
    return points, ""


def weights_text(weights: list[list[int]]) -> str:
    return "\n".join(f"{month}, {percent}" for month, percent in weights)


def weights_parse(text: str) -> tuple[list[list[int]], str]:
    weights: list[list[int]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        month_text, _, percent_text = line.partition(",")
        try:
            month, percent = int(month_text), int(percent_text.strip().rstrip("%"))
        except ValueError:
            return [], f"Line {number}: write the month, a comma and the percentage, like 3, 25."
        if not (1 <= month <= 36 and 0 < percent <= 100):
            return [], f"Line {number}: the month is 1 to 36 and the percentage 1 to 100."
        weights.append([month, percent])
    if [w[0] for w in weights] != sorted({w[0] for w in weights}):
        return [], "List each month once, in order."
    return weights, ""
