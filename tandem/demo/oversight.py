"""The demo organisations' oversight: ``load_demo_oversight``, run by ``load_demo`` after the
records.

It builds on the sessions and records the other demos load, which tell the oversight story
themselves: across Northbridge Council Children's Services supervision has got steadily better
over the last year (from about 7 in 10 of the sessions required held a year ago to about 9 in 10
now, and more records shared on time), except in Child Protection West (``STRUGGLING_TEAM``),
where about half the sessions required are missed and many records are shared late. Hollyfield
Primary School is in good shape. Here:

* **The figures count from the start of the demo's history**: each organisation's
  ``compliance_from`` is the first of the month of its first session, and its windows (the
  sessions required, ``DueWindow``) are written from then to a little ahead of today.
* **Feedback**: supervisees answered the short form after many of their sessions of the last
  year, mostly positively; in the struggling team people say they have too little time to
  reflect, and after a session cut short nobody says they had enough. Sessions of the last week
  are left for their supervisees to answer (so the demo logins can try the form), and in Court
  and Proceedings only two people ever answer, so a month of that team never has the 5
  responses the figures need to be shown.
* **An evidence pack**: the head of service of Child Protection made one for the service over the
  last quarter, for Ofsted, with a random sample of 5 records, and gave an inspector access to it
  until a Friday at least a week away (``_inspector_access_ends``), whatever day it is loaded.

Idempotent: the windows are brought up to date (written again from the same start only when the
start changes), and an organisation that already has feedback (or an evidence pack) gets none, so
a second run changes no figure. Who answers and what they say follow from a random generator
seeded with each supervisee's staff number: the same demo gives the same feedback.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.demo.organisations import HOLLYFIELD, MEADOWBANK, NORTHBRIDGE, STRUGGLING_TEAM
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import Organisation, Person, Team, TeamKind
from tandem.oversight.models import Answer, DueWindow, EvidencePack, SampleChoice, SessionFeedback
from tandem.oversight.periods import Period, midnight, zone
from tandem.oversight.selectors import COUNTED_KINDS
from tandem.oversight.services import packs
from tandem.oversight.services.windows import windows_refresh

DAY = datetime.timedelta(days=1)
FEEDBACK_DAYS = 365
UNANSWERED_DAYS = 7  # sessions this recent wait for their answers
RESPONSE_RATE = 0.8  # how often a supervisee answers the form
STRUGGLING_RESPONSE_RATE = 0.9  # a team with something to say says it
# Only the first few people (by staff number) of this team ever answer: never 5 in a month.
QUIET_TEAM = "Court and Proceedings"
QUIET_RESPONDERS = 2
QUIET_RESPONSE_RATE = 0.8

# Weights of the answers No, Not really, Mostly, Yes: (useful, time to reflect, felt supported).
Weights = tuple[int, int, int, int]
USUALLY: tuple[Weights, Weights, Weights] = ((2, 6, 34, 58), (3, 12, 42, 43), (1, 6, 30, 63))
STRUGGLING: tuple[Weights, Weights, Weights] = ((6, 30, 44, 20), (32, 46, 17, 5), (10, 30, 40, 20))
ANSWERS = (Answer.NO, Answer.NOT_REALLY, Answer.MOSTLY, Answer.YES)

# The evidence pack.
PACK_SERVICE = "Child Protection"  # the service the struggling team is in
PACK_TITLE = "Child Protection: supervision evidence for the ILACS inspection"
PACK_INSPECTORATE = "Ofsted"
PACK_SAMPLE = 5
PACK_SEED = 2026
INSPECTOR = ("Alison Whitfield HMI", "alison.whitfield@ofsted.example")


def _first_of_history(organisation: Organisation) -> datetime.date | None:
    """The first of the month of the organisation's first session: where its figures count
    from. None when it has no session."""
    first = Session.objects.for_organisation(organisation).aggregate(first=Min("starts_at"))
    if first["first"] is None:
        return None
    return first["first"].astimezone(zone()).date().replace(day=1)


def _count_from(organisation: Organisation, first: datetime.date, today: datetime.date) -> int:
    """Count the figures from ``first`` and bring the windows up to date. When the start moves,
    the windows already written (counted from another day) are written again from the new one."""
    if organisation.compliance_from != first:
        organisation.compliance_from = first
        organisation.save(update_fields=["compliance_from"])
        DueWindow.objects.for_organisation(organisation).delete()
    return windows_refresh(organisation, today=today)


def _answer(rng: random.Random, weights: Weights) -> int:
    return int(rng.choices(ANSWERS, weights=weights)[0])


def _feedback(organisation: Organisation, today: datetime.date) -> int:
    """Answers to the feedback form on held sessions of the last year, but the last week. Written
    in bulk, with the audit event the service writes for each (never the
    answers)."""
    teams = dict(Team.objects.for_organisation(organisation).values_list("pk", "name"))
    sessions = list(
        Session.objects.for_organisation(organisation)
        .filter(
            status=SessionStatus.HELD,
            kind__in=COUNTED_KINDS,
            supervisee__isnull=False,
            held_started_at__gte=midnight(today - FEEDBACK_DAYS * DAY),
            held_started_at__lt=midnight(today - UNANSWERED_DAYS * DAY),
        )
        .select_related("supervisee")
        .order_by("supervisee__staff_number", "held_started_at", "pk")
    )
    quiet = sorted(
        {
            s.supervisee.staff_number
            for s in sessions
            if teams.get(s.supervisee.team_id or 0) == QUIET_TEAM
        }
    )[:QUIET_RESPONDERS]
    now = timezone.now()
    rngs: dict[int, random.Random] = {}
    made: list[SessionFeedback] = []
    for session in sessions:
        person: Person = session.supervisee
        rng = rngs.setdefault(
            person.pk, random.Random(f"tandem-demo-feedback {person.staff_number}")
        )
        team = teams.get(person.team_id or 0, "")
        struggling = team == STRUGGLING_TEAM
        if team == QUIET_TEAM:
            rate = QUIET_RESPONSE_RATE if person.staff_number in quiet else 0.0
        else:
            rate = STRUGGLING_RESPONSE_RATE if struggling else RESPONSE_RATE
        if rng.random() >= rate:
            continue
        useful, reflect, supported = (
            _answer(rng, weights) for weights in (STRUGGLING if struggling else USUALLY)
        )
        if (session.held_minutes or 0) < (session.duration_minutes or 0) - 15:
            reflect = min(reflect, int(Answer.NOT_REALLY))  # cut short: no time to reflect
        started = session.held_started_at or session.starts_at
        ended = started + datetime.timedelta(minutes=session.held_minutes or 0)
        submitted = min(ended + datetime.timedelta(minutes=rng.randint(5, 60 * 30)), now)
        made.append(
            SessionFeedback(
                organisation_id=organisation.pk,
                session_id=session.pk,
                person_id=person.pk,
                team_id=person.team_id,
                held_on=started.astimezone(zone()).date(),
                useful=useful,
                time_to_reflect=reflect,
                felt_supported=supported,
                submitted_at=submitted,
            )
        )
    SessionFeedback.objects.bulk_create(made, batch_size=500)
    _audit(organisation, made)
    return len(made)


def _audit(organisation: Organisation, made: Sequence[SessionFeedback]) -> None:
    """The event ``feedback.feedback_submit`` writes, at the time each answer was given."""
    users = dict(
        Person.objects.for_organisation(organisation)
        .filter(pk__in={f.person_id for f in made})
        .values_list("pk", "user_id")
    )
    saved = {
        row.session_id: row
        for row in SessionFeedback.objects.for_organisation(organisation).filter(
            session_id__in=[f.session_id for f in made]
        )
    }
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                organisation=organisation,
                actor_id=users.get(feedback.person_id),
                action="session_feedback.submit",
                object_type=SessionFeedback._meta.label_lower,
                object_id=str(saved[feedback.session_id].pk),
                summary=f"Feedback on session {feedback.session_id}",
                detail={"session": feedback.session_id},
                at=feedback.submitted_at,
            )
            for feedback in made
        ],
        batch_size=500,
    )


def _inspector_access_ends(today: datetime.date) -> datetime.date:
    """The first Friday at least a week from ``today`` (7 to 13 days away): the inspector always
    has a full working week. ("The Friday of next week" was only 5 days away on a Sunday.)"""
    week_on = today + datetime.timedelta(days=7)
    return week_on + datetime.timedelta(days=(4 - week_on.weekday()) % 7)


def _evidence_pack(organisation: Organisation, today: datetime.date) -> tuple[int, int]:
    """The head of the struggling team's service makes a pack for the service over the last
    quarter and gives an inspector access. Returns (packs made, accesses granted); nothing when
    the organisation has a pack already."""
    if EvidencePack.objects.for_organisation(organisation).exists():
        return 0, 0
    service = (
        Team.objects.for_organisation(organisation)
        .filter(name=PACK_SERVICE, kind=TeamKind.SERVICE)
        .select_related("manager__organisation", "manager__user", "parent")
        .first()
    )
    if service is None or service.manager is None:
        return 0, 0
    head = service.manager
    quarter = Period.quarter(today).previous()
    pack = packs.pack_create(
        by=head,
        unit=service,
        title=PACK_TITLE,
        inspectorate=PACK_INSPECTORATE,
        starts_on=quarter.starts_on,
        ends_on=quarter.ends_on,
        sample=SampleChoice.RANDOM,
        sample_size=PACK_SAMPLE,
        seed=PACK_SEED,
        today=today,
    )
    name, email = INSPECTOR
    packs.access_grant(
        pack=pack,
        by=head,
        name=name,
        email=email,
        expires_on=_inspector_access_ends(today),
        today=today,
    )
    return 1, 1


@transaction.atomic
def load_demo_oversight(today: datetime.date | None = None) -> dict[str, int]:
    """Count the demo organisations' figures from the start of their history, give them their
    feedback and Northbridge its evidence pack (see the module's docstring). Returns counts:
    ``windows`` (of the sessions required, written or brought up to date), ``feedback``
    (responses made), ``packs`` and ``accesses`` (inspector accesses granted); ``feedback``,
    ``packs`` and ``accesses`` are 0 on a second run. Does nothing for a demo organisation that
    is not there or has no sessions."""
    today = today or timezone.localdate()
    counts = dict.fromkeys(("windows", "feedback", "packs", "accesses"), 0)
    for name in (NORTHBRIDGE, HOLLYFIELD, MEADOWBANK):
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            continue
        first = _first_of_history(organisation)
        if first is None:
            continue
        counts["windows"] += _count_from(organisation, first, today)
        if not SessionFeedback.objects.for_organisation(organisation).exists():
            counts["feedback"] += _feedback(organisation, today)
        if name == NORTHBRIDGE:
            packs_made, accesses = _evidence_pack(organisation, today)
            counts["packs"] += packs_made
            counts["accesses"] += accesses
    return counts
