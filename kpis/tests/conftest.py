from datetime import date
from decimal import Decimal

import pytest

from kpis.models import Indicator, Measurement, Target
from outcomes.models import AgeBand, Outcome, Theme


@pytest.fixture
def make_kpis(db):
    """Build n indicators in bulk, each with a target, 3 monthly values and a linked outcome."""

    def make(n: int, *, owner=None):
        theme, _ = Theme.objects.get_or_create(name="Education", defaults={"order": 1})
        band, _ = AgeBand.objects.get_or_create(name="All children", defaults={"order": 0})
        outcome = Outcome.objects.create(statement="All children attend good schools", theme=theme, age_band=band,
                                         owner=owner)
        start = Indicator.objects.count()
        indicators = Indicator.objects.bulk_create([
            Indicator(code=f"B{start + i:04d}", name=f"Indicator {start + i}", theme=theme, unit="percentage",
                      polarity="higher_is_better", frequency="monthly", owner=owner)
            for i in range(n)
        ])
        Target.objects.bulk_create([
            Target(indicator=i, kind="at_least", value=Decimal(80), tolerance=Decimal(5), starts_on=date(2024, 4, 1))
            for i in indicators
        ])
        values = [Decimal(70), Decimal(78), Decimal(85)]
        Measurement.objects.bulk_create([
            Measurement(indicator=ind, period_end=end, value=values[(k + j) % 3])
            for k, ind in enumerate(indicators)
            for j, end in enumerate([date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31)])
        ])
        Indicator.outcomes.through.objects.bulk_create(
            [Indicator.outcomes.through(indicator=i, outcome=outcome) for i in indicators]
        )
        from kpis.services import statuses_recompute

        statuses_recompute()
        return indicators

    return make
