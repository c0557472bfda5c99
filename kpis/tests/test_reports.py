import base64
import re
from datetime import date
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string

from kpis.reports import section_context
from kpis.services import statuses_recompute
from kpis.tests.factories import IndicatorFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db
Q = {"period_start": date(2025, 1, 1), "period_end": date(2025, 3, 31), "as_of": date(2025, 4, 10)}


def chart_svg(img: str) -> str:
    """The SVG inside a printed chart (an <img> with a data: URI)."""
    return base64.b64decode(re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', str(img)).group(1)).decode()


def render(context, **extra) -> str:
    return render_to_string("kpis/pdf/section.html", context | Q | {
        "section": {"number": 3}, "suppression_footnote": "[c] Not shown", **extra})


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
    html = render(context)
    summary, detail, others = re.split(r"<h3>3\.4 Exceptions in detail</h3>|<h3>3\.5 Other indicators</h3>", html)
    assert "3.2 Summary by theme" in summary and "3.3 Exceptions" in summary and "B01 Conferences on time" in summary
    # the exception in detail, with its chart; the indicators on target in a table behind, their charts not here
    assert "3.4.1 B01 Conferences on time" in detail and detail.count('<img class="chart"') == 1
    assert "Target: At least 90." in detail and "Benchmarks: none published." in detail
    assert "A01 Assessments on time" in others and "C01" in others and "<img" not in others and "<thead>" in others
    assert "RED" in html and "[c] Not shown" in html and ">3<" not in html
    appendix = render_to_string(context["appendix_template"], context | Q | {"section": {"number": 3}})
    assert appendix.count('<img class="chart"') == 2 and "A01 Assessments on time" in appendix
    assert "B01" not in appendix


def test_the_summary_counts_statuses_and_directions_by_theme_and_in_all():
    from outcomes.tests.factories import ThemeFactory

    education, early_help = ThemeFactory(name="Education", order=1), ThemeFactory(name="Early help", order=2)
    for code, theme, values in [
        ("E01", education, [D(70), D(60)]),  # red, worsening
        ("E02", education, [D(86), D(88)]),  # green, improving
        ("H01", early_help, [D(80), D(82)]),  # amber, improving
        ("H02", early_help, [D(90), D(90)]),  # green, no change
    ]:
        indicator = IndicatorFactory(code=code, theme=theme)
        TargetFactory(indicator=indicator, value=D(85), tolerance=D(5))
        MeasurementFactory(indicator=indicator, period_end=date(2024, 12, 31), value=values[0])
        MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=values[1])
    statuses_recompute()
    context = section_context(**Q)
    # statuses in the order red, amber, green, no target, no data
    assert [(t["name"], t["statuses"], t["improving"], t["no_change"], t["worsening"]) for t in context["themes"]] == [
        ("Education", [1, 0, 1, 0, 0], 1, 0, 1),
        ("Early help", [0, 1, 1, 0, 0], 1, 1, 0),
    ]
    assert context["all_themes"]["statuses"] == [1, 1, 2, 0, 0] and context["all_themes"]["improving"] == 2
    assert [r["indicator"].code for r in context["exceptions"]] == ["E01", "H01"]
    html = render(context)
    assert re.search(r"<th scope=\"row\">All themes</th><td class=\"num\">1</td><td class=\"num\">1</td>"
                     r"<td class=\"num\">2</td>", html)
    assert "3.4.1 E01" in html and "3.4.2 H01" in html


def test_an_exception_shows_its_benchmarks_and_its_commentary():
    from kpis.tests.factories import BenchmarkFactory

    indicator = IndicatorFactory(code="S01", name="Re-referrals", polarity="lower_is_better")
    TargetFactory(indicator=indicator, kind="at_most", value=D(20), tolerance=D(2))
    MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=D("25.5"))
    BenchmarkFactory(indicator=indicator, source="england", period_end=date(2024, 3, 31), value=D("22.4"))
    BenchmarkFactory(indicator=indicator, source="statistical_neighbours", period_end=date(2024, 3, 31),
                     value=D(21), minimum=D("15.5"), maximum=D("27"))
    BenchmarkFactory(indicator=indicator, source="england", period_end=date(2026, 3, 31), value=D(30))  # later
    statuses_recompute()
    context = section_context(**Q)
    row = context["exceptions"][0]
    assert row["benchmarks"] == [
        "England 22.4% (March 2024)",
        "Statistical neighbours 21.0%, range 15.5% to 27.0% (March 2024)",
    ]
    row["commentary"] = "More contacts from schools since September; a triage pilot starts in May."
    row["provisional"] = False
    html = render(context)
    assert "Benchmarks: England 22.4% (March 2024); Statistical neighbours 21.0%, range 15.5% to 27.0%" in html
    assert "<strong>Commentary:</strong> More contacts from schools since September" in html


def test_a_member_summary_has_the_summary_and_exceptions_alone_with_small_charts():
    red = IndicatorFactory(code="B01", name="Conferences on time")
    TargetFactory(indicator=red, value=D(90), tolerance=None)
    MeasurementFactory(indicator=red, period_end=date(2025, 3, 31), value=D(70))
    green = IndicatorFactory(code="A01", name="Assessments on time")
    TargetFactory(indicator=green, value=D(80))
    MeasurementFactory(indicator=green, period_end=date(2025, 3, 31), value=D(85))
    statuses_recompute()
    html = render(section_context(**Q), summary_only=True)
    assert "3.4.1 B01" in html and "Other indicators" not in html and html.count('<img class="chart"') == 1
    svg = chart_svg(html)
    assert 'width="340"' in svg and ">Value</text>" not in svg  # no legend: the key above names the lines


def test_section_query_count_is_constant(django_assert_num_queries):
    for i in range(3):
        MeasurementFactory(indicator=IndicatorFactory(), period_end=date(2025, 3, 31), value=D(i))
    with django_assert_num_queries(4):
        section_context(**Q)
    for i in range(10):
        MeasurementFactory(indicator=IndicatorFactory(), period_end=date(2025, 3, 31), value=D(i))
    with django_assert_num_queries(4):
        section_context(**Q)


def test_the_committee_chart_draws_the_same_benchmark_line_as_the_kpi_page():
    from kpis.presenters import indicator_page
    from kpis.selectors import indicator_detail
    from kpis.tests.factories import BenchmarkFactory

    indicator = IndicatorFactory(code="D01", name="Re-referrals")
    TargetFactory(indicator=indicator, kind="at_most_benchmark", value=None, benchmark_source="statistical_neighbours")
    MeasurementFactory(indicator=indicator, period_end=date(2025, 3, 31), value=D(20))
    BenchmarkFactory(indicator=indicator, source="england", value=D(21))
    BenchmarkFactory(indicator=indicator, source="statistical_neighbours", value=D(23))
    statuses_recompute()
    page = indicator_page(indicator_detail(pk=indicator.pk))
    row = section_context(**Q)["themes"][0]["kpis"][0]
    assert page["line_source"] == "statistical_neighbours"
    printed = chart_svg(row["chart"]())
    benchmark_lines = re.findall(r'<polyline points="([^"]+)"[^>]*stroke-dasharray="2 3"', printed)
    assert "Statistical neighbours" in page["chart"] and len(benchmark_lines) == 1
    # The printed chart has no legend (the key above the charts names the lines); the exception names the benchmark.
    assert row["benchmark_label"] == "Statistical neighbours"
    exception = render_to_string("kpis/pdf/_exception.html", {"r": row, "section": {"number": 3}})
    assert "Dotted line: Statistical neighbours." in " ".join(exception.split())


def test_the_report_rates_a_quarter_against_the_latest_england_figure_published():
    import time_machine

    from kpis.tests.factories import BenchmarkFactory

    with time_machine.travel("2027-01-05 10:00Z", tick=False):
        kpi = IndicatorFactory(code="SC14", name="Care leavers in suitable accommodation", frequency="quarterly")
        TargetFactory(indicator=kpi, kind="at_least_benchmark", benchmark_source="england", value=None,
                      tolerance=D(2), starts_on=date(2024, 4, 1))
        BenchmarkFactory(indicator=kpi, period_end=date(2025, 3, 31), value=D("46.2"))
        MeasurementFactory(indicator=kpi, period_end=date(2026, 12, 31), value=D("45"))
        statuses_recompute()
    context = section_context(period_start=date(2026, 10, 1), period_end=date(2026, 12, 31), as_of=date(2027, 1, 10))
    row = context["themes"][0]["kpis"][0]
    assert (row["status"], row["value"]) == ("amber", "45.0%")
    assert row["target"] == "At least 46.2% (England, 2024/25); amber from 44.2%"
    assert [r["indicator"].code for r in context["exceptions"]] == ["SC14"]
