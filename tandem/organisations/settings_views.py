"""The organisation's settings page: admins change them, HR and senior leaders read them; each
change is listed with who made it, when, and the old and the new value."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.forms import apply_service_errors, date_field

from . import settings as org_settings
from . import setup
from .access import PersonRequest, person_required
from .models import Nation, PolicyClock, ReflectionModel, Sector

VIEW = "organisations.view_settings"
CHANGE = "organisations.change_settings"


def _number(label: str, low: int, high: int, unit: str) -> forms.IntegerField:
    message = f"Enter a {label.lower()} from {low} to {high} {unit}."
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class SettingsForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the organisation's name."}
    )
    nation = forms.ChoiceField(
        label="Nation", choices=Nation.choices, help_text="It decides the bank holidays."
    )
    sector = forms.ChoiceField(label="Sector", choices=Sector.choices)
    record_deadline_working_days = _number(
        "Record deadline", *org_settings.DEADLINE_DAYS, "working days"
    )
    agreement_review_months = _number(
        "Agreement review period", *org_settings.REVIEW_MONTHS, "months"
    )
    policy_clock = forms.ChoiceField(
        label="An NQSW's time in post counts from",
        choices=PolicyClock.choices,
        help_text="For the frequency policy: weekly, then fortnightly, then monthly.",
    )
    reflection_model = forms.ChoiceField(
        label="Reflective model for case discussions",
        choices=ReflectionModel.choices,
        help_text="Records started from now on use it; records already started keep theirs.",
    )
    smallest_group = _number("Smallest group shown", *org_settings.SMALLEST_GROUP, "people")
    inspector_access_days = _number(
        "Longest inspector access", *org_settings.INSPECTOR_DAYS, "days"
    )
    compliance_from = date_field(
        "Compliance figures count from",
        required=False,
        help_text="Sessions before it were not recorded in Tandem. Leave it empty for the day "
        "the organisation was set up. For example, 01/09/2026.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_deadline_working_days"].help_text = (
            "A record is shared within this many working days of the session (weekends, bank "
            "holidays and closure days do not count)."
        )
        self.fields[
            "agreement_review_months"
        ].help_text = "An agreement is due for review this many months after both sign it."
        self.fields["smallest_group"].help_text = (
            "Supervisees' feedback and equal opportunities figures show nothing of a smaller "
            "group, so that nobody can be told apart. Never below 5."
        )
        self.fields[
            "inspector_access_days"
        ].help_text = "The longest an inspector's link to an evidence pack may last, in days."


@person_required
def organisation_settings(request: PersonRequest) -> HttpResponse:
    organisation = request.person.organisation
    if not request.user.has_perm(VIEW, organisation):
        raise PermissionDenied
    may_change = request.user.has_perm(CHANGE, organisation)
    initial = {key: getattr(organisation, key) for key, _label in org_settings.SETTINGS}
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                changed = org_settings.settings_change(
                    organisation=organisation, by=request.person, values=form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if changed:
                    names = ", ".join(dict(org_settings.SETTINGS)[key].lower() for key in changed)
                    messages.success(request, f"Saved: {names}.")
                else:
                    messages.info(request, "Nothing changed.")
                return redirect("organisation-settings")
    current = [
        (label, org_settings.shown(key, getattr(organisation, key)))
        for key, label in org_settings.SETTINGS
    ]
    return render(
        request,
        "organisations/settings.html",
        {
            "form": form,
            "may_change": may_change,
            "current": current,
            "history": org_settings.settings_history(organisation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@person_required
def organisation_setup(request: PersonRequest) -> HttpResponse:
    """The set-up checklist: each step, done or not, with where to do it."""
    organisation = request.person.organisation
    if not request.user.has_perm(CHANGE, organisation):
        raise PermissionDenied
    steps = setup.setup_steps(organisation)
    done, needed = setup.setup_progress(organisation)
    return render(
        request,
        "organisations/setup.html",
        {"steps": steps, "done": done, "needed": needed},
    )
