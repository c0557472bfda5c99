"""The action plan progress section of committee reports (commissioning's own section).

Actions are as known when the report is built (core.periods, "Figures as at a day"), each change counted by its
own date: a progress note dated after the day is not in the report, and the status an action had on the day is
the one its dated notes say (a note after the day that changed the status tells what it was before).
"""

from __future__ import annotations

from datetime import date

from .models import Action, ActionUpdate
from .selectors import actions_grouped_by_subject


def actions_as_at(*, day: date) -> list[Action]:
    """Every action with its status on `day`, is_overdue (then), latest_note and latest_noted_on (the latest
    progress note dated on or before the day) and owner."""
    actions = list(Action.objects.select_related("owner"))
    latest, next_after = {}, {}
    for update in ActionUpdate.objects.all():
        key = (update.noted_on, update.pk)
        if update.noted_on <= day:
            known = latest.get(update.action_id)
            if known is None or key > (known.noted_on, known.pk):
                latest[update.action_id] = update
        elif update.changed_status:
            known = next_after.get(update.action_id)
            if known is None or key < (known.noted_on, known.pk):
                next_after[update.action_id] = update
    for a in actions:
        _status_on_the_day(a, next_after.get(a.pk))
        a.is_overdue = bool(a.due_on and a.due_on < day and a.status not in Action.CLOSED)
        note = latest.get(a.pk)
        a.latest_note = note.note if note else None
        a.latest_noted_on = note.noted_on if note else None
    actions.sort(key=lambda a: (a.subject, a.due_on is None, a.due_on or day, a.pk))
    return actions


def _status_on_the_day(action: Action, changed_after: ActionUpdate | None) -> None:
    """The first note after the day that changed the status says what it was on the day; without one, the
    status is the one recorded now."""
    if changed_after is None:
        return
    action.status = changed_after.status_before
    if action.status != Action.Status.COMPLETE:
        action.completed_on = None


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
