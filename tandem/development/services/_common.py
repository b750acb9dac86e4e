"""What every development service shares: refusing in plain words, and the audit event."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tandem.core.services import audit_event_write
from tandem.organisations.models import Person

from ..models.registration import TEXT_LIMIT

# An NMC PIN: two digits, a letter, four digits and a letter (e.g. 12A3456E).
NMC_PIN = re.compile(r"\d{2}[A-Z]\d{4}[A-Z]")
HOURS_MAX = Decimal("9999.9")


def refuse_if(problems: dict[str, str]) -> None:
    """Refuse the change, each problem on the field it is about; nothing has been written."""
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})


def check_text(
    problems: dict[str, str],
    key: str,
    value: str | None,
    *,
    label: str,
    required: bool = True,
    limit: int = TEXT_LIMIT,
) -> None:
    value = value or ""
    if required and not value.strip():
        problems.setdefault(key, f"Enter {label}.")
    elif len(value) > limit:
        problems.setdefault(
            key, f"{label[0].upper()}{label[1:]} must be {limit:,} characters or fewer."
        )


def check_past(
    problems: dict[str, str], key: str, day: datetime.date | None, *, label: str
) -> None:
    """A date that has happened: today or earlier."""
    if day is not None and day > timezone.localdate():
        problems.setdefault(key, f"{label} must be today or in the past.")


def check_pin(problems: dict[str, str], key: str, pin: str, *, label: str = "The NMC PIN") -> str:
    """The PIN in capitals, or a problem: two digits, a letter, four digits and a letter."""
    cleaned = pin.strip().upper().replace(" ", "")
    if not NMC_PIN.fullmatch(cleaned):
        problems.setdefault(
            key, f"{label} is two numbers, a letter, four numbers and a letter, like 12A3456E."
        )
    return cleaned


def audit(
    *,
    subject: Person,
    by: Person | None,
    action: str,
    target: models.Model,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> None:
    audit_event_write(
        organisation=subject.organisation,
        actor=by,
        action=f"development.{action}",
        target=target,
        summary=summary,
        detail={"person": subject.pk, **(detail or {})},
    )
