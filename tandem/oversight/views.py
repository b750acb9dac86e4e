"""Not built yet: a placeholder that answers 404 until its pages land."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def oversight_home(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def organisation_dashboard(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def unit_dashboard(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def person_compliance(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def definitions(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
