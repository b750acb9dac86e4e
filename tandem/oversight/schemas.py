"""The shapes of the oversight API: what it is asked (a scope and a period) and what it answers
(the compliance figures, the trend, the exceptions, balance and feedback, the definitions).

Every figure means what the definitions say (``definitions.py``, ``GET /api/oversight/
definitions``): the names here are the keys there.
"""

# No `from __future__ import annotations`: django-ninja reads these annotations at runtime.
import datetime
from typing import Literal

from ninja import Field, Schema

from tandem.meetings.api import Day, Id
from tandem.meetings.models import SupervisionFunction
from tandem.organisations.api import PersonRef
from tandem.organisations.models import StaffCategory, TeamKind

PeriodKind = Literal["month", "quarter", "year", "custom"]

# Questions


class OversightFilter(Schema):
    """Whose figures, over what period: the same choice as the dashboards' filters."""

    unit: Id | None = Field(
        None,
        description=(
            "A directorate, service or team I oversee, with everything under it. By default the "
            "whole organisation for senior leaders and admins, else the widest unit I lead."
        ),
    )
    category: StaffCategory | None = Field(None, description="Only people of this category.")
    period: PeriodKind | None = Field(
        None,
        description=(
            "month, quarter, year (the financial year, 1 April to 31 March) or custom (from "
            "and to). By default, a month."
        ),
    )
    date: Day | None = Field(
        None, description="A day in the month, quarter or year. By default, last month."
    )
    from_: Day | None = Field(None, alias="from", description="A custom period's first day.")
    to: Day | None = Field(
        None, description="A custom period's last day: at most 5 years after from."
    )


# Answers: where and when


class UnitRef(Schema):
    id: int
    name: str
    kind: TeamKind


class UnitOut(UnitRef):
    path: list[UnitRef] = Field(description="The units above it, from the top down.")


class OrganisationRef(Schema):
    id: int
    name: str


class ScopeOut(Schema):
    organisation: OrganisationRef
    unit: UnitOut | None = Field(description="None: the whole organisation.")
    category: StaffCategory | None = Field(description="None: every staff category.")


class PeriodOut(Schema):
    kind: PeriodKind
    starts_on: datetime.date
    ends_on: datetime.date
    label: str
    counted_until: datetime.date = Field(
        description=(
            "Sessions required are counted for windows ending by this day: yesterday at the "
            "latest, since a window ending today can still be met."
        )
    )


# Answers: the figures


class FiguresOut(Schema):
    """The compliance figures of one scope (or unit, or person) and period. Percentages are
    whole numbers rounded down, and null where there is nothing to divide by."""

    people: int = Field(description="People with at least one window ending in the period.")
    required: int = Field(description="Sessions required: windows ending in the period.")
    met: int = Field(description="Windows with a held session of the required length.")
    missed: int = Field(description="Sessions required less those held.")
    met_percent: int | None
    people_missing: int = Field(description="People with at least one missed window.")
    people_compliant: int = Field(description="People with no missed window.")
    people_percent: int | None
    held: int = Field(description="One-to-one and ad hoc sessions held in the period.")
    short: int = Field(description="Held sessions shorter than the policy's minimum.")
    short_percent: int | None
    cancelled: int
    rebooked_in_time: int
    rebook_overdue: int
    records: int = Field(description="Records of sessions held in the period.")
    records_due: int = Field(description="Records shared, or past their deadline.")
    shared_on_time: int
    shared_late: int
    not_shared: int = Field(description="Records still not shared after their deadline.")
    on_time_percent: int | None
    signed: int = Field(description="Records signed by both.")
    signed_percent: int | None
    staff: int = Field(description="People in post today.")
    agreements_in_date: int
    agreements_percent: int | None
    no_supervisor: int
    open_disagreements: int
    overdue_actions: int
    cpd_people: int = Field(
        description="Social workers in post, who answer to Social Work England."
    )
    cpd_on_track: int = Field(description="Of them, those on track for the registration year.")
    cpd_on_track_percent: int | None
    cpd_met: int = Field(description="Of them, those who have met the year's CPD already.")
    revalidations_due: int = Field(description="Nurses whose revalidation is due soon (90 days).")
    nqsws: int = Field(description="People in post whose ASYE is running.")
    nqsw_above_weighting: int = Field(
        description="NQSWs whose latest caseload was above the weighting of its day."
    )
    objectives_overdue: int = Field(description="Open objectives past their target date.")
    asye_reviews_due: int = Field(description="ASYE review points due in the period, before today.")
    asye_reviews_on_time: int = Field(description="Of them, those held by their due date.")
    asye_on_time_percent: int | None
    observations: int = Field(description="ASYE direct observations made in the period.")


class FiguresAnswer(Schema):
    scope: ScopeOut
    period: PeriodOut
    figures: FiguresOut
    definitions: str = Field(description="Where the API gives what each figure means.")
    definitions_page: str = Field(description="The page that says what each figure means.")


class UnitFiguresOut(Schema):
    unit: UnitRef | None = Field(description="None: people in no team.")
    name: str
    figures: FiguresOut


class UnitsAnswer(Schema):
    scope: ScopeOut
    period: PeriodOut
    units: list[UnitFiguresOut] = Field(
        description=(
            "One level below the scope: the services of the organisation (or teams not in a "
            "service), the teams of a service, in name order."
        )
    )


class PersonInScopeOut(Schema):
    id: int
    full_name: str
    job_title: str
    staff_category: StaffCategory
    team: UnitRef | None


class PersonFiguresOut(Schema):
    person: PersonInScopeOut
    figures: FiguresOut


class MonthOut(Schema):
    month: datetime.date = Field(description="Its first day.")
    label: str
    required: int
    met: int
    met_percent: int | None
    records_due: int
    shared_on_time: int
    on_time_percent: int | None


class TrendAnswer(Schema):
    scope: ScopeOut
    period: PeriodOut
    months: list[MonthOut] = Field(description="The 12 months ending with the period's last.")


# Answers: exceptions


class PersonNamed(Schema):
    id: int
    full_name: str


class MissedOut(Schema):
    person: PersonNamed
    staff_category: StaffCategory
    team_name: str | None
    required: int = Field(description="Sessions required in the period.")
    missed: int = Field(description="Of them, windows that ended without a session.")
    first_missed: datetime.date = Field(description="The end of the first window missed.")
    last_missed: datetime.date
    last_held_at: datetime.datetime | None = Field(description="Their last session held, ever.")


class OverdueRecordOut(Schema):
    record_id: int
    session_id: int
    held_on: datetime.date
    due_on: datetime.date = Field(description="The last day to share it.")
    days_overdue: int
    supervisee: PersonRef
    supervisor: PersonRef


class RebookOut(Schema):
    session_id: int
    starts_at: datetime.datetime = Field(description="When the cancelled session was to be.")
    rebook_by: datetime.date
    days_overdue: int
    supervisee: PersonRef | None
    supervisor: PersonRef


class AgreementGapOut(Schema):
    person: PersonRef
    staff_category: StaffCategory
    team_name: str | None
    review_due_on: datetime.date | None = Field(
        description="When their latest agreement was due for review; None: they have none."
    )


# Answers: one person


class WindowOut(Schema):
    starts_on: datetime.date
    ends_on: datetime.date
    frequency: str
    min_minutes: int | None = Field(description="The shortest session that counts.")
    counted: bool = Field(
        description="Ends in the period, by yesterday: it counts in these figures."
    )
    met: bool
    session_id: int | None = Field(description="The first held session that met it.")
    session_held_at: datetime.datetime | None


class PersonAnswer(Schema):
    person: PersonInScopeOut
    period: PeriodOut
    figures: FiguresOut
    windows: list[WindowOut] = Field(description="Their windows touching the period.")


# Answers: balance and feedback


class FunctionShareOut(Schema):
    function: SupervisionFunction
    label: str
    minutes: int
    items: int
    share_percent: int | None


class BalanceOut(Schema):
    total_minutes: int
    functions: list[FunctionShareOut]


class UnitBalanceOut(Schema):
    unit: UnitRef | None
    name: str
    balance: BalanceOut


class BalanceAnswer(Schema):
    scope: ScopeOut
    period: PeriodOut
    all: BalanceOut
    units: list[UnitBalanceOut]


class AgreeingOut(Schema):
    useful: int | None = Field(description="% who found it useful (Yes or Mostly).")
    time_to_reflect: int | None
    felt_supported: int | None


class FeedbackOut(Schema):
    shown: bool = Field(description="False below the smallest group shown: nothing else is.")
    responses: int | None = Field(description="None when not shown.")
    agreeing_percent: AgreeingOut


class UnitFeedbackOut(Schema):
    unit: UnitRef | None
    name: str
    feedback: FeedbackOut


class FeedbackAnswer(Schema):
    scope: ScopeOut
    period: PeriodOut
    smallest_group: int = Field(description="Groups with fewer responses are never shown.")
    all: FeedbackOut
    units: list[UnitFeedbackOut]


class DefinitionOut(Schema):
    key: str
    name: str
    meaning: str
    group: str
