"""Tenancy in every row, step 1 of 3: the organisation column, empty for now."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0005_historicalorganisation_compliance_from_and_more"),
        ("records", "0003_record_record_org_held"),
    ]

    operations = [
        migrations.AddField(
            model_name="recordsignature",
            name="organisation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="organisations.organisation",
            ),
        ),
    ]
