"""The kinds of case the demo's records discuss, each with the stages of its story and a
reflection in the Kolb cycle of Morrison's 4x4x4 model. A case carries a reference and a label
only, as the records app requires: no names, no case data beyond what supervision decided and
why."""

from __future__ import annotations

from .cases import CaseKind, Stage

NEGLECT = CaseKind(
    labels=(
        "Sibling group of three, neglect",
        "Two children under 5, neglect",
        "Family of four children, neglect and school attendance",
    ),
    stages=(
        Stage(
            "Referral from the school: attendance at 78% and the eldest arriving hungry. First "
            "home visit found little food in the house and no heating in the children's room.",
            "Start a child and family assessment; see every child alone within 5 working days; "
            "ask the health visitor for the youngest's development checks.",
            "Concerns about basic care for several young children and no previous involvement. "
            "The parents agreed to the assessment, so a section 47 enquiry is not needed yet.",
            (
                "See each child alone and record their views",
                "Ask the health visitor for the development checks",
            ),
        ),
        Stage(
            "Assessment at day 30: the home was poor on two of three visits, the Graded Care "
            "Profile 2 scores 4 for physical care and safety. Mother says she is low; father "
            "works nights. The children are tired and hungry at school.",
            "Request an initial child protection conference under neglect.",
            "Cumulative neglect over three months despite advice and a family support worker; "
            "the parents' engagement has not been sustained and the youngest is not gaining "
            "weight. The threshold for significant harm is met.",
            (
                "Write the conference report and share it with the parents 2 days before",
                "Book the GCP2 reassessment with the parents",
            ),
        ),
        Stage(
            "The children are on child protection plans under neglect. First core group held: "
            "the family support worker will do morning routines twice a week; school will "
            "report attendance every Friday.",
            "Core group every 4 weeks; visits every 10 working days, one of them unannounced.",
            "The plan needs a steady rhythm the parents can predict, with unannounced visits to "
            "see the home as it usually is.",
            ("Send the core group minutes within 5 working days",),
        ),
        Stage(
            "Three months on: attendance up to 91%, the home is warm and the youngest has put "
            "on weight. Mother is seeing her GP about her mood. Two unannounced visits found "
            "the house in a good state.",
            "Recommend at the review conference that the children step down to child in need "
            "plans, with the same family support worker.",
            "The change has lasted three months across every area of the plan, the children "
            "say things are better at home, and the family will keep the support they trust.",
            ("Update the chronology before the review conference",),
        ),
    ),
    reflection=(
        "The first visit: cold, quiet, the children polite and watchful. Mother apologised for "
        "the state of the house before I said anything.",
        "I felt sympathy for her and noticed I wanted to rescue rather than assess. I was also "
        "worried I was normalising what I saw because I have seen worse.",
        "Neglect is cumulative; one better visit is not change. The GCP2 gives a shared "
        "language with the parents, and the research on start-again syndrome fits this family.",
        "Unannounced visits, the children's own views on each visit, and a clear line for "
        "when we would escalate if the plan is not met.",
    ),
)

EXPLOITATION = CaseKind(
    labels=(
        "Young person aged 15, missing episodes and criminal exploitation",
        "Young person aged 14, risk of child sexual exploitation",
        "Two brothers aged 14 and 16, county lines concerns",
    ),
    stages=(
        Stage(
            "Three missing episodes in a month; found by police in another town with cash and "
            "a second phone. Not in school since half term. Parent frightened and exhausted.",
            "Strategy discussion with the police today; refer to the exploitation panel (MACE); "
            "consider a National Referral Mechanism referral.",
            "The indicators of criminal exploitation meet the threshold for a section 47 "
            "enquiry; the young person is at risk of serious harm outside the home.",
            (
                "Complete the exploitation risk assessment",
                "Make the referral to the MACE panel",
            ),
        ),
        Stage(
            "Return home interviews completed for the last two episodes; the young person is "
            "talking to the youth worker more than to us. School has a reduced timetable plan.",
            "Keep the child protection plan; add a contextual safety plan with the youth "
            "service and the school; ask police for disruption of the adults involved.",
            "The risk is outside the home, and the parent is protective; the plan needs to "
            "work on the places and the peer group as much as on the family.",
            ("Share the safety plan with the school and the youth service",),
        ),
        Stage(
            "No missing episodes for six weeks; attending school most mornings and a boxing "
            "club twice a week. The NRM decision came back: reasonable grounds.",
            "Step down to a child in need plan at the next review, keeping the youth worker.",
            "Protective factors are growing and the young person is engaging; the risk has "
            "reduced but not gone, so support continues under a plan.",
            ("Plan the handover with the youth worker",),
        ),
    ),
    reflection=(
        "A return home interview where he laughed off being found 40 miles away, then asked "
        "whether his mum was angry.",
        "I felt out of my depth with the risk outside the home, and frustrated that our "
        "processes are built around parents.",
        "Contextual safeguarding: the harm is in places and peer groups. Seeing him as a "
        "victim of exploitation, not a young offender, changes the plan and the language.",
        "Map his places and peers with the youth worker, push for disruption, and keep one "
        "trusted adult at the centre.",
    ),
)

PRE_BIRTH = CaseKind(
    labels=(
        "Unborn baby, pre-birth assessment",
        "Unborn baby, previous children in care",
    ),
    stages=(
        Stage(
            "Referral from the midwife at 20 weeks: two older children were made subject to "
            "care orders in 2023. Mother is now in a new relationship and says things are "
            "different.",
            "Pre-birth assessment to finish by 30 weeks; legal planning meeting booked for "
            "week 28 in case the assessment raises serious concerns.",
            "Previous removals mean the baby may be at risk of significant harm; an early, "
            "fair assessment gives the parents time to show change.",
            ("Book the first pre-birth assessment session", "Request the previous court papers"),
        ),
        Stage(
            "Assessment at 28 weeks: mother engaging and honest about the past; her partner "
            "has missed two sessions and a police check shows a domestic abuse history.",
            "Legal gateway meeting: enter pre-proceedings (PLO) and ask for a parenting "
            "assessment of both parents together.",
            "The partner's history and missed sessions leave the risk unknown; pre-proceedings "
            "gives a clear structure and legal advice to the parents before the birth.",
            ("Send the letter before proceedings", "Book the pre-proceedings meeting"),
        ),
        Stage(
            "Baby born at 39 weeks; mother and baby moved to a mother and baby foster "
            "placement as agreed. Early reports are positive about her care of the baby.",
            "Stay in the placement for 12 weeks with a parenting assessment; review at week 6.",
            "A supported placement lets the baby be safe while mother shows what she can do.",
            ("Agree the placement review date with the fostering team",),
        ),
    ),
    reflection=(
        "Mother cried when she talked about her older children and then said I would take "
        "this one too.",
        "I felt the weight of the history on the file and worried I was assessing the past, "
        "not the person in front of me.",
        "Research on recurrent care proceedings (Broadhurst and others) shows change is "
        "possible with the right support; the question is what is different now.",
        "Write down what would show change, share it with her, and assess against it.",
    ),
)

DOMESTIC_ABUSE = CaseKind(
    labels=(
        "Two children, domestic abuse",
        "Three children, domestic abuse and parental mental health",
    ),
    stages=(
        Stage(
            "Police notification: a domestic abuse incident with the children in the house. "
            "Mother's DASH risk assessment scores 16 (high risk).",
            "Child and family assessment; refer to MARAC; visit the children at school first "
            "so they can talk freely.",
            "A high DASH score and children present at the incident; the mother wants support "
            "and has agreed to the assessment.",
            ("Make the MARAC referral", "See the children at school"),
        ),
        Stage(
            "Mother engaging with the IDVA; father on bail conditions not to contact. The "
            "children are sleeping better; the eldest worries about his dad.",
            "Child in need plan, reviewed in 3 months; refer father to the behaviour change "
            "programme; Operation Encompass notifications to both schools.",
            "The immediate risk is managed by the bail conditions and the safety plan; the "
            "children need support with what they saw.",
            ("Refer father to the behaviour change programme",),
        ),
        Stage(
            "Bail conditions lifted; father has completed 8 of 24 sessions. Mother wants him "
            "home. The children's views are mixed.",
            "No return home until the programme report and a joint assessment; keep the plan.",
            "The programme is not finished and the risk has not been reassessed; the children "
            "need to be heard before any decision.",
            ("Ask the programme for an interim report",),
        ),
    ),
    reflection=(
        "The eldest drew his family at school and left his dad out, then added him small in "
        "a corner.",
        "I felt protective of him and angry with his father, and I noticed I had not yet met "
        "the father properly.",
        "Coercive control is a pattern, not an incident; fathers who are not engaged stay "
        "risky. I need his account too.",
        "Meet the father, use the children's words in the plan, and keep the IDVA involved.",
    ),
)

CHILD_IN_CARE = CaseKind(
    labels=(
        "Child in care aged 9, long-term foster placement",
        "Child in care aged 12, placement stability",
        "Sibling group of two in care, permanence planning",
    ),
    stages=(
        Stage(
            "Placement stable; family time with mother is often cancelled at short notice and "
            "the child is unsettled for days after.",
            "Family time fortnightly instead of weekly, confirmed the day before; raise it at "
            "the next child in care review.",
            "The child's stability comes first; fewer, reliable visits are better for him than "
            "frequent ones that do not happen.",
            ("Tell mother about the new family time arrangements in writing",),
        ),
        Stage(
            "Permanence planning: the foster carers want to care long term. The child says "
            "he wants to stay.",
            "Present the match to the fostering panel as a long-term placement.",
            "The placement meets his needs, his wishes are clear and the carers are committed; "
            "it gives him permanence within his family's area.",
            ("Write the matching report for the fostering panel",),
        ),
        Stage(
            "Personal education plan review: reading age 18 months behind; the virtual school "
            "offers tutoring.",
            "Accept the tutoring from the pupil premium plus grant; review at the next PEP.",
            "Education is a protective factor for children in care; the gap is closing slowly.",
            ("Send the PEP targets to the carers",),
        ),
    ),
    reflection=(
        "Waiting with him at the contact centre when his mum did not arrive for the second "
        "time this month.",
        "I felt sad and responsible; I am the one who explains the plan to him each time.",
        "Attachment theory and his life story both point to predictability; our arrangements "
        "were serving the adults.",
        "Change the arrangements, tell him honestly why, and start life story work.",
    ),
)

CARE_LEAVER = CaseKind(
    labels=(
        "Care leaver aged 19, pathway planning",
        "Care leaver aged 18, housing and education",
    ),
    stages=(
        Stage(
            "Pathway plan review: the young person wants to move on from supported "
            "accommodation; rent arrears of 300 pounds after a missed Universal Credit claim.",
            "Apply for a council tenancy under the care leaver protocol; personal adviser to "
            "help sort out the claim and a repayment plan.",
            "She is ready for her own tenancy and the arrears are small and explained; the "
            "local offer gives her priority.",
            ("Complete the housing application with her",),
        ),
        Stage(
            "He has a university offer for September; worried about money and the holidays.",
            "Confirm the higher education bursary and holiday accommodation in the pathway plan.",
            "The local offer covers both; knowing now will let him accept the place.",
            ("Write the bursary confirmation letter",),
        ),
    ),
    reflection=(
        "She said she felt dropped at 18 and that everybody kept asking the same questions.",
        "I felt defensive, then recognised she was right about the repetition.",
        "Corporate parenting asks what a good parent would do: not ask for the same forms "
        "three times.",
        "One plan, one set of forms, and her words in the pathway plan.",
    ),
)

PROCEEDINGS = CaseKind(
    labels=(
        "Two children, pre-proceedings (PLO)",
        "Child aged 6, care proceedings",
    ),
    stages=(
        Stage(
            "Legal gateway meeting agreed the threshold is met; the parents have not engaged "
            "with the child protection plan for five months.",
            "Send the letter before proceedings; pre-proceedings meeting within 10 working days; "
            "parenting assessment by an independent social worker.",
            "The plan has not brought change; pre-proceedings gives the parents legal advice "
            "and a last clear chance before court.",
            ("Send the letter before proceedings", "Commission the parenting assessment"),
        ),
        Stage(
            "Parenting assessment negative for father, cautiously positive for mother if she "
            "separates. She has not.",
            "Issue care proceedings and ask for an interim care order placing the children with "
            "their maternal aunt.",
            "The risk remains and the timescale for the children cannot wait; the aunt's viability "
            "assessment is positive.",
            ("Draft the social work evidence template", "Complete the aunt's full assessment"),
        ),
        Stage(
            "Final hearing listed in six weeks; the guardian supports a special guardianship "
            "order to the aunt.",
            "Final care plan: special guardianship order with a support plan.",
            "Permanence within the family, agreed by the guardian, with support for family time.",
            ("File the final statement by the court's deadline",),
        ),
    ),
    reflection=(
        "Cross-examination at the last hearing: the barrister picked apart my chronology.",
        "I felt exposed, and I have been dreading the final hearing since.",
        "The weakness was in recording, not in my analysis; the evidence still supports the plan.",
        "Practise with the legal team, tighten the chronology, and book the court skills course.",
    ),
)

EARLY_HELP = CaseKind(
    labels=(
        "Family of three children, early help",
        "Child aged 7, school attendance and routines",
    ),
    stages=(
        Stage(
            "Team around the family meeting: mother wants help with routines and the youngest's "
            "sleep; school reports attendance improving.",
            "Early help plan with the school as lead practitioner; parenting group in the spring.",
            "The needs are real but below the threshold for statutory services, and the family "
            "asked for help.",
            ("Book mother onto the parenting group",),
        ),
        Stage(
            "Plan reviewed: attendance 95%, bedtime routine working most nights.",
            "Close the early help plan with a plan for who to call if things slip.",
            "The goals are met and the family knows where to come back to.",
            ("Write the closing summary with the family",),
        ),
    ),
    reflection=(
        "Mother brought a list of what had gone well since the last meeting.",
        "I felt hopeful, and wary of closing too soon.",
        "Strengths-based practice: the family's own plan worked because it was theirs.",
        "Close well, with a way back in that the family knows.",
    ),
)

FRONT_DOOR = CaseKind(
    labels=(
        "Contact to the front door, baby aged 4 months",
        "Contact to the front door, child aged 11",
    ),
    stages=(
        Stage(
            "Anonymous referral about a baby crying for long periods; checks show no previous "
            "involvement; the health visitor saw the baby last week and had no concerns.",
            "No further action for children's social care; health visitor to visit again this "
            "week and tell us of any concern.",
            "The information does not meet the threshold for an assessment; a universal "
            "service already knows the family and will follow up.",
            ("Record the decision and tell the referrer",),
        ),
        Stage(
            "Second contact in a month: the school reports an unexplained bruise on the arm.",
            "Strategy discussion today with police and health; child protection medical.",
            "An unexplained injury on a child already known to us meets the threshold for a "
            "section 47 enquiry.",
            ("Arrange the child protection medical",),
        ),
    ),
    reflection=(
        "A busy duty day: four contacts in an hour, and this one felt thin.",
        "I was tempted to close it quickly to get through the list.",
        "Thresholds need consistent reasoning; the second contact showed why a clear record "
        "of the first decision matters.",
        "Write every decision as if it will be read at a review.",
    ),
)

FOSTERING = CaseKind(
    labels=(
        "Foster carers, annual review",
        "Foster carers, standards of care concern",
    ),
    stages=(
        Stage(
            "Annual review: the carers are well matched with the two children placed; their "
            "training is out of date.",
            "Recommend continued approval for two children; book safer caring and first aid "
            "training.",
            "Good care and stability for the children; the training gap is easily fixed.",
            ("Book the carers onto the safer caring training",),
        ),
        Stage(
            "A child's social worker raised a standards of care concern about physical "
            "restraint at bedtime.",
            "Standards of care review, not an allegation: extra visits and therapeutic "
            "parenting support for the carers.",
            "The local authority designated officer agreed it does not meet the harm threshold; "
            "the carers need support, not suspicion.",
            ("Arrange the therapeutic parenting sessions",),
        ),
    ),
    reflection=(
        "The carers were upset that a concern had been raised without talking to them first.",
        "I felt caught between the carers and the child's social worker.",
        "Carers are colleagues; a standards of care review can support them and protect the "
        "child at the same time.",
        "Agree how concerns are raised, and visit with the child's social worker.",
    ),
    prefix="FC",
)

SCHOOL_CASE = CaseKind(
    labels=(
        "Year 4 pupil, attendance below 85%",
        "Year 6 pupil, emotional wellbeing",
        "Year 2 pupil, speech and language needs",
        "Year 5 pupil, young carer",
        "Year 3 pupil, disclosure logged on CPOMS",
    ),
    stages=(
        Stage(
            "Concerns logged on CPOMS over the half term: tired, hungry some mornings, late "
            "four times.",
            "The DSL will talk to the parent this week and offer an early help assessment.",
            "A pattern is emerging but there is no sign of harm; early help with the parent's "
            "consent is proportionate.",
            ("Log the conversation with the parent on CPOMS",),
        ),
        Stage(
            "Early help assessment done; the family support worker sees the parent weekly.",
            "Keep monitoring; breakfast club place from Monday; review at the next TAF.",
            "The support is working and the pupil is in school on time most days.",
            ("Confirm the breakfast club place",),
        ),
        Stage(
            "Pupil told the class teacher about shouting and a smashed door at home at the "
            "weekend.",
            "DSL referred to the MASH the same day; the parent was not told, on the MASH's advice.",
            "A disclosure of possible domestic abuse; the MASH decides who tells the parent.",
            ("Record the referral and the MASH's advice on CPOMS",),
        ),
    ),
    reflection=(
        "The pupil waited until the end of the day and told me while packing up.",
        "I worried I had asked too many questions and felt the weight of it on the way home.",
        "Keeping calm, listening and not promising secrecy is what the training asks; "
        "recording the exact words matters most.",
        "Record the same day, pass it to the DSL, and look after myself afterwards.",
    ),
    prefix="CPOMS",
)

# Which kinds of case each team's social workers hold.
TEAM_CASES: dict[str, tuple[CaseKind, ...]] = {
    "Duty and Assessment": (NEGLECT, DOMESTIC_ABUSE, FRONT_DOOR, EXPLOITATION),
    "Multi-Agency Safeguarding Hub": (FRONT_DOOR, DOMESTIC_ABUSE, EXPLOITATION),
    "Early Help": (EARLY_HELP, DOMESTIC_ABUSE, NEGLECT),
    "Children in Care North": (CHILD_IN_CARE, EXPLOITATION, CARE_LEAVER),
    "Children in Care South": (CHILD_IN_CARE, EXPLOITATION, CARE_LEAVER),
    "Leaving Care": (CARE_LEAVER,),
    "Fostering Support": (FOSTERING, CHILD_IN_CARE),
    "Child Protection East": (NEGLECT, EXPLOITATION, PRE_BIRTH, DOMESTIC_ABUSE),
    "Child Protection West": (NEGLECT, EXPLOITATION, PRE_BIRTH, DOMESTIC_ABUSE),
    "Court and Proceedings": (PROCEEDINGS, PRE_BIRTH),
}
DEFAULT_CASES = (NEGLECT, DOMESTIC_ABUSE, CHILD_IN_CARE, EXPLOITATION)
