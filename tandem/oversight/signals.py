"""When something a person's windows depend on changes, their current and future windows are
rewritten in the background once the change is committed (``tasks.refresh_windows``, one task
per organisation however many changes a transaction made); the nightly ``oversight_daily``
catches anything else. Nothing here runs inside the request.

Signals, against STYLE rule 5, on purpose: the windows are a table derived from people,
agreements and frequency rules, kept fresh the way a cache is, and nothing a person notices (an
email, a notice, an audit event) hangs on them. Every write of those models, by any service,
the staff import or the demo, must mark them stale; a signal is the one place that cannot be
forgotten. What is stale is written in the change's own transaction (``StaleWindows``), so a
change rolled back leaves nothing behind, and the first callback after the commit takes it all
(docs/decisions/0007)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from tandem.agreements.models import Agreement, AgreementVersion, FrequencyRule
from tandem.organisations.models import Organisation, Person

from .models import StaleWindows


def _enqueue(organisation_id: int, person_ids: list[int] | None) -> None:
    StaleWindows.objects.create(organisation_id=organisation_id, person_ids=person_ids)
    # Every change asks; the first callback to run after the commit finds them all.
    transaction.on_commit(windows_stale_flush)


def windows_stale_flush() -> int:
    """Turn what is stale into one refresh task per organisation; returns how many tasks."""
    from .tasks import refresh_windows

    with transaction.atomic():
        stale = list(
            StaleWindows.objects.select_for_update()
            .order_by("pk")
            .values_list("pk", "organisation_id", "person_ids")
        )
        if not stale:
            return 0
        StaleWindows.objects.filter(pk__in=[pk for pk, _, _ in stale]).delete()
    people: dict[int, set[int] | None] = {}
    for _, organisation_id, person_ids in stale:
        if person_ids is None or people.get(organisation_id, set()) is None:
            people[organisation_id] = None
        else:
            current = people.setdefault(organisation_id, set())
            assert current is not None
            current.update(person_ids)
    for organisation_id, ids in people.items():
        refresh_windows.enqueue(organisation_id, sorted(ids) if ids is not None else None)
    return len(people)


def _person_saved(sender: Any, instance: Person, **kwargs: Any) -> None:
    _enqueue(instance.organisation_id, [instance.pk])


def _rule_changed(sender: Any, instance: FrequencyRule, **kwargs: Any) -> None:
    if isinstance(kwargs.get("origin"), Organisation):
        return  # the organisation itself is going, windows and all
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
