"""The sufficiency statement and the market position statement: built like the other report kinds, small numbers
suppressed, pdfua clean, and their figures the pages' figures."""

import copy
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from market.models import OfstedSetting
from placements.tests.factories import ChildFactory, CostLineFactory, PlacementFactory
from plans.models import Action
from reports.build import build_pdf
from reports.sections import sections_for
from reports.services import report_run_request
from sufficiency import selectors, services
from sufficiency.models import ForecastRun
from sufficiency.reports import _forecast_chart
from tests.pdf import normalise_whitespace, pdf_text, pdfua_findings

# One test process runs the module, so that its module-scoped build happens once, not once in each process.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("sufficiency-reports")]


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Twelve children in foster care, three in children's homes (a small number) and the forecast worked out;
    the reports built for 2025-26 Q4 in April 2026, once for the module (the data rolled back afterwards)."""
    with django_db_blocker.unblock(), override_settings(PLACEMENTS_LOCAL_AUTHORITY="Reading"), transaction.atomic():
        out = _build()
        transaction.set_rollback(True)
    return out


def _build():
    for i in range(12):
        PlacementFactory(child=ChildFactory(birth_year=2012 + i % 4, birth_month=1 + i),
                         start=date(2024, 1 + i % 12, 5), placement_type="U6")
    for i in range(3):
        home = PlacementFactory(child=ChildFactory(birth_year=2010, birth_month=2 + i), start=date(2025, 2, 1),
                                placement_type="K2", provider_kind="PR4", route="spot")
        CostLineFactory(placement=home, weekly_amount=Decimal("6000"))
    OfstedSetting.objects.create(urn="SC1", provider_type="Children's home", local_authority="Reading", places=2,
                                 registration_status="Active")
    Action.objects.create(subject="Residential care", description="Open a two-bed in-house children's home",
                          due_on=date(2026, 9, 30))
    Action.objects.create(subject="Contracts", description="Re-tender the advocacy contract", due_on=date(2026, 6, 30))
    with time_machine.travel(date(2026, 4, 20), tick=False):
        services.forecast_run_execute(run=ForecastRun.objects.create())
        out = {"forecast": selectors.latest_forecast().result}
        for kind in ("sufficiency", "market_position"):
            run = report_run_request(kind=kind, period="2025-Q4", requested_by=None, queue=False)
            out[kind] = build_pdf(run)
    return out


def test_both_papers_are_report_kinds_of_their_own_and_not_in_committee_packs():
    assert sections_for("sufficiency") == ["sufficiency"]
    assert sections_for("market_position") == ["market_position"]
    assert "sufficiency" not in sections_for("pack") and "market_position" not in sections_for("pack")


def test_the_sufficiency_statement_suppresses_small_numbers_and_carries_the_action_plan(built, tmp_path):
    result = built["sufficiency"]
    text = normalise_whitespace(pdf_text(result.pdf))
    assert "Sufficiency statement" in text and "section 22G" in text
    assert "15 children were looked after" in text
    # Three children in children's homes: a small number, never printed.
    residential = text[text.index("Residential", text.index("Supply within 20 miles")):][:80]
    assert "[c]" in residential
    assert "Not shown to protect confidentiality" in text
    assert "Open a two-bed in-house children's home" in text
    assert "Re-tender the advocacy contract" not in text  # not a sufficiency action
    assert pdfua_findings(result.pdf, tmp_path) == []


def test_the_market_position_statement_shows_prices_and_forecast_spend(built, tmp_path):
    result = built["market_position"]
    text = normalise_whitespace(pdf_text(result.pdf))
    assert "Market position statement" in text and "How to work with us" in text
    assert "Forecast spend by financial year" in text
    assert "Residential £6,000 a week (placement cost lines)" in text
    assert pdfua_findings(result.pdf, tmp_path) == []


def test_the_statement_prints_the_forecast_the_page_shows(built):
    year_on = built["forecast"]["baseline"][11]
    text = normalise_whitespace(pdf_text(built["sufficiency"].pdf))
    month = date.fromisoformat(year_on["date"]).strftime("%B %Y")
    row = text[text.index(month):][:120]
    fostering = round(year_on["fostering"])
    assert row.startswith(f"{month} {fostering if fostering > 5 else '[c]'}")


def test_the_statement_draws_the_forecast_pages_chart_unless_a_total_is_a_small_number(built):
    # Here the first months of what happened had 1 to 5 children: the chart would give them away.
    assert "Children looked after by month" not in built["sufficiency"].html
    assert _forecast_chart(SimpleNamespace(result=built["forecast"])) == ""
    assert _forecast_chart(None) == ""

    county = copy.deepcopy(built["forecast"])  # the same forecast at a county's size
    for month in county["history"] + county["baseline"]:
        for key in ("total", "total_low", "total_high"):
            if month.get(key) is not None:
                month[key] *= 20
    last = county["baseline"][-1]
    ending = date.fromisoformat(last["date"]).strftime("%B %Y")
    total, low, high = (round(last[key]) for key in ("total", "total_low", "total_high"))
    chart = _forecast_chart(SimpleNamespace(result=county))
    assert chart.startswith('<img class="chart" alt="Children looked after by month: what happened, then the '
                            f'forecast to {ending}, when it is {total} (likely range {low} to {high})."')
    county["baseline"][30]["total_low"] = 4.6  # rounds to 5
    assert _forecast_chart(SimpleNamespace(result=county)) == ""
