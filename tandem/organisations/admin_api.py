"""API operations for running an organisation: its settings, the set-up checklist, the audit
trail and invitations, with the same permission rules as the pages."""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.pagination import ApiPages

from . import audit_trail, invitations, setup
from . import settings as org_settings
from .access import PersonRequest, get_scoped_or_404
from .api import ERRORS
from .models import Nation, Person, PolicyClock, ReflectionModel, Sector

router = Router(tags=["administration"])


class SettingsOut(Schema):
    name: str
    nation: Nation
    sector: Sector
    record_deadline_working_days: int
    agreement_review_months: int
    policy_clock: PolicyClock
    reflection_model: ReflectionModel
    compliance_from: datetime.date | None
    smallest_group: int
    inspector_access_days: int


class SettingsIn(Schema):
    """Only the settings to change; the rest stay as they are."""

    name: str | None = Field(None, max_length=200)
    nation: Nation | None = None
    sector: Sector | None = None
    record_deadline_working_days: int | None = None
    agreement_review_months: int | None = None
    policy_clock: PolicyClock | None = None
    reflection_model: ReflectionModel | None = None
    compliance_from: datetime.date | None = None
    smallest_group: int | None = None
    inspector_access_days: int | None = None


class StepOut(Schema):
    title: str
    done: bool
    optional: bool
    status: str
    href: str


class SetupOut(Schema):
    done: int
    steps_needed: int
    steps: list[StepOut]


class AuditEventOut(Schema):
    at: datetime.datetime
    who: str
    action: str
    object_type: str
    object_id: str
    summary: str
    detail: dict[str, Any]

    @staticmethod
    def resolve_who(event: Any) -> str:
        return audit_trail.actor_name(event)


class AuditFilter(Schema):
    who: str = Field("", max_length=200)
    action: str = Field("", max_length=80)
    object_type: str = Field("", max_length=80)
    about: str = Field("", max_length=200)
    since: datetime.date | None = None
    until: datetime.date | None = None


class InvitationOut(Schema):
    person_id: int
    sent_at: datetime.datetime
    expires_at: datetime.datetime


def _settings(organisation: Any) -> dict[str, Any]:
    return {key: getattr(organisation, key) for key, _label in org_settings.SETTINGS}


@router.get(
    "/organisation/settings",
    response={200: SettingsOut, **ERRORS},
    summary="The organisation's settings (admins, HR and senior leaders)",
)
def settings_read(request: PersonRequest) -> Any:
    organisation = request.person.organisation
    if not request.user.has_perm("organisations.view_settings", organisation):
        raise PermissionDenied
    return _settings(organisation)


@router.patch(
    "/organisation/settings",
    response={200: SettingsOut, **ERRORS},
    summary="Change some of the organisation's settings (admins); each change is audited",
)
def settings_update(request: PersonRequest, payload: SettingsIn) -> Any:
    organisation = request.person.organisation
    if not request.user.has_perm("organisations.change_settings", organisation):
        raise PermissionDenied
    values = {**_settings(organisation), **payload.dict(exclude_unset=True)}
    org_settings.settings_change(organisation=organisation, by=request.person, values=values)
    organisation.refresh_from_db()
    return _settings(organisation)


@router.get(
    "/organisation/setup",
    response={200: SetupOut, **ERRORS},
    summary="The set-up checklist: each step and whether it is done (admins)",
)
def setup_read(request: PersonRequest) -> Any:
    organisation = request.person.organisation
    if not request.user.has_perm("organisations.change_settings", organisation):
        raise PermissionDenied
    done, needed = setup.setup_progress(organisation)
    return {"done": done, "steps_needed": needed, "steps": setup.setup_steps(organisation)}


@router.get(
    "/audit-events",
    response={200: list[AuditEventOut], **ERRORS},
    summary="The organisation's audit trail, newest first (admins); read-only",
)
@paginate(ApiPages)
def audit_events(request: PersonRequest, filters: Query[AuditFilter]) -> Any:
    organisation = request.person.organisation
    if not request.user.has_perm("organisations.view_audit", organisation):
        raise PermissionDenied
    return audit_trail.audit_search(organisation, audit_trail.Search(**filters.dict()))


@router.post(
    "/people/{person_id}/invitation",
    response={201: InvitationOut, **ERRORS},
    summary="Email a person an invitation to set their password; an earlier one stops working",
)
def invitation_send(request: PersonRequest, person_id: int) -> Any:
    person = get_scoped_or_404(
        request,
        Person.objects.select_related("user", "organisation"),
        "organisations.invite_person",
        pk=person_id,
    )
    invitation = invitations.invitation_send(person=person, by=request.person)
    return Status(
        201,
        {
            "person_id": person.pk,
            "sent_at": invitation.sent_at,
            "expires_at": invitation.expires_at,
        },
    )
