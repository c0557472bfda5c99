"""Reads for the outcomes framework: a fixed number of queries whatever the size.

What later apps show about each outcome (KPIs with their RAG, contracts) comes from the panels
they register (core.registry); their prefetches keep the query count fixed.
"""

from core.registry import registry

from .models import AgeBand, Outcome, Theme


def _outcomes(*slots: str):
    return Outcome.objects.select_related("theme", "age_band", "owner").prefetch_related(
        *registry.panel_prefetches("outcomes.outcome", *slots)
    )


def framework_grid(*, theme=None) -> dict:
    """Themes (columns) by age bands (rows), each cell the outcomes with their owners and KPIs' latest RAG."""
    themes = list(Theme.objects.select_related("lead").filter(**({"pk": theme.pk} if theme else {})))
    bands = list(AgeBand.objects.all())
    outcomes = _outcomes("grid").filter(theme__in=themes)
    cells = {(t.pk, b.pk): [] for t in themes for b in bands}
    for outcome in outcomes:
        cells.setdefault((outcome.theme_id, outcome.age_band_id), []).append(outcome)
    rows = [{"band": b, "cells": [cells[(t.pk, b.pk)] for t in themes]} for b in bands]
    return {"themes": themes, "rows": [r for r in rows if any(r["cells"])], "outcome_count": len(outcomes)}


def outcome_detail(*, pk) -> Outcome:
    return _outcomes("detail").get(pk=pk)
