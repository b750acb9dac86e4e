"""Agreements through the API: start, fill in, sign; who may do what; answers checked like the page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.agreements import services
from tandem.agreements.api import validate_responses
from tandem.agreements.models import (
    Agreement,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
)
from tandem.api.services import api_token_create
from tandem.core.models import AuditEvent
from tandem.organisations.models import SupervisionRelationship
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory

SCHOOL = "school-staff-supervision-agreement"

# A complete set of answers to the school's agreement, within any NQSW policy.
ANSWERS = {
    "frequency": "weekly",
    "location": "The small meeting room, away from the classroom",
    "duration": {"min": 90, "max": 120},
    "cancellation": {"rebook_within_working_days": 5, "terms": "Re-book within a week."},
    "purpose": "Support, development and accountability.",
    "areas_covered": True,
    "recording": {"recorder": "supervisor", "method": "Typed notes, shared the same day."},
    "confidentiality_exceptions": ["safeguarding", "conduct"],
}


def api(person) -> Client:
    _token, raw = api_token_create(person=person, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def put(client: Client, path: str, body: dict) -> object:
    return client.put(path, body, content_type="application/json")


def post(client: Client, path: str, body: dict) -> object:
    return client.post(path, body, content_type="application/json")


def school_version() -> AgreementTemplateVersion:
    return services.template_latest_version(AgreementTemplate.objects.get(slug=SCHOOL))


def relationship_of(person) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=person)


@pytest.fixture
def agreement(cast) -> Agreement:
    """Sue's draft agreement with Sam, on the school's template, from the policy's defaults."""
    return services.agreement_start(
        relationship=relationship_of(cast.supervisee),
        template_version=school_version(),
        by=cast.supervisor,
    )


def current(agreement: Agreement) -> AgreementVersion:
    return services.current_version(agreement)


# The whole flow


def test_supervisor_starts_both_fill_in_and_sign_and_the_agreement_is_active(cast):
    sam, sue = api(cast.supervisor), api(cast.supervisee)
    version = school_version()
    templates = sam.get("/api/agreement-templates").json()["items"]
    school = next(t for t in templates if t["version_id"] == version.pk)
    assert school["builtin"] is True and school["version"] == version.number
    assert school["content"]["title"] == "Staff Supervision Agreement"

    started = post(
        sam,
        "/api/agreements",
        {
            "relationship_id": relationship_of(cast.supervisee).pk,
            "template_version_id": school["version_id"],
        },
    )
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body["status"] == "draft" and body["kind"] == "line"
    assert body["supervisee"] == {
        "id": cast.supervisee.pk,
        "full_name": "Sue Supervisee",
        "job_title": "Social worker",
    }
    assert body["supervisor"]["full_name"] == "Sam Supervisor"
    assert body["template"] == {
        "id": version.template_id,
        "name": version.template.name,
        "version": version.number,
    }
    # A new agreement starts from the organisation's policy for the supervisee.
    # Sue is an NQSW: her policy changes with time in post, and the agreement follows it.
    assert body["current_version"]["frequency"] == "as_policy"
    assert body["current_version"]["signatures"] == []
    url = f"/api/agreements/{body['id']}"

    saved = put(sue, f"{url}/responses", {"responses": ANSWERS})
    assert saved.status_code == 200, saved.json()
    version_out = saved.json()["current_version"]
    assert version_out["number"] == 1 and version_out["responses"] == ANSWERS
    assert {
        key: version_out[key]
        for key in (
            "frequency",
            "duration_min_minutes",
            "duration_max_minutes",
            "location",
            "rebook_within_working_days",
            "recorder",
            "confidentiality_exceptions",
        )
    } == {
        "frequency": "weekly",
        "duration_min_minutes": 90,
        "duration_max_minutes": 120,
        "location": ANSWERS["location"],
        "rebook_within_working_days": 5,
        "recorder": "supervisor",
        "confidentiality_exceptions": ["safeguarding", "conduct"],
    }

    signed_by_sue = post(sue, f"{url}/sign", {"content_hash": version_out["content_hash"]})
    assert signed_by_sue.status_code == 200, signed_by_sue.json()
    assert signed_by_sue.json()["status"] == "awaiting_signatures"

    signed = post(sam, f"{url}/sign", {"content_hash": version_out["content_hash"]})
    assert signed.status_code == 200, signed.json()
    body = signed.json()
    assert body["status"] == "active"
    assert body["signed_on"] == timezone.localdate().isoformat()
    assert body["review_due_on"] is not None
    signatures = body["current_version"]["signatures"]
    assert [(s["role"], s["person"]["full_name"]) for s in signatures] == [
        ("supervisee", "Sue Supervisee"),
        ("supervisor", "Sam Supervisor"),
    ]
    assert {s["content_hash"] for s in signatures} == {version_out["content_hash"]}

    assert api(cast.manager).get(url).json() == body
    listed = sue.get("/api/agreements").json()
    assert [(a["id"], a["status"]) for a in listed["items"]] == [(body["id"], "active")]


def test_a_change_after_a_signature_makes_a_new_version_and_the_old_hash_is_refused(
    cast, agreement
):
    sam, sue = api(cast.supervisor), api(cast.supervisee)
    url = f"/api/agreements/{agreement.pk}"
    first = put(sue, f"{url}/responses", {"responses": ANSWERS}).json()["current_version"]
    assert post(sue, f"{url}/sign", {"content_hash": first["content_hash"]}).status_code == 200

    changed = put(sam, f"{url}/responses", {"responses": {**ANSWERS, "location": "The library"}})
    assert changed.status_code == 200
    second = changed.json()["current_version"]
    assert second["number"] == 2 and second["signatures"] == []
    assert changed.json()["status"] == "draft"

    stale = post(sam, f"{url}/sign", {"content_hash": first["content_hash"]})
    assert stale.status_code == 400
    assert list(stale.json()["detail"]) == ["content_hash"]
    assert not current(agreement).signatures.exists()


# Who may do what


def test_a_third_person_of_the_organisation_is_forbidden(cast, agreement):
    cole = api(cast.colleague)
    url = f"/api/agreements/{agreement.pk}"
    hash_ = current(agreement).content_hash
    assert cole.get(url).status_code == 403
    assert put(cole, f"{url}/responses", {"responses": ANSWERS}).status_code == 403
    response = post(cole, f"{url}/sign", {"content_hash": hash_})
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this."}
    assert cole.get("/api/agreements").json() == {"items": [], "count": 0}
    assert current(agreement).responses != ANSWERS
    assert not current(agreement).signatures.exists()


def test_another_organisation_finds_nothing(cast, agreement):
    olga = api(cast.outsider)
    url = f"/api/agreements/{agreement.pk}"
    hash_ = current(agreement).content_hash
    for response in [
        olga.get(url),
        put(olga, f"{url}/responses", {"responses": ANSWERS}),
        post(olga, f"{url}/sign", {"content_hash": hash_}),
        post(
            olga,
            "/api/agreements",
            {
                "relationship_id": relationship_of(cast.supervisee).pk,
                "template_version_id": school_version().pk,
            },
        ),
    ]:
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    assert olga.get("/api/agreements").json() == {"items": [], "count": 0}
    assert olga.get("/api/agreements", {"supervisee_id": cast.supervisee.pk}).json()["count"] == 0
    assert Agreement.objects.count() == 1


def test_a_manager_reads_but_neither_fills_in_nor_signs(cast, agreement):
    mia = api(cast.manager)
    url = f"/api/agreements/{agreement.pk}"
    assert mia.get(url).status_code == 200
    assert [a["id"] for a in mia.get("/api/agreements").json()["items"]] == [agreement.pk]
    assert put(mia, f"{url}/responses", {"responses": ANSWERS}).status_code == 403
    hash_ = current(agreement).content_hash
    assert post(mia, f"{url}/sign", {"content_hash": hash_}).status_code == 403
    assert current(agreement).responses != ANSWERS
    assert not current(agreement).signatures.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("supervisee", 201), ("manager", 403), ("colleague", 403), ("admin", 403)]
)
def test_only_the_two_parties_start_an_agreement(cast, who, status):
    response = post(
        api(getattr(cast, who)),
        "/api/agreements",
        {
            "relationship_id": relationship_of(cast.supervisee).pk,
            "template_version_id": school_version().pk,
        },
    )
    assert response.status_code == status
    assert Agreement.objects.count() == (1 if status == 201 else 0)


def test_admins_list_everyone_s_agreements_and_filter_them(cast, agreement):
    ann = api(cast.admin)
    colleague_s = services.agreement_start(
        relationship=relationship_of(cast.colleague),
        template_version=school_version(),
        by=cast.head_of_service,
    )
    assert {a["id"] for a in ann.get("/api/agreements").json()["items"]} == {
        agreement.pk,
        colleague_s.pk,
    }
    by_supervisee = ann.get("/api/agreements", {"supervisee_id": cast.colleague.pk}).json()
    assert [a["id"] for a in by_supervisee["items"]] == [colleague_s.pk]
    assert ann.get("/api/agreements", {"status": "active"}).json()["count"] == 0
    assert ann.get("/api/agreements", {"status": "draft"}).json()["count"] == 2
    assert ann.get("/api/agreements", {"status": "nonsense"}).status_code == 422
    # The admin reads every agreement but is no party to it.
    assert ann.get(f"/api/agreements/{agreement.pk}").status_code == 200
    assert (
        put(ann, f"/api/agreements/{agreement.pk}/responses", {"responses": ANSWERS}).status_code
        == 403
    )


# Starting


def test_a_template_of_another_organisation_or_none_is_refused(cast):
    theirs = services.template_copy(
        template=AgreementTemplate.objects.get(slug=SCHOOL),
        organisation=cast.other_organisation,
        by=cast.outsider,
    )
    sam = api(cast.supervisor)
    for version_id in [services.template_latest_version(theirs).pk, 10**9]:
        response = post(
            sam,
            "/api/agreements",
            {
                "relationship_id": relationship_of(cast.supervisee).pk,
                "template_version_id": version_id,
            },
        )
        assert response.status_code == 400
        assert response.json() == {
            "detail": {"template_version_id": ["No such template for your organisation."]}
        }
    assert not Agreement.objects.exists()


def test_the_organisation_s_own_templates_are_offered_to_it_alone(cast):
    ours = services.template_copy(
        template=AgreementTemplate.objects.get(slug=SCHOOL),
        organisation=cast.organisation,
        by=cast.admin,
        name="Riverside agreement",
    )
    riverside = api(cast.supervisor).get("/api/agreement-templates").json()["items"]
    assert {(t["name"], t["builtin"]) for t in riverside} >= {
        ("Riverside agreement", False),
        ("Staff supervision agreement (school)", True),
    }
    hillside = api(cast.outsider).get("/api/agreement-templates").json()["items"]
    assert ours.pk not in {t["id"] for t in hillside}
    assert all(t["builtin"] for t in hillside)


def test_a_second_open_agreement_for_the_same_supervision_is_refused(cast, agreement):
    response = post(
        api(cast.supervisor),
        "/api/agreements",
        {
            "relationship_id": agreement.relationship_id,
            "template_version_id": school_version().pk,
        },
    )
    assert response.status_code == 400
    assert response.json()["detail"] == {
        "__all__": ["There is already an agreement for this supervision."]
    }


def test_answers_given_at_the_start_are_checked(cast):
    sam = api(cast.supervisor)
    body = {
        "relationship_id": relationship_of(cast.supervisee).pk,
        "template_version_id": school_version().pk,
    }
    bad = post(sam, "/api/agreements", {**body, "responses": {"frequency": "hourly"}})
    assert bad.status_code == 400
    assert set(bad.json()["detail"]) == {"frequency", "location", "duration"}
    assert not Agreement.objects.exists()

    below_policy = post(
        sam, "/api/agreements", {**body, "responses": {**ANSWERS, "frequency": "termly"}}
    )
    assert below_policy.status_code == 400
    assert list(below_policy.json()["detail"]) == ["frequency"]
    assert not Agreement.objects.exists()

    good = post(sam, "/api/agreements", {**body, "responses": ANSWERS})
    assert good.status_code == 201
    assert good.json()["current_version"]["responses"] == ANSWERS
    assert list(
        AuditEvent.objects.filter(action__startswith="agreement.").values_list("action", flat=True)
    ) == ["agreement.start"]


# Checking answers


def test_invalid_answers_get_a_400_by_field_and_nothing_is_saved(cast, agreement):
    before = current(agreement)
    audits = AuditEvent.objects.filter(action__startswith="agreement.").count()
    response = put(
        api(cast.supervisee),
        f"/api/agreements/{agreement.pk}/responses",
        {
            "responses": {
                "frequency": "sometimes",
                "duration": {"min": 20, "max": 500},
                "areas_covered": "perhaps",
                "recording": {"recorder": "a robot", "method": "tape"},
                "cancellation": {"rebook_within_working_days": -1, "when": "never"},
                "confidentiality_exceptions": ["safeguarding", "gossip"],
                "purpose": {"not": "text"},
                "supervisor": "Someone else",
                "favourite_colour": "blue",
            }
        },
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert set(detail) == {
        "frequency",
        "location",
        "duration",
        "areas_covered",
        "recording",
        "cancellation",
        "confidentiality_exceptions",
        "purpose",
        "supervisor",
        "favourite_colour",
    }
    assert all(isinstance(messages, list) and messages for messages in detail.values())
    assert detail["location"] == ["This field is required."]
    assert detail["favourite_colour"] == ["This template has no such field."]
    assert detail["areas_covered"] == ["Answer true or false."]
    assert detail["cancellation"] == ["Unknown part when."]

    after = current(agreement)
    assert (after.pk, after.responses, after.content_hash) == (
        before.pk,
        before.responses,
        before.content_hash,
    )
    assert AuditEvent.objects.filter(action__startswith="agreement.").count() == audits


def test_a_frequency_below_the_organisation_s_policy_is_refused(cast, agreement):
    # Sue is a newly qualified social worker: every NQSW rule asks for more than termly.
    response = put(
        api(cast.supervisee),
        f"/api/agreements/{agreement.pk}/responses",
        {"responses": {**ANSWERS, "frequency": "termly"}},
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert list(detail) == ["frequency"] and "at least" in detail["frequency"][0]
    assert current(agreement).frequency != "termly"


def test_a_body_that_is_not_an_object_of_answers_gets_422(cast, agreement):
    sue = api(cast.supervisee)
    url = f"/api/agreements/{agreement.pk}/responses"
    assert put(sue, url, {"responses": ["weekly"]}).status_code == 422
    assert put(sue, url, {}).status_code == 422
    assert post(sue, f"/api/agreements/{agreement.pk}/sign", {}).status_code == 422


CONTENT = {
    "title": "Test agreement",
    "sections": [
        {
            "key": "all",
            "heading": "Every type",
            "fields": [
                {"key": "name", "label": "Name", "type": "text", "required": True},
                {"key": "count", "label": "Count", "type": "number"},
                {"key": "start", "label": "Start", "type": "date"},
                {"key": "fine", "label": "Fine", "type": "yes_no"},
                {
                    "key": "colour",
                    "label": "Colour",
                    "type": "choice",
                    "choices": [["red", "Red"], ["blue", "Blue"]],
                },
                {
                    "key": "sizes",
                    "label": "Sizes",
                    "type": "multi_choice",
                    "choices": [["s", "Small"], ["m", "Medium"]],
                },
                {"key": "duration", "label": "Duration", "type": "duration", "min": 30, "max": 90},
                {"key": "dates", "label": "Dates", "type": "list", "columns": ["Month", "Date"]},
                {"key": "supervisee", "label": "Supervisee", "type": "person", "required": True},
            ],
        }
    ],
}


def test_valid_answers_of_every_type_pass():
    assert (
        validate_responses(
            CONTENT,
            {
                "name": "Ann",
                "count": 3,
                "start": "2026-09-01",
                "fine": False,
                "colour": "red",
                "sizes": ["s", "m"],
                "duration": {"min": 30, "max": 90},
                "dates": [["September", "1st"], ["October", "6th"]],
            },
        )
        == {}
    )
    assert validate_responses(CONTENT, {"name": "Ann"}) == {}


@pytest.mark.parametrize(
    ("answers", "key"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": 7}, "name"),
        ({"count": "3"}, "count"),
        ({"count": True}, "count"),
        ({"count": -1}, "count"),
        ({"start": "1 September"}, "start"),
        ({"start": "2026-02-30"}, "start"),
        ({"fine": "no"}, "fine"),
        ({"colour": "green"}, "colour"),
        ({"sizes": "s"}, "sizes"),
        ({"sizes": ["xl"]}, "sizes"),
        ({"duration": 60}, "duration"),
        ({"duration": {"min": "30", "max": 60}}, "duration"),
        ({"duration": {"min": 20, "max": 60}}, "duration"),
        ({"duration": {"min": 60, "max": 91}}, "duration"),
        ({"duration": {"min": 60, "max": 45}}, "duration"),
        ({"dates": [["September"]]}, "dates"),
        ({"dates": [["September", 1]]}, "dates"),
        ({"dates": [["Month", "Day"]] * 13}, "dates"),
        ({"supervisee": "Sue"}, "supervisee"),
        ({"other": "x"}, "other"),
    ],
)
def test_each_kind_of_wrong_answer_is_named_by_its_field(answers, key):
    problems = validate_responses(CONTENT, {"name": "Ann", **answers})
    assert list(problems) == [key]
    assert all(isinstance(message, str) and message for message in problems[key])


# Queries do not grow with the data


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
        assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["admin", "manager", "supervisor"])
def test_the_list_runs_the_same_number_of_queries_at_any_size(cast, agreement, who):
    client = api(getattr(cast, who))
    client.get("/api/me")  # the token's first use records it
    before = count_queries(client, "/api/agreements")
    assert client.get("/api/agreements").json()["count"] == 1
    version = school_version()
    for _ in range(10):
        person = PersonFactory(organisation=cast.organisation, team=cast.supervisee.team)
        services.agreement_start(
            relationship=RelationshipFactory(supervisee=person, supervisor=cast.supervisor),
            template_version=version,
            by=cast.supervisor,
        )
    assert client.get("/api/agreements").json()["count"] == 11
    assert count_queries(client, "/api/agreements") == before


def test_reading_an_agreement_runs_the_same_number_of_queries_however_long_its_history(
    cast, agreement
):
    sam, sue = api(cast.supervisor), api(cast.supervisee)
    url = f"/api/agreements/{agreement.pk}"
    sam.get("/api/me")
    before = count_queries(sam, url)
    for location in ["Room 1", "Room 2", "Room 3"]:
        saved = put(sue, f"{url}/responses", {"responses": {**ANSWERS, "location": location}})
        post(sue, f"{url}/sign", {"content_hash": saved.json()["current_version"]["content_hash"]})
    assert count_queries(sam, url) == before


def test_the_templates_run_the_same_number_of_queries_however_many_there_are(cast):
    client = api(cast.admin)
    client.get("/api/me")
    before = count_queries(client, "/api/agreement-templates")
    for n in range(5):
        services.template_copy(
            template=AgreementTemplate.objects.get(slug=SCHOOL),
            organisation=cast.organisation,
            by=cast.admin,
            name=f"Copy {n}",
        )
    assert count_queries(client, "/api/agreement-templates") == before
