"""PostgreSQL row-level security on every tenant table: defence in depth under the scoping of
core/scoping.py. The application's database role sees, and may write, only the rows of the
organisation its connection was told (``tandem.organisation``, set by every scope), or every
row when told ``all`` (``across_organisations``). Told nothing, it sees no tenant row at all.

The role that owns the tables (the one that migrates) is not held to the policies, as
PostgreSQL does for owners: run migrations as the owner and the application as a role that
is not (README, "Running on PostgreSQL"). The policies are (re)made after every ``migrate``,
for every tenant table and its history table, so a new tenant model has them with no
migration of its own; tests/test_row_security.py holds every table to it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections

POLICY = "tandem_organisation"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION tandem_organisation_id() RETURNS bigint LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN current_setting('tandem.organisation', true) ~ '^[0-9]+$'
    THEN current_setting('tandem.organisation', true)::bigint END
$$;
CREATE OR REPLACE FUNCTION tandem_every_organisation() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('tandem.organisation', true), '') = 'all'
$$;
"""


def tenant_tables() -> dict[str, tuple[bool, bool]]:
    """Every tenant table (history tables included): whether its rows with no organisation
    are shared with everyone (the built-in templates), and whether they may be written from
    no organisation (an audit event before anyone's organisation is known)."""
    from .models import ORGANISATION_OPTIONAL, TenantModel

    tables: dict[str, tuple[bool, bool]] = {}
    for model in apps.get_models():
        own = getattr(model, "instance_type", model)
        if not (own.__module__.startswith("tandem.") and issubclass(own, TenantModel)):
            continue
        label = own._meta.label
        optional = label in ORGANISATION_OPTIONAL
        shared = optional and label != "core.AuditEvent"
        written_from_none = label == "core.AuditEvent"
        tables[model._meta.db_table] = (shared, written_from_none)
    return tables


def policy_sql(table: str, *, shared: bool, written_from_none: bool) -> str:
    mine = "tandem_every_organisation() OR organisation_id = tandem_organisation_id()"
    using = f"{mine} OR organisation_id IS NULL" if shared else mine
    check = f"{mine} OR organisation_id IS NULL" if written_from_none else mine
    return (
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'CREATE POLICY {POLICY} ON "{table}" USING ({using}) WITH CHECK ({check});'
    )


def row_security_ensure(using: str = "default") -> int:
    """Give every tenant table that lacks it its policy. Returns how many were made."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    tables = tenant_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policy p ON p.polrelid = c.oid "
            "WHERE p.polname = %s AND c.relrowsecurity",
            [POLICY],
        )
        done = {name for (name,) in cursor.fetchall()}
        missing = [table for table in tables if table not in done]
        if missing:
            cursor.execute(FUNCTIONS)
        for table in missing:
            shared, written_from_none = tables[table]
            cursor.execute(policy_sql(table, shared=shared, written_from_none=written_from_none))
    return len(missing)


def row_security_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # Once per migrate: the signal comes for every app, the core app's is enough.
    if sender.label == "core":
        row_security_ensure(using)
