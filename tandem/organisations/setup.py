"""The set-up checklist: what a new organisation does before its pilot starts, each step done or
not, worked out from what is in Tandem (nothing to tick by hand but the policy's confirmation).

The organisations app knows its own steps; higher apps add theirs in their AppConfig.ready()
(``SETUP_STEPS``), so that this module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from tandem.core.models import ClosureDay, TermDate

from .models import Organisation, Person, Sector, SupervisionRelationship


@dataclass(frozen=True)
class Step:
    order: int
    title: str
    done: bool
    status: str  # what is there now, in a few words
    href: str
    action: str  # the link's words
    optional: bool = False


# Functions of the organisation giving a step, or None where it does not apply.
SETUP_STEPS: list[Callable[[Organisation], Step | None]] = []


def _organisation(organisation: Organisation) -> Step:
    return Step(
        10,
        "Create the organisation",
        True,
        f"{organisation.name}, {organisation.get_nation_display()}, "
        f"{organisation.get_sector_display().lower()}",
        reverse("organisation-settings"),
        "Check its settings",
    )


def _staff(organisation: Organisation) -> Step:
    people = Person.objects.for_organisation(organisation).current().count()
    lines = (
        SupervisionRelationship.objects.for_organisation(organisation)
        .filter(ends_on__isnull=True)
        .count()
    )
    return Step(
        20,
        "Import staff and line managers",
        people > 1 and lines > 0,
        f"{people} {'person' if people == 1 else 'people'}, {lines} supervising "
        f"relationship{'s' if lines != 1 else ''}",
        reverse("staff-import"),
        "Import staff",
    )


def _terms(organisation: Organisation) -> Step | None:
    if organisation.sector != Sector.SCHOOL:
        return None
    terms = TermDate.objects.filter(organisation=organisation).count()
    return Step(
        30,
        "Enter the term dates",
        terms > 0,
        f"{terms} half term{'s' if terms != 1 else ''}" if terms else "None yet",
        reverse("working-calendar"),
        "Enter term dates",
    )


def _closures(organisation: Organisation) -> Step:
    closures = ClosureDay.objects.filter(organisation=organisation).count()
    return Step(
        40,
        "Add closure days",
        closures > 0,
        f"{closures} closure day{'s' if closures != 1 else ''}"
        if closures
        else "None yet: add them if you close beyond weekends and bank holidays",
        reverse("working-calendar"),
        "Add closure days",
        optional=True,
    )


def _invitations(organisation: Organisation) -> Step:
    people = Person.objects.for_organisation(organisation).current().filter(user__is_active=True)
    waiting = people.filter(user__last_login__isnull=True, invitations__isnull=True).count()
    never = people.filter(user__last_login__isnull=True).count()
    return Step(
        90,
        "Invite people",
        waiting == 0 and people.count() > 1,
        f"{waiting} not invited yet, {never} never signed in"
        if people.count() > 1
        else "Import staff first",
        reverse("people") + "?signed_in=never",
        "See who has never signed in",
    )


SETUP_STEPS += [_organisation, _staff, _terms, _closures, _invitations]


def setup_steps(organisation: Organisation) -> list[Step]:
    steps = [step for step in (make(organisation) for make in SETUP_STEPS) if step is not None]
    return sorted(steps, key=lambda step: step.order)


def setup_progress(organisation: Organisation) -> tuple[int, int]:
    """(steps done, steps), the optional ones left out."""
    needed = [step for step in setup_steps(organisation) if not step.optional]
    return sum(step.done for step in needed), len(needed)
