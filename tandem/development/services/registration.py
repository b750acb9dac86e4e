"""Writes about CPD, the organisation's rule sets and NMC revalidation."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.organisations.models import Organisation, Person
from tandem.records.models import GroupAttendance, GroupRecord, GroupRecordStatus, Record

from .. import schemes
from ..models import (
    CodeTheme,
    CpdKind,
    CpdRecord,
    PracticeHours,
    ReflectiveAccount,
    ReflectiveDiscussion,
    Revalidation,
    RevalidationFeedback,
    SchemeRules,
)
from ..selectors import revalidation_position, rules_of
from ._common import HOURS_MAX, audit, check_past, check_pin, check_text, refuse_if

CPD_FIELDS = (
    "kind",
    "title",
    "done_on",
    "description",
    "learnt",
    "impact",
    "peer_reflection",
    "peer_with",
    "peer_on",
    "hours",
    "participatory_hours",
)


@transaction.atomic
def scheme_rules_set(
    *, organisation: Organisation, scheme: str, values: dict[str, Any], by: Person
) -> SchemeRules:
    """Set an organisation's numbers for one rule set; the old and new values are audited."""
    if scheme not in schemes.Scheme.values:
        refuse_if({"scheme": "Choose a rule set."})
    full = schemes.defaults(scheme) | values
    refuse_if(schemes.rules_problems(scheme, full))
    rules, _created = SchemeRules.objects.get_or_create(organisation=organisation, scheme=scheme)
    before = schemes.defaults(scheme) | rules.values
    rules.values = {key: full[key] for key in schemes.defaults(scheme)}
    rules.changed_at = timezone.now()
    rules.changed_by = by.user
    rules.save()
    changed = {k: [before[k], v] for k, v in rules.values.items() if before.get(k) != v}
    audit(
        subject=by,
        by=by,
        action="rules_changed",
        target=rules,
        summary=f"{rules.get_scheme_display()} rules changed",
        detail={"changed": changed},
    )
    return rules


def cpd_problems(person: Person, fields: dict[str, Any]) -> dict[str, str]:
    """What is wrong with these CPD fields, by field; empty when nothing is."""
    problems: dict[str, str] = {}
    if fields.get("kind") not in CpdKind.values:
        problems["kind"] = "Choose the type of CPD."
    check_text(problems, "title", fields.get("title", ""), label="a title", limit=200)
    if fields.get("done_on") is None:
        problems["done_on"] = "Enter the date of the CPD."
    check_past(problems, "done_on", fields.get("done_on"), label="The date of the CPD")
    for key, label in (
        ("description", "what the CPD was"),
        ("learnt", "what you learnt"),
        ("impact", "the impact on your practice"),
    ):
        check_text(problems, key, fields.get(key, ""), label=label)
    if fields.get("peer_reflection"):
        check_text(
            problems,
            "peer_with",
            fields.get("peer_with", ""),
            label="who you reflected with",
            limit=200,
        )
        check_past(problems, "peer_on", fields.get("peer_on"), label="The date you reflected")
    hours: Decimal | None = fields.get("hours")
    part: Decimal | None = fields.get("participatory_hours")
    if hours is not None and not Decimal("0") < hours <= HOURS_MAX:
        problems["hours"] = "Enter the hours as a number more than 0, like 1.5."
    if part is not None:
        if part < 0:
            problems["participatory_hours"] = "Participatory hours cannot be less than 0."
        elif hours is None:
            problems["hours"] = "Enter the CPD hours: participatory hours are part of them."
        elif part > hours:
            problems["participatory_hours"] = (
                f"Participatory hours ({part}) are part of the CPD hours ({hours}): they "
                "cannot be more."
            )
    return problems


def _cpd_values(fields: dict[str, Any]) -> dict[str, Any]:
    values = {key: fields.get(key) for key in CPD_FIELDS}
    values["peer_reflection"] = bool(values["peer_reflection"])
    for key in ("title", "description", "learnt", "impact", "peer_with"):
        values[key] = (values[key] or "").strip()
    if not values["peer_reflection"]:
        values["peer_with"], values["peer_on"] = "", None
    return values


def group_cpd_allowed(record: GroupRecord, person: Person) -> bool:
    if record.status != GroupRecordStatus.SHARED:
        return False
    return (
        record.supervisor_id == person.pk
        or GroupAttendance.objects.filter(record=record, person=person, present=True).exists()
    )


@transaction.atomic
def cpd_record_add(
    *,
    person: Person,
    by: Person,
    fields: dict[str, Any],
    source_record: Record | None = None,
    source_case_reference: str = "",
    source_group_record: GroupRecord | None = None,
) -> CpdRecord:
    """Log a piece of CPD for ``person`` (``fields``: the CPD_FIELDS). Started from a
    supervision record, it links back to it (and names the case discussion by its reference);
    the person must be a party to that record. Started from a shared group record, the person
    led the group or was present."""
    problems = cpd_problems(person, fields)
    if source_group_record is not None and not group_cpd_allowed(source_group_record, person):
        problems["source_group_record"] = (
            "CPD can come only from a shared group record of a group you led or were present in."
        )
    if source_record is not None and person.pk not in (
        source_record.supervisee_id,
        source_record.supervisor_id,
    ):
        problems["source_record"] = "CPD can come only from a record of your own supervision."
    if source_case_reference and source_record is not None:
        known = source_record.case_discussions.filter(case_reference=source_case_reference)
        if not known.exists():
            problems["source_case_reference"] = "That case was not discussed in the record."
    refuse_if(problems)
    cpd = CpdRecord.objects.create(
        organisation=person.organisation,
        person=person,
        created_by=by,
        source_record=source_record,
        source_case_reference=source_case_reference if source_record else "",
        source_group_record=source_group_record,
        **_cpd_values(fields),
    )
    audit(subject=person, by=by, action="cpd_added", target=cpd, summary=cpd.title)
    return cpd


@transaction.atomic
def cpd_record_change(*, cpd: CpdRecord, by: Person, fields: dict[str, Any]) -> CpdRecord:
    refuse_if(cpd_problems(cpd.person, fields))
    for key, value in _cpd_values(fields).items():
        setattr(cpd, key, value)
    cpd.save()
    audit(subject=cpd.person, by=by, action="cpd_changed", target=cpd, summary=cpd.title)
    return cpd


@transaction.atomic
def cpd_record_remove(*, cpd: CpdRecord, by: Person) -> None:
    audit(subject=cpd.person, by=by, action="cpd_removed", target=cpd, summary=cpd.title)
    cpd.delete()


# NMC revalidation


@transaction.atomic
def revalidation_start(
    *, person: Person, due_on: datetime.date | None, pin: str, by: Person
) -> Revalidation:
    """Record the date a nurse's registration is next renewed (and their PIN): the revalidation
    that gathers evidence for it."""
    problems: dict[str, str] = {}
    pin = check_pin(problems, "pin", pin or person.registration_number)
    if due_on is None:
        problems["due_on"] = "Enter the date your registration is renewed."
    elif due_on < timezone.localdate() - datetime.timedelta(days=365):
        problems["due_on"] = "The renewal date must be in the last year or in the future."
    elif due_on > timezone.localdate() + datetime.timedelta(days=5 * 366):
        problems["due_on"] = "The renewal date must be within the next five years."
    elif Revalidation.objects.filter(person=person, due_on=due_on).exists():
        problems["due_on"] = "There is already a revalidation due on that date."
    refuse_if(problems)
    revalidation = Revalidation.objects.create(
        organisation=person.organisation, person=person, pin=pin, due_on=due_on
    )
    audit(subject=person, by=by, action="revalidation_started", target=revalidation)
    return revalidation


def _within(problems: dict[str, str], key: str, revalidation: Revalidation, day: Any) -> None:
    rules = rules_of(revalidation.organisation_id, schemes.Scheme.NMC_REVALIDATION)
    period = schemes.revalidation_period(revalidation.due_on, cycle_years=rules["cycle_years"])
    if day is not None and day not in period:
        problems.setdefault(
            key, f"The date must be in the three years this revalidation covers: {period.label}."
        )


@transaction.atomic
def practice_hours_add(
    *,
    revalidation: Revalidation,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    hours: Decimal | None,
    setting: str,
    by: Person,
) -> PracticeHours:
    problems: dict[str, str] = {}
    check_text(problems, "setting", setting, label="the role and setting", limit=200)
    if starts_on is None:
        problems["starts_on"] = "Enter the first day of the period."
    if ends_on is None:
        problems["ends_on"] = "Enter the last day of the period."
    if starts_on and ends_on:
        if ends_on < starts_on:
            problems["ends_on"] = "The last day must be the same as or after the first day."
        else:
            check_past(problems, "ends_on", ends_on, label="The last day")
            _within(problems, "starts_on", revalidation, starts_on)
            _within(problems, "ends_on", revalidation, ends_on)
    if hours is None or hours <= 0:
        problems["hours"] = "Enter the hours practised as a number more than 0."
    elif starts_on and ends_on and ends_on >= starts_on:
        days = (ends_on - starts_on).days + 1
        if hours > days * 24:
            problems["hours"] = (
                f"{hours} hours do not fit in {days} days ({days * 24} hours at most): check "
                "the hours and the dates."
            )
    refuse_if(problems)
    item = PracticeHours.objects.create(
        organisation=revalidation.organisation,
        revalidation=revalidation,
        starts_on=starts_on,
        ends_on=ends_on,
        hours=hours,
        setting=setting.strip(),
    )
    audit(subject=revalidation.person, by=by, action="practice_hours_added", target=item)
    return item


@transaction.atomic
def feedback_add(
    *,
    revalidation: Revalidation,
    received_on: datetime.date | None,
    source: str,
    summary: str,
    used_for: str,
    by: Person,
) -> RevalidationFeedback:
    problems: dict[str, str] = {}
    if received_on is None:
        problems["received_on"] = "Enter the date of the feedback."
    check_past(problems, "received_on", received_on, label="The date of the feedback")
    _within(problems, "received_on", revalidation, received_on)
    check_text(problems, "source", source, label="who the feedback came from", limit=200)
    check_text(problems, "summary", summary, label="what the feedback said")
    check_text(problems, "used_for", used_for, label="how you used it", required=False)
    refuse_if(problems)
    item = RevalidationFeedback.objects.create(
        organisation=revalidation.organisation,
        revalidation=revalidation,
        received_on=received_on,
        source=source.strip(),
        summary=summary.strip(),
        used_for=used_for.strip(),
    )
    audit(subject=revalidation.person, by=by, action="feedback_added", target=item)
    return item


@transaction.atomic
def reflective_account_add(
    *,
    revalidation: Revalidation,
    written_on: datetime.date | None,
    experience: str,
    learnt: str,
    changed: str,
    code_theme: str,
    by: Person,
) -> ReflectiveAccount:
    problems: dict[str, str] = {}
    if written_on is None:
        problems["written_on"] = "Enter the date you wrote the account."
    check_past(problems, "written_on", written_on, label="The date of the account")
    _within(problems, "written_on", revalidation, written_on)
    check_text(problems, "experience", experience, label="what the CPD, feedback or event was")
    check_text(problems, "learnt", learnt, label="what you learnt")
    check_text(problems, "changed", changed, label="how you changed or improved your practice")
    if code_theme not in CodeTheme.values:
        problems["code_theme"] = "Choose the theme of the Code the account relates to."
    refuse_if(problems)
    item = ReflectiveAccount.objects.create(
        organisation=revalidation.organisation,
        revalidation=revalidation,
        written_on=written_on,
        experience=experience.strip(),
        learnt=learnt.strip(),
        changed=changed.strip(),
        code_theme=code_theme,
    )
    audit(subject=revalidation.person, by=by, action="reflective_account_added", target=item)
    return item


@transaction.atomic
def reflective_discussion_add(
    *,
    revalidation: Revalidation,
    held_on: datetime.date | None,
    partner_name: str,
    partner_pin: str,
    partner_email: str,
    partner_address: str,
    partner_signed_on: datetime.date | None,
    by: Person,
) -> ReflectiveDiscussion:
    """The NMC's reflective discussion form: the partner is another NMC registrant, named with
    their PIN; their signature is the date they signed the form."""
    problems: dict[str, str] = {}
    if held_on is None:
        problems["held_on"] = "Enter the date of the discussion."
    check_past(problems, "held_on", held_on, label="The date of the discussion")
    _within(problems, "held_on", revalidation, held_on)
    check_text(problems, "partner_name", partner_name, label="the partner's name", limit=200)
    pin = check_pin(problems, "partner_pin", partner_pin, label="The partner's NMC PIN")
    if not problems.get("partner_pin") and pin == revalidation.pin:
        problems["partner_pin"] = "The partner must be another registrant, not you."
    check_text(
        problems,
        "partner_address",
        partner_address,
        label="the address",
        required=False,
        limit=300,
    )
    check_past(problems, "partner_signed_on", partner_signed_on, label="The date signed")
    if partner_signed_on and held_on and partner_signed_on < held_on:
        problems["partner_signed_on"] = "The partner signs on or after the day of the discussion."
    refuse_if(problems)
    item = ReflectiveDiscussion.objects.create(
        organisation=revalidation.organisation,
        revalidation=revalidation,
        held_on=held_on,
        partner_name=partner_name.strip(),
        partner_pin=pin,
        partner_email=partner_email.strip(),
        partner_address=partner_address.strip(),
        partner_signed_on=partner_signed_on,
    )
    audit(subject=revalidation.person, by=by, action="reflective_discussion_added", target=item)
    return item


@transaction.atomic
def revalidation_confirm(
    *,
    revalidation: Revalidation,
    confirmer_name: str,
    confirmer_role: str,
    confirmer_pin: str,
    confirmed_on: datetime.date | None,
    by: Person,
) -> Revalidation:
    """The confirmer's confirmation, once the evidence is complete. Their PIN is asked for only
    when they give it (a confirmer need not be a nurse)."""
    problems: dict[str, str] = {}
    if not revalidation_position(revalidation).evidence_complete:
        problems["__all__"] = (
            "The evidence is not complete yet: a confirmer confirms only when every part is."
        )
    check_text(problems, "confirmer_name", confirmer_name, label="the confirmer's name", limit=200)
    check_text(problems, "confirmer_role", confirmer_role, label="the confirmer's role", limit=200)
    pin = ""
    if confirmer_pin.strip():
        pin = check_pin(problems, "confirmer_pin", confirmer_pin, label="The confirmer's NMC PIN")
    if confirmed_on is None:
        problems["confirmed_on"] = "Enter the date of the confirmation."
    check_past(problems, "confirmed_on", confirmed_on, label="The date of the confirmation")
    refuse_if(problems)
    revalidation.confirmer_name = confirmer_name.strip()
    revalidation.confirmer_role = confirmer_role.strip()
    revalidation.confirmer_pin = pin
    revalidation.confirmed_on = confirmed_on
    revalidation.save()
    audit(subject=revalidation.person, by=by, action="revalidation_confirmed", target=revalidation)
    return revalidation


def cpd_exported(*, person: Person, by: Person, year: schemes.Period, count: int) -> None:
    """An export of a person's CPD leaves the system: who took it, and which year."""
    audit(
        subject=person,
        by=by,
        action="cpd_exported",
        target=person,
        summary=f"CPD for {year.label} exported",
        detail={"year": year.starts_on.isoformat(), "records": count},
    )
