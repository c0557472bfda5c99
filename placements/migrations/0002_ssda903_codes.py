"""Load the SSDA903 reference codes (PLACE, PLACE_PROVIDER, LS, RNE, REC, reason for change)."""

from django.db import migrations

from placements.reference import load_codes


def load(apps, schema_editor):
    load_codes(lambda name: apps.get_model("placements", name))


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
