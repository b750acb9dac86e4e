"""Not built yet: a placeholder that answers 404 until its pages land."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def pack_list(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def pack_new(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def pack_detail(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def pack_pdf(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def pack_zip(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def access_grant(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def access_revoke(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
