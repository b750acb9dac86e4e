"""Record pages: the records I may open, one record (read at the level the reader may), its
versions, sharing and signing, addenda, the break-glass way into the welfare section, and the
way in from a held session. Writing is in ``write_views``, disagreements in
``disagreement_views``; their pages are named here too, where the URLs look for them.

Thin: find the record in the person's organisation and ask ``selectors.record_access`` what
they may read (nothing: 404), call a service, render. Every page that shows a record's words is
an audit event (``services.record_read``). A service's refusal lands on the field it is about,
or at the top of the page it came from; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.pagination import page_links, paginate
from tandem.meetings import selectors as meeting_selectors
from tandem.meetings.models import SessionKind, SessionStatus
from tandem.organisations.access import PersonRequest, person_required

from . import selectors, services
from .disagreement_views import disagreement_detail, disagreement_list, disagreement_raise
from .forms import AddendumForm, WelfareReasonForm, add_service_errors
from .models import Addendum, Record, RecordSignature, RecordStatus, RecordVersion
from .reading import (
    agenda_items,
    as_number,
    clock,
    content_shown,
    other_party,
    parts_read,
    parts_words,
    record_or_404,
)
from .selectors import Access, Level
from .write_views import record_autosave, record_write

__all__ = [
    "addendum_add",
    "addendum_sign",
    "disagreement_detail",
    "disagreement_list",
    "disagreement_raise",
    "record_autosave",
    "record_detail",
    "record_list",
    "record_share",
    "record_sign",
    "record_versions",
    "record_write",
    "session_record",
    "welfare_open",
]

# What higher apps add to a record's page (development: the person's CPD position at the date
# of the session and the open objectives to review), each a function of the request, the record
# and what the reader may read, giving a panel's context (with its "template") or None. A
# panel is shown to readers of the full record only.
RECORD_PANELS: list[Callable[[PersonRequest, Record, Access], dict[str, Any] | None]] = []

STATUS_FILTERS = [
    ("", "Any status"),
    ("draft", "Draft"),
    ("overdue", "Draft, not shared in time"),
    ("shared", "Shared, awaiting signatures"),
    ("signed", "Agreed and signed by both"),
]
WHOSE_FILTERS = [
    ("", "Mine and those of people I manage"),
    ("mine", "Mine only"),
    ("others", "Other people's"),
]


GROUP_RECORDS_LISTED = 20


# How a record was read, as the audit event says it.
READ_HOW = {
    "page": "On screen",
    "write": "While writing",
    "print": "Printed",
    "pdf": "As a PDF",
    "api": "Through the API",
}


@person_required
def record_reads(request: PersonRequest) -> HttpResponse:
    """Who has read my supervision records, other than my supervisor: every reading, with why
    the welfare section was opened when it was."""
    events, records = selectors.reads_by_others(person=request.person)
    page = paginate(request, events)
    rows = []
    for event in page.object_list:
        who, job = selectors.reader_of(event)
        detail = event.detail or {}
        broke_glass = event.action == selectors.BREAK_GLASS
        rows.append(
            {
                "at": event.at,
                "who": who,
                "job": job,
                "record": records.get(event.object_id),
                "what": "The welfare section, giving a reason"
                if broke_glass
                else parts_words(detail.get("parts", [])),
                "how": "" if broke_glass else READ_HOW.get(detail.get("how", ""), ""),
                "reason": detail.get("reason", "") if broke_glass else "",
            }
        )
    return render(
        request,
        "records/reads.html",
        {"rows": rows, "page": page, "links": page_links(request, page)},
    )


@person_required
def record_list(request: PersonRequest) -> HttpResponse:
    """My records, either side, and the records of people I manage or may otherwise read."""
    person = request.person
    records = selectors.readable_records(person=person)
    status = request.GET.get("status", "")
    today = timezone.localdate()
    if status == "overdue":
        records = records.filter(status=RecordStatus.DRAFT, due_on__lt=today)
    elif status in RecordStatus.values:
        records = records.filter(status=status)
    else:
        status = ""
    whose = request.GET.get("whose", "")
    mine = Q(supervisor=person) | Q(supervisee=person)
    if whose == "mine":
        records = records.filter(mine)
    elif whose == "others":
        records = records.exclude(mine)
    else:
        whose = ""
    page = paginate(request, records)
    return render(
        request,
        "records/list.html",
        {
            "records": page.object_list,
            "page": page,
            "links": page_links(request, page),
            "status": status,
            "whose": whose,
            "status_filters": STATUS_FILTERS,
            "whose_filters": WHOSE_FILTERS,
            "filtered": bool(status or whose),
            "today": today,
            "to_resolve": selectors.disagreements_to_resolve(person=person).count(),
            # Group records of groups I led or was in: the cases of mine discussed there too.
            "group_records": list(selectors.group_records_of(person=person)[:GROUP_RECORDS_LISTED]),
        },
    )


def _detail(
    request: PersonRequest, record: Record, access: Access, *, problems: list[str] | None = None
) -> HttpResponse:
    """The record at the reader's level, with what they may do; ``problems`` from a refused
    share or signature are shown at the top."""
    person = request.person
    version = selectors.current_version(record, with_welfare=access.reads_welfare)
    services.record_read(record=record, by=person, parts=parts_read(access))
    full_view = access.level >= Level.WITHOUT_WELFARE
    items = agenda_items(record) if full_view else []
    content = content_shown(
        record,
        version.content,
        items=items,
        welfare=version.welfare if access.reads_welfare else None,
        level=access.level,
        action_rows=list(record.actions.select_related("owner").order_by("position", "id"))
        if full_view
        else None,
    )
    signatures = list(
        RecordSignature.objects.filter(record=record)
        .select_related("person", "version")
        .order_by("signed_at", "id")
    )
    signed_now = {s.role for s in signatures if s.version.number == version.number}
    my_role = selectors.party_role(record, person)
    allowed = selectors.record_allowed(
        record=record, person=person, access=access, signed_roles=signed_now
    )
    context: dict[str, Any] = {
        "record": record,
        "access": access,
        "version": version,
        "my_role": my_role,
        "other": other_party(record, person) if my_role else None,
        "signatures": signatures,
        "allowed": allowed,
        "may_sign": allowed["sign"],
        "signed_now": signed_now,
        "problems": problems or [],
        "today": timezone.localdate(),
        "full_view": full_view,
        "cases_only": access.level == Level.CASES,
        **content,
    }
    if full_view:
        context["panels"] = [
            panel for panel in (make(request, record, access) for make in RECORD_PANELS) if panel
        ]
        context["addenda"] = list(record.addenda.select_related("written_by"))
        context["disagreements"] = list(
            record.disagreements.select_related("raised_by", "routed_to", "resolved_by")
        )
    if access.is_party:
        context["welfare_log"] = list(
            record.welfare_accesses.select_related("person").order_by("opened_at", "id")
        )
    return render(request, "records/detail.html", context)


@person_required
def record_detail(request: PersonRequest, pk: int) -> HttpResponse:
    record, access = record_or_404(request, pk)
    return _detail(request, record, access)


@person_required
def record_versions(request: PersonRequest, pk: int) -> HttpResponse:
    """Every version: who saved it and when. The parties open an older one read-only."""
    record, access = record_or_404(request, pk)
    person = request.person
    page = paginate(request, selectors.version_history(record))
    shown = None
    content: dict[str, Any] = {}
    number = as_number(request.GET.get("number"))
    if number and access.is_party:
        shown = (
            RecordVersion.objects.filter(record=record, number=number)
            .select_related("saved_by")
            .first()
        )
        if shown is None:
            raise Http404
        content = content_shown(
            record,
            shown.content,
            items=agenda_items(record),
            welfare=shown.welfare,
            level=Level.FULL,
        )
    signed: dict[int, list[RecordSignature]] = {}
    for signature in RecordSignature.objects.filter(record=record).select_related("person"):
        signed.setdefault(signature.version_id, []).append(signature)
    services.record_read(
        record=record,
        by=person,
        parts=["history", *([f"version {number}", *parts_read(access)] if shown else [])],
        how="versions",
    )
    return render(
        request,
        "records/versions.html",
        {
            "record": record,
            "access": access,
            "versions": [(v, signed.get(v.pk, [])) for v in page.object_list],
            "page": page,
            "links": page_links(request, page),
            "shown": shown,
            "asked_for_older": bool(number) and not access.is_party,
            "today": timezone.localdate(),
            **content,
        },
    )


@require_POST
@person_required
def record_share(request: PersonRequest, pk: int) -> HttpResponse:
    record, access = record_or_404(request, pk)
    person = request.person
    try:
        services.record_share(
            record=record, by=person, version=as_number(request.POST.get("version"))
        )
    except ValidationError as error:
        return _detail(request, record, access, problems=error.messages)
    messages.success(
        request,
        f"Shared with {other_party(record, person).full_name}, who has been told. They read it and "
        "sign it if it is a true record.",
    )
    return redirect("record", pk=record.pk)


@require_POST
@person_required
def record_sign(request: PersonRequest, pk: int) -> HttpResponse:
    record, access = record_or_404(request, pk)
    person = request.person
    number = as_number(request.POST.get("version"))
    try:
        signed = services.record_sign(record=record, by=person, version=number)
    except ValidationError as error:
        return _detail(request, record, access, problems=error.messages)
    if signed.is_signed:
        messages.success(
            request,
            f"You signed version {number}. The record is agreed and signed by both: it will not "
            "change again. Corrections are made with an addendum.",
        )
    else:
        messages.success(
            request,
            f"You signed version {number}. {other_party(record, person).full_name} has been asked to "
            "sign it too.",
        )
    return redirect("record", pk=record.pk)


@person_required
def addendum_add(request: PersonRequest, pk: int) -> HttpResponse:
    record, access = record_or_404(request, pk)
    if not access.is_party:
        raise PermissionDenied
    person = request.person
    form = AddendumForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            addendum = services.addendum_add(
                record=record, by=person, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Addendum {addendum.number} added and signed by you. "
                f"{other_party(record, person).full_name} has been asked to sign it.",
            )
            return redirect(reverse("record", args=[record.pk]) + "#addenda")
    return render(request, "records/addendum.html", {"record": record, "form": form})


@require_POST
@person_required
def addendum_sign(request: PersonRequest, pk: int, number: int) -> HttpResponse:
    record, access = record_or_404(request, pk)
    addendum = Addendum.objects.filter(record=record, number=number).first()
    if addendum is None:
        raise Http404
    addendum.record = record
    try:
        services.addendum_sign(addendum=addendum, by=request.person)
    except ValidationError as error:
        return _detail(request, record, access, problems=error.messages)
    messages.success(request, f"You signed addendum {number}.")
    return redirect(reverse("record", args=[record.pk]) + "#addenda")


@person_required
def welfare_open(request: PersonRequest, pk: int) -> HttpResponse:
    """A manager opens the welfare section with a written reason, logged and shown to the
    supervisee. The parties read it anyway; nobody else may ask."""
    record, access = record_or_404(request, pk)
    if access.is_party:
        return redirect(reverse("record", args=[record.pk]) + "#welfare")
    if not access.may_break_glass:
        raise Http404
    person = request.person
    form = WelfareReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.welfare_open(
                record=record, by=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The welfare section is open to you until {clock(opened.expires_at)}. "
                f"{record.supervisee.full_name} can see that you opened it, and why.",
            )
            return redirect(reverse("record", args=[record.pk]) + "#welfare")
    return render(request, "records/welfare.html", {"record": record, "form": form})


@person_required
def session_record(request: PersonRequest, pk: int) -> HttpResponse:
    """The record of a held one to one or ad hoc session: the parties write it (it is started
    if need be), others who may read it read it."""
    person = request.person
    session = meeting_selectors.session_for_page(organisation_id=person.organisation_id, pk=pk)
    if session is None or not request.user.has_perm("meetings.view_session", session):
        raise Http404
    if session.kind == SessionKind.GROUP or session.supervisee_id is None:
        messages.info(
            request,
            "Records are written for one to one and ad hoc sessions, between a supervisor and "
            "one supervisee. A group session has no record in Tandem.",
        )
        return redirect("session", pk=session.pk)
    if session.status != SessionStatus.HELD:
        messages.info(
            request,
            "The record is written once the session has been held: record it as held first."
            if session.status == SessionStatus.SCHEDULED
            else "This session was cancelled, so it has no record.",
        )
        return redirect("session", pk=session.pk)
    is_party = person.pk in (session.supervisor_id, session.supervisee_id)
    record = Record.objects.filter(session=session).first()
    if record is None and is_party:
        record = services.record_start(session=session, by=person)
    if record is None:
        messages.info(request, "No record has been started for this session yet.")
        return redirect("session", pk=session.pk)
    if not selectors.record_access(person, record).can_read:
        raise Http404
    if is_party and not record.is_signed:
        return redirect("record-write", pk=record.pk)
    return redirect("record", pk=record.pk)
