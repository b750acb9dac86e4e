"""Case-file audits, as the source contract describes them: a case is chosen (by the month's
rule, at random from a stored seed, or by hand); the supervisor discusses the audit with the
worker beforehand (an item on their next supervision agenda); an auditor grades it with
findings and required actions; the learning is discussed at a later session and recorded in
its record, and its impact checked at a session after that."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.meetings.models import (
    AgendaItem,
    Priority,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionFunction,
)
from tandem.organisations.models import Organisation, Person, Team
from tandem.organisations.selectors import relationships_of_supervisee
from tandem.oversight.selectors.scope import Scope
from tandem.records.models import CaseDiscussion, Record

from ..models import CaseAudit, CaseAuditRound, CaseAuditStage, QualitySettings
from ..sampling import new_seed, seeded_sample, share_of
from ._common import audit, refuse_if, text

LOOK_BACK_MONTHS = 12
REFERENCE_MAX = 40
LABEL_MAX = 80

ITEMS = {
    "pre": (
        "Case-file audit of {ref}: talk through the audit before it happens",
        SupervisionFunction.MANAGEMENT,
    ),
    "learning": (
        "Case-file audit of {ref}: the learning from the audit",
        SupervisionFunction.DEVELOPMENT,
    ),
    "impact": (
        "Case-file audit of {ref}: the impact of the learning on practice",
        SupervisionFunction.DEVELOPMENT,
    ),
}
WAITING = {
    "pre": CaseAuditStage.SELECTED,
    "learning": CaseAuditStage.AUDITED,
    "impact": CaseAuditStage.LEARNING,
}


def settings_of(organisation: Organisation) -> QualitySettings:
    found, _created = QualitySettings.objects.get_or_create(organisation=organisation)
    return found


@transaction.atomic
def settings_change(
    *, organisation: Organisation, grades: list[str], share_percent: int | None, by: Person
) -> QualitySettings:
    problems: dict[str, str] = {}
    cleaned = [grade.strip() for grade in grades if grade.strip()]
    if len(cleaned) < 2:
        problems["grades"] = "Enter at least two grades, one on each line, best first."
    elif len(cleaned) > 10 or any(len(g) > LABEL_MAX for g in cleaned):
        problems["grades"] = f"Enter up to 10 grades of {LABEL_MAX} characters or fewer."
    elif len({g.lower() for g in cleaned}) != len(cleaned):
        problems["grades"] = "Each grade must be different."
    if share_percent is None or not 1 <= share_percent <= 100:
        problems["case_share_percent"] = "Enter a share between 1 and 100 per cent."
    refuse_if(problems)
    found = settings_of(organisation)
    before = {"grades": found.grades, "share": found.case_share_percent}
    found.grades = cleaned
    found.case_share_percent = share_percent or found.case_share_percent
    found.updated_at = timezone.now()
    found.save()
    audit(
        by=by,
        organisation=organisation,
        action="settings_changed",
        target=found,
        before=before,
        after={"grades": cleaned, "share": found.case_share_percent},
    )
    return found


def current_supervisor(worker: Person) -> Person | None:
    relationship = relationships_of_supervisee(person=worker).first()
    return relationship.supervisor if relationship else None


def _next_session(worker: Person, after: datetime.datetime) -> Session | None:
    return (
        Session.objects.filter(
            organisation_id=worker.organisation_id,
            supervisee=worker,
            kind__in=[SessionKind.ONE_TO_ONE, SessionKind.AD_HOC],
            status=SessionStatus.SCHEDULED,
            starts_at__gt=after,
        )
        .select_related("supervisor")
        .order_by("starts_at", "id")
        .first()
    )


def _item(case_audit: CaseAudit, which: str, session: Session) -> AgendaItem:
    title, function = ITEMS[which]
    return AgendaItem.objects.create(
        organisation_id=session.organisation_id,
        session=session,
        added_by=session.supervisor,
        title=title.format(ref=case_audit.case_reference)[:200],
        detail="Added by Tandem from the case-file audit. The case is named by its reference only.",
        priority=Priority.HIGH if which == "pre" else Priority.MEDIUM,
        minutes=10,
        function=function,
    )


def _place(case_audit: CaseAudit, which: str, after: datetime.datetime | None = None) -> None:
    """The item on the worker's next booked session after ``after`` (now), if there is one;
    otherwise it waits for one to be booked (``place_waiting_items``)."""
    session = _next_session(case_audit.worker, after or timezone.now())
    if session is not None:
        setattr(case_audit, f"{which}_item", _item(case_audit, which, session))
        case_audit.save(update_fields=[f"{which}_item"])


def place_waiting_items(*, sessions: list[Session]) -> None:
    """Newly booked one-to-one sessions take on the audit discussions waiting for one: each on
    the worker's first of them still to come. Two queries, however many sessions."""
    now = timezone.now()
    first: dict[int, Session] = {}
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.pk or 0)):
        if (
            session.supervisee_id is not None
            and session.kind != SessionKind.GROUP
            and session.starts_at > now
        ):
            first.setdefault(session.supervisee_id, session)
    if not first:
        return
    organisation_id = next(iter(first.values())).organisation_id
    waiting = Q()
    for which, stage in WAITING.items():
        waiting |= Q(stage=stage, **{f"{which}_item__isnull": True})
    supervisors = {s.supervisor_id for s in first.values()}
    people = {p.pk: p for p in Person.objects.filter(pk__in=supervisors)}
    for case_audit in CaseAudit.objects.filter(
        organisation_id=organisation_id, worker_id__in=list(first)
    ).filter(waiting):
        session = first[case_audit.worker_id]
        session.supervisor = people[session.supervisor_id]
        for which, stage in WAITING.items():
            if case_audit.stage == stage and getattr(case_audit, f"{which}_item_id") is None:
                setattr(case_audit, f"{which}_item", _item(case_audit, which, session))
                case_audit.save(update_fields=[f"{which}_item"])


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def case_candidates(
    organisation: Organisation, month: datetime.date, team: Team | None = None
) -> dict[int, list[tuple[str, str]]]:
    """Each worker's cases discussed in their supervision in the 12 months before the month
    (the references in order, with the latest label): what a rule chooses from."""
    since = month - relativedelta(months=LOOK_BACK_MONTHS)
    scope = Scope(organisation, unit=team)
    rows = (
        CaseDiscussion.objects.filter(
            organisation_id=organisation.pk,
            record__held_on__gte=since,
            record__held_on__lt=month,
            record__supervisee__left_on__isnull=True,
        )
        .filter(scope.people("record__supervisee__"))
        .values_list("record__supervisee_id", "case_reference", "label", "record__held_on")
        .order_by("record__supervisee_id", "case_reference", "record__held_on")
    )
    cases: dict[int, dict[str, str]] = defaultdict(dict)
    for worker_id, reference, label, _held in rows:
        cases[worker_id][reference.strip().upper()] = label
    return {worker: sorted(found.items()) for worker, found in sorted(cases.items())}


def chosen_by_rule(
    candidates: dict[int, list[tuple[str, str]]], *, share_percent: int, seed: int
) -> list[tuple[int, str, str]]:
    """(worker, reference, label) the rule chooses: a share of each worker's cases at random
    from the seed, salted with the worker, so the same seed chooses the same cases again."""
    chosen = []
    for worker_id, cases in candidates.items():
        count = share_of(len(cases), share_percent)
        for reference, label in seeded_sample(cases, count, seed=seed, salt=worker_id):
            chosen.append((worker_id, reference, label))
    return chosen


@transaction.atomic
def case_round_select(
    *,
    organisation: Organisation,
    month: datetime.date,
    share_percent: int | None,
    by: Person,
    team: Team | None = None,
    seed: int | None = None,
) -> CaseAuditRound:
    problems: dict[str, str] = {}
    if share_percent is None or not 1 <= share_percent <= 100:
        problems["share_percent"] = "Enter a share between 1 and 100 per cent."
    if team is not None and team.organisation_id != organisation.pk:
        problems["team"] = "Choose one of your organisation's teams."
    refuse_if(problems)
    assert share_percent is not None
    month = first_of_month(month)
    seed = seed or new_seed()
    candidates = case_candidates(organisation, month, team)
    chosen = chosen_by_rule(candidates, share_percent=share_percent, seed=seed)
    if not chosen:
        refuse_if({"month": "No cases were discussed in supervision in the 12 months before it."})
    selection = CaseAuditRound.objects.create(
        organisation=organisation,
        month=month,
        team=team,
        share_percent=share_percent,
        seed=seed,
        created_by=by,
    )
    workers = {p.pk: p for p in Person.objects.filter(pk__in={w for w, _r, _l in chosen})}
    for worker_id, reference, label in chosen:
        worker = workers[worker_id]
        case_audit = CaseAudit.objects.create(
            organisation=organisation,
            round=selection,
            by_rule=True,
            worker=worker,
            supervisor=current_supervisor(worker),
            case_reference=reference,
            label=label,
            created_by=by,
        )
        _place(case_audit, "pre")
    audit(
        by=by,
        organisation=organisation,
        action="case_round_selected",
        target=selection,
        seed=seed,
        share=share_percent,
        chosen=len(chosen),
    )
    return selection


@transaction.atomic
def case_audit_add(
    *, worker: Person | None, case_reference: str, label: str, by: Person
) -> CaseAudit:
    """A case chosen by hand (a serious case review, a complaint, a worker's request)."""
    problems: dict[str, str] = {}
    reference = text(
        problems, "case_reference", case_reference, label="the case reference", limit=REFERENCE_MAX
    )
    label = text(problems, "label", label, label="the label", required=False, limit=LABEL_MAX)
    if worker is None or worker.organisation_id != by.organisation_id:
        problems["worker"] = "Choose the worker whose case it is."
    refuse_if(problems)
    assert worker is not None
    case_audit = CaseAudit.objects.create(
        organisation_id=worker.organisation_id,
        worker=worker,
        supervisor=current_supervisor(worker),
        case_reference=reference.upper(),
        label=label,
        created_by=by,
    )
    _place(case_audit, "pre")
    audit(by=by, organisation=worker.organisation, action="case_audit_added", target=case_audit)
    return case_audit


@transaction.atomic
def case_audit_record(
    *,
    case_audit: CaseAudit,
    by: Person,
    grade: str,
    findings: str,
    required_actions: str,
    audited_on: datetime.date | None,
) -> CaseAudit:
    """The auditor's grade, findings and required actions. The learning then goes on the
    worker's next supervision agenda."""
    case_audit = (
        CaseAudit.objects.select_for_update(of=("self",))
        .select_related("worker")
        .get(pk=case_audit.pk)
    )
    problems: dict[str, str] = {}
    if case_audit.stage != CaseAuditStage.SELECTED:
        problems["grade"] = "This case has been audited already."
    if by.pk == case_audit.worker_id:
        problems["grade"] = "Nobody audits their own case."
    grades = settings_of(case_audit.worker.organisation).grades
    if grade not in grades:
        problems["grade"] = "Choose a grade from the organisation's scale."
    findings = text(problems, "findings", findings, label="the findings")
    required_actions = text(
        problems, "required_actions", required_actions, label="the required actions", required=False
    )
    today = timezone.localdate()
    if audited_on is None:
        problems["audited_on"] = "Enter the date of the audit."
    elif audited_on > today:
        problems["audited_on"] = "The date of the audit must be today or in the past."
    refuse_if(problems)
    case_audit.auditor = by
    case_audit.grade = grade
    case_audit.findings = findings
    case_audit.required_actions = required_actions
    case_audit.audited_on = audited_on
    case_audit.stage = CaseAuditStage.AUDITED
    case_audit.save()
    _place(case_audit, "learning")
    audit(
        by=by,
        organisation=case_audit.worker.organisation,
        action="case_audited",
        target=case_audit,
        grade=grade,
    )
    return case_audit


def _check_record(
    case_audit: CaseAudit, record: Record | None, by: Person, after: datetime.date | None
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if record is None or record.supervisee_id != case_audit.worker_id:
        problems["note"] = "Record it in a supervision record of the worker's."
    elif by.pk not in (record.supervisor_id, record.supervisee_id):
        problems["note"] = "Only the two people in the supervision record it."
    elif after is not None and record.held_on <= after:
        problems["note"] = f"Record it in a session held after {after:%-d %B %Y}."
    return problems


@transaction.atomic
def case_learning_record(
    *, case_audit: CaseAudit, record: Record | None, note: str, by: Person
) -> CaseAudit:
    """The learning from the audit, recorded in a supervision session after the audit."""
    case_audit = (
        CaseAudit.objects.select_for_update(of=("self",))
        .select_related("worker")
        .get(pk=case_audit.pk)
    )
    problems: dict[str, str] = {}
    if case_audit.stage != CaseAuditStage.AUDITED:
        problems["note"] = "The learning is recorded once the case has been audited, and once only."
    else:
        problems.update(_check_record(case_audit, record, by, None))
        if record is not None and case_audit.audited_on and record.held_on < case_audit.audited_on:
            problems["note"] = "Record the learning in a session held on or after the audit."
    note = text(problems, "note", note, label="what was learnt")
    refuse_if(problems)
    assert record is not None
    case_audit.learning_note = note
    case_audit.learning_record = record
    case_audit.stage = CaseAuditStage.LEARNING
    case_audit.save()
    _place(case_audit, "impact", after=record.session.starts_at)
    audit(
        by=by,
        organisation=case_audit.worker.organisation,
        action="case_learning",
        target=case_audit,
        record=record.pk,
    )
    return case_audit


@transaction.atomic
def case_impact_record(
    *, case_audit: CaseAudit, record: Record | None, note: str, by: Person
) -> CaseAudit:
    """The learning's impact on practice, checked at a session after the learning's."""
    case_audit = (
        CaseAudit.objects.select_for_update(of=("self",))
        .select_related("worker", "learning_record")
        .get(pk=case_audit.pk)
    )
    problems: dict[str, str] = {}
    if case_audit.stage != CaseAuditStage.LEARNING or case_audit.learning_record is None:
        problems["note"] = (
            "The impact is checked once the learning has been recorded, and once only."
        )
    else:
        problems.update(_check_record(case_audit, record, by, case_audit.learning_record.held_on))
    note = text(problems, "note", note, label="the impact on practice")
    refuse_if(problems)
    assert record is not None
    case_audit.impact_note = note
    case_audit.impact_record = record
    case_audit.stage = CaseAuditStage.DONE
    case_audit.save()
    audit(
        by=by,
        organisation=case_audit.worker.organisation,
        action="case_impact",
        target=case_audit,
        record=record.pk,
    )
    return case_audit


def due_in_record(record: Record) -> list[dict[str, Any]]:
    """The case-file audits the record's session is the place for: the learning of an audited
    case (a session on or after the audit), the impact of recorded learning (a later
    session)."""
    found = []
    for case_audit in CaseAudit.objects.filter(
        organisation_id=record.organisation_id,
        worker_id=record.supervisee_id,
        stage__in=[CaseAuditStage.AUDITED, CaseAuditStage.LEARNING],
    ).select_related("learning_record"):
        if case_audit.stage == CaseAuditStage.AUDITED:
            if case_audit.audited_on and record.held_on >= case_audit.audited_on:
                found.append({"audit": case_audit, "which": "learning"})
        elif case_audit.learning_record and record.held_on > case_audit.learning_record.held_on:
            found.append({"audit": case_audit, "which": "impact"})
    return found
