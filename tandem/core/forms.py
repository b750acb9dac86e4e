"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Mapping

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
