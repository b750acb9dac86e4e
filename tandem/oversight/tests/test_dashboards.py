"""The oversight dashboards as the cast sees them: who may open which, the figures of a small
case worked out by hand, bad filters shown as errors, the definitions page, and page query
counts that do not grow with the organisation."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.tests.factories import signed_agreement
from tandem.core.tests.shared import clock_at, noon, row_security_queries
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import Person, StaffCategory, SupervisionRelationship, Team
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory
from tandem.oversight import views
from tandem.oversight.definitions import DEFINITIONS
from tandem.oversight.models import DueWindow
from tandem.oversight.services.windows import windows_refresh
from tandem.records.models import Record
from tandem.records.services import record_sign
from tandem.records.tests.factories import draft_record, shared_record

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
OCTOBER = "?period=month&date=2026-10-01"


@pytest.fixture(autouse=True)
def fixed_today() -> Iterator[None]:
    """The pages' "today", and everything else's, is TODAY (midday in London)."""
    with clock_at(noon(TODAY)):
        yield


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def unit(cast: Any, name: str) -> Team:
    return Team.objects.get(organisation=cast.organisation, name=name)


def unit_url(cast: Any, name: str) -> str:
    return reverse("oversight-unit", args=[unit(cast, name).pk])


def person_url(person: Person) -> str:
    return reverse("oversight-person", args=[person.pk])


def text(response: Any) -> str:
    """The page's words, without markup, on single spaces."""
    body = response.content.decode()
    body = body[body.index("<main") :]
    body = re.sub(r"<(script|svg)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def card(response: Any, key: str) -> str:
    """The words of one headline card."""
    body = response.content.decode()
    match = re.search(rf'id="card-{key}">(.*?)</div>', body, flags=re.S)
    assert match, f"no card {key}"
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", match.group(1)))).strip()


def table_rows(response: Any, key: str) -> list[str]:
    """The rows of one table on the page, each as its words."""
    body = response.content.decode()
    match = re.search(rf'id="table-{key}">(.*?)</table>', body, flags=re.S)
    if not match:
        return []
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", match.group(1), flags=re.S)
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", row))).strip() for row in rows[1:]
    ]


@pytest.fixture
def october(cast: Any) -> Any:
    """Assessment Team in October 2026, worked by hand. Mia, Sam and Sue each need one session
    of 90 minutes in October (monthly, from 1 September when the figures start counting):
    - Sue had hers on 8 October (90 minutes); its record was shared on 20 October (deadline
      22 October: on time) and signed by both.
    - Sam had one on 15 October of only 60 minutes (short: does not count); its record was
      never shared (overdue).
    - Mia's session on 20 October was cancelled, to re-book by 27 October; it never was.
    So: 1 of 3 sessions required held (33%), 1 of 3 people fully supervised, 2 held, 1 short,
    0 of 1 cancellations re-booked in time, 1 of 2 records shared on time (50%), 1 of 2 signed.
    """
    Person.objects.filter(pk=cast.supervisee.pk).update(
        staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER, asye_start=None
    )
    cast.supervisee.refresh_from_db()
    organisation = cast.organisation
    organisation.compliance_from = datetime.date(2026, 9, 1)
    organisation.save()

    sue = shared_record(cast, on=datetime.date(2026, 10, 8))
    Record.objects.filter(pk=sue.pk).update(shared_at=at(datetime.date(2026, 10, 20), 12))
    for signer in (sue.supervisor, sue.supervisee):
        sue.refresh_from_db()
        record_sign(record=sue, by=signer, version=sue.version_number)
    sam = draft_record(
        cast, on=datetime.date(2026, 10, 15), supervisor=cast.manager, supervisee=cast.supervisor
    )
    Session.objects.filter(pk=sam.session_id).update(held_minutes=60)
    cancelled = Session.objects.create(
        organisation=organisation,
        supervisor=cast.head_of_service,
        supervisee=cast.manager,
        starts_at=at(datetime.date(2026, 10, 20)),
        duration_minutes=90,
        status=SessionStatus.CANCELLED,
        cancelled_at=at(datetime.date(2026, 10, 19)),
        rebook_by=datetime.date(2026, 10, 27),
    )
    windows_refresh(organisation, today=TODAY)
    in_october = DueWindow.objects.filter(
        person__team__name="Assessment Team",
        ends_on__gte=datetime.date(2026, 10, 1),
        ends_on__lte=datetime.date(2026, 10, 31),
    )
    assert in_october.count() == 3  # the case as worked above: one month each
    return {"sue": sue, "sam": sam, "cancelled": cancelled}


# Who may open what


def test_team_manager_sees_their_team_and_nothing_wider(cast: Any, october: Any) -> None:
    mia = cast.client_for(cast.manager)
    response = mia.get(reverse("oversight"))
    assert response.status_code == 302
    assert response["Location"] == unit_url(cast, "Assessment Team")

    page = mia.get(unit_url(cast, "Assessment Team") + OCTOBER)
    assert page.status_code == 200
    people = " ".join(table_rows(page, "people"))
    for person in (cast.manager, cast.supervisor, cast.supervisee):
        assert person.full_name in people
    assert cast.colleague.full_name not in text(page)

    for url in (
        unit_url(cast, "Fostering Team"),
        unit_url(cast, "Safeguarding"),
        unit_url(cast, "Children's Services"),
        reverse("oversight-organisation"),
        person_url(cast.colleague),
        person_url(cast.head_of_service),
    ):
        assert mia.get(url).status_code == 404, url
    assert mia.get(person_url(cast.supervisee)).status_code == 200
    # Asking for another unit through the filter is no way round it.
    fostering = unit(cast, "Fostering Team").pk
    assert mia.get(unit_url(cast, "Assessment Team") + f"?unit={fostering}").status_code == 404


def test_head_of_service_sees_both_teams_side_by_side(cast: Any, october: Any) -> None:
    hal = cast.client_for(cast.head_of_service)
    response = hal.get(reverse("oversight") + "?period=month&date=2026-10-01")
    assert response.status_code == 302
    assert response["Location"].startswith(unit_url(cast, "Safeguarding") + "?")

    page = hal.get(unit_url(cast, "Safeguarding") + OCTOBER)
    assert page.status_code == 200
    rows = table_rows(page, "units")
    assert [row.split(" ")[0] for row in rows] == ["Assessment", "Fostering", "Safeguarding"]
    assessment = next(row for row in rows if row.startswith("Assessment Team"))
    assert assessment.startswith("Assessment Team 3 1 33%")  # required, held, % held
    assert 'id="chart-units"' in page.content.decode()

    for url in (unit_url(cast, "Assessment Team"), unit_url(cast, "Fostering Team")):
        assert hal.get(url + OCTOBER).status_code == 200
    for person in (cast.supervisee, cast.colleague):
        assert hal.get(person_url(person)).status_code == 200
    assert hal.get(unit_url(cast, "Children's Services")).status_code == 404
    assert hal.get(reverse("oversight-organisation")).status_code == 404
    assert hal.get(person_url(cast.director)).status_code == 404


def test_unit_chosen_in_the_filter_opens_its_dashboard(cast: Any, october: Any) -> None:
    hal = cast.client_for(cast.head_of_service)
    fostering = unit(cast, "Fostering Team").pk
    response = hal.get(unit_url(cast, "Safeguarding") + f"{OCTOBER}&unit={fostering}")
    assert response.status_code == 302
    assert response["Location"] == unit_url(cast, "Fostering Team") + OCTOBER


def test_senior_leader_and_admin_see_the_organisation(cast: Any, october: Any) -> None:
    for person in (cast.director, cast.admin):
        client = cast.client_for(person)
        response = client.get(reverse("oversight"))
        assert response.status_code == 302
        assert response["Location"] == reverse("oversight-organisation")
        page = client.get(reverse("oversight-organisation") + OCTOBER)
        assert page.status_code == 200
        assert "Riverside Council" in text(page)
        assert [r.split(" ")[0] for r in table_rows(page, "units")][:2] == [
            "Children's",
            "Safeguarding",
        ]
        # Drill down: the service, the team, a person.
        assert client.get(unit_url(cast, "Safeguarding") + OCTOBER).status_code == 200
        assert client.get(unit_url(cast, "Assessment Team") + OCTOBER).status_code == 200
        assert client.get(person_url(cast.colleague) + OCTOBER).status_code == 200


@pytest.mark.parametrize("who", ["supervisee", "supervisor", "colleague"])
def test_people_who_lead_nothing_have_nothing_to_oversee(cast: Any, who: str) -> None:
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("oversight")).status_code == 404
    assert client.get(reverse("oversight-organisation")).status_code == 404
    assert client.get(unit_url(cast, "Assessment Team")).status_code == 404
    assert client.get(person_url(cast.supervisee)).status_code == 404
    # What the figures mean is for everyone.
    assert client.get(reverse("oversight-definitions")).status_code == 200


def test_another_organisation_sees_none_of_it(cast: Any, october: Any) -> None:
    olga = cast.client_for(cast.outsider)
    for name in ("Assessment Team", "Safeguarding", "Children's Services"):
        assert olga.get(unit_url(cast, name)).status_code == 404
    for person in (cast.supervisee, cast.manager, cast.director):
        assert olga.get(person_url(person)).status_code == 404
    assessment = unit(cast, "Assessment Team").pk
    assert olga.get(reverse("oversight-organisation") + f"?unit={assessment}").status_code == 404
    assert olga.get(reverse("oversight") + f"?unit={assessment}").status_code == 302
    # Her own organisation's dashboard has nothing of Riverside's.
    page = olga.get(reverse("oversight-organisation") + OCTOBER)
    assert page.status_code == 200
    words = text(page)
    assert "Hillside Trust" in words
    for name in ("Riverside", "Assessment Team", cast.supervisee.full_name):
        assert name not in words


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, cast: Any) -> None:
    response = client.get(reverse("oversight-organisation"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# The figures


def test_team_figures_match_the_case_worked_by_hand(cast: Any, october: Any) -> None:
    page = cast.client_for(cast.manager).get(unit_url(cast, "Assessment Team") + OCTOBER)
    words = text(page)
    assert "Safeguarding > Assessment Team" in words
    assert "October 2026" in words
    assert card(page, "met").startswith("Sessions required that were held 33% 1 of 3 sessions")
    assert "1 of 3 people had every session they needed" in card(page, "people")
    assert "50% 1 of 2 records due were shared by their deadline" in card(page, "shared_on_time")
    assert "50% 1 of 2 records" in card(page, "signed")
    assert "1 of 2 records" in card(page, "signed")
    assert card(page, "short").startswith(
        "Held sessions shorter than the minimum 1 of 2 sessions held"
    )
    assert "0 of 1 cancelled sessions; 1 not re-booked in time" in card(page, "rebooked_in_time")
    # Each card says what it means, on the definitions page.
    assert f'href="{reverse("oversight-definitions")}#met"' in page.content.decode()

    missed = table_rows(page, "missed")
    assert [row.split(" Assessment Team")[0] for row in missed] == ["Mia Manager", "Sam Supervisor"]
    assert all("1 of 1" in row and "31 October 2026" in row for row in missed)
    overdue = table_rows(page, "records-overdue")
    assert len(overdue) == 1 and overdue[0].startswith("Sam Supervisor Mia Manager 15 October 2026")
    rebook = table_rows(page, "rebook-overdue")
    assert rebook == ["Mia Manager Hal Service 20 October 2026 27 October 2026"]

    # The trend: October's figures in the chart's own table, and the chart is there.
    trend = {row.split(" ")[0] + " " + row.split(" ")[1]: row for row in table_rows(page, "trend")}
    assert trend["Oct 2026"] == "Oct 2026 3 1 33% 2 1 50%"
    body = page.content.decode()
    assert 'role="img"' in body and 'aria-labelledby="chart-trend-title chart-trend-desc"' in body


def test_each_table_links_its_downloads_with_the_same_choice(cast: Any, october: Any) -> None:
    team = unit(cast, "Assessment Team")
    page = cast.client_for(cast.manager).get(unit_url(cast, "Assessment Team") + OCTOBER)
    body = html.unescape(page.content.decode())
    query = f"?period=month&date=2026-10-01&unit={team.pk}"
    for key in ("trend", "people", "missed", "records-overdue", "rebook-overdue", "agreements"):
        for fmt in ("csv", "xlsx"):
            assert reverse("oversight-export", kwargs={"table": key, "fmt": fmt}) + query in body
    assert reverse("oversight-team-report", args=[team.pk, 2026, 10]) in body
    assert reverse("oversight-balance") + query in body


def test_a_long_list_shows_its_first_rows_and_links_the_whole_export(
    cast: Any, october: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PEOPLE_ROWS", 2)
    team = unit(cast, "Assessment Team")
    page = cast.client_for(cast.manager).get(unit_url(cast, "Assessment Team") + OCTOBER)
    assert len(table_rows(page, "people")) == 2
    words = text(page)
    assert "Showing the first 2 of 3: and 1 more, download all 3" in words
    export = reverse("oversight-export", kwargs={"table": "people", "fmt": "csv"})
    assert (
        f'href="{export}?period=month&amp;date=2026-10-01&amp;unit={team.pk}">download all 3'
        in (page.content.decode())
    )


def test_a_unit_that_is_not_a_number_is_not_found(cast: Any) -> None:
    client = cast.client_for(cast.director)
    assert client.get(reverse("oversight-organisation") + "?unit=abc").status_code == 404
    assert client.get(reverse("oversight-organisation") + "?unit=999999").status_code == 404


def test_person_page_shows_compliance_facts_only(cast: Any, october: Any) -> None:
    client = cast.client_for(cast.manager)
    sam = client.get(person_url(cast.supervisor) + OCTOBER)
    assert sam.status_code == 200
    assert table_rows(sam, "person-required") == [
        "1 October 2026 31 October 2026 Monthly 90 minutes Missed"
    ]
    sessions = table_rows(sam, "person-sessions")
    assert sessions == ["15 October 2026 Mia Manager Held 60 Yes, shorter than the minimum"]
    assert table_rows(sam, "person-records") == [
        "15 October 2026 Mia Manager 29 October 2026 Not shared, overdue No"
    ]
    assert "0% 0 of 1 sessions required were held" in card(sam, "met")

    sue = client.get(person_url(cast.supervisee) + OCTOBER)
    held = table_rows(sue, "person-required")
    assert held == ["1 October 2026 31 October 2026 Monthly 90 minutes Session on 8 October 2026"]
    assert reverse("session", args=[october["sue"].session_id]) in sue.content.decode()
    assert table_rows(sue, "person-records") == [
        "8 October 2026 Sam Supervisor 22 October 2026 On time: 20 October 2026 Yes"
    ]
    # Nothing of what was written: the record's words and welfare section stay in the record.
    words = text(sue)
    assert "Caseload of 18" not in words
    assert "Feeling stretched" not in words

    mia = client.get(person_url(cast.manager) + OCTOBER)
    assert table_rows(mia, "person-sessions") == [
        "20 October 2026 Hal Service Cancelled Not re-booked: was due by 27 October 2026"
    ]


def test_agreement_status_on_the_person_page(cast: Any, october: Any) -> None:
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisee)
    signed_agreement(relationship)
    page = cast.client_for(cast.manager).get(person_url(cast.supervisee) + OCTOBER)
    (row,) = table_rows(page, "person-agreements")
    assert row.startswith("Sam Supervisor Active")
    assert row.endswith("Yes")
    assert "100% 1 of 1 people in post today" in card(page, "agreements_in_date")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?period=decade", "period", "Choose a month, a quarter, a year or your own dates."),
        ("?period=month&date=31-13-2026", "date", "Enter a day in the period you want as a date"),
        (
            "?period=custom&from=2026-10-10&to=2026-10-01",
            "to",
            "The end of the period must be on or after its start.",
        ),
        ("?period=custom&from=soon&to=later", "from", "Enter the first and last days"),
        ("?category=wizard", "category", "Choose a staff category from the list."),
        ("?period=month&date=0001-01-01", "date", "Enter a date between 1990 and 2100."),
        ("?period=quarter&date=9999-12-01", "date", "Enter a date between 1990 and 2100."),
        ("?period=custom&from=0001-01-01&to=2026-02-01", "from", "Enter a date between"),
    ],
)
def test_bad_filters_are_errors_on_the_page(
    cast: Any, october: Any, query: str, field: str, message: str
) -> None:
    client = cast.client_for(cast.head_of_service)
    for url in (unit_url(cast, "Safeguarding"), person_url(cast.supervisee)):
        page = client.get(url + query)
        assert page.status_code == 200
        body = html.unescape(page.content.decode())
        assert "There is a problem" in body
        assert f'<a href="#{field}">{message}' in body
        assert f'id="{field}-error"' in body or field == "category"
        assert "<title>Error: " in body
        # The figures for the default period are shown all the same.
        assert "October 2026" in text(page)


def test_definitions_page_lists_every_definition(cast: Any) -> None:
    page = cast.client_for(cast.supervisee).get(reverse("oversight-definitions"))
    assert page.status_code == 200
    body = html.unescape(page.content.decode())
    for definition in DEFINITIONS:
        assert f'id="{definition.key}">{definition.name}</h3>' in body
        assert definition.meaning in body


def test_previous_and_next_period_links(cast: Any, october: Any) -> None:
    page = cast.client_for(cast.manager).get(unit_url(cast, "Assessment Team") + OCTOBER)
    body = html.unescape(page.content.decode())
    assert 'href="?period=month&date=2026-09-01" rel="prev"' in body
    assert 'href="?period=month&date=2026-11-01" rel="next"' in body
    november = cast.client_for(cast.manager).get(
        unit_url(cast, "Assessment Team") + "?period=month&date=2026-11-01"
    )
    assert 'rel="next"' not in november.content.decode()  # December has not started


def test_navigation_shows_oversight_to_those_who_oversee(
    cast: Any, django_assert_max_num_queries: Any
) -> None:
    factory = RequestFactory()
    for person, shown in (
        (cast.director, True),
        (cast.admin, True),
        (cast.head_of_service, True),
        (cast.manager, True),
        (cast.supervisor, False),
        (cast.supervisee, False),
    ):
        request = factory.get("/")
        request.person = Person.objects.get(pk=person.pk)  # type: ignore[attr-defined]
        with django_assert_max_num_queries(2):
            assert views.show_in_navigation(request) is shown


# Query counts do not grow with the organisation


def grow(cast: Any, size: int) -> None:
    """``size`` more people in each team, each with a relationship, a held session, a
    record and a cancelled session in October, and their windows; and ``size`` more sessions
    and records of Sue's in October, some cancelled and re-booked."""
    organisation = cast.organisation
    for index in range(size):
        day = datetime.date(2026, 10, 1 + index % 28)
        draft_record(cast, on=day)
        first = Session.objects.create(
            organisation=organisation,
            supervisor=cast.supervisor,
            supervisee=cast.supervisee,
            starts_at=at(day, 15),
            duration_minutes=90,
            status=SessionStatus.CANCELLED,
            rebook_by=day + datetime.timedelta(days=7),
        )
        Session.objects.create(
            organisation=organisation,
            supervisor=cast.supervisor,
            supervisee=cast.supervisee,
            starts_at=at(day + datetime.timedelta(days=2), 15),
            duration_minutes=90,
            rebooked_from=first,
        )
    for name, supervisor in (
        ("Assessment Team", cast.supervisor),
        ("Fostering Team", cast.head_of_service),
    ):
        team = unit(cast, name)
        for _ in range(size):
            person = PersonFactory(organisation=organisation, team=team)
            RelationshipFactory(supervisee=person, supervisor=supervisor)
            draft_record(
                cast, on=datetime.date(2026, 10, 6), supervisor=supervisor, supervisee=person
            )
            Session.objects.create(
                organisation=organisation,
                supervisor=supervisor,
                supervisee=person,
                starts_at=at(datetime.date(2026, 10, 21)),
                duration_minutes=60,
                status=SessionStatus.CANCELLED,
                rebook_by=datetime.date(2026, 10, 28),
            )
    windows_refresh(organisation, today=TODAY)


PAGES = [
    ("director", lambda cast: reverse("oversight-organisation")),
    ("director", lambda cast: unit_url(cast, "Safeguarding")),
    ("manager", lambda cast: unit_url(cast, "Assessment Team")),
    ("head_of_service", lambda cast: person_url(cast.supervisee)),
]
# 40 with the development figures (two sources and their rules); 46 with the quality and
# workforce figures (audits, case-file audits, the grading scale, turnover); and row-level
# security's.
MAX_QUERIES = 46 + row_security_queries()


def test_page_queries_do_not_grow_with_the_organisation(
    cast: Any, october: Any, django_assert_max_num_queries: Any
) -> None:
    def counts() -> list[int]:
        found = []
        for who, url in PAGES:
            client = cast.client_for(getattr(cast, who))
            client.get(url(cast) + OCTOBER)  # the session and sign-in settle first
            with (
                django_assert_max_num_queries(MAX_QUERIES),
                CaptureQueriesContext(connection) as queries,
            ):
                assert client.get(url(cast) + OCTOBER).status_code == 200
            found.append(len(queries))
        return found

    small = counts()
    grow(cast, 3)
    larger = counts()
    grow(cast, 12)
    assert counts() == larger == small
