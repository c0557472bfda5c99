"""The commissioning programme: projects moving through the cycle's stages by gateway decisions, the products each
gateway requires, the risk register, and the engagement log ("you said, we did")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from . import rules


class ProjectStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETE = "complete", "Complete"
    STOPPED = "stopped", "Stopped"


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=ProjectStatus.ACTIVE)

    def gateway_overdue(self, as_of):
        """Active projects whose next gateway was due before the day."""
        return self.active().filter(next_gateway_due__lt=as_of)


class Project(models.Model):
    """A piece of commissioning work (a council may call it an activity or a programme)."""

    reference = models.CharField(max_length=30, unique=True, help_text="The team's own reference, e.g. CP-2026-04.")
    title = models.CharField(max_length=250)
    summary = models.TextField(blank=True)
    service_area = models.ForeignKey(
        "contracts.ServiceArea", to_field="code", db_column="service_area", on_delete=models.PROTECT,
        related_name="projects",
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects_led",
        verbose_name="lead commissioner",
    )
    lead_name = models.CharField("lead (name)", max_length=200, blank=True,
                                 help_text="The lead as the team's spreadsheet names them. Kept when no account "
                                           "matches; an account with this name is linked later.")
    sponsor = models.CharField(max_length=200, blank=True, help_text="The senior officer who sponsors the work.")
    stage = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ACTIVE)
    next_gateway_due = models.DateField("next gateway due", null=True, blank=True)
    priorities = models.ManyToManyField("plans.Priority", blank=True, related_name="projects",
                                        verbose_name="strategy priorities")
    outcomes = models.ManyToManyField("outcomes.Outcome", blank=True, related_name="projects")
    indicators = models.ManyToManyField("kpis.Indicator", blank=True, related_name="projects",
                                        verbose_name="KPIs", help_text="The KPIs that will show success.")
    contracts = models.ManyToManyField("contracts.Contract", blank=True, related_name="projects",
                                       help_text="Contracts the project will replace or change.")
    budget_line = models.ForeignKey("finance.BudgetLine", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="projects")
    savings_target = models.DecimalField(max_digits=14, decimal_places=2, default=0,
                                         validators=[MinValueValidator(0)])
    savings_delivered = models.DecimalField(max_digits=14, decimal_places=2, default=0,
                                            validators=[MinValueValidator(0)])
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[priorities, outcomes, indicators, contracts])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        permissions = [("decide_gateway", "Can decide a gateway (gateway approver)")]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("programme:project", kwargs={"pk": self.pk})

    def clean(self):
        if self.stage not in rules.stages():
            raise ValidationError({"stage": f"Choose one of the stages: {', '.join(rules.stages())}"})

    @property
    def next_stage(self):
        return rules.next_stage(self.stage)


class ProductKind(models.TextChoices):
    NEEDS_ANALYSIS = "needs_analysis", "Needs analysis"
    OPTIONS_APPRAISAL = "options_appraisal", "Options appraisal"
    EIA = "eia", "Equality impact assessment"
    BUSINESS_CASE = "business_case", "Business case"
    AWARD_DECISION = "award_decision", "Award or in-house decision"
    DECOMMISSIONING_PLAN = "decommissioning_plan", "Decommissioning plan"


class ProductStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class Product(models.Model):
    """What a stage produces for its gateway: a needs analysis, a business case..."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="products")
    kind = models.CharField(max_length=30, choices=ProductKind.choices)
    status = models.CharField(max_length=12, choices=ProductStatus.choices, default=ProductStatus.NOT_STARTED)
    summary = models.TextField(blank=True)
    link = models.URLField("link to the document", blank=True)
    approved_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "kind"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="programme_product_once")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.project.reference}"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#products"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Proceed"
    REPLAN = "replan", "Re-plan"
    STOP = "stop", "Stop"


class GatewayDecision(models.Model):
    """A second person's decision at a gateway, with its reasons."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gateway_decisions")
    from_stage = models.CharField(max_length=40)
    to_stage = models.CharField(max_length=40, blank=True, help_text="Blank when the project completes or stops.")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    decided_on = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"{self.project.reference}: {self.get_decision_display()} at {self.from_stage} gateway"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#gateways"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RiskStatus.OPEN)

    def review_overdue(self, as_of):
        return self.open().filter(review_on__lt=as_of)

    def rag(self, rag: str):
        """Risks of one RAG by the council's matrix (the SQL form of rules.risk_rag)."""
        return self.filter(rag_q(rag))


def rag_q(rag: str, prefix: str = "") -> Q:
    green, amber = settings.PROGRAMME_RISK_GREEN_MAX, settings.PROGRAMME_RISK_AMBER_MAX
    field = f"{prefix}score"
    return {
        rules.GREEN: Q(**{f"{field}__lte": green}),
        rules.AMBER: Q(**{f"{field}__gt": green, f"{field}__lte": amber}),
        rules.RED: Q(**{f"{field}__gt": amber}),
    }[rag]


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    """A risk on a project, on a contract, or (with neither) on the programme as a whole."""

    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.CASCADE, related_name="risks")
    contract = models.ForeignKey("contracts.Contract", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="programme_risks")
    description = models.TextField("risk")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="risks_owned")
    owner_name = models.CharField("owner (name or post)", max_length=200, blank=True,
                                  help_text="Kept when no account matches; an account with this name is linked later.")
    likelihood = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(validators=SCALE, help_text="1 (negligible) to 5 (severe).")
    score = models.PositiveSmallIntegerField(editable=False, help_text="Likelihood times impact.")
    target_score = models.PositiveSmallIntegerField(null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(25)])
    status = models.CharField(max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    review_on = models.DateField("next review", null=True, blank=True)
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="programme_risks",
                                     verbose_name="mitigating actions")
    history = HistoricalRecords(m2m_fields=[actions])

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score=models.F("likelihood") * models.F("impact")),
                                   name="programme_risk_score_is_product"),
        ]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("programme:risk", kwargs={"pk": self.pk})

    @property
    def rag(self) -> str:
        return rules.risk_rag(self.score)

    @property
    def target_rag(self) -> str | None:
        return rules.risk_rag(self.target_score) if self.target_score else None


class RiskScore(models.Model):
    """Each scoring of a risk, oldest first, so a register shows whether it is coming down."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="scores")
    scored_on = models.DateField()
    likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    impact = models.PositiveSmallIntegerField(validators=SCALE)
    score = models.PositiveSmallIntegerField()
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        ordering = ["risk", "scored_on", "pk"]

    def __str__(self):
        return f"{self.score} on {self.scored_on:%-d %B %Y}"

    @property
    def rag(self) -> str:
        return rules.risk_rag(self.score)


class EngagementGroup(models.TextChoices):
    CHILDREN = "children", "Children and young people"
    PARENTS = "parents", "Parents and carers"
    PROVIDERS = "providers", "Providers"
    PARTNERS = "partners", "Partners"


class Engagement(models.Model):
    """One piece of engagement on a project: who, how, when, what they said and what changed ("you said, we did")."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="engagements")
    group = models.CharField("who", max_length=12, choices=EngagementGroup.choices)
    method = models.CharField("how", max_length=200, help_text="e.g. Children in Care Council session, survey.")
    held_on = models.DateField("when")
    you_said = models.TextField("what they said")
    we_did = models.TextField("what changed as a result", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.get_group_display()}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self):
        return self.project.get_absolute_url() + "#engagement"


class Characteristic(models.TextChoices):
    """The nine protected characteristics of the Equality Act 2010, and care experience, which councils that
    treat it as if protected assess alongside them."""

    AGE = "age", "Age"
    DISABILITY = "disability", "Disability"
    GENDER_REASSIGNMENT = "gender_reassignment", "Gender reassignment"
    MARRIAGE = "marriage", "Marriage and civil partnership"
    PREGNANCY = "pregnancy", "Pregnancy and maternity"
    RACE = "race", "Race"
    RELIGION = "religion", "Religion or belief"
    SEX = "sex", "Sex"
    SEXUAL_ORIENTATION = "sexual_orientation", "Sexual orientation"
    CARE_EXPERIENCE = "care_experience", "Care experience"


class Impact(models.TextChoices):
    POSITIVE = "positive", "Positive"
    NEUTRAL = "neutral", "Neutral"
    NEGATIVE = "negative", "Negative"


class EqualityImpact(models.Model):
    """One characteristic's line of an equality impact assessment (a project's `eia` product, whose approval is the
    sign-off)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="equality_impacts")
    characteristic = models.CharField(max_length=24, choices=Characteristic.choices)
    impact = models.CharField(max_length=10, choices=Impact.choices)
    evidence = models.TextField(blank=True)
    mitigation = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "pk"]
        constraints = [models.UniqueConstraint(fields=["product", "characteristic"], name="programme_eia_line_once")]

    def __str__(self):
        return f"{self.get_characteristic_display()}: {self.get_impact_display().lower()}"

    def get_absolute_url(self):
        return self.product.get_absolute_url()


class Option(models.Model):
    """An option in an options appraisal (a project's `options_appraisal` product): cost, benefits, risks, a score,
    and, for the chosen one, why."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(max_length=200)
    cost = models.DecimalField("cost (£)", max_digits=14, decimal_places=2, null=True, blank=True,
                               validators=[MinValueValidator(0)])
    benefits = models.TextField(blank=True)
    risks = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)],
                                             help_text="The appraisal's weighted score, 0 to 100.")
    chosen = models.BooleanField(default=False)
    why_chosen = models.TextField("why it was chosen", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["product", "-chosen", "-score", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.product.get_absolute_url()

    def clean(self):
        if self.chosen and not self.why_chosen.strip():
            raise ValidationError({"why_chosen": "Enter why this option was chosen"})
