"""The forecast, method and cost pages read the stored run; commissioners run it, add scenarios and set costs."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements.tests.factories import ChildFactory, PlacementFactory
from sufficiency.models import ForecastRun, Scenario, UnitCost

pytestmark = pytest.mark.django_db

RESULT_MONTH = {"fostering": 40.0, "residential": 8.0, "supported": 4.0, "other": 3.0, "total": 55.0,
                "total_low": 48.0, "total_high": 62.0}


def stored_run(*, scenarios=(), months=60):
    """A finished run as the worker leaves it (counts only), without working it out."""
    baseline = [{"date": f"{2025 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}-28", **RESULT_MONTH} for i in range(months)]
    return ForecastRun.objects.create(
        status="done", reference_start=date(2023, 4, 1), reference_end=date(2025, 3, 31),
        finished_at="2025-04-02T09:00Z",
        result={"baseline": baseline, "now": {"fostering": 41.0, "residential": 8.0, "supported": 4.0, "other": 2.0},
                "backtest": {"reference_start": "2022-04-01", "reference_end": "2024-03-31", "error": 0.0234,
                             "within_interval": 0.9166, "months": [{}] * 12},
                "rates": {"rows": [{"band": "10 to 16", "category": "Residential", "entries": 1.25, "leaving": 0.031,
                                    "moving": 0.012, "child_years": 20.0}], "entries": 30, "leaving": 25, "moves": 9},
                "scenarios": [{"id": s.pk, "name": s.name,
                               "months": [{**m, "residential": 6.0, "total": 53.0} for m in baseline]}
                              for s in scenarios]},
    )


def test_the_forecast_page_shows_the_children_by_category_the_range_and_the_backtest(viewer_client):
    stored_run()
    html = viewer_client.get(reverse("sufficiency:forecast")).content.decode()
    assert "Demand forecast" in html
    table = html[html.index('id="forecast-table"'):html.index("</table>", html.index('id="forecast-table"'))]
    assert table.count("<tr") == 1 + 11  # the first month and every sixth of 60
    assert ">40<" in table and ">8<" in table and ">55<" in table and "48 to 62" in table
    assert "out by 2.3% on average over the 12 months since" in html and "inside its range in 92%" in html
    assert "Work out the forecast again now" not in html  # viewers read only
    assert "Add a scenario" not in html


def test_scenarios_show_children_and_spend_against_the_baseline(commissioner_client, commissioner):
    scenario = Scenario.objects.create(name="Edge of care", entry_change_percent=Decimal("-10"),
                                       created_by=commissioner)
    stored_run(scenarios=[scenario])
    UnitCost.objects.create(category="residential", weekly_cost=Decimal("7000"), source_note="Budget book",
                            set_by=commissioner)
    html = commissioner_client.get(reverse("sufficiency:forecast")).content.decode()
    table = html[html.index('id="scenario-table"'):]
    table = table[:table.index("</table>")]
    assert "Baseline" in table and "Edge of care" in table
    assert "53 (−2)" in table  # two fewer children than the baseline's 55
    # 6 residential children instead of 8 at 7,000 a week, for 28 days in each of 60 months
    assert "£10,080,000 (−£3,360,000)" in table
    assert reverse("sufficiency:scenario", args=[scenario.pk]) in table


def test_with_no_run_yet_the_page_says_so(commissioner_client):
    html = commissioner_client.get(reverse("sufficiency:forecast")).content.decode()
    assert "No forecast has been worked out yet" in html
    assert "Work out the forecast again now" in html


def test_commissioners_ask_for_a_run(commissioner_client, django_capture_on_commit_callbacks):
    PlacementFactory(child=ChildFactory(birth_year=2012), start=date(2023, 5, 1), placement_type="U6")
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(reverse("sufficiency:run"), follow=True)
    assert "The forecast is being worked out again" in response.content.decode()
    assert ForecastRun.objects.get().status == "done"


def test_viewers_cannot_ask_for_a_run_or_add_a_scenario(viewer_client):
    assert viewer_client.post(reverse("sufficiency:run")).status_code == 403
    assert viewer_client.get(reverse("sufficiency:scenario_add")).status_code == 403


def test_adding_a_scenario_that_changes_nothing_shows_the_error_summary(commissioner_client):
    html = commissioner_client.post(reverse("sufficiency:scenario_add"), {
        "name": "Nothing", "entry_change_percent": "0", "residential_to_fostering_percent": "0", "shift_months": "12",
        "extra_foster_places": "0", "extra_foster_months": "12"}).content.decode()
    assert "There is a problem" in html and "Enter at least one change" in html
    assert not Scenario.objects.exists()


def test_adding_a_scenario_saves_it_and_queues_a_run(commissioner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(reverse("sufficiency:scenario_add"), {
            "name": "Edge of care 10-16", "entry_band": "10_16", "entry_change_percent": "-10",
            "residential_to_fostering_percent": "0", "shift_months": "12", "extra_foster_places": "0",
            "extra_foster_months": "12"}, follow=True)
    assert "Scenario &#x27;Edge of care 10-16&#x27; saved" in response.content.decode()
    assert Scenario.objects.get().entry_band == "10_16"
    assert ForecastRun.objects.count() == 1


def test_the_method_page_explains_and_shows_the_rates_used(viewer_client):
    stored_run()
    html = viewer_client.get(reverse("sufficiency:method")).content.decode()
    assert "How the forecast is worked out" in html
    assert "Fostering: placement types U1, U2, U3, U4, U5, U6" in html
    assert "Supported: placement types H5, K3, P2" in html
    assert "1.2" in html and "3.1%" in html
    assert "30 entries, 25 leavings before 18 and 9 moves" in html


def test_unit_costs_show_their_source_and_commissioners_set_one_by_hand(commissioner_client):
    stored_run(months=24)
    response = commissioner_client.post(reverse("sufficiency:unit_cost", args=["residential"]), {
        "weekly_cost": "6500", "source_note": "2025-26 budget book"}, follow=True)
    html = response.content.decode()
    assert "The residential unit cost is now set by hand." in html
    costs = html[html.index('id="unit-costs"'):]
    assert "£6,500.00" in costs and "Set by hand" in costs and "2025-26 budget book" in costs
    projection = html[html.index('id="medium-term-projection"'):]
    # 8 residential children at 6,500 a week, for the days of April 2025 to March 2026 (28 days each month end)
    assert "2025-26" in projection and "2026-27 (9 months)" not in projection


def test_the_finance_dashboard_shows_the_medium_term_projection(commissioner_client):
    stored_run()
    html = commissioner_client.get(reverse("finance:index")).content.decode()
    assert 'id="projection-panel"' in html and "Medium-term projection: placement spend by financial year" in html


@pytest.mark.parametrize("name", ["sufficiency:forecast", "sufficiency:method", "sufficiency:costs"])
def test_pages_run_the_same_queries_however_many_scenarios(commissioner_client, commissioner, name,
                                                          django_assert_max_num_queries):
    stored_run(scenarios=[Scenario.objects.create(name="One", extra_foster_places=2, created_by=commissioner)])
    with CaptureQueriesContext(connection) as small:
        assert commissioner_client.get(reverse(name)).status_code == 200
    more = [Scenario.objects.create(name=f"S{i}", extra_foster_places=i + 1, created_by=commissioner)
            for i in range(5)]
    stored_run(scenarios=more)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert commissioner_client.get(reverse(name)).status_code == 200
