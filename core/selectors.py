"""Reads for the platform's own pages (system health on the administrator's home page)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import WorkerHeartbeat
from .roles import ROLES

# The heartbeat task runs every minute; three missed beats means the worker is down.
WORKER_SILENT_AFTER_SECONDS = 180


def users_without_a_role():
    return get_user_model().objects.filter(is_active=True, is_superuser=False).exclude(groups__name__in=ROLES)


def system_health() -> dict:
    now = timezone.now()
    workers = [
        {"hostname": h.hostname, "last_seen": h.last_seen,
         "alive": (now - h.last_seen).total_seconds() < WORKER_SILENT_AFTER_SECONDS}
        for h in WorkerHeartbeat.objects.all()
    ]
    return {"workers": workers, "worker_alive": any(w["alive"] for w in workers)}
