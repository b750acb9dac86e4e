"""The development figures (``definitions.py``, group "Development"), computed in the database
as the other figures are: as annotations on the people in post (CPD, revalidations, NQSWs and
their caseload, objectives) and as aggregates over ASYE reviews and direct observations. The
rules they count against are the organisation's (``development.selectors.rules_of``), read
once per call."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from tandem.development import schemes
from tandem.development.models import (
    ASYE_RUNNING,
    Asye,
    AsyeReview,
    CaseloadEntry,
    Objective,
    ObjectiveStatus,
    Observation,
    Revalidation,
)
from tandem.development.schemes import Scheme
from tandem.development.selectors import all_rules, count_per_person, cpd_counts, cpd_met_q
from tandem.organisations.models import StaffCategory

from ..periods import Period
from .scope import Scope


def staff_figures(scope: Scope, today: datetime.date) -> dict[str, Any]:
    """Annotations and counts over the people in post, added to the staff source: one query
    with the others of that table. Reads the organisation's rules (one query)."""
    rules = all_rules(scope.organisation)
    swe, nmc = rules[Scheme.SWE_CPD], rules[Scheme.NMC_REVALIDATION]
    year = schemes.registration_year(today, starts_month=swe["year_starts_month"])
    before_reminders = today < schemes.reminders_start(year, from_month=swe["reminders_from_month"])
    met = cpd_met_q(swe)
    social_work = Q(staff_category__in=list(schemes.SOCIAL_WORK))
    due_soon = Revalidation.objects.filter(
        person_id=OuterRef("pk"),
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=nmc["due_soon_days"]),
    )
    latest_caseload = CaseloadEntry.objects.filter(
        asye__person_id=OuterRef("pk"), asye__status__in=ASYE_RUNNING
    ).order_by("-on", "-id")
    return {
        "_annotations": {
            **cpd_counts(starts_on=year.starts_on, until=today),
            "revalidation_soon": Exists(due_soon),
            "asye_running": Exists(
                Asye.objects.filter(person_id=OuterRef("pk"), status__in=ASYE_RUNNING)
            ),
            "caseload_above": Subquery(latest_caseload.values("above")[:1]),
            "objectives_late": count_per_person(
                Objective.objects.filter(status=ObjectiveStatus.OPEN, target_on__lt=today)
            ),
        },
        "cpd_people": Count("pk", filter=social_work),
        # Before reminders begin (1 September) the year is young: everyone is on track.
        "cpd_on_track": Count("pk", filter=social_work if before_reminders else social_work & met),
        "cpd_met": Count("pk", filter=social_work & met),
        "revalidations_due": Count(
            "pk", filter=Q(staff_category=StaffCategory.NURSE, revalidation_soon=True)
        ),
        "nqsws": Count("pk", filter=Q(asye_running=True)),
        "nqsw_above_weighting": Count("pk", filter=Q(asye_running=True, caseload_above=True)),
        "objectives_overdue": Coalesce(Sum("objectives_late"), Value(0)),
    }


def asye_reviews_in(scope: Scope, period: Period, today: datetime.date) -> QuerySet[AsyeReview]:
    """Review points (not the optional ones) due in the period, before today."""
    return AsyeReview.objects.for_organisation(scope.organisation).filter(
        Q(
            optional=False,
            due_on__gte=period.starts_on,
            due_on__lte=min(period.ends_on, today - datetime.timedelta(days=1)),
        )
        & scope.people("asye__person__")
    )


def review_figures() -> dict[str, Any]:
    return {
        "asye_reviews_due": Count("pk"),
        "asye_reviews_on_time": Count(
            "pk", filter=Q(held_on__isnull=False, held_on__lte=F("due_on"))
        ),
    }


def observations_in(scope: Scope, period: Period) -> QuerySet[Observation]:
    return Observation.objects.for_organisation(scope.organisation).filter(
        Q(observed_on__gte=period.starts_on, observed_on__lte=period.ends_on)
        & scope.people("asye__person__")
    )


OBSERVATION_FIGURES = {"observations": Count("pk")}
