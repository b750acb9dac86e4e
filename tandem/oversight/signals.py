"""When something a person's windows depend on changes, their current and future windows are
rewritten in the background once the change is committed (``tasks.refresh_windows``, one task
per organisation and transaction); the nightly ``oversight_daily`` catches anything else.
Nothing here runs inside the request."""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tandem.agreements.models import Agreement, AgreementVersion, FrequencyRule
from tandem.organisations.models import Organisation, Person

# {organisation id: person ids, or None for everyone}, waiting for the transaction to commit.
_pending = threading.local()


def _flush() -> None:
    from .tasks import refresh_windows

    waiting: dict[int, set[int] | None] = getattr(_pending, "waiting", {})
    _pending.waiting = {}
    for organisation_id, person_ids in waiting.items():
        refresh_windows.enqueue(
            organisation_id, sorted(person_ids) if person_ids is not None else None
        )


def _enqueue(organisation_id: int, person_ids: list[int] | None) -> None:
    waiting: dict[int, set[int] | None] | None = getattr(_pending, "waiting", None)
    if waiting is None:
        waiting = _pending.waiting = {}
    # Once per change: the first commit flushes everything waiting, the rest find nothing.
    transaction.on_commit(_flush)
    if person_ids is None or waiting.get(organisation_id, set()) is None:
        waiting[organisation_id] = None
    else:
        current = waiting.setdefault(organisation_id, set())
        assert current is not None
        current.update(person_ids)


def _person_saved(sender: Any, instance: Person, **kwargs: Any) -> None:
    _enqueue(instance.organisation_id, [instance.pk])


def _rule_changed(sender: Any, instance: FrequencyRule, **kwargs: Any) -> None:
    _enqueue(instance.organisation_id, None)


def _agreement_saved(sender: Any, instance: Agreement, **kwargs: Any) -> None:
    _enqueue(instance.organisation_id, [instance.supervisee_id])


def _version_saved(sender: Any, instance: AgreementVersion, **kwargs: Any) -> None:
    agreement = instance.agreement
    _enqueue(agreement.organisation_id, [agreement.supervisee_id])


def _organisation_saved(sender: Any, instance: Organisation, created: bool, **kwargs: Any) -> None:
    if not created:
        _enqueue(instance.pk, None)


def people_imported(organisation: Organisation, people: list[Person]) -> None:
    _enqueue(organisation.pk, [p.pk for p in people])


def connect() -> None:
    from tandem.organisations import imports

    post_save.connect(_person_saved, sender=Person, dispatch_uid="oversight_person")
    post_save.connect(_rule_changed, sender=FrequencyRule, dispatch_uid="oversight_rule")
    post_delete.connect(_rule_changed, sender=FrequencyRule, dispatch_uid="oversight_rule_del")
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid="oversight_agreement")
    post_save.connect(_version_saved, sender=AgreementVersion, dispatch_uid="oversight_version")
    post_save.connect(_organisation_saved, sender=Organisation, dispatch_uid="oversight_org")
    imports.PEOPLE_IMPORTED_HOOKS.append(people_imported)
