"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task
from django.db import OperationalError

from .computed import computed_measures_fill
from .recompute import statuses_recompute

TASK_OPTIONS = {
    "bind": True, "autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 5,
    "soft_time_limit": 300, "time_limit": 360,
}


@shared_task(**TASK_OPTIONS)
def kpi_statuses_recompute(self, indicator_ids=None):
    """Recompute stored RAG statuses and directions (all indicators when no ids). Idempotent."""
    return statuses_recompute(indicator_ids=indicator_ids)


@shared_task(**TASK_OPTIONS)
def kpi_computed_measures_fill(self, periods=None):
    """Fill computed indicators' measurements from the registered measures, then recompute their statuses."""
    return computed_measures_fill(periods=periods)
