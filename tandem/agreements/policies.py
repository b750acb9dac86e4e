"""Frequency policies: how often, and for how long, each kind of staff must be supervised.

The defaults follow ../shared/domain.md (LGA employer standards for social workers, common care
benchmarks, a school's own choice); each organisation keeps its own rules as data and may change
them. An agreement may be stricter than its organisation's policy, never looser.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from tandem.organisations.models import Organisation, Person, PolicyClock, StaffCategory

from .models import INTERVAL_DAYS, Frequency, FrequencyRule

SOCIAL_WORK = [
    StaffCategory.REGISTERED_SOCIAL_WORKER,
    StaffCategory.PRACTICE_SUPERVISOR,
    StaffCategory.TEAM_MANAGER,
    StaffCategory.HEAD_OF_SERVICE,
    StaffCategory.ASSISTANT_DIRECTOR,
]

# (staff category, from day, until day, frequency, minimum minutes, note)
DEFAULT_RULES: list[tuple[str, int, int | None, str, int | None, str]] = [
    (StaffCategory.NQSW_ASYE, 0, 42, Frequency.WEEKLY, 90, "NQSW: weekly for the first 6 weeks"),
    (StaffCategory.NQSW_ASYE, 42, 183, Frequency.FORTNIGHTLY, 90, "NQSW: fortnightly to 6 months"),
    (StaffCategory.NQSW_ASYE, 183, None, Frequency.MONTHLY, 90, "NQSW: monthly after 6 months"),
    *[
        (category, 0, None, Frequency.MONTHLY, 90, "Social workers: at least monthly")
        for category in SOCIAL_WORK
    ],
    (StaffCategory.PROBATIONER, 0, None, Frequency.MONTHLY, None, "Probation: at least monthly"),
    (StaffCategory.CARE_WORKER, 0, None, Frequency.TWO_MONTHLY, None, "Care homes: 6 a year"),
    (StaffCategory.HOME_CARE_WORKER, 0, None, Frequency.QUARTERLY, None, "Home care: 4 a year"),
    (
        StaffCategory.REGISTERED_MANAGER,
        0,
        None,
        Frequency.TWO_MONTHLY,
        None,
        "Registered managers: 6 a year",
    ),
    (StaffCategory.NURSE, 0, None, Frequency.QUARTERLY, None, "Clinical supervision: 4 a year"),
    (StaffCategory.TEACHER, 0, None, Frequency.TERMLY, None, "School staff: each term"),
    (StaffCategory.SUPPORT_STAFF, 0, None, Frequency.TERMLY, None, "School staff: each term"),
]


@transaction.atomic
def frequency_rules_ensure(organisation: Organisation) -> None:
    """Give an organisation the default rules, once; its own changes are never overwritten."""
    if FrequencyRule.objects.for_organisation(organisation).exists():
        return
    FrequencyRule.objects.bulk_create(
        FrequencyRule(
            organisation=organisation,
            staff_category=str(category),
            from_day=from_day,
            until_day=until_day,
            frequency=str(frequency),
            min_minutes=min_minutes,
            note=note,
        )
        for category, from_day, until_day, frequency, min_minutes, note in DEFAULT_RULES
    )


def clock_start(person: Person) -> datetime.date | None:
    """Where time in post counts from: for NQSWs, the ASYE start or the employment start as the
    organisation chooses (``Organisation.policy_clock``); for everyone else, employment start."""
    if person.staff_category == StaffCategory.NQSW_ASYE:
        if person.organisation.policy_clock == PolicyClock.EMPLOYMENT_START:
            return person.employment_start or person.asye_start
        return person.asye_start or person.employment_start
    return person.employment_start


def rule_for(person: Person, on: datetime.date) -> FrequencyRule | None:
    """The organisation's rule for this person on this day, if any."""
    frequency_rules_ensure(person.organisation)
    start = clock_start(person)
    day = max(0, (on - start).days) if start else 10**6
    for rule in FrequencyRule.objects.for_organisation(person.organisation_id).filter(
        staff_category=person.staff_category
    ):
        if rule.from_day <= day and (rule.until_day is None or day < rule.until_day):
            return rule
    return None


def at_least_as_often(frequency: str, than: str) -> bool:
    return INTERVAL_DAYS[frequency] <= INTERVAL_DAYS[than]


@dataclass(frozen=True)
class PolicyProblem:
    field: str
    message: str


def check_against_policy(
    *,
    person: Person,
    on: datetime.date,
    frequency: str,
    duration_min_minutes: int | None,
) -> list[PolicyProblem]:
    """What in these arrangements falls short of the organisation's policy for this person."""
    rule = rule_for(person, on)
    if rule is None:
        return []
    problems = []
    if frequency and not at_least_as_often(frequency, rule.frequency):
        problems.append(
            PolicyProblem(
                "frequency",
                f"{person.get_staff_category_display()} staff at this point need supervision at "
                f"least {rule.get_frequency_display().lower()} ({rule.note}). Choose "
                f"{rule.get_frequency_display().lower()} or more often.",
            )
        )
    too_short = (
        rule.min_minutes is not None
        and duration_min_minutes is not None
        and duration_min_minutes < rule.min_minutes
    )
    if too_short:
        problems.append(
            PolicyProblem(
                "duration",
                f"Sessions for {person.get_staff_category_display().lower()} staff last at "
                f"least {rule.min_minutes} minutes under your organisation's policy.",
            )
        )
    return problems
