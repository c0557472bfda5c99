"""The stored forecast as the pages and reports show it: plain values, no queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.charts import FORECAST_COLOUR, SCENARIO_COLOUR, trend_chart_svg

from . import engine
from .costs import spend_by_year


def checkpoints(months: list[dict], *, every: int = 6) -> list[dict]:
    """The first month end and every `every`th after it (a 60-month forecast in 11 rows)."""
    return [m for i, m in enumerate(months) if i == 0 or (i + 1) % every == 0]


def scenario_rows(result: dict, weekly: dict[str, Decimal]) -> list[dict]:
    """Each scenario beside the baseline: children after one, three and five years (or the last month) and the
    spend over the years forecast, with the difference from the baseline."""
    baseline = result["baseline"]
    base_spend = sum(row["total"] for row in spend_by_year(baseline, weekly))
    marks = [i for i in (11, 35, 59) if i < len(baseline)] or [len(baseline) - 1]
    rows = [{"name": "Baseline", "id": None, "children": [(baseline[i]["date"], baseline[i]["total"], None)
                                                           for i in marks],
             "residential": baseline[marks[-1]]["residential"], "spend": base_spend, "spend_change": None}]
    for scenario in result.get("scenarios", []):
        months = scenario["months"]
        spend = sum(row["total"] for row in spend_by_year(months, weekly))
        rows.append({
            "name": scenario["name"], "id": scenario["id"],
            "children": [(months[i]["date"], months[i]["total"], months[i]["total"] - baseline[i]["total"])
                         for i in marks],
            "residential": months[marks[-1]]["residential"], "spend": spend, "spend_change": spend - base_spend,
        })
    return rows


def as_date(value: str) -> date:
    return date.fromisoformat(value)


def category_labels() -> list[tuple[str, str]]:
    return list(engine.CATEGORY_LABELS.items())


def _series(months: list[dict], key: str) -> list[tuple[date, float]]:
    return [(as_date(m["date"]), m[key]) for m in months]


def forecast_chart(result: dict, scenario: dict | None = None, *, printed: bool = False) -> dict:
    """Children looked after by month: what happened over the reference window, then the forecast total with its
    likely range (and a scenario's total when one is chosen), as a chart and as the rows of its table. A printed
    chart is drawn for a PDF (core.charts.trend_chart_svg)."""
    history, baseline = result.get("history", []), result["baseline"]
    lines = [("Forecast", _series(baseline, "total"), FORECAST_COLOUR, "6 4")]
    if scenario is not None:
        lines.append((scenario["name"], _series(scenario["months"], "total"), SCENARIO_COLOUR, "2 3"))
    svg = trend_chart_svg(
        _series(history, "total"), title="Children looked after by month: what happened, then the forecast",
        decimals=0, width=720, height=300, value_label="What happened", lines=lines,
        band=[(as_date(m["date"]), m["total_low"], m["total_high"]) for m in baseline],
        band_label="Likely range (95%)", printed=printed,
    )
    scenario_months = scenario["months"] if scenario else [{}] * len(baseline)
    rows = [{"date": m["date"], "actual": m["total"]} for m in history] + [
        {"date": m["date"], "forecast": m["total"], "low": m["total_low"], "high": m["total_high"],
         "scenario": s.get("total")} for m, s in zip(baseline, scenario_months, strict=True)]
    return {"svg": svg, "rows": rows, "scenario": scenario}


def backtest_chart(backtest: dict) -> str:
    """The backtest: the forecast from the earlier window, its range and what happened since."""
    months = [m for m in backtest["months"] if m]
    return trend_chart_svg(
        _series(months, "actual"), title="The same method from an earlier window, against what happened",
        decimals=0, width=720, height=260, value_label="What happened",
        lines=[("Forecast", _series(months, "forecast"), FORECAST_COLOUR, "6 4")],
        band=[(as_date(m["date"]), m["low"], m["high"]) for m in months], band_label="Likely range (95%)",
    )
