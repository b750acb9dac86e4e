"""What an evidence pack says and the documents it is downloaded as: the kept figures and
policy as tables, the pack as one PDF, and the ZIP (the PDF, the figures and policy as CSV, one
PDF per sampled record, never a welfare section)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any

from django.template.loader import render_to_string

from tandem.agreements.document import format_date
from tandem.records.document import record_document
from tandem.records.models import Record

from . import selectors
from .definitions import BY_KEY
from .exports import table_csv
from .models import EvidencePack
from .services.packs import (
    WITHOUT_WELFARE,
    pack_period,
    sampled_records,
    unit_path,
)
from .tables import Table

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
    "cpd_on_track",
    "revalidations_due",
    "asye_reviews_on_time",
    "observations",
    "nqsw_above_weighting",
    "objectives_overdue",
)
# Packs made before the development figures existed kept none: they show none, not zeros.
DEVELOPMENT_KEYS = HEADLINE_KEYS[-6:]


# Kept figures beyond the Figures' own (from ``services.packs.PACK_FIGURE_HOOKS``) that are
# percentages, shown with a per cent sign.
PERCENT_KEYS: set[str] = set()


def _extra_keys(pack: EvidencePack) -> list[str]:
    """Kept figures added by higher apps: those with a definition, in the order kept."""
    names = {f.name for f in fields(selectors.Figures)}
    kept = pack.figures.get("headline", {})
    return [k for k in kept if k not in names and k in BY_KEY and k not in HEADLINE_KEYS]


def headline_keys(pack: EvidencePack) -> list[str]:
    kept = pack.figures.get("headline", {})
    return [k for k in HEADLINE_KEYS if k not in DEVELOPMENT_KEYS or "cpd_people" in kept]


def headline_rows(pack: EvidencePack) -> list[tuple[str, str]]:
    """(figure name from the definitions, value) for the kept headline."""
    f = pack_figures(pack)
    values = {
        "met": f"{f.met} ({_pct(f.met_percent) or 'none due'})",
        "people": f"{f.people_compliant} of {f.people}",
        "shared_on_time": f"{f.shared_on_time} ({_pct(f.on_time_percent) or 'none due'})",
        "signed": f"{f.signed} ({_pct(f.signed_percent) or 'no records'})",
        "agreements_in_date": f"{f.agreements_in_date} of {f.staff}",
        "cpd_on_track": f"{f.cpd_on_track} of {f.cpd_people}",
        "asye_reviews_on_time": f"{f.asye_reviews_on_time} of {f.asye_reviews_due}",
        "nqsw_above_weighting": f"{f.nqsw_above_weighting} of {f.nqsws}",
    }
    rows = [
        (BY_KEY[key].name, values.get(key, str(getattr(f, key)))) for key in headline_keys(pack)
    ]
    kept = pack.figures.get("headline", {})
    for key in _extra_keys(pack):
        value = kept[key]
        percent_sign = "%" if key in PERCENT_KEYS else ""
        rows.append((BY_KEY[key].name, "none" if value is None else f"{value}{percent_sign}"))
    return rows


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
        "definitions": [BY_KEY[key] for key in [*headline_keys(pack), *_extra_keys(pack)]],
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
    "cpd_people": "Social workers in post (CPD)",
    "cpd_met": "Social workers who have met the year's CPD",
    "nqsws": "NQSWs whose ASYE is running",
    "asye_reviews_due": "ASYE reviews due",
}
PERCENT_OF = {
    "met_percent": "met",
    "people_percent": "people",
    "on_time_percent": "shared_on_time",
    "signed_percent": "signed",
    "agreements_percent": "agreements_in_date",
    "short_percent": "short",
    "cpd_on_track_percent": "cpd_on_track",
    "asye_on_time_percent": "asye_reviews_on_time",
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
