"""Agreement pages: start one from a template, fill it in together, sign it, review it, print it.

Thin: find the object in the person's organisation (404 otherwise), check the rule (403), call a
service, render. Errors from services land on the form's fields; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.pagination import page_links, paginate
from tandem.organisations.access import PersonRequest, get_scoped_or_404, person_required
from tandem.organisations.models import Person, SupervisionRelationship
from tandem.organisations.selectors import person_escalation_chain

from . import selectors, services
from .document import document_context
from .forms import AgreementField, AgreementForm, SignForm, StartAgreementForm
from .models import Agreement, AgreementStatus

# Panels that higher apps add to an agreement's page (the schedule of its sessions), registered
# in their AppConfig.ready(): functions of (request, agreement) returning a context with a
# "template" to include, or None.
AGREEMENT_PANELS: list[Callable[[PersonRequest, Agreement], dict[str, Any] | None]] = []

# The agreement's parts, with their fields, in the order of the template.
Section = dict[str, Any]


def _agreement(request: PersonRequest, pk: int, perm: str) -> Agreement:
    """The agreement with its versions, in the person's organisation (404), if allowed (403)."""
    agreement = selectors.agreement_with_versions(
        organisation_id=request.person.organisation_id, pk=pk
    )
    if agreement is None:
        raise Http404
    if not request.user.has_perm(perm, agreement):
        raise PermissionDenied
    return agreement


def _sections(form: AgreementForm) -> list[Section]:
    return [
        {
            "key": section.get("key", ""),
            "heading": section.get("heading", ""),
            "guidance": section.get("guidance", ""),
            "terms": section.get("terms", []),
            "fields": [AgreementField(form, field) for field in section.get("fields", [])],
        }
        for section in form.content.get("sections", [])
    ]


def _apply_errors(form: AgreementForm, error: ValidationError) -> None:
    """A service's errors, keyed by template field, onto the form's first input of each."""
    keys = {field["key"]: form.names_of(field) for field in _fields(form.content)}
    for key, messages_ in error.message_dict.items():
        names = keys.get(key) or []
        for message in messages_:
            form.add_error(names[0] if names else None, message)


def _fields(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [field for section in content.get("sections", []) for field in section.get("fields", [])]


@person_required
def agreement_list(request: PersonRequest) -> HttpResponse:
    """My agreements, and for managers, admins and senior leaders the ones they oversee."""
    person = request.person
    can_see_everyone = request.user.has_perm("organisations.list_people")
    status = request.GET.get("status", "")
    overseen = selectors.agreements_visible_to(person=person, can_see_everyone=can_see_everyone)
    if status in AgreementStatus.values:
        overseen = overseen.filter(status=status)
    page = paginate(request, overseen)
    return render(
        request,
        "agreements/list.html",
        {
            "mine": selectors.agreements_of(person=person),
            "page": page,
            "links": page_links(request, page),
            "statuses": AgreementStatus.choices,
            "status": status,
            "can_manage_templates": request.user.has_perm("agreements.list_templates"),
        },
    )


@person_required
def agreement_start(request: PersonRequest, relationship_pk: int) -> HttpResponse:
    """Start the agreement of a current supervision relationship from a template."""
    person = request.person
    relationship = get_scoped_or_404(
        request,
        SupervisionRelationship.objects.select_related("supervisee", "supervisor"),
        "agreements.start_agreement",
        pk=relationship_pk,
    )
    existing = Agreement.objects.filter(
        relationship=relationship, status__in=services.OPEN_STATUSES
    ).first()
    if existing is not None:
        messages.info(request, "This supervision already has an agreement: here it is.")
        return redirect("agreement", pk=existing.pk)
    versions = selectors.template_versions_latest(organisation=person.organisation)
    form = StartAgreementForm(request.POST if request.method == "POST" else None, versions=versions)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_start(
                relationship=relationship,
                template_version=form.cleaned_data["template_version"],
                by=person,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Agreement started. Fill it in together, then both sign.")
            return redirect("agreement-edit", pk=agreement.pk)
    return render(request, "agreements/start.html", {"relationship": relationship, "form": form})


@person_required
def agreement_detail(request: PersonRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "agreements.view_agreement")
    versions = list(agreement.versions.all())
    version = versions[0]
    return render(
        request,
        "agreements/detail.html",
        {
            "agreement": agreement,
            "version": version,
            "versions": versions,
            "document": document_context(agreement, version),
            "signed_roles": {s.role for s in version.signatures.all()},
            "can_change": request.user.has_perm("agreements.change_agreement", agreement),
            "can_sign": request.user.has_perm("agreements.sign_agreement", agreement),
            "my_role": _role_of(request.person, agreement, version),
            "panels": [
                panel for panel in (make(request, agreement) for make in AGREEMENT_PANELS) if panel
            ],
        },
    )


def _role_of(person: Person, agreement: Agreement, version: Any) -> str:
    if person.pk == agreement.supervisee_id:
        return "supervisee"
    if person.pk == version.supervisor_id:
        return "supervisor"
    return ""


@person_required
def agreement_edit(request: PersonRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "agreements.change_agreement")
    version = agreement.versions.all()[0]
    content = agreement.template_version.content
    if request.method == "POST":
        form = AgreementForm(request.POST, content=content)
        if form.is_valid():
            try:
                services.agreement_save(
                    agreement=agreement, responses=form.responses(), by=request.person
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    "Agreement saved. When you have both read it, sign it."
                    if not version.signatures.exists()
                    else "Agreement saved as a new version: you both need to sign it again.",
                )
                return redirect("agreement", pk=agreement.pk)
    else:
        form = AgreementForm(content=content, responses=version.responses)
    return render(
        request,
        "agreements/edit.html",
        {
            "agreement": agreement,
            "version": version,
            "form": form,
            "sections": _sections(form),
            "signed": version.signatures.exists(),
            "chain": person_escalation_chain(person=agreement.supervisee),
        },
    )


@person_required
def agreement_sign(request: PersonRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "agreements.sign_agreement")
    version = agreement.versions.all()[0]
    form = SignForm(
        request.POST if request.method == "POST" else None,
        initial={"content_hash": version.content_hash},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_sign(
                agreement=agreement,
                person=request.person,
                content_hash=form.cleaned_data["content_hash"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "content_hash" in error.error_dict:
                # The page shows the version as it is now (and its hash), to read before signing.
                form.add_error("confirm", error.message_dict["content_hash"][0])
            else:
                form.add_error(None, error)
        else:
            agreement.refresh_from_db()
            messages.success(
                request,
                "Signed. The agreement is now active."
                if agreement.status == AgreementStatus.ACTIVE
                else "Signed. The agreement becomes active when the other person signs it too.",
            )
            return redirect("agreement", pk=agreement.pk)
    return render(
        request,
        "agreements/sign.html",
        {
            "agreement": agreement,
            "version": version,
            "form": form,
            "document": document_context(agreement, version),
        },
    )


@require_POST
@person_required
def agreement_review(request: PersonRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "agreements.change_agreement")
    try:
        reviewed = services.agreement_review_start(agreement=agreement, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("agreement", pk=agreement.pk)
    messages.success(request, "Review started: change what you need, then both sign.")
    return redirect("agreement-edit", pk=reviewed.pk)


@person_required
def agreement_print(request: PersonRequest, pk: int) -> HttpResponse:
    agreement = _agreement(request, pk, "agreements.view_agreement")
    return render(
        request,
        "agreements/document.html",
        document_context(agreement, agreement.versions.all()[0]),
    )


@person_required
def agreement_pdf(request: PersonRequest, pk: int) -> HttpResponse:
    # WeasyPrint is slow to import: only the PDF page pays for it, not every start-up.
    from .pdf import agreement_pdf as render_pdf

    agreement = _agreement(request, pk, "agreements.view_agreement")
    response = HttpResponse(render_pdf(agreement), content_type="application/pdf")
    name = f"supervision-agreement-{agreement.supervisee.last_name.lower()}-{agreement.pk}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
