"""One definition of each quality and workforce figure, in plain words, beside the oversight
figures' own (the definitions page lists them; the cards and tables name them). The selectors
compute them exactly so."""

from __future__ import annotations

from tandem.oversight.definitions import Definition

GROUP = "Quality of supervision and the workforce"

QUALITY_DEFINITIONS: list[Definition] = [
    Definition(
        "audits_completed",
        "Supervision audits completed",
        "Audits of the quality of supervision completed in the period whose supervisee is in "
        "scope (by their team now), of those you may read: never an audit of supervision in "
        "your own team unless you audited it or are the supervisor audited.",
        GROUP,
    ),
    Definition(
        "audit_score",
        "Average supervision audit score",
        "The average score of those audits, rounded down. An audit's score counts each answer "
        "'yes' as 2, 'partly' as 1 and 'no' as 0, times the question's weight, over twice the "
        "weights of the questions that apply ('does not apply' is left out).",
        GROUP,
    ),
    Definition(
        "case_audits_good",
        "Case-file audits in the top two grades",
        "Of the case-file audits of workers in scope chosen in the period and audited, the share "
        "graded in the organisation's two best grades (by default outstanding or good).",
        GROUP,
    ),
    Definition(
        "case_audits_learning",
        "Case-file audits with the learning recorded",
        "Of those audited, the share whose learning has been recorded in a supervision record of "
        "a session held on or after the audit.",
        GROUP,
    ),
    Definition(
        "turnover",
        "Turnover",
        "People whose leaving date fell in the 12 months to the end of the period, over the "
        "people in post at its end and those leavers, in scope by their team; rounded down.",
        GROUP,
    ),
    Definition(
        "own_supervision",
        "A supervisor's own supervision",
        "For each supervisor, the sessions their own frequency policy required in the period "
        "and how many were held (as 'Sessions required that were held'), beside the same "
        "figure for everyone they supervise now.",
        GROUP,
    ),
    Definition(
        "pipeline",
        "In the pipeline",
        "People identified as potential practice supervisors and not yet appointed or "
        "withdrawn: identified, developing with a plan, or acting up.",
        GROUP,
    ),
    Definition(
        "equality",
        "Equal opportunities figures",
        "Staff in post by what they have chosen to declare, with how many are in the pipeline "
        "(or appointed from it) and how many were offered coaching or mentoring. A group of "
        "fewer than 5 people shows no figures; when only one group would be hidden, the next "
        "smallest is hidden too, so that nobody can be worked out from the rest.",
        GROUP,
    ),
]
