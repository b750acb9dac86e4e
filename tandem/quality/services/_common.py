"""What every quality service shares: refusing in plain words, and the audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from tandem.core.services import audit_event_write
from tandem.organisations.models import Person

from ..models import TEXT_LIMIT


def refuse_if(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})


def text(
    problems: dict[str, str],
    key: str,
    value: str | None,
    *,
    label: str,
    required: bool = True,
    limit: int = TEXT_LIMIT,
) -> str:
    value = (value or "").strip()
    if required and not value:
        problems.setdefault(key, f"Enter {label}.")
    elif len(value) > limit:
        problems.setdefault(
            key, f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer."
        )
    return value


def audit(
    *, by: Person | None, organisation: Any, action: str, target: models.Model, **detail: Any
) -> None:
    audit_event_write(
        organisation=organisation,
        actor=by,
        action=f"quality.{action}",
        target=target,
        detail=detail,
    )
