"""The market: who owns the providers, what Ofsted says about their settings, quality assurance at
provider level, and how contracts perform against their own KPIs.

Above placements in the dependency order: concentration (children placed and weekly spend by owning
group) reads placements. Providers and contracts stay in `contracts`; everything here points at them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.models import OfstedRating, ReviewRating

# Worst last: a judgement "downgraded" is one with a higher rank than the one before.
JUDGEMENT_RANK = {
    OfstedRating.OUTSTANDING: 1,
    OfstedRating.GOOD: 2,
    OfstedRating.REQUIRES_IMPROVEMENT: 3,
    OfstedRating.INADEQUATE: 4,
}


class OwningGroup(models.Model):
    """A parent organisation that owns providers; a group may itself sit inside a larger group."""

    name = models.CharField(max_length=200, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="subsidiaries",
        verbose_name="parent group", help_text="The larger group that owns this one, if any.",
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="market_group_name_ci_unique",
                                               violation_error_message="A group with this name already exists")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("market:group_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        self.name = (self.name or "").strip()
        if self.name:
            same = OwningGroup.objects.filter(name__iexact=self.name).exclude(pk=self.pk).first()
            if same is not None:
                errors["name"] = f"A group called {same.name} already exists"
        if self.parent_id:
            if self.pk and self.parent_id == self.pk:
                errors["parent"] = "A group cannot be its own parent group"
            elif self.pk:
                seen = set()
                ancestor = self.parent
                while ancestor is not None and ancestor.pk not in seen:
                    if ancestor.pk == self.pk:
                        errors["parent"] = (
                            f"{self.parent} is already inside {self.name}: a group cannot contain itself"
                        )
                        break
                    seen.add(ancestor.pk)
                    ancestor = ancestor.parent
        if errors:
            raise ValidationError(errors)


class ProviderOwnership(models.Model):
    """Which group owns a provider (a provider with no row here is independent)."""

    provider = models.OneToOneField("contracts.Provider", on_delete=models.CASCADE, related_name="ownership")
    group = models.ForeignKey(OwningGroup, on_delete=models.PROTECT, related_name="ownerships")
    history = HistoricalRecords()

    class Meta:
        ordering = ["group__name", "provider__name"]
        verbose_name = "provider's owning group"

    def __str__(self):
        return f"{self.provider} (owned by {self.group})"

    def get_absolute_url(self):
        return self.group.get_absolute_url()


class OfstedSetting(models.Model):
    """One registered setting from Ofsted's provider-level data, by URN; linked to a provider when known."""

    urn = models.CharField("URN", max_length=12, unique=True)
    provider = models.ForeignKey(
        "contracts.Provider", on_delete=models.SET_NULL, null=True, blank=True, related_name="ofsted_settings",
    )
    setting_name = models.CharField(max_length=250, blank=True)
    provider_name = models.CharField(max_length=250, blank=True)
    provider_type = models.CharField(max_length=120, blank=True)
    local_authority = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    registration_status = models.CharField(max_length=60, blank=True)
    places = models.PositiveIntegerField(null=True, blank=True)
    owner_name = models.CharField("organisation which owns the provider", max_length=250, blank=True)
    imported_on = models.DateField(default=timezone.localdate, help_text="When Ofsted's data last named it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["urn"]
        verbose_name = "Ofsted setting"

    def __str__(self):
        return f"{self.urn} {self.setting_name or self.provider_name}".strip()

    def get_absolute_url(self):
        if self.provider_id:
            return reverse("market:provider_detail", kwargs={"pk": self.provider_id})
        return reverse("market:unmatched") + f"?urn={self.urn}"

    @property
    def is_registered(self) -> bool:
        return is_registration_active(self.registration_status)


def is_registration_active(status: str) -> bool:
    """Ofsted's registration statuses: Active, Suspended, Resigned, Cancelled, Closed, Refused. Only an
    active registration lets a setting take children; a blank status says nothing either way."""
    return (status or "").strip().lower() in ("", "active")


class OfstedInspection(models.Model):
    """A dated judgement at a full inspection: the history of a setting's grades."""

    setting = models.ForeignKey(OfstedSetting, on_delete=models.CASCADE, related_name="inspections")
    inspected_on = models.DateField("inspection date")
    published_on = models.DateField("publication date", null=True, blank=True)
    judgement = models.CharField(
        "overall experiences and progress of children and young people", max_length=25,
        choices=OfstedRating.choices,
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["setting", "-inspected_on"]
        constraints = [models.UniqueConstraint(fields=["setting", "inspected_on"],
                                               name="market_one_inspection_a_day")]

    def __str__(self):
        return f"{self.setting.urn} {self.get_judgement_display()} ({self.inspected_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return self.setting.get_absolute_url()


class ProviderAlertKind(models.TextChoices):
    DOWNGRADED = "downgraded", "Ofsted judgement downgraded"
    REGISTRATION_LAPSED = "registration_lapsed", "Ofsted registration no longer active"


class ProviderAlert(models.Model):
    """An alert about a setting, raised once: (setting, kind, what it is about) is never raised again."""

    setting = models.ForeignKey(OfstedSetting, on_delete=models.CASCADE, related_name="alerts")
    provider = models.ForeignKey("contracts.Provider", on_delete=models.CASCADE, related_name="market_alerts")
    kind = models.CharField(max_length=24, choices=ProviderAlertKind.choices)
    about = models.CharField(max_length=60, help_text="The inspection date, or the registration status.")
    message = models.TextField()
    raised_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.TextField(blank=True, help_text="Email addresses it was sent to, one a line.")

    class Meta:
        ordering = ["-raised_at"]
        constraints = [models.UniqueConstraint(fields=["setting", "kind", "about"], name="market_alert_once")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.setting.urn} ({self.about})"

    def get_absolute_url(self):
        return reverse("market:provider_detail", kwargs={"pk": self.provider_id})


class QualityKind(models.TextChoices):
    VISIT = "visit", "Quality assurance visit"
    UNANNOUNCED = "unannounced", "Unannounced visit"
    SELF_ASSESSMENT = "self_assessment", "Provider self-assessment"
    AUDIT = "audit", "Audit"


class QualityCheck(models.Model):
    """A quality visit, self-assessment or audit of a provider (optionally about one contract or placement)."""

    provider = models.ForeignKey("contracts.Provider", on_delete=models.PROTECT, related_name="quality_checks")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="quality_checks")
    placement = models.ForeignKey("placements.Placement", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="quality_checks")
    checked_on = models.DateField("date")
    kind = models.CharField(max_length=20, choices=QualityKind.choices, default=QualityKind.VISIT)
    rating = models.CharField(max_length=10, choices=ReviewRating.choices)
    findings = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-checked_on", "-pk"]
        verbose_name = "quality check"

    def __str__(self):
        return f"{self.get_kind_display()} of {self.provider} on {self.checked_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("market:provider_detail", kwargs={"pk": self.provider_id}) + f"#check-{self.pk}"

    def clean(self):
        errors = {}
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = "The date must be today or in the past"
        if self.contract_id and self.provider_id and self.contract.provider_id != self.provider_id:
            errors["contract"] = f"Contract {self.contract.reference} is not with {self.provider}"
        if self.placement_id and self.provider_id and self.placement.provider_id != self.provider_id:
            errors["placement"] = f"That placement is not with {self.provider}"
        if errors:
            raise ValidationError(errors)


class QualityActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(completed_on__isnull=True)


class QualityAction(models.Model):
    check_record = models.ForeignKey(QualityCheck, on_delete=models.CASCADE, related_name="actions",
                                     verbose_name="quality check")
    action = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quality_actions")
    due_on = models.DateField("due date")
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = QualityActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = "quality action"

    def __str__(self):
        return self.action

    def get_absolute_url(self):
        return self.check_record.get_absolute_url()

    def clean(self):
        if self.completed_on and self.completed_on > timezone.localdate():
            raise ValidationError({"completed_on": "The date completed must be today or in the past"})


class ContractIndicatorUnit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    MONEY = "money", "Money (£)"


class ContractIndicatorTarget(models.TextChoices):
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"


class ContractIndicator(models.Model):
    """A KPI in one contract's specification, reported by the provider (not one of the council's own KPIs)."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="contract_kpis")
    code = models.CharField(max_length=20, help_text="As the provider's return names it, for example K1.")
    name = models.CharField(max_length=250)
    unit = models.CharField(max_length=12, choices=ContractIndicatorUnit.choices,
                            default=ContractIndicatorUnit.PERCENTAGE)
    target_kind = models.CharField(max_length=10, choices=ContractIndicatorTarget.choices,
                                   default=ContractIndicatorTarget.AT_LEAST)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    tolerance = models.DecimalField(max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)],
                                    help_text="How far short of target is amber rather than red.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "code"]
        verbose_name = "contract KPI"
        constraints = [models.UniqueConstraint(fields=["contract", "code"], name="market_contract_kpi_code")]

    def __str__(self):
        return f"{self.code}: {self.name}"

    def get_absolute_url(self):
        return reverse("market:contract_performance", kwargs={"pk": self.contract_id})


class ContractIndicatorValue(models.Model):
    indicator = models.ForeignKey(ContractIndicator, on_delete=models.CASCADE, related_name="values")
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_end"]
        verbose_name = "contract KPI value"
        constraints = [models.UniqueConstraint(fields=["indicator", "period_end"], name="market_kpi_value_period")]

    def __str__(self):
        return f"{self.indicator.code} {self.period_end:%d/%m/%Y}: {self.value}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()


class PerformanceRating(models.TextChoices):
    """The Procurement Act 2023 scale for published assessments of contract performance."""

    GOOD = "good", "Good"
    APPROACHING = "approaching_target", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class ContractPerformanceAssessment(models.Model):
    contract = models.ForeignKey("contracts.Contract", on_delete=models.CASCADE, related_name="performance_ratings")
    year_ending = models.DateField(help_text="The last day of the year assessed, for example 31 March 2026.")
    rating = models.CharField(max_length=24, choices=PerformanceRating.choices)
    reasons = models.TextField()
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year_ending", "contract"]
        verbose_name = "contract performance rating"
        constraints = [models.UniqueConstraint(fields=["contract", "year_ending"], name="market_rating_a_year")]

    def __str__(self):
        return f"{self.contract.reference} {self.year_ending:%Y}: {self.get_rating_display()}"

    def get_absolute_url(self):
        return reverse("market:contract_performance", kwargs={"pk": self.contract_id})

    def clean(self):
        if not (self.reasons or "").strip():
            raise ValidationError({"reasons": "Enter the reasons for the rating: they are published with it"})
