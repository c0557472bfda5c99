"""Writes every app shares: the audited save (and model update built on it) and the worker heartbeat."""

from django.utils import timezone

from .models import WorkerHeartbeat


def audited_save(instance, *, user):
    """Validate and save a record, naming the person for its history entry. Call inside a transaction."""
    instance.full_clean()
    instance._history_user = user
    instance.save()
    return instance


def model_assign(instance, *, fields: dict, allowed) -> None:
    """Set the given fields on a record, refusing any a service does not let its callers set."""
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"{name} cannot be set here")
        setattr(instance, name, value)


def model_update(*, instance, fields: dict, allowed, user):
    """Set the allowed fields, then validate and save with the person named for the history entry
    (the one way services write a record). Call inside a transaction."""
    model_assign(instance, fields=fields, allowed=allowed)
    return audited_save(instance, user=user)


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    heartbeat, _ = WorkerHeartbeat.objects.update_or_create(hostname=hostname, defaults={"last_seen": timezone.now()})
    return heartbeat
