"""The API as a program sees it: tokens, the same permissions as the pages, JSON errors."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.api.models import ApiToken
from tandem.api.services import api_token_create, api_token_revoke
from tandem.organisations.models import SupervisionRelationship
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory


def api(person, lifetime_days: int | None = 90) -> Client:
    _token, raw = api_token_create(person=person, name="tests", lifetime_days=lifetime_days)
    return Client(headers={"Authorization": f"Bearer {raw}"})


# Authentication


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer tdm_not-a-token", "Basic dXNlcjpwYXNz"]
)
def test_no_valid_token_gets_401_in_json(cast, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = Client(headers=headers).get("/api/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_token_works_until_it_is_revoked(cast):
    token, raw = api_token_create(person=cast.supervisee, name="my script")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/me").json()["person"]["email"] == cast.supervisee.email
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None

    api_token_revoke(token=token)

    assert client.get("/api/me").status_code == 401


def test_an_expired_token_or_a_deactivated_login_gets_401(cast):
    token, raw = api_token_create(person=cast.supervisee, name="old")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get("/api/me").status_code == 401

    client = api(cast.supervisor)
    cast.supervisor.user.is_active = False
    cast.supervisor.user.save()
    assert client.get("/api/me").status_code == 401


def test_only_a_hash_of_the_token_is_stored(cast):
    token, raw = api_token_create(person=cast.supervisee, name="x")
    assert raw.startswith("tdm_") and len(raw) > 40
    assert raw not in {token.key_hash, token.hint} and raw.startswith(token.hint)


def test_a_signed_in_browser_session_may_read_the_api(cast):
    assert cast.client_for(cast.supervisee).get("/api/me").status_code == 200


# What each person sees


def test_me_shows_my_supervision(cast):
    body = api(cast.supervisee).get("/api/me").json()
    assert body["organisation"]["name"] == "Riverside Council"
    assert [r["supervisor"]["full_name"] for r in body["supervisors"]] == ["Sam Supervisor"]
    assert body["supervisees"] == [] and body["roles"] == []
    supervisor = api(cast.supervisor).get("/api/me").json()
    assert [r["supervisee"]["full_name"] for r in supervisor["supervisees"]] == ["Sue Supervisee"]


def test_an_admin_lists_and_searches_the_people_of_their_organisation(cast):
    client = api(cast.admin)
    body = client.get("/api/people").json()
    assert body["count"] == 7
    assert "Olga Outsider" not in {p["full_name"] for p in body["items"]}
    found = client.get("/api/people", {"q": "sue"}).json()
    assert [p["full_name"] for p in found["items"]] == ["Sue Supervisee"]
    assert found["items"][0]["team"]["name"] == "Assessment Team"
    nqsw = client.get("/api/people", {"category": "nqsw_asye"}).json()
    assert [p["staff_number"] for p in nqsw["items"]] == [cast.supervisee.staff_number]


def test_an_admin_of_another_organisation_sees_nothing_of_this_one(cast):
    client = api(cast.outsider)
    assert [p["full_name"] for p in client.get("/api/people").json()["items"]] == ["Olga Outsider"]
    assert client.get("/api/teams").json() == {"items": [], "count": 0}
    for path in [
        f"/api/people/{cast.supervisee.pk}",
        f"/api/people/{cast.supervisee.pk}/escalation-chain",
        f"/api/people/{cast.supervisee.pk}/relationships",
        f"/api/teams/{cast.supervisee.team_id}",
        f"/api/teams/{cast.supervisee.team_id}/members",
    ]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("supervisee", 200),
        ("supervisor", 200),
        ("manager", 200),
        ("head_of_service", 200),
        ("director", 200),
        ("admin", 200),
        ("colleague", 403),
        ("outsider", 404),
    ],
)
def test_who_may_read_a_supervisee(cast, who, status):
    response = api(getattr(cast, who)).get(f"/api/people/{cast.supervisee.pk}")
    assert response.status_code == status
    if status == 200:
        assert response.json()["asye_start"] == "2026-09-01"
    else:
        assert "detail" in response.json() and "email" not in response.json()


@pytest.mark.parametrize("who", ["supervisee", "supervisor", "manager", "colleague"])
def test_only_admins_hr_and_senior_leaders_list_everyone(cast, who):
    client = api(getattr(cast, who))
    assert client.get("/api/people").status_code == 403
    assert client.get("/api/teams").status_code == 403


def test_the_escalation_chain(cast):
    chain = api(cast.supervisee).get(f"/api/people/{cast.supervisee.pk}/escalation-chain").json()
    assert [(link["label"], link["person"]["full_name"]) for link in chain] == [
        ("Supervisor", "Sam Supervisor"),
        ("Team manager", "Mia Manager"),
        ("Head of service", "Hal Service"),
        ("Assistant director", "Ada Director"),
    ]


def test_teams_and_their_members(cast):
    client = api(cast.admin)
    teams = client.get("/api/teams", {"q": "assessment"}).json()["items"]
    assert [(t["name"], t["manager"]["full_name"], t["member_count"]) for t in teams] == [
        ("Assessment Team", "Mia Manager", 3)
    ]
    members = client.get(f"/api/teams/{teams[0]['id']}/members").json()
    # Members see each other's names and jobs, never each other's personal details.
    assert set(members["items"][0]) == {"id", "full_name", "job_title", "staff_category"}
    assert {p["full_name"] for p in members["items"]} == {
        "Mia Manager",
        "Sam Supervisor",
        "Sue Supervisee",
    }
    assert api(cast.supervisee).get(f"/api/teams/{teams[0]['id']}").status_code == 200
    assert api(cast.colleague).get(f"/api/teams/{teams[0]['id']}").status_code == 403


# Changing a supervisor


def test_a_manager_changes_a_supervisee_s_supervisor(cast):
    starts = timezone.localdate() + datetime.timedelta(days=1)
    response = api(cast.manager).post(
        f"/api/people/{cast.supervisee.pk}/supervisors",
        {"supervisor_id": cast.manager.pk, "kind": "line", "starts_on": starts.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["supervisor"]["full_name"] == "Mia Manager"
    old = SupervisionRelationship.objects.get(supervisor=cast.supervisor)
    assert old.ends_on == starts - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("who", "status"), [("supervisee", 403), ("colleague", 403), ("outsider", 404)]
)
def test_people_who_may_not_change_a_supervisor_are_refused(cast, who, status):
    response = api(getattr(cast, who)).post(
        f"/api/people/{cast.supervisee.pk}/supervisors",
        {"supervisor_id": cast.colleague.pk},
        content_type="application/json",
    )
    assert response.status_code == status
    assert SupervisionRelationship.objects.get(supervisee=cast.supervisee).ends_on is None


def test_bad_input_to_change_a_supervisor_gets_a_clear_4xx(cast):
    client = api(cast.admin)
    url = f"/api/people/{cast.supervisee.pk}/supervisors"
    outsider = client.post(
        url, {"supervisor_id": cast.outsider.pk}, content_type="application/json"
    )
    assert outsider.status_code == 400
    assert outsider.json() == {
        "detail": {"supervisor_id": ["No such person in your organisation."]}
    }

    too_early = client.post(
        url,
        {"supervisor_id": cast.manager.pk, "starts_on": "2000-01-01"},
        content_type="application/json",
    )
    assert too_early.status_code == 400
    assert "starts_on" in too_early.json()["detail"]

    garbage = client.post(
        url, {"supervisor_id": "x", "kind": "friendly"}, content_type="application/json"
    )
    assert garbage.status_code == 422
    assert {error["loc"][-1] for error in garbage.json()["detail"]} == {"supervisor_id", "kind"}

    not_json = client.post(url, "{", content_type="application/json")
    assert not_json.status_code in (400, 422) and "detail" in not_json.json()


def test_ending_a_relationship(cast):
    relationship = SupervisionRelationship.objects.get(supervisee=cast.supervisee)
    url = f"/api/relationships/{relationship.pk}/end"
    ends = timezone.localdate().isoformat()
    assert (
        api(cast.supervisee)
        .post(url, {"ends_on": ends}, content_type="application/json")
        .status_code
        == 403
    )
    assert (
        api(cast.outsider).post(url, {"ends_on": ends}, content_type="application/json").status_code
        == 404
    )
    manager = api(cast.manager)
    before_start = manager.post(url, {"ends_on": "1999-12-31"}, content_type="application/json")
    assert before_start.status_code == 400
    assert before_start.json()["detail"] == {
        "ends_on": ["A relationship cannot end before it starts."]
    }
    response = manager.post(url, {"ends_on": ends}, content_type="application/json")
    assert response.status_code == 200 and response.json()["ends_on"] == ends
    again = manager.post(url, {"ends_on": "2030-01-01"}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["detail"]["ends_on"][0].startswith("This supervision already ended on")


# Queries do not grow with the data


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path",
    ["/api/people", "/api/teams", "/api/me", "/api/people/{supervisee}/relationships"],
)
def test_api_lists_run_the_same_number_of_queries_at_any_size(cast, path):
    path = path.format(supervisee=cast.supervisee.pk)
    client = api(cast.admin)
    client.get("/api/me")  # the token's first use records it; later uses within minutes do not
    before = count_queries(client, path)
    for _ in range(15):
        person = PersonFactory(organisation=cast.organisation, team=cast.supervisee.team)
        RelationshipFactory(supervisee=person, supervisor=cast.supervisee)
        RelationshipFactory(
            supervisee=person,
            supervisor=cast.supervisor,
            kind="professional",
        )
    assert count_queries(client, path) == before


@pytest.mark.parametrize(
    "query",
    [{"page": "298293382986732364890112"}, {"page": "0"}, {"page_size": "1000"}, {"page": "x"}],
)
def test_out_of_range_pagination_gets_422_not_a_crash(cast, query):
    response = api(cast.admin).get("/api/people", query)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] in query


def test_a_page_size_up_to_100_is_honoured(cast):
    body = api(cast.admin).get("/api/people", {"page_size": 2, "page": 2}).json()
    assert body["count"] == 7 and len(body["items"]) == 2
