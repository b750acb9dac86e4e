"""The JSON API under /api/: token or session auth, the apps' routers, JSON errors.

Every operation runs as the token's person, in their organisation, and asks the same `rules`
permissions as the pages. Errors always come back as JSON with a ``detail``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from tandem.agreements.api import router as agreements_router
from tandem.core.scoping import enter_organisation
from tandem.development.api import router as development_router
from tandem.meetings.api import router as meetings_router
from tandem.organisations.admin_api import router as administration_router
from tandem.organisations.api import router as organisations_router
from tandem.oversight.api import router as oversight_router
from tandem.quality.api import router as quality_router
from tandem.records.api import router as records_router

from .selectors import person_for_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer tdm_...``: a personal token made on the API tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        person = person_for_token(token.strip())
        if person is None:
            return None
        person.user.person = person  # the permission rules read user.person
        enter_organisation(person.organisation_id)
        request.user = person.user
        request.person = person  # type: ignore[attr-defined]
        return person


class PersonSessionAuth(SessionAuth):
    """The signed-in browser session (for the interactive docs); needs the CSRF token to write."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return getattr(request, "person", None)


api = NinjaAPI(
    title="Tandem API",
    version="1.0.0",
    description=(
        "Professional supervision: people, teams, supervision relationships, supervision "
        "agreements, sessions and their agendas, schedules and calendar feeds, supervision "
        "records (versions, signatures, addenda, disagreements, actions, case decisions), "
        "practitioner development (CPD, revalidation, the ASYE, objectives), "
        "oversight figures (compliance, trend, exceptions, balance, feedback). "
        "Authenticate with a personal token: `Authorization: Bearer tdm_...`."
    ),
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    auth=[TokenAuth(), PersonSessionAuth()],
)
api.add_router("/", organisations_router)
api.add_router("/", agreements_router)
api.add_router("/", meetings_router)
api.add_router("/", records_router)
api.add_router("/", development_router)
api.add_router("/", oversight_router)
api.add_router("/", quality_router)
api.add_router("/", administration_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The same words for an unknown path, a missing object and another organisation's object.
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, {"detail": "You do not have permission to do this."}, status=403
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail: Any = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": detail}, status=400)
