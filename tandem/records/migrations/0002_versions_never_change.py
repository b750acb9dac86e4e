"""A saved version of a record and a signature are never changed, even by SQL that bypasses
the ORM: the database refuses any UPDATE of those rows (SQLite and PostgreSQL)."""

from django.db import migrations


def create_triggers(apps, schema_editor):
    from tandem.records.triggers import triggers_create

    triggers_create(schema_editor)


def drop_triggers(apps, schema_editor):
    from tandem.records.triggers import triggers_drop

    triggers_drop(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        for table in ("records_recordversion", "records_recordsignature"):
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_no_update();")


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
