"""What Tandem knows about one pair's supervision as facts, so that the auditor judges only
what needs judgement. Each fact is a sentence and a suggested answer (yes, partly, no, or
"does not apply"), worked out once when the audit begins and kept on it.

A fixed number of queries, whatever the size of the sample or the history.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, F, Q

from tandem.agreements.models import Agreement, AgreementStatus
from tandem.development.models import CpdRecord, ObjectiveReview
from tandem.meetings.models import AgendaItem, Session, SessionStatus
from tandem.organisations.models import Person
from tandem.oversight.periods import Period
from tandem.oversight.selectors.figures import figures_by
from tandem.oversight.selectors.scope import Scope
from tandem.records.models import (
    Action,
    ActionStatus,
    CaseDiscussion,
    Record,
    RecordStatus,
    RecordVersion,
)

from .models import AuditAnswer

# An action written the same way in this many of the pair's records in a row is "the same
# actions from one supervision session to the next" (Ofsted).
REPEATS = 3
WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Fact:
    text: str
    suggested: str


def _share(part: int, whole: int, what: str) -> str:
    return f"{part} of {whole} {what}"


def _by_share(good: int, whole: int) -> str:
    if whole == 0:
        return AuditAnswer.NOT_APPLICABLE
    if good == whole:
        return AuditAnswer.YES
    return AuditAnswer.PARTLY if good else AuditAnswer.NO


def normalised(text: str) -> str:
    """An action's words without case, punctuation or spacing: what "unchanged" compares."""
    return " ".join(WORDS.findall(text.lower()))


def repeated_actions(records: Sequence[int], actions: Sequence[tuple[int, str]]) -> dict[str, int]:
    """Actions written the same in ``REPEATS`` or more consecutive records: their words and the
    longest run. ``records``: the pair's record ids in the order held; ``actions``: (record id,
    text) of each action."""
    order = {pk: index for index, pk in enumerate(records)}
    seen: dict[str, set[int]] = defaultdict(set)
    shown: dict[str, str] = {}
    for record_id, text in actions:
        if record_id in order:
            key = normalised(text)
            seen[key].add(order[record_id])
            shown.setdefault(key, text.strip())
    found: dict[str, int] = {}
    for key, places in seen.items():
        longest = run = 0
        previous = None
        for place in sorted(places):
            run = run + 1 if previous is not None and place == previous + 1 else 1
            longest = max(longest, run)
            previous = place
        if key and longest >= REPEATS:
            found[shown[key]] = longest
    return found


def audit_facts(
    *,
    supervisor: Person,
    supervisee: Person,
    starts_on: datetime.date,
    ends_on: datetime.date,
    sample: Sequence[Record],
    today: datetime.date,
) -> dict[str, Fact]:
    facts: dict[str, Fact] = {}
    ids = [record.pk for record in sample]
    n = len(ids)
    org = supervisee.organisation

    agreement = (
        Agreement.objects.filter(
            organisation_id=org.pk, supervisor=supervisor, supervisee=supervisee
        )
        .exclude(status__in=[AgreementStatus.DRAFT])
        .order_by("-created_at")
        .first()
    )
    if agreement is None:
        facts["agreement"] = Fact("No agreement between the two is on Tandem.", AuditAnswer.NO)
    elif agreement.signed_on is None:
        facts["agreement"] = Fact(
            "There is an agreement, not yet signed by both.", AuditAnswer.PARTLY
        )
    else:
        facts["agreement"] = Fact(
            f"An agreement signed by both on {agreement.signed_on:%-d %B %Y} "
            f"({agreement.get_status_display().lower()}).",
            AuditAnswer.YES if agreement.status == AgreementStatus.ACTIVE else AuditAnswer.PARTLY,
        )

    period = Period.custom(starts_on, ends_on)
    figures = figures_by(Scope(org), period, today, by="person", people=[supervisee.pk]).get(
        supervisee.pk
    )
    required = figures.required if figures else 0
    met = figures.met if figures else 0
    facts["frequency"] = Fact(
        f"{_share(met, required, 'sessions the policy required were held')} in the period."
        if required
        else "No session was due in the period yet.",
        AuditAnswer.NOT_APPLICABLE
        if not required
        else AuditAnswer.YES
        if met == required
        else AuditAnswer.PARTLY
        if met * 2 >= required
        else AuditAnswer.NO,
    )

    cancelled = Session.objects.filter(
        organisation_id=org.pk,
        supervisor=supervisor,
        supervisee=supervisee,
        status=SessionStatus.CANCELLED,
        starts_at__date__gte=starts_on,
        starts_at__date__lte=ends_on,
    ).aggregate(
        all=Count("pk"),
        explained=Count(
            "pk", filter=~Q(cancel_reason="") & ~Q(cancel_reason="other") | ~Q(cancel_note="")
        ),
        rebooked=Count("pk", filter=Q(rebooked_as__isnull=False)),
    )
    if not cancelled["all"]:
        facts["cancellations"] = Fact("No session was cancelled.", AuditAnswer.NOT_APPLICABLE)
    else:
        facts["cancellations"] = Fact(
            f"{cancelled['all']} sessions cancelled: {cancelled['explained']} with a reason "
            f"recorded, {cancelled['rebooked']} re-booked.",
            _by_share(cancelled["explained"], cancelled["all"]),
        )

    both = (
        AgendaItem.objects.filter(session__record__in=ids)
        .values("session_id")
        .annotate(
            mine=Count("pk", filter=Q(added_by=supervisee)),
            theirs=Count("pk", filter=Q(added_by=supervisor)),
        )
    )
    joint = sum(1 for row in both if row["mine"] and row["theirs"])
    facts["joint_agenda"] = Fact(
        f"{_share(joint, n, 'sessions')} had agenda items from both.",
        _by_share(joint, n),
    )

    cases = list(
        CaseDiscussion.objects.filter(record_id__in=ids).values_list(
            "record_id", "reflection", "decision", "rationale"
        )
    )
    with_cases = {record_id for record_id, *_ in cases}
    reflected = {
        record_id
        for record_id, reflection, _d, _r in cases
        if any(str(value).strip() for value in (reflection or {}).values())
    }
    unreflected = len(with_cases - reflected)
    facts["reflection"] = Fact(
        f"{_share(unreflected, len(with_cases), 'records with case discussions')} have no "
        "reflection on any case."
        if with_cases
        else "No case was discussed in the sample.",
        AuditAnswer.NOT_APPLICABLE
        if not with_cases
        else AuditAnswer.YES
        if not unreflected
        else AuditAnswer.PARTLY
        if unreflected * 2 <= len(with_cases)
        else AuditAnswer.NO,
    )
    decisions = [(d, r) for _id, _ref, d, r in cases if d.strip()]
    reasoned = sum(1 for _d, r in decisions if r.strip())
    facts["rationale"] = Fact(
        f"{_share(reasoned, len(decisions), 'case decisions')} have their rationale recorded."
        if decisions
        else "No case decision was recorded in the sample.",
        _by_share(reasoned, len(decisions)),
    )

    history = list(
        Record.objects.filter(
            organisation_id=org.pk,
            supervisor=supervisor,
            supervisee=supervisee,
            held_on__lte=ends_on,
        )
        .order_by("held_on", "id")
        .values_list("pk", flat=True)
    )
    actions = list(
        Action.objects.filter(record_id__in=history).values_list(
            "record_id", "text", "status", "due_on"
        )
    )
    repeats = repeated_actions(history, [(r, t) for r, t, _s, _d in actions])
    overdue = sum(1 for r, _t, s, d in actions if r in ids and s == ActionStatus.OPEN and d < today)
    parts = []
    if repeats:
        named = "; ".join(
            f"“{text}” in {count} records in a row" for text, count in repeats.items()
        )
        parts.append(f"Actions carried over unchanged for {REPEATS} or more sessions: {named}.")
    else:
        parts.append(f"No action was carried over unchanged for {REPEATS} or more sessions.")
    parts.append(
        f"{overdue} action from the sample is open past its date."
        if overdue == 1
        else f"{overdue} actions from the sample are open past their date."
    )
    facts["repeated_actions"] = Fact(
        " ".join(parts),
        AuditAnswer.NO if repeats else AuditAnswer.PARTLY if overdue else AuditAnswer.YES,
    )

    # Whether the welfare section was written in: never its words.
    written = (
        RecordVersion.objects.filter(record_id__in=ids, number=F("record__version_number"))
        .exclude(welfare="")
        .count()
    )
    facts["welfare"] = Fact(
        f"The welfare section is written in {_share(written, n, 'records')} (Tandem does not "
        "show you its words).",
        _by_share(written, n),
    )

    reviewed = set(
        ObjectiveReview.objects.filter(record_id__in=ids).values_list("record_id", flat=True)
    ) | set(
        CpdRecord.objects.filter(source_record_id__in=ids).values_list(
            "source_record_id", flat=True
        )
    )
    facts["objectives"] = Fact(
        f"Objectives were reviewed, or CPD logged, from {_share(len(reviewed), n, 'records')}.",
        _by_share(len(reviewed), n),
    )

    timely = (
        Record.objects.filter(pk__in=ids, status=RecordStatus.SIGNED)
        .filter(shared_at__date__lte=F("due_on"))
        .count()
    )
    facts["signatures"] = Fact(
        f"{_share(timely, n, 'records')} were shared by their deadline and signed by both.",
        _by_share(timely, n),
    )
    return facts
