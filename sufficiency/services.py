"""Writes: running the forecast, saving scenarios, setting unit costs. Each is atomic and says who acted (the
scenario and unit cost histories are the audit trail; a forecast run records who asked for it)."""

from __future__ import annotations

import math
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.outbox import task_send_on_commit

from . import engine, selectors
from .models import ForecastRun, ForecastRunStatus, Scenario, UnitCost

RUN_TASK = "sufficiency.tasks.forecast_run"


@transaction.atomic
def forecast_run_request(*, requested_by=None) -> ForecastRun:
    """Queue a run of the forecast (one at a time: a run already waiting is returned instead)."""
    waiting = ForecastRun.objects.select_for_update().filter(status=ForecastRunStatus.QUEUED).first()
    if waiting is not None:
        return waiting
    run = ForecastRun.objects.create(requested_by=requested_by, months=settings.SUFFICIENCY_FORECAST_MONTHS)
    task_send_on_commit(RUN_TASK, args=[run.pk])
    return run


def forecast_run_execute(*, run: ForecastRun) -> ForecastRun:
    """Work out the baseline, every saved scenario and the backtest, and keep them on the run."""
    with transaction.atomic():
        run = ForecastRun.objects.select_for_update().get(pk=run.pk)
        if run.status not in (ForecastRunStatus.QUEUED, ForecastRunStatus.FAILED):
            return run
        run.status = ForecastRunStatus.RUNNING
        run.save(update_fields=["status"])
    try:
        return _compute(run)
    except Exception as exc:  # whatever stopped it (the time limit among them), the run must not stay "running"
        _finish(run, error=f"The forecast could not be worked out: {exc}")
        raise


def _compute(run: ForecastRun) -> ForecastRun:
    began = time.perf_counter()
    fingerprint = selectors.data_fingerprint()
    window = selectors.data_window(today=timezone.localdate(), reference_months=settings.SUFFICIENCY_REFERENCE_MONTHS)
    if window is None:
        return _finish(run, error="No episodes or placements are held yet, so there is nothing to forecast from.")
    start, end = window
    children = engine.clean_spells(selectors.care_spells())
    rates = engine.estimate_rates(children, start=start, end=end)
    baseline = engine.forecast(children, reference_start=start, reference_end=end, months=run.months, rates=rates)
    scenarios = [
        {"id": scenario.pk, "name": scenario.name,
         "months": [m.as_json() for m in engine.forecast(children, reference_start=start, reference_end=end,
                                                          months=run.months, rates=rates,
                                                          adjustment=scenario.adjustment())]}
        for scenario in Scenario.objects.order_by("name")
    ]
    back_months = settings.SUFFICIENCY_BACKTEST_MONTHS
    back_end = engine.add_months(end + timedelta(days=1), -back_months) - timedelta(days=1)
    back_start = engine.add_months(back_end + timedelta(days=1), -settings.SUFFICIENCY_REFERENCE_MONTHS)
    backtest = engine.backtest(children, reference_start=back_start, reference_end=back_end, months=back_months)
    run.reference_start, run.reference_end, run.data_fingerprint = start, end, fingerprint
    run.result = {
        "baseline": [m.as_json() | {"bands": m.by_band} for m in baseline],
        "scenarios": scenarios,
        "backtest": {"reference_start": back_start.isoformat(), "reference_end": back_end.isoformat(),
                     "error": backtest.mean_absolute_percentage_error, "within_interval": backtest.within_interval,
                     "months": backtest.months},
        "rates": _rates_summary(rates),
        "now": engine.category_totals_on(children, end),
        # what happened at each month end of the reference window, drawn before the forecast on its chart
        "history": [{"date": day.isoformat(), "total": sum(engine.category_totals_on(children, day).values())}
                    for day in engine.month_ends_after(start - timedelta(days=1),
                                                       settings.SUFFICIENCY_REFERENCE_MONTHS + 1) if day <= end],
    }
    run.seconds = time.perf_counter() - began
    return _finish(run)


def _finish(run: ForecastRun, *, error: str = "") -> ForecastRun:
    run.status = ForecastRunStatus.FAILED if error else ForecastRunStatus.DONE
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    return run


def _rates_summary(rates: engine.Rates) -> dict:
    """The rates for the method page: entries a month and the share leaving or moving a month, by band and
    category (only where children were at risk)."""
    rows = []
    for band in engine.BAND_KEYS:
        for category in engine.CATEGORIES:
            days = rates.exposure_days.get((band, category), 0)
            entries = rates.entries.get((band, category), 0.0)
            if not days and not entries:
                continue
            rows.append({
                "band": engine.BAND_LABELS[band], "category": engine.CATEGORY_LABELS[category],
                "entries": entries, "leaving": rates.leaving.get((band, category), 0.0),
                "moving": sum(v for (b, c, _to), v in rates.moves.items() if (b, c) == (band, category)),
                "child_years": days / 365.25,
            })
    return {"rows": rows, "entries": rates.entry_count, "leaving": rates.leaving_count, "moves": rates.move_count,
            "trend": math.exp(rates.entry_trend) - 1 if rates.entry_trend else 0.0}


def forecast_refresh_if_changed() -> ForecastRun | None:
    """Run the forecast when the episodes, placements or costs have changed since the last run (the nightly
    job; an import's changes are picked up the night after, and anyone can ask for a run sooner)."""
    latest = selectors.latest_forecast()
    if latest is not None and latest.data_fingerprint == selectors.data_fingerprint():
        return None
    with transaction.atomic():
        run = ForecastRun.objects.create(months=settings.SUFFICIENCY_FORECAST_MONTHS)
    return forecast_run_execute(run=run)


@transaction.atomic
def scenario_save(*, scenario: Scenario, user) -> Scenario:
    """Create or change a scenario, then queue a run so the pages compare it with the baseline."""
    if scenario.pk is None:
        scenario.created_by = user
    scenario.full_clean(exclude=["created_by"] if scenario.created_by_id is None else None)
    scenario._history_user = user
    scenario.save()
    forecast_run_request(requested_by=user)
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: Scenario, user) -> None:
    """Delete a scenario (its history keeps who deleted it and what it was), then queue a run without it."""
    scenario._history_user = user
    scenario.delete()
    forecast_run_request(requested_by=user)


@transaction.atomic
def unit_cost_set(*, category: str, weekly_cost, source_note: str, user) -> UnitCost:
    cost = UnitCost.objects.filter(category=category).first() or UnitCost(category=category)
    cost.weekly_cost, cost.source_note, cost.set_by = weekly_cost, source_note, user
    cost.full_clean()
    cost._history_user = user
    cost.save()
    return cost
