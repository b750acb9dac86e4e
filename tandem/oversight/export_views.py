"""Figures to take away: any table of the dashboards as CSV or XLSX, and a unit's monthly report
as a PDF.

Thin, like every page: who may oversee what (``selectors.oversight_of``; nothing to oversee, or a
unit they may not oversee, is a 404), what was asked for (``filters.read_choice``: a bad period
is a 400 with a plain message, never a 500), build the table, write it. Figures about people
leave the building this way, so every export and every report is an audit event.
"""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.services import audit_event_write
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person

from . import exports, report, tables
from .filters import Choice, read_choice
from .selectors import Oversight, may_oversee_unit, oversight_of, unit_with_parents

# The earliest month a report may be asked for: before it, nothing was recorded anywhere.
FIRST_REPORT_YEAR = 2000


def _access(request: PersonRequest) -> tuple[Person, Oversight]:
    person: Person = request.person
    access = oversight_of(person)
    if access is None:
        raise Http404("You do not oversee any team.")
    return person, access


def _choice_detail(choice: Choice) -> dict[str, object]:
    return {
        "unit": choice.unit.pk if choice.unit is not None else None,
        "unit_name": choice.unit.name if choice.unit is not None else "",
        "staff_category": choice.scope.staff_category,
        "period": {
            "kind": choice.period.kind,
            "starts_on": choice.period.starts_on.isoformat(),
            "ends_on": choice.period.ends_on.isoformat(),
        },
    }


def _scope_name(choice: Choice) -> str:
    return choice.unit.name if choice.unit is not None else choice.scope.organisation.name


@person_required
def table_export(request: PersonRequest, table: str, fmt: str) -> HttpResponse:
    """/oversight/export/<table>.<csv|xlsx>?unit=&period=&date=&from=&to=&category="""
    person, access = _access(request)
    if table not in tables.EXPORTS or fmt not in exports.FORMATS:
        raise Http404("No such export.")
    choice = read_choice(request.GET, access=access, person=person, today=timezone.localdate())
    if choice.errors:
        return HttpResponseBadRequest(
            "This export could not be made: " + " ".join(choice.errors.values()),
            content_type="text/plain; charset=utf-8",
        )
    built = tables.EXPORTS[table](choice)
    about = [
        ("Table", built.title),
        ("Organisation", choice.scope.organisation.name),
        ("Unit", _scope_name(choice)),
        ("Staff category", report.category_label(choice.scope.staff_category) or "All"),
        ("Period", choice.period.label),
        (
            "Made",
            f"{long_date(timezone.now())} at {timezone.localtime():%H:%M} by {person.full_name}",
        ),
        ("Definitions", request.build_absolute_uri(reverse("oversight-definitions"))),
    ]
    if built.note:
        about.append(("Note", built.note))
    response = exports.export_response(built, choice, fmt, about)
    audit_event_write(
        organisation=person.organisation,
        actor=request.user,
        action="oversight.export",
        summary=(
            f"Exported {built.title} ({fmt.upper()}, {len(built.rows)} rows) for "
            f"{_scope_name(choice)}, {choice.period.label}"
        ),
        detail={"table": table, "format": fmt, "rows": len(built.rows), **_choice_detail(choice)},
    )
    return response


@person_required
def team_report(request: PersonRequest, pk: int, year: int, month: int) -> HttpResponse:
    """/oversight/units/<pk>/report/<year>-<month>.pdf: the month's report for a unit the
    person oversees. A month that cannot be, or has not begun, is a 404."""
    person, access = _access(request)
    today = timezone.localdate()
    if not 1 <= month <= 12 or not FIRST_REPORT_YEAR <= year <= today.year:
        raise Http404("No such month.")
    first = datetime.date(year, month, 1)
    if first > today:
        raise Http404("That month has not begun.")
    unit = unit_with_parents(access.organisation, pk)
    if unit is None or not may_oversee_unit(access, unit):
        raise Http404("No such team.")
    params = {"period": "month", "date": first.isoformat()}
    if request.GET.get("category"):
        params["category"] = request.GET["category"]
    choice = read_choice(params, access=access, person=person, today=today, unit=unit)
    if choice.errors:
        return HttpResponseBadRequest(
            "This report could not be made: " + " ".join(choice.errors.values()),
            content_type="text/plain; charset=utf-8",
        )
    context = report.report_context(
        choice,
        made_by=person,
        made_at=timezone.now(),
        definitions_url=request.build_absolute_uri(reverse("oversight-definitions")),
    )
    pdf = report.report_pdf(report.report_html(context))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{report.report_filename(unit, choice.period.starts_on)}"'
    )
    response["Cache-Control"] = "private, no-store"
    audit_event_write(
        organisation=person.organisation,
        actor=request.user,
        action="oversight.report",
        target=unit,
        summary=f"Monthly report for {unit.name}, {choice.period.label}",
        detail={"format": "pdf", **_choice_detail(choice)},
    )
    return response
