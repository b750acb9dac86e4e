"""The quality pages' forms. Choices of people are the organisation's; the services check the
rest and their refusals land on these fields."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import date_field, set_choices, set_queryset
from tandem.development.frameworks import Rating
from tandem.organisations.models import Person, Team

from .frameworks import PS_KSS_HEADINGS
from .models import (
    TEXT_LIMIT,
    AuditAnswer,
    Disability,
    EthnicGroup,
    PathwayArea,
    PipelineStatus,
    PlanKind,
    Sex,
)
from .services.audits import FACT_KEYS, SAMPLE_DEFAULT, SAMPLE_MAX, WEIGHT_MAX


def _area(label: str, *, required: bool = False, hint: str = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Enter {label.lower()}."},
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name}{f', {obj.job_title}' if obj.job_title else ''}"


def people_of(organisation_id: int) -> Any:
    return (
        Person.objects.for_organisation(organisation_id)
        .current()
        .order_by("last_name", "first_name")
    )


class SettingsForm(forms.Form):
    grades = forms.CharField(
        label="Grades for case-file audits",
        help_text="One on each line, best first.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter at least two grades, one on each line, best first."},
    )
    case_share_percent = forms.IntegerField(
        label="Share of each worker's cases to choose each month (per cent)",
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter a share between 1 and 100 per cent."},
    )

    def clean_grades(self) -> list[str]:
        return self.cleaned_data["grades"].splitlines()


class RoundForm(forms.Form):
    month = date_field("Month", help_text="Any day of the month, for example 01/12/2026.")
    share_percent = forms.IntegerField(
        label="Share of each worker's cases (per cent)",
        min_value=1,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": "Enter a share between 1 and 100 per cent."},
    )
    team = forms.ModelChoiceField(
        label="Whose cases",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Everyone in the organisation",
    )
    seed = forms.IntegerField(
        label="Seed (optional)",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="Leave it blank for a new random choice. The same seed makes the same choice again.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "team", Team.objects.for_organisation(organisation_id).order_by("name"))


class CaseAuditAddForm(forms.Form):
    worker = PersonChoiceField(
        label="Whose case",
        queryset=Person.objects.none(),
        error_messages={"required": "Choose the worker whose case it is."},
    )
    case_reference = forms.CharField(
        label="Case reference",
        max_length=40,
        help_text="As the case management system has it. No other case details.",
        error_messages={"required": "Enter the case reference."},
    )
    label = forms.CharField(label="Label (optional)", max_length=80, required=False)

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "worker", people_of(organisation_id))


class CaseAuditForm(forms.Form):
    grade = forms.ChoiceField(
        label="Grade", widget=forms.RadioSelect, error_messages={"required": "Choose a grade."}
    )
    findings = _area("Findings", required=True, rows=6)
    required_actions = _area("Required actions", hint="What must be done on the case, by whom.")
    audited_on = date_field("Date of the audit")

    def __init__(self, *args: Any, grades: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "grade", [(g, g) for g in grades])


class NoteForm(forms.Form):
    note = _area("Note", required=True)


class AuditBeginForm(forms.Form):
    supervisee = PersonChoiceField(
        label="Whose supervision",
        queryset=Person.objects.none(),
        error_messages={"required": "Choose whose supervision to audit."},
    )
    supervisor = PersonChoiceField(
        label="Supervisor",
        queryset=Person.objects.none(),
        error_messages={"required": "Choose the supervisor."},
    )
    starts_on = date_field("First day of the period")
    ends_on = date_field("Last day of the period")
    sample_size = forms.IntegerField(
        label="Records to sample",
        initial=SAMPLE_DEFAULT,
        min_value=1,
        max_value=SAMPLE_MAX,
        help_text=f"Chosen at random from the pair's shared records in the period; up to {SAMPLE_MAX}.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={"required": f"Enter a sample of 1 to {SAMPLE_MAX} records."},
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "supervisee", people_of(organisation_id))
        set_queryset(self, "supervisor", people_of(organisation_id))


class CriterionForm(forms.Form):
    group = forms.CharField(
        label="Group", max_length=100, error_messages={"required": "Enter the group it belongs to."}
    )
    text = forms.CharField(
        label="Question", max_length=300, error_messages={"required": "Enter the question."}
    )
    weight = forms.IntegerField(
        label="Weight",
        min_value=1,
        max_value=WEIGHT_MAX,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        error_messages={"required": f"Enter a weight from 1 to {WEIGHT_MAX}."},
    )
    fact = forms.ChoiceField(
        label="Fact Tandem fills in (optional)",
        required=False,
        choices=[
            ("", "None: for the auditor's judgement"),
            *[(k, k.replace("_", " ").capitalize()) for k in FACT_KEYS],
        ],
    )


class ReplyForm(forms.Form):
    reply = _area(
        "Your reply",
        required=True,
        hint="What you take from the audit, and anything you see differently.",
    )


ANSWER_CHOICES = [("", "Not answered"), *AuditAnswer.choices]


class PathwayStartForm(forms.Form):
    starts_on = date_field("First day as a practice supervisor")
    supporter = PersonChoiceField(
        label="Who supports them (optional)",
        queryset=Person.objects.none(),
        required=False,
        help_text="Usually their manager.",
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "supporter", people_of(organisation_id))


class PathwayItemForm(forms.Form):
    area = forms.ChoiceField(label="Part of the pathway", choices=PathwayArea.choices)
    title = forms.CharField(
        label="What it is", max_length=200, error_messages={"required": "Enter what it is."}
    )
    detail = _area("Detail (optional)")
    due_on = date_field("Due date (optional)", required=False)


class ItemDoneForm(forms.Form):
    done_on = date_field("Date done")
    note = _area("Note (optional)", rows=2)


class SelfAssessmentForm(forms.Form):
    completed_on = date_field("Date of the self-assessment")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, heading in PS_KSS_HEADINGS:
            self.fields[f"rating_{number}"] = forms.ChoiceField(
                label=f"{number}. {heading}",
                choices=Rating.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you rate yourself on “{heading}”."},
            )
            self.fields[f"note_{number}"] = _area(f"Note on {heading.lower()} (optional)", rows=2)

    def ratings(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            str(n): {"rating": data.get(f"rating_{n}", ""), "note": data.get(f"note_{n}", "")}
            for n, _h in PS_KSS_HEADINGS
        }


class PipelineAddForm(forms.Form):
    identified_on = date_field("Date identified")
    strengths = _area("Their strengths", required=True)
    best_placed = _area("Where they may be best placed in the organisation (optional)")


class PlanItemForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", choices=PlanKind.choices)
    description = forms.CharField(
        label="What it is", max_length=300, error_messages={"required": "Enter what it is."}
    )
    starts_on = date_field("Start date")
    ends_on = date_field("End date (optional)", required=False)


class PipelineStatusForm(forms.Form):
    status = forms.ChoiceField(label="Where they are now", choices=PipelineStatus.choices)
    on = date_field("From")


class EqualityForm(forms.Form):
    ethnic_group = forms.ChoiceField(
        label="Ethnic group",
        required=False,
        choices=[("", "I would rather not answer"), *EthnicGroup.choices],
    )
    sex = forms.ChoiceField(
        label="Sex", required=False, choices=[("", "I would rather not answer"), *Sex.choices]
    )
    disability = forms.ChoiceField(
        label="Do you consider yourself to have a disability?",
        required=False,
        choices=[("", "I would rather not answer"), *Disability.choices],
    )
