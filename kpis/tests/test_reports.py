from datetime import date
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string

from kpis.reports import section_context
from kpis.services import statuses_recompute
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db
Q = {"period_start": date(2025, 1, 1), "period_end": date(2025, 3, 31), "as_of": date(2025, 4, 10)}


def test_section_lists_exceptions_first_with_targets_values_and_charts():
    green = IndicatorFactory(code="A01", name="Assessments on time")
    TargetFactory(indicator=green, value=D(80))
    MeasurementFactory(indicator=green, period_end=date(2025, 2, 28), value=D(85))
    red = IndicatorFactory(code="B01", name="Conferences on time")
    TargetFactory(indicator=red, value=D(90), tolerance=None)
    MeasurementFactory(indicator=red, period_end=date(2024, 12, 31), value=D(88))
    MeasurementFactory(indicator=red, period_end=date(2025, 3, 31), value=D(70))
    MeasurementFactory(indicator=red, period_end=date(2025, 4, 30), value=D(95))  # after the period: ignored
    small = IndicatorFactory(code="C01", name="Children placed over 20 miles", unit="count", counts_children=True,
                             polarity="lower_is_better")
    MeasurementFactory(indicator=small, period_end=date(2025, 3, 31), value=D(3))
    statuses_recompute()
    context = section_context(**Q)
    assert [r["indicator"].code for r in context["exceptions"]] == ["B01"]
    rows = context["themes"][0]["kpis"]
    assert [(r["indicator"].code, r["status"], r["value"]) for r in rows] == [
        ("B01", "red", "70.0%"), ("A01", "green", "85.0%"), ("C01", "no_target", "[c]")]
    assert rows[0]["direction"] == "↓ Worsening" and rows[0]["target"] == "At least 90.0%"
    assert context["uses_suppression"] is True
    html = render_to_string("kpis/pdf/section.html", context | Q | {
        "section": {"number": 3}, "suppression_footnote": "[c] Not shown"})
    assert "3.2 Exceptions" in html and html.count("<svg") == 3 and "<thead>" in html
    assert "RED" in html and "[c] Not shown" in html and ">3<" not in html


def test_section_query_count_is_constant(django_assert_num_queries):
    for i in range(3):
        MeasurementFactory(indicator=IndicatorFactory(), period_end=date(2025, 3, 31), value=D(i))
    with django_assert_num_queries(14):
        section_context(**Q)
    for i in range(10):
        MeasurementFactory(indicator=IndicatorFactory(), period_end=date(2025, 3, 31), value=D(i))
    with django_assert_num_queries(14):
        section_context(**Q)


def test_the_committee_chart_draws_the_same_benchmark_line_as_the_kpi_page():
    from kpis.selectors import indicator_detail
    from kpis.tests.factories import BenchmarkFactory
    from kpis.views import indicator_page_context

    indicator = IndicatorFactory(code="D01", name="Re-referrals")
    TargetFactory(indicator=indicator, kind="at_most_benchmark", value=None, benchmark_source="statistical_neighbours")
    MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=D(20))
    BenchmarkFactory(indicator=indicator, source="england", value=D(21))
    BenchmarkFactory(indicator=indicator, source="statistical_neighbours", value=D(23))
    statuses_recompute()
    page = indicator_page_context(indicator_detail(pk=indicator.pk))
    row = section_context(**Q)["themes"][0]["kpis"][0]
    assert page["line_source"] == "statistical_neighbours"
    assert "Statistical neighbours" in page["chart"] and "Statistical neighbours" in row["chart"]
    assert "England" not in row["chart"]
