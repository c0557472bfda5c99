"""Reporting periods: plain date arithmetic, no ORM."""

from datetime import date, timedelta

from core.periods import month_end, month_end_after

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
