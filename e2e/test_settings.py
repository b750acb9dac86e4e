"""The organisation's settings in a real browser: an admin opens them from the menu, enters a
record deadline of 0 working days (refused, with the reason), then 15, and sees the change
listed with the old and the new value. axe-core checks each page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser


def test_an_admin_changes_the_record_deadline_and_sees_it_listed(
    page: Page, live_server: Any, cast: Cast
) -> None:
    sign_in(page, live_server, "ann@riverside.test", cast.password)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Organisation settings", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation settings")
    assert_accessible(page)
    page.get_by_label("Record deadline").fill("0")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a record deadline from 1 to 30 working days."
    )
    expect(page.get_by_label("Record deadline")).to_have_value("0")
    assert_accessible(page)
    page.get_by_label("Record deadline").fill("15")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("record deadline")
    changes = page.locator("table")
    expect(changes).to_contain_text("Record deadline (working days)")
    expect(changes).to_contain_text("10 working days")
    expect(changes).to_contain_text("15 working days")
    expect(changes).to_contain_text("Ann Admin")
    assert_accessible(page)
