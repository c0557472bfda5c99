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


def extension_errors(options_text: str, used: int | None, *, holder: str) -> dict[str, str]:
    """The extension options as typed and how many are used, checked together, for a contract or a framework
    (`holder` names it in the message): {field name: message}, empty when both are right."""
    try:
        options = parse_extension_options(options_text)
    except ValueError as exc:
        return {"extension_options": str(exc)}
    if used is not None and used > len(options):
        count = len(options)
        return {"extensions_used": f"Extensions used must be {count} or fewer: the {holder} has {count} extension "
                                   f"option{'' if count == 1 else 's'}"}
    return {}


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


def extension_available(options: tuple[int, ...], used: int, *, remaining: str = "available") -> bool:
    """An option is left and has not lapsed (one not taken after a decision to end or re-let is still there)."""
    return used < len(options) and remaining != "lapsed"


def remaining_extensions(*, decision_due_on: date, decision_recorded: bool, as_of: date) -> str:
    """What the options not yet taken are: "not_taken" once a decision for the current end is recorded
    (extending takes an option at once and moves the end, so a recorded decision is to end the contract or
    re-let it); "lapsed" once the decision date for the current end has passed with none recorded (the later
    options hang on the next one, so they lapse with it); else "available"."""
    if decision_recorded:
        return "not_taken"
    if decision_due_on < as_of:
        return "lapsed"
    return "available"


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


# A contract past its current end with no decision recorded for that end. Nobody has said what happened
# (extended, re-let, ended), so it is neither live nor quietly expired.
ENDED_NO_DECISION = "ended_no_decision"
CLOSED = ("expired", "terminated")


def contract_status(*, recorded: str, start_date: date, current_end_date: date, decision_recorded: bool,
                    as_of: date) -> str:
    """The one status a contract is shown with: its tag, the register's filter and totals, the home page,
    exports and reports (SQL form: `contracts.models.status_expression`).

    A recorded "expired" or "terminated" stands. Past its current end, a contract is "expired" if a
    decision was recorded for that end, else "ended_no_decision", whatever status it was left with.
    Otherwise the recorded status, else not started / live by the dates."""
    if recorded in CLOSED:
        return recorded
    if current_end_date < as_of:
        return "expired" if decision_recorded else ENDED_NO_DECISION
    return derived_status(start_date, current_end_date, as_of, recorded)


def is_live(start_date: date, current_end_date: date, as_of: date, recorded: str = "") -> bool:
    """Live on the date (SQL form: `Contract.objects.live_on`)."""
    return contract_status(recorded=recorded, start_date=start_date, current_end_date=current_end_date,
                           decision_recorded=False, as_of=as_of) == "live"


def decision_overdue(*, status: str, decision_recorded: bool, decision_due_on: date, current_end_date: date,
                     as_of: date) -> bool:
    """Live, no decision recorded for the current end, and the decision date has come (SQL form:
    `Contract.objects.decision_overdue`). One already past its end has its own alert instead."""
    return status == "live" and not decision_recorded and decision_due_on <= as_of <= current_end_date


def review_overdue(*, status: str, next_review_due: date, as_of: date) -> bool:
    """Live, or past its end with no decision (the service may well still run), and the next review (set by
    risk) fell due before the date (SQL: `Contract.objects.review_overdue`)."""
    return status in ("live", ENDED_NO_DECISION) and next_review_due < as_of


def days_to(day: date, as_of: date) -> int:
    return (day - as_of).days


def timeline(start_date: date, end_date: date, options: tuple[int, ...], used: int, *, remaining: str = "available"
             ) -> list[dict]:
    """The steps of a contract's life for the contract page: start, original end, each extension (an option not
    taken is in the `remaining_extensions` state)."""
    steps = [
        {"label": "Start", "date": start_date, "state": "done"},
        {"label": "Original end", "date": end_date, "state": "done" if used else "current"},
    ]
    months = 0
    for number, length in enumerate(options, start=1):
        months += length
        state = "used" if number <= used else remaining
        if number == used:
            state = "current"
        steps.append({
            "label": f"Extension {number} ({length} month{'s' if length != 1 else ''})",
            "date": add_months(end_date, months),
            "state": state,
        })
    return steps
