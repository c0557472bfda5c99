from core.models import WorkerHeartbeat


def test_a_real_worker_takes_a_task_from_redis_and_writes_to_postgresql(celery_worker_process):
    assert not WorkerHeartbeat.objects.exists()
    celery_worker_process.send("core.tasks.worker_heartbeat")
    celery_worker_process.wait_for(WorkerHeartbeat.objects.exists, message="the heartbeat row")
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.hostname.startswith(celery_worker_process.queue)
