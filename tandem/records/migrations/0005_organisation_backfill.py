"""Tenancy in every row, step 2 of 3: each row takes its parent's organisation."""

from django.db import migrations

STATEMENTS = [
    (
        "UPDATE records_recordsignature SET organisation_id = "
        "(SELECT p.organisation_id FROM records_record p WHERE p.id = records_recordsignature.record_id)"
    ),
]


def backfill(apps, schema_editor):
    from tandem.records.triggers import triggers_create, triggers_drop

    # The signatures' no-update trigger would refuse the backfill: lifted for it alone.
    triggers_drop(schema_editor, ("records_recordsignature",))
    for statement in STATEMENTS:
        schema_editor.execute(statement)
    triggers_create(schema_editor, ("records_recordsignature",))


class Migration(migrations.Migration):
    dependencies = [("records", "0004_organisation_expand")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
