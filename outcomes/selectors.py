"""Reads for the outcomes framework: a fixed number of queries whatever the size."""

from django.db.models import Prefetch

from kpis.selectors import indicators_with_latest

from .models import AgeBand, Outcome, Theme


def _outcomes_with_kpis():
    return Outcome.objects.select_related("theme", "age_band", "owner").prefetch_related(
        Prefetch("indicators", queryset=indicators_with_latest().order_by("code"), to_attr="kpis")
    )


def framework_grid(*, theme=None) -> dict:
    """Themes (columns) by age bands (rows), each cell the outcomes with their owners and KPIs' latest RAG."""
    themes = list(Theme.objects.select_related("lead").filter(**({"pk": theme.pk} if theme else {})))
    bands = list(AgeBand.objects.all())
    outcomes = _outcomes_with_kpis().filter(theme__in=themes)
    cells = {(t.pk, b.pk): [] for t in themes for b in bands}
    for outcome in outcomes:
        cells.setdefault((outcome.theme_id, outcome.age_band_id), []).append(outcome)
    rows = [{"band": b, "cells": [cells[(t.pk, b.pk)] for t in themes]} for b in bands]
    return {"themes": themes, "rows": [r for r in rows if any(r["cells"])], "outcome_count": len(outcomes)}


def outcome_detail(*, pk) -> Outcome:
    return _outcomes_with_kpis().prefetch_related("contracts").get(pk=pk)
