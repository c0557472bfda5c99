"""KPI benchmarks at county scale: 300 indicators with 10 years of monthly values (36,000 measurements).

Targets: full status recompute <= 3 s; import of 36,000 measurement rows <= 15 s;
KPI dashboard median server time <= 150 ms.
"""

import io
import random
from datetime import date
from decimal import Decimal

from common import report, setup_django, timed, view_timing

INDICATORS = 300
MONTHS = 120


def county_kpis_create(*, owner):
    """300 indicators over 3 themes and 60 outcomes, with yearly targets and benchmarks over 10 years.

    Returns the indicators and a CSV of their 36,000 monthly values (not yet imported), so a caller can
    time the import or simply run it. Reused by bench_load.py.
    """
    from django.utils import timezone

    from kpis.models import Benchmark, Indicator, Target
    from kpis.periods import recent_period_ends
    from outcomes.models import AgeBand, Outcome, Theme

    rng = random.Random(300)
    themes = [Theme.objects.create(name=f"Theme {i}", order=i) for i in range(3)]
    band = AgeBand.objects.create(name="All children")
    outcomes = Outcome.objects.bulk_create(
        [Outcome(statement=f"Outcome {i}", theme=themes[i % 3], age_band=band) for i in range(60)]
    )
    polarities = ["higher_is_better", "lower_is_better", "within_band"]
    indicators = Indicator.objects.bulk_create([
        Indicator(code=f"K{i:03d}", name=f"Indicator {i}", theme=themes[i % 3], unit="percentage",
                  polarity=polarities[i % 3], frequency="monthly", owner=owner if i % 4 == 0 else None)
        for i in range(INDICATORS)
    ])
    Indicator.outcomes.through.objects.bulk_create(
        [Indicator.outcomes.through(indicator=ind, outcome=outcomes[i % 60]) for i, ind in enumerate(indicators)]
    )
    ends = recent_period_ends(timezone.localdate(), "monthly", MONTHS)
    targets, benchmarks = [], []
    for i, ind in enumerate(indicators):
        kind = {"higher_is_better": "at_least", "lower_is_better": "at_most", "within_band": "between"}[ind.polarity]
        for year in range(ends[0].year - 1, ends[-1].year + 1):
            targets.append(Target(indicator=ind, kind=kind, value=Decimal(40 + year % 5),
                                  upper=Decimal(60) if kind == "between" else None, tolerance=Decimal(5),
                                  starts_on=date(year, 4, 1)))
        if i % 10 == 0:  # some follow the England average
            targets.append(Target(indicator=ind, kind="at_least_benchmark", benchmark_source="england",
                                  tolerance=Decimal(2), starts_on=date(ends[-1].year, 1, 1)))
        benchmarks += [Benchmark(indicator=ind, period_end=end, source="england", value=Decimal(50))
                       for end in ends if end.month == 3 or i % 10 == 0]
    Target.objects.bulk_create(targets)
    Benchmark.objects.bulk_create(benchmarks)

    buffer = io.StringIO()
    buffer.write("indicator,period_end,value,numerator,denominator,note\n")
    for ind in indicators:
        for end in ends:
            value = "" if rng.random() < 0.01 else f"{rng.uniform(20, 80):.1f}%"
            buffer.write(f"{ind.code},{end:%d/%m/%Y},{value},,,\n")
    return indicators, buffer.getvalue().encode()


def county_framework_workbook() -> bytes:
    """The whole framework in one workbook at county scale: 60 outcomes and 300 indicators over 3 themes the
    system has not seen, owners named by post, labels instead of codes, yearly targets, England benchmarks
    each March and 10 years of monthly values (36,000 rows)."""
    from openpyxl import Workbook

    from kpis.imports import BENCHMARK_COLUMNS, INDICATOR_COLUMNS, MEASUREMENT_COLUMNS, TARGET_COLUMNS
    from kpis.periods import recent_period_ends
    from outcomes.imports import OUTCOME_COLUMNS, OUTCOME_OPTIONAL

    rng = random.Random(60)
    themes = ["Education (framework)", "Early Help (framework)", "Safeguarding (framework)"]
    ends = recent_period_ends(date.today(), "monthly", MONTHS)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Outcomes")
    sheet.append(OUTCOME_COLUMNS + OUTCOME_OPTIONAL)
    for i in range(60):
        sheet.append([themes[i % 3], ["All children", "Pre-birth to 4", "5 to 11", "11 to 16"][i % 4],
                      f"Framework outcome {i}", f"Head of Service {i % 3}", "Priority 2", "Prevent"])
    sheet = book.create_sheet("Indicators")
    sheet.append(INDICATOR_COLUMNS)
    for i in range(INDICATORS):
        sheet.append([f"F{i:03d}", f"Framework indicator {i}", themes[i % 3], "Percentage",
                      ["Higher is better", "Lower is better"][i % 2], "Monthly", ["At least", "At most"][i % 2],
                      "50", "", "", "5", ends[0].strftime("01/04/%Y"), f"Head of Service {i % 3}", ""])
    sheet = book.create_sheet("Targets")
    sheet.append(TARGET_COLUMNS)
    for i in range(INDICATORS):
        for year in range(ends[0].year + 1, ends[-1].year + 1):
            sheet.append([f"F{i:03d}", ["At least", "At most"][i % 2], str(40 + year % 5), "", "", "5",
                          f"01/04/{year}"])
    sheet = book.create_sheet("Benchmarks")
    sheet.append(BENCHMARK_COLUMNS)
    for i in range(INDICATORS):
        for end in ends:
            if end.month == 3:
                sheet.append([f"F{i:03d}", end.strftime("%d/%m/%Y"), "England", "50", "", ""])
    sheet = book.create_sheet("Measurements")
    sheet.append(MEASUREMENT_COLUMNS)
    for i in range(INDICATORS):
        for end in ends:
            sheet.append([f"F{i:03d}", end.strftime("%d/%m/%Y"), f"{rng.uniform(20, 80):.1f}", "", "", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main():
    setup_django("bench_kpis")
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    from core.imports import read_table
    from core.roles import COMMISSIONER
    from kpis.imports import import_measurements
    from kpis.models import Measurement
    from kpis.services import statuses_recompute

    user = get_user_model().objects.create_user("bench", password="bench-password-123", first_name="Bench")
    user.groups.add(Group.objects.get(name=COMMISSIONER))
    indicators, data = county_kpis_create(owner=user)

    def do_import():
        return import_measurements(read_table(data, "values.csv"), user=user, queue=False)

    summary, import_s = timed(do_import)
    assert Measurement.objects.count() == INDICATORS * MONTHS, summary
    changed, recompute_s = timed(statuses_recompute)
    unchanged, second_s = timed(statuses_recompute)
    again, reimport_s = timed(do_import)

    from core.imports import dry_run, read_sheets
    from kpis.framework import import_framework

    workbook = county_framework_workbook()

    def do_framework():
        return import_framework(read_sheets(workbook, "framework.xlsx"), user=user, queue=False)

    checked, check_s = timed(dry_run, do_framework)
    framework, framework_s = timed(do_framework)
    assert framework.created == checked.created, (framework, checked)
    framework_again, framework_again_s = timed(do_framework)
    _, framework_recompute_s = timed(statuses_recompute, indicator_ids=framework.indicator_ids)

    client = Client()
    client.force_login(user)
    dashboard = view_timing(client, "/kpis/")
    red = view_timing(client, "/kpis/?status=red")
    page = view_timing(client, f"/kpis/{indicators[7].pk}/")
    grid = view_timing(client, "/outcomes/")
    title = f"KPIs: {INDICATORS} indicators x {MONTHS} monthly values ({INDICATORS * MONTHS:,} values), PostgreSQL"
    report(title, [
        ("import 36,000 measurement rows (CSV, validate + write)", f"{import_s:.2f} s", "<= 15 s"),
        ("re-import the same file (nothing changes)", f"{reimport_s:.2f} s", f"{again.unchanged:,} unchanged"),
        (f"framework workbook ({len(workbook) // 1024:,} KB, 5 sheets): check only (rolled back)",
         f"{check_s:.2f} s", f"{checked.created:,} would be created"),
        ("framework workbook: import (new themes, owners by post)", f"{framework_s:.2f} s",
         f"{framework.created:,} created"),
        ("framework workbook: the same file again", f"{framework_again_s:.2f} s",
         f"{framework_again.unchanged:,} unchanged, {framework_again.created + framework_again.updated} changed"),
        ("framework workbook: statuses of its 300 indicators", f"{framework_recompute_s:.2f} s", "-"),
        (f"full status recompute ({changed:,} rows changed)", f"{recompute_s:.2f} s", "<= 3 s"),
        ("full recompute again (idempotent, 0 changed)", f"{second_s:.2f} s", f"{unchanged} changed"),
        ("KPI dashboard /kpis/ median server time", f"{dashboard['median_ms']:.0f} ms", "<= 150 ms"),
        ("KPI dashboard max / queries", f"{dashboard['max_ms']:.0f} ms / {dashboard['queries']}", "constant"),
        ("KPI dashboard ?status=red median", f"{red['median_ms']:.0f} ms", "<= 150 ms"),
        ("KPI page (120 values, 50 a page) median / queries", f"{page['median_ms']:.0f} ms / {page['queries']}", "-"),
        ("outcomes framework grid median / queries", f"{grid['median_ms']:.0f} ms / {grid['queries']}", "-"),
    ])


if __name__ == "__main__":
    main()
