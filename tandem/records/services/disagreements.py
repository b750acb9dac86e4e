"""Disagreements beside a record, routed up the escalation chain by the source contract's rules,
and their resolution."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.services import audit_event_write
from tandem.organisations.models import Person, Role, Sector, SupervisionKind, TeamKind
from tandem.organisations.selectors import (
    CHAIN_LABELS,
    SCHOOL_CHAIN_LABELS,
    ChainLink,
    relationships_of_supervisee,
    team_with_ancestors,
)

from ..models import (
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    Record,
    RecordStatus,
    SignatureRole,
)
from ._common import (
    ABOUT_MAX,
    DISAGREEMENT_MAX,
    _lock,
    _other_party,
    _raise,
    _refuse_unless,
    _require_party,
    _tell,
    _text,
    _url,
    _user,
)


@dataclass(frozen=True)
class Route:
    """Where a disagreement goes: the person, in what capacity, and why."""

    person: Person | None
    role: str
    reason: str


UNIT_ROLES = {
    TeamKind.TEAM: "team_manager",
    TeamKind.SERVICE: "head_of_service",
    TeamKind.DIRECTORATE: "assistant_director",
}


def supervisor_managers(supervisor: Person) -> list[ChainLink]:
    """The supervisor's managers, nearest first: their line manager (a current line-management
    supervision; a professional or clinical supervisor manages nobody, so is not one), then the
    managers of their team and of the units above it. Each is named by the unit they lead above
    the supervisor when they lead one ("Head of service", or a school's "Senior leader"), so a
    head of service who is also the line manager is routed to as head of service. Two queries.
    """
    line = relationships_of_supervisee(person=supervisor).filter(kind=SupervisionKind.LINE).first()
    unit = team_with_ancestors(supervisor.team_id)
    school = unit is not None and unit.organisation.sector == Sector.SCHOOL
    labels = SCHOOL_CHAIN_LABELS if school else CHAIN_LABELS
    units: dict[int, ChainLink] = {}
    while unit is not None:
        if unit.manager is not None and unit.manager.pk not in units:
            units[unit.manager.pk] = ChainLink(
                UNIT_ROLES[TeamKind(unit.kind)], labels[unit.kind], unit.manager
            )
        unit = unit.parent
    managers: list[ChainLink] = []
    if line is not None:
        managers.append(
            units.get(line.supervisor_id)
            or ChainLink("line_manager", "Line manager", line.supervisor)
        )
    seen = {supervisor.pk, *(link.person.pk for link in managers)}
    managers += [link for pk, link in units.items() if pk not in seen]
    return managers


def _first_above(chain: list[ChainLink], exclude: set[int]) -> ChainLink | None:
    return next((link for link in chain if link.person.pk not in exclude), None)


def disagreement_route(*, record: Record, kind: str) -> Route:
    """Where a disagreement on this record goes, by the source contract's rules.

    Either party may refer a disagreement about work, performance or service delivery to the
    relevant senior manager: the supervisor's own manager, the first of ``supervisor_managers``
    who is not one of the two (their line manager, then the managers of the units above them;
    never a professional or clinical supervisor, who manages nobody). So a social worker's
    disagreement with their practice supervisor goes to the team manager; with their team
    manager, to the head of service; a team manager's with another team manager who supervises
    them, to the head of service; a team manager's with their head of service, to the assistant
    director. A supervisee's concern about the supervisor's practice goes to the supervisor's
    manager the same way. Without anyone above the supervisor (the top of the organisation), it
    goes to the senior leaders.
    """
    parties = {record.supervisor_id, record.supervisee_id}
    link = _first_above(supervisor_managers(record.supervisor), parties)
    concern = kind == DisagreementKind.PRACTICE
    if link is not None:
        what = "a concern about the supervisor's practice" if concern else "a disagreement"
        return Route(
            link.person,
            link.label,
            f"{what.capitalize()} goes to the supervisor's manager: {record.supervisor.full_name}"
            f"'s {link.label.lower()}.",
        )
    leader = (
        Person.objects.for_organisation(record.organisation_id)
        .current()
        .filter(role_grants__role=Role.SENIOR_LEADER)
        .exclude(pk__in=parties)
        .order_by("last_name", "first_name", "pk")
        .first()
    )
    return Route(
        leader,
        "Senior leader",
        "Nobody manages the supervisor in Tandem, so it goes to the organisation's senior leaders."
        if leader
        else "Nobody manages the supervisor in Tandem and the organisation "
        "has no senior leader: an organisation admin should give someone that role.",
    )


@transaction.atomic
def disagreement_raise(
    *,
    record: Record,
    by: Person,
    text: str,
    about: str = "",
    kind: str = DisagreementKind.RECORD,
) -> Disagreement:
    """Record a disagreement beside the record (never in it), routed up the chain."""
    record = _lock(record)
    _refuse_unless("disagree", record, by)
    role = _require_party(record, by, "record a disagreement on the record")
    problems: dict[str, str] = {}
    if kind not in DisagreementKind.values:
        problems["kind"] = "Choose what the disagreement is about."
    elif kind == DisagreementKind.PRACTICE and role != SignatureRole.SUPERVISEE:
        problems["kind"] = "A concern about the supervisor's practice is raised by the supervisee."
    text = _text(text)
    about = _text(about)
    if not text:
        problems["text"] = "Enter what you disagree with and why."
    elif len(text) > DISAGREEMENT_MAX:
        problems["text"] = f"Enter {DISAGREEMENT_MAX:,} characters or fewer (it has {len(text):,})."
    if len(about) > ABOUT_MAX:
        problems["about"] = f"Enter {ABOUT_MAX} characters or fewer."
    _raise(problems)
    if record.status == RecordStatus.DRAFT:
        raise ValidationError(
            "This record is still a draft: talk it through and change it. A disagreement is "
            "recorded on a record that has been shared."
        )
    route = disagreement_route(record=record, kind=kind)
    disagreement = Disagreement.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        kind=kind,
        raised_by=by,
        about=about,
        text=text,
        routed_to=route.person,
        routed_as=route.role,
        routing_reason=route.reason,
    )
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.disagreement",
        target=record,
        detail={
            "disagreement": disagreement.pk,
            "kind": kind,
            "routed_to": route.person.pk if route.person else None,
        },
    )
    url = reverse("disagreement", args=[disagreement.pk])
    if route.person is not None:
        _tell(
            record,
            route.person,
            f"{by.full_name} recorded a disagreement on a supervision record of "
            f"{long_date(record.held_on)}: it needs your resolution as {route.role.lower()}",
            url,
        )
    _tell(
        record,
        _other_party(record, by),
        f"{by.full_name} recorded a disagreement on the record of {long_date(record.held_on)}",
        _url(record),
    )
    return disagreement


@transaction.atomic
def disagreement_resolve(
    *, disagreement: Disagreement, by: Person, resolution: str
) -> Disagreement:
    """The senior manager it was routed to records the resolution, shown beside the record."""
    disagreement = (
        Disagreement.objects.select_for_update()
        .select_related(
            "record", "record__organisation", "record__supervisor", "record__supervisee"
        )
        .get(pk=disagreement.pk)
    )
    record = disagreement.record
    if disagreement.routed_to_id != by.pk:
        raise ValidationError(
            "Only the manager this disagreement was routed to records its resolution."
        )
    if disagreement.status == DisagreementStatus.RESOLVED:
        raise ValidationError("This disagreement has already been resolved.")
    resolution = _text(resolution)
    if not resolution:
        raise ValidationError({"resolution": "Enter the resolution."})
    if len(resolution) > DISAGREEMENT_MAX:
        raise ValidationError({"resolution": f"Enter {DISAGREEMENT_MAX:,} characters or fewer."})
    disagreement.resolution = resolution
    disagreement.status = DisagreementStatus.RESOLVED
    disagreement.resolved_by = by
    disagreement.resolved_at = timezone.now()
    disagreement.save(update_fields=["resolution", "status", "resolved_by", "resolved_at"])
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
        action="record.disagreement_resolved",
        target=record,
        detail={"disagreement": disagreement.pk},
    )
    for person in (record.supervisor, record.supervisee):
        _tell(
            record,
            person,
            f"{by.full_name} resolved the disagreement on the record of {long_date(record.held_on)}",
            _url(record),
        )
    return disagreement
