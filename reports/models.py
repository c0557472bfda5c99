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

from core.periods import period_label
from plans.models import Meeting


def report_upload_to(instance, filename):
    # Unguessable, and never served directly: downloads go through a permission-checked view.
    return f"reports/{instance.pk}/{uuid.uuid4().hex}.pdf"


IMPLICATIONS = [
    ("financial_implications", "Financial implications"),
    ("legal_implications", "Legal implications"),
    ("equality_implications", "Equality implications"),
    ("risk_implications", "Risk implications"),
    ("childrens_rights_implications", "Children's rights implications"),
]
# The front sheet and fixed sections a requester fills in (services.report_run_request takes these).
FRONT_SHEET_FIELDS = [
    "agenda_item", "title", "report_of", "lead_officer", "lead_officer_contact", "portfolio_holder",
    "wards_affected", "key_decision", "forward_plan_reference", "exempt", "exempt_reason", "purpose", "summary",
    "recommendations", "reasons", "background", *(name for name, _ in IMPLICATIONS), "background_papers",
]
# Printed as "Not set" when empty, so a report for a meeting is not built with any of them missing unawares.
MUST_BE_SET = [
    ("agenda_item", "Agenda item"),
    ("report_of", "Report of"),
    ("lead_officer", "Lead officer"),
    ("lead_officer_contact", "Lead officer's contact details"),
    ("portfolio_holder", "Portfolio holder"),
    ("wards_affected", "Wards affected"),
    ("summary", "Executive summary"),
    ("reasons", "Reasons for the recommendations"),
    ("background", "Background"),
    *IMPLICATIONS,
]


# A member summary prints the front sheet, summary and recommendations only (see the PDF's summary_only).
NOT_IN_MEMBER_SUMMARY = {"background", *(name for name, _ in IMPLICATIONS), "background_papers"}


def front_sheet_missing(values: dict, *, meeting=None, kind: str = "") -> list[tuple[str, str]]:
    """(field name, label) of what the report would print as "Not set", from the request's values; the labels
    are the form's, so a warning names the box to fill in."""
    missing = [] if meeting else [("meeting", "Committee and date of meeting")]
    missing += [(name, label) for name, label in MUST_BE_SET if not str(values.get(name) or "").strip()]
    if values.get("key_decision") and not str(values.get("forward_plan_reference") or "").strip():
        missing.append(("forward_plan_reference", "Forward plan reference"))
    if values.get("exempt") and not str(values.get("exempt_reason") or "").strip():
        missing.append(("exempt_reason", "Reason it is exempt"))
    if kind == "member_summary":
        missing = [(name, label) for name, label in missing if name not in NOT_IN_MEMBER_SUMMARY]
    return missing


def front_sheet_not_set(values: dict, *, meeting=None, kind: str = "") -> list[str]:
    """The labels of what the report would print as "Not set", from the request's values."""
    return [label for _, label in front_sheet_missing(values, meeting=meeting, kind=kind)]


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        PERFORMANCE = "performance", "Quarterly performance report"
        CONTRACTS = "contracts", "Contracts report"
        PLACEMENTS = "placements", "Placements and sufficiency report"
        FINANCE = "finance", "Placements budget: financial position"
        ACTIONS = "actions", "Action plan progress report"
        MEMBER_SUMMARY = "member_summary", "Member summary: performance exceptions"
        PROGRAMME = "programme", "Commissioning programme update"
        SUFFICIENCY_STATEMENT = "sufficiency", "Sufficiency statement"
        MARKET_POSITION = "market_position", "Market position statement"
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
    lead_officer_contact = models.CharField(
        "Lead officer's contact details", max_length=250, blank=True, help_text="Telephone and email."
    )
    portfolio_holder = models.CharField(max_length=200, blank=True, help_text="The lead councillor and portfolio.")
    wards_affected = models.CharField(max_length=250, blank=True)
    key_decision = models.BooleanField(default=False)
    forward_plan_reference = models.CharField(max_length=50, blank=True)
    exempt = models.BooleanField(
        default=False, help_text="Exempt from publication (Schedule 12A, Local Government Act 1972)."
    )
    exempt_reason = models.CharField(
        max_length=250, blank=True, help_text="The paragraph of Schedule 12A the report is exempt under."
    )
    purpose = models.TextField(blank=True)
    summary = models.TextField(blank=True, help_text="Executive summary.")
    recommendations = models.TextField(blank=True, help_text="One recommendation per line.")
    reasons = models.TextField("Reasons for the recommendations", blank=True)
    background = models.TextField(blank=True)
    financial_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    equality_implications = models.TextField(blank=True)
    risk_implications = models.TextField(blank=True)
    childrens_rights_implications = models.TextField("Children's rights implications", blank=True)
    background_papers = models.TextField(blank=True, help_text="One paper per line.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="report_runs"
    )
    scheduled = models.BooleanField(default=False, help_text="Built by the quarterly schedule, not on request.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    automatic_retries = models.PositiveSmallIntegerField(
        default=0,
        help_text="Times the build was sent again by itself since it was last requested (time limit reached, "
        "worker lost, message lost); at REPORTS_AUTOMATIC_RETRIES it is failed instead.",
    )
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
        return f"{self.title} ({self.period_label})"

    def get_absolute_url(self):
        return reverse("reports_detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        return period_label(self.period)

    @property
    def status_label(self) -> str:
        """One word for where the build is, the same in the list's row, the detail page's banner and the home page."""
        if self.is_stale:
            return "Stopped"
        return {self.Status.RUNNING: "Building"}.get(self.status, self.get_status_display())

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
    def is_building(self) -> bool:
        """Running, with a sign of life from its worker within REPORTS_STALE_SECONDS."""
        last_seen = self.heartbeat_at or self.started_at
        limit = timedelta(seconds=settings.REPORTS_STALE_SECONDS)
        return self.status == self.Status.RUNNING and bool(last_seen) and timezone.now() - last_seen <= limit

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

    @property
    def background_paper_list(self) -> list[str]:
        return [line.strip() for line in self.background_papers.splitlines() if line.strip()]

    @property
    def implications(self) -> list[tuple[str, str]]:
        """(heading, text) in the order the council's template prints them."""
        return [(label, getattr(self, name)) for name, label in IMPLICATIONS]

    @property
    def not_set(self) -> list[str]:
        """What the report prints as "Not set" (see front_sheet_not_set)."""
        values = {name: getattr(self, name) for name in FRONT_SHEET_FIELDS}
        return front_sheet_not_set(values, meeting=self.meeting, kind=self.kind)


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
