"""Supervision balance (agenda minutes by function) and supervisees' feedback, never shown
for fewer than ``SMALL_GROUP`` responses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)

from tandem.meetings.models import AgendaItem, SessionStatus

from ..models import AGREES, SMALL_GROUP, SessionFeedback
from ..periods import Period, midnight
from .figures import percent
from .scope import COUNTED_KINDS, DAY, NO_UNIT, Scope


@dataclass
class Balance:
    """Agenda minutes of held sessions by supervision function (Morrison's four)."""

    minutes: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.minutes.values())

    def share(self, function: str) -> int | None:
        return percent(self.minutes.get(function, 0), self.total)


def _agenda_in(scope: Scope, period: Period) -> QuerySet[AgendaItem]:
    start, end = midnight(period.starts_on), midnight(period.ends_on + DAY)
    return AgendaItem.objects.filter(
        session__organisation=scope.organisation,
        session__status=SessionStatus.HELD,
        session__kind__in=COUNTED_KINDS,
        session__held_started_at__gte=start,
        session__held_started_at__lt=end,
    ).filter(scope.people("session__supervisee__"))


def balance(scope: Scope, period: Period) -> Balance:
    result = Balance()
    rows = (
        _agenda_in(scope, period)
        .values("function")
        .annotate(minutes=Sum("minutes"), items=Count("pk"))
        .order_by()
    )
    for row in rows:
        result.minutes[row["function"]] = row["minutes"] or 0
        result.items[row["function"]] = row["items"]
    return result


def balance_by_unit(scope: Scope, period: Period) -> dict[int, Balance]:
    grouped: dict[int, Balance] = defaultdict(Balance)
    rows = (
        _agenda_in(scope, period)
        .annotate(group=scope.grouping("session__supervisee__"))
        .values("group", "function")
        .annotate(minutes=Sum("minutes"), items=Count("pk"))
        .order_by()
    )
    for row in rows:
        target = grouped[row["group"] or NO_UNIT]
        target.minutes[row["function"]] = row["minutes"] or 0
        target.items[row["function"]] = row["items"]
    return dict(grouped)


FEEDBACK_QUESTIONS = ("useful", "time_to_reflect", "felt_supported")


@dataclass(frozen=True)
class FeedbackSummary:
    """The share of responses agreeing with each question; nothing at all below
    ``SMALL_GROUP`` responses (``shown`` is False and the shares are None)."""

    responses: int
    agreeing: dict[str, int | None]
    # The organisation's smallest group shown (never below ``SMALL_GROUP``).
    threshold: int = SMALL_GROUP

    @property
    def shown(self) -> bool:
        return self.responses >= self.threshold


def _feedback_in(scope: Scope, period: Period) -> QuerySet[SessionFeedback]:
    """Feedback carries the team its person was in when they answered."""
    condition = scope.in_unit("team")
    if scope.staff_category:
        condition &= Q(person__staff_category=scope.staff_category)
    return (
        SessionFeedback.objects.for_organisation(scope.organisation)
        .filter(held_on__gte=period.starts_on, held_on__lte=period.ends_on)
        .filter(condition)
    )


def _feedback_figures() -> dict[str, Any]:
    wanted: dict[str, Any] = {"responses": Count("pk")}
    for question in FEEDBACK_QUESTIONS:
        wanted[question] = Count("pk", filter=Q(**{f"{question}__gte": AGREES}))
    return wanted


def smallest_group(organisation: Any) -> int:
    """The smallest group an organisation shows figures of: its setting, never below 5."""
    return max(SMALL_GROUP, getattr(organisation, "smallest_group", SMALL_GROUP) or SMALL_GROUP)


def _summary(row: dict[str, Any], threshold: int = SMALL_GROUP) -> FeedbackSummary:
    responses = row.get("responses") or 0
    if responses < threshold:
        return FeedbackSummary(responses, dict.fromkeys(FEEDBACK_QUESTIONS), threshold)
    return FeedbackSummary(
        responses,
        {q: percent(row.get(q) or 0, responses) for q in FEEDBACK_QUESTIONS},
        threshold,
    )


def feedback_summary(scope: Scope, period: Period) -> FeedbackSummary:
    return _summary(
        _feedback_in(scope, period).aggregate(**_feedback_figures()),
        smallest_group(scope.organisation),
    )


def feedback_by_unit(scope: Scope, period: Period) -> dict[int, FeedbackSummary]:
    """By unit one level below the scope, using the team each person was in when they
    answered."""
    rows = (
        _feedback_in(scope, period)
        .annotate(group=scope.grouping())  # feedback's own team, as people's is in the others
        .values("group")
        .annotate(**_feedback_figures())
        .order_by()
    )
    threshold = smallest_group(scope.organisation)
    return {row["group"] or NO_UNIT: _summary(row, threshold) for row in rows}
