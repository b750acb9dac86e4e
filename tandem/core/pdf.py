"""Self-contained HTML as a PDF, with WeasyPrint: the agreement, the record and the case
decisions all come this way.

The documents need nothing from outside themselves (their styles are inline, their fonts the
system's), so WeasyPrint is given a URL fetcher that fetches nothing: whatever an answer says,
rendering never reads a file or makes a request. Import this module only where a PDF is made:
WeasyPrint is slow to import.
"""

from __future__ import annotations

from typing import Any, NoReturn

import weasyprint
import weasyprint.urls
from django.conf import settings


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    raise ValueError(f"Tandem's documents fetch nothing (asked for {url[:80]}).")


def _url_fetcher() -> Any:
    """A fetcher that refuses every URL: an instance of ``URLFetcher`` allowing no protocol
    (WeasyPrint 66 and later), or a plain function for earlier versions."""
    fetcher_class = getattr(weasyprint.urls, "URLFetcher", None)
    if fetcher_class is None:
        return _fetch_nothing
    return fetcher_class(allowed_protocols=(), fail_on_errors=False)


def html_pdf(html: str) -> bytes:
    """Self-contained HTML as PDF bytes."""
    document = weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()
    )
    pdf = document.write_pdf()
    assert pdf is not None, "write_pdf returns the bytes when given no target."
    return pdf
