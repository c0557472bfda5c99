"""Every report build ends: complete, or failed with its reason and a "Try again" button.

A build stopped at the soft time limit, a worker lost mid-build and a message lost on its way to a worker
are each sent again a bounded number of times (REPORTS_AUTOMATIC_RETRIES), then failed with the reason.
"""

import os
import signal
from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import PendingTask
from plans.models import Action
from plans.tests.factories import ActionFactory
from reports import build, tasks
from reports.services import report_run_execute, report_runs_resend_lost, report_runs_restart_stalled

from .factories import ReportRunFactory

pytestmark = pytest.mark.django_db


def _stopped_at_the_time_limit_in_a_transaction(run):
    """The build reaches the soft time limit while it is reading inside an atomic block."""
    with transaction.atomic():
        list(Action.objects.all())
        raise SoftTimeLimitExceeded()


def test_a_build_stopped_at_the_time_limit_is_sent_again_then_failed_with_the_reason_and_try_again(
    committee_client, committee_officer, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REPORTS_AUTOMATIC_RETRIES = 2
    settings.REPORTS_TASK_SOFT_TIME_LIMIT = 300
    ActionFactory(subject="Tenders", description="Prepare the residential care framework tender")
    run = ReportRunFactory(kind="actions", requested_by=committee_officer)
    monkeypatch.setattr(build, "build_pdf", _stopped_at_the_time_limit_in_a_transaction)

    with django_capture_on_commit_callbacks(execute=True):  # eager: each build sent again runs at once
        report_run_execute(run_id=run.pk)
    run.refresh_from_db()
    # Built three times in all (the first and two sent again), then left failed: nothing queues it again.
    assert (run.status, run.attempts, run.automatic_retries) == ("failed", 3, 2)
    assert run.error == (
        "The report took longer than 5 minutes to build and was stopped, 3 times. Try again later, "
        "or build fewer sections."
    )
    assert list(run.history.order_by("history_id").values_list("status", flat=True)).count("queued") == 3
    assert report_runs_restart_stalled(now=timezone.now() + timedelta(hours=1)) == []
    assert report_runs_resend_lost(now=timezone.now() + timedelta(hours=1)) == []

    page = committee_client.get(reverse("reports_detail", args=[run.pk])).content.decode()
    assert "took longer than 5 minutes to build and was stopped, 3 times" in page
    assert 'action="{}"'.format(reverse("reports_retry", args=[run.pk])) in page and ">Try again</button>" in page
    row = committee_client.get(reverse("reports")).content.decode()
    assert "took longer than 5 minutes" in row and "Try again<span" in row

    # The person who asked tries again once the cause is gone: it is built, with its retries counted afresh.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = committee_client.post(reverse("reports_retry", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.error, run.automatic_retries, run.attempts) == ("complete", "", 0, 4)


def test_try_again_is_a_post_for_report_builders_only(client, viewer, placements_officer, committee_client):
    run = ReportRunFactory(kind="actions", status="failed", error="The report took longer than 5 minutes")
    url = reverse("reports_retry", args=[run.pk])
    assert committee_client.get(url).status_code == 405
    client.force_login(placements_officer)  # reads reports, may not build them
    page = client.get(reverse("reports_detail", args=[run.pk])).content.decode()
    assert "took longer than 5 minutes" in page and "Try again" not in page
    assert client.post(url).status_code == 403
    client.force_login(viewer)
    assert client.post(url).status_code == 403
    run.refresh_from_db()
    assert run.status == "failed"


def test_a_second_delivery_of_a_build_another_worker_is_running_does_nothing():
    run = ReportRunFactory(kind="actions", status="running", attempts=1, started_at=timezone.now(),
                           heartbeat_at=timezone.now())
    with mock.patch("reports.build.build_pdf") as build_pdf:
        report_run_execute(run_id=run.pk)
    build_pdf.assert_not_called()
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("running", 1)


def test_a_queued_build_whose_message_was_lost_is_sent_again_by_the_sweep_then_failed_with_the_reason(
    committee_client, committee_officer, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_QUEUED_LOST_MINUTES = 10
    settings.REPORTS_AUTOMATIC_RETRIES = 2
    now = timezone.now()
    lost = ReportRunFactory(kind="actions", status="queued", requested_by=committee_officer,
                            queued_at=now - timedelta(minutes=11))
    recent = ReportRunFactory(kind="actions", status="queued", queued_at=now - timedelta(minutes=9))
    # Broker down when it was requested: the outbox still holds its build and sends it when the broker is back.
    held = ReportRunFactory(kind="actions", status="queued", queued_at=now - timedelta(minutes=30))
    PendingTask.objects.create(task="reports.tasks.report_build", args=[held.pk])

    with mock.patch("reports.tasks.report_build.apply_async") as send:  # sent, and lost again
        with django_capture_on_commit_callbacks(execute=True):
            tasks.report_runs_restart_stalled()  # the beat task, every minute
        send.assert_called_once_with((lost.pk,), {}, retry=False)
        lost.refresh_from_db()
        assert (lost.status, lost.automatic_retries, lost.error) == ("queued", 1, "")
        for run in (recent, held):
            run.refresh_from_db()
            assert (run.status, run.automatic_retries) == ("queued", 0)

        # Sent again at most REPORTS_AUTOMATIC_RETRIES times, each after another 10 minutes unstarted.
        for minutes, sent_again in ((5, False), (11, True), (22, False)):  # 5: too soon after its last send
            with django_capture_on_commit_callbacks(execute=True):
                assert (lost.pk in report_runs_resend_lost(now=now + timedelta(minutes=minutes))) == sent_again
        assert [c.args[0] for c in send.call_args_list].count((lost.pk,)) == 2

    lost.refresh_from_db()
    assert (lost.status, lost.automatic_retries) == ("failed", 2)
    assert lost.error == (
        "No background worker started building the report within 10 minutes of it being sent, 3 times. "
        "Try again; if it does not start, ask your administrator to check the background worker."
    )
    page = committee_client.get(reverse("reports_detail", args=[lost.pk])).content.decode()
    assert "No background worker started building the report" in page and ">Try again</button>" in page

    # Tried again with a worker listening: it is built.
    with django_capture_on_commit_callbacks(execute=True):
        committee_client.post(reverse("reports_retry", args=[lost.pk]))
    lost.refresh_from_db()
    assert (lost.status, lost.automatic_retries) == ("complete", 0)


def test_a_build_whose_worker_keeps_going_silent_is_failed_after_its_retries(settings):
    settings.REPORTS_AUTOMATIC_RETRIES = 2
    settings.REPORTS_STALE_SECONDS = 60
    now = timezone.now()
    run = ReportRunFactory(kind="actions", status="running", attempts=3, automatic_retries=2,
                           started_at=now - timedelta(minutes=5), heartbeat_at=now - timedelta(minutes=2))
    with mock.patch("reports.tasks.report_build.apply_async") as send:
        assert report_runs_restart_stalled(now=now) == []
    send.assert_not_called()
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith(
        "The background worker building the report stopped without finishing, 3 times. Try again"
    )
    assert not run.is_pending and run.can_retry


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the worker's own connection handling
@pytest.mark.parametrize("in_transaction", [False, True], ids=["autocommit", "atomic"])
def test_the_time_limit_firing_in_the_middle_of_a_postgresql_query_still_marks_the_run_failed(
    settings, monkeypatch, in_transaction
):
    """Celery's soft time limit is a signal: here it fires while PostgreSQL is running a query, which leaves
    the connection busy ("can't change 'autocommit' now" for the next transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...)")
    settings.REPORTS_AUTOMATIC_RETRIES = 0
    settings.REPORTS_TASK_SOFT_TIME_LIMIT = 300

    def slow_build(run):
        with transaction.atomic() if in_transaction else mock.MagicMock():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_sleep(5)")

    def soft_time_limit(signum, frame):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(build, "build_pdf", slow_build)
    run = ReportRunFactory(kind="actions")
    previous = signal.signal(signal.SIGALRM, soft_time_limit)
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        report_run_execute(run_id=run.pk)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    run.refresh_from_db()
    assert run.status == "failed"
    assert run.error.startswith("The report took longer than 5 minutes to build and was stopped, once.")
    assert run.finished_at is not None


def test_each_pool_process_loads_weasyprint_as_it_starts_not_in_its_first_build():
    """Run in a new interpreter: this one may have loaded WeasyPrint already."""
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup()\n"
        "from celery.signals import worker_process_init\n"
        "import reports.tasks\n"
        "assert 'weasyprint' not in sys.modules\n"
        "worker_process_init.send(sender=None)\n"
        "print('weasyprint' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "commissioning.settings_test"})
    assert out.stdout.strip() == "True", out.stderr
