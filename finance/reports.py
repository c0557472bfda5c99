"""The "Financial position" section of committee reports, and the default text of financial implications.

Everything here leaves the system: aggregate figures only. Money is not a count of children, so every
line's money is shown however few children it covers; where a line's count of children is shown, 1 to 5
is [c] (core.suppression).

The forecast is worked out as at the report's day from the budget, placements and costs as they are now (core.periods,
"Figures as at a day"): the same selector, and so the same figures, as the finance pages for that day.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from core.formatting import format_money as money
from core.periods import figures_day, financial_year_name, financial_year_of
from core.registry import ReportDraft
from core.suppression import Cell, suppress_row

from . import selectors


def position(*, as_of: date) -> dict:
    """The forecast for the year `as_of` falls in, with each line's count of children as published."""
    return position_of(selectors.forecast(year=financial_year_of(as_of), as_of=as_of))


def position_of(figures: selectors.Forecast, *, suppress: bool = True) -> dict:
    """Each line with its count of children as a cell: 1 to 5 (or a count that would let one be worked back
    from the total) is [c]. Money is always shown. Without `suppress` (child-level users) nothing is hidden."""
    counts = [line.children for line in figures.lines]
    if suppress:
        row = suppress_row(counts)
        cells, total = row.cells, row.total
    else:
        cells, total = [Cell(c) for c in counts], Cell(sum(counts))
    rows = [{"line": line, "children": cell} for line, cell in zip(figures.lines, cells, strict=True)]
    return {"figures": figures, "rows": rows, "total_children": total,
            "any_hidden": any(c.suppressed for c in [*cells, total])}


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    day = figures_day(period_end, today=as_of)
    shown = position(as_of=day)
    return {
        **shown, "day": day, **money_columns(),
        "implications": financial_implications_text(as_of=day, shown=shown),
    }


def money_columns() -> dict:
    """How the table prints money: whole pounds, or (REPORTS_FINANCE_IN_THOUSANDS) thousands under headings
    that say £000. `money_places` is the argument of the `money` template filter."""
    if settings.REPORTS_FINANCE_IN_THOUSANDS:
        return {"money_places": "000", "money_heading": " (£000)"}
    return {"money_places": 0, "money_heading": ""}


def _verdict(variance) -> str:
    """The forecast outturn against the budget in words: an overspend or underspend of how much, or on budget."""
    if variance > 0:
        return f"an overspend of {money(variance)}"
    if variance < 0:
        return f"an underspend of {money(-variance)}"
    return "on budget"


def financial_implications_text(*, as_of: date, shown: dict | None = None) -> str:
    """A default paragraph for a report's financial implications: the year's placements budget, the forecast
    outturn and the lines forecast to overspend."""
    shown = shown or position(as_of=as_of)
    figures, rows = shown["figures"], shown["rows"]
    label = financial_year_name(figures.year)
    if not figures.lines:
        return f"No placements budget has been loaded for {label}, so no forecast outturn can be given."
    verdict = _verdict(figures.variance)
    text = (f"The placements budget for {label} is {money(figures.budget)}. As at {as_of:%-d %B %Y} the forecast "
            f"outturn is {money(figures.forecast)}, {verdict}: {money(figures.actual_to_date)} spent to date and "
            f"{money(figures.committed)} committed to the end of the year on current placements.")
    over = [r["line"] for r in rows if r["line"].variance > 0]
    if over:
        named = "; ".join(f"{line.name} ({money(line.variance)} over)" for line in over)
        text += f" Lines forecast to overspend: {named}."
    if figures.savings_target:
        text += f" The savings target for the year is {money(figures.savings_target)}."
    return text


def report_draft(*, period_start: date, period_end: date, as_of: date) -> ReportDraft:
    """The forecast outturn against budget for a report's executive summary, and its financial implications
    (financial_implications_text): the same figures as the financial position section."""
    day = figures_day(period_end, today=as_of)
    shown = position(as_of=day)
    figures = shown["figures"]
    draft = ReportDraft(implications={"financial_implications": financial_implications_text(as_of=day, shown=shown)})
    if figures.lines:
        draft.summary.append(
            f"The placements budget for {financial_year_name(figures.year)} is forecast to end the year at "
            f"{money(figures.forecast)} against a budget of {money(figures.budget)}: {_verdict(figures.variance)}."
        )
    return draft
