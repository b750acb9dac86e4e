"""The sessions a person needs, from their organisation's policy and calendar.

Thin on purpose: this reads the database (the organisation's frequency rules, the person's clock
start, the school's term dates) and hands plain data to ``requirements.sessions_needed``, where
the logic and its tests live.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Q

from tandem.agreements.models import FrequencyRule
from tandem.agreements.policies import Stage, clock_start, frequency_rules_ensure
from tandem.agreements.selectors import agreed_frequencies
from tandem.core.calendar import calendar_for
from tandem.organisations.models import Organisation, Person

from .requirements import Requirement, Rule, sessions_needed, windows_start


def rules_for(person: Person) -> list[Rule]:
    """The organisation's frequency rules for the person's staff category, as plain data."""
    frequency_rules_ensure(person.organisation)
    return [
        Rule(
            from_day=rule.from_day,
            until_day=rule.until_day,
            frequency=rule.frequency,
            min_minutes=rule.min_minutes,
            effective_from=rule.effective_from,
        )
        for rule in FrequencyRule.objects.for_organisation(person.organisation_id)
        .filter(staff_category=person.staff_category)
        .order_by("effective_from", "from_day", "pk")
    ]


def frequency_rules(organisation: Organisation) -> dict[str, list[Rule]]:
    """The organisation's frequency policy as plain rules, by staff category, in one query
    (``policy.rules_for`` reads one person's, which is one query per person)."""
    frequency_rules_ensure(organisation)
    rules: dict[str, list[Rule]] = defaultdict(list)
    rows = FrequencyRule.objects.for_organisation(organisation).order_by(
        "staff_category", "effective_from", "from_day", "pk"
    )
    for row in rows:
        rules[row.staff_category].append(
            Rule(row.from_day, row.until_day, row.frequency, row.min_minutes, row.effective_from)
        )
    return dict(rules)


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


@dataclass(frozen=True)
class PolicyPreview:
    """What a change of one category's rules would do over the year from its date: how many
    people would need more sessions, fewer, or as many, and the sessions needed in all."""

    effective_from: datetime.date
    until: datetime.date
    people: int
    more: int
    fewer: int
    same: int
    sessions_before: int
    sessions_after: int


def policy_change_preview(
    organisation: Organisation,
    *,
    staff_category: str,
    effective_from: datetime.date,
    stages: Sequence[Stage],
) -> PolicyPreview:
    """``policies.frequency_policy_change`` worked out without saving: each person of the
    category employed on ``effective_from``, their sessions needed in the 12 months from it
    under the rules as they are and as they would be (their agreements' stricter frequencies
    included). A fixed number of queries, whatever the number of people."""
    until = effective_from + relativedelta(years=1) - datetime.timedelta(days=1)
    now = frequency_rules(organisation).get(staff_category, [])
    changed = [rule for rule in now if rule.effective_from != effective_from] + [
        Rule(
            from_day=stage.from_day,
            until_day=stages[number + 1].from_day if number + 1 < len(stages) else None,
            frequency=stage.frequency,
            min_minutes=stage.min_minutes,
            effective_from=effective_from,
        )
        for number, stage in enumerate(stages)
    ]
    people = list(
        Person.objects.for_organisation(organisation)
        .filter(staff_category=staff_category)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=effective_from))
        .filter(Q(employment_start__isnull=True) | Q(employment_start__lte=until))
    )
    agreed = agreed_frequencies(organisation, [p.pk for p in people])
    terms = calendar_for(organisation).terms
    more = fewer = same = before_total = after_total = 0
    for person in people:
        person.organisation = organisation
        clock = clock_start(person)
        start = (
            windows_start(
                counted_from=effective_from, employment_start=person.employment_start, clock=clock
            )
            or effective_from
        )
        end = min(until, person.left_on) if person.left_on else until
        counts = [
            len(
                sessions_needed(
                    rules=rules,
                    clock_start=clock,
                    start=start,
                    end=end,
                    agreed_frequency=agreed.get(person.pk),
                    terms=terms,
                )
            )
            for rules in (now, changed)
        ]
        before_total += counts[0]
        after_total += counts[1]
        if counts[1] > counts[0]:
            more += 1
        elif counts[1] < counts[0]:
            fewer += 1
        else:
            same += 1
    return PolicyPreview(
        effective_from, until, len(people), more, fewer, same, before_total, after_total
    )
