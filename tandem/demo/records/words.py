"""The words of the demo's records: sentences for each section by the supervisee's role, agenda
notes, general actions, and the story's disagreements, addendum and break-glass reason."""

from __future__ import annotations

from .roles import (
    BUSINESS_SUPPORT,
    HEAD_OF_SERVICE,
    NQSW,
    PASTORAL,
    PRACTICE_SUPERVISOR,
    SCHOOL_BUSINESS,
    SCHOOL_LEADER,
    SOCIAL_WORKER,
    TEACHER,
    TEACHING_ASSISTANT,
    TEAM_MANAGER,
)

# --- Sections ----------------------------------------------------------------------------------

PERFORMANCE: dict[str, tuple[tuple[str, ...], ...]] = {
    SOCIAL_WORKER: (
        (
            "Caseload of {caseload} children in {families} families: {cp} on child protection "
            "plans, {cin} child in need.",
            "{caseload} children allocated ({cp} on plans); one transferred to the long-term team "
            "this month.",
            "Caseload steady at {caseload} children, within the team's weighting.",
        ),
        (
            "Statutory visits all in timescale; recording up to date apart from two case notes "
            "from the duty day.",
            "Two statutory visits were late this month because of court; both are now done and "
            "the reasons recorded.",
            "Child and family assessments: two completed in {assessment_days} working days, "
            "both with the children's views recorded in their own words.",
            "Case file audit of {audit_ref} graded good: clear analysis and the child's voice "
            "throughout; action to bring the chronology up to date.",
            "Two child protection conference reports written and shared with the families on time.",
        ),
        (
            "Workload is manageable but the duty week pushed recording back.",
            "Activities this month also included a joint visit with the police and two core "
            "groups.",
            "",
        ),
    ),
    NQSW: (
        (
            "Protected caseload of {nqsw_caseload} children, building up as the ASYE plan says.",
            "{nqsw_caseload} children allocated; no child protection cases held alone yet, as "
            "agreed for the first six months.",
        ),
        (
            "Co-working a child protection case with an experienced colleague; leading the "
            "visits with her there.",
            "First child and family assessment completed in {assessment_days} working days; "
            "good analysis, the plan needed to be more specific.",
            "Recording is thorough but takes too long; talked about writing analysis, not "
            "narrative.",
            "Shadowed a duty day and took two contacts with support.",
        ),
        ("", "Workload feels right; ready for one more case.", "Keep the Thursday programme free."),
    ),
    PRACTICE_SUPERVISOR: (
        (
            "Supervising {supervisees} social workers; every session this month in time and "
            "records shared within {deadline} working days.",
            "{supervisees} supervisees; one record shared late after sickness, now signed.",
        ),
        (
            "Holding {caseload} complex cases alongside supervision; two in pre-proceedings.",
            "Case file audits of two of the team's cases: one good, one requires improvement "
            "(plans not specific enough).",
            "Covering the team manager's duty decisions on Tuesdays.",
        ),
        ("", "Feedback from the team on group supervision is good."),
    ),
    TEAM_MANAGER: (
        (
            "Team performance: {pct}% of assessments in timescale (target 90%), visits in "
            "timescale {visits_pct}%.",
            "The team's caseloads average {caseload} children; two vacancies, one agency "
            "worker starts next month.",
        ),
        (
            "Management oversight recorded on every new plan this month.",
            "Three cases escalated to the head of service for funding decisions.",
            "Preparing the team for the focused visit: case sampling and audits.",
            "Sickness in the team: two long-term absences, return to work plans in place.",
        ),
        ("", "Supervision compliance in the team is at {pct}%."),
    ),
    HEAD_OF_SERVICE: (
        (
            "Service performance: re-referrals at {rereferral}%, assessments in timescale {pct}%.",
            "Budget position: placements overspent by 4%, agency spend down this quarter.",
        ),
        (
            "Recruitment: three social workers appointed, two still to start.",
            "Quality assurance: the audit programme found good management oversight but plans "
            "that are not specific enough.",
            "Preparing for the annual self-evaluation and the ILACS inspection.",
        ),
        ("", "Workforce stability is the main risk on the service's risk register."),
    ),
    BUSINESS_SUPPORT: (
        (
            "Child protection conference minutes: {pct}% sent within 20 working days.",
            "Business support rota covered throughout the month despite one vacancy.",
        ),
        (
            "New starter in the team, induction going well.",
            "Court bundles prepared on time for every hearing this month.",
            "The move to the new case management system forms: training booked.",
        ),
        ("",),
    ),
    TEACHER: (
        (
            "Autumn data drop: {reading}% of the class at the expected standard in reading, "
            "{maths}% in maths.",
            "Planning and marking up to date; book scrutiny feedback positive.",
            "Behaviour in class is settled; two pupils on behaviour plans.",
        ),
        (
            "Interventions for the six pupils behind in maths are running three times a week.",
            "Parents' evening: every family seen but three, who have been offered phone calls.",
            "Reports written and checked; moderation with the parallel class next week.",
        ),
        ("", "Workload manageable this half term."),
    ),
    TEACHING_ASSISTANT: (
        (
            "Running the phonics catch-up group every morning; four of the six pupils have "
            "moved up a phase.",
            "One-to-one support for a pupil with an EHCP; the plan's targets reviewed with the "
            "SENCO.",
        ),
        (
            "Lunchtime duty rota working better since the change.",
            "Covering the class for PPA on Wednesday afternoons.",
        ),
        ("",),
    ),
    SCHOOL_LEADER: (
        (
            "Safeguarding: {concerns} concerns logged on CPOMS this half term, all followed up.",
            "SEN register reviewed: {sen} pupils on SEN support, four with EHCPs.",
            "Attendance is {attendance}% for the term; persistent absence down.",
        ),
        (
            "Leading the staff meeting on the new behaviour policy.",
            "Preparing the single central record check with the business manager.",
            "Two EHC needs assessment requests submitted.",
        ),
        ("", "Leadership time is being eaten by cover."),
    ),
    PASTORAL: (
        (
            "Working with {families} families this half term; two new early help assessments.",
            "Breakfast club and the nurture group running every day.",
        ),
        (
            "Attendance meetings with four families; two improved.",
            "Liaison with the MASH on a referral the DSL made.",
        ),
        ("",),
    ),
    SCHOOL_BUSINESS: (
        (
            "Budget monitoring: on track for the year, with a small surplus.",
            "Single central record up to date and checked by the chair of governors.",
        ),
        (
            "Tendering for the catering contract.",
            "Supporting the recruitment of two teaching assistants.",
            "Health and safety walk with the site manager done.",
        ),
        ("",),
    ),
}

DEVELOPMENT: dict[str, tuple[str, ...]] = {
    SOCIAL_WORKER: (
        "Trauma-informed practice course completed; using the regulate, relate, reason "
        "approach on visits with teenagers.",
        "CPD for Social Work England: {cpd} pieces recorded this year, one with peer "
        "reflection; registration renews on 30 November.",
        "Booked onto the court skills course in {next_month}.",
        "Interested in becoming a practice educator; will take the PEPS stage 1 course.",
        "Direct observation of a home visit by the practice supervisor: warm and clear with "
        "the parents; next time, explain the plan to the children too.",
        "Signs of Safety refresher: using the mapping in core groups.",
        "Reading on contextual safeguarding for the exploitation cases.",
        "Wants to apply for the senior practitioner post next year; building the evidence.",
    ),
    NQSW: (
        "Protected development time used for reading on neglect and the GCP2 tool.",
        "Reflective log: one entry a week, discussed here.",
        "Knowledge and skills statement: self-assessment shows strength in relationships, "
        "development needed on the law.",
        "NQSW programme session on analysis and decision making attended.",
    ),
    PRACTICE_SUPERVISOR: (
        "Practice supervisor development programme: module 2 done (supervision as a relationship).",
        "Using the 4x4x4 model in case discussions with the team.",
        "Took the practice educator course; first student arrives in {next_month}.",
        "Wants to develop group supervision in the team.",
    ),
    TEAM_MANAGER: (
        "Practice leadership programme: action learning set monthly.",
        "Completed the recruitment and selection training.",
        "Working on coaching rather than directing in supervision.",
        "Mentoring a new practice supervisor.",
    ),
    HEAD_OF_SERVICE: (
        "Senior leadership programme: the service transformation project is the work-based "
        "assignment.",
        "360 feedback received; wants to be more visible to front-line teams.",
        "Attending the regional heads of service network.",
    ),
    BUSINESS_SUPPORT: (
        "ILM level 3 in leadership started.",
        "Training on the new case management system booked.",
        "Wants to learn more about data protection and subject access requests.",
    ),
    TEACHER: (
        "Maths mastery training: two sessions done, trying the bar model with the class.",
        "Lesson observation: strong questioning; next step, more time for pupils to talk.",
        "Wants to lead a subject next year; shadowing the English lead.",
        "NPQ in leading teaching: application in.",
        "Phonics refresher done; consistent with the scheme now.",
    ),
    TEACHING_ASSISTANT: (
        "Team Teach refresher booked.",
        "Interested in the level 3 teaching assistant qualification.",
        "Speech and language training from the therapist: using the strategies in class.",
    ),
    SCHOOL_LEADER: (
        "NPQ in senior leadership: module on school culture.",
        "DSL refresher training done; cascading it at the INSET day.",
        "National SENCO award: second assignment submitted.",
    ),
    PASTORAL: (
        "Mental health first aid course done.",
        "Early help assessment training from the local authority booked.",
    ),
    SCHOOL_BUSINESS: (
        "School business professional level 5: first module.",
        "Training on the new HR system.",
    ),
}

# ASYE progress for NQSWs, by weeks since the ASYE started.
ASYE: tuple[tuple[int, str], ...] = (
    (
        6,
        "ASYE week {week}: induction nearly done; learning agreement signed; protected "
        "development time (10%) is on Thursday mornings. Caseload kept small, as the policy "
        "says.",
    ),
    (
        12,
        "ASYE week {week}: first direct observation booked; gathering evidence against the PCF "
        "domains of professionalism and values.",
    ),
    (
        16,
        "ASYE week {week}: three-month review done. Progress good on intervention and skills; "
        "more evidence needed on critical reflection and analysis.",
    ),
    (
        26,
        "ASYE week {week}: working towards the six-month review; second direct observation "
        "done, feedback on the analysis in the assessment.",
    ),
    (
        30,
        "ASYE week {week}: six-month review agreed the ASYE is on track; the caseload can "
        "include a child protection case held with support.",
    ),
    (
        48,
        "ASYE week {week}: portfolio taking shape; third observation and the service user "
        "feedback to come.",
    ),
    (
        56,
        "ASYE week {week}: final portfolio submitted to the assessor; waiting for the panel.",
    ),
    (
        10_000,
        "ASYE passed. Development now in the post-qualifying framework: a second-year plan "
        "with a focus on court work.",
    ),
)

# Welfare and support, in any organisation: leave and absence, how they are, feedback.
WELFARE: tuple[tuple[str, ...], ...] = (
    (
        "Annual leave: {leave} days left this year, a week booked in {next_month}.",
        "Flexi balance at {flexi} hours: agreed to take a day back before the end of the month.",
        "No absences since the last session.",
        "Took time off in lieu for the late finish last week.",
        "One day of sickness (a migraine); back to work conversation done.",
    ),
    (
        "Feeling tired after a difficult fortnight; talked about boundaries on working late.",
        "Doing well; enjoying the work with the team.",
        "Something at work last week stayed with them; talked it through and agreed to use the "
        "employee assistance line if it keeps coming back.",
        "Caring for a parent at weekends; agreed flexible start times on Mondays.",
        "Stress levels higher this month with two big deadlines in the same week; agreed to "
        "protect Friday afternoons for writing.",
        "Back pain: the occupational health workstation assessment is booked.",
        "Observing Ramadan: agreed an earlier finish and nothing booked over iftar.",
        "Feels supported by the team; no concerns.",
    ),
    (
        "Feedback on supervision: finds the reflective part helpful; would like the agenda "
        "shared two days before.",
        "Feedback on supervision: sessions feel protected now; keep the same time.",
        "No health and safety concerns.",
        "",
        "",
    ),
)
# Council social workers also talk about visits and lone working.
COUNCIL_WELFARE = (
    "A home visit last week stayed with them; talked it through and agreed to use the employee "
    "assistance line if it keeps coming back.",
    "Lone working: the lone working app is in use on every visit; no concerns.",
    "Two court deadlines in the same week pushed their hours up; agreed to protect Friday "
    "afternoons for writing.",
)
GRACE_WELFARE = (
    "Grace was shaken after the disclosure and did not sleep well that night. Talked about what "
    "she did well (she listened, did not promise to keep a secret and wrote down the words the "
    "pupil used), and about looking after herself. She knows about the employee assistance "
    "programme and will say if it keeps coming back."
)

AGENDA_NOTES: dict[str, tuple[str, ...]] = {
    "management": (
        "Discussed; the decisions are in the case discussions below.",
        "Talked through what is drifting and why; actions agreed below.",
        "Reviewed; on track.",
        "Agreed the priorities for the next two weeks.",
    ),
    "development": (
        "Discussed; next steps in the development section.",
        "Reflected on what went well and what to do differently.",
        "Agreed what evidence to gather before the next session.",
    ),
    "support": (
        "Talked about it; notes in the welfare section.",
        "Checked in; feeling better about it.",
        "Discussed; agreed to come back to it next time.",
    ),
    "mediation": (
        "Agreed who will speak to whom, and by when.",
        "Discussed how to raise it with the other agency.",
        "Talked through both views; agreed a way forward.",
    ),
}
NOT_REACHED = "Not reached this time: carried to the next session."

GENERAL_ACTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    # (owner: "supervisee" or "supervisor", what)
    "council": (
        ("supervisee", "Bring the recording up to date"),
        ("supervisee", "Log this month's CPD for Social Work England"),
        ("supervisee", "Book the court skills course"),
        ("supervisor", "Ask the team manager about cover for the duty week"),
        ("supervisor", "Check the training budget for the course"),
        ("supervisee", "Take the TOIL owed before the end of the month"),
        ("supervisor", "Arrange the direct observation"),
    ),
    "school": (
        ("supervisee", "Send the intervention group data"),
        ("supervisor", "Check the cover arrangements for the course day"),
        ("supervisee", "Update the behaviour plan with the parents"),
        ("supervisee", "Book the training on the CPD system"),
        ("supervisor", "Ask the business manager about the budget for resources"),
    ),
}


# --- The story ---------------------------------------------------------------------------------

# What a supervisee adds to the development section of the supervisor's draft.
SUPERVISEE_ADDITIONS = (
    "Added by the supervisee: I would also like to go on the contextual safeguarding "
    "conference in the spring if there is budget.",
    "Added by the supervisee: my reflective log entry on the home visit is on my CPD record; "
    "I would like to come back to it next time.",
    "Added by the supervisee: I have found the reflective questions helpful and want to keep "
    "time for them even when the caseload is busy.",
    "Added by the supervisee: I have booked the course for the date we talked about.",
)

BUKOLA_ALLOCATION = (
    "Agreed that Children in Care South takes the six cases from the vacant post in "
    "Children in Care North from the start of next month."
)
BUKOLA_DISAGREES = (
    "The record says I agreed to take all six cases from the vacant post in Children in Care "
    "North. I did not: I said the team could safely take three now, with the agency social "
    "worker starting next month, and that the other three need another home. Taking all six "
    "would put two of my social workers over 22 children. I have not signed the record yet "
    "because of this."
)
DANIEL_DISAGREES = (
    "I disagree with the decision recorded for {reference}. In the session I said the "
    "assessment had not yet tested what the school is seeing and asked for a joint visit with "
    "the school nurse first; the record gives the decision as agreed by both of us. I signed "
    "the record as a true account of what we discussed, not as agreeing with the decision."
)
RESOLUTION = (
    "I read the record and the case file, and met Daniel and Claire together on {day}. The "
    "decision for {reference} stands: the rationale recorded is sound. A joint visit with the "
    "school nurse is added before the next review, and Daniel's view is now on the case file. "
    "Both agreed this resolves it."
)
DANIEL_ADDENDUM = (
    "Correction to the performance section: it says all my supervision records this month were "
    "shared in time. One was shared two days late, after my sickness absence, and the team "
    "manager was told. Added after we both signed; the record itself is unchanged."
)
GRIEVANCE = (
    "Connor Walsh lodged a formal grievance about his workload and cover on {day}. The "
    "school's supervision agreement lets the headteacher see supervision records when an issue "
    "leads to grievance procedures; I need the welfare notes of this session, where workload "
    "and stress were discussed, for the grievance hearing."
)
