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


class _Waiting:
    """The changes of one transaction: {organisation id: person ids, or None for everyone},
    enqueued as one task per organisation once it commits (the instance is the callback)."""

    def __init__(self) -> None:
        self.people: dict[int, set[int] | None] = {}
        self.done = False

    def add(self, organisation_id: int, person_ids: list[int] | None) -> None:
        if person_ids is None or self.people.get(organisation_id, set()) is None:
            self.people[organisation_id] = None
        else:
            current = self.people.setdefault(organisation_id, set())
            assert current is not None
            current.update(person_ids)

    def __call__(self) -> None:
        from .tasks import refresh_windows

        self.done = True
        for organisation_id, person_ids in self.people.items():
            refresh_windows.enqueue(
                organisation_id, sorted(person_ids) if person_ids is not None else None
            )


# The current transaction's changes, in this thread.
_pending = threading.local()


def _enqueue(organisation_id: int, person_ids: list[int] | None) -> None:
    connection = transaction.get_connection()
    waiting: _Waiting | None = getattr(_pending, "waiting", None)
    # A new one for each transaction: the last one ran, or was thrown away with its rolled
    # back transaction (then it is no longer among the connection's callbacks).
    if (
        waiting is None
        or waiting.done
        or not any(entry[1] is waiting for entry in connection.run_on_commit)
    ):
        waiting = _pending.waiting = _Waiting()
        # Changes first: outside a transaction, on_commit calls it at once.
        waiting.add(organisation_id, person_ids)
        transaction.on_commit(waiting)
        return
    waiting.add(organisation_id, person_ids)


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
