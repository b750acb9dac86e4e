"""Supervision sessions in a real browser: a supervisee adds agenda items to a booked session, her
supervisor cancels and re-books it, and the agenda goes with it. axe-core checks each page on the
way."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tandem.core.calendar import calendar_for
from tandem.meetings.models import SessionKind
from tandem.meetings.services.sessions import session_book

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser

LOCATION = "Room 2, Riverside House"
EMPTY_TITLE = "Enter what the item is about."


def nav(page: Page, name: str) -> None:
    """Follow an entry of the service navigation."""
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def long_day(day: datetime.date) -> str:
    """As the pages write a date in full: Monday 15 June 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def summary_row(page: Page, key: str) -> Locator:
    """The value of a row of the session's summary lists, by its key."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value")


def agenda_rows(page: Page) -> Locator:
    return page.get_by_role("table", name="Agenda items").locator("tbody").get_by_role("row")


def test_supervisee_adds_to_the_agenda_and_supervisor_cancels_and_rebooks(
    page: Page, live_server: Any, cast: Cast
) -> None:
    calendar = calendar_for(cast.organisation)
    day = calendar.add_working_days(timezone.localdate(), 3)
    new_day = calendar.add_working_days(day, 2)
    session = session_book(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        kind=SessionKind.ONE_TO_ONE,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0))),
        duration_minutes=45,
        location=LOCATION,
        by=cast.supervisor,
    )
    session_url = f"{live_server.url}/sessions/{session.pk}/"

    # 1. Sue finds the session on My supervision and opens it.
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My supervision")
    expect(page.get_by_role("heading", level=2, name="Your next sessions")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sessions")
    ).to_be_visible()
    panel_item = page.get_by_role("listitem").filter(has_text="Sue Supervisee with Sam Supervisor")
    expect(panel_item).to_contain_text(f"Sue Supervisee with Sam Supervisor, {LOCATION}")
    # The link's visually hidden ": supervision" says what the date is about.
    panel_item.get_by_role(
        "link", name=re.compile(rf"^{day:%a} {day.day} {day:%b %Y}, 10:00\s*: supervision$")
    ).click()

    expect(page).to_have_url(session_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision session")
    expect(page).to_have_title(re.compile(rf"^Supervision session, {day.day} {day:%B %Y} – "))
    expect(summary_row(page, "Status")).to_have_text("Scheduled")
    expect(summary_row(page, "When")).to_have_text(f"{long_day(day)}, 10:00 to 10:45")
    expect(summary_row(page, "Where")).to_have_text(LOCATION)
    expect(page.get_by_text("Nothing on the agenda yet.")).to_be_visible()
    # Only the supervisor records a session as held.
    expect(page.get_by_role("link", name="Record as held")).to_have_count(0)
    assert_accessible(page)

    # The invitation, with Sue's session cookies.
    calendar_link = page.get_by_role("link", name=re.compile(r"^Add to my calendar"))
    href = calendar_link.get_attribute("href")
    assert href
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text().startswith("BEGIN:VCALENDAR")

    # 2. A first item without its title: the error, and everything else she typed is kept.
    title = page.get_by_label("Item", exact=True)
    detail = page.get_by_label("Detail (optional)")
    priority = page.get_by_label("Priority", exact=True)
    minutes = page.get_by_label("Minutes it needs")
    function = page.get_by_label("Function of supervision")
    detail.fill("Three new cases this week and a court report due.")
    priority.select_option(label="High")
    minutes.fill("20")
    function.select_option(label="Support")
    page.get_by_role("button", name="Add to the agenda").click()

    expect(page).to_have_title(re.compile(r"^Error: Supervision session, "))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    expect(detail).to_have_value("Three new cases this week and a court report due.")
    expect(priority).to_have_value("high")
    expect(minutes).to_have_value("20")
    expect(function).to_have_value("support")
    summary.get_by_role("link", name=EMPTY_TITLE).click()
    expect(title).to_be_focused()
    expect(title).to_have_accessible_description(f"Error: {EMPTY_TITLE}")
    assert_accessible(page)

    title.fill("Caseload pressure")
    page.get_by_role("button", name="Add to the agenda").click()

    expect(page.get_by_role("alert")).to_contain_text("Added to the agenda: Caseload pressure")
    expect(page.get_by_text("The items fit in 45 minutes: 20 minutes of items")).to_be_visible()
    expect(agenda_rows(page)).to_have_count(1)

    # The second item takes the agenda past the session's 45 minutes.
    title.fill("ASYE portfolio")
    detail.fill("Reflective log for the mid-point review.")
    minutes.fill("30")
    function.select_option(label="Development")
    page.get_by_role("button", name="Add to the agenda").click()

    expect(page.get_by_role("alert")).to_contain_text("Added to the agenda: ASYE portfolio")
    expect(page.get_by_text("The items need 5 minutes more than the session")).to_be_visible()
    rows = agenda_rows(page)
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Caseload pressure")
    expect(rows.nth(0)).to_contain_text("Support, added by Sue Supervisee")
    expect(rows.nth(0)).to_contain_text("High")
    expect(rows.nth(1)).to_contain_text("ASYE portfolio")
    expect(rows.nth(1)).to_contain_text("Development, added by Sue Supervisee")
    expect(rows.nth(1)).to_contain_text("Medium")
    assert_accessible(page)
    sign_out(page)

    # 3. Sam opens it from the Sessions menu and sees Sue's items.
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    nav(page, "Sessions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision sessions")
    upcoming = page.get_by_role("table", name="Your sessions coming up")
    row = upcoming.get_by_role("row").filter(has_text="Sue Supervisee with Sam Supervisor")
    row.get_by_role("link", name=f"{day:%a} {day.day} {day:%b %Y}, 10:00").click()

    expect(page).to_have_url(session_url)
    expect(agenda_rows(page).filter(has_text="Caseload pressure")).to_have_count(1)
    expect(agenda_rows(page).filter(has_text="ASYE portfolio")).to_have_count(1)

    # 4. He cancels it: illness.
    page.get_by_role("link", name="Cancel the session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel the session")
    expect(page.get_by_text("Your agreement sets no date to re-book by.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio", name="Illness", exact=True).check()
    page.get_by_role("button", name="Cancel the session").click()

    expect(page).to_have_url(session_url)
    expect(page.get_by_role("alert")).to_contain_text("Session cancelled. Re-book it when you can.")
    expect(summary_row(page, "Status")).to_have_text("Cancelled")
    expect(page.get_by_role("heading", level=2, name="Cancelled")).to_be_visible()
    expect(summary_row(page, "Cancelled by")).to_contain_text("Sam Supervisor")
    expect(summary_row(page, "Why")).to_have_text("Illness")
    # No agreement, so no date to re-book by.
    expect(summary_row(page, "Re-book by")).to_have_text("The agreement sets no date")
    expect(page.get_by_role("heading", level=2, name="Add to the agenda")).to_have_count(0)
    assert_accessible(page)

    # 5. He re-books it for another day and time.
    page.get_by_role("link", name="Re-book", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Re-book the session")
    expect(
        page.get_by_text(f"The session of {long_day(day)}, 10:00 was cancelled")
    ).to_contain_text("(illness)")
    expect(page.get_by_label("Length, in minutes")).to_have_value("45")
    expect(page.get_by_label("Where (optional)")).to_have_value(LOCATION)
    assert_accessible(page)
    page.get_by_label("Date", exact=True).fill(f"{new_day:%d/%m/%Y}")
    page.get_by_label("Start time").fill("14:30")
    page.get_by_label("Length, in minutes").fill("60")
    page.get_by_role("button", name="Re-book the session").click()

    expect(page.get_by_role("alert")).to_contain_text("Session re-booked, with the same agenda.")
    expect(page).not_to_have_url(session_url)
    new_url = page.url
    expect(summary_row(page, "Status")).to_have_text("Scheduled")
    expect(summary_row(page, "When")).to_have_text(f"{long_day(new_day)}, 14:30 to 15:30")
    expect(summary_row(page, "Where")).to_have_text(LOCATION)
    rows = agenda_rows(page)
    expect(rows).to_have_count(2)
    carried = f"Carried from the session of {day.day} {day:%B %Y}"
    expect(rows.nth(0)).to_contain_text("Caseload pressure")
    expect(rows.nth(0)).to_contain_text(carried)
    expect(rows.nth(0)).to_contain_text("Support, added by Sue Supervisee")
    expect(rows.nth(1)).to_contain_text("ASYE portfolio")
    expect(rows.nth(1)).to_contain_text(carried)
    expect(page.get_by_text("The items fit in 60 minutes: 50 minutes of items")).to_be_visible()
    assert_accessible(page)

    # 6. The old session says it was re-booked, and links to the new one.
    page.get_by_role("link", name=f"cancelled session of {day.day} {day:%B %Y}").click()
    expect(page).to_have_url(session_url)
    expect(summary_row(page, "Status")).to_have_text("Cancelled")
    rebooked = summary_row(page, "Re-booked").get_by_role("link")
    expect(rebooked).to_have_text(f"{long_day(new_day)}, 14:30")
    expect(page.get_by_role("link", name="Re-book", exact=True)).to_have_count(0)
    rebooked.click()
    expect(page).to_have_url(new_url)
