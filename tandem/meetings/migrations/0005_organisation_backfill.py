"""Tenancy in every row, step 2 of 3: each row takes its parent's organisation."""

from django.db import migrations

STATEMENTS = [
    (
        "UPDATE meetings_agendaitem SET organisation_id = "
        "(SELECT p.organisation_id FROM meetings_session p WHERE p.id = meetings_agendaitem.session_id)"
    ),
]


def backfill(apps, schema_editor):
    for statement in STATEMENTS:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_organisation_expand")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
