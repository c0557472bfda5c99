from celery import shared_task
from celery.signals import worker_ready
from django.db import connections

from . import import_jobs, outbox
from .holds import holds_expired_delete
from .services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=True)
def worker_heartbeat(self):
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@worker_ready.connect
def worker_heartbeat_on_start(sender, **kwargs):
    """Report as soon as the worker takes tasks, under the name its scheduled heartbeats use: beat's first comes a
    minute after it starts, and until then the system status page would say no worker is running."""
    try:
        worker_heartbeat_record(hostname=sender.hostname)
    finally:
        connections.close_all()  # the worker's main process keeps no connection for the pool's processes to share


@shared_task(ignore_result=True)
def pending_tasks_send():
    outbox.pending_tasks_send()


@shared_task(ignore_result=True)
def held_uploads_delete_expired():
    holds_expired_delete()


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def import_job_run(user_id: int, path: str, file_key: str, confirm: bool, seconds: int):
    """Check or save a large spreadsheet upload. Safe to run twice: a finished check or a saved import is left."""
    import_jobs.import_job_run(user_id=user_id, path=path, file_key=file_key, confirm=confirm, seconds=seconds)
