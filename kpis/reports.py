"""The KPI performance section of the quarterly committee report: exceptions first, detail behind.

For each active KPI: the latest value in or before the report period, the target in force for
it, its RAG status and direction of travel, its benchmarks, and a trend chart. The section opens
with a one-page summary (status and direction of travel by theme, and the list of exceptions: red,
then amber), then each exception with its chart, target, benchmarks and commentary, then the other
indicators by theme; their trend charts go to an appendix. A member summary (``summary_only``) stops
after the exceptions. Counts of children from 1 to 5 are suppressed (core.suppression).

Charts are drawn only when a template prints them (the context holds callables), as <img> elements:
the county-scale pack has hundreds, and WeasyPrint draws an SVG image far faster than inline SVG.
"""

from collections import Counter, defaultdict
from datetime import date
from functools import partial

from django.db.models import Prefetch

from core.charts import chart_img, trend_chart_svg
from core.suppression import MARKER

from .formatting import format_target, format_value, hides_small_count
from .models import BenchmarkSource, Direction, Indicator, Measurement, Status, Target
from .status import BenchmarkPoint, benchmark_line_source, target_in_force, target_lines
from .tables import direction_text

ORDER = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2, Status.NO_TARGET: 3, Status.NO_DATA: 4}
EXCEPTIONS = (Status.RED, Status.AMBER)
TREND_YEARS = 3
# Chart sizes in CSS pixels: an exception's chart across the page; a small one, two to a row, for the member
# summary and the appendix (its caption names the lines instead of a legend, which would not fit).
WIDE = {"width": 600, "height": 200}
SMALL = {"width": 340, "height": 88, "legend": False}


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
    themes = []
    for name, rows in by_theme.items():
        rows.sort(key=lambda r: (ORDER[r["status"]], r["indicator"].code))
        themes.append({
            "name": name,
            "kpis": rows,
            "others": [r for r in rows if r["status"] not in EXCEPTIONS],
            **_tally(rows),
        })
    exceptions = sorted((r for r in kpis if r["status"] in EXCEPTIONS),
                        key=lambda r: (ORDER[r["status"]], r["indicator"].code))
    counts = {s: sum(1 for r in kpis if r["status"] == s) for s in ORDER}
    others = [r for r in kpis if r["status"] not in EXCEPTIONS]
    return {
        "themes": themes,
        "all_themes": _tally(kpis),
        "exceptions": exceptions,
        "others": others,
        "counts": [(Status(s).label, s, n) for s, n in counts.items()],
        "total": len(kpis),
        "uses_suppression": used_suppression,
        "appendix_template": "kpis/pdf/appendix.html" if others else "",
        "appendix_title": "Trends of the indicators not reported as exceptions",
        "trend_years": TREND_YEARS,
    }


def _tally(rows) -> dict:
    """How many indicators have each status, and how many are improving, unchanged or worsening."""
    statuses = Counter(r["status"] for r in rows)
    directions = Counter(r["latest"].direction for r in rows if r["latest"])
    return {
        "statuses": [statuses[s] for s in ORDER],
        "improving": directions[Direction.IMPROVING],
        "no_change": directions[Direction.NO_CHANGE],
        "worsening": directions[Direction.WORSENING],
        "total": len(rows),
    }


def _benchmark_texts(indicator, benchmarks: dict, when: date) -> list[str]:
    """Each source's latest benchmark at or before the value's period, with its figure and date."""
    latest = {}
    for (period, source), point in sorted(benchmarks.items()):
        if period <= when:
            latest[source] = (period, point)
    fmt = {"unit": indicator.unit, "decimals": indicator.decimals}
    texts = []
    for source in BenchmarkSource.values:
        if source not in latest:
            continue
        period, point = latest[source]
        parts = []
        if point.value is not None:
            parts.append(format_value(point.value, **fmt))
        if point.minimum is not None and point.maximum is not None:
            parts.append(f"range {format_value(point.minimum, **fmt)} to {format_value(point.maximum, **fmt)}")
        if parts:
            texts.append(f"{BenchmarkSource(source).label} {', '.join(parts)} ({period:%B %Y})")
    return texts


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
    benchmark_label = BenchmarkSource(line_source).label if line_source else "Benchmark"
    title = f"{indicator.code} {indicator.name}: trend to {period_end:%B %Y}"
    chart_args = {
        "points": points, "target": target_line or None, "target_upper": upper_line or None,
        "benchmark": line or None, "benchmark_label": benchmark_label, "title": title,
        "unit": "%" if indicator.unit == "percentage" else "", "decimals": indicator.decimals,
    }
    return {
        "indicator": indicator, "status": status, "value": value, "latest": latest,
        "in_period": bool(latest and latest.period_end >= period_start),
        "target": format_target(target) if target else "No target set",
        "direction": direction_text(latest.direction, indicator.polarity) if latest else "Unknown",
        "benchmarks": _benchmark_texts(indicator, benchmarks, when),
        "benchmark_label": benchmark_label if line else "",
        "target_line": bool(target_line),
        # Drawn only if printed: a template reading r.chart calls it.
        "chart": partial(_chart, chart_args, WIDE),
        "chart_small": partial(_chart, chart_args, SMALL),
        "suppressed_any": suppressed_any,
    }


def _chart(args: dict, size: dict) -> str:
    svg = trend_chart_svg(args["points"], **{k: v for k, v in args.items() if k != "points"}, **size,
                          printed=True)
    alt = args["title"] + "." if any(v is not None for _, v in args["points"]) else args["title"] + ": no data yet."
    return chart_img(svg, alt=alt)
