"""Filling computed indicators (Indicator.measure_key) from the measures other apps register."""

import logging
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .measures import get_measure
from .models import DataSource, Indicator, Measurement
from .periods import period_start, recent_period_ends
from .recompute import statuses_recompute

log = logging.getLogger(__name__)
_FOUR = Decimal("0.0001")


def computed_measures_fill(*, periods: int | None = None, today: date | None = None) -> dict:
    """For every active indicator with a registered measure_key, compute its recent periods and store them.

    Idempotent: a value that has not changed is not written again. Returns counts.
    """
    today = today or timezone.localdate()
    periods = periods or settings.KPI_COMPUTED_PERIODS
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    touched = []
    indicators = Indicator.objects.exclude(measure_key="").filter(active=True)
    for indicator in indicators:
        measure = get_measure(indicator.measure_key)
        if measure is None:
            log.warning("Indicator %s names measure %r, which no app registers", indicator.code, indicator.measure_key)
            counts["skipped"] += 1
            continue
        existing = {m.period_end: m for m in indicator.measurements.all()}
        with transaction.atomic():
            for end in recent_period_ends(today, indicator.frequency, periods):
                result = measure.compute(period_start(end, indicator.frequency), end)
                if result is None:
                    continue
                value = result.value.quantize(_FOUR) if result.value is not None else None
                num = result.numerator.quantize(_FOUR) if result.numerator is not None else None
                den = result.denominator.quantize(_FOUR) if result.denominator is not None else None
                current = existing.get(end)
                if current is not None and (current.value, current.numerator, current.denominator) == (value, num, den):
                    counts["unchanged"] += 1
                    continue
                m = current or Measurement(indicator=indicator, period_end=end)
                m.value, m.numerator, m.denominator = value, num, den
                m.note = f"Computed from {measure.label}"
                # Nobody types a computed value, so it needs no sign-off of its own; commentary written about
                # an earlier figure does, again.
                m.approved_at, m.approved_by = (None, None) if m.commentary else (timezone.now(), None)
                m.save()
                counts["updated" if current else "created"] += 1
                touched.append(indicator.pk)
        if indicator.data_source != DataSource.COMPUTED:
            Indicator.objects.filter(pk=indicator.pk).update(data_source=DataSource.COMPUTED)
    if touched:
        statuses_recompute(indicator_ids=touched)
    return counts
