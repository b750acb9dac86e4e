"""The quality API: the same answers as the pages, for the same people. Another organisation's
admin finds nothing (404); anyone else not allowed is refused (403); lists hold only what the
caller may read."""

import pytest
from django.utils import timezone

from tandem.quality import services
from tandem.records import services as record_services

from .test_group_records import written

pytestmark = pytest.mark.django_db


def items(response):
    body = response.json()
    return body["items"] if isinstance(body, dict) and "items" in body else body


def test_group_records_for_the_group_and_those_above_its_supervisor(cast):
    record = record_services.group_record_share(record=written(cast), by=cast.manager)
    url = f"/api/group-records/{record.pk}"
    for who, status in {
        "manager": 200,
        "supervisee": 200,
        "colleague": 200,
        "head_of_service": 200,
        "admin": 403,
        "outsider": 404,
    }.items():
        client = cast.client_for(getattr(cast, who))
        response = client.get(url)
        assert response.status_code == status, who
        listed = [row["id"] for row in items(client.get("/api/group-records"))]
        assert (record.pk in listed) == (status == 200), who
    body = cast.client_for(cast.supervisee).get(url).json()
    assert body["cases"][0]["decision"] == "Convene a core group within 10 days."
    assert {a["person"]["full_name"]: a["present"] for a in body["attendance"]}[
        "Cole Colleague"
    ] is False


def test_a_pathway_and_the_pipeline(cast):
    pathway = services.pathway_start(
        person=cast.supervisor,
        starts_on=timezone.localdate(),
        supporter=cast.manager,
        by=cast.manager,
    )
    url = f"/api/pathways/{pathway.pk}"
    for who, status in {
        "supervisor": 200,
        "manager": 200,
        "supervisee": 403,
        "admin": 403,
        "outsider": 404,
    }.items():
        assert cast.client_for(getattr(cast, who)).get(url).status_code == status, who
    services.pipeline_add(
        person=cast.supervisee,
        by=cast.manager,
        identified_on=timezone.localdate(),
        strengths="Good.",
    )
    assert len(items(cast.client_for(cast.director).get("/api/quality/pipeline"))) == 1
    for who in ("manager", "supervisor", "supervisee", "admin"):
        assert (
            cast.client_for(getattr(cast, who)).get("/api/quality/pipeline").status_code == 403
        ), who


def test_case_audits_are_listed_only_to_those_who_may_read_them(cast):
    services.case_audit_add(
        worker=cast.supervisee, case_reference="CF-1", label="", by=cast.director
    )
    for who, count in {
        "supervisee": 1,
        "supervisor": 1,
        "manager": 1,
        "director": 1,
        "colleague": 0,
        "admin": 0,
    }.items():
        listed = items(cast.client_for(getattr(cast, who)).get("/api/quality/case-audits"))
        assert len(listed) == count, who
