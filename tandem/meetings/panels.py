"""What the meetings app adds to pages it does not own: My supervision and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.organisations.models import Person
from tandem.organisations.selectors import relationships_of_supervisor

from . import selectors

HOME_PANEL_SESSIONS = 5


def home_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """My next sessions, either side, and a way to book one if I supervise anyone. Three
    queries, however many sessions."""
    return {
        "template": "meetings/_home_panel.html",
        "sessions": selectors.upcoming_sessions(person=person, limit=HOME_PANEL_SESSIONS),
        "can_book": relationships_of_supervisor(person=person).exists(),
    }


def show_in_navigation(request: HttpRequest) -> bool:
    return getattr(request, "person", None) is not None
