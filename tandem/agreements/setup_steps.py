"""The agreement templates' step in the organisation's set-up checklist."""

from __future__ import annotations

from django.urls import reverse

from tandem.organisations.models import Organisation
from tandem.organisations.setup import Step

from .models import AgreementTemplate


def templates_step(organisation: Organisation) -> Step:
    own = AgreementTemplate.objects.filter(organisation=organisation).count()
    return Step(
        60,
        "Make your agreement template",
        own > 0,
        f"{own} template{'s' if own != 1 else ''} of your own"
        if own
        else "Only the built-in templates: copy one and make it yours",
        reverse("agreement-templates"),
        "See the templates",
    )
