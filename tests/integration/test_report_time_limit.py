"""A report build that reaches Celery's soft time limit in a real worker ends: failed, with the reason."""

import uuid

import pytest
from django.db import connection
from django.utils import timezone

from core.models import WorkerHeartbeat
from reports.models import ReportRun
from reports.tests.factories import ReportRunFactory

pytestmark = pytest.mark.integration


def test_a_build_stopped_in_a_query_by_the_soft_time_limit_is_sent_again_once_then_failed(celery_worker_factory):
    """Every build of the run sits in a PostgreSQL query inside an atomic block until the 3-second soft limit
    fires in it. The run is sent again once (REPORTS_AUTOMATIC_RETRIES=1), then failed with the reason, and the
    worker goes on to the next task: it is not held, and the run is not left building. Nor are the stopped queries
    left running in PostgreSQL (DATABASE_CLIENT_CHECK_SECONDS, here 1) for the rest of their 120 seconds."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = celery_worker_factory(
        queue=queue, prefork=True, hooks=True,
        env={
            "TEST_WORKER_HOLD": "query",
            "REPORTS_TASK_SOFT_TIME_LIMIT": "3",
            "REPORTS_TASK_TIME_LIMIT": "30",
            "REPORTS_AUTOMATIC_RETRIES": "1",
            "CELERY_TASK_DEFAULT_QUEUE": queue,  # the build sent again comes back to this worker
            "DATABASE_CLIENT_CHECK_SECONDS": "1",
        },
    )
    run = ReportRunFactory(kind="actions", period="2025-Q4")
    worker.send("reports.tasks.report_build", run.pk)

    def ended():
        run.refresh_from_db()
        return run.status == ReportRun.Status.FAILED

    try:
        worker.wait_for(ended, timeout=120, interval=0.5, message="the run to be failed")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- worker ---\n{worker.log()}") from None
    assert run.error == (
        "The report took longer than 3 seconds to build and was stopped, twice. Try again later, "
        "or build fewer sections."
    )
    statuses = list(run.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert statuses == ["queued", "running", "queued", "running", "failed"], statuses
    assert (run.attempts, run.automatic_retries) == (2, 1)

    sent_at = timezone.now()
    worker.send("core.tasks.worker_heartbeat")
    worker.wait_for(
        lambda: WorkerHeartbeat.objects.filter(last_seen__gte=sent_at).exists(),
        message="the worker to take the next task",
    )
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED

    # Both stopped builds dropped their connections mid-query: the server has ended those queries, not run them on.
    worker.wait_for(lambda: not _queries_running("SELECT pg_sleep"), timeout=15, message="the stopped queries to end")


def _queries_running(start: str) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' "
            "AND pid <> pg_backend_pid() AND query LIKE %s",
            [start + "%"],
        )
        return [pid for (pid,) in cursor.fetchall()]
