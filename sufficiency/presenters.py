"""The stored forecast as the pages and reports show it: plain values, no queries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
