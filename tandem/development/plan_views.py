"""Development plans: objectives (add, change, review, in supervision too) and the yearly
appraisal, which summarises the year's supervision as Tandem holds it."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.organisations.access import PersonRequest, person_required
from tandem.records.models import Record
from tandem.records.selectors import record_access

from . import selectors, services
from .access import ASSESS, CHANGE, allowed, owned_or_404, subject_or_404
from .forms import AppraisalCommentForm, AppraisalForm, ObjectiveForm, ReviewForm
from .models import Appraisal, Objective


@person_required
def objective_add(request: PersonRequest, pk: int) -> HttpResponse:
    subject = subject_or_404(request, pk, CHANGE)
    form = ObjectiveForm(request.POST or None, organisation_id=subject.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            objective = services.objective_add(
                person=subject, by=request.person, fields=form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Objective “{objective.title}” added.")
            return redirect("development", subject.pk)
    return render(
        request,
        "development/objective_form.html",
        {"form": form, "subject": subject, "objective": None},
    )


@person_required
def objective_edit(request: PersonRequest, pk: int) -> HttpResponse:
    objective = owned_or_404(request, Objective.objects.select_related("person"), pk, CHANGE)
    form = ObjectiveForm(
        request.POST or None,
        organisation_id=objective.organisation_id,
        initial={key: getattr(objective, key) for key in services.OBJECTIVE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.objective_change(
                objective=objective, by=request.person, fields=form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Objective saved.")
            return redirect("objective", objective.pk)
    return render(
        request,
        "development/objective_form.html",
        {"form": form, "subject": objective.person, "objective": objective},
    )


@person_required
def objective_detail(request: PersonRequest, pk: int) -> HttpResponse:
    objective = owned_or_404(request, Objective.objects.select_related("person", "course"), pk)
    return render(
        request,
        "development/objective.html",
        {
            "objective": objective,
            "subject": objective.person,
            "allowed": allowed(request, objective.person),
            "reviews": list(objective.reviews.select_related("by", "record")),
            "form": ReviewForm(initial={"status": objective.status}),
            "today": timezone.localdate(),
        },
    )


def _review_record(request: PersonRequest, objective: Objective) -> Record | None:
    """The supervision record a review is made in: one of the objective's person's, which the
    reviewer reads in full."""
    try:
        pk = int(request.POST.get("record") or 0)
    except ValueError:
        return None
    record = Record.objects.filter(organisation_id=objective.organisation_id, pk=pk).first()
    if record is None or not record_access(request.person, record).reads_sections:
        return None
    return record


@require_POST
@person_required
def objective_review(request: PersonRequest, pk: int) -> HttpResponse:
    """A review of an objective, from its own page or from a supervision record's development
    section (which it returns to)."""
    objective = owned_or_404(request, Objective.objects.select_related("person"), pk, CHANGE)
    record = _review_record(request, objective)
    form = ReviewForm(request.POST, prefix=f"o{objective.pk}" if record else None)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if form.is_valid():
        try:
            services.objective_review(
                objective=objective,
                by=request.person,
                record=record,
                progress=form.cleaned_data["progress"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Review of “{objective.title}” saved.")
            return redirect(back) if back else redirect("objective", objective.pk)
    # Shown again on the objective's own page, with what was typed and its errors.
    return render(
        request,
        "development/objective.html",
        {
            "objective": objective,
            "subject": objective.person,
            "allowed": allowed(request, objective.person),
            "reviews": list(objective.reviews.select_related("by", "record")),
            "form": form,
            "record": record,
            "today": timezone.localdate(),
        },
        status=200,
    )


@person_required
def appraisal_add(request: PersonRequest, pk: int) -> HttpResponse:
    """Hold the yearly appraisal: the year's supervision summarised (shown before saving), and
    the appraiser's comments. For the supervisor or a manager, not the person."""
    subject = subject_or_404(request, pk, ASSESS)
    today = timezone.localdate()
    default_start = today - relativedelta(years=1) + datetime.timedelta(days=1)
    form = AppraisalForm(
        request.POST or None,
        initial={"held_on": today, "period_starts_on": default_start, "period_ends_on": today},
    )
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = services.appraisal_hold(
                person=subject, by=request.person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Appraisal recorded.")
            return redirect("appraisal", appraisal.pk)
    starts, ends = default_start, today
    if form.is_bound and form.is_valid():
        starts, ends = form.cleaned_data["period_starts_on"], form.cleaned_data["period_ends_on"]
    summary = selectors.year_summary(person=subject, starts_on=starts, ends_on=max(starts, ends))
    return render(
        request,
        "development/appraisal_form.html",
        {"form": form, "subject": subject, "summary": summary.as_json()},
    )


# Links higher apps add to an appraisal's page: each is called with (request, appraisal) and
# answers (words, address) or None. The quality app: identify a potential practice supervisor.
APPRAISAL_LINKS: list[Callable[[PersonRequest, Appraisal], tuple[str, str] | None]] = []


@person_required
def appraisal_detail(request: PersonRequest, pk: int) -> HttpResponse:
    appraisal = owned_or_404(request, Appraisal.objects.select_related("person", "appraiser"), pk)
    mine = appraisal.person_id == request.person.pk
    form = AppraisalCommentForm(
        request.POST or None, initial={"person_comments": appraisal.person_comments}
    )
    if request.method == "POST":
        if mine and form.is_valid():
            try:
                services.appraisal_comment(
                    appraisal=appraisal,
                    by=request.person,
                    text=form.cleaned_data["person_comments"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Your comments are saved.")
                return redirect("appraisal", appraisal.pk)
        elif not mine:
            raise PermissionDenied
    return render(
        request,
        "development/appraisal.html",
        {
            "appraisal": appraisal,
            "subject": appraisal.person,
            "mine": mine,
            "form": form,
            "links": [link for make in APPRAISAL_LINKS if (link := make(request, appraisal))],
        },
    )
