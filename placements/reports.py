"""The placements and sufficiency section of the committee report (rendered by reports.sections).

Everything here leaves the system, so every count of children goes through small-number
suppression (1 to 5 shown as [c], with any figure that would let one be worked back).

Figures are as known when the report is built (core.periods, "Figures as at a day"): placements, episodes and
costs as they are now, corrected by any later 903 return, each counted by its own dates on or before the day.
The children looked after and their rate per 10,000 come from the selectors the KPIs are computed with.
"""

from datetime import date

from django.db.models import Count, Q

from core.suppression import suppress_count

from . import selectors
from .models import Placement
from .presenters import sufficiency_display


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    figures = selectors.sufficiency(as_of=as_of)
    show = sufficiency_display(figures, suppress=True)
    movement = Placement.objects.aggregate(
        started=Count("pk", filter=Q(start__gte=period_start, start__lte=period_end)),
        ended=Count("pk", filter=Q(end__gte=period_start, end__lte=period_end)),
        children_started=Count("child", distinct=True,
                               filter=Q(start__gte=period_start, start__lte=period_end, reason_new_episode__code="S")),
    )
    started, ended = suppress_count(movement["started"]), suppress_count(movement["ended"])
    entered = suppress_count(movement["children_started"])
    median = selectors.median_days_to_signature(period_start, period_end)
    return {
        "as_of": as_of, "period_start": period_start, "period_end": period_end, "figures": figures, "show": show,
        "started": started, "ended": ended, "entered": entered, "median_days_in_period": median,
        # The report framework prints the [c] footnote under the section when this is True.
        "uses_suppression": show["any_suppressed"] or any(c.suppressed for c in (started, ended, entered)),
    }
