"""Writes every app shares: the audited save (and model update built on it) and the worker heartbeat."""

import hashlib

from django.db import transaction
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


@transaction.atomic
def people_link_by_name(*, user=None, matcher=None) -> dict[str, int]:
    """Link the accounts that now match the owners and managers kept as text. Returns counts by record kind.

    Runs after an account is made (the admin action, `manage.py link_people`) and after each import.
    """
    from .people import UserMatcher
    from .registry import registry

    matcher = matcher or UserMatcher()
    linked = {}
    for spec in sorted(registry.named_people.values(), key=lambda s: s.key):
        count = 0
        waiting = spec.model.objects.filter(**{f"{spec.user_field}__isnull": True}).exclude(**{spec.name_field: ""})
        for record in waiting:
            account = matcher.match(getattr(record, spec.name_field))
            if account is None:
                continue
            setattr(record, spec.user_field, account)
            record._history_user = user
            record.save(update_fields=[spec.user_field])
            count += 1
        linked[spec.key] = count
    return linked


def import_record_create(*, area: str, kind: str, filename: str, data: bytes, summary, user=None,
                         sha256: str | None = None):
    """Record a confirmed import (never a check or a dry run). `sha256` when the file is no longer held whole."""
    from .models import ImportRecord

    return ImportRecord.objects.create(
        area=area, kind=kind, filename=filename[:255], sha256=sha256 or hashlib.sha256(data).hexdigest(),
        imported_by=user if user is not None and user.is_authenticated else None,
        created=summary.created, updated=summary.updated, unchanged=summary.unchanged,
        notes="\n".join(summary.notes),
    )
