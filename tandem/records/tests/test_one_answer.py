"""One answer per question. Whether a person can open a record (``record_access``) and whether
it is in their list (``readable_records``) are written once each, in Python and in SQL: here
hypothesis builds organisations of every shape (line management across teams, people moved
between teams, disagreements routed to anyone) and checks that the two always agree. And what a
page or the API says a person may do to a record (``record_allowed``) is what the service lets
them do, for every party, every stranger and every state of the record."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.organisations.models import Person, SupervisionKind, SupervisionRelationship, Team
from tandem.organisations.tests.factories import RelationshipFactory
from tandem.records import services
from tandem.records.models import Disagreement, Record
from tandem.records.selectors import (
    readable_records,
    record_access,
    record_allowed,
    signed_roles_of,
)
from tandem.records.tests.factories import draft_record, write

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

pair = st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE)).filter(lambda p: p[0] != p[1])
shape = st.fixed_dictionaries(
    {
        "line": st.lists(pair, max_size=4),  # extra line-management supervisions
        "moves": st.lists(st.tuples(st.sampled_from(PEOPLE), st.integers(0, 3)), max_size=3),
        "records": st.lists(pair, min_size=1, max_size=3, unique=True),
        "routed": st.lists(st.tuples(st.integers(0, 2), st.sampled_from(EVERYONE)), max_size=3),
    }
)


def _build(cast, drawn) -> list[Record]:
    teams = list(Team.objects.for_organisation(cast.organisation).order_by("pk"))
    for supervisor, supervisee in drawn["line"]:  # a new line manager (one at a time each)
        SupervisionRelationship.objects.filter(
            supervisee=getattr(cast, supervisee), kind=SupervisionKind.LINE
        ).delete()
        RelationshipFactory(
            supervisor=getattr(cast, supervisor),
            supervisee=getattr(cast, supervisee),
            kind=SupervisionKind.LINE,
        )
    for who, team in drawn["moves"]:
        Person.objects.filter(pk=getattr(cast, who).pk).update(team=teams[team % len(teams)])
    records = [
        draft_record(cast, supervisor=getattr(cast, a), supervisee=getattr(cast, b))
        for a, b in drawn["records"]
    ]
    for index, who in drawn["routed"]:
        record = records[index % len(records)]
        routed_to = getattr(cast, who)
        if routed_to.organisation_id == record.organisation_id:
            Disagreement.objects.create(
                organisation_id=record.organisation_id,
                record=record,
                raised_by=record.supervisee,
                text="Not what was said.",
                routed_to=routed_to,
            )
    return records


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=shape)
def test_a_person_opens_a_record_exactly_when_it_is_in_their_list(cast, drawn):
    with transaction.atomic():
        records = _build(cast, drawn)
        for name in EVERYONE:
            person = Person.objects.get(pk=getattr(cast, name).pk)  # after any move
            listed = set(readable_records(person=person).values_list("pk", flat=True))
            for record in records:
                opens = record_access(person, record).can_read
                assert opens == (record.pk in listed), (name, drawn)
        transaction.set_rollback(True)


def _attempt(action, record, person):
    """Whether the service lets ``person`` do ``action``, rolled back either way."""
    calls = {
        "write": lambda: write(record, person, base=record.version_number),
        "share": lambda: services.record_share(
            record=record, by=person, version=record.version_number
        ),
        "sign": lambda: services.record_sign(
            record=record, by=person, version=record.version_number
        ),
        "add_addendum": lambda: services.addendum_add(record=record, by=person, text="A fix."),
        "disagree": lambda: services.disagreement_raise(
            record=record, by=person, text="Not what was said."
        ),
        "open_welfare": lambda: services.welfare_open(
            record=record, by=person, reason="A grievance needs the welfare notes."
        ),
    }
    try:
        with transaction.atomic():
            calls[action]()
            transaction.set_rollback(True)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("state", ["draft", "shared", "signed by the supervisor", "signed"])
def test_what_pages_and_the_api_offer_is_what_the_services_allow(cast, state):
    record = draft_record(cast)
    write(record)
    record.refresh_from_db()
    if state != "draft":
        services.record_share(record=record, by=cast.supervisor, version=record.version_number)
    if state.startswith("signed"):
        services.record_sign(record=record, by=cast.supervisor, version=record.version_number)
    if state == "signed":
        services.record_sign(record=record, by=cast.supervisee, version=record.version_number)
    for name in EVERYONE:
        person = getattr(cast, name)
        record = Record.objects.get(pk=record.pk)
        access = record_access(person, record)
        allowed = record_allowed(
            record=record,
            person=person,
            access=access,
            signed_roles=signed_roles_of(record),
        )
        for action, offered in allowed.items():
            assert offered == _attempt(action, record, person), (state, name, action)
