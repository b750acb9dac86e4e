"""Pages about people and teams. Thin: read the request, call a selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.dates import long_date
from tandem.core.forms import apply_service_errors
from tandem.core.pagination import page_links, paginate
from tandem.core.services import notices_take

from . import imports, invitations, selectors, services, setup
from .access import PersonRequest, get_scoped_or_404, permission_required, person_required
from .forms import (
    ChangeSupervisorForm,
    PeopleSearchForm,
    RolesForm,
    StaffImportForm,
    TeamSearchForm,
)
from .models import Person, Role, StaffCategory, Team
from .tasks import send_invitations

# Panels that higher apps add to My supervision in their AppConfig.ready(): each is a function
# of (request, person) returning a context with a "template" to include, or None to show nothing.
HOME_PANELS: list[Callable[[PersonRequest, Person], dict[str, Any] | None]] = []
# The same for a person's page: functions of (request, the person shown).
PERSON_PANELS: list[Callable[[PersonRequest, Person], dict[str, Any] | None]] = []


@person_required
def home(request: PersonRequest) -> HttpResponse:
    """My supervision: who supervises me, whom I supervise, and whom I escalate to."""
    person = request.person
    progress = None
    if request.user.has_perm("organisations.change_settings", person.organisation):
        done, needed = setup.setup_progress(person.organisation)
        progress = (done, needed) if done < needed else None
    return render(
        request,
        "organisations/home.html",
        {
            "setup_progress": progress,
            "person": person,
            "supervisors": selectors.relationships_of_supervisee(person=person),
            "supervisees": selectors.relationships_of_supervisor(person=person),
            "chain": selectors.person_escalation_chain(person=person),
            "managed_teams": selectors.teams_managed_by(person=person),
            "can_list_people": request.user.has_perm("organisations.list_people"),
            "panels": [panel for panel in (make(request, person) for make in HOME_PANELS) if panel],
            "notices": notices_take(user=request.user),
        },
    )


@permission_required("organisations.list_people")
def people(request: PersonRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET or None)
    search = category = signed_in = ""
    if form.is_valid():
        search, category = form.cleaned_data["q"], form.cleaned_data["category"]
        signed_in = form.cleaned_data["signed_in"]
    page = paginate(
        request,
        selectors.person_list(
            organisation=request.person.organisation,
            search=search,
            staff_category=category,
            never_signed_in=signed_in == "never",
        ),
    )
    context = {"form": form, "page": page, "links": page_links(request, page), "search": search}
    return render(request, "organisations/people.html", context)


@person_required
def person_detail(request: PersonRequest, pk: int) -> HttpResponse:
    person = get_scoped_or_404(
        request,
        Person.objects.select_related("team", "user"),
        "organisations.view_person",
        pk=pk,
    )
    return render(
        request,
        "organisations/person_detail.html",
        {
            "subject": person,
            "supervisors": selectors.relationships_of_supervisee(person=person),
            "supervisees": selectors.relationships_of_supervisor(person=person),
            "history": selectors.relationship_history(person=person)[:50],
            "chain": selectors.person_escalation_chain(person=person),
            "can_change_supervisor": request.user.has_perm(
                "organisations.change_supervisor", person
            ),
            "role_labels": role_labels(person.granted_roles),
            "can_change_roles": request.user.has_perm("organisations.change_roles", person),
            "sign_in": invitations.invitation_state(person)
            if request.user.has_perm("organisations.invite_person", person)
            else None,
            "panels": [
                panel for panel in (make(request, person) for make in PERSON_PANELS) if panel
            ],
        },
    )


def role_labels(roles: frozenset[str] | set[str]) -> list[str]:
    """Role labels in the order of Role, for people to read."""
    return [label for value, label in Role.choices if value in roles]


@person_required
def change_supervisor(request: PersonRequest, pk: int) -> HttpResponse:
    supervisee = get_scoped_or_404(
        request, Person.objects.all(), "organisations.change_supervisor", pk=pk
    )
    form = ChangeSupervisorForm(request.POST or None, supervisee=supervisee)
    search = _supervisor_search(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            relationship = services.relationship_start(
                supervisee=supervisee,
                supervisor=form.cleaned_data["supervisor"],
                kind=form.cleaned_data["kind"],
                starts_on=form.cleaned_data["starts_on"],
                by=request.person,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{relationship.supervisor} supervises {supervisee} from "
                f"{long_date(relationship.starts_on)}.",
            )
            return redirect("person", pk=supervisee.pk)
    return render(
        request,
        "organisations/change_supervisor.html",
        {"subject": supervisee, "form": form, "search": search},
    )


# Above this many people, choosing the new supervisor starts with a search, not a list.
SUPERVISOR_SELECT_LIMIT = 200
SUPERVISOR_SEARCH_RESULTS = 30


def _supervisor_search(request: PersonRequest, form: ChangeSupervisorForm) -> dict[str, Any] | None:
    """For a large organisation, the people matching a search (by name, email, staff number or
    job title) to choose from, instead of a list of everyone. None for a small one."""
    field = form.fields["supervisor"]
    candidates = field.queryset  # type: ignore[attr-defined]
    if candidates.count() <= SUPERVISOR_SELECT_LIMIT:
        return None
    q = (request.POST.get("q") or request.GET.get("q") or "").strip()[:200]
    matches: list[Person] = []
    if q:
        found = selectors.person_list(organisation=form.supervisee.organisation, search=q)
        matches = list(found.filter(pk__in=candidates.values("pk"))[:SUPERVISOR_SEARCH_RESULTS])
    chosen = request.POST.get("supervisor", "")
    if chosen.isdigit() and all(str(p.pk) != chosen for p in matches):
        matches += list(candidates.filter(pk=chosen).select_related("team"))
    return {"q": q, "matches": matches, "chosen": chosen}


@person_required
def person_roles(request: PersonRequest, pk: int) -> HttpResponse:
    """Give or take away a person's explicit roles: admin, HR, senior leader."""
    person = get_scoped_or_404(request, Person.objects.all(), "organisations.change_roles", pk=pk)
    # Bound on every POST: with no box checked a browser sends no "roles" at all.
    form = RolesForm(
        request.POST if request.method == "POST" else None,
        initial={"roles": sorted(person.granted_roles)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.roles_set(
                person=person, roles=set(form.cleaned_data["roles"]), by=request.person
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            saved = ", ".join(role_labels(person.granted_roles)) or "none"
            messages.success(request, f"Roles for {person.full_name} saved: {saved}.")
            return redirect("person", pk=person.pk)
    return render(request, "organisations/person_roles.html", {"subject": person, "form": form})


@permission_required("organisations.list_teams")
def teams(request: PersonRequest) -> HttpResponse:
    form = TeamSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(
        request,
        selectors.team_list(organisation=request.person.organisation, search=search),
    )
    context = {"form": form, "page": page, "links": page_links(request, page), "search": search}
    return render(request, "organisations/teams.html", context)


@person_required
def team_detail(request: PersonRequest, pk: int) -> HttpResponse:
    team = get_scoped_or_404(
        request,
        Team.objects.select_related("manager", "parent"),
        "organisations.view_team",
        pk=pk,
    )
    page = paginate(request, selectors.team_members(team=team))
    return render(
        request,
        "organisations/team_detail.html",
        {
            "team": team,
            "children": team.children.select_related("manager").order_by("name"),
            "can_open_members": request.user.has_perm("organisations.open_team_members", team),
            "page": page,
            "links": page_links(request, page),
        },
    )


# Show at most this many row errors; the rest are counted.
IMPORT_ERRORS_SHOWN = 200


@permission_required("organisations.import_staff")
def staff_import(request: PersonRequest) -> HttpResponse:
    """Upload HR's staff list. Every row is checked first; nothing is saved if any is wrong."""
    form = StaffImportForm(request.POST or None, request.FILES or None)
    errors: list[imports.RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_table(upload.name, upload.read())
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            result = imports.staff_import(
                organisation=request.person.organisation,
                rows=rows,
                by=request.person,
            )
            if result.ok:
                invited = ""
                if form.cleaned_data["invite"] and result.new_people:
                    send_invitations.enqueue(
                        request.person.organisation_id, result.new_people, request.person.pk
                    )
                    invited = (
                        f" Invitations are being emailed to the {len(result.new_people)} "
                        f"{'person' if len(result.new_people) == 1 else 'people'} added."
                    )
                messages.success(request, f"Staff list imported. {result.summary()}{invited}")
                return redirect("people")
            errors = result.errors
    return render(
        request,
        "organisations/staff_import.html",
        {
            "form": form,
            "row_errors": errors[:IMPORT_ERRORS_SHOWN],
            "row_error_count": len(errors),
            "columns": imports.COLUMNS,
            "required": imports.REQUIRED,
            "categories": StaffCategory.choices,
        },
    )


@permission_required("organisations.import_staff")
def staff_import_template(request: PersonRequest) -> HttpResponse:
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tandem-staff-import.csv"'
    return response


@require_POST
@person_required
def person_invite(request: PersonRequest, pk: int) -> HttpResponse:
    """Send someone their invitation to set a password, or send it again."""
    person = get_scoped_or_404(
        request,
        Person.objects.select_related("user", "organisation"),
        "organisations.invite_person",
        pk=pk,
    )
    try:
        invitation = invitations.invitation_send(person=person, by=request.person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Invitation sent to {person.full_name} at {person.user.email}. The link works "
            f"once, until {long_date(invitation.expires_at)}.",
        )
    return redirect("person", pk=person.pk)
