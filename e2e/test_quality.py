"""The quality of supervision in a real browser: a principal social worker audits a sample of
a pair's records (an empty completion first) and the supervisor replies; a new practice
supervisor's manager starts the pathway and the practice supervisor makes the first KSS
self-assessment (a missing rating first). axe-core checks each page."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.quality.tests.helpers import case, principal_social_worker, record_on

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser

DAY = datetime.timedelta(days=1)


def test_a_principal_social_worker_audits_a_sample_and_the_supervisor_replies(
    page: Page, live_server: Any, cast: Cast
) -> None:
    principal_social_worker(cast)
    ends = timezone.localdate() - DAY
    for n in range(4):
        record_on(
            cast,
            ends - (7 + 14 * n) * DAY,
            cases=[case(f"CF-{n}", reflected=n % 2 == 0)],
            actions=["Update the chronology"],
        )
    sign_in(page, live_server, "pat@riverside.test", cast.password)
    page.goto(f"{live_server.url}/quality/")
    page.get_by_role("link", name="Supervision audits").first.click()
    page.get_by_role("link", name="Audit a supervisor's supervision").click()
    assert_accessible(page)
    page.get_by_label("Whose supervision").select_option(label="Sue Supervisee, Social worker")
    page.get_by_label("Supervisor").select_option(label="Sam Supervisor, Practice supervisor")
    page.get_by_label("First day of the period").fill((ends - 90 * DAY).strftime("%d/%m/%Y"))
    page.get_by_label("Last day of the period").fill(ends.strftime("%d/%m/%Y"))
    page.get_by_label("Records to sample").fill("3")
    page.get_by_role("button", name="Draw the sample and begin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sam Supervisor's supervision of Sue Supervisee"
    )
    expect(page.locator("main")).to_contain_text("carried over unchanged")
    assert_accessible(page)
    page.get_by_role("button", name="Complete the audit").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a summary for the supervisor.")
    expect(summary).to_contain_text("Supervision is supportive and also challenges practice")
    assert_accessible(page)
    page.get_by_label(
        "Answer: Supervision is supportive and also challenges practice"
    ).select_option("partly")
    page.get_by_label("Summary for the supervisor").fill("Kind and regular; bring more challenge.")
    page.get_by_role("button", name="Complete the audit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Audit completed")
    expect(page.locator("main")).to_contain_text("Score")

    page.context.clear_cookies()
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    page.get_by_role("link", name="1 audit of your supervision to read and reply to").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision audits")
    page.get_by_role("link", name="Sam Supervisor with Sue Supervisee").click()
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your reply.")
    assert_accessible(page)
    page.get_by_label("Your reply").fill("Agreed: I will use the reflective prompts.")
    page.get_by_role("button", name="Send the reply").click()
    expect(page.locator("main")).to_contain_text("Agreed: I will use the reflective prompts.")
    assert_accessible(page)


def test_a_new_practice_supervisor_sees_their_pathway_and_assesses_themselves(
    page: Page, live_server: Any, cast: Cast
) -> None:
    sign_in(page, live_server, "mia@riverside.test", cast.password)
    page.goto(f"{live_server.url}/people/{cast.supervisor.pk}/")
    page.get_by_role("link", name="Start the practice supervisor pathway").click()
    assert_accessible(page)
    page.get_by_label("First day as a practice supervisor").fill(
        timezone.localdate().strftime("%d/%m/%Y")
    )
    page.get_by_role("button", name="Start the pathway").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practice supervisor pathway")

    page.context.clear_cookies()
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    page.get_by_role("link", name="Your practice supervisor pathway").click()
    main = page.locator("main")
    expect(main).to_contain_text("Meet the finance officer")
    expect(main).to_contain_text("Performance information training")
    assert_accessible(page)
    page.get_by_role("link", name="At the start").click()
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose how you rate yourself on “Promote and govern excellent practice”."
    )
    assert_accessible(page)
    for group in page.locator("fieldset").all():
        group.get_by_label("Developing").check()
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Self-assessment saved")
    expect(main).to_contain_text("Done")
    assert_accessible(page)
