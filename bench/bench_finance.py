"""Finance at scale: 20,000 placements with 60,000 cost lines in the financial year 2025/26.

1. The forecast (every budget line, computed in SQL from the cost lines' overlaps): median of 5 runs.
2. The finance dashboard: median server time (the line totals cached, as after the first request until
   anything they read changes), the time with nothing cached, and its query count for 2025/26 and for
   2023/24 with few placements (the counts must be equal).

Targets: forecast at most 2 s; dashboard at most 150 ms with a fixed number of queries.
"""

import random
import statistics
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import report, setup_django, timed, view_timing

PLACEMENTS = 20000
CHILDREN = 8000
LINES_EACH = 3
YEAR = 2025
AS_OF = date(2025, 10, 31)


def main():
    setup_django("bench_finance")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.roles import COMMISSIONER
    from finance import selectors
    from finance.models import BudgetLine
    from placements.models import Child, CostLine, Placement, PlacementProvider, PlacementType

    user = get_user_model().objects.create_user("bench", password="bench-password-123")
    user.groups.add(Group.objects.get(name=COMMISSIONER))
    rng = random.Random(15)
    kinds = [("U6", "PR1", "in_house", (400, 600)), ("U6", "PR4", "framework", (850, 1150)),
             ("U3", "PR1", "in_house", (230, 340)), ("K2", "PR4", "spot", (3600, 7800)),
             ("S1", "PR5", "spot", (4200, 6200)), ("P2", "PR4", "block", (900, 2600))]
    place = {c.code: c for c in PlacementType.objects.all()}
    provider = {c.code: c for c in PlacementProvider.objects.all()}
    Child.objects.bulk_create([Child(reference=f"F{n:06d}", sex="1", birth_month=1, birth_year=2012)
                               for n in range(CHILDREN)], batch_size=5000)
    child_ids = list(Child.objects.values_list("pk", flat=True))
    placements = []
    for n in range(PLACEMENTS):
        start = date(2024, 1, 1) + timedelta(days=rng.randint(0, 800))
        end = start + timedelta(days=rng.randint(30, 500)) if rng.random() < 0.5 else None
        code, kind, route, _ = kinds[n % len(kinds)]
        placements.append(Placement(child_id=child_ids[n % CHILDREN], start=start + timedelta(days=n // CHILDREN),
                                    end=end, placement_type=place[code], provider_kind=provider[kind], route=route))
    Placement.objects.bulk_create(placements, batch_size=5000)
    lines = []
    for pk, start, type_code in Placement.objects.values_list("pk", "start", "placement_type__code"):
        low, high = next(k[3] for k in kinds if k[0] == type_code)
        lines.append(CostLine(placement_id=pk, kind="initial", weekly_amount=Decimal(rng.randint(low, high)),
                              effective_from=start, reason="Agreed price", agreed_by=user))
        lines.append(CostLine(placement_id=pk, kind="uplift", weekly_amount=Decimal(rng.randint(10, 90)),
                              effective_from=date(2025, 4, 1), reason="Annual uplift", agreed_by=user))
        third = start + timedelta(days=rng.randint(20, 400))
        awaiting = rng.random() < 0.1
        lines.append(CostLine(placement_id=pk, kind=rng.choice(["additional_support", "reduction"]),
                              weekly_amount=Decimal(rng.choice([-150, 300, 650])), effective_from=third,
                              effective_to=third + timedelta(weeks=12) if rng.random() < 0.5 else None,
                              reason="Change", agreed_by=user,
                              status="awaiting_approval" if awaiting else "in_force"))
    CostLine.objects.bulk_create(lines, batch_size=5000)
    for code, category, provision in [("PL01", "foster_other", "in_house"), ("PL02", "foster_other", "external"),
                                      ("PL03", "foster_relative", "any"), ("PL04", "childrens_home", "external"),
                                      ("PL05", "residential_school", "any"), ("PL06", "independent", "any")]:
        BudgetLine.objects.create(financial_year=YEAR, code=code, name=code, placement_category=category,
                                  provision=provision, amount=Decimal("5000000"))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from django.core.cache import cache

    runs = []
    for _ in range(5):  # computed afresh each time, not from the cache
        cache.clear()
        runs.append(timed(selectors.forecast, year=YEAR, as_of=AS_OF)[1])
    figures = selectors.forecast(year=YEAR, as_of=AS_OF)
    client = Client()
    client.force_login(user)
    url = f"/finance/?year={YEAR}&as_of=31/10/2025"
    timing = view_timing(client, url)  # the line totals come from the cache after the first request
    cold = []
    for _ in range(3):
        cache.clear()
        cold.append(timed(client.get, url)[1] * 1000)
    # 2023/24: only the placements that started in its last three months, and no budget lines: the same queries
    small = view_timing(client, "/finance/?year=2023&as_of=31/03/2024", runs=3)
    early = Placement.objects.filter(start__lte=date(2024, 3, 31)).count()
    report("Finance", [
        ("placements / cost lines", f"{Placement.objects.count():,} / {CostLine.objects.count():,}",
         f"{PLACEMENTS:,} / {PLACEMENTS * LINES_EACH:,}"),
        ("placements costing something in 2025/26", f"{sum(line.placements for line in figures.lines):,}", ""),
        ("forecast, median of 5 (s)", f"{statistics.median(runs):.2f}", "<= 2"),
        ("forecast, slowest (s)", f"{max(runs):.2f}", ""),
        ("finance dashboard median (ms)", f"{timing['median_ms']:.0f}", "<= 150"),
        ("finance dashboard max (ms)", f"{timing['max_ms']:.0f}", ""),
        ("finance dashboard, totals not cached, median (ms)", f"{statistics.median(cold):.0f}", ""),
        (f"dashboard queries, 2025/26 / 2023/24 ({early:,} placements)", f"{timing['queries']} / {small['queries']}",
         "equal"),
    ])


if __name__ == "__main__":
    main()
