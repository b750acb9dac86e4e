"""The agreement pages as people use them, through the test client.

Sue (NQSW, on day 83 of her ASYE: the policy for her is fortnightly, 90 minutes or more) is
supervised by Sam; Mia manages their team and supervises Sam; Hal and Ada are above Mia; Cole is
in another team; Ann is Riverside's admin; Olga is the admin of Hillside, another organisation.
Most agreements here are made from the built-in school template, whose duration field allows 30
to 120 minutes and whose frequency, location and duration are required.
"""

from __future__ import annotations

import datetime
import html
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.agreements import services
from tandem.agreements.models import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplateVersion,
    AgreementVersion,
)
from tandem.agreements.tests.factories import AgreementTemplateFactory, signed_agreement
from tandem.agreements.tests.pages import form_data, shows, text
from tandem.organisations.models import StaffCategory, SupervisionRelationship
from tandem.organisations.services import relationship_start
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory

pytestmark = pytest.mark.dated

SCHOOL = "school-staff-supervision-agreement"
COUNCIL = "council-supervision-contract"

# What Sue and Sam agree, as the school template's form posts it: within the policy for Sue.
FILLED_IN = {
    "frequency": "fortnightly",
    "location": "The quiet room, Riverside House",
    "duration__min": "90",
    "duration__max": "120",
    "ad_hoc_availability": "Tuesday afternoons, by phone",
    "agenda_process": "We share an agenda two days before",
    "purpose": "Reflection on practice and workload",
}
# The same answers as stored.
RESPONSES: dict[str, Any] = {
    "frequency": "fortnightly",
    "location": "The quiet room, Riverside House",
    "duration": {"min": 90, "max": 120},
    "ad_hoc_availability": "Tuesday afternoons, by phone",
}


@pytest.fixture(autouse=True)
def sue_on_day_83_of_her_asye(cast: Any) -> None:
    """The policy the pages apply is today's: Sue is on day 83 of her ASYE whatever day it is
    (the cast's fixed ASYE start would make her monthly from March 2027)."""
    cast.supervisee.asye_start = timezone.localdate() - datetime.timedelta(days=83)
    cast.supervisee.save(update_fields=["asye_start"])


# Reading pages


def link(url: str) -> str:
    return f'href="{url}"'


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


# The cast's agreements


def builtin(slug: str) -> AgreementTemplateVersion:
    version = (
        AgreementTemplateVersion.objects.filter(
            template__organisation__isnull=True, template__slug=slug
        )
        .order_by("-number")
        .first()
    )
    assert version is not None
    return version


def line_of(person: Any) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=person, kind="line", ends_on=None)


def started(cast: Any, slug: str = SCHOOL) -> Agreement:
    """Sue's draft agreement with Sam, from a built-in template, with the policy's defaults."""
    return services.agreement_start(
        relationship=line_of(cast.supervisee),
        template_version=builtin(slug),
        by=cast.supervisee,
    )


def filled_in(cast: Any) -> Agreement:
    agreement = started(cast)
    services.agreement_save(agreement=agreement, responses=RESPONSES, by=cast.supervisee)
    return agreement


def signed(cast: Any) -> Agreement:
    return signed_agreement(
        line_of(cast.supervisee), template_version=builtin(SCHOOL), responses=RESPONSES
    )


def current(agreement: Agreement) -> AgreementVersion:
    return services.current_version(agreement)


def sign_as(client: Client, agreement: Agreement) -> Any:
    """Open the sign page, tick the box and sign, as a person would."""
    page = client.get(reverse("agreement-sign", args=[agreement.pk]))
    assert page.status_code == 200
    return client.post(
        reverse("agreement-sign", args=[agreement.pk]), {**form_data(page), "confirm": "on"}
    )


def save_as(client: Client, agreement: Agreement, **changes: str) -> Any:
    """Open the edit page, change some answers and save, as a person would."""
    page = client.get(reverse("agreement-edit", args=[agreement.pk]))
    assert page.status_code == 200
    return client.post(
        reverse("agreement-edit", args=[agreement.pk]), {**form_data(page), **changes}
    )


def long_date(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"


# My supervision


def test_my_supervision_offers_to_start_then_opens_the_agreement(cast):
    sam, sue = cast.client_for(cast.supervisor), cast.client_for(cast.supervisee)
    start_url = reverse("agreement-start", args=[line_of(cast.supervisee).pk])

    for client in (sam, sue):
        page = client.get("/")
        assert page.status_code == 200
        assert "Start an agreement" in text(page)
        assert link(start_url) in text(page)

    agreement = started(cast)
    for client in (sam, sue):
        page = client.get("/")
        assert link(start_url) not in text(page)
        assert link(reverse("agreement", args=[agreement.pk])) in text(page)
        assert ">Open<" in text(page)
        assert 'govuk-tag govuk-tag--blue">Draft<' in text(page)

    services.agreement_save(agreement=agreement, responses=RESPONSES, by=cast.supervisee)
    services.agreement_sign(
        agreement=agreement, person=cast.supervisee, content_hash=current(agreement).content_hash
    )
    for client in (sam, sue):
        assert "Awaiting signatures" in text(client.get("/"))


# Starting


def test_start_page_offers_the_built_in_templates_and_the_organisations_own(cast):
    own = AgreementTemplateFactory(organisation=cast.organisation, name="Riverside supervision")
    theirs = AgreementTemplateFactory(
        organisation=cast.other_organisation, name="Hillside supervision"
    )
    page = cast.client_for(cast.supervisor).get(
        reverse("agreement-start", args=[line_of(cast.supervisee).pk])
    )
    assert page.status_code == 200
    assert shows(page, builtin(SCHOOL).template.name)
    assert shows(page, builtin(COUNCIL).template.name)
    assert shows(page, own.name)
    assert not shows(page, theirs.name)
    offered = {str(v.pk) for v in (builtin(SCHOOL), builtin(COUNCIL), own.versions.get())}
    assert all(f'value="{pk}"' in text(page) for pk in offered)


def test_starting_from_the_school_template_leads_to_the_edit_page(cast):
    url = reverse("agreement-start", args=[line_of(cast.supervisee).pk])
    response = cast.client_for(cast.supervisor).post(url, {"template_version": builtin(SCHOOL).pk})
    agreement = Agreement.objects.get(supervisee=cast.supervisee)
    assert response.status_code == 302
    assert response.url == reverse("agreement-edit", args=[agreement.pk])
    assert agreement.template_version == builtin(SCHOOL)
    assert agreement.supervisor == cast.supervisor
    assert agreement.status == AgreementStatus.DRAFT
    # The policy for Sue is filled in to start with.
    # Sue is an NQSW: the agreement follows the policy as it changes with her time in post.
    assert current(agreement).responses["frequency"] == "as_policy"
    assert current(agreement).frequency == ""
    assert current(agreement).duration_min_minutes == 90


def test_starting_without_choosing_a_template_says_so(cast):
    url = reverse("agreement-start", args=[line_of(cast.supervisee).pk])
    response = cast.client_for(cast.supervisor).post(url, {})
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "govuk-error-message" in text(response)
    assert "template_version" in response.context["form"].errors
    assert not Agreement.objects.exists()


def test_starting_when_there_is_an_agreement_opens_it(cast):
    agreement = started(cast)
    url = reverse("agreement-start", args=[line_of(cast.supervisee).pk])
    for client in (cast.client_for(cast.supervisee), cast.client_for(cast.supervisor)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("agreement", args=[agreement.pk])
        response = client.post(url, {"template_version": builtin(COUNCIL).pk})
        assert response.url == reverse("agreement", args=[agreement.pk])
    assert Agreement.objects.count() == 1


@pytest.mark.parametrize(
    ("who", "status"), [("colleague", 403), ("manager", 403), ("outsider", 404)]
)
def test_only_the_two_parties_start_their_agreement(cast, who, status):
    url = reverse("agreement-start", args=[line_of(cast.supervisee).pk])
    client = cast.client_for(getattr(cast, who))
    assert client.get(url).status_code == status
    assert client.post(url, {"template_version": builtin(SCHOOL).pk}).status_code == status
    assert not Agreement.objects.exists()


# Filling in


def test_edit_page_shows_every_heading_and_label_of_the_school_template(cast):
    agreement = started(cast)
    page = cast.client_for(cast.supervisee).get(reverse("agreement-edit", args=[agreement.pk]))
    assert page.status_code == 200
    content = builtin(SCHOOL).content
    assert shows(page, content["title"])
    for section in content["sections"]:
        if section["heading"]:
            assert shows(page, section["heading"]), section["heading"]
        for field in section["fields"]:
            assert shows(page, field["label"]), field["label"]
    # The parties are filled in by Tandem, and the policy's defaults are already chosen.
    assert "Sue Supervisee" in text(page) and "Sam Supervisor" in text(page)
    data = form_data(page)
    assert data["frequency"] == "as_policy"
    assert data["duration__min"] == "90"


def test_a_valid_answer_is_saved(cast):
    agreement = started(cast)
    client = cast.client_for(cast.supervisor)
    response = save_as(client, agreement, **FILLED_IN)
    assert response.status_code == 302
    assert response.url == reverse("agreement", args=[agreement.pk])
    version = current(agreement)
    assert version.number == 1
    assert version.location == FILLED_IN["location"]
    assert (version.duration_min_minutes, version.duration_max_minutes) == (90, 120)
    assert version.responses["purpose"] == FILLED_IN["purpose"]
    page = client.get(response.url)
    assert "Agreement saved. When you have both read it, sign it." in messages_of(page)
    assert shows(page, FILLED_IN["location"])
    assert shows(page, FILLED_IN["purpose"])


def _refused(cast: Any, agreement: Agreement, changes: dict[str, str]) -> Any:
    """Post the filled-in form with these changes: the page comes back, the form keeps every
    other answer typed, and nothing is saved."""
    before = (current(agreement).responses, current(agreement).content_hash)
    posted = {**FILLED_IN, **changes}
    response = save_as(cast.client_for(cast.supervisee), agreement, **posted)
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert "There is a problem" in text(response)
    shown = form_data(response)
    for name, value in posted.items():
        if name not in changes:
            assert shown[name] == value, name
    version = current(agreement)
    assert (version.responses, version.content_hash) == before
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 1
    return response


def test_a_duration_below_the_fields_minimum_is_refused(cast):
    response = _refused(cast, started(cast), {"duration__min": "10"})
    assert "Ensure this value is greater than or equal to 30." in text(response)
    assert 'class="govuk-input govuk-input--width-4 govuk-input--error"' in text(response)
    assert form_data(response)["duration__min"] == "10"


def test_an_empty_required_field_is_refused(cast):
    response = _refused(cast, started(cast), {"location": ""})
    assert 'id="id_location-error"' in text(response)
    assert "This field is required." in text(response)
    assert '<a href="#id_location">This field is required.</a>' in text(response)


def test_a_frequency_below_the_organisations_policy_is_refused(cast):
    response = _refused(cast, started(cast), {"frequency": "termly"})
    body = html.unescape(text(response))
    assert "need supervision at least fortnightly" in body
    assert "Choose fortnightly or more often." in body
    assert 'id="id_frequency-error"' in text(response)
    # What was chosen is still chosen, to change.
    assert form_data(response)["frequency"] == "termly"


def test_a_session_shorter_than_the_policy_is_refused(cast):
    response = _refused(cast, started(cast), {"duration__min": "60", "duration__max": "60"})
    assert "at least 90 minutes" in html.unescape(text(response))


def test_longest_shorter_than_shortest_is_refused(cast):
    response = _refused(cast, started(cast), {"duration__min": "100", "duration__max": "95"})
    assert "The longest must be at least the shortest." in text(response)
    assert form_data(response)["duration__max"] == "95"


COUNCIL_FILLED_IN = {
    "frequency": "weekly",
    "duration__min": "90",
    "duration__max": "150",
    "location": "Room 4, the annexe",
    "recording__recorder": "supervisor",
    "recording__method": "Typed up within two days",
    "cancellation__days": "5",
    "cancellation__terms": "Only for illness or a crisis",
    "confidentiality_exceptions": ["safeguarding", "conduct"],
    "meeting_dates__0__0": "December",
    "meeting_dates__0__1": "2026-12-07",
    "meeting_dates__1__0": "January",
    "meeting_dates__1__1": "2027-01-04",
}


def test_the_council_forms_tables_choices_and_checkboxes_round_trip(cast):
    agreement = started(cast, COUNCIL)
    sue, sam = cast.client_for(cast.supervisee), cast.client_for(cast.supervisor)
    page = sue.get(reverse("agreement-edit", args=[agreement.pk]))
    # The escalation route is shown from the hierarchy, not typed in.
    assert "Mia Manager" in text(page)

    # A duration over the field's maximum (240) is refused, and nothing typed is lost.
    response = save_as(sue, agreement, **{**COUNCIL_FILLED_IN, "duration__max": "300"})
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 240." in text(response)
    shown = form_data(response)
    for name, value in COUNCIL_FILLED_IN.items():
        if name != "duration__max":
            assert shown[name] == value, name
    assert current(agreement).location == ""

    response = save_as(sue, agreement, **COUNCIL_FILLED_IN)
    assert response.status_code == 302
    version = current(agreement)
    assert version.recorder == "supervisor"
    assert version.rebook_within_working_days == 5
    assert version.confidentiality_exceptions == ["safeguarding", "conduct"]
    assert version.responses["meeting_dates"] == [
        ["December", "2026-12-07"],
        ["January", "2027-01-04"],
    ]
    page = sue.get(reverse("agreement", args=[agreement.pk]))
    assert "7 December 2026" in text(page)
    assert "Safeguarding" in text(page) and "Conduct" in text(page)

    # What the page shows is what is stored: saving it again, unchanged, after both signed,
    # makes no new version.
    assert sign_as(sue, agreement).status_code == 302
    assert sign_as(sam, agreement).status_code == 302
    assert save_as(sam, agreement).status_code == 302
    assert agreement.versions.count() == 1
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE


# Signing


def test_sign_page_shows_the_document_and_asks_to_confirm(cast):
    agreement = filled_in(cast)
    page = cast.client_for(cast.supervisee).get(reverse("agreement-sign", args=[agreement.pk]))
    assert page.status_code == 200
    assert "Practical Arrangements" in text(page)
    assert shows(page, RESPONSES["location"])
    assert shows(page, RESPONSES["ad_hoc_availability"])
    assert 'name="confirm" type="checkbox"' in text(page)
    assert form_data(page)["content_hash"] == current(agreement).content_hash


def test_signing_without_confirming_is_refused(cast):
    agreement = filled_in(cast)
    response = cast.client_for(cast.supervisee).post(
        reverse("agreement-sign", args=[agreement.pk]),
        {"content_hash": current(agreement).content_hash},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert shows(response, "Confirm that you have read this version and agree to it.")
    # Posting nothing at all is refused too.
    response = cast.client_for(cast.supervisee).post(
        reverse("agreement-sign", args=[agreement.pk]), {}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in text(response)
    assert not AgreementSignature.objects.exists()


def test_both_sign_and_the_agreement_is_active_for_a_year(cast):
    agreement = filled_in(cast)
    sue, sam = cast.client_for(cast.supervisee), cast.client_for(cast.supervisor)

    response = sign_as(sue, agreement)
    assert response.status_code == 302
    assert response.url == reverse("agreement", args=[agreement.pk])
    page = sue.get(response.url)
    assert (
        "Signed. The agreement becomes active when the other person signs it too."
        in messages_of(page)
    )
    assert 'govuk-tag--yellow">Awaiting signatures<' in text(page)
    assert "Signed by Sue Supervisee (Supervisee)" in text(page)
    # Sue has signed: she is no longer asked to; Sam is.
    assert "Read and sign" not in text(page)
    assert "Read and sign" in text(sam.get(response.url))

    response = sign_as(sam, agreement)
    assert response.status_code == 302
    page = sam.get(response.url)
    assert "Signed. The agreement is now active." in messages_of(page)
    assert 'govuk-tag--green">Active<' in text(page)
    due = timezone.localdate() + relativedelta(months=cast.organisation.agreement_review_months)
    assert cast.organisation.agreement_review_months == 12
    assert long_date(due) in text(page)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.review_due_on == due
    assert agreement.signed_on == timezone.localdate()


def test_signing_a_version_that_changed_after_it_was_opened_is_refused(cast):
    agreement = filled_in(cast)
    sue, sam = cast.client_for(cast.supervisee), cast.client_for(cast.supervisor)
    opened = sue.get(reverse("agreement-sign", args=[agreement.pk]))
    read = form_data(opened)

    # Sam changes the location while Sue reads.
    assert save_as(sam, agreement, location="The library, upstairs").status_code == 302
    new_hash = current(agreement).content_hash
    assert new_hash != read["content_hash"]

    response = sue.post(reverse("agreement-sign", args=[agreement.pk]), {**read, "confirm": "on"})
    assert response.status_code == 200
    assert "The agreement changed after you opened it." in text(response)
    # The page shows the version as it is now, to read and sign.
    assert "The library, upstairs" in text(response)
    assert form_data(response)["content_hash"] == new_hash
    assert not AgreementSignature.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT

    # Signing the version now shown works.
    response = sue.post(
        reverse("agreement-sign", args=[agreement.pk]), {**form_data(response), "confirm": "on"}
    )
    assert response.status_code == 302
    assert AgreementSignature.objects.get().content_hash == new_hash


def test_a_third_person_cannot_sign(cast):
    agreement = filled_in(cast)
    mia = cast.client_for(cast.manager)
    url = reverse("agreement-sign", args=[agreement.pk])
    assert mia.get(url).status_code == 403
    response = mia.post(url, {"content_hash": current(agreement).content_hash, "confirm": "on"})
    assert response.status_code == 403
    assert not AgreementSignature.objects.exists()


def test_changing_a_signed_agreement_makes_a_new_version(cast):
    agreement = signed(cast)
    sue = cast.client_for(cast.supervisee)
    page = sue.get(reverse("agreement-edit", args=[agreement.pk]))
    assert "govuk-warning-text" in text(page)
    assert "Saving a change makes a new version that you both need to sign again" in text(page)

    # Saving it unchanged changes nothing.
    assert save_as(sue, agreement).status_code == 302
    assert agreement.versions.count() == 1

    response = save_as(sue, agreement, location="The library, upstairs")
    assert response.status_code == 302
    page = sue.get(response.url)
    assert "Agreement saved as a new version: you both need to sign it again." in messages_of(page)
    assert agreement.versions.count() == 2
    assert current(agreement).number == 2
    assert current(agreement).location == "The library, upstairs"
    assert not current(agreement).signatures.exists()
    assert agreement.versions.get(number=1).location == RESPONSES["location"]
    assert "Earlier versions" in text(page)
    assert "Version 1, " in text(page)
    assert "signed by Sue Supervisee on" in text(page)
    assert 'govuk-tag--blue">Draft<' in text(page)
    assert "Read and sign" in text(page)


# Review


def test_a_new_supervisor_reviews_the_agreement_as_a_new_one(cast):
    old = signed(cast)
    relationship_start(
        supervisee=cast.supervisee, supervisor=cast.manager, starts_on=timezone.localdate()
    )
    sue, mia = cast.client_for(cast.supervisee), cast.client_for(cast.manager)

    page = sue.get(reverse("agreement", args=[old.pk]))
    assert 'govuk-tag--orange">Due for review<' in text(page)
    assert "The supervisor changed" in text(page)
    assert "Review the agreement" in text(page)

    response = sue.post(reverse("agreement-review", args=[old.pk]))
    new = Agreement.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("agreement-edit", args=[new.pk])
    assert (new.supervisee, new.supervisor, new.status) == (
        cast.supervisee,
        cast.manager,
        AgreementStatus.DRAFT,
    )
    assert current(new).responses == current(old).responses
    page = mia.get(response.url)
    assert page.status_code == 200
    assert "Mia Manager" in text(page)
    assert form_data(page)["location"] == RESPONSES["location"]

    assert sign_as(sue, new).status_code == 302
    assert sign_as(mia, new).status_code == 302
    new.refresh_from_db()
    assert new.status == AgreementStatus.ACTIVE

    page = sue.get(reverse("agreement", args=[old.pk]))
    assert 'govuk-tag--grey">Superseded<' in text(page)
    assert link(reverse("agreement", args=[new.pk])) in text(page)
    assert "a newer agreement" in text(page)
    # The old one is kept as signed: nobody changes or signs it any more.
    assert "Read and sign" not in text(page)
    assert reverse("agreement-edit", args=[old.pk]) not in text(page)


# Who sees what


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
def test_who_sees_the_agreement(cast, who, status):
    agreement = filled_in(cast)
    response = cast.client_for(getattr(cast, who)).get(reverse("agreement", args=[agreement.pk]))
    assert response.status_code == status
    if status != 200:
        return
    assert shows(response, RESPONSES["location"])
    edit_url = reverse("agreement-edit", args=[agreement.pk])
    if who in ("supervisee", "supervisor"):
        assert "Read and sign" in text(response)
        assert "Fill in or change" in text(response)
    else:
        # Read only.
        assert "Read and sign" not in text(response)
        assert "Fill in or change" not in text(response)
        assert edit_url not in text(response)


@pytest.mark.parametrize(
    ("who", "status"),
    [("supervisee", 200), ("supervisor", 200), ("manager", 403), ("admin", 403), ("outsider", 404)],
)
def test_who_fills_in_the_agreement(cast, who, status):
    agreement = filled_in(cast)
    client = cast.client_for(getattr(cast, who))
    url = reverse("agreement-edit", args=[agreement.pk])
    assert client.get(url).status_code == status
    response = client.post(url, {**FILLED_IN, "location": "Somewhere else"})
    assert response.status_code == (302 if status == 200 else status)
    expected = "Somewhere else" if status == 200 else RESPONSES["location"]
    assert current(agreement).location == expected


# Print and PDF


def test_print_page(cast):
    agreement = filled_in(cast)
    page = cast.client_for(cast.manager).get(reverse("agreement-print", args=[agreement.pk]))
    assert page.status_code == 200
    assert "<h1>Staff Supervision Agreement</h1>" in text(page)
    assert "Sue Supervisee" in text(page) and "Sam Supervisor" in text(page)
    assert shows(page, RESPONSES["location"])


def test_pdf(cast):
    agreement = filled_in(cast)
    response = cast.client_for(cast.supervisee).get(reverse("agreement-pdf", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(("who", "status"), [("colleague", 403), ("outsider", 404)])
def test_print_and_pdf_are_for_those_who_may_read(cast, who, status):
    agreement = filled_in(cast)
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("agreement-print", args=[agreement.pk])).status_code == status
    assert client.get(reverse("agreement-pdf", args=[agreement.pk])).status_code == status


# The list of agreements


def _three_agreements(cast: Any) -> tuple[Agreement, Agreement, Agreement]:
    """Sue's (active), Sam's with Mia (draft) and Cole's with Hal (draft)."""
    sues = signed(cast)
    sams = services.agreement_start(
        relationship=line_of(cast.supervisor), template_version=builtin(SCHOOL), by=cast.manager
    )
    coles = services.agreement_start(
        relationship=line_of(cast.colleague),
        template_version=builtin(COUNCIL),
        by=cast.colleague,
    )
    return sues, sams, coles


def test_the_list_shows_each_their_own(cast):
    sues, sams, coles = _three_agreements(cast)
    urls = {a.pk: link(reverse("agreement", args=[a.pk])) for a in (sues, sams, coles)}

    page = cast.client_for(cast.supervisee).get(reverse("agreements"))
    assert page.status_code == 200
    assert urls[sues.pk] in text(page)
    assert urls[sams.pk] not in text(page) and urls[coles.pk] not in text(page)

    # Mia manages the team: Sue's and Sam's, not Cole's in another team.
    page = cast.client_for(cast.manager).get(reverse("agreements"))
    assert urls[sues.pk] in text(page) and urls[sams.pk] in text(page)
    assert urls[coles.pk] not in text(page)

    page = cast.client_for(cast.admin).get(reverse("agreements"))
    assert all(url in text(page) for url in urls.values())
    assert "3 agreements" in text(page)

    page = cast.client_for(cast.admin).get(reverse("agreements"), {"status": "draft"})
    assert urls[sams.pk] in text(page) and urls[coles.pk] in text(page)
    assert urls[sues.pk] not in text(page)
    assert '<option value="draft" selected>' in text(page)

    page = cast.client_for(cast.admin).get(reverse("agreements"), {"status": "active"})
    assert urls[sues.pk] in text(page)
    assert urls[sams.pk] not in text(page) and urls[coles.pk] not in text(page)

    page = cast.client_for(cast.outsider).get(reverse("agreements"))
    assert page.status_code == 200
    assert not any(url in text(page) for url in urls.values())
    assert "Sue Supervisee" not in text(page)
    assert "No agreements match." in text(page)


# Query counts


def _queries(client: Client, url: str) -> int:
    client.get(url)  # Warm up whatever is cached once per process.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_does_not_grow_with_the_number_of_agreements(cast):
    signed(cast)
    client = cast.client_for(cast.admin)
    before = _queries(client, reverse("agreements"))
    for _ in range(5):
        person = PersonFactory(
            organisation=cast.organisation,
            team=cast.supervisee.team,
            staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER,
        )
        signed_agreement(RelationshipFactory(supervisee=person, supervisor=cast.supervisor))
    assert Agreement.objects.count() == 6
    assert "6 agreements" in text(client.get(reverse("agreements")))
    assert _queries(client, reverse("agreements")) == before


def test_the_agreement_page_does_not_grow_with_the_number_of_versions(cast):
    agreement = signed(cast)
    sue, sam = cast.client_for(cast.supervisee), cast.client_for(cast.supervisor)
    url = reverse("agreement", args=[agreement.pk])
    before = _queries(sue, url)
    for place in ("The library, upstairs", "Room 4, the annexe"):
        assert save_as(sue, agreement, location=place).status_code == 302
        assert sign_as(sue, agreement).status_code == 302
        assert sign_as(sam, agreement).status_code == 302
    assert agreement.versions.count() == 3
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ACTIVE
    assert "Version 2, " in text(sue.get(url)) and "Version 1, " in text(sue.get(url))
    assert _queries(sue, url) == before


def test_after_a_change_of_supervisor_the_new_one_opens_and_reviews_the_old_agreement(cast):

    from django.utils import timezone as _tz

    from tandem.agreements.models import Agreement as _Agreement
    from tandem.agreements.tests.factories import signed_agreement as _signed
    from tandem.organisations.models import SupervisionRelationship as _Rel
    from tandem.organisations.services import relationship_start as _start

    old = _signed(_Rel.objects.get(supervisee=cast.supervisee))
    _start(supervisee=cast.supervisee, supervisor=cast.colleague, starts_on=_tz.localdate())
    cole = cast.client_for(cast.colleague)

    home = cole.get("/").content.decode()
    assert f'href="/agreements/{old.pk}/"' in home and "Due for review" in home
    page = cole.get(f"/agreements/{old.pk}/").content.decode()
    assert "Review the agreement" in page
    response = cole.post(f"/agreements/{old.pk}/review/")
    new = _Agreement.objects.exclude(pk=old.pk).get(supervisee=cast.supervisee)
    assert response.status_code == 302 and new.supervisor == cast.colleague
    assert cast.client_for(cast.supervisor).get(f"/agreements/{new.pk}/").status_code == 403


def test_notices_show_once_on_my_supervision(cast):
    from tandem.agreements.models import AgreementTemplate
    from tandem.agreements.services import agreement_sign, agreement_start, current_version
    from tandem.organisations.models import SupervisionRelationship

    template = AgreementTemplate.objects.get(slug="school-staff-supervision-agreement")
    agreement = agreement_start(
        relationship=SupervisionRelationship.objects.get(supervisee=cast.supervisee),
        template_version=template.versions.order_by("-number").first(),
        by=cast.supervisor,
        responses={
            "frequency": "weekly",
            "duration": {"min": 90, "max": 120},
            "location": "Room 4",
        },
    )
    agreement_sign(
        agreement=agreement,
        person=cast.supervisor,
        content_hash=current_version(agreement).content_hash,
    )
    sue = cast.client_for(cast.supervisee)
    first = sue.get("/").content.decode()
    assert "New for you" in first and "Sam Supervisor signed your supervision agreement" in first
    assert "New for you" not in sue.get("/").content.decode()
