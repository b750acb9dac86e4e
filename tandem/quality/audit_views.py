"""Supervision audits: begun by an auditor on one pair's supervision, answered with Tandem's
facts beside each question, completed with a score, replied to by the supervisor; the
organisation's instrument; and results by team and quarter."""

from __future__ import annotations

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
from tandem.organisations.selectors import person_is_manager

from . import selectors, services
from .forms import ANSWER_CHOICES, AuditBeginForm, CriterionForm, ReplyForm
from .models import AuditCriterion, AuditStatus, SupervisionAudit
from .views import form_page


def audit_or_404(
    request: PersonRequest, pk: int, perm: str = "quality.view_audit"
) -> SupervisionAudit:
    found = (
        SupervisionAudit.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("supervisor", "supervisee", "supervisee__team", "auditor", "team")
        .first()
    )
    if found is None:
        raise Http404
    if not request.user.has_perm(perm, found):
        raise PermissionDenied
    return found


@person_required
def audit_list(request: PersonRequest) -> HttpResponse:
    audits = selectors.audits_visible_to(request.person)
    return render(
        request,
        "quality/audits.html",
        {
            "audits": list(audits[:200]),
            "may_begin": request.user.has_perm("quality.audits")
            or person_is_manager(request.person),
            "may_instrument": request.user.has_perm("quality.manage_instrument"),
        },
    )


@person_required
def audit_begin(request: PersonRequest) -> HttpResponse:
    person = request.person
    form = AuditBeginForm(request.POST or None, organisation_id=person.organisation_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            begun = services.audit_begin(
                supervisor=data["supervisor"],
                supervisee=data["supervisee"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                sample_size=data["sample_size"],
                by=person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Audit begun: the sample is drawn and the facts filled in.")
            return redirect("audit", begun.pk)
    return form_page(
        request,
        form,
        heading="Audit a supervisor's supervision",
        button="Draw the sample and begin",
        back_url=reverse("audits"),
        back_text="Back to supervision audits",
        intro="Choose the pair and the period. Tandem draws a sample of their shared records "
        "at random (the seed is kept, so the same sample can be drawn again) and fills in "
        "what it knows as facts; you judge the rest. The audit is shown to the supervisor "
        "and those above them, never to anyone in the supervisee's team.",
    )


def _answers_from(request: PersonRequest, audit: SupervisionAudit) -> dict[int, tuple[str, str]]:
    answers = {}
    for response in audit.responses.all():
        if f"answer_{response.pk}" in request.POST:
            answers[response.pk] = (
                request.POST.get(f"answer_{response.pk}", ""),
                request.POST.get(f"comment_{response.pk}", ""),
            )
    return answers


def _audit_page(
    request: PersonRequest,
    audit: SupervisionAudit,
    *,
    errors: dict[str, list[str]] | None = None,
    posted: bool = False,
    reply_form: ReplyForm | None = None,
) -> HttpResponse:
    responses = list(audit.responses.all())
    if posted:
        for response in responses:
            if f"answer_{response.pk}" in request.POST:
                response.answer = request.POST.get(f"answer_{response.pk}", "")
                response.comment = request.POST.get(f"comment_{response.pk}", "")
    for response in responses:
        response.error = " ".join((errors or {}).get(f"answer_{response.pk}", []))
        response.comment_error = " ".join((errors or {}).get(f"comment_{response.pk}", []))
    groups: dict[str, list] = {}
    for response in responses:
        groups.setdefault(response.group, []).append(response)
    sample = list(audit.sample.select_related("record").order_by("record__held_on"))
    me = request.person
    context = {
        "audit": audit,
        "groups": groups,
        "sample": [row.record for row in sample],
        "answer_choices": ANSWER_CHOICES,
        "conducting": me.pk == audit.auditor_id and audit.status == AuditStatus.DRAFT,
        "replying": me.pk == audit.supervisor_id
        and audit.status == AuditStatus.COMPLETED
        and audit.replied_at is None,
        "reply_form": reply_form or ReplyForm(),
        "errors": errors or {},
        "error_list": [
            (key, message) for key, messages_ in (errors or {}).items() for message in messages_
        ],
        "summary": request.POST.get("summary", audit.summary) if posted else audit.summary,
    }
    status = 400 if errors or (reply_form is not None and reply_form.errors) else 200
    return render(request, "quality/audit.html", context, status=status)


@person_required
def audit_detail(request: PersonRequest, pk: int) -> HttpResponse:
    return _audit_page(request, audit_or_404(request, pk))


@require_POST
@person_required
def audit_save(request: PersonRequest, pk: int) -> HttpResponse:
    """Save the answers; with ``complete``, complete the audit too."""
    audit = audit_or_404(request, pk, "quality.conduct_audit")
    try:
        services.audit_answers_save(
            supervision_audit=audit,
            by=request.person,
            answers=_answers_from(request, audit),
            summary=request.POST.get("summary", ""),
        )
        if "complete" in request.POST:
            services.audit_complete(supervision_audit=audit, by=request.person)
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"summary": error.messages}
        return _audit_page(request, audit, errors=errors, posted=True)
    if "complete" in request.POST:
        messages.success(request, "Audit completed. The supervisor can read it and reply.")
    else:
        messages.success(request, "Answers saved.")
    return redirect("audit", audit.pk)


@require_POST
@person_required
def audit_reply(request: PersonRequest, pk: int) -> HttpResponse:
    audit = audit_or_404(request, pk, "quality.reply_audit")
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.audit_reply(
                supervision_audit=audit, by=request.person, reply=form.cleaned_data["reply"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Reply saved. The auditor can read it.")
            return redirect("audit", audit.pk)
    return _audit_page(request, audit, reply_form=form)


@person_required
def audit_results(request: PersonRequest) -> HttpResponse:
    today = timezone.localdate()
    quarters, rows = selectors.audit_results(request.person, today)
    if request.GET.get("format") == "csv":
        return csv_download(
            "supervision-audit-results",
            [
                "Team",
                *[f"{q:%b %Y} quarter: average %" for q in quarters],
                *[f"{q:%b %Y} quarter: audits" for q in quarters],
                "All four: average %",
                "All four: audits",
            ],
            (
                [
                    row.team,
                    *[cell.average if cell else "" for cell in row.columns],
                    *[cell.audits if cell else 0 for cell in row.columns],
                    row.average if row.average is not None else "",
                    row.audits,
                ]
                for row in rows
            ),
        )
    return render(
        request,
        "quality/audit_results.html",
        {"quarters": quarters, "rows": rows, "today": today},
    )


# The instrument


def _instrument_manager(request: PersonRequest) -> None:
    if not request.user.has_perm("quality.manage_instrument"):
        raise PermissionDenied


@person_required
def instrument(request: PersonRequest) -> HttpResponse:
    if not (
        request.user.has_perm("quality.manage_instrument")
        or request.user.has_perm("quality.audits")
    ):
        raise PermissionDenied
    criteria = services.criteria_of(request.person.organisation)
    groups: dict[str, list[AuditCriterion]] = {}
    for criterion in criteria:
        groups.setdefault(criterion.group, []).append(criterion)
    return render(
        request,
        "quality/instrument.html",
        {"groups": groups, "may_change": request.user.has_perm("quality.manage_instrument")},
    )


def _criterion_form_page(request: PersonRequest, form: CriterionForm, *, new: bool) -> HttpResponse:
    return form_page(
        request,
        form,
        heading="Add a question" if new else "Change the question",
        caption="Supervision audit instrument",
        button="Save the question",
        back_url=reverse("audit-instrument"),
        back_text="Back to the instrument",
        intro="Audits already begun keep the words and weights they asked with.",
    )


@person_required
def criterion_add(request: PersonRequest) -> HttpResponse:
    _instrument_manager(request)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.criterion_add(
                organisation=request.person.organisation,
                by=request.person,
                group=data["group"],
                text_=data["text"],
                weight=data["weight"],
                fact=data["fact"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Question added.")
            return redirect("audit-instrument")
    return _criterion_form_page(request, form, new=True)


def _criterion_or_404(request: PersonRequest, pk: int) -> AuditCriterion:
    _instrument_manager(request)
    found = AuditCriterion.objects.filter(
        organisation_id=request.person.organisation_id, pk=pk, active=True
    ).first()
    if found is None:
        raise Http404
    return found


@person_required
def criterion_edit(request: PersonRequest, pk: int) -> HttpResponse:
    criterion = _criterion_or_404(request, pk)
    form = CriterionForm(
        request.POST or None,
        initial={
            "group": criterion.group,
            "text": criterion.text,
            "weight": criterion.weight,
            "fact": criterion.fact,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.criterion_change(
                criterion=criterion,
                by=request.person,
                group=data["group"],
                text_=data["text"],
                weight=data["weight"],
                fact=data["fact"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Question saved.")
            return redirect("audit-instrument")
    return _criterion_form_page(request, form, new=False)


@require_POST
@person_required
def criterion_retire(request: PersonRequest, pk: int) -> HttpResponse:
    criterion = _criterion_or_404(request, pk)
    services.criterion_retire(criterion=criterion, by=request.person)
    messages.success(request, f"“{criterion.text}” is no longer asked in new audits.")
    return redirect("audit-instrument")
