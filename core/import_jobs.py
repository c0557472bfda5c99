"""Spreadsheet imports too big to check or save within a web request, done by the worker instead.

The upload page holds the file for the person (core/holds.py, as for any check) and queues the check through the
outbox, so a broker outage delays the job but never loses it. The worker records how far it has got in a second
hold, the job, which the page reads every few seconds: queued, checking, then the problems or what would change.
Confirming queues the import the same way; the job then says when it is saved. Nothing is saved before the
person confirms: the check runs the import and rolls it back, as on the page.

The worker finds the import by the page's address (the URL resolver knows every import page), so core names no
other app.
"""

import logging
from dataclasses import dataclass, field

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils import timezone

from . import outbox
from .holds import hold_drop, hold_get, hold_put
from .imports import ImportFailed, ImportSummary, RowError, dry_run
from .services import import_record_create

logger = logging.getLogger(__name__)

QUEUED, CHECKING, CHECKED, PROBLEMS, IMPORTING, IMPORTED, FAILED = (
    "queued", "checking", "checked", "problems", "importing", "imported", "failed")
FINISHED = {CHECKED, PROBLEMS, IMPORTED, FAILED}
STAGE_LABELS = {
    QUEUED: "Waiting to start", CHECKING: "Checking every row", CHECKED: "Checked",
    PROBLEMS: "Problems found", IMPORTING: "Saving", IMPORTED: "Imported", FAILED: "Could not finish",
}


@dataclass
class ImportJob:
    """Where a background check or import has got to, as the page shows it."""

    filename: str
    saving: bool = False  # the import the person confirmed, not the check
    stage: str = QUEUED
    updated: object = None  # when the stage last changed
    summary: ImportSummary | None = None
    errors: list[RowError] = field(default_factory=list)
    message: str = ""  # why a job could not finish

    @property
    def finished(self) -> bool:
        return self.stage in FINISHED

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]


def job_key(file_key: str) -> str:
    return f"import-job:{file_key}"


def import_job_get(*, user, file_key: str) -> ImportJob | None:
    return hold_get(user=user, key=job_key(file_key))


def _job_save(*, user, file_key: str, job: ImportJob, seconds: int) -> None:
    job.updated = timezone.now()
    hold_put(user=user, key=job_key(file_key), value=job, seconds=seconds)


@transaction.atomic
def import_job_queue(*, user, path: str, file_key: str, filename: str, data: bytes | None, confirm: bool,
                     seconds: int) -> ImportJob:
    """Hold the file (for a check) and queue the worker's check, or (`confirm`) queue the import of the file
    already held and checked. `path` is the import page's address."""
    if data is not None:
        hold_put(user=user, key=file_key, value=(filename, data), seconds=seconds)
    job = ImportJob(filename=filename, saving=confirm)
    _job_save(user=user, file_key=file_key, job=job, seconds=seconds)
    outbox.task_send_on_commit("core.tasks.import_job_run", kwargs={
        "user_id": user.pk, "path": path, "file_key": file_key, "confirm": confirm, "seconds": seconds})
    return job


def import_job_run(*, user_id: int, path: str, file_key: str, confirm: bool, seconds: int) -> None:
    """The worker's part: check the held file (saving nothing) or import it, recording each stage in the job."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    job = import_job_get(user=user, file_key=file_key)
    held = hold_get(user=user, key=file_key)
    if job is None or held is None or job.finished and not confirm:
        return  # expired, or a message sent twice for a check already done
    if confirm and job.stage == IMPORTED:
        return  # already saved: a message sent twice must not import twice
    try:
        view = resolve(path).func.view_class
    except (Resolver404, AttributeError):
        job.stage, job.message = FAILED, "This import page no longer exists."
        _job_save(user=user, file_key=file_key, job=job, seconds=seconds)
        return
    name, data = held
    job.stage = IMPORTING if confirm else CHECKING
    _job_save(user=user, file_key=file_key, job=job, seconds=seconds)
    try:
        def run():
            return view.importer(view().read(data, name), user=user)

        if confirm:
            with transaction.atomic():
                job.summary = run()
                import_record_create(area=view.area, kind=view.kind, filename=name, data=data, summary=job.summary,
                                     user=user)
                hold_drop(user=user, key=file_key)
            job.stage = IMPORTED
        else:
            job.summary = dry_run(run)
            job.stage = CHECKED
    except ImportFailed as failed:  # for an import, the data changed since the check
        job.stage, job.errors = PROBLEMS, failed.errors
    except SoftTimeLimitExceeded:
        job.stage, job.message = FAILED, "It took longer than the worker allows. Split the file into smaller files."
    except Exception:  # any failure is reported to the person, and logged
        # Whatever went wrong, the page must stop waiting and say so; the worker's log has the details.
        logger.exception("Import job for %s failed", path)
        job.stage, job.message = FAILED, "Something went wrong on our side. Nothing was saved. Try again later."
    _job_save(user=user, file_key=file_key, job=job, seconds=seconds)
