"""Table header cells in the tagged PDF carry /Scope (WeasyPrint writes none; reports.pdf adds it)."""

from reports.pdf import html_to_pdf
from tests.pdf import header_cell_scopes, pdfua_findings

HTML = """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Scopes</title></head><body>
<table><caption>Column headers in the head</caption>
  <thead><tr><th scope="col">Contract</th><th scope="col">Value</th></tr></thead>
  <tbody><tr><td>CYP-1</td><td>£10</td></tr><tr><td>CYP-2</td><td>£20</td></tr></tbody></table>
<table><caption>Row headers beside their cells</caption>
  <tbody><tr><th scope="row">Report to</th><td>Children's Scrutiny</td></tr>
  <tr><th scope="row">Agenda item</th><td>7</td></tr></tbody>
  <tfoot><tr><th scope="row">Total</th><td>2</td></tr></tfoot></table>
<table><caption>A header row in the body</caption>
  <tbody><tr><th>Theme</th><th>Red</th></tr><tr><td>Education</td><td>2</td></tr></tbody></table>
</body></html>"""


def test_each_header_cell_gets_the_scope_its_table_gives_it(tmp_path):
    pdf, pages = html_to_pdf(HTML)
    assert pages == 1
    assert header_cell_scopes(pdf) == ["Column", "Column", "Row", "Row", "Row", "Column", "Column"]
    assert pdfua_findings(pdf, tmp_path) == []


def test_an_untagged_pdf_is_left_as_it_is(settings):
    settings.REPORTS_PDF_VARIANT = ""
    pdf, _ = html_to_pdf(HTML)
    assert pdf.startswith(b"%PDF") and b"/StructTreeRoot" not in pdf


def test_the_cycle_collector_is_on_again_after_a_build_whether_it_succeeds_or_fails(monkeypatch):
    import gc

    import pytest

    import reports.pdf

    seen = []

    class FailingHTML:
        def __init__(self, **kwargs):
            seen.append(gc.isenabled())

        def render(self):
            raise RuntimeError("layout failed")

    assert gc.isenabled()
    html_to_pdf(HTML)
    assert gc.isenabled()
    monkeypatch.setattr(reports.pdf, "HTML", FailingHTML)
    with pytest.raises(RuntimeError):
        html_to_pdf(HTML)
    assert seen == [False]  # paused while WeasyPrint ran
    assert gc.isenabled()
