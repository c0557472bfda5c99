"""Writes for strategies, priorities and the action plan."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from core.services import audited_save as _save

from .models import Action, ActionUpdate, Priority, Strategy


@transaction.atomic
def strategy_save(*, strategy: Strategy, user) -> Strategy:
    """Create or update a strategy (the form has set its fields)."""
    return _save(strategy, user=user)


@transaction.atomic
def priority_save(*, priority: Priority, user) -> Priority:
    return _save(priority, user=user)


@transaction.atomic
def action_save(*, action: Action, user) -> Action:
    """Create or update an action. Completing it records the day; reopening clears it."""
    if action.status == Action.Status.COMPLETE and not action.completed_on:
        action.completed_on = timezone.localdate()
    elif action.status != Action.Status.COMPLETE:
        action.completed_on = None
    return _save(action, user=user)


@transaction.atomic
def action_record_progress(
    *, action: Action, note: str, author, noted_on: date | None = None, new_status: str | None = None
) -> ActionUpdate:
    """A dated progress note; if new_status differs from the action's, the action moves to it."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    before = action.status
    after = new_status or before
    update = ActionUpdate(
        action=action,
        noted_on=noted_on or timezone.localdate(),
        note=note,
        status_before=before,
        status_after=after,
        author=author,
    )
    _save(update, user=author)
    if after != before:
        action.status = after
        if after == Action.Status.COMPLETE:
            action.completed_on = update.noted_on
        else:
            action.completed_on = None
        action._change_reason = f"Progress update {update.noted_on:%d/%m/%Y}"
        _save(action, user=author)
    return update
