"""How the development pages and API find what they show: the person (or the object) in the
reader's organisation, else 404; then the permission on the person it belongs to, else 403."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from tandem.organisations.access import PersonRequest, get_scoped_or_404
from tandem.organisations.models import Person

M = TypeVar("M", bound=Model)

VIEW = "development.view_development"
CHANGE = "development.change_development"
ASSESS = "development.assess"


def subject_or_404(request: PersonRequest, pk: int, perm: str = VIEW) -> Person:
    return get_scoped_or_404(
        request, Person.objects.select_related("organisation", "team"), perm, pk=pk
    )


def owned_or_404(
    request: PersonRequest, queryset: QuerySet[M], pk: int, perm: str = VIEW, via: str = "person"
) -> M:
    """An object of the reader's organisation (404 otherwise) whose person (``via``, a path of
    attributes such as ``revalidation.person``) the reader has ``perm`` on (403 otherwise)."""
    obj = queryset.filter(organisation_id=request.person.organisation_id, pk=pk).first()
    if obj is None:
        raise Http404
    owner: Any = obj
    for name in via.split("."):
        owner = getattr(owner, name)
    if not request.user.has_perm(perm, owner):
        raise PermissionDenied
    return obj


def allowed(request: PersonRequest, subject: Person) -> dict[str, bool]:
    """What the reader may do with this person's development: one answer for pages and API."""
    user = request.user
    return {
        "change": user.has_perm(CHANGE, subject),
        "assess": user.has_perm(ASSESS, subject),
        "designate": user.has_perm("development.designate_safeguarding_lead", subject),
    }
