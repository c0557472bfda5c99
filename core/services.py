"""Writes every app shares: the audited save and the worker heartbeat."""

from django.utils import timezone

from .models import WorkerHeartbeat


def audited_save(instance, *, user):
    """Validate and save a record, naming the person for its history entry. Call inside a transaction."""
    instance.full_clean()
    instance._history_user = user
    instance.save()
    return instance


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"last_seen": timezone.now()})
    return heartbeat
