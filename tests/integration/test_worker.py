from django.utils import timezone

from core.models import WorkerHeartbeat


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
