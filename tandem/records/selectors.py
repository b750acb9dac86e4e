"""Reads about records: who may read what, the lists on pages, and the deadlines.

Access is one function, ``record_access``, that every page, the PDF and the API ask: supervisee
and supervisor read the whole record; managers up the chain, and whoever a disagreement on it
is routed to, read it without the welfare section (and may open that by break-glass); people
the agreement names read what it allows; anyone else reads nothing (and gets a 404).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.core.calendar import calendar_for
from tandem.core.models import AuditEvent
from tandem.organisations.models import (
    Organisation,
    Person,
    SupervisionKind,
    SupervisionRelationship,
)
from tandem.organisations.selectors import managed_people

from .models import (
    Action,
    ActionStatus,
    CaseDiscussion,
    Disagreement,
    DisagreementStatus,
    GroupAttendance,
    GroupCaseDiscussion,
    GroupRecord,
    GroupRecordStatus,
    Record,
    RecordSignature,
    RecordStatus,
    RecordVersion,
    RecordViewer,
    SignatureRole,
    ViewerScope,
    WelfareAccess,
)


class AccessReason(models.TextChoices):
    """Why a person reads a record at their level (``Access.reason``; the API shows it)."""

    NONE = "", "No reason"
    SUPERVISEE = "supervisee", "The supervisee"
    SUPERVISOR = "supervisor", "The supervisor"
    MANAGER = "manager", "Manages the supervisor or the supervisee"
    DISAGREEMENT = "disagreement", "A disagreement about the record is theirs to resolve"
    NAMED = "named", "Named on the supervision agreement"
    INSPECTOR = "inspector", "An inspector, through an evidence pack"
    AUDITOR = "auditor", "Audits the supervision the record is part of"


class Level(IntEnum):
    """How much of a record a person reads, least first."""

    NONE = 0
    CASES = 1  # case discussions and decisions only
    WITHOUT_WELFARE = 2
    FULL = 3


@dataclass(frozen=True)
class Access:
    level: Level
    reason: AccessReason = AccessReason.NONE
    # A manager may open the welfare section by break-glass, with a reason.
    may_break_glass: bool = False
    # Until when a break-glass opening lets them read it.
    welfare_open_until: datetime.datetime | None = None

    @property
    def can_read(self) -> bool:
        return self.level > Level.NONE

    @property
    def reads_welfare(self) -> bool:
        return self.level == Level.FULL or self.welfare_open_until is not None

    @property
    def reads_sections(self) -> bool:
        return self.level >= Level.WITHOUT_WELFARE

    @property
    def is_party(self) -> bool:
        return self.reason in (AccessReason.SUPERVISOR, AccessReason.SUPERVISEE)


NO_ACCESS = Access(Level.NONE)


def line_managed(*, manager: Person) -> QuerySet[SupervisionRelationship, dict[str, Any]]:
    """The ids of the people this person line-manages now (a current line-management
    supervision), as a subquery: their managers up the chain include their line manager, even
    one outside the units above them (the supervisor's manager a disagreement or an overdue
    record goes to)."""
    return (
        SupervisionRelationship.objects.for_organisation(manager.organisation_id)
        .current()
        .filter(supervisor=manager, kind=SupervisionKind.LINE)
        .values("supervisee_id")
    )


def _managed_by(person: Person, field: str = "pk") -> Q:
    """``field`` is someone this person manages: in a unit they lead, or line-managed by them."""
    return Q(**{f"{field}__in": managed_people(manager=person).values("pk")}) | Q(
        **{f"{field}__in": line_managed(manager=person)}
    )


def _parties_managed_by(person: Person) -> Q:
    """A record whose supervisor or supervisee this person manages."""
    return _managed_by(person, "supervisee") | _managed_by(person, "supervisor")


def _manages_a_party(person: Person, party_ids: list[int]) -> bool:
    return Person.objects.filter(pk__in=party_ids).filter(_managed_by(person)).exists()


# Others who read a record without its welfare section, and why: each is called with (person,
# record) and answers an ``AccessReason`` or None. The quality app adds the auditor of a
# supervision audit whose sample holds the record.
EXTRA_READERS: list[Callable[[Person, Record], AccessReason | None]] = []


def record_access(person: Person | None, record: Record) -> Access:
    """What this person may read of this record. At most four small queries."""
    if person is None or record is None or person.organisation_id != record.organisation_id:
        return NO_ACCESS
    if person.pk == record.supervisee_id:
        return Access(Level.FULL, AccessReason.SUPERVISEE)
    if person.pk == record.supervisor_id:
        return Access(Level.FULL, AccessReason.SUPERVISOR)
    party_ids = [record.supervisee_id, record.supervisor_id]
    reason = AccessReason.NONE
    if _manages_a_party(person, party_ids):
        reason = AccessReason.MANAGER
    elif Disagreement.objects.filter(record=record, routed_to=person).exists():
        reason = AccessReason.DISAGREEMENT
    if reason:
        opened = (
            WelfareAccess.objects.filter(
                record=record, person=person, expires_at__gt=timezone.now()
            )
            .order_by("-expires_at")
            .values_list("expires_at", flat=True)
            .first()
        )
        return Access(Level.WITHOUT_WELFARE, reason, True, opened)
    if record.agreement_id is not None:
        scope = (
            RecordViewer.objects.filter(agreement_id=record.agreement_id, person=person)
            .values_list("scope", flat=True)
            .first()
        )
        if scope == ViewerScope.WITHOUT_WELFARE:
            return Access(Level.WITHOUT_WELFARE, AccessReason.NAMED)
        if scope == ViewerScope.CASES:
            return Access(Level.CASES, AccessReason.NAMED)
    for reader in EXTRA_READERS:
        extra = reader(person, record)
        if extra:
            return Access(Level.WITHOUT_WELFARE, extra)
    return NO_ACCESS


RECORD_ACTIONS = ("write", "share", "sign", "add_addendum", "disagree", "open_welfare")
_DOING = {
    "write": "write the record",
    "share": "share the record",
    "sign": "sign the record",
    "add_addendum": "add to the record",
    "disagree": "record a disagreement on the record",
}


def party_role(record: Record, person: Person) -> str | None:
    """ "supervisor" or "supervisee" when this person is one of the record's two parties."""
    if person.pk == record.supervisor_id:
        return SignatureRole.SUPERVISOR
    if person.pk == record.supervisee_id:
        return SignatureRole.SUPERVISEE
    return None


def signed_roles_of(record: Record) -> set[str]:
    """Who has signed the record's current version: "supervisor", "supervisee", both or none."""
    return set(
        RecordSignature.objects.filter(
            record=record, version__number=record.version_number
        ).values_list("role", flat=True)
    )


def record_refusal(
    action: str,
    *,
    record: Record,
    person: Person,
    access: Access | None = None,
    signed_roles: Collection[str] = (),
) -> str | None:
    """Why this person may not do ``action`` (one of ``RECORD_ACTIONS``) to this record as it
    stands, in plain words, or None when they may: the one answer that the services enforce and
    that pages and the API show (``record_allowed``). ``signed_roles``: who has signed the
    current version; ``access``: the person's ``record_access``, read when not given."""
    if action == "open_welfare":
        access = access if access is not None else record_access(person, record)
        if not access.may_break_glass:
            return "Only a manager up the chain may ask to open the welfare section."
        return "The welfare section is open to you already." if access.reads_welfare else None
    role = party_role(record, person) if person.organisation_id == record.organisation_id else None
    if role is None:
        return f"Only the supervisor and the supervisee {_DOING[action]}."
    status = record.status
    if action == "write" and status == RecordStatus.SIGNED:
        return "Both have signed this record, so it cannot change: add an addendum instead."
    if action == "share" and status != RecordStatus.DRAFT:
        return "This record has already been shared."
    if action == "sign":
        if status == RecordStatus.DRAFT:
            return "Share the record before signing it."
        if status == RecordStatus.SIGNED:
            return "Both have already signed this record."
        if role in signed_roles:
            return "You have already signed this version."
    if action == "add_addendum" and status == RecordStatus.DRAFT:
        return (
            "This record is still a draft: change the record itself. Addenda are for records "
            "that have been shared."
        )
    if action == "disagree" and status == RecordStatus.DRAFT:
        return (
            "This record is still a draft: say so in the record itself. Disagreements are for "
            "records that have been shared."
        )
    return None


def record_allowed(
    *, record: Record, person: Person, access: Access, signed_roles: Collection[str]
) -> dict[str, bool]:
    """What this person may do to this record now, action by action (``record_refusal``)."""
    return {
        action: record_refusal(
            action, record=record, person=person, access=access, signed_roles=signed_roles
        )
        is None
        for action in RECORD_ACTIONS
    }


def readable_records(*, person: Person) -> QuerySet[Record]:
    """Every record this person may open, at any level."""
    return (
        Record.objects.for_organisation(person.organisation_id)
        .filter(
            Q(supervisor=person)
            | Q(supervisee=person)
            | _parties_managed_by(person)
            | Q(pk__in=Disagreement.objects.filter(routed_to=person).values("record_id"))
            | Q(agreement_id__in=RecordViewer.objects.filter(person=person).values("agreement_id"))
        )
        .select_related("supervisor", "supervisee", "session")
    )


def record_for_page(*, organisation_id: int, pk: int) -> Record | None:
    return (
        Record.objects.filter(organisation_id=organisation_id, pk=pk)
        .select_related(
            "organisation",
            "supervisor",
            "supervisor__user",
            "supervisee",
            "supervisee__user",
            "session",
            "agreement",
        )
        .first()
    )


def current_version(record: Record, *, with_welfare: bool = True) -> RecordVersion:
    """The latest version; without the welfare column loaded unless asked for."""
    versions = RecordVersion.objects.filter(record=record, number=record.version_number)
    if not with_welfare:
        versions = versions.defer("welfare")
    return versions.select_related("saved_by").get()


def version_history(record: Record) -> QuerySet[RecordVersion]:
    """Every version, newest first, without their words: who saved when."""
    return (
        RecordVersion.objects.filter(record=record)
        .only("pk", "number", "saved_at", "saved_by", "content_hash", "record")
        .select_related("saved_by")
        .order_by("-number")
    )


def record_due_on(organisation: Organisation, held_on: datetime.date) -> datetime.date:
    """The last day to share a record: the organisation's N working days after the session,
    skipping weekends, the nation's bank holidays and the organisation's closure days."""
    calendar = calendar_for(organisation, term_time_only=False)
    return calendar.add_working_days(held_on, organisation.record_deadline_working_days)


def records_to_finish(*, person: Person) -> QuerySet[Record]:
    """My records not yet signed by both: drafts to write, shared ones to sign."""
    return (
        Record.objects.for_organisation(person.organisation_id)
        .filter(Q(supervisor=person) | Q(supervisee=person))
        .exclude(status=RecordStatus.SIGNED)
        .select_related("supervisor", "supervisee")
        .order_by("due_on", "id")
    )


def overdue_records_managed(
    *, person: Person, today: datetime.date | None = None
) -> QuerySet[Record]:
    """Records of people I manage that were not shared by their due date."""
    today = today or timezone.localdate()
    return (
        Record.objects.for_organisation(person.organisation_id)
        .filter(_parties_managed_by(person))
        .filter(status=RecordStatus.DRAFT, due_on__lt=today)
        .exclude(supervisor=person)
        .exclude(supervisee=person)
        .select_related("supervisor", "supervisee")
        .order_by("due_on", "id")
    )


def actions_of(*, person: Person) -> QuerySet[Action]:
    """Actions I own or that were agreed in my supervision, either side."""
    return (
        Action.objects.filter(organisation_id=person.organisation_id)
        .filter(Q(owner=person) | Q(record__supervisor=person) | Q(record__supervisee=person))
        .select_related("owner", "record", "record__supervisor", "record__supervisee")
    )


def overdue_actions(*, person: Person, today: datetime.date | None = None) -> QuerySet[Action]:
    """Open actions past their date that I own or that were agreed in my supervision."""
    today = today or timezone.localdate()
    return (
        Action.objects.filter(organisation_id=person.organisation_id)
        .filter(Q(owner=person) | Q(record__supervisor=person) | Q(record__supervisee=person))
        .filter(status=ActionStatus.OPEN, due_on__lt=today)
        .select_related("owner", "record", "record__supervisee", "record__supervisor")
        .order_by("due_on", "id")
    )


def open_actions_of_pair(*, supervisor_id: int, supervisee_id: int) -> QuerySet[Action]:
    return Action.objects.filter(
        record__supervisor_id=supervisor_id,
        record__supervisee_id=supervisee_id,
        status=ActionStatus.OPEN,
    ).select_related("owner")


def disagreements_to_resolve(*, person: Person) -> QuerySet[Disagreement]:
    return (
        Disagreement.objects.filter(
            organisation_id=person.organisation_id,
            routed_to=person,
            status=DisagreementStatus.OPEN,
        )
        .select_related("record", "record__supervisee", "record__supervisor", "raised_by")
        .order_by("raised_at", "id")
    )


def case_decisions(*, person: Person, case_reference: str) -> QuerySet[CaseDiscussion]:
    """Decisions made in supervision about one case, in records this person may read, oldest
    first: for the case file. Drafts are not decisions yet."""
    readable = readable_records(person=person).values("pk")
    return (
        CaseDiscussion.objects.filter(
            organisation_id=person.organisation_id,
            case_reference__iexact=case_reference,
            record_id__in=readable,
        )
        .exclude(decision="")
        .exclude(record__status=RecordStatus.DRAFT)
        .select_related("record", "record__supervisor", "record__supervisee")
        .order_by("record__held_on", "record_id", "position")
    )


# Group records


def group_records_readable(*, person: Person) -> QuerySet[GroupRecord]:
    """Group records this person may read: as the group's supervisor, as a member, or as a
    manager of the supervisor."""
    return (
        GroupRecord.objects.for_organisation(person.organisation_id)
        .filter(
            Q(supervisor=person)
            | Q(pk__in=GroupAttendance.objects.filter(person=person).values("record_id"))
            | _managed_by(person, "supervisor")
        )
        .select_related("session", "supervisor")
    )


def group_record_role(person: Person | None, record: GroupRecord) -> str | None:
    """ "supervisor", "member" or "manager": why this person reads the group record, or None."""
    if person is None or person.organisation_id != record.organisation_id:
        return None
    if person.pk == record.supervisor_id:
        return "supervisor"
    if GroupAttendance.objects.filter(record=record, person=person).exists():
        return "member"
    if Person.objects.filter(pk=record.supervisor_id).filter(_managed_by(person)).exists():
        return "manager"
    return None


def group_records_of(*, person: Person) -> QuerySet[GroupRecord]:
    """The group records of sessions this person led or was a member of, newest first, each
    with ``holds_a_case``: whether one of the cases discussed is theirs."""
    return (
        GroupRecord.objects.for_organisation(person.organisation_id)
        .filter(
            Q(supervisor=person)
            | Q(pk__in=GroupAttendance.objects.filter(person=person).values("record_id"))
        )
        .annotate(
            holds_a_case=Exists(
                GroupCaseDiscussion.objects.filter(record=OuterRef("pk"), case_holder=person)
            ),
            to_acknowledge=Exists(
                GroupAttendance.objects.filter(
                    record=OuterRef("pk"), person=person, acknowledged_at__isnull=True
                )
            ),
        )
        .select_related("session", "supervisor")
        .order_by("-held_on", "-id")
    )


def group_case_decisions(*, person: Person, case_reference: str) -> QuerySet[GroupCaseDiscussion]:
    """Decisions about one case made in group supervision, in shared group records this person
    may read, oldest first: for the case file beside the one-to-one decisions."""
    return (
        GroupCaseDiscussion.objects.filter(
            organisation_id=person.organisation_id,
            case_reference__iexact=case_reference,
            record_id__in=group_records_readable(person=person).values("pk"),
            record__status=GroupRecordStatus.SHARED,
        )
        .exclude(decision="")
        .select_related("record", "record__supervisor", "record__session", "case_holder")
        .order_by("record__held_on", "record_id", "position")
    )


# The audit actions that are a reading of a record's words.
BREAK_GLASS = "record.welfare_break_glass"
READ_ACTIONS = ("record.view", BREAK_GLASS)


def reader_of(event: AuditEvent) -> tuple[str, str]:
    """Who read a record, as the supervisee's page of readings names them: (name, job)."""
    person = getattr(event.actor, "person", None)
    if person is None:
        return "Someone no longer in Tandem", ""
    return person.full_name, person.job_title


def reads_by_others(*, person: Person) -> tuple[QuerySet[AuditEvent], dict[str, Record]]:
    """Every reading of the person's own supervision records (as supervisee) by anyone but
    them and the record's supervisor, break-glass openings of the welfare section included,
    newest first; and those records by the audit events' object ids."""
    records = {
        str(r.pk): r
        for r in Record.objects.filter(
            organisation_id=person.organisation_id, supervisee=person
        ).select_related("supervisor")
    }
    by_supervisor: dict[int, list[str]] = {}
    for pk, record in records.items():
        by_supervisor.setdefault(record.supervisor.user_id, []).append(pk)
    own_supervisors = Q(pk__in=[])
    for user_id, ids in by_supervisor.items():
        own_supervisors |= Q(actor_id=user_id, object_id__in=ids)
    events = (
        AuditEvent.objects.filter(
            organisation_id=person.organisation_id,
            object_type=Record._meta.label_lower,
            object_id__in=list(records),
            action__in=READ_ACTIONS,
        )
        .exclude(actor_id=person.user_id)
        .exclude(own_supervisors)
        .select_related("actor__person")
        .order_by("-at", "-id")
    )
    return events, records
