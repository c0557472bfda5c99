"""SSDA903 reference data: `codes` holds the values; `load_codes` puts any missing ones in the database."""


def load_codes(get_model) -> None:
    """Add any code not already present. `get_model(name)` returns the model (historical in migrations)."""
    from . import codes

    def put(model_name, rows):
        model = get_model(model_name)
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
