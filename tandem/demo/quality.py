"""The demo's quality of supervision and supervisor's pathway, made through the quality and
records services (``manage.py load_demo``), at Northbridge:

* Case-file audits every month for the last year, one team's workers a month by the month's
  rule (a share of each worker's cases, at random from a stored seed), chosen, discussed,
  graded by Joan Whitfield, the principal social worker, with the learning recorded in a later
  supervision record and its impact checked at one after; two audits are still waiting for
  their learning, and this month's cases are on the workers' next agendas.
* Supervision audits by Joan: Chloe Harrington's supervision in Child Protection West, whose
  facts show what its figures suggest (the same action session after session, little
  reflection), completed and waiting for Chloe's reply; and two in other teams, replied to.
* The records of the last two of Daniel's monthly reflective groups: the older shared and
  acknowledged by most of the group, the latest shared and waiting to be read.
* Two new practice supervisors on the pathway: Kwame Asante three months in, Chloe Harrington
  eleven months in, with the plan done to match and their KSS self-assessments.
* A pipeline of six senior social workers, one acting up; and equality information declared
  by most staff, one ethnic group too small to show.

Made once: a second run finds it all there (each part checks for its own rows first).
"""

from __future__ import annotations

import datetime
import random
from collections import Counter

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.demo.organisations import NORTHBRIDGE, STRUGGLING_TEAM
from tandem.meetings.models import AgendaItem, Session, SessionKind, SessionStatus
from tandem.organisations.models import Organisation, Person, StaffCategory, Team, TeamKind
from tandem.organisations.selectors import relationships_of_supervisor
from tandem.quality import services
from tandem.quality.frameworks import PS_KSS_HEADINGS
from tandem.quality.models import (
    AuditAnswer,
    CaseAudit,
    CaseAuditRound,
    EqualityProfile,
    Pathway,
    PipelineEntry,
    SupervisionAudit,
)
from tandem.records import services as record_services
from tandem.records.models import GroupRecord, Record, RecordStatus

JOAN = ("Joan", "Whitfield")
DANIEL = ("Daniel", "Okafor")
NEW_SUPERVISORS = [(("Kwame", "Asante"), 3), (("Chloe", "Harrington"), 11)]
SEED = 20261
MONTHS = 12
# The two audits (of the oldest months) whose learning has not been recorded yet.
WITHOUT_LEARNING = 2


def _named(organisation: Organisation, name: tuple[str, str]) -> Person | None:
    return Person.objects.filter(
        organisation=organisation, first_name=name[0], last_name=name[1]
    ).first()


def _teams(organisation: Organisation) -> list[Team]:
    return list(Team.objects.filter(organisation=organisation, kind=TeamKind.TEAM).order_by("name"))


def _first_record(
    worker: Person, on_or_after: datetime.date, today: datetime.date
) -> Record | None:
    return (
        Record.objects.filter(
            organisation_id=worker.organisation_id,
            supervisee=worker,
            held_on__gte=on_or_after,
            held_on__lt=today,
        )
        .exclude(status=RecordStatus.DRAFT)
        .select_related("session")
        .order_by("held_on", "id")
        .first()
    )


def _drop_item(case_audit: CaseAudit, which: str) -> None:
    """An audit discussion of the past is not for a session to come: the item the service put on
    the worker's next booked session goes. (The sessions of that time have their records
    signed already, agenda and all: nothing is added to them.)"""
    item = getattr(case_audit, f"{which}_item")
    if item is not None:
        setattr(case_audit, f"{which}_item", None)
        case_audit.save(update_fields=[f"{which}_item"])
        AgendaItem.objects.filter(pk=item.pk).delete()


def _grade(rng: random.Random, struggling: bool, grades: list[str]) -> str:
    weights = (1, 3, 4, 2) if struggling else (2, 6, 2, 0)
    return rng.choices(grades[:4], weights=weights[: len(grades[:4])])[0]


def _case_audits(organisation: Organisation, joan: Person, today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    if CaseAuditRound.objects.filter(organisation=organisation).exists():
        return made
    teams = _teams(organisation)
    grades = services.settings_of(organisation).grades
    rng = random.Random(SEED)
    this_month = today.replace(day=1)
    without = 0
    for back in range(MONTHS, 0, -1):
        month = this_month - relativedelta(months=back)
        team = teams[back % len(teams)]
        selection = services.case_round_select(
            organisation=organisation,
            month=month,
            share_percent=10,
            team=team,
            seed=SEED + back,
            by=joan,
        )
        chosen_at = timezone.make_aware(
            datetime.datetime.combine(month + datetime.timedelta(days=1), datetime.time(9))
        )
        CaseAuditRound.objects.filter(pk=selection.pk).update(created_at=chosen_at)
        made["rounds"] += 1
        for case_audit in CaseAudit.objects.filter(round=selection).select_related(
            "worker", "pre_item"
        ):
            made["case_audits"] += 1
            CaseAudit.objects.filter(pk=case_audit.pk).update(created_at=chosen_at)
            worker = case_audit.worker
            _drop_item(case_audit, "pre")
            audited_on = month + datetime.timedelta(days=14)
            case_audit = services.case_audit_record(
                case_audit=case_audit,
                by=joan,
                grade=_grade(rng, team.name == STRUGGLING_TEAM, grades),
                findings=rng.choice(FINDINGS),
                required_actions=rng.choice(REQUIRED),
                audited_on=audited_on,
            )
            learning_at = _first_record(worker, audited_on, today)
            keep_waiting = back > 3 and without < WITHOUT_LEARNING and learning_at is not None
            if learning_at is None or keep_waiting:
                # Still to discuss: on the worker's next booked session, where the service put it.
                without += keep_waiting
                continue
            _drop_item(case_audit, "learning")
            case_audit = services.case_learning_record(
                case_audit=case_audit,
                record=learning_at,
                note=rng.choice(LEARNING),
                by=learning_at.supervisor,
            )
            made["learning"] += 1
            impact_at = _first_record(
                worker, learning_at.held_on + datetime.timedelta(days=1), today
            )
            if impact_at is None:
                continue
            _drop_item(case_audit, "impact")
            services.case_impact_record(
                case_audit=case_audit,
                record=impact_at,
                note=rng.choice(IMPACT),
                by=impact_at.supervisor,
            )
            made["impact"] += 1
    # This month's: chosen by the rule, on the workers' next agendas.
    services.case_round_select(
        organisation=organisation,
        month=this_month,
        share_percent=10,
        team=teams[0],
        seed=SEED,
        by=joan,
    )
    made["rounds"] += 1
    return made


FINDINGS = [
    "The chronology is up to date and the analysis weighs the risks clearly. The child's voice is recorded at every visit.",
    "The assessment is thorough but the plan's actions have no dates; the child's wishes are recorded once only.",
    "Visits are within timescales. The case summary has not been updated since the last core group.",
    "Strong direct work with the family; the management oversight on the file does not record the rationale for closing.",
]
REQUIRED = [
    "Update the chronology and the case summary within 10 working days.",
    "Add dates and owners to every action in the plan.",
    "Record the child's wishes and feelings at the next visit.",
    "",
]
LEARNING = [
    "We talked through the audit: plans need dates and owners, and the child's voice at every visit. Agreed to use the plan template from now on.",
    "The audit found the chronology out of date. Discussed keeping it current weekly and how it helps the analysis.",
    "Reflected on the management oversight finding: decisions to close must record why.",
]
IMPACT = [
    "Checked two current plans together: both now have dates and owners.",
    "The chronologies on three cases are up to date; the worker says it has sharpened her analysis.",
    "Closure summaries now record the rationale; seen on the last two closures.",
]


def _supervision_audits(
    organisation: Organisation, joan: Person, today: datetime.date
) -> Counter[str]:
    made: Counter[str] = Counter()
    if SupervisionAudit.objects.filter(organisation=organisation).exists():
        return made
    ends = today - datetime.timedelta(days=1)
    starts = ends - relativedelta(months=6)
    pairs = []
    for name, team_name in (
        (("Chloe", "Harrington"), STRUGGLING_TEAM),
        (("Simon", "Ashworth"), "Child Protection East"),
        (("Daniel", "Okafor"), "Duty and Assessment"),
    ):
        supervisor = _named(organisation, name)
        if supervisor is None:
            continue
        relationship = (
            relationships_of_supervisor(person=supervisor)
            .filter(supervisee__staff_category=StaffCategory.REGISTERED_SOCIAL_WORKER)
            .first()
        )
        if relationship is not None:
            pairs.append((supervisor, relationship.supervisee, team_name == STRUGGLING_TEAM))
    for supervisor, supervisee, struggling in pairs:
        try:
            audit = services.audit_begin(
                supervisor=supervisor,
                supervisee=supervisee,
                starts_on=starts,
                ends_on=ends,
                sample_size=6,
                by=joan,
                seed=SEED,
            )
        except ValidationError:  # a pair with no shared records in the period
            continue
        answers = {}
        for response in audit.responses.all():
            if response.answer:
                answers[response.pk] = (response.answer, "")
            else:
                answers[response.pk] = (
                    AuditAnswer.PARTLY if struggling else AuditAnswer.YES,
                    "Supportive, but the same actions come back and cases are described more than analysed."
                    if struggling
                    else "Warm and challenging: hypotheses are tested in every case.",
                )
        services.audit_answers_save(
            supervision_audit=audit,
            by=joan,
            answers=answers,
            summary=(
                "Sessions are kind and the relationship is good, but they are not yet reflective: "
                "most case discussions record what happened, not what it means, and the same "
                "caseload action is carried from one session to the next. Agree specific, dated "
                "actions and use the reflective prompts for at least one case each time."
            )
            if struggling
            else "Regular, reflective supervision with clear decisions and rationale. Keep it up.",
        )
        audit = services.audit_complete(supervision_audit=audit, by=joan)
        made["supervision_audits"] += 1
        if not struggling:
            services.audit_reply(
                supervision_audit=audit,
                by=supervisor,
                reply="Thank you. I will keep using the prompts and share the approach at our practice forum.",
            )
    return made


def _group_records(organisation: Organisation, today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    daniel = _named(organisation, DANIEL)
    if daniel is None or GroupRecord.objects.filter(organisation=organisation).exists():
        return made
    sessions = list(
        Session.objects.filter(
            organisation=organisation,
            supervisor=daniel,
            kind=SessionKind.GROUP,
            status=SessionStatus.HELD,
        ).order_by("-starts_at")[:2]
    )
    for index, session in enumerate(reversed(sessions)):
        record = record_services.group_record_start(session=session, by=daniel)
        members = list(session.members.order_by("staff_number"))
        present = {m.pk for m in members[: len(members) - 1]}
        record_services.group_record_save(
            record=record,
            by=daniel,
            learning_points=GROUP_LEARNING[index % len(GROUP_LEARNING)],
            present=present,
        )
        holders = [m for m in members if m.pk in present][:2]
        for n, holder in enumerate(holders):
            record_services.group_case_add(
                record=record,
                by=daniel,
                case_reference=f"CF-{640100 + 10 * index + n}",
                case_holder=holder,
                label=("Neglect, three siblings", "Domestic abuse, pre-birth")[n % 2],
                discussion="The group mapped the risks and the strengths, and what is not yet known.",
                decision=(
                    "Convene a strategy discussion this week.",
                    "Continue the child in need plan; review in 6 weeks.",
                )[n % 2],
                rationale=(
                    "New concerns from school and the health visitor together meet the threshold.",
                    "Engagement has improved and the risks are reducing.",
                )[n % 2],
            )
        record_services.group_action_add(
            record=record,
            by=daniel,
            text="Share the neglect toolkit with the team",
            owner=daniel,
            due_on=record.held_on + datetime.timedelta(days=14),
        )
        record = record_services.group_record_share(record=record, by=daniel)
        if index == 0:
            for member in members[:-2]:
                record_services.group_record_acknowledge(record=record, by=member)
        made["group_records"] += 1
    return made


GROUP_LEARNING = [
    "Using the graded care profile early gives a shared language with families. Hypotheses are held lightly and tested at the next visit.",
    "Naming what we do not know yet is as important as what we do. The group will bring one stuck case each month.",
]


def _ratings(seed: int) -> dict[str, dict[str, str]]:
    rng = random.Random(seed)
    return {
        str(number): {
            "rating": rng.choice(["emerging", "developing", "developing", "secure"]),
            "note": "",
        }
        for number, _heading in PS_KSS_HEADINGS
    }


def _pathways(organisation: Organisation, today: datetime.date) -> Counter[str]:
    from tandem.quality.models import PathwaySelfAssessment

    made: Counter[str] = Counter()
    for name, months in NEW_SUPERVISORS:
        person = _named(organisation, name)
        if person is None or Pathway.objects.filter(person=person).exists():
            continue
        manager = person.team.manager if person.team else None
        starts_on = today - relativedelta(months=months)
        pathway = services.pathway_start(
            person=person, starts_on=starts_on, supporter=manager, by=manager or person
        )
        for item in pathway.items.all():
            if item.due_on and item.due_on <= today - datetime.timedelta(days=7):
                services.pathway_item_done(
                    item=item, by=person, done_on=item.due_on - datetime.timedelta(days=3)
                )
        if months >= 11:
            services.pathway_item_add(
                pathway=pathway,
                by=person,
                area="partnership",
                title="Member, the safeguarding partnership's neglect sub-group",
                due_on=starts_on + relativedelta(months=8),
            )
        for point, at in (("start", 0), ("six", 6)):
            if months >= at:
                PathwaySelfAssessment.objects.create(
                    organisation=organisation,
                    pathway=pathway,
                    point=point,
                    framework="KSS for practice supervisors in child and family social work (DfE, 2018)",
                    completed_on=starts_on + relativedelta(months=at, days=10),
                    ratings=_ratings(person.pk * 10 + at),
                )
        made["pathways"] += 1
    return made


def _pipeline(organisation: Organisation, today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    if PipelineEntry.objects.filter(organisation=organisation).exists():
        return made
    seniors = list(
        Person.objects.filter(
            organisation=organisation,
            job_title="Senior social worker",
            left_on__isnull=True,
        )
        .select_related("team__manager")
        .order_by("staff_number")[:6]
    )
    statuses = ["acting_up", "developing", "developing", "developing", "identified", "identified"]
    plans: dict[str, list[tuple[str, str]]] = {
        "acting_up": [
            ("training", "Leadership and management essentials"),
            ("acting_up", "Acting practice supervisor while a colleague is on leave"),
        ],
        "developing": [
            ("mentoring", "Monthly mentoring with a practice supervisor"),
            ("shadowing", "Shadow a practice supervisor's supervision sessions"),
        ],
        "identified": [],
    }
    for n, (person, status) in enumerate(zip(seniors, statuses, strict=False)):
        identifier = person.team.manager if person.team and person.team.manager else None
        if identifier is None:
            continue
        entry = services.pipeline_add(
            person=person,
            by=identifier,
            identified_on=today - relativedelta(months=6 - n % 3),
            strengths=(
                "Calm, analytical and trusted by colleagues; mentors students well.",
                "Strong with data and with partners; leads the team's audits.",
            )[n % 2],
            best_placed=(
                "A practice supervisor in assessment.",
                "A practice supervisor in child protection.",
            )[n % 2],
        )
        for kind, description in plans[status]:
            services.pipeline_plan_add(
                entry=entry,
                by=identifier,
                kind=kind,
                description=description,
                starts_on=today - relativedelta(months=2),
                ends_on=today + relativedelta(months=2) if kind == "acting_up" else None,
            )
        if n == 1:
            services.pipeline_plan_add(
                entry=entry,
                by=identifier,
                kind="coaching",
                description="Coaching for new leaders",
                starts_on=today - relativedelta(months=1),
            )
        made["pipeline"] += 1
    return made


def _equality(organisation: Organisation) -> Counter[str]:
    """Most staff declare something; one ethnic group has 3 people, too few to show."""
    made: Counter[str] = Counter()
    if EqualityProfile.objects.filter(organisation=organisation).exists():
        return made
    rng = random.Random(SEED)
    people = list(Person.objects.filter(organisation=organisation).order_by("staff_number"))
    mixed = 0
    rows = []
    for person in people:
        if rng.random() < 0.15:
            continue  # not declared
        group = rng.choices(["white", "asian", "black", "prefer_not"], weights=(60, 20, 15, 5))[0]
        if mixed < 3 and rng.random() < 0.1:
            group, mixed = "mixed", mixed + 1
        rows.append(
            EqualityProfile(
                organisation=organisation,
                person=person,
                ethnic_group=group,
                sex=rng.choices(["female", "male", "prefer_not"], weights=(74, 20, 6))[0],
                disability=rng.choices(["no", "yes", "prefer_not", ""], weights=(80, 9, 6, 5))[0],
            )
        )
    EqualityProfile.objects.bulk_create(rows)
    made["equality"] = len(rows)
    return made


@transaction.atomic
def load_demo_quality(today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    made: Counter[str] = Counter()
    organisation = Organisation.objects.filter(name=NORTHBRIDGE).first()
    joan = _named(organisation, JOAN) if organisation else None
    if organisation is not None and joan is not None:
        made += _case_audits(organisation, joan, today)
        made += _supervision_audits(organisation, joan, today)
        made += _group_records(organisation, today)
        made += _pathways(organisation, today)
        made += _pipeline(organisation, today)
        made += _equality(organisation)
    keys = (
        "rounds",
        "case_audits",
        "learning",
        "impact",
        "supervision_audits",
        "group_records",
        "pathways",
        "pipeline",
        "equality",
    )
    return {key: made[key] for key in keys}
