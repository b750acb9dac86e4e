"""Reads about API tokens."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from tandem.core.scoping import across_organisations
from tandem.core.tokens import token_hash
from tandem.organisations.models import Person
from tandem.organisations.selectors import person_for_user

from .models import ApiToken

# Record a token's last use at most this often, so reads do not all become writes.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def api_tokens_of(*, person: Person) -> QuerySet[ApiToken]:
    return ApiToken.objects.for_organisation(person.organisation_id).filter(person=person)


def person_for_token(raw: str) -> Person | None:
    """The person a usable token belongs to, with what requests need; None otherwise."""
    if not raw:
        return None
    with across_organisations("whose API token, and so which organisation", routine=True):
        token = (
            ApiToken.objects.select_related("person__user").filter(key_hash=token_hash(raw)).first()
        )
        now = timezone.now()
        if token is None or not token.is_usable(now):
            return None
        person = person_for_user(token.person.user)
        if person is None or person.organisation_id != token.organisation_id:
            return None
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return person
