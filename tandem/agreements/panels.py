"""What the agreements app adds to pages it does not own: My supervision and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.organisations.models import Person
from tandem.organisations.selectors import (
    relationships_of_supervisee,
    relationships_of_supervisor,
)

from .models import Agreement
from .services import OPEN_STATUSES


def home_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """Each current supervision of mine, either side, with its agreement or a way to start one.
    Three queries, however many supervisees."""
    mine = [(r, False) for r in relationships_of_supervisee(person=person)]
    mine += [(r, True) for r in relationships_of_supervisor(person=person)]
    open_agreements = Agreement.objects.for_organisation(person.organisation_id).filter(
        supervisee__in={r.supervisee_id for r, _ in mine}, status__in=OPEN_STATUSES
    )
    # Each supervision's own agreement; failing that, after a change of supervisor, the
    # supervisee's earlier agreement of that kind, due for review with the new supervisor.
    agreements: dict[Any, Agreement] = {}
    for agreement in open_agreements.select_related("relationship"):
        agreements[agreement.relationship_id] = agreement
        agreements.setdefault((agreement.supervisee_id, agreement.relationship.kind), agreement)
    rows = [
        {
            "relationship": relationship,
            "as_supervisor": as_supervisor,
            "other": relationship.supervisee if as_supervisor else relationship.supervisor,
            "agreement": agreements.get(relationship.pk)
            or agreements.get((relationship.supervisee_id, relationship.kind)),
        }
        for relationship, as_supervisor in mine
    ]
    return {"template": "agreements/_home_panel.html", "rows": rows}


def show_in_navigation(request: HttpRequest) -> bool:
    return getattr(request, "person", None) is not None


def person_panel(request: HttpRequest, person: Person) -> dict[str, Any] | None:
    """The person's agreements as supervisee, for those who may read them. One query."""
    agreements = [
        agreement
        for agreement in Agreement.objects.for_organisation(person.organisation_id)
        .filter(supervisee=person)
        .select_related("supervisor", "relationship")
        .order_by("-created_at")[:10]
        if request.user.has_perm("agreements.view_agreement", agreement)
    ]
    return {"template": "agreements/_person_panel.html", "agreements": agreements}
