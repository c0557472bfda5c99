"""The outcomes framework: themes (service areas or improvement programmes), age bands and outcomes."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class Theme(models.Model):
    """A grouping of outcomes with a responsible head of service.

    Reading groups by service area (Education; Early Help...); Somerset by improvement
    programme. Both are just themes.
    """

    class Kind(models.TextChoices):
        SERVICE_AREA = "service_area", "Service area"
        IMPROVEMENT_PROGRAMME = "improvement_programme", "Improvement programme"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.SERVICE_AREA)
    head_of_service = models.CharField(
        max_length=200, blank=True, help_text="The post responsible, e.g. Head of Service for Education."
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_themes",
        help_text="The person who holds the post now.",
    )
    corporate_priority = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outcomes:index") + f"#theme-{self.pk}"


class AgeBand(models.Model):
    """Ordered reference data: age bands or life-stage milestones (Ready for school...)."""

    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "age band"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("outcomes:index")


class Outcome(models.Model):
    class LevelOfNeed(models.TextChoices):
        # Leicestershire's target operating model; "Delay" was struck out for children's services.
        PREVENT = "prevent", "Prevent"
        REDUCE = "reduce", "Reduce"
        MEET = "meet", "Meet"

    statement = models.TextField()
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="outcomes")
    age_band = models.ForeignKey(AgeBand, on_delete=models.PROTECT, related_name="outcomes")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_outcomes"
    )
    owner_title = models.CharField(
        "Owner (post or name)", max_length=200, blank=True,
        help_text="The post or person as the council names them, e.g. Head of Service for Education. "
                  "Kept when no account matches; an account with this name is linked later.",
    )
    corporate_priority = models.CharField(max_length=300, blank=True)
    level_of_need = models.CharField(max_length=10, choices=LevelOfNeed.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["theme__order", "age_band__order", "order", "pk"]

    def __str__(self):
        return self.statement if len(self.statement) <= 80 else self.statement[:77] + "..."

    def get_absolute_url(self):
        return reverse("outcomes:detail", kwargs={"pk": self.pk})
