from datetime import date
from decimal import Decimal as D

import pytest

from core.charts import trend_chart_svg
from kpis.computed import computed_measures_fill
from kpis.measures import MeasureValue, get_measure, register_measure, unregister_measure
from kpis.periods import latest_complete_period_end, recent_period_ends
from kpis.tests.factories import IndicatorFactory, TargetFactory


@pytest.fixture
def stability_measure():
    calls = []

    def compute(start, end):
        calls.append((start, end))
        return MeasureValue(value=D("7.5"), numerator=D(3), denominator=D(40))

    register_measure("test.stability", label="Placement stability", unit="percentage", compute=compute)
    yield calls
    unregister_measure("test.stability")


@pytest.mark.django_db
def test_computed_measures_fill_and_recompute(stability_measure):
    indicator = IndicatorFactory(code="PL01", measure_key="test.stability", polarity="lower_is_better",
                                 frequency="quarterly")
    TargetFactory(indicator=indicator, kind="at_most", value=D(8))
    IndicatorFactory(code="PL02", measure_key="nobody.registers.this")
    counts = computed_measures_fill(periods=4, today=date(2026, 11, 23))
    assert counts == {"created": 4, "updated": 0, "unchanged": 0, "skipped": 1}
    assert stability_measure[-1] == (date(2026, 7, 1), date(2026, 9, 30))
    assert list(indicator.measurements.values_list("status", flat=True)) == ["green"] * 4
    indicator.refresh_from_db()
    assert indicator.data_source == "computed"
    assert computed_measures_fill(periods=4, today=date(2026, 11, 23))["unchanged"] == 4


def test_a_measure_key_registered_twice_with_a_different_measure_raises():
    def compute(start, end):
        return None

    register_measure("test.x", label="A", unit="count", compute=compute)
    try:
        register_measure("test.x", label="A", unit="count", compute=compute)  # the same again: harmless
        with pytest.raises(ValueError, match="'test.x' is already registered"):
            register_measure("test.x", label="B", unit="count", compute=compute)
        assert get_measure("test.x").label == "A"
    finally:
        unregister_measure("test.x")
    assert get_measure("test.x") is None


def test_periods():
    assert latest_complete_period_end(date(2026, 11, 23), "monthly") == date(2026, 10, 31)
    assert latest_complete_period_end(date(2026, 11, 23), "annual") == date(2026, 3, 31)
    assert recent_period_ends(date(2026, 1, 5), "quarterly", 2) == [date(2025, 9, 30), date(2025, 12, 31)]


def test_chart_is_accessible_svg_with_target_and_benchmark_lines():
    points = [(date(2025, m, 28), D(m)) for m in range(1, 13)] + [(date(2026, 1, 31), None)]
    svg = trend_chart_svg(points, target=D(8), benchmark=[(date(2025, 3, 31), D(5))], title="SC01 <trend>",
                          unit="%")
    assert svg.startswith("<svg") and 'role="img"' in svg and "SC01 &lt;trend&gt;" in svg
    assert "Target: 8.0" in svg and "Benchmark" in svg and "latest 12.0%" in svg
    assert "<script" not in svg
    assert "No data yet" in trend_chart_svg([], title="Empty")


@pytest.mark.django_db
def test_fill_command(stability_measure, capsys):
    from django.core.management import call_command

    IndicatorFactory(code="PL01", measure_key="test.stability", frequency="monthly")
    call_command("kpi_fill_computed", "--periods", "2")
    assert capsys.readouterr().out.strip() == "2 created, 0 updated, 0 unchanged, 0 skipped"
