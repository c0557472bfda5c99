"""Reporting periods: plain date arithmetic, no ORM."""

import calendar
from datetime import date, timedelta

QUARTER_END_MONTHS = (3, 6, 9, 12)


def month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def is_month_end(d: date) -> bool:
    return d == month_end(d)


def add_months(d: date, months: int) -> date:
    """The month end `months` after (or before) the month of d."""
    index = d.year * 12 + (d.month - 1) + months
    return month_end(date(index // 12, index % 12 + 1, 1))


def period_months(frequency: str) -> int:
    return {"monthly": 1, "quarterly": 3, "annual": 12}[frequency]


def period_start(period_end: date, frequency: str) -> date:
    return add_months(period_end, -period_months(frequency)) + timedelta(days=1)


def is_period_end(d: date, frequency: str) -> bool:
    if not is_month_end(d):
        return False
    if frequency == "quarterly":
        return d.month in QUARTER_END_MONTHS
    return True


def latest_complete_period_end(today: date, frequency: str) -> date:
    """The end of the last whole period before today (annual periods are financial years to 31 March)."""
    end = add_months(today, -1)
    if frequency == "quarterly":
        while end.month not in QUARTER_END_MONTHS:
            end = add_months(end, -1)
    elif frequency == "annual":
        while end.month != 3:
            end = add_months(end, -1)
    return end


def recent_period_ends(today: date, frequency: str, count: int) -> list[date]:
    """The last `count` complete period ends, oldest first."""
    last = latest_complete_period_end(today, frequency)
    step = period_months(frequency)
    return [add_months(last, -step * i) for i in reversed(range(count))]
