"""Load the built-in agreement templates (the council's supervision contract and the school's
staff supervision agreement) from ``tandem.agreements.builtin``."""

from django.db import migrations


def load(apps, schema_editor):
    from tandem.agreements.builtin import builtin_templates_load

    builtin_templates_load(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
