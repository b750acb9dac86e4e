"""What people notice in a real browser: signing in, finding people, importing staff, changing a
supervisor, API tokens, keyboard use and small screens; axe-core checks each page on the way."""

from __future__ import annotations

import datetime
import json
import re
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from .conftest import TIMEOUT_MS, assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser

WRONG_LOGIN = "The email address and/or password you specified are not correct."


def nav(page: Page, name: str) -> None:
    """Follow an entry of the service navigation."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def api_me_status(live_server: Any, token: str) -> int:
    """Status of GET /api/me with only the bearer token: no browser cookies."""
    request = urllib.request.Request(
        f"{live_server.url}/api/me", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            json.load(response)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_supervisee_signs_in_and_sees_her_supervision(
    page: Page, live_server: Any, cast: Cast
) -> None:
    with page.expect_response(re.compile(r"/static/build/tandem\.css$")) as css:
        page.goto(f"{live_server.url}/accounts/login/")
    assert css.value.status == 200
    assert css.value.header_value("content-type").startswith("text/css")
    # The stylesheet applies (GOV.UK headings are bold), and GOV.UK Frontend's JavaScript ran:
    # it reveals the password input's Show button, hidden without JavaScript.
    heading = page.get_by_role("heading", level=1, name="Sign in to Tandem")
    expect(heading).to_have_css("font-weight", "700")
    expect(page.get_by_role("button", name="Show password")).to_be_visible()
    expect(page).to_have_title("Sign in – Tandem")
    assert_accessible(page)

    sign_in(page, live_server, "sue@riverside.test", cast.password)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My supervision")
    expect(page).to_have_title("My supervision – Riverside Council – Tandem")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Sam Supervisor")
    chain = page.get_by_role("heading", name="If you disagree with your supervisor").locator(
        "xpath=following-sibling::ol[1]"
    )
    expect(chain.get_by_role("listitem")).to_have_text(
        [
            "Supervisor: Sam Supervisor",
            "Team manager: Mia Manager",
            "Head of service: Hal Service",
            "Assistant director: Ada Director",
        ]
    )
    # A supervisee sees neither the People nor the Teams list.
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link")).to_have_text(
        ["My supervision", "Agreements", "Sessions", "Records", "My development", "API tokens"]
    )
    expect(menu.get_by_role("link", name="My supervision")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)


def test_wrong_password_shows_an_accessible_error(page: Page, live_server: Any, cast: Cast) -> None:
    sign_in(page, live_server, "sue@riverside.test", "not-her-password")

    expect(page).to_have_title("Error: Sign in – Tandem")
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    # GOV.UK Frontend moves focus to the summary, so screen readers announce it at once.
    expect(summary).to_be_focused()
    email = page.get_by_label("Email address")
    expect(email).to_have_value("sue@riverside.test")
    expect(email).to_have_attribute("aria-describedby", "id_login-error")
    expect(page.locator("#id_login-error")).to_be_visible()
    expect(page.locator("#id_login-error")).to_contain_text(WRONG_LOGIN)
    # The password is never echoed back.
    expect(page.locator("input[name=password]")).to_have_value("")
    # The summary's link takes keyboard users to the field.
    summary.get_by_role("link", name=WRONG_LOGIN).click()
    expect(email).to_be_focused()
    assert_accessible(page)


def test_admin_finds_a_person_and_browses_teams(page: Page, live_server: Any, cast: Cast) -> None:
    sign_in(page, live_server, "ann@riverside.test", cast.password)
    nav(page, "People")

    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page)

    page.get_by_label("Search by name, email, staff number or job title").fill("sue")
    page.get_by_role("button", name="Search").click()

    expect(page).to_have_title(re.compile(r"^People matching “sue”"))
    results = page.get_by_role("table", name="1 person")
    expect(results).to_be_visible()
    results.get_by_role("link", name="Sue Supervisee").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sue Supervisee")
    expect(page.get_by_text("sue@riverside.test")).to_be_visible()
    expect(page.get_by_role("link", name="Change supervisor for Sue Supervisee")).to_be_visible()
    assert_accessible(page)

    nav(page, "Teams")
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams")
    teams = page.get_by_role("table", name="4 units")
    expect(teams.get_by_role("row", name=re.compile(r"^Assessment Team "))).to_contain_text(
        "Mia Manager"
    )
    assert_accessible(page)


def test_admin_imports_a_good_staff_list_then_a_bad_one(
    page: Page, live_server: Any, cast: Cast, tmp_path: Any
) -> None:
    header = "staff_number,first_name,last_name,email,staff_category\n"
    good = tmp_path / "staff.csv"
    good.write_text(header + "E2001,Nia,Newstart,nia@riverside.test,registered_social_worker\n")
    bad = tmp_path / "staff-bad.csv"
    bad.write_text(header + "E2002,Bob,Broken,not-an-email,registered_social_worker\n")

    sign_in(page, live_server, "ann@riverside.test", cast.password)
    nav(page, "Import staff")
    expect(page.get_by_role("heading", level=1)).to_have_text("Import staff")
    assert_accessible(page)

    page.get_by_label("Upload the staff list").set_input_files(good)
    page.get_by_role("button", name="Import staff").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    expect(page.get_by_role("alert")).to_contain_text(
        "Staff list imported. 1 rows: 1 people added, 0 updated, 0 unchanged"
    )
    expect(page.get_by_role("link", name="Nia Newstart")).to_be_visible()

    nav(page, "Import staff")
    page.get_by_label("Upload the staff list").set_input_files(bad)
    page.get_by_role("button", name="Import staff").click()

    expect(page).to_have_title(re.compile(r"^Error: Import staff"))
    expect(page.get_by_role("alert")).to_contain_text(
        "The file has 1 problem. Nothing was imported."
    )
    problems = page.get_by_role("table", name="Problems in the file")
    expect(problems.get_by_role("row").nth(1)).to_have_text(
        re.compile(r"^\s*2\s*email\s*not-an-email is not an email address\.\s*$")
    )
    assert_accessible(page)

    nav(page, "People")
    expect(page.get_by_role("link", name="Bob Broken")).to_have_count(0)


def test_manager_changes_a_supervisor_from_tomorrow(
    page: Page, live_server: Any, cast: Cast
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    sign_in(page, live_server, "mia@riverside.test", cast.password)
    page.goto(f"{live_server.url}/people/{cast.supervisee.pk}/supervisor/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Change supervisor")
    expect(page.get_by_role("link", name="Back to Sue Supervisee")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("New supervisor").select_option(label="Mia Manager")
    expect(page.get_by_label("Kind of supervision")).to_have_value("line")
    starts_on = page.get_by_label("From")
    expect(starts_on).to_have_attribute("type", "text")
    starts_on.fill(f"{tomorrow:%d/%m/%Y}")
    page.get_by_role("button", name="Change supervisor", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sue Supervisee")
    expect(page.get_by_role("alert")).to_contain_text(
        f"Mia Manager supervises Sue Supervisee from {tomorrow.day} {tomorrow:%B %Y}."
    )
    # Sam still supervises today; the history shows both.
    history = page.get_by_role("table", name="Every supervision relationship of Sue Supervisee")
    expect(history.get_by_role("row")).to_have_count(3)
    expect(history).to_contain_text("Mia Manager")
    expect(history).to_contain_text("Sam Supervisor")


def test_api_token_is_shown_once_and_can_be_revoked(
    page: Page, live_server: Any, cast: Cast
) -> None:
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    nav(page, "API tokens")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.get_by_text("You have no tokens.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What is the token for?").fill("Monthly report")
    page.get_by_label("Expires after").select_option(label="30 days")
    page.get_by_role("button", name="Make a token").click()

    expect(page.get_by_role("heading", name="Your new token")).to_be_visible()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("tdm_"), token
    tokens = page.get_by_role("table", name="Your API tokens")
    row = tokens.get_by_role("row", name=re.compile(r"^Monthly report "))
    hint = row.locator("code").inner_text().rstrip("…")
    assert token.startswith(hint) and len(hint) < len(token)
    assert_accessible(page)
    assert api_me_status(live_server, token) == 200

    # Seen once: opening the page again does not show it. (Not page.reload(): reloading the
    # POST's answer would post the form again and make a second token.)
    nav(page, "API tokens")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    expect(page.locator("#new-token")).to_have_count(0)
    assert token not in page.content()

    row.get_by_role("button", name="Revoke Monthly report").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Token “Monthly report” revoked. It no longer works."
    )
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button")).to_have_count(0)
    assert api_me_status(live_server, token) == 401


def test_first_tab_reaches_the_skip_link(page: Page, live_server: Any, cast: Cast) -> None:
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    # Straight after signing in, GOV.UK Frontend focuses the "Signed in" success banner (it is a
    # role=alert notification), so load the page afresh, as a user arriving on it would.
    expect(page.get_by_role("alert")).to_be_focused()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My supervision")
    expect(page.get_by_role("alert")).to_have_count(0)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_have_attribute("href", "#main-content")
    expect(page.locator("main#main-content")).to_have_count(1)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main-content$"))
    expect(page.locator("#main-content")).to_be_focused()


@pytest.mark.parametrize("path", ["/accounts/login/", "/"])
def test_pages_reflow_at_320_css_pixels(
    browser: Browser, live_server: Any, cast: Cast, path: str
) -> None:
    """WCAG 1.4.10: at 320 CSS pixels wide, nothing needs scrolling sideways."""
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        if path != "/accounts/login/":
            sign_in(page, live_server, "sue@riverside.test", cast.password)
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= 320, f"{path} is {scroll_width}px wide at a 320px viewport"
        if path == "/":
            # The service navigation folds into a Menu button that opens it.
            menu_button = page.get_by_role("button", name="Menu")
            expect(menu_button).to_be_visible()
            menu_button.click()
            expect(page.get_by_role("link", name="API tokens")).to_be_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()


def test_people_search_updates_as_you_type(page: Page, live_server: Any, cast: Cast) -> None:
    """With JavaScript, htmx swaps in the results without a button press, and the address keeps
    the search, so reloading or going back shows the same results."""
    sign_in(page, live_server, "ann@riverside.test", cast.password)
    nav(page, "People")
    expect(page.get_by_role("table", name="7 people")).to_be_visible()

    page.get_by_label("Search by name, email, staff number or job title").press_sequentially("cole")

    expect(page.get_by_role("table", name="1 person")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("1 person found")
    expect(page).to_have_url(re.compile(r"/people/\?q=cole"))
    page.reload()
    expect(page.get_by_role("table", name="1 person")).to_contain_text("Cole Colleague")
    assert_accessible(page)
