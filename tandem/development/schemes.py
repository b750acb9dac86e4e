"""The rule sets a person's development answers to, with their defaults (../shared/domain.md),
and the date arithmetic they need. Plain data and plain functions: no database here.

Each organisation may change any number of a rule set on the development rules page
(``models.SchemeRules`` keeps its values); what it has not changed is the default below. The
rule set that applies to a person follows from their staff category (``schemes_for``), except
for designated safeguarding leads, whom the school names.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import models

from tandem.organisations.models import StaffCategory


class Scheme(models.TextChoices):
    SWE_CPD = "swe_cpd", "Social Work England CPD"
    NMC_REVALIDATION = "nmc_revalidation", "NMC revalidation"
    CARE_CERTIFICATE = "care_certificate", "The Care Certificate"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Designated safeguarding lead training"


@dataclass(frozen=True)
class Number:
    """One configurable number of a rule set: its key, what it means, its default and bounds."""

    key: str
    label: str
    default: int
    minimum: int
    maximum: int
    hint: str = ""


RULES: dict[str, list[Number]] = {
    Scheme.SWE_CPD: [
        Number("records_per_year", "CPD records each registration year", 2, 1, 20),
        Number(
            "peer_reflected_records",
            "Of those, records with peer reflection",
            1,
            0,
            20,
            "Supervision and group supervision count as peer reflection.",
        ),
        Number(
            "year_starts_month",
            "The registration year starts in month",
            12,
            1,
            12,
            "Social Work England's year runs from 1 December to 30 November: month 12.",
        ),
        Number(
            "reminders_from_month",
            "Reminders start on the 1st of month",
            9,
            1,
            12,
            "Reminders go to people who are behind from the 1st of this month until the year ends.",
        ),
    ],
    Scheme.NMC_REVALIDATION: [
        Number("cycle_years", "Years between revalidations", 3, 1, 5),
        Number("practice_hours", "Practice hours", 450, 0, 5000),
        Number("cpd_hours", "CPD hours", 35, 0, 500),
        Number("participatory_hours", "Of those, participatory CPD hours", 20, 0, 500),
        Number("feedback", "Pieces of practice-related feedback", 5, 0, 50),
        Number("reflective_accounts", "Written reflective accounts", 5, 0, 50),
        Number("reflective_discussions", "Reflective discussions", 1, 0, 10),
        Number("due_soon_days", "Shown as due soon this many days before", 90, 1, 365),
    ],
    Scheme.CARE_CERTIFICATE: [
        Number("target_weeks", "Weeks from the start to the target date", 12, 1, 104),
    ],
    Scheme.SAFEGUARDING_LEAD: [
        Number("training_months", "Months between training courses", 24, 1, 60),
        Number("update_months", "Months between knowledge updates", 12, 1, 60),
    ],
}


def defaults(scheme: str) -> dict[str, int]:
    return {number.key: number.default for number in RULES[scheme]}


def rules_problems(scheme: str, values: dict[str, Any]) -> dict[str, str]:
    """What is wrong with these values of a rule set, by key; empty when nothing is."""
    problems = {}
    for number in RULES[scheme]:
        value = values.get(number.key)
        if not isinstance(value, int) or isinstance(value, bool):
            problems[number.key] = f"Enter a whole number for {number.label.lower()}."
        elif not number.minimum <= value <= number.maximum:
            problems[number.key] = (
                f"{number.label} must be between {number.minimum} and {number.maximum}."
            )
    if (
        scheme == Scheme.SWE_CPD
        and not problems
        and values["peer_reflected_records"] > values["records_per_year"]
    ):
        problems["peer_reflected_records"] = (
            "Records with peer reflection cannot be more than the records each year."
        )
    if (
        scheme == Scheme.NMC_REVALIDATION
        and not problems
        and values["participatory_hours"] > values["cpd_hours"]
    ):
        problems["participatory_hours"] = (
            "Participatory hours are part of the CPD hours: they cannot be more."
        )
    return problems


SOCIAL_WORK = {
    StaffCategory.REGISTERED_SOCIAL_WORKER,
    StaffCategory.NQSW_ASYE,
    StaffCategory.PRACTICE_SUPERVISOR,
    StaffCategory.TEAM_MANAGER,
    StaffCategory.HEAD_OF_SERVICE,
    StaffCategory.ASSISTANT_DIRECTOR,
}
CARE_STAFF = {StaffCategory.CARE_WORKER, StaffCategory.HOME_CARE_WORKER}


def schemes_for(staff_category: str, *, safeguarding_lead: bool = False) -> list[str]:
    """The rule sets that apply to someone of this staff category."""
    found = []
    if staff_category in SOCIAL_WORK:
        found.append(Scheme.SWE_CPD)
    if staff_category == StaffCategory.NURSE:
        found.append(Scheme.NMC_REVALIDATION)
    if staff_category in CARE_STAFF:
        found.append(Scheme.CARE_CERTIFICATE)
    if safeguarding_lead:
        found.append(Scheme.SAFEGUARDING_LEAD)
    return [str(scheme) for scheme in found]


# Social Work England's registration year


@dataclass(frozen=True)
class Period:
    starts_on: datetime.date
    ends_on: datetime.date  # inclusive

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.starts_on <= day <= self.ends_on

    @property
    def label(self) -> str:
        return f"{self.starts_on:%-d %B %Y} to {self.ends_on:%-d %B %Y}"


def registration_year(on: datetime.date, *, starts_month: int = 12) -> Period:
    """The registration year that ``on`` falls in: by default 1 December to 30 November, so 30
    November 2026 is in the year that began on 1 December 2025, and 1 December 2026 starts the
    next."""
    start_year = on.year if on.month >= starts_month else on.year - 1
    starts_on = datetime.date(start_year, starts_month, 1)
    return Period(starts_on, starts_on + relativedelta(years=1) - datetime.timedelta(days=1))


def reminders_start(year: Period, *, from_month: int = 9) -> datetime.date:
    """The day reminders begin for a registration year: the 1st of ``from_month`` before it
    ends (1 September for the year ending 30 November)."""
    day = datetime.date(year.ends_on.year, from_month, 1)
    if day > year.ends_on:
        day = datetime.date(year.ends_on.year - 1, from_month, 1)
    return max(day, year.starts_on)


# NMC revalidation


def revalidation_period(due_on: datetime.date, *, cycle_years: int = 3) -> Period:
    """The three years of practice a revalidation due on ``due_on`` looks back over: from the
    day after the last renewal (three years earlier) to the day before it is due."""
    return Period(due_on - relativedelta(years=cycle_years), due_on - datetime.timedelta(days=1))


def next_revalidation(due_on: datetime.date, *, cycle_years: int = 3) -> datetime.date:
    """The renewal date after this one: the same day three years on (29 February falls back to
    28 February in a year that has none)."""
    return due_on + relativedelta(years=cycle_years)


# The Care Certificate: its 16 standards since the 2025 update (Skills for Care).

CARE_CERTIFICATE_VERSION = "2025"
CARE_CERTIFICATE_STANDARDS: list[tuple[int, str]] = [
    (1, "Understand your role"),
    (2, "Your personal development"),
    (3, "Duty of care"),
    (4, "Equality, diversity, inclusion and human rights"),
    (5, "Work in a person-centred way"),
    (6, "Communication"),
    (7, "Privacy and dignity"),
    (8, "Fluids and nutrition"),
    (9, "Awareness of mental health and dementia"),
    (10, "Safeguarding adults"),
    (11, "Safeguarding children"),
    (12, "Basic life support"),
    (13, "Health and safety"),
    (14, "Handling information"),
    (15, "Infection prevention and control"),
    (16, "Awareness of learning disability and autism"),
]


def care_certificate_target(started_on: datetime.date, *, target_weeks: int = 12) -> datetime.date:
    return started_on + datetime.timedelta(weeks=target_weeks)


def months_after(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)
