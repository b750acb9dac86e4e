"""A nurse's or midwife's revalidation: progress against the organisation's numbers, each kind
of evidence added on its own form, the confirmation, and the revalidation pack (a page to print
or a PDF) to take to the NMC's online account."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from tandem.core.forms import apply_service_errors
from tandem.core.services import audit_event_write
from tandem.organisations.access import PersonRequest, person_required

from . import selectors, services
from .access import CHANGE, allowed, owned_or_404, subject_or_404
from .forms import EVIDENCE_FORMS, ConfirmationForm, RevalidationStartForm
from .models import Revalidation

EVIDENCE_SERVICES: dict[str, Callable[..., Any]] = {
    "practice-hours": services.practice_hours_add,
    "feedback": services.feedback_add,
    "reflective-account": services.reflective_account_add,
    "discussion": services.reflective_discussion_add,
}


def _evidence(revalidation: Revalidation) -> dict[str, Any]:
    return {
        "practice_hours": list(revalidation.practice_hours.all()),
        "feedback": list(revalidation.feedback.all()),
        "accounts": list(revalidation.reflective_accounts.all()),
        "discussions": list(revalidation.discussions.all()),
    }


@person_required
def revalidation(request: PersonRequest, pk: int) -> HttpResponse:
    """Progress toward the next revalidation; with none recorded yet, the form to start it."""
    subject = subject_or_404(request, pk)
    may = allowed(request, subject)
    current = selectors.current_revalidation(subject)
    form = None
    if request.method == "POST":
        if not may["change"]:
            raise PermissionDenied
        form = RevalidationStartForm(request.POST)
        if form.is_valid():
            try:
                services.revalidation_start(
                    person=subject,
                    due_on=form.cleaned_data["due_on"],
                    pin=form.cleaned_data["pin"],
                    by=request.person,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Revalidation started: add your evidence as you go.")
                return redirect("revalidation", subject.pk)
    elif may["change"] and (current is None or current.due_on < timezone.localdate()):
        form = RevalidationStartForm(initial={"pin": subject.registration_number})
    context: dict[str, Any] = {"subject": subject, "allowed": may, "form": form}
    if current is not None:
        context |= {
            "position": selectors.revalidation_position(current),
            **_evidence(current),
            "revalidation": current,
        }
    return render(request, "development/revalidation.html", context)


@person_required
def evidence_add(request: PersonRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in EVIDENCE_FORMS:
        raise Http404
    current = owned_or_404(request, Revalidation.objects.select_related("person"), pk, CHANGE)
    form_class, title = EVIDENCE_FORMS[kind]
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            EVIDENCE_SERVICES[kind](revalidation=current, by=request.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{title.removeprefix('Add ').capitalize()} added.")
            return redirect("revalidation", current.person_id)
    return render(
        request,
        "development/evidence_form.html",
        {"form": form, "title": title, "revalidation": current, "subject": current.person},
    )


@person_required
def revalidation_confirm(request: PersonRequest, pk: int) -> HttpResponse:
    current = owned_or_404(request, Revalidation.objects.select_related("person"), pk, CHANGE)
    form = ConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revalidation_confirm(
                revalidation=current, by=request.person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Confirmation recorded.")
            return redirect("revalidation", current.person_id)
    return render(
        request,
        "development/evidence_form.html",
        {
            "form": form,
            "title": "Record the confirmation",
            "revalidation": current,
            "subject": current.person,
            "position": selectors.revalidation_position(current),
        },
    )


def _pack_context(request: PersonRequest, current: Revalidation, how: str) -> dict[str, Any]:
    audit_event_write(
        organisation=current.organisation,
        actor=request.person,
        action="development.revalidation_pack",
        target=current,
        detail={"person": current.person_id, "how": how},
    )
    return {
        "subject": current.person,
        "organisation": current.organisation,
        "revalidation": current,
        "position": selectors.revalidation_position(current),
        "made_on": timezone.localdate(),
        **_evidence(current),
    }


@person_required
def revalidation_pack(request: PersonRequest, pk: int) -> HttpResponse:
    current = owned_or_404(request, Revalidation.objects.select_related("person"), pk)
    return render(
        request, "development/revalidation_pack.html", _pack_context(request, current, "print")
    )


@person_required
def revalidation_pack_pdf(request: PersonRequest, pk: int) -> HttpResponse:
    from tandem.core.pdf import html_pdf  # WeasyPrint is slow to import

    current = owned_or_404(request, Revalidation.objects.select_related("person"), pk)
    html = render_to_string(
        "development/revalidation_pack_pdf.html", _pack_context(request, current, "pdf")
    )
    response = HttpResponse(html_pdf(html), content_type="application/pdf")
    name = f"revalidation-{current.person.last_name.lower()}-{current.due_on.isoformat()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
