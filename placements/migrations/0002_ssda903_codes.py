"""Load the SSDA903 reference codes (PLACE, PLACE_PROVIDER, LS, RNE, REC, reason for change)."""

from django.db import migrations

from placements.reference import codes


def load(apps, schema_editor):
    def put(model_name, rows):
        model = apps.get_model("placements", model_name)
        existing = set(model.objects.values_list("code", flat=True))
        model.objects.bulk_create([model(**row) for row in rows if row["code"] not in existing])

    put("PlacementType", [
        {"code": c, "description": d, "category": cat, "valid_from_year": f, "valid_to_year": t}
        for c, d, cat, f, t in codes.PLACEMENT_TYPES
    ])
    put("PlacementProvider", [{"code": c, "description": d, "kind": k} for c, d, k in codes.PLACEMENT_PROVIDERS])
    put("LegalStatus", [{"code": c, "description": d, "is_short_break": s} for c, d, s in codes.LEGAL_STATUSES])
    put("ReasonNewEpisode", [
        {"code": c, "description": d, "starts_placement": s} for c, d, s in codes.REASONS_NEW_EPISODE
    ])
    put("ReasonEpisodeCeased", [{"code": c, "description": d} for c, d in codes.REASONS_EPISODE_CEASED])
    put("ReasonPlaceChange", [{"code": c, "description": d} for c, d in codes.REASONS_PLACE_CHANGE])


class Migration(migrations.Migration):
    dependencies = [("placements", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
