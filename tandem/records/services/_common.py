"""What every records service shares: limits, locking, refusing, fingerprints, telling people."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.services import notice_send
from tandem.organisations.models import Person

from ..models import (
    Record,
    RecordVersion,
)
from ..selectors import party_role, record_refusal

SECTION_MAX = 20_000
WELFARE_MAX = 20_000
NOTES_MAX = 5_000
CASE_TEXT_MAX = 10_000
LABEL_MAX = 80
ACTION_MAX = 300
ADDENDUM_MAX = 5_000
DISAGREEMENT_MAX = 5_000
ABOUT_MAX = 300
REASON_MIN = 10
CASES_MAX = 30
ACTIONS_MAX = 50
# How long a break-glass opening of the welfare section lasts before a reason is asked again.
BREAK_GLASS_MINUTES = 60


class RecordConflict(Exception):
    """Someone else saved the record since this save began. Carries the latest saved version
    and what this save tried to write, so both can be shown and nothing is lost."""

    def __init__(self, *, theirs: RecordVersion, mine: dict[str, Any]) -> None:
        super().__init__(
            f"{theirs.saved_by.full_name} saved this record at "
            f"{timezone.localtime(theirs.saved_at):%H:%M} while you were writing. Both versions "
            "are shown: copy what you need into the latest and save again."
        )
        self.theirs = theirs
        self.mine = mine


def _user(by: Person | None) -> Any:
    return getattr(by, "user", by)


def _lock(record: Record) -> Record:
    return (
        Record.objects.select_for_update()
        .select_related("organisation", "supervisor", "supervisee", "session")
        .get(pk=record.pk)
    )


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(dict(problems))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version_hash(*, record: Record, content: dict[str, Any], welfare: str) -> str:
    """The fingerprint of what is signed: the words, the welfare section and the two parties."""
    document = {
        "record": record.pk,
        "supervisor": record.supervisor_id,
        "supervisee": record.supervisee_id,
        "held_on": record.held_on.isoformat(),
        "content": content,
        "welfare": welfare,
    }
    return hashlib.sha256(_canonical(document).encode()).hexdigest()


def _refuse_unless(action: str, record: Record, person: Person, **known: Any) -> None:
    """Refuse, in plain words, what ``selectors.record_refusal`` refuses: the one answer that
    pages and the API also read (``record_allowed``)."""
    refusal = record_refusal(action, record=record, person=person, **known)
    if refusal is not None:
        raise ValidationError(refusal)


def _require_party(record: Record, person: Person, doing: str) -> str:
    role = party_role(record, person)
    if role is None:
        raise ValidationError(f"Only the supervisor and the supervisee {doing}.")
    return role


def _other_party(record: Record, person: Person) -> Person:
    return record.supervisee if person.pk == record.supervisor_id else record.supervisor


def _tell(record: Record, person: Person, subject: str, url: str) -> None:
    """A notice in Tandem and an email, sent once the change is committed. Neither carries
    any of the record's words."""
    notice_send(organisation=record.organisation, user=person.user, text=subject, url=url)
    address = person.user.email
    body = f"{subject}\n\nOpen it in Tandem:\n{settings.SITE_URL.rstrip('/')}{url}\n\nTandem"
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


def _url(record: Record) -> str:
    return reverse("record", args=[record.pk])


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
