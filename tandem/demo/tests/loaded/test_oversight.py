"""The demo's oversight picture, as the dashboards show it: most people at Northbridge supervised
as required, one team struggling, a year that got better; feedback, shown where enough people
answered; an evidence pack with an inspector's access. Loaded through ``manage.py load_demo``."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.agreements.models import Agreement
from tandem.core.models import AuditEvent, TermDate
from tandem.demo.load import demo_report
from tandem.demo.organisations import DEMO_PASSWORD, DEMO_URL, HOLLYFIELD, NORTHBRIDGE
from tandem.demo.tests.loaded.test_organisations import README_LOGINS
from tandem.meetings.models import Session
from tandem.organisations.models import Organisation, Person, Team, TeamKind
from tandem.oversight.models import DueWindow, EvidencePack, InspectorAccess, SessionFeedback
from tandem.oversight.periods import Period
from tandem.oversight.selectors import (
    Scope,
    feedback_by_unit,
    feedback_summary,
    figures,
    figures_by,
    trend,
)
from tandem.oversight.services.feedback import sessions_awaiting_feedback
from tandem.records.models import Record

pytestmark = pytest.mark.dated

STRUGGLING = "Child Protection West"
QUIET = "Court and Proceedings"


@pytest.fixture
def loaded(the_demo):
    """What ``load_demo`` printed."""
    return demo_report(the_demo)


def organisation(name):
    return Organisation.objects.get(name=name)


def last_month(today):
    return Period.month(today).previous()


def last_three_months(today):
    last = last_month(today)
    return Period.custom(last.previous().previous().starts_on, last.ends_on)


def teams_of(org, period, today):
    """Every team's figures, by name: each service's teams side by side."""
    names = dict(Team.objects.for_organisation(org).values_list("pk", "name"))
    by_team = {}
    for service in Team.objects.for_organisation(org).filter(kind=TeamKind.SERVICE):
        for pk, numbers in figures_by(Scope(org, service), period, today, by="unit").items():
            if pk != service.pk:
                by_team[names[pk]] = numbers
    return by_team


def average(values):
    return sum(values) / len(values)


def known(value: int | None) -> int:
    """A percentage that must be there (something was due)."""
    assert value is not None
    return value


def test_most_people_at_northbridge_are_supervised_and_one_team_struggles(loaded):
    today = timezone.localdate()
    council = organisation(NORTHBRIDGE)
    assert council.compliance_from is not None
    assert council.compliance_from.day == 1

    headline = figures(Scope(council), last_month(today), today)
    assert headline.required > 80
    assert known(headline.met_percent) >= 80
    recent = figures(Scope(council), last_three_months(today), today)
    assert 85 <= known(recent.met_percent) <= 95
    # Most people have an agreement in date.
    assert known(headline.agreements_percent) > 50

    teams = teams_of(council, last_three_months(today), today)
    assert len(teams) == 10
    assert known(teams[STRUGGLING].met_percent) < 60
    assert teams[STRUGGLING].shared_late > 0
    assert known(teams[STRUGGLING].on_time_percent) < known(recent.on_time_percent)
    others = {name: known(t.met_percent) for name, t in teams.items() if name != STRUGGLING}
    assert min(others.values()) >= 75, others


def test_the_year_got_better_for_sessions_and_records(loaded):
    today = timezone.localdate()
    council = organisation(NORTHBRIDGE)
    months = trend(Scope(council), last_month(today), today)
    assert len(months) == 12
    assert all(m.required > 80 for m in months)
    met = [known(m.met_percent) for m in months]
    assert average(met[-3:]) >= average(met[:3]) + 10, met
    assert 60 <= met[0] <= 80, met
    on_time = [known(m.on_time_percent) for m in months]
    assert average(on_time[-3:]) > average(on_time[:3]), on_time
    # The struggling team did not get better.
    team = Team.objects.get(organisation=council, name=STRUGGLING)
    theirs = [known(m.met_percent) for m in trend(Scope(council, team), last_month(today), today)]
    assert average(theirs[-3:]) < 60, theirs


def test_hollyfield_is_in_good_shape(loaded):
    today = timezone.localdate()
    school = organisation(HOLLYFIELD)
    year = Period.custom(today - datetime.timedelta(days=365), today)
    school_year = figures(Scope(school), year, today)
    assert school_year.required > 20
    assert known(school_year.met_percent) >= 85


def test_feedback_is_shown_for_the_organisation_and_never_for_a_small_group(loaded):
    today = timezone.localdate()
    council = organisation(NORTHBRIDGE)
    month = last_month(today)
    whole = feedback_summary(Scope(council), month)
    assert whole.shown and whole.responses >= 30
    assert known(whole.agreeing["useful"]) >= 75
    assert known(whole.agreeing["felt_supported"]) >= 75

    child_protection = Team.objects.get(organisation=council, name="Child Protection")
    names = dict(Team.objects.for_organisation(council).values_list("pk", "name"))
    by_team = {
        names[pk]: summary
        for pk, summary in feedback_by_unit(Scope(council, child_protection), month).items()
    }
    quiet = by_team.get(QUIET)
    assert quiet is None or (not quiet.shown and quiet.agreeing["useful"] is None)

    # Over three months the struggling team's answers are shown: too little time to reflect.
    quarter = last_three_months(today)
    everyone = feedback_summary(Scope(council), quarter)
    struggling = feedback_summary(
        Scope(council, Team.objects.get(organisation=council, name=STRUGGLING)), quarter
    )
    assert struggling.shown
    reflect = known(struggling.agreeing["time_to_reflect"])
    assert reflect < known(everyone.agreeing["time_to_reflect"]) - 30

    # Amira's session of last week is left for her to answer.
    amira = Person.objects.get(first_name="Amira", last_name="Hussain")
    assert sessions_awaiting_feedback(amira, today=today).exists()
    assert SessionFeedback.objects.filter(person=amira).count() < amira.sessions_received.count()


def test_an_evidence_pack_for_the_struggling_teams_service_with_an_inspector(loaded):
    today = timezone.localdate()
    council = organisation(NORTHBRIDGE)
    pack = EvidencePack.objects.get(organisation=council)
    assert pack.unit is not None and pack.unit.name == "Child Protection"
    quarter = Period.quarter(today).previous()
    assert (pack.starts_on, pack.ends_on) == (quarter.starts_on, quarter.ends_on)
    records = list(pack.records.select_related("supervisee__team__parent"))
    assert len(records) == 5
    for record in records:
        assert pack.starts_on <= record.held_on <= pack.ends_on
        # The service and its teams: the head of service's own supervision is in it too.
        assert pack.unit in (record.supervisee.team, record.supervisee.team.parent)
    assert pack.figures["headline"]["required"] > 0
    access = InspectorAccess.objects.get(pack=pack)
    # The inspector has a Friday at least a week away, whatever day the demo is loaded on.
    assert access.expires_on.weekday() == 4
    assert 7 <= (access.expires_on - today).days < 14
    assert access.is_live(today)
    assert AuditEvent.objects.filter(action="oversight.pack.create").count() == 1
    assert AuditEvent.objects.filter(action="oversight.inspector.grant").count() == 1


def snapshot(today):
    council = organisation(NORTHBRIDGE)
    month = last_month(today)
    return {
        "trend": [
            (m.required, m.met, m.records_due, m.shared_on_time)
            for m in trend(Scope(council), month, today)
        ],
        "teams": {
            name: f.as_dict()
            for name, f in teams_of(council, last_three_months(today), today).items()
        },
        "feedback": feedback_summary(Scope(council), month),
        "school": figures(Scope(organisation(HOLLYFIELD)), month, today).as_dict(),
        "rows": [
            model.objects.count()
            for model in (
                Agreement,
                Session,
                TermDate,
                Record,
                DueWindow,
                SessionFeedback,
                EvidencePack,
                InspectorAccess,
                AuditEvent,
            )
        ],
    }


def test_the_command_says_what_it_made_and_who_to_sign_in_as(loaded):
    assert f"Demo supervision agreements made: {Agreement.objects.count()}." in loaded
    assert f"Demo supervision sessions made: {Session.objects.count()} (" in loaded
    assert f"Term dates added: {TermDate.objects.count()}; closure days added: 8." in loaded
    assert f"Demo supervision records made: {Record.objects.count()} (" in loaded
    assert Session.objects.count() > 1000 and Record.objects.count() > 1500
    for email, name in README_LOGINS:
        assert email in loaded
        assert name in loaded
    assert DEMO_PASSWORD in loaded
    assert DEMO_URL in loaded


def test_loading_again_changes_no_figure(loaded):
    assert "Demo oversight: figures count from the start of the demo's history" in loaded
    assert "1 evidence pack and 1 inspector access." in loaded
    today = timezone.localdate()
    before = snapshot(today)
    again = StringIO()
    call_command("load_demo", stdout=again)
    said = again.getvalue()
    assert "Demo supervision agreements made: 0." in said
    assert "Demo supervision sessions made: 0 (0 held" in said
    assert "Term dates added: 0; closure days added: 0." in said
    assert "Demo supervision records made: 0 (0 signed by both" in said
    assert "with 0 feedback responses made, 0 evidence packs and 0 inspector accesses." in said
    assert snapshot(today) == before
