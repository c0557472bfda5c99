"""A spreadsheet upload over IMPORT_BACKGROUND_ROWS is checked and imported by the worker: the request only holds
the file and queues the job, and the shared import page shows how far it has got, then the result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Contract
from contracts.tests.test_imports import GOOD, HEADER
from contracts.views import ContractImportView
from core.models import HeldUpload, ImportRecord, PendingTask
from tests.test_broker_down import broker_down  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db

URL = reverse("contracts:import")


def upload(text: str, name: str = "contracts.csv"):
    return {"file": SimpleUploadedFile(name, text.encode())}


def test_a_large_upload_is_checked_then_imported_by_the_worker_with_progress_on_the_page(
        commissioner_client, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2  # GOOD is a header and two contracts: three rows
    with django_capture_on_commit_callbacks() as queued:
        response = commissioner_client.post(URL, upload(GOOD))
    assert response.status_code == 302 and "?job=" in response.url
    assert len(queued) == 1 and PendingTask.objects.get().task == "core.tasks.import_job_run"

    waiting = commissioner_client.get(response.url).content.decode()
    assert 'id="import-job-stage">Waiting to start<' in waiting
    assert 'hx-trigger="every 2s"' in waiting and "Check before saving" not in waiting
    assert "contracts.csv is large, so it is being checked in the background." in waiting

    queued[0]()  # the broker takes the job; the test settings run it at once, as the worker would
    checked = commissioner_client.get(response.url)
    html = checked.content.decode()
    assert "Check before saving" in html and "hx-trigger" not in html
    assert checked.context["checked"].created == 2 and "Save this import" in html
    assert not Contract.objects.exists() and not ImportRecord.objects.exists()  # nothing saved before confirm

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = commissioner_client.post(response.url, {"confirm": checked.context["digest"]})
    assert confirmed.status_code == 302 and confirmed.url == response.url
    done = commissioner_client.get(response.url).content.decode()
    assert "contracts.csv imported" in done and "2 created, 0 updated, 0 unchanged" in done
    assert sorted(Contract.objects.values_list("reference", flat=True)) == ["RBC-101", "RBC-102"]
    record = ImportRecord.objects.get()
    assert (record.area, record.kind, record.filename, record.created) == ("contracts", "contracts",
                                                                          "contracts.csv", 2)
    # The file is no longer held; only the job's outcome is, until it expires.
    assert list(HeldUpload.objects.values_list("key", flat=True)) == [
        f"import-job:import-check:contracts:contracts:{checked.context['digest']}"]


def test_a_large_upload_with_problems_lists_them_by_row_and_saves_nothing(
        commissioner_client, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    bad = GOOD.replace("high,commissioner", "severe,commissioner")
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(URL, upload(bad, "bad.csv"))
    page = commissioner_client.get(response.url)
    html = page.content.decode()
    assert "bad.csv was not imported: 1 problem found" in html
    assert [(e.row, e.column) for e in page.context["import_errors"]] == [(2, "risk")]
    assert "is not one of" in html and "Check the file" in html and "Save this import" not in html
    assert not Contract.objects.exists() and not ImportRecord.objects.exists()


def test_a_job_that_breaks_says_so_and_the_page_stops_waiting(
        commissioner_client, settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.IMPORT_BACKGROUND_ROWS = 2

    def broken(parsed, *, user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ContractImportView, "importer", staticmethod(broken))
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(URL, upload(GOOD))
    html = commissioner_client.get(response.url).content.decode()
    assert "contracts.csv was not imported" in html and "Something went wrong on our side. Nothing was saved." in html
    assert "hx-trigger" not in html and "Check the file" in html


def test_only_the_person_who_uploaded_sees_the_job(commissioner_client, client, make_user, settings,
                                                   django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(URL, upload(GOOD))
    other = make_user("Commissioner", username="another_commissioner")
    client.force_login(other)
    html = client.get(response.url).content.decode()
    assert "The check has expired or the file was not found: upload the file again" in html
    assert "Would be created" not in html
    digest = response.url.split("=")[1]
    client.post(URL, {"confirm": digest})
    assert not Contract.objects.exists()


def test_a_file_at_or_below_the_threshold_is_checked_in_the_request_as_before(
        commissioner_client, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(URL, upload(GOOD))
    assert response.status_code == 200 and response.context["checked"].created == 2
    assert "job" not in response.context and not PendingTask.objects.exists()
    assert not Contract.objects.exists()
    assert HEADER in GOOD  # the same file as the contracts import tests


def test_a_large_workbook_counts_its_rows_without_reading_them(settings):
    import io

    from openpyxl import Workbook

    from core.imports import rows_more_than

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for i in range(6):
        sheet.append([f"K{i}", i])
    buffer = io.BytesIO()
    book.save(buffer)
    assert rows_more_than(buffer.getvalue(), "values.xlsx", 5) and not rows_more_than(buffer.getvalue(),
                                                                                        "values.xlsx", 6)
    assert rows_more_than(b"a\nb\nc\n", "values.csv", 2) and not rows_more_than(b"a\nb\nc\n", "values.csv", 3)
    assert not rows_more_than(b"PK\x03\x04 broken", "values.xlsx", 0)


@pytest.mark.django_db(transaction=True)  # the job is sent, and refused, as the request commits
@pytest.mark.usefixtures("broker_down")
def test_a_large_upload_while_the_broker_is_down_is_kept_and_checked_when_it_is_back(commissioner_client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from commissioning.celery import app
    from core import outbox

    settings.IMPORT_BACKGROUND_ROWS = 2
    response = commissioner_client.post(URL, upload(GOOD))
    assert response.status_code == 302
    [pending] = PendingTask.objects.all()
    assert pending.task == "core.tasks.import_job_run" and pending.attempts == 1
    html = commissioner_client.get(response.url).content.decode()
    assert "Checking the file will be done in the background, which is not available just now." in html
    assert 'id="import-job-stage">Waiting to start<' in html

    app.conf.task_always_eager = True  # the broker is back; the sweep sends what was kept
    assert outbox.pending_tasks_send(now=timezone.now() + timedelta(minutes=2)) == 1
    checked = commissioner_client.get(response.url)
    assert "Check before saving" in checked.content.decode() and checked.context["checked"].created == 2
    assert not Contract.objects.exists()


def test_a_large_workbook_of_several_sheets_is_checked_by_sheet_then_saved(
        commissioner_client, settings, django_capture_on_commit_callbacks):
    from kpis.models import Measurement
    from kpis.tests.framework_workbook import workbook_bytes

    settings.IMPORT_BACKGROUND_ROWS = 2
    url = reverse("kpis:import_framework")
    with django_capture_on_commit_callbacks(execute=True):
        response = commissioner_client.post(url, {"file": SimpleUploadedFile("framework.xlsx", workbook_bytes())})
    assert response.status_code == 302
    checked = commissioner_client.get(response.url)
    html = checked.content.decode()
    assert "Check before saving" in html and 'id="check-sheets"' in html
    assert {name: part.created for name, part in checked.context["checked"].parts.items()} == {
        "Outcomes": 2, "Indicators": 2, "Targets": 1, "Benchmarks": 1, "Measurements": 3}
    assert not Measurement.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        commissioner_client.post(response.url, {"confirm": checked.context["digest"]})
    assert "framework.xlsx imported" in commissioner_client.get(response.url).content.decode()
    assert Measurement.objects.count() == 3
    assert ImportRecord.objects.get().kind == "framework"
