from celery import shared_task
from celery.signals import worker_process_init
from django.conf import settings
from django.db import OperationalError

from . import services


@worker_process_init.connect
def load_weasyprint(**kwargs):
    """Each pool process loads WeasyPrint as it starts, not in its first build: the first report is a second
    faster, and a build's time limit never fires inside a library's import, where a broad `except` in third-party
    code can swallow it. After the fork, so no process shares the parent's font state."""
    from . import pdf  # noqa: F401


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,  # a worker killed mid-build leaves the message to be redelivered: the build runs again
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=settings.REPORTS_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.REPORTS_TASK_TIME_LIMIT,
)
def report_build(self, run_id: int):
    services.report_run_execute(run_id=run_id)


@shared_task(bind=True, ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def report_schedule_quarterly_build(self):
    services.report_schedule_quarterly()


@shared_task(ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def report_runs_restart_stalled():
    services.report_runs_restart_stalled()
    services.report_runs_resend_lost()
