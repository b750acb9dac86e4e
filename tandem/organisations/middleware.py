from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .selectors import person_for_user


class CurrentPersonMiddleware:
    """Puts the signed-in person (and so their organisation, the tenant) on the request.

    ``request.person`` is None for anonymous users and for logins with no staff record.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = person_for_user(request.user)
        request.person = person  # type: ignore[attr-defined]
        if person is not None:
            # Share the loaded person with request.user.person, used by the permission rules.
            request.user.person = person  # type: ignore[union-attr]
        return self.get_response(request)
