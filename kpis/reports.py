"""The KPI performance section of the quarterly committee report: exceptions first, detail behind.

For each KPI active at the end of the report period: the latest value in or before the period, the target in
force for it (resolved to figures: kpis.formatting.describe_target), its RAG status and direction of travel,
and a trend chart; by theme, exceptions (red, then amber) first. Counts of children from 1 to 5 are suppressed
(core.suppression).

Figures are as known when the report is built (core.periods, "Figures as at a day"): each KPI's value for a
period is its current value, corrected since if it was, marked provisional until a second person approves it;
targets and benchmarks count by their own dates. So the report prints what the KPI's page shows for the same
period, and a built report is never changed. Status and direction are worked out by the same engine that
stores them.

The section opens with a one-page summary (status and direction of travel by theme, and the list of
exceptions: red, then amber), then each exception with its chart, target, benchmarks and commentary, then
the other indicators by theme; their trend charts go to an appendix. A member summary (``summary_only``)
stops after the exceptions. Charts are drawn only when a template prints them (the context holds
callables), as <img> elements: the county-scale pack has hundreds, and WeasyPrint draws an SVG image far
faster than inline SVG.
"""

from collections import Counter, defaultdict
from datetime import date
from functools import partial

from django.template.defaultfilters import pluralize

from core.charts import chart_img, trend_chart_svg
from core.registry import ReportDraft
from core.suppression import MARKER

from .formatting import chart_unit, describe_indicator_target, format_indicator_value, format_value
from .models import Benchmark, BenchmarkSource, Direction, Indicator, Measurement, Status, Target
from .presenters import measurement_hidden
from .status import BenchmarkPoint, benchmark_line_source, compute_series, target_in_force, target_lines
from .tables import direction_text

ORDER = {Status.RED: 0, Status.AMBER: 1, Status.GREEN: 2, Status.NO_TARGET: 3, Status.NO_DATA: 4}
EXCEPTIONS = (Status.RED, Status.AMBER)
# Chart sizes in CSS pixels: an exception's chart across the page; a small one, two to a row, for the member
# summary and the appendix. None has a legend: the key printed above the charts names the lines once, where a legend
# in each would cost the build its text (a PDF shapes every label of every chart).
WIDE = {"width": 600, "height": 200, "legend": False}
SMALL = {"width": 340, "height": 72, "legend": False}
# A member summary puts its exceptions two to a row; from this many, three to a row with smaller charts, so that
# it stays within four pages. It details at most MEMBER_SUMMARY_MOST, the most pressing, and says how many more.
DENSE_FROM = 13
MEMBER_SUMMARY_MOST = 21
PRESSING = {Direction.WORSENING: 0, Direction.NO_CHANGE: 1, Direction.UNKNOWN: 2, Direction.IMPROVING: 3}
TINY = {"width": 220, "height": 72, "legend": False}
TREND_YEARS = 3


def report_kpis(*, period_end: date, since: date) -> list:
    """The active indicators, each with `report_targets`, `report_benchmarks` (periods up to `period_end`) and
    `report_measurements` (periods from `since` to `period_end`) as they are now, and theme and owner."""
    indicators = list(Indicator.objects.filter(active=True).select_related("theme", "owner"))
    ids = {i.pk for i in indicators}
    by_indicator = defaultdict(lambda: {"targets": [], "benchmarks": [], "measurements": []})
    for t in Target.objects.filter(indicator_id__in=ids):
        by_indicator[t.indicator_id]["targets"].append(t)
    for b in Benchmark.objects.filter(indicator_id__in=ids, period_end__lte=period_end):
        by_indicator[b.indicator_id]["benchmarks"].append(b)
    for m in Measurement.objects.filter(indicator_id__in=ids, period_end__gte=since, period_end__lte=period_end):
        by_indicator[m.indicator_id]["measurements"].append(m)
    for i in indicators:
        parts = by_indicator[i.pk]
        i.report_targets = sorted(parts["targets"], key=lambda t: t.starts_on)
        i.report_benchmarks = parts["benchmarks"]
        i.report_measurements = sorted(parts["measurements"], key=lambda m: m.period_end)
    return sorted(indicators, key=lambda i: (i.theme.order, i.theme.name, i.code))


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    since = date(period_end.year - TREND_YEARS, period_end.month, 1)
    indicators = report_kpis(period_end=period_end, since=since)
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
    for number, r in enumerate(exceptions, start=1):
        r["exception_number"] = number
    pressing = _most_pressing(exceptions, MEMBER_SUMMARY_MOST)
    for number, r in enumerate(pressing, start=1):
        r["summary_number"] = number
    dense = len(pressing) >= DENSE_FROM
    per_row = 3 if dense else 2
    counts = {s: sum(1 for r in kpis if r["status"] == s) for s in ORDER}
    others = [r for r in kpis if r["status"] not in EXCEPTIONS]
    return {
        "themes": themes,
        "all_themes": _tally(kpis),
        "exceptions": exceptions,
        "dense": dense,
        # A member summary's exceptions, a row at a time.
        "summary_exceptions": pressing,
        "summary_more": len(exceptions) - len(pressing),
        "exception_rows": [pressing[i:i + per_row] for i in range(0, len(pressing), per_row)],
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
    fmt = {"unit": indicator.unit, "decimals": indicator.decimals, "rate_per": indicator.rate_per}
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


def _most_pressing(exceptions: list[dict], most: int) -> list[dict]:
    """At most `most` exceptions, in report order: red before amber, then worsening before no change before
    improving, then by code."""
    if len(exceptions) <= most:
        return exceptions
    chosen = {id(r) for r in sorted(exceptions, key=_pressing)[:most]}
    return [r for r in exceptions if id(r) in chosen]


def _pressing(r):
    """Red before amber, then worsening before no change before improving, then by code."""
    direction = r["latest"].direction if r["latest"] else Direction.UNKNOWN
    return ORDER[r["status"]], PRESSING.get(direction, 2), r["indicator"].code


def _direction_label(r) -> str:
    direction = r["latest"].direction if r["latest"] else Direction.UNKNOWN
    return Direction(direction).label if direction in Direction.values else str(direction)


def _kpi_row(indicator, *, period_start, period_end) -> dict:
    targets = indicator.report_targets
    rules = [t.rule for t in targets]
    benchmarks = {(b.period_end, b.source): BenchmarkPoint(b.value, b.minimum, b.maximum)
                  for b in indicator.report_benchmarks}
    measurements = indicator.report_measurements
    computed = compute_series(polarity=indicator.polarity, measurements=[(m.period_end, m.value) for m in measurements],
                              targets=rules, benchmarks=benchmarks)
    for m, c in zip(measurements, computed, strict=True):
        m.status, m.direction = c.status, c.direction
    latest = measurements[-1] if measurements else None
    suppressed_any = False
    points = []
    for m in measurements:
        hidden = measurement_hidden(indicator, m)
        suppressed_any |= hidden
        points.append((m.period_end, None if hidden else m.value))
    target_line, upper_line = target_lines(rules, benchmarks, [m.period_end for m in measurements])
    when = latest.period_end if latest else period_end
    rule = target_in_force(rules, when)
    status = latest.status if latest else Status.NO_DATA
    value = _shown_value(indicator, latest) if latest else "No data"
    previous = measurements[-2] if len(measurements) > 1 else None
    before = [m for m in measurements if m.period_end < period_start]
    # The same benchmark line as the KPI's page.
    line_source = benchmark_line_source([t.benchmark_source for t in targets], {s for _, s in benchmarks})
    line = [(p, b.value) for (p, s), b in sorted(benchmarks.items()) if s == line_source and b.value is not None]
    benchmark_label = BenchmarkSource(line_source).label if line_source else "Benchmark"
    title = f"{indicator.code} {indicator.name}: trend to {period_end:%B %Y}"
    chart_args = {
        "points": points, "target": target_line or None, "target_upper": upper_line or None,
        "benchmark": line or None, "benchmark_label": benchmark_label, "title": title,
        "unit": chart_unit(indicator), "decimals": indicator.decimals,
        "money": indicator.unit == "money",
    }
    return {
        "indicator": indicator, "status": status, "value": value, "latest": latest,
        "in_period": bool(latest and latest.period_end >= period_start),
        "target": describe_indicator_target(indicator, rule, period_end=when, benchmarks=benchmarks),
        "direction": direction_text(latest.direction, indicator.polarity) if latest else "Unknown",
        "benchmarks": _benchmark_texts(indicator, benchmarks, when),
        "benchmark_label": benchmark_label if line else "",
        "target_line": bool(target_line),
        # Drawn only if printed: a template reading r.chart calls it.
        "chart": partial(_chart, chart_args, WIDE),
        "chart_small": partial(_chart, chart_args, SMALL),
        "chart_tiny": partial(_chart, chart_args, TINY),
        "suppressed_any": suppressed_any,
        # Not yet signed off by a second person: printed marked provisional, with its commentary.
        "provisional": bool(latest and (latest.value is not None or latest.commentary) and latest.approved_at is None),
        "commentary": latest.commentary if latest else "",
        "remedial_action": latest.remedial_action if latest else "",
        # As the report for the quarter before would have rated it, for the change since last quarter.
        "status_before": before[-1].status if before else Status.NO_DATA,
        "previous": previous,
        "previous_value": _shown_value(indicator, previous),
        "change": _change(indicator, latest, previous),
    }


# How many of the worst exceptions the executive summary names.
SUMMARY_WORST = 3


def report_draft(*, period_start: date, period_end: date, as_of: date) -> ReportDraft:
    """The performance sentences of a report's executive summary, its risk implications, and the warning that
    red or amber KPIs have no approved commentary, from the same rows the performance section prints."""
    context = section_context(period_start=period_start, period_end=period_end, as_of=as_of)
    rows = [r for theme in context["themes"] for r in theme["kpis"]]
    draft = ReportDraft()
    if not rows:
        return draft
    now = Counter(r["status"] for r in rows)
    before = Counter(r["status_before"] for r in rows)
    total = len(rows)
    draft.summary.append(
        f"Of the {total} key performance indicator{pluralize(total)}, {_status_counts(now)}; at the end of the "
        f"quarter before, {_status_counts(before, short=True)}."
    )
    worst = sorted(context["exceptions"], key=_pressing)[:SUMMARY_WORST]
    if worst:
        named = "; ".join(
            f"{r['indicator'].code} {r['indicator'].name}, {r['value']} against a target of "
            f"{_lower_first(r['target'].split(';')[0])}, {_direction_label(r).lower()}"
            for r in worst
        )
        draft.summary.append(f"The most pressing exception{pluralize(len(worst))}: {named}.")
    reds = [r for r in rows if r["status"] == Status.RED]
    no_action = [r for r in reds if not r["remedial_action"].strip()]
    if not reds:
        risk = "No indicator is rated red this period."
    else:
        risk = (f"{len(reds)} indicator{pluralize(len(reds))} {pluralize(len(reds), 'is,are')} rated red, a risk "
                f"to the outcome{pluralize(len(reds))} {pluralize(len(reds), 'it measures,they measure')}.")
        if no_action:
            codes = ", ".join(r["indicator"].code for r in no_action)
            who = "It has" if len(reds) == 1 else f"{len(no_action)} of them {pluralize(len(no_action), 'has,have')}"
            risk += f" {who} no remedial action recorded: {codes}."
        else:
            risk += " Each has a remedial action recorded in this report."
    draft.implications["risk_implications"] = risk
    missing = without_approved_commentary(rows)
    if missing:
        n = len(missing)
        draft.warnings.append(f"{n} red or amber KPI{pluralize(n)} {pluralize(n, 'has,have')} no approved commentary")
    return draft


def _status_counts(counts: Counter, *, short: bool = False) -> str:
    """"7 are red, 11 amber and 17 green; 2 have no target and 1 has no data" (short: "6 were red, ...")."""
    verb = pluralize(counts[Status.RED], "was,were" if short else "is,are")
    parts = [f"{counts[Status.RED]} {verb} red", f"{counts[Status.AMBER]} amber", f"{counts[Status.GREEN]} green"]
    text = f"{', '.join(parts[:-1])} and {parts[-1]}"
    others = []
    if counts[Status.NO_TARGET]:
        n = counts[Status.NO_TARGET]
        others.append(f"{n} {'had' if short else pluralize(n, 'has,have')} no target")
    if counts[Status.NO_DATA]:
        n = counts[Status.NO_DATA]
        others.append(f"{n} {'had' if short else pluralize(n, 'has,have')} no data")
    return f"{text}; {' and '.join(others)}" if others else text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _shown_value(indicator, m) -> str:
    if m is None:
        return "–"
    if measurement_hidden(indicator, m):
        return MARKER
    return format_indicator_value(indicator, m.value)


def _change(indicator, latest, previous) -> str:
    """The latest value less the one before, in the KPI's unit (percentage points for a percentage)."""
    if latest is None or previous is None or latest.value is None or previous.value is None:
        return "–"
    if measurement_hidden(indicator, latest) or measurement_hidden(indicator, previous):
        return MARKER
    difference = latest.value - previous.value
    if round(difference, indicator.decimals) == 0:
        return "No change"
    size = format_value(abs(difference), unit="count" if indicator.unit == "percentage" else indicator.unit,
                        decimals=indicator.decimals)
    sign = "+" if difference > 0 else "\u2212"
    return f"{sign}{size}{' pts' if indicator.unit == 'percentage' else ''}"


def without_approved_commentary(rows) -> list[dict]:
    """The red and amber rows whose value has no commentary, or commentary not yet approved by a second person."""
    return [r for r in rows if r["status"] in EXCEPTIONS and (not r["commentary"].strip() or r["provisional"])]


def _chart(args: dict, size: dict) -> str:
    svg = trend_chart_svg(args["points"], **{k: v for k, v in args.items() if k != "points"}, **size,
                          printed=True)
    alt = args["title"] + "." if any(v is not None for _, v in args["points"]) else args["title"] + ": no data yet."
    return chart_img(svg, alt=alt)
