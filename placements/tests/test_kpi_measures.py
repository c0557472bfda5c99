"""Placement KPIs turn red or green from system data, without anyone typing a number."""

from datetime import date
from decimal import Decimal

from kpis.computed import computed_measures_fill
from kpis.measures import get_measure
from kpis.models import Measurement
from kpis.tests.factories import IndicatorFactory, TargetFactory
from placements.measures import MEASURES
from placements.tests.factories import PlacementFactory
from placements.tests.test_selectors import scenario  # noqa: F401 - fixture


def test_every_placement_measure_is_registered():
    for key, label, unit, _ in MEASURES:
        measure = get_measure(key)
        assert measure is not None and measure.label == label and measure.unit == unit


def test_stability_indicator_is_filled_and_turns_red(scenario, django_capture_on_commit_callbacks):  # noqa: F811
    indicator = IndicatorFactory(code="PL1", unit="percentage", polarity="lower_is_better", frequency="annual",
                                 measure_key="placements.stability_3plus")
    TargetFactory(indicator=indicator, kind="at_most", value=Decimal("8"), tolerance=Decimal("1"))
    with django_capture_on_commit_callbacks(execute=True):
        computed_measures_fill(periods=1, today=date(2025, 4, 15))
    measurement = Measurement.objects.get(indicator=indicator)
    assert measurement.period_end == date(2025, 3, 31)
    assert (measurement.value, measurement.numerator, measurement.denominator) == (
        Decimal("33.3"), Decimal("1"), Decimal("3"))
    assert measurement.status == "red"


def test_looked_after_count_indicator_turns_green(db, django_capture_on_commit_callbacks):
    for _ in range(4):
        PlacementFactory(start=date(2024, 1, 1))
    PlacementFactory(start=date(2024, 1, 1), legal_status="V4")  # short breaks are not counted
    indicator = IndicatorFactory(code="PL2", unit="count", polarity="lower_is_better", frequency="quarterly",
                                 measure_key="placements.looked_after")
    TargetFactory(indicator=indicator, kind="at_most", value=Decimal("5"), tolerance=Decimal("1"))
    with django_capture_on_commit_callbacks(execute=True):
        computed_measures_fill(periods=2, today=date(2025, 4, 15))
    values = list(Measurement.objects.filter(indicator=indicator).order_by("period_end")
                  .values_list("period_end", "value", "status"))
    assert values == [(date(2024, 12, 31), Decimal("4"), "green"), (date(2025, 3, 31), Decimal("4"), "green")]


def test_importing_a_return_fills_the_computed_kpis(db, placements_officer, django_capture_on_commit_callbacks):
    from placements.importers import import_903
    from placements.tests.test_import_903 import tables

    indicator = IndicatorFactory(code="PL3", unit="count", polarity="lower_is_better", frequency="monthly",
                                 measure_key="placements.looked_after")
    TargetFactory(indicator=indicator, kind="at_most", value=Decimal("1"), tolerance=Decimal("0"))
    with django_capture_on_commit_callbacks(execute=True):
        import_903(*tables(), user=placements_officer)
    latest = Measurement.objects.filter(indicator=indicator).order_by("-period_end").first()
    assert latest is not None and latest.value == Decimal("2") and latest.status == "red"
