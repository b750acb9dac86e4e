"""A record, or a case's supervision decisions, as a PDF: the printable templates rendered by
WeasyPrint through ``core.pdf``, which fetches nothing.

Imported only by the PDF views: WeasyPrint is slow to import.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify

from tandem.core.pdf import html_pdf

from .models import Record


def record_pdf(context: dict[str, Any]) -> bytes:
    """The record as ``document.record_document`` laid it out for one reader."""
    return html_pdf(render_to_string("records/print.html", {**context, "pdf": True}))


def record_pdf_filename(record: Record) -> str:
    """supervision-record-sue-supervisee-2027-03-24.pdf"""
    return (
        f"supervision-record-{slugify(record.supervisee.full_name)}-{record.held_on:%Y-%m-%d}.pdf"
    )


def case_decisions_pdf(context: dict[str, Any]) -> bytes:
    return html_pdf(render_to_string("records/case_decisions_pdf.html", {**context, "pdf": True}))
