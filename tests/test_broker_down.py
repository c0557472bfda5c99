"""With the broker (Redis) down, a change is saved, the page answers normally with a message, and the change's
follow-up job is sent by the outbox sweep once the broker is back."""

import time
from datetime import date, timedelta
from decimal import Decimal as D
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from commissioning.celery import app
from core import outbox
from core.models import PendingTask
from core.tests.redis_outage import broker_at
from kpis.models import Measurement
from kpis.tests.factories import IndicatorFactory, TargetFactory
from placements.models import DfeCheck, DfeCheckUpload, Placement
from placements.tests.test_import_903 import EPISODES, HEADER, districts  # noqa: F401 - a fixture
from reports.models import ReportRun

# Each service commits as it would in production, so its job is sent (and refused) before the view answers.
pytestmark = pytest.mark.django_db(transaction=True)

DOWN_MESSAGE = "which is not available just now. Your change is saved"


@pytest.fixture
def broker_down():
    """Celery's broker at a closed port, as when Redis is stopped: sending a task raises kombu's OperationalError.
    The transport options are those settings.py gives a Redis broker, so this also shows a request does not hang."""
    from django.conf import settings

    with broker_at("redis://127.0.0.1:1/0", settings.REDIS_TIMEOUT_SECONDS):
        yield


def _broker_back_and_sweep():
    """The broker is back (tasks run eagerly again, as the test settings make them) and a minute has passed:
    the beat sweep sends what was kept."""
    return outbox.pending_tasks_send(now=timezone.now() + timedelta(minutes=2))


def test_report_requested_while_the_broker_is_down_is_kept_and_built_when_it_is_back(
    committee_client, broker_down
):
    started = time.monotonic()
    response = committee_client.post(reverse("reports_new"), {"kind": "actions", "period": "2025-Q4"})
    assert time.monotonic() - started < 10  # the request does not hang on the broker
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.QUEUED
    [pending] = PendingTask.objects.all()
    assert (pending.task, pending.args, pending.attempts) == ("reports.tasks.report_build", [run.pk], 1)
    assert "OperationalError" in pending.last_error
    page = committee_client.get(response["Location"]).content.decode()
    assert DOWN_MESSAGE in page and "is being built" not in page

    app.conf.task_always_eager = True
    with mock.patch("reports.tasks.report_build.apply_async") as apply_async:
        assert _broker_back_and_sweep() == 1
    apply_async.assert_called_once_with((run.pk,), {}, retry=False)
    assert not PendingTask.objects.exists()


def test_sweep_leaves_fresh_jobs_to_their_request_and_stops_while_the_broker_is_still_down(broker_down):
    PendingTask.objects.create(task="reports.tasks.report_build", args=[1])
    assert outbox.pending_tasks_send() == 0  # just written: its own request is sending it
    assert PendingTask.objects.get().attempts == 0
    PendingTask.objects.create(task="reports.tasks.report_build", args=[2])
    assert _broker_back_and_sweep() == 0  # still down: both kept, the first attempt recorded
    assert PendingTask.objects.count() == 2
    assert sorted(PendingTask.objects.values_list("attempts", flat=True)) == [0, 1]


def test_903_upload_while_the_broker_is_down_is_held_then_checked_when_it_is_back(
    placements_client, districts, broker_down, django_capture_on_commit_callbacks  # noqa: F811
):
    url = reverse("placements:import_903")
    with django_capture_on_commit_callbacks(execute=True):
        response = placements_client.post(
            url, {"header": SimpleUploadedFile("header.csv", HEADER.encode()),
                  "episodes": SimpleUploadedFile("episodes.csv", EPISODES.encode())},
        )
    assert response.status_code == 302 and not Placement.objects.exists()
    assert list(PendingTask.objects.values_list("task", flat=True)) == ["placements.tasks.return_upload_check"]
    page = placements_client.get(response["Location"]).content.decode()
    assert "Waiting to start" in page and DOWN_MESSAGE in page

    app.conf.task_always_eager = True
    with mock.patch("placements.tasks.dfe_check_run.apply_async") as dfe_check_send, \
            django_capture_on_commit_callbacks(execute=True):
        assert _broker_back_and_sweep() == 1
    dfe_check_send.assert_called_once_with((DfeCheck.objects.get().pk,), {}, retry=False)
    assert DfeCheckUpload.objects.count() == 1  # held until the check has run
    assert "Check what the return would change" in placements_client.get(response["Location"]).content.decode()
    with mock.patch("kpis.tasks.kpi_computed_measures_fill.apply_async") as refill, \
            django_capture_on_commit_callbacks(execute=True):
        placements_client.post(url, {"confirm": response["Location"].split("job=")[1]})
    assert Placement.objects.count() == 3
    refill.assert_called_once_with((), {}, retry=False)


def test_kpi_value_saved_while_the_broker_is_down_gets_its_status_when_it_is_back(
    commissioner_client, broker_down
):
    indicator = IndicatorFactory(code="SC01", polarity="lower_is_better")
    TargetFactory(indicator=indicator, kind="at_most", value=D(22), tolerance=D(2))
    url = reverse("kpis:measurement_add", kwargs={"pk": indicator.pk})
    response = commissioner_client.post(url, {"period_end": "30/04/2025", "value": "30"})
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=indicator, period_end=date(2025, 4, 30))
    assert measurement.value == D(30) and measurement.computed_at is None
    page = commissioner_client.get(response.url).content.decode()
    assert "value for the period ending 30 April 2025 saved" in page and DOWN_MESSAGE in page

    app.conf.task_always_eager = True
    assert _broker_back_and_sweep() == 1  # runs the recompute (eagerly, as a worker would)
    measurement.refresh_from_db()
    assert measurement.status == "red" and measurement.computed_at is not None
    assert not PendingTask.objects.exists()
