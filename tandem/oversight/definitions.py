"""One definition of each figure, in plain words: the definitions page, the API and the column
headings of every table read them from here. ``selectors.py`` computes them exactly so."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Definition:
    key: str
    name: str
    meaning: str
    group: str


_WINDOWS = "What the policy required"
_SESSIONS = "Sessions"
_RECORDS = "Records"
_NOW = "As things stand today"
_DEVELOPMENT = "Development"

DEFINITIONS: list[Definition] = [
    Definition(
        "required",
        "Sessions required",
        "The number of windows that ended in the period in which the person needed a "
        "session. A window is a stretch of days under the frequency policy as it stood on those "
        "days: a calendar month for monthly supervision; a week, then a fortnight, for a newly "
        "qualified social worker in their first weeks and months (counted from the ASYE start "
        "or the employment start, as the organisation chooses); a term or half term from the "
        "school's own term dates. An agreement may set a stricter frequency, never a looser "
        "one. A change of supervisor changes nothing: the windows are the person's. Windows "
        "that end today or later are not counted yet. Windows that have ended are never "
        "recomputed, so a later change of policy does not rewrite the past; the only "
        "exceptions are moving the day the figures count from, and a leaving date entered "
        "late (nothing is required after someone has left). Nothing is required before "
        "someone's employment starts, or before their ASYE starts if the clock counts from "
        "it.",
        _WINDOWS,
    ),
    Definition(
        "met",
        "Sessions required that were held",
        "Windows with at least one held one-to-one or ad hoc session inside them that lasted at "
        "least the policy's minimum (for example 90 minutes for social workers). Group "
        "supervision does not count towards it. Shown as a percentage of sessions required.",
        _WINDOWS,
    ),
    Definition(
        "missed",
        "Sessions missed",
        "Sessions required less those held: windows that ended without a session of the "
        "required length.",
        _WINDOWS,
    ),
    Definition(
        "people",
        "People supervised as required",
        "People with at least one window ending in the period, and of them those with no "
        "missed window (fully supervised as the policy requires).",
        _WINDOWS,
    ),
    Definition(
        "held",
        "Sessions held",
        "One-to-one and ad hoc sessions recorded as held in the period, by the day they were held.",
        _SESSIONS,
    ),
    Definition(
        "short",
        "Held sessions shorter than the minimum",
        "Sessions held in the period that lasted less than the minimum of the policy in force "
        "for the person on that day.",
        _SESSIONS,
    ),
    Definition(
        "cancelled",
        "Sessions cancelled",
        "One-to-one and ad hoc sessions cancelled that were due to take place in the period.",
        _SESSIONS,
    ),
    Definition(
        "rebooked_in_time",
        "Cancellations re-booked in time",
        "Cancelled sessions for which a new session was booked by the re-booking date the "
        "agreement sets (a number of working days after the cancelled date); where the "
        "agreement sets none, re-booked at all.",
        _SESSIONS,
    ),
    Definition(
        "rebook_overdue",
        "Cancellations not re-booked in time",
        "Cancelled sessions in the period whose re-booking date has passed with no new session "
        "booked.",
        _SESSIONS,
    ),
    Definition(
        "records_due",
        "Records due",
        "Records of sessions held in the period that have been shared or whose deadline has "
        "passed. The deadline is the organisation's number of working days after the session "
        "(10 by default), skipping weekends, the bank holidays of the organisation's nation and "
        "its closure days.",
        _RECORDS,
    ),
    Definition(
        "shared_on_time",
        "Records shared on time",
        "Records due that were shared with the supervisee on or before their deadline: on the "
        "10th working day is on time, on the 11th is late. Shown as a percentage of records "
        "due.",
        _RECORDS,
    ),
    Definition(
        "not_shared",
        "Records overdue",
        "Records of sessions held in the period still not shared after their deadline.",
        _RECORDS,
    ),
    Definition(
        "signed",
        "Records signed by both",
        "Records of sessions held in the period signed by the supervisor and the supervisee on "
        "the same words. Shown as a percentage of all records of the period.",
        _RECORDS,
    ),
    Definition(
        "agreements_in_date",
        "Agreements in date",
        "People in post today with an active supervision agreement, signed by both, whose "
        "review date has not passed. An agreement is due for review a year after signing (the "
        "organisation's setting) and when the supervisor changes.",
        _NOW,
    ),
    Definition(
        "no_supervisor",
        "People without a supervisor",
        "People in post today with no current supervision relationship of any kind.",
        _NOW,
    ),
    Definition(
        "open_disagreements",
        "Open disagreements",
        "Disagreements recorded on the records of people in scope that are not yet resolved.",
        _NOW,
    ),
    Definition(
        "overdue_actions",
        "Overdue actions",
        "Open actions from supervision owned by people in scope whose due date has passed.",
        _NOW,
    ),
    Definition(
        "cpd_on_track",
        "CPD on track for the registration year",
        "Social workers in post (the staff categories that answer to Social Work England) "
        "whose CPD records dated in the registration year so far meet its requirement: at "
        "least 2 records, at least 1 with peer reflection (supervision and group supervision "
        "count), by default. The year runs from 1 December to 30 November. Until reminders "
        "begin (1 September) everyone is on track: the year is still young. From then, only "
        "those who have met it. The organisation sets the numbers on the development rules "
        "page. Shown as a percentage of social workers in post.",
        _DEVELOPMENT,
    ),
    Definition(
        "revalidations_due",
        "Revalidations due in the next 90 days",
        "Nurses and midwives in post whose NMC renewal date, as recorded, falls between today "
        "and 90 days from today (the organisation's setting), whether or not their evidence is "
        "complete.",
        _DEVELOPMENT,
    ),
    Definition(
        "asye_reviews_on_time",
        "ASYE reviews held on time",
        "Review points of NQSWs' ASYE programmes (not the optional ones) whose due date fell in "
        "the period and has passed, and of them those held on or before their due date. A due "
        "date is the programme's months from the ASYE start, pushed back by recorded pauses "
        "and slowed by part-time working, until the review is held. Shown as a percentage of "
        "the reviews due.",
        _DEVELOPMENT,
    ),
    Definition(
        "observations",
        "Direct observations done",
        "Direct observations of NQSWs' practice recorded with a date in the period.",
        _DEVELOPMENT,
    ),
    Definition(
        "nqsw_above_weighting",
        "NQSWs above their caseload weighting",
        "People in post whose ASYE is running and whose latest caseload entered was above the "
        "programme's weighting on the day it was entered (for example 50% of a full caseload "
        "between months 3 and 6).",
        _DEVELOPMENT,
    ),
    Definition(
        "objectives_overdue",
        "Objectives overdue",
        "Open objectives of development plans of people in post whose target date has passed.",
        _DEVELOPMENT,
    ),
    Definition(
        "balance",
        "Supervision balance",
        "Minutes planned on the agendas of sessions held in the period, by the supervision "
        "function each item is tagged with (Morrison's four: management, development, support, "
        "mediation), as a share of all agenda minutes.",
        "Balance and feedback",
    ),
    Definition(
        "feedback",
        "Supervisees' feedback",
        "The share of supervisees' answers of 'Yes' or 'Mostly' to three questions after a "
        "held session: was it useful, was there time to reflect, did I feel supported. Only "
        "ever shown over 5 responses or more; never one session at a time to anyone but the "
        "supervisee.",
        "Balance and feedback",
    ),
]

BY_KEY = {d.key: d for d in DEFINITIONS}


def groups() -> list[tuple[str, list[Definition]]]:
    """The definitions in the order of their groups, for the definitions page."""
    order: list[str] = []
    for definition in DEFINITIONS:
        if definition.group not in order:
            order.append(definition.group)
    return [(g, [d for d in DEFINITIONS if d.group == g]) for g in order]
