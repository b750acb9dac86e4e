"""An NQSW's ASYE: where she stands and what is next; starting it and naming the assessor;
pauses; review meetings booked and recorded; caseload; self-assessments; evidence; direct
observations with the family's feedback; the assessor's recommendation and the panel's decision.
The family's feedback page needs no sign-in: the address is the secret. Thin, as every page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.organisations.access import PersonRequest, permission_required, person_required

from . import asye_defaults, asye_forms, asye_selectors, frameworks, services
from .access import owned_or_404, subject_or_404
from .models import Asye, AsyePause, AsyeProgramme, AsyeReview, SelfAssessmentPoint

VIEW = "development.view_asye"
CHANGE = "development.change_asye"
ASSESS = "development.assess_asye"
MANAGE = "development.manage_asye"
PANEL = "development.decide_asye_panel"


def asye_allowed(request: PersonRequest, subject: Any) -> dict[str, bool]:
    user = request.user
    return {
        "change": user.has_perm(CHANGE, subject),
        "assess": user.has_perm(ASSESS, subject),
        "manage": user.has_perm(MANAGE, subject),
        "panel": user.has_perm(PANEL, subject),
        "mine": subject.pk == request.person.pk,
    }


def asye_or_404(request: PersonRequest, pk: int, perm: str = VIEW) -> Asye:
    return owned_or_404(
        request, Asye.objects.select_related("person", "programme", "assessor"), pk, perm
    )


@person_required
def asye(request: PersonRequest, pk: int) -> HttpResponse:
    """Where the NQSW stands; with no ASYE yet, the form to start it."""
    subject = subject_or_404(request, pk, VIEW)
    may = asye_allowed(request, subject)
    current = asye_selectors.current_asye(subject)
    form = None
    if current is None and (may["manage"] or request.method == "POST"):
        if not may["manage"]:
            raise PermissionDenied
        form = asye_forms.AsyeStartForm(
            request.POST or None,
            organisation_id=subject.organisation_id,
            exclude=subject.pk,
            initial={"starts_on": subject.asye_start},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.asye_start(person=subject, by=request.person, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "ASYE started: its reviews are planned.")
                return redirect("asye", subject.pk)
    context: dict[str, Any] = {"subject": subject, "allowed": may, "form": form}
    if current is not None:
        context["position"] = asye_selectors.asye_position(current)
        context["asye"] = current
    return render(request, "development/asye.html", context)


def form_page(
    request: PersonRequest, current: Asye, form: Any, title: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "development/asye_form.html",
        {"form": form, "title": title, "asye": current, "subject": current.person, **extra},
    )


def _saved(request: PersonRequest, current: Asye, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("asye", current.person_id)


def _simple_form(
    request: PersonRequest,
    pk: int,
    perm: str,
    form_class: type[Any],
    service: Callable[..., Any],
    *,
    title: str,
    saved: str,
    initial: dict[str, Any] | None = None,
    **extra: Any,
) -> HttpResponse:
    """A page of one form that calls one ASYE service with what was typed (``**cleaned_data``):
    the service's refusal on its fields, and back to the ASYE once it is saved."""
    current = asye_or_404(request, pk, perm)
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            service(asye=current, by=request.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _saved(request, current, saved)
    extra = {key: value(current) if callable(value) else value for key, value in extra.items()}
    return form_page(request, current, form, title, **extra)


@person_required
def asye_assessor(request: PersonRequest, pk: int) -> HttpResponse:
    current = asye_or_404(request, pk, MANAGE)
    form = asye_forms.AssessorForm(
        request.POST or None,
        organisation_id=current.organisation_id,
        exclude=current.person_id,
        initial={"assessor": current.assessor_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.asye_assessor_set(
                asye=current, assessor=form.cleaned_data["assessor"], by=request.person
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return _saved(request, current, "Assessor saved.")
    return form_page(request, current, form, "Name the assessor")


@person_required
def asye_pause(request: PersonRequest, pk: int) -> HttpResponse:
    return _simple_form(
        request,
        pk,
        MANAGE,
        asye_forms.PauseForm,
        services.asye_pause_add,
        title="Record a pause or part-time working",
        saved="Pause recorded: the later dates have moved back.",
        intro="A pause (sickness, parental leave) stops the ASYE's clock; part-time working "
        "slows it to the share worked. Every review not yet held moves back.",
    )


@require_POST
@person_required
def asye_pause_remove(request: PersonRequest, pk: int) -> HttpResponse:
    pause = owned_or_404(
        request, AsyePause.objects.select_related("asye__person"), pk, MANAGE, via="asye.person"
    )
    person_pk = pause.asye.person_id
    services.asye_pause_remove(pause=pause, by=request.person)
    messages.success(request, "Pause removed: the dates are worked out again.")
    return redirect("asye", person_pk)


@person_required
def asye_review(request: PersonRequest, pk: int) -> HttpResponse:
    """One review point: when it is due, its meeting (book it on a working day), and its record
    (the assessor's and the NQSW's views)."""
    review = owned_or_404(
        request,
        AsyeReview.objects.select_related("asye__person", "asye__programme", "session"),
        pk,
        VIEW,
        via="asye.person",
    )
    subject = review.asye.person
    may = asye_allowed(request, subject)
    suggested = services.review_suggested_day(review)
    book = asye_forms.ReviewBookForm(
        initial={"date": suggested, "time": datetime.time(10), "duration_minutes": 90}
    )
    record = asye_forms.ReviewRecordForm(
        initial={
            "held_on": review.held_on
            or (review.session.starts_at.date() if review.session else None),
            "progress": review.progress,
            "assessor_view": review.assessor_view,
            "nqsw_view": review.nqsw_view,
        }
    )
    view_form = asye_forms.NqswViewForm(initial={"nqsw_view": review.nqsw_view})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "book" and may["assess"]:
            book = asye_forms.ReviewBookForm(request.POST)
            if book.is_valid():
                data = book.cleaned_data
                starts_at = timezone.make_aware(
                    datetime.datetime.combine(data["date"], data["time"])
                )
                try:
                    services.asye_review_book(
                        review=review,
                        starts_at=starts_at,
                        duration_minutes=data["duration_minutes"],
                        location=data["location"],
                        by=request.person,
                    )
                except ValidationError as error:
                    apply_service_errors(book, error, {"starts_at": "date"})
                else:
                    messages.success(request, f"{review.label} booked.")
                    return redirect("asye-review", review.pk)
        elif action == "record" and may["assess"]:
            record = asye_forms.ReviewRecordForm(request.POST)
            if record.is_valid():
                try:
                    services.asye_review_record(
                        review=review, by=request.person, **record.cleaned_data
                    )
                except ValidationError as error:
                    apply_service_errors(record, error)
                else:
                    messages.success(request, f"{review.label} recorded.")
                    return redirect("asye-review", review.pk)
        elif action == "view" and may["mine"]:
            view_form = asye_forms.NqswViewForm(request.POST)
            if view_form.is_valid():
                try:
                    services.asye_nqsw_view(
                        review=review, text=view_form.cleaned_data["nqsw_view"], by=request.person
                    )
                except ValidationError as error:
                    apply_service_errors(view_form, error)
                else:
                    messages.success(request, "Your view is saved.")
                    return redirect("asye-review", review.pk)
        else:
            raise PermissionDenied
    return render(
        request,
        "development/asye_review.html",
        {
            "review": review,
            "asye": review.asye,
            "subject": subject,
            "allowed": may,
            "suggested": suggested,
            "book": book,
            "record": record,
            "view_form": view_form,
            "today": timezone.localdate(),
        },
    )


@person_required
def asye_caseload(request: PersonRequest, pk: int) -> HttpResponse:
    return _simple_form(
        request,
        pk,
        CHANGE,
        asye_forms.CaseloadForm,
        services.caseload_enter,
        title="Enter the caseload",
        saved="Caseload saved.",
        initial={"on": timezone.localdate()},
        position=asye_selectors.asye_position,
    )


@person_required
def asye_self_assessment(request: PersonRequest, pk: int) -> HttpResponse:
    current = asye_or_404(request, pk, VIEW)
    point = request.GET.get("point") or request.POST.get("point") or SelfAssessmentPoint.START
    if point not in SelfAssessmentPoint.values:
        raise Http404
    done = current.self_assessments.filter(point=point).first()
    mine = current.person_id == request.person.pk
    form = asye_forms.SelfAssessmentForm(request.POST or None)
    if request.method == "POST":
        if not mine:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.self_assessment_save(
                    asye=current,
                    point=point,
                    completed_on=form.cleaned_data["completed_on"],
                    ratings=form.ratings(),
                    by=request.person,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return _saved(request, current, "Self-assessment saved.")
    statements = [
        {
            "number": n,
            "statement": s,
            "rating": frameworks.Rating(done.ratings[str(n)]["rating"]).label
            if done and str(n) in done.ratings
            else "",
            "note": done.ratings.get(str(n), {}).get("note", "") if done else "",
            "rating_field": form[f"rating_{n}"],
            "note_field": form[f"note_{n}"],
        }
        for n, s in frameworks.KSS_STATEMENTS
    ]
    return render(
        request,
        "development/asye_self_assessment.html",
        {
            "asye": current,
            "subject": current.person,
            "point": SelfAssessmentPoint(point),
            "done": done,
            "mine": mine,
            "form": form,
            "statements": statements,
            "framework": frameworks.KSS_VERSION,
        },
    )


@person_required
def asye_evidence(request: PersonRequest, pk: int) -> HttpResponse:
    return _simple_form(
        request,
        pk,
        CHANGE,
        asye_forms.EvidenceForm,
        services.asye_evidence_add,
        title="Add evidence or a critical reflection",
        saved="Saved.",
        initial={"on": timezone.localdate()},
    )


@person_required
def asye_recommend(request: PersonRequest, pk: int) -> HttpResponse:
    return _simple_form(
        request,
        pk,
        ASSESS,
        asye_forms.RecommendationForm,
        services.asye_recommend,
        title="The assessor's final recommendation",
        saved="Recommendation recorded.",
        initial={"on": timezone.localdate()},
    )


@person_required
def asye_panel(request: PersonRequest, pk: int) -> HttpResponse:
    return _simple_form(
        request,
        pk,
        PANEL,
        asye_forms.PanelForm,
        services.asye_panel_decide,
        title="The moderation panel's decision",
        saved="The panel's decision is recorded.",
        initial={"on": timezone.localdate()},
    )


@permission_required("development.manage_programme")
def asye_programme(request: PersonRequest) -> HttpResponse:
    """The organisation's early-career programme as data: review points, self-assessments,
    observations, protected time, caseload weighting. A change is a new version from a date;
    NQSWs already on the programme keep the version they started under."""
    organisation = request.person.organisation
    current = services.programme_ensure(organisation)
    initial = {
        **{key: getattr(current, key) for key in services.PROGRAMME_FIELDS},
        "review_points": asye_defaults.review_points_text(current.review_points),
        "caseload_weights": asye_defaults.weights_text(current.caseload_weights),
        "self_assessment_months": ", ".join(str(m) for m in current.self_assessment_months),
        "effective_from": timezone.localdate(),
    }
    form = asye_forms.ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        points, problem = asye_defaults.review_points_parse(data["review_points"])
        weights, weights_problem = asye_defaults.weights_parse(data["caseload_weights"])
        if problem:
            form.add_error("review_points", problem)
        if weights_problem:
            form.add_error("caseload_weights", weights_problem)
        if not (problem or weights_problem):
            data |= {"review_points": points, "caseload_weights": weights}
            effective_from = data.pop("effective_from")
            try:
                revised = services.programme_revise(
                    programme=current, by=request.person, fields=data, effective_from=effective_from
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{revised} saved, from {effective_from:%-d %B %Y}.")
                return redirect("asye-programme")
    versions = AsyeProgramme.objects.filter(organisation=organisation).order_by(
        "-effective_from", "-version"
    )[:20]
    return render(
        request,
        "development/asye_programme.html",
        {"form": form, "current": current, "versions": list(versions)},
    )
