"""The sessions a person needs, from their organisation's policy and calendar.

Thin on purpose: this reads the database (the organisation's frequency rules, the person's clock
start, the school's term dates) and hands plain data to ``requirements.sessions_needed``, where
the logic and its tests live.
"""

from __future__ import annotations

import datetime

from tandem.agreements.models import FrequencyRule
from tandem.agreements.policies import clock_start, frequency_rules_ensure
from tandem.core.calendar import calendar_for
from tandem.organisations.models import Person

from .requirements import Requirement, Rule, sessions_needed


def rules_for(person: Person) -> list[Rule]:
    """The organisation's frequency rules for the person's staff category, as plain data."""
    frequency_rules_ensure(person.organisation)
    return [
        Rule(
            from_day=rule.from_day,
            until_day=rule.until_day,
            frequency=rule.frequency,
            min_minutes=rule.min_minutes,
        )
        for rule in FrequencyRule.objects.for_organisation(person.organisation_id)
        .filter(staff_category=person.staff_category)
        .order_by("from_day", "pk")
    ]


def sessions_needed_for(
    person: Person,
    start: datetime.date,
    end: datetime.date,
    agreed_frequency: str | None = None,
) -> list[Requirement]:
    """The windows from ``start`` to ``end`` (both included) that each need a session."""
    return sessions_needed(
        rules=rules_for(person),
        clock_start=clock_start(person),
        start=start,
        end=end,
        agreed_frequency=agreed_frequency,
        terms=calendar_for(person.organisation).terms,
    )
