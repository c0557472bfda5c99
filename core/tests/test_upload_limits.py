"""Uploads that are too big, binary, undecodable or otherwise unreadable are refused with a clear message
before anything is read in full or saved."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from core.imports import ImportFailed, TooLarge, read_table


def xlsx(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problem(data, name, **kwargs) -> str:
    with pytest.raises(ImportFailed) as failed:
        read_table(data, name, **kwargs)
    return " | ".join(str(e) for e in failed.value.errors)


def test_an_xlsx_with_more_rows_than_the_limit_is_refused_from_its_dimension(settings):
    settings.IMPORT_MAX_ROWS = 100
    data = xlsx([["code", "value"]] + [[f"K{i}", i] for i in range(101)])
    with pytest.raises(TooLarge, match="more than 100 rows"):
        read_table(data, "values.xlsx")
    assert len(read_table(data, "values.xlsx", max_rows=101).rows) == 101


def without_dimension(data: bytes) -> bytes:
    """The same workbook with no <dimension> in its sheet, as some tools write them."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                body = re.sub(rb"<dimension[^>]*/>", b"", body)
            dst.writestr(item.filename, body)
    return out.getvalue()


def test_an_xlsx_whose_sheet_hides_its_size_is_refused_before_openpyxl_scans_it(settings, monkeypatch):
    """openpyxl reads a whole undeclared sheet before the first row (a minute for a million rows): the rows
    are counted in the XML first, stopping at the limit."""
    import openpyxl

    settings.IMPORT_MAX_ROWS = 100
    data = without_dimension(xlsx([["code"]] + [[f"K{i}"] for i in range(101)]))
    assert b"<dimension" not in data
    assert len(read_table(data, "values.xlsx", max_rows=101).rows) == 101
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("the workbook was opened"))
    with pytest.raises(TooLarge, match="more than 100 rows"):
        read_table(data, "values.xlsx")


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_counting_rows_in_the_sheet_xml_does_not_depend_on_where_a_chunk_ends(chunk):
    from core.imports import _xml_rows_exceed

    xml = b"<sheetData>" + b"".join(b'<x:row r="%d"><c/></x:row><row/>' % i for i in range(50)) + b"</sheetData>"
    assert not _xml_rows_exceed(io.BytesIO(xml), 100, chunk=chunk)
    assert _xml_rows_exceed(io.BytesIO(xml), 99, chunk=chunk)


def test_an_xlsx_that_expands_beyond_the_limit_is_refused_before_it_is_opened(settings, monkeypatch):
    import openpyxl

    settings.IMPORT_XLSX_MAX_BYTES = 2000
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("the workbook was opened"))
    message = problem(xlsx([["note"]] + [["x" * 500] for _ in range(20)]), "big.xlsx")
    assert "The workbook expands to" in message and "Split it into smaller files" in message


def test_a_csv_over_the_row_limit_is_refused(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_table(b"a\n1\n2\n3\n", "ok.csv").rows) == 3
    assert "more than 3 rows" in problem(b"a\n1\n2\n3\n4\n", "big.csv")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"%PDF-1.7\n...", "it looks like a binary file"),
        (xlsx([["a"], ["1"]]), "it looks like a binary file"),  # a workbook renamed .csv
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "it looks like a binary file"),  # an old .xls
        (b"a,b\n1,\x00\x01\x02\n", "it looks like a binary file"),
        (b"a,b\n1,2\n3,caf\x81\n", "Row 3: The file has characters that are neither UTF-8 nor Windows text"),
        (b"a,b\n" + b"1,2\n" * 3000 + b"3,x\x00y\n", "Row 3002: A cell contains a NUL character"),
        (b"a,b\n1," + b"x" * 10_001 + b"\n", "Row 2: A cell is longer than 10,000 characters"),
        (b"a,b\n1,2\n2," + b"x" * 200_000 + b"\n", "Row 3: The CSV could not be read here"),
    ],
)
def test_files_that_are_not_readable_text_are_refused_naming_the_row(data, message):
    assert message in problem(data, "upload.csv")


def test_a_damaged_xlsx_is_refused():
    assert "not a valid Excel workbook" in problem(b"not a zip at all", "book.xlsx")


@pytest.mark.django_db
def test_kpi_import_over_the_limit_says_so_and_saves_nothing(admin_user_client, settings):
    from kpis.models import Indicator

    settings.IMPORT_MAX_ROWS = 5
    rows = [["code", "name"]] + [[f"K{i}", f"KPI {i}"] for i in range(6)]
    response = admin_user_client.post(
        reverse("kpis:import_indicators"), {"file": SimpleUploadedFile("kpis.xlsx", xlsx(rows))}
    )
    assert response.status_code == 200
    assert "more than 5 rows, the most one import can take" in response.content.decode()
    assert not Indicator.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("too_big", ["header", "episodes"])
def test_a_903_file_over_the_limit_is_named_by_the_check(placements_client, settings, too_big,
                                                         django_capture_on_commit_callbacks):
    from placements.models import Child, Placement
    from placements.tests.test_import_903 import EPISODES, HEADER

    settings.IMPORT_MAX_ROWS = 2  # header file: the KPI limit
    settings.IMPORT_903_EPISODES_MAX_ROWS = 4  # episodes file: its own, larger limit
    header = HEADER + ("100003,M,01/01/2012,WBRI,C123456789012,,\n" if too_big == "header" else "")
    episodes = EPISODES + ("100002,01/01/2025,P,C1,N1,U4,PR4,,,,RG2 0AA,RG2 9QQ,\n" if too_big == "episodes" else "")
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(reverse("placements:import_903"), {
            "header": SimpleUploadedFile("header.csv", header.encode()),
            "episodes": SimpleUploadedFile("episodes.csv", episodes.encode()),
        })
    response = placements_client.get(response.url)
    limit = 2 if too_big == "header" else 4
    problems = response.context["job"].problems
    assert problems == [{"row": 0, "column": f"{too_big} file", "child": None, "message":
                         f"The file has more than {limit} rows, the most one import can take. Split it into smaller "
                         "files."}]
    assert "The return cannot be imported as it is: 1 problem found" in response.content.decode()
    assert not Child.objects.exists() and not Placement.objects.exists()


def workbook(sheets: dict[str, list]) -> bytes:
    book = Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_workbook_of_several_sheets_is_held_to_the_same_limits_on_every_sheet(settings):
    from core.imports import read_sheets

    settings.IMPORT_MAX_ROWS = 3
    fits = {"Lots": [["code"], ["L1"], ["L2"], ["L3"]], "Providers": [["name"], ["Acorn"]]}
    assert [len(t.rows) for t in read_sheets(workbook(fits), "framework.xlsx").values()] == [3, 1]
    too_long = {"Lots": [["code"], ["L1"]], "Providers": [["name"]] + [[f"P{i}"] for i in range(4)]}
    with pytest.raises(TooLarge, match="more than 3 rows"):
        read_sheets(workbook(too_long), "framework.xlsx")
    settings.IMPORT_MAX_CELL_CHARS = 10
    with pytest.raises(ImportFailed, match="longer than 10 characters"):
        read_sheets(workbook({"Lots": [["code"], ["L" * 11]]}), "framework.xlsx")
