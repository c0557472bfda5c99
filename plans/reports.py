"""The action plan progress section of committee reports (commissioning's own section).

Actions, their statuses and progress notes are as they stood at the end of the report's day
(core.history.records_as_at): a note dated later, or a status reached later, is not in the report.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from core.history import records_as_at

from .models import Action, ActionUpdate
from .selectors import actions_grouped_by_subject


def actions_as_at(*, day: date) -> list[Action]:
    """Every action as it stood at the end of `day`, with is_overdue (then), latest_note and latest_noted_on
    (the latest progress note dated on or before the day and recorded by then) and owner."""
    actions = records_as_at(Action, day)
    latest, next_after = {}, {}
    for update in records_as_at(ActionUpdate, day):
        key = (update.noted_on, update.pk)
        if update.noted_on <= day:
            known = latest.get(update.action_id)
            if known is None or key > (known.noted_on, known.pk):
                latest[update.action_id] = update
        else:
            known = next_after.get(update.action_id)
            if known is None or key < (known.noted_on, known.pk):
                next_after[update.action_id] = update
    owners = get_user_model().objects.in_bulk({a.owner_id for a in actions if a.owner_id})
    for a in actions:
        a.owner = owners.get(a.owner_id)
        if getattr(a, "recorded_later", False):
            # First recorded after the day (an import, a plan typed in late): its dated progress notes say what
            # its status was then, better than the status it was recorded with.
            _status_from_updates(a, latest.get(a.pk), next_after.get(a.pk))
        a.is_overdue = bool(a.due_on and a.due_on < day and a.status not in Action.CLOSED)
        note = latest.get(a.pk)
        a.latest_note = note.note if note else None
        a.latest_noted_on = note.noted_on if note else None
    actions.sort(key=lambda a: (a.subject, a.due_on is None, a.due_on or day, a.pk))
    return actions


def _status_from_updates(action: Action, before: ActionUpdate | None, after: ActionUpdate | None) -> None:
    if before is not None:
        action.status = before.status_after
    elif after is not None:
        action.status = after.status_before
    else:
        return
    if action.status != Action.Status.COMPLETE:
        action.completed_on = None
    elif before is not None and before.changed_status:
        action.completed_on = before.noted_on


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
