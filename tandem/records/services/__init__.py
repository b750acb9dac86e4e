"""Writes about supervision records: one function per change, each audited in the same
transaction, each refusing with a ``ValidationError`` keyed by what it is about, and writing
nothing when it refuses.

The workflow: a held session gets a draft record (``record_start``); the parties save it
(``record_save``: every save a new version; a save made from an older version than the latest is
refused with ``RecordConflict``, which carries both versions, so nothing is silently
overwritten); one shares it (``record_share``: the other is told); both sign the same version
(``record_sign``), and from then on it never changes. Corrections are addenda
(``addendum_add``/``addendum_sign``); disagreements sit beside the record and are routed up the
escalation chain (``disagreement_raise``/``disagreement_resolve``).
"""

from ._common import (
    ABOUT_MAX,
    ACTION_MAX,
    ACTIONS_MAX,
    ADDENDUM_MAX,
    BREAK_GLASS_MINUTES,
    CASE_TEXT_MAX,
    CASES_MAX,
    DISAGREEMENT_MAX,
    LABEL_MAX,
    NOTES_MAX,
    REASON_MIN,
    SECTION_MAX,
    WELFARE_MAX,
    RecordConflict,
    version_hash,
)
from .confidentiality import record_read, record_viewer_add, record_viewer_remove, welfare_open
from .disagreements import (
    Route,
    disagreement_raise,
    disagreement_resolve,
    disagreement_route,
    supervisor_managers,
)
from .followup import action_set_status, carry_open_actions, records_overdue_notify
from .signing import addendum_add, addendum_sign, record_share, record_sign, signatures_of_current
from .writing import (
    case_discussion_rows,
    clean_content,
    empty_content,
    record_save,
    record_start,
    session_held_hook,
)

__all__ = [
    "ABOUT_MAX",
    "ACTIONS_MAX",
    "ACTION_MAX",
    "ADDENDUM_MAX",
    "BREAK_GLASS_MINUTES",
    "CASES_MAX",
    "CASE_TEXT_MAX",
    "DISAGREEMENT_MAX",
    "LABEL_MAX",
    "NOTES_MAX",
    "REASON_MIN",
    "SECTION_MAX",
    "WELFARE_MAX",
    "RecordConflict",
    "Route",
    "action_set_status",
    "addendum_add",
    "addendum_sign",
    "carry_open_actions",
    "case_discussion_rows",
    "clean_content",
    "disagreement_raise",
    "disagreement_resolve",
    "disagreement_route",
    "empty_content",
    "record_read",
    "record_save",
    "record_share",
    "record_sign",
    "record_start",
    "record_viewer_add",
    "record_viewer_remove",
    "records_overdue_notify",
    "session_held_hook",
    "signatures_of_current",
    "supervisor_managers",
    "version_hash",
    "welfare_open",
]
from .groups import (
    group_action_add,
    group_action_remove,
    group_action_set_status,
    group_case_add,
    group_case_remove,
    group_record_acknowledge,
    group_record_save,
    group_record_share,
    group_record_start,
)

__all__ += [
    "group_action_add",
    "group_action_remove",
    "group_action_set_status",
    "group_case_add",
    "group_case_remove",
    "group_record_acknowledge",
    "group_record_save",
    "group_record_share",
    "group_record_start",
]
