from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from outcomes.tests.factories import AgeBandFactory, OutcomeFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework(commissioner):
    from kpis.services import statuses_recompute

    education = ThemeFactory(name="Education", head_of_service="Head of Service for Education", order=1)
    safeguarding = ThemeFactory(name="Safeguarding and Looked After Children", order=2)
    under5 = AgeBandFactory(name="Pre-birth to 4", order=1)
    teens = AgeBandFactory(name="16 to 18", order=4)
    AgeBandFactory(name="19 to 25", order=5)  # no outcomes: the row is left out
    ready = OutcomeFactory(statement="Children are ready for school", theme=education, age_band=under5,
                           owner=commissioner, level_of_need="prevent")
    OutcomeFactory(statement="Young people have a smooth transition to adulthood", theme=safeguarding, age_band=teens)
    kpi = IndicatorFactory(code="ED01", theme=education)
    kpi.outcomes.add(ready)
    TargetFactory(indicator=kpi, value=D(70), tolerance=None)
    MeasurementFactory(indicator=kpi, period_end=date(2025, 3, 31), value=D(65))
    statuses_recompute()
    return ready


def test_grid_shows_outcomes_by_theme_and_age_band_with_owner_and_rag(viewer_client, framework):
    response = viewer_client.get(reverse("outcomes:index"))
    html = response.content.decode()
    rows = response.context["rows"]
    assert [r["band"].name for r in rows] == ["Pre-birth to 4", "16 to 18"]
    assert [len(c) for c in rows[0]["cells"]] == [1, 0]
    assert "Children are ready for school" in html and "Head of Service for Education" in html
    assert "Commissioner Tester" in html and "Prevent" in html
    assert "ED01" in html and ">Red<" in html


def test_grid_filters_by_theme_and_ignores_bad_values(viewer_client, framework):
    html = viewer_client.get(reverse("outcomes:index") + f"?theme={framework.theme_id}").content.decode()
    assert "smooth transition" not in html
    assert viewer_client.get(reverse("outcomes:index") + "?theme=x'").status_code == 200


def test_outcome_page(viewer_client, framework):
    html = viewer_client.get(reverse("outcomes:detail", kwargs={"pk": framework.pk})).content.decode()
    assert "Children are ready for school" in html and "ED01" in html and "Red" in html
    assert reverse("record_history", args=["outcomes", "outcome", framework.pk]) in html


def test_grid_query_count_is_constant(viewer_client, framework, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        viewer_client.get(reverse("outcomes:index"))
    for i in range(20):
        outcome = OutcomeFactory(theme=framework.theme, age_band=framework.age_band)
        IndicatorFactory(code=f"X{i:02d}", theme=framework.theme).outcomes.add(outcome)
    with django_assert_num_queries(len(ctx.captured_queries)):
        viewer_client.get(reverse("outcomes:index"))
