"""The oversight figures through the API: the headline, units, person by person, the trend, the
exceptions, one person, balance, feedback and the definitions; who may see which scope.

The hand-worked case, September 2026 in the Assessment Team (figures count from 1 August 2026;
Mia, Sam and Sue each need one session of 90 minutes a month):
  Sue: held 90 minutes with Sam on 10 September, its record never shared (overdue): met.
  Sam: held only 60 minutes with Mia on 15 September: short, so missed.
  Mia: her session with Hal on 20 September was cancelled and never re-booked: missed.
Mia manages the team, Hal the service (and the Fostering Team, where Cole is), Ada the
directorate (and is a senior leader); Sam and Sue oversee nothing; Olga is in another
organisation.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tandem.api.api import api as ninja_api
from tandem.api.services import api_token_create
from tandem.meetings.models import AgendaItem, Session, SessionStatus
from tandem.organisations.models import Person, StaffCategory
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory
from tandem.oversight import selectors
from tandem.oversight.filters import read_choice
from tandem.oversight.models import SessionFeedback
from tandem.oversight.periods import Period
from tandem.oversight.services.windows import windows_refresh
from tandem.records.tests.factories import draft_record, held_session

NOT_FOUND = {"detail": "Not found."}
SEPTEMBER = {"period": "month", "date": "2026-09-01"}
SEPT = Period.month(datetime.date(2026, 9, 1))


def api(person: Any) -> Client:
    _token, raw = api_token_create(person=person, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def team_of(cast: Any) -> Any:
    return cast.supervisee.team


def other_team_of(cast: Any) -> Any:
    return cast.colleague.team


def hand_built(cast: Any) -> dict[str, Any]:
    """The hand-worked case above; returns the record, and the short and cancelled sessions."""
    org = cast.organisation
    org.compliance_from = datetime.date(2026, 8, 1)
    org.save()
    # A registered social worker: one 90-minute session a month, like the others.
    Person.objects.filter(pk=cast.supervisee.pk).update(
        staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER
    )
    windows_refresh(org, today=timezone.localdate())
    record = draft_record(cast, on=datetime.date(2026, 9, 10))
    short = held_session(
        cast, on=datetime.date(2026, 9, 15), supervisor=cast.manager, supervisee=cast.supervisor
    )
    Session.objects.filter(pk=short.pk).update(held_minutes=60)
    cancelled = Session.objects.create(
        organisation=org,
        supervisor=cast.head_of_service,
        supervisee=cast.manager,
        starts_at=at(datetime.date(2026, 9, 20)),
        duration_minutes=90,
        status=SessionStatus.CANCELLED,
        rebook_by=datetime.date(2026, 9, 25),
    )
    return {"record": record, "short": short, "cancelled": cancelled}


def get(person_or_client: Any, path: str, params: dict[str, Any] | None = None) -> Any:
    client = person_or_client if isinstance(person_or_client, Client) else api(person_or_client)
    response = client.get(path, params or {})
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response


# The figures


def test_the_headline_figures_are_the_hand_worked_ones(cast):
    hand_built(cast)
    response = get(cast.manager, "/api/oversight/figures", SEPTEMBER)
    assert response.status_code == 200, response.content
    body = response.json()
    figures = body["figures"]
    assert {k: figures[k] for k in ("people", "required", "met", "missed", "people_missing")} == {
        "people": 3,
        "required": 3,
        "met": 1,
        "missed": 2,
        "people_missing": 2,
    }
    assert (figures["met_percent"], figures["people_percent"]) == (33, 33)
    assert {k: figures[k] for k in ("held", "short", "cancelled", "rebook_overdue")} == {
        "held": 2,
        "short": 1,
        "cancelled": 1,
        "rebook_overdue": 1,
    }
    assert figures["rebooked_in_time"] == 0
    assert {k: figures[k] for k in ("records", "records_due", "not_shared", "shared_on_time")} == {
        "records": 1,
        "records_due": 1,
        "not_shared": 1,
        "shared_on_time": 0,
    }
    assert figures["on_time_percent"] == 0 and figures["signed_percent"] == 0
    assert figures["staff"] == 3
    assert body["period"] == {
        "kind": "month",
        "starts_on": "2026-09-01",
        "ends_on": "2026-09-30",
        "label": "September 2026",
        "counted_until": "2026-09-30",
    }
    definitions = get(cast.manager, body["definitions"]).json()
    assert {d["key"] for d in definitions} >= {"required", "met", "shared_on_time", "feedback"}
    assert body["definitions_page"] == "/oversight/definitions/"


def test_the_figures_are_the_selectors_figures_whoever_asks(cast):
    hand_built(cast)
    today = timezone.localdate()
    asked = [
        (cast.manager, {}, team_of(cast)),
        (cast.head_of_service, {}, team_of(cast).parent),
        (cast.head_of_service, {"unit": other_team_of(cast).pk}, other_team_of(cast)),
        (cast.director, {}, None),
        (cast.director, {"category": StaffCategory.TEAM_MANAGER}, None),
    ]
    for person, params, unit in asked:
        body = get(person, "/api/oversight/figures", SEPTEMBER | params).json()
        scope = selectors.Scope(cast.organisation, unit, params.get("category", ""))
        assert body["figures"] == selectors.figures(scope, SEPT, today).as_dict()
        assert body["scope"]["category"] == (params.get("category") or None)


def test_a_custom_period_gives_the_same_figures_as_the_month_it_covers(cast):
    hand_built(cast)
    month = get(cast.manager, "/api/oversight/figures", SEPTEMBER).json()
    custom = get(
        cast.manager,
        "/api/oversight/figures",
        {"period": "custom", "from": "2026-09-01", "to": "2026-09-30"},
    ).json()
    assert custom["figures"] == month["figures"]
    assert custom["period"]["kind"] == "custom"
    assert custom["period"]["label"] == "1 September 2026 to 30 September 2026"


def test_a_quarter_and_a_year_cover_their_months(cast):
    hand_built(cast)
    quarter = get(
        cast.manager, "/api/oversight/figures", {"period": "quarter", "date": "2026-09-01"}
    )
    assert quarter.json()["period"]["starts_on"] == "2026-07-01"
    # August and September: 3 windows each, 1 met.
    assert (quarter.json()["figures"]["required"], quarter.json()["figures"]["met"]) == (6, 1)
    year = get(cast.manager, "/api/oversight/figures", {"period": "year", "date": "2026-09-01"})
    assert year.json()["period"]["starts_on"] == "2026-04-01"
    assert year.json()["period"]["ends_on"] == "2027-03-31"


# Who may see what


def test_without_a_unit_mia_gets_her_own_team_as_read_choice_gives_it(cast):
    hand_built(cast)
    body = get(cast.manager, "/api/oversight/figures", SEPTEMBER).json()
    team = team_of(cast)
    assert body["scope"]["unit"] == {
        "id": team.pk,
        "name": "Assessment Team",
        "kind": "team",
        "path": [
            {"id": team.parent.parent_id, "name": "Children's Services", "kind": "directorate"},
            {"id": team.parent_id, "name": "Safeguarding", "kind": "service"},
        ],
    }
    access = selectors.oversight_of(cast.manager)
    assert access is not None
    chosen = read_choice({}, access=access, person=cast.manager, today=timezone.localdate())
    assert chosen.unit == team
    assert body["scope"]["organisation"] == {
        "id": cast.organisation.pk,
        "name": "Riverside Council",
    }


def test_mia_may_not_see_another_team_the_service_or_the_organisation(cast):
    hand_built(cast)
    client = api(cast.manager)
    team = team_of(cast)
    for unit in (other_team_of(cast).pk, team.parent_id, team.parent.parent_id, 0, 999_999):
        for path in ("/api/oversight/figures", "/api/oversight/units", "/api/oversight/people"):
            response = get(client, path, SEPTEMBER | {"unit": unit})
            assert response.status_code in (404, 422), (path, unit)
            if unit:
                assert response.status_code == 404 and response.json() == NOT_FOUND
    # Nothing she asks for is wider than her team: the units below it are only her team.
    units = get(client, "/api/oversight/units", SEPTEMBER).json()["units"]
    assert [row["name"] for row in units] == ["Assessment Team"]
    assert get(client, f"/api/oversight/people/{cast.colleague.pk}", SEPTEMBER).json() == NOT_FOUND
    assert get(client, f"/api/oversight/people/{cast.director.pk}").status_code == 404
    assert get(client, f"/api/oversight/people/{cast.supervisee.pk}").status_code == 200


def test_hal_sees_the_teams_of_his_service_side_by_side(cast):
    hand_built(cast)
    client = api(cast.head_of_service)
    body = get(client, "/api/oversight/units", SEPTEMBER).json()
    assert body["scope"]["unit"]["name"] == "Safeguarding"
    rows = {row["name"]: row for row in body["units"]}
    # Hal himself is in the service, not in a team below it: he is shown under it.
    assert set(rows) == {"Assessment Team", "Fostering Team", "Safeguarding"}
    mia = get(cast.manager, "/api/oversight/figures", SEPTEMBER).json()["figures"]
    assert rows["Assessment Team"]["figures"] == mia
    assert rows["Fostering Team"]["unit"]["id"] == other_team_of(cast).pk
    assert rows["Fostering Team"]["figures"]["required"] == 1  # Cole's September
    headline = get(client, "/api/oversight/figures", SEPTEMBER).json()["figures"]
    for name in ("required", "met", "held", "staff"):
        assert sum(row["figures"][name] for row in body["units"]) == headline[name]
    # The directorate is above him.
    directorate = team_of(cast).parent.parent_id
    assert get(client, "/api/oversight/figures", {"unit": directorate}).json() == NOT_FOUND
    assert get(client, f"/api/oversight/people/{cast.colleague.pk}").status_code == 200


def test_ada_sees_the_whole_organisation(cast):
    hand_built(cast)
    client = api(cast.director)
    body = get(client, "/api/oversight/units", SEPTEMBER).json()
    assert body["scope"]["unit"] is None
    names = [row["name"] for row in body["units"]]
    # Services, people in the directorate itself, and people in no team (Ann), last.
    assert names == ["Children's Services", "Safeguarding", "Not in a team"]
    assert body["units"][-1]["unit"] is None
    headline = get(client, "/api/oversight/figures", SEPTEMBER).json()
    assert headline["figures"]["staff"] == 7  # everyone at Riverside
    assert sum(row["figures"]["staff"] for row in body["units"]) == 7
    for unit in (team_of(cast), other_team_of(cast), team_of(cast).parent):
        assert get(client, "/api/oversight/figures", {"unit": unit.pk}).status_code == 200


def _figure_paths(cast: Any) -> list[str]:
    return [
        path.removeprefix("/api").replace("{person_id}", str(cast.supervisee.pk))
        for path, methods in ninja_api.get_openapi_schema()["paths"].items()
        if "oversight" in methods.get("get", {}).get("tags", [])
        and not path.endswith("/definitions")
    ]


def test_every_oversight_operation_is_walked_here(cast):
    assert len(_figure_paths(cast)) == 11


@pytest.mark.parametrize("who", ["supervisor", "supervisee", "colleague"])
def test_people_who_oversee_nothing_get_not_found_everywhere(cast, who):
    hand_built(cast)
    client = api(getattr(cast, who))
    for path in _figure_paths(cast):
        response = get(client, "/api" + path, SEPTEMBER)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    # What the figures mean is no secret.
    assert get(client, "/api/oversight/definitions").status_code == 200


def test_another_organisation_sees_only_its_own(cast):
    hand_built(cast)
    client = api(cast.outsider)  # Hillside's admin
    for path in _figure_paths(cast):
        response = get(client, "/api" + path, SEPTEMBER | {"unit": team_of(cast).pk})
        assert (response.status_code, response.json()) == (404, NOT_FOUND), path
    assert get(client, f"/api/oversight/people/{cast.supervisee.pk}").json() == NOT_FOUND
    own = get(client, "/api/oversight/figures", SEPTEMBER).json()
    assert own["scope"]["organisation"]["name"] == "Hillside Trust"
    assert own["figures"]["required"] == 0 and own["figures"]["held"] == 0
    assert own["figures"]["staff"] == 1
    people = get(client, "/api/oversight/people").json()
    assert [item["person"]["full_name"] for item in people["items"]] == ["Olga Outsider"]
    for path in ("missed", "records", "rebook", "agreements"):
        found = get(client, f"/api/oversight/exceptions/{path}", SEPTEMBER).json()["items"]
        assert all(
            row["person" if "person" in row else "supervisee"]["id"] == cast.outsider.pk
            for row in found
        )


def test_every_operation_needs_a_token(cast):
    for path in [*_figure_paths(cast), "/oversight/definitions"]:
        response = Client().get("/api" + path)
        assert (response.status_code, response.json()) == (401, {"detail": "Unauthorized"})


# Bad input


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"period": "fortnight"}, "period"),
        ({"period": "custom", "from": "2026-09-30", "to": "2026-09-01"}, "to"),
        ({"period": "custom", "from": "2020-01-01", "to": "2026-09-01"}, "to"),
        ({"period": "custom"}, "from"),
        ({"period": "custom", "from": "2026-09-01"}, "from"),
        ({"date": "last tuesday"}, "date"),
        ({"date": "1066-10-14"}, "date"),
        ({"unit": "assessment"}, "unit"),
        ({"unit": "99999999999999999999999"}, "unit"),
        ({"unit": "²"}, "unit"),
        ({"category": "wizard"}, "category"),
        ({"page": "0"}, "page"),
    ],
)
def test_a_choice_that_cannot_be_is_a_422_naming_it(cast, params, named):
    client = api(cast.director)
    for path in ("/api/oversight/figures", "/api/oversight/people", "/api/oversight/trend"):
        if named == "page" and path != "/api/oversight/people":
            continue
        response = get(client, path, params)
        assert response.status_code == 422, (path, response.content)
        detail = response.json()["detail"]
        assert named in {error["loc"][-1] for error in detail}
        assert all(error["msg"] for error in detail)


def test_the_wrong_period_is_refused_even_for_people_who_see_nothing_else(cast):
    # No data is shown either way; the refusal comes first, before any figure is read.
    assert get(cast.supervisee, "/api/oversight/figures", {"period": "x"}).status_code == 422


# Person by person, and pagination


def test_person_by_person_is_paged_in_name_order_with_each_persons_figures(cast):
    hand_built(cast)
    client = api(cast.manager)
    first = get(client, "/api/oversight/people", SEPTEMBER | {"page_size": 2}).json()
    second = get(client, "/api/oversight/people", SEPTEMBER | {"page_size": 2, "page": 2}).json()
    assert first["count"] == second["count"] == 3
    names = [item["person"]["full_name"] for item in first["items"] + second["items"]]
    assert names == ["Mia Manager", "Sue Supervisee", "Sam Supervisor"]
    figures = {
        item["person"]["full_name"]: item["figures"] for item in first["items"] + second["items"]
    }
    assert (figures["Sue Supervisee"]["required"], figures["Sue Supervisee"]["met"]) == (1, 1)
    assert figures["Sue Supervisee"]["not_shared"] == 1
    assert (figures["Sam Supervisor"]["met"], figures["Sam Supervisor"]["short"]) == (0, 1)
    assert (figures["Mia Manager"]["missed"], figures["Mia Manager"]["cancelled"]) == (1, 1)
    assert first["items"][0]["person"]["team"]["name"] == "Assessment Team"
    today = timezone.localdate()
    for item in first["items"] + second["items"]:
        person_id = item["person"]["id"]
        expected = selectors.figures_by(
            selectors.Scope(cast.organisation, team_of(cast)),
            SEPT,
            today,
            by="person",
            people=[person_id],
        )[person_id]
        assert item["figures"] == expected.as_dict()
    # Only people in a staff category, when asked.
    managers = get(client, "/api/oversight/people", SEPTEMBER | {"category": "team_manager"})
    assert [i["person"]["full_name"] for i in managers.json()["items"]] == ["Mia Manager"]


def test_a_page_past_the_end_is_empty_not_an_error(cast):
    response = get(cast.manager, "/api/oversight/people", {"page": 50})
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["count"] == 3


# The trend


def test_the_trend_is_twelve_months_ending_with_the_period(cast):
    hand_built(cast)
    body = get(cast.manager, "/api/oversight/trend", SEPTEMBER).json()
    months = body["months"]
    assert months[0]["month"] == "2025-10-01"
    assert months[-1]["month"] == "2026-09-01" and months[-1]["label"] == "Sep 2026"
    assert len(months) == 12
    # Nothing counted before 1 August 2026; August: 3 required, none held.
    assert all(m["required"] == 0 and m["met_percent"] is None for m in months[:10])
    assert (months[-2]["required"], months[-2]["met"], months[-2]["met_percent"]) == (3, 0, 0)
    assert (months[-1]["required"], months[-1]["met"], months[-1]["met_percent"]) == (3, 1, 33)
    assert (months[-1]["records_due"], months[-1]["shared_on_time"]) == (1, 0)
    expected = selectors.trend(
        selectors.Scope(cast.organisation, team_of(cast)), SEPT, timezone.localdate()
    )
    assert [(m["required"], m["met"]) for m in months] == [(m.required, m.met) for m in expected]


# Exceptions


def test_the_exceptions_name_who_is_overdue_and_since_when(cast):
    built = hand_built(cast)
    client = api(cast.manager)
    today = timezone.localdate()

    missed = get(client, "/api/oversight/exceptions/missed", SEPTEMBER).json()
    assert missed["count"] == 2
    rows = {row["person"]["full_name"]: row for row in missed["items"]}
    assert set(rows) == {"Mia Manager", "Sam Supervisor"}
    assert rows["Sam Supervisor"]["person"]["id"] == cast.supervisor.pk
    assert rows["Sam Supervisor"]["first_missed"] == "2026-09-30"
    assert (rows["Sam Supervisor"]["required"], rows["Sam Supervisor"]["missed"]) == (1, 1)
    # Sam's short session is his last held one; Mia has never held one.
    assert rows["Sam Supervisor"]["last_held_at"].startswith("2026-09-15T")
    assert rows["Mia Manager"]["last_held_at"] is None
    # Over the quarter all three missed August (no session at all): overdue since 31 August.
    quarter = get(
        client, "/api/oversight/exceptions/missed", {"period": "quarter", "date": "2026-09-01"}
    ).json()
    assert {r["first_missed"] for r in quarter["items"]} == {"2026-08-31"}
    assert {r["person"]["full_name"]: (r["missed"], r["required"]) for r in quarter["items"]} == {
        "Mia Manager": (2, 2),
        "Sam Supervisor": (2, 2),
        "Sue Supervisee": (1, 2),
    }

    records = get(client, "/api/oversight/exceptions/records").json()
    record = built["record"]
    assert records["count"] == 1
    row = records["items"][0]
    assert (row["record_id"], row["session_id"]) == (record.pk, record.session_id)
    assert row["supervisee"]["id"] == cast.supervisee.pk
    assert row["supervisor"]["id"] == cast.supervisor.pk
    assert row["held_on"] == "2026-09-10"
    assert row["days_overdue"] == (today - record.due_on).days > 0

    rebook = get(client, "/api/oversight/exceptions/rebook", SEPTEMBER).json()
    assert rebook["count"] == 1
    row = rebook["items"][0]
    assert row["session_id"] == built["cancelled"].pk
    assert row["supervisee"]["id"] == cast.manager.pk
    assert row["rebook_by"] == "2026-09-25"
    assert row["days_overdue"] == (today - datetime.date(2026, 9, 25)).days

    agreements = get(client, "/api/oversight/exceptions/agreements").json()
    assert agreements["count"] == 3  # nobody in the team has an agreement
    assert {r["person"]["id"] for r in agreements["items"]} == {
        cast.manager.pk,
        cast.supervisor.pk,
        cast.supervisee.pk,
    }
    assert all(r["review_due_on"] is None for r in agreements["items"])
    assert {r["team_name"] for r in agreements["items"]} == {"Assessment Team"}


def test_the_exceptions_follow_the_scope(cast):
    hand_built(cast)
    fostering = {"unit": other_team_of(cast).pk}
    hal = api(cast.head_of_service)
    for path in ("missed", "records", "rebook"):
        body = get(hal, f"/api/oversight/exceptions/{path}", SEPTEMBER | fostering).json()
        assert body["count"] == (1 if path == "missed" else 0), path  # Cole missed September
    body = get(hal, "/api/oversight/exceptions/missed", SEPTEMBER).json()
    names = {row["person"]["full_name"] for row in body["items"]}
    assert names == {"Mia Manager", "Sam Supervisor", "Cole Colleague", "Hal Service"}


# One person


def test_one_persons_windows_with_the_session_that_met_each(cast):
    built = hand_built(cast)
    client = api(cast.manager)
    sue = get(client, f"/api/oversight/people/{cast.supervisee.pk}", SEPTEMBER).json()
    assert sue["person"]["full_name"] == "Sue Supervisee"
    assert sue["person"]["staff_category"] == "registered_social_worker"
    assert sue["windows"] == [
        {
            "starts_on": "2026-09-01",
            "ends_on": "2026-09-30",
            "frequency": "monthly",
            "min_minutes": 90,
            "counted": True,
            "met": True,
            "session_id": built["record"].session_id,
            "session_held_at": sue["windows"][0]["session_held_at"],
        }
    ]
    assert sue["windows"][0]["session_held_at"].startswith("2026-09-10T")
    assert (sue["figures"]["required"], sue["figures"]["met"], sue["figures"]["held"]) == (1, 1, 1)

    sam = get(client, f"/api/oversight/people/{cast.supervisor.pk}", SEPTEMBER).json()
    assert [(w["met"], w["session_id"]) for w in sam["windows"]] == [(False, None)]
    assert (sam["figures"]["short"], sam["figures"]["short_percent"]) == (1, 100)
    # The quarter: August and September, both missed.
    quarter = get(
        client,
        f"/api/oversight/people/{cast.supervisor.pk}",
        {"period": "quarter", "date": "2026-08-15"},
    ).json()
    assert [w["ends_on"] for w in quarter["windows"]] == ["2026-08-31", "2026-09-30"]
    assert quarter["figures"]["missed"] == 2


def test_a_person_outside_the_organisation_or_unknown_is_not_found(cast):
    client = api(cast.director)
    assert get(client, f"/api/oversight/people/{cast.outsider.pk}").json() == NOT_FOUND
    assert get(client, "/api/oversight/people/999999").json() == NOT_FOUND
    assert get(client, "/api/oversight/people/0").status_code == 422


# Balance and feedback


def test_the_balance_of_supervision_functions(cast):
    built = hand_built(cast)
    session = built["record"].session
    items = list(AgendaItem.objects.filter(session=session).order_by("pk"))
    AgendaItem.objects.filter(pk=items[0].pk).update(function="management", minutes=30)
    AgendaItem.objects.filter(pk=items[1].pk).update(function="support", minutes=10)
    # Sam's short session with Mia: 20 minutes on his development.
    AgendaItem.objects.filter(session=built["short"]).update(function="development", minutes=10)

    body = get(cast.head_of_service, "/api/oversight/balance", SEPTEMBER).json()
    whole = body["all"]
    assert whole["total_minutes"] == 60
    shares = {f["function"]: (f["minutes"], f["share_percent"]) for f in whole["functions"]}
    assert shares == {
        "management": (30, 50),
        "development": (20, 33),
        "support": (10, 16),
        "mediation": (0, 0),
    }
    assert [f["label"] for f in whole["functions"]] == [
        "Management",
        "Development",
        "Support",
        "Mediation",
    ]
    assert [u["name"] for u in body["units"]] == ["Assessment Team"]
    assert body["units"][0]["balance"] == whole
    # Nothing held in October: no shares to speak of.
    october = get(cast.head_of_service, "/api/oversight/balance", {"date": "2026-10-01"}).json()
    assert october["all"]["total_minutes"] == 0
    assert {f["share_percent"] for f in october["all"]["functions"]} == {None}
    assert get(cast.supervisee, "/api/oversight/balance").json() == NOT_FOUND


def _feedback(cast: Any, day: int, useful: int) -> None:
    session = held_session(cast, on=datetime.date(2026, 9, day))
    SessionFeedback.objects.create(
        organisation=cast.organisation,
        session=session,
        person=cast.supervisee,
        team=team_of(cast),
        held_on=datetime.date(2026, 9, day),
        useful=useful,
        time_to_reflect=4,
        felt_supported=2,
    )


def test_feedback_is_never_shown_below_five_responses(cast):
    for day, useful in zip((1, 2, 3, 4), (4, 3, 1, 4), strict=True):
        _feedback(cast, day, useful)
    client = api(cast.head_of_service)
    body = get(client, "/api/oversight/feedback", SEPTEMBER).json()
    hidden = {
        "shown": False,
        "responses": None,
        "agreeing_percent": {"useful": None, "time_to_reflect": None, "felt_supported": None},
    }
    assert body["smallest_group"] == 5
    assert body["all"] == hidden
    assert [u["feedback"] for u in body["units"]] == [hidden]

    _feedback(cast, 5, 2)
    body = get(client, "/api/oversight/feedback", SEPTEMBER).json()
    assert body["all"] == {
        "shown": True,
        "responses": 5,
        "agreeing_percent": {"useful": 60, "time_to_reflect": 100, "felt_supported": 0},
    }
    assert body["units"] == [
        {
            "unit": {"id": team_of(cast).pk, "name": "Assessment Team", "kind": "team"},
            "name": "Assessment Team",
            "feedback": body["all"],
        }
    ]
    # The responses of one person in October: too few again; never per session anywhere.
    october = get(client, "/api/oversight/feedback", {"date": "2026-10-01"}).json()
    assert october["all"]["shown"] is False and october["units"] == []


# What the figures mean


def test_the_definitions_are_one_of_each_figure(cast):
    body = get(cast.supervisee, "/api/oversight/definitions").json()
    keys = [d["key"] for d in body]
    assert len(keys) == len(set(keys))
    required = next(d for d in body if d["key"] == "required")
    assert required["name"] == "Sessions required"
    assert required["meaning"] and required["group"] == "What the policy required"


# Query counts


def _query_count(client: Client, path: str) -> int:
    client.get(path)  # the token's first use is recorded; later ones are not
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return len(queries)


def _more(cast: Any, n: int) -> None:
    """n more people in the Assessment Team, each missing September, one with a held session."""
    people: list[Any] = []
    for _ in range(n):
        person = PersonFactory(organisation=cast.organisation, team=team_of(cast))
        RelationshipFactory(supervisee=person, supervisor=cast.supervisor)
        people.append(person)
    windows_refresh(cast.organisation, people=people, today=timezone.localdate())
    short = held_session(cast, on=datetime.date(2026, 9, 2), supervisee=people[0])
    Session.objects.filter(pk=short.pk).update(held_minutes=30)


@pytest.mark.parametrize(
    "path",
    [
        "/api/oversight/people?period=month&date=2026-09-01&page_size=100",
        "/api/oversight/exceptions/missed?period=month&date=2026-09-01&page_size=100",
    ],
)
def test_the_lists_run_the_same_number_of_queries_at_any_size(
    cast, path, django_assert_max_num_queries
):
    hand_built(cast)
    _more(cast, 2)
    client = api(cast.manager)
    before = _query_count(client, path)
    small = client.get(path).json()["count"]
    _more(cast, 12)
    with django_assert_max_num_queries(before):
        response = client.get(path)
    assert response.json()["count"] == small + 12
    assert len(response.json()["items"]) == small + 12


def test_the_figures_run_the_same_number_of_queries_at_any_size(
    cast, django_assert_max_num_queries
):
    hand_built(cast)
    _more(cast, 2)
    client = api(cast.director)
    paths = [
        "/api" + path + "?period=month&date=2026-09-01"
        for path in _figure_paths(cast)
        if "people" not in path and "missed" not in path
    ]
    before = {path: _query_count(client, path) for path in paths}
    _more(cast, 12)
    for path in paths:
        with django_assert_max_num_queries(before[path]):
            assert client.get(path).status_code == 200


# Generated input, on real figures


@pytest.fixture
def keep_the_test_transaction_open():
    """As in tandem/api/tests/test_openapi_fuzz.py: a WSGI client from outside Django must not
    close the test's connection after each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


oversight_schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json", get_wsgi_application()
).include(tag="oversight")


@pytest.fixture
def built(cast):
    return hand_built(cast)


@oversight_schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_input_on_real_figures_never_fails(
    case, cast, built, keep_the_test_transaction_open
):
    """Hal, who leads the service, asks whatever schemathesis makes about the hand-worked case:
    answers within the schema, never a 500."""
    _token, raw = api_token_create(person=cast.head_of_service, name="schemathesis")
    if case.path_parameters:
        case.path_parameters = {"person_id": cast.supervisee.pk}
    case.call_and_validate(
        headers={"Authorization": f"Bearer {raw}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
