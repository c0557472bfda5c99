"""What the forecast will cost: children by month times the weekly cost per child, by financial year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .engine import CATEGORIES

DAYS_IN_WEEK = 7


def financial_year_of(day: date) -> int:
    """The financial year by the year it starts: April 2025 to March 2026 is 2025."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}-{str(year + 1)[-2:]}"


def spend_by_year(months: list[dict], weekly: dict[str, Decimal], *, years: int = 5) -> list[dict]:
    """Spend by financial year and category for the first `years` financial years the months reach.

    Each month's children are costed for the days of that month (a month end's count stands for its month), so a
    year covers only the months forecast within it ("months" says how many)."""
    totals: dict[int, dict] = {}
    for month in months:
        day = date.fromisoformat(month["date"])
        year = financial_year_of(day)
        if year not in totals:
            if len(totals) == years:
                break
            totals[year] = {"year": year, "label": financial_year_label(year), "months": 0,
                            **{c: Decimal("0") for c in CATEGORIES}}
        row = totals[year]
        row["months"] += 1
        for category in CATEGORIES:
            children = Decimal(str(month[category]))
            row[category] += children * weekly.get(category, Decimal("0")) * day.day / DAYS_IN_WEEK
    rows = list(totals.values())
    for row in rows:
        for category in CATEGORIES:
            row[category] = row[category].quantize(Decimal("1"))
        row["total"] = sum(row[c] for c in CATEGORIES)
    return rows
