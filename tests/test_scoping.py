"""Tenancy on by default (tandem/core/scoping.py): a tenant query made outside an organisation
scope raises instead of leaking, a scope sees its organisation's rows and no others, and every
way work comes in (a request, a command, a task) opens its own scope."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.apps import apps
from django.core.management import get_commands, load_command_class
from django_tasks.base import Task

import tandem
from tandem.agreements.models import AgreementTemplate
from tandem.core.commands import TandemCommand
from tandem.core.models import TenantModel, TenantScopedManager
from tandem.core.scoping import (
    ScopeError,
    across_organisations,
    current_organisation_id,
    entry_point,
    organisation_scope,
)
from tandem.organisations.models import Person, SupervisionRelationship, Team


def tenant_models() -> list[type[TenantModel]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("tandem.") and issubclass(m, TenantModel)
    ]


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_every_tenant_model_is_scoped_by_its_manager(model):
    assert isinstance(model._default_manager, TenantScopedManager), (
        f"{model._meta.label}'s default manager must be made from TenantScopedManager (core/models.py)"
    )


@pytest.mark.parametrize("model", tenant_models(), ids=lambda m: m._meta.label)
def test_a_tenant_query_outside_a_scope_raises(model, scoping_enforced):
    manager = model._default_manager
    for query in (
        lambda: list(manager.all()),
        lambda: manager.count(),
        lambda: manager.exists(),
        lambda: manager.filter(pk=1).first(),
        lambda: manager.exclude(pk=1).exists(),
        lambda: manager.in_bulk([1]),
        lambda: manager.values_list("pk").first(),
        lambda: manager.update(),
    ):
        with pytest.raises(ScopeError):
            query()


def test_an_app_s_own_query_methods_are_refused_too(cast, scoping_enforced):
    with pytest.raises(ScopeError):
        Person.objects.current().first()
    with pytest.raises(ScopeError):
        Person.objects.for_organisation(cast.organisation).count()
    with pytest.raises(ScopeError):
        cast.supervisor.role_grants.count()  # a related manager is a tenant manager too


def test_a_scope_sees_its_organisation_s_rows_and_no_other_s(cast, scoping_enforced):
    with organisation_scope(cast.organisation):
        people = set(Person.objects.all())
        assert cast.supervisee in people
        assert cast.outsider not in people
        assert Person.objects.filter(pk=cast.outsider.pk).first() is None
        assert set(SupervisionRelationship.objects.values_list("organisation_id", flat=True)) == {
            cast.organisation.pk
        }
        assert current_organisation_id() == cast.organisation.pk
    with organisation_scope(cast.other_organisation):
        assert list(Person.objects.all()) == [cast.outsider]
        assert not Team.objects.exists()


def test_the_built_in_templates_are_in_every_organisation_s_scope(cast, scoping_enforced):
    own = AgreementTemplate.objects.create(organisation=cast.organisation, name="Our own")
    with organisation_scope(cast.organisation):
        names = set(AgreementTemplate.objects.values_list("name", flat=True))
        assert "Our own" in names
        assert AgreementTemplate.objects.filter(organisation__isnull=True).exists()
    with organisation_scope(cast.other_organisation):
        assert own not in AgreementTemplate.objects.all()
        assert AgreementTemplate.objects.filter(organisation__isnull=True).exists()


def test_scopes_nest_and_put_back_what_was_open(cast, scoping_enforced):
    with organisation_scope(cast.organisation):
        with across_organisations("a nested look at every organisation"):
            assert Person.objects.filter(pk=cast.outsider.pk).exists()
            with organisation_scope(cast.other_organisation):
                assert not Person.objects.filter(pk=cast.supervisee.pk).exists()
        assert Person.objects.filter(pk=cast.supervisee.pk).exists()
        assert not Person.objects.filter(pk=cast.outsider.pk).exists()
        with entry_point(), pytest.raises(ScopeError):
            Person.objects.count()
        assert Person.objects.count() >= 1
    with pytest.raises(ScopeError):
        Person.objects.count()


def test_a_request_runs_in_the_signed_in_person_s_scope_and_leaves_none_behind(cast):
    client = cast.client_for(cast.supervisee)
    assert client.get("/people/").status_code in (200, 403)
    # The request's scope ends with it: a test's own queries are back to scoping off.
    assert current_organisation_id() is None
    assert Person.objects.filter(pk=cast.outsider.pk).exists()


def tandem_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.startswith("tandem."))


@pytest.mark.parametrize("name", tandem_commands())
def test_every_command_is_an_entry_point(name):
    command = load_command_class(get_commands()[name], name)
    assert isinstance(command, TandemCommand), f"{name} must subclass core.commands.TandemCommand"


def tandem_tasks() -> list[Task]:
    found = []
    for module in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if module.name.endswith(".tasks"):
            for value in vars(importlib.import_module(module.name)).values():
                if isinstance(value, Task):
                    found.append(value)
    return found


def test_every_task_is_an_entry_point():
    tasks = tandem_tasks()
    assert len(tasks) >= 3
    for task in tasks:
        assert getattr(task.func, "__wrapped__", None) is not None, (
            f"{task.name} must be wrapped in core.scoping.scoped_entry"
        )
