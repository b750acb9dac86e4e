"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(
    form: forms.Form, error: ValidationError, renames: Mapping[str, str] | None = None
) -> None:
    """A service's refusal onto the form: each message on the field it names (``renames`` maps
    a service's key to the form's field), the rest at the top of the form."""
    for key, messages in error.message_dict.items():
        name = (renames or {}).get(key, key)
        form.add_error(name if name in form.fields else None, messages)


# The date formats people type, the ISO one first (what a date shows as when a form is shown
# again). A bad date gets this one message, whatever the field.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_HINT = "For example, 27/03/2027."


def date_field(
    label: str, *, missing: str = "", required: bool = True, help_text: str = DATE_HINT
) -> forms.DateField:
    """A date field as every Tandem form asks for one: typed, in any usual UK way."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": missing or f"Enter the {label.lower()}.",
            "invalid": f"Enter a real date for the {label.lower()}, for example 27/03/2027.",
        },
    )


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    """The choices of a choice field, known only when the form is made (people, grades)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def set_queryset(form: forms.Form, name: str, queryset: Any) -> None:
    """The rows a model choice field offers: the reader's organisation's."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
