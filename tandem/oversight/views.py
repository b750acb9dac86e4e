"""The oversight dashboards: the whole organisation, a unit (services or teams side by side, or a
team person by person), one person's compliance, and the definitions every figure links to.

Thin: who may oversee what is ``selectors.oversight_of`` (nobody to oversee, or the wrong unit
or person: 404, as for any page that is not yours); what was asked for is
``filters.read_choice`` (bad values become errors on the page, never a failure); the figures
and tables come from ``selectors`` and ``tables``, the same ones the exports and the API use.
A page's number of queries does not grow with the organisation.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person, Role, StaffCategory, Team, TeamKind
from tandem.organisations.selectors import person_has_role, person_is_manager

from . import charts, person_tables, tables
from . import definitions as defs
from . import selectors as s
from .filters import Choice, read_choice, widest_unit
from .periods import KINDS, Period

DAY = datetime.timedelta(days=1)
# A team's people on its page; the export has everyone.
PEOPLE_ROWS = 50
PERIOD_KINDS = [
    ("month", "A month"),
    ("quarter", "A quarter"),
    ("year", "A financial year (1 April to 31 March)"),
    ("custom", "Your own dates"),
]
assert [k for k, _ in PERIOD_KINDS] == list(KINDS)


def show_in_navigation(request: HttpRequest) -> bool:
    """Whether the navigation offers Oversight: to senior leaders, admins and anyone who leads a
    unit. Two queries at most."""
    person = getattr(request, "person", None)
    if person is None:
        return False
    if person_has_role(person, Role.SENIOR_LEADER) or person_has_role(person, Role.ADMIN):
        return True
    return person_is_manager(person)


def _access(request: PersonRequest) -> s.Oversight:
    access = s.oversight_of(request.person)
    if access is None:
        raise Http404("Nothing to oversee.")
    return access


def _choice(
    request: PersonRequest, access: s.Oversight, *, unit: Team | None = None, drop: str = ""
) -> Choice:
    """``filters.read_choice`` of the query (without the ``drop`` parameter)."""
    params = request.GET.copy()
    if drop:
        params.pop(drop, None)
    return read_choice(
        params,
        access=access,
        person=request.person,
        today=timezone.localdate(),
        unit=unit,
    )


def _same_query(request: PersonRequest, *, drop: str = "") -> str:
    params = request.GET.copy()
    params.pop(drop, None)
    return "?" + params.urlencode() if params else ""


@person_required
def oversight_home(request: PersonRequest) -> HttpResponse:
    """The widest dashboard this person may see."""
    access = _access(request)
    query = _same_query(request, drop="unit")
    if access.whole_organisation:
        return redirect(reverse("oversight-organisation") + query)
    return redirect(reverse("oversight-unit", args=[widest_unit(access).pk]) + query)


def _unit_asked(request: PersonRequest, access: s.Oversight, current: Team | None) -> str | None:
    """Where to go when the filter form asks for another unit than the page's (a redirect
    URL), or None to stay. A unit they may not oversee is a 404."""
    if "unit" not in request.GET:
        return None
    raw = request.GET.get("unit", "").strip()
    if raw == (str(current.pk) if current is not None else ""):
        return None
    query = _same_query(request, drop="unit")
    if raw == "":
        if not access.whole_organisation:
            raise Http404("No such team.")
        return reverse("oversight-organisation") + query
    unit = s.unit_with_parents(access.organisation, int(raw)) if raw.isdigit() else None
    if unit is None or not s.may_oversee_unit(access, unit):
        raise Http404("No such team.")
    return reverse("oversight-unit", args=[unit.pk]) + query


@person_required
def organisation_dashboard(request: PersonRequest) -> HttpResponse:
    access = _access(request)
    if not access.whole_organisation:
        raise Http404("Only senior leaders oversee the whole organisation.")
    elsewhere = _unit_asked(request, access, None)
    if elsewhere:
        return redirect(elsewhere)
    return _dashboard(request, access, _choice(request, access))


@person_required
def unit_dashboard(request: PersonRequest, pk: int) -> HttpResponse:
    access = _access(request)
    unit = s.unit_with_parents(access.organisation, pk)
    if unit is None or not s.may_oversee_unit(access, unit):
        raise Http404("No such team.")
    elsewhere = _unit_asked(request, access, unit)
    if elsewhere:
        return redirect(elsewhere)
    return _dashboard(request, access, _choice(request, access, unit=unit))


# The pieces of a dashboard


@dataclass(frozen=True)
class Card:
    key: str
    name: str
    value: str
    detail: str

    @property
    def anchor(self) -> str:
        return f"{reverse('oversight-definitions')}#{self.key}"


def _pct(value: int | None, nothing: str = "None due") -> str:
    return nothing if value is None else f"{value}%"


def _cards(f: s.Figures, keys: list[str]) -> list[list[Card]]:
    """The headline figures as cards, in rows of three, each naming its definition."""
    every = {
        "people": (
            _pct(f.people_percent),
            f"{f.people_compliant:,} of {f.people:,} people had every session they needed",
        ),
        "met": (
            _pct(f.met_percent),
            f"{f.met:,} of {f.required:,} sessions required were held",
        ),
        "shared_on_time": (
            _pct(f.on_time_percent),
            f"{f.shared_on_time:,} of {f.records_due:,} records due were shared by their deadline",
        ),
        "signed": (
            _pct(f.signed_percent, "No records"),
            f"{f.signed:,} of {f.records:,} records",
        ),
        "agreements_in_date": (
            _pct(f.agreements_percent, "Nobody in post"),
            f"{f.agreements_in_date:,} of {f.staff:,} people in post today",
        ),
        "open_disagreements": (f"{f.open_disagreements:,}", "Not yet resolved, today"),
        "overdue_actions": (f"{f.overdue_actions:,}", "Past their due date, today"),
        "short": (f"{f.short:,}", f"of {f.held:,} sessions held"),
        "rebooked_in_time": (
            f"{f.rebooked_in_time:,} of {f.cancelled:,}",
            f"cancelled sessions; {f.rebook_overdue:,} not re-booked in time",
        ),
        "cpd_on_track": (
            _pct(f.cpd_on_track_percent, "No social workers"),
            f"{f.cpd_on_track:,} of {f.cpd_people:,} social workers; {f.cpd_met:,} have met it",
        ),
        "revalidations_due": (f"{f.revalidations_due:,}", "NMC renewal dates in 90 days"),
        "asye_reviews_on_time": (
            _pct(f.asye_on_time_percent),
            f"{f.asye_reviews_on_time:,} of {f.asye_reviews_due:,} ASYE reviews due",
        ),
        "observations": (f"{f.observations:,}", "direct observations of NQSWs in the period"),
        "nqsw_above_weighting": (
            f"{f.nqsw_above_weighting:,} of {f.nqsws:,}",
            "NQSWs, by their latest caseload",
        ),
        "objectives_overdue": (f"{f.objectives_overdue:,}", "Past their target date, today"),
    }
    cards = [Card(key, defs.BY_KEY[key].name, *every[key]) for key in keys]
    return [cards[i : i + 3] for i in range(0, len(cards), 3)]


DASHBOARD_CARDS = [
    "people",
    "met",
    "shared_on_time",
    "signed",
    "agreements_in_date",
    "rebooked_in_time",
    "short",
    "open_disagreements",
    "overdue_actions",
]
# The development figures, in a row of cards of their own below the supervision ones.
DEVELOPMENT_CARDS = [
    "cpd_on_track",
    "revalidations_due",
    "objectives_overdue",
    "asye_reviews_on_time",
    "observations",
    "nqsw_above_weighting",
]
PERSON_CARDS = [
    "met",
    "short",
    "rebooked_in_time",
    "shared_on_time",
    "signed",
    "agreements_in_date",
    "open_disagreements",
    "overdue_actions",
]


def _crumbs(access: s.Oversight, unit: Team | None, query: str) -> list[tuple[str, str]]:
    """The way up to the widest dashboard this person may see, each a (name, link)."""
    crumbs: list[tuple[str, str]] = []
    if access.whole_organisation:
        crumbs.append((access.organisation.name, reverse("oversight-organisation") + query))
    above: list[Team] = []
    current = unit
    while current is not None and len(above) < 3:
        above.append(current)
        current = current.parent
    for team in reversed(above):
        if s.may_oversee_unit(access, team):
            crumbs.append((team.name, reverse("oversight-unit", args=[team.pk]) + query))
    return crumbs


def _unit_options(access: s.Oversight, unit: Team | None) -> list[tuple[str, str]]:
    """The units the filter offers: the whole organisation (for those who see it), the way up,
    this unit, the units just below it, and the units the person leads. One query."""
    organisation = access.organisation
    options: list[tuple[str, str]] = []
    if access.whole_organisation:
        options.append(("", f"All of {organisation.name}"))
    above: list[Team] = []
    current = unit.parent if unit is not None else None
    while current is not None and len(above) < 2:
        above.insert(0, current)
        current = current.parent
    # The way up needs checking; the units below this one and those they lead are theirs.
    chosen = [team for team in above if s.may_oversee_unit(access, team)]
    if unit is not None:
        chosen.append(unit)
    below: QuerySet[Team] = Team.objects.for_organisation(organisation).order_by("name")
    if unit is None:
        below = below.filter(kind__in=[TeamKind.DIRECTORATE, TeamKind.SERVICE])
    else:
        below = below.filter(parent=unit)
    chosen += [*below, *access.units]
    seen: set[int] = set()
    for team in chosen:
        if team.pk in seen:
            continue
        seen.add(team.pk)
        kind = TeamKind(team.kind).label.lower()
        options.append((str(team.pk), f"{team.name} ({kind})"))
    return options


def _form(request: PersonRequest, choice: Choice) -> dict[str, str]:
    """What the filter form shows: the choice made, or what was typed where it was wrong."""
    asked = request.GET.get("period", "")
    kind = asked if asked in KINDS else choice.period.kind
    custom = choice.period.kind == "custom"
    return {
        "period": kind,
        "date": request.GET.get("date", "")
        if "date" in choice.errors or custom or kind == "custom"
        else choice.period.starts_on.isoformat(),
        "from": choice.period.starts_on.isoformat() if custom else request.GET.get("from", ""),
        "to": choice.period.ends_on.isoformat() if custom else request.GET.get("to", ""),
        "category": choice.scope.staff_category,
        "unit": str(choice.unit.pk) if choice.unit is not None else "",
    }


def _period_query(choice: Choice, period: Period) -> str:
    if period.kind == "custom":
        return choice.query(
            unit=None, date=None, **{"from": period.starts_on, "to": period.ends_on}
        )
    return choice.query(unit=None, date=period.starts_on.isoformat())


def _period_links(choice: Choice) -> dict[str, Any]:
    before, after = choice.period.previous(), choice.period.next()
    return {
        "previous": {"label": before.label, "query": _period_query(choice, before)},
        "next": {"label": after.label, "query": _period_query(choice, after)}
        if after.starts_on < choice.today
        else None,
    }


def _report_month(choice: Choice) -> datetime.date:
    """The month of the team's monthly report: the period's month, or the last whole month
    of a longer period."""
    if choice.period.kind == "month":
        return choice.period.starts_on
    last = min(choice.period.ends_on, choice.today.replace(day=1) - DAY)
    return max(last, choice.period.starts_on).replace(day=1)


def _category_label(value: str) -> str:
    return str(StaffCategory(value).label) if value in StaffCategory.values else ""


def _common(request: PersonRequest, choice: Choice) -> dict[str, Any]:
    errors = [(key, message) for key, message in choice.errors.items()]
    return {
        "choice": choice,
        "period": choice.period,
        "errors": errors,
        "error_keys": set(choice.errors),
        "form": _form(request, choice),
        "period_kinds": PERIOD_KINDS,
        "categories": list(StaffCategory.choices),
        "category_label": _category_label(choice.scope.staff_category),
        "periods": _period_links(choice),
        "query": choice.query(),
        "page_query": choice.query(unit=None),
    }


# What higher apps add to a dashboard below the development figures: each is called with the
# request and the choice (scope, period) and answers a panel (its ``template``) or None.
DASHBOARD_PANELS: list[Callable[[PersonRequest, Choice], dict[str, Any] | None]] = []


def _dashboard(request: PersonRequest, access: s.Oversight, choice: Choice) -> HttpResponse:
    unit = choice.unit
    team = unit is not None and unit.kind == TeamKind.TEAM
    # Units side by side above a team: the headline is their sum (six queries fewer).
    by_unit = None if team else s.figures_by(choice.scope, choice.period, choice.today, by="unit")
    figures = (
        s.figures(choice.scope, choice.period, choice.today)
        if by_unit is None
        else s.figures_total(by_unit.values())
    )
    trend = tables.trend_table(choice)
    context: dict[str, Any] = {
        **_common(request, choice),
        "unit": unit,
        "title": unit.path if unit is not None else access.organisation.name,
        "crumbs": _crumbs(
            access, unit.parent if unit is not None else None, choice.query(unit=None)
        )
        if unit is not None
        else [],
        "unit_options": _unit_options(access, unit),
        "cards": _cards(figures, DASHBOARD_CARDS),
        "development_cards": _cards(figures, DEVELOPMENT_CARDS),
        "trend": trend,
        "trend_chart": charts.trend_chart(trend),
        "exceptions": [
            tables.missed_table(choice, people_missing=figures.people_missing),
            tables.records_overdue_table(choice),
            tables.rebook_table(choice),
            tables.agreements_table(choice),
        ],
        "is_team": team,
        "panels": [panel for make in DASHBOARD_PANELS if (panel := make(request, choice))],
    }
    if team:
        context["people"] = tables.people_table(choice, limit=PEOPLE_ROWS)
        month = _report_month(choice)
        assert unit is not None
        context["report"] = {
            "href": reverse("oversight-team-report", args=[unit.pk, month.year, month.month]),
            "label": f"{month:%B %Y}",
        }
    else:
        units = tables.units_table(choice, by_unit)
        context["units"] = units
        context["units_chart"] = charts.units_chart(units)
    return render(request, "oversight/dashboard.html", context)


# One person


@person_required
def person_compliance(request: PersonRequest, pk: int) -> HttpResponse:
    """One person's compliance facts: what was required, what was held, records and
    agreement. Never the content of a session or record."""
    access = _access(request)
    viewer: Person = request.person
    person = (
        Person.objects.for_organisation(access.organisation)
        .select_related("team", "team__parent", "team__parent__parent")
        .filter(pk=pk)
        .first()
    )
    if person is None or not s.may_oversee_person(access, viewer, person):
        raise Http404("No such person.")
    choice = _choice(request, access, drop="unit")
    scope = s.Scope(access.organisation)
    figures = s.figures_by(scope, choice.period, choice.today, by="person", people=[person.pk])
    crumbs = _crumbs(access, person.team, choice.query(unit=None, category=None))
    return render(
        request,
        "oversight/person.html",
        {
            **_common(request, choice),
            "person": person,
            "category": _category_label(person.staff_category),
            "crumbs": crumbs,
            "cards": _cards(figures.get(person.pk, s.Figures()), PERSON_CARDS),
            "required": person_tables.windows_table(person, choice.period, choice.today),
            "sessions": person_tables.sessions_table(person, choice.period, choice.today),
            "records": person_tables.records_table(person, choice.period, choice.today),
            "agreements": person_tables.agreements_table(person, choice.today),
        },
    )


@person_required
def definitions(request: PersonRequest) -> HttpResponse:
    return render(request, "oversight/definitions.html", {"groups": defs.groups()})
