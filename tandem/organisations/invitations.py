"""Invitations: an email to someone added to Tandem with a link to set their password. The link
works once and for ``INVITATION_DAYS``; sending another withdraws the one before. Staff import
sends them in the background (``tasks.send_invitations``); an admin sends or resends one from
the person's page. Someone who has left cannot use one: their access ended on their leaving day.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.scoping import across_organisations
from tandem.core.services import audit_event_write
from tandem.core.tokens import token_hash, token_new

from .models import Invitation, Organisation, Person

INVITATION_DAYS = 7
BATCH = 500


def invitation_link(raw: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation", args=[raw])


def _message(invitation: Invitation, raw: str) -> EmailMessage:
    person = invitation.person
    expires = long_date(invitation.expires_at)
    body = (
        f"Dear {person.first_name},\n\n"
        f"{person.organisation.name} uses Tandem for professional supervision: your "
        "supervision agreement, sessions and records. Set your password to sign in:\n\n"
        f"{invitation_link(raw)}\n\n"
        f"The link works once, until {expires}. If it has expired, ask your organisation's "
        "Tandem admin to send another, or use 'Forgotten your password?' on the sign-in page "
        f"with this email address ({person.user.email}).\n\nTandem"
    )
    return EmailMessage(
        f"Set your password for Tandem at {person.organisation.name}",
        body,
        None,
        [person.user.email],
    )


def _create(people: Sequence[Person], by: Person | None) -> list[tuple[Invitation, str]]:
    """New invitations for these people, their open ones withdrawn."""
    now = timezone.now()
    Invitation.objects.filter(
        person__in=people, used_at__isnull=True, withdrawn_at__isnull=True
    ).update(withdrawn_at=now)
    made = []
    for person in people:
        raw = token_new()
        invitation = Invitation(
            organisation_id=person.organisation_id,
            person=person,
            token_hash=token_hash(raw),
            sent_at=now,
            expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
            sent_by=by,
        )
        made.append((invitation, raw))
    Invitation.objects.bulk_create([invitation for invitation, _ in made])
    return made


def invitable(person: Person) -> str | None:
    """Why this person cannot be sent an invitation, or None."""
    if person.has_left:
        return f"{person.full_name} left on {long_date(person.left_on)}: their access has ended."
    if not person.user.is_active:
        return f"{person.full_name}'s sign-in is switched off."
    return None


@transaction.atomic
def invitation_send(*, person: Person, by: Person | None) -> Invitation:
    """Send (or send again) one person's invitation, at once."""
    problem = invitable(person)
    if problem:
        raise ValidationError(problem)
    ((invitation, raw),) = _create([person], by)
    message = _message(invitation, raw)
    transaction.on_commit(lambda: get_connection().send_messages([message]))
    audit_event_write(
        organisation=person.organisation,
        actor=by,
        action="invitation.send",
        target=person,
        summary=f"Invitation sent to {person.full_name}",
        detail={"expires": invitation.expires_at.isoformat(timespec="minutes")},
    )
    return invitation


def invitations_send(
    *, organisation: Organisation, person_ids: Sequence[int], by: Person | None
) -> int:
    """Invitations for the people added by an import, in batches, one mail connection for
    all; those who have left or already signed in are skipped. One audit event."""
    people = list(
        Person.objects.for_organisation(organisation)
        .select_related("user", "organisation")
        .filter(pk__in=person_ids, user__last_login__isnull=True, user__is_active=True)
        .current()
        .order_by("pk")
    )
    connection = get_connection()
    sent = 0
    for offset in range(0, len(people), BATCH):
        with transaction.atomic():
            made = _create(people[offset : offset + BATCH], by)
        connection.send_messages([_message(invitation, raw) for invitation, raw in made])
        sent += len(made)
    audit_event_write(
        organisation=organisation,
        actor=by,
        action="invitations.send",
        summary=f"Invitations sent to {sent} people added by an import",
        detail={"sent": sent},
    )
    return sent


def invitation_for_token(raw: str) -> Invitation | None:
    """The usable invitation with this token, of someone still in post; None otherwise."""
    if not raw:
        return None
    with across_organisations("whose invitation, and so which organisation", routine=True):
        invitation = (
            Invitation.objects.select_related("person__user", "person__organisation")
            .filter(token_hash=token_hash(raw))
            .first()
        )
    if invitation is None or not invitation.is_usable():
        return None
    if invitable(invitation.person):
        return None
    return invitation


def password_problems(user: Any, password: str, again: str) -> dict[str, str]:
    if not password:
        return {"password": "Enter a password."}
    if password != again:
        return {"again": "Enter the same password twice."}
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        return {"password": " ".join(error.messages)}
    return {}


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, again: str) -> Person:
    """Set the invited person's password; the invitation is then used up."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise ValidationError({"password": "This invitation has already been used."})
    person = invitation.person
    user = person.user
    problems = password_problems(user, password, again)
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})
    user.password = make_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_event_write(
        organisation=person.organisation,
        actor=user,
        action="invitation.accept",
        target=person,
        summary=f"{person.full_name} set their password from an invitation",
    )
    return person


def invitation_state(person: Person) -> dict[str, Any]:
    """What the person's page says of their sign-in: when they last signed in (None: never),
    and their latest invitation."""
    latest = person.invitations.order_by("-sent_at", "-id").first()
    return {
        "last_login": person.user.last_login,
        "invitation": latest,
        "invitation_usable": latest.is_usable() if latest else False,
        "cannot_invite": invitable(person),
    }
