"""The Care Certificate (start it, sign its standards off) and a safeguarding lead's training
(log it; admins and HR name the leads)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.organisations.access import PersonRequest, person_required

from . import selectors, services
from .access import ASSESS, allowed, owned_or_404, subject_or_404
from .forms import CareCertificateStartForm, DesignationForm, SafeguardingTrainingForm, SignOffForm
from .models import CareCertificateStandard, SafeguardingLead, SafeguardingTraining


@person_required
def care_certificate(request: PersonRequest, pk: int) -> HttpResponse:
    """The Care Certificate's standards and who signed each off; with none started, the form to
    start it (the supervisor or a manager starts it)."""
    subject = subject_or_404(request, pk)
    may = allowed(request, subject)
    position = selectors.care_certificate_position(subject)
    form = None
    if position is None and (may["assess"] or request.method == "POST"):
        if not may["assess"]:
            raise PermissionDenied
        form = CareCertificateStartForm(
            request.POST or None, initial={"started_on": subject.employment_start}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.care_certificate_start(
                    person=subject, started_on=form.cleaned_data["started_on"], by=request.person
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Care Certificate started.")
                return redirect("care-certificate", subject.pk)
    standards = (
        list(position.certificate.standards.select_related("signed_off_by")) if position else []
    )
    return render(
        request,
        "development/care_certificate.html",
        {
            "subject": subject,
            "allowed": may,
            "position": position,
            "standards": standards,
            "form": form,
            "sign_off_form": SignOffForm(),
        },
    )


@require_POST
@person_required
def care_standard_sign_off(request: PersonRequest, pk: int) -> HttpResponse:
    standard = owned_or_404(
        request,
        CareCertificateStandard.objects.select_related("certificate__person"),
        pk,
        ASSESS,
        via="certificate.person",
    )
    form = SignOffForm(request.POST)
    person_pk = standard.certificate.person_id
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["signed_off_on"]))
        return redirect("care-certificate", person_pk)
    try:
        services.care_standard_sign_off(
            standard=standard, on=form.cleaned_data["signed_off_on"], by=request.person
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Standard {standard.number}, {standard.title}, signed off.")
    return redirect("care-certificate", person_pk)


@person_required
def safeguarding(request: PersonRequest, pk: int) -> HttpResponse:
    """A safeguarding lead's training and updates, when each is next due, and (for admins and
    HR) naming or ending the designation."""
    subject = subject_or_404(request, pk)
    may = allowed(request, subject)
    form = SafeguardingTrainingForm(request.POST or None)
    if request.method == "POST":
        if not may["change"]:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.safeguarding_training_add(
                    person=subject, by=request.person, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Safeguarding training logged.")
                return redirect("safeguarding", subject.pk)
    return render(
        request,
        "development/safeguarding.html",
        {
            "subject": subject,
            "allowed": may,
            "form": form,
            "designation_form": DesignationForm(),
            "position": selectors.safeguarding_position(subject),
            "is_lead": selectors.is_safeguarding_lead(subject),
            "designations": list(SafeguardingLead.objects.filter(person=subject)),
            "training": list(SafeguardingTraining.objects.filter(person=subject)[:50]),
        },
    )


@require_POST
@person_required
def safeguarding_designation(request: PersonRequest, pk: int) -> HttpResponse:
    """Name the person as a safeguarding lead from a date, or end it on a date."""
    subject = subject_or_404(request, pk, "development.designate_safeguarding_lead")
    form = DesignationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("safeguarding", subject.pk)
    try:
        if request.POST.get("end"):
            services.safeguarding_lead_end(
                person=subject, on=form.cleaned_data["ended_on"], by=request.person
            )
            messages.success(request, f"{subject.full_name} is no longer a safeguarding lead.")
        else:
            services.safeguarding_lead_designate(
                person=subject, on=form.cleaned_data["designated_on"], by=request.person
            )
            messages.success(request, f"{subject.full_name} is now a safeguarding lead.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("safeguarding", subject.pk)
