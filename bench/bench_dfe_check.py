"""The DfE validation report on Data to Insight's fake return (tests/fixtures/csc-validator-be-903: 2,675
children, 5,050 episodes): every DfE rule of the nearest ruleset, each on its own copy of the return, as the
worker runs it. Wall and CPU time of the whole check (best of 3), and what it found.

No database: the check itself reads only the held tables.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, report

RUNS = 3


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
    import django

    django.setup()
    from core.imports import read_table
    from placements import dfe_check

    fixtures = ROOT / "tests" / "fixtures" / "csc-validator-be-903"
    held = {
        "header": dfe_check.held_table(
            read_table((fixtures / "header.csv").read_bytes(), "header.csv"), dfe_check.HEADER_COLUMNS
        ),
        "episodes": dfe_check.held_table(
            read_table((fixtures / "episodes.csv").read_bytes(), "episodes.csv"), dfe_check.EPISODE_COLUMNS
        ),
    }
    year = dfe_check.return_collection_year(held["episodes"])
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu = time.perf_counter(), time.process_time()
        result = dfe_check.rules_check(held, collection_year=year, local_authority="E09000027")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    flagged = [r for r in result.results if not r.error]
    biggest = sorted(flagged, key=lambda r: -len(r.rows))[:3]
    report(
        "DfE validation report on the fake return (2,675 children, 5,050 episodes)",
        [
            ("whole check, wall (s, best of 3)", f"{min(walls):.1f}", "under the worker's 600 s limit"),
            ("whole check, CPU (s, best of 3)", f"{min(cpus):.1f}", "-"),
            ("return's year / rules used", f"{year} / {result.ruleset_year}", "-"),
            ("rules checked / could not be checked", f"{result.rules_run} / {len(result.results) - len(flagged)}", "-"),
            ("rules with findings / rows flagged", f"{len(flagged)} / {sum(len(r.rows) for r in flagged):,}", "-"),
            *((f"  rule {r.code}", f"{len(r.rows):,}", "-") for r in biggest),
        ],
    )


if __name__ == "__main__":
    main()
