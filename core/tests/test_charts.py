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
