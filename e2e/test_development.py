"""Practitioner development in a real browser: an NQSW finds where she stands in her ASYE and
what is next, her supervisor records the review and a direct observation, and a nurse follows
her revalidation and adds evidence (a bad date first). axe-core checks each page."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.development import services
from tandem.development.tests.factories import RevalidationFactory
from tandem.organisations.models import StaffCategory
from tandem.organisations.tests.factories import PersonFactory, UserFactory

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser


def test_an_nqsw_sees_her_asye_and_her_supervisor_records_a_review_and_an_observation(
    page: Page, live_server: Any, cast: Cast
) -> None:
    today = timezone.localdate()
    asye = services.asye_start(
        person=cast.supervisee,
        starts_on=today - datetime.timedelta(days=100),
        assessor=cast.supervisor,
        by=cast.supervisor,
    )
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    page.get_by_role("link", name="My development: CPD, objectives and appraisals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My development")
    assert_accessible(page)
    page.get_by_role("link", name="ASYE of Sue Supervisee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My ASYE")
    next_step = page.locator("#next")
    expect(next_step).to_contain_text("Overdue")
    expect(next_step).to_contain_text("3-month review")
    expect(next_step).to_contain_text("Direct observations: 0 of 3 done.")
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    page.goto(f"{live_server.url}/people/{cast.supervisee.pk}/asye/")
    page.get_by_role("link", name="3-month review").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("3-month review")
    assert_accessible(page)
    record = page.locator("form", has=page.locator("input[value=record]"))
    record.get_by_label("Date held").fill(today.strftime("%d/%m/%Y"))
    record.get_by_label("Progress").fill("Settling in; visits purposeful.")
    record.get_by_label("The assessor's view").fill("On track at 3 months.")
    record.get_by_role("button", name="Save the review").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("3-month review recorded")

    page.goto(f"{live_server.url}/asye/{asye.pk}/observations/new/")
    page.get_by_label("Date of the observation").fill(today.strftime("%d/%m/%Y"))
    page.get_by_label("What was observed").fill("A home visit about school attendance.")
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Record the family's consent to the observation.")
    expect(summary).to_contain_text("Choose at least one PCF domain it shows.")
    expect(page.get_by_label("What was observed")).to_have_value(
        "A home visit about school attendance."
    )
    assert_accessible(page)
    page.get_by_label("The family consented to the observation").check()
    page.get_by_label("7. Skills and interventions").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Direct observation 1")
    page.get_by_role("button", name="Make a feedback link for the family").click()
    expect(page.locator("code")).to_contain_text("/feedback/tdf_")
    assert_accessible(page)


def test_a_nurse_follows_her_revalidation_and_adds_feedback(
    page: Page, live_server: Any, cast: Cast
) -> None:
    nurse = PersonFactory(
        organisation=cast.organisation,
        user=UserFactory(email="nia@riverside.test"),
        first_name="Nia",
        last_name="Nurse",
        staff_category=StaffCategory.NURSE,
        team=cast.supervisee.team,
    )
    today = timezone.localdate()
    RevalidationFactory(person=nurse, due_on=today + datetime.timedelta(days=60))
    sign_in(page, live_server, "nia@riverside.test", cast.password)
    page.goto(f"{live_server.url}/people/{nurse.pk}/development/revalidation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("NMC revalidation")
    expect(page.locator(".govuk-warning-text")).to_contain_text("due in 60 days")
    progress = page.get_by_role("table", name="Progress")
    expect(progress).to_contain_text("Practice hours")
    assert_accessible(page)

    page.get_by_role("link", name="Add feedback").click()
    tomorrow = today + datetime.timedelta(days=1)
    page.get_by_label("Date of the feedback").fill(tomorrow.strftime("%d/%m/%Y"))
    page.get_by_label("From whom").fill("A resident's daughter")
    page.get_by_label("What it said").fill("Kind and clear.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The date of the feedback must be today or in the past."
    )
    expect(page.get_by_label("From whom")).to_have_value("A resident's daughter")
    assert_accessible(page)
    page.get_by_label("Date of the feedback").fill(today.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("feedback added")
    expect(page.get_by_role("table", name="Progress")).to_contain_text("4 to go")
