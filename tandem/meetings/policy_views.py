"""The frequency policy in pages: every staff category's rules as they stand, the changes
planned and made, and a change of one category's rules from a date, previewed before it is
saved. Admins change it; HR and senior leaders read it (as the organisation's settings)."""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from tandem.agreements import policies
from tandem.agreements.models import Frequency
from tandem.core.forms import apply_service_errors, date_field
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import StaffCategory

from .policy import policy_change_preview

VIEW = "organisations.view_settings"
CHANGE = "organisations.change_settings"
ROWS = policies.MAX_STAGES
UNITS = [("weeks", "weeks"), ("months", "months")]


class PolicyChangeForm(forms.Form):
    """A category's new stages (up to ``ROWS``; empty rows are ignored) and their date."""

    effective_from = date_field(
        "The new rules apply from",
        help_text="Today or later: windows that have ended stay judged by the rules then in "
        "force. For example, 01/01/2027.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(ROWS):
            if row:
                self.fields[f"from_{row}"] = forms.IntegerField(
                    label=f"Stage {row + 1} starts after",
                    required=False,
                    min_value=1,
                    max_value=120,
                    widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                    error_messages={
                        "invalid": "Enter a whole number of weeks or months.",
                        "min_value": "Enter a number from 1 to 120.",
                        "max_value": "Enter a number from 1 to 120.",
                    },
                )
                self.fields[f"unit_{row}"] = forms.ChoiceField(
                    label="Weeks or months", choices=UNITS, required=False
                )
            self.fields[f"frequency_{row}"] = forms.ChoiceField(
                label=f"Stage {row + 1}: at least",
                choices=[("", "No stage" if row else "Choose how often"), *Frequency.choices],
                required=row == 0,
                error_messages={"required": "Choose how often for the first stage."},
            )
            self.fields[f"minutes_{row}"] = forms.IntegerField(
                label=f"Stage {row + 1}: shortest session in minutes",
                required=False,
                min_value=policies.MINUTES[0],
                max_value=policies.MINUTES[1],
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={
                    "invalid": "Enter the shortest session in whole minutes.",
                    "min_value": f"Enter a shortest session of at least {policies.MINUTES[0]} "
                    "minutes.",
                    "max_value": f"Enter a shortest session of at most {policies.MINUTES[1]} "
                    "minutes.",
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, ROWS):
            if data.get(f"frequency_{row}") and not data.get(f"from_{row}"):
                self.add_error(f"from_{row}", f"Enter when stage {row + 1} starts.")
        return data

    def stages(self) -> list[policies.Stage]:
        data = self.cleaned_data
        stages = []
        for row in range(ROWS):
            frequency = data.get(f"frequency_{row}")
            if not frequency:
                continue
            unit = data.get(f"unit_{row}") or "weeks"
            start = policies.day_in_post(data[f"from_{row}"], unit) if row else 0
            stages.append(policies.Stage(start, frequency, data.get(f"minutes_{row}")))
        return stages

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "number": row + 1,
                "from": self[f"from_{row}"] if row else None,
                "unit": self[f"unit_{row}"] if row else None,
                "frequency": self[f"frequency_{row}"],
                "minutes": self[f"minutes_{row}"],
            }
            for row in range(ROWS)
        ]


def _initial(rules: list[Any], effective_from: datetime.date) -> dict[str, Any]:
    initial: dict[str, Any] = {"effective_from": effective_from}
    for row, rule in enumerate(rules[:ROWS]):
        if row:
            initial[f"from_{row}"], initial[f"unit_{row}"] = policies.weeks_or_months(rule.from_day)
        initial[f"frequency_{row}"] = rule.frequency
        initial[f"minutes_{row}"] = rule.min_minutes
    return initial


def _category(value: str) -> str:
    if value not in StaffCategory.values:
        raise Http404
    return value


@person_required
def frequency_policy(request: PersonRequest) -> HttpResponse:
    organisation = request.person.organisation
    if not request.user.has_perm(VIEW, organisation):
        raise PermissionDenied
    if request.method == "POST":
        if not request.user.has_perm(CHANGE, organisation):
            raise PermissionDenied
        policies.frequency_policy_confirm(organisation=organisation, by=request.person)
        messages.success(request, "The frequency policy is confirmed as it stands.")
        return redirect("frequency-policy")
    today = timezone.localdate()
    dates = policies.policy_sets(organisation)
    in_force = max((d for d in dates if d <= today), default=today)
    categories = []
    for value, label in StaffCategory.choices:
        rules = policies.category_rules(organisation, value, today)
        categories.append(
            {
                "value": value,
                "label": label,
                "rules": [
                    {
                        "when": policies.time_in_post_label(rule.from_day, rule.until_day),
                        "frequency": rule.get_frequency_display(),
                        "minutes": rule.min_minutes,
                    }
                    for rule in rules
                ],
            }
        )
    return render(
        request,
        "meetings/policy.html",
        {
            "categories": categories,
            "in_force_since": in_force,
            "planned": [d for d in dates if d > today],
            "history": policies.policy_history(organisation),
            "may_change": request.user.has_perm(CHANGE, organisation),
            "reviewed": policies.policy_reviewed(organisation),
        },
    )


@person_required
def frequency_policy_change(request: PersonRequest, category: str) -> HttpResponse:
    organisation = request.person.organisation
    category = _category(category)
    if not request.user.has_perm(CHANGE, organisation):
        raise PermissionDenied
    today = timezone.localdate()
    first_of_next_month = today + relativedelta(months=1, day=1)
    current = policies.category_rules(organisation, category, today)
    form = PolicyChangeForm(request.POST or None, initial=_initial(current, first_of_next_month))
    preview = None
    if request.method == "POST" and form.is_valid():
        stages = form.stages()
        effective_from = form.cleaned_data["effective_from"]
        problems = policies.change_problems(category, effective_from, stages, today)
        if problems:
            apply_service_errors(form, ValidationError(problems), {"stages": "frequency_0"})
        elif request.POST.get("action") == "save":
            try:
                policies.frequency_policy_change(
                    organisation=organisation,
                    by=request.person,
                    staff_category=category,
                    effective_from=effective_from,
                    stages=stages,
                    today=today,
                )
            except ValidationError as error:
                apply_service_errors(form, error, {"stages": "frequency_0"})
            else:
                messages.success(
                    request,
                    f"{StaffCategory(category).label}: the new rules apply from "
                    f"{effective_from:%-d %B %Y}. The compliance figures are being recounted.",
                )
                return redirect("frequency-policy")
        else:
            preview = policy_change_preview(
                organisation, staff_category=category, effective_from=effective_from, stages=stages
            )
    return render(
        request,
        "meetings/policy_change.html",
        {
            "form": form,
            "category": StaffCategory(category).label,
            "current": policies.stages_words(policies.stages_of(current)),
            "preview": preview,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
