"""Error pages in plain words, never a traceback. API paths answer in JSON instead."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader


def _error(request: HttpRequest, status: int, template: str, api_detail: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": api_detail}, status=status)
    if status >= 500:
        # Nothing that could fail again: no database, no context processors.
        return HttpResponse(loader.render_to_string(template), status=status)
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, "400.html", "Bad request.")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 403, "403.html", "You do not have permission to do this.")


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 404, "404.html", "Not found.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, "500.html", "Something went wrong on our side.")
