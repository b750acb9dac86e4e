"""Who may see, fill in and sign agreements, and who manages templates.

The two parties fill in and sign. Their managers up the hierarchy, and the organisation's admins,
HR and senior leaders, may read the agreement (it sets out arrangements, not what was said in
supervision). Organisation admins manage the organisation's templates.
"""

from __future__ import annotations

from typing import Any

import rules

from tandem.organisations.rules import (
    _person,
    can_see_everyone,
    is_org_admin,
    same_organisation,
)
from tandem.organisations.selectors import managed_people

from .models import Agreement, AgreementStatus
from .selectors import is_new_supervisor_of


@rules.predicate
def is_party(user: Any, agreement: Agreement) -> bool:
    me = _person(user)
    return (
        me is not None
        and agreement is not None
        and me.pk in (agreement.supervisee_id, agreement.supervisor_id)
    )


@rules.predicate
def is_new_supervisor(user: Any, agreement: Agreement) -> bool:
    """After a change of supervisor, the new one reads the old agreement and starts its review."""
    me = _person(user)
    return (
        me is not None
        and agreement is not None
        and agreement.status == AgreementStatus.DUE_FOR_REVIEW
        and is_new_supervisor_of(person=me, agreement=agreement)
    )


@rules.predicate
def manages_supervisee(user: Any, agreement: Agreement) -> bool:
    me = _person(user)
    return (
        me is not None
        and agreement is not None
        and managed_people(manager=me).filter(pk=agreement.supervisee_id).exists()
    )


@rules.predicate
def is_open(user: Any, agreement: Agreement) -> bool:
    return agreement is not None and agreement.status != AgreementStatus.SUPERSEDED


@rules.predicate
def is_relationship_party(user: Any, relationship: Any) -> bool:
    me = _person(user)
    return (
        me is not None
        and relationship is not None
        and me.pk in (relationship.supervisee_id, relationship.supervisor_id)
        and relationship.is_current()
    )


@rules.predicate
def template_in_reach(user: Any, template: Any) -> bool:
    me = _person(user)
    return (
        me is not None
        and template is not None
        and template.organisation_id in (None, me.organisation_id)
    )


@rules.predicate
def is_own_template(user: Any, template: Any) -> bool:
    me = _person(user)
    return (
        me is not None and template is not None and template.organisation_id == me.organisation_id
    )


rules.add_perm(
    "agreements.view_agreement",
    same_organisation & (is_party | is_new_supervisor | can_see_everyone | manages_supervisee),
)
rules.add_perm(
    "agreements.change_agreement", same_organisation & (is_party | is_new_supervisor) & is_open
)
rules.add_perm("agreements.sign_agreement", same_organisation & is_party & is_open)
rules.add_perm("agreements.start_agreement", same_organisation & is_relationship_party)
rules.add_perm("agreements.list_templates", is_org_admin)
rules.add_perm("agreements.view_template", template_in_reach)
rules.add_perm("agreements.copy_template", is_org_admin & template_in_reach)
rules.add_perm("agreements.change_template", is_org_admin & is_own_template)
