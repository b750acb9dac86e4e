"""The shapes of the records API: what it answers and what it accepts."""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Schema

from tandem.meetings.api import Id, Text
from tandem.organisations.api import PersonRef

from . import layout as layouts
from .models import (
    Action,
    ActionStatus,
    Addendum,
    DisagreementKind,
    DisagreementStatus,
    Record,
    RecordStatus,
    RecordVersion,
    SignatureRole,
)

Key = Annotated[Text, Field(max_length=40)]
VersionNumber = Annotated[int, Field(ge=0, le=2**31 - 1)]

# Answers


class RecordRef(Schema):
    id: int
    held_on: datetime.date
    supervisor: PersonRef
    supervisee: PersonRef


class RecordFieldsOut(Schema):
    id: int
    status: RecordStatus
    supervisor: PersonRef
    supervisee: PersonRef
    session_id: int
    agreement_id: int | None
    held_on: datetime.date
    due_on: datetime.date = Field(description="The last day to share it.")
    overdue: bool = Field(description="Not shared by its due date (or shared after it).")
    version_number: int = Field(description="The latest version: save, share and sign from it.")
    shared_at: datetime.datetime | None
    signed_at: datetime.datetime | None = Field(description="When both had signed.")


class RecordSummaryOut(RecordFieldsOut):
    @staticmethod
    def resolve_overdue(obj: Record) -> bool:
        return obj.is_overdue


class SectionsOut(Schema):
    performance: str
    development: str


class CaseOut(Schema):
    key: str
    case_reference: str
    label: str
    discussion: str
    reflection: dict[str, str] = Field(description="By the prompt keys of the record's model.")
    decision: str
    rationale: str


class ActionItemOut(Schema):
    key: str
    text: str
    owner: int = Field(description="The person's id: the supervisor or the supervisee.")
    due_on: datetime.date
    case_reference: str


class ContentOut(Schema):
    """The words of a version, in the shape a save takes. Parts the reader may not see are
    left out."""

    sections: SectionsOut | None = None
    agenda: dict[str, str] | None = Field(None, description="Notes by agenda item id.")
    cases: list[CaseOut]
    actions: list[ActionItemOut] | None = None


class VersionOut(Schema):
    number: int
    saved_by: PersonRef
    saved_at: datetime.datetime
    hash: str
    content: ContentOut
    welfare: str | None = Field(
        None, description="The welfare and support section: only for those who may read it."
    )


class VersionSummaryOut(Schema):
    number: int
    saved_by: PersonRef
    saved_at: datetime.datetime
    hash: str

    @staticmethod
    def resolve_hash(obj: RecordVersion) -> str:
        return obj.content_hash


class MineOut(Schema):
    content: ContentOut
    welfare: str


class ConflictOut(Schema):
    detail: str
    theirs: VersionOut = Field(description="The latest saved version, saved by someone else.")
    mine: MineOut = Field(description="What this save tried to write: nothing was saved.")


class AgendaRef(Schema):
    id: int
    title: str


class SignatureOut(Schema):
    role: SignatureRole
    person: PersonRef
    signed_at: datetime.datetime
    content_hash: str


class AddendumOut(Schema):
    number: int
    text: str
    written_by: PersonRef
    written_at: datetime.datetime
    supervisor_signed_at: datetime.datetime | None
    supervisee_signed_at: datetime.datetime | None
    signed: bool = Field(description="Signed by both.")

    @staticmethod
    def resolve_signed(obj: Addendum) -> bool:
        return obj.is_signed


class DisagreementOut(Schema):
    id: int
    record: RecordRef
    kind: DisagreementKind
    raised_by: PersonRef
    raised_at: datetime.datetime
    about: str
    text: str
    routed_to: PersonRef | None
    routed_as: str
    routing_reason: str
    status: DisagreementStatus
    resolution: str
    resolved_by: PersonRef | None
    resolved_at: datetime.datetime | None


class WelfareAccessOut(Schema):
    id: int
    person: PersonRef
    reason: str
    opened_at: datetime.datetime
    expires_at: datetime.datetime


class AccessOut(Schema):
    level: str = Field(description="full, without_welfare or cases.")
    reason: str = Field(description="supervisee, supervisor, manager, disagreement or named.")
    may_open_welfare: bool = Field(description="May open the welfare section by break-glass.")
    welfare_open_until: datetime.datetime | None


class AllowedOut(Schema):
    write: bool
    share: bool
    sign: bool
    add_addendum: bool
    disagree: bool
    open_welfare: bool


class RecordOut(RecordFieldsOut):
    """A record as this reader may read it. Parts they may not see are left out."""

    layout: dict[str, Any] = Field(description="Section headings and prompts, reflective model.")
    access: AccessOut
    allowed: AllowedOut = Field(description="What I may do to this record now.")
    version: VersionOut = Field(description="The latest version.")
    agenda_items: list[AgendaRef] | None = None
    signatures: list[SignatureOut] | None = Field(None, description="On the latest version.")
    addenda: list[AddendumOut] | None = None
    disagreements: list[DisagreementOut] | None = None
    welfare_accesses: list[WelfareAccessOut] | None = Field(
        None, description="Break-glass openings of the welfare section: shown to the supervisee."
    )


class ActionOut(Schema):
    id: int
    record: RecordRef
    text: str
    owner: PersonRef
    due_on: datetime.date
    status: ActionStatus
    overdue: bool
    case_reference: str
    completed_at: datetime.datetime | None

    @staticmethod
    def resolve_overdue(obj: Action) -> bool:
        return obj.status == ActionStatus.OPEN and obj.due_on < timezone.localdate()


class CaseDecisionOut(Schema):
    marked: str = Field("Supervision decision", description="How the case file shows it.")
    record: RecordRef
    case_reference: str
    label: str
    decision: str
    rationale: str


# Questions and changes


class RecordFilter(Schema):
    status: RecordStatus | None = None
    supervisee_id: Id | None = None


class SectionsIn(Schema):
    performance: Text | None = Field(None, description="Left out: as it was.")
    development: Text | None = Field(None, description="Left out: as it was.")


class CaseIn(Schema):
    key: Key = Field("", description="Keep a case's key from one save to the next.")
    case_reference: Text = Field("", description=layouts.CASE_REFERENCE_HINT)
    label: Text = ""
    discussion: Text = ""
    reflection: dict[str, Text] = {}
    decision: Text = ""
    rationale: Text = Field("", description="Needed with a decision.")


class ActionIn(Schema):
    key: Key = Field("", description="Keep an action's key: its progress goes with it.")
    text: Text = ""
    owner: Id | None = Field(None, description="The supervisor's or the supervisee's id.")
    due_on: Text = Field("", description="YYYY-MM-DD, within two years of the session.")
    case_reference: Text = ""


class SaveIn(Schema):
    base_version: VersionNumber = Field(description="The version these words were written from.")
    sections: SectionsIn | None = Field(None, description="Left out: as it was.")
    welfare: Text | None = Field(None, description="Left out: as it was.")
    agenda: dict[str, Text] | None = Field(
        None, description="Notes by agenda item id. Left out: as it was."
    )
    cases: list[CaseIn] | None = Field(None, description="Every case discussion; left out: same.")
    actions: list[ActionIn] | None = Field(None, description="Every action; left out: same.")


class VersionIn(Schema):
    version: VersionNumber = Field(description="The version number read.")


class AddendumIn(Schema):
    text: Text


class DisagreementIn(Schema):
    kind: DisagreementKind = DisagreementKind.RECORD
    about: Text = Field("", description="The words or the part of the record it is about.")
    text: Text


class ResolveIn(Schema):
    resolution: Text


class WelfareIn(Schema):
    reason: Text = Field(description="Why, e.g. a grievance or disciplinary procedure.")


class ActionFilter(Schema):
    status: ActionStatus | None = None
    overdue: bool = Field(False, description="Only open actions past their due date.")


class ActionStatusIn(Schema):
    status: ActionStatus


class CaseFilter(Schema):
    case_reference: str = Field(max_length=100, description=layouts.CASE_REFERENCE_HINT)
