"""The cast's supervision relationships start long before any day these tests build history
on, so a record months back is of a pair that was already together."""

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
