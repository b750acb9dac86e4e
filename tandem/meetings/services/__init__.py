"""Writes about supervision sessions: one function per change, audited in the same transaction.

One module per area: ``sessions`` (book, move, cancel, re-book, record as held; the agenda),
``schedule`` (the 12-month schedule an agreement proposes), ``reminders`` (what is sent before
and after a session) and ``calendars`` (calendar feeds and the iCalendar they serve). Callers
import the module (``from tandem.meetings.services import sessions``) or the function from here.
"""

from .calendars import calendar_feed_create, calendar_feed_revoke
from .reminders import reminders_round, reminders_send_due
from .schedule import schedule_create, schedule_create_all, sessions_supervisor_changed
from .sessions import (
    agenda_item_add,
    agenda_item_done,
    agenda_item_remove,
    session_book,
    session_cancel,
    session_move,
    session_rebook,
    session_record_held,
)

__all__ = [
    "agenda_item_add",
    "agenda_item_done",
    "agenda_item_remove",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "reminders_round",
    "reminders_send_due",
    "schedule_create",
    "schedule_create_all",
    "session_book",
    "session_cancel",
    "session_move",
    "session_rebook",
    "session_record_held",
    "sessions_supervisor_changed",
]
