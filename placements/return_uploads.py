"""A 903 return uploaded on the import page: checked by the worker, shown, then imported by the worker once the
person confirms (removals confirmed apart).

What is held, and for how long (core/holds.py: in the database, for the person, under a token, for CHECK_SECONDS):
- the two files as uploaded, from the upload until the worker has read them (then deleted, checked or not);
- the checked return without its identifying values (months of birth, districts, codes; no date of birth, postcode
  or UPN), from the check until the person confirms or cancels;
- the job: its stage, and what the check found or the import did (counts, CHILD references, problems with their
  values left out).
Each is deleted when the import is saved or cancelled, and once expired by the next read of any hold and the hourly
sweep. The DfE check keeps its own columns for its own bounded time (placements/dfe_check.py).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.holds import hold_drop, hold_exists, hold_get, hold_put
from core.import_jobs import CHECKED, CHECKING, FAILED, FINISHED, IMPORTED, IMPORTING, PROBLEMS, QUEUED, STAGE_LABELS
from core.imports import ImportFailed, dry_run, read_table
from core.services import import_record_create

from .dfe_check import dfe_check_request
from .importers import Checked903, _error_order, _kept_message, check_903, import_903_checked

logger = logging.getLogger(__name__)

CHECK_SECONDS = 30 * 60
PROBLEMS_SHOWN = 1000  # a return that is wrong throughout shows this many problems (and says how many in all)
CHANGED_SINCE_CHECK = ("The placements have changed since the check, so it would now remove different placements. "
                       "Nothing was saved. Upload the return again to see what it would do now.")


@dataclass
class ReturnJob:
    """Where a 903 upload has got to, as the page shows it."""

    header_file: str
    episodes_file: str
    sha256: str  # of both files, for the import record once the files are gone
    stage: str = QUEUED
    saving: bool = False
    skip: bool = False  # importing the children with no problems only
    updated: object = None
    check: dict | None = None  # what importing would do (Import903Summary.as_dict)
    skip_check: dict | None = None  # what importing the children with no problems would do
    skip_counts: dict | None = None  # {"good", "bad", "rows_without_child"}
    problems: list[dict] = field(default_factory=list)  # {"row", "column", "child", "message"}
    problem_count: int = 0
    result: dict | None = None  # what the import did
    message: str = ""

    @property
    def finished(self) -> bool:
        return self.stage in FINISHED

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def filenames(self) -> str:
        return f"{self.header_file} and {self.episodes_file}"

    def planned(self, *, skip: bool) -> dict | None:
        """What the person is asked to confirm: the whole return, or the children with no problems."""
        return self.skip_check if skip else self.check


def _keys(token: str) -> dict[str, str]:
    return {part: f"placements-903-{part}:{token}" for part in ("files", "checked", "job")}


def token_valid(token: str) -> bool:
    return token.isalnum() and len(token) == 32


def return_job_get(*, user, token: str) -> ReturnJob | None:
    if not token_valid(token):
        return None
    job = hold_get(user=user, key=_keys(token)["job"])
    return job if isinstance(job, ReturnJob) else None


def _job_save(*, user, token: str, job: ReturnJob) -> None:
    job.updated = timezone.now()
    hold_put(user=user, key=_keys(token)["job"], value=job, seconds=CHECK_SECONDS)


@transaction.atomic
def return_upload_queue(*, user, header_name: str, header_data: bytes, episodes_name: str,
                        episodes_data: bytes) -> str:
    """Hold the two files for the worker and queue its check. Returns the token the page follows."""
    token = secrets.token_hex(16)
    keys = _keys(token)
    hold_put(user=user, key=keys["files"], value=(header_name, header_data, episodes_name, episodes_data),
             seconds=CHECK_SECONDS)
    digest = hashlib.sha256(header_data + b"\0" + episodes_data).hexdigest()
    _job_save(user=user, token=token, job=ReturnJob(header_file=header_name, episodes_file=episodes_name,
                                                    sha256=digest))
    outbox.task_send_on_commit("placements.tasks.return_upload_check", kwargs={"user_id": user.pk, "token": token})
    return token


def _problems(checked: Checked903 | None, errors) -> list[dict]:
    """Each problem with the CHILD whose row it is on; values that could identify a child are left out."""
    rows = []
    for e in sorted(errors, key=_error_order)[:PROBLEMS_SHOWN]:
        child = checked.child_of(e) if checked is not None else None
        rows.append({"row": e.row, "column": e.column, "child": child, "message": _kept_message(e)})
    return rows


def _active_user(user_id: int):
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


def _worker_step(job: ReturnJob, work) -> None:
    """Run the worker's part, turning every way it can fail into a stage and a message the page shows."""
    try:
        work()
    except SoftTimeLimitExceeded:
        job.stage, job.message = FAILED, ("It took longer than the worker allows. Nothing was saved. "
                                          "Try again later, or ask for the worker's time limit to be raised.")
    except Exception:  # any failure is reported to the person, and logged
        # Whatever went wrong, the page must stop waiting and say so; the worker's log has the details.
        logger.exception("903 upload job failed")
        job.stage, job.message = FAILED, "Something went wrong on our side. Nothing was saved. Try again later."


def return_upload_check(*, user_id: int, token: str) -> None:
    """The worker's check: read both files, queue the DfE's rules, check every row and work out what importing
    would create, update and remove (the import runs and is rolled back). The files are then deleted; only the
    checked, pseudonymous rows are held for the import."""
    user = _active_user(user_id)
    job = return_job_get(user=user, token=token) if user else None
    keys = _keys(token)
    held = hold_get(user=user, key=keys["files"]) if job else None
    if job is None or held is None or job.stage not in (QUEUED, CHECKING):
        return  # expired, cancelled, or a message sent twice for a check already made (the files are gone then)
    job.stage = CHECKING
    _job_save(user=user, token=token, job=job)
    header_name, header_data, episodes_name, episodes_data = held

    def work():
        tables = []
        for label, name, data, max_rows in (("header", header_name, header_data, None),
                                            ("episodes", episodes_name, episodes_data,
                                             settings.IMPORT_903_EPISODES_MAX_ROWS)):
            try:
                tables.append(read_table(data, name, max_rows=max_rows))
            except ImportFailed as failed:  # the file itself cannot be read: said with its name
                job.problems += [{"row": 0, "column": f"{label} file", "child": None,
                                  "message": " ".join(e.message if e.row == 0 else str(e) for e in failed.errors)}]
        if job.problems:
            job.stage, job.problem_count = PROBLEMS, len(job.problems)
            return
        # The DfE's rules run on every return that could be read, imported or not.
        dfe_check_request(header=tables[0], episodes=tables[1], header_file=header_name, episodes_file=episodes_name,
                          user=user)
        checked = check_903(*tables)
        try:
            job.check = dry_run(partial(import_903_checked, checked, user=user)).as_dict()
        except ImportFailed as failed:
            job.stage, job.problem_count = PROBLEMS, len(failed.errors)
            job.problems = _problems(checked, failed.errors)
            if checked.skippable:
                try:
                    planned = dry_run(partial(import_903_checked, checked, user=user, skip_invalid_children=True))
                except ImportFailed:
                    planned = None  # no child is left without a problem
                if planned is not None:
                    bad = checked.bad_children
                    job.skip_check = planned.as_dict()
                    job.skip_counts = {"good": planned.record.children_imported,
                                       "bad": planned.record.children_skipped, "rows_without_child": "" in bad}
        else:
            job.stage = CHECKED
        if job.check or job.skip_check:
            hold_put(user=user, key=keys["checked"], value=checked.without_identifying_values(),
                     seconds=CHECK_SECONDS)

    _worker_step(job, work)
    with transaction.atomic():
        hold_drop(user=user, key=keys["files"])
        _job_save(user=user, token=token, job=job)


class NothingToConfirm(Exception):
    """The check has expired, was cancelled, or offers nothing to import."""


@transaction.atomic
def return_upload_confirm(*, user, token: str, skip: bool) -> ReturnJob:
    """Queue the worker's import of a checked return (or of its children with no problems). The view has asked for
    the removals to be confirmed apart."""
    job = return_job_get(user=user, token=token)
    if job is None or job.planned(skip=skip) is None or job.stage not in (CHECKED, PROBLEMS) \
            or not hold_exists(user=user, key=_keys(token)["checked"]):
        raise NothingToConfirm
    job.stage, job.saving, job.skip = IMPORTING, True, skip
    _job_save(user=user, token=token, job=job)
    outbox.task_send_on_commit("placements.tasks.return_upload_import", kwargs={"user_id": user.pk, "token": token})
    return job


def return_upload_import(*, user_id: int, token: str) -> None:
    """The worker's import of what the person confirmed. Refused, with nothing saved, if it would now remove other
    placements than the ones they confirmed."""
    user = _active_user(user_id)
    job = return_job_get(user=user, token=token) if user else None
    keys = _keys(token)
    checked = hold_get(user=user, key=keys["checked"]) if job else None
    if job is None or checked is None or job.stage != IMPORTING:
        return  # expired, cancelled, or a message sent twice for an import already saved
    planned = job.planned(skip=job.skip)

    class ChangedSinceCheck(Exception):
        pass

    def work():
        try:
            with transaction.atomic():
                summary = import_903_checked(checked, user=user, skip_invalid_children=job.skip)
                if (summary.removed, summary.removed_placements) != (planned["removed"],
                                                                     planned["removed_placements"]):
                    raise ChangedSinceCheck
                import_record_create(area="placements", kind="903", filename=job.filenames, data=b"",
                                     sha256=job.sha256, summary=summary, user=user)
                hold_drop(user=user, key=keys["checked"])
        except ImportFailed as failed:  # the placements changed since the check (e.g. an IPA was recorded)
            job.stage, job.problem_count = PROBLEMS, len(failed.errors)
            job.problems = _problems(checked, failed.errors)
            job.check = job.skip_check = None
            return
        except ChangedSinceCheck:
            job.stage, job.message = FAILED, CHANGED_SINCE_CHECK
            return
        job.stage, job.result = IMPORTED, summary.as_dict()

    _worker_step(job, work)
    with transaction.atomic():
        if job.stage != IMPORTED:  # refused or failed: there is nothing left to confirm
            hold_drop(user=user, key=keys["checked"])
        _job_save(user=user, token=token, job=job)


@transaction.atomic
def return_upload_cancel(*, user, token: str) -> None:
    """Drop everything held for this upload: the files, the checked rows and the job."""
    if token_valid(token):
        for key in _keys(token).values():
            hold_drop(user=user, key=key)
