from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from core.imports import ImportFailed, read_sheets
from core.models import ImportRecord
from kpis.framework import import_framework
from kpis.imports import INDICATOR_COLUMNS
from kpis.models import Benchmark, Indicator, Measurement
from kpis.tests.framework_workbook import INDICATORS, workbook_bytes
from outcomes.models import Outcome, Theme

pytestmark = pytest.mark.django_db


def _sheets(data=None):
    return read_sheets(data or workbook_bytes(), "framework.xlsx")


def test_the_whole_framework_loads_into_an_empty_system_in_one_go(commissioner):
    summary = import_framework(_sheets(), user=commissioner, queue=False)
    assert {name: (p.created, p.updated, p.unchanged) for name, p in summary.parts.items()} == {
        "Outcomes": (2, 0, 0), "Indicators": (2, 0, 0), "Targets": (1, 0, 0), "Benchmarks": (1, 0, 0),
        "Measurements": (3, 0, 0),
    }
    assert sorted(Theme.objects.values_list("name", flat=True)) == [
        "Education", "Safeguarding and Looked After Children"]
    assert summary.new_references["themes"] == ["Education", "Safeguarding and Looked After Children"]
    ed01 = Indicator.objects.get(code="ED01")
    assert (ed01.theme.name, ed01.unit, ed01.polarity, ed01.owner, ed01.owner_title) == (
        "Education", "percentage", "higher_is_better", None, "Head of Service for Education")
    assert list(ed01.targets.values_list("value", flat=True)) == [D(90), D(92)]
    assert Benchmark.objects.get().value == D("21.5")
    assert Measurement.objects.count() == 3 and Outcome.objects.count() == 2
    again = import_framework(_sheets(), user=commissioner, queue=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 9)


def test_a_problem_on_any_sheet_saves_nothing_from_any_sheet(commissioner):
    data = workbook_bytes()
    sheets = _sheets(data)
    sheets["Measurements"].rows[-1][1]["value"] = "lots"
    with pytest.raises(ImportFailed) as exc:
        import_framework(sheets, user=commissioner, queue=False)
    assert [str(e) for e in exc.value.errors] == ["Sheet 'Measurements', row 4, column 'value': 'lots' is not a number"]
    assert not Theme.objects.exists() and not Outcome.objects.exists() and not Indicator.objects.exists()


def test_a_bad_indicators_sheet_holds_back_the_sheets_that_name_indicators(commissioner):
    bad = [[*row] for row in INDICATORS]
    bad[0][4] = "sideways"
    data = workbook_bytes({
        "Outcomes": [["theme", "age_band", "outcome"]], "Indicators": [INDICATOR_COLUMNS, *bad],
        "Targets": [], "Benchmarks": [], "Measurements": [["indicator", "period_end"], ["ED01", "31/01/2025"]],
    })
    with pytest.raises(ImportFailed) as exc:
        import_framework(_sheets(data), user=commissioner, queue=False)
    messages = [str(e) for e in exc.value.errors]
    assert messages[0].startswith("Sheet 'Indicators', row 2, column 'polarity': 'sideways' is not one of")
    assert messages[1] == ("Sheet 'Measurements': Not checked yet: correct the Indicators sheet first, "
                           "as this sheet names its indicators.")


def test_missing_and_unknown_sheets_get_a_clear_message(commissioner):
    data = workbook_bytes({"Outcomes": [["theme"]], "KPIs": [["code"]]})
    with pytest.raises(ImportFailed) as exc:
        import_framework(_sheets(data), user=commissioner, queue=False)
    text = str(exc.value)
    assert ("There is no sheet called 'KPIs' in a framework workbook. The sheets are: Outcomes, Indicators, "
            "Targets, Benchmarks, Measurements. Rename or remove it.") in text
    assert "The workbook has no Indicators, Targets, Benchmarks, Measurements sheets." in text


def test_command_checks_with_dry_run_then_imports_and_records_it(tmp_path, commissioner, capsys):
    path = tmp_path / "kpi-set.xlsx"
    path.write_bytes(workbook_bytes())
    call_command("import_framework", str(path), "--dry-run")
    assert "It would make: 9 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert not Indicator.objects.exists() and not ImportRecord.objects.exists()
    call_command("import_framework", str(path), "--user", commissioner.username)
    out = capsys.readouterr().out
    assert "kpi-set.xlsx: 9 created, 0 updated, 0 unchanged." in out
    assert "Statuses recomputed for 2 indicator(s)" in out
    assert Measurement.objects.get(indicator__code="SC01").status == "red"
    record = ImportRecord.objects.get()
    assert (record.area, record.kind, record.filename, record.imported_by, record.created) == (
        "kpis", "framework", "kpi-set.xlsx", commissioner, 9)
    assert len(record.sha256) == 64
    bad = tmp_path / "kpi-set.csv"
    bad.write_text("code\n")
    with pytest.raises(CommandError, match=r"kpi-set.csv was not imported: The file must be an Excel workbook "
                                           r"\(.xlsx\) with one sheet for each part. Nothing was saved."):
        call_command("import_framework", str(bad))


def test_the_framework_page_checks_the_workbook_then_saves_it(commissioner_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    upload = SimpleUploadedFile("kpi-set.xlsx", workbook_bytes())
    check = commissioner_client.post(reverse("kpis:import_framework"), {"file": upload})
    html = check.content.decode()
    assert "Nothing has been saved yet" in html and "New themes" in html
    assert [(n, p.created) for n, p in check.context["checked"].parts.items()] == [
        ("Outcomes", 2), ("Indicators", 2), ("Targets", 1), ("Benchmarks", 1), ("Measurements", 3)]
    assert not Indicator.objects.exists() and not Theme.objects.exists()
    commissioner_client.post(reverse("kpis:import_framework"), {"confirm": check.context["digest"]})
    assert Indicator.objects.count() == 2 and Outcome.objects.count() == 2
    bad = workbook_bytes({"Outcomes": [["theme"]], "KPIs": [["code"]]})
    html = commissioner_client.post(reverse("kpis:import_framework"),
                                    {"file": SimpleUploadedFile("kpi-set.xlsx", bad)}).content.decode()
    assert "There is no sheet called &#x27;KPIs&#x27;" in html
    csv = commissioner_client.post(reverse("kpis:import_framework"),
                                   {"file": SimpleUploadedFile("kpi-set.csv", b"code\n")}).content.decode()
    assert "The selected file must be an Excel workbook (.xlsx)" in csv
