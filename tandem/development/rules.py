"""Who may read and write a person's development, and their ASYE.

The person and their current supervisor read and write it; managers up the chain read it; HR
reads it; nobody else (organisation admins and senior leaders included, unless they are one of
those). Sign-offs (a Care Certificate standard, an appraisal) are for someone other than the
person. The organisation's admins set the rule sets and the course list; admins and HR name the
safeguarding leads.
"""

from __future__ import annotations

from typing import Any

import rules

from tandem.organisations.models import Person
from tandem.organisations.rules import (
    _person,
    is_hr,
    is_org_admin,
    is_self,
    manages_in_hierarchy,
    manages_or_supervises,
    same_organisation,
)
from tandem.organisations.selectors import relationships_of_supervisee


@rules.predicate
def supervises(user: Any, person: Person) -> bool:
    """The person's current supervisor (of any kind)."""
    me = _person(user)
    return (
        me is not None
        and person is not None
        and relationships_of_supervisee(person=person).filter(supervisor=me).exists()
    )


rules.add_perm(
    "development.view_development",
    same_organisation & (is_self | manages_or_supervises | is_hr),
)
rules.add_perm("development.change_development", same_organisation & (is_self | supervises))
# Signing a Care Certificate standard off, holding an appraisal: the supervisor or a manager
# above the person, never the person themself.
rules.add_perm(
    "development.assess", same_organisation & ~is_self & (supervises | manages_or_supervises)
)
rules.add_perm("development.manage_rules", is_org_admin)
rules.add_perm("development.manage_courses", is_org_admin | is_hr)
rules.add_perm(
    "development.designate_safeguarding_lead", same_organisation & (is_org_admin | is_hr)
)


@rules.predicate
def assesses_asye(user: Any, person: Person) -> bool:
    """The assessor of the person's ASYE, who may not be their supervisor."""
    from .models import ASYE_RUNNING, Asye

    me = _person(user)
    return (
        me is not None
        and person is not None
        and Asye.objects.filter(
            person=person,
            assessor=me,
            status__in=ASYE_RUNNING,
        ).exists()
    )


# The ASYE: the development rules, and its assessor reads and writes it too. Starting it and
# naming the assessor: the supervisor, a manager up the chain or HR. The moderation panel's
# decision: a manager up the chain or HR, never the NQSW.
rules.add_perm(
    "development.view_asye",
    same_organisation & (is_self | manages_or_supervises | is_hr | assesses_asye),
)
rules.add_perm(
    "development.change_asye", same_organisation & (is_self | supervises | assesses_asye)
)
rules.add_perm(
    "development.assess_asye", same_organisation & ~is_self & (supervises | assesses_asye)
)
rules.add_perm(
    "development.manage_asye",
    same_organisation & ~is_self & (supervises | manages_or_supervises | is_hr),
)
rules.add_perm(
    "development.decide_asye_panel",
    same_organisation & ~is_self & (manages_in_hierarchy | is_hr),
)
rules.add_perm("development.manage_programme", is_org_admin)
