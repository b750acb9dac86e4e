"""Pagination shared by every list page: a fixed page size and GOV.UK pagination links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

API_MAX_PAGE_SIZE = 100


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


class ApiPages(PageNumberPagination):
    """The API's pagination: ``page`` and ``page_size`` (up to 100), bounded so that no number
    can reach the database as an out-of-range offset."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int | None = Field(None, ge=1, le=API_MAX_PAGE_SIZE)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(page_size=settings.PAGE_SIZE, max_page_size=API_MAX_PAGE_SIZE, **kwargs)
