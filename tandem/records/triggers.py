"""The database's own refusal to change a saved version of a record or a signature: a trigger
that aborts any UPDATE of those rows, even by SQL that bypasses the ORM (SQLite and PostgreSQL).
Used by the migrations that create the triggers and by those that must re-create them (SQLite
drops a table's triggers when a migration rebuilds the table)."""

from typing import Any

TABLES = ("records_recordversion", "records_recordsignature")
MESSAGE = "saved versions of a record never change"


def triggers_create(schema_editor: Any, tables: tuple[str, ...] = TABLES) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        triggers_drop(schema_editor, (table,))
        if vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
            )
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {table}_no_update() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{MESSAGE}'; END; "
                "$$ LANGUAGE plpgsql;"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_no_update();"
            )


def triggers_drop(schema_editor: Any, tables: tuple[str, ...] = TABLES) -> None:
    vendor = schema_editor.connection.vendor
    for table in tables:
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table};")
