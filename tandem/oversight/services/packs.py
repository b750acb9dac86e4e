"""Inspection evidence packs and the inspector's time-limited, read-only access to one.

A pack is made for a unit (or the whole organisation) over a period by someone who oversees it:
the compliance figures, the 12-month trend and the policy in force are computed once and kept
(``EvidencePack.figures``), so the pack says on any later day what it said when it was made; a
sample of records (signed or shared, of sessions held in the period by people in the unit),
chosen at random from a kept seed or named by the inspector, is kept with it.

Records leave only WITHOUT their welfare section: each is laid out by the records app's
``document.record_document`` at ``Level.WITHOUT_WELFARE``, which never loads the welfare column.

An inspector reaches one pack through a secret link until the end of its expiry date; only a hash
of the link's token is kept. Making a pack, granting and revoking access, every download and
every page an inspector opens is an audit event (never with the token).
"""

from __future__ import annotations

import datetime
import random
import secrets
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.agreements.document import format_date
from tandem.agreements.models import Frequency, FrequencyRule
from tandem.agreements.policies import frequency_rules_ensure
from tandem.core.scoping import across_organisations
from tandem.core.services import audit_event_write
from tandem.core.tokens import token_hash, token_new
from tandem.organisations.models import Organisation, Person, PolicyClock, StaffCategory, Team
from tandem.records.models import Record, RecordStatus
from tandem.records.selectors import Access, AccessReason, Level

from .. import selectors
from ..models import EvidencePack, InspectorAccess, SampleChoice
from ..periods import Period, PeriodError

# The longest an inspector's link may last, from the day it is granted.
MAX_ACCESS_DAYS = 90


def max_access_days(organisation: Organisation) -> int:
    """The longest an inspector's link may last: the organisation's setting, at most 90 days."""
    return min(MAX_ACCESS_DAYS, organisation.inspector_access_days or MAX_ACCESS_DAYS)


# The most records one pack samples.
MAX_SAMPLE = 100
SAMPLED_STATUSES = (RecordStatus.SIGNED, RecordStatus.SHARED)
# What an inspector (and the pack's documents) read of a record: everything but welfare.
WITHOUT_WELFARE = Access(Level.WITHOUT_WELFARE, reason=AccessReason.INSPECTOR)
WHOLE_ORGANISATION = "Whole organisation"


# Who may make and open packs


def overseeable_units(access: selectors.Oversight) -> QuerySet[Team]:
    """The units this person may make packs for: every unit of the organisation for
    whole-organisation access, else the units they lead and everything under them."""
    units = Team.objects.for_organisation(access.organisation).select_related(
        "parent", "parent__parent"
    )
    if not access.whole_organisation:
        led = [u.pk for u in access.units]
        units = units.filter(Q(pk__in=led) | Q(parent__in=led) | Q(parent__parent__in=led))
    return units.order_by("parent__parent__name", "parent__name", "name", "pk")


def may_oversee_pack(access: selectors.Oversight | None, pack: EvidencePack) -> bool:
    if access is None or pack.organisation_id != access.organisation.pk:
        return False
    if pack.unit is None:
        return access.whole_organisation
    return selectors.may_oversee_unit(access, pack.unit)


def _packs(organisation: Organisation | int) -> QuerySet[EvidencePack]:
    return EvidencePack.objects.for_organisation(organisation).select_related(
        "organisation", "unit", "unit__parent", "unit__parent__parent", "created_by"
    )


def packs_for(access: selectors.Oversight) -> QuerySet[EvidencePack]:
    """The packs of the units this person oversees (and whole-organisation ones, for those
    who oversee the organisation), newest first."""
    packs = _packs(access.organisation)
    if not access.whole_organisation:
        packs = packs.filter(unit__in=overseeable_units(access).values("pk"))
    return packs.order_by("-created_at", "-pk")


def pack_for(access: selectors.Oversight, pk: int) -> EvidencePack | None:
    """One pack this person may open, or None (another organisation's, or a unit they do not
    oversee: the pages answer 404 alike)."""
    pack = _packs(access.organisation).filter(pk=pk).first()
    return pack if pack is not None and may_oversee_pack(access, pack) else None


def _require(by: Person, pack: EvidencePack) -> None:
    if not may_oversee_pack(selectors.oversight_of(by), pack):
        raise PermissionDenied("You do not oversee this pack's unit.")


# The sample


def pack_scope(organisation: Organisation, unit: Team | None) -> selectors.Scope:
    return selectors.Scope(organisation, unit)


def sample_candidates(scope: selectors.Scope, period: Period) -> QuerySet[Record]:
    """Records a pack may sample: shared or signed, of sessions held in the period by people
    in scope."""
    return (
        Record.objects.for_organisation(scope.organisation)
        .filter(status__in=SAMPLED_STATUSES)
        .filter(held_on__gte=period.starts_on, held_on__lte=period.ends_on)
        .filter(scope.people("supervisee__"))
    )


def random_sample(ids: Iterable[int], size: int, seed: int) -> list[int]:
    """``size`` of ``ids`` (all of them when fewer), the same for the same ids and seed."""
    ordered = sorted(set(ids))
    return sorted(random.Random(seed).sample(ordered, min(size, len(ordered))))


def pack_period(pack: EvidencePack) -> Period:
    return Period(pack.starts_on, pack.ends_on, "custom")


def pack_sample_ids(pack: EvidencePack) -> list[int]:
    """The records the pack's own seed draws from the records there are now (the stored
    sample is what it drew when it was made)."""
    scope = pack_scope(pack.organisation, pack.unit)
    ids = sample_candidates(scope, pack_period(pack)).values_list("pk", flat=True)
    return random_sample(ids, pack.sample_size, pack.seed)


def sampled_records(pack: EvidencePack) -> QuerySet[Record]:
    """The pack's records, oldest first, with both people: one query however many."""
    return (
        Record.objects.for_organisation(pack.organisation_id)
        .filter(pk__in=pack.records.values("pk"))
        .select_related("supervisee", "supervisor", "organisation")
        .order_by("held_on", "pk")
    )


# The snapshot: the figures and the policy, as they stood when the pack was made


def _time_in_post(from_day: int, until_day: int | None) -> str:
    if until_day is None:
        return "Throughout" if from_day == 0 else f"From day {from_day}"
    if from_day == 0:
        return f"First {until_day} days"
    return f"Day {from_day} to day {until_day - 1}"


def _label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def policy_in_force(organisation: Organisation) -> dict[str, Any]:
    """The organisation's frequency rules and record deadline, as plain data."""
    frequency_rules_ensure(organisation)
    rules = (
        FrequencyRule.objects.for_organisation(organisation)
        .in_force(timezone.localdate())
        .order_by("staff_category", "from_day", "pk")
    )
    return {
        "rules": [
            {
                "staff_category": _label(StaffCategory, rule.staff_category),
                "time_in_post": _time_in_post(rule.from_day, rule.until_day),
                "from_day": rule.from_day,
                "until_day": rule.until_day,
                "frequency": _label(Frequency, rule.frequency),
                "min_minutes": rule.min_minutes,
                "note": rule.note,
            }
            for rule in rules
        ],
        "record_deadline_working_days": organisation.record_deadline_working_days,
        "policy_clock": _label(PolicyClock, organisation.policy_clock),
        "agreement_review_months": organisation.agreement_review_months,
        "compliance_from": (
            organisation.compliance_from.isoformat() if organisation.compliance_from else None
        ),
    }


# Figures higher apps add to a pack's kept headline: each is called with (scope, period, today)
# and answers {definition key: value}; the pack shows each under its definition's name.
PACK_FIGURE_HOOKS: list[Callable[[selectors.Scope, Period, datetime.date], dict[str, Any]]] = []


def _snapshot(
    scope: selectors.Scope, period: Period, today: datetime.date, unit_path: str
) -> dict[str, Any]:
    headline = selectors.figures(scope, period, today).as_dict()
    for hook in PACK_FIGURE_HOOKS:
        headline.update(hook(scope, period, today))
    return {
        "made_on": today.isoformat(),
        "unit": unit_path,
        "period": {
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
            "label": period.label,
        },
        "headline": headline,
        "trend": [
            {
                "month": month.month.isoformat(),
                "label": month.label,
                "required": month.required,
                "met": month.met,
                "met_percent": month.met_percent,
                "records_due": month.records_due,
                "shared_on_time": month.shared_on_time,
                "on_time_percent": month.on_time_percent,
            }
            for month in selectors.trend(scope, period, today)
        ],
        "policy": policy_in_force(scope.organisation),
    }


def unit_path(unit: Team | None) -> str:
    return unit.path if unit is not None else WHOLE_ORGANISATION


# Making a pack


def _period(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> Period:
    if starts_on > today:
        raise ValidationError({"starts_on": "The period must start today or earlier."})
    try:
        return Period.custom(starts_on, ends_on)
    except PeriodError as error:
        raise ValidationError({"ends_on": str(error)}) from None


def _chosen(candidates: QuerySet[Record], record_ids: Sequence[int]) -> list[int]:
    wanted = sorted(set(record_ids))
    if not wanted:
        raise ValidationError({"record_ids": "Enter the numbers of the records to include."})
    if len(wanted) > MAX_SAMPLE:
        raise ValidationError({"record_ids": f"Choose at most {MAX_SAMPLE} records."})
    found = set(candidates.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {
                "record_ids": (
                    "These records are not shared or signed records of sessions held in the "
                    f"period by people in the unit: {', '.join(str(pk) for pk in missing)}."
                )
            }
        )
    return wanted


@transaction.atomic
def pack_create(
    *,
    by: Person,
    unit: Team | None,
    title: str,
    inspectorate: str = "",
    starts_on: datetime.date,
    ends_on: datetime.date,
    sample: str,
    sample_size: int = 10,
    record_ids: Sequence[int] = (),
    seed: int | None = None,
    today: datetime.date | None = None,
) -> EvidencePack:
    """Make a pack for ``unit`` (None: the whole organisation) over the period, sampling records
    at random (``sample_size`` of them, drawn with ``seed``) or as chosen (``record_ids``).
    Raises ValidationError keyed by the field at fault; PermissionDenied for someone who may
    not oversee the unit at all."""
    today = today or timezone.localdate()
    access = selectors.oversight_of(by)
    if access is None:
        raise PermissionDenied("You do not oversee any unit.")
    organisation = access.organisation
    if unit is None and not access.whole_organisation:
        raise ValidationError({"unit": "Choose a team or service you oversee."})
    if unit is not None and not selectors.may_oversee_unit(access, unit):
        raise ValidationError({"unit": "Choose a team or service you oversee."})
    title = title.strip()
    if not title:
        raise ValidationError({"title": "Enter a title for the pack."})
    period = _period(starts_on, ends_on, today)
    scope = pack_scope(organisation, unit)
    candidates = sample_candidates(scope, period)
    if sample == SampleChoice.RANDOM:
        if not 1 <= sample_size <= MAX_SAMPLE:
            raise ValidationError(
                {"sample_size": f"Enter a number of records from 1 to {MAX_SAMPLE}."}
            )
        seed = secrets.randbelow(2**31) if seed is None else seed
        chosen = random_sample(candidates.values_list("pk", flat=True), sample_size, seed)
    elif sample == SampleChoice.CHOSEN:
        chosen = _chosen(candidates, record_ids)
        sample_size, seed = len(chosen), 0
    else:
        raise ValidationError({"sample": "Choose how the records are sampled."})
    pack = EvidencePack.objects.create(
        organisation=organisation,
        unit=unit,
        title=title,
        inspectorate=inspectorate.strip(),
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        sample=sample,
        sample_size=sample_size,
        seed=seed,
        figures=_snapshot(scope, period, today, unit_path(unit)),
        created_by=by,
    )
    pack.records.set(chosen)
    audit_event_write(
        organisation=organisation,
        actor=by.user,
        action="oversight.pack.create",
        target=pack,
        detail={
            "unit": unit.pk if unit is not None else None,
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
            "sample": sample,
            "seed": seed,
            "records": chosen,
        },
    )
    return pack


# Inspector access


def access_status(access: InspectorAccess, today: datetime.date | None = None) -> str:
    """ "revoked", "expired" or "live"."""
    if access.revoked_at is not None:
        return "revoked"
    return "live" if access.is_live(today or timezone.localdate()) else "expired"


@transaction.atomic
def access_grant(
    *,
    pack: EvidencePack,
    by: Person,
    name: str,
    email: str,
    expires_on: datetime.date,
    today: datetime.date | None = None,
) -> tuple[InspectorAccess, str]:
    """A read-only link to the pack for one inspector until the end of ``expires_on`` (today
    at the earliest, ``MAX_ACCESS_DAYS`` ahead at the latest). Returns the access and its token,
    which is never stored: show it once."""
    _require(by, pack)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    name, email = name.strip(), email.strip()
    if not name:
        errors["name"] = "Enter the inspector's name."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter the inspector's email address, like name@example.org."
    longest = max_access_days(pack.organisation)
    latest = today + datetime.timedelta(days=longest)
    if expires_on < today:
        errors["expires_on"] = "The expiry date must be today or later."
    elif expires_on > latest:
        errors["expires_on"] = (
            f"The expiry date must be at most {longest} days ahead, "
            f"on or before {format_date(latest)}."
        )
    if errors:
        raise ValidationError(errors)
    raw = token_new()
    access = InspectorAccess.objects.create(
        organisation_id=pack.organisation_id,
        pack=pack,
        name=name,
        email=email,
        token_hash=token_hash(raw),
        expires_on=expires_on,
        granted_by=by,
    )
    audit_event_write(
        organisation=pack.organisation,
        actor=by.user,
        action="oversight.inspector.grant",
        target=access,
        detail={"pack": pack.pk, "access": access.pk, "expires_on": expires_on.isoformat()},
    )
    return access, raw


@transaction.atomic
def access_revoke(*, access: InspectorAccess, by: Person) -> InspectorAccess:
    """End the access at once. Revoking it again changes nothing."""
    _require(by, access.pack)
    if access.revoked_at is None:
        access.revoked_at = timezone.now()
        access.save(update_fields=["revoked_at"])
        audit_event_write(
            organisation=access.pack.organisation,
            actor=by.user,
            action="oversight.inspector.revoke",
            target=access,
            detail={"pack": access.pack_id, "access": access.pk},
        )
    return access


def accesses_of(pack: EvidencePack) -> QuerySet[InspectorAccess]:
    return (
        InspectorAccess.objects.for_organisation(pack.organisation_id)
        .filter(pack=pack)
        .select_related("granted_by")
        .order_by("-granted_at", "-pk")
    )


def access_for_token(token: str, today: datetime.date | None = None) -> InspectorAccess | None:
    """The live access with this token (and its pack), marked used; None for an unknown,
    revoked or expired one alike. Two queries."""
    if not token or len(token) > 200:
        return None
    with across_organisations("whose inspection link, and so which organisation", routine=True):
        access = (
            InspectorAccess.objects.select_related(
                "pack",
                "pack__organisation",
                "pack__unit",
                "pack__unit__parent",
                "pack__unit__parent__parent",
                "pack__created_by",
            )
            .filter(token_hash=token_hash(token))
            .first()
        )
        if access is None or not access.is_live(today or timezone.localdate()):
            return None
        access.last_used_at = timezone.now()
        InspectorAccess.objects.filter(pk=access.pk).update(last_used_at=access.last_used_at)
        return access


def inspector_viewed(access: InspectorAccess, *, what: str, record: Record | None = None) -> None:
    """An inspector opened a page or downloaded something: the access, never its token."""
    detail: dict[str, Any] = {"access": access.pk, "pack": access.pack_id, "what": what}
    if record is not None:
        detail["record"] = record.pk
    audit_event_write(
        organisation=access.pack.organisation,
        actor=None,
        action="oversight.inspector.view",
        target=access,
        summary=f"{access.name} opened {what} of pack {access.pack_id}",
        detail=detail,
    )


def pack_downloaded(pack: EvidencePack, *, by: Person, how: str, records: Sequence[int]) -> None:
    audit_event_write(
        organisation=pack.organisation,
        actor=by,
        action="oversight.pack.download",
        target=pack,
        detail={"format": how, "records": list(records)},
    )
