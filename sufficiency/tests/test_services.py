"""Running and storing the forecast, saving scenarios and unit costs (with who did it in the history)."""

from datetime import date
from decimal import Decimal

import pytest

from placements.tests.factories import ChildFactory, CostLineFactory, PlacementFactory
from sufficiency import selectors, services
from sufficiency.models import ForecastRun, ForecastRunStatus, Scenario, UnitCost

pytestmark = pytest.mark.django_db


def history():
    """Children in foster care and children's homes from 2018: a few come in and leave each year."""
    for i in range(12):
        child = ChildFactory(birth_year=2008 + i % 6, birth_month=1 + i)
        start = date(2018, 1 + i, 3)
        end = date(2020, 1 + i, 10) if i % 3 == 0 else None
        PlacementFactory(child=child, start=start, end=end, placement_type="U6" if i % 4 else "K2")


def test_a_run_keeps_five_years_of_months_the_backtest_and_each_scenario(commissioner):
    history()
    Scenario.objects.create(name="Edge of care", entry_band="10_16", entry_change_percent=Decimal("-10"),
                            created_by=commissioner)
    run = services.forecast_run_execute(run=ForecastRun.objects.create(requested_by=commissioner))
    assert run.status == ForecastRunStatus.DONE and run.error == ""
    # The last date held is 10 October 2020, so the window is the two years to 30 September 2020.
    assert (run.reference_start, run.reference_end) == (date(2018, 10, 1), date(2020, 9, 30))
    baseline = run.result["baseline"]
    assert len(baseline) == 60 and baseline[0]["date"] == "2020-10-31" and baseline[-1]["date"] == "2025-09-30"
    assert run.result["now"] == {"fostering": 7.0, "residential": 2.0, "supported": 0.0, "other": 0.0}
    # what happened over the window, for the chart: 10 children by October 2018, 9 once three had left
    months = run.result["history"]
    assert len(months) == 24 and (months[0]["date"], months[-1]["date"]) == ("2018-10-31", "2020-09-30")
    assert (months[0]["total"], months[-1]["total"]) == (10.0, 9.0)
    assert [s["name"] for s in run.result["scenarios"]] == ["Edge of care"]
    assert run.result["scenarios"][0]["months"][-1]["total"] <= baseline[-1]["total"]
    assert run.result["backtest"]["reference_end"] == "2019-09-30" and len(run.result["backtest"]["months"]) == 12
    assert selectors.latest_forecast() == run


def test_with_nothing_held_the_run_says_so():
    run = services.forecast_run_execute(run=ForecastRun.objects.create())
    assert run.status == ForecastRunStatus.FAILED
    assert run.error == "No episodes or placements are held yet, so there is nothing to forecast from."


def test_the_nightly_refresh_runs_only_when_the_data_has_changed():
    history()
    first = services.forecast_refresh_if_changed()
    assert first.status == ForecastRunStatus.DONE
    assert services.forecast_refresh_if_changed() is None
    PlacementFactory(start=date(2020, 6, 1), placement_type="H5", child=ChildFactory(birth_year=2003))
    second = services.forecast_refresh_if_changed()
    assert second is not None and second.result["now"]["supported"] == 1.0


def test_asking_for_a_run_queues_it_once_the_change_is_saved(commissioner, django_capture_on_commit_callbacks):
    history()
    with django_capture_on_commit_callbacks(execute=True):
        run = services.forecast_run_request(requested_by=commissioner)
    run.refresh_from_db()
    assert run.status == ForecastRunStatus.DONE  # the worker (eager in tests) ran it
    assert run.requested_by == commissioner


def test_saving_a_scenario_records_who_and_rejects_one_that_changes_nothing(commissioner):
    from django.core.exceptions import ValidationError

    scenario = services.scenario_save(
        scenario=Scenario(name="More foster carers", extra_foster_places=6), user=commissioner)
    assert scenario.created_by == commissioner
    assert scenario.history.first().history_user == commissioner
    with pytest.raises(ValidationError, match="Enter at least one change"):
        services.scenario_save(scenario=Scenario(name="Nothing"), user=commissioner)


def test_unit_costs_come_from_the_cost_lines_unless_set_by_hand(commissioner):
    home = PlacementFactory(start=date(2024, 4, 1), placement_type="K2", provider_kind="PR4")
    other_home = PlacementFactory(start=date(2024, 4, 1), placement_type="R1", provider_kind="PR4")
    CostLineFactory(placement=home, weekly_amount=Decimal("5000"))
    CostLineFactory(placement=other_home, weekly_amount=Decimal("6000"))
    CostLineFactory(placement=other_home, kind="uplift", weekly_amount=Decimal("1000"), effective_from=date(2024, 6, 1))
    costs = selectors.unit_costs(as_of=date(2024, 7, 1))
    assert costs["residential"]["weekly"] == Decimal("6000.00")  # (5,000 + 7,000) / 2 placements
    assert costs["residential"]["source"] == "Placement cost lines"
    assert costs["fostering"]["weekly"] is None
    services.unit_cost_set(category="fostering", weekly_cost=Decimal("450"), source_note="2024-25 budget book",
                           user=commissioner)
    costs = selectors.unit_costs(as_of=date(2024, 7, 1))
    assert (costs["fostering"]["weekly"], costs["fostering"]["source"], costs["fostering"]["note"]) == (
        Decimal("450.00"), "Set by hand", "2024-25 budget book")
    assert UnitCost.objects.get().history.first().history_user == commissioner


def test_a_run_that_breaks_is_marked_failed_with_the_reason_not_left_running(monkeypatch):
    history()

    def broken():
        raise RuntimeError("the episodes could not be read")

    monkeypatch.setattr(selectors, "care_spells", broken)
    run = ForecastRun.objects.create()
    with pytest.raises(RuntimeError):
        services.forecast_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == ForecastRunStatus.FAILED
    assert run.error == "The forecast could not be worked out: the episodes could not be read"
    assert selectors.run_in_progress() is None
