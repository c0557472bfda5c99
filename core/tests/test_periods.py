from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.periods import PeriodError, Quarter, recent_quarters


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025-Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("2025-Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025-Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-Q4", date(2026, 1, 1), date(2026, 3, 31)),
        ("2025/26-Q4", date(2026, 1, 1), date(2026, 3, 31)),
        (" 2023q4 ", date(2024, 1, 1), date(2024, 3, 31)),  # leap year February inside
    ],
)
def test_parse(text, start, end):
    q = Quarter.parse(text)
    assert (q.start, q.end) == (start, end)


@pytest.mark.parametrize("text", ["", "2025", "2025-Q5", "Q4-2025", "2025/27-Q1", "1850-Q1", None])
def test_parse_refuses(text):
    with pytest.raises(PeriodError):
        Quarter.parse(text)


def test_labels_and_last_closed():
    q = Quarter.parse("2025-Q4")
    assert q.financial_year == "2025/26"
    assert q.label == "2025/26 quarter 4 (January to March 2026)"
    assert Quarter.last_closed(date(2026, 11, 23)).code == "2026-Q2"
    assert Quarter.last_closed(date(2026, 4, 1)).code == "2025-Q4"
    assert [x.code for x in recent_quarters(date(2026, 11, 23), 3)] == ["2026-Q3", "2026-Q2", "2026-Q1"]


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_is_in_exactly_its_quarter(day):
    q = Quarter.containing(day)
    assert q.start <= day <= q.end
    assert (q.next().start - q.end).days == 1
    assert Quarter.parse(q.code) == q
    assert q.previous().next() == q
