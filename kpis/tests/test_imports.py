# ruff: noqa: E501 - spreadsheet rows read best on one line
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from core.imports import ImportFailed, read_table
from kpis.imports import import_benchmarks, import_indicators, import_measurements, import_targets
from kpis.models import Benchmark, Indicator, Measurement, Target
from outcomes.tests.factories import ThemeFactory

pytestmark = pytest.mark.django_db

INDICATORS = """code,name,theme,unit,polarity,frequency,target_kind,target,target_upper,benchmark,tolerance,target_from,owner,definition,rate_per
SC01,Re-referrals within 12 months,Safeguarding and Looked After Children,percentage,lower_is_better,monthly,at_most,22%,,,2,01/04/2024,commissioner,Children referred again within 12 months,
SC02,Assessments within 45 working days,Safeguarding and Looked After Children,percentage,higher_is_better,monthly,at_least,85,,,5,2024-04-01,,,
SC03,Children looked after per 10000,Safeguarding and Looked After Children,rate,within_band,quarterly,within_benchmark_range,,,,3,2024-04-01,,,10000
ED01,Teenage conceptions,Education,rate,lower_is_better,annual,at_most_benchmark,,,england,,2020-04-01,,,1000
ED02,Young people NEET (no target yet),Education,percentage,lower_is_better,monthly,,,,,,,,,
"""


def table(text, name="file.csv"):
    return read_table(text.encode(), name)


@pytest.fixture
def themes(db):
    ThemeFactory(name="Safeguarding and Looked After Children")
    ThemeFactory(name="Education")


def test_indicators_import_and_reimport_changes_nothing(themes, commissioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        summary = import_indicators(table(INDICATORS), user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (5, 0, 0)
    sc01 = Indicator.objects.get(code="SC01")
    assert sc01.owner == commissioner and sc01.polarity == "lower_is_better"
    target = sc01.targets.get()
    assert (target.kind, target.value, target.tolerance, target.starts_on) == ("at_most", D(22), D(2), date(2024, 4, 1))
    assert Indicator.objects.get(code="SC03").rate_per == 10000
    assert not Indicator.objects.get(code="ED02").targets.exists()
    history = Indicator.history.count() + Target.history.count()
    again = import_indicators(table(INDICATORS), user=commissioner)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert Indicator.history.count() + Target.history.count() == history


def test_every_bad_row_is_reported_and_nothing_is_written(themes, commissioner):
    bad = INDICATORS.replace("lower_is_better,monthly,at_most,22%", "lowest,monthly,at_most,lots") + (
        "SC01,Duplicate,Nowhere,percentage,higher_is_better,weekly,between,5,4,,,,nobody,,\n"
    )
    with pytest.raises(ImportFailed) as exc:
        import_indicators(table(bad), user=commissioner)
    messages = [str(e) for e in exc.value.errors]
    assert ("Row 2, column 'polarity': 'lowest' is not one of: higher_is_better, lower_is_better, "
            "within_band (Within a band)") in messages
    assert "Row 2, column 'target': 'lots' is not a number" in messages
    assert any(m.startswith("Row 7, column 'code': SC01 is already on row 2") for m in messages)
    assert any(m.startswith("Row 7, column 'frequency'") for m in messages)
    assert "Row 7, column 'target_upper': The upper bound must be at least the lower bound" in messages
    assert "Row 7, column 'target_from': is required" in messages
    assert not Indicator.objects.exists() and not Target.objects.exists()


def test_unknown_and_missing_columns_are_rejected(themes, commissioner):
    with pytest.raises(ImportFailed) as exc:
        import_measurements(table("indicator,period_end,value,colour\nSC01,2025-03-31,5,red\n"), user=commissioner)
    text = str(exc.value)
    assert "Missing column(s): numerator, denominator, note" in text
    assert "Unknown column(s): colour" in text


MEASUREMENTS = """indicator,period_end,value,numerator,denominator,note
SC01,31/01/2025,25%,,,
SC01,2025-02-28,23.0,23,100,
SC01,2025-03-31,,,,Data not yet validated
sc02,2025-03-31,"1,250",,,
"""


def test_measurements_import_percent_forms_are_one_value_and_reimport_is_a_no_op(themes, commissioner):
    import_indicators(table(INDICATORS), user=commissioner)
    with pytest.raises(ImportFailed) as exc:
        import_measurements(table(MEASUREMENTS), user=commissioner)
    assert [str(e) for e in exc.value.errors] == ["Row 5, column 'value': A percentage must be between 0 and 100"]
    good = MEASUREMENTS.replace('"1,250"', "85")
    summary = import_measurements(table(good), user=commissioner, queue=False)
    assert (summary.created, summary.updated, summary.unchanged) == (4, 0, 0)
    assert Measurement.objects.get(indicator__code="SC01", period_end=date(2025, 2, 28)).value == D(23)
    assert Measurement.objects.get(indicator__code="SC01", period_end=date(2025, 3, 31)).value is None
    same = good.replace("25%", "25.00").replace("23.0", "23")
    again = import_measurements(table(same), user=commissioner)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    changed = import_measurements(table(good.replace("25%", "26")), user=commissioner)
    assert (changed.created, changed.updated) == (0, 1)


def test_measurement_rows_checked_against_indicator(themes, commissioner):
    import_indicators(table(INDICATORS), user=commissioner)
    text = ("indicator,period_end,value,numerator,denominator,note\n"
            "SC03,2025-02-28,60,,,\nNOPE,2025-03-31,1,,,\nSC01,31/02/2025,1,,,\nSC01,2025-01-31,1.23456,,,\n"
            "SC01,2025-01-31,2,,,\n")
    with pytest.raises(ImportFailed) as exc:
        import_measurements(table(text), user=commissioner)
    messages = [str(e) for e in exc.value.errors]
    assert messages[0].startswith("Row 2, column 'period_end': The period end must be the last day of a quarter")
    assert messages[1].startswith("Row 3, column 'indicator': There is no indicator with code 'NOPE'")
    assert messages[2].startswith("Row 4, column 'period_end': '31/02/2025' is not a date")
    assert messages[3] == "Row 5, column 'value': Use at most 4 decimal places"
    assert messages[4].startswith("Row 6, column 'period_end': SC01 already has a value for this period on row 5")


def test_targets_and_benchmarks_import(themes, commissioner, django_capture_on_commit_callbacks):
    import_indicators(table(INDICATORS), user=commissioner)
    targets = ("indicator,target_kind,target,target_upper,benchmark,tolerance,target_from\n"
               "SC02,at_least,90,,,5,2025-04-01\nED02,between,2,3,,0.5,01/04/2025\n")
    summary = import_targets(table(targets), user=commissioner)
    assert (summary.created, summary.unchanged) == (2, 0)
    assert import_targets(table(targets), user=commissioner).unchanged == 2
    benchmarks = ("indicator,period_end,source,value,minimum,maximum\n"
                  "SC03,2025-03-31,statistical_neighbours,55,45,70\nED01,2025-03-31,england,23.3,,\n")
    import_measurements(table("indicator,period_end,value,numerator,denominator,note\n"
                              "SC03,2025-03-31,72,,,\nED01,2025-03-31,20,,,\n"), user=commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        assert import_benchmarks(table(benchmarks), user=commissioner).created == 2
    assert Measurement.objects.get(indicator__code="SC03").status == "amber"
    assert Measurement.objects.get(indicator__code="ED01").status == "green"
    assert import_benchmarks(table(benchmarks), user=commissioner).unchanged == 2
    bad = "indicator,period_end,source,value,minimum,maximum\nED01,2025-03-31,england,1,0,2\nSC03,2025-03-31,moon,1,,\n"
    with pytest.raises(ImportFailed) as exc:
        import_benchmarks(table(bad), user=commissioner)
    assert len(exc.value.errors) == 2
    assert Benchmark.objects.count() == 2


def test_targets_import_in_bulk_keeps_each_change_in_the_history(themes, commissioner):
    import_indicators(table(INDICATORS), user=commissioner)
    header = "indicator,target_kind,target,target_upper,benchmark,tolerance,target_from\n"
    import_targets(table(header + "SC02,at_least,90,,,5,2025-04-01\nSC02,at_least,91,,,5,2026-04-01\n"),
                   user=commissioner)
    summary = import_targets(table(header + "SC02,at_least,92,,,5,2025-04-01\nSC02,at_least,91,,,5,2026-04-01\n"),
                             user=commissioner)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    target = Target.objects.get(indicator__code="SC02", starts_on=date(2025, 4, 1))
    assert target.value == 92
    assert [(h.history_type, h.value, h.history_user) for h in target.history.order_by("history_id")] == [
        ("+", 90, commissioner), ("~", 92, commissioner)]


def test_xlsx_files_import_too(themes, commissioner):
    workbook = Workbook()
    sheet = workbook.active
    for line in INDICATORS.strip().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    workbook.save(out)
    summary = import_indicators(read_table(out.getvalue(), "kpis.xlsx"), user=commissioner)
    assert summary.created == 5


def test_commands_import_recompute_and_print_status(themes, commissioner, tmp_path, capsys):
    (tmp_path / "ind.csv").write_text(INDICATORS)
    (tmp_path / "m.csv").write_text(MEASUREMENTS.replace('"1,250"', "85"))
    call_command("import_indicators", str(tmp_path / "ind.csv"))
    call_command("import_measurements", str(tmp_path / "m.csv"))
    capsys.readouterr()
    call_command("kpi_status", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {"indicator": "SC01", "period_end": "2025-03-31", "value": None, "status": "no_data", "direction": "unknown"},
        {"indicator": "SC02", "period_end": "2025-03-31", "value": "85", "status": "green", "direction": "unknown"},
    ]
    call_command("kpi_status", "--json", "--all")
    rows = json.loads(capsys.readouterr().out)
    assert [(r["indicator"], r["period_end"], r["status"], r["direction"]) for r in rows] == [
        ("SC01", "2025-01-31", "red", "unknown"),
        ("SC01", "2025-02-28", "amber", "improving"),
        ("SC01", "2025-03-31", "no_data", "unknown"),
        ("SC02", "2025-03-31", "green", "unknown"),
    ]


def test_command_refuses_a_bad_file_with_row_errors(themes, tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("indicator,period_end,value,numerator,denominator,note\nXX,2025-03-31,1,,,\n")
    with pytest.raises(CommandError, match="was not imported: 1 problem"):
        call_command("import_measurements", str(tmp_path / "bad.csv"))
    assert "Row 2, column 'indicator': There is no indicator with code 'XX'" in capsys.readouterr().err
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_targets", str(tmp_path / "missing.csv"))


def test_codes_match_in_any_case(themes, commissioner):
    from kpis.tests.factories import IndicatorFactory

    IndicatorFactory(code="sc01", name="Typed in the admin in lower case")
    import_indicators(table(INDICATORS), user=commissioner)
    assert Indicator.objects.filter(code__iexact="sc01").count() == 1
    summary = import_measurements(table("indicator,period_end,value,numerator,denominator,note\nSc01,2025-01-31,5,,,\n"),
                                  user=commissioner)
    assert summary.created == 1


def test_an_owner_named_by_post_is_kept_as_text_and_listed_as_getting_no_alerts(themes, commissioner):
    text = INDICATORS.replace(",commissioner,", ",Head of Service,").replace(
        "2024-04-01,,,\nSC03", "2024-04-01,COMMISSIONER@example.gov.uk,,\nSC03")
    summary = import_indicators(table(text), user=commissioner, queue=False)
    sc01, sc02 = Indicator.objects.get(code="SC01"), Indicator.objects.get(code="SC02")
    assert (sc01.owner, sc01.owner_title) == (None, "Head of Service")
    assert (sc02.owner, sc02.owner_title) == (commissioner, "")
    assert "Not linked to an account, so they get no alerts: Head of Service (1 indicator)." in summary.notes
    again = import_indicators(table(text), user=commissioner, queue=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
