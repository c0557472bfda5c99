from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5,
             soft_time_limit=300, time_limit=360)
def contracts_send_alerts(self):
    """Daily: email each contract manager a digest of new alerts (decision due, past end, review overdue)."""
    return services.contracts_send_alerts(as_of=timezone.localdate())
