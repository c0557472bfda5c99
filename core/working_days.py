"""Working days in England and Wales: Monday to Friday, less the bank holidays.

The rules are the Banking and Financial Dealings Act 1971's and the proclamations under it (gov.uk/bank-holidays),
worked out here so nothing has to be downloaded: when Christmas Day, Boxing Day or New Year's Day falls at a
weekend, the next weekday off is a substitute day. The one-off changes since 2020 are listed by year.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

# Proclaimed changes: a holiday moved (removed, then added) or an extra day.
_MOVED = {
    2020: ({date(2020, 5, 4)}, {date(2020, 5, 8)}),  # early May moved to VE Day's 75th anniversary
    2022: ({date(2022, 5, 30)}, {date(2022, 6, 2), date(2022, 6, 3), date(2022, 9, 19)}),  # Jubilee; state funeral
    2023: (set(), {date(2023, 5, 8)}),  # the King's coronation
}


def easter_sunday(year: int) -> date:
    """Western Easter (the anonymous Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    el = (2 * e + 2 * i - h - k + 32) % 7
    m = (a + 11 * h + 19 * el) // 433
    month = (h + el - 7 * m + 90) // 25
    return date(year, month, (h + el - 7 * m + 33 * month + 19) % 32)


def _monday_on_or_after(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a calendar year, substitute days included."""
    easter = easter_sunday(year)
    days = {
        easter - timedelta(days=2),  # Good Friday
        easter + timedelta(days=1),  # Easter Monday
        _monday_on_or_after(date(year, 5, 1)),  # early May
        _last_monday(year, 5),  # spring
        _last_monday(year, 8),  # summer
    }
    new_year = date(year, 1, 1)
    days.add(new_year if new_year.weekday() < 5 else _monday_on_or_after(new_year))
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    # At a weekend, each takes the next weekday the other has not taken.
    for day in (christmas, boxing):
        while day.weekday() >= 5 or day in days:
            day += timedelta(days=1)
        days.add(day)
    removed, added = _MOVED.get(year, (set(), set()))
    return frozenset((days - removed) | added)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def next_working_day(day: date) -> date:
    """The day itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day
