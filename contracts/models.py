"""Contracts and the market: providers, frameworks, contracts, reviews and the procurement pipeline.

Derived dates (current end, final end, decision due, next review due) are computed by one pure
implementation in `contracts.dates` and stored on the contract by the services, so lists can
filter and sort on them in SQL. Status is recorded only when someone records it; otherwise it is
derived in SQL from today's date (see `ContractQuerySet.with_status`).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from . import dates


def url_maker(name: str):
    """pk -> URL for a `<int:pk>` route, reversing once: a table of 50 rows or a digest of hundreds
    would otherwise call reverse() for every row."""
    marker = 987654321
    template = reverse(name, kwargs={"pk": marker}).replace(str(marker), "{pk}")
    return lambda pk: template.format(pk=int(pk))


OFSTED_RATINGS_HELP = "The overall effectiveness judgement at the last full inspection."


class ServiceArea(models.Model):
    """Reference data a council extends: administrators add areas in the admin, and an import adds the
    areas its file names (matched by code or label, ignoring case). Contracts hold the code."""

    code = models.SlugField(max_length=20, unique=True, help_text="Short code used in files, e.g. send_transport.")
    label = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class ProviderKind(models.TextChoices):
    PRIVATE = "private", "Private"
    VOLUNTARY = "voluntary", "Voluntary or third sector"
    PUBLIC = "public", "Public body"
    OTHER_COUNCIL = "other_council", "Another council"
    IN_HOUSE = "in_house", "In-house (the council's own service)"


class OfstedRating(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


OFSTED_BELOW_GOOD = (OfstedRating.REQUIRES_IMPROVEMENT, OfstedRating.INADEQUATE)


def ofsted_below_good(rating: str) -> bool:
    """A judgement a commissioner must see beside every contract with the provider."""
    return rating in OFSTED_BELOW_GOOD


class ProviderStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended (no new placements)"
    CEASED = "ceased", "Ceased trading"


COMPANIES_HOUSE_MESSAGE = (
    "Enter the Companies House number as 8 characters: 8 digits, like 01234567, or 2 letters and 6 digits, "
    "like SC123456"
)
CHARITY_NUMBER_MESSAGE = (
    "Enter the charity number from the register of charities in England and Wales: 6 to 8 digits, "
    "like 1123456, or with a linked-charity suffix, like 1123456-1"
)
OFSTED_URN_MESSAGE = (
    "Enter the Ofsted URN as 6 to 8 digits, like 2501234, or SC or EY and 6 to 8 digits for a social care or "
    "early years URN, like SC401234"
)


def _squash(value) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def normalise_companies_house_number(value) -> str:
    """'sc 123456' -> 'SC123456'; digits only are padded to 8 with leading zeros ('1234567' -> '01234567'),
    as Companies House writes them and as spreadsheets lose them. Raises ValueError with the message
    people read (the form, the service and the import use this one rule)."""
    text = _squash(value)
    if not text:
        return ""
    if text.isdigit() and len(text) < 8:
        text = text.zfill(8)
    if not re.fullmatch(r"\d{8}|[A-Z]{2}\d{6}", text):
        raise ValueError(COMPANIES_HOUSE_MESSAGE)
    return text


def normalise_charity_number(value) -> str:
    """A registered charity number in England and Wales: 6 to 8 digits, optionally -N for a linked charity."""
    text = _squash(value)
    if text and not re.fullmatch(r"\d{6,8}(-\d{1,3})?", text):
        raise ValueError(CHARITY_NUMBER_MESSAGE)
    return text


def normalise_ofsted_urn(value) -> str:
    """An Ofsted unique reference number: digits (schools, newer registrations), SC + digits (social care)
    or EY + digits (early years, such as the nurseries early help commissions)."""
    text = _squash(value)
    if text and not re.fullmatch(r"(SC|EY)?\d{6,8}", text):
        raise ValueError(OFSTED_URN_MESSAGE)
    return text


PROVIDER_NAME_TAKEN = "A provider called {name} already exists: provider names must be unique, ignoring capitals"


class Provider(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ProviderKind.choices, default=ProviderKind.PRIVATE)
    companies_house_number = models.CharField("Companies House number", max_length=10, blank=True)
    charity_number = models.CharField(max_length=12, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=12, blank=True)
    ofsted_rating = models.CharField(
        max_length=25, choices=OfstedRating.choices, blank=True, help_text=OFSTED_RATINGS_HELP
    )
    ofsted_inspected_on = models.DateField("Ofsted inspection date", null=True, blank=True)
    is_sme = models.BooleanField("Small or medium-sized enterprise", default=False)
    is_vcse = models.BooleanField("Voluntary, community or social enterprise", default=False)
    status = models.CharField(max_length=12, choices=ProviderStatus.choices, default=ProviderStatus.ACTIVE)
    locality = models.CharField(max_length=100, blank=True, help_text="Town or postcode district.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # The import matches providers by name ignoring case, so two names differing only in case
            # would be one provider there: the database refuses them too (the check in clean() is the message).
            models.UniqueConstraint(Lower("name"), name="contracts_provider_name_ci_unique",
                                    violation_error_message="A provider with this name already exists"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contracts:provider_detail", kwargs={"pk": self.pk})

    def clean(self):
        """The rules for a provider record, with one message each (forms, admin and services)."""
        errors = {}
        self.name = (self.name or "").strip()
        if self.name:
            same = Provider.objects.filter(name__iexact=self.name).exclude(pk=self.pk).first()
            if same is not None:
                errors["name"] = PROVIDER_NAME_TAKEN.format(name=same.name)
        for field, normalise in (("companies_house_number", normalise_companies_house_number),
                                 ("charity_number", normalise_charity_number),
                                 ("ofsted_urn", normalise_ofsted_urn)):
            try:
                setattr(self, field, normalise(getattr(self, field)))
            except ValueError as exc:
                errors[field] = str(exc)
        has_urn = bool(self.ofsted_urn) or "ofsted_urn" in errors
        if self.ofsted_rating and not has_urn:
            errors["ofsted_rating"] = (
                "Enter the Ofsted URN, or remove the rating: only a provider registered with Ofsted has a rating"
            )
        if self.ofsted_inspected_on:
            if self.ofsted_inspected_on > timezone.localdate():
                errors["ofsted_inspected_on"] = "The Ofsted inspection date must be today or in the past"
            elif not has_urn:
                errors["ofsted_inspected_on"] = (
                    "Enter the Ofsted URN, or remove the inspection date: only a provider registered with Ofsted "
                    "is inspected"
                )
        if errors:
            raise ValidationError(errors)


class FrameworkKind(models.TextChoices):
    FRAMEWORK = "framework", "Framework agreement"
    APPROVED_LIST = "approved_list", "Approved provider list"
    DPS = "dps", "Dynamic purchasing system"


class Framework(models.Model):
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=FrameworkKind.choices, default=FrameworkKind.FRAMEWORK)
    service_area = models.ForeignKey(
        ServiceArea, to_field="code", db_column="service_area", on_delete=models.PROTECT, related_name="frameworks"
    )
    lead_authority = models.CharField(max_length=120)
    member_councils = models.TextField(blank=True, help_text="One council per line.")
    start_date = models.DateField()
    end_date = models.DateField()
    extension_options = models.CharField(
        max_length=50, blank=True, help_text="Extension periods in months, for example 12+12."
    )
    extensions_used = models.PositiveSmallIntegerField(default=0)
    lots_or_tiers = models.TextField(blank=True, help_text="How the framework is divided, for example 3 tiers.")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contracts:framework_detail", kwargs={"pk": self.pk})

    @property
    def member_council_list(self):
        return [line.strip() for line in self.member_councils.splitlines() if line.strip()]

    @property
    def extension_months(self) -> tuple[int, ...]:
        try:
            return dates.parse_extension_options(self.extension_options)
        except ValueError:
            return ()

    @property
    def current_end(self):
        if self.end_date is None:
            return None
        return dates.current_end(self.end_date, self.extension_months, self.extensions_used)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date"
        errors.update(dates.extension_errors(self.extension_options, self.extensions_used, holder="framework"))
        if errors:
            raise ValidationError(errors)


class FrameworkMembership(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="memberships")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="framework_memberships")
    lot = models.CharField(max_length=100, blank=True)
    tier = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 is called on first.")
    agreed_weekly_price = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    price_notes = models.CharField(max_length=200, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["framework", "tier", "provider__name"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "provider", "lot"], name="unique_framework_member_lot"),
        ]

    def __str__(self):
        tier = f" (tier {self.tier})" if self.tier else ""
        return f"{self.provider} on {self.framework}{tier}"

    def get_absolute_url(self):
        return reverse("contracts:framework_detail", kwargs={"pk": self.framework_id}) + f"#member-{self.pk}"

    def clean(self):
        errors = {}
        if self.tier is not None and self.tier < 1:
            errors["tier"] = "The tier must be 1 or more"
        framework = self.framework if self.framework_id else None
        if framework and self.joined_on and self.joined_on < framework.start_date:
            errors["joined_on"] = (
                f"The date joined must be on or after the framework starts ({framework.start_date:%-d %B %Y})"
            )
        if framework and self.provider_id:
            clash = FrameworkMembership.objects.filter(
                framework_id=self.framework_id, provider_id=self.provider_id, lot=self.lot or ""
            ).exclude(pk=self.pk)
            if clash.exists():
                where = f" in {self.lot}" if self.lot else ""
                errors["provider"] = f"{self.provider} is already on this framework{where}"
            elif self._state.adding and self.provider.status == ProviderStatus.CEASED:
                errors["provider"] = f"{self.provider} has ceased trading and cannot join a framework"
        if errors:
            raise ValidationError(errors)


class ContractType(models.TextChoices):
    BLOCK = "block", "Block contract"
    SPOT = "spot", "Spot purchase"
    FRAMEWORK_CALL_OFF = "framework_call_off", "Framework call-off"
    GRANT = "grant", "Grant agreement"
    SLA = "sla", "Service level agreement"
    IPA = "ipa", "Individual placement agreement"
    DPS_CALL_OFF = "dps_call_off", "Dynamic purchasing system call-off"


class ProcurementRoute(models.TextChoices):
    OPEN = "open", "Open procedure"
    RESTRICTED = "restricted", "Restricted procedure"
    COMPETITIVE_NEGOTIATION = "competitive_with_negotiation", "Competitive procedure with negotiation"
    COMPETITIVE_DIALOGUE = "competitive_dialogue", "Competitive dialogue"
    DIRECT_AWARD = "direct_award", "Direct award"
    FRAMEWORK = "framework", "Framework call-off"
    SPOT = "spot", "Spot purchase"
    GRANT = "grant", "Grant"


class FundingSource(models.TextChoices):
    COUNCIL = "council", "Council"
    HIGH_NEEDS = "high_needs", "Schools high-needs block (DSG)"
    JOINT = "joint", "Joint with health (ICB)"
    POOLED = "pooled", "Pooled budget"
    GRANT = "grant", "Government grant"


class Risk(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ContractStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    LIVE = "live", "Live"
    EXPIRED = "expired", "Expired"
    TERMINATED = "terminated", "Terminated early"


class ShownStatus(models.TextChoices):
    """What `dates.contract_status` gives: the statuses that can be recorded, and one that only the dates give."""

    NOT_STARTED = ContractStatus.NOT_STARTED.value, ContractStatus.NOT_STARTED.label
    LIVE = ContractStatus.LIVE.value, ContractStatus.LIVE.label
    ENDED_NO_DECISION = dates.ENDED_NO_DECISION, "Ended: no decision"
    EXPIRED = ContractStatus.EXPIRED.value, ContractStatus.EXPIRED.label
    TERMINATED = ContractStatus.TERMINATED.value, ContractStatus.TERMINATED.label


class Decision(models.TextChoices):
    EXTEND = "extend", "Extend"
    REPROCURE = "reprocure", "Re-procure"
    DECOMMISSION = "decommission", "Decommission"
    LET_EXPIRE = "let_expire", "Let expire"


def live_q(as_of, prefix: str = "") -> models.Q:
    """The "live on the date" rule as a filter, for contracts or (with `prefix="contracts__"`) through a relation:
    `dates.contract_status` is "live" (recorded as live, or with no status and the date in its term; never past
    its current end)."""
    return models.Q(**{f"{prefix}current_end__gte": as_of}) & (
        models.Q(**{f"{prefix}status": ContractStatus.LIVE})
        | models.Q(**{f"{prefix}status": "", f"{prefix}start_date__lte": as_of})
    )


def decision_recorded_q(as_of=None) -> models.Q:
    """A decision is recorded for the contract's current end (an extension moves the end and leaves it open);
    as at a day, one taken by then (core.periods, "Figures as at a day")."""
    recorded = models.Q(decision_for_end=models.F("current_end"))
    if as_of is not None:
        recorded &= models.Q(decision_on__isnull=True) | models.Q(decision_on__lte=as_of)
    return recorded


def status_expression(as_of) -> models.Case:
    """`dates.contract_status` in SQL, rule for rule."""
    past_end = models.Q(current_end__lt=as_of)
    return models.Case(
        models.When(status__in=dates.CLOSED, then=models.F("status")),
        models.When(past_end & decision_recorded_q(as_of), then=models.Value(ShownStatus.EXPIRED)),
        models.When(past_end, then=models.Value(ShownStatus.ENDED_NO_DECISION)),
        models.When(~models.Q(status=""), then=models.F("status")),
        models.When(start_date__gt=as_of, then=models.Value(ShownStatus.NOT_STARTED)),
        default=models.Value(ShownStatus.LIVE),
        output_field=models.CharField(),
    )


class ContractQuerySet(models.QuerySet):
    def with_status(self, as_of):
        return with_status(self, as_of)

    def live_on(self, as_of):
        """Live on the date: recorded as live, or with no status recorded and the date in its term
        (pure form: `dates.is_live`)."""
        return self.filter(live_q(as_of))

    def decision_overdue(self, as_of):
        """Pure form: `dates.decision_overdue`."""
        return self.live_on(as_of).undecided().filter(decision_due_on__lte=as_of, current_end__gte=as_of)

    def review_overdue(self, as_of):
        """Pure form: `dates.review_overdue`."""
        return self.alias(shown_status=status_expression(as_of)).filter(
            shown_status__in=[ShownStatus.LIVE, ShownStatus.ENDED_NO_DECISION], next_review_due__lt=as_of)

    def ended_no_decision(self, as_of):
        """Past the current end with no decision recorded for it (pure form: `dates.contract_status`)."""
        return self.alias(shown_status=status_expression(as_of)).filter(shown_status=ShownStatus.ENDED_NO_DECISION)

    def undecided(self):
        return self.filter(
            models.Q(decision_for_end__isnull=True) | ~models.Q(decision_for_end=models.F("current_end"))
        )


def with_status(queryset, as_of):
    """`effective_status`: the status `dates.contract_status` gives (see `status_expression`); and
    `decision_recorded`. Any queryset with a contract's fields: the register, or its history as at a day."""
    return queryset.annotate(
        effective_status=status_expression(as_of),
        decision_recorded=models.ExpressionWrapper(decision_recorded_q(as_of), output_field=models.BooleanField()),
    )


def award_and_signature_errors(awarded_on, signed_on, *, today) -> dict[str, str]:
    """The rules for a contract's award and signature dates, shared by the forms, the admin and the import."""
    errors = {}
    if awarded_on and awarded_on > today:
        errors["awarded_on"] = "The award date must be today or in the past"
    if signed_on and signed_on > today:
        errors["signed_on"] = "The date signed must be today or in the past"
    elif signed_on and awarded_on and signed_on < awarded_on:
        errors["signed_on"] = "The date signed must be the same as or after the award date"
    return errors


class Contract(models.Model):
    reference = models.CharField(max_length=50, unique=True)
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    service_area = models.ForeignKey(
        ServiceArea, to_field="code", db_column="service_area", on_delete=models.PROTECT, related_name="contracts"
    )
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="contracts")
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, null=True, blank=True, related_name="contracts",
        help_text="The framework or approved list this contract was called off, if any.",
    )
    contract_type = models.CharField(max_length=25, choices=ContractType.choices)
    procurement_route = models.CharField(max_length=30, choices=ProcurementRoute.choices)
    start_date = models.DateField()
    end_date = models.DateField("Original end date")
    extension_options = models.CharField(
        max_length=50, blank=True,
        help_text="Extension periods available after the original end, in months, separated by +. "
                  "For example 12+12 for two one-year extensions.",
    )
    extensions_used = models.PositiveSmallIntegerField(
        default=0, help_text="How many of the extensions have been taken."
    )
    annual_value = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    total_value = models.DecimalField(
        "Whole-life value", max_digits=15, decimal_places=2, validators=[MinValueValidator(0)],
        help_text="Including all extension options.",
    )
    irrecoverable_vat = models.DecimalField(
        "Irrecoverable VAT", max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text="VAT the council cannot recover on this contract, published under the Transparency Code. "
                  "Enter 0 if there is none; leave blank only while it is not known.",
    )
    awarded_on = models.DateField(
        "Award date", null=True, blank=True, help_text="When the decision to award the contract was made.",
    )
    signed_on = models.DateField(
        "Date signed", null=True, blank=True,
        help_text="When the contract was signed (the last signature, if several).",
    )
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices, default=FundingSource.COUNCIL)
    risk = models.CharField(
        max_length=10, choices=Risk.choices, default=Risk.MEDIUM,
        help_text="Sets how often the contract is reviewed: high monthly, medium quarterly, low annually.",
    )
    contract_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="managed_contracts"
    )
    manager_name = models.CharField(
        "Contract manager (name)", max_length=200, blank=True,
        help_text="The manager as the register names them. Kept when no account matches; an account with "
                  "this name is linked later. Only a manager with an account gets alerts.",
    )
    savings = models.DecimalField(
        "Savings negotiated", max_digits=14, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    social_value = models.TextField(blank=True, help_text="Social value commitments made by the provider.")
    indicators = models.ManyToManyField(
        "kpis.Indicator", blank=True, related_name="contracts", help_text="KPIs this contract is monitored against."
    )
    outcomes = models.ManyToManyField(
        "outcomes.Outcome", blank=True, related_name="contracts", help_text="Outcomes this contract contributes to."
    )
    status = models.CharField(
        "Recorded status", max_length=12, choices=ContractStatus.choices, blank=True,
        help_text="Leave blank to work it out from the dates.",
    )
    # The decision for the end of the term. Held against the end date it was made for, so an
    # extension (which moves the current end) leaves the new end undecided.
    decision = models.CharField(max_length=15, choices=Decision.choices, blank=True)
    decision_for_end = models.DateField(null=True, blank=True, editable=False)
    decision_on = models.DateField(null=True, blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True)
    # Derived by contracts.dates and kept in step by the services.
    current_end = models.DateField(editable=False)
    final_end = models.DateField("Final possible end", editable=False)
    decision_due_on = models.DateField(editable=False)
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    next_review_due = models.DateField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["current_end", "reference"]
        indexes = [
            models.Index(fields=["current_end", "reference"]),
            models.Index(fields=["decision_due_on"]),
            models.Index(fields=["next_review_due"]),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    @property
    def extension_months(self) -> tuple[int, ...]:
        try:
            return dates.parse_extension_options(self.extension_options)
        except ValueError:
            return ()

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The original end date must be the same as or after the start date"
        errors.update(dates.extension_errors(self.extension_options, self.extensions_used, holder="contract"))
        errors.update(award_and_signature_errors(self.awarded_on, self.signed_on, today=timezone.localdate()))
        if (
            self.annual_value is not None and self.total_value is not None
            and self.total_value < self.annual_value and self.annual_value > 0
            and self.start_date and self.end_date and (self.end_date - self.start_date).days >= 365
        ):
            errors["total_value"] = (
                "The whole-life value must be at least the annual value for a contract of a year or more"
            )
        if errors:
            raise ValidationError(errors)


class ReviewKind(models.TextChoices):
    REVIEW_MEETING = "review_meeting", "Contract review meeting"
    QUALITY_VISIT = "quality_visit", "Quality assurance visit"
    AUDIT = "audit", "Audit"


class ReviewRating(models.TextChoices):
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    CONCERNS = "concerns", "Some concerns"
    POOR = "poor", "Serious concerns"


class ContractReview(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField("Date of review")
    kind = models.CharField(max_length=20, choices=ReviewKind.choices, default=ReviewKind.REVIEW_MEETING)
    rating = models.CharField(max_length=10, choices=ReviewRating.choices)
    findings = models.TextField(blank=True)
    actions = models.TextField("Actions agreed", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.contract.reference} on {self.reviewed_on:%d %b %Y}"

    def get_absolute_url(self):
        return reverse("contracts:detail", kwargs={"pk": self.contract_id}) + f"#review-{self.pk}"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "Procurement under way"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class ProcurementPlanItem(models.Model):
    title = models.CharField(max_length=250)
    service_area = models.ForeignKey(
        ServiceArea, to_field="code", db_column="service_area", on_delete=models.PROTECT, related_name="plan_items"
    )
    description = models.TextField(blank=True)
    estimated_value = models.DecimalField(
        "Estimated whole-life value", max_digits=15, decimal_places=2, validators=[MinValueValidator(0)]
    )
    procurement_route = models.CharField(max_length=30, choices=ProcurementRoute.choices, blank=True)
    planned_start = models.DateField("Procurement starts")
    planned_award = models.DateField("Contract award")
    planned_contract_start = models.DateField("Contract starts", null=True, blank=True)
    key_decision = models.BooleanField(
        default=False, help_text="A key decision must be on the forward plan and approved before award."
    )
    approving_body = models.CharField(max_length=120, blank=True, help_text="For example Finance Sub-Committee.")
    approved_on = models.DateField("Approval date", null=True, blank=True)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaces = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="replacement_plans",
        help_text="The contract this procurement replaces, if any.",
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_items",
        help_text="The contract this procurement became.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_award", "title"]
        verbose_name = "procurement plan item"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contracts:pipeline") + f"#plan-{self.pk}"

    def clean(self):
        errors = {}
        if self.planned_start and self.planned_award and self.planned_award < self.planned_start:
            errors["planned_award"] = "The contract award date must be the same as or after the procurement starts"
        if self.planned_award and self.planned_contract_start and self.planned_contract_start < self.planned_award:
            errors["planned_contract_start"] = "The contract start date must be the same as or after the award date"
        if self.approved_on:
            if self.approved_on > timezone.localdate():
                errors["approved_on"] = "The approval date must be today or in the past"
            elif self.key_decision and self.planned_award and self.approved_on > self.planned_award:
                errors["approved_on"] = "A key decision must be approved on or before the contract award date"
            if not self.approving_body.strip():
                errors["approving_body"] = "Enter the body that gave the approval, for example Cabinet"
        if self.key_decision and self.status == PlanStatus.AWARDED and not self.approved_on:
            errors["approved_on"] = "Enter the approval date: a key decision must be approved before award"
        if self.contract_id and self.status != PlanStatus.AWARDED:
            errors["contract"] = "Only an awarded procurement has a contract: set the status to Awarded or clear it"
        if errors:
            raise ValidationError(errors)


class AlertKind(models.TextChoices):
    DECISION_DUE = "decision_due", "Decision due on the contract's end"
    PAST_END = "past_end", "Past its end date with no decision recorded"
    REVIEW_OVERDUE = "review_overdue", "Review overdue"


class AlertSent(models.Model):
    """One row per alert emailed, so the same alert (contract, kind, due date) is never sent twice."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="alerts_sent")
    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    due_on = models.DateField(help_text="The date the alert is about: decision due, end, or review due.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "alert sent"
        verbose_name_plural = "alerts sent"
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind", "due_on"], name="unique_alert_per_due_date"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.contract_id} ({self.due_on})"
