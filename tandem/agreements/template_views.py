"""Agreement templates: admins see the built-in ones, copy one, and edit their copy.

Editing changes wording (headings, guidance, labels, hints, standard terms), whether a field is
required, and adds or removes fields and terms. Each save is a new version; agreements already
made keep the version they were made from.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.organisations.access import PersonRequest, permission_required, person_required

from . import content as template_content
from . import selectors, services
from .forms import TemplateCopyForm
from .models import AgreementTemplate

# Fields that the schedule and records read: a template may reword them, not remove them.
KEPT_KEYS = {"frequency", "duration", "location"}
ADDABLE_TYPES = [
    ("text", "A line of text"),
    ("long_text", "Paragraphs of text"),
    ("yes_no", "Yes or no"),
    ("date", "A date"),
    ("number", "A whole number"),
]


def _template(request: PersonRequest, pk: int, perm: str) -> AgreementTemplate:
    """A built-in template or one of the person's organisation (404 otherwise), if allowed (403).
    Built-in templates belong to no organisation, so the tenant filter is ``available_to``."""
    template = (
        AgreementTemplate.objects.available_to(request.person.organisation).filter(pk=pk).first()
    )
    if template is None:
        raise Http404
    if not request.user.has_perm(perm, template):
        raise PermissionDenied
    return template


@permission_required("agreements.list_templates")
def template_list(request: PersonRequest) -> HttpResponse:
    versions = selectors.template_versions_latest(organisation=request.person.organisation)
    return render(request, "agreements/templates.html", {"versions": versions})


@person_required
def template_detail(request: PersonRequest, pk: int) -> HttpResponse:
    template = _template(request, pk, "agreements.view_template")
    version = services.template_latest_version(template)
    return render(
        request,
        "agreements/template_detail.html",
        {
            "template": template,
            "version": version,
            "content": version.content,
            "field_types": template_content.FIELD_TYPES,
            "can_copy": request.user.has_perm("agreements.copy_template", template),
            "can_change": request.user.has_perm("agreements.change_template", template),
            "copy_form": TemplateCopyForm(
                initial={"name": f"{template.name} ({request.person.organisation.name})"}
            ),
        },
    )


@require_POST
@person_required
def template_copy(request: PersonRequest, pk: int) -> HttpResponse:
    template = _template(request, pk, "agreements.copy_template")
    form = TemplateCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give your copy a name.")
        return redirect("agreement-template", pk=template.pk)
    new = services.template_copy(
        template=template,
        organisation=request.person.organisation,
        by=request.person,
        name=form.cleaned_data["name"],
    )
    messages.success(request, f"Copied. Edit “{new.name}” to suit your organisation.")
    return redirect("agreement-template-edit", pk=new.pk)


def _key_from(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:40] or "field"
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def content_from_post(
    original: dict[str, Any], post: Any
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The edited content, and (input id, message) for each problem; nothing is lost."""
    edited = copy.deepcopy(original)
    problems: list[tuple[str, str]] = []
    taken = {field["key"] for _s, field in template_content.iter_fields(original)}
    edited["title"] = post.get("title", "").strip()
    if not edited["title"]:
        problems.append(("title", "Enter the document's title."))
    edited["introduction"] = post.get("introduction", "").strip()
    for i, section in enumerate(edited.get("sections", [])):
        prefix = f"s{i}"
        # A section without a heading (the standard terms of the school template, the names of
        # the council's) may stay without one; a heading it had cannot be cleared.
        had_heading = bool(section.get("heading"))
        section["heading"] = post.get(f"{prefix}-heading", "").strip()
        if not section["heading"] and had_heading:
            problems.append((f"{prefix}-heading", f"Enter a heading for section {i + 1}."))
        section["guidance"] = post.get(f"{prefix}-guidance", "").strip()
        fields = []
        for j, field in enumerate(section.get("fields", [])):
            name = f"{prefix}-f{j}"
            if post.get(f"{name}-remove") and field["key"] not in KEPT_KEYS:
                continue
            field["label"] = post.get(f"{name}-label", "").strip()
            field["hint"] = post.get(f"{name}-hint", "").strip()
            field["required"] = bool(post.get(f"{name}-required"))
            if not field["label"]:
                problems.append(
                    (f"{name}-label", f"Enter a label for field {j + 1} of “{section['heading']}”.")
                )
            fields.append(field)
        new_label = post.get(f"{prefix}-new-label", "").strip()
        new_type = post.get(f"{prefix}-new-type", "text")
        if new_label:
            if new_type not in dict(ADDABLE_TYPES):
                problems.append((f"{prefix}-new-type", "Choose the kind of answer."))
            else:
                key = _key_from(new_label, taken)
                taken.add(key)
                fields.append({"key": key, "label": new_label, "type": new_type, "required": False})
        section["fields"] = fields
        terms = []
        for k, term in enumerate(section.get("terms", [])):
            name = f"{prefix}-t{k}"
            if post.get(f"{name}-remove"):
                continue
            term["heading"] = post.get(f"{name}-heading", "").strip()
            term["text"] = post.get(f"{name}-text", "").strip()
            if not term["text"]:
                problems.append(
                    (
                        f"{name}-text",
                        f"Enter the wording of term {k + 1} of “{section['heading']}”, or remove it.",
                    )
                )
            terms.append(term)
        new_term = post.get(f"{prefix}-newterm-text", "").strip()
        if new_term:
            terms.append(
                {
                    "key": _key_from(post.get(f"{prefix}-newterm-heading", "") or "term", taken),
                    "heading": post.get(f"{prefix}-newterm-heading", "").strip(),
                    "text": new_term,
                }
            )
        section["terms"] = terms
    return edited, problems


@person_required
def template_edit(request: PersonRequest, pk: int) -> HttpResponse:
    template = _template(request, pk, "agreements.change_template")
    version = services.template_latest_version(template)
    content = version.content
    problems: list[tuple[str, str]] = []
    name = template.name
    if request.method == "POST":
        content, problems = content_from_post(version.content, request.POST)
        name = request.POST.get("name", "").strip()
        if not name:
            problems.insert(0, ("name", "Enter the template's name."))
        if not problems:
            try:
                saved = services.template_save(
                    template=template, content=content, by=request.person, name=name
                )
            except ValidationError as error:
                problems = [("title", message) for message in error.messages]
            else:
                messages.success(
                    request,
                    f"Template saved as version {saved.number}. Agreements already made keep "
                    "the version they were made from.",
                )
                return redirect("agreement-template", pk=template.pk)
    return render(
        request,
        "agreements/template_edit.html",
        {
            "template": template,
            "version": version,
            "name": name,
            "content": content,
            "problems": problems,
            "problem_ids": {input_id for input_id, _ in problems},
            "kept_keys": KEPT_KEYS,
            "addable_types": ADDABLE_TYPES,
            "field_types": template_content.FIELD_TYPES,
        },
    )
