"""Direct observations of an NQSW's practice: recorded by the assessor or supervisor (the
family's consent first), changed, and the family's feedback, typed in from the paper form or
given through a link that needs no sign-in (the address is the secret; it works once)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.core.scoping import enter_organisation
from tandem.organisations.access import PersonRequest, person_required

from . import asye_forms, frameworks, services
from .access import owned_or_404
from .asye_views import ASSESS, CHANGE, VIEW, asye_allowed, asye_or_404, form_page
from .models import Observation


@person_required
def observation_add(request: PersonRequest, pk: int) -> HttpResponse:
    current = asye_or_404(request, pk, ASSESS)
    form = asye_forms.ObservationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_save(
                asye=current, by=request.person, fields=form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Direct observation {observation.number} recorded.")
            return redirect("asye-observation", observation.pk)
    return form_page(request, current, form, "Record a direct observation")


def _observation(request: PersonRequest, pk: int, perm: str = VIEW) -> Observation:
    return owned_or_404(
        request,
        Observation.objects.select_related("asye__person", "observer"),
        pk,
        perm,
        via="asye.person",
    )


@person_required
def observation_detail(request: PersonRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk)
    subject = observation.asye.person
    link = request.session.pop(f"feedback-link-{observation.pk}", None)
    return render(
        request,
        "development/asye_observation.html",
        {
            "observation": observation,
            "asye": observation.asye,
            "subject": subject,
            "allowed": asye_allowed(request, subject),
            "domains": frameworks.domain_names(observation.domains),
            "link": link,
            "feedback_form": asye_forms.FeedbackEnterForm(),
        },
    )


@person_required
def observation_edit(request: PersonRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk, ASSESS)
    initial = {key: getattr(observation, key) for key in services.OBSERVATION_FIELDS}
    initial["domains"] = [str(n) for n in observation.domains]
    form = asye_forms.ObservationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_save(
                asye=observation.asye,
                observation=observation,
                by=request.person,
                fields=form.cleaned_data,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Observation saved.")
            return redirect("asye-observation", observation.pk)
    return form_page(
        request, observation.asye, form, f"Change direct observation {observation.number}"
    )


@require_POST
@person_required
def observation_feedback_link(request: PersonRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk, CHANGE)
    try:
        raw = services.observation_feedback_link(observation=observation, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        url = request.build_absolute_uri(reverse("family-feedback", args=[raw]))
        request.session[f"feedback-link-{observation.pk}"] = url
    return redirect("asye-observation", observation.pk)


@require_POST
@person_required
def observation_feedback_enter(request: PersonRequest, pk: int) -> HttpResponse:
    observation = _observation(request, pk, CHANGE)
    form = asye_forms.FeedbackEnterForm(request.POST)
    if form.is_valid():
        try:
            services.observation_feedback_enter(
                observation=observation,
                text=form.cleaned_data["feedback"],
                on=form.cleaned_data["feedback_on"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The family's feedback is saved.")
            return redirect("asye-observation", observation.pk)
    subject = observation.asye.person
    return render(
        request,
        "development/asye_observation.html",
        {
            "observation": observation,
            "asye": observation.asye,
            "subject": subject,
            "allowed": asye_allowed(request, subject),
            "domains": frameworks.domain_names(observation.domains),
            "feedback_form": form,
        },
    )


def family_feedback(request: Any, token: str) -> HttpResponse:
    """The family's feedback on an observed visit, with no sign-in: the link is the secret,
    works once, and collects nothing but the words."""
    observation = services.observation_for_feedback(token)
    if observation is None:
        raise Http404
    enter_organisation(observation.organisation_id)
    form = asye_forms.FamilyFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_feedback_give(
                observation=observation, text=form.cleaned_data["feedback"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return render(
                request,
                "development/family_feedback_done.html",
                {"organisation": observation.organisation},
            )
    response = render(
        request,
        "development/family_feedback.html",
        {"form": form, "organisation": observation.organisation},
    )
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
