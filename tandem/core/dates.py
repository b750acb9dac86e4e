"""How Tandem writes a day for people: "7 September 2026", in pages, emails, documents and
messages alike (GOV.UK style: no leading zero, the month in full, no comma)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

# The same, for Django's date filter and dateformat.
LONG_DATE = "j F Y"


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """7 September 2026. A moment is shown on its day in London (the site's time zone)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {value:%B %Y}"


def long_date_filter(value: Any) -> str:
    """``{{ day|long_date }}``: as ``long_date``; anything that is not a date is left as it is."""
    if isinstance(value, datetime.date):
        return long_date(value)
    return "" if value is None else str(value)
