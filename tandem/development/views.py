"""A person's development page, and their CPD: log it (from a supervision record too), change
it, remove it, list it by registration year and export it as Social Work England's account asks
for it. Thin: find the person (``access``), call a selector or a service, render; a service's
refusal lands on the field it is about and nothing typed is lost."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.downloads import csv_download
from tandem.core.forms import apply_service_errors
from tandem.core.pagination import page_links, paginate
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person
from tandem.records.models import GroupRecord, Record
from tandem.records.selectors import group_record_role, record_access

from . import schemes, selectors, services
from .access import CHANGE, allowed, owned_or_404, subject_or_404
from .forms import CpdForm
from .models import Appraisal, CpdKind, CpdRecord, ObjectiveStatus
from .schemes import Scheme

RECENT_CPD = 10


@person_required
def my_development(request: PersonRequest) -> HttpResponse:
    """The menu's way to my own development page."""
    return redirect("development", request.person.pk)


def show_in_navigation(request: Any) -> bool:
    return getattr(request, "person", None) is not None


def show_settings_in_navigation(request: Any) -> bool:
    return bool(request.user.has_perm("development.manage_rules"))


@person_required
def development(request: PersonRequest, pk: int) -> HttpResponse:
    subject = subject_or_404(request, pk)
    today = timezone.localdate()
    plan = list(selectors.objectives(person=subject).order_by("status", "target_on", "id")[:50])
    return render(
        request,
        "development/development.html",
        {
            "subject": subject,
            "mine": subject.pk == request.person.pk,
            "allowed": allowed(request, subject),
            "today": today,
            "cpd": list(selectors.cpd_records(person=subject)[:RECENT_CPD]),
            "open_objectives": [o for o in plan if o.status == ObjectiveStatus.OPEN],
            "closed_objectives": [o for o in plan if o.status != ObjectiveStatus.OPEN],
            "appraisals": list(
                Appraisal.objects.filter(person=subject).select_related("appraiser")[:10]
            ),
            **selectors.positions(subject, today),
        },
    )


# CPD


def _source(request: PersonRequest, subject: Person) -> tuple[Record | None, str]:
    """The supervision record (and case) a new CPD record starts from, if the reader may read
    it in full and it is the subject's own supervision."""
    try:
        record_pk = int(request.GET.get("record") or request.POST.get("record") or 0)
    except ValueError:
        return None, ""
    if not record_pk:
        return None, ""
    record = (
        Record.objects.filter(organisation_id=subject.organisation_id, pk=record_pk)
        .select_related("supervisor", "supervisee")
        .first()
    )
    if record is None or subject.pk not in (record.supervisee_id, record.supervisor_id):
        return None, ""
    if not record_access(request.person, record).reads_sections:
        return None, ""
    case = (request.GET.get("case") or request.POST.get("case") or "")[:40]
    if case and not record.case_discussions.filter(case_reference=case).exists():
        case = ""
    return record, case


def _group_source(request: PersonRequest, subject: Person) -> GroupRecord | None:
    """The shared group record a new CPD record starts from: of a group the subject led or was
    present in, which the reader may read."""
    try:
        pk = int(request.GET.get("group") or request.POST.get("group") or 0)
    except ValueError:
        return None
    if not pk:
        return None
    group = (
        GroupRecord.objects.filter(organisation_id=subject.organisation_id, pk=pk)
        .select_related("session", "supervisor")
        .first()
    )
    if group is None or not services.group_cpd_allowed(group, subject):
        return None
    if group_record_role(request.person, group) is None:
        return None
    return group


def _initial_from_group(group: GroupRecord) -> dict[str, Any]:
    name = group.session.title or "Group supervision"
    return {
        "kind": CpdKind.GROUP_SUPERVISION,
        "title": name,
        "done_on": group.held_on,
        "peer_reflection": True,
        "peer_with": f"{name}, group supervision led by {group.supervisor.full_name}",
        "peer_on": group.held_on,
    }


def _all_problems(form: CpdForm, subject: Person) -> None:
    """A form refused for its shape shows the services' other problems too, so that one try
    shows everything to fix."""
    fields = {key: form.cleaned_data.get(key) for key in services.CPD_FIELDS}
    for key, problem in services.cpd_problems(subject, fields).items():
        if key in form.fields and key not in form.errors:
            form.add_error(key, problem)


def _initial_from(record: Record, subject: Person, case: str) -> dict[str, Any]:
    other = record.supervisor if record.supervisee_id == subject.pk else record.supervisee
    title = f"Supervision with {other.full_name}"
    if case:
        title = f"Case discussion {case} in supervision"
    return {
        "kind": CpdKind.SUPERVISION,
        "title": title,
        "done_on": record.held_on,
        "peer_reflection": True,
        "peer_with": f"{other.full_name}, in supervision",
        "peer_on": record.held_on,
    }


@person_required
def cpd_add(request: PersonRequest, pk: int) -> HttpResponse:
    subject = subject_or_404(request, pk, CHANGE)
    record, case = _source(request, subject)
    group = None if record else _group_source(request, subject)
    if request.method == "POST":
        form = CpdForm(request.POST)
        if form.is_valid():
            try:
                cpd = services.cpd_record_add(
                    person=subject,
                    by=request.person,
                    fields=form.cleaned_data,
                    source_record=record,
                    source_case_reference=case,
                    source_group_record=group,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, f"CPD “{cpd.title}” logged.")
                return redirect("cpd", cpd.pk)
        else:
            _all_problems(form, subject)
    else:
        initial = _initial_from(record, subject, case) if record else None
        form = CpdForm(initial=_initial_from_group(group) if group else initial)
    return render(
        request,
        "development/cpd_form.html",
        {
            "form": form,
            "subject": subject,
            "record": record,
            "case": case,
            "group": group,
            "cpd": None,
        },
    )


@person_required
def cpd_detail(request: PersonRequest, pk: int) -> HttpResponse:
    cpd = owned_or_404(request, CpdRecord.objects.select_related("person", "source_record"), pk)
    source_readable = bool(
        cpd.source_record and record_access(request.person, cpd.source_record).can_read
    )
    return render(
        request,
        "development/cpd_detail.html",
        {
            "cpd": cpd,
            "subject": cpd.person,
            "allowed": allowed(request, cpd.person),
            "source_readable": source_readable,
        },
    )


@person_required
def cpd_edit(request: PersonRequest, pk: int) -> HttpResponse:
    cpd = owned_or_404(request, CpdRecord.objects.select_related("person"), pk, CHANGE)
    if request.method == "POST":
        form = CpdForm(request.POST)
        if form.is_valid():
            try:
                services.cpd_record_change(cpd=cpd, by=request.person, fields=form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "CPD record saved.")
                return redirect("cpd", cpd.pk)
        else:
            _all_problems(form, cpd.person)
    else:
        form = CpdForm(initial={key: getattr(cpd, key) for key in services.CPD_FIELDS})
    return render(
        request,
        "development/cpd_form.html",
        {"form": form, "subject": cpd.person, "record": cpd.source_record, "cpd": cpd},
    )


@require_POST
@person_required
def cpd_remove(request: PersonRequest, pk: int) -> HttpResponse:
    cpd = owned_or_404(request, CpdRecord.objects.select_related("person"), pk, CHANGE)
    person_pk, title = cpd.person_id, cpd.title
    services.cpd_record_remove(cpd=cpd, by=request.person)
    messages.success(request, f"CPD “{title}” removed.")
    return redirect("cpd-list", person_pk)


def _year_asked(request: PersonRequest, rules: dict[str, int]) -> schemes.Period:
    """The registration year asked for (``?year=2026`` is the year that starts in 2026), else
    the current one."""
    today = timezone.localdate()
    current = schemes.registration_year(today, starts_month=rules["year_starts_month"])
    try:
        start_year = int(request.GET.get("year", ""))
    except ValueError:
        return current
    if not 2000 <= start_year <= today.year + 1:
        return current
    return schemes.registration_year(
        datetime.date(start_year, rules["year_starts_month"], 1),
        starts_month=rules["year_starts_month"],
    )


@person_required
def cpd_list(request: PersonRequest, pk: int) -> HttpResponse:
    subject = subject_or_404(request, pk)
    rules = selectors.rules_of(subject.organisation_id, Scheme.SWE_CPD)
    year = _year_asked(request, rules)
    found = selectors.cpd_records(person=subject).filter(
        done_on__gte=year.starts_on, done_on__lte=year.ends_on
    )
    page = paginate(request, found)
    today = timezone.localdate()
    current = schemes.registration_year(today, starts_month=rules["year_starts_month"])
    years = [
        schemes.registration_year(
            datetime.date(current.starts_on.year - n, rules["year_starts_month"], 1),
            starts_month=rules["year_starts_month"],
        )
        for n in range(4)
    ]
    return render(
        request,
        "development/cpd_list.html",
        {
            "subject": subject,
            "allowed": allowed(request, subject),
            "year": year,
            "years": years,
            "page": page,
            "links": page_links(request, page),
            "cpd": page.object_list,
            "position": selectors.swe_position(subject, min(today, year.ends_on), rules=rules),
        },
    )


# The columns of Social Work England's CPD record, in its order.
EXPORT_COLUMNS = [
    "Title",
    "Date",
    "Type of CPD",
    "Description",
    "What I learnt",
    "Impact on my practice",
    "Peer reflection",
    "Who I reflected with",
    "Date of the reflection",
    "Hours",
    "From supervision on",
]


def cpd_rows(records: list[CpdRecord]) -> Iterator[list[Any]]:
    for r in records:
        yield [
            r.title,
            r.done_on,
            r.get_kind_display(),
            r.description,
            r.learnt,
            r.impact,
            "Yes" if r.counts_as_peer_reflection else "No",
            r.peer_with,
            r.peer_on,
            r.hours,
            r.source_record.held_on if r.source_record else None,
        ]


@person_required
def cpd_export(request: PersonRequest, pk: int) -> HttpResponse:
    """The year's CPD as a CSV file with Social Work England's headings, to copy from into the
    online account; the export is audited."""
    subject = subject_or_404(request, pk)
    rules = selectors.rules_of(subject.organisation_id, Scheme.SWE_CPD)
    year = _year_asked(request, rules)
    records = list(
        selectors.cpd_records(person=subject)
        .filter(done_on__gte=year.starts_on, done_on__lte=year.ends_on)
        .order_by("done_on", "id")
    )
    services.cpd_exported(person=subject, by=request.person, year=year, count=len(records))
    name = f"cpd-{subject.last_name.lower()}-{year.starts_on.year}-{year.ends_on.year}"
    return csv_download(name, EXPORT_COLUMNS, cpd_rows(records))
