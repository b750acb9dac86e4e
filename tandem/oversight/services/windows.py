"""The policy, written down: each person's windows that need a session (``DueWindow``).

The compliance figures are computed in the database, so what each person needed must be there
too. ``meetings.requirements.sessions_needed`` says which windows a person needs under the rules
in force on each date (an NQSW's weekly weeks, then fortnightly, then monthly; a stricter
agreement); this module stores its answer from the organisation's ``compliance_from`` date to a
little ahead of today, and keeps it up to date:

- Windows that have ended are never rewritten: the past is judged by the policy as it stood.
  Only facts about the past change them: the first day the figures count moved (earlier: the
  days before are written; later: what ended before it goes) or a leaving date entered late
  (nothing is required after it).
- A change in the middle of the running window never makes a window that has already ended
  (monthly becoming fortnightly on the 15th: one window from the 1st to the 28th, not 1-14).
- The current and future windows are rewritten whenever something they depend on changes (the
  person's category or dates, the organisation's rules, an agreement's frequency) and nightly
  by ``manage.py oversight_daily``, which also moves the horizon on.
- A change of supervisor changes nothing here: the clock is the person's, not the pair's.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F, Max, Min, Q, QuerySet
from django.utils import timezone

from tandem.agreements.policies import clock_start
from tandem.agreements.selectors import agreed_frequencies
from tandem.core.calendar import calendar_for
from tandem.core.scoping import organisation_scope
from tandem.meetings.policy import frequency_rules
from tandem.meetings.requirements import Rule, sessions_needed, windows_start
from tandem.organisations.models import Organisation, Person

from ..models import DueWindow
from ..periods import counts_from, horizon, midnight

DAY = datetime.timedelta(days=1)
BATCH = 5000


def windows_for(
    person: Person,
    *,
    rules: dict[str, list[Rule]],
    first: datetime.date,
    last: datetime.date,
    agreed_frequency: str | None,
    terms: Sequence[object],
) -> list[DueWindow]:
    """The person's windows from ``first`` to ``last`` (both included), unsaved. Nothing is
    required before their employment starts, nor before their policy clock does (an NQSW's
    weekly sessions count from the ASYE start, not from an earlier job)."""
    end = min(last, person.left_on) if person.left_on else last
    clock = clock_start(person)
    start = (
        windows_start(counted_from=first, employment_start=person.employment_start, clock=clock)
        or first
    )
    if end < start:
        return []
    needed = sessions_needed(
        rules=rules.get(person.staff_category, ()),
        clock_start=clock,
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

    mine = DueWindow.objects.for_organisation(organisation).filter(person_id__in=ids)
    # The first day the figures count was moved later: what ended before it never counts. And
    # nothing is required of anyone after they left, even when their leaving is entered late.
    mine.filter(
        Q(ends_on__lt=floor) | Q(person__left_on__isnull=False, starts_on__gt=F("person__left_on"))
    ).delete()
    # The span of each person's kept (ended) windows: one row per person, not one per window.
    kept: dict[int, tuple[datetime.date, datetime.date]] = {
        row["person_id"]: (row["first"], row["last"])
        for row in mine.filter(ends_on__lt=today)
        .order_by()
        .values("person_id")
        .annotate(first=Min("starts_on"), last=Max("ends_on"))
    }
    by_pk = {p.pk: p for p in chosen}
    for person in chosen:
        person.organisation = organisation  # clock_start reads the organisation's setting
    # The first day was moved earlier (or a start date corrected): the kept windows start after
    # it. The days before them are written now, and the earliest kept window again with them
    # (it was cut short by the old first day), so a month does not come out as two pieces.
    backfill: dict[int, list[DueWindow]] = {}
    replaced: list[int] = []
    for person_id, earliest in _earliest_after(mine, chosen, kept, floor).items():
        before = windows_for(
            by_pk[person_id],
            rules=rules,
            first=floor,
            last=earliest.ends_on,
            agreed_frequency=agreed.get(person_id),
            terms=terms,
        )
        # The same window again (nothing was required before it, e.g. a school holiday): keep.
        if [(w.starts_on, w.ends_on) for w in before] != [(earliest.starts_on, earliest.ends_on)]:
            backfill[person_id] = before
            replaced.append(earliest.pk)
    # Where the window running today started: it is rewritten, but must not end in the past.
    running: dict[int, datetime.date] = dict(
        mine.filter(starts_on__lte=today, ends_on__gte=today).values_list("person_id", "starts_on")
    )
    mine.filter(Q(ends_on__gte=today) | Q(pk__in=replaced)).delete()

    windows: list[DueWindow] = []
    for person in chosen:
        windows += backfill.get(person.pk, [])
        span = kept.get(person.pk)
        first = span[1] + DAY if span else floor
        written = windows_for(
            person,
            rules=rules,
            first=first,
            last=last,
            agreed_frequency=agreed.get(person.pk),
            terms=terms,
        )
        if person.pk in running:
            written = _not_ended(written, today, since=running[person.pk])
        windows += written
    DueWindow.objects.bulk_create(windows, batch_size=BATCH)
    return len(windows)


def _earliest_after(
    mine: QuerySet[DueWindow],
    people: Sequence[Person],
    kept: dict[int, tuple[datetime.date, datetime.date]],
    floor: datetime.date,
) -> dict[int, DueWindow]:
    """The earliest kept window of each person whose kept windows start after both ``floor``
    and their employment start. One query, and none at all when nobody's do."""
    late = {
        p.pk: kept[p.pk][0]
        for p in people
        if p.pk in kept and kept[p.pk][0] > max(floor, p.employment_start or floor)
    }
    if not late:
        return {}
    rows = mine.filter(person_id__in=list(late), starts_on__in=set(late.values()))
    return {w.person_id: w for w in rows if late[w.person_id] == w.starts_on}


def _not_ended(
    windows: list[DueWindow], today: datetime.date, *, since: datetime.date
) -> list[DueWindow]:
    """The window running today, rewritten under a stricter policy, may come out as several of
    which the first have already ended (monthly becoming fortnightly on the 15th gives 1-14).
    Nobody can be asked today to have met a window in the past: those join the first window
    that has not ended, which then starts where the running one did (``since``). Windows
    before ``since`` (the days before it being written for the first time) are left alone."""
    first = next((n for n, w in enumerate(windows) if w.starts_on >= since), len(windows))
    ended = first
    while ended < len(windows) and windows[ended].ends_on < today:
        ended += 1
    if ended == first or ended == len(windows):
        return windows
    joined = windows[ended]
    joined.starts_on = windows[first].starts_on
    joined.starts_at = windows[first].starts_at
    return windows[:first] + windows[ended:]


def windows_refresh_all(*, today: datetime.date | None = None) -> dict[str, int]:
    """Every organisation's windows, moved on to the horizon (the nightly run)."""
    written: dict[str, int] = {}
    for organisation in Organisation.objects.order_by("pk"):
        with organisation_scope(organisation):
            written[organisation.name] = windows_refresh(organisation, today=today)
    return written
