"""The built-in agreement templates, as data: each reproduces one source document field for field.

``COUNCIL_CONTRACT`` is a council children's services "Supervision contract" (the Bolton Children
and Families form, with "Bolton Council" made "the Council"); ``SCHOOL_AGREEMENT`` is a school's
"Staff Supervision Agreement". Each form's own wording is kept, word for word, as ``terms`` or
``guidance``; what a supervisor and supervisee fill in is a field. Fields the sources do not have
but Tandem needs (where sessions happen, the cancellation rule, the exceptions to confidentiality,
the escalation route) say so in their hints.

``builtin_templates_load`` puts them in the database, from the data migration and from tests: it
is idempotent, and makes a new template version only when the content here has changed.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction

TANDEM_ADDITION = "Tandem's addition: the {form} has no place for this"


def _field(
    key: str, label: str, kind: str, *, required: bool = False, hint: str = "", **extra: Any
) -> dict[str, Any]:
    return {"key": key, "label": label, "type": kind, "required": required, "hint": hint, **extra}


def _term(key: str, text: str, heading: str = "") -> dict[str, Any]:
    return {"key": key, "heading": heading, "text": text}


def _section(
    key: str,
    heading: str,
    *,
    guidance: str = "",
    fields: list[dict[str, Any]] | None = None,
    terms: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "heading": heading,
        "guidance": guidance,
        "fields": fields or [],
        "terms": terms or [],
    }


def _bullets(*lines: str) -> str:
    return "\n".join(f"- {line}" for line in lines)


# --- The council's supervision contract -------------------------------------------------------

_COUNCIL_ADDITION = TANDEM_ADDITION.format(form="council's form")

COUNCIL_CONTRACT: dict[str, Any] = {
    "title": "Supervision contract",
    "introduction": "",
    "sections": [
        _section(
            "names",
            "",
            fields=[
                _field(
                    "supervisee", "Name of Supervisee", "person", required=True, party="supervisee"
                ),
                _field(
                    "supervisor",
                    "Name of Supervisor/Manager",
                    "person",
                    required=True,
                    party="supervisor",
                ),
            ],
        ),
        _section(
            "key_tasks",
            "Key tasks of supervisee",
            guidance=(
                "This may include individual cases, administrative or practical duties, depending "
                "on the nature of the service. It should also include any additional "
                "responsibilities undertaken e.g. auditing of practice, mentoring, multi-agency "
                "practice."
            ),
            fields=[
                _field("workload", "Workload", "long_text"),
                _field("professional_development", "Professional Development", "long_text"),
            ],
        ),
        _section(
            "mandate",
            "Mandate for supervision",
            terms=[
                _term(
                    "mandate",
                    "The Council expects all staff to be supervised as a minimum on a monthly "
                    "basis. However, for certain staff, such as those in their probationary "
                    "period; newly qualified social workers in their Assessed & Supported Year of "
                    "Employment or in situations where there is little responsibility assigned to "
                    "the post this will be more or less frequent. The principal functions of the "
                    "supervisory process are:\n"
                    + _bullets(
                        "a) To ensure that the supervisee carries out their job responsibilities "
                        "to CEC standards and those of their professional code of conduct. (See "
                        "Corporate and Directorate policies, procedures and practice.)",
                        "b) To ensure that the supervisee understands their roles and "
                        "responsibilities (supervisee job description should be available as a "
                        "basis of discussions).",
                        "c) To assist with the professional development of the supervisee.",
                        "d) To be a primary source of support for the supervisee recognising the "
                        "considerable demands of the job.",
                        "e) Provide both regular constructive feedback to the supervisee, and to "
                        "link with the Performance Development Plan and Review process.",
                    ),
                ),
            ],
        ),
        _section(
            "format",
            "Format of supervision",
            fields=[
                _field(
                    "interruptions",
                    "The supervision meeting will take place in privacy and there will only be "
                    "interruptions if",
                    "long_text",
                ),
                _field(
                    "frequency", "The frequency of supervision will be", "frequency", required=True
                ),
                _field(
                    "duration",
                    "The supervision meeting will last for a minimum of",
                    "duration",
                    required=True,
                    hint="In minutes.",
                    min=60,
                    max=240,
                ),
                _field(
                    "recording",
                    "Method of recording the session, and the person responsible for recording it",
                    "recording",
                ),
                _field(
                    "records_stored",
                    "Supervision records will be held by both parties and stored",
                    "long_text",
                ),
                _field("record_viewers", "Others who may see the record", "long_text"),
                _field(
                    "location",
                    "Where supervision will take place",
                    "location",
                    required=True,
                    hint=f"{_COUNCIL_ADDITION}; the schedule needs to know where sessions happen.",
                ),
                _field(
                    "cancellation",
                    "If a session is cancelled",
                    "cancellation",
                    hint=f"{_COUNCIL_ADDITION}; the schedule uses it to re-book a cancelled "
                    "session.",
                ),
                _field(
                    "confidentiality_exceptions",
                    "Confidentiality: what may be shared beyond the supervisor, the supervisee and "
                    "the supervisor's manager",
                    "exceptions",
                    hint=f"{_COUNCIL_ADDITION}.",
                ),
            ],
            terms=[
                _term(
                    "record_sharing",
                    "The record will be shared within 10 working days and will be signed by both "
                    "parties once agreed as a true record.",
                ),
            ],
        ),
        _section(
            "meeting_content",
            "The supervision meeting will consist of the following",
            terms=[
                _term(
                    "performance_management",
                    "To include:\n"
                    + _bullets(
                        "Activities undertaken",
                        "Case Consultation and discussion (where applicable)",
                        "Case file audit discussion (where applicable)",
                    ),
                    heading="1. Performance Management discussions",
                ),
                _term(
                    "professional_development_discussions",
                    "To include:\n"
                    + _bullets(
                        "Induction requirements (as appropriate)",
                        "Training requirements (and formal completion of Performance Development "
                        "Plans and Reviews)",
                        "Longer term development plans and setting of professional goals.",
                        "For Registered Social Workers: Review of training progress against the "
                        "post-registration CPD requirements set out by the Health & Care "
                        "Professions Council (HCPC) and the College of Social Work's Professional "
                        "Capabilities Framework (PCF).",
                        "For NQSW's in the Assessed and Supported Year of Employment, on-going "
                        "assessment and appraisal using the ASYE level of the Professional "
                        "Capabilities Framework.",
                    ),
                    heading="2. Professional Development discussions of your skills, knowledge "
                    "base and value base",
                ),
                _term(
                    "welfare_support",
                    _bullets(
                        "Factors affecting performance",
                        "Personal issues (as appropriate)",
                        "Stress-related issues",
                        "Absence(s) from work",
                        "Health and Safety",
                        "Opportunity for you to give feedback on your experience of and "
                        "expectation of supervision",
                        "Equal Opportunities \u2013 to discuss any issues of oppression that the "
                        "supervisee wishes to raise, from personal experience to institutional and "
                        "structural matters",
                        "Annual Leave",
                        "Flexi/Time of in Lieu",
                    ),
                    heading="3. Welfare/Support Issues",
                ),
            ],
        ),
        _section(
            "auditing",
            "Auditing of Practice (if applicable)",
            terms=[
                _term(
                    "auditing_of_practice",
                    "Cases which the worker is currently, or has previously been involved with may "
                    "be selected for audit via the monthly Children & Families Service audit "
                    "process. Workers may also have been involved in cases subject of Serious Case "
                    "Review or other learning and improvement process.\n\n"
                    "In preparation the supervisor will discuss the process with the supervisee "
                    "prior to audit. The supervisor will also discuss the process with the "
                    "supervisee following audit to identify any learning and the impact that this "
                    "has had upon the worker.",
                ),
            ],
        ),
        _section(
            "expectations",
            "Expectations of Supervision",
            guidance=(
                "Good quality reflective supervision requires preparation by both the supervisor "
                "and the supervisee.\n\n"
                "Following discussion, these are the ways we have agreed to work together in order "
                "to get the most out of supervision:"
            ),
            fields=[
                _field(
                    "want_from_supervisor", "What I want from you as my supervisor", "long_text"
                ),
                _field(
                    "supervisee_contribution", "What I will contribute as a supervisee", "long_text"
                ),
                _field(
                    "want_from_supervisee", "What I want from you as the supervisee", "long_text"
                ),
                _field(
                    "supervisor_contribution",
                    "What I will contribute as the supervisor",
                    "long_text",
                ),
                _field(
                    "supervisor_responsibilities",
                    "As the supervisor I am responsible for",
                    "long_text",
                ),
                _field(
                    "supervisee_responsibilities",
                    "As the supervisee I am responsible for",
                    "long_text",
                ),
            ],
        ),
        _section(
            "other_issues",
            "Any other issues",
            fields=[_field("other_issues", "Any other issues", "long_text")],
        ),
        _section(
            "disagreements",
            "Disagreements",
            fields=[
                _field(
                    "escalation",
                    "Escalation route",
                    "escalation",
                    hint="Tandem's addition: shown from the organisation's escalation chain, so "
                    "both know who the Senior Manager is.",
                ),
            ],
            terms=[
                _term(
                    "disagreements",
                    _bullets(
                        "If the Manager and supervisee cannot agree on any aspect of work "
                        "performance or service delivery, either party may refer the issue to the "
                        "relevant Senior Manager for resolution. The disagreement and its "
                        "resolution will be recorded on the Supervision Record.",
                        "In the case of Managers the resolution process will be as follows: the "
                        "Head of Service in the case of dispute between Team managers, the "
                        "assistant director in the case of dispute between the Head of Service and "
                        "a Team Manager. The disagreement and its resolution will be recorded on "
                        "the Supervision Record.",
                        "If a supervisee is concerned about any aspect of the manager's "
                        "supervision practice and they are not able to resolve the issue in "
                        "discussion with the manager, they may speak with the relevant Senior "
                        "Manager who will address the issue raised.",
                    ),
                ),
            ],
        ),
        _section(
            "meeting_dates",
            "Dates of Supervision Meetings (next 12 months)",
            fields=[
                _field(
                    "meeting_dates",
                    "Dates of Supervision Meetings (next 12 months)",
                    "list",
                    columns=["Month", "Date"],
                ),
            ],
        ),
        _section(
            "parties_to_the_contract",
            "Parties to the Contract",
            guidance=(
                "The supervisee and the supervisor each sign the contract in Tandem; the date of "
                "each signature is recorded with it."
            ),
        ),
        _section(
            "review",
            "Date of Review",
            guidance=(
                "Tandem sets the review date when both have signed, and makes the contract due for "
                "review when the supervisor changes."
            ),
            terms=[
                _term(
                    "review",
                    "The contract must be reviewed on an annual basis. It must also be reviewed "
                    "when there is a change of supervisor.",
                    heading="Note",
                ),
            ],
        ),
    ],
    "closing": [],
}


# --- The school's staff supervision agreement -------------------------------------------------

_SCHOOL_ADDITION = TANDEM_ADDITION.format(form="school's form")

SCHOOL_AGREEMENT: dict[str, Any] = {
    "title": "Staff Supervision Agreement",
    "introduction": (
        "This agreement is in place and designed to be a tool that will underpin and maintain a "
        "good supervisory relationship. It will be completed in partnership between supervisor "
        "and supervisee and should be completed at the start of any new supervisory "
        "relationship, and reviewed annually. The quality of any supervisory relationship relies "
        "heavily on the conversation, and so this tool is designed to provide an effective "
        "foundation for discussions within supervision. The points below should help with "
        "setting this."
    ),
    "sections": [
        _section(
            "agreement_between",
            "Agreement between",
            fields=[
                _field("supervisor", "Supervisor", "person", required=True, party="supervisor"),
                _field("supervisee", "Supervisee", "person", required=True, party="supervisee"),
            ],
        ),
        _section(
            "practical_arrangements",
            "Practical Arrangements",
            fields=[
                _field("frequency", "Frequency", "frequency", required=True),
                _field("location", "Location", "location", required=True),
                _field(
                    "duration",
                    "Duration",
                    "duration",
                    required=True,
                    hint="In minutes.",
                    min=30,
                    max=120,
                ),
                _field("cancellation", "Cancellation agreements", "cancellation"),
                _field(
                    "ad_hoc_availability",
                    "Availability of supervisor for ad-hoc discussions",
                    "long_text",
                ),
            ],
        ),
        _section(
            "content",
            "Content",
            fields=[
                _field("agenda_process", "Process for agreeing on agenda", "long_text"),
                _field("preparation", "Prep for supervision should include", "long_text"),
                _field("priority_areas", "Priority areas for regular discussion", "long_text"),
            ],
        ),
        _section(
            "making_it_work",
            "Making it work",
            fields=[
                _field("purpose", "Purpose of supervision", "long_text"),
                _field(
                    "supervisee_brings",
                    "What should the supervisee bring to the relationship?",
                    "long_text",
                ),
                _field(
                    "supervisee_expectations", "Supervisee expectations of supervisor?", "long_text"
                ),
                _field(
                    "supervisor_expectations", "Supervisor expectations of supervisee?", "long_text"
                ),
                _field(
                    "prior_factors",
                    "Any factors to acknowledge prior to the development of a supervisory "
                    "relationship?",
                    "long_text",
                ),
                _field("agreed_permissions", "Agreed permissions", "long_text"),
                _field(
                    "difficulties",
                    "What methods will be used if any difficulties in the relationship arise?",
                    "long_text",
                ),
                _field("areas_covered", "All areas below covered with supervisee?", "yes_no"),
            ],
        ),
        _section(
            "terms",
            "",
            terms=[
                _term(
                    "confidentiality",
                    "This supervision session is confidential between the Supervisor and "
                    "Supervisee. The supervision session should not be discussed, with a third "
                    "party, unless with prior agreement of both parties. The exception to this is "
                    "if an issue is unresolved and has to lead to procedures being implemented, "
                    "such as discipline or grievance procedures.",
                    heading="Confidentiality",
                ),
                _term(
                    "regularity",
                    "Good practice is that supervisions should be held every half term, when "
                    "possible, but discuss with school around your capacity as supervisor.",
                    heading="Regularity",
                ),
                _term(
                    "location",
                    "All supervision sessions will take place on school premises. It will take "
                    "place in a quiet place with no interruptions and ideally away from the "
                    "workplace, i.e. classroom and not a communal space.",
                    heading="Location",
                ),
                _term(
                    "length_of_session",
                    "Good practice is that each supervision session will be of no less than 60 "
                    "mins and no longer than two hours. However, as in point 2, this is to be "
                    "discussed in terms of your capacity.",
                    heading="Length of Session",
                ),
                _term(
                    "cancellation",
                    "Supervision is integral to our school's wellbeing policy for staff and will "
                    "only be cancelled when there is no other option, e.g. illness, or a crisis "
                    "situation. If cancelled, then another date to replace a missed session should "
                    "be booked in asap and in accordance with the regularity of supervisions.",
                    heading="Cancellation",
                ),
                _term(
                    "preparation",
                    "The supervisee and supervisor are responsible for preparing for the session "
                    "and contributing to a shared agenda.",
                    heading="Preparation",
                ),
                _term(
                    "equality_and_diversity",
                    "Any relevant equality issues will be discussed, and ways to address them "
                    "sought.",
                    heading="Equality and Diversity",
                ),
                _term(
                    "recording",
                    "The supervisor will keep a written record of the sessions, which will be "
                    "agreed upon and signed by both Supervisor and the Supervisee.",
                    heading="Recording",
                ),
            ],
        ),
        _section(
            "records_and_disagreements",
            "Records, confidentiality and disagreements",
            guidance=(
                "Tandem's addition: the school's form sets these out only in the terms above. "
                "Recording them here lets Tandem keep the session records and route "
                "disagreements as agreed."
            ),
            fields=[
                _field(
                    "recording",
                    "Who records each session, and how",
                    "recording",
                    hint=f"{_SCHOOL_ADDITION}; term 8 (Recording) says the supervisor keeps the "
                    "written record.",
                ),
                _field(
                    "records_stored",
                    "Where the supervision records are kept",
                    "long_text",
                    hint=f"{_SCHOOL_ADDITION}.",
                ),
                _field(
                    "record_viewers",
                    "Others who may see the record",
                    "long_text",
                    hint=f"{_SCHOOL_ADDITION}.",
                ),
                _field(
                    "confidentiality_exceptions",
                    "Confidentiality: what may be shared beyond the supervisor and the supervisee",
                    "exceptions",
                    hint=f"{_SCHOOL_ADDITION}; term 1 (Confidentiality) names discipline and "
                    "grievance procedures as the exception.",
                ),
                _field(
                    "escalation",
                    "If we cannot agree",
                    "escalation",
                    hint=f"{_SCHOOL_ADDITION}; shown from the school's escalation chain.",
                ),
            ],
        ),
        _section(
            "signed",
            "Signed",
            guidance=(
                "The supervisor and the supervisee each sign the agreement in Tandem; the date of "
                "each signature is recorded with it."
            ),
        ),
        _section(
            "staff_supervision",
            "Staff Supervision",
            terms=[
                _term(
                    "aim",
                    _bullets(
                        "To ensure that all staff within the school feel valued and supported, "
                        "professionally and emotionally.",
                        "To contribute to staff's continued professional development and ensure "
                        "their job satisfaction.",
                        "To create a safe space within the school, where structured conversations "
                        "can take place, and staff have the protected time to have these "
                        "discussions.",
                    ),
                    heading="The aim of supervision",
                ),
            ],
        ),
        _section(
            "objectives",
            "Objectives",
            terms=[
                _term(
                    "accountability_objectives",
                    _bullets(
                        "Reviewing and managing workload",
                        "Setting objectives and targets for key pieces of work",
                        "Evaluating effectiveness and efficiency of work carried out, including "
                        "achievements.",
                        "Monitoring availability of resources to do the job",
                        "Ensuring Schools Policies and Procedures are understood and adhered to.",
                    ),
                    heading="Accountability objectives",
                ),
                _term(
                    "professional_development",
                    _bullets(
                        "Development of reflective practitioner skills",
                        "Critical incident analysis",
                        "Case reviews/safeguarding concerns of children and young people",
                        "Problem-solving",
                        "Identifying training needs",
                        "Celebrating and highlighting areas of good practice and work.",
                    ),
                    heading="Professional development",
                ),
                _term(
                    "support_objectives",
                    _bullets(
                        "Exploring professional boundaries",
                        "Exploring supporting personal needs when directly impacting ability to "
                        "work effectively",
                        "Availability of additional resources to support wellbeing, internal and "
                        "external to school.",
                    ),
                    heading="Support objectives",
                ),
            ],
        ),
    ],
    "closing": [],
}


BUILTIN_TEMPLATES: list[dict[str, Any]] = [
    {
        "slug": "council-supervision-contract",
        "name": "Supervision contract (council children's services)",
        "description": (
            "A local authority children's services supervision contract: key tasks, the mandate "
            "for supervision, its format and content, auditing of practice, expectations of both "
            "parties, disagreements and the dates of meetings for the next 12 months. Reviewed "
            "every year and when the supervisor changes."
        ),
        "content": COUNCIL_CONTRACT,
    },
    {
        "slug": "school-staff-supervision-agreement",
        "name": "Staff supervision agreement (school)",
        "description": (
            "A school's staff supervision agreement: practical arrangements, content, making it "
            "work, eight standard terms (confidentiality to recording), and the aims and "
            "objectives of staff supervision. Reviewed every year."
        ),
        "content": SCHOOL_AGREEMENT,
    },
]


def builtin_templates_load(apps: Any = None) -> list[Any]:
    """Create or update the built-in templates (no organisation, found by slug), and give each a
    new version when its content here differs from its latest version's. Returns the versions
    made. ``apps`` is a data migration's historical app registry; without it, the current
    models are used."""
    template_model: Any
    version_model: Any
    if apps is None:
        from .models import AgreementTemplate as template_model
        from .models import AgreementTemplateVersion as version_model
    else:
        template_model = apps.get_model("agreements", "AgreementTemplate")
        version_model = apps.get_model("agreements", "AgreementTemplateVersion")

    made = []
    with transaction.atomic():
        for spec in BUILTIN_TEMPLATES:
            template = template_model.objects.filter(
                organisation__isnull=True, slug=spec["slug"]
            ).first()
            if template is None:
                template = template_model.objects.create(
                    organisation=None,
                    slug=spec["slug"],
                    name=spec["name"],
                    description=spec["description"],
                )
            elif (template.name, template.description) != (spec["name"], spec["description"]):
                template.name, template.description = spec["name"], spec["description"]
                template.save(update_fields=["name", "description"])

            latest = version_model.objects.filter(template=template).order_by("-number").first()
            if latest is not None and latest.content == spec["content"]:
                continue
            made.append(
                version_model.objects.create(
                    template=template,
                    number=(latest.number if latest else 0) + 1,
                    content=copy.deepcopy(spec["content"]),
                )
            )
    return made
