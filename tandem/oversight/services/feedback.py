"""The supervisee's feedback on a held session: the service that saves it and the selectors that
read it back for the supervisee alone.

Who sees what: one person's answers about one session are shown only to that person (their own
form and their own session page). Everyone else sees counts over at least ``SMALL_GROUP``
responses (``selectors.feedback_summary``), never a session, never a person. So the audit event
says that feedback was given, never what it said.

A supervisee may change their answers later (there is one feedback per session, and the form
always shows their current answers): an honest second thought is worth more than a first one,
and the figures only ever count the latest answers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tandem.core.services import audit_event_write
from tandem.meetings.models import Session, SessionStatus
from tandem.meetings.selectors import session_date
from tandem.organisations.models import Person

from ..models import Answer, SessionFeedback
from ..selectors import COUNTED_KINDS, FEEDBACK_QUESTIONS
from .windows import midnight

# The sessions a supervisee is asked about on My supervision: those held this recently.
AWAITING_DAYS = 30

QUESTION_ERRORS = {
    "useful": "Choose whether the session was useful.",
    "time_to_reflect": "Choose whether there was time to reflect.",
    "felt_supported": "Choose whether you felt supported.",
}


def feedback_refusal(session: Session, person: Person) -> str:
    """Why this person may not give feedback on this session, or "" if they may."""
    if (
        session.organisation_id != person.organisation_id
        or session.supervisee_id is None
        or session.supervisee_id != person.pk
    ):
        return "Only the supervisee gives feedback on a session."
    if session.kind not in COUNTED_KINDS:
        return "Feedback is given on one to one and ad hoc sessions."
    if session.status == SessionStatus.CANCELLED:
        return "This session was cancelled, so there is nothing to give feedback on."
    if session.status != SessionStatus.HELD:
        return "You can give feedback once the session has been recorded as held."
    return ""


def _answer(value: Any) -> int | None:
    """An answer from 1 to 4, from a number or its text; None for anything else."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in Answer.values else None


@transaction.atomic
def feedback_submit(
    *,
    session: Session,
    person: Person,
    useful: Any,
    time_to_reflect: Any,
    felt_supported: Any,
) -> SessionFeedback:
    """Save the supervisee's answers about a held session, or change them if they answered
    before. Raises ValidationError: a message (whole-form) when the session is not theirs or not
    held; field messages for an answer that is missing or not one of the four."""
    refusal = feedback_refusal(session, person)
    if refusal:
        raise ValidationError(refusal)
    given = {"useful": useful, "time_to_reflect": time_to_reflect, "felt_supported": felt_supported}
    answers: dict[str, int] = {}
    problems: dict[str, str] = {}
    for question in FEEDBACK_QUESTIONS:
        answer = _answer(given[question])
        if answer is None:
            problems[question] = QUESTION_ERRORS[question]
        else:
            answers[question] = answer
    if problems:
        raise ValidationError(problems)

    existing = SessionFeedback.objects.select_for_update().filter(session=session).first()
    feedback = existing or SessionFeedback(
        organisation_id=session.organisation_id, session=session, person=person
    )
    feedback.team_id = person.team_id
    feedback.held_on = session_date(session)
    for question, answer in answers.items():
        setattr(feedback, question, answer)
    feedback.submitted_at = timezone.now()
    feedback.save()
    audit_event_write(
        organisation=person.organisation,
        actor=getattr(person, "user", None),
        action="session_feedback.change" if existing is not None else "session_feedback.submit",
        target=feedback,
        # Never the answers: they are the supervisee's alone.
        detail={"session": session.pk},
    )
    return feedback


def feedback_of(session: Session, person: Person) -> SessionFeedback | None:
    """The person's own answers about the session (None if they have not answered, or the
    session is not theirs). One query."""
    if session.supervisee_id is None or session.supervisee_id != person.pk:
        return None
    return SessionFeedback.objects.filter(
        organisation_id=person.organisation_id, session=session, person=person
    ).first()


def sessions_awaiting_feedback(
    person: Person, *, today: datetime.date | None = None
) -> QuerySet[Session]:
    """The person's own held one to one and ad hoc sessions of the last ``AWAITING_DAYS`` days
    that they have not given feedback on, the latest first. One query when evaluated."""
    day = today or timezone.localdate()
    since = midnight(day - datetime.timedelta(days=AWAITING_DAYS))
    return (
        Session.objects.for_organisation(person.organisation_id)
        .filter(
            supervisee=person,
            kind__in=COUNTED_KINDS,
            status=SessionStatus.HELD,
            held_started_at__gte=since,
            held_started_at__lt=midnight(day + datetime.timedelta(days=1)),
            feedback__isnull=True,
        )
        .select_related("supervisor")
        .order_by("-held_started_at", "-pk")
    )
