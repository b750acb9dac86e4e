"""Tenancy in every row, step 2 of 3: each row takes its parent's organisation."""

from django.db import migrations

STATEMENTS = [
    (
        "UPDATE agreements_agreementversion SET organisation_id = "
        "(SELECT p.organisation_id FROM agreements_agreement p WHERE p.id = agreements_agreementversion.agreement_id)"
    ),
    (
        "UPDATE agreements_agreementsignature SET organisation_id = "
        "(SELECT p.organisation_id FROM agreements_agreementversion p WHERE p.id = agreements_agreementsignature.version_id)"
    ),
    (
        "UPDATE agreements_agreementtemplateversion SET organisation_id = "
        "(SELECT p.organisation_id FROM agreements_agreementtemplate p WHERE p.id = agreements_agreementtemplateversion.template_id)"
    ),
]


def backfill(apps, schema_editor):
    for statement in STATEMENTS:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_organisation_expand")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
