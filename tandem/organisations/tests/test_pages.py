"""The pages about people and teams, as each member of the cast sees them."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate

from tandem.core.models import AuditEvent
from tandem.organisations.models import Person, Role, StaffCategory, SupervisionRelationship
from tandem.organisations.tests.factories import (
    PersonFactory,
    RelationshipFactory,
    RoleGrantFactory,
)

SUE_ABOVE = "supervisor manager head_of_service director admin"
DAY = datetime.timedelta(days=1)
LINE = "Line management supervision"


def statuses(**by_status: str) -> list[tuple[str, int]]:
    """statuses(ok="a b", forbidden="c", missing="d") -> [("a", 200), ("b", 200), ("c", 403), ...]"""
    codes = {"ok": 200, "forbidden": 403, "missing": 404}
    return [(who, codes[k]) for k, people in by_status.items() for who in people.split()]


def html(response) -> str:
    return response.content.decode()


def nav_links(response) -> list[str]:
    """The links in the service navigation (not those in the page's own content)."""
    nav = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', html(response), re.S)
    assert nav, "no service navigation"
    return re.findall(r'govuk-service-navigation__link" href="([^"]+)"', nav.group(0))


def people_rows(response) -> list[str]:
    return re.findall(
        r'<td class="govuk-table__cell"><a class="govuk-link" href="/people/\d+/">([^<]+)</a>',
        html(response),
    )


def relationships() -> list[tuple]:
    rows = SupervisionRelationship.objects.order_by("pk")
    return list(rows.values_list("pk", "supervisor_id", "starts_on", "ends_on"))


# Home: my supervision


def test_home_shows_the_supervisee_her_supervisor_and_escalation_chain(cast):
    page = html(cast.client_for(cast.supervisee).get("/"))

    assert "<strong>Sam Supervisor</strong>, Practice supervisor" in page
    chain = re.findall(r"<li>([^<:]+): ([^<]+)</li>", page)
    assert chain == [
        ("Supervisor", "Sam Supervisor"),
        ("Team manager", "Mia Manager"),
        ("Head of service", "Hal Service"),
        ("Assistant director", "Ada Director"),
    ]
    assert "You do not supervise anyone at the moment." in page


def test_home_shows_the_supervisor_his_supervisees(cast):
    page = html(cast.client_for(cast.supervisor).get("/"))

    assert f'<a class="govuk-link" href="/people/{cast.supervisee.pk}/">Sue Supervisee</a>' in page
    assert "<strong>Mia Manager</strong>" in page


@pytest.mark.parametrize("who", ["colleague", "supervisee", *SUE_ABOVE.split()])
def test_the_service_navigation_offers_only_what_the_person_may_open(cast, who):
    links = nav_links(cast.client_for(getattr(cast, who)).get("/"))

    assert links[0] == "/" and "/account/api-tokens/" in links
    assert ("/people/" in links) is ("/teams/" in links) is (who in ("admin", "director"))
    assert ("/import/" in links) is (who == "admin")


def test_hr_may_list_people_and_import_staff(cast):
    RoleGrantFactory(person=cast.colleague, role=Role.HR)

    links = nav_links(cast.client_for(cast.colleague).get("/"))

    assert {"/people/", "/teams/", "/import/"} <= set(links)


# People list


@pytest.fixture
def thirty_more(cast):
    return PersonFactory.create_batch(30, organisation=cast.organisation)


def test_people_list_is_paginated(cast, thirty_more):
    client = cast.client_for(cast.admin)
    assert settings.PAGE_SIZE == 25

    first = client.get("/people/")
    assert first.status_code == 200
    assert len(people_rows(first)) == 25
    assert "37 people" in html(first)
    assert 'class="govuk-pagination"' in html(first)
    assert 'href="?page=2" rel="next"' in html(first)

    second = client.get("/people/?page=2")
    assert second.status_code == 200
    assert len(people_rows(second)) == 12
    assert 'href="?page=1" rel="prev"' in html(second)
    assert set(people_rows(first)).isdisjoint(people_rows(second))


@pytest.mark.parametrize("page", ["999", "abc", "-1", "0", ""])
def test_a_strange_page_number_gives_a_page_not_an_error(cast, thirty_more, page):
    response = cast.client_for(cast.admin).get("/people/", {"page": page})

    assert response.status_code == 200
    assert len(people_rows(response)) in (25, 12)


SUE = ["Sue Supervisee"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "Supervisee"}, SUE),
        ({"q": "sue  SUPERVISEE"}, SUE),
        ({"q": "STAFF-NUMBER"}, SUE),
        ({"q": "sue@riverside"}, SUE),
        ({"category": StaffCategory.NQSW_ASYE}, SUE),
        ({"category": StaffCategory.TEAM_MANAGER, "q": "Mia"}, ["Mia Manager"]),
        ({"q": "Zebedee"}, []),
    ],
)
def test_people_search_and_category_filter(cast, thirty_more, query, expected):
    if query.get("q") == "STAFF-NUMBER":
        query = {"q": cast.supervisee.staff_number.lower()}

    response = cast.client_for(cast.director).get("/people/", query)

    assert response.status_code == 200
    assert people_rows(response) == expected
    assert ("No one matches your search" in html(response)) is (not expected)


@pytest.mark.parametrize(
    "who", ["supervisee", "supervisor", "manager", "head_of_service", "colleague"]
)
def test_people_list_is_forbidden_without_a_role(cast, who):
    assert cast.client_for(getattr(cast, who)).get("/people/").status_code == 403


def test_the_outsider_sees_only_hillside_people(cast):
    response = cast.client_for(cast.outsider).get("/people/")

    assert response.status_code == 200
    assert people_rows(response) == ["Olga Outsider"]
    for person in Person.objects.filter(organisation=cast.organisation):
        assert person.full_name not in html(response)


# Person page


@pytest.mark.parametrize(
    ("who", "status"),
    statuses(ok=f"supervisee {SUE_ABOVE}", forbidden="colleague", missing="outsider"),
)
def test_who_may_see_the_supervisees_page(cast, who, status):
    response = cast.client_for(getattr(cast, who)).get(f"/people/{cast.supervisee.pk}/")

    assert response.status_code == status
    assert ("sue@riverside.test" in html(response)) is (status == 200)


def test_a_person_that_does_not_exist_is_not_found(cast):
    assert cast.client_for(cast.admin).get("/people/999999/").status_code == 404


def test_the_person_page_shows_supervision_history(cast):
    today = localdate()
    start, end = today - 400 * DAY, today - 91 * DAY
    RelationshipFactory(
        supervisee=cast.supervisee, supervisor=cast.colleague, starts_on=start, ends_on=end
    )

    page = html(cast.client_for(cast.manager).get(f"/people/{cast.supervisee.pk}/"))

    assert "Supervision history" in page
    assert "Sam Supervisor (line management supervision, since" in page
    cells = re.findall(r'<td class="govuk-table__cell">([^<]*)</td>', page)
    assert [cells[:5], cells[5:10]] == [
        ["Sam Supervisor", "Sue Supervisee", LINE, f"{today - 90 * DAY:%-d %b %Y}", "Now"],
        ["Cole Colleague", "Sue Supervisee", LINE, f"{start:%-d %b %Y}", f"{end:%-d %b %Y}"],
    ]
    assert "Change supervisor" in page


# Change supervisor


# rules.change_supervisor: people officers or managers in the hierarchy, never oneself. Sam
# only supervises Sue and manages no unit, so he may not move her.
@pytest.mark.parametrize(
    ("who", "status"),
    statuses(
        ok="manager head_of_service director admin",
        forbidden="supervisor supervisee colleague",
        missing="outsider",
    ),
)
def test_who_may_change_the_supervisees_supervisor(cast, who, status):
    client = cast.client_for(getattr(cast, who))
    path = f"/people/{cast.supervisee.pk}/supervisor/"
    before = relationships()

    assert client.get(path).status_code == status
    post = client.post(
        path, {"supervisor": cast.manager.pk, "kind": "line", "starts_on": localdate()}
    )

    assert post.status_code == (302 if status == 200 else status)
    if status != 200:
        assert relationships() == before


def test_changing_the_supervisor_keeps_history_and_is_audited(cast):
    today = localdate()
    client = cast.client_for(cast.manager)
    old = SupervisionRelationship.objects.get(supervisee=cast.supervisee, ends_on=None)

    response = client.post(
        f"/people/{cast.supervisee.pk}/supervisor/",
        {"supervisor": cast.manager.pk, "kind": "line", "starts_on": today.isoformat()},
    )

    assert response.status_code == 302
    assert response.url == f"/people/{cast.supervisee.pk}/"
    old.refresh_from_db()
    assert old.ends_on == today - DAY
    new = SupervisionRelationship.objects.get(supervisee=cast.supervisee, ends_on=None)
    assert (new.supervisor, new.starts_on, new.kind) == (cast.manager, today, "line")
    event = AuditEvent.objects.get(action="relationship.start")
    assert event.actor == cast.manager.user
    assert event.organisation == cast.organisation
    assert event.object_id == str(new.pk)
    assert event.detail["previous_supervisor"] == cast.supervisor.pk

    page = html(client.get(response.url))
    assert "Mia Manager supervises Sue Supervisee from" in page
    assert "Mia Manager (line management supervision, since" in page
    assert "Sam Supervisor" in page  # still in the history


EMPTY = {"supervisor": "", "kind": "", "starts_on": ""}  # as a browser sends a blank form


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (EMPTY, "supervisor"),
        (EMPTY, "kind"),
        (EMPTY, "starts_on"),
        ({"supervisor": "MIA", "kind": "line", "starts_on": "31/02/2030"}, "starts_on"),
        ({"supervisor": "MIA", "kind": "line", "starts_on": -1}, "starts_on"),  # before current
        ({"supervisor": "MIA", "kind": "line", "starts_on": 0}, "starts_on"),  # same day
    ],
)
def test_a_wrong_form_shows_errors_and_changes_nothing(cast, data, field):
    current = SupervisionRelationship.objects.get(supervisee=cast.supervisee, ends_on=None)
    data = {**data, "supervisor": cast.manager.pk if data["supervisor"] else ""}
    if isinstance(data["starts_on"], int):
        data["starts_on"] = str(current.starts_on + data["starts_on"] * DAY)
    before = relationships()

    response = cast.client_for(cast.admin).post(f"/people/{cast.supervisee.pk}/supervisor/", data)

    assert response.status_code == 200
    page = html(response)
    assert 'class="govuk-error-summary"' in page
    assert f'<a href="#id_{field}">' in page
    assert f'id="id_{field}-error" class="govuk-error-message"' in page
    assert "<title>Error: Change supervisor" in page
    assert relationships() == before
    assert not AuditEvent.objects.filter(action="relationship.start").exists()


def test_a_supervisor_from_another_organisation_is_neither_offered_nor_accepted(cast):
    client = cast.client_for(cast.admin)
    path = f"/people/{cast.supervisee.pk}/supervisor/"
    leaver = PersonFactory(
        organisation=cast.organisation,
        first_name="Lee",
        last_name="Leaver",
        left_on=localdate() - DAY,
    )

    form = html(client.get(path))
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', form)
    assert ("Olga Outsider" not in form) and ("Lee Leaver" not in form)
    assert str(cast.supervisee.pk) not in [value for value, _ in options]
    assert {"Mia Manager", "Sam Supervisor", "Ann Admin"} <= {label for _, label in options}

    before = relationships()
    for stranger in (cast.outsider, leaver):
        data = {"supervisor": stranger.pk, "kind": "line", "starts_on": localdate()}
        response = client.post(path, data)
        assert response.status_code == 200
        assert 'id="id_supervisor-error"' in html(response)
    assert relationships() == before


# Teams


@pytest.mark.parametrize(
    ("who", "status"),
    statuses(
        ok="admin director outsider",
        forbidden="head_of_service manager supervisor supervisee colleague",
    ),
)
def test_who_may_list_teams(cast, who, status):
    response = cast.client_for(getattr(cast, who)).get("/teams/")

    assert response.status_code == status
    teams = ["Children&#x27;s Services", "Safeguarding", "Assessment Team", "Fostering Team"]
    sees_riverside = status == 200 and who != "outsider"
    assert [team in html(response) for team in teams] == [sees_riverside] * 4
    if who == "outsider":
        assert "Riverside" not in html(response)


@pytest.mark.parametrize(
    ("who", "status"),
    statuses(ok=f"supervisee {SUE_ABOVE}", forbidden="colleague", missing="outsider"),
)
def test_who_may_see_the_assessment_team(cast, who, status):
    response = cast.client_for(getattr(cast, who)).get(f"/teams/{cast.supervisee.team_id}/")

    assert response.status_code == status


def test_a_team_page_lists_members_and_a_service_page_its_teams(cast):
    client = cast.client_for(cast.head_of_service)
    team = cast.supervisee.team

    assert people_rows(client.get(f"/teams/{team.pk}/")) == [
        "Mia Manager",
        "Sue Supervisee",  # by last name: Supervisee before Supervisor
        "Sam Supervisor",
    ]
    service = html(client.get(f"/teams/{team.parent_id}/"))
    assert "Includes" in service
    assert f'href="/teams/{team.pk}/">Assessment Team</a> (Mia Manager)' in service
    assert ">Fostering Team</a> (Hal Service)" in service
    assert "Hal Service" in people_rows(client.get(f"/teams/{team.parent_id}/"))
    assert cast.client_for(cast.admin).get("/teams/999999/").status_code == 404


# Error pages


@pytest.mark.parametrize("who", [None, "admin", "outsider"])
def test_an_unknown_page_renders_the_page_not_found_page(cast, client, who):
    if who:
        client = cast.client_for(getattr(cast, who))
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = html(response)
    assert "<title>Page not found" in page
    assert '<h1 class="govuk-heading-xl">Page not found</h1>' in page
    assert "Traceback" not in page


@pytest.mark.parametrize("path", ["/api/no-such-endpoint", "/api/people/999999"])
def test_not_found_under_the_api_is_json(cast, path):
    response = cast.client_for(cast.admin).get(path)

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


# Query counts do not grow with the data


def test_query_counts_do_not_grow_with_the_organisation(cast):
    team = cast.supervisee.team
    pages = {
        cast.admin: ["/", "/people/", f"/people/{cast.supervisee.pk}/", "/teams/"],
        cast.supervisor: ["/", f"/people/{cast.supervisor.pk}/"],
    }
    pages[cast.admin] += [f"/teams/{team.pk}/", f"/people/{cast.supervisor.pk}/"]

    def count_queries() -> dict[str, int]:
        counts = {}
        for person, paths in pages.items():
            client = cast.client_for(person)
            client.get("/")  # warm up: session, content types
            for path in paths:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(path).status_code == 200
                counts[f"{person.first_name} {path}"] = len(queries)
        return counts

    before = count_queries()
    for person in PersonFactory.create_batch(20, organisation=cast.organisation, team=team):
        RelationshipFactory(supervisee=person, supervisor=cast.supervisor)
    after = count_queries()

    assert after == before


def test_home_links_to_my_own_page_and_the_units_i_lead(cast):
    page = cast.client_for(cast.head_of_service).get("/").content.decode()
    assert f'href="/people/{cast.head_of_service.pk}/">Your details and supervision history' in page
    assert f'href="/teams/{cast.head_of_service.team_id}/">Safeguarding</a>' in page
    assert "You lead" not in cast.client_for(cast.supervisee).get("/").content.decode()


def test_team_members_see_each_other_without_links_to_pages_they_cannot_open(cast):
    team = f"/teams/{cast.supervisee.team_id}/"
    member_view = cast.client_for(cast.supervisee).get(team).content.decode()
    assert "Sam Supervisor" in member_view
    assert f'href="/people/{cast.supervisor.pk}/"' not in member_view
    manager_view = cast.client_for(cast.manager).get(team).content.decode()
    assert f'href="/people/{cast.supervisor.pk}/"' in manager_view


def test_in_a_large_organisation_the_new_supervisor_is_found_by_search(cast, monkeypatch):
    from tandem.organisations import views
    from tandem.organisations.models import SupervisionRelationship

    monkeypatch.setattr(views, "SUPERVISOR_SELECT_LIMIT", 3)
    client = cast.client_for(cast.manager)
    url = f"/people/{cast.supervisee.pk}/supervisor/"

    page = client.get(url).content.decode()
    assert "Find the new supervisor" in page and "<select" not in page.split("kind")[0]
    found = client.get(url, {"q": "cole"}).content.decode()
    assert "Cole Colleague" in found and "Ann Admin" not in found

    response = client.post(
        url,
        {"q": "cole", "supervisor": cast.colleague.pk, "kind": "line", "starts_on": "2030-01-01"},
    )
    assert response.status_code == 302
    assert (
        SupervisionRelationship.objects.get(
            supervisee=cast.supervisee, ends_on__isnull=True
        ).supervisor
        == cast.colleague
    )
