"""The agreement as a PDF: ``agreements/document.html`` rendered by WeasyPrint.

The document needs nothing from outside itself (its styles are inline, its fonts the system's),
so WeasyPrint is given a URL fetcher that fetches nothing: whatever an answer says, rendering
never reads a file or makes a request.
"""

from __future__ import annotations

from typing import Any, NoReturn

import weasyprint
import weasyprint.urls
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from .document import document_context
from .models import Agreement, AgreementVersion
from .services import current_version


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"The agreement document fetches nothing (asked for {url[:80]}).")


def _url_fetcher() -> Any:
    """A fetcher that refuses every URL: an instance of ``URLFetcher`` allowing no protocol
    (WeasyPrint 66 and later), or a plain function for earlier versions."""
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    if fetcher_class is None:
        return _fetch_nothing
    return fetcher_class(allowed_protocols=(), fail_on_errors=False)


def agreement_html(agreement: Agreement, version: AgreementVersion | None = None) -> str:
    """The document as the PDF renders it."""
    return render_to_string(
        "agreements/document.html", {**document_context(agreement, version), "pdf": True}
    )


def agreement_pdf(agreement: Agreement, version: AgreementVersion | None = None) -> bytes:
    """The agreement (the current version unless another is given) as a PDF."""
    document = weasyprint.HTML(
        string=agreement_html(agreement, version),
        base_url=str(settings.BASE_DIR),
        url_fetcher=_url_fetcher(),
    )
    pdf = document.write_pdf()
    assert pdf is not None, "write_pdf returns the bytes when given no target."
    return pdf


def agreement_pdf_filename(agreement: Agreement, version: AgreementVersion | None = None) -> str:
    """A file name for downloads: supervision-agreement-sue-supervisee-v2.pdf."""
    number = (version or current_version(agreement)).number
    return f"supervision-agreement-{slugify(agreement.supervisee.full_name)}-v{number}.pdf"
