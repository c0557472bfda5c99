"""The KPI performance section of the quarterly committee report.

For each active KPI: the latest value in or before the report period, the target in force for
it, its RAG status and direction of travel, and a trend chart; by theme, exceptions (red, then
amber) first. Counts of children from 1 to 5 are suppressed (core.suppression).
"""

from collections import defaultdict
from datetime import date

from django.db.models import Prefetch

from core.charts import trend_chart_svg
from core.suppression import MARKER

from .formatting import format_target, format_value, hides_small_count
from .models import BenchmarkSource, Indicator, Measurement, Status, Target
from .status import BenchmarkPoint, benchmark_line_source, target_in_force, target_lines
from .tables import direction_text

ORDER = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2, Status.NO_TARGET: 3, Status.NO_DATA: 4}
TREND_YEARS = 3


def _suppressed(indicator, m) -> bool:
    if m is None:
        return False
    return hides_small_count(counts_children=indicator.counts_children, unit=indicator.unit, value=m.value,
                             numerator=m.numerator, denominator=m.denominator)


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    since = date(period_end.year - TREND_YEARS, period_end.month, 1)
    indicators = (
        Indicator.objects.filter(active=True).select_related("theme", "owner")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("starts_on")),
            Prefetch("measurements", queryset=Measurement.objects.filter(
                period_end__gte=since, period_end__lte=period_end).order_by("period_end")),
            "benchmarks",
        )
        .order_by("theme__order", "theme__name", "code")
    )
    kpis, used_suppression = [], False
    for indicator in indicators:
        row = _kpi_row(indicator, period_start=period_start, period_end=period_end)
        used_suppression |= row["suppressed_any"]
        kpis.append(row)
    by_theme = defaultdict(list)
    for row in kpis:
        by_theme[row["indicator"].theme.name].append(row)
    themes = [
        {"name": name, "kpis": sorted(rows, key=lambda r: (ORDER[r["status"]], r["indicator"].code))}
        for name, rows in by_theme.items()
    ]
    counts = {s: sum(1 for r in kpis if r["status"] == s) for s in ORDER}
    return {
        "themes": themes,
        "exceptions": sorted((r for r in kpis if r["status"] in (Status.RED, Status.AMBER)),
                             key=lambda r: (ORDER[r["status"]], r["indicator"].code)),
        "counts": [(Status(s).label, s, n) for s, n in counts.items()],
        "total": len(kpis),
        "uses_suppression": used_suppression,
    }


def _kpi_row(indicator, *, period_start, period_end) -> dict:
    targets = list(indicator.targets.all())
    rules = [t.rule for t in targets]
    benchmarks = {(b.period_end, b.source): BenchmarkPoint(b.value, b.minimum, b.maximum)
                  for b in indicator.benchmarks.all()}
    measurements = list(indicator.measurements.all())
    latest = measurements[-1] if measurements else None
    fmt = {"unit": indicator.unit, "decimals": indicator.decimals}
    suppressed_any = False
    points = []
    for m in measurements:
        hidden = _suppressed(indicator, m)
        suppressed_any |= hidden
        points.append((m.period_end, None if hidden else m.value))
    target_line, upper_line = target_lines(rules, benchmarks, [m.period_end for m in measurements])
    when = latest.period_end if latest else period_end
    rule = target_in_force(rules, when)
    target = targets[rules.index(rule)] if rule else None
    status = latest.status if latest else Status.NO_DATA
    value = MARKER if _suppressed(indicator, latest) else (format_value(latest.value, **fmt) if latest else "No data")
    # The same benchmark line as the KPI's page.
    line_source = benchmark_line_source([t.benchmark_source for t in targets], {s for _, s in benchmarks})
    line = [(p, b.value) for (p, s), b in sorted(benchmarks.items()) if s == line_source and b.value is not None]
    chart = trend_chart_svg(
        points, target=target_line or None, target_upper=upper_line or None, benchmark=line or None,
        benchmark_label=BenchmarkSource(line_source).label if line_source else "Benchmark",
        title=f"{indicator.code} {indicator.name}: trend to {period_end:%B %Y}",
        unit="%" if indicator.unit == "percentage" else "", decimals=indicator.decimals, width=600, height=200,
    )
    return {
        "indicator": indicator, "status": status, "value": value, "latest": latest,
        "in_period": bool(latest and latest.period_end >= period_start),
        "target": format_target(target) if target else "No target set",
        "direction": direction_text(latest.direction, indicator.polarity) if latest else "Unknown",
        "chart": chart, "suppressed_any": suppressed_any,
        # Not yet signed off by a second person: printed marked provisional, with its commentary.
        "provisional": bool(latest and latest.is_provisional and (latest.value is not None or latest.commentary)),
        "commentary": latest.commentary if latest else "",
        "remedial_action": latest.remedial_action if latest else "",
    }
