"""Inspection evidence packs and inspectors' links, as the people who make them and the
inspectors who read them use them.

Mia manages Assessment Team (Sam supervises Sue there; Mia supervises Sam); Hal heads the
Safeguarding service above it and manages Fostering Team (Cole); Ada oversees the organisation.
Sue is supervised, oversees nothing; Olga is another organisation's admin.
"""

from __future__ import annotations

import datetime
import html
import io
import re
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tandem.core.models import AuditEvent
from tandem.core.tokens import token_hash
from tandem.organisations.models import Team
from tandem.oversight import pack_documents
from tandem.oversight.models import EvidencePack, InspectorAccess
from tandem.oversight.services import packs
from tandem.records import services
from tandem.records.models import Record
from tandem.records.tests.factories import draft_record, write

TODAY = datetime.date(2026, 11, 23)
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))
# Words only the welfare sections hold: nothing of a pack may ever carry them.
WELFARE = "Marmalade sabbatical; grief counselling through occupational health."
WELFARE_WORDS = ("Marmalade", "sabbatical", "counselling")
PERFORMANCE = "Caseload of 17; the Quenby family visit is overdue."
# What a loaded welfare column looks like in SQL: the pack must never select it.
WELFARE_COLUMN = re.compile(r'recordversion"?\."?welfare', re.IGNORECASE)


def _record(
    cast: Any,
    on: datetime.date,
    *,
    supervisor: Any = None,
    supervisee: Any = None,
    to: str = "signed",
) -> Record:
    """A record of a session held on ``on``, with a welfare section; shared, signed by both
    (``to="signed"``) or left a draft."""
    record = draft_record(cast, on=on, supervisor=supervisor, supervisee=supervisee)
    write(record, sections={"performance": PERFORMANCE, "development": "PCF 6."}, welfare=WELFARE)
    record.refresh_from_db()
    if to == "draft":
        return record
    record = services.record_share(
        record=record, by=record.supervisor, version=record.version_number
    )
    if to == "signed":
        services.record_sign(record=record, by=record.supervisor, version=record.version_number)
        record.refresh_from_db()
        services.record_sign(record=record, by=record.supervisee, version=record.version_number)
    record.refresh_from_db()
    return record


def team(name: str) -> Team:
    return Team.objects.get(name=name)


@pytest.fixture
def october(cast: Any) -> dict[str, Any]:
    """Assessment Team's October: three signed records of Sue's, one shared of Sam's, one
    draft; Sue's September record; Cole's October record in Fostering Team."""
    sue = [_record(cast, datetime.date(2026, 10, day)) for day in (5, 12, 19)]
    sam = _record(
        cast,
        datetime.date(2026, 10, 20),
        supervisor=cast.manager,
        supervisee=cast.supervisor,
        to="shared",
    )
    draft = _record(cast, datetime.date(2026, 10, 26), to="draft")
    september = _record(cast, datetime.date(2026, 9, 21))
    cole = _record(
        cast,
        datetime.date(2026, 10, 7),
        supervisor=cast.head_of_service,
        supervisee=cast.colleague,
    )
    return {
        "in_pack": [*sue, sam],
        "draft": draft,
        "september": september,
        "cole": cole,
    }


def make_pack(cast: Any, by: Any = None, unit: str | None = "Assessment Team", **fields: Any):
    arguments: dict[str, Any] = {
        "by": by or cast.manager,
        "unit": team(unit) if unit else None,
        "title": "Ofsted focused visit",
        "inspectorate": "Ofsted",
        "starts_on": OCTOBER[0],
        "ends_on": OCTOBER[1],
        "sample": "random",
        "sample_size": 10,
        "today": TODAY,
    }
    arguments.update(fields)
    return packs.pack_create(**arguments)


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def squash(value: str) -> str:
    return re.sub(r"\s+", "", value)


def assert_no_welfare(value: str) -> None:
    for word in WELFARE_WORDS:
        assert word not in value


def grant(cast: Any, pack: EvidencePack, **fields: Any) -> tuple[InspectorAccess, str]:
    today = fields.pop("today", timezone.localdate())
    arguments: dict[str, Any] = {
        "pack": pack,
        "by": cast.manager,
        "name": "Ivy Inspector",
        "email": "ivy@ofsted.test",
        "expires_on": today + datetime.timedelta(days=7),
        "today": today,
    }
    arguments.update(fields)
    return packs.access_grant(**arguments)


# Making a pack: what it samples and keeps


def test_a_team_pack_samples_only_the_teams_shared_and_signed_records_of_the_period(
    cast: Any, october: dict[str, Any]
) -> None:
    pack = make_pack(cast)

    assert set(pack.records.values_list("pk", flat=True)) == {r.pk for r in october["in_pack"]}
    # The figures kept are the team's in October: five records, three signed by both.
    headline = pack.figures["headline"]
    assert (headline["records"], headline["signed"]) == (5, 3)
    assert pack.figures["unit"] == "Children's Services > Safeguarding > Assessment Team"
    assert len(pack.figures["trend"]) == 12
    assert pack.figures["trend"][-1]["month"] == "2026-10-01"
    # The policy in force: the organisation's rules and record deadline.
    policy = pack.figures["policy"]
    assert policy["record_deadline_working_days"] == cast.organisation.record_deadline_working_days
    nqsw = [r for r in policy["rules"] if r["staff_category"].startswith("Newly qualified")]
    assert [r["frequency"] for r in nqsw] == ["Weekly", "Fortnightly", "Monthly"]
    event = AuditEvent.objects.get(action="oversight.pack.create")
    assert event.object_id == str(pack.pk)
    assert sorted(event.detail["records"]) == sorted(r.pk for r in october["in_pack"])


def test_the_pack_document_and_zip_never_carry_or_load_a_welfare_section(
    cast: Any, october: dict[str, Any]
) -> None:
    pack = make_pack(cast)

    with CaptureQueriesContext(connection) as queries:
        document = pack_documents.pack_html(pack)
        archive = zipfile.ZipFile(io.BytesIO(pack_documents.pack_zip(pack)))
    assert not [q["sql"] for q in queries.captured_queries if WELFARE_COLUMN.search(q["sql"])]

    assert PERFORMANCE in html.unescape(document)
    assert "Sue Supervisee" in document and "Sam Supervisor" in document
    assert "Ofsted focused visit" in document and "Sessions required" in document
    assert_no_welfare(document)
    assert "Cole" not in document

    names = set(archive.namelist())
    expected = {f"records/{r.held_on:%Y-%m-%d}-{r.pk}.pdf" for r in october["in_pack"]}
    assert expected <= names
    assert {"README.txt", "pack.pdf", "figures.csv", "policy.csv"} <= names
    assert len([n for n in names if n.startswith("records/")]) == 4
    readme = archive.read("README.txt").decode()
    assert "Welfare sections are withheld" in readme
    figures = archive.read("figures.csv").decode("utf-8-sig")
    assert "Records signed by both" in figures
    assert "Newly qualified social worker (ASYE)" in archive.read("policy.csv").decode("utf-8-sig")
    first = october["in_pack"][0]
    record_text = squash(pdf_text(archive.read(f"records/{first.held_on:%Y-%m-%d}-{first.pk}.pdf")))
    assert squash(PERFORMANCE) in record_text
    whole = squash(pdf_text(archive.read("pack.pdf")))
    assert squash(PERFORMANCE) in whole
    for word in WELFARE_WORDS:
        assert word not in record_text and word not in whole


def test_a_random_sample_is_the_same_for_the_same_pack(cast: Any, october: dict[str, Any]) -> None:
    more = [_record(cast, datetime.date(2026, 10, day)) for day in (2, 8, 14, 22)]
    pool = {r.pk for r in [*october["in_pack"], *more]}

    pack = make_pack(cast, sample_size=3, seed=1234)
    sampled = set(pack.records.values_list("pk", flat=True))

    assert len(sampled) == 3 and sampled <= pool
    # Drawn again from the pack's own seed, it is the same three; and another pack with the
    # same seed over the same records samples the same.
    assert set(packs.pack_sample_ids(pack)) == sampled
    again = make_pack(cast, sample_size=3, seed=1234)
    assert set(again.records.values_list("pk", flat=True)) == sampled
    assert packs.random_sample(sorted(pool, reverse=True), 3, 1234) == sorted(sampled)


def test_a_seedless_pack_keeps_the_seed_it_drew_with(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast, sample_size=2)
    assert set(packs.pack_sample_ids(pack)) == set(pack.records.values_list("pk", flat=True))


def test_records_chosen_by_the_inspector_are_the_sample(cast: Any, october: dict[str, Any]) -> None:
    chosen = [october["in_pack"][0].pk, october["in_pack"][3].pk]
    pack = make_pack(cast, sample="chosen", record_ids=chosen)
    assert sorted(pack.records.values_list("pk", flat=True)) == sorted(chosen)


def test_chosen_records_outside_the_team_period_or_unshared_are_refused_by_number(
    cast: Any, october: dict[str, Any]
) -> None:
    outside = [october["cole"].pk, october["september"].pk, october["draft"].pk]
    with pytest.raises(ValidationError) as refused:
        make_pack(cast, sample="chosen", record_ids=[october["in_pack"][0].pk, *outside])
    message = " ".join(refused.value.message_dict["record_ids"])
    for pk in outside:
        assert str(pk) in message
    assert str(october["in_pack"][0].pk) not in message.split(":")[-1]
    assert not EvidencePack.objects.exists()


def test_the_new_pack_page_names_the_records_refused(cast: Any, october: dict[str, Any]) -> None:
    client = cast.client_for(cast.manager)
    response = client.post(
        reverse("oversight-pack-new"),
        {
            "title": "Ofsted visit",
            "unit": team("Assessment Team").pk,
            "starts_on": "01/10/2026",
            "ends_on": "31/10/2026",
            "sample": "chosen",
            "record_ids": f"{october['in_pack'][0].pk}, #{october['cole'].pk}",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert f"in the unit: {october['cole'].pk}." in page
    assert 'id="id_record_ids-error"' in page


def test_a_pack_is_made_from_the_page(cast: Any, october: dict[str, Any]) -> None:
    client = cast.client_for(cast.manager)
    page = text(client.get(reverse("oversight-pack-new")))
    assert "Assessment Team" in page
    assert "Fostering Team" not in page and "Whole organisation" not in page

    response = client.post(
        reverse("oversight-pack-new"),
        {
            "title": "CQC evidence",
            "inspectorate": "CQC",
            "unit": team("Assessment Team").pk,
            "starts_on": "01/10/2026",
            "ends_on": "31/10/2026",
            "sample": "random",
            "sample_size": "2",
        },
    )
    pack = EvidencePack.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "oversight-pack", args=[pack.pk]
    )
    assert pack.records.count() == 2 and pack.created_by == cast.manager
    listing = text(client.get(reverse("oversight-packs")))
    assert "CQC evidence" in listing


def test_the_new_pack_form_says_what_is_missing(cast: Any) -> None:
    client = cast.client_for(cast.manager)
    response = client.post(
        reverse("oversight-pack-new"),
        {
            "unit": team("Assessment Team").pk,
            "starts_on": "31/10/2026",
            "ends_on": "1/10/2026",
            "sample": "random",
            "sample_size": "0",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "Enter a title for the pack." in page
    assert "Enter a whole number from 1 to 100." in page

    response = client.post(
        reverse("oversight-pack-new"),
        {
            "title": "Visit",
            "unit": team("Assessment Team").pk,
            "starts_on": "31/10/2026",
            "ends_on": "1/10/2026",
            "sample": "random",
            "sample_size": "5",
        },
    )
    assert response.status_code == 400
    assert "The end of the period must be on or after its start." in text(response)


def test_a_whole_organisation_pack_for_those_who_oversee_it(
    cast: Any, october: dict[str, Any]
) -> None:
    page = text(cast.client_for(cast.director).get(reverse("oversight-pack-new")))
    assert "Whole organisation" in page and "Fostering Team" in page

    pack = make_pack(cast, by=cast.director, unit=None)
    sampled = set(pack.records.values_list("pk", flat=True))
    assert sampled == {r.pk for r in [*october["in_pack"], october["cole"]]}
    assert pack.figures["unit"] == "Whole organisation"


# Who may make and open packs


def test_a_team_manager_cannot_make_a_pack_for_another_team_or_the_organisation(
    cast: Any, october: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as refused:
        make_pack(cast, unit="Fostering Team")
    assert "unit" in refused.value.message_dict
    with pytest.raises(ValidationError):
        make_pack(cast, unit=None)

    client = cast.client_for(cast.manager)
    response = client.post(
        reverse("oversight-pack-new"),
        {
            "title": "Sneaky",
            "unit": team("Fostering Team").pk,
            "starts_on": "01/10/2026",
            "ends_on": "31/10/2026",
            "sample": "random",
            "sample_size": "5",
        },
    )
    assert response.status_code == 400
    assert "Choose a team or service you oversee." in text(response)
    assert not EvidencePack.objects.exists()


def test_only_those_who_oversee_a_packs_unit_can_open_it(
    cast: Any, october: dict[str, Any]
) -> None:
    service_pack = make_pack(
        cast, by=cast.head_of_service, unit="Safeguarding", title="Service pack"
    )
    team_pack = make_pack(cast, title="Team pack")
    access, _raw = grant(cast, team_pack)

    mia = cast.client_for(cast.manager)
    listing = text(mia.get(reverse("oversight-packs")))
    assert "Team pack" in listing and "Service pack" not in listing
    for name in ("oversight-pack", "oversight-pack-pdf", "oversight-pack-zip"):
        assert mia.get(reverse(name, args=[service_pack.pk])).status_code == 404
    assert mia.post(reverse("oversight-pack-access", args=[service_pack.pk]), {}).status_code == 404

    hal = cast.client_for(cast.head_of_service)
    assert hal.get(reverse("oversight-pack", args=[team_pack.pk])).status_code == 200
    assert "Service pack" in text(hal.get(reverse("oversight-packs")))

    # Olga oversees Hillside, and finds nothing of Riverside's; Sue and Cole oversee nothing.
    olga = cast.client_for(cast.outsider)
    response = olga.get(reverse("oversight-packs"))
    assert response.status_code == 200 and "Team pack" not in text(response)
    new_page = text(olga.get(reverse("oversight-pack-new")))
    assert "Assessment Team" not in new_page and "Fostering Team" not in new_page
    for nobody in (cast.supervisee, cast.colleague):
        client = cast.client_for(nobody)
        assert client.get(reverse("oversight-packs")).status_code == 404
        assert client.get(reverse("oversight-pack-new")).status_code == 404
    for outsider in (cast.outsider, cast.supervisee, cast.colleague):
        client = cast.client_for(outsider)
        for name in ("oversight-pack", "oversight-pack-pdf", "oversight-pack-zip"):
            assert client.get(reverse(name, args=[team_pack.pk])).status_code == 404
        grant_url = reverse("oversight-pack-access", args=[team_pack.pk])
        assert client.post(grant_url, {"name": "X", "email": "x@x.test"}).status_code == 404
        revoke_url = reverse("oversight-pack-access-revoke", args=[team_pack.pk, access.pk])
        assert client.post(revoke_url).status_code == 404
    access.refresh_from_db()
    assert access.revoked_at is None
    assert InspectorAccess.objects.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast)
    response = Client().get(reverse("oversight-pack", args=[pack.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


# Inspectors' links


@pytest.mark.dated  # an inspector's link ends on a date counted from today
def test_a_link_lasts_to_the_end_of_its_expiry_date(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast)
    expires = TODAY + datetime.timedelta(days=10)
    access, raw = grant(cast, pack, expires_on=expires, today=TODAY)

    assert packs.access_for_token(raw, today=TODAY) == access
    assert packs.access_for_token(raw, today=expires) == access
    assert packs.access_for_token(raw, today=expires + datetime.timedelta(days=1)) is None
    assert packs.access_for_token("not-a-token", today=TODAY) is None
    access.refresh_from_db()
    assert access.last_used_at is not None
    # Only a hash of the token is kept.
    assert access.token_hash == token_hash(raw) and raw not in access.token_hash


@pytest.mark.dated  # an inspector's link ends on a date counted from today
def test_an_expiry_date_is_from_today_to_90_days_ahead(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast)
    for wrong in (TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=91)):
        with pytest.raises(ValidationError) as refused:
            grant(cast, pack, expires_on=wrong, today=TODAY)
        assert "expires_on" in refused.value.message_dict
    grant(cast, pack, expires_on=TODAY, today=TODAY)
    grant(cast, pack, expires_on=TODAY + datetime.timedelta(days=90), today=TODAY)
    assert InspectorAccess.objects.count() == 2


@pytest.mark.dated  # an inspector's link ends on a date counted from today
def test_a_link_is_granted_shown_once_and_works(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast)
    client = cast.client_for(cast.manager)
    expires = timezone.localdate() + datetime.timedelta(days=14)
    response = client.post(
        reverse("oversight-pack-access", args=[pack.pk]),
        {
            "name": "Ivy Inspector",
            "email": "ivy@ofsted.test",
            "expires_on": expires.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302

    page = text(client.get(reverse("oversight-pack", args=[pack.pk])))
    link = re.search(r'id="new-inspector-link"[^>]*>([^<]+)<', page)
    assert link is not None
    assert "send it securely" in page
    path = link.group(1).split("testserver", 1)[1]
    assert path.startswith("/inspect/")
    # Shown once: the next visit shows the access, not the link.
    again = text(client.get(reverse("oversight-pack", args=[pack.pk])))
    assert path not in again and "Ivy Inspector" in again and "Live" in again

    inspector = Client()
    assert inspector.get(path).status_code == 200
    token = path.split("/")[2]
    event = AuditEvent.objects.get(action="oversight.inspector.grant")
    assert token not in str(event.detail) and token not in event.summary


@pytest.mark.dated  # an inspector's link ends on a date counted from today
def test_the_grant_form_says_what_is_wrong(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast)
    client = cast.client_for(cast.manager)
    too_late = timezone.localdate() + datetime.timedelta(days=120)
    response = client.post(
        reverse("oversight-pack-access", args=[pack.pk]),
        {"name": "", "email": "not an address", "expires_on": too_late.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page
    assert "Enter the inspector's name." in page
    assert "Enter the inspector's email address, like name@example.org." in page

    response = client.post(
        reverse("oversight-pack-access", args=[pack.pk]),
        {"name": "Ivy", "email": "ivy@ofsted.test", "expires_on": too_late.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 400
    assert "at most 90 days ahead" in text(response)
    assert not InspectorAccess.objects.exists()


def test_the_inspector_reads_the_pack_and_its_records_without_welfare(
    cast: Any, october: dict[str, Any]
) -> None:
    pack = make_pack(cast)
    access, raw = grant(cast, pack)
    inspector = Client()

    response = inspector.get(reverse("inspect", args=[raw]))
    assert response.status_code == 200
    page = text(response)
    until = f"{access.expires_on:%-d %B %Y}"
    assert f"Read-only access for Ivy Inspector until {until}" in page
    assert '<meta name="robots" content="noindex' in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "Sessions required" in page and "The policy in force" in page
    first = october["in_pack"][0]
    record_url = reverse("inspect-record", args=[raw, first.pk])
    assert record_url in page

    with CaptureQueriesContext(connection) as queries:
        response = inspector.get(record_url)
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if WELFARE_COLUMN.search(q["sql"])]
    record_page = text(response)
    assert PERFORMANCE in record_page
    assert "is restricted to the supervisee and the supervisor" in record_page
    assert_no_welfare(record_page)

    for name in ("inspect-pdf", "inspect-zip"):
        download = inspector.get(reverse(name, args=[raw]))
        assert download.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert "README.txt" in archive.namelist()


@pytest.mark.dated  # an inspector's link ends on a date counted from today
def test_an_expired_revoked_or_unknown_link_and_other_records_are_not_found(
    cast: Any, october: dict[str, Any]
) -> None:
    pack = make_pack(cast, sample="chosen", record_ids=[october["in_pack"][0].pk])
    other = make_pack(cast, by=cast.head_of_service, unit="Fostering Team", title="Fostering")
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    _expired, expired = grant(cast, pack, expires_on=yesterday, today=yesterday)
    revoked_access, revoked = grant(cast, pack)
    packs.access_revoke(access=revoked_access, by=cast.manager)
    _live, live = grant(cast, pack, expires_on=today, today=today)
    inspector = Client()

    assert inspector.get(reverse("inspect", args=[live])).status_code == 200
    for token in (expired, revoked, "made-up-token"):
        for name in ("inspect", "inspect-pdf", "inspect-zip"):
            assert inspector.get(reverse(name, args=[token])).status_code == 404
        record_url = reverse("inspect-record", args=[token, october["in_pack"][0].pk])
        assert inspector.get(record_url).status_code == 404
    # Records outside this pack, even of the same team, and another pack's records.
    for record in (october["in_pack"][1], october["cole"], october["draft"]):
        url = reverse("inspect-record", args=[live, record.pk])
        assert inspector.get(url).status_code == 404
    assert october["cole"].pk in set(other.records.values_list("pk", flat=True))
    # Inspectors only read: a POST is refused.
    assert inspector.post(reverse("inspect", args=[live])).status_code == 405


def test_revoking_a_link_from_the_pack_page(cast: Any, october: dict[str, Any]) -> None:
    pack = make_pack(cast)
    access, raw = grant(cast, pack)
    client = cast.client_for(cast.manager)
    assert (
        client.get(reverse("oversight-pack-access-revoke", args=[pack.pk, access.pk])).status_code
        == 405
    )

    response = client.post(reverse("oversight-pack-access-revoke", args=[pack.pk, access.pk]))
    assert response.status_code == 302
    page = text(client.get(reverse("oversight-pack", args=[pack.pk])))
    assert "Stopped" in page
    assert Client().get(reverse("inspect", args=[raw])).status_code == 404
    # Another pack's access through this pack's address is not found.
    other = make_pack(cast, title="Second")
    other_access, _ = grant(cast, other)
    wrong = reverse("oversight-pack-access-revoke", args=[pack.pk, other_access.pk])
    assert client.post(wrong).status_code == 404
    other_access.refresh_from_db()
    assert other_access.revoked_at is None


# The audit trail


def test_every_pack_link_download_and_inspector_view_is_audited(
    cast: Any, october: dict[str, Any]
) -> None:
    pack = make_pack(cast)
    access, raw = grant(cast, pack)
    client = cast.client_for(cast.manager)
    assert client.get(reverse("oversight-pack-pdf", args=[pack.pk])).status_code == 200
    assert client.get(reverse("oversight-pack-zip", args=[pack.pk])).status_code == 200
    inspector = Client()
    first = october["in_pack"][0]
    inspector.get(reverse("inspect", args=[raw]))
    inspector.get(reverse("inspect-record", args=[raw, first.pk]))
    inspector.get(reverse("inspect-pdf", args=[raw]))
    packs.access_revoke(access=access, by=cast.manager)

    events = AuditEvent.objects.filter(organisation=cast.organisation)
    assert events.filter(action="oversight.pack.create", object_id=str(pack.pk)).count() == 1
    assert events.filter(action="oversight.inspector.grant", object_id=str(access.pk)).count() == 1
    assert events.filter(action="oversight.inspector.revoke", object_id=str(access.pk)).count() == 1
    downloads = events.filter(action="oversight.pack.download")
    assert sorted(e.detail["format"] for e in downloads) == ["pdf", "zip"]
    assert all(e.actor == cast.manager.user for e in downloads)
    views = events.filter(action="oversight.inspector.view").order_by("at", "id")
    assert [e.detail["what"] for e in views] == ["pack", "record", "pdf"]
    assert all(e.detail["access"] == access.pk and e.actor is None for e in views)
    assert views[1].detail["record"] == first.pk
    for event in events:
        assert raw not in str(event.detail) and raw not in event.summary


# Pages that do not grow with the pack


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_pack_and_inspector_pages_take_the_same_queries_however_many_records(
    cast: Any, october: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    small = make_pack(cast, sample="chosen", record_ids=[october["in_pack"][0].pk])
    grant(cast, small)
    _access, small_raw = grant(cast, small)
    for day in (2, 3, 6, 9, 13, 15):
        _record(cast, datetime.date(2026, 10, day))
    large = make_pack(cast, sample_size=10)
    grant(cast, large, name="Other inspector")
    _access, large_raw = grant(cast, large)
    assert large.records.count() == 10

    client = cast.client_for(cast.manager)
    staff = _count_queries(client, reverse("oversight-pack", args=[small.pk]))
    with django_assert_max_num_queries(staff):
        assert client.get(reverse("oversight-pack", args=[large.pk])).status_code == 200

    inspector = Client()
    inspecting = _count_queries(inspector, reverse("inspect", args=[small_raw]))
    with django_assert_max_num_queries(inspecting):
        assert inspector.get(reverse("inspect", args=[large_raw])).status_code == 200

    listing = _count_queries(client, reverse("oversight-packs"))
    make_pack(cast, title="Third")
    with django_assert_max_num_queries(listing):
        assert client.get(reverse("oversight-packs")).status_code == 200
