"""Real Celery worker processes, taking tasks from Redis and writing to the PostgreSQL test database.

Skipped on a laptop without the services; under CI (REQUIRE_SERVICES=1) a missing service fails the run.

* `celery_worker_process`: one worker on a private queue, stopped after the test.
* `celery_worker_factory`: start(queue=None, env=None, hooks=False, beat=False, prefork=False) -> Worker, for
  tests that need more than one worker on the same queue, extra environment (e.g. CELERY_VISIBILITY_TIMEOUT=5),
  or to SIGKILL one (`worker.kill()`) as a crash would. hooks=True loads tests/integration/worker_hooks.py into
  the worker (test-only behaviour switched on by environment variables; see that module). beat=True runs Celery
  beat in the worker with the production schedule, sending to the worker's queue. prefork=True runs the task in
  a child process, as production does, so Celery's time limits apply (the solo pool has none).
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
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
    def __init__(self, process, queue, log_path=None):
        self.process = process
        self.queue = queue
        self.log_path = log_path

    def send(self, task_name, *args, **kwargs):
        """Queue a task by name on this worker's private queue (never run eagerly). The worker's own time limits
        apply (those its environment sets), not this process's."""
        from commissioning.celery import app

        # send_task copies the time limits of a task registered in this process into the message, where they
        # override the worker's: once an earlier test in this process had imported reports.tasks, a build went
        # out with this process's 300/360 s limits rather than the 3/30 s the worker was started with, and no
        # limit fired in time. None sends none, as a process that does not know the task would.
        return app.send_task(task_name, args=args, kwargs=kwargs, queue=self.queue,
                             time_limit=None, soft_time_limit=None)

    def wait_for(self, predicate, timeout=60, interval=0.25, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(interval)
        raise AssertionError(f"Timed out after {timeout}s waiting for {message} ({self.broker_state()})")

    def broker_state(self) -> str:
        """What Redis holds for this worker's queue. A message lost from the broker (its database emptied under the
        test, as FLUSHDB does) shows as nothing queued, nothing taken and the queue no longer bound."""
        import redis
        from django.conf import settings

        try:
            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2)
            queued = client.llen(self.queue)
            taken = sum(1 for raw in client.hvals("unacked") if json.loads(raw)[2] == self.queue)
            bound = client.exists(f"_kombu.binding.{self.queue}")
            client.close()
        except Exception as exc:  # a diagnostic only: the timeout is the failure
            return f"broker not read: {exc}"
        return f"broker: {queued} queued, {taken} taken and not acknowledged, queue {'bound' if bound else 'not bound'}"

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self):
        """SIGKILL the worker's whole process group, as a crash or the OOM killer would: nothing is acked or
        handed back to the broker."""
        if self.alive:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout=20):
        if self.alive:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        if not self.log_path:
            return ""
        try:
            return Path(self.log_path).read_text(errors="replace")
        except FileNotFoundError:
            return ""


@pytest.fixture
def celery_worker_factory(transactional_db):
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
    workers = []
    log_dir = tempfile.mkdtemp(prefix="celery-worker-logs-")

    def start(*, queue=None, env=None, hooks=False, beat=False, prefork=False):
        queue = queue or f"test-{uuid.uuid4().hex[:8]}"  # a private queue: no other test's worker takes these
        full_env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "commissioning.settings_test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            **(env or {}),
        }
        name = f"{queue}-{len(workers) + 1}" if workers else queue
        command = [
            sys.executable, "-m", "celery", "-A", "commissioning", "worker", "--loglevel=INFO",
            # The solo pool enforces no time limits; a child process under prefork gets them as in production.
            *(["--pool=prefork", "--concurrency=1"] if prefork else ["--pool=solo"]),
            "-Q", queue, "-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]
        if hooks:
            command += ["--include", "tests.integration.worker_hooks"]
        if beat:
            # Beat inside this worker, its schedule in a private file, sending to this worker's queue.
            command += ["--beat", "--schedule", str(Path(log_dir) / f"{name}-beat-schedule")]
            full_env["CELERY_TASK_DEFAULT_QUEUE"] = queue
        log_path = Path(log_dir) / f"{name}.log"
        with open(log_path, "w") as log:  # a file, not a pipe: a chatty worker never blocks on a full pipe
            process = subprocess.Popen(
                command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT, text=True,
                start_new_session=True,  # its own process group, so kill() takes any children with it
            )
        worker = Worker(process, queue, log_path)
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in workers:
            worker.stop()
            if os.environ.get("SHOW_WORKER_LOG"):
                print(f"--- worker log {worker.log_path} ---\n{worker.log()}")
        shutil.rmtree(log_dir, ignore_errors=True)


@pytest.fixture
def celery_worker_process(celery_worker_factory):
    return celery_worker_factory()
