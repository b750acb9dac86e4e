"""Not built yet: a placeholder that answers 404 until its pages land."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse


def balance(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404


def session_feedback(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise Http404
