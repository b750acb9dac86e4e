"""Case-file audits: a month's selection by rule, a case chosen by hand, the list, one audit
(graded by an auditor), and the learning and impact recorded from a supervision record."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.downloads import csv_download
from tandem.core.forms import apply_service_errors
from tandem.organisations.access import PersonRequest, person_required
from tandem.records.models import Record
from tandem.records.selectors import record_access

from . import selectors, services
from .forms import CaseAuditAddForm, CaseAuditForm, NoteForm, RoundForm
from .models import CaseAudit, CaseAuditRound
from .views import form_page

RUN = "quality.run_case_audits"
EXPORT_MAX = 10_000


def _runner(request: PersonRequest) -> None:
    if not request.user.has_perm(RUN):
        raise PermissionDenied


def case_audit_or_404(request: PersonRequest, pk: int) -> CaseAudit:
    found = (
        CaseAudit.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related(
            "worker", "supervisor", "auditor", "round", "learning_record", "impact_record"
        )
        .select_related("pre_item__session", "learning_item__session", "impact_item__session")
        .first()
    )
    if found is None:
        raise Http404
    if not request.user.has_perm("quality.view_case_audits", found.worker):
        raise PermissionDenied
    return found


@person_required
def case_audit_list(request: PersonRequest) -> HttpResponse:
    person = request.person
    audits = selectors.case_audits_visible_to(person)
    month_text = request.GET.get("month", "")
    try:
        month = datetime.date.fromisoformat(month_text + "-01") if month_text else None
    except ValueError:
        month = None
    if month is not None:
        audits = audits.filter(
            created_at__date__gte=month,
            created_at__date__lt=(month + datetime.timedelta(days=32)).replace(day=1),
        )
    grades = services.settings_of(person.organisation).grades
    if request.GET.get("format") == "csv":
        return csv_download(
            "case-file-audits",
            [
                "Case reference",
                "Label",
                "Worker",
                "Chosen",
                "By rule",
                "Grade",
                "Audited on",
                "Where it is",
                "Learning recorded in supervision on",
                "Impact checked on",
            ],
            (
                (
                    a.case_reference,
                    a.label,
                    a.worker.full_name,
                    timezone.localdate(a.created_at),
                    "yes" if a.by_rule else "no",
                    a.grade,
                    a.audited_on or "",
                    a.get_stage_display(),
                    a.learning_record.held_on if a.learning_record else "",
                    a.impact_record.held_on if a.impact_record else "",
                )
                for a in audits.select_related("learning_record", "impact_record").order_by(
                    "-created_at", "-id"
                )[:EXPORT_MAX]
            ),
        )
    return render(
        request,
        "quality/case_audits.html",
        {
            "audits": list(audits.order_by("-created_at", "-id")[:200]),
            "figures": selectors.case_audit_figures(audits, grades),
            "rounds": list(
                CaseAuditRound.objects.filter(
                    organisation_id=person.organisation_id
                ).select_related("team")[:12]
            ),
            "may_run": request.user.has_perm(RUN),
            "month": month,
        },
    )


@person_required
def case_round_select(request: PersonRequest) -> HttpResponse:
    _runner(request)
    organisation = request.person.organisation
    form = RoundForm(
        request.POST or None,
        organisation_id=organisation.pk,
        initial={
            "month": timezone.localdate().replace(day=1),
            "share_percent": services.settings_of(organisation).case_share_percent,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            selection = services.case_round_select(
                organisation=organisation,
                month=data["month"],
                share_percent=data["share_percent"],
                team=data["team"],
                seed=data["seed"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{selection.audits.count()} cases chosen for {selection.month:%B %Y} "
                f"(seed {selection.seed}). Each is on the worker's next supervision agenda.",
            )
            return redirect("case-audits")
    return form_page(
        request,
        form,
        heading="Choose this month's cases",
        caption="Case-file audits",
        button="Choose the cases",
        back_url=reverse("case-audits"),
        back_text="Back to case-file audits",
        intro="A share of each worker's cases, among those discussed in their supervision in "
        "the 12 months before the month, chosen at random. The seed is kept: the same seed "
        "chooses the same cases again. Each case goes on the worker's next supervision agenda "
        "for the discussion before the audit.",
    )


@person_required
def case_audit_add(request: PersonRequest) -> HttpResponse:
    _runner(request)
    form = CaseAuditAddForm(request.POST or None, organisation_id=request.person.organisation_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = services.case_audit_add(
                worker=data["worker"],
                case_reference=data["case_reference"],
                label=data["label"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Case {added.case_reference} chosen for audit.")
            return redirect("case-audit", added.pk)
    return form_page(
        request,
        form,
        heading="Choose a case by hand",
        caption="Case-file audits",
        button="Choose the case",
        back_url=reverse("case-audits"),
        back_text="Back to case-file audits",
        intro="For a serious case review, a complaint or other learning. The case is named by "
        "its reference only: the case file stays in the case management system.",
    )


@person_required
def case_audit_detail(request: PersonRequest, pk: int) -> HttpResponse:
    found = case_audit_or_404(request, pk)
    grades = services.settings_of(request.person.organisation).grades
    may_audit = (
        request.user.has_perm(RUN)
        and found.stage == "selected"
        and request.person.pk != found.worker_id
    )
    form = None
    if may_audit:
        form = CaseAuditForm(
            request.POST or None, grades=grades, initial={"audited_on": timezone.localdate()}
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.case_audit_record(
                    case_audit=found,
                    by=request.person,
                    grade=data["grade"],
                    findings=data["findings"],
                    required_actions=data["required_actions"],
                    audited_on=data["audited_on"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    "Audit recorded. The learning goes on the worker's next supervision agenda.",
                )
                return redirect("case-audit", found.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "quality/case_audit.html",
        {"audit": found, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def _record_for(request: PersonRequest) -> Record | None:
    try:
        pk = int(request.POST.get("record") or 0)
    except ValueError:
        return None
    record = (
        Record.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("session")
        .first()
    )
    if record is None or not record_access(request.person, record).is_party:
        return None
    return record


def _note(request: PersonRequest, pk: int, which: str) -> HttpResponse:
    found = case_audit_or_404(request, pk)
    record = _record_for(request)
    form = NoteForm(request.POST, prefix=f"ca{found.pk}")
    if form.is_valid():
        record_service = (
            services.case_learning_record if which == "learning" else services.case_impact_record
        )
        try:
            record_service(
                case_audit=found, record=record, note=form.cleaned_data["note"], by=request.person
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                "Learning recorded. Its impact goes on a later session's agenda."
                if which == "learning"
                else "Impact recorded: the case-file audit is complete.",
            )
            if record is not None:
                return redirect(reverse("record", args=[record.pk]) + "#development")
            return redirect("case-audit", found.pk)
    return render(
        request,
        "quality/case_audit.html",
        {"audit": found, "note_form": form, "which": which, "record": record},
        status=400,
    )


@require_POST
@person_required
def case_learning(request: PersonRequest, pk: int) -> HttpResponse:
    return _note(request, pk, "learning")


@require_POST
@person_required
def case_impact(request: PersonRequest, pk: int) -> HttpResponse:
    return _note(request, pk, "impact")
