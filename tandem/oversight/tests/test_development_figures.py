"""The development figures in oversight give the same answer as the development pages: for any
CPD history, a person counts as on track exactly when their own page says they are not behind,
and as having met the year exactly when it says met; revalidations due, NQSWs above their
weighting, overdue objectives, ASYE reviews held on time and observations are counted as their
definitions say, for the organisation, a unit and person by person."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.core.tests.shared import noon
from tandem.development import selectors as development
from tandem.development import services
from tandem.development.models import CpdKind
from tandem.development.selectors import CpdState
from tandem.development.tests.factories import (
    CpdRecordFactory,
    ObjectiveFactory,
    RevalidationFactory,
)
from tandem.organisations.models import StaffCategory
from tandem.organisations.tests.factories import PersonFactory
from tandem.oversight import selectors
from tandem.oversight.periods import Period
from tandem.oversight.selectors import Scope

day = datetime.date
SOCIAL_WORKERS = ("supervisee", "supervisor", "colleague", "manager")

history = st.lists(
    st.tuples(
        st.sampled_from(SOCIAL_WORKERS),
        st.dates(min_value=day(2025, 10, 1), max_value=day(2027, 1, 31)),
        st.booleans(),  # peer reflection
        st.sampled_from([CpdKind.COURSE, CpdKind.READING, CpdKind.SUPERVISION]),
    ),
    max_size=12,
)
today = st.sampled_from([day(2026, 8, 31), day(2026, 9, 1), day(2026, 11, 30), day(2026, 12, 1)])


@pytest.mark.django_db
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=history, on=today)
def test_cpd_in_oversight_is_the_cpd_of_each_person_s_page(cast, records, on):
    with transaction.atomic(), time_machine.travel(noon(on), tick=False):
        for who, done_on, peer, kind in records:
            if done_on <= on:
                CpdRecordFactory(
                    person=getattr(cast, who),
                    done_on=done_on,
                    peer_reflection=peer,
                    kind=kind,
                    peer_with="A peer" if peer else "",
                )
        period = Period.month(on)
        by_person = selectors.figures_by(Scope(cast.organisation), period, on, by="person")
        whole = selectors.figures(Scope(cast.organisation), period, on)
        expected_on_track = expected_met = 0
        for who in SOCIAL_WORKERS:
            person = getattr(cast, who)
            state = development.swe_position(person, on).state
            figures = by_person[person.pk]
            assert figures.cpd_people == 1
            assert figures.cpd_on_track == (state != CpdState.BEHIND), (who, state)
            assert figures.cpd_met == (state == CpdState.MET), (who, state)
            expected_on_track += state != CpdState.BEHIND
            expected_met += state == CpdState.MET
        # The director and the head of service are social workers too (with no CPD logged);
        # the admin is not.
        assert whole.cpd_people == len(SOCIAL_WORKERS) + 2
        assert whole.cpd_met == expected_met
        before_reminders = on < day(on.year, 9, 1) or on >= day(on.year, 12, 1)
        assert whole.cpd_on_track == expected_on_track + (2 if before_reminders else 0)
        transaction.set_rollback(True)


@pytest.mark.django_db
@time_machine.travel(noon(day(2026, 12, 7)), tick=False)
def test_the_other_development_figures_count_as_defined(cast):
    on = day(2026, 12, 7)
    nurse = PersonFactory(
        organisation=cast.organisation,
        staff_category=StaffCategory.NURSE,
        team=cast.supervisee.team,
    )
    RevalidationFactory(person=nurse, due_on=on + datetime.timedelta(days=90))
    later = PersonFactory(organisation=cast.organisation, staff_category=StaffCategory.NURSE)
    RevalidationFactory(person=later, due_on=on + datetime.timedelta(days=91))
    ObjectiveFactory(person=cast.supervisee, target_on=on - datetime.timedelta(days=1))
    ObjectiveFactory(person=cast.supervisee, target_on=on)  # due today: not overdue yet
    asye = services.asye_start(
        person=cast.supervisee,
        starts_on=day(2026, 6, 1),
        assessor=cast.supervisor,
        by=cast.manager,
    )
    # The 3-month review (1 September) was held on time; the 6-month one (1 December) is not.
    services.asye_review_record(
        review=asye.reviews.get(key="3m"),
        held_on=day(2026, 9, 1),
        progress="Good",
        assessor_view="On track",
        nqsw_view="",
        by=cast.supervisor,
    )
    services.caseload_enter(asye=asye, on=on, cases=15, by=cast.supervisee)  # limit 70% of 20
    services.observation_save(
        asye=asye,
        by=cast.supervisor,
        fields={
            "observed_on": day(2026, 11, 3),
            "consent": True,
            "observation": "A visit",
            "domains": [7],
        },
    )
    team = Scope(cast.organisation, unit=cast.supervisee.team)
    autumn = Period(day(2026, 9, 1), day(2026, 12, 31))
    f = selectors.figures(team, autumn, on)
    assert (f.revalidations_due, f.objectives_overdue) == (1, 1)
    assert (f.nqsws, f.nqsw_above_weighting) == (1, 1)
    assert (f.asye_reviews_due, f.asye_reviews_on_time, f.asye_on_time_percent) == (2, 1, 50)
    assert f.observations == 1
    assert development.revalidation_position(nurse.revalidations.get()).due_soon
    whole = selectors.figures(Scope(cast.organisation), autumn, on)
    assert whole.revalidations_due == 1  # the one due in 91 days is not yet
    # The unit's figures add up from its people.
    by_person = selectors.figures_by(team, autumn, on, by="person")
    assert selectors.figures_total(by_person.values()).as_dict() == f.as_dict()
    assert Decimal(f.asye_on_time_percent) == Decimal(50)
