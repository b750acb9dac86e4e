"""Administration in a real browser, each page checked by axe-core: an admin follows the set-up
checklist to the frequency policy, previews a change of the NQSW rules before saving it and
finds it in the audit trail; a supervisee sees who has read her records; a newcomer sets her
password from an invitation."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.organisations import invitations
from tandem.organisations.tests.factories import PersonFactory
from tandem.records import services as record_services
from tandem.records.tests.factories import signed_record

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser


def test_an_admin_changes_the_nqsw_rules_from_the_checklist_and_finds_it_audited(
    page: Page, live_server: Any, cast: Cast
) -> None:
    sign_in(page, live_server, "ann@riverside.test", cast.password)
    page.get_by_role("link", name="Set up Tandem").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up Tandem")
    assert_accessible(page)
    page.get_by_role("link", name="Check the frequency policy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frequency policy")
    assert_accessible(page)
    page.get_by_role(
        "link", name="Change the rules for newly qualified social worker"
    ).first.click()
    first_of_next_month = (
        timezone.localdate().replace(day=1) + datetime.timedelta(days=32)
    ).replace(day=1)
    page.get_by_label("The new rules apply from").fill(f"{first_of_next_month:%d/%m/%Y}")
    page.get_by_label("Stage 1: at least").select_option("fortnightly")
    page.get_by_role("button", name="Preview the change").click()
    expect(page.get_by_role("heading", name="What this change does")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nothing is saved until you save the change.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".govuk-notification-banner")).to_be_visible()

    page.goto(f"{live_server.url}/settings/audit/")
    page.get_by_label("What they did").select_option("frequency_policy.changed")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("table")).to_contain_text("Changed the frequency policy")
    expect(page.locator("table")).to_contain_text("Ann Admin")
    assert_accessible(page)
    page.get_by_label("From").fill("31/02/2026")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a real date for the from")
    assert_accessible(page)


def test_a_supervisee_sees_her_managers_reading_of_her_record(
    page: Page, live_server: Any, cast: Cast
) -> None:
    record = signed_record(cast)
    record_services.record_read(record=record, by=cast.manager, parts=["agenda"], how="pdf")
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Records").click()
    page.get_by_role("link", name="Who has read your records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who has read your records")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Mia Manager")
    expect(row).to_contain_text("As a PDF")
    assert_accessible(page)


def test_a_newcomer_sets_her_password_from_her_invitation(
    page: Page, live_server: Any, cast: Cast
) -> None:
    nia = PersonFactory(organisation=cast.organisation, first_name="Nia", last_name="New")
    invitations.invitation_send(person=nia, by=cast.admin)
    (message,) = mail.outbox  # the browser tests' transactions commit, so it has gone
    path = re.search(r"/invitation/[^\s/]+/", message.body).group(0)
    page.goto(f"{live_server.url}{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Enter it again").fill("short")
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Password", exact=True).fill("a long walk by the river")
    page.get_by_label("Enter it again").fill("a long walk by the river")
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My supervision")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set.")
