"""One answer per question, across the apps: whether a person may open an agreement or a
session (the ``rules`` predicate pages and the API ask) and whether it is in their list (the
selector the lists call) are written separately; hypothesis builds organisations of every shape
(line management moved, supervisors changed, people moved between teams) and checks that the two
always agree. The same for oversight: the dashboards and compliance pages a person may open,
against the units and staff lists of the scopes they may choose. Records have the same proof in
tandem/records/tests/test_one_answer.py."""

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
from tandem.organisations.models import (
    Person,
    Role,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)
from tandem.organisations.selectors import person_for_user
from tandem.organisations.tests.factories import RelationshipFactory, RoleGrantFactory, TeamFactory
from tandem.oversight.selectors import (
    Scope,
    may_oversee_person,
    may_oversee_unit,
    oversight_of,
    staff_in,
    unit_with_parents,
    units_overseen,
)

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


# Oversight: whose dashboards and compliance pages a person may open.

UNITS = ("directorate", "service", "team", "other team", "second service", "second directorate")
units_shape = st.fixed_dictionaries(
    {
        # The unit each unit sits under (a team under a service, a service under a directorate
        # or none), and who leads it (or nobody).
        "parents": st.lists(st.tuples(st.integers(2, 3), st.sampled_from((1, 4))), max_size=2),
        "services": st.lists(st.tuples(st.sampled_from((1, 4)), st.sampled_from((0, 5, None)))),
        "managers": st.lists(
            st.tuples(st.integers(0, 5), st.sampled_from((*PEOPLE, None))), max_size=4
        ),
        "moves": st.lists(
            st.tuples(st.sampled_from(PEOPLE), st.sampled_from((0, 1, 2, 3, 4, 5, None))),
            max_size=4,
        ),
        "roles": st.lists(
            st.tuples(st.sampled_from(PEOPLE), st.sampled_from((Role.SENIOR_LEADER, Role.ADMIN))),
            max_size=2,
            unique=True,
        ),
    }
)


def _units(cast, drawn):
    """The cast's four units and two more, rearranged, re-led and re-staffed as drawn."""
    org = cast.organisation
    named = {t.name: t for t in Team.objects.for_organisation(org)}
    units = [
        named["Children's Services"],
        named["Safeguarding"],
        named["Assessment Team"],
        named["Fostering Team"],
        TeamFactory(organisation=org, name="Early Help", kind=TeamKind.SERVICE),
        TeamFactory(organisation=org, name="Adult Services", kind=TeamKind.DIRECTORATE),
    ]
    for team, service in drawn["parents"]:
        Team.objects.filter(pk=units[team].pk).update(parent=units[service])
    for service, directorate in drawn["services"]:
        parent = None if directorate is None else units[directorate]
        Team.objects.filter(pk=units[service].pk).update(parent=parent)
    for unit, who in drawn["managers"]:
        manager = None if who is None else getattr(cast, who)
        Team.objects.filter(pk=units[unit].pk).update(manager=manager)
    for who, unit in drawn["moves"]:
        team = None if unit is None else units[unit]
        Person.objects.filter(pk=getattr(cast, who).pk).update(team=team)
    for who, role in drawn["roles"]:
        person = getattr(cast, who)
        if not person.role_grants.filter(role=role).exists():
            RoleGrantFactory(person=person, role=role)
    return [unit_with_parents(org, unit.pk) for unit in units]


@pytest.mark.django_db
@EXAMPLES
@given(drawn=units_shape)
def test_a_person_opens_a_dashboard_or_a_compliance_page_exactly_when_it_is_listed(cast, drawn):
    """A unit's dashboard opens (``may_oversee_unit``, walking the loaded parents in Python)
    exactly for the units of ``units_overseen`` (SQL); a person's compliance page opens
    (``may_oversee_person``, through the line-management walk) exactly for the people on the
    staff lists of the scopes the viewer may choose (``staff_in``, through the scope's walk)."""
    today = timezone.localdate()
    with transaction.atomic():
        units = _units(cast, drawn)
        everyone_there = list(Person.objects.filter(pk__in=[getattr(cast, n).pk for n in EVERYONE]))
        for name in EVERYONE:
            viewer = person_for_user(getattr(cast, name).user)
            access = oversight_of(viewer)
            listed_units = set(units_overseen(access).values_list("pk", flat=True))
            for unit in units:
                opens = may_oversee_unit(access, unit)
                assert opens == (unit.pk in listed_units), (name, unit.name, drawn)
            scopes = []
            if access is not None:
                whole = access.whole_organisation
                chosen = [None] if whole else list(access.units)
                scopes = [Scope(access.organisation, unit) for unit in chosen]
            listed_people = {
                pk for s in scopes for pk in staff_in(s, today).values_list("pk", flat=True)
            }
            for person in everyone_there:
                opens = may_oversee_person(access, viewer, person) if viewer else False
                assert opens == (person.pk in listed_people), (name, str(person), drawn)
        transaction.set_rollback(True)
