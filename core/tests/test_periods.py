from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.periods import (
    PeriodError,
    Quarter,
    add_months,
    closed_quarters,
    financial_year_bounds,
    financial_year_end,
    financial_year_name,
    financial_year_of,
    financial_year_start,
    last_year_end_on_or_before,
    month_end,
    month_end_after,
    period_label,
    recent_quarters,
    year_to,
)


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
    assert q.label == "2025/26 Q4 (January to March 2026)"
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


@pytest.mark.parametrize(
    ("day", "year", "start", "end", "last_end"),
    [
        (date(2026, 3, 31), 2025, date(2025, 4, 1), date(2026, 3, 31), date(2026, 3, 31)),
        (date(2026, 4, 1), 2026, date(2026, 4, 1), date(2027, 3, 31), date(2026, 3, 31)),
        (date(2027, 1, 15), 2026, date(2026, 4, 1), date(2027, 3, 31), date(2026, 3, 31)),
    ],
)
def test_financial_years(day, year, start, end, last_end):
    assert financial_year_of(day) == year
    assert financial_year_start(day) == start
    assert financial_year_end(day) == end
    assert last_year_end_on_or_before(day) == last_end
    assert Quarter.containing(day).financial_year == f"{year}/{(year + 1) % 100:02d}"
    assert financial_year_bounds(year) == (start, end)


def test_a_financial_year_is_named_as_councils_write_it():
    assert [financial_year_name(year) for year in (2025, 2099, 1999)] == ["2025/26", "2099/00", "1999/00"]


def test_year_to_is_twelve_months_ending_on_the_day():
    assert year_to(date(2025, 3, 31)) == (date(2024, 4, 1), date(2025, 3, 31))
    assert year_to(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


def test_the_two_kinds_of_month_arithmetic():
    # A contract term keeps its day of the month; a reporting period ends at a month end.
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 8, 31), 12) == date(2027, 8, 31)
    assert add_months(date(2026, 5, 15), -3) == date(2026, 2, 15)
    assert month_end_after(date(2026, 1, 15), 1) == date(2026, 2, 28)
    assert month_end_after(date(2026, 3, 31), -3) == date(2025, 12, 31)
    assert month_end(date(2028, 2, 3)) == date(2028, 2, 29)


def test_one_label_for_a_quarter_everywhere():
    assert Quarter(2026, 2).label == "2026/27 Q2 (July to September 2026)"
    assert Quarter(2026, 4).label == "2026/27 Q4 (January to March 2027)"
    assert period_label("2026-Q2") == "2026/27 Q2 (July to September 2026)"
    assert period_label("not a quarter") == "not a quarter"


def test_closed_quarters_leave_out_the_quarter_in_progress_unless_asked():
    today = date(2026, 12, 7)
    assert [q.code for q in closed_quarters(today, 3)] == ["2026-Q2", "2026-Q1", "2025-Q4"]
    with_current = closed_quarters(today, 3, with_current=True)
    assert [q.code for q in with_current] == ["2026-Q3", "2026-Q2", "2026-Q1", "2025-Q4"]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_the_financial_year_holds_its_quarter(day):
    quarter = Quarter.containing(day)
    assert financial_year_start(day) <= quarter.start <= day <= quarter.end <= financial_year_end(day)
