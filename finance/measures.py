"""Finance figures offered to KPIs as data sources (registered in finance/registrations.py).

Each takes the KPI period (start, end) and answers for the period's end: the forecast variance of the
financial year it falls in, as at that day; the average weekly cost of placements running that day.
"""

from __future__ import annotations

from datetime import date

from core.periods import financial_year_of
from placements.models import PlacementCategory

from . import selectors


def forecast_variance(period_start: date, period_end: date):
    from kpis.measures import MeasureValue

    figures = selectors.forecast(year=financial_year_of(period_end), as_of=period_end)
    if not figures.lines:
        return None
    return MeasureValue(value=figures.variance, numerator=figures.forecast, denominator=figures.budget)


def average_weekly_cost(category: str):
    def compute(period_start: date, period_end: date):
        from kpis.measures import MeasureValue

        found = selectors.average_weekly_cost_by_category(period_end).get(category)
        return None if found is None else MeasureValue(value=found[0])

    return compute


MEASURES = [
    ("finance.forecast_variance", "Placements budget: forecast variance for the year (£, over budget is positive)",
     "money", forecast_variance),
    *[(f"finance.average_weekly_cost.{c.value}", f"Average weekly cost of a placement: {c.label.lower()} (£)",
       "money", average_weekly_cost(c.value)) for c in PlacementCategory],
]
