"""Making and revoking API tokens, each audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.core.services import audit_event_write
from tandem.core.tokens import token_hash, token_new
from tandem.organisations.models import Person

from .models import TOKEN_PREFIX, ApiToken

MAX_LIFETIME_DAYS = 366


@transaction.atomic
def api_token_create(
    *, person: Person, name: str, lifetime_days: int | None = 90, by: Person | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``person``; returns the token and its secret, which is never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter what the token is for."})
    if lifetime_days is not None and not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        raise ValidationError(
            {"lifetime_days": f"A token lasts between 1 and {MAX_LIFETIME_DAYS} days."}
        )
    raw = token_new(TOKEN_PREFIX)
    now = timezone.now()
    token = ApiToken.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        name=name[:100],
        key_hash=token_hash(raw),
        hint=raw[:10],
        created_at=now,
        expires_at=now + datetime.timedelta(days=lifetime_days) if lifetime_days else None,
    )
    audit_event_write(
        organisation=person.organisation,
        actor=by,
        action="api_token.create",
        target=token,
        detail={"person": person.pk, "expires_at": str(token.expires_at)},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by: Person | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_event_write(
            organisation=token.person.organisation,
            actor=by,
            action="api_token.revoke",
            target=token,
        )
    return token
