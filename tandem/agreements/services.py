"""Writes about agreements and their templates: one function per change, each audited."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.scoping import across_organisations
from tandem.core.services import audit_event_write, notice_send
from tandem.organisations.models import Organisation, Person, SupervisionRelationship
from tandem.organisations.selectors import person_escalation_chain

from . import content as template_content
from .models import (
    AS_POLICY,
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
    ReviewReason,
    SignatureRole,
)
from .policies import category_rules, check_against_policy, rule_for

OPEN_STATUSES = [
    AgreementStatus.DRAFT,
    AgreementStatus.AWAITING_SIGNATURES,
    AgreementStatus.ACTIVE,
    AgreementStatus.DUE_FOR_REVIEW,
]
REMINDER_DAYS = 30


# Templates


def template_latest_version(template: AgreementTemplate) -> AgreementTemplateVersion:
    version = template.versions.order_by("-number").first()
    if version is None:
        raise ValidationError("This template has no content yet.")
    return version


@transaction.atomic
def template_copy(
    *, template: AgreementTemplate, organisation: Organisation, by: Person, name: str = ""
) -> AgreementTemplate:
    """The organisation's own copy of a template, to edit; the original is left as it was."""
    source = template_latest_version(template)
    new = AgreementTemplate.objects.create(
        organisation=organisation,
        name=(name or f"{template.name} ({organisation.name})")[:200],
        description=template.description,
        copied_from=template,
    )
    AgreementTemplateVersion.objects.create(
        organisation=organisation,
        template=new,
        number=1,
        content=copy.deepcopy(source.content),
        created_by=by,
    )
    audit_event_write(
        organisation=organisation,
        actor=by.user,
        action="agreement_template.copy",
        target=new,
        detail={"from": template.pk, "from_version": source.number},
    )
    return new


@transaction.atomic
def template_save(
    *, template: AgreementTemplate, content: dict[str, Any], by: Person, name: str = ""
) -> AgreementTemplateVersion:
    """Save an organisation's template: a new version when anything changed. Agreements already
    made keep the version they were made from."""
    if template.is_builtin:
        raise ValidationError("Built-in templates cannot be changed: make a copy and edit that.")
    problems = template_content.check_template_content(content)
    if problems:
        raise ValidationError({"content": problems})
    if name and name != template.name:
        template.name = name[:200]
        template.save(update_fields=["name"])
    latest = template_latest_version(template)
    if template_content.canonical(latest.content) == template_content.canonical(content):
        return latest
    version = AgreementTemplateVersion.objects.create(
        organisation_id=template.organisation_id,
        template=template,
        number=latest.number + 1,
        content=content,
        created_by=by,
    )
    audit_event_write(
        organisation=template.organisation,
        actor=by.user,
        action="agreement_template.save",
        target=template,
        detail={"version": version.number},
    )
    return version


# Agreements


def parties(*, supervisee: Person, supervisor: Person) -> dict[str, Any]:
    return {
        "supervisee": {"id": supervisee.pk, "name": supervisee.full_name},
        "supervisor": {"id": supervisor.pk, "name": supervisor.full_name},
    }


def _fill(version: AgreementVersion, responses: dict[str, Any]) -> None:
    agreement = version.agreement
    version.responses = responses
    version.content_hash = template_content.content_hash(
        template_content=agreement.template_version.content,
        responses=responses,
        parties=parties(supervisee=agreement.supervisee, supervisor=version.supervisor),
    )
    for name, value in template_content.structured_columns(responses).items():
        setattr(version, name, value)


def _check_policy(agreement: Agreement, responses: dict[str, Any], on: datetime.date) -> None:
    duration = responses.get("duration") or {}
    problems = check_against_policy(
        person=agreement.supervisee,
        on=on,
        frequency=responses.get("frequency") or "",
        duration_min_minutes=duration.get("min"),
    )
    if problems:
        raise ValidationError({problem.field: problem.message for problem in problems})


def _check_relationship_current(agreement: Agreement) -> None:
    """An agreement whose supervision has ended is only reviewed (with the new supervisor), never
    changed or signed again: signing it would make it active and supersede the new one."""
    if not agreement.relationship.is_current():
        raise ValidationError(
            "This supervision has ended: review the agreement with the current supervisor."
        )


def default_responses(supervisee: Person, on: datetime.date) -> dict[str, Any]:
    """A new agreement starts from the organisation's policy for the supervisee: "as the policy
    requires" when it changes with time in post (an NQSW's), else the policy's frequency."""
    rule = rule_for(supervisee, on)
    if rule is None:
        return {}
    stages = category_rules(supervisee.organisation, supervisee.staff_category, on)
    frequency = AS_POLICY if len(stages) > 1 else rule.frequency
    responses: dict[str, Any] = {"frequency": frequency}
    if rule.min_minutes:
        responses["duration"] = {"min": rule.min_minutes, "max": max(rule.min_minutes, 120)}
    return responses


def _next_version(agreement: Agreement, *, after: AgreementVersion, by: Person) -> AgreementVersion:
    """The version that follows a signed one, unsaved: with the agreement's supervisor now."""
    return AgreementVersion(
        organisation_id=agreement.organisation_id,
        agreement=agreement,
        number=after.number + 1,
        supervisor=agreement.supervisor,
        created_by=by,
    )


def current_version(agreement: Agreement) -> AgreementVersion:
    version = agreement.versions.order_by("-number").first()
    assert version is not None, "Every agreement has a first version."
    return version


@transaction.atomic
def agreement_start(
    *,
    relationship: SupervisionRelationship,
    template_version: AgreementTemplateVersion,
    by: Person,
    responses: dict[str, Any] | None = None,
) -> Agreement:
    """A draft agreement for a current supervision relationship, which either party fills in."""
    if not relationship.is_current():
        raise ValidationError(
            "This supervision has ended: start an agreement with the current supervisor."
        )
    template = template_version.template
    if template.organisation_id not in (None, relationship.organisation_id):
        raise ValidationError({"template": "Choose one of your organisation's templates."})
    if Agreement.objects.filter(relationship=relationship, status__in=OPEN_STATUSES).exists():
        raise ValidationError("There is already an agreement for this supervision.")
    today = timezone.localdate()
    agreement = Agreement.objects.create(
        organisation_id=relationship.organisation_id,
        supervisee=relationship.supervisee,
        supervisor=relationship.supervisor,
        relationship=relationship,
        template_version=template_version,
        created_by=by,
    )
    version = AgreementVersion(
        organisation_id=agreement.organisation_id,
        agreement=agreement,
        number=1,
        supervisor=relationship.supervisor,
        created_by=by,
    )
    _fill(
        version,
        responses if responses is not None else default_responses(relationship.supervisee, today),
    )
    version.save()
    audit_event_write(
        organisation=relationship.supervisee.organisation,
        actor=by.user,
        action="agreement.start",
        target=agreement,
        detail={"template_version": template_version.pk, "relationship": relationship.pk},
    )
    return agreement


@transaction.atomic
def agreement_save(
    *, agreement: Agreement, responses: dict[str, Any], by: Person
) -> AgreementVersion:
    """Save the parties' answers. A version anyone has signed never changes: a change to it
    makes a new version that both must sign again."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status == AgreementStatus.SUPERSEDED:
        raise ValidationError("This agreement has been replaced and can no longer change.")
    _check_relationship_current(agreement)
    _check_policy(agreement, responses, timezone.localdate())
    version = current_version(agreement)
    if version.responses == responses:
        return version
    if version.signatures.exists():
        version = _next_version(agreement, after=version, by=by)
    _fill(version, responses)
    version.updated_at = timezone.now()
    version.save()
    agreement.status = AgreementStatus.DRAFT
    agreement.save(update_fields=["status"])
    audit_event_write(
        organisation=agreement.supervisee.organisation,
        actor=by.user,
        action="agreement.save",
        target=agreement,
        detail={"version": version.number, "content_hash": version.content_hash},
    )
    return version


@transaction.atomic
def agreement_sign(
    *, agreement: Agreement, person: Person, content_hash: str
) -> AgreementSignature:
    """Sign the current version, as supervisee or supervisor, if it is the version read."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    version = current_version(agreement)
    if person.pk == agreement.supervisee_id:
        role = SignatureRole.SUPERVISEE
    elif person.pk == version.supervisor_id:
        role = SignatureRole.SUPERVISOR
    else:
        raise ValidationError("Only the supervisee and the supervisor sign their agreement.")
    if agreement.status == AgreementStatus.SUPERSEDED:
        raise ValidationError("This agreement has been replaced and can no longer be signed.")
    _check_relationship_current(agreement)
    # The organisation's policy may have tightened since this version was written.
    _check_policy(agreement, version.responses, timezone.localdate())
    if content_hash != version.content_hash:
        raise ValidationError(
            {
                "content_hash": "The agreement changed after you opened it. Read this version, "
                "then sign it."
            }
        )
    if version.signatures.filter(role=role).exists():
        raise ValidationError("You have already signed this version.")
    signature = AgreementSignature.objects.create(
        organisation_id=agreement.organisation_id,
        version=version,
        person=person,
        role=role,
        content_hash=version.content_hash,
    )
    today = timezone.localdate()
    other = agreement.supervisor if role == SignatureRole.SUPERVISEE else agreement.supervisee
    if version.signatures.count() == 2:
        agreement.status = AgreementStatus.ACTIVE
        agreement.signed_on = today
        months = agreement.supervisee.organisation.agreement_review_months
        agreement.review_due_on = today + relativedelta(months=months)
        agreement.review_reason = ""
        agreement.reminder_sent_for = None
        _supersede_earlier(agreement)
        text = f"Your supervision agreement with {person.full_name} is signed by you both."
    else:
        agreement.status = AgreementStatus.AWAITING_SIGNATURES
        text = f"{person.full_name} signed your supervision agreement: it is ready for you to sign."
    agreement.save(
        update_fields=["status", "signed_on", "review_due_on", "review_reason", "reminder_sent_for"]
    )
    notice_send(
        organisation=agreement.supervisee.organisation,
        user=other.user,
        text=text,
        url=reverse("agreement", args=[agreement.pk]),
    )
    audit_event_write(
        organisation=agreement.supervisee.organisation,
        actor=person.user,
        action="agreement.sign",
        target=agreement,
        detail={"version": version.number, "role": role, "content_hash": version.content_hash},
    )
    return signature


def _supersede_earlier(agreement: Agreement) -> None:
    """Once a new agreement is in force, the supervisee's earlier ones of that kind end."""
    earlier = Agreement.objects.filter(
        supervisee_id=agreement.supervisee_id,
        relationship__kind=agreement.relationship.kind,
        status__in=OPEN_STATUSES,
    ).exclude(pk=agreement.pk)
    earlier.update(status=AgreementStatus.SUPERSEDED, superseded_by=agreement)


@transaction.atomic
def agreement_review_start(*, agreement: Agreement, by: Person) -> Agreement:
    """Review an agreement: with the same supervisor, a new version to sign again; after a
    change of supervisor, a new agreement with the new one, starting from the same answers."""
    if agreement.status == AgreementStatus.SUPERSEDED:
        raise ValidationError("This agreement has been replaced: review the current one.")
    relationship = (
        SupervisionRelationship.objects.for_organisation(agreement.organisation_id)
        .current()
        .filter(supervisee_id=agreement.supervisee_id, kind=agreement.relationship.kind)
        .first()
    )
    if relationship is None:
        raise ValidationError("The supervisee has no current supervisor of this kind.")
    version = current_version(agreement)
    responses = copy.deepcopy(version.responses)
    if relationship.pk != agreement.relationship_id:
        return agreement_start(
            relationship=relationship,
            template_version=agreement.template_version,
            by=by,
            responses=responses,
        )
    if version.signatures.exists():
        new = _next_version(agreement, after=version, by=by)
        _fill(new, responses)
        new.save()
    agreement.status = AgreementStatus.DRAFT
    agreement.save(update_fields=["status"])
    audit_event_write(
        organisation=agreement.supervisee.organisation,
        actor=by.user,
        action="agreement.review",
        target=agreement,
    )
    return agreement


def agreements_supervisor_changed(
    *, previous: SupervisionRelationship | None, new: SupervisionRelationship, by: Person
) -> None:
    """Registered with organisations: a new supervisor means the agreement is reviewed now."""
    if previous is None:
        return
    due = Agreement.objects.filter(relationship=previous, status__in=OPEN_STATUSES)
    for agreement in due.select_related("supervisee__user"):
        agreement.status = AgreementStatus.DUE_FOR_REVIEW
        agreement.review_reason = ReviewReason.SUPERVISOR_CHANGED
        agreement.review_due_on = new.starts_on
        agreement.save(update_fields=["status", "review_reason", "review_due_on"])
        url = reverse("agreement", args=[agreement.pk])
        for person in (agreement.supervisee, new.supervisor):
            notice_send(
                organisation=new.supervisee.organisation,
                user=person.user,
                text=f"{new.supervisor.full_name} now supervises {new.supervisee.full_name}: "
                "review the supervision agreement together.",
                url=url,
            )
        audit_event_write(
            organisation=new.supervisee.organisation,
            actor=by,
            action="agreement.due_for_review",
            target=agreement,
            detail={"reason": ReviewReason.SUPERVISOR_CHANGED, "new_relationship": new.pk},
        )


@transaction.atomic
@across_organisations("the daily round: agreements come due for review, in every organisation")
def agreements_mark_due(*, today: datetime.date | None = None) -> int:
    """Active agreements whose review date has come are due for review. Returns how many."""
    today = today or timezone.localdate()
    due = list(Agreement.objects.filter(status=AgreementStatus.ACTIVE, review_due_on__lte=today))
    for agreement in due:
        agreement.status = AgreementStatus.DUE_FOR_REVIEW
        agreement.review_reason = ReviewReason.ANNUAL
        agreement.save(update_fields=["status", "review_reason"])
        audit_event_write(
            organisation=agreement.organisation,
            actor=None,
            action="agreement.due_for_review",
            target=agreement,
            detail={"reason": ReviewReason.ANNUAL},
        )
    return len(due)


def reminder_recipients(agreement: Agreement) -> list[Person]:
    """Both parties and the supervisor's own manager (the first step of their chain)."""
    people = [agreement.supervisee, agreement.supervisor]
    chain = person_escalation_chain(person=agreement.supervisor)
    if chain and chain[0].person.pk not in {p.pk for p in people}:
        people.append(chain[0].person)
    return people


@transaction.atomic
@across_organisations("the daily round: review reminders, in every organisation")
def agreement_reminders_send(*, today: datetime.date | None = None) -> int:
    """Email and notify, once per review date, everyone concerned by a review due within 30
    days. Returns the number of agreements reminded about."""
    today = today or timezone.localdate()
    soon = Agreement.objects.select_related("supervisee__user", "supervisor__user").filter(
        status=AgreementStatus.ACTIVE,
        review_due_on__gt=today,
        review_due_on__lte=today + datetime.timedelta(days=REMINDER_DAYS),
    )
    count = 0
    for agreement in soon:
        if agreement.reminder_sent_for == agreement.review_due_on:
            continue
        url = reverse("agreement", args=[agreement.pk])
        subject = f"Supervision agreement review due on {long_date(agreement.review_due_on)}"
        body = (
            f"The supervision agreement between {agreement.supervisee.full_name} (supervisee) "
            f"and {agreement.supervisor.full_name} (supervisor) is due for review on "
            f"{long_date(agreement.review_due_on)}, a year after it was signed.\n\n"
            "Agree a time to go through it together, then both sign the reviewed version in "
            f"Tandem:\n{settings.SITE_URL.rstrip('/')}{url}\n\nTandem"
        )
        for person in reminder_recipients(agreement):
            send_mail(subject, body, None, [person.user.email])
            notice_send(
                organisation=agreement.organisation, user=person.user, text=subject, url=url
            )
        agreement.reminder_sent_for = agreement.review_due_on
        agreement.save(update_fields=["reminder_sent_for"])
        count += 1
    return count
