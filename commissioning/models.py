import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class WorkerHeartbeat(models.Model):
    """Last time each Celery worker ran the heartbeat task: shows admins the background jobs are alive."""

    hostname = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["hostname"]

    def __str__(self):
        return f"{self.hostname} at {self.last_seen:%d %b %Y %H:%M}"


# --- Strategies, action plans, committees and committee reports ---------------------------------


class Committee(models.Model):
    """A council committee that receives reports (Cabinet, Overview and Scrutiny...)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "committee__name"]
        constraints = [models.UniqueConstraint(fields=["committee", "date"], name="meeting_once_a_day")]

    def __str__(self):
        return f"{self.committee.name}, {self.date:%-d %B %Y}"


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    principles = models.TextField(blank=True, help_text="One principle per line.")
    starts_on = models.DateField(help_text="First day of the period the strategy covers.")
    ends_on = models.DateField(help_text="Last day of the period the strategy covers.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategies_approved",
        verbose_name="approving body",
    )
    approved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="strategy_period_order"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("strategy_detail", kwargs={"pk": self.pk})

    @property
    def period_label(self) -> str:
        if self.starts_on.year == self.ends_on.year:
            return f"{self.starts_on:%B} to {self.ends_on:%B %Y}"
        return f"{self.starts_on:%B %Y} to {self.ends_on:%B %Y}"

    @property
    def principle_list(self) -> list[str]:
        return [line.strip() for line in self.principles.splitlines() if line.strip()]


class Priority(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField(help_text="Order within the strategy: 1, 2, 3...")
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    corporate_priority = models.CharField(
        max_length=250,
        blank=True,
        help_text="The corporate plan priority it serves, e.g. '2. Safeguarding and protecting those most vulnerable'.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "number"]
        verbose_name_plural = "priorities"
        constraints = [models.UniqueConstraint(fields=["strategy", "number"], name="priority_number_unique")]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("strategy_detail", kwargs={"pk": self.strategy_id}) + f"#priority-{self.number}"


class ActionQuerySet(models.QuerySet):
    def with_overdue(self, as_of):
        """Annotate is_overdue: not complete or cancelled, and the due date has passed."""
        return self.annotate(
            is_overdue=models.Case(
                models.When(models.Q(due_on__lt=as_of) & ~models.Q(status__in=Action.CLOSED), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )

    def overdue(self, as_of):
        return self.filter(due_on__lt=as_of).exclude(status__in=Action.CLOSED)

    def open(self):
        return self.exclude(status__in=Action.CLOSED)


class Action(models.Model):
    class Status(models.TextChoices):
        YET_TO_COMMENCE = "yet_to_commence", "Yet to commence"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        CANCELLED = "cancelled", "Cancelled"

    CLOSED = (Status.COMPLETE, Status.CANCELLED)

    strategy = models.ForeignKey(Strategy, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    subject = models.CharField(
        max_length=120,
        db_index=True,
        help_text="Workstream the action belongs to, e.g. Residential care, Tenders, Contracts.",
    )
    description = models.TextField("action")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions_owned"
    )
    due_on = models.DateField("due date", null=True, blank=True)
    timescale = models.CharField(
        max_length=120, blank=True, help_text="As the plan words it, e.g. 'By March 2017' or 'Ongoing'."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.YET_TO_COMMENCE, db_index=True)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["subject", "due_on", "pk"]

    def __str__(self):
        return f"{self.subject}: {self.description[:60]}"

    def get_absolute_url(self):
        return reverse("actions_detail", kwargs={"pk": self.pk})


class ActionUpdate(models.Model):
    """A dated progress note on an action; it may move the action to a new status."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    noted_on = models.DateField()
    note = models.TextField()
    status_before = models.CharField(max_length=20, choices=Action.Status.choices)
    status_after = models.CharField(max_length=20, choices=Action.Status.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-noted_on", "-pk"]

    def __str__(self):
        return f"{self.action_id} on {self.noted_on}"

    def get_absolute_url(self):
        return reverse("actions_detail", kwargs={"pk": self.action_id})

    @property
    def changed_status(self) -> bool:
        return self.status_before != self.status_after


def report_upload_to(instance, filename):
    # Unguessable, and never served directly: downloads go through a permission-checked view.
    return f"reports/{instance.pk}/{uuid.uuid4().hex}.pdf"


class ReportRun(models.Model):
    class Kind(models.TextChoices):
        PERFORMANCE = "performance", "Quarterly performance report"
        CONTRACTS = "contracts", "Contracts report"
        PLACEMENTS = "placements", "Placements and sufficiency report"
        ACTIONS = "actions", "Action plan progress report"
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
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True, help_text="Templates to HTML.")
    pdf_seconds = models.FloatField(null=True, blank=True, help_text="WeasyPrint: HTML to PDF.")
    page_count = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=report_upload_to, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["render_seconds", "pdf_seconds"])

    class Meta:
        ordering = ["-queued_at", "-pk"]
        indexes = [models.Index(fields=["kind", "period"])]

    def __str__(self):
        return f"{self.title} ({self.period})"

    def get_absolute_url(self):
        return reverse("reports_detail", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        """Still expected to finish (the page keeps polling)."""
        return self.status in self.PENDING and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """Running for longer than the task's hard time limit: its worker is gone and will not finish it."""
        limit = timedelta(seconds=settings.REPORTS_TASK_TIME_LIMIT + 60)
        return self.status == self.Status.RUNNING and bool(self.started_at) and timezone.now() - self.started_at > limit

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
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="report_subscription_once")]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()}"
