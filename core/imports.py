"""Shared machinery for spreadsheet imports (CSV or XLSX): read, validate every row, then write all or nothing.

An importer is a function that takes the parsed table and either returns a summary or
raises `ImportFailed` with every problem found, each with its spreadsheet row number
(the header is row 1, so the first data row is row 2).
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from .periods import parse_date_text


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number; 1 is the header
    message: str
    column: str = ""
    sheet: str = ""  # the workbook sheet, for an import of several sheets at once

    def __str__(self):
        if self.row == 0:  # about the file or the sheet as a whole
            return f"Sheet '{self.sheet}': {self.message}" if self.sheet else self.message
        where = f"Row {self.row}" + (f", column '{self.column}'" if self.column else "")
        if self.sheet:
            where = f"Sheet '{self.sheet}', {where[0].lower()}{where[1:]}"
        return f"{where}: {self.message}"


class ImportFailed(Exception):  # reads better at call sites than ImportFailedError
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class Change:
    """One field of an existing record that an import changes (the check lists these before saving)."""

    record: str
    field: str
    old: str
    new: str


def _shown(value) -> str:
    if value is None or value == "":
        return "(blank)"
    return str(value)


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)  # owners or managers kept as text (no account)
    new_references: dict[str, list[str]] = field(default_factory=dict)  # e.g. {"service areas": ["SEND transport"]}

    created_records: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    indicator_ids: list[int] = field(default_factory=list)
    parts: dict = field(default_factory=dict)  # by sheet, for a workbook of several sheets

    def note_changes(self, record: str, before: dict, after: dict) -> None:
        """Field by field, old -> new, for the fields that differ."""
        for name, old in before.items():
            new = after.get(name)
            if old != new:
                self.changes.append(Change(record, name.removesuffix("_id"), _shown(old), _shown(new)))

    def add_new(self, kind: str, labels) -> None:
        labels = sorted(labels)
        if labels:
            self.new_references[kind] = labels
            self.notes.append(f"New {kind}: {', '.join(labels)}.")

    def __str__(self):
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (spreadsheet row number, {column: text})


class TooLarge(ImportFailed):
    """The file is over a size or row limit: shown on the upload field itself."""


def read_table(data: bytes, filename: str, *, max_rows: int | None = None) -> Table:
    """Read a CSV or XLSX file into text cells. Blank rows are skipped; row numbers are kept.

    Refused before anything is imported, each with a clear message: more than `max_rows` data rows
    (IMPORT_MAX_ROWS by default), an XLSX that expands to more than IMPORT_XLSX_MAX_BYTES, a binary or
    undecodable file, NUL characters, and cells over IMPORT_MAX_CELL_CHARS characters. An XLSX is checked
    from its zip directory and its sheet's dimension before any row is read, and reading stops at the
    limit, so a small file that expands to millions of rows never holds a web worker."""
    from django.conf import settings

    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    name = filename.lower()
    if name.endswith(".xlsx"):
        raw_rows = _xlsx_rows(data, max_rows)
    elif name.endswith(".csv") or name.endswith(".txt"):
        raw_rows = _csv_rows(data, max_rows)
    else:
        raise ImportFailed([RowError(0, "The file must be a CSV (.csv) or Excel workbook (.xlsx).")])
    return _table(raw_rows)


def _table(raw_rows) -> Table:
    from django.conf import settings

    if not raw_rows:
        raise ImportFailed([RowError(1, "The file is empty: it needs a header row.")])
    header = [_clean_header(h) for h in raw_rows[0]]
    while header and header[-1] == "":
        header.pop()
    rows = []
    limit = settings.IMPORT_MAX_CELL_CHARS
    for number, raw in enumerate(raw_rows[1:], start=2):
        cells = [(c or "").strip() for c in raw]
        if not any(cells):
            continue
        rows.append((number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header)}))
    for number, raw in enumerate(raw_rows, start=1):
        for cell in raw:
            if cell and len(cell) > limit:
                raise ImportFailed([RowError(number, f"A cell is longer than {limit:,} characters.")])
            if cell and "\x00" in cell:
                raise ImportFailed([RowError(number, "A cell contains a NUL character: is this a binary file?")])
    return Table(header=header, rows=rows)


def read_sheets(data: bytes, filename: str, *, max_rows: int | None = None) -> dict[str, Table]:
    """Every sheet of an XLSX workbook, by sheet name as written (a blank sheet has no header and no rows).

    The same limits as `read_table`, for each sheet."""
    from django.conf import settings

    if not filename.lower().endswith(".xlsx"):
        raise ImportFailed([RowError(0, "The file must be an Excel workbook (.xlsx) with one sheet for each part.")])
    max_rows = max_rows or settings.IMPORT_MAX_ROWS
    workbook = _xlsx_open(data, max_rows)
    sheets = {}
    try:
        for sheet in workbook.worksheets:
            raw = _sheet_rows(sheet, max_rows)
            blank = not any(any(str(c).strip() for c in row) for row in raw)
            sheets[sheet.title.strip()] = Table(header=[], rows=[]) if blank else _table(raw)
    finally:
        workbook.close()
    return sheets


def _clean_header(value) -> str:
    return re.sub(r"\s+", "_", str(value or "").strip().lower())


def _too_many_rows(max_rows: int) -> TooLarge:
    return TooLarge([RowError(0, f"The file has more than {max_rows:,} rows, the most one import can take. "
                                 "Split it into smaller files.")])


# Zip (so also .xlsx and .docx), PDF, and the old Office format (.xls).
BINARY_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def _csv_rows(data: bytes, max_rows: int) -> list[list[str]]:
    if b"\x00" in data[:8192] or data.startswith(BINARY_SIGNATURES):
        raise ImportFailed([RowError(0, "The file is not a CSV: it looks like a binary file (an old .xls "
                                        "workbook, a PDF or a zip?). Save it as CSV or .xlsx and try again.")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Excel's "CSV" on Windows
        except UnicodeDecodeError as exc:
            row = data[: exc.start].count(b"\n") + 1
            raise ImportFailed([RowError(row, "The file has characters that are neither UTF-8 nor Windows text. "
                                              "Save it as CSV UTF-8 and try again.")]) from exc
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for raw in reader:
            if len(rows) > max_rows:  # the header and max_rows data rows are allowed
                raise _too_many_rows(max_rows)
            rows.append(raw)
    except csv.Error as exc:
        raise ImportFailed([RowError(reader.line_num, f"The CSV could not be read here ({exc}).")]) from exc
    return rows


_XML_ROW = re.compile(rb"<(?:[A-Za-z0-9_]+:)?row[\s>/]")


def _xml_rows_exceed(stream, limit: int, chunk: int = 1 << 20) -> bool:
    """Whether a sheet's XML has more than `limit` <row> elements, read in chunks and stopped at the limit."""
    count, tail = 0, b""
    while block := stream.read(chunk):
        text = tail + block
        cut = max(0, len(text) - 16)  # a tag starting in the last bytes may be cut in half: counted next time
        count += sum(1 for match in _XML_ROW.finditer(text) if match.start() < cut)
        tail = text[cut:]
        if count > limit:
            return True
    return count + len(_XML_ROW.findall(tail)) > limit


def _xlsx_check(data: bytes, max_rows: int) -> None:
    """Refuse a workbook that expands too far or has a sheet over the row limit, before openpyxl reads it."""
    import zipfile

    from django.conf import settings

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
            if expanded > settings.IMPORT_XLSX_MAX_BYTES:
                raise TooLarge([RowError(0, f"The workbook expands to {expanded / 1e6:,.0f} MB, more than the "
                                            f"{settings.IMPORT_XLSX_MAX_BYTES / 1e6:,.0f} MB one import can take. "
                                            "Split it into smaller files.")])
            # openpyxl scans a whole sheet that does not declare its size before giving the first row (about a
            # minute for a million rows): count the rows in the XML first, which takes a fraction of a second.
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with archive.open(info) as sheet_xml:
                        if _xml_rows_exceed(sheet_xml, max_rows + 1):
                            raise _too_many_rows(max_rows)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise ImportFailed([RowError(0, "The file is not a valid Excel workbook (.xlsx).")]) from exc


def rows_more_than(data: bytes, filename: str, limit: int) -> bool:
    """Whether a CSV or XLSX file has more than about `limit` rows (the header included), counted without reading
    it: lines of a CSV (a quoted line break counts twice), <row> elements of a workbook's sheets. False for a file
    that is neither, which `read_table` then refuses."""
    import zipfile

    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                for info in archive.infolist():
                    if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                        with archive.open(info) as sheet_xml:
                            if _xml_rows_exceed(sheet_xml, limit):
                                return True
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError):
            return False
        return False
    if name.endswith((".csv", ".txt")):
        return data.count(b"\n") + (0 if data.endswith(b"\n") else 1) > limit
    return False


def _xlsx_open(data: bytes, max_rows: int):
    from openpyxl import load_workbook

    _xlsx_check(data, max_rows)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFailed([RowError(0, f"The Excel file could not be read ({exc.__class__.__name__}).")]) from exc


def _sheet_rows(sheet, max_rows: int) -> list[list[str]]:
    if (sheet.max_row or 0) > max_rows + 1:  # the sheet's own dimension, read before any row
        raise _too_many_rows(max_rows)
    rows = []
    for raw in sheet.iter_rows(values_only=True):
        if len(rows) > max_rows:  # a sheet that does not declare its size, or declares it wrongly
            raise _too_many_rows(max_rows)
        rows.append([_xlsx_text(v) for v in raw])
    return rows


def _xlsx_rows(data: bytes, max_rows: int) -> list[list[str]]:
    workbook = _xlsx_open(data, max_rows)
    try:
        return _sheet_rows(workbook.worksheets[0], max_rows)
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value)


def check_columns(table: Table, *, required: list[str], optional: list[str] = ()) -> list[RowError]:
    """Missing, unknown and repeated columns, each with a clear message."""
    errors = []
    allowed = set(required) | set(optional)
    missing = [c for c in required if c not in table.header]
    if missing:
        errors.append(RowError(1, f"Missing column(s): {', '.join(missing)}."))
    extra = [c for c in table.header if c not in allowed]
    if extra:
        known = ", ".join(list(required) + list(optional))
        errors.append(RowError(1, f"Unknown column(s): {', '.join(extra)}. Allowed columns are: {known}."))
    repeated = sorted({c for c in table.header if table.header.count(c) > 1})
    if repeated:
        errors.append(RowError(1, f"Repeated column(s): {', '.join(repeated)}."))
    return errors


def parse_date(text: str) -> date:
    """ISO (2025-03-31) or UK day/month/year (31/03/2025), between 1900 and 2100 (core.periods)."""
    return parse_date_text(text)


def parse_decimal(text: str) -> Decimal:
    """Numbers as people type them: 85%, 1,250, £3,400.50, -2.5."""
    cleaned = text.strip().replace(",", "").replace("£", "").replace("%", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"'{text}' is not a number") from exc
    if not value.is_finite():
        raise ValueError(f"'{text}' is not a number")
    return value


def parse_int(text: str) -> int:
    value = parse_decimal(text)
    if value != value.to_integral_value():
        raise ValueError(f"'{text}' is not a whole number")
    return int(value)


def choice_key(text) -> str:
    """'Early help', 'early_help' and 'EARLY-HELP' are the same choice."""
    return re.sub(r"[\s_\-]+", " ", str(text).strip().lower()).strip()


def parse_choice(text: str, choices) -> str:
    """A value from a Django choices class, matched on its code or its label in any case."""
    wanted = choice_key(text)
    for value, label in choices:
        if wanted in (choice_key(value), choice_key(label)):
            return value
    listed = ", ".join(
        str(value) if choice_key(value) == choice_key(label) else f"{value} ({label})" for value, label in choices
    )
    raise ValueError(f"'{text}' is not one of: {listed}")


class ReferenceMatcher:
    """Reference data a council extends (themes, service areas), matched by code or label in any case.

    Text that matches nothing is a new entry: `match` gives it a code (unique, from the text) and
    records it in `new` (code -> label) for the importer to create and the preview to list.
    """

    def __init__(self, entries, *, code_length=20, code_from_text=None):
        self.by_key: dict[str, str] = {}
        for code, label in entries:
            self.by_key.setdefault(choice_key(code), code)
            self.by_key.setdefault(choice_key(label), code)
        self.codes = set(self.by_key.values())
        self.code_length = code_length
        self.code_from_text = code_from_text
        self.new: dict[str, str] = {}

    def match(self, text: str) -> str:
        key = choice_key(text)
        if key in self.by_key:
            return self.by_key[key]
        code = self.code_from_text(text.strip()) if self.code_from_text else self._new_code(key)
        self.by_key[key] = code
        self.codes.add(code)
        self.new[code] = " ".join(text.split())
        return code

    def _new_code(self, key: str) -> str:
        base = re.sub(r"[^a-z0-9]+", "_", key).strip("_")[: self.code_length] or "area"
        code, n = base, 2
        while code in self.codes:
            suffix = f"_{n}"
            code, n = base[: self.code_length - len(suffix)] + suffix, n + 1
        return code


class RowReader:
    """Collects errors while reading one row's cells, so every problem in a row is reported at once."""

    def __init__(self, row_number: int, cells: dict[str, str], errors: list[RowError]):
        self.row = row_number
        self.cells = cells
        self.errors = errors

    def text(self, column: str, *, required=False, max_length=None) -> str:
        value = self.cells.get(column, "").strip()
        if required and not value:
            self.error(column, "is required")
        elif max_length and len(value) > max_length:
            self.error(column, f"is longer than {max_length} characters")
        return value

    def _parse(self, column, parser, required, *args):
        value = self.cells.get(column, "").strip()
        if not value:
            if required:
                self.error(column, "is required")
            return None
        try:
            return parser(value, *args)
        except ValueError as exc:
            self.error(column, str(exc))
            return None

    def date(self, column: str, *, required=False):
        return self._parse(column, parse_date, required)

    def decimal(self, column: str, *, required=False, minimum=None):
        value = self._parse(column, parse_decimal, required)
        if value is not None and minimum is not None and value < minimum:
            self.error(column, f"must be {minimum} or more")
        return value

    def integer(self, column: str, *, required=False, minimum=None):
        value = self._parse(column, parse_int, required)
        if value is not None and minimum is not None and value < minimum:
            self.error(column, f"must be {minimum} or more")
        return value

    def choice(self, column: str, choices, *, required=False):
        return self._parse(column, parse_choice, required, choices)

    def error(self, column: str, message: str):
        self.errors.append(RowError(self.row, message, column))


def unlinked_note(summary: ImportSummary, names, record: str) -> None:
    """Note the owners or managers kept as text because no account matched: they get no alerts."""
    counts: dict[str, int] = {}
    for name in names:
        if name:
            counts[name] = counts.get(name, 0) + 1
    if not counts:
        return
    listed = "; ".join(f"{name} ({n} {record}{'s' if n != 1 else ''})" for name, n in sorted(counts.items()))
    summary.unlinked = sorted(counts)
    summary.notes.append(f"Not linked to an account, so they get no alerts: {listed}.")


class _Rollback(Exception):  # control flow, never seen
    pass


def dry_run(do):
    """Run an import and roll it back: the summary says what would be created and changed; nothing is
    saved, and work queued for after the commit is dropped with it."""
    result = None
    try:
        with transaction.atomic():
            result = do()
            raise _Rollback
    except _Rollback:
        pass
    return result


def run_import(table: Table, *, validate, write) -> ImportSummary:
    """Validate every row first (`validate(table) -> (items, errors)`); write nothing if any is wrong.

    `write(items) -> ImportSummary` runs inside one transaction.
    """
    items, errors = validate(table)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.row, e.column)))
    with transaction.atomic():
        return write(items)
