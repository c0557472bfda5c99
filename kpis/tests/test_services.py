from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from kpis import services
from kpis.models import Measurement
from kpis.tests.factories import BenchmarkFactory, IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


def _statuses(indicator):
    return list(indicator.measurements.order_by("period_end").values_list("period_end", "status", "direction"))


def test_recompute_sets_status_and_direction_and_is_idempotent():
    indicator = IndicatorFactory(polarity="lower_is_better", unit="percentage")
    TargetFactory(indicator=indicator, kind="at_most", value=D("22"), tolerance=D("2"), starts_on=date(2024, 4, 1))
    for end, value in [(date(2025, 1, 31), "25"), (date(2025, 2, 28), "23"), (date(2025, 3, 31), None),
                       (date(2025, 4, 30), "21")]:
        MeasurementFactory(indicator=indicator, period_end=end, value=None if value is None else D(value))
    assert services.statuses_recompute() == 3  # the no-data row already holds its defaults
    assert _statuses(indicator) == [
        (date(2025, 1, 31), "red", "unknown"),
        (date(2025, 2, 28), "amber", "improving"),
        (date(2025, 3, 31), "no_data", "unknown"),
        (date(2025, 4, 30), "green", "improving"),
    ]
    assert services.statuses_recompute() == 0  # nothing changes the second time
    assert services.statuses_recompute(indicator_ids=[indicator.pk]) == 0


def test_benchmark_target_follows_the_benchmark_for_the_same_period():
    indicator = IndicatorFactory(polarity="lower_is_better")
    TargetFactory(indicator=indicator, kind="at_most_benchmark", value=None, benchmark_source="england",
                  tolerance=None, starts_on=date(2020, 1, 1))
    BenchmarkFactory(indicator=indicator, period_end=date(2025, 3, 31), source="england", value=D("23.3"))
    MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=D("20"))
    MeasurementFactory(indicator=indicator, period_end=date(2024, 3, 31), value=D("20"))
    services.statuses_recompute()
    assert [s for _, s, _ in _statuses(indicator)] == ["no_target", "green"]


def test_recording_a_value_queues_the_recompute_on_commit(commissioner, django_capture_on_commit_callbacks):
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        m = services.measurement_record(indicator=indicator, period_end=date(2025, 3, 31), value=D("81"),
                                        user=commissioner, today=TODAY)
    assert len(callbacks) == 1
    m.refresh_from_db()
    assert (m.status, m.entered_by) == ("amber", commissioner)
    assert m.history.first().history_user == commissioner


def test_changing_a_target_recomputes(commissioner, django_capture_on_commit_callbacks):
    indicator = IndicatorFactory()
    m = MeasurementFactory(indicator=indicator, value=D("81"))
    with django_capture_on_commit_callbacks(execute=True):
        services.target_set(indicator=indicator, starts_on=date(2024, 4, 1), kind="at_least", value=D("80"),
                            user=commissioner)
    m.refresh_from_db()
    assert m.status == "green"
    with django_capture_on_commit_callbacks(execute=True):
        services.target_set(indicator=indicator, starts_on=date(2024, 4, 1), kind="at_least", value=D("90"),
                            tolerance=D("5"), user=commissioner)
    m.refresh_from_db()
    assert m.status == "red"
    with django_capture_on_commit_callbacks(execute=True):
        services.benchmark_record(indicator=indicator, period_end=date(2025, 3, 31), source="england",
                                  value=D("80"), user=commissioner)
        services.target_set(indicator=indicator, starts_on=date(2025, 1, 1), kind="at_least_benchmark",
                            benchmark_source="england", user=commissioner)
    m.refresh_from_db()
    assert m.status == "green"


@pytest.mark.parametrize("kwargs, field", [
    ({"period_end": date(2025, 3, 30)}, "period_end"),
    ({"period_end": date(2027, 1, 31)}, "period_end"),
    ({"value": D("101")}, "value"),
    ({"value": D("-1")}, "value"),
    ({"numerator": D("5")}, "denominator"),
    ({"numerator": D("5"), "denominator": D("0")}, "denominator"),
])
def test_measurement_validation(commissioner, kwargs, field):
    indicator = IndicatorFactory()
    args = {"period_end": date(2025, 3, 31), "value": D("50")} | kwargs
    with pytest.raises(ValidationError) as exc:
        services.measurement_record(indicator=indicator, user=commissioner, today=TODAY, **args)
    assert field in exc.value.message_dict
    assert not Measurement.objects.exists()


def test_quarterly_values_must_fall_on_a_quarter_end(commissioner):
    indicator = IndicatorFactory(frequency="quarterly", unit="count")
    with pytest.raises(ValidationError, match="quarter"):
        services.measurement_record(indicator=indicator, period_end=date(2025, 2, 28), value=D(3),
                                    user=commissioner, today=TODAY)
    with pytest.raises(ValidationError, match="whole number"):
        services.measurement_record(indicator=indicator, period_end=date(2025, 3, 31), value=D("3.5"),
                                    user=commissioner, today=TODAY)


def test_task_retries_on_operational_error():
    from django.db import OperationalError

    from kpis.tasks import kpi_statuses_recompute

    assert OperationalError in kpi_statuses_recompute.autoretry_for
    assert kpi_statuses_recompute.max_retries == 5
