from celery import shared_task

from . import outbox
from .holds import holds_expired_delete
from .services import worker_heartbeat_record


@shared_task(bind=True, ignore_result=True)
def worker_heartbeat(self):
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@shared_task(ignore_result=True)
def pending_tasks_send():
    outbox.pending_tasks_send()


@shared_task(ignore_result=True)
def held_uploads_delete_expired():
    holds_expired_delete()
