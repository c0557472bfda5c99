"""Every kind of report, built from the demo data, is a PDF a screen reader can use: pdfua finds no error and no
warning, every table header cell carries /Scope, no heading is empty; and the member summary fits four pages.

The demo data is loaded once for the module (its figures are relative to today, so the clock is frozen at a
fixed day: the 2025/26 Q4 reports as a committee officer would build them in April 2026).
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from reports.build import build_pdf
from reports.models import ReportRun
from reports.services import report_run_request
from reports.tests.demo import demo_data_at
from tests.pdf import empty_headings, header_cell_scopes, pdf_page_texts, pdfua_findings

# Each test is marked for the database so the module's fixture below runs on the test database, not the
# development one.
# One test process runs the module, so that its module-scoped build happens once, not once in each process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("report-accessibility")]

BUILT_ON = datetime(2026, 4, 20, 9, 0, tzinfo=ZoneInfo("Europe/London"))
PERIOD = "2025-Q4"


@pytest.fixture(scope="module")
def demo_reports(django_db_setup, django_db_blocker):
    """kind -> BuildResult for every kind of report, built from the demo data (rolled back afterwards)."""
    built = {}
    with django_db_blocker.unblock(), demo_data_at(BUILT_ON):
        for kind in ReportRun.Kind.values:
            run = report_run_request(kind=kind, period=PERIOD, requested_by=None, queue=False)
            built[kind] = build_pdf(run)
    return built


@pytest.mark.parametrize("kind", ReportRun.Kind.values)
def test_every_report_kind_passes_pdfua_with_no_error_or_warning(demo_reports, kind, tmp_path):
    result = demo_reports[kind]
    assert pdfua_findings(result.pdf, tmp_path) == []
    assert empty_headings(result.pdf) == []


@pytest.mark.parametrize("kind", ReportRun.Kind.values)
def test_every_table_header_cell_carries_a_scope(demo_reports, kind):
    scopes = header_cell_scopes(demo_reports[kind].pdf)
    assert scopes, "every report has a table (the front sheet at least)"
    assert "" not in scopes
    # The front sheet's eight row headers, read from the HTML's scope="row", come first.
    assert scopes[:8] == ["Row"] * 8
    assert "Column" in scopes


def test_no_table_is_printed_with_a_caption_and_no_rows(demo_reports):
    """An empty list is a sentence, never a table of headings alone: every <table> in the HTML has a data row."""
    for kind, result in demo_reports.items():
        for table in re.findall(r"<table.*?</table>", result.html, flags=re.S):
            assert "<td" in table, (kind, table[:200])


def test_the_member_summary_is_the_summary_and_exceptions_in_at_most_four_pages(demo_reports):
    result = demo_reports[ReportRun.Kind.MEMBER_SUMMARY]
    pages = pdf_page_texts(result.pdf)
    assert result.page_count == len(pages) <= 4
    text = " ".join(pages)
    assert "2.2 Summary by theme" in text and "2.3 Exceptions" in text and "2.4 Exceptions in detail" in text
    # Every red and amber KPI of the performance report is in it, in detail; nothing behind the exceptions is.
    performance = " ".join(pdf_page_texts(demo_reports[ReportRun.Kind.PERFORMANCE].pdf))
    detailed = re.findall(r"5\.4\.\d+ ([A-Z]{2}\d{2}) ", performance)
    assert len(detailed) >= 10
    assert re.findall(r"2\.4\.\d+ ([A-Z]{2}\d{2}) ", text) == detailed
    assert "Other indicators" not in text and "TRENDS OF THE INDICATORS" not in text.upper()
    assert "Other indicators" in performance and "TRENDS OF THE INDICATORS NOT REPORTED AS EXCEPTIONS" in performance


def test_the_summary_of_the_performance_report_follows_the_front_sheet_and_lists_every_exception_first(demo_reports):
    """The summary runs on from the front sheet on page 2 (it no longer waits for a page of its own, leaving the one
    before mostly blank), and the whole list of exceptions comes before their detail."""
    pages = pdf_page_texts(demo_reports[ReportRun.Kind.PERFORMANCE].pdf)
    summary = [i for i, page in enumerate(pages) if "5.2 Summary by theme" in page]
    assert summary == [1]
    assert "5.3 Exceptions" in pages[1]
    text = " ".join(pages)
    listed = text[text.index("5.3 Exceptions"):text.index("5.4 Exceptions in detail")]
    detailed = re.findall(r"5\.4\.\d+ ([A-Z]{2}\d{2}) ", text)
    assert detailed and all(code in listed for code in detailed), detailed
