"""Writes about organisations, teams and people: one function per change, each audited."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.services import audit_event_write

from .models import (
    Organisation,
    Person,
    Role,
    RoleGrant,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
)

# Higher apps that must act when a supervisor changes (agreements fall due for review) register
# a function here in their AppConfig.ready(): called as hook(previous=, new=, by=) inside the
# same transaction. An explicit list rather than a signal, so the call is easy to follow.
SUPERVISOR_CHANGE_HOOKS: list[Callable[..., None]] = []


@transaction.atomic
def relationship_start(
    *,
    supervisee: Person,
    supervisor: Person,
    kind: str = SupervisionKind.LINE,
    starts_on: datetime.date | None = None,
    by: Person | None = None,
) -> SupervisionRelationship:
    """Make ``supervisor`` the supervisee's supervisor of this kind from ``starts_on``.

    The current relationship of the same kind, if any, ends the day before; nothing is deleted,
    so the history of who supervised whom stays whole. Starting the same pair again is a no-op.
    """
    starts_on = starts_on or timezone.localdate()
    if supervisee.organisation_id != supervisor.organisation_id:
        raise ValidationError({"supervisor": "The supervisor must work in the same organisation."})
    if supervisee.pk == supervisor.pk:
        raise ValidationError({"supervisor": "Nobody can supervise themselves."})
    if supervisee.left_on is not None and supervisee.left_on < starts_on:
        raise ValidationError(
            {"starts_on": f"{supervisee} left on {long_date(supervisee.left_on)}."}
        )
    if supervisor.left_on is not None and supervisor.left_on < starts_on:
        raise ValidationError({"supervisor": f"{supervisor} has left the organisation."})
    if kind not in SupervisionKind.values:
        raise ValidationError({"kind": "Choose a kind of supervision."})

    current = (
        SupervisionRelationship.objects.select_for_update()
        .for_organisation(supervisee.organisation_id)
        .filter(supervisee=supervisee, kind=kind, ends_on__isnull=True)
        .first()
    )
    if current is not None:
        if current.supervisor_id == supervisor.pk:
            return current
        if starts_on <= current.starts_on:
            raise ValidationError(
                {
                    "starts_on": f"The new supervisor must start after {long_date(current.starts_on)}."
                }
            )
        current.ends_on = starts_on - datetime.timedelta(days=1)
        current.save(update_fields=["ends_on"])

    relationship = SupervisionRelationship.objects.create(
        organisation_id=supervisee.organisation_id,
        supervisee=supervisee,
        supervisor=supervisor,
        kind=kind,
        starts_on=starts_on,
    )
    for hook in SUPERVISOR_CHANGE_HOOKS:
        hook(previous=current, new=relationship, by=by)
    audit_event_write(
        organisation=supervisee.organisation,
        actor=by,
        action="relationship.start",
        target=relationship,
        detail={
            "supervisee": supervisee.pk,
            "supervisor": supervisor.pk,
            "previous_supervisor": current.supervisor_id if current else None,
            "kind": kind,
            "starts_on": starts_on.isoformat(),
        },
    )
    return relationship


@transaction.atomic
def relationship_end(
    *, relationship: SupervisionRelationship, ends_on: datetime.date, by: Person | None = None
) -> SupervisionRelationship:
    if relationship.ends_on is not None:
        # Moving an end date could overlap the next supervisor of the same kind: never edited.
        raise ValidationError(
            {"ends_on": f"This supervision already ended on {long_date(relationship.ends_on)}."}
        )
    if ends_on < relationship.starts_on:
        raise ValidationError({"ends_on": "A relationship cannot end before it starts."})
    relationship.ends_on = ends_on
    relationship.save(update_fields=["ends_on"])
    audit_event_write(
        organisation=relationship.supervisee.organisation,
        actor=by,
        action="relationship.end",
        target=relationship,
        detail={"ends_on": ends_on.isoformat()},
    )
    return relationship


@transaction.atomic
def role_grant(*, person: Person, role: Role | str, by: Person | None = None) -> RoleGrant:
    grant, created = RoleGrant.objects.get_or_create(
        organisation_id=person.organisation_id,
        person=person,
        role=str(role),
        defaults={"granted_by": _user_of(by)},
    )
    if created:
        audit_event_write(
            organisation=person.organisation,
            actor=by,
            action="role.grant",
            target=grant,
            detail={"person": person.pk, "role": str(role)},
        )
    person.__dict__.pop("granted_roles", None)
    return grant


@transaction.atomic
def role_revoke(*, person: Person, role: Role | str, by: Person | None = None) -> None:
    deleted, _ = RoleGrant.objects.filter(person=person, role=str(role)).delete()
    if deleted:
        audit_event_write(
            organisation=person.organisation,
            actor=by,
            action="role.revoke",
            target=person,
            detail={"role": str(role)},
        )
    person.__dict__.pop("granted_roles", None)


def _user_of(by: Any) -> Any:
    """The login of the person acting (a login itself is taken as it is); None for Tandem."""
    user = getattr(by, "user", by)
    return user if getattr(user, "is_authenticated", False) else None


def _person_of(by: Any) -> Person | None:
    """The person acting (a login is taken to its person); None for Tandem."""
    if isinstance(by, Person):
        return by
    try:
        person = getattr(by, "person", None)
    except Person.DoesNotExist:
        return None
    return person if isinstance(person, Person) else None


@transaction.atomic
def roles_set(*, person: Person, roles: set[str], by: Person | None = None) -> None:
    """Give ``person`` exactly these explicit roles, granting and revoking the difference.

    Nobody removes their own admin role, and the organisation keeps at least one admin who is
    still in post and can sign in, so it can never lock itself out. Checked before any change.
    """
    roles = {str(role) for role in roles}
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError({"roles": f"Unknown roles: {', '.join(sorted(unknown))}."})
    # Lock the organisation's admin grants first, in one order: two admins removing each
    # other at the same time cannot both pass the "last admin" check.
    admin_grants = list(
        RoleGrant.objects.select_for_update()
        .for_organisation(person.organisation_id)
        .filter(role=Role.ADMIN)
        .order_by("pk")
        .values_list("person_id", flat=True)
    )
    current = set(
        RoleGrant.objects.for_organisation(person.organisation_id)
        .filter(person=person)
        .values_list("role", flat=True)
    )
    revoke = current - roles
    if Role.ADMIN in revoke:
        me = _person_of(by)
        if me is not None and me.pk == person.pk:
            raise ValidationError({"roles": "You cannot remove your own admin role."})
        other_admins = (
            Person.objects.for_organisation(person.organisation_id)
            .current()
            .filter(pk__in=admin_grants, user__is_active=True)
            .exclude(pk=person.pk)
        )
        if not other_admins.exists():
            raise ValidationError({"roles": "The organisation needs at least one admin."})
    for role in sorted(roles - current):
        role_grant(person=person, role=role, by=by)
    for role in sorted(revoke):
        role_revoke(person=person, role=role, by=by)


@transaction.atomic
def organisation_create(
    *,
    name: str,
    nation: str,
    sector: str,
    admin_email: str,
    admin_first_name: str,
    admin_last_name: str,
    admin_staff_number: str = "ADMIN1",
) -> tuple[Organisation, Person]:
    """A new tenant with its first admin, who sets a password through "forgotten password"."""
    from tandem.core.models import User

    email = admin_email.strip().lower()
    if Organisation.objects.filter(name=name).exists():
        raise ValidationError({"name": f"An organisation called {name} already exists."})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"admin_email": f"{email} already has a Tandem login."})
    organisation = Organisation.objects.create(name=name, nation=nation, sector=sector)
    admin = Person.objects.create(
        organisation=organisation,
        user=User.objects.create_user(email),
        staff_number=admin_staff_number,
        first_name=admin_first_name,
        last_name=admin_last_name,
        staff_category=StaffCategory.SUPPORT_STAFF,
        job_title="Tandem administrator",
    )
    role_grant(person=admin, role=Role.ADMIN)
    audit_event_write(
        organisation=organisation,
        actor=None,
        action="organisation.create",
        target=organisation,
        detail={"admin": admin.pk},
    )
    return organisation, admin


def organisation_get_or_create(*, name: str, **fields: Any) -> tuple[Organisation, bool]:
    return Organisation.objects.get_or_create(name=name, defaults=fields)
