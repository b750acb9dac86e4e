"""The agreement as a PDF: ``agreements/document.html`` rendered by WeasyPrint.

The document needs nothing from outside itself; ``core.pdf`` renders it and fetches nothing.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.text import slugify

from tandem.core.pdf import html_pdf

from .document import document_context
from .models import Agreement, AgreementVersion
from .services import current_version


def agreement_html(agreement: Agreement, version: AgreementVersion | None = None) -> str:
    """The document as the PDF renders it."""
    return render_to_string(
        "agreements/document.html", {**document_context(agreement, version), "pdf": True}
    )


def agreement_pdf(agreement: Agreement, version: AgreementVersion | None = None) -> bytes:
    """The agreement (the current version unless another is given) as a PDF."""
    return html_pdf(agreement_html(agreement, version))


def agreement_pdf_filename(agreement: Agreement, version: AgreementVersion | None = None) -> str:
    """A file name for downloads: supervision-agreement-sue-supervisee-v2.pdf."""
    number = (version or current_version(agreement)).number
    return f"supervision-agreement-{slugify(agreement.supervisee.full_name)}-v{number}.pdf"
