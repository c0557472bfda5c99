"""The action plan progress section of committee reports (commissioning's own section)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from .models import Action
from .selectors import action_list, action_status_counts, actions_grouped_by_subject


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    """Every action still open at the end of the period or closed during it, grouped by subject."""
    actions = action_list(as_of=as_of).filter(
        ~Q(status__in=Action.CLOSED)
        | Q(completed_on__gte=period_start)
        | Q(completed_on__isnull=True, updated_at__date__gte=period_start)
    )
    rows = list(actions)
    groups = actions_grouped_by_subject(rows)
    counts = action_status_counts(as_of=as_of, queryset=Action.objects.filter(pk__in=[a.pk for a in rows]))
    completed_in_period = sum(
        1
        for a in rows
        if a.status == Action.Status.COMPLETE and a.completed_on and period_start <= a.completed_on <= period_end
    )
    return {
        "groups": groups,
        "counts": counts,
        "completed_in_period": completed_in_period,
        "overdue_actions": [a for a in rows if a.is_overdue],
        "uses_suppression": False,  # actions count work, not children
    }
