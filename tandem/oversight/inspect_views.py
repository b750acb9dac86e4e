"""The inspector's pages: no sign-in, the secret link is the access. One pack, read-only, until
the end of the link's expiry date; its figures, its policy, its sampled records without their
welfare sections, and its downloads. An unknown, expired or revoked link is "not found" alike,
and so is any record outside the pack. Every page and download is an audit event."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tandem.core.scoping import enter_organisation

from . import pack_documents
from .models import InspectorAccess
from .services import packs


def _live_or_404(token: str) -> InspectorAccess:
    access = packs.access_for_token(token)
    if access is None:
        raise Http404
    enter_organisation(access.organisation_id)
    return access


def _private(response: HttpResponse) -> HttpResponse:
    """Never cached, never indexed, and the secret address never sent on as a referrer."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
def inspect_home(request: HttpRequest, token: str) -> HttpResponse:
    access = _live_or_404(token)
    pack = access.pack
    packs.inspector_viewed(access, what="pack")
    context = {
        **pack_documents.pack_context(pack),
        "inspector": access,
        "token": token,
        "records": packs.sampled_records(pack),
    }
    return _private(render(request, "oversight/inspect.html", context))


@require_safe
def inspect_record(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    access = _live_or_404(token)
    record = packs.sampled_records(access.pack).filter(pk=pk).first()
    if record is None:
        raise Http404
    packs.inspector_viewed(access, what="record", record=record)
    context = {
        **pack_documents.record_context(record),
        "pack": access.pack,
        "inspector": access,
        "token": token,
    }
    return _private(render(request, "oversight/inspect_record.html", context))


@require_safe
def inspect_pdf(request: HttpRequest, token: str) -> HttpResponse:
    access = _live_or_404(token)
    pack = access.pack
    response = HttpResponse(pack_documents.pack_pdf(pack), content_type="application/pdf")
    packs.inspector_viewed(access, what="pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{pack_documents.download_name(pack, "pdf")}"'
    )
    return _private(response)


@require_safe
def inspect_zip(request: HttpRequest, token: str) -> HttpResponse:
    access = _live_or_404(token)
    pack = access.pack
    response = HttpResponse(pack_documents.pack_zip(pack), content_type="application/zip")
    packs.inspector_viewed(access, what="zip")
    response["Content-Disposition"] = (
        f'attachment; filename="{pack_documents.download_name(pack, "zip")}"'
    )
    return _private(response)
