"""The action plan progress section of committee reports (commissioning's own section).

Actions, their statuses and progress notes are as they stood at the end of the report's day
(core.history.records_as_at): a note dated later, or a status reached later, is not in the report.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q

from core.history import records_as_at

from .models import Action, ActionUpdate
from .selectors import actions_grouped_by_subject


def actions_as_at(*, day: date) -> list[Action]:
    """Every action as it stood at the end of `day`, with is_overdue (then), latest_note and latest_noted_on
    (the latest progress note dated on or before the day and recorded by then) and owner."""
    actions = records_as_at(Action, day)
    latest = {}
    for update in records_as_at(ActionUpdate, day, filters=Q(noted_on__lte=day)):
        known = latest.get(update.action_id)
        if known is None or (update.noted_on, update.pk) > (known.noted_on, known.pk):
            latest[update.action_id] = update
    owners = get_user_model().objects.in_bulk({a.owner_id for a in actions if a.owner_id})
    for a in actions:
        a.owner = owners.get(a.owner_id)
        a.is_overdue = bool(a.due_on and a.due_on < day and a.status not in Action.CLOSED)
        note = latest.get(a.pk)
        a.latest_note = note.note if note else None
        a.latest_noted_on = note.noted_on if note else None
    actions.sort(key=lambda a: (a.subject, a.due_on is None, a.due_on or day, a.pk))
    return actions


def section_context(*, period_start: date, period_end: date, as_of: date) -> dict:
    """Every action still open at the end of the period or closed during it, grouped by subject."""
    rows = [
        a
        for a in actions_as_at(day=as_of)
        if a.status not in Action.CLOSED
        or (a.completed_on and a.completed_on >= period_start)
        or (a.completed_on is None and a.updated_at and a.updated_at.date() >= period_start)
    ]
    counts = {
        "total": len(rows),
        **{status: sum(1 for a in rows if a.status == status) for status in Action.Status.values},
        "overdue": sum(1 for a in rows if a.is_overdue),
    }
    completed_in_period = sum(
        1
        for a in rows
        if a.status == Action.Status.COMPLETE and a.completed_on and period_start <= a.completed_on <= period_end
    )
    return {
        "groups": actions_grouped_by_subject(rows),
        "counts": counts,
        "completed_in_period": completed_in_period,
        "overdue_actions": [a for a in rows if a.is_overdue],
        "uses_suppression": False,  # actions count work, not children
    }
