"""Tenancy in every row, step 3 of 3: the organisation is required."""

import django.db.models.deletion
from django.db import migrations, models


def recreate_triggers(apps, schema_editor):
    from tandem.records.triggers import triggers_create

    triggers_create(schema_editor, ("records_recordsignature",))


class Migration(migrations.Migration):
    dependencies = [("records", "0005_organisation_backfill")]

    operations = [
        migrations.AlterField(
            model_name="recordsignature",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
        # SQLite rebuilds the table to make the column required, and its triggers go with it.
        migrations.RunPython(recreate_triggers, migrations.RunPython.noop),
    ]
