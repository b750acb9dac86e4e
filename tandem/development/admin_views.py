"""The organisation's development settings, in pages: each rule set's numbers (for admins, with
what changed and when) and the course list that training needs can name (admins and HR)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.core.models import AuditEvent
from tandem.organisations.access import (
    PersonRequest,
    get_scoped_or_404,
    permission_required,
)

from . import schemes, selectors, services
from .forms import CourseForm, rules_form
from .models import Course

RULES_PERM = "development.manage_rules"
COURSES_PERM = "development.manage_courses"


def _rule_sets(request: PersonRequest, bound: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    organisation = request.person.organisation
    shown = []
    for scheme, label in schemes.Scheme.choices:
        values = selectors.rules_of(organisation, scheme)
        form = (bound or {}).get(scheme) or rules_form(scheme, values)
        shown.append({"scheme": scheme, "label": label, "form": form})
    return shown


@permission_required(RULES_PERM)
def development_rules(request: PersonRequest) -> HttpResponse:
    bound: dict[str, Any] = {}
    if request.method == "POST":
        scheme = request.POST.get("scheme", "")
        if scheme not in schemes.Scheme.values:
            raise Http404
        form = rules_form(scheme, {}, request.POST)
        if form.is_valid():
            try:
                services.scheme_rules_set(
                    organisation=request.person.organisation,
                    scheme=scheme,
                    values=form.cleaned_data,
                    by=request.person,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"{schemes.Scheme(scheme).label} rules saved.")
                return redirect("development-rules")
        bound[scheme] = form
    changes = AuditEvent.objects.filter(
        organisation=request.person.organisation, action="development.rules_changed"
    ).select_related("actor")[:20]
    return render(
        request,
        "development/rules.html",
        {"rule_sets": _rule_sets(request, bound), "changes": list(changes)},
    )


@permission_required(COURSES_PERM)
def courses(request: PersonRequest) -> HttpResponse:
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_add(
                organisation=request.person.organisation, by=request.person, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Course “{course.title}” added.")
            return redirect("development-courses")
    return render(
        request,
        "development/courses.html",
        {
            "form": form,
            "courses": list(
                Course.objects.filter(organisation=request.person.organisation).order_by(
                    "-active", "title"
                )
            ),
        },
    )


@require_POST
@permission_required(COURSES_PERM)
def course_active(request: PersonRequest, pk: int) -> HttpResponse:
    course = get_scoped_or_404(request, Course.objects.all(), COURSES_PERM, pk=pk)
    active = request.POST.get("active") == "1"
    services.course_set_active(course=course, active=active, by=request.person)
    messages.success(
        request, f"“{course.title}” is {'offered again' if active else 'no longer offered'}."
    )
    return redirect("development-courses")
