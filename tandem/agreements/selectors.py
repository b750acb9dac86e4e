"""Reads about agreements and templates, scoped to one organisation."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from tandem.organisations.models import Organisation, Person, SupervisionRelationship
from tandem.organisations.selectors import managed_people

from .models import (
    INTERVAL_DAYS,
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
)


def _awaiting_new_supervisor(person: Person) -> Q:
    """Agreements due for review after a change of supervisor, whose supervisee this person
    now supervises in the same kind of supervision: the new supervisor reads the old agreement
    and starts its review."""
    now_supervised = (
        SupervisionRelationship.objects.for_organisation(person.organisation_id)
        .current()
        .filter(
            supervisor=person,
            supervisee_id=OuterRef("supervisee_id"),
            kind=OuterRef("relationship__kind"),
        )
    )
    return Q(status=AgreementStatus.DUE_FOR_REVIEW) & Q(Exists(now_supervised))


def is_new_supervisor_of(*, person: Person, agreement: Agreement) -> bool:
    """The object twin of the list's clause (``agreements_visible_to``): one definition."""
    return (
        Agreement.objects.filter(pk=agreement.pk).filter(_awaiting_new_supervisor(person)).exists()
    )


def agreements_visible_to(*, person: Person, can_see_everyone: bool) -> QuerySet[Agreement]:
    """The agreements this person may read: their own, those of people they manage, an old one
    awaiting their review as the new supervisor, or all of their organisation's for admins, HR
    and senior leaders (the list twin of ``agreements.view_agreement``)."""
    agreements = Agreement.objects.for_organisation(person.organisation_id).select_related(
        "supervisee", "supervisor", "template_version__template"
    )
    if not can_see_everyone:
        agreements = agreements.filter(
            Q(supervisee=person)
            | Q(supervisor=person)
            | Q(supervisee__in=managed_people(manager=person).values("pk"))
            | _awaiting_new_supervisor(person)
        )
    return agreements.order_by("supervisee__last_name", "supervisee__first_name", "-created_at")


def agreements_of(*, person: Person) -> QuerySet[Agreement]:
    """This person's own agreements, as supervisee or supervisor, the open ones first."""
    return (
        Agreement.objects.for_organisation(person.organisation_id)
        .filter(Q(supervisee=person) | Q(supervisor=person))
        .exclude(status=AgreementStatus.SUPERSEDED)
        .select_related("supervisee", "supervisor", "relationship")
        .order_by("status", "-created_at")
    )


def agreement_with_versions(*, organisation_id: int, pk: int) -> Agreement | None:
    """An agreement with its template, versions and signatures loaded."""
    versions = AgreementVersion.objects.select_related("supervisor").prefetch_related(
        Prefetch(
            "signatures",
            queryset=AgreementSignature.objects.select_related("person"),
        )
    )
    return (
        Agreement.objects.for_organisation(organisation_id)
        .select_related(
            "supervisee__team",
            "supervisee__organisation",
            "supervisor",
            "relationship",
            "template_version__template",
        )
        .prefetch_related(Prefetch("versions", queryset=versions.order_by("-number")))
        .filter(pk=pk)
        .first()
    )


def templates_available(*, organisation: Organisation) -> QuerySet[AgreementTemplate]:
    return (
        AgreementTemplate.objects.available_to(organisation)
        .filter(archived_at__isnull=True)
        .order_by("organisation_id", "name")
    )


def template_versions_latest(*, organisation: Organisation) -> list[AgreementTemplateVersion]:
    """The latest version of every template the organisation may use: one query, loading only
    those versions however many earlier ones there are."""
    latest_number = (
        AgreementTemplateVersion.objects.filter(template=OuterRef("template"))
        .order_by("-number")
        .values("number")[:1]
    )
    return list(
        AgreementTemplateVersion.objects.filter(
            template__in=templates_available(organisation=organisation),
            number=Subquery(latest_number),
        )
        .select_related("template")
        .order_by("template__organisation_id", "template__name")
    )


def agreed_frequencies(organisation: Organisation, person_ids: Sequence[int]) -> dict[int, str]:
    """The strictest frequency each person's current agreements set, in one query."""
    versions = (
        AgreementVersion.objects.filter(
            agreement__organisation=organisation,
            agreement__supervisee_id__in=person_ids,
            agreement__status__in=[AgreementStatus.ACTIVE, AgreementStatus.DUE_FOR_REVIEW],
        )
        .order_by("agreement_id", "number")
        .values_list("agreement__supervisee_id", "agreement_id", "frequency")
    )
    latest: dict[int, tuple[int, str]] = {}
    for person_id, agreement_id, frequency in versions:
        latest[agreement_id] = (person_id, frequency)  # the last version of each agreement
    strictest: dict[int, str] = {}
    for person_id, frequency in latest.values():
        if not frequency:  # the agreement in force sets none (an earlier version's is gone)
            continue
        current = strictest.get(person_id)
        if current is None or INTERVAL_DAYS[frequency] < INTERVAL_DAYS[current]:
            strictest[person_id] = frequency
    return strictest
