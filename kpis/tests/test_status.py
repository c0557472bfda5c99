"""The RAG engine: tables of cases for every rule, and hypothesis properties."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpis.status import (
    AMBER,
    GREEN,
    IMPROVING,
    NO_CHANGE,
    NO_DATA,
    NO_TARGET,
    RED,
    UNKNOWN,
    WORSENING,
    BenchmarkPoint,
    TargetRule,
    compute_series,
    direction_of_travel,
    rag_at_least,
    rag_at_most,
    rag_between,
    rag_status,
    resolve_target,
    target_errors,
    target_in_force,
    target_lines,
)

P = date(2025, 3, 31)
START = date(2024, 4, 1)


def rule(kind, value=None, upper=None, benchmark="", tolerance=None, starts_on=START):
    return TargetRule(kind, starts_on, None if value is None else D(value), None if upper is None else D(upper),
                      benchmark, None if tolerance is None else D(tolerance))


@pytest.mark.parametrize("v, x, t, expected", [
    ("85", "85", "5", GREEN), ("90", "85", "5", GREEN), ("84.99", "85", "5", AMBER), ("80", "85", "5", AMBER),
    ("79.99", "85", "5", RED), ("84.9999", "85", None, RED), ("85", "85", None, GREEN), ("85.0", "85", "0", GREEN),
    ("0", "0", "0", GREEN), ("-1", "0", "1", AMBER),
])
def test_at_least(v, x, t, expected):
    assert rag_at_least(D(v), D(x), None if t is None else D(t)) == expected
    assert rag_status(D(v), rule("at_least", x, tolerance=t), P) == expected


@pytest.mark.parametrize("v, x, t, expected", [
    ("22", "22", "2", GREEN), ("10", "22", "2", GREEN), ("22.01", "22", "2", AMBER), ("24", "22", "2", AMBER),
    ("24.0001", "22", "2", RED), ("22.0001", "22", None, RED), ("8", "8", None, GREEN),
])
def test_at_most(v, x, t, expected):
    assert rag_at_most(D(v), D(x), None if t is None else D(t)) == expected
    assert rag_status(D(v), rule("at_most", x, tolerance=t), P) == expected


@pytest.mark.parametrize("v, x, y, t, expected", [
    ("50", "40", "60", "5", GREEN), ("40", "40", "60", "5", GREEN), ("60", "40", "60", "5", GREEN),
    ("35", "40", "60", "5", AMBER), ("65", "40", "60", "5", AMBER), ("34.99", "40", "60", "5", RED),
    ("65.01", "40", "60", "5", RED), ("39", "40", "60", None, RED), ("50", "50", "50", "0", GREEN),
])
def test_between(v, x, y, t, expected):
    assert rag_between(D(v), D(x), D(y), None if t is None else D(t)) == expected
    assert rag_status(D(v), rule("between", x, y, tolerance=t), P) == expected


BENCH = {
    (P, "england"): BenchmarkPoint(value=D("23.3")),
    (P, "region"): BenchmarkPoint(value=D("20")),
    (P, "statistical_neighbours"): BenchmarkPoint(value=D("55"), minimum=D("45"), maximum=D("70")),
}


@pytest.mark.parametrize("kind, source, v, t, expected", [
    ("at_most_benchmark", "england", "23.3", None, GREEN),
    ("at_most_benchmark", "england", "24", "1", AMBER),
    ("at_most_benchmark", "england", "24.4", "1", RED),
    ("at_most_benchmark", "region", "20", None, GREEN),
    ("at_least_benchmark", "england", "23.3", None, GREEN),
    ("at_least_benchmark", "england", "22.3", "1", AMBER),
    ("at_least_benchmark", "england", "22.2", "1", RED),
    ("at_least_benchmark", "statistical_neighbours", "55", None, GREEN),
    ("within_benchmark_range", "", "45", None, GREEN),
    ("within_benchmark_range", "", "70", None, GREEN),
    ("within_benchmark_range", "", "72", "2", AMBER),
    ("within_benchmark_range", "", "42.9", "2", RED),
])
def test_benchmark_targets(kind, source, v, t, expected):
    assert rag_status(D(v), rule(kind, benchmark=source, tolerance=t), P, BENCH) == expected


@pytest.mark.parametrize("target, benchmarks", [
    (rule("at_most_benchmark", benchmark="england"), {}),
    (rule("at_most_benchmark", benchmark="england"), {(date(2026, 3, 31), "england"): BenchmarkPoint(D("1"))}),
    (rule("at_least_benchmark", benchmark="region"), {(P, "england"): BenchmarkPoint(D("1"))}),
    (rule("at_least_benchmark", benchmark="england"), {(P, "england"): BenchmarkPoint(None)}),
    (rule("within_benchmark_range"), {(P, "statistical_neighbours"): BenchmarkPoint(D("5"), D("1"), None)}),
    (rule("within_benchmark_range"), {(P, "england"): BenchmarkPoint(D("5"), D("1"), D("9"))}),
])
def test_no_benchmark_ever_recorded_up_to_the_period_is_no_target(target, benchmarks):
    assert rag_status(D("999"), target, P, benchmarks) == NO_TARGET


# Benchmarks come yearly and late: England's figure for the year ending March 2025 is the last one out.
LATE = {
    (date(2024, 3, 31), "england"): BenchmarkPoint(value=D("40")),
    (date(2025, 3, 31), "england"): BenchmarkPoint(value=D("46.2")),
    (date(2025, 3, 31), "region"): BenchmarkPoint(value=D("44")),
    (date(2026, 3, 31), "region"): BenchmarkPoint(value=None),  # recorded without a figure: not followed
    (date(2024, 3, 31), "statistical_neighbours"): BenchmarkPoint(D("50"), D("30"), D("60")),
    (date(2025, 3, 31), "statistical_neighbours"): BenchmarkPoint(D("55"), None, None),  # average only
}
Q3_2026 = date(2026, 12, 31)


@pytest.mark.parametrize("kind, source, period_end, v, expected, followed", [
    # A benchmark for the value's own period.
    ("at_least_benchmark", "england", date(2025, 3, 31), "46.2", GREEN, date(2025, 3, 31)),
    ("at_least_benchmark", "england", date(2025, 3, 31), "45", AMBER, date(2025, 3, 31)),
    # An earlier one: the latest published for a period ending on or before the value's.
    ("at_least_benchmark", "england", date(2024, 12, 31), "41", GREEN, date(2024, 3, 31)),
    ("at_least_benchmark", "england", Q3_2026, "80", GREEN, date(2025, 3, 31)),
    ("at_least_benchmark", "england", Q3_2026, "44.2", AMBER, date(2025, 3, 31)),
    ("at_least_benchmark", "england", Q3_2026, "40", RED, date(2025, 3, 31)),
    ("at_most_benchmark", "england", Q3_2026, "46.2", GREEN, date(2025, 3, 31)),
    ("at_most_benchmark", "england", Q3_2026, "49", RED, date(2025, 3, 31)),
    # A later benchmark recorded with no figure is passed over for the last one with a figure.
    ("at_most_benchmark", "region", Q3_2026, "45", AMBER, date(2025, 3, 31)),
    ("at_least_benchmark", "statistical_neighbours", Q3_2026, "54", AMBER, date(2025, 3, 31)),
    # A range follows the latest minimum and maximum, even where a later average has none.
    ("within_benchmark_range", "", Q3_2026, "59", GREEN, date(2024, 3, 31)),
    ("within_benchmark_range", "", Q3_2026, "62", AMBER, date(2024, 3, 31)),
    ("within_benchmark_range", "", Q3_2026, "70", RED, date(2024, 3, 31)),
    # None ever recorded up to the value's period.
    ("at_least_benchmark", "england", date(2023, 12, 31), "80", NO_TARGET, None),
    ("within_benchmark_range", "", date(2024, 3, 30), "50", NO_TARGET, None),
])
def test_a_benchmark_target_follows_the_latest_benchmark_published_up_to_the_value(
        kind, source, period_end, v, expected, followed):
    target = rule(kind, benchmark=source, tolerance="2")
    assert rag_status(D(v), target, period_end, LATE) == expected
    resolved = resolve_target(target, period_end, LATE)
    assert (resolved.benchmark_period_end if resolved else None) == followed


def test_the_demo_case_a_quarter_of_2026_27_against_england_last_published_for_2024_25():
    # SC14 at 80.0% against "at least England", England last published for the year to March 2025.
    target = rule("at_least_benchmark", benchmark="england", starts_on=date(2024, 4, 1))
    results = compute_series(polarity="higher_is_better", targets=[target], benchmarks=LATE,
                             measurements=[(date(2026, 9, 30), D("45")), (Q3_2026, D("80"))])
    assert [(r.status, r.direction) for r in results] == [(RED, UNKNOWN), (GREEN, IMPROVING)]
    assert target_lines([target], LATE, [date(2026, 9, 30), Q3_2026]) == (
        [(date(2026, 9, 30), D("46.2")), (Q3_2026, D("46.2"))], [])


@given(
    published=st.dictionaries(st.dates(date(2015, 1, 1), date(2030, 1, 1)),
                              st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=8),
    period_end=st.dates(date(2015, 1, 1), date(2030, 1, 1)),
)
def test_the_benchmark_followed_is_the_latest_with_a_figure_up_to_the_period(published, period_end):
    benchmarks = {(p, "england"): BenchmarkPoint(v) for p, v in published.items()}
    usable = [p for p, v in published.items() if v is not None and p <= period_end]
    resolved = resolve_target(rule("at_least_benchmark", benchmark="england"), period_end, benchmarks)
    if not usable:
        assert resolved is None
    else:
        assert resolved.benchmark_period_end == max(usable)
        assert resolved.low == published[max(usable)]


def test_no_value_is_no_data_even_without_target():
    assert rag_status(None, rule("at_least", "85"), P) == NO_DATA
    assert rag_status(None, None, P) == NO_DATA


def test_no_target_in_force():
    assert rag_status(D("1"), None, P) == NO_TARGET
    later = rule("at_least", "85", starts_on=date(2025, 4, 1))
    assert target_in_force([later], P) is None


def test_target_in_force_is_latest_start_on_or_before_period_end():
    a = rule("at_least", "80", starts_on=date(2023, 4, 1))
    b = rule("at_least", "85", starts_on=date(2024, 4, 1))
    c = rule("at_least", "90", starts_on=date(2025, 4, 1))
    assert target_in_force([c, a, b], P) == b
    assert target_in_force([a, b, c], date(2025, 4, 1)) == c
    assert target_in_force([a, b, c], date(2024, 3, 31)) == a
    assert target_in_force([a, b, c], date(2023, 3, 31)) is None


@pytest.mark.parametrize("polarity, value, previous, band, expected", [
    ("higher_is_better", "5", "4", None, IMPROVING),
    ("higher_is_better", "4", "5", None, WORSENING),
    ("higher_is_better", "5", "5.0", None, NO_CHANGE),
    ("lower_is_better", "5", "4", None, WORSENING),
    ("lower_is_better", "4", "5", None, IMPROVING),
    ("lower_is_better", "4", "4", None, NO_CHANGE),
    ("within_band", "50", "30", ("40", "60"), IMPROVING),
    ("within_band", "30", "50", ("40", "60"), WORSENING),
    ("within_band", "45", "55", ("40", "60"), NO_CHANGE),
    ("within_band", "65", "35", ("40", "60"), NO_CHANGE),
    ("within_band", "62", "70", ("40", "60"), IMPROVING),
    ("within_band", "50", "30", None, UNKNOWN),
    ("higher_is_better", None, "4", None, UNKNOWN),
    ("higher_is_better", "4", None, None, UNKNOWN),
])
def test_direction(polarity, value, previous, band, expected):
    band = tuple(D(b) for b in band) if band else None
    v = None if value is None else D(value)
    p = None if previous is None else D(previous)
    assert direction_of_travel(polarity, v, p, band) == expected


def test_series_uses_latest_earlier_measurement_with_a_value_and_band_of_later_period():
    targets = [rule("between", "40", "60", starts_on=date(2024, 1, 1)),
               rule("between", "0", "10", starts_on=date(2024, 3, 1))]
    results = compute_series(
        polarity="within_band",
        measurements=[(date(2024, 3, 31), D("12")), (date(2024, 1, 31), D("50")), (date(2024, 2, 29), None)],
        targets=targets, benchmarks={},
    )
    assert [(r.period_end, r.status, r.direction) for r in results] == [
        (date(2024, 1, 31), GREEN, UNKNOWN),
        (date(2024, 2, 29), NO_DATA, UNKNOWN),
        # 50 against the later band 0-10 is 40 away; 12 is 2 away: improving, though it moved off green.
        (date(2024, 3, 31), RED, IMPROVING),
    ]


def test_target_errors():
    assert target_errors(kind="at_least", value=D(1), upper=None, benchmark="", tolerance=None) == {}
    assert "value" in target_errors(kind="at_least", value=None, upper=None, benchmark="", tolerance=None)
    assert "upper" in target_errors(kind="between", value=D(5), upper=D(4), benchmark="", tolerance=None)
    errors = target_errors(kind="at_most_benchmark", value=None, upper=None, benchmark="", tolerance=None)
    assert "benchmark_source" in errors
    assert "tolerance" in target_errors(kind="at_most", value=D(1), upper=None, benchmark="", tolerance=D(-1))
    assert "kind" in target_errors(kind="nonsense", value=None, upper=None, benchmark="", tolerance=None)


# --- properties ---------------------------------------------------------------------------------

decimals = st.decimals(min_value=-10**6, max_value=10**6, places=4, allow_nan=False, allow_infinity=False)
tolerances = st.one_of(st.none(), st.decimals(min_value=0, max_value=10**4, places=4))
statuses = {GREEN: 2, AMBER: 1, RED: 0}


@given(v=decimals, x=decimals, t=tolerances)
def test_at_least_matches_definition(v, x, t):
    tol = t or 0
    expected = GREEN if v >= x else AMBER if x - tol <= v < x else RED
    assert rag_at_least(v, x, t) == expected


@given(v=decimals, x=decimals, t=tolerances)
def test_at_most_mirrors_at_least(v, x, t):
    assert rag_at_most(v, x, t) == rag_at_least(-v, -x, t)


@given(v=decimals, x=decimals, y=decimals, t=tolerances)
def test_between_matches_definition(v, x, y, t):
    x, y = min(x, y), max(x, y)
    tol = t or 0
    if x <= v <= y:
        expected = GREEN
    elif min(abs(v - x), abs(v - y)) <= tol:
        expected = AMBER
    else:
        expected = RED
    assert rag_between(v, x, y, t) == expected


@given(v=decimals, x=decimals, t1=tolerances, t2=tolerances)
def test_more_tolerance_never_worsens_status(v, x, t1, t2):
    lo, hi = sorted([t1 or 0, t2 or 0])
    assert statuses[rag_at_least(v, x, hi)] >= statuses[rag_at_least(v, x, lo)]
    assert statuses[rag_at_most(v, x, hi)] >= statuses[rag_at_most(v, x, lo)]


@given(v=decimals, w=decimals, x=decimals, t=tolerances)
def test_higher_value_never_worse_for_at_least(v, w, x, t):
    low, high = sorted([v, w])
    assert statuses[rag_at_least(high, x, t)] >= statuses[rag_at_least(low, x, t)]


@given(x=decimals, t=tolerances)
def test_zero_tolerance_has_no_amber(x, t):
    for v in (x - 1, x, x + 1):
        assert rag_at_least(v, x, D(0)) != AMBER
        assert rag_at_most(v, x, None) != AMBER


@given(kind=st.sampled_from(["at_least", "at_most", "between", "at_most_benchmark", "at_least_benchmark",
                             "within_benchmark_range"]), x=decimals, t=tolerances)
def test_missing_value_is_never_red(kind, x, t):
    target = TargetRule(kind, START, x, x + 1, "england", t)
    assert rag_status(None, target, P, BENCH) == NO_DATA


@given(polarity=st.sampled_from(["higher_is_better", "lower_is_better"]), a=decimals, b=decimals)
def test_direction_is_antisymmetric(polarity, a, b):
    forward, backward = direction_of_travel(polarity, a, b), direction_of_travel(polarity, b, a)
    assert {forward, backward} in ({IMPROVING, WORSENING}, {NO_CHANGE})
    flipped = "lower_is_better" if polarity == "higher_is_better" else "higher_is_better"
    assert direction_of_travel(flipped, a, b) == backward


@given(a=decimals, b=decimals, x=decimals, y=decimals)
def test_within_band_direction_is_antisymmetric(a, b, x, y):
    band = (min(x, y), max(x, y))
    forward, backward = direction_of_travel("within_band", a, b, band), direction_of_travel("within_band", b, a, band)
    assert {forward, backward} in ({IMPROVING, WORSENING}, {NO_CHANGE})


@given(values=st.lists(st.one_of(st.none(), decimals), min_size=1, max_size=12), x=decimals, t=tolerances)
def test_series_matches_pointwise_rules(values, x, t):
    ends = [date(2024, m, 28) for m in range(1, len(values) + 1)]
    target = TargetRule("at_least", date(2024, 1, 1), x, None, "", t)
    results = compute_series(polarity="higher_is_better", measurements=list(zip(ends, values, strict=True)),
                             targets=[target], benchmarks={})
    previous = None
    for result, value in zip(results, values, strict=True):
        assert result.status == rag_status(value, target, result.period_end)
        assert result.direction == direction_of_travel("higher_is_better", value, previous)
        if value is not None:
            previous = value


@pytest.mark.parametrize(
    ("followed", "available", "expected"),
    [
        (["", "region"], {"england", "region"}, "region"),  # the latest target that follows one
        (["region", ""], {"england", "region"}, "region"),
        (["statistical_neighbours"], {"england"}, "england"),  # followed but no figures: England
        ([], {"region", "statistical_neighbours"}, "statistical_neighbours"),
        ([], {"region"}, "region"),
        ([""], set(), None),
    ],
)
def test_benchmark_line_source(followed, available, expected):
    from kpis.status import benchmark_line_source

    assert benchmark_line_source(followed, available) == expected
