"""Starting a record from a held session and saving its words: every save a new version, a save
from an older version than the latest refused with ``RecordConflict`` (both versions carried),
and the case discussions and actions copied into their own rows."""

from __future__ import annotations

import datetime
import re
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.core.dates import long_date
from tandem.core.services import audit_event_write
from tandem.meetings.models import AgendaItem, Session, SessionStatus
from tandem.meetings.services.sessions import agreement_of_pair
from tandem.organisations.models import Person

from .. import layout as layouts
from ..models import (
    Action,
    CaseDiscussion,
    Record,
    RecordStatus,
    RecordVersion,
)
from ..selectors import current_version, record_due_on

# Starting a record
from ._common import (
    ACTION_MAX,
    ACTIONS_MAX,
    CASE_TEXT_MAX,
    CASES_MAX,
    LABEL_MAX,
    NOTES_MAX,
    SECTION_MAX,
    WELFARE_MAX,
    RecordConflict,
    _lock,
    _other_party,
    _raise,
    _refuse_unless,
    _tell,
    _text,
    _url,
    _user,
    version_hash,
)


def empty_content(session: Session) -> dict[str, Any]:
    return {
        "sections": {layouts.PERFORMANCE: "", layouts.DEVELOPMENT: ""},
        "agenda": {str(item.pk): "" for item in session.agenda.all()},
        "cases": [],
        "actions": [],
    }


@transaction.atomic
def record_start(*, session: Session, by: Person | None = None) -> Record | None:
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
    audit_event_write(
        organisation=organisation,
        actor=_user(by),
        action="record.start",
        target=record,
        detail={"session": session.pk, "due_on": record.due_on.isoformat()},
    )
    return record


def session_held_hook(*, session: Session, by: Person) -> None:
    """Registered with the meetings app: a held session gets its draft record at once."""
    record_start(session=session, by=by)


# Saving


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
) -> RecordVersion:
    """Save the record's words as a new version. ``base_version`` is the version the writer
    started from: if someone saved since, ``RecordConflict`` is raised with both versions and
    nothing is written. Saving an unchanged record writes nothing."""
    record = _lock(record)
    _refuse_unless("write", record, by)
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
    audit_event_write(
        organisation=record.organisation,
        actor=_user(by),
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
            f"{long_date(record.held_on)}: read it again before you sign",
            _url(record),
        )
    return version


def case_discussion_rows(record: Record, content: dict[str, Any]) -> list[CaseDiscussion]:
    """A version's case discussions as rows of their own, not yet saved."""
    return [
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
    ]


def _sync_cases_and_actions(record: Record, content: dict[str, Any]) -> None:
    """Copy the version's case discussions and actions into their own rows. Actions keep their
    identity (and progress) by key."""
    CaseDiscussion.objects.filter(record=record).delete()
    CaseDiscussion.objects.bulk_create(case_discussion_rows(record, content))
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
