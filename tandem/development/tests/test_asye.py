"""The ASYE as an NQSW, her supervisor and her assessor meet it: dates that pauses and part-time
working push back, a programme changed without rewriting anyone's past, reviews booked on
working days and recorded, the caseload flag, observations with the family's feedback through
a link, the recommendation and the panel."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.tests.shared import noon
from tandem.development import asye_dates, asye_selectors, services
from tandem.development.asye_dates import Pause
from tandem.development.models import AsyeStatus, Observation
from tandem.meetings.models import Session
from tandem.organisations.tests.factories import PersonFactory

day = datetime.date
TODAY = day(2026, 12, 7)
at_today = time_machine.travel(noon(TODAY), tick=False)


# The calendar (no database)


def test_with_no_pause_month_m_is_m_calendar_months_on():
    assert asye_dates.date_of_month(day(2026, 9, 1), 3, []) == day(2026, 12, 1)
    assert asye_dates.date_of_month(day(2026, 1, 31), 1, []) == day(2026, 2, 28)


def test_a_pause_pushes_every_later_date_back_by_its_length():
    pause = Pause(day(2026, 10, 1), day(2026, 10, 20))  # 20 days
    start = day(2026, 9, 1)
    assert asye_dates.date_of_month(start, 3, [pause]) == day(2026, 12, 21)
    assert asye_dates.date_of_month(start, 12, [pause]) == day(2027, 9, 21)
    # A date before the pause does not move.
    assert asye_dates.date_of_month(start, 1, [Pause(day(2026, 11, 1), day(2026, 11, 9))]) == (
        day(2026, 10, 1)
    )


def test_a_year_at_60_percent_takes_20_months():
    start = day(2026, 9, 1)
    whole_year = Pause(start, day(2030, 1, 1), Decimal("0.6"))
    end = asye_dates.date_of_month(start, 12, [whole_year])
    assert abs((end - (start + relativedelta(months=20))).days) <= 1


@given(
    start=st.dates(min_value=day(2020, 1, 1), max_value=day(2030, 1, 1)),
    offset=st.integers(min_value=0, max_value=300),
    length=st.integers(min_value=1, max_value=200),
    month=st.integers(min_value=1, max_value=13),
)
def test_a_pause_never_brings_a_date_forward_and_delays_it_at_most_its_length(
    start, offset, length, month
):
    pause = Pause(
        start + datetime.timedelta(days=offset), start + datetime.timedelta(offset + length - 1)
    )
    plain = asye_dates.date_of_month(start, month, [])
    paused = asye_dates.date_of_month(start, month, [pause])
    assert plain <= paused <= plain + datetime.timedelta(days=length)
    if pause.starts_on < plain:
        assert paused == plain + datetime.timedelta(days=length)


def test_a_pause_that_ends_before_it_starts_is_refused():
    problems = asye_dates.pause_problems(
        day(2026, 10, 5),
        day(2026, 10, 1),
        asye_starts_on=day(2026, 9, 1),
        fte_percent=None,
        part_time=False,
    )
    assert set(problems) == {"ends_on"}
    assert set(
        asye_dates.pause_problems(
            day(2026, 10, 1),
            day(2026, 10, 5),
            asye_starts_on=day(2026, 9, 1),
            fte_percent=100,
            part_time=True,
        )
    ) == {"fte_percent"}


# With the database


@pytest.fixture
def nqsw_asye(cast):
    with time_machine.travel(noon(TODAY), tick=False):
        return services.asye_start(
            person=cast.supervisee,
            starts_on=day(2026, 9, 1),
            assessor=cast.colleague,  # the assessor is not her supervisor
            by=cast.supervisor,
        )


@pytest.mark.django_db
@at_today
def test_the_reviews_are_planned_and_a_pause_moves_the_ones_not_held(cast, nqsw_asye):
    due = {r.key: r.due_on for r in nqsw_asye.reviews.all()}
    assert due == {
        "3m": day(2026, 12, 1),
        "6m": day(2027, 3, 1),
        "9m": day(2027, 6, 1),
        "12m": day(2027, 9, 1),
        "panel": day(2027, 10, 1),
    }
    three = nqsw_asye.reviews.get(key="3m")
    services.asye_review_record(
        review=three,
        held_on=day(2026, 12, 2),
        progress="Settling in.",
        assessor_view="On track.",
        nqsw_view="",
        by=cast.colleague,
    )
    services.asye_pause_add(
        asye=nqsw_asye,
        kind="sickness",
        starts_on=day(2026, 11, 1),
        ends_on=day(2026, 11, 14),
        fte_percent=None,
        note="",
        by=cast.supervisor,
    )
    after = {r.key: r.due_on for r in nqsw_asye.reviews.all()}
    assert after["3m"] == day(2026, 12, 1)  # held: its date stays
    assert after["6m"] == day(2027, 3, 15) and after["12m"] == day(2027, 9, 15)
    nqsw_asye.refresh_from_db()
    assert nqsw_asye.ends_on == day(2027, 9, 15)
    position = asye_selectors.asye_position(nqsw_asye)
    assert position.next_review.review.key == "6m"
    assert position.reviews[0].on_time is False  # held on 2 December, due on 1 December


@pytest.mark.django_db
@at_today
def test_part_time_working_slows_the_clock_and_a_long_asye_warns(cast, nqsw_asye):
    services.asye_pause_add(
        asye=nqsw_asye,
        kind="part_time",
        starts_on=day(2026, 9, 1),
        ends_on=day(2028, 12, 31),
        fte_percent=50,
        note="Two and a half days a week",
        by=cast.supervisor,
    )
    nqsw_asye.refresh_from_db()
    # 365 days of ASYE time at half a day a day: 730 days (2028 has a 29 February).
    assert nqsw_asye.ends_on == day(2026, 9, 1) + datetime.timedelta(days=730)
    position = asye_selectors.asye_position(nqsw_asye)
    assert position.near_longest and not position.beyond_longest
    assert position.protected_hours_a_week == Decimal("1.9")
    with pytest.raises(ValidationError) as error:
        services.asye_pause_add(
            asye=nqsw_asye,
            kind="sickness",
            starts_on=day(2026, 10, 5),
            ends_on=day(2026, 10, 1),
            fte_percent=None,
            note="",
            by=cast.supervisor,
        )
    assert set(error.value.message_dict) == {"ends_on"}
    assert nqsw_asye.pauses.count() == 1


@pytest.mark.django_db
@at_today
def test_a_changed_programme_leaves_an_nqsw_already_on_it_as_she_was(cast, nqsw_asye):
    programme = nqsw_asye.programme
    fields = {key: getattr(programme, key) for key in services.PROGRAMME_FIELDS}
    fields["review_points"] = [
        {"key": "4m", "label": "4-month review", "month": 4, "optional": False, "panel": False},
        {"key": "12m", "label": "Final review", "month": 12, "optional": False, "panel": False},
    ]
    revised = services.programme_revise(
        programme=programme, by=cast.admin, fields=fields, effective_from=TODAY
    )
    assert revised.version == 2
    assert sorted(nqsw_asye.reviews.values_list("key", flat=True)) == [
        "12m",
        "3m",
        "6m",
        "9m",
        "panel",
    ]
    newcomer = PersonFactory(organisation=cast.organisation, staff_category="nqsw_asye")
    later = services.asye_start(person=newcomer, starts_on=TODAY, assessor=None, by=cast.manager)
    assert later.programme == revised
    assert list(later.reviews.values_list("key", flat=True)) == ["4m", "12m"]
    with pytest.raises(ValidationError) as error:
        services.programme_revise(
            programme=revised,
            by=cast.admin,
            fields=fields,
            effective_from=TODAY - datetime.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"effective_from"}


@pytest.mark.django_db
@at_today
def test_the_caseload_is_flagged_above_its_weighting(cast, nqsw_asye):
    position = asye_selectors.asye_position(nqsw_asye)
    assert position.weight_percent == 50  # 3 months in: up to month 6, half a caseload
    assert position.caseload_limit == 10
    services.caseload_enter(asye=nqsw_asye, on=TODAY, cases=10, by=cast.supervisee)
    assert not asye_selectors.asye_position(nqsw_asye).above_weighting
    services.caseload_enter(asye=nqsw_asye, on=TODAY, cases=11, by=cast.supervisor)
    assert asye_selectors.asye_position(nqsw_asye).above_weighting


@pytest.mark.django_db
@at_today
def test_a_review_is_booked_as_a_session_on_a_working_day(cast, nqsw_asye):
    six = nqsw_asye.reviews.get(key="6m")
    assert services.review_suggested_day(six) == day(2027, 3, 1)  # a Monday
    sunday = noon(day(2027, 2, 28))
    with pytest.raises(ValidationError) as error:
        services.asye_review_book(
            review=six, starts_at=sunday, duration_minutes=90, location="", by=cast.colleague
        )
    assert "not a working day" in error.value.message_dict["starts_at"][0]
    services.asye_review_book(
        review=six,
        starts_at=noon(day(2027, 3, 1)),
        duration_minutes=90,
        location="Room 4",
        by=cast.colleague,
    )
    session = Session.objects.get()
    assert (session.supervisor, session.supervisee) == (cast.colleague, cast.supervisee)
    six.refresh_from_db()
    assert six.session == session


@pytest.mark.django_db
@at_today
def test_the_family_gives_feedback_through_a_link_once(cast, nqsw_asye, client):
    with pytest.raises(ValidationError):
        services.observation_save(
            asye=nqsw_asye,
            by=cast.colleague,
            fields={"observed_on": TODAY, "observation": "x", "domains": [1], "consent": False},
        )
    observation = services.observation_save(
        asye=nqsw_asye,
        by=cast.colleague,
        fields={
            "observed_on": day(2026, 12, 1),
            "consent": True,
            "consent_note": "Verbally, at the door",
            "observation": "A home visit about school attendance.",
            "domains": [7, 1, 7],
        },
    )
    assert (observation.number, observation.domains) == (1, [1, 7])
    raw = services.observation_feedback_link(observation=observation, by=cast.supervisee)
    url = reverse("family-feedback", args=[raw])
    page = client.get(url)
    assert page.status_code == 200 and "Riverside Council" in page.content.decode()
    assert "Sue" not in page.content.decode()  # nothing about the NQSW or the family
    assert client.post(url, {"feedback": ""}).status_code == 200
    done = client.post(url, {"feedback": "She listened to my son and explained things."})
    assert "Thank you" in done.content.decode()
    observation.refresh_from_db()
    assert observation.feedback.startswith("She listened") and observation.feedback_by_link
    assert client.get(url).status_code == 404  # once only
    assert Observation.objects.filter(feedback_token_hash="").count() == 1


@pytest.mark.django_db
@at_today
def test_the_assessor_recommends_and_the_panel_decides(cast, nqsw_asye):
    with pytest.raises(ValidationError):
        services.asye_panel_decide(
            asye=nqsw_asye, decision="pass", notes="Good", on=TODAY, by=cast.manager
        )
    with pytest.raises(ValidationError) as error:
        services.asye_recommend(
            asye=nqsw_asye, recommendation="pass", notes="Strong", on=TODAY, by=cast.supervisor
        )
    assert "__all__" in error.value.message_dict  # the assessor recommends, not the supervisor
    services.asye_recommend(
        asye=nqsw_asye, recommendation="pass", notes="Strong year.", on=TODAY, by=cast.colleague
    )
    services.asye_panel_decide(
        asye=nqsw_asye, decision="pass", notes="Agreed.", on=TODAY, by=cast.manager
    )
    nqsw_asye.refresh_from_db()
    assert nqsw_asye.status == AsyeStatus.PASSED
    assert nqsw_asye.reviews.get(key="panel").held_on == TODAY


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "reads", "writes", "assesses", "panel"),
    [
        ("supervisee", 200, 200, 403, 403),
        ("supervisor", 200, 200, 200, 403),
        ("colleague", 200, 200, 200, 403),  # the assessor
        ("manager", 200, 403, 403, 200),
        ("admin", 403, 403, 403, 403),
        ("outsider", 404, 404, 404, 404),
    ],
)
def test_who_reads_writes_and_assesses_the_asye(
    cast, nqsw_asye, who, reads, writes, assesses, panel
):
    client = cast.client_for(getattr(cast, who))
    assert client.get(reverse("asye", args=[cast.supervisee.pk])).status_code == reads
    assert client.get(reverse("asye-evidence", args=[nqsw_asye.pk])).status_code == writes
    assert client.get(reverse("asye-observation-add", args=[nqsw_asye.pk])).status_code == assesses
    assert client.get(reverse("asye-panel", args=[nqsw_asye.pk])).status_code == panel


@pytest.mark.django_db
@at_today
def test_the_nqsw_sees_where_she_stands_and_what_is_next(cast, nqsw_asye):
    page = cast.client_for(cast.supervisee).get(reverse("asye", args=[cast.supervisee.pk]))
    text = " ".join(page.content.decode().split())
    assert "My ASYE" in text
    assert "Overdue" in text and "3-month review" in text and "was due on 1 December 2026" in text
    assert "The start self-assessment against the KSS is due by 1 September 2026" in text
    assert "Direct observations: 0 of 3 done." in text
    assert "Cole Colleague" in text  # the assessor
