"""factory_boy factories for development: CPD records, revalidations and objectives."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tandem.organisations.tests.factories import PersonFactory

from ..models import CpdKind, CpdRecord, Objective, Revalidation


class CpdRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CpdRecord

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    created_by = factory.SelfAttribute("person")
    kind = CpdKind.COURSE
    title = factory.Sequence(lambda n: f"Course {n}")
    done_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    description = "A day's course on working with neglect."
    learnt = "How to use the graded care profile."
    impact = "I use it in every neglect assessment now."


class RevalidationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revalidation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    pin = "12A3456E"
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    created_by = factory.SelfAttribute("person")
    title = factory.Sequence(lambda n: f"Objective {n}")
    measure = "Two observed visits graded good."
    target_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))
