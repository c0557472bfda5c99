"""Demo budget lines for this financial year that read true against the demo placements.

Each line's budget is set from what its placements are forecast to cost this year: most lines a
little under-committed, two (external children's homes and independent fostering agencies, the
pressures councils report) forecast to overspend. Savings targets as a share of each budget, and the
forecast kept at the end of each month so far, as it could be made then, so the history chart moves as a real
year does: a placement that started after a month's end was not in that month's forecast (the demo placements
were all recorded today, so the records themselves cannot say what was known when).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from core.periods import financial_year_bounds, financial_year_of
from placements.models import Placement

from . import rules, selectors, services
from .models import BudgetLine

LINES = [
    # code, name, category, provision, budget as a share of the forecast, savings target share of budget
    ("PL01", "In-house foster care", "foster_other", "in_house", "1.03", "0.01"),
    ("PL02", "Independent fostering agencies", "foster_other", "external", "0.94", "0.04"),
    ("PL03", "Family and friends care", "foster_relative", "any", "1.05", "0"),
    ("PL04", "Children's homes: external", "childrens_home", "external", "0.91", "0.05"),
    ("PL05", "Children's homes: in-house", "childrens_home", "in_house", "1.02", "0"),
    ("PL06", "Residential schools (social care share)", "residential_school", "any", "1.04", "0.02"),
    ("PL07", "Secure placements", "secure", "any", "1.00", "0"),
    ("PL08", "Supported accommodation (16 and 17)", "independent", "any", "1.03", "0.03"),
    ("PL09", "Other placements", "other", "any", "1.10", "0"),
]


def load(*, users):
    today = timezone.localdate()
    year = financial_year_of(today)
    if BudgetLine.objects.filter(financial_year=year).exists():
        return
    with transaction.atomic():
        _budgets(year=year, today=today, user=users.get("Commissioner"))
    start, _ = financial_year_bounds(year)
    month_end = date(start.year, start.month + 1, 1) - timedelta(days=1)
    while month_end < today:
        services.forecast_snapshot_keep(year=year, as_of=month_end, lines=_forecast_known_then(year, month_end))
        following = month_end + timedelta(days=1)
        month_end = (date(following.year + (following.month == 12), following.month % 12 + 1, 1)
                     - timedelta(days=1))


def _budgets(*, year: int, today: date, user):
    # Forecast with lines that catch each category and provision on its own, to size each budget.
    sizing = [BudgetLine(financial_year=year, code=code, name=name, placement_category=category,
                         provision=provision, amount=0) for code, name, category, provision, *_ in LINES]
    BudgetLine.objects.bulk_create(sizing)
    figures = selectors.forecast(year=year, as_of=today)
    BudgetLine.objects.filter(financial_year=year).delete()
    for code, name, category, provision, share, saving in LINES:
        line = figures.line(code)
        forecast = line.forecast if line else Decimal("0")
        amount = (forecast * Decimal(share) / 1000).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * 1000
        budget = BudgetLine(
            financial_year=year, code=code, name=name, placement_category=category, provision=provision,
            amount=amount, savings_target=(amount * Decimal(saving) / 1000).quantize(Decimal("1")) * 1000,
        )
        budget.full_clean()
        budget._history_user = user
        budget.save()


def _forecast_known_then(year: int, as_of: date) -> list[selectors.ForecastLine]:
    """Each budget line's forecast as at `as_of` from the placements that had started by then, placed on the lines
    by the forecast's own rule (rules.line_for) from the forecast's own per-placement figures."""
    lines = selectors.budget_lines(year)
    keys = rules.line_keys((line.code, line.category, line.provision) for line in lines)
    by_code = {line.code: line for line in lines}
    started = Placement.objects.filter(start__lte=as_of)
    for row in selectors.placement_rows(year=year, as_of=as_of, placements=started):
        line = by_code[rules.line_for(row["category"], row["provision"], keys)]  # the demo budgets cover every kind
        line.actual_to_date += row["actual"]
        line.committed += row["committed"]
    return lines
