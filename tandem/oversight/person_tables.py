"""One person's compliance as tables: each session required and what met it, their sessions,
records and agreements in the period. Compliance facts only, never what a record says."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tandem.agreements.models import Agreement, AgreementStatus, Frequency
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import Person
from tandem.records.models import RecordStatus

from . import selectors as s
from .periods import Period
from .tables import Link, Table


def _words(day: datetime.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day is not None else ""


def _frequency(value: str) -> str:
    return str(Frequency(value).label) if value in Frequency.values else value


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def windows_table(person: Person, period: Period, on: datetime.date) -> Table:
    rows = []
    for item in s.person_windows(person, period, on):
        window = item.window
        met_by: Any
        if item.session_id is not None:
            held = _day(item.session_at)
            met_by = Link(
                f"Session on {_words(held)}",
                reverse("session", args=[item.session_id]),
            )
        elif window.ends_on < on:
            met_by = "Missed"
        else:
            met_by = f"Not yet: there is until {_words(window.ends_on)}"
        rows.append(
            [
                window.starts_on,
                window.ends_on,
                _frequency(window.frequency),
                f"{window.min_minutes} minutes" if window.min_minutes else "Any length",
                met_by,
            ]
        )
    return Table(
        "person-required",
        "Sessions required",
        ["From", "To", "How often", "Shortest that counts", "Held"],
        rows,
        [False, False, False, False, False],
    )


def _rebooked(session: Session, on: datetime.date) -> Any:
    if session.status != SessionStatus.CANCELLED:
        return ""
    again = getattr(session, "rebooked_as", None)
    if again is not None:
        return Link(
            f"Re-booked for {_words(_day(again.starts_at))}",
            reverse("session", args=[again.pk]),
        )
    if session.rebook_by is None:
        return "Not re-booked"
    late = "was due" if session.rebook_by < on else "due"
    return f"Not re-booked: {late} by {_words(session.rebook_by)}"


def sessions_table(person: Person, period: Period, on: datetime.date) -> Table:
    rows = []
    for session in s.person_sessions(person, period):
        held = session.status == SessionStatus.HELD
        minimum = getattr(session, "minimum", None)
        short = held and minimum is not None and (session.held_minutes or 0) < minimum
        when = _day(session.held_started_at if held else session.starts_at)
        rows.append(
            [
                Link(_words(when) or "Session", reverse("session", args=[session.pk])),
                session.supervisor.full_name,
                SessionStatus(session.status).label,
                session.held_minutes if held else None,
                ("Yes, shorter than the minimum" if short else "No") if held else "",
                _rebooked(session, on),
            ]
        )
    return Table(
        "person-sessions",
        "Sessions",
        ["Session", "Supervisor", "Status", "Minutes", "Shorter than the minimum", "Re-booked"],
        rows,
        [False, False, False, True, False, False],
    )


def records_table(person: Person, period: Period, on: datetime.date) -> Table:
    rows = []
    for record in s.person_records(person, period):
        shared_on = getattr(record, "shared_on", None)
        if shared_on is not None:
            timing = "On time" if shared_on <= record.due_on else "Late"
            shared = f"{timing}: {_words(shared_on)}"
        elif record.due_on < on:
            shared = "Not shared, overdue"
        else:
            shared = "Not shared yet"
        rows.append(
            [
                Link(_words(record.held_on), reverse("record", args=[record.pk])),
                record.supervisor.full_name,
                record.due_on,
                shared,
                "Yes" if record.status == RecordStatus.SIGNED else "No",
            ]
        )
    return Table(
        "person-records",
        "Records",
        ["Session held", "Supervisor", "Share by", "Shared", "Signed by both"],
        rows,
        [False, False, False, False, False],
    )


def agreements_table(person: Person, on: datetime.date) -> Table:
    agreements = (
        Agreement.objects.for_organisation(person.organisation_id)
        .filter(supervisee=person)
        .exclude(status=AgreementStatus.SUPERSEDED)
        .select_related("supervisor")
        .order_by("-created_at", "-pk")
    )
    rows = []
    for agreement in agreements:
        in_date = agreement.status == AgreementStatus.ACTIVE and (
            agreement.review_due_on is None or agreement.review_due_on >= on
        )
        rows.append(
            [
                agreement.supervisor.full_name,
                AgreementStatus(agreement.status).label,
                agreement.signed_on,
                agreement.review_due_on,
                "Yes" if in_date else "No",
            ]
        )
    return Table(
        "person-agreements",
        "Supervision agreements",
        ["Supervisor", "Status", "Signed by both", "Review due", "In date"],
        rows,
        [False, False, False, False, False],
    )
