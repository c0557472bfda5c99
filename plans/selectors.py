"""Reads for strategies and the action plan: one queryset function per need."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404

from .models import Action, ActionUpdate, Priority, Strategy


def strategy_list():
    return Strategy.objects.select_related("approved_by").annotate(
        priority_count=Count("priorities", distinct=True), action_count=Count("actions", distinct=True)
    )


def strategy_current(*, as_of: date) -> Strategy | None:
    """The approved strategy in force on the day, else the latest one."""
    in_force = Strategy.objects.filter(status=Strategy.Status.APPROVED, starts_on__lte=as_of, ends_on__gte=as_of)
    return in_force.order_by("-starts_on").first() or Strategy.objects.order_by("-starts_on").first()


def strategy_detail(*, pk, as_of: date) -> Strategy:
    actions = Action.objects.with_overdue(as_of)
    priorities = Priority.objects.annotate(
        open_actions=Count("actions", filter=~Q(actions__status__in=Action.CLOSED)),
        overdue_actions=Count("actions", filter=Q(actions__due_on__lt=as_of) & ~Q(actions__status__in=Action.CLOSED)),
    ).order_by("number")
    return get_object_or_404(
        Strategy.objects.select_related("approved_by").prefetch_related(
            Prefetch("priorities", queryset=priorities),
            Prefetch("actions", queryset=actions.only("pk", "status", "due_on", "strategy_id")),
        ),
        pk=pk,
    )


def action_list(*, as_of: date):
    """Actions with the overdue flag and their latest progress note, ready for a table."""
    latest = ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-noted_on", "-pk")
    return (
        Action.objects.with_overdue(as_of)
        .select_related("owner", "strategy", "priority")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_noted_on=Subquery(latest.values("noted_on")[:1]),
        )
        .order_by("subject", "due_on", "pk")
    )


def actions_grouped_by_subject(actions) -> OrderedDict[str, list[Action]]:
    groups: OrderedDict[str, list[Action]] = OrderedDict()
    for action in actions:
        groups.setdefault(action.subject, []).append(action)
    return groups


def action_status_counts(*, as_of: date, queryset=None) -> dict[str, int]:
    qs = queryset if queryset is not None else Action.objects.all()
    return qs.aggregate(
        total=Count("pk"),
        yet_to_commence=Count("pk", filter=Q(status=Action.Status.YET_TO_COMMENCE)),
        in_progress=Count("pk", filter=Q(status=Action.Status.IN_PROGRESS)),
        complete=Count("pk", filter=Q(status=Action.Status.COMPLETE)),
        cancelled=Count("pk", filter=Q(status=Action.Status.CANCELLED)),
        overdue=Count("pk", filter=Q(due_on__lt=as_of) & ~Q(status__in=Action.CLOSED)),
    )


def action_detail(*, pk, as_of: date) -> Action:
    return get_object_or_404(
        Action.objects.with_overdue(as_of)
        .select_related("owner", "strategy", "priority")
        .prefetch_related(Prefetch("updates", queryset=ActionUpdate.objects.select_related("author"))),
        pk=pk,
    )


def action_subjects() -> list[str]:
    return list(Action.objects.order_by("subject").values_list("subject", flat=True).distinct())


def actions_overdue(*, as_of: date, owner=None):
    qs = Action.objects.overdue(as_of)
    if owner is not None:
        qs = qs.filter(owner=owner)
    return qs


def actions_open_for(*, owner, as_of: date) -> list[Action]:
    """The person's open actions, soonest due first (the home page shows ten)."""
    return list(
        action_list(as_of=as_of).filter(owner=owner).exclude(status__in=Action.CLOSED).order_by("due_on", "pk")[:10]
    )
