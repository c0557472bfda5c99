"""What the KPI page shows for one indicator, beside the committee report's presenter (kpis/reports.py).

Both hide a count of 1 to 5 children, or a value worked out from one, the same way (`measurement_hidden`), and
draw the same benchmark line on their charts (kpis.status.benchmark_line_source).
"""

from collections import defaultdict

from django.core.paginator import Paginator
from django.utils import timezone

from core.charts import trend_chart_svg
from core.suppression import MARKER

from . import selectors
from .formatting import chart_unit, describe_indicator_target, format_indicator_value, hides_small_count
from .models import BenchmarkSource, Indicator, Status
from .status import STATISTICAL_NEIGHBOURS, BenchmarkPoint, benchmark_line_source, target_in_force, target_lines
from .tables import direction_text


def measurement_hidden(indicator: Indicator, m) -> bool:
    """Whether a value is shown as [c]: a count of 1 to 5 children, or worked out from one."""
    if m is None:
        return False
    return hides_small_count(counts_children=indicator.counts_children, unit=indicator.unit, value=m.value,
                             numerator=m.numerator, denominator=m.denominator)


def indicator_page(indicator: Indicator, *, page=None, suppress_small_counts: bool = False) -> dict:
    """Everything the KPI page shows for one indicator: one page of its values (newest first) and a chart
    of its latest values, in the same number of queries however many values it has.
    With `suppress_small_counts`, a count of 1 to 5 children (or a value worked out from one) shows as
    [c] in the values table and the summary, and is left out of the chart."""
    values_page, chart_values, benchmarks = selectors.indicator_values(indicator=indicator, page=page)
    targets = list(indicator.targets.all())
    rules = [t.rule for t in targets]
    bench_map = {(b.period_end, b.source): BenchmarkPoint(b.value, b.minimum, b.maximum) for b in benchmarks}

    def hidden(m) -> bool:
        return suppress_small_counts and measurement_hidden(indicator, m)

    rows = _value_rows(indicator, values_page, rules=rules, benchmarks=benchmarks, bench_map=bench_map,
                       hidden=hidden)
    # Columns and the chart's line: the sources with a figure for a period the page or the chart shows.
    shown_from = min([m.period_end for m in values_page] + [m.period_end for m in chart_values], default=None)
    sources = {b.source for b in benchmarks if shown_from and b.period_end >= shown_from}
    line_source = benchmark_line_source([t.benchmark_source for t in targets], sources)
    latest = chart_values[-1] if chart_values else None
    total = values_page.paginator.count
    return {
        "indicator": indicator, "targets": targets, "rows": rows, "values_page": values_page, "total_values": total,
        "values_page_numbers": _page_numbers(values_page),
        "chart": _trend_chart(indicator, chart_values, rules=rules, benchmarks=benchmarks, bench_map=bench_map,
                              line_source=line_source, hidden=hidden),
        "chart_values": len(chart_values), "chart_is_window": total > len(chart_values),
        **_latest(indicator, latest, rules=rules, bench_map=bench_map, hidden=hidden),
        "uses_suppression": any(r["suppressed"] for r in rows) or hidden(latest),
        "recalculating": any(r["recalculating"] for r in rows) or bool(latest and latest.computed_at is None),
        "benchmark_sources": [s for s in BenchmarkSource if s in sources],
        "line_source": line_source, "statistical_neighbours": STATISTICAL_NEIGHBOURS,
        "line_label": BenchmarkSource(line_source).label if line_source else "",
    }


def _value_rows(indicator, values_page, *, rules, benchmarks, bench_map, hidden) -> list[dict]:
    """The values table: each value with the target in force for its period and the benchmarks for it."""
    by_period = defaultdict(dict)
    for b in benchmarks:
        if b.value is not None:
            by_period[b.period_end][b.source] = format_indicator_value(indicator, b.value)
    rows = []
    for m in values_page:
        rule = target_in_force(rules, m.period_end)
        small = hidden(m)
        rows.append({
            "m": m, "suppressed": small,
            "value": MARKER if small else format_indicator_value(indicator, m.value),
            "target": describe_indicator_target(indicator, rule, period_end=m.period_end, benchmarks=bench_map)
            if rule else "None set",
            "benchmarks": by_period.get(m.period_end, {}),
            "status": m.status, "direction": direction_text(m.direction, indicator.polarity),
            "recalculating": m.computed_at is None,
        })
    return rows


def _trend_chart(indicator, chart_values, *, rules, benchmarks, bench_map, line_source, hidden) -> str:
    """The latest values as a line, with the target (and upper bound) in force and one benchmark's line."""
    target_line, upper_line = target_lines(rules, bench_map, [m.period_end for m in chart_values])
    chart_from = chart_values[0].period_end if chart_values else None
    bench_line = [(b.period_end, b.value) for b in benchmarks
                  if b.source == line_source and b.value is not None and b.period_end >= chart_from]
    return trend_chart_svg(
        [(m.period_end, None if hidden(m) else m.value) for m in chart_values],
        target=target_line or None, target_upper=upper_line or None, benchmark=bench_line or None,
        benchmark_label=f"{BenchmarkSource(line_source).label} benchmark" if line_source else "Benchmark",
        title=f"{indicator.code} {indicator.name}: trend", unit=chart_unit(indicator),
        decimals=indicator.decimals, money=indicator.unit == "money",
    )


def _latest(indicator, latest, *, rules, bench_map, hidden) -> dict:
    """The summary above the table: the latest value, its status and direction, and the target now."""
    current = target_in_force(rules, timezone.localdate())
    # Resolved against the latest value's benchmarks: "now" means the figures the latest status was judged by.
    current_target = describe_indicator_target(
        indicator, current, period_end=latest.period_end if latest else None, benchmarks=bench_map,
    ) if current else "None set"
    if latest is None:
        return {"latest": None, "latest_value": "No data", "latest_status": Status.NO_DATA,
                "latest_direction": "Unknown", "current_target": current_target}
    return {
        "latest": latest,
        "latest_value": MARKER if hidden(latest) else format_indicator_value(indicator, latest.value),
        "latest_status": latest.status,
        "latest_direction": direction_text(latest.direction, indicator.polarity),
        "current_target": current_target,
    }


def _page_numbers(values_page) -> list[int | None]:
    """The page links to show, None for a gap."""
    pages = values_page.paginator.get_elided_page_range(values_page.number, on_each_side=1, on_ends=1)
    return [None if n == Paginator.ELLIPSIS else n for n in pages]
