"""A member summary stays within four pages when a quarter has many exceptions, each with its commentary."""

from datetime import date
from decimal import Decimal as D

import pytest

from kpis.services import statuses_recompute
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory
from outcomes.tests.factories import ThemeFactory
from reports.build import build_pdf
from reports.services import report_run_request
from tests.pdf import pdf_page_texts

pytestmark = pytest.mark.django_db

NAMES = [
    "Children looked after with three or more placements in the year",
    "Education, health and care plans issued within 20 weeks, excluding exceptions",
    "Young people aged 16 and 17 not in education, employment or training",
    "Initial child protection conferences held within 15 working days of the strategy discussion",
]


def quarter_with_exceptions(count: int, *, green: int = 10, worsening=()):
    themes = [ThemeFactory(name=name) for name in ("Education", "Early Help", "Safeguarding and Looked After Children")]
    ends = [date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31)]
    for i in range(count + green):
        kpi = IndicatorFactory(code=f"EX{i:02d}", name=NAMES[i % len(NAMES)], theme=themes[i % 3],
                               frequency="quarterly")
        TargetFactory(indicator=kpi, kind="at_least", value=D(70), tolerance=D(5))
        latest = D(60) if i < count // 2 else D(67) if i < count else D(80)  # red, amber, green
        for n, end in enumerate(ends):
            MeasurementFactory(
                indicator=kpi, period_end=end, value=latest + 3 - n if kpi.code in worsening else latest - 3 + n,
                commentary="Demand rose after the summer; a recovery plan is with the head of service." if i < count
                else "",
            )
    statuses_recompute()


@pytest.mark.parametrize("exceptions", [12, 21])
def test_the_member_summary_fits_four_pages_with_every_exception_in_detail(exceptions):
    quarter_with_exceptions(exceptions)
    run = report_run_request(kind="member_summary", period="2025-Q4", requested_by=None, queue=False)
    result = build_pdf(run)
    pages = pdf_page_texts(result.pdf)
    assert len(pages) <= 4, [len(p) for p in pages]
    text = " ".join(pages)
    assert f"2.4.{exceptions} EX" in text and f"2.4.{exceptions + 1} " not in text
    assert text.count("a recovery plan is with the head of service") == exceptions


def test_a_member_summary_of_a_county_details_the_most_pressing_and_says_how_many_more():
    quarter_with_exceptions(40, worsening={"EX39"})
    run = report_run_request(kind="member_summary", period="2025-Q4", requested_by=None, queue=False)
    pages = pdf_page_texts(build_pdf(run).pdf)
    assert len(pages) <= 4
    text = " ".join(pages)
    assert "19 further indicators are red or amber, listed and detailed in the quarterly performance report" in text
    # every red, then the amber getting worse
    assert "2.4.20 EX19 " in text and "2.4.21 EX39 " in text and "EX20 " not in text
    assert text.count("a recovery plan is with the head of service") == 21
