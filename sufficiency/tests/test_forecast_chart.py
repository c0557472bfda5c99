"""The forecast page's charts (what happened, then the forecast in its range; the backtest) and deleting a
scenario."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.charts import trend_chart_svg
from sufficiency.models import ForecastRun, Scenario
from sufficiency.tests.test_views import stored_run

pytestmark = pytest.mark.django_db

BACKTEST_MONTH = {"forecast": 50.0, "actual": 52.0, "low": 45.0, "high": 56.0, "by_category": {}}


def with_history(run, *, months=24):
    """The run with what happened at each month end of its reference window (April 2023 to March 2025)."""
    run.result["history"] = [{"date": f"{2023 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}-28", "total": 40.0 + i / 2}
                             for i in range(months)]
    run.result["backtest"]["months"] = [
        {"date": f"{2024 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}-28", **BACKTEST_MONTH} for i in range(12)]
    run.save()
    return run


def figure(html, element_id):
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</figure>", start)]


def details(html, element_id):
    start = html.index(f'id="{element_id}"')
    return html[start:html.index("</details>", start)]


def polyline_points(svg):
    return [len(points.split()) for points in re.findall(r'<polyline points="([^"]*)"', svg)]


def test_the_chart_shows_what_happened_then_the_forecast_in_its_range(viewer_client):
    with_history(stored_run())
    html = viewer_client.get(reverse("sufficiency:forecast")).content.decode()
    chart = figure(html, "forecast-chart")
    assert "<title" in chart and "Children looked after by month: what happened, then the forecast" in chart
    # 24 months that happened (a marker each), then the 60-month forecast
    assert polyline_points(chart) == [60, 24]
    assert chart.count("<circle") == 24
    band = re.search(r'<polygon points="([^"]*)"', chart).group(1)
    assert len(band.split()) == 120  # the top of the range over 60 months, then its bottom back
    assert "24 values from Apr 2023 to Mar 2025; latest 52" in chart
    assert "forecast from Apr 2025 to Mar 2030, 55 at the end; likely range (95%) at the end 48 to 62" in chart
    assert "Dotted line" not in chart  # no scenario chosen
    table = details(html, "forecast-chart-table")
    assert table.count("<tr") == 1 + 24 + 60 and "48 to 62" in table and "March 2025" in table


def test_the_backtest_chart_shows_the_forecast_against_what_happened(viewer_client):
    with_history(stored_run())
    html = viewer_client.get(reverse("sufficiency:forecast")).content.decode()
    chart = figure(html, "backtest-chart")
    assert polyline_points(chart) == [12, 12] and chart.count("<circle") == 12
    assert "12 values from Apr 2024 to Mar 2025; latest 52" in chart
    table = details(html, "backtest-table")
    assert table.count("<tr") == 1 + 12 and "45 to 56" in table


def test_a_chosen_scenario_is_drawn_beside_the_baseline(commissioner_client, commissioner):
    scenario = Scenario.objects.create(name="Edge of care", entry_change_percent=-10, created_by=commissioner)
    with_history(stored_run(scenarios=[scenario]))
    html = commissioner_client.get(reverse("sufficiency:forecast"), {"scenario": scenario.pk}).content.decode()
    chart = figure(html, "forecast-chart")
    assert polyline_points(chart) == [60, 60, 24]
    assert "Dotted line: the scenario 'Edge of care'" in chart and "edge of care from Apr 2025" in chart
    table = details(html, "forecast-chart-table")
    assert ">53<" in table


def test_a_run_from_before_history_was_kept_still_draws_the_forecast(viewer_client):
    stored_run()
    chart = figure(viewer_client.get(reverse("sufficiency:forecast")).content.decode(), "forecast-chart")
    assert polyline_points(chart) == [60] and "No data yet" not in chart


def test_the_forecast_page_runs_the_same_queries_with_a_scenario_on_the_chart(commissioner_client, commissioner,
                                                                             django_assert_max_num_queries):
    with_history(stored_run())
    with CaptureQueriesContext(connection) as plain:
        commissioner_client.get(reverse("sufficiency:forecast"))
    scenarios = [Scenario.objects.create(name=f"S{i}", extra_foster_places=i + 1, created_by=commissioner)
                 for i in range(4)]
    with_history(stored_run(scenarios=scenarios))
    with django_assert_max_num_queries(len(plain.captured_queries)):
        response = commissioner_client.get(reverse("sufficiency:forecast"), {"scenario": scenarios[2].pk})
    assert response.status_code == 200 and "the scenario 'S2'" in response.content.decode()


def test_commissioners_delete_a_scenario_after_confirming(commissioner_client, commissioner,
                                                         django_capture_on_commit_callbacks):
    scenario = Scenario.objects.create(name="Edge of care", entry_change_percent=-10, created_by=commissioner)
    stored_run(scenarios=[scenario])
    page = commissioner_client.get(reverse("sufficiency:forecast")).content.decode()
    assert reverse("sufficiency:scenario_delete", args=[scenario.pk]) in page
    confirm = commissioner_client.get(reverse("sufficiency:scenario_delete", args=[scenario.pk])).content.decode()
    assert "Are you sure you want to delete the scenario 'Edge of care'?" in confirm
    assert Scenario.objects.filter(pk=scenario.pk).exists()  # asking deletes nothing
    with django_capture_on_commit_callbacks(execute=False):
        response = commissioner_client.post(reverse("sufficiency:scenario_delete", args=[scenario.pk]), follow=True)
    html = response.content.decode()
    assert "Scenario &#x27;Edge of care&#x27; deleted" in html
    assert not Scenario.objects.filter(pk=scenario.pk).exists()
    deleted = Scenario.history.get(id=scenario.pk, history_type="-")
    assert deleted.history_user == commissioner and deleted.name == "Edge of care"
    assert ForecastRun.objects.filter(status="queued", requested_by=commissioner).exists()
    # the stored run still names it until the new run finishes; the page leaves it out
    table = html[html.index('id="scenario-table"'):]
    assert "Edge of care" not in table[:table.index("</table>")]


def test_viewers_cannot_delete_a_scenario(viewer_client, commissioner):
    scenario = Scenario.objects.create(name="Edge of care", entry_change_percent=-10, created_by=commissioner)
    stored_run(scenarios=[scenario])
    assert "/delete/" not in viewer_client.get(reverse("sufficiency:forecast")).content.decode()
    url = reverse("sufficiency:scenario_delete", args=[scenario.pk])
    assert viewer_client.get(url).status_code == 403
    assert viewer_client.post(url).status_code == 403
    assert Scenario.objects.filter(pk=scenario.pk).exists()
    assert not Scenario.history.filter(id=scenario.pk, history_type="-").exists()


def test_a_chart_without_bands_or_lines_is_drawn_as_before():
    points = [(date(2025, m, 28), m) for m in range(1, 7)]
    plain = trend_chart_svg(points, title="T", printed=True)
    assert "<polygon" not in plain and plain.count("<polyline") == 1 and "Range" not in plain
