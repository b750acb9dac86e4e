"""The quality hub (what each person has to do or may look at), the settings page, and the
form page every simple form shares."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from tandem.core.forms import apply_service_errors
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Role, StaffCategory

from . import selectors, services
from .forms import SettingsForm
from .models import AuditStatus, CaseAuditStage, PipelineEntry

# Who finds "Quality and pathway" in the menu: supervisors and managers by their job, and those
# with a role that uses it; no query. Everyone else reaches what is theirs from My supervision
# (their case-file audits, their pathway) and their own page (their equality information).
MENU_CATEGORIES = {
    StaffCategory.PRACTICE_SUPERVISOR,
    StaffCategory.TEAM_MANAGER,
    StaffCategory.HEAD_OF_SERVICE,
    StaffCategory.ASSISTANT_DIRECTOR,
    StaffCategory.REGISTERED_MANAGER,
}
MENU_ROLES = {Role.AUDITOR, Role.HR, Role.SENIOR_LEADER, Role.ADMIN}


def show_in_navigation(request: HttpRequest) -> bool:
    person = getattr(request, "person", None)
    if person is None:
        return False
    return person.staff_category in MENU_CATEGORIES or bool(person.granted_roles & MENU_ROLES)


def form_page(
    request: PersonRequest, form: Any, *, heading: str, button: str, back_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "quality/form.html",
        {"form": form, "heading": heading, "button": button, "back_url": back_url, **extra},
        status=400 if form.is_bound and form.errors else 200,
    )


@person_required
def quality(request: PersonRequest) -> HttpResponse:
    """What is waiting for me, and where to look: audits I conduct or that are of my
    supervision, case-file audits of my cases, my pathway, the pipeline and figures I may see."""
    person = request.person
    user = request.user
    today = timezone.localdate()
    audits = selectors.audits_visible_to(person)
    return render(
        request,
        "quality/hub.html",
        {
            "to_conduct": list(audits.filter(auditor=person, status=AuditStatus.DRAFT)[:20]),
            "of_mine": list(audits.filter(supervisor=person, status=AuditStatus.COMPLETED)[:20]),
            "case_audits": list(
                selectors.case_audits_visible_to(person)
                .filter(worker=person)
                .exclude(stage=CaseAuditStage.DONE)[:20]
            ),
            "pathways": list(selectors.pathways_visible_to(person).filter(status="active")[:50]),
            "pipeline_mine": PipelineEntry.objects.filter(person=person).first(),
            "may": {
                "audits": user.has_perm("quality.audits") or audits.exists(),
                "instrument": user.has_perm("quality.manage_instrument"),
                "case_audits": user.has_perm("quality.run_case_audits"),
                "pipeline": user.has_perm("quality.pipeline"),
                "equality_data": user.has_perm("quality.read_equality_data"),
                "equality_figures": user.has_perm("quality.equality_figures"),
                "settings": user.has_perm("quality.run_case_audits"),
            },
            "today": today,
        },
    )


@person_required
def quality_settings(request: PersonRequest) -> HttpResponse:
    if not request.user.has_perm("quality.run_case_audits"):
        raise PermissionDenied
    organisation = request.person.organisation
    current = services.settings_of(organisation)
    form = SettingsForm(
        request.POST or None,
        initial={
            "grades": "\n".join(current.grades),
            "case_share_percent": current.case_share_percent,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_change(
                organisation=organisation,
                grades=form.cleaned_data["grades"],
                share_percent=form.cleaned_data["case_share_percent"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Case-file audit settings saved.")
            return redirect("case-audits")
    return form_page(
        request,
        form,
        heading="Case-file audit settings",
        button="Save the settings",
        back_url=reverse("case-audits"),
        back_text="Back to case-file audits",
        intro="The grading scale auditors choose from, and the share of each worker's cases "
        "a month's selection proposes. Audits already graded keep their grade.",
    )
