"""Who may do what with audits, pathways, the pipeline and equality data.

- Supervision audits: auditors (the practice auditor role, e.g. a principal social worker) and
  the managers above a supervisor begin them, never of themselves. An audit is read by its
  auditor, the supervisor audited (who replies), and those above, never by anyone in the
  supervisee's team (the supervisee included) other than the supervisor.
- Case-file audits: auditors and senior leaders choose and audit cases; the worker, their
  supervisor and the managers above the worker read them.
- A pathway: the person, their supporter, their managers and HR read it; the person, their
  supporter and their supervisor write it; managers and HR start one.
- The pipeline: managers and HR add people to it and keep their plans; the person reads
  their own; HR and senior leaders read all of it.
- Equality data: each person declares their own; HR alone reads anyone's; aggregates
  (small groups suppressed) for HR and senior leaders.
"""

from __future__ import annotations

from typing import Any

import rules

from tandem.development.rules import supervises
from tandem.organisations.models import Person, Role
from tandem.organisations.rules import (
    _person,
    _role,
    is_hr,
    is_org_admin,
    is_self,
    is_senior_leader,
    manages_in_hierarchy,
    manages_or_supervises,
    same_organisation,
)

is_auditor = _role(Role.AUDITOR)


def in_team_of(me: Person, person: Person, team_id: int | None = None) -> bool:
    """Whether ``me`` is in the team of ``person`` (now, or the team ``team_id``)."""
    teams = {t for t in (person.team_id, team_id) if t is not None}
    return me.team_id in teams


@rules.predicate
def may_read_audit(user: Any, audit: Any) -> bool:
    me = _person(user)
    if me is None or audit is None or me.organisation_id != audit.organisation_id:
        return False
    if me.pk in (audit.auditor_id, audit.supervisor_id):
        return True
    if me.pk == audit.supervisee_id or in_team_of(me, audit.supervisee, audit.team_id):
        return False
    return bool(
        is_auditor(user) or is_senior_leader(user) or manages_in_hierarchy(user, audit.supervisor)
    )


@rules.predicate
def audits_this(user: Any, audit: Any) -> bool:
    me = _person(user)
    return me is not None and audit is not None and me.pk == audit.auditor_id


@rules.predicate
def is_audited(user: Any, audit: Any) -> bool:
    me = _person(user)
    return me is not None and audit is not None and me.pk == audit.supervisor_id


rules.add_perm("quality.view_audit", may_read_audit)
rules.add_perm("quality.conduct_audit", audits_this)
rules.add_perm("quality.reply_audit", is_audited)
# Beginning an audit of this supervisor (a Person): an auditor, or a manager above them.
rules.add_perm(
    "quality.audit_supervisor",
    same_organisation & ~is_self & (is_auditor | manages_in_hierarchy),
)
rules.add_perm("quality.audits", is_auditor | is_senior_leader)
rules.add_perm("quality.manage_instrument", is_auditor | is_org_admin)

# Case-file audits: choosing and auditing cases; reading one (the object: the worker).
rules.add_perm("quality.run_case_audits", is_auditor | is_senior_leader)
rules.add_perm(
    "quality.view_case_audits",
    same_organisation & (is_self | manages_or_supervises | is_auditor | is_senior_leader),
)

# The pathway (the object: the person on it).
rules.add_perm(
    "quality.view_pathway", same_organisation & (is_self | manages_or_supervises | is_hr)
)
rules.add_perm(
    "quality.change_pathway",
    same_organisation & (is_self | supervises | manages_in_hierarchy),
)
rules.add_perm(
    "quality.start_pathway", same_organisation & ~is_self & (manages_or_supervises | is_hr)
)

# The pipeline (the object: the person).
rules.add_perm(
    "quality.view_pipeline_entry",
    same_organisation & (is_self | manages_or_supervises | is_hr | is_senior_leader),
)
rules.add_perm(
    "quality.change_pipeline_entry", same_organisation & ~is_self & (manages_or_supervises | is_hr)
)
rules.add_perm("quality.pipeline", is_hr | is_senior_leader)

# Equality data.
rules.add_perm("quality.read_equality_data", is_hr)
rules.add_perm("quality.equality_figures", is_hr | is_senior_leader)
