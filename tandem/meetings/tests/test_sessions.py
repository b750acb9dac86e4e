"""The session services and the flags on sessions, with the cast.

Sam supervises Sue (an NQSW: the policy asks for sessions of at least 90 minutes); Mia
supervises Sam; Olga is in another organisation. Sessions to book are a week or more ahead of
the real clock; held and cancelled sessions in the past are written directly, as they would be
after the fact.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.agreements.models import AgreementVersion
from tandem.agreements.tests.factories import signed_agreement
from tandem.core.calendar import calendar_for
from tandem.core.models import AuditEvent, ClosureDay
from tandem.meetings import selectors
from tandem.meetings.models import (
    AgendaItem,
    CancelReason,
    Session,
    SessionKind,
    SessionStatus,
)
from tandem.meetings.services import sessions
from tandem.organisations.models import StaffCategory, SupervisionRelationship
from tandem.organisations.tests.factories import PersonFactory

pytestmark = pytest.mark.dated

# Helpers, also used by the agenda and page tests.


def at(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """``days`` from today, at this time in London."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def book(cast: Any, starts_at: datetime.datetime | None = None, **changes: Any) -> Session:
    """Sam books a one to one with Sue (a week ahead at 10:00, 90 minutes, unless told)."""
    fields: dict[str, Any] = {
        "supervisor": cast.supervisor,
        "supervisee": cast.supervisee,
        "kind": SessionKind.ONE_TO_ONE,
        "starts_at": starts_at or at(7),
        "duration_minutes": 90,
        "location": "Room 2, Riverside House",
        "by": cast.supervisor,
    }
    fields.update(changes)
    return sessions.session_book(**fields)


def past_session(
    cast: Any,
    days_ago: int,
    *,
    status: str = SessionStatus.HELD,
    minutes: int | None = 90,
    supervisor: Any = None,
    supervisee: Any = None,
    **fields: Any,
) -> Session:
    """A session that has already happened (or was cancelled), as it would have been recorded."""
    starts_at = at(-days_ago)
    supervisee = supervisee or cast.supervisee
    held = status == SessionStatus.HELD
    return Session.objects.create(
        organisation=cast.organisation,
        supervisor=supervisor or cast.supervisor,
        supervisee=supervisee,
        starts_at=starts_at,
        duration_minutes=90,
        status=status,
        held_started_at=starts_at if held else None,
        held_minutes=minutes if held else None,
        **fields,
    )


def item(session: Session, title: str, *, done: bool = False, minutes: int = 10) -> AgendaItem:
    return AgendaItem.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        added_by=session.supervisor,
        title=title,
        minutes=minutes,
        function="support",
        done=done,
    )


def errors_of(error: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return error.value.message_dict


def line_of(person: Any) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=person, kind="line", ends_on=None)


def sues_agreement(cast: Any, rebook_within: int | None) -> Any:
    """Sue and Sam's signed agreement, re-booking within this many working days."""
    agreement = signed_agreement(line_of(cast.supervisee))
    AgreementVersion.objects.filter(agreement=agreement).update(
        rebook_within_working_days=rebook_within
    )
    return agreement


# Booking


def test_booking_writes_the_session_and_its_audit_event(cast):
    session = book(cast)

    assert session.status == SessionStatus.SCHEDULED
    assert session.organisation == cast.organisation
    assert (session.supervisor, session.supervisee) == (cast.supervisor, cast.supervisee)
    assert session.ends_at - session.starts_at == datetime.timedelta(minutes=90)
    assert session.created_by == cast.supervisor
    event = AuditEvent.objects.get(action="session.book")
    assert event.object_id == str(session.pk)
    assert event.actor == cast.supervisor.user


def test_booking_follows_the_pairs_agreement(cast):
    agreement = sues_agreement(cast, 5)
    assert book(cast).agreement == agreement


def refused(cast: Any, **changes: Any) -> dict[str, list[str]]:
    """Book with these changes, expecting a refusal; nothing is written."""
    sessions_before, events_before = Session.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        book(cast, **changes)
    assert Session.objects.count() == sessions_before
    assert AuditEvent.objects.count() == events_before
    return errors_of(error)


def test_a_session_in_the_past_is_refused(cast):
    problems = refused(cast, starts_at=timezone.now() - datetime.timedelta(minutes=1))
    assert problems == {
        "starts_at": ["The session must be in the future: enter a later date or time."]
    }


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (0, "Enter a length of at least 1 minute."),
        (-30, "Enter a length of at least 1 minute."),
        (481, "A session lasts at most 8 hours (480 minutes)."),
    ],
)
def test_a_length_of_zero_negative_or_over_8_hours_is_refused(cast, minutes, message):
    assert refused(cast, duration_minutes=minutes) == {"duration_minutes": [message]}


def test_exactly_8_hours_and_1_minute_are_allowed(cast):
    assert book(cast, at(7, 9), duration_minutes=480).duration_minutes == 480
    assert book(cast, at(8, 9), duration_minutes=1).duration_minutes == 1


@pytest.mark.parametrize(
    ("hour", "minute", "minutes", "clashes"),
    [
        (11, 0, 30, True),  # starts inside 10:00 to 11:30
        (9, 0, 61, True),  # ends a minute into it
        (9, 30, 240, True),  # covers it
        (10, 0, 90, True),  # the same time
        (11, 30, 60, False),  # starts as it ends
        (9, 0, 60, False),  # ends as it starts
    ],
)
def test_an_overlapping_session_of_the_same_supervisor_is_refused(
    cast, hour, minute, minutes, clashes
):
    book(cast, at(7, 10))
    changes = {"starts_at": at(7, hour, minute), "duration_minutes": minutes}
    if clashes:
        problems = refused(cast, **changes)
        assert list(problems) == ["starts_at"]
        assert problems["starts_at"][0].startswith(
            "Sam Supervisor already has a session with Sue Supervisee from 10:00 to 11:30 on"
        )
    else:
        assert book(cast, **changes).pk


def test_a_long_session_that_started_earlier_still_blocks(cast):
    book(cast, at(7, 6), duration_minutes=8 * 60)  # 06:00 to 14:00
    assert "starts_at" in refused(cast, starts_at=at(7, 13, 30), duration_minutes=15)


def test_cancelled_sessions_and_other_supervisors_do_not_block(cast):
    first = book(cast, at(7, 10))
    sessions.session_cancel(session=first, by=cast.supervisor, reason=CancelReason.ILLNESS)
    assert book(cast, at(7, 10)).pk
    # The overlap rule is about the supervisor's diary: Mia may book Sam at the same time.
    assert book(
        cast, at(7, 10), supervisor=cast.manager, supervisee=cast.supervisor, by=cast.manager
    ).pk


def test_a_supervisee_in_another_organisation_is_refused(cast):
    assert refused(cast, supervisee=cast.outsider) == {
        "supervisee": ["Choose someone in your organisation."]
    }


def test_one_to_one_needs_a_supervisee_and_not_the_supervisor(cast):
    assert "supervisee" in refused(cast, supervisee=None)
    assert "supervisee" in refused(cast, supervisee=cast.supervisor)


def test_a_group_needs_a_name_and_two_members_of_the_organisation(cast):
    group = {"kind": SessionKind.GROUP, "supervisee": None, "title": "Reflective practice"}
    assert "members" in refused(cast, **group, members=[cast.supervisee])
    assert "members" in refused(cast, **group, members=[cast.supervisee, cast.outsider])
    assert "title" in refused(
        cast, **{**group, "title": ""}, members=[cast.supervisee, cast.colleague]
    )

    session = book(cast, **group, members=[cast.supervisee, cast.colleague])
    assert set(session.members.all()) == {cast.supervisee, cast.colleague}
    assert session.supervisee is None


def test_every_refusal_at_once_keyed_by_field(cast):
    problems = refused(
        cast,
        supervisee=cast.outsider,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        duration_minutes=0,
    )
    assert set(problems) == {"supervisee", "starts_at", "duration_minutes"}


# Carrying unfinished items on


def test_unfinished_items_of_the_last_held_session_are_carried_in(cast):
    earlier = past_session(cast, 30)
    item(earlier, "Old", done=False)
    last = past_session(cast, 14)
    open_action = item(last, "Write up the assessment", done=False, minutes=20)
    item(last, "Caseload review", done=True)
    unfinished = item(last, "Training plan", done=False)

    session = book(cast)

    carried = list(session.agenda.order_by("created_at", "id"))
    assert [i.title for i in carried] == ["Write up the assessment", "Training plan"]
    assert [i.carried_from for i in carried] == [open_action, unfinished]
    assert carried[0].minutes == 20 and not carried[0].done
    assert AuditEvent.objects.get(action="session.book").detail["carried_items"] == [
        open_action.pk,
        unfinished.pk,
    ]


def test_carrying_follows_a_chain_of_sessions(cast):
    first = past_session(cast, 28)
    original = item(first, "Reflect on the home visit")
    second = book(cast, at(7))
    (carried_once,) = second.agenda.all()
    assert carried_once.carried_from == original

    # The second session is held with that item still open, and a new one added and finished.
    new = sessions.agenda_item_add(
        session=second,
        by=cast.supervisee,
        title="Court report",
        function="management",
    )
    done = sessions.agenda_item_add(
        session=second, by=cast.supervisee, title="Leave", function="support"
    )
    sessions.agenda_item_done(item=done, by=cast.supervisee)
    Session.objects.filter(pk=second.pk).update(starts_at=at(-1), duration_minutes=90)
    second.refresh_from_db()
    sessions.session_record_held(session=second, started_at=at(-1), minutes=90, by=cast.supervisor)

    third = book(cast, at(14))

    carried = list(third.agenda.order_by("created_at", "id"))
    assert [i.title for i in carried] == ["Reflect on the home visit", "Court report"]
    assert carried[0].carried_from == carried_once
    assert carried[0].carried_from.carried_from == original
    assert carried[1].carried_from == new


def test_only_the_same_pairs_items_are_carried(cast):
    sams_own = past_session(cast, 10, supervisor=cast.manager, supervisee=cast.supervisor)
    item(sams_own, "Sam's own supervision")
    with_someone_else = past_session(
        cast, 5, supervisor=cast.head_of_service, supervisee=cast.supervisee
    )
    item(with_someone_else, "Professional supervision")
    assert not book(cast).agenda.exists()


def test_items_are_carried_once_and_come_back_when_that_session_is_cancelled(cast):
    last = past_session(cast, 7)
    item(last, "Open action")
    next_one = book(cast, at(7))
    assert next_one.agenda.count() == 1
    # A second session booked while the next one is still to come does not take them again.
    assert not book(cast, at(14)).agenda.exists()
    # Cancelled (and not re-booked), the next one gives them back.
    sessions.session_cancel(session=next_one, by=cast.supervisor, reason=CancelReason.CRISIS)
    assert [i.title for i in book(cast, at(21)).agenda.all()] == ["Open action"]


def test_items_taken_on_by_a_rebooked_session_are_not_carried_again(cast):
    last = past_session(cast, 7)
    item(last, "Open action")
    cancelled = sessions.session_cancel(
        session=book(cast, at(7)),
        by=cast.supervisor,
        reason=CancelReason.LEAVE,
    )
    rebooked = sessions.session_rebook(cancelled=cancelled, starts_at=at(9), by=cast.supervisor)
    assert rebooked.agenda.count() == 1
    assert not book(cast, at(21)).agenda.exists()


# Moving


def test_moving_changes_time_length_and_place_with_the_same_checks(cast):
    session = book(cast, at(7, 10))
    other = book(cast, at(8, 10))

    moved = sessions.session_move(
        session=session,
        starts_at=at(7, 10, 30),
        duration_minutes=120,
        location="Online",
        by=cast.supervisee,
    )
    assert (moved.starts_at, moved.duration_minutes, moved.location) == (
        at(7, 10, 30),
        120,
        "Online",
    )
    event = AuditEvent.objects.get(action="session.move")
    assert event.detail["before"]["duration_minutes"] == 90

    for starts_at, minutes, field in [
        (timezone.now() - datetime.timedelta(hours=1), 90, "starts_at"),
        (at(8, 11), 60, "starts_at"),  # onto the other session
        (at(9), 0, "duration_minutes"),
        (at(9), 500, "duration_minutes"),
    ]:
        with pytest.raises(ValidationError) as error:
            sessions.session_move(
                session=session,
                starts_at=starts_at,
                duration_minutes=minutes,
                location="",
                by=cast.supervisee,
            )
        assert list(errors_of(error)) == [field]
    session.refresh_from_db()
    assert session.starts_at == at(7, 10, 30)
    other.refresh_from_db()
    assert other.starts_at == at(8, 10)


def test_only_a_scheduled_session_moves(cast):
    held = past_session(cast, 3)
    with pytest.raises(ValidationError, match="Only a scheduled session can be moved"):
        sessions.session_move(
            session=held, starts_at=at(7), duration_minutes=90, location="", by=cast.supervisor
        )


# Cancelling and re-booking


def test_cancelling_records_who_why_and_the_rebook_date(cast):
    sues_agreement(cast, 5)
    session = book(cast, at(7))

    cancelled = sessions.session_cancel(
        session=session,
        by=cast.supervisee,
        reason=CancelReason.ILLNESS,
        note="Off sick",
    )

    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.cancelled_by == cast.supervisee
    assert cancelled.cancel_reason == CancelReason.ILLNESS and cancelled.cancel_note == "Off sick"
    assert cancelled.cancelled_at is not None
    expected = calendar_for(cast.organisation).add_working_days(
        timezone.localdate(session.starts_at), 5
    )
    assert cancelled.rebook_by == expected
    assert AuditEvent.objects.get(action="session.cancel").detail["rebook_by"] == str(expected)


def test_the_rebook_date_skips_bank_holidays_and_weekends(cast):
    """Christmas Eve 2026 is a Thursday; Christmas Day, the weekend and the Boxing Day
    substitute (Monday 28 December) are not working days."""
    agreement = sues_agreement(cast, 1)
    session = past_session(
        cast, 0, status=SessionStatus.SCHEDULED, agreement=agreement, minutes=None
    )
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.make_aware(datetime.datetime(2026, 12, 24, 14, 0))
    )
    session.refresh_from_db()
    cancelled = sessions.session_cancel(
        session=session, by=cast.supervisor, reason=CancelReason.LEAVE
    )
    assert cancelled.rebook_by == datetime.date(2026, 12, 29)


def test_the_rebook_date_skips_the_organisations_closure_days(cast):
    agreement = sues_agreement(cast, 1)
    session = past_session(cast, 0, status=SessionStatus.SCHEDULED, agreement=agreement)
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.make_aware(datetime.datetime(2027, 5, 28, 10, 0))  # a Friday
    )
    session.refresh_from_db()
    # Monday 31 May is the spring bank holiday; Tuesday 1 June the organisation is closed.
    ClosureDay.objects.create(organisation=cast.organisation, date=datetime.date(2027, 6, 1))
    assert sessions.rebook_deadline(session) == datetime.date(2027, 6, 2)


def test_without_an_agreement_rule_there_is_no_rebook_date(cast):
    sues_agreement(cast, None)
    cancelled = sessions.session_cancel(
        session=book(cast), by=cast.supervisor, reason=CancelReason.CRISIS
    )
    assert cancelled.rebook_by is None


def test_a_session_without_an_agreement_uses_the_pairs_agreement(cast):
    session = book(cast)
    assert session.agreement is None
    sues_agreement(cast, 3)
    cancelled = sessions.session_cancel(
        session=session, by=cast.supervisor, reason=CancelReason.CRISIS
    )
    assert cancelled.rebook_by is not None


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("", "", "reason"), ("holiday", "", "reason"), (CancelReason.OTHER, "  ", "note")],
)
def test_cancelling_needs_a_reason_and_a_note_for_other(cast, reason, note, field):
    session = book(cast)
    with pytest.raises(ValidationError) as error:
        sessions.session_cancel(session=session, by=cast.supervisor, reason=reason, note=note)
    assert list(errors_of(error)) == [field]
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_only_a_scheduled_session_is_cancelled(cast):
    held = past_session(cast, 2)
    with pytest.raises(ValidationError, match="Only a scheduled session can be cancelled"):
        sessions.session_cancel(session=held, by=cast.supervisor, reason=CancelReason.CRISIS)


def test_rebooking_makes_a_linked_session_with_the_agenda(cast):
    session = book(cast, at(7), location="Room 2")
    first = sessions.agenda_item_add(
        session=session,
        by=cast.supervisee,
        title="Caseload",
        function="management",
    )
    cancelled = sessions.session_cancel(
        session=session, by=cast.supervisor, reason=CancelReason.CRISIS
    )

    rebooked = sessions.session_rebook(cancelled=cancelled, starts_at=at(9), by=cast.supervisee)

    assert rebooked.status == SessionStatus.SCHEDULED
    assert rebooked.rebooked_from == cancelled
    assert (rebooked.supervisor, rebooked.supervisee) == (cast.supervisor, cast.supervisee)
    assert (rebooked.duration_minutes, rebooked.location) == (90, "Room 2")
    (carried,) = rebooked.agenda.all()
    assert carried.carried_from == first and carried.title == "Caseload"
    cancelled.refresh_from_db()
    assert cancelled.rebooked_as == rebooked
    assert AuditEvent.objects.get(action="session.rebook").detail["rebooked_from"] == cancelled.pk


def test_a_cancelled_session_is_rebooked_once(cast):
    cancelled = sessions.session_cancel(
        session=book(cast), by=cast.supervisor, reason=CancelReason.CRISIS
    )
    sessions.session_rebook(cancelled=cancelled, starts_at=at(9), by=cast.supervisor)
    with pytest.raises(ValidationError, match="already been re-booked"):
        sessions.session_rebook(cancelled=cancelled, starts_at=at(10), by=cast.supervisor)
    assert Session.objects.filter(rebooked_from=cancelled).count() == 1


def test_rebooking_has_the_booking_checks_and_needs_a_cancelled_session(cast):
    scheduled = book(cast, at(7))
    with pytest.raises(ValidationError, match="Only a cancelled session"):
        sessions.session_rebook(cancelled=scheduled, starts_at=at(9), by=cast.supervisor)
    cancelled = sessions.session_cancel(
        session=book(cast, at(8)),
        by=cast.supervisor,
        reason=CancelReason.CRISIS,
    )
    with pytest.raises(ValidationError) as error:
        sessions.session_rebook(cancelled=cancelled, starts_at=at(7, 11), by=cast.supervisor)
    assert list(errors_of(error)) == ["starts_at"]
    with pytest.raises(ValidationError) as error:
        sessions.session_rebook(
            cancelled=cancelled, starts_at=at(9), duration_minutes=0, by=cast.supervisor
        )
    assert list(errors_of(error)) == ["duration_minutes"]
    assert not Session.objects.filter(rebooked_from=cancelled).exists()


# Recording a session as held


def test_recording_a_session_as_held(cast):
    session = past_session(cast, 1, status=SessionStatus.SCHEDULED)
    started = at(-1, 10, 10)
    held = sessions.session_record_held(
        session=session, started_at=started, minutes=75, by=cast.supervisor
    )
    assert held.status == SessionStatus.HELD
    assert (held.held_started_at, held.held_minutes) == (started, 75)
    assert AuditEvent.objects.get(action="session.held").detail["minutes"] == 75


@pytest.mark.parametrize(
    ("started", "minutes", "field"),
    [
        (lambda: timezone.now() + datetime.timedelta(hours=1), 60, "started_at"),
        (lambda: at(-1), 0, "minutes"),
        (lambda: at(-1), 481, "minutes"),
    ],
)
def test_held_needs_a_start_that_has_come_and_a_sensible_length(cast, started, minutes, field):
    session = past_session(cast, 1, status=SessionStatus.SCHEDULED)
    with pytest.raises(ValidationError) as error:
        sessions.session_record_held(
            session=session, started_at=started(), minutes=minutes, by=cast.supervisor
        )
    assert list(errors_of(error)) == [field]
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_a_held_or_cancelled_session_is_not_recorded_as_held_again(cast):
    for status, message in [
        (SessionStatus.HELD, "already recorded as held"),
        (SessionStatus.CANCELLED, "re-book it instead"),
    ]:
        session = past_session(cast, 1, status=status)
        with pytest.raises(ValidationError, match=message):
            sessions.session_record_held(
                session=session, started_at=at(-1), minutes=60, by=cast.supervisor
            )


# Flags


def test_a_held_session_shorter_than_the_policy_is_flagged(cast):
    # Sue is an NQSW: at least 90 minutes.
    short = past_session(cast, 3, minutes=60)
    enough = past_session(cast, 10, minutes=90)
    scheduled = book(cast)
    assert selectors.is_short(short)
    assert not selectors.is_short(enough)
    assert not selectors.is_short(scheduled)
    assert selectors.short_session_ids([short, enough, scheduled]) == {short.pk}


def test_no_policy_minimum_no_short_flag(cast):
    carer = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.CARE_WORKER)
    session = past_session(cast, 3, minutes=20, supervisee=carer)
    assert not selectors.is_short(session)
    assert selectors.short_session_ids([session]) == set()


def test_the_short_flag_reads_the_organisations_own_rules(cast):
    from tandem.agreements.models import FrequencyRule

    session = past_session(cast, 3, minutes=60)
    assert selectors.is_short(session)
    FrequencyRule.objects.filter(
        organisation=cast.organisation, staff_category=StaffCategory.NQSW_ASYE
    ).update(min_minutes=45)
    assert not selectors.is_short(session)
    assert selectors.short_session_ids([session]) == set()


def test_cancelled_sessions_not_rebooked_by_their_date_are_overdue(cast):
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    overdue = past_session(cast, 10, status=SessionStatus.CANCELLED, rebook_by=yesterday)
    due_today = past_session(cast, 9, status=SessionStatus.CANCELLED, rebook_by=today)
    no_date = past_session(cast, 8, status=SessionStatus.CANCELLED)
    rebooked = past_session(cast, 7, status=SessionStatus.CANCELLED, rebook_by=yesterday)
    Session.objects.create(
        organisation=cast.organisation,
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        starts_at=at(7),
        duration_minutes=90,
        rebooked_from=rebooked,
    )

    assert list(selectors.rebook_overdue(today)) == [overdue]
    assert list(selectors.rebook_overdue(today, organisation=cast.organisation)) == [overdue]
    assert not selectors.rebook_overdue(today, organisation=cast.other_organisation).exists()
    assert set(selectors.rebook_overdue(today + datetime.timedelta(days=1))) == {
        overdue,
        due_today,
    }
    assert no_date not in selectors.rebook_overdue(today + datetime.timedelta(days=365))


def test_attention_lists_only_what_the_person_may_see(cast):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    sues = past_session(cast, 10, status=SessionStatus.CANCELLED, rebook_by=yesterday)
    sues_short = past_session(cast, 5, minutes=30)
    coles = past_session(
        cast,
        10,
        status=SessionStatus.CANCELLED,
        rebook_by=yesterday,
        supervisor=cast.head_of_service,
        supervisee=cast.colleague,
    )

    for who, overdue, short in [
        ("supervisee", [sues], [sues_short]),
        ("manager", [sues], [sues_short]),
        ("head_of_service", [sues, coles], [sues_short]),
        ("admin", [sues, coles], [sues_short]),
        ("colleague", [coles], []),
    ]:
        person = getattr(cast, who)
        attention = selectors.sessions_needing_attention(
            person=person, can_see_everyone=who == "admin"
        )
        assert set(attention.overdue) == set(overdue), who
        assert attention.short == short, who
