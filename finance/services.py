"""Writes for finance: keyword-only, atomic, validated, and naming the acting person."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from core.periods import financial_year_of

from . import selectors
from .models import ForecastSnapshot


@transaction.atomic
def forecast_snapshot_take(*, as_of: date, year: int | None = None, user=None) -> list[ForecastSnapshot]:
    """Keep every line's forecast as at `as_of` (the year it falls in, unless given). Taking it again the
    same day replaces that day's figures."""
    year = financial_year_of(as_of) if year is None else year
    return forecast_snapshot_keep(year=year, as_of=as_of, lines=selectors.forecast(year=year, as_of=as_of).lines,
                                  user=user)


@transaction.atomic
def forecast_snapshot_keep(*, year: int, as_of: date, lines, user=None) -> list[ForecastSnapshot]:
    """Keep these forecast lines (selectors.ForecastLine) as the forecast of `year` as at `as_of`, replacing
    any kept for that day."""
    ForecastSnapshot.objects.filter(financial_year=year, as_of=as_of).delete()
    rows = []
    for line in lines:
        row = ForecastSnapshot(
            financial_year=year, as_of=as_of, code=line.code, name=line.name, budget=line.budget,
            actual_to_date=line.actual_to_date, committed=line.committed, forecast=line.forecast, taken_by=user,
        )
        row.full_clean(validate_constraints=False)
        rows.append(row)
    return ForecastSnapshot.objects.bulk_create(rows)
