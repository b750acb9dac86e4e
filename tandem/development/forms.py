"""The development pages' forms. They check the shape of what was typed (a real date, a number);
the rules (a date not in the future, hours that add up) are the services', whose refusals land
on these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from tandem.core.forms import date_field

from . import schemes
from .models import CodeTheme, Course, CpdKind, ObjectiveStatus, SafeguardingTrainingKind


def _text(label: str, *, required: bool = True, help_text: str = "", long: bool = True) -> Any:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea if long else None,
        max_length=None,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}."},
    )


def _hours(label: str, *, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        help_text=help_text,
        max_digits=6,
        decimal_places=1,
        min_value=Decimal("0"),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"Enter the {label.lower()} as a number, like 1.5.",
            "max_decimal_places": "Enter the hours to one decimal place at most, like 1.5.",
            "max_digits": "Enter fewer hours.",
            "max_whole_digits": "Enter fewer hours.",
            "min_value": "Hours cannot be less than 0.",
        },
    )


class CpdForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of CPD",
        choices=[("", "Choose a type"), *CpdKind.choices],
        error_messages={"required": "Choose the type of CPD."},
    )
    title = _text("Title", long=False)
    done_on = date_field("Date", missing="Enter the date of the CPD.")
    description = _text("What the CPD was", help_text="What you did, read, attended or discussed.")
    learnt = _text("What you learnt")
    impact = _text(
        "The impact on your practice", help_text="What you do differently, or will, and for whom."
    )
    peer_reflection = forms.BooleanField(
        label="I reflected on this with a peer",
        required=False,
        help_text="Supervision and group supervision count as peer reflection.",
    )
    peer_with = forms.CharField(label="Who you reflected with", required=False)
    peer_on = date_field("Date you reflected", required=False)
    hours = _hours("Hours", help_text="For NMC revalidation: the time the CPD took.")
    participatory_hours = _hours(
        "Of which participatory hours",
        help_text="Time learning with others (a course, a workshop, a discussion).",
    )


class RevalidationStartForm(forms.Form):
    pin = forms.CharField(label="NMC PIN", help_text="For example, 12A3456E.", required=False)
    due_on = date_field("Renewal date", help_text="The date on your NMC account, e.g. 31/05/2027.")


class PracticeHoursForm(forms.Form):
    setting = _text("Role and setting", long=False, help_text="For example, staff nurse, Ward 4.")
    starts_on = date_field("From")
    ends_on = date_field("To")
    hours = _hours("Hours practised", required=True)


class FeedbackForm(forms.Form):
    received_on = date_field("Date of the feedback")
    source = _text("From whom", long=False, help_text="A resident, a relative, a colleague.")
    summary = _text("What it said")
    used_for = _text("How you used it to improve your practice", required=False)


class ReflectiveAccountForm(forms.Form):
    written_on = date_field("Date written")
    experience = _text("What the CPD, feedback or event was")
    learnt = _text("What you learnt")
    changed = _text("How you changed or improved your practice")
    code_theme = forms.ChoiceField(
        label="The theme of the Code it relates to",
        choices=[("", "Choose a theme"), *CodeTheme.choices],
        error_messages={"required": "Choose the theme of the Code the account relates to."},
    )


class ReflectiveDiscussionForm(forms.Form):
    held_on = date_field("Date of the discussion")
    partner_name = _text("The partner's name", long=False)
    partner_pin = forms.CharField(
        label="The partner's NMC PIN",
        help_text="For example, 12A3456E.",
        error_messages={"required": "Enter the partner's NMC PIN."},
    )
    partner_email = forms.EmailField(
        label="The partner's email",
        required=False,
        error_messages={"invalid": "Enter the email like name@example.org."},
    )
    partner_address = forms.CharField(label="The partner's professional address", required=False)
    partner_signed_on = date_field(
        "Date the partner signed the form",
        required=False,
        help_text="Leave empty until they have signed it.",
    )


class ConfirmationForm(forms.Form):
    confirmer_name = _text("The confirmer's name", long=False)
    confirmer_role = _text(
        "The confirmer's role", long=False, help_text="For example, line manager."
    )
    confirmer_pin = forms.CharField(
        label="The confirmer's NMC PIN", required=False, help_text="If they are on the register."
    )
    confirmed_on = date_field("Date of the confirmation")


EVIDENCE_FORMS: dict[str, tuple[type[forms.Form], str]] = {
    "practice-hours": (PracticeHoursForm, "Add practice hours"),
    "feedback": (FeedbackForm, "Add practice-related feedback"),
    "reflective-account": (ReflectiveAccountForm, "Add a written reflective account"),
    "discussion": (ReflectiveDiscussionForm, "Add the reflective discussion"),
}


class CareCertificateStartForm(forms.Form):
    started_on = date_field("Start date")


class SignOffForm(forms.Form):
    signed_off_on = date_field("Date the standard was met")


class SafeguardingTrainingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("", "Choose one"), *SafeguardingTrainingKind.choices],
        error_messages={"required": "Choose training or a knowledge update."},
    )
    title = _text("What it was", long=False, help_text="The course or the update's subject.")
    done_on = date_field("Date")


class DesignationForm(forms.Form):
    designated_on = date_field("Date they became a safeguarding lead", required=False)
    ended_on = date_field("Their last day as safeguarding lead", required=False)


class ObjectiveForm(forms.Form):
    title = _text("Objective", long=False)
    measure = _text("How it will be measured")
    target_on = date_field("Target date")
    evidence = _text("Evidence", required=False, help_text="What shows progress, as it comes.")
    training_need = _text("Training need", required=False, long=False)
    course = forms.ModelChoiceField(
        label="The organisation's course for it",
        queryset=Course.objects.none(),
        required=False,
        empty_label="No course",
        error_messages={"invalid_choice": "Choose one of your organisation's courses."},
    )

    def __init__(self, *args: Any, organisation_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["course"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Course.objects.filter(organisation_id=organisation_id, active=True)


class ReviewForm(forms.Form):
    progress = _text("Progress", help_text="What has happened since the objective was set.")
    status = forms.ChoiceField(
        label="The objective is now",
        choices=ObjectiveStatus.choices,
        initial=ObjectiveStatus.OPEN,
        error_messages={"required": "Choose whether the objective is open, met or closed."},
    )


class AppraisalForm(forms.Form):
    held_on = date_field("Date of the appraisal")
    period_starts_on = date_field("The year it covers starts on")
    period_ends_on = date_field("The year it covers ends on")
    appraiser_comments = _text("The appraiser's comments")


class AppraisalCommentForm(forms.Form):
    person_comments = _text("Your comments")


class CourseForm(forms.Form):
    title = _text("Title", long=False)
    provider = _text("Provider", long=False, required=False)


def rules_form(scheme: str, values: dict[str, int], data: Any = None) -> forms.Form:
    """A form of one rule set's numbers, filled with the organisation's values."""
    form = forms.Form(data, prefix=scheme, initial=values)
    for number in schemes.RULES[scheme]:
        form.fields[number.key] = forms.IntegerField(
            label=number.label,
            help_text=number.hint or f"Between {number.minimum} and {number.maximum}.",
            min_value=number.minimum,
            max_value=number.maximum,
            error_messages={
                "required": f"Enter {number.label.lower()}.",
                "invalid": f"Enter {number.label.lower()} as a whole number.",
                "min_value": f"{number.label} must be {number.minimum} or more.",
                "max_value": f"{number.label} must be {number.maximum} or fewer.",
            },
        )
    return form
