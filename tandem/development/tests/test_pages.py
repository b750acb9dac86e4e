"""The development pages as the fixed cast meets them: who reads and who writes Sue's
development, a CPD record logged from a supervision record and exported, the record's
development section, objectives reviewed there, and bad input that keeps what was typed."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core.tests.shared import noon
from tandem.development.models import CpdKind, CpdRecord, ObjectiveReview, ObjectiveStatus
from tandem.organisations.models import Role
from tandem.organisations.tests.factories import RoleGrantFactory
from tandem.records.tests.factories import shared_record

from .factories import CpdRecordFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 7)
at_today = time_machine.travel(noon(TODAY), tick=False)


def text(response) -> str:
    return " ".join(response.content.decode().split())


@pytest.fixture
def hr(cast):
    RoleGrantFactory(person=cast.colleague, role=Role.HR)
    return cast.colleague


@pytest.mark.parametrize(
    ("who", "reads", "writes", "assesses"),
    [
        ("supervisee", 200, 200, 403),
        ("supervisor", 200, 200, 200),
        ("manager", 200, 403, 200),
        ("head_of_service", 200, 403, 200),
        ("director", 200, 403, 200),
        ("colleague", 403, 403, 403),
        ("admin", 403, 403, 403),
        ("outsider", 404, 404, 404),
    ],
)
def test_who_reads_writes_and_assesses_sue_s_development(cast, who, reads, writes, assesses):
    client = cast.client_for(getattr(cast, who))
    sue = cast.supervisee.pk
    assert client.get(reverse("development", args=[sue])).status_code == reads
    assert client.get(reverse("cpd-list", args=[sue])).status_code == reads
    assert client.get(reverse("cpd-add", args=[sue])).status_code == writes
    assert client.get(reverse("objective-add", args=[sue])).status_code == writes
    assert client.get(reverse("appraisal-add", args=[sue])).status_code == assesses


def test_hr_reads_but_does_not_write(cast, hr):
    client = cast.client_for(hr)
    cpd = CpdRecordFactory(person=cast.supervisee)
    assert client.get(reverse("development", args=[cast.supervisee.pk])).status_code == 200
    assert client.get(reverse("cpd", args=[cpd.pk])).status_code == 200
    assert client.get(reverse("cpd-edit", args=[cpd.pk])).status_code == 403
    assert client.post(reverse("cpd-remove", args=[cpd.pk])).status_code == 403
    assert CpdRecord.objects.filter(pk=cpd.pk).exists()


@at_today
def test_a_social_worker_logs_cpd_from_a_supervision_record_and_exports_it(cast):
    record = shared_record(cast, on=datetime.date(2026, 12, 2))
    client = cast.client_for(cast.supervisee)
    page = client.get(reverse("record", args=[record.pk]))
    assert "Sue Supervisee's development on 2 December 2026" in text(page)
    start = reverse("cpd-add", args=[cast.supervisee.pk]) + f"?record={record.pk}"
    assert start.replace("&", "&amp;") in page.content.decode()

    form = client.get(start)
    assert "From the supervision on 2 December 2026" in text(form)
    assert 'value="Supervision with Sam Supervisor"' in form.content.decode()
    saved = client.post(
        start,
        {
            "kind": CpdKind.SUPERVISION,
            "title": "Supervision with Sam Supervisor",
            "done_on": "02/12/2026",
            "description": "We talked through drift in a child's plan.",
            "learnt": "Use a timeline to see drift early.",
            "impact": "I keep a timeline on every case now.",
            "peer_reflection": "on",
            "peer_with": "Sam Supervisor, in supervision",
            "peer_on": "2026-12-02",
            "record": record.pk,
        },
    )
    cpd = CpdRecord.objects.get()
    assert saved.status_code == 302 and saved.url == reverse("cpd", args=[cpd.pk])
    assert cpd.source_record == record and cpd.created_by == cast.supervisee
    detail = text(client.get(saved.url))
    assert "The record of 2 December 2026" in detail

    position = text(client.get(reverse("cpd-list", args=[cast.supervisee.pk])))
    assert "CPD, 1 December 2026 to 30 November 2027" in position
    assert "1 of 2 CPD records in the registration year, 1 of 1 with peer reflection" in position

    export = client.get(reverse("cpd-export", args=[cast.supervisee.pk]) + "?year=2026")
    assert export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Title",
        "Date",
        "Type of CPD",
        "Description",
        "What I learnt",
        "Impact on my practice",
    ]
    assert rows[1][:3] == ["Supervision with Sam Supervisor", "2026-12-02", "Supervision"]
    assert rows[1][6:8] == ["Yes", "Sam Supervisor, in supervision"]
    # Last year's export has none of it.
    last_year = client.get(reverse("cpd-export", args=[cast.supervisee.pk]) + "?year=2025")
    assert len(list(csv.reader(io.StringIO(last_year.content.decode("utf-8-sig"))))) == 1


@at_today
def test_bad_cpd_shows_field_errors_and_keeps_what_was_typed(cast):
    client = cast.client_for(cast.supervisee)
    page = client.post(
        reverse("cpd-add", args=[cast.supervisee.pk]),
        {
            "kind": CpdKind.READING,
            "title": "Research in Practice briefing",
            "done_on": "08/12/2026",
            "description": "Read the briefing on neglect.",
            "learnt": "",
            "impact": "Shared it with the team.",
            "hours": "2",
            "participatory_hours": "3",
        },
    )
    body = text(page)
    assert page.status_code == 200
    assert "The date of the CPD must be today or in the past." in body
    assert "Enter what you learnt." in body
    assert "cannot be more" in body
    assert 'value="Research in Practice briefing"' in page.content.decode()
    assert "Read the briefing on neglect." in body
    assert not CpdRecord.objects.exists()


@at_today
def test_an_objective_is_reviewed_from_the_record_s_development_section(cast):
    objective = ObjectiveFactory(person=cast.supervisee, title="Court skills")
    record = shared_record(cast, on=datetime.date(2026, 12, 2))
    client = cast.client_for(cast.supervisor)
    page = text(client.get(reverse("record", args=[record.pk])))
    assert "Court skills" in page and "Save the review" in page
    answer = client.post(
        reverse("objective-review", args=[objective.pk]),
        {
            "record": record.pk,
            "next": reverse("record", args=[record.pk]) + "#development",
            f"o{objective.pk}-progress": "Observed in court on 30 November; clear evidence.",
            f"o{objective.pk}-status": ObjectiveStatus.MET,
        },
    )
    assert answer.status_code == 302
    assert answer.url == reverse("record", args=[record.pk]) + "#development"
    review = ObjectiveReview.objects.get()
    assert (review.record, review.reviewed_on, review.by) == (
        record,
        datetime.date(2026, 12, 2),
        cast.supervisor,
    )
    objective.refresh_from_db()
    assert objective.status == ObjectiveStatus.MET
    # The manager reads the section but does not review there.
    managers_view = text(cast.client_for(cast.manager).get(reverse("record", args=[record.pk])))
    assert "development on 2 December 2026" in managers_view
    assert "Save the review" not in managers_view


def test_the_development_page_costs_the_same_queries_with_more_logged(cast):
    client = cast.client_for(cast.supervisee)
    url = reverse("development", args=[cast.supervisee.pk])
    CpdRecordFactory(person=cast.supervisee)
    ObjectiveFactory(person=cast.supervisee)
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    CpdRecordFactory.create_batch(8, person=cast.supervisee)
    ObjectiveFactory.create_batch(8, person=cast.supervisee)
    with CaptureQueriesContext(connection) as later:
        assert client.get(url).status_code == 200
    assert len(later) == len(first)


def test_an_admin_sets_the_rule_sets_in_a_page(cast):
    client = cast.client_for(cast.admin)
    page = client.post(
        reverse("development-rules"),
        {
            "scheme": "swe_cpd",
            "swe_cpd-records_per_year": "3",
            "swe_cpd-peer_reflected_records": "4",
            "swe_cpd-year_starts_month": "12",
            "swe_cpd-reminders_from_month": "9",
        },
    )
    assert page.status_code == 200
    assert "cannot be more than the records each year" in text(page)
    saved = client.post(
        reverse("development-rules"),
        {
            "scheme": "swe_cpd",
            "swe_cpd-records_per_year": "3",
            "swe_cpd-peer_reflected_records": "1",
            "swe_cpd-year_starts_month": "12",
            "swe_cpd-reminders_from_month": "9",
        },
    )
    assert saved.status_code == 302
    listed = text(client.get(reverse("development-rules")))
    assert "Social Work England CPD rules changed" in listed
    assert cast.client_for(cast.supervisor).get(reverse("development-rules")).status_code == 403
