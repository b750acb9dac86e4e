"""Pagination shared by every list page: a fixed page size and GOV.UK pagination links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None) -> Page:
    """Return the requested page; an out-of-range or malformed page number gives the nearest."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def page_links(request: HttpRequest, page: Page) -> dict[str, Any]:
    """Context for templates/includes/pagination.html, keeping the other query parameters."""
    params = request.GET.copy()

    def url(number: int) -> str:
        params["page"] = str(number)
        return "?" + params.urlencode()

    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    items: list[dict[str, Any]] = [
        {"ellipsis": True}
        if n == page.paginator.ELLIPSIS
        else {"number": n, "href": url(int(n)), "current": n == page.number}
        for n in numbers
    ]
    return {
        "items": items,
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
    }
