"""The forecast against the field's own model, cs-demand-model 0.5.1, on the same 903 history.

The package lives in its own venv (.reference-venv, made by `make install`) and runs as a separate process:
sufficiency/reference/run_cs_demand_model.py reads the header and episodes files written here and prints its
forecast. Both forecast the same 24 months from the same two-year window, and are compared with the children
actually looked after at each month end."""

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

from sufficiency import engine, synthetic

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_PYTHON = ROOT / ".reference-venv" / "bin" / "python"
REFERENCE_SCRIPT = ROOT / "sufficiency" / "reference" / "run_cs_demand_model.py"
WINDOW = {"reference_start": date(2018, 4, 1), "reference_end": date(2020, 3, 31), "months": 24}


def run_reference(folder: Path, *, reference_start: date, reference_end: date, months: int,
                  step_days: int = 7) -> dict:
    assert REFERENCE_PYTHON.exists(), "cs-demand-model's venv is missing: run `make install`"
    result = subprocess.run(
        [str(REFERENCE_PYTHON), str(REFERENCE_SCRIPT), str(folder), reference_start.isoformat(),
         reference_end.isoformat(), str(months), str(step_days)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    """A county's history: about 400 children a year coming into care, records from 2016 to 2022."""
    spells = synthetic.history(start=date(2002, 4, 1), years=20, entries_a_year=400, end=date(2022, 3, 31),
                               records_from=date(2016, 4, 1))
    folder = tmp_path_factory.mktemp("return")
    synthetic.write_903(spells, folder)
    return spells, folder


def test_our_backtest_error_is_no_worse_than_cs_demand_models(county):
    spells, folder = county
    ours = engine.backtest(engine.clean_spells(spells), **WINDOW)
    reference = run_reference(folder, **WINDOW)
    actual = [month["actual"] for month in ours.months]
    assert [m["date"] for m in reference["months"]] == [m["date"] for m in ours.months]
    reference_error = engine.mape([m["total"] for m in reference["months"]], actual)
    assert 0 < ours.mean_absolute_percentage_error <= reference_error
    assert ours.mean_absolute_percentage_error < 0.03
    # And by kind of home: the mean of the four categories' errors is no larger either.
    def category_error(forecast_of):
        errors = []
        for category in engine.CATEGORIES:
            actual_c = [m["by_category"][category][1] for m in ours.months]
            errors.append(engine.mape([forecast_of(i, category) for i in range(len(actual_c))], actual_c))
        return sum(errors) / len(errors)

    ours_by_category = category_error(lambda i, c: ours.months[i]["by_category"][c][0])
    assert ours_by_category <= category_error(lambda i, c: reference["months"][i][c])
