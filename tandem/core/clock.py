"""Tandem "as of" another moment: the demo loaded as a newcomer would see it on a given day, and
the date sweep that runs the date-dependent tests with the clock at hostile dates.

Only the parsing lives here. Moving the clock is time-machine's job (``load_demo --as-of`` and the
tests' ``--as-of`` option travel with it): the whole process then agrees on what "now" is, the
services' timestamps included, which passing a ``today`` argument around could never promise.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

# A day given without a time is taken at the start of a working morning.
DEFAULT_TIME = datetime.time(9, 0)
FORMATS = "YYYY-MM-DD or YYYY-MM-DDTHH:MM"


def parse_as_of(text: str) -> datetime.datetime:
    """The moment ``text`` names, in the project's time zone (Europe/London), as an aware
    datetime. ``2027-12-25`` is 09:00 that day; ``2027-03-28T00:30`` is that time, before the
    clocks go forward. A time the clocks skip or repeat is taken as the law takes it (fold 0).
    Raises ``ValueError`` with one plain sentence for anything else."""
    value = text.strip()
    try:
        if "T" in value or " " in value:
            moment = datetime.datetime.fromisoformat(value)
        else:
            moment = datetime.datetime.combine(datetime.date.fromisoformat(value), DEFAULT_TIME)
    except ValueError:
        raise ValueError(f"{text!r} is not a date or a moment: use {FORMATS}.") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment
