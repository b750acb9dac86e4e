"""Reads about sessions and their agenda, scoped to one organisation, and the flags shown on
them: a cancelled session not re-booked in time, a held session shorter than the policy."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from tandem.agreements.models import FrequencyRule
from tandem.agreements.policies import clock_start, frequency_rules_ensure, in_force_on, rule_for
from tandem.organisations.models import Person
from tandem.organisations.selectors import managed_people, relationships_of_supervisor

from .models import AgendaItem, Session, SessionStatus

RECENT_DAYS = 90
LIST_LIMIT = 20


def _with_people(sessions: QuerySet[Session]) -> QuerySet[Session]:
    # The supervisee's organisation: the policy check reads where their time in post starts.
    return sessions.select_related(
        "supervisor", "supervisee__organisation", "rebooked_as"
    ).prefetch_related("members")


def session_for_page(*, organisation_id: int, pk: int) -> Session | None:
    """One session with everything its page shows: people, cancellation, re-booking, agenda."""
    agenda = AgendaItem.objects.select_related("added_by", "carried_from__session").order_by(
        "created_at", "id"
    )
    return (
        Session.objects.for_organisation(organisation_id)
        .select_related(
            "supervisor",
            "supervisee__organisation",
            "cancelled_by",
            "rebooked_from",
            "rebooked_as",
            "agreement",
            "organisation",
        )
        .prefetch_related("members", Prefetch("agenda", queryset=agenda))
        .filter(pk=pk)
        .first()
    )


def _of(person: Person) -> Q:
    """Sessions this person takes part in, without a join that repeats rows."""
    as_member = Session.members.through.objects.filter(person_id=person.pk).values("session_id")
    return Q(supervisor=person) | Q(supervisee=person) | Q(pk__in=as_member)


def sessions_of(*, person: Person) -> QuerySet[Session]:
    return _with_people(
        Session.objects.for_organisation(person.organisation_id).filter(_of(person))
    )


def upcoming_sessions_all(
    *, person: Person, now: datetime.datetime | None = None
) -> QuerySet[Session]:
    """All my scheduled sessions still to come, soonest first: for a paginated list."""
    now = now or timezone.now()
    return (
        sessions_of(person=person)
        .filter(status=SessionStatus.SCHEDULED, starts_at__gte=now)
        .order_by("starts_at", "id")
    )


def upcoming_sessions(
    *, person: Person, now: datetime.datetime | None = None, limit: int = LIST_LIMIT
) -> list[Session]:
    """My next scheduled sessions, soonest first."""
    return list(upcoming_sessions_all(person=person, now=now)[:limit])


def recent_sessions(
    *, person: Person, now: datetime.datetime | None = None, limit: int = LIST_LIMIT
) -> list[Session]:
    """My sessions that have started, were held or were cancelled lately, latest first."""
    now = now or timezone.now()
    return list(
        sessions_of(person=person)
        .filter(starts_at__lt=now, starts_at__gte=now - datetime.timedelta(days=RECENT_DAYS))
        .order_by("-starts_at", "-id")[:limit]
    )


def sessions_visible_to(*, person: Person, can_see_everyone: bool) -> QuerySet[Session]:
    """The sessions this person may open: their own, those of people they manage, or all of
    their organisation's for admins, HR and senior leaders."""
    sessions = Session.objects.for_organisation(person.organisation_id)
    if not can_see_everyone:
        managed = managed_people(manager=person).values("pk")
        managed_members = Session.members.through.objects.filter(person_id__in=managed).values(
            "session_id"
        )
        sessions = sessions.filter(
            _of(person)
            | Q(supervisee__in=managed)
            | Q(supervisor__in=managed)
            | Q(pk__in=managed_members)
        )
    return _with_people(sessions)


def people_to_book_with(*, person: Person) -> list[Person]:
    """Whom I book one to one and ad hoc sessions with: the people I supervise now."""
    return [r.supervisee for r in relationships_of_supervisor(person=person)]


def people_for_groups(*, person: Person) -> list[Person]:
    """Whom I may put in a group session I lead: the people I supervise or manage."""
    supervised = [r.supervisee_id for r in relationships_of_supervisor(person=person)]
    people = (
        Person.objects.for_organisation(person.organisation_id)
        .current()
        .filter(Q(pk__in=supervised) | Q(pk__in=managed_people(manager=person).values("pk")))
        .exclude(pk=person.pk)
        .order_by("last_name", "first_name", "id")
    )
    return list(people)


# Flags


def session_date(session: Session) -> datetime.date:
    return timezone.localdate(session.held_started_at or session.starts_at)


def policy_minimum(person: Person, on: datetime.date) -> int | None:
    """The shortest a session may be for this person on this day, under the policy."""
    rule = rule_for(person, on)
    return rule.min_minutes if rule is not None else None


def is_short(session: Session) -> bool:
    """A held session that lasted less than the policy's minimum for its supervisee."""
    if session.status != SessionStatus.HELD or session.held_minutes is None:
        return False
    if session.supervisee is None:
        return False
    minimum = policy_minimum(session.supervisee, session_date(session))
    return minimum is not None and session.held_minutes < minimum


def _rule_in(rules: Sequence[FrequencyRule], person: Person, on: datetime.date) -> Any:
    """``policies.rule_for`` over rules already loaded."""
    start = clock_start(person)
    day = max(0, (on - start).days) if start else 10**6
    for rule in in_force_on(rules, on):
        if rule.staff_category == person.staff_category and (
            rule.from_day <= day and (rule.until_day is None or day < rule.until_day)
        ):
            return rule
    return None


# The policy rules of each organisation, loaded once per page: {organisation id: rules}.
RulesCache = dict[int, list[FrequencyRule]]


def _rules_of(organisation: Any, cache: RulesCache) -> list[FrequencyRule]:
    if organisation.pk not in cache:
        frequency_rules_ensure(organisation)
        cache[organisation.pk] = list(
            FrequencyRule.objects.for_organisation(organisation.pk).order_by(
                "staff_category", "effective_from", "from_day"
            )
        )
    return cache[organisation.pk]


def short_session_ids(sessions: Iterable[Session], *, rules: RulesCache | None = None) -> set[int]:
    """``is_short`` for many sessions at once: one query for the rules of each organisation
    (none when ``rules`` already holds them). The sessions need their supervisee and the
    supervisee's organisation loaded."""
    held = [
        s
        for s in sessions
        if s.status == SessionStatus.HELD and s.held_minutes is not None and s.supervisee_id
    ]
    cache: RulesCache = {} if rules is None else rules
    short: set[int] = set()
    for session in held:
        supervisee = session.supervisee
        assert supervisee is not None
        in_force = _rules_of(supervisee.organisation, cache)
        rule = _rule_in(in_force, supervisee, session_date(session))
        minimum = rule.min_minutes if rule is not None else None
        held_minutes = session.held_minutes or 0
        if minimum is not None and held_minutes < minimum:
            short.add(session.pk)
    return short


def rebook_overdue(
    today: datetime.date | None = None, *, organisation: Any = None
) -> QuerySet[Session]:
    """Cancelled sessions whose re-book date has passed and that nobody has re-booked."""
    today = today or timezone.localdate()
    sessions = Session.objects.filter(
        status=SessionStatus.CANCELLED, rebook_by__lt=today, rebooked_as__isnull=True
    )
    if organisation is not None:
        sessions = sessions.for_organisation(organisation)
    return sessions.order_by("rebook_by", "id")


@dataclass(frozen=True)
class Attention:
    overdue: list[Session]
    short: list[Session]


def sessions_needing_attention(
    *,
    person: Person,
    can_see_everyone: bool,
    today: datetime.date | None = None,
    rules: RulesCache | None = None,
) -> Attention:
    """Among the sessions this person may see: cancelled ones not re-booked in time, and those
    held lately that were shorter than the policy. A fixed number of queries, whatever the
    number of sessions."""
    today = today or timezone.localdate()
    visible = sessions_visible_to(person=person, can_see_everyone=can_see_everyone)
    overdue = list(
        visible.filter(pk__in=rebook_overdue(today, organisation=person.organisation_id)).order_by(
            "rebook_by", "id"
        )[:LIST_LIMIT]
    )
    cache: RulesCache = {} if rules is None else rules
    minimums = [r.min_minutes for r in _rules_of(person.organisation, cache) if r.min_minutes]
    longest_minimum = max(minimums, default=None)
    short: list[Session] = []
    if longest_minimum:
        since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
        candidates = list(
            visible.filter(
                status=SessionStatus.HELD,
                held_minutes__lt=longest_minimum,
                starts_at__gte=since,
                supervisee__isnull=False,
            ).order_by("-starts_at", "-id")
        )
        flagged = short_session_ids(candidates, rules=cache)
        short = [s for s in candidates if s.pk in flagged][:LIST_LIMIT]
    return Attention(overdue=overdue, short=short)


# The agenda


@dataclass(frozen=True)
class AgendaFit:
    """How the time the open agenda items need compares with the session's length."""

    planned_minutes: int
    session_minutes: int

    @property
    def fits(self) -> bool:
        return self.planned_minutes <= self.session_minutes

    @property
    def over_by(self) -> int:
        return max(0, self.planned_minutes - self.session_minutes)

    @property
    def text(self) -> str:
        if self.fits:
            return f"The items fit in {_minutes(self.session_minutes)}"
        return f"The items need {_minutes(self.over_by)} more than the session"


def _minutes(count: int) -> str:
    return f"{count} minute{'' if count == 1 else 's'}"


def agenda_fit(session: Session, items: Iterable[AgendaItem] | None = None) -> AgendaFit:
    """The minutes of the items still to discuss (not done) against the session's length. Uses
    the session's prefetched agenda when there is one."""
    items = session.agenda.all() if items is None else items
    planned = sum(item.minutes for item in items if not item.done)
    return AgendaFit(planned_minutes=planned, session_minutes=session.duration_minutes)
