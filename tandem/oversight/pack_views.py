"""Evidence packs, for the people who oversee a unit: the list, a new pack, a pack with its
downloads and its inspectors' links. Thin: who may see what is ``packs.py``'s; anyone else, and
any pack of another organisation or of a unit the person does not oversee, is "not found"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.core.pagination import page_links, paginate
from tandem.organisations.access import PersonRequest, person_required

from . import pack_documents, selectors
from .models import EvidencePack, InspectorAccess
from .pack_forms import AccessForm, PackForm
from .services import packs

# The session key under which a new inspector link waits to be shown, once, after the redirect.
NEW_LINK_KEY = "tandem.new_inspector_link"


def _oversight(request: PersonRequest) -> selectors.Oversight:
    access = selectors.oversight_of(request.person)
    if access is None:
        raise Http404
    return access


def _pack(request: PersonRequest, pk: int) -> tuple[selectors.Oversight, EvidencePack]:
    access = _oversight(request)
    pack = packs.pack_for(access, pk)
    if pack is None:
        raise Http404
    return access, pack


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@person_required
def pack_list(request: PersonRequest) -> HttpResponse:
    access = _oversight(request)
    page = paginate(request, packs.packs_for(access))
    return render(
        request,
        "oversight/pack_list.html",
        {"page": page, "pack_rows": page.object_list, "links": page_links(request, page)},
    )


@person_required
def pack_new(request: PersonRequest) -> HttpResponse:
    access = _oversight(request)
    units = list(packs.overseeable_units(access))
    form = PackForm(request.POST or None, access=access, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pack = packs.pack_create(
                by=request.person,
                unit=form.chosen_unit(),
                title=data["title"],
                inspectorate=data["inspectorate"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                sample=data["sample"],
                sample_size=data["sample_size"] or 0,
                record_ids=data["record_ids"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "The evidence pack is made.")
            return redirect("oversight-pack", pack.pk)
    return render(
        request,
        "oversight/pack_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _detail(
    request: PersonRequest, pack: EvidencePack, form: AccessForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    new_link = ""
    waiting = request.session.get(NEW_LINK_KEY)
    if waiting and waiting.get("pack") == pack.pk:
        request.session.pop(NEW_LINK_KEY)
        new_link = request.build_absolute_uri(reverse("inspect", args=[waiting["token"]]))
    accesses = [
        {"access": access, "status": packs.access_status(access, today)}
        for access in packs.accesses_of(pack)
    ]
    context: dict[str, Any] = {
        **pack_documents.pack_context(pack),
        "records": packs.sampled_records(pack),
        "accesses": accesses,
        "form": form or AccessForm(max_days=packs.max_access_days(pack.organisation)),
        "new_link": new_link,
        "new_link_name": waiting.get("name", "") if new_link and waiting else "",
        "max_days": packs.max_access_days(pack.organisation),
    }
    return _no_store(render(request, "oversight/pack.html", context, status=status))


@person_required
def pack_detail(request: PersonRequest, pk: int) -> HttpResponse:
    _access, pack = _pack(request, pk)
    return _detail(request, pack)


@person_required
def pack_pdf(request: PersonRequest, pk: int) -> HttpResponse:
    _access, pack = _pack(request, pk)
    records = list(packs.sampled_records(pack))
    response = HttpResponse(pack_documents.pack_pdf(pack, records), content_type="application/pdf")
    packs.pack_downloaded(pack, by=request.person, how="pdf", records=[r.pk for r in records])
    response["Content-Disposition"] = (
        f'attachment; filename="{pack_documents.download_name(pack, "pdf")}"'
    )
    return _no_store(response)


@person_required
def pack_zip(request: PersonRequest, pk: int) -> HttpResponse:
    _access, pack = _pack(request, pk)
    response = HttpResponse(pack_documents.pack_zip(pack), content_type="application/zip")
    ids = list(pack.records.values_list("pk", flat=True))
    packs.pack_downloaded(pack, by=request.person, how="zip", records=sorted(ids))
    response["Content-Disposition"] = (
        f'attachment; filename="{pack_documents.download_name(pack, "zip")}"'
    )
    return _no_store(response)


@require_POST
@person_required
def access_grant(request: PersonRequest, pk: int) -> HttpResponse:
    _access, pack = _pack(request, pk)
    form = AccessForm(request.POST, max_days=packs.max_access_days(pack.organisation))
    if form.is_valid():
        try:
            access, raw = packs.access_grant(pack=pack, by=request.person, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # Redirect, so that reloading the page cannot grant another link.
            request.session[NEW_LINK_KEY] = {"pack": pack.pk, "token": raw, "name": access.name}
            return redirect("oversight-pack", pack.pk)
    return _detail(request, pack, form, status=400)


@require_POST
@person_required
def access_revoke(request: PersonRequest, pk: int, access_pk: int) -> HttpResponse:
    _access, pack = _pack(request, pk)
    access = (
        InspectorAccess.objects.for_organisation(pack.organisation_id)
        .filter(pack=pack, pk=access_pk)
        .first()
    )
    if access is None:
        raise Http404
    access.pack = pack
    packs.access_revoke(access=access, by=request.person)
    messages.success(
        request, f"The link for {access.name} is stopped: it no longer opens the pack."
    )
    return redirect("oversight-pack", pack.pk)
