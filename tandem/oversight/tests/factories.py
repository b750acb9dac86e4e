"""Small helpers for oversight tests: people, sessions and records on fixed dates, written
straight to the database (no services, no wall clock), so a test can state its case by hand.

Typical use::

    org = counting_from(organisation("Riverside Council"), date(2025, 8, 1))
    nqsw = person(org, team=team, staff_category=StaffCategory.NQSW_ASYE,
                  employment_start=date(2025, 8, 4), asye_start=date(2025, 8, 4))
    windows_refresh(org, today=date(2025, 10, 20))
    held(nqsw, supervisor, date(2025, 9, 3))             # 90 minutes at 10:00 London time
    held(nqsw, supervisor, date(2025, 9, 10), minutes=60)  # short
    gone = cancelled(nqsw, supervisor, date(2025, 9, 17), rebook_by=date(2025, 9, 26))
    rebooked(gone, booked_at=at(date(2025, 9, 20)), on=date(2025, 9, 24))
    record(session, shared_at=at(date(2025, 9, 10), 16))

Every time is in the organisation's zone (Europe/London) unless given as an aware datetime.
Give an NQSW ``employment_start`` equal to ``asye_start``: before the ASYE starts, the NQSW rules
apply from day 0 (weekly) from their employment start.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from tandem.meetings.models import Session, SessionKind, SessionStatus
from tandem.organisations.models import (
    Nation,
    Organisation,
    Person,
    StaffCategory,
    Team,
    TeamKind,
)
from tandem.organisations.tests.factories import (
    OrganisationFactory,
    PersonFactory,
    RelationshipFactory,
    TeamFactory,
)
from tandem.oversight.models import SessionFeedback
from tandem.oversight.periods import zone
from tandem.records.models import Record, RecordStatus
from tandem.records.selectors import record_due_on


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """That day at that time, London time (GMT in winter, BST in summer)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone())


def organisation(name: str, **fields: Any) -> Organisation:
    """An organisation in England (unless told) with no people yet."""
    fields.setdefault("nation", Nation.ENGLAND)
    return cast(Organisation, OrganisationFactory(name=name, **fields))


def counting_from(organisation: Organisation, day: datetime.date) -> Organisation:
    """Set the first day the organisation's figures count; call ``windows_refresh`` after."""
    organisation.compliance_from = day
    organisation.save(update_fields=["compliance_from"])
    return organisation


def unit(
    organisation: Organisation, name: str, kind: str = TeamKind.TEAM, parent: Team | None = None
) -> Team:
    return cast(Team, TeamFactory(organisation=organisation, name=name, kind=kind, parent=parent))


def person(
    organisation: Organisation,
    *,
    team: Team | None = None,
    staff_category: str = StaffCategory.REGISTERED_SOCIAL_WORKER,
    employment_start: datetime.date = datetime.date(2020, 1, 6),
    **fields: Any,
) -> Person:
    """A person in post since ``employment_start`` (a social worker unless told)."""
    made = PersonFactory(
        organisation=organisation,
        team=team,
        staff_category=staff_category,
        employment_start=employment_start,
        **fields,
    )
    return cast(Person, made)


def supervised(supervisee: Person, supervisor: Person, starts_on: datetime.date) -> Any:
    """A line supervision relationship from ``starts_on``, open ended."""
    return RelationshipFactory(supervisee=supervisee, supervisor=supervisor, starts_on=starts_on)


def held(
    supervisee: Person,
    supervisor: Person,
    on: datetime.date,
    *,
    minutes: int = 90,
    hour: int = 10,
    kind: str = SessionKind.ONE_TO_ONE,
) -> Session:
    """A session held on that day at ``hour`` London time, lasting ``minutes``."""
    when = at(on, hour)
    return Session.objects.create(
        organisation_id=supervisee.organisation_id,
        kind=kind,
        supervisor=supervisor,
        supervisee=supervisee,
        starts_at=when,
        duration_minutes=90,
        status=SessionStatus.HELD,
        held_started_at=when,
        held_minutes=minutes,
        created_at=when - datetime.timedelta(days=14),
    )


def cancelled(
    supervisee: Person,
    supervisor: Person,
    on: datetime.date,
    *,
    rebook_by: datetime.date | None = None,
) -> Session:
    """A session booked for that day at 10:00 and cancelled the day before."""
    when = at(on)
    return Session.objects.create(
        organisation_id=supervisee.organisation_id,
        kind=SessionKind.ONE_TO_ONE,
        supervisor=supervisor,
        supervisee=supervisee,
        starts_at=when,
        duration_minutes=90,
        status=SessionStatus.CANCELLED,
        cancelled_at=when - datetime.timedelta(days=1),
        rebook_by=rebook_by,
        created_at=when - datetime.timedelta(days=14),
    )


def rebooked(original: Session, *, booked_at: datetime.datetime, on: datetime.date) -> Session:
    """The re-booking of a cancelled session, made at ``booked_at``, for that day (scheduled)."""
    return Session.objects.create(
        organisation_id=original.organisation_id,
        kind=original.kind,
        supervisor=original.supervisor,
        supervisee=original.supervisee,
        starts_at=at(on),
        duration_minutes=90,
        rebooked_from=original,
        created_at=booked_at,
    )


def record(
    session: Session,
    *,
    shared_at: datetime.datetime | None = None,
    status: str | None = None,
    due_on: datetime.date | None = None,
) -> Record:
    """The record of a held session: a draft, or shared at ``shared_at`` (status shared, or
    ``status`` given, e.g. signed). Due by the organisation's working-day deadline unless told."""
    assert session.held_started_at is not None, "Only held sessions have records."
    assert session.supervisee is not None, "Only one-to-one sessions have records."
    held_on = session.held_started_at.astimezone(zone()).date()
    if status is None:
        status = RecordStatus.DRAFT if shared_at is None else RecordStatus.SHARED
    return Record.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        supervisor=session.supervisor,
        supervisee=session.supervisee,
        layout=[],
        held_on=held_on,
        status=status,
        due_on=due_on or record_due_on(session.organisation, held_on),
        shared_at=shared_at,
        shared_by=session.supervisor if shared_at else None,
        signed_at=shared_at if status == RecordStatus.SIGNED else None,
    )


def feedback(session: Session, *, team: Team | None, answers: tuple[int, int, int]) -> Any:
    """The supervisee's feedback on a held session: (useful, time to reflect, felt supported),
    each 1 (no) to 4 (yes)."""
    assert session.held_started_at is not None and session.supervisee is not None
    useful, reflect, supported = answers
    return SessionFeedback.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        person=session.supervisee,
        team=team,
        held_on=session.held_started_at.astimezone(zone()).date(),
        useful=useful,
        time_to_reflect=reflect,
        felt_supported=supported,
    )
