"""The base of Tandem's management commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from .scoping import entry_point


class TandemCommand(BaseCommand):
    """A command is an entry point (core/scoping.py): it starts with scoping on and no
    organisation, and its work opens the scope it needs, ``organisation_scope`` for one
    organisation or ``across_organisations`` for work that is for every one by nature."""

    def execute(self, *args: Any, **options: Any) -> Any:
        with entry_point():
            return super().execute(*args, **options)
