"""Children looked after, their placements, costs, agreements and panel reviews.

Child data is special category data under UK GDPR. A child is known here only by a
pseudonymous reference: no names, month and year of birth only, postcode districts
only (never a full postcode). placements/tests/test_privacy.py enforces this for every
model in the project.

Placement types, provider kinds, legal statuses and reasons use the DfE SSDA903 codes, kept
as reference data (loaded by migration 0002) with the collection years each code is valid.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.formatting import format_money

from . import rules

# An outward code only ("RG1", "SW1A"): never the inward part that narrows it to a street.
district_validator = RegexValidator(
    r"^[A-Z]{1,2}[0-9][0-9A-Z]?$", "Enter a postcode district such as RG1 or SW1A (not a full postcode)."
)
DISTRICT_MAX_LENGTH = 4


class CodeQuerySet(models.QuerySet):
    def valid_in(self, year: int):
        """Codes valid in the collection year ending 31 March of `year`."""
        return self.filter(models.Q(valid_from_year__isnull=True) | models.Q(valid_from_year__lte=year)).filter(
            models.Q(valid_to_year__isnull=True) | models.Q(valid_to_year__gte=year)
        )


class Code(models.Model):
    """An SSDA903 code and the collection years (ending 31 March) it is valid for."""

    code = models.CharField(max_length=8, unique=True)
    description = models.CharField(max_length=250)
    valid_from_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="First collection year.")
    valid_to_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Last collection year.")

    objects = CodeQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}: {self.description}"


class PlacementTypeGroup(models.TextChoices):
    IN_HOUSE_FOSTERING = "in_house_fostering", "In-house fostering"
    AGENCY_FOSTERING = "agency_fostering", "Agency fostering (IFA)"
    RELATIVE_FRIEND_FOSTERING = "relative_friend_fostering", "Relative or friend fostering"
    CHILDRENS_HOMES = "childrens_homes", "Children's homes"
    RESIDENTIAL_SCHOOLS = "residential_schools", "Residential schools"
    SECURE = "secure", "Secure"
    PLACED_FOR_ADOPTION = "placed_for_adoption", "Placed for adoption"
    WITH_PARENTS = "with_parents", "Placed with parents"
    SUPPORTED_INDEPENDENT = "supported_independent", "Supported or independent living"
    OTHER = "other", "Other"


class PlacementCategory(models.TextChoices):
    """What a PLACE code is, before the provider is known (fostering splits by provider)."""

    FOSTER_OTHER = "foster_other", "Foster care (not relative or friend)"
    FOSTER_RELATIVE = "foster_relative", "Foster care with relative or friend"
    CHILDRENS_HOME = "childrens_home", "Children's home"
    RESIDENTIAL_SCHOOL = "residential_school", "Residential school"
    SECURE = "secure", "Secure"
    ADOPTION = "adoption", "Placed for adoption"
    PARENTS = "parents", "With parents"
    INDEPENDENT = "independent", "Supported or independent living"
    TEMPORARY = "temporary", "Temporary"
    OTHER = "other", "Other"


class PlacementType(Code):
    """SSDA903 PLACE."""

    category = models.CharField(max_length=24, choices=PlacementCategory.choices)
    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name = "placement type (PLACE)"

    @property
    def is_temporary(self):
        return self.category == PlacementCategory.TEMPORARY


class ProviderKind(models.TextChoices):
    PARENTS = "parents", "Parents"
    OWN_COUNCIL = "own_council", "Own council"
    OTHER_COUNCIL = "other_council", "Other council"
    OTHER_PUBLIC = "other_public", "Other public"
    PRIVATE = "private", "Private"
    VOLUNTARY = "voluntary", "Voluntary or third sector"


class PlacementProvider(Code):
    """SSDA903 PLACE_PROVIDER (PR0-PR5)."""

    kind = models.CharField(max_length=16, choices=ProviderKind.choices)
    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name = "placement provider kind (PLACE_PROVIDER)"

    @property
    def is_external(self):
        return self.kind in rules.EXTERNAL_PROVIDER_KINDS


class LegalStatus(Code):
    """SSDA903 LS."""

    is_short_break = models.BooleanField(default=False, help_text="V3 and V4: not counted as looked after.")
    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name = "legal status (LS)"
        verbose_name_plural = "legal statuses (LS)"


class ReasonNewEpisode(Code):
    """SSDA903 RNE."""

    starts_placement = models.BooleanField(default=True, help_text="False for L: a legal status change only.")
    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name = "reason for new episode (RNE)"
        verbose_name_plural = "reasons for new episode (RNE)"


class ReasonEpisodeCeased(Code):
    """SSDA903 REC."""

    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name = "reason episode ceased (REC)"
        verbose_name_plural = "reasons episode ceased (REC)"


class ReasonPlaceChange(Code):
    """SSDA903 REASON_PLACE_CHANGE."""

    history = HistoricalRecords()

    class Meta(Code.Meta):
        verbose_name = "reason for placement change"


class PostcodeDistrict(models.Model):
    """Centroid of a postcode district, for straight-line distances between home and placement."""

    code = models.CharField(max_length=DISTRICT_MAX_LENGTH, unique=True, validators=[district_validator])
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    local_authority = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class Sex(models.TextChoices):
    """The 903's SEX: 1 and 2 until 2023-24; M, F and U from 2024-25 (the import reads both)."""

    MALE = "1", "Male"
    FEMALE = "2", "Female"
    NOT_KNOWN = "U", "Not known or indeterminate"


# SEX as a return gives it, by its collection year (ending 31 March): 1 and 2 until 2023-24; M, F and U from
# 2024-25 (U is stored as it comes).
SEX_UNTIL_2024 = {"1": Sex.MALE, "2": Sex.FEMALE}
SEX_FROM_2025 = {"M": Sex.MALE, "F": Sex.FEMALE, "U": Sex.NOT_KNOWN}


def sex_codes(collection_year: int | None) -> dict[str, str]:
    """The SEX codes a return of this collection year uses, and what each is stored as. A return with no
    readable date has no year: either set is read."""
    if collection_year is None:
        return SEX_UNTIL_2024 | SEX_FROM_2025
    return SEX_UNTIL_2024 if collection_year < 2025 else SEX_FROM_2025


class Child(models.Model):
    """A child looked after, known only by a pseudonymous reference."""

    reference = models.CharField(
        max_length=20, unique=True, help_text="The pseudonymous CHILD reference from the 903 return."
    )
    sex = models.CharField(max_length=1, choices=Sex.choices)
    birth_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    birth_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    ethnicity = models.CharField(max_length=4, blank=True, help_text="DfE ethnicity code, e.g. WBRI.")
    unaccompanied_asylum_seeking = models.BooleanField(default=False)
    send = models.BooleanField("SEND", default=False, help_text="Special educational needs or disability.")
    ehc_plan = models.BooleanField("EHC plan", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        verbose_name_plural = "children"

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("placements:child", kwargs={"pk": self.pk})


class Route(models.TextChoices):
    IN_HOUSE = "in_house", "In-house"
    FRAMEWORK = "framework", "Framework"
    APPROVED_PROVIDER_LIST = "approved_provider_list", "Approved provider list"
    DPS = "dps", "Dynamic purchasing system"
    SPOT = "spot", "Spot purchase"
    BLOCK = "block", "Block contract"


class PlacementSource(models.TextChoices):
    """Where a placement was first recorded. Only placements that came from a 903 return can be
    removed by a later (corrected) return; those entered in the app never are."""

    RETURN = "ssda903", "SSDA903 return"
    APP = "app", "Entered in the app"


def covering_q(day, prefix: str = "") -> models.Q:
    """In place on the day: started on or before it and not ended by it (the end day is the day it
    ended, so a placement ending on the day is no longer in place). For placements and episodes."""
    return models.Q(**{f"{prefix}start__lte": day}) & (
        models.Q(**{f"{prefix}end__isnull": True}) | models.Q(**{f"{prefix}end__gt": day})
    )


# A placement with no provider kind: DfE's other placements (PLACE Z1, Z11-Z14), whose PLACE_PROVIDER is blank.
NO_PROVIDER_LABEL = "No provider (DfE: other placement)"
PROVIDER_KIND_NEEDED = ("Select the provider kind: only DfE's other placements (Z1, Z11 to Z14) are recorded "
                        "with none")


class PlacementQuerySet(models.QuerySet):
    def active_on(self, day):
        return self.filter(covering_q(day))


class Placement(models.Model):
    """A period in one placement, made of one or more 903 episodes (RNE L continues it)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="placements")
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="The day the placement ended (903 DEC).")
    placement_type = models.ForeignKey(PlacementType, on_delete=models.PROTECT, verbose_name="placement type")
    provider_kind = models.ForeignKey(
        PlacementProvider, on_delete=models.PROTECT, null=True, blank=True, verbose_name="provider kind",
        help_text="Blank only for the PLACE codes DfE says have no provider (other placements: Z1, Z11-Z14).",
    )
    reason_new_episode = models.ForeignKey(ReasonNewEpisode, on_delete=models.PROTECT, null=True, blank=True)
    reason_ended = models.ForeignKey(ReasonEpisodeCeased, on_delete=models.PROTECT, null=True, blank=True)
    reason_for_change = models.ForeignKey(ReasonPlaceChange, on_delete=models.PROTECT, null=True, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=10, blank=True)
    provider = models.ForeignKey(
        "contracts.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="placements",
    )
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="placements",
        help_text="The contract the placement was bought under, where bought.",
    )
    framework = models.ForeignKey(
        "contracts.Framework", on_delete=models.PROTECT, null=True, blank=True, related_name="placements",
        help_text="The framework it was called off from, where it was.",
    )
    route = models.CharField(max_length=24, choices=Route.choices, default=Route.IN_HOUSE)
    in_area = models.BooleanField("inside the council's area", null=True, blank=True)
    home_district = models.CharField(
        max_length=DISTRICT_MAX_LENGTH, blank=True, validators=[district_validator],
        help_text="Postcode district of the home the child was removed from (e.g. RG1).",
    )
    placement_district = models.CharField(
        max_length=DISTRICT_MAX_LENGTH, blank=True, validators=[district_validator],
        help_text="Postcode district of the placement (e.g. RG30).",
    )
    recorded_distance_miles = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True,
        help_text="Distance recorded by the social worker, used when a district centroid is not known.",
    )
    distance_miles = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, editable=False,
        help_text="Straight-line distance between district centroids, else the recorded distance.",
    )
    care_period_start = models.DateField(
        null=True, blank=True, help_text="The day the child's current period of care began (for long-term stability).",
    )
    source = models.CharField(
        max_length=8, choices=PlacementSource.choices, default=PlacementSource.APP, editable=False,
        help_text="Where the placement was first recorded. A corrected 903 return may remove placements that came "
                  "from a return, never those entered in the app.",
    )
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "pk"]
        indexes = [models.Index(fields=["start", "end"]), models.Index(fields=["child", "start"])]
        permissions = [("view_sufficiency", "Can view sufficiency measures (aggregate)")]

    def __str__(self):
        return f"{self.child.reference} from {self.start:%d/%m/%Y} ({self.placement_type.code})"

    def get_absolute_url(self):
        return reverse("placements:placement", kwargs={"pk": self.pk})

    def clean(self):
        if self.end and self.start and self.end < self.start:
            raise ValidationError({"end": "The end date must be on or after the start date."})
        if (self.provider_kind_id is None and self.placement_type_id is not None
                and rules.provider_kind_needed(self.placement_type.code)):
            raise ValidationError({"provider_kind": PROVIDER_KIND_NEEDED})

    @property
    def provider_kind_label(self) -> str:
        """Who provides it, as pages show it: the provider kind, or that DfE gives this placement none."""
        return self.provider_kind.get_kind_display() if self.provider_kind_id else NO_PROVIDER_LABEL

    @property
    def is_external(self) -> bool:
        """Needs an IPA: see rules.is_external (read the provider kind with select_related)."""
        kind = self.provider_kind.kind if self.provider_kind_id else None
        return rules.is_external(provider_kind=kind, route=self.route)


class Episode(models.Model):
    """A 903 episode: a period with one legal status and placement. Kept for legal status on a day."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="episodes")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="episodes")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    legal_status = models.ForeignKey(LegalStatus, on_delete=models.PROTECT)
    reason_new_episode = models.ForeignKey(ReasonNewEpisode, on_delete=models.PROTECT, null=True, blank=True)
    reason_ended = models.ForeignKey(ReasonEpisodeCeased, on_delete=models.PROTECT, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["child", "start"]
        constraints = [models.UniqueConstraint(fields=["child", "start"], name="placements_episode_child_start")]
        indexes = [models.Index(fields=["start", "end"])]

    def __str__(self):
        return f"{self.child.reference} episode from {self.start:%d/%m/%Y}"


class AgreementStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    DRAFTED = "drafted", "Drafted"
    ISSUED = "issued", "Issued"
    SIGNED = "signed", "Signed"


class Payer(models.TextChoices):
    SOCIAL_CARE = "social_care", "Social care"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"


class PlacementAgreement(models.Model):
    """The Individual Placement Agreement (IPA) for an external placement.

    Weekly cost split as in the regional Placements Data Standard; each part has a payer.
    """

    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="agreement")
    status = models.CharField(max_length=12, choices=AgreementStatus.choices, default=AgreementStatus.NOT_STARTED)
    drafted_on = models.DateField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    signed_on = models.DateField(null=True, blank=True)
    core_weekly = models.DecimalField("core cost a week", max_digits=9, decimal_places=2, default=0)
    core_payer = models.CharField(max_length=12, choices=Payer.choices, default=Payer.SOCIAL_CARE)
    additional_support_weekly = models.DecimalField(
        "additional support a week", max_digits=9, decimal_places=2, default=0
    )
    additional_support_payer = models.CharField(max_length=12, choices=Payer.choices, default=Payer.SOCIAL_CARE)
    education_weekly = models.DecimalField("education a week", max_digits=9, decimal_places=2, default=0)
    education_payer = models.CharField(max_length=12, choices=Payer.choices, default=Payer.EDUCATION)
    other_weekly = models.DecimalField("other costs a week", max_digits=9, decimal_places=2, default=0)
    other_payer = models.CharField(max_length=12, choices=Payer.choices, default=Payer.SOCIAL_CARE)
    outcomes_agreed = models.TextField("outcomes agreed for the child", blank=True)
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "individual placement agreement (IPA)"
        ordering = ["placement__start"]

    def __str__(self):
        return f"IPA for {self.placement}"

    def get_absolute_url(self):
        return self.placement.get_absolute_url()

    @property
    def total_weekly(self):
        return self.core_weekly + self.additional_support_weekly + self.education_weekly + self.other_weekly

    def clean(self):
        order = [("drafted_on", AgreementStatus.DRAFTED), ("issued_on", AgreementStatus.ISSUED),
                 ("signed_on", AgreementStatus.SIGNED)]
        rank = {s: i for i, s in enumerate(AgreementStatus.values)}
        errors = {}
        for field, status in order:
            if rank[self.status] >= rank[status] and getattr(self, field) is None:
                errors[field] = f"Enter the date it was {status.label.lower()}."
        if errors:
            raise ValidationError(errors)


class CostKind(models.TextChoices):
    INITIAL = "initial", "Initial price"
    UPLIFT = "uplift", "Fee uplift"
    ADDITIONAL_SUPPORT = "additional_support", "Added support (e.g. 1:1)"
    REDUCTION = "reduction", "Reduction"
    OTHER = "other", "Other change"


class CostStatus(models.TextChoices):
    IN_FORCE = "in_force", "In force"
    AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
    REJECTED = "rejected", "Rejected"


class CostLineQuerySet(models.QuerySet):
    def in_force_on(self, day):
        return self.filter(status=CostStatus.IN_FORCE, effective_from__lte=day).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=day)
        )


class CostLine(models.Model):
    """A dated change to a placement's weekly cost. The cost on a day is the sum of lines in force then."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="cost_lines")
    kind = models.CharField(max_length=20, choices=CostKind.choices)
    weekly_amount = models.DecimalField(
        max_digits=9, decimal_places=2, help_text="Change to the weekly cost in pounds; negative for a reduction."
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Leave blank if the change is open-ended.")
    reason = models.TextField()
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="placement_costs_agreed"
    )
    status = models.CharField(max_length=20, choices=CostStatus.choices, default=CostStatus.IN_FORCE)
    needs_approval = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="placement_costs_approved",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CostLineQuerySet.as_manager()

    class Meta:
        ordering = ["placement", "effective_from", "pk"]
        permissions = [("approve_costline", "Can approve a placement cost change (second person)")]
        indexes = [models.Index(fields=["placement", "status", "effective_from"])]

    def __str__(self):
        return (f"{self.get_kind_display()} {format_money(self.weekly_amount, places=2)} a week from "
                f"{self.effective_from:%d/%m/%Y}")

    def get_absolute_url(self):
        return self.placement.get_absolute_url()

    def clean(self):
        if self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": "The end date must be on or after the start date."})


class PanelDecision(models.TextChoices):
    CONTINUE = "continue", "Continue"
    STEP_DOWN = "step_down", "Step down"
    END = "end", "End"
    RENEGOTIATE = "renegotiate", "Renegotiate"


class PanelReview(models.Model):
    """A Solutions Panel review of a placement: due on a date, then held with a decision."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="panel_reviews")
    due_on = models.DateField()
    held_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=PanelDecision.choices, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Panel review of {self.placement} due {self.due_on:%d/%m/%Y}"

    def get_absolute_url(self):
        return self.placement.get_absolute_url()

    def clean(self):
        if self.held_on and not self.decision:
            raise ValidationError({"decision": "Select the panel's decision."})
        if self.decision and not self.held_on:
            raise ValidationError({"held_on": "Enter the date the panel met."})


class ChildPageView(models.Model):
    """Who opened which child's page, and when. An append-only access log (no history of its own)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="page_views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="child_page_views")
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} viewed {self.child} at {self.viewed_at:%d/%m/%Y %H:%M}"


class DfeCheckStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to run"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Could not run"


class DfeCheck(models.Model):
    """The DfE's validation rules for the 903 (csc-validator-be-903) run on one uploaded return.

    Only what the rules found is kept: rule, description and the rows by file row number and CHILD
    reference (pseudonymous). The return's tables are held in DfeCheckUpload until the check has run."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=DfeCheckStatus.choices, default=DfeCheckStatus.QUEUED)
    header_file = models.CharField(max_length=255, blank=True)
    episodes_file = models.CharField(max_length=255, blank=True)
    header_rows = models.PositiveIntegerField(default=0)
    episodes_rows = models.PositiveIntegerField(default=0)
    collection_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="The return's collection year (ending 31 March, e.g. 2025 for 2024-25): "
        "the rules are checked as at its end."
    )
    ruleset_year = models.PositiveIntegerField(
        null=True, blank=True, help_text="The year whose rules were used: the return's own, or the nearest the "
        "validator has."
    )
    rules_run = models.PositiveIntegerField(default=0)
    rules_not_applicable = models.PositiveIntegerField(
        default=0, help_text="Rules that need a table the 903 import does not take (OC2, OC3, AD1, reviews...)."
    )
    validator_version = models.CharField(max_length=20, blank=True)
    notes = models.TextField(blank=True)
    error = models.TextField(blank=True, help_text="Why the check as a whole could not run.")

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"DfE check of {self.episodes_file or 'a 903 return'} ({self.get_status_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.status in (DfeCheckStatus.DONE, DfeCheckStatus.FAILED)


class DfeFinding(models.Model):
    """What one DfE rule found in a checked return: the rows it flags, or why it could not be checked."""

    check_run = models.ForeignKey(DfeCheck, on_delete=models.CASCADE, related_name="findings")
    rule_code = models.CharField(max_length=20)
    description = models.TextField()
    fields = models.CharField(max_length=250, blank=True, help_text="The 903 fields the rule looks at.")
    row_count = models.PositiveIntegerField(default=0)
    # [["episodes", 12, "100001"], ...]: file, spreadsheet row number (1 is the column names), CHILD
    rows = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, help_text="Why this rule could not be checked.")

    class Meta:
        ordering = ["check_run", "rule_code"]
        constraints = [models.UniqueConstraint(fields=["check_run", "rule_code"], name="dfe_finding_one_per_rule")]

    def __str__(self):
        return f"Rule {self.rule_code}: {self.row_count} row(s)"


class DfeCheckUpload(models.Model):
    """The 903 columns the DfE rules read (full dates of birth, UPNs and postcodes among them), held only
    until the check has run: the check deletes this row whether it succeeds or fails, and a nightly sweep
    deletes any older than DFE_CHECK_UPLOAD_MAX_HOURS (a check that never ran). No history, no admin view of
    the content: this is the one place the raw return is held, briefly."""

    check_run = models.OneToOneField(DfeCheck, on_delete=models.CASCADE, related_name="upload")
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    # {"columns": [...], "rows": [[row number, cell, cell, ...], ...]} for each file
    header = models.JSONField()
    episodes = models.JSONField()

    class Meta:
        ordering = ["created"]

    def __str__(self):
        return f"Return held for DfE check {self.check_run_id} since {self.created:%d/%m/%Y %H:%M}"


class ReturnImport(models.Model):
    """One saved 903 import: who, when, what it did, and the children it skipped.

    Only derived, pseudonymous figures are kept, never the files."""

    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True, db_index=True)
    collection_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year ending 31 March that holds the return's latest date."
    )
    skip_invalid_children = models.BooleanField(
        default=False, help_text="Children with a problem were skipped and the rest imported."
    )
    children_imported = models.PositiveIntegerField(default=0)
    children_skipped = models.PositiveIntegerField(default=0)
    placements_created = models.PositiveIntegerField(default=0)
    placements_updated = models.PositiveIntegerField(default=0)
    placements_removed = models.PositiveIntegerField(default=0)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"903 return imported {self.imported_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("placements:return_import", kwargs={"pk": self.pk})


class SkippedChild(models.Model):
    """A child a 903 import left out because a row of theirs had a problem. It stays "not imported"
    until a later return speaks for the child again (imports them, or skips them afresh)."""

    return_import = models.ForeignKey(ReturnImport, on_delete=models.CASCADE, related_name="skipped_children")
    reference = models.CharField(max_length=20, blank=True, help_text="CHILD; blank for rows with no CHILD.")
    header_rows = models.JSONField(default=list, blank=True, help_text="The child's row numbers in the header file.")
    episode_rows = models.JSONField(default=list, blank=True, help_text="The child's row numbers in the episodes file.")
    # [{"row": 12, "column": "episodes: PLACE", "message": "..."}]: values that could identify a child
    # (dates of birth, postcodes) are never repeated in a message kept here.
    problems = models.JSONField(default=list, blank=True)
    replaced_by = models.ForeignKey(
        ReturnImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The later import that spoke for this child again.",
    )

    class Meta:
        ordering = ["return_import", "reference"]
        indexes = [models.Index(fields=["reference", "replaced_by"])]

    def __str__(self):
        return f"{self.reference or 'Rows with no CHILD'} not imported"
