"""`manage.py demand_forecast` on placements held in the database."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from placements.tests.factories import ChildFactory, PlacementFactory

pytestmark = pytest.mark.django_db


def _forecast(*args):
    out = StringIO()
    call_command("demand_forecast", *args, stdout=out)
    return out.getvalue()


def test_prints_each_month_end_after_the_window_in_the_specified_shape():
    child = ChildFactory(birth_year=2012, birth_month=5)
    PlacementFactory(child=child, start=date(2019, 1, 10), placement_type="U4")
    PlacementFactory(child=ChildFactory(birth_year=2008, birth_month=3), start=date(2018, 6, 1), placement_type="K2")
    PlacementFactory(child=ChildFactory(birth_year=2002, birth_month=10), start=date(2018, 6, 1), placement_type="H5")
    # A short break (V3) is not being looked after.
    PlacementFactory(start=date(2019, 6, 1), placement_type="U6", legal_status="V3")
    payload = json.loads(_forecast("--reference-start", "2019-04-01", "--reference-end", "2020-03-31",
                                   "--months", "12", "--json"))
    months = payload["months"]
    assert [m["date"] for m in months[:2]] == ["2020-04-30", "2020-05-31"] and len(months) == 12
    assert set(months[0]) == {"date", "fostering", "residential", "supported", "other", "total", "total_low",
                              "total_high"}
    first = months[0]
    # Nobody came or left in the window, so none are expected: the three stay until they turn 18.
    assert (first["fostering"], first["residential"], first["supported"], first["other"]) == (1.0, 1.0, 1.0, 0.0)
    assert first["total"] == 3.0
    by_date = {m["date"]: m for m in months}
    # The young person in supported accommodation, born October 2002, leaves care on turning 18.
    assert by_date["2020-09-30"]["supported"] == 1.0
    assert by_date["2020-10-31"]["supported"] == 0.0 and by_date["2020-10-31"]["total"] == 2.0
    assert all(m["total_low"] <= m["total"] <= m["total_high"] for m in months)


def test_rejects_a_window_that_ends_before_it_starts():
    with pytest.raises(CommandError, match="--reference-end must be after --reference-start"):
        _forecast("--reference-start", "2020-04-01", "--reference-end", "2020-03-31", "--months", "12")


def test_rejects_more_than_five_years():
    with pytest.raises(CommandError, match="from 1 to 60"):
        _forecast("--reference-start", "2019-04-01", "--reference-end", "2020-03-31", "--months", "61")


def test_a_saved_scenario_by_name(commissioner):
    from sufficiency.models import Scenario

    for i in range(6):
        PlacementFactory(child=ChildFactory(birth_year=2009, birth_month=1 + i), start=date(2019, 5 + i, 1),
                         placement_type="K2")
    Scenario.objects.create(name="Residential to fostering", residential_to_fostering_percent=50, shift_months=6,
                            created_by=commissioner)
    args = ("--reference-start", "2019-04-01", "--reference-end", "2020-03-31", "--months", "12", "--json")
    base = json.loads(_forecast(*args))["months"]
    shifted = json.loads(_forecast(*args, "--scenario", "Residential to fostering"))["months"]
    assert shifted[5]["residential"] == pytest.approx(base[5]["residential"] / 2)
    assert shifted[5]["fostering"] == pytest.approx(base[5]["fostering"] + base[5]["residential"] / 2)
    assert shifted[5]["total"] == pytest.approx(base[5]["total"])
    with pytest.raises(CommandError, match="There is no saved scenario called 'Nope'"):
        _forecast(*args, "--scenario", "Nope")
