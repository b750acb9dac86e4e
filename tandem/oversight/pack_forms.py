"""The forms of evidence packs: a new pack, and an inspector's access to one. They read what
was typed; the services (``packs.py``) decide what is allowed and answer with errors keyed by
the same field names."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.meetings.forms import GovukRadios, SessionDateField
from tandem.organisations.models import Team

from . import selectors
from .models import SampleChoice
from .services.packs import MAX_ACCESS_DAYS, MAX_SAMPLE, WHOLE_ORGANISATION

WHOLE = "organisation"
# A record's number as people have it: "123", "#123" or its address ending /records/123/.
RECORD_NUMBER = re.compile(r"^#?(\d{1,12})$|/records/(\d{1,12})/?$")


def read_record_numbers(text: str) -> list[int]:
    """Record numbers separated by commas, spaces or lines; raises ValidationError naming
    whatever is not one."""
    numbers, wrong = [], []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part:
            continue
        match = RECORD_NUMBER.search(part)
        if match:
            numbers.append(int(match.group(1) or match.group(2)))
        else:
            wrong.append(part)
    if wrong:
        shown = ", ".join(f"“{w[:40]}”" for w in wrong[:5])
        raise ValidationError(
            f"Enter record numbers like 1234 or record addresses; these are not: {shown}."
        )
    return list(dict.fromkeys(numbers))


class PackForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Ofsted focused visit, autumn 2026.",
        error_messages={"required": "Enter a title for the pack."},
    )
    inspectorate = forms.CharField(
        label="Inspectorate",
        max_length=80,
        required=False,
        help_text="For example, Ofsted or CQC.",
    )
    unit = forms.ChoiceField(
        label="Team or service",
        error_messages={
            "required": "Choose the team or service the pack is about.",
            "invalid_choice": "Choose a team or service you oversee.",
        },
    )
    starts_on = SessionDateField(label="From")
    ends_on = SessionDateField(label="To")
    sample = forms.ChoiceField(
        label="Which records to include",
        choices=[
            (SampleChoice.RANDOM, "A number of records chosen at random"),
            (SampleChoice.CHOSEN, "Records the inspector has chosen"),
        ],
        widget=GovukRadios,
        initial=SampleChoice.RANDOM,
        error_messages={"required": "Choose which records to include."},
    )
    sample_size = forms.IntegerField(
        label="How many records",
        min_value=1,
        max_value=MAX_SAMPLE,
        required=False,
        initial=10,
        help_text=f"From 1 to {MAX_SAMPLE}. If there are fewer, all of them are included.",
        error_messages={
            "invalid": f"Enter a whole number from 1 to {MAX_SAMPLE}.",
            "min_value": f"Enter a whole number from 1 to {MAX_SAMPLE}.",
            "max_value": f"Enter a whole number from 1 to {MAX_SAMPLE}.",
        },
    )
    record_ids = forms.CharField(
        label="Record numbers",
        required=False,
        widget=forms.Textarea,
        help_text=(
            "The number of each record, or its address, separated by commas or on separate "
            "lines. Only records shared or signed, of sessions held in the period by people in "
            "the team or service, can be included."
        ),
    )

    def __init__(self, *args: Any, access: selectors.Oversight, units: list[Team], **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = []
        if access.whole_organisation:
            choices.append((WHOLE, WHOLE_ORGANISATION))
        choices += [(str(unit.pk), unit.path) for unit in units]
        self.units = {str(unit.pk): unit for unit in units}
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ChoiceField)
        unit_field.choices = choices

    def clean_record_ids(self) -> list[int]:
        return read_record_numbers(self.cleaned_data.get("record_ids") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("sample") == SampleChoice.RANDOM
            and not data.get("sample_size")
            and "sample_size" not in self.errors
        ):
            self.add_error("sample_size", "Enter how many records to include.")
        if (
            data.get("sample") == SampleChoice.CHOSEN
            and not data.get("record_ids")
            and "record_ids" not in self.errors
        ):
            self.add_error("record_ids", "Enter the numbers of the records to include.")
        return data

    def chosen_unit(self) -> Team | None:
        value = self.cleaned_data["unit"]
        return None if value == WHOLE else self.units[value]


class AccessForm(forms.Form):
    name = forms.CharField(
        label="Inspector's name",
        max_length=200,
        error_messages={"required": "Enter the inspector's name."},
    )
    email = forms.EmailField(
        label="Inspector's email address",
        error_messages={
            "required": "Enter the inspector's email address.",
            "invalid": "Enter the inspector's email address, like name@example.org.",
        },
    )
    expires_on = SessionDateField(
        label="Expires on",
        help_text=(
            "The link stops working at the end of this day: at most "
            f"{MAX_ACCESS_DAYS} days from today. For example, 27/03/2027."
        ),
    )

    def __init__(self, *args: Any, max_days: int = MAX_ACCESS_DAYS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].help_text = (
            "The link stops working at the end of this day: at most "
            f"{max_days} days from today (your organisation's longest inspector access). "
            "For example, 27/03/2027."
        )
