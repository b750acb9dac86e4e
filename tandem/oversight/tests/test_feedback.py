"""Supervisees' feedback on their sessions (only they see their answers; everyone else sees
totals over 5 or more responses) and the supervision balance page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.core.tests.shared import row_security_queries
from tandem.meetings import views as meetings_views
from tandem.meetings.models import AgendaItem, Session, SessionKind
from tandem.organisations import views as organisations_views
from tandem.organisations.models import Person, Team
from tandem.oversight import panels
from tandem.oversight.models import Answer, SessionFeedback
from tandem.oversight.periods import Period
from tandem.oversight.selectors import Scope, feedback_summary
from tandem.oversight.services.feedback import (
    feedback_of,
    feedback_submit,
    sessions_awaiting_feedback,
)
from tandem.oversight.tests.factories import at, cancelled, held, person

pytestmark = pytest.mark.dated

OCTOBER = Period.month(datetime.date(2026, 10, 1))
OCTOBER_QUERY = "?period=month&date=2026-10-01"
PRIVACY = (
    "Your supervisor will not see your answers. Managers see only totals from 5 or more people."
)


@pytest.fixture(autouse=True)
def feedback_panels(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The panels as ``OversightConfig.ready`` registers them (once, whoever registered them)."""
    session_panels = [p for p in meetings_views.SESSION_PANELS if p is not panels.session_panel] + [
        panels.session_panel
    ]
    home_panels = [p for p in organisations_views.HOME_PANELS if p is not panels.home_panel] + [
        panels.home_panel
    ]
    monkeypatch.setattr(meetings_views, "SESSION_PANELS", session_panels)
    monkeypatch.setattr(organisations_views, "HOME_PANELS", home_panels)
    yield


def team(name: str) -> Team:
    return Team.objects.get(name=name)


def form_url(session: Session) -> str:
    return reverse("session-feedback", args=[session.pk])


def balance_url(query: str = OCTOBER_QUERY) -> str:
    return reverse("oversight-balance") + query


def answers(useful: int, reflect: int, supported: int) -> dict[str, str]:
    return {
        "useful": str(useful),
        "time_to_reflect": str(reflect),
        "felt_supported": str(supported),
    }


def feedback_section(html: str) -> str:
    """The feedback half of the balance page."""
    start = html.index('id="feedback-section"')
    return html[start : html.index("</section>", start)]


def table_row(html: str, name: str) -> str:
    """The cells of the table row headed ``name`` in this piece of page."""
    found = re.search(
        rf'<th scope="row" class="govuk-table__header">{re.escape(name)}</th>(.*?)</tr>',
        html,
        re.S,
    )
    assert found, f"No row for {name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


# Giving feedback


def test_the_supervisee_gives_feedback_and_only_they_see_it(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    sue = cast.client_for(cast.supervisee)

    page = sue.get(form_url(session))
    assert page.status_code == 200
    html = page.content.decode()
    for legend in (
        "Was the session useful?",
        "Was there time to reflect?",
        "Did you feel supported?",
    ):
        assert f'govuk-fieldset__legend--m">{legend}' in html
    assert PRIVACY in html
    assert html.index(">Yes<") < html.index(">Mostly<") < html.index(">Not really<")

    response = sue.post(form_url(session), answers(4, 3, 2), follow=True)
    assert response.redirect_chain[-1][0] == reverse("session", args=[session.pk])
    html = response.content.decode()
    assert "Thank you for your feedback." in html
    assert "You said:" in html and "Change your answers" in html
    assert "Not really" in html  # felt supported, on her own session page

    saved = SessionFeedback.objects.get(session=session)
    assert (saved.useful, saved.time_to_reflect, saved.felt_supported) == (4, 3, 2)
    assert saved.person == cast.supervisee
    assert saved.team == team("Assessment Team")
    assert saved.held_on == datetime.date(2026, 10, 14)
    event = AuditEvent.objects.get(action="session_feedback.submit")
    assert event.actor == cast.supervisee.user
    assert event.detail == {"session": session.pk}  # never the answers


def test_the_supervisee_may_change_their_answers(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    sue = cast.client_for(cast.supervisee)
    sue.post(form_url(session), answers(1, 1, 1))

    page = sue.get(form_url(session)).content.decode()
    assert 'value="1" checked' in page
    assert "Change your answers" in page

    response = sue.post(form_url(session), answers(4, 4, 3), follow=True)
    assert "Your answers have been changed." in response.content.decode()
    saved = SessionFeedback.objects.get(session=session)
    assert (saved.useful, saved.time_to_reflect, saved.felt_supported) == (4, 4, 3)
    assert SessionFeedback.objects.count() == 1
    assert AuditEvent.objects.filter(action="session_feedback.change").count() == 1


@pytest.mark.parametrize(
    "who",
    ["supervisor", "manager", "head_of_service", "director", "admin", "colleague", "outsider"],
)
def test_nobody_but_the_supervisee_finds_the_form(cast: Any, who: str) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    feedback_submit(session=session, person=cast.supervisee, **answers(4, 4, 4))
    client = cast.client_for(getattr(cast, who))
    assert client.get(form_url(session)).status_code == 404
    assert client.post(form_url(session), answers(1, 1, 1)).status_code == 404
    saved = SessionFeedback.objects.get(session=session)
    assert (saved.useful, saved.time_to_reflect, saved.felt_supported) == (4, 4, 4)


def test_a_group_session_has_no_feedback_form(cast: Any) -> None:
    group = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    group.kind, group.supervisee = SessionKind.GROUP, None
    group.save()
    group.members.add(cast.supervisee)
    assert cast.client_for(cast.supervisee).get(form_url(group)).status_code == 404


@pytest.mark.parametrize(
    ("status", "message"),
    [
        ("scheduled", "You can give feedback once the session has been recorded as held."),
        ("cancelled", "This session was cancelled, so there is nothing to give feedback on."),
    ],
)
def test_a_session_not_held_refuses_feedback(cast: Any, status: str, message: str) -> None:
    if status == "cancelled":
        session = cancelled(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    else:
        session = Session.objects.create(
            organisation=cast.organisation,
            supervisor=cast.supervisor,
            supervisee=cast.supervisee,
            starts_at=at(datetime.date(2026, 12, 2)),
            duration_minutes=90,
        )
    sue = cast.client_for(cast.supervisee)
    page = sue.get(form_url(session))
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "Send your answers" not in page.content.decode()

    response = sue.post(form_url(session), answers(4, 4, 4))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SessionFeedback.objects.exists()
    with pytest.raises(ValidationError) as refused:
        feedback_submit(session=session, person=cast.supervisee, **answers(4, 4, 4))
    assert refused.value.messages == [message]
    # And the session's own page offers nothing.
    assert (
        "Tell us how this session went"
        not in sue.get(reverse("session", args=[session.pk])).content.decode()
    )


def test_missing_and_bad_answers_are_shown_on_the_form(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    sue = cast.client_for(cast.supervisee)

    response = sue.post(form_url(session), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_useful_0">Choose whether the session was useful.</a>' in html
    assert '<a href="#id_time_to_reflect_0">Choose whether there was time to reflect.</a>' in html
    assert '<a href="#id_felt_supported_0">Choose whether you felt supported.</a>' in html
    assert 'id="id_useful-error"' in html

    response = sue.post(form_url(session), {"useful": "9", "time_to_reflect": "4"})
    html = response.content.decode()
    assert "Choose whether the session was useful." in html
    assert "Choose whether you felt supported." in html
    assert "Choose whether there was time to reflect." not in html
    assert 'value="4" checked' in html  # what was chosen is kept
    assert not SessionFeedback.objects.exists()


def test_the_service_names_each_bad_answer(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    with pytest.raises(ValidationError) as bad:
        feedback_submit(
            session=session, person=cast.supervisee, useful=0, time_to_reflect="x", felt_supported=4
        )
    assert set(bad.value.message_dict) == {"useful", "time_to_reflect"}
    with pytest.raises(ValidationError):
        feedback_submit(session=session, person=cast.supervisor, **answers(4, 4, 4))
    assert not SessionFeedback.objects.exists()


def test_ad_hoc_sessions_take_feedback(cast: Any) -> None:
    session = held(
        cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14), kind=SessionKind.AD_HOC
    )
    saved = feedback_submit(session=session, person=cast.supervisee, **answers(3, 3, 3))
    assert feedback_of(session, cast.supervisee) == saved
    assert feedback_of(session, cast.supervisor) is None


# Nobody else sees one session's answers


def test_a_manager_never_sees_a_single_sessions_answers(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    cast.client_for(cast.supervisee).post(form_url(session), answers(1, 2, 1))
    session_page = reverse("session", args=[session.pk])
    person_page = reverse("person", args=[cast.supervisee.pk])

    own = cast.client_for(cast.supervisee).get(session_page).content.decode()
    assert "Your feedback on this session" in own and "You said:" in own

    for who in ("supervisor", "manager", "head_of_service", "director", "admin"):
        client = cast.client_for(getattr(cast, who))
        for url in (session_page, person_page):
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            html = response.content.decode()
            assert "You said:" not in html
            assert "Your feedback on this session" not in html
            assert "Was the session useful?" not in html
        # The balance page has one response: nothing shown.
        if who != "supervisor":
            balance = feedback_section(client.get(balance_url()).content.decode())
            assert "Fewer than 5 responses" in balance
            assert not re.search(r"\d%", balance)


# Small groups


def _responses(cast: Any, how_many: int, sets: list[tuple[int, int, int]]) -> list[Person]:
    """``how_many`` people in the Assessment Team, each answering about one October session."""
    people = []
    for index in range(how_many):
        someone = person(cast.organisation, team=team("Assessment Team"))
        session = held(someone, cast.supervisor, datetime.date(2026, 10, 2 + index))
        feedback_submit(session=session, person=someone, **answers(*sets[index]))
        people.append(someone)
    return people


# useful: 4 of 5 answer Mostly or Yes (80%); time to reflect: 2 of 5 (40%); supported: 5 of 5.
FIVE = [(4, 4, 4), (3, 2, 4), (3, 1, 3), (4, 3, 4), (1, 1, 3)]


def test_four_responses_are_never_shown(cast: Any) -> None:
    _responses(cast, 4, FIVE)
    summary = feedback_summary(Scope(cast.organisation, team("Assessment Team")), OCTOBER)
    assert not summary.shown
    assert summary.agreeing == {"useful": None, "time_to_reflect": None, "felt_supported": None}

    for who in ("manager", "head_of_service", "director"):
        html = feedback_section(
            cast.client_for(getattr(cast, who)).get(balance_url()).content.decode()
        )
        assert "Fewer than 5 responses" in html
        assert not re.search(r"\d%", html)
        assert table_row(html, "All").startswith("Fewer than 5 responses")
    # The head of service sees the teams side by side: the team's row shows nothing either.
    html = feedback_section(
        cast.client_for(cast.head_of_service).get(balance_url()).content.decode()
    )
    assert (
        table_row(html, "Assessment Team") == "Fewer than 5 responses Not shown Not shown Not shown"
    )


def test_five_responses_are_shown_as_shares(cast: Any) -> None:
    _responses(cast, 5, FIVE)
    summary = feedback_summary(Scope(cast.organisation, team("Assessment Team")), OCTOBER)
    assert summary.shown
    assert summary.agreeing == {"useful": 80, "time_to_reflect": 40, "felt_supported": 100}

    html = feedback_section(cast.client_for(cast.manager).get(balance_url()).content.decode())
    assert table_row(html, "All") == "5 80% 40% 100%"
    assert "Fewer than 5 responses" not in html

    # One more answer, in the Fostering Team: the service's total (6) is shown, the Fostering
    # Team's single answer is not. useful 5 of 6 = 83% (rounded down), reflect 3 of 6 = 50%.
    session = held(cast.colleague, cast.head_of_service, datetime.date(2026, 10, 20))
    feedback_submit(session=session, person=cast.colleague, **answers(4, 4, 4))
    html = feedback_section(
        cast.client_for(cast.head_of_service).get(balance_url()).content.decode()
    )
    assert table_row(html, "All") == "6 83% 50% 100%"
    assert table_row(html, "Assessment Team") == "5 80% 40% 100%"
    assert (
        table_row(html, "Fostering Team") == "Fewer than 5 responses Not shown Not shown Not shown"
    )


# The balance


def _agenda(session: Session, *items: tuple[str, int]) -> None:
    for function, minutes in items:
        AgendaItem.objects.create(
            organisation_id=session.organisation_id,
            session=session,
            added_by=session.supervisor,
            title=function,
            function=function,
            minutes=minutes,
        )


def test_balance_shares_are_of_agenda_time_on_held_sessions(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    _agenda(session, ("management", 20), ("management", 10), ("development", 10))
    # Not counted: a cancelled session, a session in September, another organisation.
    gone = cancelled(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 21))
    _agenda(gone, ("support", 60))
    _agenda(held(cast.supervisee, cast.supervisor, datetime.date(2026, 9, 30)), ("support", 60))

    html = cast.client_for(cast.manager).get(balance_url()).content.decode()
    balance = html[
        html.index('id="table-balance"') : html.index("</table>", html.index('id="table-balance"'))
    ]
    # 30 of 40 minutes management, 10 development.
    assert table_row(balance, "All") == "75% 25% 0% 0% 40"
    assert table_row(balance, "Assessment Team") == "75% 25% 0% 0% 40"
    # The chart says the same, in words as well as colour.
    assert "Management 75%" in html and "Development 25%" in html
    assert 'role="img"' in html and "<title" in html
    # Links to the definitions and the exports, for the same choice.
    assert reverse("oversight-definitions") + "#balance" in html
    assert reverse("oversight-definitions") + "#feedback" in html
    export = reverse("oversight-export", kwargs={"table": "balance", "fmt": "csv"})
    assert (
        f"{export}?period=month&amp;date=2026-10-01&amp;unit={team('Assessment Team').pk}" in html
    )


def test_bad_filters_are_named_and_the_page_still_shows(cast: Any) -> None:
    response = cast.client_for(cast.manager).get(balance_url("?period=fortnight&category=wizard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#period">Choose a month, a quarter, a year or your own dates.</a>' in html
    assert '<a href="#category">Choose a staff category from the list.</a>' in html

    response = cast.client_for(cast.manager).get(
        balance_url("?period=custom&from=2026-10-10&to=2026-10-01")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#to">The end of the period must be on or after its start.</a>' in html
    # What they typed, to put right.
    assert 'value="2026-10-10"' in html and 'value="2026-10-01"' in html
    assert '<option value="custom" selected>' in html


def test_who_may_see_the_balance(cast: Any) -> None:
    assessment, fostering = team("Assessment Team"), team("Fostering Team")
    mia = cast.client_for(cast.manager)
    page = mia.get(balance_url())
    assert page.status_code == 200
    assert "Assessment Team" in page.content.decode()
    assert mia.get(balance_url(f"?unit={assessment.pk}")).status_code == 200
    assert mia.get(balance_url(f"?unit={fostering.pk}")).status_code == 404
    assert mia.get(balance_url("?unit=nonsense")).status_code == 404

    hal = cast.client_for(cast.head_of_service)
    assert hal.get(balance_url(f"?unit={fostering.pk}")).status_code == 200

    assert cast.client_for(cast.supervisee).get(balance_url()).status_code == 404
    assert cast.client_for(cast.supervisor).get(balance_url()).status_code == 404
    assert cast.client_for(cast.colleague).get(balance_url()).status_code == 404

    # Olga oversees her own organisation only: Riverside's units are not found.
    olga = cast.client_for(cast.outsider)
    assert olga.get(balance_url(f"?unit={assessment.pk}")).status_code == 404
    own = olga.get(balance_url()).content.decode()
    assert "Hillside Trust" in own and "Assessment Team" not in own

    anonymous = cast.client_for(cast.manager)
    anonymous.logout()
    assert anonymous.get(balance_url()).status_code == 302


def _grow(cast: Any, name: str, teams: int, per_team: int) -> None:
    """Teams under the service, each with people who had a session with an agenda and gave
    feedback in October."""
    service = team("Safeguarding")
    for t in range(teams):
        unit = Team.objects.create(
            organisation=cast.organisation, name=f"{name} {t}", kind="team", parent=service
        )
        for p in range(per_team):
            someone = person(cast.organisation, team=unit)
            session = held(someone, cast.supervisor, datetime.date(2026, 10, 1 + p))
            _agenda(session, ("support", 30), ("mediation", 15))
            feedback_submit(session=session, person=someone, **answers(4, 3, 2))


def test_the_balance_page_costs_the_same_queries_at_any_size(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    ada = cast.client_for(cast.director)
    whole = balance_url()
    service = balance_url(f"{OCTOBER_QUERY}&unit={team('Safeguarding').pk}")
    _grow(cast, "Small Team", teams=1, per_team=1)
    counts = {}
    for url in (whole, service):
        with CaptureQueriesContext(connection) as small:
            assert ada.get(url).status_code == 200
        counts[url] = len(small)
    assert max(counts.values()) <= 16 + row_security_queries()
    _grow(cast, "Extra Team", teams=6, per_team=6)
    for url in (whole, service):
        with django_assert_max_num_queries(counts[url]):
            page = ada.get(url)
        assert page.status_code == 200
        assert "Extra Team 5" in page.content.decode()


# Panels


def test_my_supervision_lists_recent_sessions_awaiting_feedback(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    today = timezone.localdate()
    recent = [
        held(cast.supervisee, cast.supervisor, today - datetime.timedelta(days=days))
        for days in (1, 3, 5, 8, 12, 20, 28)
    ]
    held(cast.supervisee, cast.supervisor, today - datetime.timedelta(days=45))  # too long ago
    feedback_submit(session=recent[1], person=cast.supervisee, **answers(4, 4, 4))

    waiting = list(sessions_awaiting_feedback(cast.supervisee, today=today))
    assert waiting == [recent[0], *recent[2:]]

    request = RequestFactory().get("/")
    request.person = cast.supervisee  # type: ignore[attr-defined]
    with django_assert_max_num_queries(1):
        panel = panels.home_panel(request, cast.supervisee)
    assert panel is not None and panel["sessions"] == waiting[:5] and panel["more"]

    html = cast.client_for(cast.supervisee).get(reverse("home")).content.decode()
    assert "How did your sessions go?" in html
    assert form_url(recent[0]) in html and form_url(recent[1]) not in html
    assert PRIVACY in html
    assert form_url(recent[6]) not in html and "See all your recent sessions" in html
    # Her supervisor is asked nothing about her sessions.
    html = cast.client_for(cast.supervisor).get(reverse("home")).content.decode()
    assert "How did your sessions go?" not in html


def test_the_session_panel_is_for_the_supervisee_of_a_held_session_only(cast: Any) -> None:
    session = held(cast.supervisee, cast.supervisor, datetime.date(2026, 10, 14))
    page = cast.client_for(cast.supervisee).get(reverse("session", args=[session.pk]))
    assert "Tell us how this session went" in page.content.decode()
    assert form_url(session) in page.content.decode()
    supervisor_page = cast.client_for(cast.supervisor).get(reverse("session", args=[session.pk]))
    assert form_url(session) not in supervisor_page.content.decode()
    assert Answer.MOSTLY >= 3  # the figures count Mostly and Yes as agreeing
