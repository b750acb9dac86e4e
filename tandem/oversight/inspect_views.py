"""Not built yet: a placeholder that answers 404 until its pages land."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def inspect_home(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def inspect_record(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def inspect_pdf(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def inspect_zip(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
