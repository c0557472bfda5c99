"""The demand forecast at a county's size: 20,000 903 episodes over 10 years.

1. The forecast (tidy the episodes, estimate the rates, project 60 months with the interval): median of 5 runs,
   in memory.
2. A whole stored run from the database (read the episodes, forecast, backtest, two scenarios): once.
3. The backtest on the same history: the mean absolute percentage error of the children looked after at each of
   the 12 month ends after a two-year window, ours beside cs-demand-model 0.5.1's (run by its own venv, with its
   own daily steps), and its time.

Target: the forecast under 5 s; our backtest error no larger than cs-demand-model's.
"""

import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, drop_database, report, setup_django, timed

REFERENCE_START, REFERENCE_END, MONTHS = date(2019, 4, 1), date(2021, 3, 31), 12


def county_history():
    from sufficiency import synthetic

    # About 800 children a year coming into care, records from April 2012 to March 2022 (ten years).
    return synthetic.history(start=date(1998, 4, 1), years=24, entries_a_year=760, growth=0.02,
                             end=date(2022, 3, 31), records_from=date(2012, 4, 1))


def main():
    from sufficiency import engine, synthetic

    spells = county_history()

    def forecast():
        children = engine.clean_spells(spells)
        return engine.forecast(children, reference_start=date(2020, 4, 1), reference_end=date(2022, 3, 31), months=60)

    times = [timed(forecast)[1] for _ in range(5)]
    ours = engine.backtest(engine.clean_spells(spells), reference_start=REFERENCE_START, reference_end=REFERENCE_END,
                           months=MONTHS)
    actual = [m["actual"] for m in ours.months]
    with tempfile.TemporaryDirectory() as folder:
        synthetic.write_903(spells, Path(folder))
        result = subprocess.run(
            [str(ROOT / ".reference-venv" / "bin" / "python"),
             str(ROOT / "sufficiency" / "reference" / "run_cs_demand_model.py"), folder,
             REFERENCE_START.isoformat(), REFERENCE_END.isoformat(), str(MONTHS)],
            capture_output=True, text=True, check=True,
        )
    reference = json.loads(result.stdout)
    reference_error = engine.mape([m["total"] for m in reference["months"]], actual)

    setup_django("bench_sufficiency")
    stored = stored_run(spells)
    drop_database("bench_sufficiency")

    report("Sufficiency: demand forecast", [
        ("episodes (903 rows)", f"{len(spells):,}", "about 20,000"),
        ("forecast, 60 months with interval (median of 5)", f"{statistics.median(times):.2f} s", "< 5 s"),
        ("stored run from the database (once)", f"{stored:.2f} s", "-"),
        ("backtest error, ours (12 months)", f"{ours.mean_absolute_percentage_error:.2%}", "<= cs-demand-model"),
        ("backtest error, cs-demand-model 0.5.1", f"{reference_error:.2%}", "-"),
        ("cs-demand-model time (load and daily steps)", f"{reference['seconds']:.1f} s", "-"),
    ])


def stored_run(spells):
    """Load the history as children, placements and episodes, then time one stored run."""
    from django.contrib.auth import get_user_model

    from placements.models import Child, Episode, LegalStatus, Placement, PlacementProvider, PlacementType
    from sufficiency import services
    from sufficiency.models import ForecastRun, Scenario

    place = {c.code: c for c in PlacementType.objects.all()}
    provider = PlacementProvider.objects.get(code="PR1")
    legal = LegalStatus.objects.get(code="C2")
    births = {}
    for spell in spells:
        births.setdefault(spell.child, spell.birth)
    Child.objects.bulk_create([Child(reference=ref, sex="1", birth_month=b.month, birth_year=b.year)
                               for ref, b in births.items()], batch_size=5000)
    ids = dict(Child.objects.values_list("reference", "pk"))
    placements = Placement.objects.bulk_create(
        [Placement(child_id=ids[s.child], start=s.start, end=s.end, placement_type=place[s.place],
                   provider_kind=None if s.place == "P1" else provider) for s in spells], batch_size=5000)
    Episode.objects.bulk_create(
        [Episode(placement=p, child_id=p.child_id, start=p.start, end=p.end, legal_status=legal) for p in placements],
        batch_size=5000)
    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    Scenario.objects.create(name="Edge of care", entry_band="10_16", entry_change_percent=-10, created_by=user)
    Scenario.objects.create(name="Foster carers", extra_foster_places=10, created_by=user)
    run = ForecastRun.objects.create(requested_by=user)
    _, seconds = timed(services.forecast_run_execute, run=run)
    return seconds


if __name__ == "__main__":
    main()
