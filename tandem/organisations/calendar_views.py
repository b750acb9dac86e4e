"""The working calendar pages: bank holidays, closure days and term dates, for organisation
admins. Thin: read the request, call a service in ``terms``, render.

Closure days and half terms of another organisation are not found (404), whoever asks.
"""

from __future__ import annotations

import datetime
from typing import Any

import holidays
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core import terms
from tandem.core.calendar import SUBDIVISIONS
from tandem.core.dates import long_date
from tandem.core.forms import apply_service_errors
from tandem.core.models import ClosureDay, TermDate

from .access import PersonRequest, get_scoped_or_404, permission_required
from .models import Sector

PERM = "organisations.manage_calendar"
ENTRY_PERM = "organisations.change_calendar_entry"
DATE_HINT = "For example, 2027-01-05 or 05/01/2027."
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
# Show at most this many row errors of an import; the rest are counted.
IMPORT_ERRORS_SHOWN = 200


def _date_field(label: str, missing: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=DATE_HINT,
        input_formats=DATE_FORMATS,
        error_messages={
            "required": missing,
            "invalid": "Enter a real date, for example 2027-01-05 or 05/01/2027.",
        },
    )


class ClosureDayForm(forms.Form):
    date = _date_field("Date", "Enter the date the organisation is closed.")
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        required=False,
        help_text="For example, closed between Christmas and New Year, or a training day.",
    )


class TermDateForm(forms.Form):
    name = forms.CharField(
        label="Half term",
        max_length=60,
        help_text="For example, Autumn 1 2026.",
        error_messages={"required": "Enter the name of the half term."},
    )
    term = forms.CharField(
        label="Term",
        max_length=60,
        help_text="Half terms with the same term make one term. For example, Autumn 2026.",
        error_messages={"required": "Enter the term the half term belongs to."},
    )
    starts_on = _date_field("First day of teaching", "Enter the first day of teaching.")
    ends_on = _date_field("Last day of teaching", "Enter the last day of teaching.")


class TermImportForm(forms.Form):
    MAX_BYTES = 1024 * 1024

    file = forms.FileField(
        label="Upload the term dates",
        help_text="A CSV file with a header row, one row for each half term.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (.csv).")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB.")
        return upload


def _organisation(request: PersonRequest) -> Any:
    return request.person.organisation


def bank_holidays_ahead(
    nation: str, today: datetime.date, days: int = 365
) -> list[tuple[datetime.date, str]]:
    """The nation's bank holidays, substitute days included, from today for a year."""
    until = today + datetime.timedelta(days=days)
    found = holidays.UK(
        subdiv=SUBDIVISIONS[nation], years=range(today.year, until.year + 1), observed=True
    )
    return sorted((day, str(name)) for day, name in found.items() if today <= day <= until)


def _calendar_page(
    request: PersonRequest,
    *,
    closure_form: ClosureDayForm | None = None,
    term_form: TermDateForm | None = None,
) -> HttpResponse:
    organisation = _organisation(request)
    today = timezone.localdate()
    term_dates = list(TermDate.objects.for_organisation(organisation).order_by("starts_on"))
    is_school = organisation.sector == Sector.SCHOOL
    return render(
        request,
        "organisations/working_calendar.html",
        {
            "organisation": organisation,
            "nation": organisation.get_nation_display(),
            "bank_holidays": bank_holidays_ahead(organisation.nation, today),
            "closure_days": ClosureDay.objects.for_organisation(organisation).order_by("date"),
            "term_dates": term_dates,
            "is_school": is_school,
            "show_terms": is_school or bool(term_dates),
            "closure_form": closure_form or ClosureDayForm(),
            "term_form": term_form or TermDateForm(),
        },
    )


@permission_required(PERM)
def working_calendar(request: PersonRequest) -> HttpResponse:
    """Which days are working days for deadlines and schedules."""
    return _calendar_page(request)


@require_POST
@permission_required(PERM)
def closure_day_add(request: PersonRequest) -> HttpResponse:
    form = ClosureDayForm(request.POST)
    if form.is_valid():
        try:
            closure = terms.closure_day_add(
                organisation=_organisation(request),
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{long_date(closure.date)} added as a closure day.")
            return redirect("working-calendar")
    return _calendar_page(request, closure_form=form)


@require_POST
@permission_required(PERM)
def closure_day_remove(request: PersonRequest, pk: int) -> HttpResponse:
    closure = get_scoped_or_404(request, ClosureDay.objects.all(), ENTRY_PERM, pk=pk)
    terms.closure_day_remove(closure_day=closure, by=request.person)
    messages.success(request, f"{long_date(closure.date)} is no longer a closure day.")
    return redirect("working-calendar")


@require_POST
@permission_required(PERM)
def term_date_add(request: PersonRequest) -> HttpResponse:
    form = TermDateForm(request.POST)
    if form.is_valid():
        try:
            term_date = terms.term_date_add(
                organisation=_organisation(request), by=request.person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{term_date.name} added to your term dates.")
            return redirect("working-calendar")
    return _calendar_page(request, term_form=form)


@require_POST
@permission_required(PERM)
def term_date_remove(request: PersonRequest, pk: int) -> HttpResponse:
    term_date = get_scoped_or_404(request, TermDate.objects.all(), ENTRY_PERM, pk=pk)
    terms.term_date_remove(term_date=term_date, by=request.person)
    messages.success(request, f"{term_date.name} removed from your term dates.")
    return redirect("working-calendar")


@permission_required(PERM)
def term_dates_import(request: PersonRequest) -> HttpResponse:
    """Upload term dates. Every row is checked first; nothing is saved if any is wrong."""
    form = TermImportForm(request.POST or None, request.FILES or None)
    errors: list[terms.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = terms.read_term_csv(upload.name, upload.read())
        except terms.TermFileError as error:
            form.add_error("file", str(error))
        else:
            result = terms.term_dates_import(
                organisation=_organisation(request), rows=rows, by=request.person
            )
            if result.ok:
                messages.success(request, f"Term dates imported. {result.summary()}")
                return redirect("working-calendar")
            errors = result.errors
    return render(
        request,
        "organisations/term_dates_import.html",
        {
            "form": form,
            "row_errors": errors[:IMPORT_ERRORS_SHOWN],
            "row_error_count": len(errors),
            "columns": terms.COLUMNS,
        },
    )


@permission_required(PERM)
def term_dates_template(request: PersonRequest) -> HttpResponse:
    response = HttpResponse(terms.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tandem-term-dates.csv"'
    return response
