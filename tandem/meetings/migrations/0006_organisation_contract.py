"""Tenancy in every row, step 3 of 3: the organisation is required."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("meetings", "0005_organisation_backfill")]

    operations = [
        migrations.AlterField(
            model_name="agendaitem",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
    ]
