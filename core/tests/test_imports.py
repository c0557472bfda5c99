from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook

from core.imports import (
    ImportFailed,
    RowReader,
    check_columns,
    parse_date,
    parse_decimal,
    read_table,
)


@pytest.mark.parametrize(
    "text,expected",
    [("85%", Decimal("85")), ("85", Decimal("85")), ("85.0", Decimal("85.0")), ("1,250", Decimal("1250")),
     ("£3,400.50", Decimal("3400.50")), (" -2.5 ", Decimal("-2.5"))],
)
def test_parse_decimal_accepts_what_people_type(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["abc", "", "NaN", "Infinity", "12..5"])
def test_parse_decimal_rejects_non_numbers(text):
    with pytest.raises(ValueError, match="is not a number"):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text,expected",
    [("2025-03-31", date(2025, 3, 31)), ("31/03/2025", date(2025, 3, 31)), ("1/4/2025", date(2025, 4, 1))],
)
def test_parse_date_iso_and_uk(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31/02/2025", "2025/03/31", "March 2025", "13/13/2025"])
def test_parse_date_rejects_with_a_clear_message(text):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(text)


def test_read_csv_keeps_spreadsheet_row_numbers_and_skips_blank_rows():
    table = read_table(b"Code,Value\nA,1\n,\nB,2\n", "x.csv")
    assert table.header == ["code", "value"]
    assert table.rows == [(2, {"code": "A", "value": "1"}), (4, {"code": "B", "value": "2"})]


def test_read_xlsx_gives_the_same_table_as_csv():
    wb = Workbook()
    ws = wb.active
    ws.append(["code", "period_end", "value"])
    ws.append(["SC01", date(2025, 3, 31), 21.5])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "x.xlsx")
    assert table.rows == [(2, {"code": "SC01", "period_end": "2025-03-31", "value": "21.5"})]


def test_unknown_file_type_is_refused():
    with pytest.raises(ImportFailed, match="CSV"):
        read_table(b"", "x.pdf")


def test_check_columns_names_missing_and_unknown_columns():
    table = read_table(b"code,colour\n", "x.csv")
    errors = [str(e) for e in check_columns(table, required=["code", "name"], optional=["note"])]
    assert errors == [
        "Row 1: Missing column(s): name.",
        "Row 1: Unknown column(s): colour. Allowed columns are: code, name, note.",
    ]


def test_row_reader_reports_every_problem_in_a_row():
    errors = []
    reader = RowReader(7, {"a": "x", "b": "", "c": "-1"}, errors)
    reader.decimal("a")
    reader.text("b", required=True)
    reader.integer("c", minimum=0)
    assert [str(e) for e in errors] == [
        "Row 7, column 'a': 'x' is not a number",
        "Row 7, column 'b': is required",
        "Row 7, column 'c': must be 0 or more",
    ]
