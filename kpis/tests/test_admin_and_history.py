from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kpis.models import Measurement
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db


def test_admin_edit_of_a_value_recomputes_its_status(admin_user_client, django_capture_on_commit_callbacks):
    indicator = IndicatorFactory()
    TargetFactory(indicator=indicator, value=D(80), tolerance=None)
    m = MeasurementFactory(indicator=indicator, value=D(90))
    url = reverse("admin:kpis_measurement_change", args=[m.pk])
    assert admin_user_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_user_client.post(url, {"indicator": indicator.pk, "period_end": "2025-03-31", "value": "70",
                                                "note": "Corrected"})
    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.value, m.status) == (D(70), "red")
    for name in ("indicator", "target", "benchmark", "measurement"):
        assert admin_user_client.get(reverse(f"admin:kpis_{name}_changelist")).status_code == 200
    for name in ("theme", "ageband", "outcome"):
        assert admin_user_client.get(reverse(f"admin:outcomes_{name}_changelist")).status_code == 200


def test_history_pages_show_changes_to_values(commissioner_client, commissioner, django_capture_on_commit_callbacks):
    from kpis.services import measurement_record

    indicator = IndicatorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        m = measurement_record(indicator=indicator, period_end=date(2025, 3, 31), value=D(50), user=commissioner,
                               today=date(2026, 1, 1))
        measurement_record(indicator=indicator, period_end=date(2025, 3, 31), value=D(55), user=commissioner,
                           today=date(2026, 1, 1))
    assert Measurement.history.filter(id=m.pk).count() == 2  # status recomputes add no history
    response = commissioner_client.get(reverse("record_history", args=["kpis", "measurement", m.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "55" in html and "50" in html
    page = commissioner_client.get(reverse("record_history", args=["kpis", "indicator", indicator.pk]))
    assert page.status_code == 200 and "System" in page.content.decode()


def test_a_broker_outage_does_not_fail_the_write(commissioner, django_capture_on_commit_callbacks, monkeypatch):
    from kombu.exceptions import OperationalError

    from kpis import services, tasks

    def down(**kwargs):
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks.kpi_statuses_recompute, "delay", down)
    indicator = IndicatorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_record(indicator=indicator, period_end=date(2025, 3, 31), value=D(50),
                                    user=commissioner, today=date(2026, 1, 1))
    assert Measurement.objects.filter(indicator=indicator).exists()
