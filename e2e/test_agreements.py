"""Supervision agreements in a real browser: a supervisor drafts one from the school template and
both parties sign it; an admin copies a built-in template and edits the copy. axe-core checks
each page on the way."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.agreements.builtin import builtin_templates_load

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser

SCHOOL = "Staff supervision agreement (school)"
COUNCIL = "Supervision contract (council children's services)"


@pytest.fixture(autouse=True)
def builtin_templates(transactional_db: None) -> None:
    """The live server's database is flushed after each test, and with it the built-in
    templates the data migration made: put them back (idempotent)."""
    builtin_templates_load()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def agreements_panel_row(page: Page, name: str) -> Any:
    """The row of the "Supervision agreements" panel on My supervision for this person."""
    expect(page.get_by_role("heading", level=2, name="Supervision agreements")).to_be_visible()
    table = page.get_by_role("table", name="Your supervision agreements")
    return table.get_by_role("row").filter(has_text=name)


def test_supervisor_drafts_a_school_agreement_and_both_sign(
    page: Page, live_server: Any, cast: Cast
) -> None:
    today = timezone.localdate()
    review_due = today + relativedelta(months=cast.organisation.agreement_review_months)

    # 1. Sam starts an agreement with Sue from My supervision.
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My supervision")
    row = agreements_panel_row(page, "Sue Supervisee")
    row.get_by_role("link", name="Start an agreement with Sue Supervisee").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Which agreement will you use?")
    expect(page).to_have_title(re.compile(r"^Start a supervision agreement – "))
    assert_accessible(page)
    # Starting without choosing: the summary's link leads to the first choice.
    page.get_by_role("button", name="Start the agreement").click()
    expect(page).to_have_title(re.compile(r"^Error: Start a supervision agreement"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="Choose which agreement you will use.").click()
    expect(page.get_by_role("radio").first).to_be_focused()
    expect(
        page.get_by_role("group", name="Which agreement will you use?")
    ).to_have_accessible_description(
        re.compile(r"Error:\s+Choose which agreement you will use\.\s*$")
    )
    assert_accessible(page)
    page.get_by_role("radio", name=SCHOOL, exact=True).check()
    page.get_by_role("button", name="Start the agreement").click()

    # 2. The edit page: first a mistake, then the corrected answers.
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff Supervision Agreement")
    expect(page.get_by_role("alert")).to_contain_text("Agreement started.")
    assert_accessible(page)

    answers = {
        "Location": "The quiet room off the staff room",
        "What you agree about cancelling": "We re-book at once, by email, and say why.",
        "How sessions are recorded": "Typed notes, shared within two working days.",
        "Purpose of supervision": "Reflect on practice, manage workload, support wellbeing.",
        "Process for agreeing on agenda": "Sue sends items two days before; Sam adds his.",
    }
    page.get_by_label("Frequency", exact=True).select_option(label="Fortnightly")
    expect(page.get_by_role("group", name="Duration")).to_have_accessible_description("In minutes.")
    shortest = page.get_by_label("Shortest, in minutes")
    longest = page.get_by_label("Longest, in minutes")
    shortest.fill("10")
    longest.fill("120")
    for label, value in answers.items():
        page.get_by_label(label).fill(value)
    rebook = page.get_by_label("Re-book a cancelled session within this many working days")
    rebook.fill("5")
    page.get_by_label("Who records each session", exact=True).select_option(label="The supervisor")
    page.get_by_role("button", name="Save the agreement").click()

    expect(page).to_have_title(re.compile(r"^Error: Fill in the agreement"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    error_link = summary.get_by_role("link", name=re.compile("greater than or equal to 30"))
    expect(error_link).to_be_visible()
    # Everything typed is still there, the mistake included.
    expect(shortest).to_have_value("10")
    expect(longest).to_have_value("120")
    expect(rebook).to_have_value("5")
    for label, value in answers.items():
        expect(page.get_by_label(label)).to_have_value(value)
    expect(page.get_by_label("Frequency", exact=True)).to_have_value("fortnightly")
    expect(page.get_by_label("Who records each session", exact=True)).to_have_value("supervisor")
    # The summary's link takes keyboard users to the field, which names its error.
    error_link.click()
    expect(shortest).to_be_focused()
    expect(shortest).to_have_accessible_description(re.compile("greater than or equal to 30"))
    assert_accessible(page)

    shortest.fill("90")
    page.get_by_role("button", name="Save the agreement").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Agreement saved. When you have both read it, sign it."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff Supervision Agreement")
    expect(page.get_by_text("Fortnightly", exact=True)).to_be_visible()
    expect(page.get_by_text(answers["Location"])).to_be_visible()
    assert_accessible(page)

    # 3. Sam reads and signs.
    page.get_by_role("link", name="Read and sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read and sign")
    page.get_by_label("I have read this version and agree to it").check()
    page.get_by_role("button", name="Sign the agreement").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Signed. The agreement becomes active when the other person signs it too."
    )
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Awaiting signatures")
    expect(page.get_by_role("link", name="Read and sign")).to_have_count(0)
    sign_out(page)

    # 4. Sue opens it from My supervision, reads and signs.
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    row = agreements_panel_row(page, "Sam Supervisor")
    expect(row).to_contain_text("Awaiting signatures")
    row.get_by_role("link", name="Open the agreement with Sam Supervisor").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Staff Supervision Agreement")
    page.get_by_role("link", name="Read and sign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Read and sign")
    expect(page.get_by_text(answers["Purpose of supervision"])).to_be_visible()
    assert_accessible(page)
    page.get_by_label("I have read this version and agree to it").check()
    page.get_by_role("button", name="Sign the agreement").click()

    expect(page.get_by_role("alert")).to_contain_text("Signed. The agreement is now active.")
    facts = page.locator(".govuk-summary-list").first
    expect(facts.locator(".govuk-summary-list__row").filter(has_text="Status")).to_contain_text(
        "Active"
    )
    expect(facts.locator(".govuk-summary-list__row").filter(has_text="Review due")).to_contain_text(
        f"{review_due.day} {review_due:%B %Y}"
    )
    expect(facts.locator(".govuk-summary-list__row").filter(has_text="Signatures")).to_contain_text(
        "Sue Supervisee"
    )
    assert_accessible(page)

    # 5. The PDF, with Sue's session cookies.
    href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    assert href
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


def test_admin_copies_the_council_template_and_renames_it(
    page: Page, live_server: Any, cast: Cast
) -> None:
    sign_in(page, live_server, "ann@riverside.test", cast.password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Agreements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision agreements")
    # The agreements list has no link to the templates (yet): an admin goes there by URL.
    if page.get_by_role("link", name=re.compile("template", re.IGNORECASE)).count():
        page.get_by_role("link", name=re.compile("template", re.IGNORECASE)).first.click()
    else:
        page.goto(f"{live_server.url}/agreements/templates/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agreement templates")

    page.get_by_role("link", name=COUNCIL, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(COUNCIL)
    name = page.get_by_label("Name of your copy")
    expect(name).to_have_value(f"{COUNCIL} (Riverside Council)")
    name.fill("Riverside supervision contract")
    page.get_by_role("button", name="Copy this template").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Copied. Edit “Riverside supervision contract” to suit your organisation."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the template")
    expect(page.get_by_label("Template name")).to_have_value("Riverside supervision contract")
    assert_accessible(page)

    page.get_by_label("Document title").fill("Riverside supervision contract")
    page.get_by_role("button", name="Save the template").click()

    expect(page.get_by_role("alert")).to_contain_text("Template saved as version 2.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside supervision contract")
    expect(
        page.get_by_role("heading", level=2, name="Riverside supervision contract")
    ).to_be_visible()
    assert_accessible(page)
