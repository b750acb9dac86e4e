"""Tenancy on by default: a query of a tenant model runs inside one organisation's scope.

Three layers ask the same question, "which organisation is this work for?" (docs/decisions/0002):

1. The services and selectors filter by organisation, as they always have.
2. Every tenant manager (made from ``TenantScopedManager``) adds ``organisation = <the scope's>`` to every query
   and refuses any query made with no scope (``ScopeError``). The state is django-scopes',
   so its ``scopes_disabled`` also works, but Tandem code uses the names below.
3. On PostgreSQL, row-level security: the same scope sets ``tandem.organisation`` on the
   connection, and the application's database role sees only that organisation's rows
   (``triggers.row_security_sql``; the owner role, which migrates, is not held to it).

Who opens the scope:

- a page or API request: ``organisations.middleware.CurrentPersonMiddleware`` and the API's token check
  (``enter_organisation``, once the signed-in person is known);
- a command or a task: ``entry_point`` and then ``organisation_scope`` or, for work that is
  for every organisation by nature (the daily rounds, the demo), ``across_organisations``
  with the reason, which is logged.

Tests run their own set-up and assertions with scoping off (the root conftest), but every
request, command and task they run opens its own scope as it does in production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.db import connection
from django_scopes import ScopeError
from django_scopes.state import state

__all__ = [
    "ScopeError",
    "across_organisations",
    "current_organisation_id",
    "enter_no_organisation",
    "enter_organisation",
    "entry_point",
    "organisation_scope",
    "scoped_entry",
]

log = logging.getLogger("tandem.scoping")

P = ParamSpec("P")
R = TypeVar("R")

# What tandem.organisation holds when every organisation's rows are in view.
EVERY_ORGANISATION = "all"


def _organisation_id(organisation: Any) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def _setting_for(scope: dict[str, Any]) -> str:
    if not scope.get("_enabled", True):
        return EVERY_ORGANISATION
    organisation_id = scope.get("organisation")
    return "" if organisation_id is None else str(organisation_id)


def _tell(value: str) -> None:
    # A connection not yet open has been told nothing, which is what "no organisation" says.
    if value == "" and connection.connection is None:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('tandem.organisation', %s, false)", [value])


def _set(scope: dict[str, Any]) -> None:
    """Make this the scope, and tell PostgreSQL's row-level security which organisation the
    connection works for. The scope remembers what it told the connection (``_row_security``)
    so that leaving a nested scope puts back only what it changed."""
    value = _setting_for(scope)
    if (state.get() or {}).get("_row_security") != value:
        _tell(value)
    state.set({**scope, "_row_security": value})


@contextmanager
def _scope(new: dict[str, Any]) -> Iterator[None]:
    previous = state.get()
    _set(new)
    try:
        yield
    finally:
        told = (state.get() or {}).get("_row_security")
        state.set(previous)
        known = (previous or {}).get("_row_security")
        if known is not None and known != told:
            _tell(known)


@contextmanager
def entry_point() -> Iterator[None]:
    """Where outside work comes in (a request, a command, a task): no organisation yet, and
    scoping on, whatever the caller had (a test's set-up runs with it off). Nothing is known
    of what the connection was last told: the first scope opened inside tells it."""
    previous = state.get()
    state.set({"_enabled": True})
    try:
        yield
    finally:
        state.set(previous)


def enter_organisation(organisation: Any) -> None:
    """Work for this organisation from here to the end of the enclosing ``entry_point``:
    for a request, once who is signed in is known."""
    _set({"_enabled": True, "organisation": _organisation_id(organisation)})


def enter_no_organisation() -> None:
    """Work for no organisation (an anonymous request): tenant queries are refused, and the
    connection sees no organisation's rows, whatever it was last told."""
    _set({"_enabled": True})


@contextmanager
def organisation_scope(organisation: Any) -> Iterator[None]:
    """Work for one organisation: every tenant query inside sees its rows and no others."""
    with _scope({"_enabled": True, "organisation": _organisation_id(organisation)}):
        yield


@contextmanager
def across_organisations(reason: str, *, routine: bool = False) -> Iterator[None]:
    """Work that is for every organisation by nature (a daily round, loading the demo, finding
    who a sign-in or a token belongs to). Explicit, with the reason, which is logged: at INFO,
    or at DEBUG for the ``routine`` lookup every request makes of who is signed in."""
    log.log(logging.DEBUG if routine else logging.INFO, "across organisations: %s", reason)
    with _scope({"_enabled": False}):
        yield


def current_organisation_id() -> int | None:
    """The organisation of the scope that is open, if one is."""
    scope = state.get() or {}
    return scope.get("organisation") if scope.get("_enabled", True) else None


def scoped_entry(function: Callable[P, R]) -> Callable[P, R]:
    """A command's handle or a task's body as an ``entry_point``."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with entry_point():
            return function(*args, **kwargs)

    return run
