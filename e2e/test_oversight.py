"""The oversight dashboards in a real browser (issue 6): the assistant director opens the
organisation's dashboard, sees the 12-month trend as a chart and as a table, chooses a service
with the filter, drills down to a team and to one person. axe-core checks every page on the
way."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.core.tests.shared import noon
from tandem.meetings.models import Session, SessionStatus
from tandem.organisations.models import Person, StaffCategory
from tandem.oversight.services.windows import windows_refresh

from .conftest import assert_accessible, sign_in

if TYPE_CHECKING:
    from conftest import Cast

pytestmark = pytest.mark.browser

TODAY = datetime.date(2026, 11, 23)


def held(cast: Cast, supervisor: Person, supervisee: Person, day: datetime.date) -> None:
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
    Session.objects.create(
        organisation=cast.organisation,
        supervisor=supervisor,
        supervisee=supervisee,
        starts_at=starts_at,
        duration_minutes=90,
        status=SessionStatus.HELD,
        held_started_at=starts_at,
        held_minutes=90,
    )


def a_year_of_supervision(cast: Cast) -> None:
    """Figures from January 2026: Sue and Cole are supervised every month; Sam from May;
    Mia only from September. The trend improves."""
    Person.objects.filter(pk=cast.supervisee.pk).update(
        staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER, asye_start=None
    )
    organisation = cast.organisation
    organisation.compliance_from = datetime.date(2026, 1, 1)
    organisation.save()
    for month in range(1, 11):
        day = datetime.date(2026, month, 12)
        held(cast, cast.supervisor, cast.supervisee, day)
        held(cast, cast.head_of_service, cast.colleague, day)
        if month >= 5:
            held(cast, cast.manager, cast.supervisor, day)
        if month >= 9:
            held(cast, cast.head_of_service, cast.manager, day)
    windows_refresh(organisation, today=TODAY)


def test_assistant_director_drills_down_from_the_organisation_to_a_person(
    page: Page, live_server: Any, cast: Cast, request: pytest.FixtureRequest
) -> None:
    clock = time_machine.travel(noon(TODAY), tick=True)  # the live server's thread shares it
    clock.start()
    request.addfinalizer(clock.stop)
    a_year_of_supervision(cast)
    sign_in(page, live_server, "ada@riverside.test", cast.password)

    # The widest dashboard she may see: the whole organisation, last month by default.
    page.goto(f"{live_server.url}/oversight/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Council")
    expect(page.get_by_text("October 2026", exact=True)).to_be_visible()
    chart = page.get_by_role(
        "img", name="Sessions held as required and records shared on time, the last 12 months"
    )
    expect(chart).to_be_visible()
    expect(chart.locator("circle > title")).to_have_count(
        10
    )  # a marker for each month with figures
    trend = page.get_by_role("table", name="The last 12 months")
    expect(trend).to_be_visible()
    october = trend.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Oct 2026"))
    expect(october.get_by_role("cell").nth(2)).to_have_text("66%")  # 4 of 6: Hal and Ada had none
    expect(page.get_by_role("img", name="Services: sessions held as required")).to_be_visible()
    assert_accessible(page)

    # Choose the service with the filter.
    page.get_by_text("Change the period, team or staff category").click()
    page.get_by_label("Team or service").select_option(label="Safeguarding (service)")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Children's Services > Safeguarding")
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    expect(breadcrumbs.get_by_role("link", name="Riverside Council")).to_be_visible()
    teams = page.get_by_role("table", name="Teams")
    expect(teams.get_by_role("rowheader")).to_have_text(
        ["Assessment Team", "Fostering Team", "Safeguarding (people directly in it)"]
    )
    expect(page.get_by_role("img", name="Teams: sessions held as required")).to_be_visible()
    assert_accessible(page)

    # The team, person by person.
    teams.get_by_role("link", name="Assessment Team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Children's Services > Safeguarding > Assessment Team"
    )
    people = page.get_by_role("table", name="Person by person")
    expect(people.get_by_role("rowheader")).to_have_text(
        ["Mia Manager", "Sue Supervisee", "Sam Supervisor"]
    )
    expect(
        page.get_by_role("link", name="Monthly report for Assessment Team, October 2026 (PDF)")
    ).to_be_visible()
    assert_accessible(page)

    # One person: what was required and what happened.
    people.get_by_role("link", name="Sue Supervisee").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sue Supervisee")
    required = page.get_by_role("table", name="Sessions required")
    expect(required.get_by_role("row")).to_have_count(2)
    expect(required).to_contain_text("Session on 12 October 2026")
    assert_accessible(page)

    # Every card says what its figure means.
    page.get_by_role(
        "link", name=re.compile(r"^What this means\s*: sessions required that were held$")
    ).click()
    expect(page.get_by_role("heading", name="Sessions required that were held")).to_be_visible()
    assert page.url.endswith("/oversight/definitions/#met")
    assert_accessible(page)
