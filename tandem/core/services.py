"""Writes shared by every app."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from .models import AuditEvent, Notice


def audit_event_write(
    *,
    organisation: Any,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write an audit event: who (``actor``, a login or the person whose login it is; None for
    Tandem itself) did or saw what. Call it inside the transaction of the change it describes."""
    user = getattr(actor, "user", actor)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=user if getattr(user, "is_authenticated", False) else None,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        summary=summary[:300] or (str(target)[:300] if target is not None else ""),
        detail=detail or {},
    )


def notice_send(*, organisation: Any, user: Any, text: str, url: str = "") -> Notice:
    """A notice in the app for one person: shown on their home page until they open it."""
    return Notice.objects.create(organisation=organisation, user=user, text=text[:300], url=url)


def notices_take(*, user: Any, limit: int = 5) -> list[Notice]:
    """The person's unread notices, newest first, marked read as they are shown: each is seen
    once on My supervision."""
    notices = list(
        Notice.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")[:limit]
    )
    if notices:
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(read_at=timezone.now())
    return notices
