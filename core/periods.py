"""Reporting periods: quarters of the council's financial year.

Councils report by financial year (1 April to 31 March), so quarters here are financial quarters:
Q1 = April to June, Q2 = July to September, Q3 = October to December, Q4 = January to March.
A period is written ``YYYY-QN`` where YYYY is the year the financial year *starts*:
``2025-Q4`` is quarter 4 of 2025/26, i.e. 1 January to 31 March 2026. ``2025/26-Q4`` is
accepted too.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

PERIOD_HELP = (
    "Financial-year quarter as YYYY-QN, where YYYY is the year the financial year starts: "
    "Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March "
    "(so 2025-Q4 is January to March 2026)."
)

_PATTERN = re.compile(r"^\s*(\d{4})(?:/(\d{2}))?\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)
_FIRST_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Quarter:
    year: int  # the year the financial year starts
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = _PATTERN.match(text or "")
        if not match:
            raise PeriodError(f"Enter a quarter like 2025-Q4, not '{text}'")
        year, short, number = int(match[1]), match[2], int(match[3])
        if short is not None and int(short) != (year + 1) % 100:
            raise PeriodError(f"{year}/{short} is not a financial year: it would be {year}/{(year + 1) % 100:02d}")
        if not 2000 <= year <= 2100:
            raise PeriodError("Enter a year between 2000 and 2100")
        return cls(year, number)

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return cls(financial_year_of(day), (day.month - 4) % 12 // 3 + 1)

    @classmethod
    def last_closed(cls, today: date) -> Quarter:
        """The most recent quarter that has fully ended before today."""
        return cls.containing(today).previous()

    @property
    def start(self) -> date:
        month = _FIRST_MONTH[self.number]
        return date(self.year + (1 if self.number == 4 else 0), month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def financial_year(self) -> str:
        return financial_year_name(self.year)

    @property
    def label(self) -> str:
        """"2026/27 Q2 (July to September 2026)": see quarter_label."""
        return quarter_label(self)

    def __str__(self) -> str:
        return self.code


def recent_quarters(today: date, count: int = 8) -> list[Quarter]:
    """Closed quarters first (latest first), then the current one at the top for in-year reports."""
    current = Quarter.containing(today)
    quarters = [current]
    q = current
    for _ in range(count - 1):
        q = q.previous()
        quarters.append(q)
    return quarters


def closed_quarters(today: date, count: int = 8, *, with_current: bool = False) -> list[Quarter]:
    """The last `count` quarters that have ended, latest first; with_current puts the quarter in progress on top
    (only when someone asks for it: its figures are not all in until it ends)."""
    quarters = recent_quarters(today, count + 1)
    return quarters[: count + 1] if with_current else quarters[1:]


# --- periods named the council's way ---------------------------------------------------------------
# A quarter is "2026/27 Q2", with its months "2026/27 Q2 (July to September 2026)"; a month "July 2026"; a
# financial year "2026/27 (April 2026 to March 2027)". Pickers and refusals use these, so a period reads the
# same on every page.

def quarter_name(quarter: Quarter) -> str:
    return f"{quarter.financial_year} Q{quarter.number}"


def quarter_label(quarter: Quarter) -> str:
    """The one way a quarter is printed, on pages, in pickers and in PDFs: "2026/27 Q2 (July to September 2026)"."""
    return f"{quarter_name(quarter)} ({quarter.start:%B} to {quarter.end:%B %Y})"


def period_label(code: str) -> str:
    """quarter_label for a stored period ("2026-Q2"); anything that is not a quarter is printed as it is."""
    try:
        return quarter_label(Quarter.parse(code))
    except PeriodError:
        return str(code or "")


def month_name(day: date) -> str:
    return f"{day:%B %Y}"


def year_name(end: date) -> str:
    """The twelve months ending with the month of `end`: "2026/27" for a financial year (to 31 March),
    otherwise "Year to August 2026"."""
    if end.month == 3:
        return f"{end.year - 1}/{end.year % 100:02d}"
    return f"Year to {end:%B %Y}"


def year_label(end: date) -> str:
    start = end - relativedelta(months=11)
    return f"{year_name(end)} ({start:%B %Y} to {end:%B %Y})"


# --- financial years and month arithmetic ---------------------------------------------------------

def financial_year_of(day: date) -> int:
    """The year the financial year holding `day` starts (1 April to 31 March): 2026 for 31 March 2027."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_bounds(year: int) -> tuple[date, date]:
    """The first and last day of financial year `year`: 1 April 2025 and 31 March 2026 for 2025."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def financial_year_name(year: int) -> str:
    """Financial year `year` as councils write it: "2025/26" for 2025."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_start(day: date) -> date:
    """1 April of the financial year holding `day`."""
    return financial_year_bounds(financial_year_of(day))[0]


def financial_year_end(day: date) -> date:
    """31 March ending the financial year holding `day` (the 903 collection year ends then too)."""
    return financial_year_bounds(financial_year_of(day))[1]


def last_year_end_on_or_before(day: date) -> date:
    """The 31 March on or before `day`: the last financial year to have ended by then."""
    candidate = date(day.year, 3, 31)
    return candidate if candidate <= day else date(day.year - 1, 3, 31)


def year_to(day: date) -> tuple[date, date]:
    """The twelve months ending on `day`: (the day after the same date a year before, `day`)."""
    return day - relativedelta(years=1) + relativedelta(days=1), day


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (or earlier), clamped to the month's last day:
    31 January + 1 month is 28 or 29 February."""
    return day + relativedelta(months=months)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_end_after(day: date, months: int) -> date:
    """The last day of the month `months` after (or before) the month of `day`, whatever its day:
    the end of a reporting period that many months on."""
    index = day.year * 12 + (day.month - 1) + months
    return month_end(date(index // 12, index % 12 + 1, 1))


# --- dates typed by people: forms and query parameters ---------------------------------------------

# Every date a person types must lie within these years: 01/01/0001 is a real date to Python, but date
# arithmetic on it (a quarter before, a year before) fails, and no council record is from then.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2100, 12, 31)
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class DateTextError(ValueError):
    """A typed date that is not a date, or one outside EARLIEST_DATE to LATEST_DATE; the message says which."""


class DateOutOfRange(DateTextError):
    """A real date, but outside EARLIEST_DATE to LATEST_DATE."""


def parse_date_text(text: str) -> date:
    """31/03/2025 or 2025-03-31 (a timestamp's time is ignored), between 1900 and 2100."""
    text = str(text).strip()
    match = _UK_DATE.match(text) or _ISO_DATE.match(text[:10])
    if not match:
        raise DateTextError(f"'{text[:40]}' is not a date: use 2025-03-31 or 31/03/2025")
    parts = [int(p) for p in match.groups()]
    year, month, day = (parts[2], parts[1], parts[0]) if match.re is _UK_DATE else parts
    try:
        value = date(year, month, day)
    except ValueError:
        raise DateTextError(f"'{text[:40]}' is not a date: use 2025-03-31 or 31/03/2025") from None
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise DateOutOfRange(f"'{text[:40]}' is outside the years {EARLIEST_DATE.year} to {LATEST_DATE.year}")
    return value


def parse_as_of(value, *, default: date) -> date:
    """A date from a query string (?as_of=31/03/2025): the default when it is missing, not a date or out of
    range. Pages that show the user the problem use a form with DateText instead."""
    if not value:
        return default
    try:
        return parse_date_text(value)
    except DateTextError:
        return default


# --- Figures as at a day ------------------------------------------------------------------------------------
#
# One rule for every page, download and report that gives a figure "as at" a day (the end of a quarter, a
# year, or today):
# * it is worked out from the records as they are now, corrected since if they were, never from the audit
#   history (core.history shows who changed what; it does not make figures);
# * each fact counts by its own date on or before the day: a placement by its start and end, a progress note
#   by the day it is dated, a decision by its decision date, an inspection by the day of the inspection, a
#   KPI value by its period (its current value, marked provisional until approved), a target by the day it is
#   in force from, a benchmark by its period;
# * a report states the figures as known when it is built, and is then frozen: its file never changes.
# So a page and a report asked about the same day print the same figure, and a quarter's figures entered or
# corrected after it ends are in the report built after that.


def figures_day(period_end: date, *, today: date) -> date:
    """The day a period's figures are taken at: its last day, or today while the period is not over."""
    return min(period_end, today)
