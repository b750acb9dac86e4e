"""The demo organisations' supervision agreements: ``load_demo_agreements``, run by ``load_demo``.

It builds on the people that ``tandem.demo.organisations`` loads, and makes every agreement the
way a supervisor and supervisee would, through the services: start it from a built-in template,
fill it in (the frequency policy is checked, as on the page), sign it. Only afterwards are dates
moved into the past, so that the demo has a history: when each agreement was started and signed,
and when its review is due.

Northbridge Council Children's Services, with the council's supervision contract:

* Amira Hussain (NQSW, week 3) and Daniel Okafor: active, signed by both in her first week,
  weekly for at least 90 minutes. Of Daniel's two other supervisees, one has yet to sign what
  Daniel signed, and one has no agreement yet.
* About two thirds of everyone else supervised: active (monthly, or as the policy says for NQSWs).
  A few await the supervisee's signature; a few are drafts.
* Two are due for review: one signed just over a year ago, and one whose supervisor changed (a
  practice supervisor covered for a few months, then the team manager took the supervisee back).
* The rest have no agreement yet, so their supervisor sees "Start an agreement".

Hollyfield Primary School, with the school's staff supervision agreement:

* Grace Adeyemi and Tom Bennett: Tom has signed and it awaits Grace, with the answers of the
  school's own example (once a term, 30 to 60 minutes, the staff meeting room).
* About two thirds of the other staff: active, termly or each half term. The rest: none yet.

Idempotent: a supervisee who already has an agreement is left alone, so a second run creates
nothing. Which people get what follows from their staff numbers, teams and supervisors, so every
load of the same demo gives the same agreements.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.agreements import services
from tandem.agreements.builtin import builtin_templates_load
from tandem.agreements.models import (
    Agreement,
    AgreementSignature,
    AgreementTemplate,
    AgreementTemplateVersion,
    AgreementVersion,
    ConfidentialityException,
    Frequency,
    FrequencyRule,
    Recorder,
    SignatureRole,
)
from tandem.agreements.policies import frequency_rules_ensure, rule_for
from tandem.core.models import Notice
from tandem.demo.organisations import HOLLYFIELD, MEADOWBANK, NORTHBRIDGE
from tandem.organisations import services as organisation_services
from tandem.organisations.models import (
    Organisation,
    Person,
    Role,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)

COUNCIL_TEMPLATE = "council-supervision-contract"
SCHOOL_TEMPLATE = "school-staff-supervision-agreement"

# Who is who in the story, found by their place rather than by (generated) name.
AMIRA = ("Amira", "Hussain")
DANIEL = ("Daniel", "Okafor")
GRACE = ("Grace", "Adeyemi")
ANNUAL_REVIEW_TEAM = "Multi-Agency Safeguarding Hub"  # a social worker of the team manager's
SUPERVISOR_CHANGE_TEAM = "Children in Care North"  # likewise, covered by a practice supervisor

# Positions, in the list of Northbridge supervisees who are not in the story above, of those
# whose agreements are not active yet (everyone else: two in three active, one in three none).
AWAITING_POSITIONS = (1, 10, 19)
DRAFT_POSITIONS = (4, 13, 22)

# Days between sessions when working out the dates of the next 12 months' meetings.
STEP_DAYS: dict[str, int] = {
    Frequency.WEEKLY: 7,
    Frequency.FORTNIGHTLY: 14,
    Frequency.MONTHLY: 28,
    Frequency.HALF_TERMLY: 42,
    Frequency.TERMLY: 91,
}
MEETING_WEEKDAYS = (1, 2, 3)  # Tuesday, Wednesday, Thursday


# --- The council's answers ---------------------------------------------------------------------

LOCATIONS = {
    "Early Help and Assessment": "Meeting room 3.2, Northbridge Civic Centre",
    "Children in Care": "The quiet room on the first floor, Westfield House",
    "Child Protection": "Supervision room 4, Riverside House",
    "": "The assistant director's office, Northbridge Civic Centre",
}

SOCIAL_WORK_BY_TEAM = {
    "Duty and Assessment": (
        "Child and family assessments from the front door, section 47 enquiries with the team, "
        "and the duty rota one week in four."
    ),
    "Multi-Agency Safeguarding Hub": (
        "Screening contacts and referrals with police, health and education colleagues in the "
        "MASH, and leading strategy discussions when the threshold is met."
    ),
    "Early Help": (
        "Early help assessments and team around the family meetings for around 14 families, "
        "including step-down cases from children's social care."
    ),
    "Children in Care North": (
        "Around 15 children in care: statutory visits, care plans, children in care reviews and "
        "life story work."
    ),
    "Children in Care South": (
        "Around 15 children in care, several placed out of area: statutory visits, care plans, "
        "reviews and permanence planning."
    ),
    "Leaving Care": (
        "Care leavers aged 16 to 25: pathway plans, housing and education, and staying put "
        "arrangements with carers."
    ),
    "Fostering Support": (
        "Supervising social worker for 12 fostering households: supervision visits, annual "
        "reviews and support plans for placements under strain."
    ),
    "Child Protection East": (
        "Around 16 children on child protection or child in need plans: core groups, conference "
        "reports and direct work with children."
    ),
    "Child Protection West": (
        "Children on child protection and child in need plans, core groups and conference "
        "reports, and joint visits with the police where needed."
    ),
    "Court and Proceedings": (
        "Children in care proceedings and pre-proceedings under the Public Law Outline: court "
        "statements, care plans and parallel planning with legal services."
    ),
}

AMIRA_WORKLOAD = (
    "A protected caseload in Duty and Assessment, built up gradually and kept at about 90% of an "
    "experienced social worker's. Child and family assessments, co-working section 47 enquiries "
    "with an experienced colleague, and shadowing on the duty rota one day a week until we agree "
    "otherwise."
)
NQSW_DEVELOPMENT = (
    "ASYE: reviews at 3, 6 and 12 months against the Post-qualifying standards (knowledge and "
    "skills statement for child and family practitioners) and the PCF at ASYE level. 10% "
    "protected development time, the council's NQSW programme on Thursday mornings, and three "
    "direct observations of practice over the year."
)
SOCIAL_WORK_DEVELOPMENT = [
    "CPD recorded for Social Work England renewal, and the council's trauma-informed practice "
    "course this year.",
    "Practice educator training (stage 1), taking a social work student next spring. CPD recorded "
    "for Social Work England.",
    "Court skills refresher and the Public Law Outline training. CPD recorded for Social Work "
    "England.",
    "Working towards a senior practitioner post: co-working with a conference chair and leading a "
    "team case discussion each quarter.",
]
SENIOR_EXTRA = " As a senior social worker, the more complex cases and mentoring a student."
PRACTICE_SUPERVISOR_WORK = (
    "Supervising social workers in the team, including any NQSW, leading the team's group "
    "supervision each month, and holding a small caseload of complex cases."
)
PRACTICE_SUPERVISOR_DEVELOPMENT = (
    "The practice supervisor development programme, reflective supervision skills and practice "
    "educator stage 2."
)
TEAM_MANAGER_WORK = (
    "Managing {unit}: allocation, management oversight on every case, the team's audit actions "
    "and performance data, and chairing the weekly team meeting."
)
TEAM_MANAGER_DEVELOPMENT = (
    "The council's leadership programme, audit and quality assurance skills, and my own CPD for "
    "Social Work England."
)
HEAD_OF_SERVICE_WORK = (
    "Leading {unit}: the service plan and budget, quality assurance and audit, recruitment and "
    "retention, and the service's part in the council's self-evaluation for inspection."
)
HEAD_OF_SERVICE_DEVELOPMENT = (
    "Senior leadership development, preparing the service for inspection, and my own CPD for "
    "Social Work England."
)
SUPPORT_WORK = (
    "Leading the business support team: minute-taking for child protection conferences, the "
    "MASH administration rota, and records requests for the directorate."
)
SUPPORT_DEVELOPMENT = (
    "ILM level 5 in leadership and management, and the yearly data protection refresher."
)

INTERRUPTIONS = [
    "there is an urgent safeguarding matter that cannot wait. Phones on silent and Teams set to "
    "busy.",
    "a child on one of our caseloads is at immediate risk, or the duty manager needs one of us "
    "straight away.",
    "there is an emergency on a case that nobody else can deal with.",
]
RECORDING_METHODS = [
    "Typed on the council's supervision record template during the session. Case decisions go "
    "on each child's file the same day.",
    "Notes during the session, written up on the supervision record template afterwards. Case "
    "directions are added to the child's record as management oversight.",
]
RECORDS_STORED = [
    "In the supervision folder of the case management system, with case decisions also on each "
    "child's record.",
    "In the case management system's supervision folder. Case discussions go on the child's "
    "record as management oversight.",
]
RECORD_VIEWERS = [
    "The supervisor's line manager, and auditors under the audit process.",
    "The supervisor's line manager, and auditors under the audit process. Inspectors if they ask.",
]
CANCELLATION_TERMS = [
    "Supervision is protected time. It is only cancelled for sickness, leave or a crisis on a "
    "case, and whoever cancels re-books it.",
    "If it has to move, we re-book it before we leave the room or by email the same day. It is "
    "never just dropped.",
    "Cancelled only in an emergency. The supervisor re-books and tells the team manager if a "
    "session slips twice.",
]
OTHER_ISSUES = [
    "",
    "Reasonable adjustments: sessions in the morning where possible.",
    "",
    "Part-time (four days): no sessions on Fridays.",
    "",
]

# The six "Expectations of Supervision" fields, a) to f), in the template's order.
EXPECTATION_KEYS = (
    "want_from_supervisor",
    "supervisee_contribution",
    "want_from_supervisee",
    "supervisor_contribution",
    "supervisor_responsibilities",
    "supervisee_responsibilities",
)
AMIRA_EXPECTATIONS = (
    "Protected time that isn't cut short, honest feedback on my assessments, and help to make "
    "sense of what I'm seeing on visits, not just case management.",
    "I'll send my agenda the day before, bring the cases I'm stuck on, and say so early if the "
    "work or what I've seen is getting to me.",
    "Come prepared, tell me straight away if something worries you on a case, and use the time "
    "to reflect rather than just report back.",
    "I'll keep the time protected, give clear case direction when it's needed, and leave room for "
    "reflection and your ASYE learning.",
    "Writing up the record and sharing it within 10 working days, making sure case decisions are "
    "on the child's file, and keeping your ASYE reviews on track.",
    "Reading and agreeing the record, following through on agreed actions, and keeping my ASYE "
    "portfolio up to date.",
)
EXPECTATIONS = [
    (
        "Time to think, not just case direction, and honest feedback on my practice.",
        "An agenda beforehand and the cases I need help with, including the ones I'm avoiding.",
        "Tell me early when a case is drifting or the caseload is too much.",
        "Protected time, clear decisions on cases, and space to reflect.",
        "Writing the record, sharing it within 10 working days, and case decisions on the file.",
        "Agreeing the record and doing the actions we agree.",
    ),
    (
        "Someone to challenge my thinking and notice when I'm stretched.",
        "Openness about what is working and what isn't, and my CPD plans.",
        "Come prepared and be honest about workload and wellbeing.",
        "Support with the emotional impact of the work, and help to plan my development.",
        "Management oversight on cases discussed, and following up what I say I'll do.",
        "Preparing, bringing cases for reflection, and updating case records after decisions.",
    ),
    (
        "Consistency: supervision that happens when it should and isn't moved for meetings.",
        "Preparation, reflection on my cases, and feedback on how supervision is working for me.",
        "Honesty about risk, about what you don't know yet, and about your wellbeing.",
        "A reflective space, advice on difficult cases, and following through on what I agree.",
        "The record, re-booking any cancelled session, and raising workload concerns upwards.",
        "Reading the record and telling you if I disagree with anything in it.",
    ),
]


# --- The school's answers ----------------------------------------------------------------------

GRACE_ANSWERS: dict[str, Any] = {
    # The school's own example agreement, as written ("Once a term": termly).
    "frequency": Frequency.TERMLY.value,
    "location": "Staff meeting room away from my classroom",
    "duration": {"min": 30, "max": 60},
    "cancellation": {
        "rebook_within_working_days": None,
        "terms": "Supervision a priority, only cancel if urgent safeguarding need arises, and "
        "always reschedule asap.",
    },
    "ad_hoc_availability": (
        "Available for ad-hoc discussions, but anything that can wait for supervision, please do "
        "so, but any safeguarding concerns always bring to me prior to supervision."
    ),
    "agenda_process": (
        "We will recap each supervision session on the last supervision, and both add to the "
        "shared agenda, ensuring priority points fit into the time scale."
    ),
    "preparation": (
        "Prior to supervision, both supervisor and supervisee to book in at least 15 minutes to "
        "recap on last supervision notes and think about agenda points they'd like to bring."
    ),
    "priority_areas": (
        "Staff wellbeing, job satisfaction, pupil caseload/managing pupil behaviour in class, "
        "upcoming events, i.e. parents' evenings."
    ),
    # The example's "assistant head of year" made a primary school's subject lead.
    "purpose": (
        "To look at workload, help with managing if it feels too much, any CPD areas of need now "
        "that I have taken on maths lead responsibility, support for me and my own wellbeing, "
        "reflect on job satisfaction and areas I am proud of / need support with."
    ),
    "supervisee_brings": (
        "Open and honest approach, be willing to learn and explore options to support the "
        "workload, take time to reflect throughout their working day on areas they are proud of, "
        "and be open to working with other colleagues to resolve situations."
    ),
    "supervisee_expectations": (
        "To help where they can and if not refer on to the correct people. To be honest, if you "
        "haven't got the answer, stick to the timescale to honour the agenda items I'd like to "
        "bring."
    ),
    "supervisor_expectations": (
        "See supervision as an open safe space to talk about the demands of the role. To trust me "
        "as your supervisor to do the best that I can do. To be open to feedback and help when "
        "needed."
    ),
    "prior_factors": "N/A",
    "agreed_permissions": (
        "Adhoc discussions, to link up with other colleagues when necessary, that it isn't a "
        "to-do list session, supervisor won't give all the answers, it's up to supervisee also and "
        "working together."
    ),
    "difficulties": (
        "To talk about these between supervisor and supervisee in a safe space without "
        "confrontation where possible. If required and unable to resolve, another supervisor can "
        "sit in the meetings, or alternatively, another supervisor in school may be offered to "
        "the supervisee."
    ),
    "areas_covered": True,
}

SCHOOL_LOCATIONS = {
    "Tom Bennett": "Staff meeting room, away from classrooms",
    "Lucy Fairbrother": "The Early Years quiet room after school",
    "Fatima Khan": "The Inclusion office",
    "Rebecca Lewis": "The headteacher's office",
}
SCHOOL_PRIORITIES = [
    # (words in the job title, priority areas for regular discussion)
    (
        "safeguarding",
        "The safeguarding caseload and the weight of the DSL role, staff supervision across the "
        "school, and my own wellbeing.",
    ),
    ("SENCO", "EHCP reviews and applications, the SEN register, and support for the SEN team."),
    (
        "business manager",
        "The budget and staffing, health and safety, and my own workload and wellbeing.",
    ),
    (
        "Family support",
        "The families I support, early help assessments, safeguarding concerns and the emotional "
        "impact of the work.",
    ),
    (
        "assistant",
        "The pupils I support, behaviour strategies that work, training needs and my wellbeing.",
    ),
    (
        "practitioner",
        "The children's progress and wellbeing in Nursery, working with parents, training needs "
        "and my own wellbeing.",
    ),
    (
        "mentor",
        "The pupils I mentor, their attendance and behaviour plans, and my own wellbeing.",
    ),
    (
        "",
        "Workload and marking, pupil progress and behaviour in my class, and upcoming events "
        "such as parents' evenings and reports.",
    ),
]
SCHOOL_PURPOSES = [
    "Protected time to talk about workload, wellbeing and the children I'm worried about, and to "
    "plan my CPD.",
    "To reflect on what is going well and what isn't, share the load of safeguarding concerns, "
    "and agree support where I need it.",
    "A safe space to step back from the day, look at my workload and development, and celebrate "
    "what I'm proud of.",
]
SCHOOL_EXPECTATIONS = [
    (
        "Honesty, reflection, and bringing what I want to talk about.",
        "To listen, keep to time and follow up what we agree.",
        "To use the time well and be open to feedback.",
    ),
    (
        "Be open about wellbeing and workload, and come with agenda points.",
        "Protected time that isn't cancelled for cover, and help finding answers.",
        "To raise concerns early rather than waiting for the next session.",
    ),
]
SCHOOL_AD_HOC = [
    "Available at the end of the school day, and any time for safeguarding concerns.",
    "Happy to talk at break or after school; safeguarding concerns straight away, never wait.",
]


# --- Dates -------------------------------------------------------------------------------------


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weekday(day: datetime.date, *, forward: bool = False) -> datetime.date:
    """The day itself if it is a weekday, else the Friday before (or the Monday after)."""
    step = datetime.timedelta(days=1 if forward else -1)
    while day.weekday() >= 5:
        day += step
    return day


def _meeting_dates(
    first: datetime.date, frequency_on: Callable[[datetime.date], str]
) -> list[list[str]]:
    """The "Dates of Supervision Meetings (next 12 months)" table: one row per month, its dates."""
    by_month: dict[tuple[int, int], list[datetime.date]] = {}
    end = first + relativedelta(months=12)
    day = first
    while day < end and len(by_month) <= 12:
        by_month.setdefault((day.year, day.month), []).append(day)
        day += datetime.timedelta(days=STEP_DAYS.get(frequency_on(day), 28))
    rows = []
    for days in list(by_month.values())[:12]:
        numbers = [str(d.day) for d in days]
        listed = numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} and {numbers[-1]}"
        weekday = f"{days[0]:%A}{'s' if len(days) > 1 else ''}"
        rows.append([f"{days[0]:%B %Y}", f"{weekday} {listed}, 10:00"])
    return rows


def _first_meeting(after: datetime.date, weekday: int) -> datetime.date:
    return after + datetime.timedelta(days=(weekday - after.weekday()) % 7 or 7)


# --- Making one agreement ----------------------------------------------------------------------


@dataclass
class _Plan:
    """One agreement as the story has it: who starts it, what they answer, who signs and when."""

    relationship: SupervisionRelationship
    template_version: AgreementTemplateVersion
    responses: dict[str, Any]
    started_on: datetime.date
    supervisor_signs_on: datetime.date | None = None
    supervisee_signs_on: datetime.date | None = None
    started_by_supervisor: bool = True


def _make(plan: _Plan, organisation: Organisation) -> Agreement:
    relationship = plan.relationship
    supervisor, supervisee = relationship.supervisor, relationship.supervisee
    starter = supervisor if plan.started_by_supervisor else supervisee
    agreement = services.agreement_start(
        relationship=relationship, template_version=plan.template_version, by=starter
    )
    version = services.agreement_save(agreement=agreement, responses=plan.responses, by=starter)
    if plan.supervisor_signs_on:
        services.agreement_sign(
            agreement=agreement, person=supervisor, content_hash=version.content_hash
        )
    if plan.supervisee_signs_on:
        services.agreement_sign(
            agreement=agreement, person=supervisee, content_hash=version.content_hash
        )
    _backdate(agreement, plan, organisation)
    return agreement


def _backdate(agreement: Agreement, plan: _Plan, organisation: Organisation) -> None:
    """Move what the services dated today to the days the story puts it on.

    The one place the demo writes past the services: they date everything now, and an
    agreement's history (started, signed, review due) needs dates in the past. Nothing else
    changes; the audit trail keeps the real time of loading.
    """
    started = _at(plan.started_on, 9, 30)
    Agreement.objects.filter(pk=agreement.pk).update(created_at=started)
    AgreementVersion.objects.filter(agreement=agreement).update(
        created_at=started, updated_at=started
    )
    signed: dict[str, datetime.datetime | None] = {
        SignatureRole.SUPERVISOR: (
            _at(plan.supervisor_signs_on, 11) if plan.supervisor_signs_on else None
        ),
        SignatureRole.SUPERVISEE: (
            _at(plan.supervisee_signs_on, 15, 30) if plan.supervisee_signs_on else None
        ),
    }
    for role, when in signed.items():
        if when:
            AgreementSignature.objects.filter(version__agreement=agreement, role=role).update(
                signed_at=when
            )
    if plan.supervisor_signs_on and plan.supervisee_signs_on:
        signed_on = max(plan.supervisor_signs_on, plan.supervisee_signs_on)
        Agreement.objects.filter(pk=agreement.pk).update(
            signed_on=signed_on,
            review_due_on=signed_on + relativedelta(months=organisation.agreement_review_months),
        )
    # The notices the signatures sent: dated when they were sent, and read back then once both
    # had signed (one telling a supervisee to sign stays unread until they do).
    times = [when for when in signed.values() if when is not None]
    if times:
        last, both = max(times), len(times) == len(signed)
        Notice.objects.filter(
            organisation=organisation, url=reverse("agreement", args=[agreement.pk])
        ).update(created_at=last, read_at=last if both else None)


# --- Northbridge -------------------------------------------------------------------------------


def _service_of(team: Team, teams: dict[int, Team]) -> str:
    """The name of the service a unit is in ("" for the directorate itself)."""
    unit: Team | None = team
    while unit is not None:
        if unit.kind == TeamKind.SERVICE:
            return unit.name
        unit = teams.get(unit.parent_id) if unit.parent_id else None
    return ""


def _always(frequency: str) -> Callable[[datetime.date], str]:
    return lambda day: frequency


class _Council:
    """Answers to the council's contract, varied a little from one supervisee to the next."""

    def __init__(self, organisation: Organisation, today: datetime.date) -> None:
        self.today = today
        self.teams = {team.pk: team for team in Team.objects.for_organisation(organisation)}
        frequency_rules_ensure(organisation)
        self.nqsw_rules = list(
            FrequencyRule.objects.for_organisation(organisation)
            .in_force(today)
            .filter(staff_category=StaffCategory.NQSW_ASYE)
        )

    def nqsw_frequency(self, person: Person) -> Callable[[datetime.date], str]:
        """The NQSW policy's frequency on a given day of the supervisee's ASYE."""

        def on(day: datetime.date) -> str:
            start = person.asye_start or day
            days = (day - start).days
            for rule in self.nqsw_rules:
                if rule.from_day <= days and (rule.until_day is None or days < rule.until_day):
                    return rule.frequency
            return Frequency.MONTHLY

        return on

    def work(self, person: Person, n: int) -> tuple[str, str]:
        """(Workload, Professional Development) for this supervisee."""
        team = self.teams[person.team_id]
        category = person.staff_category
        if category == StaffCategory.NQSW_ASYE:
            return (
                SOCIAL_WORK_BY_TEAM.get(team.name, "")
                + " A protected caseload in the ASYE year, at about 90% of an experienced "
                "social worker's.",
                NQSW_DEVELOPMENT,
            )
        if category == StaffCategory.PRACTICE_SUPERVISOR:
            return PRACTICE_SUPERVISOR_WORK, PRACTICE_SUPERVISOR_DEVELOPMENT
        if category == StaffCategory.TEAM_MANAGER:
            return TEAM_MANAGER_WORK.format(unit=team.name), TEAM_MANAGER_DEVELOPMENT
        if category == StaffCategory.HEAD_OF_SERVICE:
            return HEAD_OF_SERVICE_WORK.format(unit=team.name), HEAD_OF_SERVICE_DEVELOPMENT
        if category == StaffCategory.SUPPORT_STAFF:
            return SUPPORT_WORK, SUPPORT_DEVELOPMENT
        work = SOCIAL_WORK_BY_TEAM.get(team.name, "Case holding social work in the team.")
        if person.job_title.startswith("Senior"):
            work += SENIOR_EXTRA
        return work, SOCIAL_WORK_DEVELOPMENT[n % len(SOCIAL_WORK_DEVELOPMENT)]

    def responses(
        self, relationship: SupervisionRelationship, n: int, signed_on: datetime.date
    ) -> dict[str, Any]:
        """Everything filled in, as the supervisor and supervisee would agree it."""
        person = relationship.supervisee
        weekday = MEETING_WEEKDAYS[n % len(MEETING_WEEKDAYS)]
        if person.staff_category == StaffCategory.NQSW_ASYE:
            weekday = MEETING_WEEKDAYS[n % 2]  # not Thursday: the NQSW programme's morning
            frequency_on = self.nqsw_frequency(person)
            frequency = frequency_on(signed_on)
            duration = {"min": 90, "max": 120}
        else:
            frequency = Frequency.FORTNIGHTLY if n % 7 == 3 else Frequency.MONTHLY
            frequency_on = _always(frequency)
            low, high = [(90, 120), (90, 90), (90, 120), (120, 120)][n % 4]
            if person.staff_category == StaffCategory.SUPPORT_STAFF:
                low, high = 60, 90
            duration = {"min": low, "max": high}
        workload, development = self.work(person, n)
        recorder = Recorder.BOTH if n % 5 == 4 else Recorder.SUPERVISOR
        exceptions = [choice.value for choice in ConfidentialityException]
        if person.staff_category == StaffCategory.SUPPORT_STAFF:
            exceptions.remove(ConfidentialityException.COMPETENCE.value)
        answers: dict[str, Any] = {
            "workload": workload,
            "professional_development": development,
            "interruptions": INTERRUPTIONS[n % len(INTERRUPTIONS)],
            "frequency": str(frequency),
            "duration": duration,
            "recording": {
                "recorder": recorder.value,
                "method": RECORDING_METHODS[n % len(RECORDING_METHODS)],
            },
            "records_stored": RECORDS_STORED[n % len(RECORDS_STORED)],
            "record_viewers": RECORD_VIEWERS[n % len(RECORD_VIEWERS)],
            "location": LOCATIONS.get(
                _service_of(self.teams[person.team_id], self.teams), LOCATIONS[""]
            ),
            "cancellation": {
                "rebook_within_working_days": 3 if frequency == Frequency.WEEKLY else 5,
                "terms": CANCELLATION_TERMS[n % len(CANCELLATION_TERMS)],
            },
            "confidentiality_exceptions": exceptions,
            **dict(zip(EXPECTATION_KEYS, EXPECTATIONS[n % len(EXPECTATIONS)], strict=True)),
            "other_issues": OTHER_ISSUES[n % len(OTHER_ISSUES)],
            "meeting_dates": _meeting_dates(_first_meeting(signed_on, weekday), frequency_on),
        }
        return {key: value for key, value in answers.items() if value not in ("", None, [])}

    def draft(self, relationship: SupervisionRelationship, n: int) -> dict[str, Any]:
        """What a first sitting fills in: the arrangements, not yet the expectations."""
        full = self.responses(relationship, n, self.today)
        keys = ("workload", "frequency", "duration", "location", "recording", "records_stored")
        return {key: full[key] for key in keys if key in full}

    def amira(
        self, relationship: SupervisionRelationship, signed_on: datetime.date
    ) -> dict[str, Any]:
        answers = self.responses(relationship, 0, signed_on)
        answers.update(
            workload=AMIRA_WORKLOAD,
            interruptions=INTERRUPTIONS[0],
            frequency=Frequency.WEEKLY.value,
            duration={"min": 90, "max": 120},
            recording={"recorder": Recorder.SUPERVISOR.value, "method": RECORDING_METHODS[0]},
            records_stored=RECORDS_STORED[0],
            record_viewers=RECORD_VIEWERS[0],
            location=LOCATIONS["Early Help and Assessment"],
            confidentiality_exceptions=[choice.value for choice in ConfidentialityException],
            other_issues="Amira is on the council's NQSW programme on Thursday mornings: no "
            "supervision or visits booked then.",
            **dict(zip(EXPECTATION_KEYS, AMIRA_EXPECTATIONS, strict=True)),
        )
        return answers


def _named(
    relationships: Sequence[SupervisionRelationship], name: tuple[str, str]
) -> SupervisionRelationship | None:
    return next(
        (r for r in relationships if (r.supervisee.first_name, r.supervisee.last_name) == name),
        None,
    )


def _northbridge(
    organisation: Organisation, version: AgreementTemplateVersion, today: datetime.date
) -> int:
    council = _Council(organisation, today)
    relationships = _current_line(organisation)
    done = _with_agreements(organisation)
    made = 0

    def active_plan(
        relationship: SupervisionRelationship, n: int, signed_on: datetime.date
    ) -> _Plan:
        signed_on = max(signed_on, relationship.starts_on)
        started = max(
            _weekday(signed_on - datetime.timedelta(days=3 + n % 8)), relationship.starts_on
        )
        return _Plan(
            relationship,
            version,
            council.responses(relationship, n, signed_on),
            started_on=started,
            supervisor_signs_on=signed_on,
            supervisee_signs_on=signed_on,
            started_by_supervisor=n % 2 == 0,
        )

    # Amira and Daniel: signed by both in her first week.
    amira = _named(relationships, AMIRA)
    story: set[int] = set()
    if amira is not None:
        story.add(amira.supervisee_id)
        if amira.supervisee_id not in done:
            first_day = amira.starts_on
            started = _weekday(first_day + datetime.timedelta(days=1), forward=True)
            signed_on = _weekday(started + datetime.timedelta(days=1), forward=True)
            _make(
                _Plan(
                    amira,
                    version,
                    council.amira(amira, signed_on),
                    started_on=started,
                    supervisor_signs_on=signed_on,
                    supervisee_signs_on=signed_on,
                    started_by_supervisor=False,
                ),
                organisation,
            )
            made += 1

    # Daniel's other supervisees: the first has yet to sign what Daniel signed; the second has
    # no agreement, so Daniel sees "Start an agreement".
    daniels = [
        r
        for r in relationships
        if (r.supervisor.first_name, r.supervisor.last_name) == DANIEL and r is not amira
    ]
    for position, relationship in enumerate(daniels[:2]):
        story.add(relationship.supervisee_id)
        if position == 0 and relationship.supervisee_id not in done:
            _make(
                _awaiting(
                    relationship, version, council.responses(relationship, 1, today), today, 1
                ),
                organisation,
            )
            made += 1

    # Due for review, a year after signing: a social worker of the MASH team manager's.
    annual = next(
        (
            r
            for r in relationships
            if _in_team(r, ANNUAL_REVIEW_TEAM, council)
            and r.supervisee.staff_category == StaffCategory.REGISTERED_SOCIAL_WORKER
            and r.supervisor.staff_category == StaffCategory.TEAM_MANAGER
        ),
        None,
    )
    if annual is not None:
        story.add(annual.supervisee_id)
        if annual.supervisee_id not in done:
            signed_on = _weekday(today - relativedelta(years=1) - datetime.timedelta(days=10))
            _make(active_plan(annual, 2, signed_on), organisation)
            made += 1

    # Due for review because the supervisor changed: covered by a practice supervisor for a few
    # months, then back with the team manager.
    changed = next(
        (
            r
            for r in relationships
            if _in_team(r, SUPERVISOR_CHANGE_TEAM, council)
            and r.supervisee.staff_category == StaffCategory.REGISTERED_SOCIAL_WORKER
            and r.supervisor.staff_category == StaffCategory.TEAM_MANAGER
        ),
        None,
    )
    cover = next(
        (
            r.supervisor
            for r in reversed(relationships)
            if changed is not None
            and r.supervisor.team_id == changed.supervisee.team_id
            and r.supervisor.staff_category == StaffCategory.PRACTICE_SUPERVISOR
        ),
        None,
    )
    if changed is not None and cover is not None:
        story.add(changed.supervisee_id)
        if changed.supervisee_id not in done:
            _supervisor_changed(changed, cover, version, council, organisation, today)
            made += 1

    # Everyone else: two in three active, a few awaiting a signature or drafts, the rest none.
    others = [r for r in relationships if r.supervisee_id not in story]
    for n, relationship in enumerate(others, start=3):
        if relationship.supervisee_id in done:
            continue
        if n % 3 != 2:
            signed_on = _active_signed_on(relationship, n, today)
            _make(active_plan(relationship, n, signed_on), organisation)
            made += 1
            continue
        position = n // 3 - 1  # among the one in three not active: 0, 1, 2...
        if position in AWAITING_POSITIONS:
            responses = council.responses(relationship, n, today)
            _make(_awaiting(relationship, version, responses, today, n), organisation)
            made += 1
        elif position in DRAFT_POSITIONS:
            started = _weekday(today - datetime.timedelta(days=1 + n % 7))
            plan = _Plan(
                relationship,
                version,
                council.draft(relationship, n),
                started_on=max(started, relationship.starts_on),
                started_by_supervisor=n % 2 == 1,
            )
            _make(plan, organisation)
            made += 1
    return made


def _active_signed_on(
    relationship: SupervisionRelationship, n: int, today: datetime.date
) -> datetime.date:
    """When an active agreement was signed: an NQSW's at the start of the policy's stage they are
    in now (so the frequency they agreed is the one that applies); anyone else's between 20 and
    361 days ago, so that none is due for review yet and a few are within the 30 days that
    review reminders are sent for."""
    person = relationship.supervisee
    if person.staff_category == StaffCategory.NQSW_ASYE and person.asye_start:
        rule = rule_for(person, today)
        stage_start = person.asye_start + datetime.timedelta(days=rule.from_day if rule else 0)
        return min(_weekday(stage_start + datetime.timedelta(days=2), forward=True), today)
    return _weekday(today - datetime.timedelta(days=20 + (n * 43) % 340))


def _awaiting(
    relationship: SupervisionRelationship,
    version: AgreementTemplateVersion,
    responses: dict[str, Any],
    today: datetime.date,
    n: int,
) -> _Plan:
    """Filled in together a few days ago; the supervisor has signed, the supervisee not yet."""
    signed_on = max(_weekday(today - datetime.timedelta(days=1 + n % 3)), relationship.starts_on)
    started = max(_weekday(signed_on - datetime.timedelta(days=4)), relationship.starts_on)
    return _Plan(
        relationship,
        version,
        responses,
        started_on=started,
        supervisor_signs_on=signed_on,
        started_by_supervisor=n % 2 == 1,
    )


def _supervisor_changed(
    relationship: SupervisionRelationship,
    cover: Person,
    version: AgreementTemplateVersion,
    council: _Council,
    organisation: Organisation,
    today: datetime.date,
) -> None:
    """The cover supervisor takes over 150 days ago and signs an agreement with the supervisee;
    the team manager takes them back 21 days ago, which makes it due for review (the hook in
    ``organisations.services``). The supervisee ends with the supervisor the organisations'
    demo gave them, so loading that demo again changes nothing."""
    supervisee, manager = relationship.supervisee, relationship.supervisor
    covered = organisation_services.relationship_start(
        supervisee=supervisee,
        supervisor=cover,
        kind=SupervisionKind.LINE,
        starts_on=max(
            today - datetime.timedelta(days=150),
            relationship.starts_on + datetime.timedelta(days=1),
        ),
    )
    signed_on = _weekday(covered.starts_on + datetime.timedelta(days=5), forward=True)
    plan = _Plan(
        covered,
        version,
        council.responses(covered, 5, signed_on),
        started_on=_weekday(covered.starts_on + datetime.timedelta(days=1), forward=True),
        supervisor_signs_on=signed_on,
        supervisee_signs_on=signed_on,
    )
    _make(plan, organisation)
    organisation_services.relationship_start(
        supervisee=supervisee,
        supervisor=manager,
        kind=SupervisionKind.LINE,
        starts_on=max(
            today - datetime.timedelta(days=21), covered.starts_on + datetime.timedelta(days=1)
        ),
    )


def _in_team(relationship: SupervisionRelationship, name: str, council: _Council) -> bool:
    return council.teams[relationship.supervisee.team_id].name == name


# --- Hollyfield --------------------------------------------------------------------------------


def _school_responses(relationship: SupervisionRelationship, n: int) -> dict[str, Any]:
    person, supervisor = relationship.supervisee, relationship.supervisor
    priorities = next(
        text for words, text in SCHOOL_PRIORITIES if words.lower() in person.job_title.lower()
    )
    brings, expects_of_supervisor, expects_of_supervisee = SCHOOL_EXPECTATIONS[
        n % len(SCHOOL_EXPECTATIONS)
    ]
    support = person.staff_category == StaffCategory.SUPPORT_STAFF
    return {
        "frequency": Frequency.HALF_TERMLY.value if support or n % 2 else Frequency.TERMLY.value,
        "location": SCHOOL_LOCATIONS.get(supervisor.full_name, "A quiet room in school"),
        "duration": {"min": 45, "max": 60} if n % 3 else {"min": 30, "max": 60},
        "cancellation": {
            "rebook_within_working_days": 10 if n % 2 else 5,
            "terms": "Only cancelled for illness or a crisis; re-booked within the same half term.",
        },
        "ad_hoc_availability": SCHOOL_AD_HOC[n % len(SCHOOL_AD_HOC)],
        "agenda_process": GRACE_ANSWERS["agenda_process"],
        "preparation": (
            "Both of us look back at the last notes and add to the shared agenda a few days before."
        ),
        "priority_areas": priorities,
        "purpose": SCHOOL_PURPOSES[n % len(SCHOOL_PURPOSES)],
        "supervisee_brings": brings,
        "supervisee_expectations": expects_of_supervisor,
        "supervisor_expectations": expects_of_supervisee,
        "prior_factors": "N/A",
        "agreed_permissions": GRACE_ANSWERS["agreed_permissions"],
        "difficulties": GRACE_ANSWERS["difficulties"],
        "areas_covered": True,
        **SCHOOL_RECORDS,
    }


# The records fields Tandem adds to the school's form, answered as its terms already say.
SCHOOL_RECORDS: dict[str, Any] = {
    "recording": {
        "recorder": Recorder.SUPERVISOR.value,
        "method": "A written record on the school's supervision form, agreed and signed by both.",
    },
    "records_stored": "The confidential supervision folder on the school's staff drive.",
    "record_viewers": "The headteacher, only if an issue leads to discipline or grievance "
    "procedures.",
    "confidentiality_exceptions": [
        ConfidentialityException.SAFEGUARDING.value,
        ConfidentialityException.CONDUCT.value,
    ],
}


def _hollyfield(
    organisation: Organisation, version: AgreementTemplateVersion, today: datetime.date
) -> int:
    relationships = _current_line(organisation)
    done = _with_agreements(organisation)
    made = 0
    grace = _named(relationships, GRACE)
    if grace is not None and grace.supervisee_id not in done:
        plan = _awaiting(grace, version, {**GRACE_ANSWERS, **SCHOOL_RECORDS}, today, 0)
        plan.started_by_supervisor = False  # Grace filled it in with Tom, then Tom signed
        _make(plan, organisation)
        made += 1
    others = [r for r in relationships if r is not grace]
    for n, relationship in enumerate(others):
        if relationship.supervisee_id in done or n % 3 == 2:
            continue
        signed_on = max(
            _weekday(today - datetime.timedelta(days=15 + (n * 23) % 290)), relationship.starts_on
        )
        plan = _Plan(
            relationship,
            version,
            _school_responses(relationship, n),
            started_on=max(
                _weekday(signed_on - datetime.timedelta(days=7)), relationship.starts_on
            ),
            supervisor_signs_on=signed_on,
            supervisee_signs_on=signed_on,
            started_by_supervisor=n % 2 == 0,
        )
        _make(plan, organisation)
        made += 1
    return made


CARE_WORK: dict[str, tuple[str, str]] = {
    StaffCategory.CARE_WORKER: (
        "Personal care and support for eight residents on the floor; key worker for two.",
        "The Care Certificate for new starters; then the Level 2 Diploma in Care.",
    ),
    StaffCategory.HOME_CARE_WORKER: (
        "A round of about twelve visits a day across the district, lone working.",
        "The Care Certificate for new starters; moving and handling refreshers each year.",
    ),
    StaffCategory.NURSE: (
        "Clinical care of the nursing floor; medicines; care plan reviews.",
        "NMC revalidation: CPD, feedback and reflective accounts; clinical supervision.",
    ),
    StaffCategory.REGISTERED_MANAGER: (
        "Leading the service under CQC registration: staffing, quality, safeguarding.",
        "Leadership development; keeping registered-manager knowledge current.",
    ),
}


def _meadowbank(organisation: Organisation, today: datetime.date) -> int:
    """Every supervision pair signed, on the provider's own copy of the council's contract, at
    the frequency its policy sets for the supervisee (6 a year in the homes, 4 in home care)."""
    relationships = _current_line(organisation)
    done = _with_agreements(organisation)
    if all(r.supervisee_id in done for r in relationships):
        return 0
    template = AgreementTemplate.objects.filter(organisation=organisation).first()
    if template is None:
        admin = next(
            (r.supervisee for r in relationships if Role.ADMIN in r.supervisee.granted_roles),
            relationships[0].supervisor,
        )
        template = services.template_copy(
            template=AgreementTemplate.objects.get(
                organisation__isnull=True, slug=COUNCIL_TEMPLATE
            ),
            organisation=organisation,
            by=admin,
            name="Meadowbank Care supervision agreement",
        )
    version = services.template_latest_version(template)
    council = _Council(organisation, today)
    made = 0
    for n, relationship in enumerate(relationships):
        if relationship.supervisee_id in done:
            continue
        person = relationship.supervisee
        signed_on = max(
            _weekday(today - datetime.timedelta(days=20 + (n * 29) % 200)), relationship.starts_on
        )
        rule = rule_for(person, signed_on)
        frequency = rule.frequency if rule is not None else Frequency.TWO_MONTHLY
        answers = council.responses(relationship, n, signed_on)
        workload, development = CARE_WORK.get(
            person.staff_category, CARE_WORK[StaffCategory.CARE_WORKER]
        )
        answers.update(
            workload=workload,
            professional_development=development,
            frequency=str(frequency),
            duration={"min": 60, "max": 90},
            meeting_dates=_meeting_dates(
                _first_meeting(signed_on, MEETING_WEEKDAYS[n % len(MEETING_WEEKDAYS)]),
                _always(frequency),
            ),
        )
        plan = _Plan(
            relationship,
            version,
            answers,
            started_on=max(
                _weekday(signed_on - datetime.timedelta(days=5)), relationship.starts_on
            ),
            supervisor_signs_on=signed_on,
            supervisee_signs_on=signed_on,
        )
        _make(plan, organisation)
        made += 1
    return made


# --- Loading -----------------------------------------------------------------------------------


def _current_line(organisation: Organisation) -> list[SupervisionRelationship]:
    return list(
        SupervisionRelationship.objects.for_organisation(organisation)
        .current()
        .filter(kind=SupervisionKind.LINE)
        .select_related(
            "supervisee__organisation",
            "supervisee__user",
            "supervisor__organisation",
            "supervisor__user",
        )
        .order_by("supervisee__staff_number")
    )


def _with_agreements(organisation: Organisation) -> set[int]:
    return set(
        Agreement.objects.for_organisation(organisation).values_list("supervisee_id", flat=True)
    )


def _latest(slug: str) -> AgreementTemplateVersion:
    template = AgreementTemplate.objects.get(organisation__isnull=True, slug=slug)
    return services.template_latest_version(template)


@transaction.atomic
def load_demo_agreements(today: datetime.date | None = None) -> int:
    """Give the demo organisations their agreements (see the module's docstring); return how
    many agreements were made. Does nothing for a demo organisation that is not there."""
    today = today or timezone.localdate()
    builtin_templates_load()  # idempotent: there already, unless the data migration was skipped
    made = 0
    northbridge = Organisation.objects.filter(name=NORTHBRIDGE).first()
    if northbridge is not None:
        made += _northbridge(northbridge, _latest(COUNCIL_TEMPLATE), today)
    hollyfield = Organisation.objects.filter(name=HOLLYFIELD).first()
    if hollyfield is not None:
        made += _hollyfield(hollyfield, _latest(SCHOOL_TEMPLATE), today)
    meadowbank = Organisation.objects.filter(name=MEADOWBANK).first()
    if meadowbank is not None:
        made += _meadowbank(meadowbank, today)
    # The agreement signed just over a year ago: due for review, as the daily round would mark it.
    services.agreements_mark_due(today=today)
    return made
