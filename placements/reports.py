"""The placements and sufficiency section of the committee report (rendered by reports.sections).

Everything here leaves the system, so every count of children goes through small-number
suppression (1 to 5 shown as [c], with any figure that would let one be worked back).

The figures are worked out from the placements as the council held them at the end of the report's day
(core.history.tables_as_at), so a report for a past quarter says the same whenever it is built: a later 903
return, a corrected one or a cost entered afterwards does not change it.
"""

from datetime import date

from django.db.models import Count, Q

from core.history import tables_as_at
from core.suppression import suppress_count

from . import selectors
from .models import Child, CostLine, Episode, PanelReview, Placement, PlacementAgreement
from .presenters import sufficiency_display


def recorded_models() -> list:
    """The placements records a report reads as at its day. The 903 codes and postcode districts are reference
    data that placements point to, read as they are."""
    return [Child, Placement, Episode, PlacementAgreement, CostLine, PanelReview]


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    with tables_as_at(recorded_models(), as_of):
        return _section_context(period_start=period_start, period_end=period_end, as_of=as_of)


def _section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
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
