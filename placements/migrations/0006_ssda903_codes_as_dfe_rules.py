"""The 903 codes' years of use as DfE's validation rules have them (csc-validator-be-903), and the
codes they accept that were missing (REASON_PLACE_CHANGE CUSTOD).

A code's years are changed only where they are still the ones first loaded: a correction an
administrator made in the admin is kept.
"""

from django.db import migrations

from placements.reference import load_codes

# (code, (valid_from_year, valid_to_year) as first loaded, as DfE's rules have them)
PLACEMENT_TYPE_YEARS = [
    ("H5", (None, 2024), (None, 2025)),
    ("K3", (2024, None), (2025, None)),
    ("P2", (None, None), (None, 2025)),
    ("T1", (None, 2015), (None, None)),
    ("T2", (None, 2015), (None, None)),
    ("T3", (None, 2015), (None, None)),
    ("T4", (None, 2015), (None, None)),
    ("Z1", (None, None), (None, 2025)),
    ("Z11", (2025, None), (2026, None)),
    ("Z12", (2025, None), (2026, None)),
    ("Z13", (2025, None), (2026, None)),
    ("Z14", (2025, None), (2026, None)),
]


def forwards(apps, schema_editor):
    _years(apps, [(code, old, new) for code, old, new in PLACEMENT_TYPE_YEARS])
    load_codes(lambda name: apps.get_model("placements", name))


def backwards(apps, schema_editor):
    _years(apps, [(code, new, old) for code, old, new in PLACEMENT_TYPE_YEARS])


def _years(apps, changes):
    model = apps.get_model("placements", "PlacementType")
    for code, (old_from, old_to), (new_from, new_to) in changes:
        model.objects.filter(code=code, valid_from_year=old_from, valid_to_year=old_to).update(
            valid_from_year=new_from, valid_to_year=new_to
        )


class Migration(migrations.Migration):
    dependencies = [("placements", "0005_dfe_validation_report")]

    operations = [migrations.RunPython(forwards, backwards)]
