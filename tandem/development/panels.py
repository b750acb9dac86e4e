"""What the development app adds to pages it does not own: a person's page (where they stand),
My supervision (my own development, what is due, and the NQSWs I assess), and a supervision record's development
section (the supervisee's position at the date of the session, their open objectives to review
there, and CPD to log from the discussion). Each costs a fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from tandem.organisations.access import PersonRequest
from tandem.organisations.models import Person
from tandem.records.models import CaseDiscussion, Record
from tandem.records.selectors import Access

from . import asye_selectors, selectors
from .access import CHANGE, VIEW
from .forms import ReviewForm

PANEL_OBJECTIVES = 10


def _due(objectives: list[Any], today: Any) -> list[Any]:
    return [o for o in objectives if o.target_on < today]


def person_panel(request: PersonRequest, subject: Person) -> dict[str, Any] | None:
    """Where the person stands, for those who may read their development."""
    if not request.user.has_perm(VIEW, subject):
        return None
    today = timezone.localdate()
    open_ones = list(selectors.open_objectives(person=subject)[:PANEL_OBJECTIVES])
    return {
        "template": "development/_person_panel.html",
        "subject": subject,
        "open_objectives": open_ones,
        "overdue_objectives": _due(open_ones, today),
        "mine": subject.pk == request.person.pk,
        **selectors.positions(subject, today),
    }


def home_panel(request: PersonRequest, person: Person) -> dict[str, Any] | None:
    """My development on My supervision: each rule set's position and overdue objectives."""
    panel = person_panel(request, person)
    assessing = list(asye_selectors.asyes_assessed_by(person)[:PANEL_OBJECTIVES])
    if panel is None or not (
        panel["schemes"] or panel["open_objectives"] or panel.get("asye") or assessing
    ):
        return None
    return panel | {"template": "development/_home_panel.html", "assessing": assessing}


def record_panel(request: PersonRequest, record: Record, access: Access) -> dict[str, Any] | None:
    """In a record's development section: the supervisee's position on the day of the session,
    their open objectives (the parties review them here), and CPD to log from it."""
    subject = record.supervisee
    if not request.user.has_perm(VIEW, subject):
        return None
    me = request.person
    can_change = request.user.has_perm(CHANGE, subject)
    open_ones = list(selectors.open_objectives(person=subject)[:PANEL_OBJECTIVES])
    reviewing = can_change and me.pk in (record.supervisor_id, record.supervisee_id)
    new_cpd = reverse("cpd-add", args=[subject.pk]) + f"?record={record.pk}"
    own_cpd = None
    if me.pk == record.supervisor_id:
        own_cpd = reverse("cpd-add", args=[me.pk]) + f"?record={record.pk}"
    cases = list(
        CaseDiscussion.objects.filter(record=record)
        .order_by("position", "id")
        .values_list("case_reference", flat=True)
    )
    return {
        "template": "development/_record_panel.html",
        "subject": subject,
        "record": record,
        "on": record.held_on,
        "open_objectives": [
            {"objective": o, "form": ReviewForm(prefix=f"o{o.pk}", initial={"status": o.status})}
            for o in open_ones
        ],
        "reviewing": reviewing,
        "can_log": can_change,
        "new_cpd": new_cpd,
        "own_cpd": own_cpd,
        "cases": sorted(set(cases)),
        "next": reverse("record", args=[record.pk]),
        **selectors.positions(subject, record.held_on),
    }
