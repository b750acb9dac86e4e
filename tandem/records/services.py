"""Writes about supervision records: one function per change, each audited in the same
transaction, each refusing with a ``ValidationError`` keyed by what it is about, and writing
nothing when it refuses.

The workflow: a held session gets a draft record (``record_start``); the parties save it
(``record_save``: every save a new version; a save made from an older version than the latest is
refused with ``RecordConflict``, which carries both versions, so nothing is silently
overwritten); one shares it (``record_share``: the other is told); both sign the same version
(``record_sign``), and from then on it never changes. Corrections are addenda
(``addendum_add``/``addendum_sign``); disagreements sit beside the record and are routed up the
escalation chain (``disagreement_raise``/``disagreement_resolve``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.core.services import audit_record, notice_send
from tandem.meetings.models import AgendaItem, Session, SessionStatus, SupervisionFunction
from tandem.meetings.sessions import agreement_of_pair
from tandem.organisations.models import Person, Role, Sector, SupervisionKind, TeamKind
from tandem.organisations.selectors import (
    CHAIN_LABELS,
    SCHOOL_CHAIN_LABELS,
    ChainLink,
    relationships_of_supervisee,
    team_with_ancestors,
)

from . import layout as layouts
from .models import (
    Action,
    ActionStatus,
    Addendum,
    CaseDiscussion,
    Disagreement,
    DisagreementKind,
    DisagreementStatus,
    Record,
    RecordSignature,
    RecordStatus,
    RecordVersion,
    RecordViewer,
    SignatureRole,
    ViewerScope,
    WelfareAccess,
)
from .selectors import current_version, record_access, record_due_on

SECTION_MAX = 20_000
WELFARE_MAX = 20_000
NOTES_MAX = 5_000
CASE_TEXT_MAX = 10_000
LABEL_MAX = 80
ACTION_MAX = 300
ADDENDUM_MAX = 5_000
DISAGREEMENT_MAX = 5_000
ABOUT_MAX = 300
REASON_MIN = 10
CASES_MAX = 30
ACTIONS_MAX = 50
# How long a break-glass opening of the welfare section lasts before a reason is asked again.
BREAK_GLASS_MINUTES = 60


class RecordConflict(Exception):
    """Someone else saved the record since this save began. Carries the latest saved version
    and what this save tried to write, so both can be shown and nothing is lost."""

    def __init__(self, *, theirs: RecordVersion, mine: dict[str, Any]) -> None:
        super().__init__(
            f"{theirs.saved_by.full_name} saved this record at "
            f"{timezone.localtime(theirs.saved_at):%H:%M} while you were writing. Both versions "
            "are shown: copy what you need into the latest and save again."
        )
        self.theirs = theirs
        self.mine = mine


@dataclass(frozen=True)
class Route:
    """Where a disagreement goes: the person, in what capacity, and why."""

    person: Person | None
    role: str
    reason: str


# Helpers


def _user(actor: Any) -> Any:
    return getattr(actor, "user", actor)


def _lock(record: Record) -> Record:
    return (
        Record.objects.select_for_update()
        .select_related("organisation", "supervisor", "supervisee", "session")
        .get(pk=record.pk)
    )


def _raise(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(dict(problems))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def version_hash(*, record: Record, content: dict[str, Any], welfare: str) -> str:
    """The fingerprint of what is signed: the words, the welfare section and the two parties."""
    document = {
        "record": record.pk,
        "supervisor": record.supervisor_id,
        "supervisee": record.supervisee_id,
        "held_on": record.held_on.isoformat(),
        "content": content,
        "welfare": welfare,
    }
    return hashlib.sha256(_canonical(document).encode()).hexdigest()


def _role_of(record: Record, person: Person) -> str | None:
    if person.pk == record.supervisor_id:
        return SignatureRole.SUPERVISOR
    if person.pk == record.supervisee_id:
        return SignatureRole.SUPERVISEE
    return None


def _require_party(record: Record, person: Person, doing: str) -> str:
    role = _role_of(record, person)
    if role is None:
        raise ValidationError(f"Only the supervisor and the supervisee {doing}.")
    return role


def _other_party(record: Record, person: Person) -> Person:
    return record.supervisee if person.pk == record.supervisor_id else record.supervisor


def _tell(record: Record, person: Person, subject: str, url: str) -> None:
    """A notice in Tandem and an email, sent once the change is committed. Neither carries
    any of the record's words."""
    notice_send(organisation=record.organisation, user=person.user, text=subject, url=url)
    address = person.user.email
    body = f"{subject}\n\nOpen it in Tandem:\n{settings.SITE_URL.rstrip('/')}{url}\n\nTandem"
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


def _url(record: Record) -> str:
    return reverse("record", args=[record.pk])


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


# Starting a record


def empty_content(session: Session) -> dict[str, Any]:
    return {
        "sections": {layouts.PERFORMANCE: "", layouts.DEVELOPMENT: ""},
        "agenda": {str(item.pk): "" for item in session.agenda.all()},
        "cases": [],
        "actions": [],
    }


@transaction.atomic
def record_start(*, session: Session, actor: Any = None) -> Record | None:
    """The draft record of a held one-to-one or ad hoc session, laid out from the pair's
    agreement, with the session's agenda in place. Returns the existing record if there is one;
    None for a session that is not held or has no supervisee (group sessions)."""
    existing = Record.objects.filter(session=session).first()
    if existing is not None:
        return existing
    if session.status != SessionStatus.HELD or session.supervisee_id is None:
        return None
    session = (
        Session.objects.select_related(
            "organisation", "supervisor", "supervisee", "agreement__template_version"
        )
        .select_for_update(of=("self",))
        .get(pk=session.pk)
    )
    existing = Record.objects.filter(session=session).first()
    if existing is not None:
        return existing
    organisation = session.organisation
    supervisee = session.supervisee
    assert supervisee is not None
    # A session booked by hand may not name the agreement: the pair's agreement then.
    agreement = session.agreement or agreement_of_pair(
        supervisor=session.supervisor, supervisee=supervisee
    )
    held_on = timezone.localdate(session.held_started_at or session.starts_at)
    record = Record(
        organisation=organisation,
        session=session,
        supervisor=session.supervisor,
        supervisee=supervisee,
        agreement=agreement,
        layout=layouts.layout_for(
            template_content=agreement.template_version.content if agreement else None,
            reflection_model=organisation.reflection_model,
            asye=supervisee.staff_category == "nqsw_asye",
        ),
        held_on=held_on,
        due_on=record_due_on(organisation, held_on),
        version_number=1,
    )
    record.save()
    content = empty_content(session)
    RecordVersion.objects.create(
        organisation=organisation,
        record=record,
        number=1,
        content=content,
        welfare="",
        content_hash=version_hash(record=record, content=content, welfare=""),
        saved_by=session.supervisor,
    )
    audit_record(
        organisation=organisation,
        actor=_user(actor),
        action="record.start",
        target=record,
        detail={"session": session.pk, "due_on": record.due_on.isoformat()},
    )
    return record


def session_held_hook(*, session: Session, actor: Any) -> None:
    """Registered with the meetings app: a held session gets its draft record at once."""
    record_start(session=session, actor=actor)


# Saving


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


# A case discussion's or an action's key: its identity across saves (the API and the page send
# it back). Anything else gets a new key rather than an error: the writer never sees keys.
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _key(value: Any, seen: set[str]) -> str:
    key = value.strip() if isinstance(value, str) else ""
    if not KEY_PATTERN.fullmatch(key) or key in seen:
        key = uuid.uuid4().hex
    seen.add(key)
    return key


def _as_list(value: Any) -> Any:
    """Lists and tuples as lists; None as empty; anything else as it is, for the check to name."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else value


def _clean_cases(
    cases: Any, layout: dict[str, Any], problems: dict[str, str]
) -> list[dict[str, Any]]:
    if not isinstance(cases, list):
        problems["cases"] = "Case discussions must be a list."
        return []
    if len(cases) > CASES_MAX:
        problems["cases"] = f"A record holds at most {CASES_MAX} case discussions."
    prompts = [prompt["key"] for prompt in layout.get("reflection", {}).get("prompts", [])]
    cleaned = []
    keys: set[str] = set()
    for index, case in enumerate(cases[:CASES_MAX]):
        case = case if isinstance(case, dict) else {}
        where = f"cases.{index}"
        reference = _text(case.get("case_reference")).upper()
        problem = layouts.case_reference_problem(reference)
        if problem:
            problems[f"{where}.case_reference"] = problem
        label = _text(case.get("label"))
        if len(label) > LABEL_MAX:
            problems[f"{where}.label"] = (
                f"Enter a label of {LABEL_MAX} characters or fewer (no names or case details)."
            )
        item: dict[str, Any] = {
            "key": _key(case.get("key"), keys),
            "case_reference": reference,
            "label": label,
        }
        for name in ("discussion", "decision", "rationale"):
            item[name] = _text(case.get(name))
            if len(item[name]) > CASE_TEXT_MAX:
                problems[f"{where}.{name}"] = (
                    f"Enter {CASE_TEXT_MAX:,} characters or fewer (it has {len(item[name]):,})."
                )
        reflection = case.get("reflection")
        if not isinstance(reflection, dict):
            reflection = {}
        item["reflection"] = {key: _text(reflection.get(key)) for key in prompts}
        for key, text in item["reflection"].items():
            if len(text) > CASE_TEXT_MAX:
                problems[f"{where}.reflection.{key}"] = (
                    f"Enter {CASE_TEXT_MAX:,} characters or fewer (it has {len(text):,})."
                )
        if item["decision"] and not item["rationale"]:
            problems[f"{where}.rationale"] = "Enter the rationale for the decision."
        cleaned.append(item)
    return cleaned


def _clean_actions(actions: Any, record: Record, problems: dict[str, str]) -> list[dict[str, Any]]:
    if not isinstance(actions, list):
        problems["actions"] = "Actions must be a list."
        return []
    if len(actions) > ACTIONS_MAX:
        problems["actions"] = f"A record holds at most {ACTIONS_MAX} actions."
    owners = {record.supervisor_id, record.supervisee_id}
    cleaned = []
    keys: set[str] = set()
    for index, action in enumerate(actions[:ACTIONS_MAX]):
        action = action if isinstance(action, dict) else {}
        where = f"actions.{index}"
        text = _text(action.get("text"))
        if not text:
            problems[f"{where}.text"] = "Enter what will be done."
        elif len(text) > ACTION_MAX:
            problems[f"{where}.text"] = f"Enter {ACTION_MAX} characters or fewer."
        owner = action.get("owner")
        try:
            owner_id = (
                int(owner) if isinstance(owner, int | str) and not isinstance(owner, bool) else 0
            )
        except ValueError:
            owner_id = 0
        if owner_id not in owners:
            problems[f"{where}.owner"] = "Choose who will do it: the supervisor or the supervisee."
        due = action.get("due_on")
        due_on: datetime.date | None = None
        if isinstance(due, datetime.datetime):
            due_on = due.date()
        elif isinstance(due, datetime.date):
            due_on = due
        elif isinstance(due, str):
            try:
                due_on = datetime.date.fromisoformat(due.strip())
            except ValueError:
                due_on = None
        if due_on is None:
            problems[f"{where}.due_on"] = "Enter the date it is due, like 14 5 2027."
        elif not record.held_on <= due_on <= record.held_on + datetime.timedelta(days=731):
            problems[f"{where}.due_on"] = (
                "Enter a due date between the session and two years after it."
            )
        reference = _text(action.get("case_reference")).upper()
        if reference:
            problem = layouts.case_reference_problem(reference)
            if problem:
                problems[f"{where}.case_reference"] = problem
        cleaned.append(
            {
                "key": _key(action.get("key"), keys),
                "text": text,
                "owner": owner_id,
                "due_on": due_on.isoformat() if due_on else "",
                "case_reference": reference,
            }
        )
    return cleaned


def clean_content(
    record: Record,
    *,
    sections: dict[str, Any],
    welfare: Any,
    agenda: dict[str, Any],
    cases: Any,
    actions: Any,
) -> tuple[dict[str, Any], str]:
    """The submitted words, checked and tidied; a ValidationError names each problem."""
    problems: dict[str, str] = {}
    content_sections = {}
    for key in (layouts.PERFORMANCE, layouts.DEVELOPMENT):
        text = _text(sections.get(key) if isinstance(sections, dict) else None)
        if len(text) > SECTION_MAX:
            problems[f"sections.{key}"] = (
                f"Enter {SECTION_MAX:,} characters or fewer (it has {len(text):,})."
            )
        content_sections[key] = text
    welfare_text = _text(welfare)
    if len(welfare_text) > WELFARE_MAX:
        problems["welfare"] = (
            f"Enter {WELFARE_MAX:,} characters or fewer (it has {len(welfare_text):,})."
        )
    item_ids = {
        str(pk)
        for pk in AgendaItem.objects.filter(session_id=record.session_id).values_list(
            "pk", flat=True
        )
    }
    notes = {}
    if agenda and not isinstance(agenda, dict):
        problems["agenda"] = "The agenda notes must be given by agenda item."
        agenda = {}
    for key, value in (agenda or {}).items():
        if str(key) not in item_ids:
            problems["agenda"] = "An agenda item is not on this session's agenda."
            continue
        text = _text(value)
        if len(text) > NOTES_MAX:
            problems[f"agenda.{key}"] = f"Enter {NOTES_MAX:,} characters or fewer."
        notes[str(key)] = text
    for key in item_ids - set(notes):
        notes[key] = ""
    content = {
        "sections": content_sections,
        "agenda": notes,
        "cases": _clean_cases(cases, record.layout, problems),
        "actions": _clean_actions(actions, record, problems),
    }
    _raise(problems)
    return content, welfare_text


@transaction.atomic
def record_save(
    *,
    record: Record,
    by: Person,
    base_version: int,
    sections: dict[str, Any],
    welfare: Any = "",
    agenda: dict[str, Any] | None = None,
    cases: Any = (),
    actions: Any = (),
    actor: Any = None,
) -> RecordVersion:
    """Save the record's words as a new version. ``base_version`` is the version the writer
    started from: if someone saved since, ``RecordConflict`` is raised with both versions and
    nothing is written. Saving an unchanged record writes nothing."""
    record = _lock(record)
    _require_party(record, by, "write the record")
    if record.status == RecordStatus.SIGNED:
        raise ValidationError(
            "Both have signed this record, so it cannot change: add an addendum instead."
        )
    content, welfare_text = clean_content(
        record,
        sections=sections,
        welfare=welfare,
        agenda=agenda or {},
        cases=_as_list(cases),
        actions=_as_list(actions),
    )
    latest = current_version(record)
    if base_version != record.version_number:
        raise RecordConflict(
            theirs=latest,
            mine={
                "sections": content["sections"],
                "welfare": welfare_text,
                "agenda": content["agenda"],
                "cases": content["cases"],
                "actions": content["actions"],
            },
        )
    digest = version_hash(record=record, content=content, welfare=welfare_text)
    if digest == latest.content_hash:
        return latest
    version = RecordVersion.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        number=record.version_number + 1,
        content=content,
        welfare=welfare_text,
        content_hash=digest,
        saved_by=by,
    )
    record.version_number = version.number
    record.save(update_fields=["version_number"])
    _sync_cases_and_actions(record, content)
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.save",
        target=record,
        detail={"version": version.number, "status": record.status},
    )
    if record.status == RecordStatus.SHARED:
        other = _other_party(record, by)
        _tell(
            record,
            other,
            f"{by.full_name} changed the shared supervision record of "
            f"{_day(record.held_on)}: read it again before you sign",
            _url(record),
        )
    return version


def _sync_cases_and_actions(record: Record, content: dict[str, Any]) -> None:
    """Copy the version's case discussions and actions into their own rows. Actions keep their
    identity (and progress) by key."""
    CaseDiscussion.objects.filter(record=record).delete()
    CaseDiscussion.objects.bulk_create(
        CaseDiscussion(
            organisation_id=record.organisation_id,
            record=record,
            key=case["key"],
            position=position,
            case_reference=case["case_reference"],
            label=case["label"],
            discussion=case["discussion"],
            reflection=case["reflection"],
            decision=case["decision"],
            rationale=case["rationale"],
        )
        for position, case in enumerate(content["cases"])
    )
    keys = [action["key"] for action in content["actions"]]
    Action.objects.filter(record=record).exclude(key__in=keys).delete()
    existing = {action.key: action for action in Action.objects.filter(record=record)}
    for position, item in enumerate(content["actions"]):
        fields = {
            "position": position,
            "text": item["text"],
            "owner_id": item["owner"],
            "due_on": datetime.date.fromisoformat(item["due_on"]),
            "case_reference": item["case_reference"],
        }
        action = existing.get(item["key"])
        if action is None:
            Action.objects.create(
                organisation_id=record.organisation_id, record=record, key=item["key"], **fields
            )
        elif any(getattr(action, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(action, name, value)
            action.save(update_fields=list(fields))


# Sharing and signing


def _has_words(content: dict[str, Any], welfare: str) -> bool:
    return bool(
        any(content.get("sections", {}).values())
        or any(content.get("agenda", {}).values())
        or content.get("cases")
        or content.get("actions")
        or welfare
    )


@transaction.atomic
def record_share(*, record: Record, by: Person, version: int, actor: Any = None) -> Record:
    """Share the draft with the other party, who is told. ``version`` is the one the sharer
    read: a record saved since is not shared unread."""
    record = _lock(record)
    _require_party(record, by, "share the record")
    if record.status != RecordStatus.DRAFT:
        raise ValidationError("This record has already been shared.")
    if version != record.version_number:
        raise ValidationError(
            {
                "version": "The record has been saved since you opened it: read the latest "
                "version, then share it."
            }
        )
    latest = current_version(record)
    if not _has_words(latest.content, latest.welfare):
        raise ValidationError("Write the record before sharing it: every section is empty.")
    record.status = RecordStatus.SHARED
    record.shared_at = timezone.now()
    record.shared_by = by
    record.save(update_fields=["status", "shared_at", "shared_by"])
    carried = carry_open_actions(record)
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.share",
        target=record,
        detail={
            "version": record.version_number,
            "on_time": record.shared_on_time,
            "due_on": record.due_on.isoformat(),
            "carried_actions": carried,
        },
    )
    other = _other_party(record, by)
    _tell(
        record,
        other,
        f"{by.full_name} shared the record of your supervision on {_day(record.held_on)}: "
        "read it and sign it if it is a true record",
        _url(record),
    )
    return record


@transaction.atomic
def record_sign(*, record: Record, by: Person, version: int, actor: Any = None) -> Record:
    """Sign the version read as a true record. When both have signed the same version the
    record is complete and never changes again."""
    record = _lock(record)
    role = _require_party(record, by, "sign the record")
    if record.status == RecordStatus.DRAFT:
        raise ValidationError("Share the record before signing it.")
    if record.status == RecordStatus.SIGNED:
        raise ValidationError("Both have already signed this record.")
    if version != record.version_number:
        raise ValidationError(
            {
                "version": f"You read version {version}, but the record has been changed since "
                f"(version {record.version_number}). Read the latest version, then sign it."
            }
        )
    latest = current_version(record)
    if RecordSignature.objects.filter(version=latest, role=role).exists():
        raise ValidationError("You have already signed this version.")
    RecordSignature.objects.create(
        record=record, version=latest, person=by, role=role, content_hash=latest.content_hash
    )
    signed_roles = set(
        RecordSignature.objects.filter(version=latest).values_list("role", flat=True)
    )
    complete = signed_roles == {SignatureRole.SUPERVISOR, SignatureRole.SUPERVISEE}
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.sign",
        target=record,
        detail={"version": latest.number, "role": role, "hash": latest.content_hash},
    )
    other = _other_party(record, by)
    if complete:
        record.status = RecordStatus.SIGNED
        record.signed_at = timezone.now()
        record.save(update_fields=["status", "signed_at"])
        _tell(
            record,
            other,
            f"The record of your supervision on {_day(record.held_on)} is agreed and signed "
            "by both",
            _url(record),
        )
    else:
        _tell(
            record,
            other,
            f"{by.full_name} signed the record of your supervision on {_day(record.held_on)}: "
            "your signature is needed",
            _url(record),
        )
    return record


def signatures_of_current(record: Record) -> dict[str, RecordSignature]:
    """The signatures on the latest version, by role."""
    return {
        signature.role: signature
        for signature in RecordSignature.objects.filter(
            record=record, version__number=record.version_number
        ).select_related("person")
    }


# Addenda


@transaction.atomic
def addendum_add(*, record: Record, by: Person, text: str, actor: Any = None) -> Addendum:
    """A correction or addition to a shared or signed record, signed by its writer at once and
    by the other party in turn."""
    record = _lock(record)
    role = _require_party(record, by, "add to the record")
    if record.status == RecordStatus.DRAFT:
        raise ValidationError(
            "This record is still a draft: change the record itself. Addenda are for records "
            "that have been shared."
        )
    text = _text(text)
    if not text:
        raise ValidationError({"text": "Enter the addendum."})
    if len(text) > ADDENDUM_MAX:
        raise ValidationError(
            {"text": f"Enter {ADDENDUM_MAX:,} characters or fewer (it has {len(text):,})."}
        )
    number = Addendum.objects.filter(record=record).count() + 1
    now = timezone.now()
    addendum = Addendum.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        number=number,
        text=text,
        written_by=by,
        written_at=now,
        supervisor_signed_at=now if role == SignatureRole.SUPERVISOR else None,
        supervisee_signed_at=now if role == SignatureRole.SUPERVISEE else None,
    )
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.addendum",
        target=record,
        detail={"addendum": number},
    )
    _tell(
        record,
        _other_party(record, by),
        f"{by.full_name} added addendum {number} to the record of {_day(record.held_on)}: "
        "your signature is needed",
        _url(record),
    )
    return addendum


@transaction.atomic
def addendum_sign(*, addendum: Addendum, by: Person, actor: Any = None) -> Addendum:
    record = _lock(addendum.record)
    role = _require_party(record, by, "sign an addendum")
    addendum = Addendum.objects.select_for_update().get(pk=addendum.pk)
    field = f"{role}_signed_at"
    if getattr(addendum, field) is not None:
        raise ValidationError("You have already signed this addendum.")
    setattr(addendum, field, timezone.now())
    addendum.save(update_fields=[field])
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.addendum_sign",
        target=record,
        detail={"addendum": addendum.number, "role": role},
    )
    return addendum


# Disagreements


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
    actor: Any = None,
) -> Disagreement:
    """Record a disagreement beside the record (never in it), routed up the chain."""
    record = _lock(record)
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
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
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
            f"{_day(record.held_on)}: it needs your resolution as {route.role.lower()}",
            url,
        )
    _tell(
        record,
        _other_party(record, by),
        f"{by.full_name} recorded a disagreement on the record of {_day(record.held_on)}",
        _url(record),
    )
    return disagreement


@transaction.atomic
def disagreement_resolve(
    *, disagreement: Disagreement, by: Person, resolution: str, actor: Any = None
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
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.disagreement_resolved",
        target=record,
        detail={"disagreement": disagreement.pk},
    )
    for person in (record.supervisor, record.supervisee):
        _tell(
            record,
            person,
            f"{by.full_name} resolved the disagreement on the record of {_day(record.held_on)}",
            _url(record),
        )
    return disagreement


# Confidentiality


@transaction.atomic
def welfare_open(*, record: Record, by: Person, reason: str, actor: Any = None) -> WelfareAccess:
    """Break-glass: a manager opens the welfare section with a written reason (a grievance or
    disciplinary procedure, a safeguarding concern). Recorded, audited and shown to the
    supervisee, who is told."""
    access = record_access(by, record)
    if not access.may_break_glass:
        raise ValidationError("Only a manager up the chain may ask to open the welfare section.")
    reason = _text(reason)
    if len(reason) < REASON_MIN:
        raise ValidationError(
            {"reason": "Enter why you need to read the welfare section (at least 10 characters)."}
        )
    if len(reason) > DISAGREEMENT_MAX:
        raise ValidationError({"reason": f"Enter {DISAGREEMENT_MAX:,} characters or fewer."})
    now = timezone.now()
    opened = WelfareAccess.objects.create(
        organisation_id=record.organisation_id,
        record=record,
        person=by,
        reason=reason,
        opened_at=now,
        expires_at=now + datetime.timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="record.welfare_break_glass",
        target=record,
        summary=f"{by.full_name} opened the welfare section of {record}",
        detail={"reason": reason, "access": opened.pk},
    )
    _tell(
        record,
        record.supervisee,
        f"{by.full_name} opened the welfare section of your supervision record of "
        f"{_day(record.held_on)}, giving a reason",
        _url(record),
    )
    return opened


def record_read(*, record: Record, by: Person, parts: list[str], how: str = "page") -> None:
    """Every read of a record is an audit event: who, which parts, how (page, pdf, api)."""
    audit_record(
        organisation=record.organisation,
        actor=by.user,
        action="record.view",
        target=record,
        detail={"parts": parts, "how": how},
    )


@transaction.atomic
def record_viewer_add(
    *, agreement: Any, person: Person, scope: str, by: Person, actor: Any = None
) -> RecordViewer:
    """Name someone among "others who may see the record" on the pair's agreement."""
    if by.pk not in (agreement.supervisor_id, agreement.supervisee_id):
        raise ValidationError("Only the two parties to the agreement name who else may see it.")
    problems = {}
    if scope not in ViewerScope.values:
        problems["scope"] = "Choose what they may see."
    if person.organisation_id != agreement.organisation_id or person.pk in (
        agreement.supervisor_id,
        agreement.supervisee_id,
    ):
        problems["person"] = "Choose someone else in your organisation."
    elif RecordViewer.objects.filter(agreement=agreement, person=person).exists():
        problems["person"] = f"{person.full_name} is already named."
    _raise(problems)
    viewer = RecordViewer.objects.create(
        organisation_id=agreement.organisation_id,
        agreement=agreement,
        person=person,
        scope=scope,
        added_by=by,
    )
    audit_record(
        organisation=agreement.organisation,
        actor=_user(actor or by),
        action="record_viewer.add",
        target=agreement,
        summary=f"{person.full_name} may see {viewer.get_scope_display().lower()}",
        detail={"person": person.pk, "scope": scope},
    )
    return viewer


@transaction.atomic
def record_viewer_remove(*, viewer: RecordViewer, by: Person, actor: Any = None) -> None:
    agreement = viewer.agreement
    if by.pk not in (agreement.supervisor_id, agreement.supervisee_id):
        raise ValidationError("Only the two parties to the agreement change who else may see it.")
    person_id = viewer.person_id
    viewer.delete()
    audit_record(
        organisation=agreement.organisation,
        actor=_user(actor or by),
        action="record_viewer.remove",
        target=agreement,
        detail={"person": person_id},
    )


# Actions


def carry_open_actions(record: Record) -> list[int]:
    """Open actions of the pair go on their next booked session's agenda, once: an action whose
    item is already there (put there before, or carried there by the meetings app as an
    unfinished item of the session in between) is not added again. Returns the ids of the
    actions added."""
    following = (
        Session.objects.filter(
            organisation_id=record.organisation_id,
            supervisor_id=record.supervisor_id,
            supervisee_id=record.supervisee_id,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=record.session.starts_at,
        )
        .order_by("starts_at", "id")
        .first()
    )
    if following is None:
        return []
    actions = list(
        Action.objects.filter(
            organisation_id=record.organisation_id,
            record__supervisor_id=record.supervisor_id,
            record__supervisee_id=record.supervisee_id,
            status=ActionStatus.OPEN,
        )
        .select_related("owner")
        .order_by("due_on", "position", "id")
    )
    there = _items_on(following, {a.agenda_item_id for a in actions if a.agenda_item_id})
    carried = []
    for action in actions:
        copy = there.get(action.agenda_item_id) if action.agenda_item_id else None
        if copy is not None:
            if copy != action.agenda_item_id:
                # Follow the copy, so marking the action done ticks the item on that agenda.
                action.agenda_item_id = copy
                action.save(update_fields=["agenda_item"])
            continue
        item = AgendaItem.objects.create(
            session=following,
            added_by=record.supervisor,
            title=f"Action: {action.text}"[:200],
            detail=f"{action.owner.full_name}, due {_day(action.due_on)}"
            + (f", case {action.case_reference}" if action.case_reference else ""),
            minutes=5,
            function=SupervisionFunction.MANAGEMENT,
        )
        action.agenda_item = item
        action.save(update_fields=["agenda_item"])
        carried.append(action.pk)
    return carried


def _items_on(session: Session, item_ids: set[int]) -> dict[int, int]:
    """For each of these agenda items, the id of it or its carried copy on ``session``, if
    there is one. One query per step of carrying (an item is carried once per session)."""
    found: dict[int, int] = {}
    # Each item still to follow, with the original it descends from.
    frontier = {pk: pk for pk in item_ids}
    for _ in range(100):
        if not frontier:
            break
        following: dict[int, int] = {}
        rows = AgendaItem.objects.filter(
            Q(pk__in=list(frontier)) | Q(carried_from_id__in=list(frontier))
        ).values_list("pk", "carried_from_id", "session_id")
        for pk, parent, session_id in rows:
            original = frontier.get(pk) if pk in frontier else frontier.get(parent)
            if original is None or original in found:
                continue
            if session_id == session.pk:
                found[original] = pk
            elif pk not in frontier:
                following[pk] = original
        frontier = {pk: original for pk, original in following.items() if original not in found}
    return found


@transaction.atomic
def action_set_status(*, action: Action, by: Person, status: str, actor: Any = None) -> Action:
    """Progress on an action (done, no longer needed, open again): follow-up, not a change to
    the record, so it is allowed after signing, by the owner or either party."""
    action = Action.objects.select_for_update().select_related("record").get(pk=action.pk)
    record = action.record
    if by.pk not in (action.owner_id, record.supervisor_id, record.supervisee_id):
        raise ValidationError("Only the people in the supervision update its actions.")
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, done or no longer needed."})
    if action.status == status:
        return action
    action.status = status
    action.completed_at = timezone.now() if status != ActionStatus.OPEN else None
    action.save(update_fields=["status", "completed_at"])
    if action.agenda_item_id is not None:
        AgendaItem.objects.filter(pk=action.agenda_item_id).update(done=status != ActionStatus.OPEN)
    audit_record(
        organisation=record.organisation,
        actor=_user(actor or by),
        action="action.status",
        target=record,
        detail={"action": action.pk, "status": status},
    )
    return action


# Deadlines


def records_overdue_notify(*, today: datetime.date | None = None) -> int:
    """Once per record: tell both parties and the supervisor's manager that a record was not
    shared by its due date. Returns how many records were flagged."""
    today = today or timezone.localdate()
    # The ids first: the loop marks each record, so it must not read the table it changes.
    ids = list(
        Record.objects.filter(
            status=RecordStatus.DRAFT, due_on__lt=today, overdue_notified_on__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(ids), 500):
        chunk = Record.objects.filter(pk__in=ids[start : start + 500]).select_related(
            "organisation", "supervisor__user", "supervisee__user"
        )
        count += sum(_overdue_notify_one(record, today) for record in chunk.order_by("pk"))
    return count


def _overdue_notify_one(record: Record, today: datetime.date) -> bool:
    with transaction.atomic():
        # Locked and checked again: a record shared or flagged meanwhile is left alone.
        still_due = (
            Record.objects.select_for_update()
            .filter(pk=record.pk, status=RecordStatus.DRAFT, overdue_notified_on__isnull=True)
            .exists()
        )
        if not still_due:
            return False
        subject = (
            f"The record of the supervision of {record.supervisee.full_name} on "
            f"{_day(record.held_on)} was due to be shared by {_day(record.due_on)}"
        )
        people = [record.supervisor, record.supervisee]
        manager = _first_above(
            supervisor_managers(record.supervisor), {record.supervisor_id, record.supervisee_id}
        )
        if manager is not None:
            people.append(manager.person)
        for person in people:
            _tell(record, person, subject, _url(record))
        Record.objects.filter(pk=record.pk).update(overdue_notified_on=today)
        audit_record(
            organisation=record.organisation,
            actor=None,
            action="record.overdue",
            target=record,
            detail={"due_on": record.due_on.isoformat(), "told": [p.pk for p in people]},
        )
    return True
