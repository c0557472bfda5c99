"""The two statutory papers as report kinds: the sufficiency statement and the market position statement.

Both leave the system, so every count of children goes through small-number suppression (1 to 5 shown as [c]).
The forecast figures are the stored run's (as the forecast page shows them), the placement figures the placements
app's own selectors and presenter (as its section of the committee report prints them), so a figure printed here
and on a page comes from one place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q

from core.charts import chart_img
from core.suppression import Cell, is_small, suppress_count
from placements.presenters import sufficiency_display
from placements.selectors import sufficiency as placement_figures
from plans.selectors import action_list

from . import engine, presenters, selectors
from .costs import spend_by_year
from .presenters import as_date

# Action plan subjects that belong in a sufficiency statement.
SUFFICIENCY_SUBJECTS = ("residential", "foster", "placement", "sufficiency", "leaving care", "care leaver",
                        "supported", "market", "edge of care")


def _count(value: float | None) -> Cell:
    """A forecast number of children, rounded, then suppressed like any count."""
    return suppress_count(None if value is None else int(Decimal(str(value)).quantize(Decimal(1))))


def _needs_now(*, as_of: date) -> dict:
    """Children looked after on the day by age band, and the young people of 17 who will leave care within the
    year (the care leavers the council must plan for)."""
    children = engine.clean_spells(selectors.care_spells())
    stock = engine.stock_on(children, as_of)
    bands = dict.fromkeys(engine.BAND_KEYS, 0)
    turning_18 = 0
    for (age, _category), count in stock.items():
        bands[engine.band_for_months(age)] += int(count)
        if age >= engine.LEAVING_AGE_MONTHS - 12:
            turning_18 += int(count)
    return {"bands": [{"label": engine.BAND_LABELS[b], "cell": suppress_count(n)} for b, n in bands.items()],
            "turning_18": suppress_count(turning_18)}


def _forecast_rows(run) -> list[dict]:
    if run is None:
        return []
    months = run.result["baseline"]
    rows = []
    for i in (11, 35, 59):
        if i < len(months):
            m = months[i]
            rows.append({"date": date.fromisoformat(m["date"]),
                         "cells": [_count(m[c]) for c in engine.CATEGORIES], "total": _count(m["total"]),
                         "low": _count(m["total_low"]), "high": _count(m["total_high"])})
    return rows


def _forecast_chart(run) -> str:
    """The forecast page's chart, printed: the monthly totals, what happened then the forecast and its range. Not
    drawn when a total it plots is a small number (1 to 5), which the chart would give away."""
    if run is None:
        return ""
    chart = presenters.forecast_chart(run.result, printed=True)
    totals = [r.get(key) for r in chart["rows"] for key in ("actual", "forecast", "low", "high")]
    if any(v is not None and is_small(round(v)) for v in totals):
        return ""
    last = run.result["baseline"][-1]
    total, low, high = (round(last[key]) for key in ("total", "total_low", "total_high"))
    alt = (f"Children looked after by month: what happened, then the forecast to {as_date(last['date']):%B %Y}, "
           f"when it is {total} (likely range {low} to {high}).")
    return chart_img(chart["svg"], alt=alt)


def _gap_rows(gaps: dict) -> list[dict]:
    rows = []
    for r in gaps["rows"]:
        need, local = _count(r["need_1"]), suppress_count(r["local_supply"])
        # A gap would give away a hidden count it was worked out from, so it is hidden with it.
        gap = Cell(None if r["gap_1"] is None else round(r["gap_1"]), need.suppressed or local.suppressed)
        rows.append({
            "label": r["label"], "places_near": r["places_near"], "settings_near": r["settings_near"],
            "children": suppress_count(r["children"]), "out_of_area": suppress_count(r["out_of_area"]),
            "over_threshold": suppress_count(r["over_threshold"]), "need_1": need, "local": local, "gap_1": gap,
            "category": r["category"],
        })
    return rows


def _intentions(gaps: dict) -> list[str]:
    """What the council means to commission, from the gaps: places where forecast need is above local supply."""
    out = []
    for r in gaps["rows"]:
        if r["gap_1"] is None or r["category"] == engine.OTHER:
            continue
        gap = round(r["gap_1"])
        label = r["label"].lower()
        if gap > 0:
            out.append(f"{r['label']}: forecast need in a year is above what is available within "
                       f"{gaps['threshold']} miles; the council will seek more {label} places near home, "
                       "through its frameworks and block arrangements before spot purchase.")
        elif r["out_of_area"]:
            out.append(f"{r['label']}: local supply meets forecast need in number; the council will work to bring "
                       f"children placed more than {gaps['threshold']} miles away back closer to home where that is "
                       "right for them.")
    return out


def _sufficiency_actions(as_of: date) -> list:
    match = Q()
    for word in SUFFICIENCY_SUBJECTS:
        match |= Q(subject__icontains=word)
    return list(action_list(as_of=as_of).filter(match))


def statement_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    """The sufficiency statement: needs, forecast, supply, gaps, intentions and the action plan."""
    figures = placement_figures(as_of=as_of)
    show = sufficiency_display(figures, suppress=True)
    run = selectors.latest_forecast()
    gaps = selectors.sufficiency_gaps(as_of=as_of)
    needs = _needs_now(as_of=as_of)
    gap_rows = _gap_rows(gaps)
    context = {
        "title": "Sufficiency statement", "figures": figures, "show": show, "needs": needs, "run": run,
        "forecast_rows": _forecast_rows(run), "forecast_chart": _forecast_chart(run),
        "categories": list(engine.CATEGORY_LABELS.values()),
        "backtest": run.result["backtest"] if run else None, "gaps": gaps, "gap_rows": gap_rows,
        "intentions": _intentions(gaps), "actions": _sufficiency_actions(as_of),
    }
    context["uses_suppression"] = show["any_suppressed"] or _any_hidden(context)
    return context


def market_position_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    """The market position statement for providers: our children's needs, forecast demand, what we spend and the
    prices we pay, what we want to buy, and how to work with us."""
    figures = placement_figures(as_of=as_of)
    show = sufficiency_display(figures, suppress=True)
    run = selectors.latest_forecast()
    gaps = selectors.sufficiency_gaps(as_of=as_of)
    costs = selectors.unit_costs(as_of=as_of)
    weekly = {c: costs[c]["weekly"] or Decimal("0") for c in engine.CATEGORIES}
    context = {
        "title": "Market position statement", "figures": figures, "show": show, "needs": _needs_now(as_of=as_of),
        "run": run, "forecast_rows": _forecast_rows(run), "categories": list(engine.CATEGORY_LABELS.values()),
        "gap_rows": _gap_rows(gaps), "gaps": gaps, "intentions": _intentions(gaps),
        "unit_costs": [(engine.CATEGORY_LABELS[c], costs[c]) for c in engine.CATEGORIES],
        "spend": spend_by_year(run.result["baseline"], weekly) if run else [],
    }
    context["uses_suppression"] = show["any_suppressed"] or _any_hidden(context)
    return context


def _any_hidden(context: dict) -> bool:
    cells = [row["cell"] for row in context["needs"]["bands"]] + [context["needs"]["turning_18"]]
    for row in context["forecast_rows"]:
        cells += [*row["cells"], row["total"], row["low"], row["high"]]
    for row in context["gap_rows"]:
        cells += [row["children"], row["out_of_area"], row["over_threshold"], row["need_1"], row["local"],
                  row["gap_1"]]
    return any(cell.suppressed for cell in cells)
