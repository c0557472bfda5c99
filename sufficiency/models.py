"""Stored forecasts, the scenarios commissioners compare with the baseline, and unit costs set by hand.

No child-level data is kept here: a forecast run holds only counts by month, category and age band."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import engine

CATEGORY_CHOICES = [(key, label) for key, label in engine.CATEGORY_LABELS.items()]
BAND_CHOICES = [(key, label) for key, label in engine.BAND_LABELS.items()]


class Scenario(models.Model):
    """A named "what if" compared with the baseline: fewer children coming into care at some ages or in some
    kinds of home, a share of residential need met by fostering, more in-house foster carers."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True, help_text="What the change is and the work behind it.")
    entry_band = models.CharField(
        "age band", max_length=8, choices=BAND_CHOICES, blank=True,
        help_text="The ages whose entries into care change; leave blank for all ages.",
    )
    entry_category = models.CharField(
        "placement category", max_length=12, choices=CATEGORY_CHOICES, blank=True,
        help_text="The kind of home whose entries change; leave blank for all.",
    )
    entry_change_percent = models.DecimalField(
        "change in entries (%)", max_digits=5, decimal_places=1, default=0,
        validators=[MinValueValidator(-100), MaxValueValidator(200)],
        help_text="For example -10 for edge-of-care work cutting entries by a tenth.",
    )
    residential_to_fostering_percent = models.DecimalField(
        "residential need met by fostering (%)", max_digits=4, decimal_places=1, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    shift_months = models.PositiveSmallIntegerField(
        "months to reach it", default=12, validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    extra_foster_places = models.PositiveSmallIntegerField(
        "extra in-house foster places", default=0, validators=[MaxValueValidator(500)],
        help_text="Children the new in-house foster carers will look after instead of residential homes.",
    )
    extra_foster_months = models.PositiveSmallIntegerField(
        "months to approve them", default=12, validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("sufficiency:scenario", kwargs={"pk": self.pk})

    def clean(self):
        if not (self.entry_change_percent or self.residential_to_fostering_percent or self.extra_foster_places):
            raise ValidationError("Enter at least one change: to entries, to residential need, or foster places.")

    def adjustment(self) -> engine.Adjustment:
        factors = {}
        if self.entry_change_percent:
            factors[(self.entry_band, self.entry_category)] = 1 + float(self.entry_change_percent) / 100
        return engine.Adjustment(
            entry_factors=factors, shift_share=float(self.residential_to_fostering_percent) / 100,
            shift_months=self.shift_months, extra_fostering=float(self.extra_foster_places),
            extra_fostering_months=self.extra_foster_months,
        )


class UnitCostSource(models.TextChoices):
    COST_LINES = "cost_lines", "Placement cost lines"
    SET_BY_HAND = "set_by_hand", "Set by hand"


class UnitCost(models.Model):
    """A weekly cost per child set by hand for a placement category (instead of the one worked out from the
    placement cost lines), with where the figure comes from."""

    category = models.CharField(max_length=12, choices=CATEGORY_CHOICES, unique=True)
    weekly_cost = models.DecimalField(
        "weekly cost per child", max_digits=9, decimal_places=2, validators=[MinValueValidator(0)],
    )
    source_note = models.CharField(
        "where the figure comes from", max_length=250,
        help_text="For example: 2025-26 budget book, residential unit cost.",
    )
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.weekly_cost} a week"

    def get_absolute_url(self):
        return reverse("sufficiency:costs")


class ForecastRunStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Could not run"


class ForecastRun(models.Model):
    """One run of the forecast, its backtest and every saved scenario, kept for the pages to read.

    `result` holds {"baseline": [month...], "scenarios": [{"id", "name", "months"}], "backtest": {...},
    "rates": {...}}: counts of children only."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Blank when the worker ran it because the data changed.",
    )
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ForecastRunStatus.choices, default=ForecastRunStatus.QUEUED)
    reference_start = models.DateField(null=True, blank=True)
    reference_end = models.DateField(null=True, blank=True)
    months = models.PositiveSmallIntegerField(default=60)
    data_fingerprint = models.CharField(max_length=64, blank=True, help_text="What the data looked like when run.")
    seconds = models.FloatField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Demand forecast of {self.requested_at:%d/%m/%Y %H:%M} ({self.get_status_display().lower()})"

    def get_absolute_url(self):
        return reverse("sufficiency:forecast")
