"""Writing a record: the whole record on one page for either party until both have signed,
saved as they type (autosave, with htmx) and when they press a button. Two people writing at
once are never overwritten: a save made from an older version than the latest shows both,
with the form holding what this person typed, and saving again is a deliberate choice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.dates import long_date
from tandem.meetings.models import AgendaItem
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person

from . import layout as layouts
from . import selectors, services
from .forms import BLANK_ACTIONS, BLANK_CASES, RecordForm
from .models import Record, RecordStatus, RecordVersion
from .reading import (
    agenda_items,
    as_number,
    clock,
    other_party,
    parse_date,
    parts_read,
    record_or_404,
)
from .selectors import Access, Level

# At most this many empty rows of a kind asked for by "Add another".
MORE_ROWS_MAX = 10


def _write_page(
    request: PersonRequest,
    record: Record,
    form: RecordForm,
    *,
    conflict: services.RecordConflict | None = None,
    comparison: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    person = request.person
    latest = (
        RecordVersion.objects.filter(record=record, number=record.version_number)
        .defer("content", "welfare")
        .select_related("saved_by")
        .first()
    )
    return render(
        request,
        "records/write.html",
        {
            "record": record,
            "form": form,
            "latest": latest,
            "other": other_party(record, person),
            "conflict": conflict,
            "differences": [row for row in comparison or [] if row["differs"]],
            "same": sum(1 for row in comparison or [] if not row["differs"]),
            "autosave": record.status == RecordStatus.DRAFT
            and form["autosave"].value() != "off"
            and conflict is None,
            "today": timezone.localdate(),
        },
    )


def _save(record: Record, person: Person, form: RecordForm) -> RecordVersion:
    """Save what was typed. A conflict with a version that already holds exactly these words
    (this page's own autosave, a second press of the button) is no conflict: nothing is lost."""
    try:
        return services.record_save(
            record=record,
            by=person,
            base_version=form.cleaned_data["base_version"],
            **form.payload(),
        )
    except services.RecordConflict as conflict:
        mine = dict(conflict.mine)
        welfare = mine.pop("welfare", "")
        if mine == conflict.theirs.content and welfare == conflict.theirs.welfare:
            return conflict.theirs
        raise


def _may_write(request: PersonRequest, record: Record, access: Access) -> HttpResponse | None:
    """Someone who may read but not write is sent to the record, told why (a POST from someone
    who is not a party is refused)."""
    refusal = selectors.record_refusal("write", record=record, person=request.person, access=access)
    if refusal is None:
        return None
    if not access.is_party and request.method == "POST":
        raise PermissionDenied
    messages.info(request, refusal)
    return redirect("record", pk=record.pk)


def _blank_rows(request: PersonRequest, name: str, default: int) -> int:
    return max(default, min(as_number(request.GET.get(name)), MORE_ROWS_MAX))


@person_required
def record_write(request: PersonRequest, pk: int) -> HttpResponse:
    """The whole record on one page, for either party until both have signed: the agenda in
    place, the sections collapsed until needed, cases and actions in rows."""
    record, access = record_or_404(request, pk)
    refused = _may_write(request, record, access)
    if refused is not None:
        return refused
    person = request.person
    items = agenda_items(record)
    if request.method != "POST":
        version = selectors.current_version(record)
        form = RecordForm(
            record=record,
            items=items,
            content=version.content,
            welfare=version.welfare,
            version_number=version.number,
            blank_cases=_blank_rows(request, "cases", BLANK_CASES),
            blank_actions=_blank_rows(request, "actions", BLANK_ACTIONS),
        )
        services.record_read(record=record, by=person, parts=parts_read(access), how="write")
        return _write_page(request, record, form)

    form = RecordForm(request.POST, record=record, items=items)
    if not form.is_valid():
        form.check_words()
        return _write_page(request, record, form)
    try:
        saved = _save(record, person, form)
    except services.RecordConflict as conflict:
        return _conflict_page(request, record, items, conflict)
    except ValidationError as error:
        form.apply_service_errors(error)
        return _write_page(request, record, form)

    adding = request.POST.get("add")
    if adding in ("case", "action"):
        return _with_another_row(record, form, adding)
    other = other_party(record, person)
    if "share" in request.POST and record.status == RecordStatus.DRAFT:
        try:
            services.record_share(record=record, by=person, version=saved.number)
        except ValidationError as error:
            data = request.POST.copy()
            data["base_version"] = str(saved.number)
            record.version_number = saved.number
            form = RecordForm(data, record=record, items=items)
            form.is_valid()
            form.apply_service_errors(error)
            return _write_page(request, record, form)
        messages.success(
            request,
            f"Shared with {other.full_name}, who has been told. They read it and sign it if it "
            "is a true record.",
        )
        return redirect("record", pk=record.pk)
    if record.status == RecordStatus.SHARED:
        messages.success(
            request,
            f"Saved as version {saved.number}. {other.full_name} has been told it changed: both "
            "of you sign this version.",
        )
    else:
        messages.success(
            request,
            f"Draft saved at {clock(saved.saved_at)} (version {saved.number}). Share it with "
            f"{other.full_name} when it is ready.",
        )
    return redirect("record", pk=record.pk)


def _with_another_row(record: Record, form: RecordForm, adding: str) -> HttpResponse:
    """Saved; back to the page with one more empty row of the kind asked for."""
    empty_cases = sum(1 for row in form.case_rows_shown() if row.is_empty)
    empty_actions = sum(1 for row in form.action_rows_shown() if row.is_empty)
    cases = empty_cases + (adding == "case")
    actions = empty_actions + (adding == "action")
    # The first empty row of the kind asked for, just after the saved ones.
    filled = len(form.case_row_of) if adding == "case" else len(form.action_row_of)
    anchor = f"{adding}-{filled}"
    url = reverse("record-write", args=[record.pk])
    return redirect(f"{url}?cases={cases}&actions={actions}#{anchor}")


def _conflict_page(
    request: PersonRequest,
    record: Record,
    items: list[AgendaItem],
    conflict: services.RecordConflict,
) -> HttpResponse:
    """Both versions side by side, and the form with what this person typed, now based on the
    latest version: saving again is a deliberate choice."""
    data = request.POST.copy()
    data["base_version"] = str(conflict.theirs.number)
    data["autosave"] = "off"
    record.version_number = conflict.theirs.number
    form = RecordForm(data, record=record, items=items)
    form.is_valid()
    services.record_read(
        record=record, by=request.person, parts=parts_read(Access(Level.FULL)), how="conflict"
    )
    return _write_page(
        request,
        record,
        form,
        conflict=conflict,
        comparison=_compare(record, items, conflict.theirs, conflict.mine),
    )


def _case_text(case: dict[str, Any], prompts: dict[str, str]) -> str:
    lines = [f"{case.get('case_reference', '')} {case.get('label', '')}".strip()]
    lines += [case.get("discussion", "")]
    lines += [f"{prompts.get(k, k)}: {t}" for k, t in case.get("reflection", {}).items() if t]
    if case.get("decision"):
        lines += [f"Decision: {case['decision']}", f"Rationale: {case.get('rationale', '')}"]
    return "\n".join(line for line in lines if line)


def _action_text(action: dict[str, Any], people: dict[int, Person]) -> str:
    owner = people.get(action.get("owner") or 0)
    due = parse_date(action.get("due_on"))
    parts = [
        action.get("text", ""),
        owner.full_name if owner else "",
        f"due {long_date(due)}" if due else "",
        f"case {action['case_reference']}" if action.get("case_reference") else "",
    ]
    return ", ".join(part for part in parts if part)


def _compare(
    record: Record, items: list[AgendaItem], theirs: RecordVersion, mine: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each part of the record as the latest version has it and as this person wrote it."""
    prompts = {p["key"]: p["label"] for p in record.layout.get("reflection", {}).get("prompts", [])}
    people = {record.supervisor_id: record.supervisor, record.supervisee_id: record.supervisee}
    rows: list[tuple[str, str, str]] = []
    for item in items:
        key = str(item.pk)
        rows.append(
            (
                f"Agenda: {item.title}",
                theirs.content.get("agenda", {}).get(key, ""),
                mine.get("agenda", {}).get(key, ""),
            )
        )
    for section in record.layout.get("sections", []):
        key = section["key"]
        if key == layouts.WELFARE:
            rows.append((section["heading"], theirs.welfare, mine.get("welfare", "")))
        else:
            rows.append(
                (
                    section["heading"],
                    theirs.content.get("sections", {}).get(key, ""),
                    mine.get("sections", {}).get(key, ""),
                )
            )
    for name, what, describe in (
        ("cases", "Case discussion", lambda c: _case_text(c, prompts)),
        ("actions", "Action", lambda a: _action_text(a, people)),
    ):
        their_rows = theirs.content.get(name, [])
        my_rows = mine.get(name, [])
        for index in range(max(len(their_rows), len(my_rows))):
            rows.append(
                (
                    f"{what} {index + 1}",
                    describe(their_rows[index]) if index < len(their_rows) else "",
                    describe(my_rows[index]) if index < len(my_rows) else "",
                )
            )
    return [
        {"part": part, "theirs": t, "mine": m, "differs": t.strip() != m.strip()}
        for part, t, m in rows
        if t or m
    ]


@require_POST
@person_required
def record_autosave(request: PersonRequest, pk: int) -> HttpResponse:
    """The writing page saves itself as the person types (htmx): a small answer, and the new
    version number for the page's next save. Someone else's save since stops it: the person
    presses Save draft and sees both versions."""
    record, access = record_or_404(request, pk)
    if not access.is_party:
        raise PermissionDenied
    person = request.person

    def answer(**context: Any) -> HttpResponse:
        return render(request, "records/_autosave.html", {"record": record, **context})

    if record.status != RecordStatus.DRAFT:
        return answer(
            stop="This record has been shared, so it is no longer saved as you type. "
            "Press Save changes to save what you wrote."
        )
    if request.POST.get("autosave") == "off":
        return answer(stop="Not saved automatically. Press Save draft to see both versions.")
    form = RecordForm(request.POST, record=record, items=agenda_items(record))
    if not form.is_valid():
        form.check_words()
        return answer(problems=len(form.errors))
    try:
        saved = _save(record, person, form)
    except services.RecordConflict as conflict:
        return answer(theirs=conflict.theirs)
    except ValidationError as error:
        return answer(problems=len(error.messages))
    return answer(saved=saved, saved_at=clock(saved.saved_at))
