"""API operations on the compliance figures: the headline, units side by side, person by person,
the 12-month trend, the exceptions, one person's windows, supervision balance and feedback, and
what each figure means.

Thin, like the dashboards: read the choice of scope and period with the dashboards' own
``filters.read_choice``, then ask the same selectors. Only people who oversee something (a
senior leader or admin: the organisation; a manager: their units and everything below) get
figures; anyone else, a unit they do not oversee, and a person outside it get a 404, as on the
pages. A choice that cannot be (a custom period ending before it starts, or longer than 5
years) is a 422 in the shape of any other invalid input.

Lists are paginated; each costs the same number of queries whatever the size of the scope.
Feedback is only ever given over 5 responses or more, and never per session.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import ValidationError as InvalidInput
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages
from tandem.meetings.api import Id
from tandem.meetings.models import SupervisionFunction
from tandem.organisations.access import PersonRequest
from tandem.organisations.api import ERRORS
from tandem.organisations.models import Person, Team
from tandem.organisations.selectors import TEAM_DEPTH

from . import selectors
from .definitions import DEFINITIONS
from .filters import Choice, read_choice, widest_unit
from .periods import Period
from .schemas import (
    AgreementGapOut,
    BalanceAnswer,
    DefinitionOut,
    FeedbackAnswer,
    FiguresAnswer,
    MissedOut,
    OverdueRecordOut,
    OversightFilter,
    PersonAnswer,
    PersonFiguresOut,
    RebookOut,
    TrendAnswer,
    UnitsAnswer,
)
from .selectors import Oversight

router = Router(tags=["oversight"])

NOT_IN_A_TEAM = "Not in a team"
# The widest unit first when a manager asks for no unit in particular.


# Finding things


def _access(request: PersonRequest) -> Oversight:
    """What I oversee; nothing at all is a 404, as on the pages."""
    access = selectors.oversight_of(request.person)
    if access is None:
        raise Http404
    return access


def _widest(access: Oversight) -> Team | None:
    """The unit shown when none is asked for: the whole organisation (None) for those who see
    it, else the widest unit the person leads (a directorate before a service before a team)."""
    if access.whole_organisation:
        return None
    return widest_unit(access)


def _choice(request: PersonRequest, filters: OversightFilter) -> tuple[Oversight, Choice]:
    """The scope and period asked for, from validated parameters; a period that cannot be is a
    422 naming the parameter, in the shape of any other invalid input."""
    access = _access(request)
    params: dict[str, str] = {}
    if filters.unit is not None:
        params["unit"] = str(filters.unit)
    if filters.category is not None:
        params["category"] = str(filters.category)
    if filters.period is not None:
        params["period"] = filters.period
    for name, value in (("date", filters.date), ("from", filters.from_), ("to", filters.to)):
        if value is not None:
            params[name] = value.isoformat()
    choice = read_choice(
        params,
        access=access,
        person=request.person,
        today=timezone.localdate(),
        unit=None if filters.unit is not None else _widest(access),
    )
    if choice.errors:
        raise InvalidInput(
            [
                {"type": "value_error", "loc": ["query", name], "msg": message}
                for name, message in choice.errors.items()
            ]
        )
    return access, choice


# What the answers say


def _unit_ref(unit: Team) -> dict[str, Any]:
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind}


def _path(unit: Team) -> list[dict[str, Any]]:
    above: list[dict[str, Any]] = []
    current = unit.parent
    while current is not None and len(above) < TEAM_DEPTH:
        above.append(_unit_ref(current))
        current = current.parent
    return above[::-1]


def _scope(choice: Choice) -> dict[str, Any]:
    scope = choice.scope
    return {
        "organisation": {"id": scope.organisation.pk, "name": scope.organisation.name},
        "unit": _unit_ref(scope.unit) | {"path": _path(scope.unit)} if scope.unit else None,
        "category": scope.staff_category or None,
    }


def _period(period: Period, choice: Choice) -> dict[str, Any]:
    return {
        "kind": period.kind,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "label": period.label,
        "counted_until": period.due_until(choice.today),
    }


def _where(choice: Choice) -> dict[str, Any]:
    return {"scope": _scope(choice), "period": _period(choice.period, choice)}


def _person_named(person_id: int, first: str, last: str) -> dict[str, Any]:
    return {"id": person_id, "full_name": f"{first} {last}"}


def _person_in_scope(person: Person) -> dict[str, Any]:
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "job_title": person.job_title,
        "staff_category": person.staff_category,
        "team": _unit_ref(person.team) if person.team else None,
    }


def _by_unit(choice: Choice, found: dict[int, Any], key: str) -> list[dict[str, Any]]:
    """Rows for the units one level below the scope, in name order ("Not in a team" last)."""
    units = selectors.units_named(choice.scope.organisation, found.keys())
    rows = [
        {
            "unit": _unit_ref(units[unit_id]) if unit_id in units else None,
            "name": units[unit_id].name if unit_id in units else NOT_IN_A_TEAM,
            key: value,
        }
        for unit_id, value in found.items()
    ]
    return sorted(rows, key=lambda row: (row["unit"] is None, row["name"].lower()))


class _Rows:
    """A queryset that becomes answer rows only once sliced: ``ApiPages`` counts it and takes one
    page, and ``rows`` turns that page alone into answers (its figures included)."""

    def __init__(
        self, queryset: QuerySet[Any], rows: Callable[[list[Any]], list[dict[str, Any]]]
    ) -> None:
        self.queryset = queryset
        self.rows = rows

    def all(self) -> "_Rows":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return self.rows(list(self.queryset[page]))


# The figures


@router.get(
    "/oversight/figures",
    response={200: FiguresAnswer, **ERRORS},
    summary="The headline compliance figures for a scope and period",
    description=(
        "The scope (the organisation, or a unit and everything under it, optionally one staff "
        "category) and period asked for, and every figure over them. What each figure means: "
        "`definitions`."
    ),
)
def oversight_figures(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)
    figures = selectors.figures(choice.scope, choice.period, choice.today)
    return _where(choice) | {
        "figures": figures.as_dict(),
        "definitions": reverse("api-1.0.0:oversight_definitions"),
        "definitions_page": reverse("oversight-definitions"),
    }


@router.get(
    "/oversight/units",
    response={200: UnitsAnswer, **ERRORS},
    summary="The figures of the units one level below the scope, side by side",
)
def oversight_units(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)
    found = selectors.figures_by(choice.scope, choice.period, choice.today, by="unit")
    rows = _by_unit(choice, {k: f.as_dict() for k, f in found.items()}, "figures")
    return _where(choice) | {"units": rows}


@router.get(
    "/oversight/people",
    response={200: list[PersonFiguresOut], **ERRORS},
    summary="Person by person: the figures of each person in post in the scope, by name",
)
@paginate(ApiPages)
def oversight_people(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)
    people = (
        selectors.staff_in(choice.scope, choice.today)
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )

    def rows(page: list[Person]) -> list[dict[str, Any]]:
        found = selectors.figures_by(
            choice.scope, choice.period, choice.today, by="person", people=[p.pk for p in page]
        )
        return [
            {
                "person": _person_in_scope(p),
                "figures": found.get(p.pk, selectors.Figures()).as_dict(),
            }
            for p in page
        ]

    return _Rows(people, rows)


@router.get(
    "/oversight/trend",
    response={200: TrendAnswer, **ERRORS},
    summary="The 12 months ending with the period: sessions held as required, records on time",
)
def oversight_trend(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)
    months = selectors.trend(choice.scope, choice.period, choice.today)
    return _where(choice) | {
        "months": [
            {
                "month": m.month,
                "label": m.label,
                "required": m.required,
                "met": m.met,
                "met_percent": m.met_percent,
                "records_due": m.records_due,
                "shared_on_time": m.shared_on_time,
                "on_time_percent": m.on_time_percent,
            }
            for m in months
        ]
    }


# Exceptions


@router.get(
    "/oversight/exceptions/missed",
    response={200: list[MissedOut], **ERRORS},
    summary="People who missed a session required in the period, longest overdue first",
)
@paginate(ApiPages)
def oversight_missed(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)

    def rows(page: list[dict[str, Any]]) -> list[dict[str, Any]]:
        last_held = selectors.last_held_of(row["person_id"] for row in page)
        return [
            {
                "person": _person_named(
                    row["person_id"], row["person__first_name"], row["person__last_name"]
                ),
                "staff_category": row["person__staff_category"],
                "team_name": row["person__team__name"],
                "required": row["required"],
                "missed": row["missed"],
                "first_missed": row["first_missed"],
                "last_missed": row["last_missed"],
                "last_held_at": last_held.get(row["person_id"]),
            }
            for row in page
        ]

    return _Rows(selectors.missed_windows(choice.scope, choice.period, choice.today), rows)


@router.get(
    "/oversight/exceptions/records",
    response={200: list[OverdueRecordOut], **ERRORS},
    summary="Records not shared by their deadline, oldest first (whatever the period)",
)
@paginate(ApiPages)
def oversight_overdue_records(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)

    def rows(page: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "record_id": record.pk,
                "session_id": record.session_id,
                "held_on": record.held_on,
                "due_on": record.due_on,
                "days_overdue": (choice.today - record.due_on).days,
                "supervisee": record.supervisee,
                "supervisor": record.supervisor,
            }
            for record in page
        ]

    return _Rows(selectors.overdue_records(choice.scope, choice.today), rows)


@router.get(
    "/oversight/exceptions/rebook",
    response={200: list[RebookOut], **ERRORS},
    summary="Cancelled sessions due in the period not re-booked by their deadline, oldest first",
)
@paginate(ApiPages)
def oversight_rebook_overdue(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)

    def rows(page: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "session_id": session.pk,
                "starts_at": session.starts_at,
                "rebook_by": session.rebook_by,
                "days_overdue": (choice.today - session.rebook_by).days,
                "supervisee": session.supervisee,
                "supervisor": session.supervisor,
            }
            for session in page
        ]

    return _Rows(selectors.rebook_overdue_sessions(choice.scope, choice.today, choice.period), rows)


@router.get(
    "/oversight/exceptions/agreements",
    response={200: list[AgreementGapOut], **ERRORS},
    summary="People in post without a supervision agreement in date, longest out of date first",
)
@paginate(ApiPages)
def oversight_agreements(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)

    def rows(page: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "person": person,
                "staff_category": person.staff_category,
                "team_name": person.team.name if person.team else None,
                "review_due_on": person.review_due_on,
            }
            for person in page
        ]

    return _Rows(selectors.agreements_out_of_date(choice.scope, choice.today), rows)


# One person


@router.get(
    "/oversight/people/{person_id}",
    response={200: PersonAnswer, **ERRORS},
    summary="One person's figures and windows over the period, with the session that met each",
    description=(
        "For someone I oversee. `unit` and `category` are not needed: the person's figures are "
        "their own wherever they work."
    ),
)
def oversight_person(request: PersonRequest, person_id: Id, filters: Query[OversightFilter]) -> Any:
    access, choice = _choice(request, filters)
    me = request.person
    person = (
        Person.objects.for_organisation(me.organisation_id)
        .select_related("team")
        .filter(pk=person_id)
        .first()
    )
    if person is None or not selectors.may_oversee_person(access, me, person):
        raise Http404
    whole = selectors.Scope(choice.scope.organisation)
    found = selectors.figures_by(
        whole, choice.period, choice.today, by="person", people=[person.pk]
    )
    counted_until = choice.period.due_until(choice.today)
    return {
        "person": _person_in_scope(person),
        "period": _period(choice.period, choice),
        "figures": found.get(person.pk, selectors.Figures()).as_dict(),
        "windows": [
            {
                "starts_on": w.window.starts_on,
                "ends_on": w.window.ends_on,
                "frequency": w.window.frequency,
                "min_minutes": w.window.min_minutes,
                "counted": w.window.ends_on <= counted_until,
                "met": w.met,
                "session_id": w.session_id,
                "session_held_at": w.session_at,
            }
            for w in selectors.person_windows(person, choice.period, choice.today)
        ],
    }


# Balance and feedback


def _balance(found: selectors.Balance) -> dict[str, Any]:
    return {
        "total_minutes": found.total,
        "functions": [
            {
                "function": function.value,
                "label": str(function.label),
                "minutes": found.minutes.get(function.value, 0),
                "items": found.items.get(function.value, 0),
                "share_percent": found.share(function.value),
            }
            for function in SupervisionFunction
        ],
    }


@router.get(
    "/oversight/balance",
    response={200: BalanceAnswer, **ERRORS},
    summary="Supervision balance: agenda minutes by supervision function, for the scope and units",
)
def oversight_balance(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)
    whole = selectors.balance(choice.scope, choice.period)
    by_unit = selectors.balance_by_unit(choice.scope, choice.period)
    units = _by_unit(choice, {k: _balance(b) for k, b in by_unit.items()}, "balance")
    return _where(choice) | {"all": _balance(whole), "units": units}


def _feedback(summary: selectors.FeedbackSummary) -> dict[str, Any]:
    """Nothing of a group below the smallest shown: not even how many answered."""
    shown = summary.shown
    return {
        "shown": shown,
        "responses": summary.responses if shown else None,
        "agreeing_percent": {
            question: summary.agreeing.get(question) if shown else None
            for question in selectors.FEEDBACK_QUESTIONS
        },
    }


@router.get(
    "/oversight/feedback",
    response={200: FeedbackAnswer, **ERRORS},
    summary="Supervisees' feedback on sessions: the share agreeing, for the scope and units",
    description=(
        "The share of responses of Yes or Mostly to each question, never one session at a "
        "time, and nothing at all of a group of fewer than 5 responses (`shown` is false)."
    ),
)
def oversight_feedback(request: PersonRequest, filters: Query[OversightFilter]) -> Any:
    _, choice = _choice(request, filters)
    whole = selectors.feedback_summary(choice.scope, choice.period)
    by_unit = selectors.feedback_by_unit(choice.scope, choice.period)
    units = _by_unit(choice, {k: _feedback(f) for k, f in by_unit.items()}, "feedback")
    return _where(choice) | {
        "smallest_group": selectors.smallest_group(choice.scope.organisation),
        "all": _feedback(whole),
        "units": units,
    }


# Definitions


@router.get(
    "/oversight/definitions",
    response={200: list[DefinitionOut], **ERRORS},
    url_name="oversight_definitions",
    summary="What each figure means: one definition of each, as the dashboards use",
)
def oversight_definitions(request: PersonRequest) -> Sequence[Any]:
    return DEFINITIONS
