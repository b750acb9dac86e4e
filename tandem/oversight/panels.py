"""What oversight adds to pages it does not own, for the supervisee alone: on a held session's
page, a way to say how it went (or to change what they said); on My supervision, their recent
held sessions they have not given feedback on.

Nobody else ever gets a feedback panel: one person's answers about one session are theirs.
Each panel costs one query at most, however many sessions there are.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import Person

from .selectors import COUNTED_KINDS
from .services.feedback import feedback_of, sessions_awaiting_feedback

HOME_PANEL_SESSIONS = 5


def session_panel(request: HttpRequest, session: Session) -> dict[str, Any] | None:
    """On a held one to one or ad hoc session's page, for its supervisee only: a link to the
    feedback form, with their answers when they have given them. One query (none for anyone
    else)."""
    person = getattr(request, "person", None)
    if (
        person is None
        or session.supervisee_id is None
        or session.supervisee_id != person.pk
        or session.status != SessionStatus.HELD
        or session.kind not in COUNTED_KINDS
    ):
        return None
    return {
        "template": "oversight/feedback_session_panel.html",
        "session": session,
        "feedback": feedback_of(session, person),
    }


def home_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """On My supervision: the person's own sessions held in the last 30 days that they have
    not given feedback on, the latest first, at most five. One query; nothing when there are
    none."""
    rows = list(sessions_awaiting_feedback(person)[: HOME_PANEL_SESSIONS + 1])
    if not rows:
        return None
    return {
        "template": "oversight/feedback_home_panel.html",
        "sessions": rows[:HOME_PANEL_SESSIONS],
        "more": len(rows) > HOME_PANEL_SESSIONS,
    }
