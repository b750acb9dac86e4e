"""Forms of the group record's page: who came and the learning points, a case discussed, an
action. The group's members are the only choices; there is no welfare field anywhere."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import date_field, set_choices
from tandem.organisations.models import Person

from .services._common import ACTION_MAX, CASE_TEXT_MAX, LABEL_MAX, NOTES_MAX


def _area(label: str, limit: int, hint: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=limit,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _choices(people: list[Person]) -> list[tuple[str, str]]:
    return [(str(person.pk), person.full_name) for person in people]


class GroupRecordForm(forms.Form):
    present = forms.MultipleChoiceField(
        label="Who was present",
        help_text="Everyone not ticked sent their apologies.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    learning_points = _area(
        "Learning points",
        NOTES_MAX,
        "What the group learnt together. Do not write about anyone's welfare here.",
    )

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "present", _choices(members))

    def clean_present(self) -> set[int]:
        return {int(pk) for pk in self.cleaned_data["present"]}


class GroupCaseForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference",
        max_length=40,
        help_text="As the case management system has it. No other case details.",
        error_messages={"required": "Enter the case reference, as the case system has it."},
    )
    label = forms.CharField(label="Label (optional)", max_length=LABEL_MAX, required=False)
    case_holder = forms.ChoiceField(
        label="Whose case it is", error_messages={"required": "Choose whose case it is."}
    )
    discussion = _area("Discussion", CASE_TEXT_MAX)
    decision = _area("Decision", CASE_TEXT_MAX, "It goes on the case decisions export.")
    rationale = _area("Rationale for the decision", CASE_TEXT_MAX)

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "case_holder", [("", "Choose a member"), *_choices(members)])


class GroupActionForm(forms.Form):
    text = forms.CharField(
        label="Action",
        max_length=ACTION_MAX,
        error_messages={"required": "Enter what will be done."},
    )
    owner = forms.ChoiceField(
        label="Who will do it", error_messages={"required": "Choose who will do it."}
    )
    due_on = date_field("Due date")

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "owner", [("", "Choose someone"), *_choices(people)])
