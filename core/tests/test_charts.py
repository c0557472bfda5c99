import itertools
import re
from datetime import date

import pytest

from core.charts import nice_ticks, trend_chart_svg


@pytest.mark.parametrize("lo, hi, ticks, decimals", [
    (400.9, 452.5, [400, 420, 440, 460], 0),
    (0, 97.3, [0, 20, 40, 60, 80, 100], 0),
    (2.31, 2.87, [2.2, 2.4, 2.6, 2.8, 3.0], 1),
    (-3.5, 4.2, [-4, -2, 0, 2, 4, 6], 0),
    (5, 5, [5, 5.2, 5.4, 5.6, 5.8, 6], 1),
])
def test_axis_values_are_round(lo, hi, ticks, decimals):
    found, places = nice_ticks(lo, hi)
    assert [round(t, 6) for t in found] == ticks and places == decimals
    assert found[0] <= lo and found[-1] >= hi


def test_the_trend_chart_labels_its_axis_with_round_values():
    svg = trend_chart_svg([(date(2025, 1, 31), 412.0), (date(2025, 2, 28), 441.0)], target=376.0, decimals=1)
    labels = re.findall(r'text-anchor="end" fill="[^"]+">([\d,.]+)</text>', svg)
    assert labels == ["360", "380", "400", "420", "440", "460"]


def test_a_bar_chart_leaves_room_for_its_longest_label_and_value():
    """At 13px no letter is wider than text_width() allows, so a label ending at the bar never starts before
    the chart's left edge ("upported or independent living"), and the value after the longest bar fits."""
    from core.charts import bar_chart_svg, text_width

    rows = [("Supported or independent living", 15.0, "15"), ("Other", 4000.0, "£1,234,567")]
    svg = bar_chart_svg(rows, title="Children looked after by placement type")
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg).group(1))
    label_end = float(re.search(r'<text x="([\d.]+)"[^>]*text-anchor="end"[^>]*>Supported', svg).group(1))
    assert label_end - text_width("Supported or independent living") >= 0
    bar = re.search(r'<rect x="(\d+)" y="[\d.]+" width="(\d+)"[^>]*/><text x="[\d.]+" y="[\d.]+" font-size="13" '
                    r'fill="[^"]+">£1,234,567', svg)
    value_start = int(bar.group(1)) + int(bar.group(2)) + 6
    assert value_start + text_width("£1,234,567") <= width


def test_a_printed_trend_chart_draws_few_nodes_and_no_tooltips():
    points = [(date(2024, m, 28), float(m)) for m in range(1, 13)]
    screen = trend_chart_svg(points, target=6.0)
    printed = trend_chart_svg(points, target=6.0, printed=True, legend=False)
    assert screen.count("<circle") == 12 and "<circle" not in printed
    assert "<title>" not in printed.split("</title>", 1)[1]  # only the chart's own title
    assert printed.count("<") < screen.count("<") / 2
    assert ">Value</text>" in screen and ">Value</text>" not in printed


def test_a_money_chart_writes_pounds_on_its_axis_and_leaves_room_for_the_longest_label():
    from core.charts import text_width

    svg = trend_chart_svg([(date(2025, 4, 30), 14_412_000.0), (date(2025, 11, 30), 14_918_500.0)],
                          target=14_600_000.0, decimals=0, money=True, title="Forecast outturn against budget")
    axis = [(x, label) for x, label in re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end" fill="[^"]+">([^<]+)</text>', svg) if label != "Nov 2025"]
    labels = [label for _, label in axis]
    assert labels[0] == "£14,200,000" and labels[-1] == "£15,000,000"
    assert all(label.startswith("£") for label in labels)
    # Each label ends at x and runs leftwards: its first figure is inside the chart, not cut off at 0.
    for x, label in axis:
        assert float(x) - text_width(label, font_size=12) >= 0
    assert "latest £14,918,500" in svg and "Target: £14,600,000" in svg


def test_a_chart_of_small_figures_keeps_its_usual_margin():
    svg = trend_chart_svg([(date(2025, 1, 31), 12.0), (date(2025, 2, 28), 14.0)], decimals=1)
    assert re.search(r'<text x="58" y="[\d.]+" text-anchor="end"', svg)


def _date_labels(svg: str) -> list[tuple[float, str]]:
    return [(float(x), label) for x, label in re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle" fill="[^"]+">([A-Z][a-z]{2} \d{4})</text>', svg)]


def test_a_trend_chart_names_every_quarter_when_they_fit():
    quarters = [date(2024, 6, 30), date(2024, 9, 30), date(2024, 12, 31), date(2025, 3, 31), date(2025, 6, 30),
                date(2025, 9, 30)]
    svg = trend_chart_svg([(d, 50.0 + i) for i, d in enumerate(quarters)])
    assert [label for _, label in _date_labels(svg)] == ["Jun 2024", "Sep 2024", "Dec 2024", "Mar 2025",
                                                           "Jun 2025", "Sep 2025"]


def test_three_years_of_months_are_named_a_readable_subset_apart_ending_at_the_latest():
    from core.charts import text_width

    months = [date(2023 + (m // 12), m % 12 + 1, 28) for m in range(3, 39)]  # Apr 2023 to Mar 2026
    svg = trend_chart_svg([(d, float(i % 7)) for i, d in enumerate(months)], width=640)
    labels = _date_labels(svg)
    assert 5 <= len(labels) <= 12, labels
    assert labels[-1][1] == "Mar 2026"
    # None overlaps the next, and each stays inside the chart.
    for (x1, a), (x2, b) in itertools.pairwise(labels):
        assert x1 + text_width(a, font_size=12) / 2 < x2 - text_width(b, font_size=12) / 2
    assert labels[0][0] - text_width(labels[0][1], font_size=12) / 2 >= 0
    assert labels[-1][0] + text_width(labels[-1][1], font_size=12) / 2 <= 640


def test_a_printed_chart_names_at_most_four_periods_ending_at_the_latest():
    # A county pack prints hundreds of charts and a PDF shapes every label: four dates say when, as on the screen.
    quarters = [date(2023 + (q * 3 + 2) // 12, (q * 3 + 2) % 12 + 1, 28) for q in range(12)]
    on_screen = _date_labels(trend_chart_svg([(d, 50.0 + i) for i, d in enumerate(quarters)], width=600))
    printed = _date_labels(trend_chart_svg([(d, 50.0 + i) for i, d in enumerate(quarters)], width=600, printed=True))
    assert len(on_screen) > 4
    assert 2 <= len(printed) <= 4 and printed[-1][1] == on_screen[-1][1]
