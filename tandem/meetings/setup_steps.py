"""The frequency policy's step in the organisation's set-up checklist."""

from __future__ import annotations

from django.urls import reverse

from tandem.agreements.policies import policy_reviewed
from tandem.organisations.models import Organisation
from tandem.organisations.setup import Step


def policy_step(organisation: Organisation) -> Step:
    done = policy_reviewed(organisation)
    return Step(
        50,
        "Check the frequency policy",
        done,
        "Changed or confirmed"
        if done
        else f"The defaults for {organisation.get_sector_display().lower()}",
        reverse("frequency-policy"),
        "Check the policy",
    )
