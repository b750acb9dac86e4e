from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from tandem.core.scoping import enter_no_organisation, enter_organisation, entry_point

from .selectors import person_for_user


class CurrentPersonMiddleware:
    """Puts the signed-in person (and so their organisation, the tenant) on the request, and
    opens the request's organisation scope (core/scoping.py) for everything after it.

    ``request.person`` is None for anonymous users and for logins with no staff record; their
    requests have no organisation scope, so a tenant query they reach raises rather than leaks
    (the API's token check and the calendar feed open the scope once they know whose it is).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with entry_point():
            person = person_for_user(request.user)
            request.person = person  # type: ignore[attr-defined]
            if person is None:
                enter_no_organisation()
            else:
                # Share the loaded person with request.user.person, used by the permission rules.
                request.user.person = person  # type: ignore[union-attr]
                enter_organisation(person.organisation_id)
            return self.get_response(request)
