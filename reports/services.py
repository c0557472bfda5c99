"""Writes for committee reports: request, build, retry, subscriptions and the quarterly schedule."""

import logging
import posixpath
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import DatabaseError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core.models import PendingTask
from core.outbox import task_send_on_commit
from core.periods import Quarter, figures_day
from core.registry import registry
from core.services import audited_save as _save
from core.services import model_assign
from plans.models import Meeting

from .models import FRONT_SHEET_FIELDS, IMPLICATIONS, ReportRun, ReportSubscription
from .sections import default_front_sheet, sections_for

logger = logging.getLogger(__name__)


@transaction.atomic
def report_run_request(
    *,
    kind: str,
    period: str,
    requested_by,
    meeting: Meeting | None = None,
    agenda_item: str = "",
    title: str = "",
    report_of: str = "",
    lead_officer: str = "",
    purpose: str = "",
    recommendations: str = "",
    sections: list[str] | None = None,
    as_of: date | None = None,
    scheduled: bool = False,
    queue: bool = True,
    **front_sheet,
) -> ReportRun:
    """Record a report request and queue its build once the transaction commits. Returns at once.

    front_sheet: the rest of the front sheet and fixed sections (models.FRONT_SHEET_FIELDS: contact details,
    portfolio holder, wards, key decision, exempt, summary, reasons, background, implications, background
    papers). An implication left empty takes the council's standard wording from settings.
    queue=False leaves the build to the caller (build_report --sync runs report_run_execute itself).
    """

    quarter = Quarter.parse(period)
    today = timezone.localdate()
    defaults = default_front_sheet(kind, quarter)
    run = ReportRun(
        kind=kind,
        period=quarter.code,
        period_start=quarter.start,
        period_end=quarter.end,
        as_of=as_of or figures_day(quarter.end, today=today),
        parameters={"sections": sections_for(kind, sections)},
        meeting=meeting,
        agenda_item=agenda_item,
        title=title or defaults["title"],
        report_of=report_of or defaults["report_of"],
        lead_officer=lead_officer,
        purpose=purpose or defaults["purpose"],
        recommendations=recommendations or defaults["recommendations"],
        requested_by=requested_by,
        scheduled=scheduled,
        status=ReportRun.Status.QUEUED,
        queued_at=timezone.now(),
    )
    model_assign(run, fields=front_sheet, allowed=FRONT_SHEET_FIELDS)
    run.reasons = run.reasons.strip() or defaults["reasons"]
    draft = report_draft(kind=kind, sections=run.parameters["sections"], period_start=quarter.start,
                         period_end=quarter.end, as_of=run.as_of)
    run.summary = run.summary.strip() or draft.summary
    for name, value in draft.implications.items():
        if not getattr(run, name).strip():
            setattr(run, name, value)
    if draft.warnings:
        run.parameters["warnings"] = draft.warnings
    if run.exempt and not run.exempt_reason.strip():
        raise ValidationError({"exempt_reason": "Enter the paragraph of Schedule 12A the report is exempt under"})
    if not run.key_decision:
        run.forward_plan_reference = ""
    _save(run, user=requested_by)
    if queue:
        _queue_build(run)
    return run


def implication_defaults() -> dict[str, str]:
    """The council's standard wording for each implications section (settings REPORTS_*_IMPLICATIONS)."""
    return {name: getattr(settings, f"REPORTS_{name.upper()}") for name, _ in IMPLICATIONS}


BUILD_TASK = "reports.tasks.report_build"


# Drafted from the figures when left empty (the council's standard wording follows the figures).
DRAFTED_IMPLICATIONS = ("financial_implications", "risk_implications")


@dataclass
class Draft:
    """A report's executive summary, implications and warnings, drafted from the figures of the apps whose
    sections it includes (core.registry.ReportDraftSpec)."""

    summary: str
    implications: dict[str, str]
    warnings: list[str]


def report_draft(*, kind: str, sections: list[str] | None, period_start: date, period_end: date,
                 as_of: date) -> Draft:
    """The summary: the sentences of the apps whose section the report includes. The implications: the council's
    standard wording, after the figures for those drafted from them (financial: the forecast variance; risk: the
    red KPIs and those without a remedial action). The warnings: what the officer should know before building."""
    keys = set(sections_for(kind, sections))
    summary, warnings, drafted = [], [], {}
    for spec in registry.ordered(registry.report_drafts):
        draft = spec.draft(period_start=period_start, period_end=period_end, as_of=as_of)
        if spec.section in keys:
            summary += [" ".join(draft.summary)] if draft.summary else []
            warnings += draft.warnings
        for name, text in draft.implications.items():
            drafted[name] = f"{drafted[name]} {text}" if name in drafted else text
    implications = {}
    for name, standard in implication_defaults().items():
        parts = [drafted.get(name, ""), standard] if name in DRAFTED_IMPLICATIONS else [standard]
        implications[name] = " ".join(p.strip() for p in parts if p.strip())
    return Draft(summary="\n".join(summary), implications=implications, warnings=warnings)


def report_draft_for(*, kind: str, sections: list[str] | None, period: str, today: date) -> Draft:
    """report_draft for a quarter, with its figures as at the day a report requested today takes them."""
    quarter = Quarter.parse(period)
    return report_draft(kind=kind, sections=sections, period_start=quarter.start, period_end=quarter.end,
                        as_of=figures_day(quarter.end, today=today))


def _queue_build(run: ReportRun) -> None:
    # Through the outbox: with the broker down the run is kept and its build sent when the broker is back.
    task_send_on_commit(BUILD_TASK, args=[run.pk])


@transaction.atomic
def report_run_retry(*, run: ReportRun, user) -> ReportRun:
    """Queue a failed run again (same row, so there is never a duplicate); also one left running by a lost worker."""
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if not run.can_retry:
        raise ValidationError("Only a failed report can be retried.")
    run.status = ReportRun.Status.QUEUED
    run.error = ""
    run.automatic_retries = 0  # asked for again: it gets its own automatic retries
    run.queued_at = timezone.now()
    run.started_at = run.finished_at = run.heartbeat_at = None
    _save(run, user=user)
    _queue_build(run)
    return run


def report_run_execute(*, run_id: int) -> ReportRun:
    """Build one report run: render, convert, store, mark complete. Safe to run twice.

    * A run already complete is left alone (a redelivered message after a crash does nothing).
    * The PDF is written to storage under a fresh name and the row points at it only in the same
      transaction that marks it complete, so a half-written file is never served. The write happens
      holding the row lock, so once the run is complete nothing else writes to its folder: anything there
      besides the row's file was left by an attempt killed mid-write, and is deleted.
    * A run another worker is building (a recent sign of life) is left to it: a build sent again by a sweep
      may arrive twice.
    * Reaching the soft time limit sends the build again, up to REPORTS_AUTOMATIC_RETRIES times, then fails
      the run with the reason. The limit can fire in the middle of a query, so that is recorded on a fresh
      connection (see _report_run_timed_out).
    * Any other error except a database outage marks the run failed with the message (the list shows
      it with a "Try again" button); database errors propagate so Celery retries the task.
    """
    from .build import build_pdf  # here, so WeasyPrint and its fonts load in the worker only, not in every web process

    with transaction.atomic():
        run = ReportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == ReportRun.Status.COMPLETE or run.is_building:
            return run
        run.status = ReportRun.Status.RUNNING
        run.started_at = run.heartbeat_at = timezone.now()
        run.finished_at = None
        run.error = ""
        run.attempts += 1
        run.save(update_fields=["status", "started_at", "heartbeat_at", "finished_at", "error", "attempts"])

    try:
        with _signs_of_life(run_id):
            result = build_pdf(run)
    except Exception as exc:  # any failure is shown to the user on the run
        if _stopped_by_time_limit(exc):
            return _report_run_timed_out(run_id)
        if isinstance(exc, OperationalError):
            raise
        logger.exception("Report run %s failed", run_id)
        return _report_run_fail(run_id, f"{type(exc).__name__}: {exc}")

    storage_name = None
    try:
        with transaction.atomic():
            run = ReportRun.objects.select_for_update().get(pk=run_id)
            if run.status == ReportRun.Status.COMPLETE:  # another delivery finished first
                return run
            run.file.save("report.pdf", ContentFile(result.pdf), save=False)
            storage_name = run.file.name
            run.file_size = len(result.pdf)
            run.page_count = result.page_count
            run.render_seconds = result.render_seconds
            run.pdf_seconds = result.pdf_seconds
            run.status = ReportRun.Status.COMPLETE
            run.finished_at = timezone.now()
            run.save()
    except Exception:
        if storage_name:
            run.file.storage.delete(storage_name)
        raise
    _report_run_delete_strays(run)
    if run.scheduled:
        transaction.on_commit(lambda: report_run_notify_subscribers(run_id=run_id))
    return run


@contextmanager
def _signs_of_life(run_id: int):
    """While the build runs, record a heartbeat on the run every REPORTS_HEARTBEAT_SECONDS from a thread.
    A worker killed mid-build stops beating, and report_runs_restart_stalled queues the build again."""
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.REPORTS_HEARTBEAT_SECONDS):
                ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        except DatabaseError:
            logger.warning("Report run %s: could not record a heartbeat", run_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"report-{run_id}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def report_runs_restart_stalled(*, now=None) -> list[int]:
    """Queue again every running build whose worker has gone silent (see ReportRun.is_stale), up to
    REPORTS_AUTOMATIC_RETRIES times, then fail it with the reason (a report that kills its worker every time
    must not hold one for good). The build is idempotent and locked (report_run_execute), so a run restarted
    here is still completed exactly once. Returns the runs queued again."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.REPORTS_STALE_SECONDS)
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    restarted = []
    with transaction.atomic():
        runs = ReportRun.objects.select_for_update(skip_locked=True).filter(silent, status=ReportRun.Status.RUNNING)
        for run in runs:
            times = _times(run.automatic_retries + 1)
            if _report_run_send_again_or_fail(
                run,
                why="its worker went silent",
                failed=f"The background worker building the report stopped without finishing, {times}. Try "
                "again; if it stops again, build fewer sections or ask your administrator to check the worker.",
            ):
                restarted.append(run.pk)
    return restarted


def report_runs_resend_lost(*, now=None) -> list[int]:
    """Send again the build of every run queued longer than REPORTS_QUEUED_LOST_MINUTES that no worker has
    started: its message was lost (the broker restarted without its data, the queue was emptied). A build
    still waiting in the outbox for the broker to come back is not lost, and is left to the outbox. After
    REPORTS_AUTOMATIC_RETRIES sends the run is failed with the reason, so nobody waits on it for ever.
    Returns the runs sent again."""
    minutes = settings.REPORTS_QUEUED_LOST_MINUTES
    cutoff = (now or timezone.now()) - timedelta(minutes=minutes)
    in_outbox = {args[0] for args in PendingTask.objects.filter(task=BUILD_TASK).values_list("args", flat=True) if args}
    resent = []
    with transaction.atomic():
        runs = ReportRun.objects.select_for_update(skip_locked=True).filter(
            status=ReportRun.Status.QUEUED, started_at__isnull=True, queued_at__lt=cutoff
        ).exclude(pk__in=in_outbox)
        for run in runs:
            times = _times(run.automatic_retries + 1)
            if _report_run_send_again_or_fail(
                run,
                why=f"queued for over {minutes} minutes and never started",
                failed=f"No background worker started building the report within {minutes} minutes of it being "
                f"sent, {times}. Try again; if it does not start, ask your administrator to check the "
                "background worker.",
            ):
                resent.append(run.pk)
    return resent


def _report_run_send_again_or_fail(run: ReportRun, *, why: str, failed: str) -> bool:
    """Holding the run's row lock: queue its build again if it has automatic retries left (True), else fail
    it with the message `failed` (False)."""
    limit = settings.REPORTS_AUTOMATIC_RETRIES
    now = timezone.now()
    if run.automatic_retries < limit:
        run.automatic_retries += 1
        logger.warning(
            "Report run %s: %s; sending the build again (%s of %s)", run.pk, why, run.automatic_retries, limit
        )
        run.status = ReportRun.Status.QUEUED
        run.error = ""
        run.queued_at = now
        run.started_at = run.finished_at = run.heartbeat_at = None
        _save(run, user=None)
        _queue_build(run)
        return True
    logger.warning("Report run %s: %s, with no retries left; marked failed", run.pk, why)
    run.status = ReportRun.Status.FAILED
    run.error = failed[:2000]
    run.finished_at = now
    run.heartbeat_at = None
    _save(run, user=None)
    return False


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def _stopped_by_time_limit(exc: BaseException | None) -> bool:
    """Whether the soft time limit stopped the build: raised as it is, or as the cause or context of an error
    the interrupted database work raised while unwinding."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, SoftTimeLimitExceeded):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _report_run_timed_out(run_id: int) -> ReportRun:
    """The soft time limit stopped the build: send it again while retries remain, else fail it with the reason.

    The limit is a signal, and it may have fired in the middle of a query: the connection can still be busy
    with it (psycopg refuses any transaction then: "can't change 'autocommit' now"). Outside a caller's
    transaction that connection is dropped, so this is written on a fresh one.
    """
    if not connection.in_atomic_block:
        connection.close()
    limit = _duration(settings.REPORTS_TASK_SOFT_TIME_LIMIT)
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ReportRun.Status.COMPLETE:  # a second delivery timed out after another one finished
            return run
        times = _times(run.automatic_retries + 1)
        _report_run_send_again_or_fail(
            run,
            why=f"stopped at the time limit ({limit})",
            failed=f"The report took longer than {limit} to build and was stopped, {times}. Try again later, "
            "or build fewer sections.",
        )
    return run


def _duration(seconds: int) -> str:
    if seconds % 60 == 0:
        minutes = seconds // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _report_run_delete_strays(run: ReportRun) -> None:
    """Delete files in a complete run's folder other than its PDF (a killed attempt's half-written file)."""
    storage = run.file.storage
    folder = posixpath.dirname(run.file.name)
    try:
        _, names = storage.listdir(folder)
        for name in names:
            if posixpath.join(folder, name) != run.file.name:
                storage.delete(posixpath.join(folder, name))
    except (FileNotFoundError, NotImplementedError):
        pass
    except Exception:  # the report is built; a leftover file is no reason to fail it
        logger.warning("Report run %s: could not tidy %s", run.pk, folder, exc_info=True)


def _report_run_fail(run_id: int, message: str) -> ReportRun:
    if not connection.in_atomic_block:
        connection.close()  # the failed build may have left it mid-query (see _report_run_timed_out)
    with transaction.atomic():
        run = ReportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ReportRun.Status.COMPLETE:  # a second delivery failed after another one finished
            return run
        run.status = ReportRun.Status.FAILED
        run.error = message[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
    return run


@transaction.atomic
def report_subscription_set(*, user, kind: str, subscribed: bool) -> bool:
    """Turn the user's email for scheduled reports of this kind on or off. Returns the new state."""
    if subscribed:
        ReportSubscription.objects.get_or_create(user=user, kind=kind)
    else:
        ReportSubscription.objects.filter(user=user, kind=kind).delete()
    return subscribed


def report_subscriber_emails(*, kind: str) -> list[str]:
    subscribed = ReportSubscription.objects.filter(kind=kind, user__is_active=True).exclude(user__email="")
    emails = list(subscribed.values_list("user__email", flat=True))
    emails += [e for e in settings.REPORTS_SCHEDULED_RECIPIENTS if e not in emails]
    return emails


def report_run_notify_subscribers(*, run_id: int) -> int:
    """Email subscribers that a scheduled report is ready (a link, not the file: it stays behind sign-in)."""
    run = ReportRun.objects.get(pk=run_id)
    recipients = report_subscriber_emails(kind=run.kind)
    if not recipients or run.status != ReportRun.Status.COMPLETE:
        return 0
    link = settings.SITE_URL + run.get_absolute_url()
    body = (
        f"{run.title} for {run.period_label} is ready.\n\n"
        f"It has {run.page_count} pages. Sign in to download it:\n{link}\n\n"
        f"{settings.AUTHORITY_NAME}"
    )
    send_mail(f"Report ready: {run.title}, {run.period_label}", body, None, recipients)
    return len(recipients)


def report_schedule_quarterly(*, today: date | None = None, kind: str | None = None) -> ReportRun | None:
    """Queue the scheduled report for the quarter that has just closed, once per kind and period."""
    today = today or timezone.localdate()
    kind = kind or settings.REPORTS_SCHEDULED_KIND
    quarter = Quarter.last_closed(today)
    if ReportRun.objects.filter(kind=kind, period=quarter.code, scheduled=True).exists():
        return None
    # As at the quarter's end, like a report requested by hand: a snapshot of the quarter, not of the day it ran.
    return report_run_request(kind=kind, period=quarter.code, requested_by=None, scheduled=True, as_of=quarter.end)
