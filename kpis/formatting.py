"""How values and targets read on screen and in reports."""

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from core.formatting import format_money
from core.suppression import is_small

from .status import (
    AT_LEAST,
    AT_LEAST_BENCHMARK,
    AT_MOST,
    AT_MOST_BENCHMARK,
    BETWEEN,
    WITHIN_BENCHMARK_RANGE,
    resolve_target,
)


def format_value(value: Decimal | None, *, unit: str, decimals: int = 1, rate_per: int | None = None) -> str:
    """A value in its KPI's unit: "46.2%", "£4,250", "12 days", "58.3 per 10,000" (a rate read without its
    base is a bare number that could be anything)."""
    if value is None:
        return "No data"
    quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    rounded = value.quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}"
    if unit == "percentage":
        return f"{text}%"
    if unit == "money":  # whole pounds, or pence for a unit price kept to 2 places (a weekly cost)
        return format_money(value, places=2 if decimals >= 2 else 0)
    if unit == "days":
        return f"{text} days"
    if unit == "rate" and rate_per:
        return f"{text} per {rate_per:,}"
    return text


def format_indicator_value(indicator, value: Decimal | None) -> str:
    """A value of this KPI in its unit (format_value)."""
    return format_value(value, unit=indicator.unit, decimals=indicator.decimals, rate_per=indicator.rate_per)


def chart_unit(indicator) -> str:
    """What a trend chart writes after each figure in its tooltips and description: "%", " per 10,000", " days"."""
    if indicator.unit == "percentage":
        return "%"
    if indicator.unit == "rate" and indicator.rate_per:
        return f" per {indicator.rate_per:,}"
    return " days" if indicator.unit == "days" else ""


def hides_small_count(*, counts_children: bool, unit: str, value, numerator=None, denominator=None) -> bool:
    """Whether a value must leave the system as [c]: a count of 1 to 5 children, or a rate or
    percentage worked out from one."""
    if not counts_children:
        return False
    if unit == "count" and is_small(value):
        return True
    return is_small(numerator) or is_small(denominator)


_SOURCE_NAMES = {"england": "England", "region": "region", "statistical_neighbours": "statistical neighbours' average"}
_SOURCE_FIGURE = {"england": "the England figure", "region": "the regional figure",
                  "statistical_neighbours": "the statistical neighbours' average"}


def benchmark_period_label(period_end: date) -> str:
    """'2025/26' for a benchmark for the year ending 31 March 2026; 'December 2025' for any other period."""
    if (period_end.month, period_end.day) == (3, 31):
        return f"{period_end.year - 1}/{period_end.year % 100:02d}"
    return f"{period_end:%B %Y}"


def describe_target(
    rule, *, unit: str, decimals: int = 1, rate_per: int | None = None, period_end: date | None = None,
    benchmarks: Mapping = {},  # read only
) -> str:
    """A target as the figures it means for one period, in the KPI's unit, with its amber band:
    "At least 46.2% (England, 2025/26); amber from 44.2%", "Between 55.0 and 75.0 (statistical neighbours'
    range, 2025/26)". `rule` is a kpis.status.TargetRule. A benchmark target names the period of the benchmark
    it follows (the latest published for a period up to `period_end`, kpis.status.resolve_target); with none
    ever recorded it names the benchmark and says so. The dashboard, the KPI page, exports and the committee
    report all print targets through this one function, so they say the same thing."""

    def fig(value) -> str:
        return format_value(value, unit=unit, decimals=decimals, rate_per=rate_per)

    tolerance = rule.tolerance or Decimal(0)
    fixed = rule.kind in (AT_LEAST, AT_MOST, BETWEEN)
    resolved = resolve_target(rule, period_end or date.min, benchmarks) if period_end or fixed else None
    bounds = resolved.bounds if resolved else None
    where = ""
    if resolved and resolved.benchmark_period_end:
        name = "statistical neighbours' range" if rule.kind == WITHIN_BENCHMARK_RANGE else _SOURCE_NAMES.get(
            rule.benchmark, "benchmark")
        where = f" ({name}, {benchmark_period_label(resolved.benchmark_period_end)})"
    if bounds is None and not fixed:
        figure = _SOURCE_FIGURE.get(rule.benchmark, "the benchmark")
        text = {
            AT_LEAST_BENCHMARK: f"At least {figure}",
            AT_MOST_BENCHMARK: f"At most {figure}",
            WITHIN_BENCHMARK_RANGE: "Within the statistical neighbours' range",
        }.get(rule.kind, rule.kind)
        if period_end:
            text += " (no figure recorded yet)"
        if tolerance:
            text += f"; amber within {fig(tolerance)}"
        return text
    if bounds is None:  # a fixed target with its figures missing (refused by validation; kept readable)
        return rule.kind.replace("_", " ").capitalize()
    kind, low, high = bounds
    if kind == AT_LEAST:
        text = f"At least {fig(low)}{where}"
        amber = f"amber from {fig(low - tolerance)}"
    elif kind == AT_MOST:
        text = f"At most {fig(low)}{where}"
        amber = f"amber up to {fig(low + tolerance)}"
    else:
        text = f"Between {fig(low)} and {fig(high)}{where}"
        amber = f"amber from {fig(low - tolerance)} to {fig(high + tolerance)}"
    return f"{text}; {amber}" if tolerance else text


def describe_indicator_target(indicator, rule, *, period_end: date | None, benchmarks: Mapping = {}) -> str:
    """describe_target in an indicator's own unit; "No target set" when no target is in force."""
    if rule is None:
        return "No target set"
    return describe_target(rule, unit=indicator.unit, decimals=indicator.decimals, rate_per=indicator.rate_per,
                           period_end=period_end, benchmarks=benchmarks)
