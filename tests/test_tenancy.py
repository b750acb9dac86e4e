"""Tenancy in every row: each model of Tandem's apps carries its organisation through
``TenantModel`` or is shared on purpose, for a reason written down in ``tandem/core/models.py``.
A new model that is neither fails here."""

import pytest
from django.apps import apps
from django.db import models

from tandem.core.models import ORGANISATION_OPTIONAL, SHARED_ON_PURPOSE, TenantModel


def tandem_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("tandem.")]


def own_model(model: type[models.Model]) -> type[models.Model]:
    """A django-simple-history table answers for the model it keeps the history of."""
    return getattr(model, "instance_type", model)


@pytest.mark.parametrize("model", tandem_models(), ids=lambda m: m._meta.label)
def test_every_model_is_a_tenant_model_or_shared_on_purpose(model):
    label = own_model(model)._meta.label
    if label in SHARED_ON_PURPOSE:
        return
    assert issubclass(own_model(model), TenantModel), (
        f"{label} has no organisation: inherit TenantModel, or add it to SHARED_ON_PURPOSE "
        "with the reason"
    )
    field = own_model(model)._meta.get_field("organisation")  # a history table's may be empty
    assert field.related_model._meta.label == "organisations.Organisation"
    assert field.null == (label in ORGANISATION_OPTIONAL), (
        f"{label}.organisation: required, unless ORGANISATION_OPTIONAL says why not"
    )


def test_the_lists_name_real_models_and_not_each_other():
    labels = {m._meta.label for m in tandem_models()}
    assert set(SHARED_ON_PURPOSE) <= labels
    assert set(ORGANISATION_OPTIONAL) <= labels
    assert not set(SHARED_ON_PURPOSE) & set(ORGANISATION_OPTIONAL)
    for label in SHARED_ON_PURPOSE:
        assert not issubclass(apps.get_model(label), TenantModel)


def test_a_new_model_without_an_organisation_would_fail():
    """The check above, on a model made here and never migrated."""

    class Unscoped(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"
            managed = False

        def __str__(self) -> str:
            return self.name

    try:
        label = Unscoped._meta.label
        assert label not in SHARED_ON_PURPOSE
        assert not issubclass(Unscoped, TenantModel)
        with pytest.raises(AssertionError, match="has no organisation"):
            test_every_model_is_a_tenant_model_or_shared_on_purpose(Unscoped)
    finally:
        apps.all_models["core"].pop("unscoped", None)
        apps.clear_cache()
