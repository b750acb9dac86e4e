"""factory_boy factories for agreement templates, and a helper for a signed agreement.

``AgreementTemplateFactory()`` makes an organisation's template with version 1 of a small, valid
content (see ``template_content``); ``AgreementTemplateVersionFactory()`` makes a version, of a
new template unless one is given, numbered after the template's latest. ``signed_agreement``
goes through the services: start, fill in, both sign.
"""

from __future__ import annotations

import copy
from typing import Any

import factory
from django.utils import timezone

from tandem.agreements import services
from tandem.agreements.models import Agreement, AgreementTemplate, AgreementTemplateVersion
from tandem.organisations.models import SupervisionRelationship
from tandem.organisations.tests.factories import OrganisationFactory

SIMPLE_CONTENT: dict[str, Any] = {
    "title": "Supervision agreement",
    "introduction": "What we agree about our supervision.",
    "sections": [
        {
            "key": "arrangements",
            "heading": "Arrangements",
            "guidance": "Agree these together at the first session.",
            "fields": [
                {
                    "key": "frequency",
                    "label": "How often we meet",
                    "type": "frequency",
                    "required": True,
                    "hint": "",
                },
                {
                    "key": "duration",
                    "label": "How long sessions last",
                    "type": "duration",
                    "required": False,
                    "hint": "In minutes.",
                    "min": 30,
                    "max": 240,
                },
                {
                    "key": "location",
                    "label": "Where we meet",
                    "type": "location",
                    "required": False,
                    "hint": "",
                },
                {
                    "key": "expectations",
                    "label": "What we expect of each other",
                    "type": "long_text",
                    "required": False,
                    "hint": "",
                },
            ],
            "terms": [
                {
                    "key": "preparation",
                    "heading": "Preparation",
                    "text": "We both come prepared, with an agenda agreed beforehand.",
                }
            ],
        }
    ],
    "closing": [],
}

# Answers that meet any default policy (weekly, 90 minutes or more).
SIMPLE_RESPONSES: dict[str, Any] = {
    "frequency": "weekly",
    "duration": {"min": 90, "max": 120},
    "location": "Meeting room 2, Riverside House",
    "expectations": "Protected time, no interruptions, an agenda agreed beforehand.",
}


def template_content(**changes: Any) -> dict[str, Any]:
    """A fresh copy of the simple content, with top-level keys replaced."""
    content = copy.deepcopy(SIMPLE_CONTENT)
    content.update(changes)
    return content


class AgreementTemplateFactory(factory.django.DjangoModelFactory):
    """An organisation's template with version 1; pass ``version=None`` for none."""

    class Meta:
        model = AgreementTemplate
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Supervision agreement {n}")
    description = "A short agreement for tests."
    version = factory.RelatedFactory(
        "tandem.agreements.tests.factories.AgreementTemplateVersionFactory",
        factory_related_name="template",
    )


def _next_number(version: Any) -> int:
    latest = version.template.versions.order_by("-number").first()
    return latest.number + 1 if latest else 1


class AgreementTemplateVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementTemplateVersion

    template = factory.SubFactory(AgreementTemplateFactory, version=None)
    number = factory.LazyAttribute(_next_number)
    content = factory.LazyFunction(template_content)


def signed_agreement(
    relationship: SupervisionRelationship,
    *,
    template_version: AgreementTemplateVersion | None = None,
    responses: dict[str, Any] | None = None,
) -> Agreement:
    """An ACTIVE agreement for this relationship: the supervisee starts it, fills it in (with
    ``responses``, or the policy's defaults plus a location and expectations) and both sign."""
    supervisee, supervisor = relationship.supervisee, relationship.supervisor
    if template_version is None:
        template_version = AgreementTemplateVersionFactory(
            template__organisation=relationship.organisation
        )
    agreement = services.agreement_start(
        relationship=relationship, template_version=template_version, by=supervisee
    )
    if responses is None:
        responses = {
            **services.default_responses(supervisee, timezone.localdate()),
            "location": SIMPLE_RESPONSES["location"],
            "expectations": SIMPLE_RESPONSES["expectations"],
        }
    version = services.agreement_save(agreement=agreement, responses=responses, by=supervisee)
    services.agreement_sign(
        agreement=agreement, person=supervisee, content_hash=version.content_hash
    )
    services.agreement_sign(
        agreement=agreement, person=supervisor, content_hash=version.content_hash
    )
    agreement.refresh_from_db()
    return agreement
