"""Committee reports: each run of a report and who is sent the scheduled ones.

These tables keep the names they had when the models lived in the `commissioning` package, so a
council's data upgrades by `migrate` alone.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Meeting


def report_upload_to(instance, filename):
    # Unguessable, and never served directly: downloads go through a permission-checked view.
    return f"reports/{instance.pk}/{uuid.uuid4().hex}.pdf"


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        PERFORMANCE = "performance", "Quarterly performance report"
        CONTRACTS = "contracts", "Contracts report"
        PLACEMENTS = "placements", "Placements and sufficiency report"
        ACTIONS = "actions", "Action plan progress report"
        MEMBER_SUMMARY = "member_summary", "Member summary: performance exceptions"
        PACK = "pack", "Committee pack"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"

    PENDING = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=20, choices=Kind.choices)
    period = models.CharField(max_length=10, help_text="Financial-year quarter, e.g. 2025-Q4 (January to March 2026).")
    period_start = models.DateField()
    period_end = models.DateField()
    as_of = models.DateField(help_text="Date the figures are taken at.")
    parameters = models.JSONField(default=dict, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    agenda_item = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=250)
    report_of = models.CharField(max_length=200, blank=True)
    lead_officer = models.CharField(max_length=200, blank=True)
    purpose = models.TextField(blank=True)
    recommendations = models.TextField(blank=True, help_text="One recommendation per line.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="report_runs"
    )
    scheduled = models.BooleanField(default=False, help_text="Built by the quarterly schedule, not on request.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker building it (while running)."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True, help_text="Templates to HTML.")
    pdf_seconds = models.FloatField(null=True, blank=True, help_text="WeasyPrint: HTML to PDF.")
    page_count = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=["render_seconds", "pdf_seconds", "heartbeat_at"],
        table_name="commissioning_historicalreportrun",
    )

    class Meta:
        db_table = "commissioning_reportrun"
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["kind", "period"])]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def get_absolute_url(self):
        return reverse("reports_detail", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        """Still expected to finish (the page keeps polling): a run whose worker was lost is started again."""
        return self.status in self.PENDING

    @property
    def is_stale(self) -> bool:
        """Running with no sign of life from its worker for REPORTS_STALE_SECONDS: the worker is gone, and
        report_runs_restart_stalled (beat, every minute) queues the build again."""
        last_seen = self.heartbeat_at or self.started_at
        limit = timedelta(seconds=settings.REPORTS_STALE_SECONDS)
        return self.status == self.Status.RUNNING and bool(last_seen) and timezone.now() - last_seen > limit

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stale

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def recommendation_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]


class ReportSubscription(models.Model):
    """Someone who is emailed when a scheduled report of this kind is ready."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_subscriptions")
    kind = models.CharField(max_length=20, choices=ReportRun.Kind.choices)
    history = HistoricalRecords(table_name="commissioning_historicalreportsubscription")

    class Meta:
        db_table = "commissioning_reportsubscription"
        ordering = ["kind", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="report_subscription_once")]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()}"
