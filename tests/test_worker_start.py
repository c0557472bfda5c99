"""A worker reports on the system status page as soon as it starts, not a minute later with beat's first
scheduled heartbeat."""

from dataclasses import dataclass

import pytest
from celery.signals import worker_ready
from django.urls import reverse

import core.tasks  # noqa: F401  (connects the handler, as the worker's task discovery does)
from core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Consumer:  # what Celery sends worker_ready with: its consumer, named as the worker is
    hostname: str


@pytest.mark.django_db(transaction=True)  # the handler closes the worker's connection, as it does in a worker
def test_a_worker_that_becomes_ready_shows_as_running_at_once(admin_user_client):
    assert "No worker has reported yet" in admin_user_client.get(reverse("system_status")).content.decode()
    worker_ready.send(sender=Consumer(hostname="celery@web1"))
    body = admin_user_client.get(reverse("system_status")).content.decode()
    assert "celery@web1" in body and "Running" in body and "No worker has reported yet" not in body
    # A restart updates the same row: the worker is listed once.
    first = WorkerHeartbeat.objects.get().last_seen
    worker_ready.send(sender=Consumer(hostname="celery@web1"))
    assert [(h.hostname, h.last_seen > first) for h in WorkerHeartbeat.objects.all()] == [("celery@web1", True)]
