"""The committee pack's PDF text holds each section's heading, the KPI codes and the [c] markers the data calls for."""

import re
from datetime import date
from decimal import Decimal

import pytest

from plans.tests.factories import ActionFactory
from reports.sections import sections_for
from reports.services import report_run_execute
from tests.pdf import pdf_text

from .factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def test_every_section_is_wired():
    assert sections_for("pack") == ["performance", "contracts", "placements", "finance", "market", "actions",
                                    "programme"]


def test_pack_pdf_has_every_section_kpi_codes_and_suppression_markers():
    from kpis.services import statuses_recompute
    from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
    from placements.tests.factories import PlacementFactory

    red = IndicatorFactory(code="CSC01", name="Re-referrals within 12 months", polarity="lower_is_better")
    TargetFactory(indicator=red, kind="at_most", value=Decimal("22"), tolerance=Decimal("2"))
    MeasurementFactory(indicator=red, period_end=date(2025, 12, 31), value=Decimal("24.5"))
    MeasurementFactory(indicator=red, period_end=date(2026, 3, 31), value=Decimal("27.0"))
    small = IndicatorFactory(
        code="LAC07",
        name="Children placed in secure homes",
        unit="count",
        polarity="lower_is_better",
        counts_children=True,
    )
    MeasurementFactory(indicator=small, period_end=date(2026, 3, 31), value=Decimal("3"))
    statuses_recompute()
    for _ in range(3):  # 3 in children's homes: suppressed, and the next smallest group with it
        PlacementFactory(start=date(2026, 2, 1), placement_type="K2", provider_kind="PR4")
    for _ in range(9):
        PlacementFactory(start=date(2025, 2, 1), placement_type="U6", provider_kind="PR1")
    ActionFactory(subject="Sufficiency", description="Refresh the sufficiency statement", due_on=date(2026, 1, 10))

    run = ReportRunFactory(kind="pack", period="2025-Q4", parameters={"sections": []})
    run = report_run_execute(run_id=run.pk)
    assert run.status == "complete", run.error
    with run.file.open("rb") as fh:
        text = pdf_text(fh.read())
    upper = text.upper()
    for heading in [
        "5. PERFORMANCE AGAINST KEY INDICATORS",
        "5.2 SUMMARY BY THEME",
        "5.3 EXCEPTIONS",
        "5.4 EXCEPTIONS IN DETAIL",
        "5.4.1 CSC01 RE-REFERRALS WITHIN 12 MONTHS",
        "5.5 OTHER INDICATORS",
        "6. CONTRACTS",
        "7. PLACEMENTS AND SUFFICIENCY",
        "8. FINANCIAL POSITION",
        "9. MARKET AND QUALITY",
        "10. ACTION PLAN PROGRESS",
        "APPENDIX A: TRENDS OF THE INDICATORS NOT REPORTED AS EXCEPTIONS",
        "APPENDIX B: DATA NOTES",
    ]:
        assert heading in upper, heading
    # in report order; LAC07 (no target) is behind the exceptions, with its chart in the appendix
    positions = [upper.index(h) for h in ["5.3 EXCEPTIONS", "5.4.1 CSC01", "5.5 OTHER INDICATORS", "6. CONTRACTS",
                                          "APPENDIX A: TRENDS", "APPENDIX B: DATA NOTES"]]
    assert positions == sorted(positions)
    assert re.findall(r"5\.4\.\d+ [A-Z]+\d+", text) == ["5.4.1 CSC01"]
    assert "LAC07" in text[upper.index("APPENDIX A: TRENDS"):], text[upper.index("APPENDIX A: TRENDS"):][:1500]
    assert "CSC01" in text and "LAC07" in text
    assert "[c]" in text
    # under the KPI section (it prints its own), the placements section (added) and in the data notes
    assert text.count("Not shown to protect confidentiality") >= 3
    assert "Refresh the sufficiency statement" in text
    assert "Not included because" not in text
