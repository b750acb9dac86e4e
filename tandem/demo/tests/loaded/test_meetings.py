import datetime
import itertools
from collections import defaultdict

import pytest
from django.utils import timezone

from tandem.core.calendar import bank_holidays, calendar_for
from tandem.core.models import ClosureDay, TermDate
from tandem.demo.meetings import HOLLYFIELD_TERMS
from tandem.demo.organisations import HOLLYFIELD, NORTHBRIDGE
from tandem.meetings.models import AgendaItem, Session, SessionKind, SessionStatus
from tandem.meetings.selectors import rebook_overdue, sessions_needing_attention
from tandem.organisations.models import Organisation, Person

pytestmark = pytest.mark.dated


@pytest.fixture
def made(the_demo):
    return the_demo.sessions


def organisation(name):
    return Organisation.objects.get(name=name)


def person(first_name, last_name):
    return Person.objects.select_related("organisation").get(
        first_name=first_name, last_name=last_name
    )


def local_day(moment):
    return timezone.localtime(moment).date()


def counts():
    return {
        "sessions": Session.objects.count(),
        "statuses": sorted(Session.objects.values_list("status", flat=True)),
        "agenda": AgendaItem.objects.count(),
        "members": Session.members.through.objects.count(),
        "terms": TermDate.objects.count(),
        "closures": ClosureDay.objects.count(),
    }


def test_hollyfield_sessions_are_on_its_working_days_in_term(made):
    school = organisation(HOLLYFIELD)
    terms = TermDate.objects.for_organisation(school)
    assert terms.count() == len(HOLLYFIELD_TERMS) == 24
    assert {t.term.split()[0] for t in terms} == {"Autumn", "Spring", "Summer"}
    closures = set(ClosureDay.objects.for_organisation(school).values_list("date", flat=True))
    assert len(closures) == 8
    assert all(any(t.starts_on <= day <= t.ends_on for t in terms) for day in closures)
    calendar = calendar_for(school)
    sessions = Session.objects.for_organisation(school)
    assert sessions.filter(status=SessionStatus.HELD).count() > 20
    assert sessions.filter(status=SessionStatus.SCHEDULED).count() > 10
    for session in sessions:
        day = local_day(session.starts_at)
        assert day.weekday() < 5, session
        assert day not in bank_holidays("england", day.year), session
        assert day not in closures, session
        assert any(t.starts_on <= day <= t.ends_on for t in terms), session
        assert calendar.is_working_day(day), session


def test_northbridge_sessions_are_never_on_weekends_or_bank_holidays(made):
    council = organisation(NORTHBRIDGE)
    sessions = Session.objects.for_organisation(council)
    assert sessions.count() > 1000
    today = timezone.localdate()
    days = {local_day(s.starts_at) for s in sessions}
    assert min(days) <= today - datetime.timedelta(days=700)
    assert max(days) >= today + datetime.timedelta(days=330)
    for day in days:
        assert day.weekday() < 5, day
        assert day not in bank_holidays("england", day.year), day


def test_amira_is_seen_every_week_from_the_start_of_her_asye(made):
    amira = person("Amira", "Hussain")
    sessions = list(
        Session.objects.filter(supervisee=amira)
        .exclude(status=SessionStatus.CANCELLED)
        .order_by("starts_at")
    )
    assert {s.supervisor.full_name for s in sessions} == {"Daniel Okafor"}
    days = [local_day(s.starts_at) for s in sessions]
    start = amira.asye_start
    assert min(days) >= start  # her history starts with her ASYE, not two years back
    for week in range(6):
        first = start + datetime.timedelta(days=7 * week)
        assert any(first <= d < first + datetime.timedelta(days=7) for d in days), week
    today = timezone.localdate()
    held = [s for s in sessions if local_day(s.starts_at) < today]
    assert held and all(s.status == SessionStatus.HELD for s in held)
    assert all(s.held_minutes >= 90 for s in held)
    # Her next session: the two items she added, and the one left unfinished last time.
    upcoming = next(s for s in sessions if s.status == SessionStatus.SCHEDULED)
    items = list(upcoming.agenda.all())
    assert sum(1 for i in items if i.added_by == amira and i.carried_from is None) == 2
    carried = [i for i in items if i.carried_from is not None]
    assert len(carried) == 1
    assert carried[0].carried_from.session == held[-1]
    assert not carried[0].carried_from.done


def test_nqsws_follow_the_asye_policy(made):
    nqsws = Person.objects.filter(
        organisation__name=NORTHBRIDGE, staff_category="nqsw_asye", sessions_received__isnull=False
    ).distinct()
    later = next(p for p in nqsws if (timezone.localdate() - p.asye_start).days > 200)
    days = sorted(
        local_day(s.starts_at)
        for s in Session.objects.filter(supervisee=later).exclude(status=SessionStatus.CANCELLED)
    )
    start = later.asye_start
    assert days[0] >= start
    weekly = [d for d in days if (d - start).days < 42]
    fortnightly = [d for d in days if 42 <= (d - start).days < 183]
    assert len(weekly) >= 5  # weekly for the first 6 weeks
    assert 8 <= len(fortnightly) <= 12  # then fortnightly until 6 months


def test_the_history_has_every_kind_of_session_and_both_flags(made):
    council = organisation(NORTHBRIDGE)
    sessions = Session.objects.for_organisation(council)
    today = timezone.localdate()
    past = sessions.filter(starts_at__lt=timezone.now())
    held = past.filter(status=SessionStatus.HELD)
    cancelled = past.filter(status=SessionStatus.CANCELLED)
    assert 0.04 < cancelled.count() / past.count() < 0.12
    assert held.count() > 0.85 * past.count()
    assert all(s.cancel_reason for s in cancelled)
    assert all(s.cancel_note for s in cancelled.filter(cancel_reason="other"))
    assert {s.cancel_reason for s in cancelled} >= {"illness", "crisis", "safeguarding", "leave"}
    # Held a few minutes after the start, for about as long as planned.
    for session in held[:200]:
        late = (session.held_started_at - session.starts_at).total_seconds() / 60
        assert 0 <= late <= 15
    # Most cancelled sessions were re-booked in time; two were never re-booked.
    rebooked = sessions.filter(rebooked_from__isnull=False).select_related("rebooked_from")
    assert rebooked.count() >= cancelled.count() - 2 > 10
    for session in rebooked:
        original = session.rebooked_from
        assert original.status == SessionStatus.CANCELLED
        assert original.starts_at < session.starts_at
        assert local_day(session.starts_at) <= original.rebook_by
    overdue = list(rebook_overdue(today, organisation=council))
    assert len(overdue) == 2
    # Shorter than the 90 minutes the policy asks for social workers: some, recent ones too.
    short = held.filter(
        held_minutes__lt=90, supervisee__staff_category="registered_social_worker"
    ).order_by("-starts_at")
    assert short.exists()
    assert local_day(short[0].starts_at) > today - datetime.timedelta(days=90)
    # The managers see both flags: Helen, who sees everyone, and the Duty and Assessment
    # team manager for her team.
    for manager, everyone in (
        (person("Helen", "Marsh"), True),
        (person("Claire", "Whitehouse"), False),
    ):
        attention = sessions_needing_attention(person=manager, can_see_everyone=everyone)
        assert attention.overdue, manager
        assert attention.short, manager
    # Agenda items on recent held sessions and upcoming ones, some carried over.
    items = AgendaItem.objects.filter(session__organisation=council)
    assert items.filter(session__status=SessionStatus.HELD).exists()
    assert items.filter(
        session__status=SessionStatus.SCHEDULED, carried_from__isnull=False
    ).exists()
    assert {i.function for i in items} == {"management", "development", "support", "mediation"}


def test_a_group_session_and_an_ad_hoc_one(made):
    group = Session.objects.filter(kind=SessionKind.GROUP, supervisor=person("Daniel", "Okafor"))
    assert group.filter(status=SessionStatus.HELD).exists()
    upcoming = group.get(status=SessionStatus.SCHEDULED)
    assert upcoming.members.count() >= 4
    assert person("Amira", "Hussain") in upcoming.members.all()
    assert upcoming.agenda.exists()
    ad_hoc = Session.objects.get(kind=SessionKind.AD_HOC)
    assert ad_hoc.supervisor == person("Tom", "Bennett")
    assert ad_hoc.supervisee == person("Grace", "Adeyemi")
    assert ad_hoc.status == SessionStatus.HELD
    assert any(
        "safeguarding" in i.title.lower() or "disclosure" in i.title.lower()
        for i in ad_hoc.agenda.all()
    )


def test_no_supervisor_has_two_sessions_at_once(made):
    by_supervisor = defaultdict(list)
    for session in Session.objects.exclude(status=SessionStatus.CANCELLED).order_by("starts_at"):
        by_supervisor[session.supervisor_id].append(session)
    for sessions in by_supervisor.values():
        for before, after in itertools.pairwise(sessions):
            assert before.ends_at <= after.starts_at, (before, after)
