"""Test-only behaviour for a real worker, loaded with `celery worker --include tests.integration.worker_hooks`
(celery_worker_factory(hooks=True)) and switched on by environment variables. Never imported by the app.

TEST_WORKER_MEDIA_ROOT   the worker stores files here (the test points its own MEDIA_ROOT at the same folder).
TEST_WORKER_HOLD         stop a report build part-way and wait there, so a test can SIGKILL the worker at a
                         known point:
                           "build" - after the status is 'running' and WeasyPrint has made the PDF;
                           "store" - in the middle of writing the PDF to storage: half the bytes are on disk
                                     and the transaction that would mark the run complete is still open.
                           "query" - in a PostgreSQL query inside an atomic block that outlasts any time limit
                                     (every build of the run), so the soft time limit fires in the query.
TEST_WORKER_HOLD_MARKER  file written once the worker is held (the test waits for it, then kills the worker).
"""

import os
import time
from pathlib import Path

HOLD_SECONDS = 120  # a held worker nobody kills gives up rather than hang around


def _held(stage: str):
    marker = os.environ.get("TEST_WORKER_HOLD_MARKER")
    if marker:
        Path(marker).write_text(f"{stage} {os.getpid()}\n")
    time.sleep(HOLD_SECONDS)
    raise RuntimeError(f"worker held at {stage!r} was never killed")


def _install():
    from django.conf import settings

    media_root = os.environ.get("TEST_WORKER_MEDIA_ROOT")
    if media_root:
        settings.MEDIA_ROOT = media_root

    stage = os.environ.get("TEST_WORKER_HOLD")
    if stage == "build":
        from reports import build

        real_build_pdf = build.build_pdf

        def held_build_pdf(run):
            real_build_pdf(run)
            _held(stage)

        build.build_pdf = held_build_pdf  # services imports it from the module at call time
    elif stage == "store":
        from django.core.files.storage import FileSystemStorage

        real_save = FileSystemStorage._save

        def held_save(self, name, content):
            if not name.startswith("reports/"):
                return real_save(self, name, content)
            data = content.read()
            path = Path(self.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(data[: len(data) // 2])
                fh.flush()
                os.fsync(fh.fileno())
            _held(stage)

        FileSystemStorage._save = held_save
    elif stage == "query":
        from celery import current_app
        from django.db import connection, transaction

        from reports import build

        # settings_test runs tasks eagerly, whatever CELERY_TASK_ALWAYS_EAGER says: the build sent again must go
        # through the broker, as in production, not run inside the task the time limit stopped.
        current_app.conf.task_always_eager = False

        def slow_build_pdf(run):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(%s)", [HOLD_SECONDS])
            raise RuntimeError("the query outlasted the test")

        build.build_pdf = slow_build_pdf
    elif stage:
        raise ValueError(f"TEST_WORKER_HOLD={stage!r}: expected 'build', 'store' or 'query'")


_install()
