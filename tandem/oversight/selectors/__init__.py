"""The compliance figures, computed in the database: one definition of each, used by the
headline, the units side by side, person by person, the trend, the exports and the API.

Every figure is an aggregate over one table (windows, sessions, records, people, disagreements,
actions), filtered to a ``Scope`` (an organisation, a unit and everything under it, a staff
category) and a ``Period``, and optionally grouped: by nothing (the headline), by unit (teams or
services side by side), by person or by month (the trend). Each is one query whatever the size
of the organisation; the definitions page (``definitions.py``) says what each means.

Whose figures: people are counted in their current team and current staff category; what was
required of them is the policy as it stood on each date (``DueWindow``).
"""

from __future__ import annotations

from .access import (
    Oversight,
    may_oversee_person,
    may_oversee_unit,
    oversight_of,
    unit_with_parents,
    units_overseen,
    units_up,
)
from .balance import (
    FEEDBACK_QUESTIONS,
    Balance,
    FeedbackSummary,
    balance,
    balance_by_unit,
    feedback_by_unit,
    feedback_summary,
    smallest_group,
)
from .figures import (
    RECORD_TREND,
    Figures,
    Month,
    agreement_in_date,
    figures,
    figures_by,
    figures_total,
    has_supervisor,
    open_disagreements_in,
    overdue_actions_in,
    percent,
    qualifying_sessions,
    records_in,
    sessions_in,
    staff_in,
    trend,
    windows_due,
)
from .lists import (
    PersonWindow,
    agreements_out_of_date,
    last_held_of,
    missed_windows,
    overdue_records,
    person_records,
    person_sessions,
    person_windows,
    rebook_overdue_sessions,
)
from .scope import (
    COUNTED_KINDS,
    DAY,
    NO_UNIT,
    Scope,
    units_named,
)

__all__ = [
    "COUNTED_KINDS",
    "DAY",
    "FEEDBACK_QUESTIONS",
    "NO_UNIT",
    "RECORD_TREND",
    "Balance",
    "FeedbackSummary",
    "Figures",
    "Month",
    "Oversight",
    "PersonWindow",
    "Scope",
    "agreement_in_date",
    "agreements_out_of_date",
    "balance",
    "balance_by_unit",
    "feedback_by_unit",
    "feedback_summary",
    "figures",
    "figures_by",
    "figures_total",
    "has_supervisor",
    "last_held_of",
    "may_oversee_person",
    "may_oversee_unit",
    "missed_windows",
    "open_disagreements_in",
    "overdue_actions_in",
    "overdue_records",
    "oversight_of",
    "percent",
    "person_records",
    "person_sessions",
    "person_windows",
    "qualifying_sessions",
    "rebook_overdue_sessions",
    "records_in",
    "sessions_in",
    "smallest_group",
    "staff_in",
    "trend",
    "unit_with_parents",
    "units_named",
    "units_overseen",
    "units_up",
    "windows_due",
]
