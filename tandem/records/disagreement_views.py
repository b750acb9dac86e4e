"""Disagreements beside a record: raising one (shown where it will go before it is sent), the
ones waiting for my resolution and the ones I raised, and recording the resolution."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.core.pagination import page_links, paginate
from tandem.organisations.access import PersonRequest, person_required

from . import selectors, services
from .forms import DisagreementForm, ResolutionForm, add_service_errors
from .models import Disagreement, DisagreementKind, DisagreementStatus
from .reading import record_or_404
from .selectors import Level

# The most recent disagreements I raised, on the list; older ones are on their records.
RAISED_SHOWN = 20


def _route_text(route: services.Route) -> str:
    if route.person is None:
        return route.reason
    return f"This goes to {route.person.full_name}, {route.role.lower()}. {route.reason}"


@person_required
def disagreement_raise(request: PersonRequest, pk: int) -> HttpResponse:
    """A disagreement beside the record, never in it: shown where it will go before it is sent."""
    record, access = record_or_404(request, pk)
    if not access.is_party:
        raise PermissionDenied
    person = request.person
    practice_allowed = person.pk == record.supervisee_id
    form = DisagreementForm(
        request.POST if request.method == "POST" else None, practice_allowed=practice_allowed
    )
    if request.method == "POST" and form.is_valid():
        try:
            disagreement = services.disagreement_raise(
                record=record,
                by=person,
                text=form.cleaned_data["text"],
                about=form.cleaned_data["about"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            where = (
                f"It has gone to {disagreement.routed_to.full_name}, "
                f"{disagreement.routed_as.lower()}, who will record the resolution."
                if disagreement.routed_to
                else disagreement.routing_reason
            )
            messages.success(request, f"Your disagreement is recorded beside the record. {where}")
            return redirect(reverse("record", args=[record.pk]) + "#disagreements")
    kinds = [DisagreementKind.RECORD, *([DisagreementKind.PRACTICE] if practice_allowed else [])]
    routes = [
        (
            DisagreementKind(kind).label,
            _route_text(services.disagreement_route(record=record, kind=kind)),
        )
        for kind in kinds
    ]
    return render(
        request,
        "records/disagree.html",
        {"record": record, "form": form, "routes": routes},
    )


@person_required
def disagreement_list(request: PersonRequest) -> HttpResponse:
    """Disagreements waiting for my resolution, and the ones I raised."""
    person = request.person
    page = paginate(request, selectors.disagreements_to_resolve(person=person))
    raised = list(
        Disagreement.objects.filter(organisation_id=person.organisation_id, raised_by=person)
        .select_related("record", "record__supervisor", "record__supervisee", "routed_to")
        .order_by("-raised_at", "-id")[:RAISED_SHOWN]
    )
    return render(
        request,
        "records/disagreements.html",
        {
            "to_resolve": page.object_list,
            "page": page,
            "links": page_links(request, page),
            "raised": raised,
            "raised_shown": RAISED_SHOWN,
        },
    )


@person_required
def disagreement_detail(request: PersonRequest, pk: int) -> HttpResponse:
    """The disagreement beside its record, and the resolution form for the person it went to."""
    person = request.person
    disagreement = (
        Disagreement.objects.filter(organisation_id=person.organisation_id, pk=pk)
        .select_related(
            "record",
            "record__supervisor",
            "record__supervisee",
            "raised_by",
            "routed_to",
            "resolved_by",
        )
        .first()
    )
    if disagreement is None:
        raise Http404
    record = disagreement.record
    routed_here = disagreement.routed_to_id == person.pk
    if not routed_here and selectors.record_access(person, record).level < Level.WITHOUT_WELFARE:
        raise Http404
    form = ResolutionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not routed_here:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.disagreement_resolve(
                    disagreement=disagreement,
                    by=person,
                    resolution=form.cleaned_data["resolution"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Resolution recorded. It is shown beside the record, and both people in the "
                    "supervision have been told.",
                )
                return redirect("disagreement", pk=disagreement.pk)
    return render(
        request,
        "records/disagreement.html",
        {
            "disagreement": disagreement,
            "record": record,
            "form": form,
            "may_resolve": routed_here and disagreement.status == DisagreementStatus.OPEN,
        },
    )
