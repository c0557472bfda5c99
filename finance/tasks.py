from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, soft_time_limit=120, time_limit=150)
def finance_forecast_snapshot(self):
    """Monthly, on the 1st: keep the forecast as at the last day of the month just ended."""
    services.forecast_snapshot_take(as_of=timezone.localdate() - timedelta(days=1))
