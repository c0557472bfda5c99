"""A computed KPI's measure is one an app registers: picked from a list in the admin, refused when unknown, and
reported by `check --database` for rows that name one no app registers."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kpis.measures import measure_choices
from kpis.models import Indicator
from kpis.tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def test_the_admin_offers_the_registered_measures_by_name(admin_user_client):
    indicator = IndicatorFactory(code="SC09", measure_key="placements.stability_3plus")
    page = admin_user_client.get(reverse("admin:kpis_indicator_change", args=[indicator.pk])).content.decode()
    assert '<select name="measure_key"' in page
    assert "None: the KPI is entered or imported" in page
    for key, label in measure_choices():
        assert f'<option value="{key}"' in page, label
    assert '<option value="placements.stability_3plus" selected>' in page


def test_a_measure_no_app_registers_is_refused_with_a_message():
    indicator = IndicatorFactory.build(measure_key="placements.stabilty_3plus")  # a typo
    with pytest.raises(ValidationError) as refused:
        indicator.clean()
    assert refused.value.message_dict == {"measure_key": [
        "No measure is registered as placements.stabilty_3plus: choose one from the list, or leave it empty for a "
        "KPI entered or imported"
    ]}
    IndicatorFactory.build(measure_key="placements.stability_3plus").clean()
    IndicatorFactory.build(measure_key="").clean()


def test_the_database_check_names_each_kpi_with_an_unknown_measure(django_assert_max_num_queries):
    IndicatorFactory(code="SC09", measure_key="placements.stability_3plus")
    IndicatorFactory(code="PL02", measure_key="nobody.registers.this")
    IndicatorFactory(code="PL03", measure_key="")
    assert [e for e in Indicator.check() if e.id == "kpis.E001"] == []  # no database given: no query
    with django_assert_max_num_queries(2):  # the table list, then the keys
        errors = [e for e in Indicator.check(databases=["default"]) if e.id == "kpis.E001"]
    assert [e.msg for e in errors] == [
        "KPIs name a measure no app registers, so the nightly fill skips them: PL02 (nobody.registers.this)"
    ]
