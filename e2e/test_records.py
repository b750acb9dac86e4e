"""Supervision records in a real browser (DESIGN.md journey 2): the supervisor records the
session as held, writes the record on one page from the keyboard and shares it; the supervisee
records a disagreement with one line and signs; the supervisor signs; the team manager resolves
the disagreement and reads the record without its welfare section. axe-core checks each page on
the way, and the test prints how many page loads and fields it took from "session held" to
"record shared"."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tandem.meetings.models import Session, SessionKind
from tandem.meetings.services.sessions import agenda_item_add, session_book

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser

# Writing speed (issue 5, point 7): from the session page to the shared record.
MAX_PAGE_LOADS = 5
MAX_FIELDS = 20

WELFARE = "Sue is tired after covering two colleagues; annual leave booked for May."
DISAGREEMENT = "I did not agree to close CF-204981 this month: we agreed to review it in June."
RESOLUTION = "Keep CF-204981 open until the June review; the record stands otherwise."


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def summary_row(page: Page, key: str) -> Locator:
    """The value of a summary list row, by its key."""
    row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator(".govuk-summary-list__key", has_text=re.compile(rf"^{key}$"))
    )
    return row.locator(".govuk-summary-list__value")


def success_banner(page: Page) -> Locator:
    return page.get_by_role("alert")


class Typist:
    """Writes from the keyboard: Tab from field to field, checking where the focus lands, and
    counts the fields filled."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.fields = 0

    def tab_to(self, target: Locator) -> None:
        self.page.keyboard.press("Tab")
        expect(target).to_be_focused()

    def type(self, text: str) -> None:
        """Type into the focused field (a field filled)."""
        self.page.keyboard.type(text)
        self.fields += 1

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)

    def choose(self, key: str = "Space") -> None:
        """Choose with the keyboard on the focused radio (a field filled)."""
        self.page.keyboard.press(key)
        self.fields += 1


def book_session_held_yesterday(cast: Cast) -> Session:
    """A one hour session with Sue booked for yesterday at 10:00 and not yet recorded as held,
    with three agenda items, one of them Sue's. Booked in the future (the services refuse the
    past), then moved back to yesterday as if time had passed."""
    booked_for = timezone.localdate() + datetime.timedelta(days=2)
    session = session_book(
        supervisor=cast.supervisor,
        supervisee=cast.supervisee,
        kind=SessionKind.ONE_TO_ONE,
        starts_at=timezone.make_aware(datetime.datetime.combine(booked_for, datetime.time(10))),
        duration_minutes=60,
        location="Room 2, Riverside House",
        by=cast.supervisor,
    )
    for by, title, function in (
        (cast.supervisor, "Caseload and allocation", "management"),
        (cast.supervisor, "ASYE portfolio", "development"),
        (cast.supervisee, "Court report for CF-204981", "support"),
    ):
        agenda_item_add(session=session, by=by, title=title, function=function, minutes=15)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    starts_at = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(10)))
    Session.objects.filter(pk=session.pk).update(starts_at=starts_at)
    session.refresh_from_db()
    return session


def test_record_written_shared_disputed_signed_and_resolved(
    page: Page, live_server: Any, cast: Cast
) -> None:
    session = book_session_held_yesterday(cast)
    held_on = session.starts_at.astimezone(timezone.get_current_timezone()).date()
    items = list(session.agenda.order_by("created_at", "id"))
    due = timezone.localdate() + datetime.timedelta(days=14)
    due_later = timezone.localdate() + datetime.timedelta(days=28)
    session_url = f"{live_server.url}/sessions/{session.pk}/"

    # Every full page load of the main frame (not the autosaves, which load no page).
    page_loads: list[str] = []

    def on_load(loaded: Page) -> None:
        page_loads.append(loaded.url)

    # 1. Sam opens the session and records it as held: it lasted 90 minutes (the policy for an NQSW).
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    page.goto(session_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision session")
    page.on("load", on_load)
    typist = Typist(page)

    page.get_by_role("link", name="Record as held").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the session as held")
    expect(page.get_by_label("Date it took place")).to_have_value(f"{held_on:%d/%m/%Y}")
    minutes = page.get_by_label("How many minutes it lasted")
    expect(minutes).to_have_value("60")
    minutes.focus()
    page.keyboard.press("ControlOrMeta+a")
    typist.type("90")
    page.keyboard.press("Enter")

    expect(page).to_have_url(session_url)
    expect(success_banner(page)).to_contain_text("Recorded as held.")
    expect(summary_row(page, "Lasted")).to_have_text("90 minutes")
    expect(page.get_by_role("heading", level=2, name="Record of this session")).to_be_visible()
    expect(summary_row(page, "Status").last).to_have_text("Draft")
    assert_accessible(page)

    # 2. The writing page: the agenda in place, the sections collapsed until needed.
    page.get_by_role("link", name="Open the record of this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Write the record")
    expect(page).to_have_url(re.compile(r"/records/\d+/write/$"))
    record_url = page.url.removesuffix("write/")
    for item in items:
        expect(page.get_by_label(item.title, exact=True)).to_have_value("")
    sections = page.locator("details.govuk-details[id^=section-]")
    expect(sections).to_have_count(3)
    for index in range(3):
        expect(sections.nth(index)).not_to_have_attribute("open", "")
    status = page.locator("#autosave-status")
    expect(status).to_have_text("Your draft is saved as you type.")

    def field(name: str) -> Locator:
        return page.locator(f"#id_{name}")

    def summary(key: str) -> Locator:
        return page.locator(f"#section-{key} > summary")

    # Notes on each agenda item, Tab from one to the next.
    field(f"agenda-{items[0].pk}").focus()
    typist.type("18 cases; two visits overdue, both booked for this week.")
    typist.tab_to(field(f"agenda-{items[1].pk}"))
    typist.type("Mid-point review on track; two reflective logs to finish.")
    typist.tab_to(field(f"agenda-{items[2].pk}"))
    typist.type("Draft due Friday; Sam reads it on Wednesday.")

    # The sections, opened from the keyboard.
    typist.tab_to(summary("performance"))
    typist.press("Enter")
    expect(page.locator("#section-performance")).to_have_attribute("open", "")
    typist.tab_to(field("performance"))
    typist.type("Workload high but manageable; visits recorded on time.")

    # Autosave: the draft is saved a few seconds after the typing stops.
    # (Version 2 unless a slow machine paused long enough mid-way for an earlier autosave.)
    expect(status).to_contain_text(re.compile(r"Saved at \d\d:\d\d \(version \d+\)\."))
    saved = re.search(r"\(version (\d+)\)", status.inner_text())
    assert saved and int(saved.group(1)) >= 2
    # The page's next save starts from the version just saved: no conflict with itself.
    expect(field("base_version")).to_have_value(saved.group(1))

    typist.tab_to(summary("development"))
    typist.press("Enter")
    typist.tab_to(field("development"))
    typist.type("PCF domain 6 evidence from the court report.")
    typist.tab_to(summary("welfare"))
    typist.press("Enter")
    expect(page.locator("#section-welfare")).to_contain_text(
        "Only you and Sue Supervisee read this section."
    )
    typist.tab_to(field("welfare"))
    typist.type(WELFARE)

    # One case discussion, with a decision and its rationale (the reflection stays closed).
    typist.tab_to(field("case-0-case_reference"))
    typist.type("CF-204981")
    typist.tab_to(field("case-0-label"))
    typist.type("Sibling group, child protection plan")
    typist.tab_to(field("case-0-discussion"))
    typist.type("Progress against the plan; the school's concerns about attendance.")
    typist.tab_to(page.locator("#case-0 details > summary"))
    typist.tab_to(field("case-0-decision"))
    typist.type("Hold a core group meeting within 10 working days.")
    typist.tab_to(field("case-0-rationale"))
    typist.type("Attendance has fallen for three weeks running.")
    typist.tab_to(page.get_by_role("button", name="Add another case"))

    # Two actions: owner by the radios' keys, due date typed.
    typist.tab_to(field("action-0-text"))
    typist.type("Book the core group meeting")
    typist.tab_to(page.locator("#action-0 input[type=radio]").first)
    typist.choose("Space")
    expect(page.get_by_role("radio", name="Sam Supervisor (supervisor)").first).to_be_checked()
    typist.tab_to(field("action-0-due_on"))
    typist.type(f"{due:%d/%m/%Y}")
    typist.tab_to(field("action-0-case_reference"))
    typist.type("CF-204981")
    typist.tab_to(field("action-1-text"))
    typist.type("Finish two reflective logs for the ASYE portfolio")
    typist.tab_to(page.locator("#action-1 input[type=radio]").first)
    typist.choose("ArrowRight")
    expect(page.locator("#action-1 input[type=radio]").nth(1)).to_be_checked()
    expect(page.locator("#action-1 input[type=radio]").nth(1)).to_be_focused()
    typist.tab_to(field("action-1-due_on"))
    typist.type(f"{due_later:%d/%m/%Y}")
    typist.tab_to(field("action-1-case_reference"))
    assert_accessible(page)

    typist.tab_to(page.get_by_role("button", name="Add another action"))
    share = page.get_by_role("button", name="Save and share with Sue Supervisee")
    typist.tab_to(share)
    typist.press("Enter")

    # 3. Shared: the record as Sue will read it.
    expect(page).to_have_url(record_url)
    expect(success_banner(page)).to_contain_text("Shared with Sue Supervisee, who has been told.")
    loads, fields = len(page_loads), typist.fields
    print(
        f"\nFrom 'session held' to 'record shared': {loads} page loads, {fields} fields filled "
        f"({', '.join(url.removeprefix(live_server.url) for url in page_loads)})"
    )
    assert loads <= MAX_PAGE_LOADS, page_loads
    assert fields <= MAX_FIELDS
    page.remove_listener("load", on_load)

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Supervision record, {held_on.day} {held_on:%B %Y}"
    )
    expect(summary_row(page, "Status")).to_contain_text("Shared, awaiting signatures")
    expect(summary_row(page, "Caseload and allocation")).to_have_text(
        "18 cases; two visits overdue, both booked for this week."
    )
    expect(summary_row(page, "Court report for CF-204981")).to_contain_text("Draft due Friday")
    expect(page.get_by_text(WELFARE)).to_be_visible()
    expect(
        page.get_by_role("heading", name="Case CF-204981: Sibling group, child protection plan")
    ).to_be_visible()
    expect(summary_row(page, "Decision")).to_have_text(
        "Hold a core group meeting within 10 working days."
    )
    expect(summary_row(page, "Rationale")).to_have_text(
        "Attendance has fallen for three weeks running."
    )
    actions = page.get_by_role("table", name="Actions agreed").locator("tbody tr")
    expect(actions).to_have_count(2)
    expect(actions.nth(0)).to_contain_text("Book the core group meeting")
    expect(actions.nth(0)).to_contain_text("Sam Supervisor")
    expect(actions.nth(0)).to_contain_text(f"{due.day} {due:%B %Y}")
    expect(actions.nth(1)).to_contain_text("Finish two reflective logs")
    expect(actions.nth(1)).to_contain_text("Sue Supervisee")
    assert_accessible(page)
    sign_out(page)

    # 4. Sue reads it from My supervision, records a disagreement with one line, and signs.
    sign_in(page, live_server, "sue@riverside.test", cast.password)
    expect(page.get_by_role("heading", level=1)).to_have_text("My supervision")
    to_finish = page.get_by_role("table", name="Supervision records not yet signed by both")
    row = to_finish.get_by_role("row").filter(has_text="Sam Supervisor")
    expect(row).to_contain_text("Read and sign")
    row.get_by_role("link", name=re.compile(r": the record$")).click()
    expect(page).to_have_url(record_url)
    expect(page.get_by_text(WELFARE)).to_be_visible()

    page.get_by_role("link", name="Record a disagreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a disagreement")
    expect(page.get_by_role("list").filter(has_text="This goes to")).to_contain_text(
        "This goes to Mia Manager, team manager."
    )
    assert_accessible(page)
    page.get_by_label("What you disagree with, and why").fill(DISAGREEMENT)
    page.get_by_role("button", name="Record the disagreement").click()

    expect(page).to_have_url(f"{record_url}#disagreements")
    expect(success_banner(page)).to_contain_text(
        "It has gone to Mia Manager, team manager, who will record the resolution."
    )
    expect(page.get_by_text(DISAGREEMENT)).to_be_visible()
    expect(summary_row(page, "Resolution")).to_contain_text("Waiting for a resolution")
    page.get_by_role("button", name=re.compile(r"^Sign version \d+$")).click()
    expect(success_banner(page)).to_contain_text("Sam Supervisor has been asked to sign it too.")
    expect(summary_row(page, "Signatures")).to_contain_text("Sue Supervisee (supervisee) signed")
    sign_out(page)

    # 5. Sam signs: agreed and signed by both, and it will not change again.
    sign_in(page, live_server, "sam@riverside.test", cast.password)
    page.goto(record_url)
    expect(page.get_by_text(DISAGREEMENT)).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Sign version \d+$")).click()
    expect(success_banner(page)).to_contain_text(
        "The record is agreed and signed by both: it will not change again."
    )
    expect(summary_row(page, "Status")).to_contain_text("Signed by both")
    expect(summary_row(page, "Signatures").get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_role("link", name="Change the record")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile(r"^Sign version"))).to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # 6. Mia finds the disagreement on My supervision and resolves it.
    sign_in(page, live_server, "mia@riverside.test", cast.password)
    expect(page.get_by_role("heading", level=2, name="Disagreements to resolve")).to_be_visible()
    page.get_by_role(
        "link", name=f"Sue Supervisee, on the record of {held_on.day} {held_on:%B %Y}"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A disagreement with the record")
    expect(summary_row(page, "What they said")).to_have_text(DISAGREEMENT)
    expect(summary_row(page, "Resolution")).to_contain_text("Waiting for a resolution")
    assert_accessible(page)
    page.get_by_label("Resolution").fill(RESOLUTION)
    page.get_by_role("button", name="Record the resolution").click()

    expect(success_banner(page)).to_contain_text("Resolution recorded.")
    expect(summary_row(page, "Resolution")).to_contain_text(RESOLUTION)
    expect(summary_row(page, "Resolution")).to_contain_text("Mia Manager")
    expect(page.get_by_role("button", name="Record the resolution")).to_have_count(0)
    assert_accessible(page)

    # The record beside it shows both, without the welfare section.
    page.get_by_role("link", name="Read the record").click()
    expect(page).to_have_url(record_url)
    expect(page.get_by_text(DISAGREEMENT)).to_be_visible()
    expect(summary_row(page, "Resolution")).to_contain_text(RESOLUTION)
    expect(page.get_by_role("heading", level=2, name="Welfare and support")).to_be_visible()
    expect(
        page.get_by_text("Only Sue Supervisee and Sam Supervisor read this section.")
    ).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("annual leave booked for May")
    expect(summary_row(page, "Decision")).to_have_text(
        "Hold a core group meeting within 10 working days."
    )
    assert_accessible(page)

    # 7. The records list.
    page.get_by_role("link", name="Back to records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision records")
    listed = page.get_by_role("table", name=re.compile(r"^1 record$")).locator("tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Sue Supervisee")
    expect(listed).to_contain_text("Signed by both")
    assert_accessible(page)
