"""Session pages: my sessions, one session and its agenda, booking, moving, cancelling,
re-booking and recording a session as held.

Thin: find the session in the person's organisation (404 otherwise), check the rule (403), call
a service, render. A service's refusal lands on the field it is about; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.calendar import calendar_for
from tandem.core.dates import long_date
from tandem.core.pagination import page_links, paginate
from tandem.organisations.access import PersonRequest, person_required

from . import selectors
from .forms import (
    AgendaItemForm,
    BookForm,
    CancelForm,
    HeldForm,
    WhenForm,
    apply_service_errors,
    when_initial,
)
from .models import AgendaItem, Session, SessionKind, SessionStatus
from .services import sessions

# Panels that higher apps add to a session's page (the record of a held session), registered in
# their AppConfig.ready(): functions of (request, session) returning a context with a
# "template" to include, or None.
SESSION_PANELS: list[Callable[[PersonRequest, Session], dict[str, Any] | None]] = []


def _session(request: PersonRequest, pk: int, perm: str) -> Session:
    """The session, in the person's organisation (404), if allowed (403)."""
    session = selectors.session_for_page(organisation_id=request.person.organisation_id, pk=pk)
    if session is None:
        raise Http404
    if not request.user.has_perm(perm, session):
        raise PermissionDenied
    return session


def _not_scheduled(request: PersonRequest, session: Session, doing: str) -> HttpResponse:
    if session.status == SessionStatus.CANCELLED:
        messages.info(request, f"This session was cancelled, so there is nothing to {doing}.")
    else:
        messages.info(request, f"This session has been held, so there is nothing to {doing}.")
    return redirect("session", pk=session.pk)


@person_required
def session_list(request: PersonRequest) -> HttpResponse:
    """My upcoming and recent sessions, and the sessions I may see that need attention."""
    person = request.person
    recent = selectors.recent_sessions(person=person)
    rules: selectors.RulesCache = {}
    attention = selectors.sessions_needing_attention(
        person=person,
        can_see_everyone=request.user.has_perm("organisations.list_people"),
        rules=rules,
    )
    page = paginate(request, selectors.upcoming_sessions_all(person=person))
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": page.object_list,
            "page": page,
            "links": page_links(request, page),
            "recent": recent,
            "short_ids": selectors.short_session_ids(recent, rules=rules),
            "overdue_ids": {session.pk for session in attention.overdue},
            "attention": attention,
            "today": timezone.localdate(),
        },
    )


@person_required
def session_detail(request: PersonRequest, pk: int) -> HttpResponse:
    """The session, its agenda with how well it fits, and a form to add to the agenda."""
    session = _session(request, pk, "meetings.view_session")
    can_change_agenda = request.user.has_perm("meetings.change_agenda", session)
    form = AgendaItemForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_change_agenda:
            raise PermissionDenied
        if form.is_valid():
            try:
                sessions.agenda_item_add(
                    session=session,
                    by=request.person,
                    title=form.cleaned_data["title"],
                    detail=form.cleaned_data["detail"],
                    priority=form.cleaned_data["priority"],
                    minutes=form.cleaned_data["minutes"],
                    function=form.cleaned_data["function"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"Added to the agenda: {form.cleaned_data['title']}")
                return redirect("session", pk=session.pk)
    items = list(session.agenda.all())
    return render(
        request,
        "meetings/detail.html",
        {
            "session": session,
            "members": list(session.members.all()),
            "items": items,
            "fit": selectors.agenda_fit(session, items),
            "is_short": selectors.is_short(session),
            "is_overdue": session.status == SessionStatus.CANCELLED
            and session.rebook_by is not None
            and session.rebook_by < timezone.localdate()
            and getattr(session, "rebooked_as", None) is None,
            "rebooked_as": getattr(session, "rebooked_as", None),
            "form": form,
            "can_change": request.user.has_perm("meetings.change_session", session),
            "can_change_agenda": can_change_agenda,
            "can_record_held": request.user.has_perm("meetings.record_held", session),
            "panels": [
                panel for panel in (make(request, session) for make in SESSION_PANELS) if panel
            ],
        },
    )


@person_required
def session_book(request: PersonRequest) -> HttpResponse:
    """Book a one to one or ad hoc session with someone I supervise, or a group session."""
    if not request.user.has_perm("meetings.book_session"):
        raise PermissionDenied
    person = request.person
    supervisees = selectors.people_to_book_with(person=person)
    group_people = selectors.people_for_groups(person=person)
    initial: dict[str, object] = {"kind": SessionKind.ONE_TO_ONE, "duration_minutes": 90}
    chosen = next((p for p in supervisees if str(p.pk) == request.GET.get("supervisee")), None)
    if chosen is not None:
        initial["supervisee"] = chosen.pk
        agreement = sessions.agreement_of_pair(supervisor=person, supervisee=chosen)
        version = agreement.versions.order_by("-number").first() if agreement else None
        if version is not None:
            initial["duration_minutes"] = version.duration_min_minutes or 90
            initial["location"] = version.location
    form = BookForm(
        request.POST if request.method == "POST" else None,
        supervisees=supervisees,
        group_people=group_people,
        initial=initial,
        calendar=calendar_for(person.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.session_book(
                supervisor=person,
                supervisee=form.chosen_supervisee(),
                members=form.chosen_members(),
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
                by=person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            carried = session.agenda.count()
            messages.success(
                request,
                "Session booked."
                + (
                    f" {carried} unfinished item{'s' if carried != 1 else ''} from your last "
                    "session carried into its agenda."
                    if carried
                    else ""
                ),
            )
            return redirect("session", pk=session.pk)
    return render(
        request,
        "meetings/book.html",
        {"form": form, "supervisees": supervisees, "group_people": group_people},
    )


@person_required
def session_move(request: PersonRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "meetings.change_session")
    if session.status != SessionStatus.SCHEDULED:
        return _not_scheduled(request, session, "move")
    form = WhenForm(
        request.POST if request.method == "POST" else None,
        initial={
            **when_initial(session.starts_at),
            "duration_minutes": session.duration_minutes,
            "location": session.location,
        },
        calendar=calendar_for(session.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            sessions.session_move(
                session=session,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Session moved.")
            return redirect("session", pk=session.pk)
    return render(request, "meetings/move.html", {"session": session, "form": form})


@person_required
def session_cancel(request: PersonRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "meetings.change_session")
    if session.status != SessionStatus.SCHEDULED:
        return _not_scheduled(request, session, "cancel")
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = sessions.session_cancel(
                session=session,
                by=request.person,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Session cancelled. Re-book it by {long_date(cancelled.rebook_by)}."
                if cancelled.rebook_by
                else "Session cancelled. Re-book it when you can.",
            )
            return redirect("session", pk=session.pk)
    return render(
        request,
        "meetings/cancel.html",
        {
            "session": session,
            "form": form,
            "rebook_by": sessions.rebook_deadline(session),
            "rebook_within": sessions.rebook_within(session),
        },
    )


@person_required
def session_rebook(request: PersonRequest, pk: int) -> HttpResponse:
    cancelled = _session(request, pk, "meetings.change_session")
    rebooked_as = getattr(cancelled, "rebooked_as", None)
    if rebooked_as is not None:
        messages.info(request, "This session has already been re-booked: here is the new one.")
        return redirect("session", pk=rebooked_as.pk)
    if cancelled.status != SessionStatus.CANCELLED:
        messages.info(request, "Only a cancelled session is re-booked.")
        return redirect("session", pk=cancelled.pk)
    form = WhenForm(
        request.POST if request.method == "POST" else None,
        initial={"duration_minutes": cancelled.duration_minutes, "location": cancelled.location},
        calendar=calendar_for(cancelled.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.session_rebook(
                cancelled=cancelled,
                starts_at=form.starts_at(),
                duration_minutes=form.cleaned_data["duration_minutes"],
                location=form.cleaned_data["location"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Session re-booked, with the same agenda.")
            return redirect("session", pk=session.pk)
    return render(
        request,
        "meetings/rebook.html",
        {"session": cancelled, "form": form, "today": timezone.localdate()},
    )


@person_required
def session_held(request: PersonRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "meetings.record_held")
    if session.status != SessionStatus.SCHEDULED:
        return _not_scheduled(request, session, "record")
    form = HeldForm(
        request.POST if request.method == "POST" else None,
        initial={**when_initial(session.starts_at), "minutes": session.duration_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            held = sessions.session_record_held(
                session=session,
                started_at=form.started_at(),
                minutes=form.cleaned_data["minutes"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if selectors.is_short(held):
                messages.warning(
                    request,
                    "Recorded as held. It was shorter than your organisation's policy asks for.",
                )
            else:
                messages.success(request, "Recorded as held.")
            return redirect("session", pk=session.pk)
    open_items = [item for item in session.agenda.all() if not item.done]
    return render(
        request, "meetings/held.html", {"session": session, "form": form, "open_items": open_items}
    )


def _item(request: PersonRequest, pk: int, item_pk: int) -> AgendaItem:
    session = _session(request, pk, "meetings.change_agenda")
    item = next((item for item in session.agenda.all() if item.pk == item_pk), None)
    if item is None:
        raise Http404
    item.session = session
    return item


@require_POST
@person_required
def agenda_item_done(request: PersonRequest, pk: int, item_pk: int) -> HttpResponse:
    """Mark an item done, or not done after all (``done=no``)."""
    item = _item(request, pk, item_pk)
    done = request.POST.get("done", "yes") != "no"
    try:
        sessions.agenda_item_done(item=item, done=done, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{item.title}: {'done' if done else 'not done'}.")
    return redirect("session", pk=pk)


@require_POST
@person_required
def agenda_item_remove(request: PersonRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    try:
        sessions.agenda_item_remove(item=item, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Taken off the agenda: {item.title}")
    return redirect("session", pk=pk)
