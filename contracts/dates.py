"""Contract date arithmetic: the one implementation, on plain values (no database).

Months are added the way `relativedelta(months=n)` adds them: the day of the month is kept
and clamped to the month's last day (31 January + 1 month = 28 or 29 February). Extensions
are applied as a single total of months from the original end date, so two 6-month
extensions on a 31 August end give 31 August a year later, not 28 August (which stepping
through 28 February would give).
"""

import re
from datetime import date

from core.periods import add_months

DEFAULT_DECISION_LEAD_MONTHS = 6
DEFAULT_REVIEW_INTERVAL_MONTHS = {"high": 1, "medium": 3, "low": 12}

_OPTIONS = re.compile(r"^\d+(\s*\+\s*\d+)*$")
MAX_EXTENSION_MONTHS = 120


def parse_extension_options(text: str) -> tuple[int, ...]:
    """'12+12' -> (12, 12); '' -> (). Each option is a whole number of months from 1 to 120."""
    text = (text or "").strip()
    if not text:
        return ()
    if not _OPTIONS.match(text):
        raise ValueError(
            f"Extension options must be months separated by +, for example 12+12 (not '{text}')"
        )
    options = tuple(int(part) for part in text.split("+"))
    if any(m < 1 or m > MAX_EXTENSION_MONTHS for m in options):
        raise ValueError(f"Each extension option must be from 1 to {MAX_EXTENSION_MONTHS} months")
    return options


def format_extension_options(options) -> str:
    return "+".join(str(m) for m in options)


def current_end(end_date: date, options: tuple[int, ...], used: int) -> date:
    """The original end moved on by the months of the extensions taken so far."""
    if used < 0 or used > len(options):
        raise ValueError("extensions used must be between 0 and the number of options")
    return add_months(end_date, sum(options[:used]))


def final_end(end_date: date, options: tuple[int, ...]) -> date:
    """The latest the contract can run to, with every extension taken."""
    return add_months(end_date, sum(options))


def extension_available(options: tuple[int, ...], used: int) -> bool:
    return used < len(options)


def decision_due_on(current_end_date: date, lead_months: int = DEFAULT_DECISION_LEAD_MONTHS) -> date:
    """When the decision about the end (extend, re-procure, decommission, let expire) is due."""
    return add_months(current_end_date, -lead_months)


def next_review_due(
    last_review: date | None, start_date: date, risk: str, intervals: dict[str, int] | None = None, *,
    current_end_date: date,
) -> date:
    """The last review (or the start, if never reviewed) plus the interval for the contract's risk, and
    never after the contract's current end: the last review is due by the day it ends at the latest."""
    intervals = intervals or DEFAULT_REVIEW_INTERVAL_MONTHS
    return min(add_months(last_review or start_date, intervals[risk]), current_end_date)


def derived_status(start_date: date, current_end_date: date, as_of: date, recorded: str = "") -> str:
    """The recorded status if there is one; else not started, live (start to current end inclusive), expired."""
    if recorded:
        return recorded
    if as_of < start_date:
        return "not_started"
    if as_of <= current_end_date:
        return "live"
    return "expired"


def is_live(start_date: date, current_end_date: date, as_of: date, recorded: str = "") -> bool:
    """Live on the date (SQL form: `Contract.objects.live_on`)."""
    return derived_status(start_date, current_end_date, as_of, recorded) == "live"


def decision_overdue(*, status: str, decision_recorded: bool, decision_due_on: date, current_end_date: date,
                     as_of: date) -> bool:
    """Live, no decision recorded for the current end, and the decision date has come (SQL form:
    `Contract.objects.decision_overdue`). One already past its end has its own alert instead."""
    return status == "live" and not decision_recorded and decision_due_on <= as_of <= current_end_date


def review_overdue(*, status: str, next_review_due: date, current_end_date: date, as_of: date) -> bool:
    """Live and the next review (set by risk) fell due before the date (SQL: `Contract.objects.review_overdue`).
    One already past its end has its own alert instead (its last review was due on the end)."""
    return status == "live" and next_review_due < as_of <= current_end_date


def past_end_marked_live(*, recorded: str, current_end_date: date, as_of: date) -> bool:
    """Recorded as live but past its current end (SQL: `Contract.objects.past_end_marked_live`)."""
    return recorded == "live" and current_end_date < as_of


def days_to(day: date, as_of: date) -> int:
    return (day - as_of).days


def timeline(start_date: date, end_date: date, options: tuple[int, ...], used: int) -> list[dict]:
    """The steps of a contract's life for the contract page: start, original end, each extension."""
    steps = [
        {"label": "Start", "date": start_date, "state": "done"},
        {"label": "Original end", "date": end_date, "state": "done" if used else "current"},
    ]
    months = 0
    for number, length in enumerate(options, start=1):
        months += length
        state = "used" if number <= used else "available"
        if number == used:
            state = "current"
        steps.append({
            "label": f"Extension {number} ({length} month{'s' if length != 1 else ''})",
            "date": add_months(end_date, months),
            "state": state,
        })
    return steps
