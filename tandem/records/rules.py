"""Who may do what with a record. Reading is ``selectors.record_access`` (levels, not yes or
no); these rules are the yes-or-no questions pages and the API ask."""

from __future__ import annotations

from typing import Any

import rules

from tandem.organisations.rules import _person

from .selectors import Level, record_access


@rules.predicate
def can_read_record(user: Any, record: Any) -> bool:
    return record_access(_person(user), record).level > Level.NONE


@rules.predicate
def is_record_party(user: Any, record: Any) -> bool:
    me = _person(user)
    return (
        me is not None
        and record is not None
        and me.organisation_id == record.organisation_id
        and me.pk in (record.supervisor_id, record.supervisee_id)
    )


@rules.predicate
def may_break_glass(user: Any, record: Any) -> bool:
    return record_access(_person(user), record).may_break_glass


rules.add_perm("records.view_record", can_read_record)
rules.add_perm("records.change_record", is_record_party)
rules.add_perm("records.open_welfare", may_break_glass)
