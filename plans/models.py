"""Strategies, their priorities, the action plan, and the committees and meetings that approve them.

These tables keep the names they had when the models lived in the `commissioning` package, so a
council's data upgrades by `migrate` alone.
"""


from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Committee(models.Model):
    """A council committee that receives reports (Cabinet, Overview and Scrutiny...)."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    history = HistoricalRecords(table_name="commissioning_historicalcommittee")

    class Meta:
        db_table = "commissioning_committee"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(table_name="commissioning_historicalmeeting")

    class Meta:
        db_table = "commissioning_meeting"
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
    history = HistoricalRecords(table_name="commissioning_historicalstrategy")

    class Meta:
        db_table = "commissioning_strategy"
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
    history = HistoricalRecords(table_name="commissioning_historicalpriority")

    class Meta:
        db_table = "commissioning_priority"
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
    history = HistoricalRecords(table_name="commissioning_historicalaction")

    objects = ActionQuerySet.as_manager()

    class Meta:
        db_table = "commissioning_action"
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
    history = HistoricalRecords(table_name="commissioning_historicalactionupdate")

    class Meta:
        db_table = "commissioning_actionupdate"
        ordering = ["-noted_on", "-pk"]

    def __str__(self):
        return f"{self.action_id} on {self.noted_on}"

    def get_absolute_url(self):
        return reverse("actions_detail", kwargs={"pk": self.action_id})

    @property
    def changed_status(self) -> bool:
        return self.status_before != self.status_after
