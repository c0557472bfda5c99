"""Reporting periods: plain date arithmetic, no ORM."""

from datetime import date, timedelta

from core.periods import (
    Quarter,
    month_end,
    month_end_after,
    month_name,
    quarter_label,
    quarter_name,
    year_label,
    year_name,
)

QUARTER_END_MONTHS = (3, 6, 9, 12)
__all__ = ["month_end", "month_end_after"]


def is_month_end(d: date) -> bool:
    return d == month_end(d)


def period_months(frequency: str) -> int:
    return {"monthly": 1, "quarterly": 3, "annual": 12}[frequency]


def period_start(period_end: date, frequency: str) -> date:
    return month_end_after(period_end, -period_months(frequency)) + timedelta(days=1)


def is_period_end(d: date, frequency: str) -> bool:
    if not is_month_end(d):
        return False
    if frequency == "quarterly":
        return d.month in QUARTER_END_MONTHS
    return True


def latest_complete_period_end(today: date, frequency: str) -> date:
    """The end of the last whole period before today (annual periods are financial years to 31 March)."""
    end = month_end_after(today, -1)
    if frequency == "quarterly":
        while end.month not in QUARTER_END_MONTHS:
            end = month_end_after(end, -1)
    elif frequency == "annual":
        while end.month != 3:
            end = month_end_after(end, -1)
    return end


def recent_period_ends(today: date, frequency: str, count: int) -> list[date]:
    """The last `count` complete period ends, oldest first."""
    last = latest_complete_period_end(today, frequency)
    step = period_months(frequency)
    return [month_end_after(last, -step * i) for i in reversed(range(count))]


# How many ended periods the value form offers: two years of quarters or months, five years.
PERIODS_OFFERED = {"quarterly": 8, "monthly": 24, "annual": 5}


def period_name(end: date, frequency: str) -> str:
    """"2026/27 Q3", "December 2026" or "2025/26": the period ending on `end`, in a sentence."""
    if frequency == "quarterly" and end.month in QUARTER_END_MONTHS:
        return quarter_name(Quarter.containing(end))
    if frequency == "annual":
        return year_name(end)
    return month_name(end)


def period_label(end: date, frequency: str) -> str:
    """"2026/27 Q2 (July to September 2026)": the period with its months, for a picker."""
    if frequency == "quarterly" and end.month in QUARTER_END_MONTHS:
        return quarter_label(Quarter.containing(end))
    if frequency == "annual":
        return year_label(end)
    return month_name(end)


def has_ended(end: date, today: date) -> bool:
    """A period has ended once its last day is over: its value can be entered from the day after."""
    return end < today


def not_ended_message(end: date, frequency: str) -> str:
    return f"{period_name(end, frequency)} ends on {end.day} {end:%B %Y}: enter its value once it has ended"


def ended_period_ends(today: date, frequency: str, count: int | None = None) -> list[date]:
    """The ends of the latest periods that have ended, newest first: what the value form offers."""
    return recent_period_ends(today, frequency, count or PERIODS_OFFERED[frequency])[::-1]
