"""The agreement's page shows its sessions for the next 12 months and proposes them."""

from __future__ import annotations

import pytest

from tandem.agreements.tests.factories import signed_agreement
from tandem.meetings.models import Session
from tandem.organisations.models import SupervisionRelationship

pytestmark = pytest.mark.dated


@pytest.fixture
def agreement(cast):
    return signed_agreement(SupervisionRelationship.objects.get(supervisee=cast.supervisee))


def test_a_party_proposes_the_schedule_and_sees_it_on_the_agreement(cast, agreement):
    sam = cast.client_for(cast.supervisor)
    page = sam.get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Dates of supervision meetings (next 12 months)" in page
    assert "No sessions are booked for the next 12 months." in page

    response = sam.post(
        f"/agreements/{agreement.pk}/schedule/", {"weekday": "2", "at": "14:30"}, follow=True
    )

    page = response.content.decode()
    sessions = Session.objects.filter(supervisee=cast.supervisee)
    assert sessions.count() >= 12 and f"{sessions.count()} sessions proposed" in page
    assert all(s.from_schedule and s.supervisor == cast.supervisor for s in sessions)
    first = sessions.order_by("starts_at").first()
    assert f'href="/sessions/{first.pk}/"' in page


def test_a_bad_time_says_so_and_proposes_nothing(cast, agreement):
    response = cast.client_for(cast.supervisee).post(
        f"/agreements/{agreement.pk}/schedule/", {"weekday": "2", "at": "25:99"}, follow=True
    )
    assert "Choose a usual day, and a time such as 14:30." in response.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("manager", 403), ("colleague", 403), ("outsider", 404)]
)
def test_only_the_parties_propose_a_schedule(cast, agreement, who, status):
    response = cast.client_for(getattr(cast, who)).post(
        f"/agreements/{agreement.pk}/schedule/", {"weekday": "2", "at": "14:30"}
    )
    assert response.status_code == status
    assert not Session.objects.exists()


def test_a_manager_reads_the_schedule_without_the_form(cast, agreement):
    page = cast.client_for(cast.manager).get(f"/agreements/{agreement.pk}/").content.decode()
    assert "Dates of supervision meetings (next 12 months)" in page
    assert "Propose the 12-month schedule" not in page
