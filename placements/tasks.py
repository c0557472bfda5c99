"""Celery tasks: thin wrappers that take ids and call a service."""

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from . import dfe_check, return_uploads


@shared_task(
    ignore_result=True,
    acks_late=True,  # a worker killed mid-check leaves the message to be redelivered: the held return is still there
    reject_on_worker_lost=True,
    soft_time_limit=settings.DFE_CHECK_SOFT_TIME_LIMIT,
    time_limit=settings.DFE_CHECK_SOFT_TIME_LIMIT + 60,
)
def dfe_check_run(check_id: int):
    """Run the DfE's 903 rules on an uploaded return. Not retried: the held return is deleted after one run."""
    dfe_check.dfe_check_run(check_id=check_id)


@shared_task(ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def dfe_check_uploads_sweep():
    dfe_check.dfe_check_uploads_sweep()


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT, time_limit=settings.CELERY_TASK_TIME_LIMIT)
def return_upload_check(user_id: int, token: str):
    """Check an uploaded 903 return. Safe to run twice: a check already made is left."""
    return_uploads.return_upload_check(user_id=user_id, token=token)


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True,
             soft_time_limit=settings.CELERY_TASK_SOFT_TIME_LIMIT, time_limit=settings.CELERY_TASK_TIME_LIMIT)
def return_upload_import(user_id: int, token: str):
    """Import a checked 903 return the person confirmed. Safe to run twice: an import already saved is left."""
    return_uploads.return_upload_import(user_id=user_id, token=token)
