"""A committee report built by a real Celery worker from Redis, written to PostgreSQL and storage."""

import io
import json
import time

import pytest
import redis
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import WorkerHeartbeat
from plans.tests.factories import ActionFactory
from reports.models import ReportRun
from reports.tests.factories import ReportRunFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.integration


def test_a_real_worker_builds_a_report_pdf(celery_worker_process):
    ActionFactory(subject="Tenders", description="Prepare the residential care framework tender")
    run = ReportRunFactory(kind="actions", period="2025-Q4")
    celery_worker_process.send("reports.tasks.report_build", run.pk)

    def finished():
        run.refresh_from_db()
        return run.status in (ReportRun.Status.COMPLETE, ReportRun.Status.FAILED)

    celery_worker_process.wait_for(finished, timeout=90, message="the report run to finish")
    assert run.status == ReportRun.Status.COMPLETE, run.error
    with run.file.open("rb") as fh:
        text = pdf_text(fh.read())
    assert "Prepare the residential care framework tender" in text
    assert "5. ACTION PLAN PROGRESS" in text.upper()
    assert run.page_count == len(PdfReader(run.file.path).pages)

    # The message delivered again (as after a worker crash) leaves the finished run alone.
    first = run.file.name
    sent_at = timezone.now()  # the worker recorded a heartbeat when it started: wait for this one
    celery_worker_process.send("reports.tasks.report_build", run.pk)
    celery_worker_process.send("core.tasks.worker_heartbeat")
    celery_worker_process.wait_for(lambda: WorkerHeartbeat.objects.filter(last_seen__gte=sent_at).exists(),
                                   message="the worker to take the next task")
    run.refresh_from_db()
    assert run.file.name == first and run.attempts == 1


def _broker():
    return redis.Redis.from_url(django_settings.CELERY_BROKER_URL)


def _unacked_deliveries(queue: str) -> dict[str, float]:
    """Messages for this queue that a worker has taken from Redis and not acknowledged, as delivery tag ->
    time delivered. (kombu's ack emulation keeps a copy in the `unacked` hash, indexed by delivery time in
    `unacked_index`, until the ack; a worker's sweep puts it back on the queue after the visibility timeout.)"""
    client = _broker()
    return {
        tag.decode(): client.zscore("unacked_index", tag)
        for tag, raw in client.hgetall("unacked").items()
        if json.loads(raw)[2] == queue
    }


def _queued(queue: str) -> int:
    return _broker().llen(queue)


def _files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _forget_unacked(queue: str) -> None:
    """Drop the killed worker's unacknowledged copy, which Redis would otherwise give back to this private
    queue after the visibility timeout, long after the test."""
    client = _broker()
    for tag in _unacked_deliveries(queue):
        client.hdel("unacked", tag)
        client.zrem("unacked_index", tag)


@pytest.mark.parametrize("killed_at", ["build", "store"])
def test_a_worker_killed_mid_build_is_restarted_within_3_minutes_and_completes_once(
    celery_worker_factory, committee_client, settings, tmp_path, killed_at
):
    """SIGKILL the worker while it builds (after WeasyPrint, or half-way through writing the PDF): the run is
    not complete and nothing is served. A second worker starts, with beat and the production settings (the
    broker's visibility timeout stays at 15 minutes): the run's heartbeat has stopped, so beat's sweep queues
    the build again and the report is complete within 3 minutes of the worker starting, exactly once, with
    one file and nothing half-written. Nobody presses Retry."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)  # private to this test; the workers store here too
    marker = tmp_path / "held"
    common_env = {"TEST_WORKER_MEDIA_ROOT": str(media)}

    ActionFactory(subject="Tenders", description="Prepare the residential care framework tender")
    run = ReportRunFactory(kind="actions", period="2025-Q4")
    download = reverse("reports_download", kwargs={"pk": run.pk})

    first = celery_worker_factory(
        hooks=True, env={**common_env, "TEST_WORKER_HOLD": killed_at, "TEST_WORKER_HOLD_MARKER": str(marker)}
    )
    first.send("reports.tasks.report_build", run.pk)
    try:
        first.wait_for(marker.exists, timeout=60, message=f"the worker to reach {killed_at!r}")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- first worker ---\n{first.log()}") from None

    # Half-done: the row says running, and the download gives no PDF.
    run.refresh_from_db()
    assert (run.status, run.attempts, run.file.name) == (ReportRun.Status.RUNNING, 1, "")
    response = committee_client.get(download)
    assert response.status_code == 404 and response.get("Content-Type") != "application/pdf"
    if killed_at == "store":
        [half_written] = _files_under(media)  # really on disk, under the run's folder, never referenced
        assert half_written.startswith(f"reports/{run.pk}/")

    first.kill()
    # The message was taken but never acknowledged: Redis holds it, to give back only after 15 minutes.
    [killed_tag] = _unacked_deliveries(first.queue)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING
    assert committee_client.get(download).status_code == 404

    second = celery_worker_factory(queue=first.queue, hooks=True, beat=True, env=common_env)
    available = time.monotonic()

    def finished():
        run.refresh_from_db()
        return run.status in (ReportRun.Status.COMPLETE, ReportRun.Status.FAILED)

    try:
        second.wait_for(finished, timeout=200, interval=1, message="the restarted build to finish")
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n--- second worker ---\n{second.log()}") from None
    finished_after = time.monotonic() - available
    assert run.status == ReportRun.Status.COMPLETE, run.error
    assert finished_after <= 180, f"finished {finished_after:.0f}s after a worker was available again"
    # Restarted by the sweep, not by the broker: the killed delivery is still unacknowledged in Redis, and
    # the run went back to queued (the sweep) between the killed attempt and the one that completed it.
    assert killed_tag in _unacked_deliveries(first.queue)
    statuses = list(run.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert statuses == ["queued", "running", "queued", "running", "complete"], statuses

    # Exactly once: one run, built twice in all (the killed attempt and the restart), completed once.
    assert ReportRun.objects.count() == 1
    assert run.attempts == 2
    assert run.history.filter(status=ReportRun.Status.COMPLETE).count() == 1
    # One stored file, the one the row points at; the half-written one is gone.
    assert _files_under(media) == [run.file.name]
    pdf = PdfReader(media / run.file.name)
    assert run.page_count == len(pdf.pages) > 0
    assert run.file_size == (media / run.file.name).stat().st_size
    assert "Prepare the residential care framework tender" in pdf_text(media / run.file.name)
    response = committee_client.get(download)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages) == run.page_count

    # When Redis gives the killed message back (here: sent again at once), the build does not run a third time.
    _forget_unacked(first.queue)
    sent_at = timezone.now()
    second.send("reports.tasks.report_build", run.pk)
    second.send("core.tasks.worker_heartbeat")
    second.wait_for(
        lambda: WorkerHeartbeat.objects.filter(last_seen__gte=sent_at).exists()
        and not _queued(first.queue) and not _unacked_deliveries(first.queue),
        message="the worker to take the redelivered build and the next task",
    )
    run.refresh_from_db()
    assert run.attempts == 2 and _files_under(media) == [run.file.name]
    print(f"{killed_at}: restarted and completed {finished_after:.1f}s after a worker was available again")
