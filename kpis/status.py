"""The RAG engine: plain functions on plain values, no ORM.

Rules: tolerance t >= 0 is in the indicator's own unit; values are Decimals
compared exactly; an empty tolerance is 0.

- at_least X: green if v >= X; amber if X - t <= v < X; otherwise red.
- at_most X: green if v <= X; amber if X < v <= X + t; otherwise red.
- between X Y: green if X <= v <= Y; amber if outside but within t of the nearer bound; otherwise red.
- at_most_benchmark / at_least_benchmark: as at_most / at_least with X the named benchmark's
  latest value for a period ending on or before the value's own (benchmarks are published yearly
  and late, so a quarter is measured against the last one out); none ever recorded: no_target.
- within_benchmark_range: as between with the statistical neighbours' minimum and maximum, the
  latest pair for a period ending on or before the value's own; none: no_target.
- The target in force is the one with the latest start on or before the period end; none: no_target.
- No value: no_data. Never red for missing data.
"""

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

GREEN, AMBER, RED, NO_DATA, NO_TARGET = "green", "amber", "red", "no_data", "no_target"
IMPROVING, WORSENING, NO_CHANGE, UNKNOWN = "improving", "worsening", "no_change", "unknown"
HIGHER, LOWER, WITHIN = "higher_is_better", "lower_is_better", "within_band"

AT_LEAST, AT_MOST, BETWEEN = "at_least", "at_most", "between"
AT_MOST_BENCHMARK, AT_LEAST_BENCHMARK, WITHIN_BENCHMARK_RANGE = (
    "at_most_benchmark", "at_least_benchmark", "within_benchmark_range",
)
TARGET_KINDS = (AT_LEAST, AT_MOST, BETWEEN, AT_MOST_BENCHMARK, AT_LEAST_BENCHMARK, WITHIN_BENCHMARK_RANGE)
BENCHMARK_SOURCES = ("england", "region", "statistical_neighbours")
STATISTICAL_NEIGHBOURS = "statistical_neighbours"


@dataclass(frozen=True)
class TargetRule:
    """A target as plain values. `benchmark` names the source for the *_benchmark kinds."""

    kind: str
    starts_on: date
    value: Decimal | None = None
    upper: Decimal | None = None
    benchmark: str = ""
    tolerance: Decimal | None = None


@dataclass(frozen=True)
class BenchmarkPoint:
    value: Decimal | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None


# (period_end, source) -> BenchmarkPoint
Benchmarks = Mapping[tuple[date, str], BenchmarkPoint]


class BenchmarkIndex:
    """Benchmarks by source in period order, to find the latest one for a period in log time (a status
    recompute asks once per value). Only points with the figure asked for count: a value, or a range."""

    def __init__(self, benchmarks: Benchmarks):
        self._by = {}
        for (period_end, source), point in sorted(benchmarks.items(), key=lambda item: item[0]):
            if point.value is not None:
                self._by.setdefault((source, False), []).append((period_end, point))
            if point.minimum is not None and point.maximum is not None:
                self._by.setdefault((source, True), []).append((period_end, point))
        self._ends = {key: [p for p, _ in rows] for key, rows in self._by.items()}

    def latest(self, source: str, period_end: date, *, range_: bool = False) -> tuple[date, BenchmarkPoint] | None:
        """The `source` benchmark for the latest period ending on or before `period_end`, with its period end."""
        key = (source, range_)
        i = bisect_right(self._ends.get(key, ()), period_end)
        return self._by[key][i - 1] if i else None


def benchmark_index(benchmarks: "Benchmarks | BenchmarkIndex") -> BenchmarkIndex:
    return benchmarks if isinstance(benchmarks, BenchmarkIndex) else BenchmarkIndex(benchmarks)


def target_errors(*, kind, value, upper, benchmark, tolerance) -> dict[str, str]:
    """What is wrong with a target's fields, by field name (empty when it is sound)."""
    errors = {}
    if kind not in TARGET_KINDS:
        return {"kind": f"Choose one of: {', '.join(TARGET_KINDS)}"}
    if kind in (AT_LEAST, AT_MOST, BETWEEN) and value is None:
        errors["value"] = "Enter the target value"
    if kind == BETWEEN:
        if upper is None:
            errors["upper"] = "Enter the upper bound of the band"
        elif value is not None and upper < value:
            errors["upper"] = "The upper bound must be at least the lower bound"
    if kind in (AT_MOST_BENCHMARK, AT_LEAST_BENCHMARK) and benchmark not in BENCHMARK_SOURCES:
        errors["benchmark_source"] = (
            "Choose the benchmark the target follows: england, region or statistical_neighbours"
        )
    if tolerance is not None and tolerance < 0:
        errors["tolerance"] = "The tolerance must be 0 or more"
    return errors


def target_in_force(targets: Sequence[TargetRule], period_end: date) -> TargetRule | None:
    """The target with the latest start on or before `period_end`."""
    best = None
    for target in targets:
        if target.starts_on <= period_end and (best is None or target.starts_on > best.starts_on):
            best = target
    return best


def _tol(tolerance: Decimal | None) -> Decimal:
    return tolerance if tolerance is not None else Decimal(0)


def rag_at_least(v: Decimal, x: Decimal, t: Decimal | None) -> str:
    if v >= x:
        return GREEN
    return AMBER if v >= x - _tol(t) else RED


def rag_at_most(v: Decimal, x: Decimal, t: Decimal | None) -> str:
    if v <= x:
        return GREEN
    return AMBER if v <= x + _tol(t) else RED


def rag_between(v: Decimal, x: Decimal, y: Decimal, t: Decimal | None) -> str:
    if x <= v <= y:
        return GREEN
    return AMBER if band_distance(v, x, y) <= _tol(t) else RED


def band_distance(v: Decimal, x: Decimal, y: Decimal) -> Decimal:
    """How far v lies outside [x, y]; 0 inside."""
    if v < x:
        return x - v
    if v > y:
        return v - y
    return Decimal(0)


Bounds = tuple[str, Decimal, Decimal | None]


@dataclass(frozen=True)
class ResolvedTarget:
    """What a target means for one period: the plain rule ('at_least' | 'at_most' | 'between'), its figures,
    and for a benchmark target the period end of the benchmark it follows."""

    rule: str
    low: Decimal
    high: Decimal | None = None
    benchmark_period_end: date | None = None

    @property
    def bounds(self) -> Bounds:
        return self.rule, self.low, self.high


def resolve_target(
    target: TargetRule, period_end: date, benchmarks: "Benchmarks | BenchmarkIndex",
) -> ResolvedTarget | None:
    """The figures a target means for a value of `period_end`, or None. A benchmark target follows the latest
    benchmark published for a period ending on or before the value's own; None only when there is none."""
    kind = target.kind
    if kind in (AT_LEAST, AT_MOST):
        return ResolvedTarget(kind, target.value) if target.value is not None else None
    if kind == BETWEEN:
        if target.value is None or target.upper is None:
            return None
        return ResolvedTarget(BETWEEN, target.value, target.upper)
    if kind in (AT_MOST_BENCHMARK, AT_LEAST_BENCHMARK):
        found = benchmark_index(benchmarks).latest(target.benchmark, period_end)
        if found is None:
            return None
        published_for, point = found
        return ResolvedTarget(AT_MOST if kind == AT_MOST_BENCHMARK else AT_LEAST, point.value, None, published_for)
    if kind == WITHIN_BENCHMARK_RANGE:
        found = benchmark_index(benchmarks).latest(STATISTICAL_NEIGHBOURS, period_end, range_=True)
        if found is None:
            return None
        published_for, point = found
        low, high = sorted((point.minimum, point.maximum))
        return ResolvedTarget(BETWEEN, low, high, published_for)
    return None


def resolve_bounds(target: TargetRule, period_end: date, benchmarks: "Benchmarks | BenchmarkIndex") -> Bounds | None:
    """The plain rule ('at_least' | 'at_most' | 'between', X, Y) a target means for one period, or None."""
    resolved = resolve_target(target, period_end, benchmarks)
    return resolved.bounds if resolved else None


def rag_status(
    value: Decimal | None, target: TargetRule | None, period_end: date,
    benchmarks: "Benchmarks | BenchmarkIndex" = {},  # noqa: B006 - read only
) -> str:
    if value is None:
        return NO_DATA
    if target is None:
        return NO_TARGET
    bounds = resolve_bounds(target, period_end, benchmarks)
    if bounds is None:
        return NO_TARGET
    rule, x, y = bounds
    if rule == AT_LEAST:
        return rag_at_least(value, x, target.tolerance)
    if rule == AT_MOST:
        return rag_at_most(value, x, target.tolerance)
    return rag_between(value, x, y, target.tolerance)


def direction_of_travel(
    polarity: str, value: Decimal | None, previous: Decimal | None, band: tuple[Decimal, Decimal] | None = None
) -> str:
    """Improving / worsening / no_change against the previous value.

    within_band: both values are measured against `band` (the band in force for the later
    period); a shrinking distance to it is improving.
    """
    if value is None or previous is None:
        return UNKNOWN
    if polarity == HIGHER:
        a, b = value, previous
    elif polarity == LOWER:
        a, b = previous, value
    elif polarity == WITHIN:
        if band is None:
            return UNKNOWN
        a, b = band_distance(previous, *band), band_distance(value, *band)
    else:
        return UNKNOWN
    if a > b:
        return IMPROVING
    if a < b:
        return WORSENING
    return NO_CHANGE


@dataclass(frozen=True)
class Computed:
    period_end: date
    status: str
    direction: str


def compute_series(
    *,
    polarity: str,
    measurements: Iterable[tuple[date, Decimal | None]],
    targets: Sequence[TargetRule],
    benchmarks: "Benchmarks | BenchmarkIndex",
) -> list[Computed]:
    """Status and direction for each of one indicator's measurements (any order in; period order out)."""
    ordered = sorted(measurements, key=lambda m: m[0])
    targets = sorted(targets, key=lambda t: t.starts_on)
    benchmarks = benchmark_index(benchmarks)
    results = []
    previous = None  # the latest earlier measurement that has a value
    for period_end, value in ordered:
        target = target_in_force(targets, period_end)
        status = rag_status(value, target, period_end, benchmarks)
        band = None
        if polarity == WITHIN and target is not None:
            bounds = resolve_bounds(target, period_end, benchmarks)
            if bounds is not None and bounds[0] == BETWEEN:
                band = (bounds[1], bounds[2])
        direction = direction_of_travel(polarity, value, previous, band)
        results.append(Computed(period_end, status, direction))
        if value is not None:
            previous = value
    return results


# Which benchmark a trend chart draws, in order of preference after the one the target follows.
BENCHMARK_LINE_PREFERENCE = ("england", "statistical_neighbours", "region")


def benchmark_line_source(followed: Sequence[str], available: Iterable[str]) -> str | None:
    """The benchmark a KPI's trend chart draws, on its page and in the committee report alike: the
    one the latest target that follows a benchmark names, else England, statistical neighbours,
    region, whichever has figures. `followed` is the targets' sources in date order ("" for none)."""
    available = set(available)
    latest_followed = next((source for source in reversed(followed) if source), "")
    if latest_followed in available:
        return latest_followed
    return next((source for source in BENCHMARK_LINE_PREFERENCE if source in available), None)


def target_lines(
    rules: Sequence[TargetRule], benchmarks: "Benchmarks | BenchmarkIndex", period_ends: Iterable[date]
) -> tuple[list[tuple[date, Decimal]], list[tuple[date, Decimal]]]:
    """The target (and, for ranges, upper) line of a trend chart: the target in force at each period end."""
    target_line, upper_line = [], []
    benchmarks = benchmark_index(benchmarks)
    for period_end in period_ends:
        rule = target_in_force(rules, period_end)
        bounds = resolve_bounds(rule, period_end, benchmarks) if rule else None
        if bounds:
            target_line.append((period_end, bounds[1]))
            if bounds[2] is not None:
                upper_line.append((period_end, bounds[2]))
    return target_line, upper_line
