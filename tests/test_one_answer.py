"""One answer per question, across the apps: whether a person may open an agreement or a
session (the ``rules`` predicate pages and the API ask) and whether it is in their list (the
selector the lists call) are written separately; hypothesis builds organisations of every shape
(line management moved, supervisors changed, people moved between teams) and checks that the two
always agree. Records have the same proof in tandem/records/tests/test_one_answer.py."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.agreements.selectors import agreements_visible_to
from tandem.agreements.tests.factories import signed_agreement
from tandem.meetings.models import Session, SessionStatus
from tandem.meetings.selectors import sessions_visible_to
from tandem.organisations.models import Person, SupervisionKind, SupervisionRelationship, Team
from tandem.organisations.tests.factories import RelationshipFactory

PEOPLE = (
    "director",
    "head_of_service",
    "manager",
    "supervisor",
    "supervisee",
    "colleague",
    "admin",
)
EVERYONE = (*PEOPLE, "outsider")
KINDS = (SupervisionKind.LINE, SupervisionKind.PROFESSIONAL)

pair = st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)).filter(lambda p: p[0] != p[1])
shape = st.fixed_dictionaries(
    {
        "pairs": st.lists(
            st.tuples(pair, st.sampled_from(KINDS)),
            min_size=1,
            max_size=3,
            unique_by=lambda x: (x[0][1], x[1]),  # one current supervisor per person and kind
        ),
        "changed": st.lists(st.tuples(st.integers(0, 2), st.sampled_from(PEOPLE)), max_size=2),
        "moves": st.lists(st.tuples(st.sampled_from(PEOPLE), st.integers(0, 3)), max_size=3),
        "members": st.lists(st.tuples(st.integers(0, 2), st.sampled_from(PEOPLE)), max_size=2),
    }
)
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _relationship(cast, supervisor, supervisee, kind):
    SupervisionRelationship.objects.filter(supervisee=supervisee, kind=kind).delete()
    return RelationshipFactory(supervisor=supervisor, supervisee=supervisee, kind=kind)


def _build(cast, drawn):
    """Agreements and sessions for the drawn pairs, some supervisors changed since (the old
    agreement due for review), some people moved to other units."""
    agreements, sessions = [], []
    start = timezone.now() - datetime.timedelta(days=3)
    for (a, b), kind in drawn["pairs"]:
        supervisor, supervisee = getattr(cast, a), getattr(cast, b)
        agreements.append(signed_agreement(_relationship(cast, supervisor, supervisee, kind)))
        sessions.append(
            Session.objects.create(
                organisation=cast.organisation,
                supervisor=supervisor,
                supervisee=supervisee,
                starts_at=start,
                duration_minutes=60,
                status=SessionStatus.HELD,
            )
        )
    changed = set()
    for index, who in drawn["changed"]:
        agreement = agreements[index % len(agreements)]
        new = getattr(cast, who)
        if new.pk in (agreement.supervisee_id, agreement.supervisor_id) or agreement.pk in changed:
            continue
        changed.add(agreement.pk)
        SupervisionRelationship.objects.filter(pk=agreement.relationship_id).update(
            ends_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        RelationshipFactory(
            supervisor=new, supervisee=agreement.supervisee, kind=agreement.relationship.kind
        )
        Agreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.DUE_FOR_REVIEW)
    for index, who in drawn["members"]:
        session = sessions[index % len(sessions)]
        session.members.add(getattr(cast, who))
    teams = list(Team.objects.for_organisation(cast.organisation).order_by("pk"))
    for who, team in drawn["moves"]:
        Person.objects.filter(pk=getattr(cast, who).pk).update(team=teams[team % len(teams)])
    return agreements, sessions


def _viewer(cast, name):
    person = Person.objects.select_related("user").get(pk=getattr(cast, name).pk)
    return person, person.user.has_perm("organisations.list_people")


@pytest.mark.django_db
@EXAMPLES
@given(drawn=shape)
def test_a_person_opens_an_agreement_or_a_session_exactly_when_it_is_listed(cast, drawn):
    with transaction.atomic():
        agreements, sessions = _build(cast, drawn)
        for name in EVERYONE:
            person, everyone = _viewer(cast, name)
            listed = set(
                agreements_visible_to(person=person, can_see_everyone=everyone).values_list(
                    "pk", flat=True
                )
            )
            for agreement in Agreement.objects.filter(pk__in=[a.pk for a in agreements]):
                opens = person.user.has_perm("agreements.view_agreement", agreement)
                assert opens == (agreement.pk in listed), (name, "agreement", drawn)
            listed = set(
                sessions_visible_to(person=person, can_see_everyone=everyone).values_list(
                    "pk", flat=True
                )
            )
            for session in Session.objects.filter(pk__in=[s.pk for s in sessions]):
                opens = person.user.has_perm("meetings.view_session", session)
                assert opens == (session.pk in listed), (name, "session", drawn)
        transaction.set_rollback(True)
