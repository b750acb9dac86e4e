"""Writes about supervision and roles: each keeps history whole and leaves an audit event."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.core.models import AuditEvent
from tandem.organisations import selectors
from tandem.organisations.models import Role, RoleGrant, SupervisionKind, SupervisionRelationship
from tandem.organisations.services import (
    relationship_end,
    relationship_start,
    role_grant,
    role_revoke,
)
from tandem.organisations.tests.factories import PersonFactory, RelationshipFactory

pytestmark = pytest.mark.dated

DAY = datetime.timedelta(days=1)


def today() -> datetime.date:
    return timezone.localdate()


def current_line(person) -> SupervisionRelationship:
    return SupervisionRelationship.objects.get(supervisee=person, kind="line", ends_on=None)


def snapshot() -> list[tuple]:
    return list(
        SupervisionRelationship.objects.order_by("pk").values_list(
            "pk", "supervisee_id", "supervisor_id", "kind", "starts_on", "ends_on"
        )
    )


# relationship_start


def test_a_new_supervisor_ends_the_current_one_the_day_before(cast):
    old = current_line(cast.supervisee)

    new = relationship_start(
        supervisee=cast.supervisee,
        supervisor=cast.manager,
        starts_on=today(),
        by=cast.admin.user,
    )

    old.refresh_from_db()
    assert old.ends_on == today() - DAY
    assert (new.supervisor, new.kind, new.starts_on, new.ends_on) == (
        cast.manager,
        "line",
        today(),
        None,
    )
    assert new.organisation == cast.organisation
    assert [
        r.supervisor for r in selectors.relationships_of_supervisee(person=cast.supervisee)
    ] == [cast.manager]
    history = selectors.relationship_history(person=cast.supervisee)
    assert [r.supervisor for r in history] == [cast.manager, cast.supervisor]


def test_starting_is_audited(cast):
    new = relationship_start(
        supervisee=cast.supervisee, supervisor=cast.manager, by=cast.admin.user
    )

    event = AuditEvent.objects.get()
    assert event.action == "relationship.start"
    assert event.organisation == cast.organisation
    assert event.actor == cast.admin.user
    assert (event.object_type, event.object_id) == (
        "organisations.supervisionrelationship",
        str(new.pk),
    )
    assert event.detail == {
        "supervisee": cast.supervisee.pk,
        "supervisor": cast.manager.pk,
        "previous_supervisor": cast.supervisor.pk,
        "kind": "line",
        "starts_on": today().isoformat(),
    }


def test_the_first_supervisor_starts_without_ending_anything(cast):
    newcomer = PersonFactory(organisation=cast.organisation)

    relationship = relationship_start(supervisee=newcomer, supervisor=cast.supervisor)

    assert relationship.starts_on == today()
    assert AuditEvent.objects.get().detail["previous_supervisor"] is None


def test_starting_the_same_pair_again_is_a_no_op(cast):
    current = current_line(cast.supervisee)
    before = snapshot()

    again = relationship_start(
        supervisee=cast.supervisee, supervisor=cast.supervisor, starts_on=today() + DAY
    )

    assert again == current
    assert snapshot() == before
    assert not AuditEvent.objects.exists()


def test_another_kind_runs_alongside_line_management(cast):
    professional = relationship_start(
        supervisee=cast.supervisee,
        supervisor=cast.head_of_service,
        kind=SupervisionKind.PROFESSIONAL,
    )

    assert current_line(cast.supervisee).supervisor == cast.supervisor
    assert {r.kind for r in selectors.relationships_of_supervisee(person=cast.supervisee)} == {
        "line",
        "professional",
    }
    assert professional.ends_on is None


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("self", "supervisor"),
        ("other organisation", "supervisor"),
        ("left before the start", "supervisor"),
        ("unknown kind", "kind"),
        ("on the current start", "starts_on"),
        ("before the current start", "starts_on"),
    ],
)
def test_relationship_start_refuses(cast, case, field):
    current = current_line(cast.supervisee)
    supervisor, kind, starts_on = cast.manager, "line", today()
    if case == "self":
        supervisor = cast.supervisee
    elif case == "other organisation":
        supervisor = cast.outsider
    elif case == "left before the start":
        supervisor = PersonFactory(organisation=cast.organisation, left_on=today() - DAY)
    elif case == "unknown kind":
        kind = "pastoral"
    elif case == "on the current start":
        starts_on = current.starts_on
    else:
        starts_on = current.starts_on - DAY
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        relationship_start(
            supervisee=cast.supervisee, supervisor=supervisor, kind=kind, starts_on=starts_on
        )

    assert field in refused.value.message_dict
    assert snapshot() == before
    assert not AuditEvent.objects.exists()


def test_a_supervisor_who_leaves_later_may_still_start(cast):
    leaving = PersonFactory(organisation=cast.organisation, left_on=today() + 30 * DAY)

    relationship = relationship_start(supervisee=cast.supervisee, supervisor=leaving)

    assert relationship.supervisor == leaving
    same_day = PersonFactory(organisation=cast.organisation, left_on=today() + DAY)
    assert (
        relationship_start(
            supervisee=cast.supervisee, supervisor=same_day, starts_on=today() + DAY
        ).supervisor
        == same_day
    )


def test_a_supervisee_who_has_left_gets_no_new_supervisor(cast):
    cast.supervisee.left_on = today() - 10 * DAY
    cast.supervisee.save()

    with pytest.raises(ValidationError):
        relationship_start(supervisee=cast.supervisee, supervisor=cast.manager, starts_on=today())


def test_the_database_allows_one_open_relationship_per_kind(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(supervisee=cast.supervisee, supervisor=cast.manager)

    RelationshipFactory(
        supervisee=cast.supervisee, supervisor=cast.manager, kind=SupervisionKind.CLINICAL
    )
    ended = RelationshipFactory(
        supervisee=cast.supervisee,
        supervisor=cast.head_of_service,
        starts_on=today() - 400 * DAY,
        ends_on=today() - 300 * DAY,
    )
    assert ended.pk


def test_the_database_refuses_self_supervision_and_ending_before_starting(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(
            supervisee=cast.colleague, supervisor=cast.colleague, kind=SupervisionKind.CLINICAL
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        RelationshipFactory(
            supervisee=cast.admin,
            supervisor=cast.manager,
            starts_on=today(),
            ends_on=today() - DAY,
        )


# relationship_end


def test_ending_a_relationship_keeps_it_and_is_audited(cast):
    relationship = current_line(cast.supervisee)

    relationship_end(relationship=relationship, ends_on=today(), by=cast.manager.user)

    relationship.refresh_from_db()
    assert relationship.ends_on == today()
    assert relationship.is_current(today()) and not relationship.is_current(today() + DAY)
    assert not selectors.relationships_of_supervisee(person=cast.supervisee, on=today() + DAY)
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.organisation) == (
        "relationship.end",
        cast.manager.user,
        cast.organisation,
    )
    assert event.detail == {"ends_on": today().isoformat()}


def test_a_relationship_may_end_the_day_it_starts_but_not_before(cast):
    relationship = current_line(cast.supervisee)
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        relationship_end(relationship=relationship, ends_on=relationship.starts_on - DAY)

    assert "ends_on" in refused.value.message_dict
    assert snapshot() == before and not AuditEvent.objects.exists()
    relationship_end(relationship=relationship, ends_on=relationship.starts_on)
    relationship.refresh_from_db()
    assert relationship.ends_on == relationship.starts_on


def test_ending_never_overlaps_the_next_supervisor_of_the_same_kind(cast):
    old = current_line(cast.supervisee)
    relationship_start(supervisee=cast.supervisee, supervisor=cast.manager, starts_on=today())
    old.refresh_from_db()

    with pytest.raises(ValidationError):
        relationship_end(relationship=old, ends_on=today() + 30 * DAY)

    old.refresh_from_db()
    assert old.ends_on == today() - DAY
    current = selectors.relationships_of_supervisee(person=cast.supervisee, on=today() + DAY)
    assert [r.supervisor for r in current] == [cast.manager]


def test_after_ending_a_new_supervisor_may_start(cast):
    relationship = current_line(cast.supervisee)
    relationship_end(relationship=relationship, ends_on=today() - DAY)

    new = relationship_start(supervisee=cast.supervisee, supervisor=cast.manager)

    assert new.starts_on == today()
    relationship.refresh_from_db()
    assert relationship.ends_on == today() - DAY


# role_grant and role_revoke


def test_granting_a_role_is_idempotent_audited_and_seen_at_once(cast):
    person = cast.colleague
    assert person.granted_roles == frozenset()  # cached now
    assert not person.user.has_perm("organisations.import_staff")

    first = role_grant(person=person, role=Role.HR, by=cast.admin.user)
    second = role_grant(person=person, role="hr", by=cast.admin.user)

    assert first == second
    assert RoleGrant.objects.filter(person=person).count() == 1
    assert first.granted_by == cast.admin.user
    assert first.organisation == cast.organisation
    assert person.granted_roles == frozenset({"hr"})
    assert person.user.has_perm("organisations.import_staff")
    events = AuditEvent.objects.filter(action="role.grant")
    assert [(e.actor, e.detail) for e in events] == [
        (cast.admin.user, {"person": person.pk, "role": "hr"})
    ]


def test_revoking_a_role_is_idempotent_audited_and_seen_at_once(cast):
    person = cast.director
    assert person.user.has_perm("organisations.list_people")  # caches granted_roles

    role_revoke(person=person, role=Role.SENIOR_LEADER, by=cast.admin.user)
    role_revoke(person=person, role=Role.SENIOR_LEADER, by=cast.admin.user)

    assert not RoleGrant.objects.filter(person=person).exists()
    assert person.granted_roles == frozenset()
    assert not person.user.has_perm("organisations.list_people")
    events = AuditEvent.objects.filter(action="role.revoke")
    assert [(e.actor, e.object_id, e.detail) for e in events] == [
        (cast.admin.user, str(person.pk), {"role": "senior_leader"})
    ]


def test_revoking_one_role_keeps_the_others(cast):
    role_grant(person=cast.admin, role=Role.HR)

    role_revoke(person=cast.admin, role=Role.ADMIN)

    assert cast.admin.granted_roles == frozenset({"hr"})
    assert RoleGrant.objects.get(person=cast.admin).role == "hr"
    assert RoleGrant.objects.get(person=cast.outsider).role == "admin"


def test_a_grant_without_a_signed_in_actor_is_recorded_without_one(cast):
    grant = role_grant(person=cast.colleague, role=Role.SENIOR_LEADER)

    assert grant.granted_by is None
    assert AuditEvent.objects.get(action="role.grant").actor is None
