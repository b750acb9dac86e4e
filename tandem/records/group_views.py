"""The group record's pages: started from a held group session by its supervisor, written
while a draft, shared with the group, acknowledged by each member."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_service_errors
from tandem.meetings.models import Session
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person

from . import selectors, services
from .group_forms import GroupActionForm, GroupCaseForm, GroupRecordForm
from .models import ActionStatus, GroupAction, GroupCaseDiscussion, GroupRecord


def _readable(request: PersonRequest, pk: int) -> tuple[GroupRecord, str]:
    record = (
        GroupRecord.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("session", "supervisor")
        .first()
    )
    if record is None:
        raise Http404
    role = selectors.group_record_role(request.person, record)
    if role is None:
        raise PermissionDenied
    return record, role


def _writable(request: PersonRequest, pk: int) -> GroupRecord:
    record, role = _readable(request, pk)
    if role != "supervisor":
        raise PermissionDenied
    return record


def _page(request: PersonRequest, record: GroupRecord, role: str, **forms: Any) -> HttpResponse:
    attendance = list(record.attendance.select_related("person"))
    members = [row.person for row in attendance]
    present = [row.person_id for row in attendance if row.present]
    writing = role == "supervisor" and not record.is_shared
    mine = next((row for row in attendance if row.person_id == request.person.pk), None)
    context = {
        "record": record,
        "role": role,
        "writing": writing,
        "attendance": attendance,
        "cases": list(record.cases.select_related("case_holder")),
        "actions": list(record.actions.select_related("owner")),
        "mine": mine,
        "action_statuses": ActionStatus.choices,
    }
    if writing:
        context["form"] = forms.get("form") or GroupRecordForm(
            members=members,
            initial={
                "present": [str(pk) for pk in present],
                "learning_points": record.learning_points,
            },
        )
        context["case_form"] = forms.get("case_form") or GroupCaseForm(members=members)
        context["action_form"] = forms.get("action_form") or GroupActionForm(
            people=[record.supervisor, *members]
        )
    status = 400 if any(f is not None and f.errors for f in forms.values()) else 200
    return render(request, "records/group_record.html", context, status=status)


@require_POST
@person_required
def group_record_start(request: PersonRequest, pk: int) -> HttpResponse:
    session = Session.objects.filter(organisation_id=request.person.organisation_id, pk=pk).first()
    if session is None:
        raise Http404
    if session.supervisor_id != request.person.pk:
        raise PermissionDenied
    try:
        record = services.group_record_start(session=session, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("session", session.pk)
    return redirect("group-record", record.pk)


@person_required
def group_record(request: PersonRequest, pk: int) -> HttpResponse:
    record, role = _readable(request, pk)
    return _page(request, record, role)


@require_POST
@person_required
def group_record_save(request: PersonRequest, pk: int) -> HttpResponse:
    record = _writable(request, pk)
    members = [row.person for row in record.attendance.select_related("person")]
    form = GroupRecordForm(request.POST, members=members)
    if form.is_valid():
        try:
            services.group_record_save(
                record=record,
                by=request.person,
                learning_points=form.cleaned_data["learning_points"],
                present=form.cleaned_data["present"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Group record saved.")
            return redirect("group-record", record.pk)
    return _page(request, record, "supervisor", form=form)


def _member(record: GroupRecord, value: str | None, people: list[Person]) -> Person | None:
    return next((p for p in people if str(p.pk) == (value or "")), None)


@require_POST
@person_required
def group_case_add(request: PersonRequest, pk: int) -> HttpResponse:
    record = _writable(request, pk)
    members = [row.person for row in record.attendance.select_related("person")]
    form = GroupCaseForm(request.POST, members=members)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.group_case_add(
                record=record,
                by=request.person,
                case_reference=data["case_reference"],
                case_holder=_member(record, data["case_holder"], members),
                label=data["label"],
                discussion=data["discussion"],
                decision=data["decision"],
                rationale=data["rationale"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"Case {data['case_reference']} added.")
            return redirect("group-record", record.pk)
    return _page(request, record, "supervisor", case_form=form)


@require_POST
@person_required
def group_action_add(request: PersonRequest, pk: int) -> HttpResponse:
    record = _writable(request, pk)
    people = [
        record.supervisor,
        *[row.person for row in record.attendance.select_related("person")],
    ]
    form = GroupActionForm(request.POST, people=people)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.group_action_add(
                record=record,
                by=request.person,
                text=data["text"],
                owner=_member(record, data["owner"], people),
                due_on=data["due_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Action added.")
            return redirect("group-record", record.pk)
    return _page(request, record, "supervisor", action_form=form)


def _remove(request: PersonRequest, model: Any, pk: int, remove: Any, key: str) -> HttpResponse:
    """Take a case or an action off a draft group record (its supervisor only)."""
    row = model.objects.filter(organisation_id=request.person.organisation_id, pk=pk).first()
    if row is None:
        raise Http404
    record = _writable(request, row.record_id)
    try:
        remove(**{key: row, "by": request.person})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("group-record", record.pk)


@require_POST
@person_required
def group_case_remove(request: PersonRequest, pk: int) -> HttpResponse:
    return _remove(request, GroupCaseDiscussion, pk, services.group_case_remove, "case")


@require_POST
@person_required
def group_action_remove(request: PersonRequest, pk: int) -> HttpResponse:
    return _remove(request, GroupAction, pk, services.group_action_remove, "action")


@require_POST
@person_required
def group_record_share(request: PersonRequest, pk: int) -> HttpResponse:
    record = _writable(request, pk)
    try:
        services.group_record_share(record=record, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Shared with the group. Each member is asked to read it.")
    return redirect("group-record", record.pk)


@require_POST
@person_required
def group_record_acknowledge(request: PersonRequest, pk: int) -> HttpResponse:
    record, _role = _readable(request, pk)
    try:
        services.group_record_acknowledge(record=record, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Thank you: you have acknowledged the group record.")
    return redirect("group-record", record.pk)


@require_POST
@person_required
def group_action_status(request: PersonRequest, pk: int) -> HttpResponse:
    action = (
        GroupAction.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("record")
        .first()
    )
    if action is None:
        raise Http404
    _readable(request, action.record_id)
    if request.person.pk not in (action.owner_id, action.record.supervisor_id):
        raise PermissionDenied
    try:
        services.group_action_set_status(
            action=action, by=request.person, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Action updated.")
    return redirect("group-record", action.record_id)
