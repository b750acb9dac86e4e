"""Who may see a session and who may change it.

The people taking part (supervisor, supervisee, group members) see it, and so do the managers
of any of them up the hierarchy and the organisation's admins, HR and senior leaders. The
supervisor and the supervisee move, cancel and re-book it; anyone taking part adds to its agenda;
only the supervisor records that it was held. Another organisation's sessions are not found
(the pages scope every lookup to the person's organisation).
"""

from __future__ import annotations

from typing import Any

import rules

from tandem.organisations.rules import _person, can_see_everyone, has_person, same_organisation
from tandem.organisations.selectors import managed_people

from .models import Session


def _member_ids(session: Session) -> set[int]:
    """The group members, from the prefetch when the page loaded one."""
    return {member.pk for member in session.members.all()}


@rules.predicate
def is_session_supervisor(user: Any, session: Session) -> bool:
    me = _person(user)
    return me is not None and session is not None and session.supervisor_id == me.pk


@rules.predicate
def is_session_supervisee(user: Any, session: Session) -> bool:
    me = _person(user)
    return (
        me is not None
        and session is not None
        and session.supervisee_id is not None
        and session.supervisee_id == me.pk
    )


@rules.predicate
def is_group_member(user: Any, session: Session) -> bool:
    me = _person(user)
    return me is not None and session is not None and me.pk in _member_ids(session)


@rules.predicate
def manages_a_party(user: Any, session: Session) -> bool:
    """Above the supervisor, the supervisee or a group member in the hierarchy."""
    me = _person(user)
    if me is None or session is None:
        return False
    people = {session.supervisor_id, session.supervisee_id, *_member_ids(session)} - {None}
    return managed_people(manager=me).filter(pk__in=people).exists()


is_session_party = is_session_supervisor | is_session_supervisee | is_group_member

rules.add_perm(
    "meetings.view_session",
    same_organisation & (is_session_party | can_see_everyone | manages_a_party),
)
rules.add_perm(
    "meetings.change_session", same_organisation & (is_session_supervisor | is_session_supervisee)
)
rules.add_perm("meetings.change_agenda", same_organisation & is_session_party)
rules.add_perm("meetings.record_held", same_organisation & is_session_supervisor)
# Anyone at work may open the booking page: it offers the people they supervise or lead.
rules.add_perm("meetings.book_session", has_person)
