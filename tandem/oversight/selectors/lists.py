"""Who needs attention (the exception lists) and one person's windows, sessions and records."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, TruncDate

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import (
    Person,
)
from tandem.records.models import (
    Record,
    RecordStatus,
)

from ..models import DueWindow
from ..periods import Period, midnight, zone
from .figures import (
    _held_in,
    _minimum_then,
    agreement_in_date,
    qualifying_sessions,
    staff_in,
    windows_due,
)
from .scope import COUNTED_KINDS, DAY, Scope


def missed_windows(scope: Scope, period: Period, today: datetime.date) -> QuerySet[Any]:
    """People with a window in the period that had no qualifying session: how many of how
    many and the first and last missed deadlines; longest overdue first. Their last sessions
    come from ``last_held_of`` for the rows shown (counting the rows then costs nothing more)."""
    return (
        windows_due(scope, period, today)
        .values(
            "person_id",
            "person__first_name",
            "person__last_name",
            "person__staff_category",
            "person__team__name",
        )
        .annotate(
            required=Count("pk"),
            missed=Count("pk", filter=Q(is_met=False)),
            first_missed=Min("ends_on", filter=Q(is_met=False)),
            last_missed=Max("ends_on", filter=Q(is_met=False)),
        )
        .filter(missed__gt=0)
        .order_by("first_missed", "person__last_name", "person__first_name", "person_id")
    )


def last_held_of(person_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    """When each of these people last had a session held (one query)."""
    rows = (
        Session.objects.filter(_held_in(), supervisee_id__in=list(person_ids))
        .values("supervisee_id")
        .annotate(last=Max("held_started_at"))
        .order_by()
    )
    return {row["supervisee_id"]: row["last"] for row in rows}


def overdue_records(scope: Scope, today: datetime.date) -> QuerySet[Record]:
    """Records still not shared after their deadline, oldest first."""
    return (
        Record.objects.for_organisation(scope.organisation)
        .filter(scope.people("supervisee__"))
        .filter(status=RecordStatus.DRAFT, due_on__lt=today)
        .select_related("supervisee", "supervisor", "supervisee__team")
        .order_by("due_on", "pk")
    )


def rebook_overdue_sessions(
    scope: Scope, today: datetime.date, period: Period | None = None
) -> QuerySet[Session]:
    """Cancelled sessions not re-booked by their deadline, oldest first: those that were due in
    the period when one is given (as the ``rebook_overdue`` figure counts them)."""
    sessions = Session.objects.for_organisation(scope.organisation)
    if period is not None:
        sessions = sessions.filter(
            starts_at__gte=midnight(period.starts_on), starts_at__lt=midnight(period.ends_on + DAY)
        )
    return (
        sessions.filter(kind__in=COUNTED_KINDS)
        .filter(scope.people("supervisee__"))
        .filter(status=SessionStatus.CANCELLED, rebook_by__lt=today)
        .filter(~Exists(Session.objects.filter(rebooked_from=OuterRef("pk"))))
        .select_related("supervisee", "supervisor")
        .order_by("rebook_by", "pk")
    )


def agreements_out_of_date(scope: Scope, today: datetime.date) -> QuerySet[Person]:
    """People in post without an agreement in date, with the date their latest one was due for
    review (None: they never had one)."""
    latest_review = (
        Agreement.objects.filter(supervisee_id=OuterRef("pk"))
        .exclude(status=AgreementStatus.SUPERSEDED)
        .order_by("-created_at")
        .values("review_due_on")[:1]
    )
    return (
        staff_in(scope, today)
        .annotate(in_date=agreement_in_date(today), review_due_on=Subquery(latest_review))
        .filter(in_date=False)
        .select_related("team")
        .order_by(F("review_due_on").asc(nulls_first=True), "last_name", "first_name", "pk")
    )


# One person


@dataclass(frozen=True)
class PersonWindow:
    window: DueWindow
    session_id: int | None
    session_at: datetime.datetime | None

    @property
    def met(self) -> bool:
        return self.session_id is not None


def person_windows(person: Person, period: Period, today: datetime.date) -> list[PersonWindow]:
    """The person's windows touching the period, each with the session that met it (the first
    qualifying one), or none. One query."""
    first = qualifying_sessions().order_by("held_started_at")
    rows = (
        DueWindow.objects.for_organisation(person.organisation_id)
        .filter(person=person, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on)
        .annotate(
            session_id=Subquery(first.values("pk")[:1]),
            session_at=Subquery(first.values("held_started_at")[:1]),
        )
        .order_by("starts_on")
    )
    return [PersonWindow(w, w.session_id, w.session_at) for w in rows]


def person_sessions(person: Person, period: Period) -> QuerySet[Session]:
    """The person's own sessions in the period (held by when they were held, others by when
    they were booked), with each held one's minimum then."""
    start, end = midnight(period.starts_on), midnight(period.ends_on + DAY)
    when = Coalesce("held_started_at", "starts_at")
    return (
        Session.objects.for_organisation(person.organisation_id)
        .filter(supervisee=person, kind__in=COUNTED_KINDS)
        .annotate(when=when, minimum=_minimum_then())
        .filter(when__gte=start, when__lt=end)
        .select_related("supervisor", "rebooked_as")
        .order_by("when", "pk")
    )


def person_records(person: Person, period: Period) -> QuerySet[Record]:
    return (
        Record.objects.for_organisation(person.organisation_id)
        .filter(supervisee=person, held_on__gte=period.starts_on, held_on__lte=period.ends_on)
        .annotate(shared_on=TruncDate("shared_at", tzinfo=zone()))
        .select_related("supervisor")
        .order_by("held_on", "pk")
    )
