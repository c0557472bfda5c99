"""KPIs: indicators, their targets over time, benchmarks and measurements.

A measurement's status (RAG) and direction of travel are computed by kpis.status from
the target in force and the benchmarks, and stored so lists can filter and count them.
They are never typed in.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .formatting import describe_indicator_target
from .measures import get_measure
from .status import TargetRule, target_errors

VALUE_DIGITS = {"max_digits": 18, "decimal_places": 4}


class Unit(models.TextChoices):
    PERCENTAGE = "percentage", "Percentage"
    COUNT = "count", "Count"
    RATE = "rate", "Rate"
    RATIO = "ratio", "Ratio"
    DAYS = "days", "Days"
    MONEY = "money", "Money (£)"


class Polarity(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    WITHIN_BAND = "within_band", "Within a band"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class DataSource(models.TextChoices):
    ENTERED = "entered", "Entered by hand"
    IMPORTED = "imported", "Imported"
    COMPUTED = "computed", "Computed from system data"


class TargetKind(models.TextChoices):
    AT_LEAST = "at_least", "At least"
    AT_MOST = "at_most", "At most"
    BETWEEN = "between", "Between"
    AT_MOST_BENCHMARK = "at_most_benchmark", "At most the benchmark"
    AT_LEAST_BENCHMARK = "at_least_benchmark", "At least the benchmark"
    WITHIN_BENCHMARK_RANGE = "within_benchmark_range", "Within the statistical neighbours' range"


class BenchmarkSource(models.TextChoices):
    ENGLAND = "england", "England"
    REGION = "region", "Region"
    STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"


class Status(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    NO_DATA = "no_data", "No data"
    NO_TARGET = "no_target", "No target"


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Worsening"
    NO_CHANGE = "no_change", "No change"
    UNKNOWN = "unknown", "Unknown"


class Indicator(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    theme = models.ForeignKey("outcomes.Theme", on_delete=models.PROTECT, related_name="indicators")
    outcomes = models.ManyToManyField("outcomes.Outcome", blank=True, related_name="indicators")
    unit = models.CharField(max_length=20, choices=Unit.choices)
    rate_per = models.PositiveIntegerField(
        null=True, blank=True, help_text="For a rate: per how many, e.g. 10000 for a rate per 10,000."
    )
    rate_population = models.CharField(
        max_length=200, blank=True, help_text="For a rate: the population, e.g. children aged 0 to 17."
    )
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY)
    decimals = models.PositiveSmallIntegerField(default=1, help_text="Decimal places to show.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_indicators"
    )
    owner_title = models.CharField(
        "Owner (post or name)", max_length=200, blank=True,
        help_text="The post or person as the council names them, e.g. Head of Service. Kept when no account "
                  "matches; an account with this name is linked later.",
    )
    data_source = models.CharField(max_length=20, choices=DataSource.choices, default=DataSource.ENTERED)
    measure_key = models.CharField(
        max_length=100, blank=True, db_index=True,
        help_text="For a computed indicator: the key of a measure registered in kpis.measures.",
    )
    counts_children = models.BooleanField(
        default=False,
        help_text="Values (or numerators and denominators) are counts of children: 1 to 5 is shown as [c] in reports.",
    )
    active = models.BooleanField(default=True)
    # The measurement with the latest period end, kept by kpis.recompute.statuses_recompute so the
    # dashboard joins one row instead of running a subquery per indicator.
    latest_measurement = models.ForeignKey(
        "Measurement", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    history = HistoricalRecords(excluded_fields=["latest_measurement"])

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("kpis:detail", kwargs={"pk": self.pk})

    def clean(self):
        # A key no app registers would leave the KPI unfilled every night with only a log line to say so.
        if self.measure_key and get_measure(self.measure_key) is None:
            raise ValidationError({"measure_key": f"No measure is registered as {self.measure_key}: choose one "
                                                  "from the list, or leave it empty for a KPI entered or imported"})

    @classmethod
    def check(cls, **kwargs):
        """Django's model checks, and indicators naming a measure no app registers. The rows are read only when
        the check is given databases (`migrate`, `check --database default`), once their table exists."""
        errors = super().check(**kwargs)
        for alias in kwargs.get("databases") or []:
            connection = connections[alias]
            if cls._meta.db_table not in connection.introspection.table_names():
                continue
            keys = cls.objects.using(alias).exclude(measure_key="").values_list("code", "measure_key")
            unknown = sorted(f"{code} ({key})" for code, key in keys if get_measure(key) is None)
            if unknown:
                errors.append(checks.Error(
                    f"KPIs name a measure no app registers, so the nightly fill skips them: {', '.join(unknown)}",
                    hint="Choose a registered measure for each in the admin, or clear its measure key.",
                    obj=cls, id="kpis.E001",
                ))
        return errors

    @property
    def unit_label(self) -> str:
        if self.unit == Unit.RATE and self.rate_per:
            return f"per {self.rate_per:,}" + (f" {self.rate_population}" if self.rate_population else "")
        return {Unit.PERCENTAGE: "%", Unit.DAYS: "days", Unit.MONEY: "£"}.get(self.unit, "")


class Target(models.Model):
    """A target in force from `starts_on` until the next one starts."""

    # The fields the pure rule (kpis.status.TargetRule) is built from, in its order.
    RULE_FIELDS = ("kind", "starts_on", "value", "upper", "benchmark_source", "tolerance")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=30, choices=TargetKind.choices)
    value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True, help_text="X: the target or lower bound.")
    upper = models.DecimalField(**VALUE_DIGITS, null=True, blank=True, help_text="Y: the upper bound (between).")
    benchmark_source = models.CharField(max_length=30, choices=BenchmarkSource.choices, blank=True)
    tolerance = models.DecimalField(
        **VALUE_DIGITS, null=True, blank=True, help_text="The amber band, in the indicator's own unit."
    )
    starts_on = models.DateField("in force from")
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "starts_on"], name="kpis_target_one_per_start"),
        ]

    def __str__(self):
        return f"{self.indicator.code} from {self.starts_on:%d/%m/%Y}: {self.describe()}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def rule(self) -> TargetRule:
        return TargetRule(*(getattr(self, name) for name in self.RULE_FIELDS))

    def describe(self) -> str:
        """The rule in the indicator's unit, not yet resolved to a period's benchmark figures."""
        return describe_indicator_target(self.indicator, self.rule, period_end=None)

    def clean(self):
        errors = target_errors(
            kind=self.kind, value=self.value, upper=self.upper, benchmark=self.benchmark_source,
            tolerance=self.tolerance,
        )
        if errors:
            raise ValidationError(errors)


class Benchmark(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="benchmarks")
    period_end = models.DateField()
    source = models.CharField(max_length=30, choices=BenchmarkSource.choices)
    value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    minimum = models.DecimalField(**VALUE_DIGITS, null=True, blank=True, help_text="Statistical neighbours only.")
    maximum = models.DecimalField(**VALUE_DIGITS, null=True, blank=True, help_text="Statistical neighbours only.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_end", "source"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end", "source"], name="kpis_benchmark_unique"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.get_source_display()} {self.period_end:%d/%m/%Y}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period_end = models.DateField()
    value = models.DecimalField(**VALUE_DIGITS, null=True, blank=True, help_text="Empty means no data.")
    numerator = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    denominator = models.DecimalField(**VALUE_DIGITS, null=True, blank=True)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)
    # Computed by kpis.recompute.statuses_recompute; never typed in.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NO_DATA, editable=False)
    direction = models.CharField(max_length=20, choices=Direction.choices, default=Direction.UNKNOWN, editable=False)
    computed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Why the value is what it is and what is being done about it, for the committee report. Written by the
    # KPI's owner or a commissioner; the value and its commentary are signed off together by a second person
    # (kpis.services.measurement_approve). Until then reports print them as provisional.
    commentary = models.TextField(blank=True, help_text="Why the value is what it is.")
    remedial_action = models.TextField(blank=True, help_text="What is being done to bring it back on target.")
    commentary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["status", "direction", "computed_at", "entered_at"])

    class Meta:
        ordering = ["indicator", "period_end"]
        permissions = [("approve_measurement", "Can approve a KPI value and its commentary")]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_end"], name="kpis_measurement_one_per_period"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.period_end:%d/%m/%Y}"

    def get_absolute_url(self):
        return self.indicator.get_absolute_url()

    @property
    def is_provisional(self) -> bool:
        """Not yet signed off: reports print the value (and any commentary) marked provisional."""
        return self.approved_at is None
