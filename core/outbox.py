"""Background jobs that survive the broker being down (the outbox).

A change that needs follow-up work (build this report, recompute these KPI statuses) calls
`task_send_on_commit` inside its transaction: a PendingTask row is written with the change, and the job
is sent to the broker once the transaction commits. If the broker takes it, the row is deleted. If the
broker is down, the error is logged, the row stays, and the request carries on normally: the change is
saved and `pending_tasks_send` (beat, every minute) sends the job when the broker is back.

A job may therefore be sent twice (sent, then the process died before the row was deleted): every task
queued this way is safe to run twice.
"""

import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerOperationalError

from .models import PendingTask

logger = logging.getLogger(__name__)

# What a broker that cannot be reached raises: kombu wraps Redis connection errors in its OperationalError;
# the filesystem transport raises OSError.
BROKER_ERRORS = (BrokerOperationalError, OSError)

# A row younger than this is still being sent by the request that wrote it; the sweep leaves it alone.
SWEEP_AFTER = timedelta(seconds=60)

# What a view tells the user when the change is saved but its job waits for the broker.
DELAYED_MESSAGE = (
    "{job} will be done in the background, which is not available just now. Your change is saved and the work "
    "starts by itself when the background service is back."
)

_watching = threading.local()


@dataclass
class SendResult:
    failed: int = 0


@contextmanager
def watch():
    """Tell a view whether a job it caused could not be sent yet, so it can say so to the user:

        with outbox.watch() as sending:
            run = report_run_request(...)
        if sending.failed: ...
    """
    result = SendResult()
    stack = getattr(_watching, "stack", None)
    if stack is None:
        stack = _watching.stack = []
    stack.append(result)
    try:
        yield result
    finally:
        stack.remove(result)


def _note_failure():
    for result in getattr(_watching, "stack", []):
        result.failed += 1


def _task(name: str):
    """The registered task: a web process has not imported every app's tasks module, so let Celery's
    autodiscovery run first (a name no app defines raises KeyError: a programming error, not a broker one)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _send(pending: PendingTask) -> bool:
    """Hand one job to the broker. True if it was taken; False (logged, recorded on the row) if not."""
    try:
        # One try: Celery's default publish retries (4 tries) would hold a request four socket timeouts on a hung
        # broker, and the sweep below already sends again what was refused.
        _task(pending.task).apply_async(tuple(pending.args), pending.kwargs, retry=False)
    except BROKER_ERRORS as exc:
        logger.warning("Could not send %s to the broker (%s); it is kept and sent again later", pending.task, exc)
        PendingTask.objects.filter(pk=pending.pk).update(
            attempts=pending.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000],
            last_attempt=timezone.now(),
        )
        return False
    PendingTask.objects.filter(pk=pending.pk).delete()
    return True


def task_send_on_commit(task: str, *, args: list | None = None, kwargs: dict | None = None) -> PendingTask:
    """Record a job with the current transaction's change and send it once that commits."""
    pending = PendingTask.objects.create(task=task, args=list(args or []), kwargs=dict(kwargs or {}))

    def send():
        if not _send(pending):
            _note_failure()

    transaction.on_commit(send)
    return pending


def pending_tasks_send(*, now=None, limit: int = 500) -> int:
    """Send the jobs the broker could not take before. Stops at the first refusal (the broker is still down).
    Returns how many were sent."""
    cutoff = (now or timezone.now()) - SWEEP_AFTER
    sent = 0
    with transaction.atomic():
        rows = list(
            PendingTask.objects.select_for_update(skip_locked=True).filter(created__lte=cutoff).order_by("pk")[:limit]
        )
        for pending in rows:
            if not _send(pending):
                break
            sent += 1
    if sent:
        logger.info("Sent %s background job(s) that had waited for the broker", sent)
    return sent
