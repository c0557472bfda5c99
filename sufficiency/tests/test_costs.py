from datetime import date
from decimal import Decimal

from sufficiency.costs import financial_year_of, spend_by_year


def _month(day, **counts):
    return {"date": day.isoformat(), "fostering": 0.0, "residential": 0.0, "supported": 0.0, "other": 0.0, **counts}


def test_financial_years_start_in_april():
    assert financial_year_of(date(2025, 3, 31)) == 2024
    assert financial_year_of(date(2025, 4, 30)) == 2025


def test_spend_is_children_times_weekly_cost_for_the_days_of_each_month_by_financial_year():
    months = [_month(date(2025, 3, 31), residential=2.0), _month(date(2025, 4, 30), residential=2.0),
              _month(date(2025, 5, 31), residential=1.0, fostering=10.0)]
    rows = spend_by_year(months, {"residential": Decimal("7000"), "fostering": Decimal("700")})
    assert [(r["label"], r["months"]) for r in rows] == [("2024-25", 1), ("2025-26", 2)]
    assert rows[0]["residential"] == Decimal("62000")  # 2 x 7,000 x 31/7
    assert rows[1]["residential"] == Decimal("91000")  # 2 x 7,000 x 30/7 + 7,000 x 31/7
    assert rows[1]["fostering"] == Decimal("31000") and rows[1]["total"] == Decimal("122000")


def test_only_five_financial_years():
    months = [_month(date(2025 + i // 12, 4 + i % 12 if i % 12 < 9 else i % 12 - 8, 28)) for i in range(84)]
    assert len(spend_by_year(months, {})) == 5
