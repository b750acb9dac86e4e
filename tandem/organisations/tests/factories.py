"""factory_boy factories for organisations and people. Later apps import these."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from tandem.core.models import User
from tandem.organisations.models import (
    Nation,
    Organisation,
    Person,
    Role,
    RoleGrant,
    Sector,
    StaffCategory,
    SupervisionKind,
    SupervisionRelationship,
    Team,
    TeamKind,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    nation = Nation.ENGLAND
    sector = Sector.CHILDREN_SOCIAL_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = TeamKind.TEAM


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    staff_number = factory.Sequence(lambda n: f"S{n:05d}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    job_title = "Social worker"
    staff_category = StaffCategory.REGISTERED_SOCIAL_WORKER
    employment_start = datetime.date(2022, 9, 1)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionRelationship

    supervisee = factory.SubFactory(PersonFactory)
    supervisor = factory.SubFactory(
        PersonFactory, organisation=factory.SelfAttribute("..supervisee.organisation")
    )
    organisation = factory.SelfAttribute("supervisee.organisation")
    kind = SupervisionKind.LINE
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=90))


class RoleGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleGrant

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("person.organisation")
    role = Role.ADMIN
