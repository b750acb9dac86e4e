"""The development tests fix "today" to a day in December 2026 (to check registration years,
renewal dates and ASYE stages against known dates). The cast's supervision relationships start
90 days before the day the suite runs, so a test back in 2026 would find them not begun yet:
they start long before any day these tests visit."""

import datetime

import pytest

from tandem.organisations.models import SupervisionRelationship

LONG_AGO = datetime.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def relationships_from_long_ago(request: pytest.FixtureRequest) -> None:
    if "cast" in request.fixturenames:
        cast = request.getfixturevalue("cast")
        SupervisionRelationship.objects.filter(organisation=cast.organisation).update(
            starts_on=LONG_AGO
        )
