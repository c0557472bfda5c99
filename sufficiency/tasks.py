from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from . import services
from .models import ForecastRun


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True,
             soft_time_limit=settings.SUFFICIENCY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.SUFFICIENCY_TASK_SOFT_TIME_LIMIT + 30)
def forecast_run(self, run_id):
    """Run one forecast someone asked for (safe to run twice: a finished run is left alone)."""
    run = ForecastRun.objects.filter(pk=run_id).first()
    if run is not None:
        services.forecast_run_execute(run=run)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True,
             soft_time_limit=settings.SUFFICIENCY_TASK_SOFT_TIME_LIMIT,
             time_limit=settings.SUFFICIENCY_TASK_SOFT_TIME_LIMIT + 30)
def forecast_refresh(self):
    """Nightly: run the forecast again when the data it reads has changed."""
    services.forecast_refresh_if_changed()
