"""A council's KPI set as one workbook: owners named by post, themes the system has never seen."""

import io

from openpyxl import Workbook

from kpis.imports import BENCHMARK_COLUMNS, INDICATOR_COLUMNS, MEASUREMENT_COLUMNS, TARGET_COLUMNS
from outcomes.imports import OUTCOME_COLUMNS, OUTCOME_OPTIONAL

OUTCOMES = [
    ["Education", "All children", "All children attend schools that are good or outstanding",
     "Head of Service for Education", "Priority 2", "Prevent"],
    ["Safeguarding and Looked After Children", "All children",
     "Children are protected from harm at home, in school and in the community",
     "Head of Service for Safeguarding", "Priority 1", "Meet"],
]
INDICATORS = [
    # code, name, theme, unit, polarity, frequency, target_kind, target, upper, benchmark, tolerance, from, owner, def
    ["ED01", "Pupils in good or outstanding schools", "education", "Percentage", "Higher is better", "Monthly",
     "At least", "90", "", "", "2", "01/04/2024", "Head of Service for Education", ""],
    ["SC01", "Re-referrals within 12 months", "Safeguarding and Looked After Children", "percentage",
     "LOWER IS BETTER", "monthly", "at most", "22", "", "", "2", "2024-04-01", "Head of Service for Safeguarding", ""],
]
TARGETS = [["ED01", "At least", "92", "", "", "2", "01/04/2025"]]
BENCHMARKS = [["SC01", "31/03/2024", "England", "21.5", "", ""]]
MEASUREMENTS = [
    ["ED01", "31/01/2025", "89", "", "", ""],
    ["ED01", "28/02/2025", "91", "", "", ""],
    ["SC01", "28/02/2025", "25", "", "", "Above target"],
]


def workbook_bytes(sheets: dict[str, list[list[str]]] | None = None) -> bytes:
    sheets = sheets if sheets is not None else {
        "Outcomes": [OUTCOME_COLUMNS + OUTCOME_OPTIONAL, *OUTCOMES],
        "Indicators": [INDICATOR_COLUMNS, *INDICATORS],
        "Targets": [TARGET_COLUMNS, *TARGETS],
        "Benchmarks": [BENCHMARK_COLUMNS, *BENCHMARKS],
        "Measurements": [MEASUREMENT_COLUMNS, *MEASUREMENTS],
    }
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
