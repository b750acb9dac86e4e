"""What leaves a record or follows from it: the printable page and PDF, case decisions for the
case file, the actions agreed, and the people an agreement names to see its records.

Thin, like every page: find the object in the person's organisation, answer 404 to anyone who
may not read it (``selectors.record_access``), call a service, render. Every read of a record
is audited (``services.record_read``), and so is every export of case decisions.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tandem.agreements.models import Agreement
from tandem.core.downloads import CSV_TYPE
from tandem.core.forms import apply_service_errors
from tandem.core.pagination import page_links, paginate
from tandem.core.services import audit_event_write
from tandem.meetings.forms import GovukRadios
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person, PersonQuerySet
from tandem.organisations.selectors import person_list

from . import document, selectors, services
from . import layout as layouts
from .models import Action, ActionStatus, RecordViewer, ViewerScope
from .reading import record_or_404

# Most decisions one export carries: decades of monthly supervision of one case.
EXPORT_MAX = 1_000
VIEWER_SEARCH_RESULTS = 30


def _back(request: PersonRequest, default: str) -> Any:
    """Where a form posted from elsewhere returns to: its ``next``, if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


# The record as a document


@person_required
def record_print(request: PersonRequest, pk: int) -> HttpResponse:
    record, access = record_or_404(request, pk)
    context = document.record_document(record, access)
    services.record_read(record=record, by=request.person, parts=context["parts"], how="print")
    return render(request, "records/print.html", context)


@person_required
def record_pdf(request: PersonRequest, pk: int) -> HttpResponse:
    # WeasyPrint is slow to import: only the PDF pages pay for it.
    from .pdf import record_pdf as render_pdf
    from .pdf import record_pdf_filename

    record, access = record_or_404(request, pk)
    context = document.record_document(record, access)
    response = HttpResponse(render_pdf(context), content_type="application/pdf")
    services.record_read(record=record, by=request.person, parts=context["parts"], how="pdf")
    response["Content-Disposition"] = f'inline; filename="{record_pdf_filename(record)}"'
    response["Cache-Control"] = "private, no-store"
    return response


# Case decisions, for the case file


class CaseReferenceForm(forms.Form):
    case_reference = forms.CharField(
        label="Case reference", required=False, help_text=layouts.CASE_REFERENCE_HINT
    )

    def clean_case_reference(self) -> str:
        reference = self.cleaned_data["case_reference"].strip().upper()
        problem = layouts.case_reference_problem(reference)
        if problem:
            raise ValidationError(problem)
        return reference


def _export_audit(
    request: PersonRequest, *, reference: str, how: str, rows: list[dict[str, Any]]
) -> None:
    person = request.person
    audit_event_write(
        organisation=person.organisation,
        actor=request.user,
        action="case_decisions.export" if how != "page" else "case_decisions.view",
        summary=f"Supervision decisions for case {reference} ({how}, {len(rows)})",
        detail={
            "case_reference": reference,
            "format": how,
            "decisions": len(rows),
            "records": sorted({row["record_id"] for row in rows}),
        },
    )


@person_required
def case_decisions(request: PersonRequest) -> HttpResponse:
    """Find the decisions made in supervision about one case, in the records this person may
    read, and take them to the case file as CSV or PDF. Never any welfare notes."""
    person = request.person
    searched = "case_reference" in request.GET
    form = CaseReferenceForm(request.GET if searched else None)
    context: dict[str, Any] = {"form": form, "searched": searched}
    if searched and form.is_valid():
        reference = form.cleaned_data["case_reference"]
        decisions = selectors.case_decisions(person=person, case_reference=reference)
        # Decisions made in group supervision go with them, to the case file too.
        group_rows = document.group_decision_rows(
            selectors.group_case_decisions(person=person, case_reference=reference)[:EXPORT_MAX]
        )
        how = request.GET.get("format", "")
        if how in ("csv", "pdf"):
            rows = document.merged_by_date(
                document.decision_rows(decisions[:EXPORT_MAX]), group_rows
            )[:EXPORT_MAX]
            _export_audit(request, reference=reference, how=how, rows=rows)
            return _decisions_download(request, reference=reference, how=how, rows=rows)
        page = paginate(request, decisions)
        rows = document.decision_rows(page.object_list)
        _export_audit(request, reference=reference, how="page", rows=rows + group_rows)
        context.update(
            reference=reference,
            page=page,
            links=page_links(request, page),
            rows=rows,
            group_rows=group_rows,
        )
    return render(
        request, "records/case_decisions.html", context, status=400 if form.errors else 200
    )


def _decisions_download(
    request: PersonRequest, *, reference: str, how: str, rows: list[dict[str, Any]]
) -> HttpResponse:
    name = f"supervision-decisions-{reference.lower().replace('/', '-')}"
    if how == "csv":
        response = HttpResponse(document.decisions_csv(rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    else:
        from .pdf import case_decisions_pdf

        context = document.decisions_document(
            organisation_name=request.person.organisation.name,
            case_reference=reference,
            rows=rows,
            person=request.person,
        )
        response = HttpResponse(case_decisions_pdf(context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# Actions


ACTION_VIEWS = {"open": "Open", "closed": "Done or no longer needed"}
STATUS_DONE_MESSAGES = {
    ActionStatus.DONE: "marked as done",
    ActionStatus.DROPPED: "marked as no longer needed",
    ActionStatus.OPEN: "open again",
}


def _actions_of(person: Person, *, open_ones: bool) -> QuerySet[Action]:
    """Actions I own or that were agreed in my supervision, either side. Open ones by due date
    (the overdue first); the others most recently finished first."""
    actions = selectors.actions_of(person=person)
    if open_ones:
        return actions.filter(status=ActionStatus.OPEN).order_by("due_on", "id")
    return actions.exclude(status=ActionStatus.OPEN).order_by("-completed_at", "-id")


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices)


@person_required
def action_list(request: PersonRequest) -> HttpResponse:
    person = request.person
    show = request.GET.get("show", "open")
    if show not in ACTION_VIEWS:
        show = "open"
    page = paginate(request, _actions_of(person, open_ones=show == "open"))
    return render(
        request,
        "records/action_list.html",
        {
            "page": page,
            "links": page_links(request, page),
            "show": show,
            "views": ACTION_VIEWS,
            "today": timezone.localdate(),
            "me": person,
        },
    )


@require_POST
@person_required
def action_status(request: PersonRequest, pk: int) -> HttpResponse:
    """Mark an action done, no longer needed, or open again: the owner or either party."""
    person = request.person
    action = (
        Action.objects.filter(organisation_id=person.organisation_id, pk=pk)
        .select_related("record", "record__organisation")
        .first()
    )
    if action is None or not selectors.record_access(person, action.record).can_read:
        raise Http404
    record = action.record
    if person.pk not in (action.owner_id, record.supervisor_id, record.supervisee_id):
        raise PermissionDenied
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose open, done or no longer needed.")
        return _back(request, "actions")
    try:
        services.action_set_status(action=action, by=person, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        status = ActionStatus(form.cleaned_data["status"])
        messages.success(request, f"“{action.text}” {STATUS_DONE_MESSAGES[status]}.")
    return _back(request, "actions")


# Others who may see the record


class ViewerForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Who",
        widget=GovukRadios,
        error_messages={
            "required": "Search for the person, then choose them.",
            "invalid_choice": "Choose someone from the search results.",
        },
    )
    scope = forms.ChoiceField(
        label="What they may see",
        choices=ViewerScope.choices,
        widget=GovukRadios,
        help_text="Never the welfare and support section.",
        error_messages={"required": "Choose what they may see."},
    )

    def __init__(self, *args: Any, agreement: Agreement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Person.objects.for_organisation(agreement.organisation_id)
            .current()
            .exclude(pk__in=[agreement.supervisee_id, agreement.supervisor_id])
        )


def _agreement(request: PersonRequest, pk: int) -> tuple[Agreement, bool]:
    """The agreement, if this person may see it (404 otherwise), and whether they may change
    who else sees its records (the two parties)."""
    person = request.person
    agreement = (
        Agreement.objects.filter(organisation_id=person.organisation_id, pk=pk)
        .select_related("organisation", "supervisee", "supervisor", "relationship")
        .first()
    )
    if agreement is None or not request.user.has_perm("agreements.view_agreement", agreement):
        raise Http404
    return agreement, person.pk in (agreement.supervisee_id, agreement.supervisor_id)


def _viewer_search(
    request: PersonRequest, agreement: Agreement, named: list[RecordViewer]
) -> dict[str, Any]:
    """People in the organisation matching a search (name, email, staff number, job title),
    other than the two parties and those already named; and the one chosen, kept on an error."""
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:200]
    matches: list[Person] = []
    leave_out = [agreement.supervisee_id, agreement.supervisor_id, *(v.person_id for v in named)]
    if q:
        found = cast(PersonQuerySet, person_list(organisation=agreement.organisation, search=q))
        matches = list(found.current().exclude(pk__in=leave_out)[:VIEWER_SEARCH_RESULTS])
    chosen = request.POST.get("person", "")
    if chosen.isdigit() and all(str(p.pk) != chosen for p in matches):
        matches += list(
            Person.objects.for_organisation(agreement.organisation_id)
            .filter(pk=chosen)
            .exclude(pk__in=leave_out)
            .select_related("team")
        )
    return {"q": q, "matches": matches, "chosen": chosen}


def agreement_viewers(agreement: Agreement) -> list[RecordViewer]:
    """The people named on the agreement, in the order they were named. One query."""
    return list(
        RecordViewer.objects.filter(organisation_id=agreement.organisation_id, agreement=agreement)
        .select_related("person", "person__team", "added_by")
        .order_by("added_at", "id")
    )


@person_required
def record_viewers(request: PersonRequest, pk: int) -> HttpResponse:
    """The agreement's "others who may see the record": who, and what of it. The parties name
    and remove them; others who may see the agreement see the list."""
    agreement, can_change = _agreement(request, pk)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    form = ViewerForm(request.POST if request.method == "POST" else None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            viewer = services.record_viewer_add(
                agreement=agreement,
                person=form.cleaned_data["person"],
                scope=form.cleaned_data["scope"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{viewer.person.full_name} may now see {viewer.get_scope_display().lower()}.",
            )
            return redirect("agreement-record-viewers", pk=agreement.pk)
    viewers = agreement_viewers(agreement)
    return render(
        request,
        "records/viewer_list.html",
        {
            "agreement": agreement,
            "viewers": viewers,
            "can_change": can_change,
            "form": form,
            "search": _viewer_search(request, agreement, viewers) if can_change else None,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@person_required
def record_viewer_remove(request: PersonRequest, pk: int, viewer_pk: int) -> HttpResponse:
    agreement, can_change = _agreement(request, pk)
    viewer = (
        RecordViewer.objects.filter(
            organisation_id=agreement.organisation_id, agreement=agreement, pk=viewer_pk
        )
        .select_related("person", "agreement__organisation")
        .first()
    )
    if viewer is None:
        raise Http404
    if not can_change:
        raise PermissionDenied
    name = viewer.person.full_name
    try:
        services.record_viewer_remove(viewer=viewer, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{name} no longer sees the records of this supervision.")
    return redirect("agreement-record-viewers", pk=agreement.pk)
