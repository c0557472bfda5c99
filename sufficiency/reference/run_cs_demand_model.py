"""Run the field's demand model (cs-demand-model) on a folder of 903 files and print its forecast as JSON.

Run by the reference venv only:
    .reference-venv/bin/python sufficiency/reference/run_cs_demand_model.py FOLDER START END MONTHS [STEP_DAYS]
The package pins libraries the project's own venv cannot hold, so the tests and the bench call it as a separate
process (from this folder of its own, so that no module of the app shadows the standard library's).
Prints {"months": [{"date", "fostering", "residential", "supported", "other", "total"}],
"seconds": ...} for each month end after END, the same shape as `manage.py demand_forecast --json`.
"""

import json
import sys
import time
import warnings
from datetime import date, timedelta

warnings.simplefilter("ignore")


def month_ends_after(day, months):
    out = []
    year, month = day.year, day.month
    while len(out) < months:
        following = date(year + (month == 12), month % 12 + 1, 1)
        end = following - timedelta(days=1)
        if end > day:
            out.append(end)
        year, month = following.year, following.month
    return out


def main(folder, start, end, months, step_days=1):
    from cs_demand_model import DemandModellingDataContainer, ModelPredictor, PopulationStats
    from cs_demand_model.config import Config
    from cs_demand_model.datastore import fs_datastore

    began = time.perf_counter()
    config = Config()
    container = DemandModellingDataContainer(fs_datastore(folder), config)
    stats = PopulationStats(container.enriched_view, config)
    predictor = ModelPredictor.from_model(stats, start, end)
    dates = month_ends_after(end, months)
    # Its own daily steps by default; the tests take weekly steps (its `step_days`) to stay fast.
    steps = -(-(dates[-1] - end).days // step_days)
    predicted = predictor.predict(steps, step_days=step_days)
    predicted.index = [end + timedelta(days=(i + 1) * step_days) for i in range(steps)]
    rows = []
    for day in dates:
        population = predicted.iloc[predicted.index.get_indexer([day], method="nearest")[0]]
        row = {"date": day.isoformat(), "fostering": 0.0, "residential": 0.0, "supported": 0.0, "other": 0.0}
        for (_age, category), count in population.items():
            key = category.lower()
            if key == "not_in_care":  # the model keeps those who have left in bins of their own
                continue
            row[key if key in row else "other"] += float(count)
        row["total"] = sum(row[c] for c in ("fostering", "residential", "supported", "other"))
        rows.append(row)
    print(json.dumps({"months": rows, "seconds": time.perf_counter() - began}))


if __name__ == "__main__":
    folder, start, end, months = sys.argv[1:5]
    step_days = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    main(folder, date.fromisoformat(start), date.fromisoformat(end), int(months), step_days)
