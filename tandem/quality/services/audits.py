"""Supervision audits: the organisation's instrument (criteria, grouped and weighted), applied
to a sample of one pair's records with Tandem's facts filled in; completed by the auditor with
a score; replied to by the supervisor."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tandem.organisations.models import Organisation, Person
from tandem.records.models import Record, RecordStatus
from tandem.records.selectors import AccessReason

from ..facts import audit_facts
from ..instrument import BUILT_IN
from ..models import (
    ANSWER_SCORES,
    AuditAnswer,
    AuditCriterion,
    AuditedRecord,
    AuditResponse,
    AuditStatus,
    SupervisionAudit,
)
from ..rules import in_team_of
from ..sampling import new_seed, seeded_sample
from ._common import audit, refuse_if, text

SAMPLE_DEFAULT = 6
SAMPLE_MAX = 20
WEIGHT_MAX = 5
FACT_KEYS = sorted({fact for _g, _t, _w, fact in BUILT_IN if fact})


def criteria_of(organisation: Organisation) -> list[AuditCriterion]:
    """The organisation's instrument: its own copy of the built-in one the first time."""
    criteria = AuditCriterion.objects.filter(organisation=organisation)
    if not criteria.exists():
        AuditCriterion.objects.bulk_create(
            AuditCriterion(
                organisation=organisation,
                group=group,
                text=words,
                weight=weight,
                fact=fact,
                position=index,
            )
            for index, (group, words, weight, fact) in enumerate(BUILT_IN, start=1)
        )
    return list(criteria.filter(active=True).order_by("position", "id"))


def _criterion_problems(
    group: str, words: str, weight: int | None, fact: str
) -> tuple[dict[str, str], str, str]:
    problems: dict[str, str] = {}
    group = text(problems, "group", group, label="the group it belongs to", limit=100)
    words = text(problems, "text", words, label="the question", limit=300)
    if weight is None or not 1 <= weight <= WEIGHT_MAX:
        problems["weight"] = f"Enter a weight from 1 to {WEIGHT_MAX}."
    if fact and fact not in FACT_KEYS:
        problems["fact"] = "Choose one of the facts Tandem knows, or none."
    return problems, group, words


@transaction.atomic
def criterion_add(
    *,
    organisation: Organisation,
    by: Person,
    group: str,
    text_: str,
    weight: int | None,
    fact: str = "",
) -> AuditCriterion:
    criteria_of(organisation)
    problems, group, words = _criterion_problems(group, text_, weight, fact)
    refuse_if(problems)
    top = AuditCriterion.objects.filter(organisation=organisation).aggregate(top=Max("position"))
    criterion = AuditCriterion.objects.create(
        organisation=organisation,
        group=group,
        text=words,
        weight=weight or 1,
        fact=fact,
        position=(top["top"] or 0) + 1,
    )
    audit(by=by, organisation=organisation, action="criterion_added", target=criterion)
    return criterion


@transaction.atomic
def criterion_change(
    *,
    criterion: AuditCriterion,
    by: Person,
    group: str,
    text_: str,
    weight: int | None,
    fact: str = "",
) -> AuditCriterion:
    """Audits already begun keep the words and weight they asked with."""
    problems, group, words = _criterion_problems(group, text_, weight, fact)
    refuse_if(problems)
    before = {"group": criterion.group, "text": criterion.text, "weight": criterion.weight}
    criterion.group, criterion.text, criterion.weight, criterion.fact = (
        group,
        words,
        weight or 1,
        fact,
    )
    criterion.save()
    audit(
        by=by,
        organisation=criterion.organisation,
        action="criterion_changed",
        target=criterion,
        before=before,
    )
    return criterion


@transaction.atomic
def criterion_retire(*, criterion: AuditCriterion, by: Person) -> AuditCriterion:
    criterion.active = False
    criterion.save(update_fields=["active"])
    audit(by=by, organisation=criterion.organisation, action="criterion_retired", target=criterion)
    return criterion


def pair_records(
    supervisor: Person, supervisee: Person, starts_on: datetime.date, ends_on: datetime.date
) -> list[Record]:
    """The pair's records of sessions held in the period that have been shared: what a sample
    is drawn from, oldest first."""
    return list(
        Record.objects.filter(
            organisation_id=supervisee.organisation_id,
            supervisor=supervisor,
            supervisee=supervisee,
            held_on__gte=starts_on,
            held_on__lte=ends_on,
        )
        .exclude(status=RecordStatus.DRAFT)
        .order_by("held_on", "id")
    )


@transaction.atomic
def audit_begin(
    *,
    supervisor: Person | None,
    supervisee: Person | None,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    sample_size: int | None,
    by: Person,
    seed: int | None = None,
) -> SupervisionAudit:
    """Draw the sample (at random from a stored seed), work out the facts and set out the
    instrument's questions with them, ready for the auditor."""
    problems: dict[str, str] = {}
    today = timezone.localdate()
    if supervisee is None or supervisee.organisation_id != by.organisation_id:
        problems["supervisee"] = "Choose whose supervision to audit."
    if supervisor is None or supervisor.organisation_id != by.organisation_id:
        problems["supervisor"] = "Choose the supervisor."
    if starts_on is None:
        problems["starts_on"] = "Enter the first day of the period."
    if ends_on is None:
        problems["ends_on"] = "Enter the last day of the period."
    elif ends_on >= today:
        problems["ends_on"] = "The period must have ended: its last day must be before today."
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = "The last day must be on or after the first day."
    if sample_size is None or not 1 <= sample_size <= SAMPLE_MAX:
        problems["sample_size"] = f"Enter a sample of 1 to {SAMPLE_MAX} records."
    if supervisor is not None and supervisee is not None and not problems:
        if by.pk in (supervisor.pk, supervisee.pk):
            problems["supervisee"] = "Nobody audits supervision they take part in."
        elif in_team_of(by, supervisee):
            problems["supervisee"] = (
                "You are in the supervisee's team: an audit of their supervision is never "
                "shown to anyone in their team, so someone else must audit it."
            )
        elif not by.user.has_perm("quality.audit_supervisor", supervisor):
            problems["supervisor"] = (
                "Only a practice auditor, or a manager above the supervisor, audits their "
                "supervision."
            )
    refuse_if(problems)
    assert supervisor and supervisee and starts_on and ends_on and sample_size
    records = pair_records(supervisor, supervisee, starts_on, ends_on)
    if not records:
        refuse_if({"starts_on": "The two have no shared records of sessions held in that period."})
    seed = seed or new_seed()
    sample = sorted(
        seeded_sample(records, sample_size, seed=seed, salt=f"{supervisor.pk}-{supervisee.pk}"),
        key=lambda r: (r.held_on, r.pk),
    )
    created = SupervisionAudit.objects.create(
        organisation_id=supervisee.organisation_id,
        supervisor=supervisor,
        supervisee=supervisee,
        team_id=supervisee.team_id,
        auditor=by,
        starts_on=starts_on,
        ends_on=ends_on,
        seed=seed,
    )
    AuditedRecord.objects.bulk_create(
        AuditedRecord(organisation_id=created.organisation_id, audit=created, record=record)
        for record in sample
    )
    facts = audit_facts(
        supervisor=supervisor,
        supervisee=supervisee,
        starts_on=starts_on,
        ends_on=ends_on,
        sample=sample,
        today=today,
    )
    responses = []
    for index, criterion in enumerate(criteria_of(supervisee.organisation), start=1):
        fact = facts.get(criterion.fact) if criterion.fact else None
        responses.append(
            AuditResponse(
                organisation_id=created.organisation_id,
                audit=created,
                criterion=criterion,
                group=criterion.group,
                text=criterion.text,
                weight=criterion.weight,
                position=index,
                fact=fact.text if fact else "",
                suggested=fact.suggested if fact else "",
                answer=fact.suggested if fact else "",
            )
        )
    AuditResponse.objects.bulk_create(responses)
    audit(
        by=by,
        organisation=supervisee.organisation,
        action="audit_begun",
        target=created,
        seed=seed,
        sample=[r.pk for r in sample],
    )
    return created


def _draft(supervision_audit: SupervisionAudit, by: Person) -> SupervisionAudit:
    found = SupervisionAudit.objects.select_for_update(of=("self",)).get(pk=supervision_audit.pk)
    if by.pk != found.auditor_id:
        raise ValidationError("Only the auditor answers the audit.")
    if found.status != AuditStatus.DRAFT:
        raise ValidationError("This audit is completed, so it cannot change.")
    return found


@transaction.atomic
def audit_answers_save(
    *,
    supervision_audit: SupervisionAudit,
    by: Person,
    answers: dict[int, tuple[str, str]],
    summary: str,
) -> SupervisionAudit:
    """The auditor's answers (response id: answer, comment) and summary, as far as they go."""
    found = _draft(supervision_audit, by)
    problems: dict[str, str] = {}
    summary = text(problems, "summary", summary, label="the summary", required=False)
    responses = {r.pk: r for r in found.responses.all()}
    for pk, (answer, comment) in answers.items():
        if pk not in responses:
            continue
        if answer and answer not in AuditAnswer.values:
            problems[f"answer_{pk}"] = "Choose yes, partly, no or does not apply."
        text(problems, f"comment_{pk}", comment, label="the comment", required=False)
    refuse_if(problems)
    changed = []
    for pk, (answer, comment) in answers.items():
        response = responses.get(pk)
        if response is not None:
            response.answer, response.comment = answer, comment.strip()
            changed.append(response)
    AuditResponse.objects.bulk_update(changed, ["answer", "comment"])
    found.summary = summary
    found.save(update_fields=["summary"])
    audit(by=by, organisation=found.organisation, action="audit_saved", target=found)
    return found


def score_of(responses: list[Any]) -> int | None:
    """The weighted score in whole per cent, rounded down: yes counts 2, partly 1, no 0, each
    times its weight, over twice the weights of the questions that apply."""
    got = whole = 0
    for response in responses:
        if response.answer in ANSWER_SCORES:
            got += ANSWER_SCORES[response.answer] * response.weight
            whole += 2 * response.weight
    return got * 100 // whole if whole else None


@transaction.atomic
def audit_complete(*, supervision_audit: SupervisionAudit, by: Person) -> SupervisionAudit:
    found = _draft(supervision_audit, by)
    responses = list(found.responses.all())
    missing = [r for r in responses if not r.answer]
    problems: dict[str, str] = {}
    for response in missing:
        problems[f"answer_{response.pk}"] = f"Answer “{response.text}”."
    if not found.summary.strip():
        problems["summary"] = "Enter a summary for the supervisor."
    refuse_if(problems)
    found.status = AuditStatus.COMPLETED
    found.score = score_of(responses)
    found.completed_at = timezone.now()
    found.save(update_fields=["status", "score", "completed_at"])
    audit(
        by=by,
        organisation=found.organisation,
        action="audit_completed",
        target=found,
        score=found.score,
    )
    return found


@transaction.atomic
def audit_reply(*, supervision_audit: SupervisionAudit, by: Person, reply: str) -> SupervisionAudit:
    found = SupervisionAudit.objects.select_for_update(of=("self",)).get(pk=supervision_audit.pk)
    problems: dict[str, str] = {}
    if by.pk != found.supervisor_id:
        problems["reply"] = "Only the supervisor audited replies."
    elif found.status != AuditStatus.COMPLETED:
        problems["reply"] = "The audit is not completed yet."
    elif found.replied_at is not None:
        problems["reply"] = "You have replied already."
    reply = text(problems, "reply", reply, label="your reply")
    refuse_if(problems)
    found.reply = reply
    found.replied_at = timezone.now()
    found.save(update_fields=["reply", "replied_at"])
    audit(by=by, organisation=found.organisation, action="audit_replied", target=found)
    return found


def reads_as_auditor(person: Person, record: Record) -> AccessReason | None:
    """The auditor of an audit whose sample holds the record reads it (not its welfare)."""
    if AuditedRecord.objects.filter(record=record, audit__auditor=person).exists():
        return AccessReason.AUDITOR
    return None
