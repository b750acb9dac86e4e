"""How every page reaches its objects: signed in, linked to a person, in their organisation.

Objects of another organisation are not found (404); objects of the same organisation that
the person may not see are forbidden (403).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from tandem.core.models import User
from tandem.core.scoping import across_organisations

from .models import Person

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponseBase]


class PersonRequest(HttpRequest):
    """The request of a signed-in member of staff, as the views behind ``person_required`` and
    the API's operations (behind its token or session check) receive it: ``request.person`` is
    their Person, never None, and ``request.user`` their login. For type checking only: Django
    passes its own request, on which ``CurrentPersonMiddleware`` has put the person."""

    person: Person
    user: User


def _left_on(user: Any) -> Any:
    """The leaving date of a signed-in person who has left (their access ended then), if so."""
    with across_organisations("whether a sign-in belongs to someone who has left", routine=True):
        return (
            Person.objects.filter(user=user, left_on__lt=timezone.localdate())
            .values_list("left_on", flat=True)
            .first()
        )


def person_required(view: View) -> View:
    """Signed in and linked to a member of staff; otherwise sign-in page or 403."""

    @wraps(view)
    def wrapper(request: PersonRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if getattr(request, "person", None) is None:
            left_on = _left_on(request.user)
            if left_on is not None:
                return render(request, "access_ended.html", {"left_on": left_on}, status=403)
            raise PermissionDenied("Your sign-in is not linked to a member of staff.")
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def permission_required(perm: str) -> Callable[[View], View]:
    """A permission without an object, such as listing everyone in the organisation."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: PersonRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return person_required(wrapper)

    return decorator


def get_scoped_or_404(request: PersonRequest, queryset: QuerySet[M], perm: str, **lookup: Any) -> M:
    """Fetch within the person's organisation (else 404), then check ``perm`` (else 403)."""
    obj = queryset.filter(organisation_id=request.person.organisation_id, **lookup).first()
    if obj is None:
        raise Http404
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
