"""Who reads what of a record, over HTTP, with the fixed cast.

Sue (supervisee) and Sam (supervisor) read the whole record. Mia (team manager), Hal (head of
service) and Ada (assistant director) are up the chain: they read it without the welfare section,
and may open that by break-glass with a written reason, which Sue sees. Cole (a colleague in
another team), Ann (the admin, not in the chain) and Olga (another organisation) find nothing:
404, never a hint that the record exists. Someone the agreement names reads what it allows.
Every page that shows a record is an audit event.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.agreements.tests.factories import signed_agreement
from tandem.agreements.tests.pages import shows, text
from tandem.core.models import AuditEvent
from tandem.meetings.models import Session
from tandem.meetings.tests.test_sessions import line_of
from tandem.records import services
from tandem.records.models import Record, RecordViewer, WelfareAccess
from tandem.records.tests.factories import held_session, shared_record, write

WELFARE = "Feeling stretched; annual leave booked for May."
PERFORMANCE = "Caseload of 18; two visits overdue."
RESTRICTED = "Restricted: welfare and support"
PARTIES = ["supervisee", "supervisor"]
CHAIN = ["manager", "head_of_service", "director"]
STRANGERS = ["colleague", "admin", "outsider"]


def views_by(person: Any) -> int:
    return AuditEvent.objects.filter(action="record.view", actor=person.user).count()


def last_view_parts(person: Any) -> list[str]:
    event = AuditEvent.objects.filter(action="record.view", actor=person.user).first()
    assert event is not None
    return list(event.detail["parts"])


@pytest.mark.parametrize("who", PARTIES + CHAIN + STRANGERS)
def test_the_record_page_at_each_level(cast, who):
    record = shared_record(cast)
    person = getattr(cast, who)
    before = views_by(person)

    page = cast.client_for(person).get(reverse("record", args=[record.pk]))

    if who in STRANGERS:
        assert page.status_code == 404
        assert "Sue Supervisee" not in text(page) and PERFORMANCE not in text(page)
        assert views_by(person) == before
        return
    assert page.status_code == 200
    assert shows(page, PERFORMANCE)
    assert views_by(person) == before + 1
    if who in PARTIES:
        assert shows(page, WELFARE) and not shows(page, RESTRICTED)
        assert "welfare" in last_view_parts(person)
    else:
        assert WELFARE not in text(page) and "annual leave booked" not in text(page)
        assert shows(page, RESTRICTED)
        assert f'href="{reverse("record-welfare", args=[record.pk])}"' in text(page)
        assert "welfare" not in last_view_parts(person)
        assert not shows(page, "Sign version")


@pytest.mark.parametrize("who", PARTIES + CHAIN + STRANGERS)
def test_the_versions_page_at_each_level(cast, who):
    record = shared_record(cast)
    person = getattr(cast, who)
    client = cast.client_for(person)
    before = views_by(person)

    listing = client.get(reverse("record-versions", args=[record.pk]))
    older = client.get(reverse("record-versions", args=[record.pk]), {"number": 2})

    if who in STRANGERS:
        assert listing.status_code == older.status_code == 404
        assert "Sue Supervisee" not in text(listing)
        assert views_by(person) == before
        return
    assert listing.status_code == older.status_code == 200
    assert shows(listing, "Version 2") and shows(listing, "Version 1")
    assert views_by(person) == before + 2
    if who in PARTIES:
        assert shows(older, WELFARE) and shows(older, PERFORMANCE)
    else:
        assert WELFARE not in text(older) and PERFORMANCE not in text(older)
        assert shows(older, "Only the supervisor and the supervisee open earlier versions.")


@pytest.mark.parametrize("who", PARTIES + CHAIN + STRANGERS)
def test_the_writing_page_at_each_level(cast, who):
    record = shared_record(cast)
    person = getattr(cast, who)
    client = cast.client_for(person)
    before = views_by(person)

    page = client.get(reverse("record-write", args=[record.pk]))

    if who in PARTIES:
        assert page.status_code == 200
        assert shows(page, WELFARE) and shows(page, PERFORMANCE)
        assert views_by(person) == before + 1
    elif who in CHAIN:
        assert page.status_code == 302 and page.url == reverse("record", args=[record.pk])
        assert views_by(person) == before
    else:
        assert page.status_code == 404
        assert "Sue Supervisee" not in text(page)


def test_break_glass_opens_the_welfare_section_and_the_supervisee_sees_it(cast):
    record = shared_record(cast)
    mia, sue = cast.client_for(cast.manager), cast.client_for(cast.supervisee)
    url = reverse("record-welfare", args=[record.pk])
    form = mia.get(url)
    assert form.status_code == 200
    assert shows(form, "shown to Sue Supervisee, who is told at once")
    assert WELFARE not in text(form)

    short = mia.post(url, {"reason": "because"})
    assert shows(short, "at least 10 characters")
    assert not WelfareAccess.objects.exists()

    opened = mia.post(url, {"reason": "A grievance was raised on 3 May."})

    assert opened.status_code == 302 and opened.url.endswith("#welfare")
    page = mia.get(reverse("record", args=[record.pk]))
    assert shows(page, WELFARE) and not shows(page, RESTRICTED)
    assert shows(page, "It is open to you until")
    assert "welfare" in last_view_parts(cast.manager)
    assert AuditEvent.objects.filter(action="record.welfare_break_glass").count() == 1
    access = WelfareAccess.objects.get()
    opened_at = timezone.localtime(access.opened_at)
    log = (
        f"Mia Manager opened the welfare section on {opened_at:%-d %B %Y} at "
        f"{opened_at:%H:%M}. Reason: A grievance was raised on 3 May."
    )
    assert shows(sue.get(reverse("record", args=[record.pk])), log)
    assert shows(cast.client_for(cast.supervisor).get(reverse("record", args=[record.pk])), log)
    # Hal has not opened it: he still reads the record without it.
    hal_page = cast.client_for(cast.head_of_service).get(reverse("record", args=[record.pk]))
    assert WELFARE not in text(hal_page)
    # The opening lapses: the welfare section is closed again until a new reason is given.
    WelfareAccess.objects.filter(pk=access.pk).update(expires_at=opened_at)
    assert WELFARE not in text(mia.get(reverse("record", args=[record.pk])))


def test_break_glass_is_only_for_managers_up_the_chain(cast):
    record = shared_record(cast)
    url = reverse("record-welfare", args=[record.pk])
    for who in PARTIES:
        response = cast.client_for(getattr(cast, who)).get(url)
        assert response.status_code == 302, who
        assert response.url == reverse("record", args=[record.pk]) + "#welfare"
    for who in STRANGERS:
        client = cast.client_for(getattr(cast, who))
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"reason": "I would like to read it"}).status_code == 404
    assert not WelfareAccess.objects.exists()


def record_with_agreement(cast: Any) -> Record:
    """A shared record of Sam and Sue's session under their signed agreement, with a case."""
    agreement = signed_agreement(line_of(cast.supervisee))
    session = held_session(cast)
    Session.objects.filter(pk=session.pk).update(agreement=agreement)
    record = services.record_start(session=Session.objects.get(pk=session.pk), by=None)
    assert record is not None and record.agreement_id == agreement.pk
    write(
        record,
        cases=[
            {
                "case_reference": "CF-204981",
                "label": "Strategy meeting",
                "discussion": "Whether to hold a second meeting.",
                "decision": "Hold it this week.",
                "rationale": "New information from the school.",
            }
        ],
    )
    record.refresh_from_db()
    return services.record_share(record=record, by=cast.supervisor, version=2)


def test_a_named_viewer_reads_what_the_agreement_allows(cast):
    record = record_with_agreement(cast)
    cole = cast.client_for(cast.colleague)
    url = reverse("record", args=[record.pk])
    assert cole.get(url).status_code == 404
    viewer = services.record_viewer_add(
        agreement=record.agreement, person=cast.colleague, scope="cases", by=cast.supervisee
    )

    cases_only = cole.get(url)

    assert cases_only.status_code == 200
    assert shows(cases_only, "Hold it this week.") and shows(cases_only, "CF-204981")
    assert PERFORMANCE not in text(cases_only) and WELFARE not in text(cases_only)
    assert not shows(cases_only, RESTRICTED)
    assert last_view_parts(cast.colleague) == ["cases"]
    assert cole.get(reverse("record-write", args=[record.pk])).status_code == 302
    assert cole.get(reverse("record-welfare", args=[record.pk])).status_code == 404
    assert cole.get(reverse("records")).status_code == 200
    assert url in text(cole.get(reverse("records")))

    RecordViewer.objects.filter(pk=viewer.pk).update(scope="without_welfare")
    without_welfare = cole.get(url)

    assert shows(without_welfare, PERFORMANCE) and shows(without_welfare, "Hold it this week.")
    assert WELFARE not in text(without_welfare) and shows(without_welfare, RESTRICTED)
    # Named, not a manager: no way in to the welfare section.
    assert f'href="{reverse("record-welfare", args=[record.pk])}"' not in text(without_welfare)
    assert cole.get(reverse("record-welfare", args=[record.pk])).status_code == 404


def test_the_person_a_disagreement_goes_to_reads_it_without_the_welfare_section(cast):
    record = shared_record(cast)
    disagreement = services.disagreement_raise(record=record, by=cast.supervisee, text="No.")
    assert disagreement.routed_to == cast.manager
    page = cast.client_for(cast.manager).get(reverse("disagreement", args=[disagreement.pk]))
    assert page.status_code == 200 and shows(page, "Record the resolution")
    for who in STRANGERS:
        response = cast.client_for(getattr(cast, who)).get(
            reverse("disagreement", args=[disagreement.pk])
        )
        assert response.status_code == 404, who
        assert "Sue Supervisee" not in text(response)


def test_no_record_page_fails_or_lets_a_stranger_in(cast):
    """Every page of this module, GET and an empty POST, for everyone in the cast: a page, a
    redirect, a refusal or "not found", never a failure; strangers always "not found"."""
    record = shared_record(cast)
    services.addendum_add(record=record, by=cast.supervisor, text="A correction.")
    disagreement = services.disagreement_raise(record=record, by=cast.supervisee, text="No.")
    urls = [reverse("records"), reverse("disagreements")]
    urls += [
        reverse(name, args=[record.pk])
        for name in (
            "record",
            "record-write",
            "record-autosave",
            "record-share",
            "record-sign",
            "record-versions",
            "record-addendum",
            "record-disagree",
            "record-welfare",
        )
    ]
    own = [
        *urls[2:],
        reverse("record-addendum-sign", args=[record.pk, 1]),
        reverse("session-record", args=[record.session_id]),
        reverse("disagreement", args=[disagreement.pk]),
    ]
    before = (record.version_number, record.status)
    for who in PARTIES + CHAIN + STRANGERS:
        client = cast.client_for(getattr(cast, who))
        for url in [*urls[:2], *own]:
            for response in (client.get(url), client.post(url, {})):
                assert response.status_code in (200, 302, 403, 404, 405), (who, url)
                if who in STRANGERS and url in own and response.status_code != 405:
                    assert response.status_code == 404, (who, url, response.status_code)
                    assert "Sue Supervisee" not in text(response)
    record.refresh_from_db()
    assert (record.version_number, record.status) == before
