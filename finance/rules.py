"""Pure rules for the finance view: which budget line a placement belongs to, RAG.

Plain values in, plain values out; no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from core.periods import financial_year_bounds

UNBUDGETED = "UNBUDGETED"
UNBUDGETED_NAME = "Unbudgeted"
PENNY = Decimal("0.01")


def buckets(year: int, as_of: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """The nights counted as actual and as committed, each as [first night, first night not counted).

    As at D, the night of D itself is actual: actual is 1 April to D inclusive, committed is the
    night after D to 31 March. Before the year starts everything is committed; after it ends, actual.
    """
    start, last = financial_year_bounds(year)
    stop = last + timedelta(days=1)
    cut = min(max(as_of + timedelta(days=1), start), stop)
    return (start, cut), (cut, stop)


def line_keys(lines: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str], str]:
    """{(category, provision): code} for the placement lines of one year (lines without a category skipped)."""
    return {(category, provision): code for code, category, provision in lines if category}


def line_for(category: str, provision: str, keys: Mapping[tuple[str, str], str]) -> str:
    """A placement's budget line: its category and provision, else its category with provision `any`,
    else Unbudgeted."""
    return keys.get((category, provision)) or keys.get((category, "any")) or UNBUDGETED


def rag(*, budget: Decimal, forecast: Decimal, amber_pct: Decimal) -> str:
    """Green within budget, amber up to `amber_pct` per cent over it, red beyond."""
    variance = forecast - budget
    if variance <= 0:
        return "green"
    if variance * 100 <= budget * amber_pct:
        return "amber"
    return "red"


def money(value: Decimal) -> str:
    """Money as the JSON shows it: a string with two decimals."""
    return f"{Decimal(value).quantize(PENNY):.2f}"
