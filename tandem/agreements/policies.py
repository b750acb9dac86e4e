"""Frequency policies: how often, and for how long, each kind of staff must be supervised.

The defaults follow ../shared/domain.md (LGA employer standards for social workers, common care
benchmarks, a school's own choice); each organisation keeps its own rules as data and may change
them. An agreement may be stricter than its organisation's policy, never looser.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.core.services import audit_event_write
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
    for rule in (
        FrequencyRule.objects.for_organisation(person.organisation_id)
        .in_force(on)
        .filter(staff_category=person.staff_category)
    ):
        if rule.from_day <= day and (rule.until_day is None or day < rule.until_day):
            return rule
    return None


def in_force_on(rules: Sequence[FrequencyRule], on: datetime.date) -> list[FrequencyRule]:
    """Of rules already loaded (one organisation's), those of the set in force on ``on``."""
    since = max((r.effective_from for r in rules if r.effective_from <= on), default=None)
    return [rule for rule in rules if rule.effective_from == since]


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
    # "As the policy requires" is the policy itself; an unknown value is the form's to refuse.
    if frequency in INTERVAL_DAYS and not at_least_as_often(frequency, rule.frequency):
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


# Changing the policy: a new set of rules from a date

POLICY_CHANGED = "frequency_policy.changed"
POLICY_CONFIRMED = "frequency_policy.confirmed"
MAX_STAGES = 4
MINUTES = (15, 480)
MAX_AHEAD = datetime.timedelta(days=2 * 366)
DAYS_PER_MONTH = 30.4375  # 365.25 / 12


@dataclass(frozen=True)
class Stage:
    """One stage of a staff category's rules: from this day of time in post (0 for the start)
    until the next stage's, at least this often, for at least this long."""

    from_day: int
    frequency: str
    min_minutes: int | None = None
    note: str = ""


def stages_of(rules: Sequence[FrequencyRule]) -> list[Stage]:
    return [Stage(r.from_day, r.frequency, r.min_minutes, r.note) for r in rules]


def day_in_post(value: int, unit: str) -> int:
    """The day of time in post ``value`` weeks or months in (6 months: day 183)."""
    return value * 7 if unit == "weeks" else round(value * DAYS_PER_MONTH)


def weeks_or_months(day: int) -> tuple[int, str]:
    """A day of time in post as the pages say it: whole weeks under 26, else months."""
    if day % 7 == 0 and day < 26 * 7:
        return day // 7, "weeks"
    return round(day / DAYS_PER_MONTH), "months"


def time_in_post_label(from_day: int, until_day: int | None) -> str:
    """Words for a stage: "From the start", "From week 6", "From month 6"."""

    def words(day: int) -> str:
        value, unit = weeks_or_months(day)
        if unit == "months" and abs(value * DAYS_PER_MONTH - day) > 1:
            return f"day {day}"
        return f"{unit[:-1]} {value}"

    start = "From the start" if from_day == 0 else f"From {words(from_day)}"
    return start if until_day is None else f"{start} to {words(until_day)}"


def stages_problems(stages: Sequence[Stage]) -> dict[str, str]:
    """What is wrong with a category's new stages, by field ("stages" for the whole)."""
    if not stages:
        return {"stages": "Enter at least one rule."}
    if len(stages) > MAX_STAGES:
        return {"stages": f"Enter at most {MAX_STAGES} stages."}
    if stages[0].from_day != 0:
        return {"stages": "The first stage starts at the start of time in post."}
    days = [stage.from_day for stage in stages]
    if days != sorted(set(days)):
        return {"stages": "Each stage starts later than the one before it."}
    for stage in stages:
        if stage.frequency not in Frequency.values:
            return {"stages": "Choose how often for each stage."}
        if stage.min_minutes is not None and not MINUTES[0] <= stage.min_minutes <= MINUTES[1]:
            return {
                "stages": f"Enter a shortest session from {MINUTES[0]} to {MINUTES[1]} minutes."
            }
    return {}


def change_problems(
    staff_category: str,
    effective_from: datetime.date,
    stages: Sequence[Stage],
    today: datetime.date,
) -> dict[str, str]:
    """What is wrong with a change of policy before it is previewed or saved, by field."""
    problems = stages_problems(stages)
    if staff_category not in StaffCategory.values:
        problems["staff_category"] = "Choose a staff category."
    if effective_from < today:
        problems["effective_from"] = (
            "A change starts today or later: the past stays judged by the rules then in force."
        )
    elif effective_from > today + MAX_AHEAD:
        problems["effective_from"] = "A change starts within 2 years."
    return problems


def policy_sets(organisation: Organisation) -> list[datetime.date]:
    """The effective-from dates of the organisation's sets of rules, oldest first."""
    frequency_rules_ensure(organisation)
    return sorted(
        set(
            FrequencyRule.objects.for_organisation(organisation)
            .order_by()
            .values_list("effective_from", flat=True)
        )
    )


def category_rules(
    organisation: Organisation, staff_category: str, on: datetime.date
) -> list[FrequencyRule]:
    """The rules of one staff category in the set in force on ``on``."""
    frequency_rules_ensure(organisation)
    return list(
        FrequencyRule.objects.for_organisation(organisation)
        .in_force(on)
        .filter(staff_category=staff_category)
        .order_by("from_day", "pk")
    )


@transaction.atomic
def frequency_policy_change(
    *,
    organisation: Organisation,
    by: Person,
    staff_category: str,
    effective_from: datetime.date,
    stages: Sequence[Stage],
    today: datetime.date | None = None,
) -> list[FrequencyRule]:
    """From ``effective_from`` on, ``staff_category`` is supervised by ``stages``.

    The change is a set of rules from that date: a copy of the set in force then, with this
    category's rules replaced (or, when a set already starts that day, a change to it). It
    starts today or later, so every window that has ended stays judged by the rules then in
    force; oversight rewrites the current and future windows when the rules are saved. A set
    planned after this one keeps its own rules. One audit event with the old and the new."""
    today = today or timezone.localdate()
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    problems = change_problems(staff_category, effective_from, stages, today)
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    frequency_rules_ensure(organisation)
    in_force = list(
        FrequencyRule.objects.for_organisation(organisation)
        .in_force(effective_from)
        .order_by("staff_category", "from_day", "pk")
    )
    old = [r for r in in_force if r.staff_category == staff_category]

    def bare(items: Sequence[Stage]) -> list[tuple[int, str, int | None]]:
        return [(s.from_day, s.frequency, s.min_minutes) for s in items]

    if bare(stages_of(old)) == bare(stages):
        raise ValidationError({"stages": ["These are the rules already in force from that day."]})
    same_day = bool(in_force) and in_force[0].effective_from == effective_from
    if same_day:
        for rule in old:
            rule.delete()
    else:
        for rule in in_force:
            if rule.staff_category != staff_category:
                rule.pk = None
                rule.effective_from = effective_from
                rule.save(force_insert=True)
    made = []
    for number, stage in enumerate(stages):
        until = stages[number + 1].from_day if number + 1 < len(stages) else None
        made.append(
            FrequencyRule.objects.create(
                organisation=organisation,
                effective_from=effective_from,
                staff_category=staff_category,
                from_day=stage.from_day,
                until_day=until,
                frequency=stage.frequency,
                min_minutes=stage.min_minutes,
                note=stage.note[:200],
            )
        )
    label = StaffCategory(staff_category).label
    audit_event_write(
        organisation=organisation,
        actor=by,
        action=POLICY_CHANGED,
        target=organisation,
        summary=f"{label}: new rules from {effective_from:%-d %B %Y}",
        detail={
            "staff_category": staff_category,
            "effective_from": effective_from.isoformat(),
            "old": [asdict(stage) for stage in stages_of(old)],
            "new": [asdict(stage) for stage in stages],
        },
    )
    return made


def stages_words(stages: Sequence[dict[str, object] | Stage]) -> str:
    """A category's stages in a line: "From the start: weekly (90 minutes); from week 6: ..."."""
    parts = []
    items = [s if isinstance(s, Stage) else Stage(**s) for s in stages]  # type: ignore[arg-type]
    for number, stage in enumerate(items):
        until = items[number + 1].from_day if number + 1 < len(items) else None
        when = time_in_post_label(stage.from_day, until)
        minutes = f" ({stage.min_minutes} minutes)" if stage.min_minutes else ""
        parts.append(f"{when}: {Frequency(stage.frequency).label.lower()}{minutes}")
    return "; ".join(parts) or "No rule"


def policy_history(organisation: Organisation, limit: int = 50) -> list[dict[str, object]]:
    """The changes of policy, newest first: who, when, the category, from when, old and new."""
    events = (
        AuditEvent.objects.filter(organisation=organisation, action=POLICY_CHANGED)
        .select_related("actor__person")
        .order_by("-at", "-id")[:limit]
    )
    rows = []
    for event in events:
        detail = event.detail or {}
        person = getattr(event.actor, "person", None) if event.actor else None
        category = detail.get("staff_category", "")
        rows.append(
            {
                "at": event.at,
                "by": person.full_name if person else "Tandem",
                "staff_category": (
                    StaffCategory(category).label if category in StaffCategory.values else category
                ),
                "effective_from": datetime.date.fromisoformat(detail["effective_from"])
                if detail.get("effective_from")
                else None,
                "old": stages_words(detail.get("old") or []),
                "new": stages_words(detail.get("new") or []),
            }
        )
    return rows


def frequency_policy_confirm(*, organisation: Organisation, by: Person) -> None:
    """An admin says the policy is right as it stands (the set-up checklist's step)."""
    audit_event_write(
        organisation=organisation,
        actor=by,
        action=POLICY_CONFIRMED,
        summary="The frequency policy confirmed as it stands",
    )


def policy_reviewed(organisation: Organisation) -> bool:
    """Whether an admin has changed the policy or confirmed it as it stands."""
    return AuditEvent.objects.filter(
        organisation=organisation, action__in=(POLICY_CHANGED, POLICY_CONFIRMED)
    ).exists()
