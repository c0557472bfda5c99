"""The demo's committee pack leads with what matters: page 1 summarises the figures (the indicators' statuses and
the change since the quarter before, the worst exceptions, the forecast outturn against budget, the contract
decisions overdue); the exceptions show their target, previous value and change, and their commentary or that
there is none; the implications state what the figures say; and no page of the report is left mostly blank.

The demo data is loaded once for the module, with the clock at a fixed day (its figures are relative to today).
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core.formatting import format_money
from core.periods import Quarter, figures_day
from finance import reports as finance_reports
from kpis.reports import section_context as kpi_section
from reports.build import build_pdf
from reports.services import report_run_request
from reports.tests.demo import demo_data_at
from tests.pdf import pdf_page_texts

# One test process runs the module, so that its module-scoped build happens once, not once in each process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("report-leads-with-what-matters")]

BUILT_ON = datetime(2026, 10, 20, 9, 0, tzinfo=ZoneInfo("Europe/London"))
QUARTER = Quarter.parse("2026-Q2")


@pytest.fixture(scope="module")
def pack(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), demo_data_at(BUILT_ON):
        run = report_run_request(kind="pack", period=QUARTER.code, requested_by=None, queue=False)
        pages = pdf_page_texts(build_pdf(run).pdf)
        context = kpi_section(period_start=QUARTER.start, period_end=QUARTER.end, as_of=run.as_of)
        figures = finance_reports.position(as_of=figures_day(QUARTER.end, today=run.as_of))["figures"]
    return {"run": run, "pages": pages, "text": " ".join(pages), "kpis": context, "figures": figures}


def test_page_one_states_the_statuses_and_the_forecast_overspend(pack):
    page_one = pack["pages"][0]
    counts = {status: n for _, status, n in pack["kpis"]["counts"]}
    assert counts["red"] and counts["amber"]
    assert (f"Of the {pack['kpis']['total']} key performance indicators, {counts['red']} are red, "
            f"{counts['amber']} amber and {counts['green']} green") in page_one
    assert "at the end of the quarter before," in page_one
    worst = pack["kpis"]["exceptions"][0]
    assert worst["status"] == "red" and "The most pressing exceptions:" in page_one
    variance = pack["figures"].variance
    assert variance > 0  # the demo's year overspends
    assert (f"forecast to end the year at {format_money(pack['figures'].forecast)} against a budget of "
            f"{format_money(pack['figures'].budget)}: an overspend of {format_money(variance)}") in page_one
    assert re.search(r"\d+ contracts? ha(s|ve) passed (its|their) decision date with no decision recorded", page_one)


def test_the_exceptions_table_has_target_previous_value_and_change(pack):
    text = pack["text"]
    assert "Indicator Latest value Previous value Change Target Status Direction of travel" in text
    for r in pack["kpis"]["exceptions"]:
        assert r["previous"] is not None
        assert f"{r['previous_value']} {r['previous'].period_end:%b %Y} {r['change']}" in text, r["indicator"].code


def test_each_exception_shows_its_commentary_or_that_none_is_recorded(pack):
    exceptions = pack["kpis"]["exceptions"]
    without = [r for r in exceptions if not r["commentary"]]
    assert without and len(without) < len(exceptions)
    assert pack["text"].count("No commentary recorded.") == len(without)
    for r in exceptions:
        if r["commentary"]:
            assert " ".join(r["commentary"].split()) in pack["text"]


def test_the_build_warns_of_red_or_amber_kpis_without_approved_commentary(pack):
    exceptions = pack["kpis"]["exceptions"]
    missing = sum(1 for r in exceptions if not r["commentary"] or r["provisional"])
    assert missing
    assert pack["run"].parameters["warnings"] == [f"{missing} red or amber KPIs have no approved commentary"]


def test_the_implications_state_the_forecast_variance_and_the_reds_without_a_remedial_action(pack):
    text = pack["text"]
    implications = text[text.index("IMPLICATIONS"):]
    assert f"an overspend of {format_money(pack['figures'].variance)}" in implications
    assert "There are no financial implications" not in text
    assert "each has commentary" not in text
    reds = [r for r in pack["kpis"]["exceptions"] if r["status"] == "red"]
    no_action = [r["indicator"].code for r in reds if not r["remedial_action"]]
    assert f"{len(reds)} indicators are rated red" in implications
    assert f"{len(no_action)} of them have no remedial action recorded: {', '.join(no_action)}." in implications


def test_no_page_before_the_appendices_is_left_mostly_blank(pack):
    """The front sheet used to end on a page of its own, three-quarters blank, and the performance summary on
    another: the sections now run on. A page of text holds 2,000 to 5,000 characters, a page of charts 700 or so."""
    pages = pack["pages"]
    last = next(n for n, p in enumerate(pages) if "BACKGROUND PAPERS" in p)
    short = [(n + 1, len(p)) for n, p in enumerate(pages[:last]) if len(p) < 500]
    assert not short, short
    assert "5. PERFORMANCE AGAINST KEY INDICATORS" in pages[1]
