"""A real Celery worker process, taking tasks from Redis and writing to the PostgreSQL test database.

Skipped on a laptop without the services; under CI (REQUIRE_SERVICES=1) a missing service fails the run.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


def _missing_services():
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL is not PostgreSQL")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        problems.append("the Celery broker is not Redis (set REDIS_URL)")
    return problems


class Worker:
    def __init__(self, process, queue):
        self.process = process
        self.queue = queue

    def send(self, task_name, *args, **kwargs):
        """Queue a task by name on this worker's private queue (never run eagerly)."""
        from commissioning.celery import app

        return app.send_task(task_name, args=args, kwargs=kwargs, queue=self.queue)

    @staticmethod
    def wait_for(predicate, timeout=60, interval=0.25, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(interval)
        raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


@pytest.fixture
def celery_worker_process(transactional_db):
    problems = _missing_services()
    if problems:
        message = "needs PostgreSQL and Redis: " + "; ".join(problems)
        if os.environ.get("REQUIRE_SERVICES"):
            pytest.fail(message)
        pytest.skip(message)
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    user = db["USER"] or "postgres"
    database_url = f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:8]}"  # a private queue: no other worker can take these tasks
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "commissioning.settings_test",
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "commissioning", "worker", "--pool=solo", "--loglevel=INFO",
         "-Q", queue, "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    worker = Worker(process, queue)
    try:
        yield worker
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if os.environ.get("SHOW_WORKER_LOG"):
            print(output)
