"""A committee report built by a real Celery worker from Redis, written to PostgreSQL and storage."""

import io

import pytest
from pypdf import PdfReader

from commissioning.models import ReportRun
from commissioning.tests.factories import ActionFactory, ReportRunFactory

pytestmark = pytest.mark.integration


def test_a_real_worker_builds_a_report_pdf(celery_worker_process):
    ActionFactory(subject="Tenders", description="Prepare the residential care framework tender")
    run = ReportRunFactory(kind="actions", period="2025-Q4")
    celery_worker_process.send("commissioning.tasks.report_build", run.pk)

    def finished():
        run.refresh_from_db()
        return run.status in (ReportRun.Status.COMPLETE, ReportRun.Status.FAILED)

    celery_worker_process.wait_for(finished, timeout=90, message="the report run to finish")
    assert run.status == ReportRun.Status.COMPLETE, run.error
    with run.file.open("rb") as fh:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(fh.read())).pages)
    assert "Prepare the residential care framework tender" in text
    assert "3. ACTION PLAN PROGRESS" in text.upper()
    assert run.page_count == len(PdfReader(run.file.path).pages)

    # The message delivered again (as after a worker crash) leaves the finished run alone.
    first = run.file.name
    celery_worker_process.send("commissioning.tasks.report_build", run.pk)
    celery_worker_process.send("commissioning.tasks.worker_heartbeat")
    from commissioning.models import WorkerHeartbeat

    celery_worker_process.wait_for(WorkerHeartbeat.objects.exists, message="the worker to take the next task")
    run.refresh_from_db()
    assert run.file.name == first and run.attempts == 1
