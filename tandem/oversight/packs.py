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
import io
import random
import secrets
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from tandem.agreements.document import format_date
from tandem.agreements.models import Frequency, FrequencyRule
from tandem.agreements.policies import frequency_rules_ensure
from tandem.core.services import audit_record
from tandem.core.tokens import token_hash, token_new
from tandem.organisations.models import Organisation, Person, PolicyClock, StaffCategory, Team
from tandem.records.document import record_document
from tandem.records.models import Record, RecordStatus
from tandem.records.selectors import Access, Level

from . import selectors
from .definitions import BY_KEY
from .exports import table_csv
from .models import EvidencePack, InspectorAccess, SampleChoice
from .periods import Period, PeriodError
from .tables import Table

# The longest an inspector's link may last, from the day it is granted.
MAX_ACCESS_DAYS = 90
# The most records one pack samples.
MAX_SAMPLE = 100
SAMPLED_STATUSES = (RecordStatus.SIGNED, RecordStatus.SHARED)
# What an inspector (and the pack's documents) read of a record: everything but welfare.
WITHOUT_WELFARE = Access(Level.WITHOUT_WELFARE, reason="inspector")
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
    rules = FrequencyRule.objects.for_organisation(organisation).order_by(
        "staff_category", "from_day", "pk"
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


def _snapshot(
    scope: selectors.Scope, period: Period, today: datetime.date, unit_path: str
) -> dict[str, Any]:
    return {
        "made_on": today.isoformat(),
        "unit": unit_path,
        "period": {
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
            "label": period.label,
        },
        "headline": selectors.figures(scope, period, today).as_dict(),
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
    audit_record(
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
    latest = today + datetime.timedelta(days=MAX_ACCESS_DAYS)
    if expires_on < today:
        errors["expires_on"] = "The expiry date must be today or later."
    elif expires_on > latest:
        errors["expires_on"] = (
            f"The expiry date must be at most {MAX_ACCESS_DAYS} days ahead, "
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
    audit_record(
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
        audit_record(
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
    audit_record(
        organisation=access.pack.organisation,
        actor=None,
        action="oversight.inspector.view",
        target=access,
        summary=f"{access.name} opened {what} of pack {access.pack_id}",
        detail=detail,
    )


def pack_downloaded(pack: EvidencePack, *, by: Any, how: str, records: Sequence[int]) -> None:
    audit_record(
        organisation=pack.organisation,
        actor=by,
        action="oversight.pack.download",
        target=pack,
        detail={"format": how, "records": list(records)},
    )


# What the pack says: the figures and the policy as tables


def pack_figures(pack: EvidencePack) -> selectors.Figures:
    """The kept headline figures as ``Figures`` again (keys it does not know are ignored)."""
    kept = pack.figures.get("headline", {})
    names = {f.name for f in fields(selectors.Figures)}
    return selectors.Figures(**{k: v for k, v in kept.items() if k in names})


def _pct(value: int | None) -> str:
    return "" if value is None else f"{value}%"


# The headline figures a pack shows, in order.
HEADLINE_KEYS = (
    "required",
    "met",
    "people",
    "held",
    "short",
    "cancelled",
    "rebooked_in_time",
    "rebook_overdue",
    "records_due",
    "shared_on_time",
    "not_shared",
    "signed",
    "agreements_in_date",
    "no_supervisor",
    "open_disagreements",
    "overdue_actions",
)


def headline_rows(pack: EvidencePack) -> list[tuple[str, str]]:
    """(figure name from the definitions, value) for the kept headline."""
    f = pack_figures(pack)
    values = {
        "met": f"{f.met} ({_pct(f.met_percent) or 'none due'})",
        "people": f"{f.people_compliant} of {f.people}",
        "shared_on_time": f"{f.shared_on_time} ({_pct(f.on_time_percent) or 'none due'})",
        "signed": f"{f.signed} ({_pct(f.signed_percent) or 'no records'})",
        "agreements_in_date": f"{f.agreements_in_date} of {f.staff}",
    }
    return [(BY_KEY[key].name, values.get(key, str(getattr(f, key)))) for key in HEADLINE_KEYS]


def pack_context(pack: EvidencePack) -> dict[str, Any]:
    """What every view of a pack shows of its kept snapshot (no queries)."""
    kept = pack.figures
    policy = kept.get("policy", {})
    return {
        "pack": pack,
        "unit_path": kept.get("unit") or unit_path(pack.unit),
        "period_label": kept.get("period", {}).get("label") or pack_period(pack).label,
        "made_on": format_date(kept.get("made_on")),
        "headline": headline_rows(pack),
        "definitions": [BY_KEY[key] for key in HEADLINE_KEYS],
        "trend": kept.get("trend", []),
        "policy": policy,
        "compliance_from": format_date(policy.get("compliance_from")),
    }


# The documents


def _csv(key: str, headings: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """Rows as CSV the way every oversight export writes them (``exports.table_csv``)."""
    return table_csv(Table(key, key, headings, [list(row) for row in rows]))


# Names of the kept figures that are not definitions of their own.
FIGURE_NAMES = {
    "people_missing": "People who missed a session required",
    "people_compliant": "People supervised as required",
    "records": "Records of sessions held in the period",
    "staff": "Staff in post",
}
PERCENT_OF = {
    "met_percent": "met",
    "people_percent": "people",
    "on_time_percent": "shared_on_time",
    "signed_percent": "signed",
    "agreements_percent": "agreements_in_date",
    "short_percent": "short",
}


def _figure_name(key: str) -> str:
    if key in PERCENT_OF:
        return f"{BY_KEY[PERCENT_OF[key]].name} (%)"
    if key in BY_KEY:
        return BY_KEY[key].name
    return FIGURE_NAMES.get(key, key.replace("_", " ").capitalize())


def figures_csv(pack: EvidencePack) -> bytes:
    """The kept figures, one per row: the definition's name and the number (percentages as
    numbers too, empty when nothing was due)."""
    kept = pack.figures.get("headline", {})
    return _csv(
        "figures", ["Key", "Figure", "Value"], [(k, _figure_name(k), v) for k, v in kept.items()]
    )


def trend_csv(pack: EvidencePack) -> bytes:
    rows = [
        (
            month["month"][:7],
            month["required"],
            month["met"],
            month["met_percent"],
            month["records_due"],
            month["shared_on_time"],
            month["on_time_percent"],
        )
        for month in pack.figures.get("trend", [])
    ]
    return _csv(
        "trend",
        [
            "Month",
            BY_KEY["required"].name,
            "Held as required",
            "% held as required",
            BY_KEY["records_due"].name,
            BY_KEY["shared_on_time"].name,
            "% shared on time",
        ],
        rows,
    )


def policy_csv(pack: EvidencePack) -> bytes:
    """The frequency rules, then (after a blank line) the settings beside them."""
    policy = pack.figures.get("policy", {})
    rules = [
        (r["staff_category"], r["time_in_post"], r["frequency"], r["min_minutes"], r["note"])
        for r in policy.get("rules", [])
    ]
    settings = [
        ("Records shared within (working days)", policy.get("record_deadline_working_days")),
        ("An NQSW's time in post counts from", policy.get("policy_clock")),
        ("Agreements reviewed every (months)", policy.get("agreement_review_months")),
        ("Figures counted from", policy.get("compliance_from") or ""),
    ]
    headings = ["Staff category", "Time in post", "At least", "Minimum minutes", "Note"]
    return _csv("policy", headings, [*rules, (), ("Setting", "Value"), *settings])


def record_context(record: Record) -> dict[str, Any]:
    """The record as the records app lays it out for a reader without the welfare section.
    The welfare column is never loaded."""
    return record_document(record, WITHOUT_WELFARE)


def pack_html(pack: EvidencePack, records: Sequence[Record] | None = None) -> str:
    """The pack as one self-contained document: cover, figures, policy, then each record."""
    records = list(sampled_records(pack)) if records is None else records
    return render_to_string(
        "oversight/pack_document.html",
        {
            **pack_context(pack),
            "records": [record_context(record) for record in records],
            "made_by": pack.created_by.full_name,
            "made_at": pack.created_at,
            "pdf": True,
        },
    )


def pack_pdf(pack: EvidencePack, records: Sequence[Record] | None = None) -> bytes:
    from tandem.core.pdf import html_pdf  # WeasyPrint is slow to import

    return html_pdf(pack_html(pack, records))


def record_html(record: Record) -> str:
    """One record alone, as the records app prints it for a reader without welfare."""
    return render_to_string("records/print.html", {**record_context(record), "pdf": True})


def record_pdf(record: Record) -> bytes:
    from tandem.core.pdf import html_pdf

    return html_pdf(record_html(record))


README = """{title}

Inspection evidence pack for {unit}, {period}.
Made by {made_by} on {made_on}{inspectorate}.

What is in this file:
- pack.pdf: the whole pack: the compliance figures, the 12-month trend, the policy in force
  and each sampled record.
- figures.csv: the compliance figures for the period, as they stood when the pack was made.
- trend.csv: the 12 months ending with the period's last month.
- policy.csv: the supervision frequency policy and record deadline in force.
- records/: each sampled record as a PDF, named by the date of the session and the record's
  number ({count} in all).

Welfare sections are withheld: the welfare and support section of every record is restricted
to the supervisee and the supervisor, and is not included anywhere in this pack.

The definitions of the figures are in pack.pdf and on Tandem's definitions page.
"""


def pack_zip(pack: EvidencePack) -> bytes:
    """pack.pdf, the figures, trend and policy as CSV, each record as a PDF and a README."""
    records = list(sampled_records(pack))
    context = pack_context(pack)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                title=pack.title,
                unit=context["unit_path"],
                period=context["period_label"],
                made_by=pack.created_by.full_name,
                made_on=format_date(pack.created_at),
                inspectorate=f" for {pack.inspectorate}" if pack.inspectorate else "",
                count=len(records),
            ),
        )
        archive.writestr("pack.pdf", pack_pdf(pack, records))
        archive.writestr("figures.csv", figures_csv(pack))
        archive.writestr("trend.csv", trend_csv(pack))
        archive.writestr("policy.csv", policy_csv(pack))
        for record in records:
            archive.writestr(record_filename(record), record_pdf(record))
    return buffer.getvalue()


def record_filename(record: Record) -> str:
    return f"records/{record.held_on:%Y-%m-%d}-{record.pk}.pdf"


def download_name(pack: EvidencePack, extension: str) -> str:
    return (
        f"evidence-pack-{pack.pk}-{pack.starts_on:%Y-%m-%d}-to-{pack.ends_on:%Y-%m-%d}.{extension}"
    )
