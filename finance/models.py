"""Placement budgets by financial year, and the forecast outturn taken each month.

A financial year is written by the year it starts: 2025 is 2025/26, 1 April 2025 to 31 March 2026.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from placements.models import PlacementCategory

UNBUDGETED = "UNBUDGETED"


class Provision(models.TextChoices):
    IN_HOUSE = "in_house", "In-house"
    EXTERNAL = "external", "External"
    ANY = "any", "Any"


class BudgetLine(models.Model):
    """A line of the placements budget for one financial year."""

    financial_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000)], help_text="The year the financial year starts: 2025 is 2025/26."
    )
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    placement_category = models.CharField(
        max_length=24, choices=PlacementCategory.choices, blank=True,
        help_text="Leave blank for a line that is not for placements.",
    )
    provision = models.CharField(max_length=10, choices=Provision.choices, default=Provision.ANY)
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    savings_target = models.DecimalField(max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["financial_year", "code"], name="finance_budget_line_year_code"),
            # One line per category and provision in a year, so every placement belongs to exactly one line.
            models.UniqueConstraint(
                fields=["financial_year", "placement_category", "provision"],
                condition=~models.Q(placement_category=""), name="finance_budget_line_year_category_provision",
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.name} ({self.year_label})"

    def get_absolute_url(self):
        return reverse("finance:line", kwargs={"year": self.financial_year, "code": self.code})

    @property
    def year_label(self):
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"


class ForecastSnapshot(models.Model):
    """One budget line's forecast as it stood on a day, kept to chart the forecast through the year."""

    financial_year = models.PositiveSmallIntegerField()
    as_of = models.DateField()
    code = models.CharField(max_length=20, help_text=f"The budget line's code, or {UNBUDGETED}.")
    name = models.CharField(max_length=200)
    budget = models.DecimalField(max_digits=14, decimal_places=2)
    actual_to_date = models.DecimalField(max_digits=14, decimal_places=2)
    committed = models.DecimalField(max_digits=14, decimal_places=2)
    forecast = models.DecimalField(max_digits=14, decimal_places=2)
    taken_at = models.DateTimeField(auto_now=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", help_text="Blank when taken by the monthly schedule.")

    class Meta:
        ordering = ["financial_year", "as_of", "code"]
        constraints = [
            models.UniqueConstraint(fields=["financial_year", "as_of", "code"], name="finance_snapshot_year_day_code"),
        ]

    def __str__(self):
        return f"{self.code} forecast on {self.as_of:%d/%m/%Y}"

    @property
    def variance(self):
        return self.forecast - self.budget
