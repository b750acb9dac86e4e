"""Writes about the Care Certificate and safeguarding leads' training."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from tandem.organisations.models import Person

from .. import schemes
from ..models import (
    CareCertificate,
    CareCertificateStandard,
    SafeguardingLead,
    SafeguardingTraining,
    SafeguardingTrainingKind,
)
from ..selectors import rules_of
from ._common import audit, check_past, check_text, refuse_if


@transaction.atomic
def care_certificate_start(
    *, person: Person, started_on: datetime.date | None, by: Person
) -> CareCertificate:
    """Start a new starter's Care Certificate: its 16 standards, and a target date the
    organisation's number of weeks on (12 by default)."""
    problems: dict[str, str] = {}
    if started_on is None:
        problems["started_on"] = "Enter the date the Care Certificate started."
    if CareCertificate.objects.filter(
        person=person, version=schemes.CARE_CERTIFICATE_VERSION
    ).exists():
        problems["__all__"] = f"{person.full_name} has already started the Care Certificate."
    refuse_if(problems)
    assert started_on is not None
    weeks = rules_of(person.organisation_id, schemes.Scheme.CARE_CERTIFICATE)["target_weeks"]
    certificate = CareCertificate.objects.create(
        organisation=person.organisation,
        person=person,
        started_on=started_on,
        target_on=schemes.care_certificate_target(started_on, target_weeks=weeks),
    )
    CareCertificateStandard.objects.bulk_create(
        CareCertificateStandard(
            organisation=person.organisation, certificate=certificate, number=number, title=title
        )
        for number, title in schemes.CARE_CERTIFICATE_STANDARDS
    )
    audit(subject=person, by=by, action="care_certificate_started", target=certificate)
    return certificate


@transaction.atomic
def care_standard_sign_off(
    *, standard: CareCertificateStandard, on: datetime.date | None, by: Person
) -> CareCertificateStandard:
    """An assessor signs a standard off as met; the last one completes the certificate."""
    certificate = CareCertificate.objects.select_for_update().get(pk=standard.certificate_id)
    problems: dict[str, str] = {}
    if by.pk == certificate.person_id:
        problems["__all__"] = "Someone else signs off your standards: your assessor or manager."
    if standard.signed_off_on is not None:
        problems["__all__"] = f"Standard {standard.number} is already signed off."
    if on is None:
        problems["signed_off_on"] = "Enter the date the standard was met."
    elif on < certificate.started_on:
        problems["signed_off_on"] = "The date must be on or after the Care Certificate started."
    check_past(problems, "signed_off_on", on, label="The date")
    refuse_if(problems)
    standard.signed_off_on = on
    standard.signed_off_by = by
    standard.save()
    if not certificate.standards.filter(signed_off_on__isnull=True).exists():
        certificate.completed_on = max(
            certificate.standards.values_list("signed_off_on", flat=True)
        )
        certificate.save()
    audit(
        subject=certificate.person,
        by=by,
        action="care_standard_signed_off",
        target=standard,
        summary=str(standard),
    )
    return standard


@transaction.atomic
def safeguarding_lead_designate(
    *, person: Person, on: datetime.date | None, by: Person
) -> SafeguardingLead:
    problems: dict[str, str] = {}
    if on is None:
        problems["designated_on"] = "Enter the date they became a safeguarding lead."
    if SafeguardingLead.objects.filter(person=person, ended_on__isnull=True).exists():
        problems["__all__"] = f"{person.full_name} is already a safeguarding lead."
    refuse_if(problems)
    designation = SafeguardingLead.objects.create(
        organisation=person.organisation, person=person, designated_on=on
    )
    audit(subject=person, by=by, action="safeguarding_lead_designated", target=designation)
    return designation


@transaction.atomic
def safeguarding_lead_end(
    *, person: Person, on: datetime.date | None, by: Person
) -> SafeguardingLead:
    designation = SafeguardingLead.objects.filter(
        Q(person=person) & Q(ended_on__isnull=True)
    ).first()
    problems: dict[str, str] = {}
    if designation is None:
        problems["__all__"] = f"{person.full_name} is not a safeguarding lead."
    elif on is None or on < designation.designated_on:
        problems["ended_on"] = "Enter a last day on or after they became a safeguarding lead."
    refuse_if(problems)
    assert designation is not None
    designation.ended_on = on
    designation.save()
    audit(subject=person, by=by, action="safeguarding_lead_ended", target=designation)
    return designation


@transaction.atomic
def safeguarding_training_add(
    *, person: Person, kind: str, title: str, done_on: datetime.date | None, by: Person
) -> SafeguardingTraining:
    problems: dict[str, str] = {}
    if kind not in SafeguardingTrainingKind.values:
        problems["kind"] = "Choose training or a knowledge update."
    check_text(problems, "title", title, label="what the training was", limit=200)
    if done_on is None:
        problems["done_on"] = "Enter the date of the training."
    check_past(problems, "done_on", done_on, label="The date of the training")
    refuse_if(problems)
    training = SafeguardingTraining.objects.create(
        organisation=person.organisation,
        person=person,
        kind=kind,
        title=title.strip(),
        done_on=done_on,
    )
    audit(subject=person, by=by, action="safeguarding_training_added", target=training)
    return training
