import json
import uuid

from django.utils import timezone

from core.models import WorkerHeartbeat

from .conftest import Worker


def test_a_real_worker_reports_when_it_starts_and_on_each_heartbeat_task(celery_worker_process):
    # Nobody sends it anything: the worker records itself as it becomes ready, before beat's first heartbeat.
    celery_worker_process.wait_for(WorkerHeartbeat.objects.exists, timeout=90, message="the start-up heartbeat")
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.hostname.startswith(celery_worker_process.queue)
    assert "ready." in celery_worker_process.log()

    # A heartbeat task taken from Redis updates the same row, under the same name.
    sent_at = timezone.now()
    celery_worker_process.send("core.tasks.worker_heartbeat")
    celery_worker_process.wait_for(lambda: WorkerHeartbeat.objects.filter(last_seen__gte=sent_at).exists(),
                                   message="the heartbeat task")
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == [heartbeat.hostname]


def test_a_task_sent_to_a_worker_carries_none_of_this_processes_time_limits(celery_worker_factory):
    """A test starts a worker with the time limits it wants in the worker's environment. A task registered in this
    process too, with this process's settings' limits, must not bring them along to override the worker's."""
    import redis
    from django.conf import settings

    from reports.tasks import report_build

    assert report_build.soft_time_limit and report_build.time_limit  # and now registered in this process
    worker = Worker(process=None, queue=f"test-{uuid.uuid4().hex[:8]}")  # nothing takes from the queue
    worker.send("reports.tasks.report_build", 1)

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        message = json.loads(client.lpop(worker.queue))
    finally:
        client.delete(worker.queue, f"_kombu.binding.{worker.queue}")
        client.close()
    assert message["headers"]["task"] == "reports.tasks.report_build"
    assert message["headers"]["timelimit"] == [None, None]
