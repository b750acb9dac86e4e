"""The practice-supervisor pathway, the pipeline, equality data and the workforce page
(pipeline, turnover beside supervision, who supervises the supervisors)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.downloads import csv_download
from tandem.core.forms import apply_service_errors
from tandem.core.services import audit_event_write
from tandem.development.frameworks import Rating
from tandem.development.models import Appraisal
from tandem.organisations.access import PersonRequest, person_required
from tandem.organisations.models import Person, Team, TeamKind
from tandem.oversight.periods import Period
from tandem.oversight.selectors.access import oversight_of, units_overseen
from tandem.oversight.selectors.balance import smallest_group
from tandem.oversight.selectors.figures import figures_by
from tandem.oversight.selectors.scope import Scope

from . import selectors, services
from .forms import (
    EqualityForm,
    ItemDoneForm,
    PathwayItemForm,
    PathwayStartForm,
    PipelineAddForm,
    PipelineStatusForm,
    PlanItemForm,
    SelfAssessmentForm,
)
from .frameworks import PS_KSS_HEADINGS, PS_KSS_VERSION
from .models import (
    EqualityProfile,
    Pathway,
    PathwayItem,
    PathwayPoint,
    PipelineEntry,
)
from .views import form_page


def _person_or_404(request: PersonRequest, pk: int, perm: str) -> Person:
    person = (
        Person.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("team")
        .first()
    )
    if person is None:
        raise Http404
    if not request.user.has_perm(perm, person):
        raise PermissionDenied
    return person


def _pathway_or_404(request: PersonRequest, pk: int, perm: str = "quality.view_pathway") -> Pathway:
    pathway = (
        Pathway.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("person", "person__team", "supporter")
        .first()
    )
    if pathway is None:
        raise Http404
    allowed = request.user.has_perm(perm, pathway.person) or (
        pathway.supporter_id == request.person.pk
    )
    if not allowed:
        raise PermissionDenied
    return pathway


@person_required
def pathway_of(request: PersonRequest, pk: int) -> HttpResponse:
    """A person's pathway, or the way to start one."""
    person = _person_or_404(request, pk, "quality.view_pathway")
    pathway = Pathway.objects.filter(person=person).order_by("-starts_on").first()
    if pathway is not None:
        return redirect("pathway", pathway.pk)
    if not request.user.has_perm("quality.start_pathway", person):
        return render(request, "quality/no_pathway.html", {"subject": person})
    return redirect("pathway-start", person.pk)


@person_required
def pathway_start(request: PersonRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk, "quality.start_pathway")
    form = PathwayStartForm(
        request.POST or None,
        organisation_id=person.organisation_id,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            pathway = services.pathway_start(
                person=person,
                starts_on=form.cleaned_data["starts_on"],
                supporter=form.cleaned_data["supporter"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} is on the practice supervisor pathway.")
            return redirect("pathway", pathway.pk)
    return form_page(
        request,
        form,
        heading="Start the practice supervisor pathway",
        caption=person.full_name,
        button="Start the pathway",
        back_url=reverse("person", args=[person.pk]),
        back_text=f"Back to {person.full_name}",
        intro="Their first 12 months in post: an induction plan, training in the supervision "
        "model, performance management and performance information, coaching or mentoring "
        "goals, peer supervision and action learning sets, a partnership portfolio, and "
        "self-assessments against the practice supervisor KSS at the start, 6 and 12 months.",
    )


@person_required
def pathway(request: PersonRequest, pk: int) -> HttpResponse:
    found = _pathway_or_404(request, pk)
    today = timezone.localdate()
    progress = selectors.pathway_progress(found, today)
    areas: dict[str, list[PathwayItem]] = {}
    for item in progress.items:
        areas.setdefault(item.get_area_display(), []).append(item)
    # Their own supervision since they started, as the oversight dashboards count it.
    period = Period.custom(
        found.starts_on, max(found.starts_on, today - datetime.timedelta(days=1))
    )
    mine = figures_by(
        Scope(found.organisation), period, today, by="person", people=[found.person_id]
    ).get(found.person_id)
    return render(
        request,
        "quality/pathway.html",
        {
            "pathway": found,
            "subject": found.person,
            "progress": progress,
            "areas": areas,
            "own_figures": mine,
            "may_change": request.user.has_perm("quality.change_pathway", found.person)
            or found.supporter_id == request.person.pk,
            "mine": found.person_id == request.person.pk,
            "today": today,
        },
    )


@person_required
def pathway_item_add(request: PersonRequest, pk: int) -> HttpResponse:
    found = _pathway_or_404(request, pk, "quality.change_pathway")
    form = PathwayItemForm(request.POST or None, initial={"area": request.GET.get("area", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pathway_item_add(
                pathway=found,
                by=request.person,
                area=data["area"],
                title=data["title"],
                detail=data["detail"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"“{data['title']}” added to the pathway.")
            return redirect("pathway", found.pk)
    return form_page(
        request,
        form,
        heading="Add to the pathway",
        caption=found.person.full_name,
        button="Add it",
        back_url=reverse("pathway", args=[found.pk]),
        back_text="Back to the pathway",
        intro="A coaching goal, a training course, a partnership responsibility, someone to meet.",
    )


@person_required
def pathway_item_done(request: PersonRequest, pk: int) -> HttpResponse:
    item = (
        PathwayItem.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("pathway")
        .first()
    )
    if item is None:
        raise Http404
    found = _pathway_or_404(request, item.pathway_id, "quality.change_pathway")
    form = ItemDoneForm(
        request.POST or None, initial={"done_on": timezone.localdate(), "note": item.detail}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pathway_item_done(
                item=item,
                by=request.person,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, f"“{item.title}” done.")
            return redirect("pathway", found.pk)
    return form_page(
        request,
        form,
        heading=item.title,
        caption=f"{found.person.full_name}, pathway",
        button="Mark it done",
        back_url=reverse("pathway", args=[found.pk]),
        back_text="Back to the pathway",
    )


@person_required
def pathway_assessment(request: PersonRequest, pk: int, point: str) -> HttpResponse:
    found = _pathway_or_404(request, pk)
    if point not in PathwayPoint.values:
        raise Http404
    done = found.assessments.filter(point=point).first()
    mine = found.person_id == request.person.pk
    today = timezone.localdate()
    form = (
        SelfAssessmentForm(request.POST or None, initial={"completed_on": today})
        if mine and not done
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.self_assessment_save(
                    pathway=found,
                    by=request.person,
                    point=point,
                    completed_on=form.cleaned_data["completed_on"],
                    ratings=form.ratings(),
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, "Self-assessment saved.")
                return redirect("pathway", found.pk)
    rows = []
    for number, heading in PS_KSS_HEADINGS:
        entry = (done.ratings if done else {}).get(str(number), {})
        rows.append(
            {
                "number": number,
                "heading": heading,
                "rating": dict(Rating.choices).get(entry.get("rating", ""), ""),
                "note": entry.get("note", ""),
                "rating_field": form[f"rating_{number}"] if form else None,
                "note_field": form[f"note_{number}"] if form else None,
            }
        )
    return render(
        request,
        "quality/pathway_assessment.html",
        {
            "pathway": found,
            "subject": found.person,
            "point": PathwayPoint(point),
            "point_on": services.point_date(found, point),
            "open": point in services.points_open(found, today),
            "done": done,
            "form": form,
            "rows": rows,
            "framework": PS_KSS_VERSION,
        },
        status=400 if form is not None and form.errors else 200,
    )


# The pipeline


def _pipeline_reader(request: PersonRequest) -> None:
    if not request.user.has_perm("quality.pipeline"):
        raise PermissionDenied


@person_required
def pipeline(request: PersonRequest) -> HttpResponse:
    _pipeline_reader(request)
    organisation = request.person.organisation
    entries = (
        PipelineEntry.objects.filter(organisation_id=organisation.pk)
        .select_related("person", "person__team", "identified_by")
        .prefetch_related("plan")
        .order_by("status", "-identified_on")
    )
    return render(
        request,
        "quality/pipeline.html",
        {
            "entries": list(entries[:300]),
            "counts": selectors.pipeline_counts(organisation, timezone.localdate()),
        },
    )


@person_required
def pipeline_add(request: PersonRequest, pk: int) -> HttpResponse:
    person = _person_or_404(request, pk, "quality.change_pipeline_entry")
    appraisal = None
    try:
        appraisal_pk = int(request.GET.get("appraisal") or request.POST.get("appraisal") or 0)
    except ValueError:
        appraisal_pk = 0
    if appraisal_pk:
        appraisal = Appraisal.objects.filter(
            organisation_id=person.organisation_id, pk=appraisal_pk, person=person
        ).first()
    form = PipelineAddForm(request.POST or None, initial={"identified_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.pipeline_add(
                person=person,
                by=request.person,
                identified_on=data["identified_on"],
                strengths=data["strengths"],
                best_placed=data["best_placed"],
                appraisal=appraisal,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, f"{person.full_name} is in the pipeline of potential practice supervisors."
            )
            return redirect("pipeline-entry", entry.pk)
    return form_page(
        request,
        form,
        heading="Identify a potential practice supervisor",
        caption=person.full_name,
        button="Add to the pipeline",
        back_url=reverse("appraisal", args=[appraisal.pk])
        if appraisal
        else reverse("person", args=[person.pk]),
        back_text="Back",
        intro="From appraisal or performance management: their strengths and where they may be "
        "best placed. Then a plan: training, mentoring, shadowing, acting up.",
        appraisal=appraisal,
    )


def _entry_or_404(
    request: PersonRequest, pk: int, perm: str = "quality.view_pipeline_entry"
) -> PipelineEntry:
    entry = (
        PipelineEntry.objects.filter(organisation_id=request.person.organisation_id, pk=pk)
        .select_related("person", "person__team", "identified_by", "appraisal")
        .first()
    )
    if entry is None:
        raise Http404
    if not request.user.has_perm(perm, entry.person):
        raise PermissionDenied
    return entry


@person_required
def pipeline_entry(request: PersonRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk)
    may_change = request.user.has_perm("quality.change_pipeline_entry", entry.person)
    return render(
        request,
        "quality/pipeline_entry.html",
        {
            "entry": entry,
            "plan": list(entry.plan.all()),
            "may_change": may_change,
            "status_form": PipelineStatusForm(
                initial={"status": entry.status, "on": timezone.localdate()}
            )
            if may_change
            else None,
        },
    )


@person_required
def pipeline_plan_add(request: PersonRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk, "quality.change_pipeline_entry")
    form = PlanItemForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pipeline_plan_add(
                entry=entry,
                by=request.person,
                kind=data["kind"],
                description=data["description"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Added to the plan.")
            return redirect("pipeline-entry", entry.pk)
    return form_page(
        request,
        form,
        heading="Add to the plan",
        caption=f"{entry.person.full_name}, pipeline",
        button="Add it",
        back_url=reverse("pipeline-entry", args=[entry.pk]),
        back_text="Back to the plan",
    )


@require_POST
@person_required
def pipeline_status(request: PersonRequest, pk: int) -> HttpResponse:
    entry = _entry_or_404(request, pk, "quality.change_pipeline_entry")
    form = PipelineStatusForm(request.POST)
    if form.is_valid():
        try:
            services.pipeline_status_set(
                entry=entry,
                by=request.person,
                status=form.cleaned_data["status"],
                on=form.cleaned_data["on"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("pipeline-entry", entry.pk)
    return render(
        request,
        "quality/pipeline_entry.html",
        {"entry": entry, "plan": list(entry.plan.all()), "may_change": True, "status_form": form},
        status=400,
    )


# Equality data


@person_required
def my_equality(request: PersonRequest) -> HttpResponse:
    person = request.person
    profile = EqualityProfile.objects.filter(person=person).first()
    initial = (
        {k: getattr(profile, k) for k in ("ethnic_group", "sex", "disability")} if profile else None
    )
    form = EqualityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.equality_declare(person=person, by=person, values=form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, "Thank you. Your answers are saved.")
            return redirect("my-equality")
    return form_page(
        request,
        form,
        heading="Your equality information",
        button="Save my answers",
        back_url=reverse("quality"),
        back_text="Back to quality and pathway",
        intro="Every question is optional, and “prefer not to say” is always an answer. Only HR "
        "can read what you declare. Everyone else sees only figures for groups of 5 people or "
        "more, used to check that progression and coaching are offered fairly. It is never in "
        "the API or in exports about a person.",
    )


@person_required
def equality_data(request: PersonRequest) -> HttpResponse:
    if not request.user.has_perm("quality.read_equality_data"):
        raise PermissionDenied
    profiles = list(selectors.equality_profiles(request.person.organisation)[:1000])
    audit_event_write(
        organisation=request.person.organisation,
        actor=request.user,
        action="quality.equality_data_read",
        detail={"profiles": len(profiles)},
    )
    return render(request, "quality/equality_data.html", {"profiles": profiles})


@person_required
def equality_figures(request: PersonRequest) -> HttpResponse:
    if not request.user.has_perm("quality.equality_figures"):
        raise PermissionDenied
    figures = selectors.equality_figures(request.person.organisation, timezone.localdate())
    smallest = smallest_group(request.person.organisation)
    if request.GET.get("format") == "csv":
        return csv_download(
            "equality-figures",
            [
                "Characteristic",
                "Group",
                "Staff",
                "In the pipeline",
                "Appointed",
                "Offered coaching or mentoring",
            ],
            (
                [
                    name,
                    row.label,
                    *[
                        f"fewer than {smallest}" if row.suppressed else v
                        for v in (row.staff, row.in_pipeline, row.appointed, row.coached)
                    ],
                ]
                for name, rows in figures.items()
                for row in rows
            ),
        )
    return render(
        request,
        "quality/equality_figures.html",
        {"figures": figures, "smallest": smallest},
    )


# The workforce: pipeline, turnover beside supervision, and who supervises the supervisors


@person_required
def workforce(request: PersonRequest) -> HttpResponse:
    person = request.person
    access = oversight_of(person)
    may_all = request.user.has_perm("quality.pipeline")
    if access is None and not may_all:
        raise PermissionDenied
    organisation = person.organisation
    today = timezone.localdate()
    if may_all or (access and access.whole_organisation):
        teams = list(
            Team.objects.for_organisation(organisation)
            .filter(kind=TeamKind.TEAM)
            .order_by("name")[:200]
        )
        scope = Scope(organisation)
    else:
        teams = list(units_overseen(access).filter(kind=TeamKind.TEAM).order_by("name")[:200])
        scope = (
            Scope(organisation, unit=access.units[0])
            if access and access.units
            else Scope(organisation)
        )
    period = Period.custom(today - datetime.timedelta(days=365), today - datetime.timedelta(days=1))
    turnover = selectors.turnover_by_team(organisation, teams, today)
    supervisors = selectors.supervisors_supervision(scope, period, today)
    if request.GET.get("format") == "csv":
        return csv_download(
            "turnover-and-supervision",
            [
                "Team",
                "In post",
                "Left in 12 months",
                "Turnover %",
                "Sessions required",
                "Sessions required that were held",
                "Held %",
            ],
            (
                [
                    t.team.name,
                    t.headcount,
                    t.leavers,
                    t.turnover_percent if t.turnover_percent is not None else "",
                    t.required,
                    t.met,
                    t.supervised_percent if t.supervised_percent is not None else "",
                ]
                for t in turnover
            ),
        )
    if request.GET.get("format") == "supervisors-csv":
        return csv_download(
            "who-supervises-the-supervisors",
            [
                "Supervisor",
                "Team",
                "Own sessions required",
                "Own sessions held",
                "Supervisees",
                "Their sessions required",
                "Their sessions held",
            ],
            (
                [
                    r.supervisor.full_name,
                    r.supervisor.team.name if r.supervisor.team else "",
                    r.own_required,
                    r.own_met,
                    r.supervisees,
                    r.their_required,
                    r.their_met,
                ]
                for r in supervisors
            ),
        )
    return render(
        request,
        "quality/workforce.html",
        {
            "counts": selectors.pipeline_counts(organisation, today) if may_all else None,
            "turnover": turnover,
            "supervisors": supervisors,
            "may_equality": request.user.has_perm("quality.equality_figures"),
            "period": period,
        },
    )
