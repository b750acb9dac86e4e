"""The demo's development, made through the development services (``manage.py load_demo``).

* Northbridge: its eight NQSWs' ASYEs at their stages (Amira in week 3; one whose caseload is
  above its weighting; one assessed by a practice supervisor of another team; one with the
  3-month review overdue; one back from three weeks' sickness; one extended by part-time
  working, with three direct observations and the families' feedback; one near the end with the
  assessor's recommendation); CPD for its social workers (some with none yet, so behind from
  1 September), a CPD record Amira started from her supervision record; the council's courses;
  objectives for a few people and last year's appraisal for three.
* Meadowbank Care: Aoife Brennan's revalidation due next quarter with most of its evidence in,
  Samuel Mensah's two years off; the Care Certificate for the three new starters (one past its
  12-week target).
* Hollyfield: Tom Bennett, the designated safeguarding lead, with his training and a knowledge
  update that has fallen due.

Dates that say where someone is (an NQSW's week, a nurse's renewal date, a new starter's weeks)
follow today, so loading again on a later day puts them back in place: their rows are made
again when the day they hang on has moved. Everything else is made once.
"""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from tandem.demo.organisations import HOLLYFIELD, MEADOWBANK, NORTHBRIDGE
from tandem.development import schemes, services
from tandem.development.models import (
    Appraisal,
    Asye,
    CareCertificate,
    CodeTheme,
    Course,
    CpdKind,
    CpdRecord,
    Objective,
    ObjectiveStatus,
    Revalidation,
    SafeguardingLead,
    SafeguardingTrainingKind,
)
from tandem.organisations.models import Organisation, Person, StaffCategory
from tandem.organisations.selectors import relationships_of_supervisee
from tandem.records.models import Record, RecordStatus

COURSES = [
    ("Court skills for social workers", "Northbridge Learning and Development"),
    ("Working with neglect: the graded care profile", "Northbridge Learning and Development"),
    ("Signs of Safety: two-day practice course", "Northbridge Learning and Development"),
    ("Practice educator training, stage 1", "Northbridge University"),
]
CPD_TOPICS = [
    (CpdKind.COURSE, "Working with neglect: the graded care profile"),
    (CpdKind.READING, "Research in Practice briefing: contextual safeguarding"),
    (CpdKind.SUPERVISION, "Supervision: reflecting on a complex strategy discussion"),
    (CpdKind.E_LEARNING, "E-learning: the Mental Capacity Act for children's workers"),
    (CpdKind.GROUP_SUPERVISION, "Group supervision: working with disguised compliance"),
    (CpdKind.CONFERENCE, "Regional conference: neglect and poverty"),
]
NQSW_WORDS = {
    "progress": "Settling into the team well; visits are purposeful and recorded on time. "
    "Growing confidence in assessments; analysis still leans on description.",
    "assessor": "On track at this point of the ASYE. Evidence is strongest in domains 1, 2 and "
    "7; next, analysis and critical reflection (domain 6).",
    "nqsw": "I feel supported. I want more practice presenting at child protection conferences.",
}


def _weekday_on_or_before(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def _supervisor_of(person: Person) -> Person | None:
    relationship = relationships_of_supervisee(person=person).first()
    return relationship.supervisor if relationship else None


# Northbridge: the ASYEs


def _asye_for(person: Person, assessor: Person | None, by: Person) -> Asye | None:
    """The NQSW's ASYE from their ASYE start; made again if that start has moved."""
    existing = Asye.objects.filter(person=person).first()
    if existing is not None and existing.starts_on == person.asye_start:
        return None
    Asye.objects.filter(person=person).delete()
    return services.asye_start(person=person, starts_on=person.asye_start, assessor=assessor, by=by)


def _hold(asye: Asye, keys: list[str], by: Person, today: datetime.date, late: int = 0) -> int:
    held = 0
    for review in asye.reviews.filter(key__in=keys).order_by("position"):
        on = min(review.due_on + datetime.timedelta(days=late), today)
        services.asye_review_record(
            review=review,
            held_on=_weekday_on_or_before(on),
            progress=NQSW_WORDS["progress"],
            assessor_view=NQSW_WORDS["assessor"],
            nqsw_view=NQSW_WORDS["nqsw"],
            by=by,
        )
        held += 1
    return held


def _observe(asye: Asye, by: Person, today: datetime.date, count: int, made: Counter[str]) -> None:
    for n in range(count):
        on = _weekday_on_or_before(today - datetime.timedelta(days=25 + 45 * (count - n)))
        observation = services.observation_save(
            asye=asye,
            by=by,
            fields={
                "observed_on": max(on, asye.starts_on),
                "preparation": "Planned the visit's purpose with the assessor: hearing the "
                "child's view of the contact arrangements.",
                "consent": True,
                "consent_note": "The parents agreed when the visit was booked, and again at "
                "the door.",
                "observation": "A home visit. Clear introductions; the child was seen alone "
                "and listened to; the parents' worries were named without blame.",
                "domains": [1, 2, 7] if n % 2 == 0 else [3, 6, 7],
                "benchmarking": "At ASYE level in domains 2 and 7; domain 6 developing.",
                "reflection": "I noticed I filled silences. Next time I will leave room.",
            },
        )
        made["observations"] += 1
        feedback = [
            "She listened to my son and explained what would happen next.",
            "Friendly and clear. I would have liked the letter sooner.",
            "She was respectful in our home and came when she said she would.",
        ][n % 3]
        if n == count - 1:
            # The last family answered through the link, with no sign-in.
            services.observation_feedback_link(observation=observation, by=by)
            observation.refresh_from_db()
            services.observation_feedback_give(observation=observation, text=feedback)
        else:
            services.observation_feedback_enter(
                observation=observation, text=feedback, on=observation.observed_on, by=by
            )


def _northbridge_asyes(organisation: Organisation, today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    nqsws = list(
        Person.objects.for_organisation(organisation)
        .filter(staff_category=StaffCategory.NQSW_ASYE, asye_start__isnull=False)
        .order_by("-asye_start", "staff_number")  # the newest first: Amira in week 3
    )
    practice_supervisors = list(
        Person.objects.for_organisation(organisation)
        .filter(staff_category=StaffCategory.PRACTICE_SUPERVISOR)
        .order_by("staff_number")
    )
    for index, person in enumerate(nqsws):
        supervisor = _supervisor_of(person)
        assessor = supervisor
        if index == 2 and supervisor is not None:
            # Assessed by a practice supervisor of another team: not the line supervisor.
            assessor = next(
                (p for p in practice_supervisors if p.team_id != person.team_id), supervisor
            )
        by = supervisor or assessor
        if by is None:
            continue
        asye = _asye_for(person, assessor, by)
        if asye is None:
            continue
        made["asyes"] += 1
        assessor = asye.assessor or by
        if index == 0:
            services.caseload_enter(asye=asye, on=today, cases=4, by=person)
        elif index == 1:
            services.caseload_enter(asye=asye, on=today, cases=7, by=person)  # above 5
        elif index == 2:
            services.caseload_enter(asye=asye, on=today, cases=5, by=supervisor or person)
        elif index == 3:
            pass  # the 3-month review has passed with no meeting: overdue
        elif index == 4:
            made["reviews"] += _hold(asye, ["3m"], assessor, today)
            services.asye_pause_add(
                asye=asye,
                kind="sickness",
                starts_on=today - datetime.timedelta(days=31),
                ends_on=today - datetime.timedelta(days=11),
                fte_percent=None,
                note="Back on a phased return.",
                by=by,
            )
        elif index == 5:
            made["reviews"] += _hold(asye, ["3m", "6m"], assessor, today, late=3)
            services.asye_pause_add(
                asye=asye,
                kind="part_time",
                starts_on=asye.starts_on + datetime.timedelta(days=120),
                ends_on=asye.starts_on + relativedelta(years=2),
                fte_percent=60,
                note="Three days a week after returning from leave.",
                by=by,
            )
            _observe(asye, assessor, today, 3, made)
        elif index >= 6:
            keys = ["3m", "6m", "9m"]
            made["reviews"] += _hold(asye, keys, assessor, today)
            _observe(asye, assessor, today, 2, made)
            if index == 7:
                services.asye_recommend(
                    asye=asye,
                    recommendation="pass",
                    notes="Consistently at ASYE level across the nine domains; the critical "
                    "reflection log shows real growth in analysis.",
                    on=today,
                    by=assessor,
                )
        if index in (0, 2, 6, 7):
            services.self_assessment_save(
                asye=asye,
                point="start",
                completed_on=min(today, asye.starts_on + datetime.timedelta(days=10)),
                ratings={
                    str(n): {"rating": "developing" if n % 3 else "emerging", "note": ""}
                    for n in range(1, 11)
                },
                by=person,
            )
        services.asye_evidence_add(
            asye=asye,
            kind="reflection",
            title="Reflecting on my first strategy discussion",
            on=min(today, asye.starts_on + datetime.timedelta(days=12)),
            text="I was unsure when to speak. Supervision helped me see my view had value.",
            domains=[1, 6],
            by=person,
        )
    return made


# Northbridge: CPD, courses, objectives, appraisals


def _cpd(person: Person, n: int, today: datetime.date) -> int:
    """A pattern by person: none yet, one, two with peer reflection, one in supervision..."""
    count = [0, 1, 2, 1, 3][n % 5]
    made = 0
    for k in range(count):
        kind, title = CPD_TOPICS[(n + k) % len(CPD_TOPICS)]
        if n % 5 == 3:
            kind, title = CPD_TOPICS[2]
        done_on = today - datetime.timedelta(days=10 + ((n * 37 + k * 71) % 300))
        services.cpd_record_add(
            person=person,
            by=person,
            fields={
                "kind": kind,
                "title": title,
                "done_on": done_on,
                "description": "What I did, and why it mattered for my families.",
                "learnt": "A clearer way to weigh what I see against what I am told.",
                "impact": "I now check my analysis with a colleague before a conference.",
                "peer_reflection": k == 1,
                "peer_with": "A colleague in the team" if k == 1 else "",
                "peer_on": done_on if k == 1 else None,
                "hours": Decimal("3.5") if kind == CpdKind.COURSE else None,
                "participatory_hours": Decimal("3.5") if kind == CpdKind.COURSE else None,
            },
        )
        made += 1
    return made


def _from_a_record(person: Person) -> int:
    """Amira's CPD from her latest signed record, linking back to it."""
    record = (
        Record.objects.filter(supervisee=person, status=RecordStatus.SIGNED)
        .order_by("-held_on")
        .first()
    )
    if record is None or CpdRecord.objects.filter(source_record=record).exists():
        return 0
    services.cpd_record_add(
        person=person,
        by=person,
        fields={
            "kind": CpdKind.SUPERVISION,
            "title": "Supervision: my first child protection conference",
            "done_on": record.held_on,
            "description": "We went through my report before the conference, line by line.",
            "learnt": "Separate what I saw from what I concluded, and say why.",
            "impact": "My reports now have an analysis section the chair can follow.",
            "peer_reflection": True,
            "peer_with": f"{record.supervisor.full_name}, in supervision",
            "peer_on": record.held_on,
        },
        source_record=record,
    )
    return 1


def _plans(organisation: Organisation, people: list[Person], today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    courses = {c.title: c for c in Course.objects.filter(organisation=organisation)}
    admin = people[0]
    for title, provider in COURSES:
        if title not in courses:
            courses[title] = services.course_add(
                organisation=organisation, title=title, provider=provider, by=admin
            )
    for n, person in enumerate(people[:9]):
        if Objective.objects.filter(person=person).exists():
            continue
        supervisor = _supervisor_of(person)
        if supervisor is None:
            continue
        open_one = services.objective_add(
            person=person,
            by=supervisor,
            fields={
                "title": "Present confidently at child protection conferences",
                "measure": "Two conference reports rated good by the chair; feedback sought.",
                "target_on": today + datetime.timedelta(days=60 + 20 * n),
                "training_need": "",
                "course": courses["Court skills for social workers"],
            },
        )
        done = services.objective_add(
            person=person,
            by=supervisor,
            fields={
                "title": "Use the graded care profile in every neglect assessment",
                "measure": "Every neglect assessment since the course has one.",
                "target_on": today,
                "course": courses["Working with neglect: the graded care profile"],
            },
        )
        made["objectives"] += 2
        services.objective_review(
            objective=done,
            by=supervisor,
            progress="Used in all four neglect assessments this quarter.",
            status=ObjectiveStatus.MET,
            reviewed_on=today - datetime.timedelta(days=14),
        )
        if n % 3 == 2:
            # An objective whose target has passed, still open: overdue.
            Objective.objects.filter(pk=open_one.pk).update(
                target_on=today - datetime.timedelta(days=10)
            )
        if n < 3 and not Appraisal.objects.filter(person=person).exists():
            held_on = _weekday_on_or_before(today - datetime.timedelta(days=40))
            services.appraisal_hold(
                person=person,
                by=supervisor,
                held_on=held_on,
                period_starts_on=held_on - relativedelta(years=1) + datetime.timedelta(days=1),
                period_ends_on=held_on,
                appraiser_comments="A strong year: caseload held well, supervision used "
                "reflectively. Next year: conference skills and a first student placement.",
            )
            made["appraisals"] += 1
    return made


def _northbridge(organisation: Organisation, today: datetime.date) -> Counter[str]:
    made = _northbridge_asyes(organisation, today)
    social_workers = list(
        Person.objects.for_organisation(organisation)
        .filter(staff_category__in=list(schemes.SOCIAL_WORK))
        .exclude(staff_category=StaffCategory.NQSW_ASYE)
        .order_by("staff_number")
    )
    for n, person in enumerate(social_workers):
        if not CpdRecord.objects.filter(person=person).exists():
            made["cpd"] += _cpd(person, n, today)
    amira = Person.objects.for_organisation(organisation).filter(first_name="Amira").first()
    if amira is not None:
        made["cpd"] += _from_a_record(amira)
    admins = list(
        Person.objects.for_organisation(organisation)
        .filter(role_grants__role="admin")
        .order_by("staff_number")[:1]
    )
    plans = [
        p for p in social_workers if p.staff_category == StaffCategory.REGISTERED_SOCIAL_WORKER
    ]
    made += _plans(organisation, admins + plans, today)
    return made


# Meadowbank: revalidation and the Care Certificate


def _revalidation(nurse: Person, due_on: datetime.date, today: datetime.date, full: bool) -> int:
    """A nurse's revalidation due on ``due_on``, with its evidence; made again if the date the
    demo gives it has moved."""
    existing = Revalidation.objects.filter(person=nurse).first()
    if existing is not None and existing.due_on == due_on:
        return 0
    Revalidation.objects.filter(person=nurse).delete()
    CpdRecord.objects.filter(person=nurse).delete()
    revalidation = services.revalidation_start(
        person=nurse, due_on=due_on, pin=nurse.registration_number, by=nurse
    )
    period = schemes.revalidation_period(due_on)
    last = min(today, period.ends_on)
    services.practice_hours_add(
        revalidation=revalidation,
        starts_on=period.starts_on,
        ends_on=last,
        hours=Decimal("3900") if full else Decimal("620"),
        setting="Registered nurse, Elm House (nursing home)",
        by=nurse,
    )
    courses = [
        ("Falls prevention in older people", "12", "8"),
        ("Medicines management update", "8", "8"),
        ("Dementia care: end of life", "10", "6"),
        ("Tissue viability study day", "6", "0"),
    ]
    for k, (title, hours, participatory) in enumerate(courses if full else courses[:1]):
        services.cpd_record_add(
            person=nurse,
            by=nurse,
            fields={
                "kind": CpdKind.COURSE,
                "title": title,
                "done_on": last - datetime.timedelta(days=90 + 200 * k),
                "description": "A study day with colleagues from other homes.",
                "learnt": "What the latest guidance changes for our residents.",
                "impact": "Shared at the nurses' meeting; our care plans now reflect it.",
                "hours": Decimal(hours),
                "participatory_hours": Decimal(participatory),
            },
        )
    for k in range(5 if full else 1):
        services.feedback_add(
            revalidation=revalidation,
            received_on=last - datetime.timedelta(days=30 + 60 * k),
            source=["A resident's daughter", "A GP", "A colleague", "A resident", "An audit"][k],
            summary="Kind, thorough and clear about what would happen next.",
            used_for="I now give families a written summary after care reviews.",
            by=nurse,
        )
    for k in range(4 if full else 0):
        services.reflective_account_add(
            revalidation=revalidation,
            written_on=last - datetime.timedelta(days=40 + 70 * k),
            experience="A resident's fall at night and the review after it.",
            learnt="How our night checks missed the early signs.",
            changed="I added a falls risk check to the evening handover.",
            code_theme=[CodeTheme.SAFETY, CodeTheme.PEOPLE, CodeTheme.PRACTISE, CodeTheme.TRUST][k],
            by=nurse,
        )
    if full:
        services.reflective_discussion_add(
            revalidation=revalidation,
            held_on=last - datetime.timedelta(days=20),
            partner_name="Samuel Mensah",
            partner_pin="45E6789F",
            partner_email="samuel.mensah@meadowbank.example",
            partner_address="Elm House, Meadowbank",
            partner_signed_on=last - datetime.timedelta(days=20),
            by=nurse,
        )
    return 1


def _care_certificate(person: Person, signed: int, assessor: Person) -> int:
    if person.employment_start is None:
        return 0
    existing = CareCertificate.objects.filter(person=person).first()
    if existing is not None and existing.started_on == person.employment_start:
        return 0
    CareCertificate.objects.filter(person=person).delete()
    certificate = services.care_certificate_start(
        person=person, started_on=person.employment_start, by=assessor
    )
    today = timezone.localdate()
    for standard in certificate.standards.order_by("number")[:signed]:
        on = min(today, person.employment_start + datetime.timedelta(days=4 * standard.number))
        services.care_standard_sign_off(standard=standard, on=on, by=assessor)
    return 1


def _meadowbank(organisation: Organisation, today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    people = {
        p.full_name: p
        for p in Person.objects.for_organisation(organisation).select_related("organisation")
    }
    aoife, samuel = people.get("Aoife Brennan"), people.get("Samuel Mensah")
    if aoife is not None:
        made["revalidations"] += _revalidation(
            aoife, today + datetime.timedelta(days=62), today, full=True
        )
    if samuel is not None:
        made["revalidations"] += _revalidation(
            samuel, today + relativedelta(years=2, days=10), today, full=False
        )
    for name, signed in (("Liam Foster", 7), ("Emily Rowe", 14), ("Grace Okafor", 2)):
        person = people.get(name)
        assessor = _supervisor_of(person) if person else None
        if person is not None and assessor is not None:
            made["care_certificates"] += _care_certificate(person, signed, assessor)
    return made


def _hollyfield(organisation: Organisation, today: datetime.date) -> Counter[str]:
    made: Counter[str] = Counter()
    tom = Person.objects.for_organisation(organisation).filter(last_name="Bennett").first()
    admin = Person.objects.for_organisation(organisation).filter(role_grants__role="admin").first()
    if tom is None or admin is None or SafeguardingLead.objects.filter(person=tom).exists():
        return made
    services.safeguarding_lead_designate(person=tom, on=tom.employment_start or today, by=admin)
    services.safeguarding_training_add(
        person=tom,
        kind=SafeguardingTrainingKind.TRAINING,
        title="Designated safeguarding lead training (two days)",
        done_on=today - relativedelta(months=20),
        by=tom,
    )
    services.safeguarding_training_add(
        person=tom,
        kind=SafeguardingTrainingKind.UPDATE,
        title="Keeping children safe in education: the year's changes",
        done_on=today - relativedelta(months=13),
        by=tom,
    )
    made["safeguarding_leads"] += 1
    return made


@transaction.atomic
def load_demo_development(today: datetime.date | None = None) -> dict[str, int]:
    """Give the demo organisations their development (see the module's docstring). Returns
    counts of what was made; 0 for each on a second run the same day."""
    today = today or timezone.localdate()
    made: Counter[str] = Counter()
    for name, load in (
        (NORTHBRIDGE, _northbridge),
        (MEADOWBANK, _meadowbank),
        (HOLLYFIELD, _hollyfield),
    ):
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is not None:
            made += load(organisation, today)
    keys = (
        "asyes",
        "reviews",
        "observations",
        "cpd",
        "objectives",
        "appraisals",
        "revalidations",
        "care_certificates",
        "safeguarding_leads",
    )
    return {key: made[key] for key in keys}
