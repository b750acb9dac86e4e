"""Who has read my records: a supervisee sees every reading of their records by anyone other
than themselves and the record's supervisor, break-glass openings with their reason."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.records import services
from tandem.records.tests.factories import signed_record

REASON = "Grievance raised on 2 March: HR asked for the welfare notes."


def reads_page(cast, who):
    return cast.client_for(getattr(cast, who)).get(reverse("record-reads"))


def test_sue_sees_her_managers_readings_and_the_break_glass_but_not_sams_or_her_own(cast):
    record = signed_record(cast)
    for who in ("supervisee", "supervisor", "manager"):
        assert (
            cast.client_for(getattr(cast, who)).get(reverse("record", args=[record.pk])).status_code
            == 200
        )
    cast.client_for(cast.manager).get(reverse("record-pdf", args=[record.pk]))
    services.welfare_open(record=record, by=cast.head_of_service, reason=REASON)

    page = reads_page(cast, "supervisee")

    rows = page.context["rows"]
    assert [(r["who"], r["what"], r["how"], r["reason"]) for r in rows] == [
        ("Hal Service", "The welfare section, giving a reason", "", REASON),
        ("Mia Manager", "All of it but the welfare section", "As a PDF", ""),
        (
            "Mia Manager",
            "All of it but the welfare section",
            "On screen",
            "",
        ),
    ]
    assert all(r["record"] == record for r in rows)
    body = page.content.decode()
    assert "3 readings, newest first" in body
    assert REASON in body and "Welfare opened" in body
    assert reverse("record", args=[record.pk]) in body


def test_nobody_else_sees_sues_readings(cast):
    record = signed_record(cast)
    cast.client_for(cast.manager).get(reverse("record", args=[record.pk]))
    for who in ("supervisor", "manager", "admin", "outsider"):
        assert reads_page(cast, who).context["rows"] == [], who


def test_with_no_readings_the_page_says_so(cast):
    signed_record(cast)
    page = reads_page(cast, "supervisee")
    assert (
        "Nobody other than you and your supervisor has read your records." in page.content.decode()
    )


def test_the_page_makes_the_same_queries_for_more_readings(cast):
    record = signed_record(cast)
    manager = cast.client_for(cast.manager)
    sue = cast.client_for(cast.supervisee)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert sue.get(reverse("record-reads")).status_code == 200
        return len(captured)

    manager.get(reverse("record", args=[record.pk]))
    few = queries()
    for _ in range(5):
        manager.get(reverse("record", args=[record.pk]))
    assert queries() == few
