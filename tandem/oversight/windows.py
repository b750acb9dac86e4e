"""The policy, written down: each person's windows that need a session (``DueWindow``).

The compliance figures are computed in the database, so what each person needed must be there
too. ``meetings.requirements.sessions_needed`` says which windows a person needs under the rules
in force on each date (an NQSW's weekly weeks, then fortnightly, then monthly; a stricter
agreement); this module stores its answer from the organisation's ``compliance_from`` date to a
little ahead of today, and keeps it up to date:

- Windows that have ended are never rewritten: the past is judged by the policy as it stood.
- The current and future windows are rewritten whenever something they depend on changes (the
  person's category or dates, the organisation's rules, an agreement's frequency) and nightly
  by ``manage.py oversight_daily``, which also moves the horizon on.
- A change of supervisor changes nothing here: the clock is the person's, not the pair's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.agreements.models import INTERVAL_DAYS, AgreementStatus, AgreementVersion
from tandem.agreements.policies import clock_start
from tandem.core.calendar import calendar_for
from tandem.meetings.requirements import Rule, sessions_needed
from tandem.meetings.schedule import frequency_rules
from tandem.organisations.models import Organisation, Person

from .models import DueWindow

DAY = datetime.timedelta(days=1)
BATCH = 5000


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def midnight(day: datetime.date) -> datetime.datetime:
    """The first instant of ``day`` in the organisation's time zone."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone())


def horizon(today: datetime.date) -> datetime.date:
    """How far ahead windows are written: the end of the third month from now, so the current
    window (a quarter at most) is whole and the nightly run has room to move it on."""
    return today + relativedelta(months=3, day=31)


def counts_from(organisation: Organisation) -> datetime.date:
    """The first day Tandem's figures count: sessions before it were not recorded here."""
    return organisation.compliance_from or timezone.localdate(organisation.created_at)


def agreed_frequencies(organisation: Organisation, person_ids: Sequence[int]) -> dict[int, str]:
    """The strictest frequency each person's current agreements set, in one query."""
    versions = (
        AgreementVersion.objects.filter(
            agreement__organisation=organisation,
            agreement__supervisee_id__in=person_ids,
            agreement__status__in=[AgreementStatus.ACTIVE, AgreementStatus.DUE_FOR_REVIEW],
        )
        .exclude(frequency="")
        .order_by("agreement_id", "number")
        .values_list("agreement__supervisee_id", "agreement_id", "frequency")
    )
    latest: dict[int, tuple[int, str]] = {}
    for person_id, agreement_id, frequency in versions:
        latest[agreement_id] = (person_id, frequency)  # the last version of each agreement
    strictest: dict[int, str] = {}
    for person_id, frequency in latest.values():
        current = strictest.get(person_id)
        if current is None or INTERVAL_DAYS[frequency] < INTERVAL_DAYS[current]:
            strictest[person_id] = frequency
    return strictest


def windows_for(
    person: Person,
    *,
    rules: dict[str, list[Rule]],
    first: datetime.date,
    last: datetime.date,
    agreed_frequency: str | None,
    terms: Sequence[object],
) -> list[DueWindow]:
    """The person's windows from ``first`` to ``last`` (both included), unsaved."""
    end = min(last, person.left_on) if person.left_on else last
    start = max(first, person.employment_start) if person.employment_start else first
    if end < start:
        return []
    needed = sessions_needed(
        rules=rules.get(person.staff_category, ()),
        clock_start=clock_start(person),
        start=start,
        end=end,
        agreed_frequency=agreed_frequency,
        terms=terms,  # type: ignore[arg-type]
    )
    return [
        DueWindow(
            organisation_id=person.organisation_id,
            person_id=person.pk,
            starts_on=window.starts_on,
            ends_on=window.ends_on,
            starts_at=midnight(window.starts_on),
            ends_at=midnight(window.ends_on + DAY),
            frequency=window.frequency,
            min_minutes=window.min_minutes,
            staff_category=person.staff_category,
        )
        for window in needed
    ]


@transaction.atomic
def windows_refresh(
    organisation: Organisation,
    *,
    people: Iterable[Person] | None = None,
    today: datetime.date | None = None,
) -> int:
    """Rewrite the current and future windows of these people (everyone in the organisation
    when ``people`` is None) from the policy in force now; the windows that have ended stay as
    they are. Returns the number of windows written. A fixed number of queries per batch."""
    today = today or timezone.localdate()
    if people is None:
        people = Person.objects.for_organisation(organisation).select_related("organisation")
    chosen = [p for p in people if p.organisation_id == organisation.pk]
    if not chosen:
        return 0
    ids = [p.pk for p in chosen]
    rules = frequency_rules(organisation)
    agreed = agreed_frequencies(organisation, ids)
    terms = calendar_for(organisation).terms
    floor = counts_from(organisation)
    last = horizon(today)

    # Where each person's kept (ended) windows stop.
    kept_until: dict[int, datetime.date] = {}
    for person_id, ends_on in (
        DueWindow.objects.for_organisation(organisation)
        .filter(person_id__in=ids, ends_on__lt=today)
        .order_by()
        .values_list("person_id", "ends_on")
    ):
        if ends_on > kept_until.get(person_id, datetime.date.min):
            kept_until[person_id] = ends_on
    DueWindow.objects.for_organisation(organisation).filter(
        person_id__in=ids, ends_on__gte=today
    ).delete()

    windows: list[DueWindow] = []
    for person in chosen:
        person.organisation = organisation  # clock_start reads the organisation's setting
        kept = kept_until.get(person.pk)
        first = kept + DAY if kept else floor
        windows += windows_for(
            person,
            rules=rules,
            first=first,
            last=last,
            agreed_frequency=agreed.get(person.pk),
            terms=terms,
        )
    DueWindow.objects.bulk_create(windows, batch_size=BATCH)
    return len(windows)


def windows_refresh_all(*, today: datetime.date | None = None) -> dict[str, int]:
    """Every organisation's windows, moved on to the horizon (the nightly run)."""
    written: dict[str, int] = {}
    for organisation in Organisation.objects.order_by("pk"):
        written[organisation.name] = windows_refresh(organisation, today=today)
    return written
