"""The "Market and quality" section of the committee report (rendered by reports.sections).

Anything that leaves the system is suppressed: counts of 1 to 5 children are [c].
"""

from datetime import date

from dateutil.relativedelta import relativedelta

from . import selectors


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    figures = selectors.for_viewer(selectors.concentration(as_of=as_of), sees_small_numbers=False)
    since = as_of - relativedelta(months=3)
    return {
        "figures": figures,
        "profile": selectors.ofsted_profile(as_of=as_of, since=since),
        "since": since,
        "below_good": list(selectors.ratings_below_good()),
        "largest_count": selectors.LARGEST,
        "uses_suppression": figures.suppressed,
    }
