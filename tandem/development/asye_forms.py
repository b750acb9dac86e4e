"""The ASYE pages' forms: shape only; the services' refusals land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import date_field
from tandem.organisations.models import Person

from . import frameworks
from .models import EvidenceKind, PauseKind, Recommendation

DOMAIN_CHOICES = [(str(n), f"{n}. {name}") for n, name in frameworks.PCF_DOMAINS]


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label, required=required, help_text=help_text, widget=forms.Textarea
    )


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name}, {obj.job_title}" if obj.job_title else obj.full_name


class AsyeStartForm(forms.Form):
    starts_on = date_field("ASYE start date")
    assessor = PersonChoice(
        label="Assessor",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Not yet named",
        help_text="Who assesses the NQSW's practice: their supervisor or another social worker.",
    )

    def __init__(self, *args: Any, organisation_id: int, exclude: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Person.objects.filter(organisation_id=organisation_id, left_on__isnull=True)
            .exclude(pk=exclude)
            .exclude(staff_category__in=["teacher", "support_staff", "care_worker"])
            .order_by("last_name", "first_name")
        )


class AssessorForm(AsyeStartForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["starts_on"]


class PauseForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "Choose one"), *PauseKind.choices],
        error_messages={"required": "Choose the kind of pause."},
    )
    starts_on = date_field("First day")
    ends_on = date_field("Last day")
    fte_percent = forms.IntegerField(
        label="Share of full time worked (%)",
        required=False,
        help_text="For part-time working only, for example 60.",
        error_messages={"invalid": "Enter the share as a whole number, like 60."},
    )
    note = forms.CharField(label="Note", required=False)


class ReviewBookForm(forms.Form):
    date = date_field("Date")
    time = forms.TimeField(
        label="Time",
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 10:00.",
        error_messages={"required": "Enter the time.", "invalid": "Enter a time like 10:00."},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=90,
        min_value=15,
        max_value=480,
        error_messages={
            "required": "Enter the length in minutes.",
            "invalid": "Enter the length as a number of minutes.",
            "min_value": "A review meeting lasts at least 15 minutes.",
            "max_value": "A review meeting lasts at most 8 hours.",
        },
    )
    location = forms.CharField(label="Where", required=False)


class ReviewRecordForm(forms.Form):
    held_on = date_field("Date held")
    progress = _text("Progress", required=True)
    assessor_view = _text("The assessor's view", required=True)
    nqsw_view = _text(
        "The NQSW's view", help_text="Or leave it for the NQSW to add in their words."
    )


class NqswViewForm(forms.Form):
    nqsw_view = _text("Your view", required=True)


class CaseloadForm(forms.Form):
    on = date_field("Date")
    cases = forms.IntegerField(
        label="Cases held",
        min_value=0,
        max_value=200,
        error_messages={
            "required": "Enter the number of cases.",
            "invalid": "Enter the number of cases as a whole number.",
            "min_value": "Cases cannot be fewer than 0.",
            "max_value": "Enter 200 cases or fewer.",
        },
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", choices=EvidenceKind.choices, initial=EvidenceKind.EVIDENCE
    )
    title = forms.CharField(label="Title", max_length=200)
    on = date_field("Date")
    text = _text("What it shows", required=True)
    domains = forms.MultipleChoiceField(
        label="PCF domains it shows (ASYE level)",
        choices=DOMAIN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one PCF domain it shows."},
    )

    def clean_domains(self) -> list[int]:
        return [int(n) for n in self.cleaned_data["domains"]]


class ObservationForm(forms.Form):
    observed_on = date_field("Date of the observation")
    preparation = _text("Preparation", help_text="What the NQSW planned, and why.")
    consent = forms.BooleanField(label="The family consented to the observation", required=False)
    consent_note = forms.CharField(
        label="How consent was given",
        required=False,
        help_text="For example, verbally, on 2 March.",
    )
    observation = _text("What was observed", required=True)
    domains = forms.MultipleChoiceField(
        label="PCF domains shown",
        choices=DOMAIN_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    benchmarking = _text("Benchmarking against the PCF at ASYE level")
    reflection = _text("The NQSW's reflection afterwards")

    def clean_domains(self) -> list[int]:
        return [int(n) for n in self.cleaned_data["domains"]]


class FeedbackEnterForm(forms.Form):
    feedback = _text("The family's feedback", required=True)
    feedback_on = date_field("Date they gave it")


class FamilyFeedbackForm(forms.Form):
    feedback = forms.CharField(
        label="What was it like to have the social worker visit?",
        help_text="What went well, and what could have been better. Please do not include "
        "anyone's name.",
        widget=forms.Textarea,
        error_messages={"required": "Write your feedback."},
    )


class RecommendationForm(forms.Form):
    recommendation = forms.ChoiceField(
        label="Recommendation",
        choices=[("", "Choose one"), *Recommendation.choices],
        error_messages={"required": "Choose pass, fail or extension."},
    )
    notes = _text("Reasons", required=True)
    on = date_field("Date")


class PanelForm(forms.Form):
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[("", "Choose one"), *Recommendation.choices],
        error_messages={"required": "Choose pass, fail or extension."},
    )
    notes = _text("The panel's reasons", required=True)
    on = date_field("Date of the panel")


class SelfAssessmentForm(forms.Form):
    completed_on = date_field("Date")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, statement in frameworks.KSS_STATEMENTS:
            self.fields[f"rating_{number}"] = forms.ChoiceField(
                label=f"{number}. {statement}",
                choices=[("", "Choose a rating"), *frameworks.Rating.choices],
                error_messages={"required": f"Rate yourself against statement {number}."},
            )
            self.fields[f"note_{number}"] = forms.CharField(
                label=f"Note on statement {number}", required=False, widget=forms.Textarea
            )

    def ratings(self) -> dict[str, dict[str, str]]:
        return {
            str(n): {
                "rating": self.cleaned_data.get(f"rating_{n}", ""),
                "note": self.cleaned_data.get(f"note_{n}", "").strip(),
            }
            for n, _ in frameworks.KSS_STATEMENTS
        }


class ProgrammeForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    frameworks = forms.CharField(label="Frameworks", max_length=300)
    months = forms.IntegerField(label="Length in months", min_value=6, max_value=36)
    review_points = forms.CharField(
        label="Review points",
        widget=forms.Textarea,
        help_text="One a line: the month, a comma, the name; add (optional) or (panel) at the "
        "end. For example: 3, 3-month review",
    )
    self_assessment_months = forms.CharField(
        label="Self-assessments at months",
        help_text="Start, midpoint and end, as months: for example 0, 6, 12.",
    )
    observations_required = forms.IntegerField(
        label="Direct observations in the year", min_value=0, max_value=20
    )
    protected_time_percent = forms.IntegerField(
        label="Protected development time (%)", min_value=0, max_value=50
    )
    caseload_weights = forms.CharField(
        label="Caseload weighting",
        widget=forms.Textarea,
        help_text="One a line: up to month, a comma, the percentage of a full caseload. For "
        "example: 3, 25",
    )
    full_caseload = forms.IntegerField(label="Cases in a full caseload", min_value=1, max_value=100)
    longest_months = forms.IntegerField(
        label="Warn as it runs towards (months)", min_value=6, max_value=60
    )
    effective_from = date_field("The change counts from")

    def clean_self_assessment_months(self) -> list[int]:
        text = self.cleaned_data["self_assessment_months"]
        try:
            months = [int(part) for part in text.replace(" ", "").split(",") if part]
        except ValueError:
            raise forms.ValidationError(
                "Enter three months separated by commas, like 0, 6, 12."
            ) from None
        if len(months) != 3 or months != sorted(months) or months[0] < 0 or months[-1] > 36:
            raise forms.ValidationError("Enter three months in order, like 0, 6, 12.")
        return months
