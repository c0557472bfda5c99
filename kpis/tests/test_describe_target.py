"""A target reads as the figures it means for a period, in the KPI's unit, with its amber band: one function for
the dashboard, the KPI page and the committee report."""

from datetime import date
from decimal import Decimal as D

import pytest

from kpis.formatting import describe_target, format_value
from kpis.status import BenchmarkPoint, TargetRule

YEAR_END = date(2026, 3, 31)
START = date(2025, 4, 1)
BENCHMARKS = {
    (YEAR_END, "england"): BenchmarkPoint(value=D("46.2")),
    (YEAR_END, "region"): BenchmarkPoint(value=D("44.05")),
    (YEAR_END, "statistical_neighbours"): BenchmarkPoint(value=D("61"), minimum=D("55"), maximum=D("75")),
    (date(2025, 12, 31), "england"): BenchmarkPoint(value=D("45")),
}


@pytest.mark.parametrize(
    "rule, unit, expected",
    [
        (TargetRule("at_least", START, value=D(85), tolerance=D(5)), "percentage", "At least 85.0%; amber from 80.0%"),
        (TargetRule("at_least", START, value=D(85)), "percentage", "At least 85.0%"),
        (TargetRule("at_most", START, value=D(22), tolerance=D(2)), "percentage", "At most 22.0%; amber up to 24.0%"),
        (
            TargetRule("between", START, value=D(40), upper=D(60), tolerance=D("2.5")),
            "days",
            "Between 40.0 days and 60.0 days; amber from 37.5 days to 62.5 days",
        ),
        (TargetRule("at_most", START, value=D(900), tolerance=D(50)), "money", "At most £900; amber up to £950"),
        (
            TargetRule("at_least_benchmark", START, benchmark="england", tolerance=D(2)),
            "percentage",
            "At least 46.2% (England, 2025/26); amber from 44.2%",
        ),
        (TargetRule("at_most_benchmark", START, benchmark="region"), "percentage", "At most 44.1% (region, 2025/26)"),
        (
            TargetRule("at_least_benchmark", START, benchmark="statistical_neighbours", tolerance=D(1)),
            "count",
            "At least 61.0 (statistical neighbours' average, 2025/26); amber from 60.0",
        ),
        (
            TargetRule("within_benchmark_range", START, tolerance=D(2)),
            "count",
            "Between 55.0 and 75.0 (statistical neighbours' range, 2025/26); amber from 53.0 to 77.0",
        ),
        (
            TargetRule("within_benchmark_range", START),
            "count",
            "Between 55.0 and 75.0 (statistical neighbours' range, 2025/26)",
        ),
    ],
)
def test_each_kind_reads_as_figures_with_units(rule, unit, expected):
    assert describe_target(rule, unit=unit, decimals=1, period_end=YEAR_END, benchmarks=BENCHMARKS) == expected


@pytest.mark.parametrize("value, decimals, expected", [
    ("1234.5", 1, "£1,235"), ("-33318.36", 0, "\u2212£33,318"), ("872.405", 2, "£872.41"), (None, 2, "No data"),
])
def test_a_money_kpi_reads_as_money(value, decimals, expected):
    assert format_value(None if value is None else D(value), unit="money", decimals=decimals) == expected


def test_a_rate_names_its_base_and_a_quarter_names_its_month():
    rule = TargetRule("at_most_benchmark", START, benchmark="england", tolerance=D(3))
    assert describe_target(
        rule, unit="rate", decimals=0, rate_per=10000, period_end=date(2025, 12, 31), benchmarks=BENCHMARKS
    ) == ("At most 45 per 10,000 (England, December 2025); amber up to 48 per 10,000")


@pytest.mark.parametrize(
    "rule, period_end, expected",
    [
        # England's figure for 2026/27 is not out: the target follows the latest one published.
        (
            TargetRule("at_least_benchmark", START, benchmark="england", tolerance=D(2)),
            date(2027, 3, 31),
            "At least 46.2% (England, 2025/26); amber from 44.2%",
        ),
        # A quarter follows the benchmark published for the latest period ending on or before it.
        (
            TargetRule("at_least_benchmark", START, benchmark="england"),
            date(2026, 1, 31),
            "At least 45.0% (England, December 2025)",
        ),
        (
            TargetRule("within_benchmark_range", START),
            date(2026, 12, 31),
            "Between 55.0% and 75.0% (statistical neighbours' range, 2025/26)",
        ),
        (
            TargetRule("at_most_benchmark", START, benchmark="region"),
            date(2026, 6, 30),
            "At most 44.1% (region, 2025/26)",
        ),
    ],
)
def test_a_benchmark_target_follows_the_latest_benchmark_published_and_names_it(rule, period_end, expected):
    assert describe_target(rule, unit="percentage", period_end=period_end, benchmarks=BENCHMARKS) == expected


@pytest.mark.parametrize(
    "rule, expected",
    [
        (
            TargetRule("at_least_benchmark", START, benchmark="england", tolerance=D(2)),
            "At least the England figure (no figure recorded yet); amber within 2.0%",
        ),
        (
            TargetRule("at_most_benchmark", START, benchmark="statistical_neighbours"),
            "At most the statistical neighbours' average (no figure recorded yet)",
        ),
        (
            TargetRule("within_benchmark_range", START),
            "Within the statistical neighbours' range (no figure recorded yet)",
        ),
    ],
)
def test_a_benchmark_target_with_no_figure_ever_recorded_says_so(rule, expected):
    # Only later benchmarks exist: none was published for a period up to the value's.
    assert describe_target(rule, unit="percentage", period_end=date(2025, 6, 30), benchmarks=BENCHMARKS) == expected
    assert describe_target(rule, unit="percentage", period_end=date(2025, 6, 30), benchmarks={}) == expected


def test_with_no_period_a_benchmark_target_names_its_benchmark():
    rule = TargetRule("at_least_benchmark", START, benchmark="region", tolerance=D(1))
    assert describe_target(rule, unit="percentage") == "At least the regional figure; amber within 1.0%"


def test_a_rate_carries_its_base_in_tables_and_charts():
    from types import SimpleNamespace

    from kpis.formatting import chart_unit

    assert format_value(D("58.34"), unit="rate", decimals=1, rate_per=10000) == "58.3 per 10,000"
    assert format_value(D("376"), unit="rate", decimals=0, rate_per=100000) == "376 per 100,000"
    assert format_value(D("1.5"), unit="ratio", decimals=1, rate_per=None) == "1.5"
    rate = SimpleNamespace(unit="rate", rate_per=10000)
    assert [chart_unit(rate), chart_unit(SimpleNamespace(unit="percentage", rate_per=None))] == [" per 10,000", "%"]
