from django import forms
from django.core.exceptions import ValidationError

from core.fields import DateField, DateText
from core.import_views import MAX_UPLOAD_BYTES
from core.imports import parse_decimal

from . import rules
from .models import AgreementStatus, CostKind, PanelDecision, Payer
from .selectors import IPA_WAITING_BANDS


class MoneyText(forms.CharField):
    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            amount = parse_decimal(text)
        except ValueError as exc:
            raise ValidationError(f"Enter {self.label.lower()} as an amount, like 1,250.00") from exc
        if amount.as_tuple().exponent < -2 or abs(amount) >= 10_000_000:
            raise ValidationError(f"Enter {self.label.lower()} in pounds and pence, under £10,000,000")
        return amount


class AsOfForm(forms.Form):
    as_of = DateText(label="Figures as of", required=False, help_text="For example, 31/03/2025. Blank for today.")


class IpaQueueForm(AsOfForm):
    status = forms.ChoiceField(label="IPA status", required=False)
    provider = forms.ModelChoiceField(label="Provider", required=False, queryset=None, empty_label="All providers")
    waiting = forms.ChoiceField(label="Waiting", required=False)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status not signed")] + [
            c for c in AgreementStatus.choices if c[0] != AgreementStatus.SIGNED
        ]
        self.fields["provider"].queryset = providers
        self.fields["waiting"].choices = [("", "Any time")] + [(k, v[0]) for k, v in IPA_WAITING_BANDS.items()]


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of change", choices=CostKind.choices)
    weekly_amount = MoneyText(
        label="Change to the weekly cost (£)",
        help_text="For a first price, the full weekly cost. For a reduction, the amount it goes down by.",
    )
    effective_from = DateField(label="Takes effect from", label_text="the date the change takes effect")
    effective_to = DateField(label="Ends on", label_text="the date the change ends", required=False,
                             help_text="Leave blank if the change is open-ended.")
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        data = super().clean()
        if data.get("weekly_amount") is not None and data["weekly_amount"] <= 0:
            self.add_error("weekly_amount", "Enter the amount as a positive number; choose Reduction to lower the cost")
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", "The end date must be on or after the date it takes effect")
        return data


class CostDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("approve", "Approve: the change takes effect"),
                 ("reject", "Reject: the change does not take effect")],
    )


class AgreementForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=AgreementStatus.choices)
    drafted_on = DateField(label="Date drafted", label_text="the date the IPA was drafted", required=False, past=True)
    issued_on = DateField(label="Date issued to the provider", label_text="the date the IPA was issued",
                          required=False, past=True)
    signed_on = DateField(label="Date signed", label_text="the date the IPA was signed", required=False, past=True)
    core_weekly = MoneyText(label="Core cost a week (£)", required=False)
    core_payer = forms.ChoiceField(label="Core cost paid by", choices=Payer.choices)
    additional_support_weekly = MoneyText(label="Additional support a week (£)", required=False)
    additional_support_payer = forms.ChoiceField(label="Additional support paid by", choices=Payer.choices)
    education_weekly = MoneyText(label="Education a week (£)", required=False)
    education_payer = forms.ChoiceField(label="Education paid by", choices=Payer.choices, initial=Payer.EDUCATION)
    other_weekly = MoneyText(label="Other costs a week (£)", required=False)
    other_payer = forms.ChoiceField(label="Other costs paid by", choices=Payer.choices)
    outcomes_agreed = forms.CharField(label="Outcomes agreed for the child", required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    review_date = DateField(label="Review date", label_text="the review date", required=False)


class PanelReviewForm(forms.Form):
    held_on = DateField(label="Date the panel met", label_text="the date the panel met", past=True)
    decision = forms.ChoiceField(label="Decision", choices=PanelDecision.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                            help_text="No names: refer to the child by reference only.")
    next_due_on = DateField(label="Next review due", label_text="the date the next review is due", required=False,
                            help_text="Leave blank if none is planned.")


class Import903Form(forms.Form):
    header = forms.FileField(label="Header file", help_text="The return's header CSV (CHILD, SEX, DOB...).",
                             error_messages={"required": "Select the header file"})
    episodes = forms.FileField(label="Episodes file", help_text="The return's episodes CSV (CHILD, DECOM, RNE...).",
                               error_messages={"required": "Select the episodes file"})

    def clean(self):
        data = super().clean()
        for name in ("header", "episodes"):
            upload = data.get(name)
            if upload is None:
                continue
            if not upload.name.lower().endswith((".csv", ".xlsx")):
                self.add_error(name, "The selected file must be a CSV or an Excel workbook (.xlsx)")
            elif upload.size > MAX_UPLOAD_BYTES:
                self.add_error(name, "The selected file must be smaller than 20MB")
        return data


class ConfirmReturnForm(forms.Form):
    """The second step of a 903 upload: import what the check showed. Removals are confirmed apart, by name."""

    confirm_removals = forms.BooleanField(required=False)

    def __init__(self, *args, removals: int, skip: bool, **kwargs):
        super().__init__(*args, prefix="skip" if skip else None, **kwargs)
        self.removals, self.skip = removals, skip
        placements = f"{removals} placement{'s' if removals != 1 else ''}"
        self.fields["confirm_removals"].label = f"Yes, remove the {placements} listed above"
        self.fields["confirm_removals"].help_text = ("A removed placement's episodes go with it. The history keeps "
                                                     "what was removed and who imported the return.")

    def clean(self):
        data = super().clean()
        if self.removals and not data.get("confirm_removals"):
            self.add_error("confirm_removals", "Confirm that the placements listed should be removed, or cancel and "
                                               "correct the return")
        return data


def _district_clean(value):
    from . import rules

    if not value:
        return ""
    try:
        return rules.postcode_district(value)
    except ValueError as exc:
        raise ValidationError("Enter a postcode district such as RG1 (a full postcode is cut to its district)") from exc


class DistrictText(forms.CharField):
    """A district, or a full postcode cut to its district on the way in (never stored whole)."""

    def clean(self, value):
        return _district_clean(super().clean(value))


YES_NO_UNKNOWN = [("", "Not known"), ("yes", "Yes"), ("no", "No")]


class PlacementDetailsForm(forms.Form):
    """What a placements officer records about a placement (the 903 carries the rest)."""

    placement_type = forms.ModelChoiceField(queryset=None, label="Placement type (903 PLACE)")
    provider_kind = forms.ModelChoiceField(
        queryset=None, required=False, label="Provider kind (903 PLACE_PROVIDER)",
        empty_label="None: a DfE other placement (Z1, Z11 to Z14)",
        help_text="Needed for every placement type except DfE's other placements (Z1, Z11 to Z14), which the "
                  "903 gives no provider.",
    )
    provider = forms.ModelChoiceField(queryset=None, required=False, label="Provider")
    route = forms.ChoiceField(label="How it was bought")
    framework = forms.ModelChoiceField(queryset=None, required=False, label="Framework or approved list")
    contract = forms.ModelChoiceField(queryset=None, required=False, label="Contract")
    ofsted_urn = forms.CharField(label="Ofsted URN", required=False, max_length=10)
    home_district = DistrictText(label="Home postcode district", required=False, max_length=8,
                                 help_text="For example, RG1. A full postcode is cut to its district.")
    placement_district = DistrictText(label="Placement postcode district", required=False, max_length=8)
    recorded_distance_miles = MoneyText(label="Distance from home in miles, if known", required=False,
                                        help_text="Used only when either district's centre is not known.")
    in_area = forms.ChoiceField(label="Inside the council's area", choices=YES_NO_UNKNOWN, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from contracts.models import Contract, Framework, Provider

        from .models import PlacementProvider, PlacementType, Route

        self.fields["placement_type"].queryset = PlacementType.objects.all()
        self.fields["provider_kind"].queryset = PlacementProvider.objects.all()
        self.fields["provider"].queryset = Provider.objects.order_by("name")
        self.fields["framework"].queryset = Framework.objects.order_by("name")
        self.fields["contract"].queryset = Contract.objects.order_by("reference")
        self.fields["route"].choices = Route.choices

    def clean_in_area(self):
        return {"yes": True, "no": False}.get(self.cleaned_data.get("in_area"))

    def clean(self):
        data = super().clean()
        place = data.get("placement_type")
        if place is not None and data.get("provider_kind") is None and rules.provider_kind_needed(place.code):
            field = self.fields["provider_kind"]
            self.add_error("provider_kind", ValidationError(field.error_messages["required"], code="required"))
        return data

    def clean_recorded_distance_miles(self):
        value = self.cleaned_data.get("recorded_distance_miles")
        if value is not None and not (0 <= value < 1000):
            raise ValidationError("Enter a distance between 0 and 1,000 miles")
        return value


class PlacementEditForm(PlacementDetailsForm):
    end = DateField(label="End date", label_text="the end date", required=False,
                    help_text="Leave blank while the placement continues.")
    reason_ended = forms.ModelChoiceField(queryset=None, required=False, label="Reason ended (903 REC)")
    reason_for_change = forms.ModelChoiceField(queryset=None, required=False, label="Reason for the move")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ReasonEpisodeCeased, ReasonPlaceChange

        self.fields["reason_ended"].queryset = ReasonEpisodeCeased.objects.all()
        self.fields["reason_for_change"].queryset = ReasonPlaceChange.objects.all()


class PlacementCreateForm(PlacementDetailsForm):
    child_reference = forms.CharField(
        label="Child reference", max_length=20,
        help_text="The pseudonymous reference used in the 903 return. Never a name.",
    )
    sex = forms.ChoiceField(label="Sex (new children only)", required=False,
                            choices=[("", "Select"), ("1", "Male"), ("2", "Female")])
    birth_month = forms.IntegerField(label="Month of birth (new children only)", required=False, min_value=1,
                                     max_value=12, help_text="A number from 1 to 12. Never the full date of birth.")
    birth_year = forms.IntegerField(label="Year of birth (new children only)", required=False, min_value=1990,
                                    max_value=2100)
    start = DateField(label="Start date", label_text="the start date")
    legal_status = forms.ModelChoiceField(queryset=None, label="Legal status (903 LS)")
    reason_for_change = forms.ModelChoiceField(queryset=None, required=False, label="Reason for the move",
                                               help_text="When the child moves from another placement.")
    field_order = ["child_reference", "sex", "birth_month", "birth_year", "start", "legal_status", "placement_type",
                   "provider_kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import LegalStatus, ReasonPlaceChange

        self.fields["legal_status"].queryset = LegalStatus.objects.all()
        self.fields["reason_for_change"].queryset = ReasonPlaceChange.objects.all()
        self.order_fields(self.field_order)

    def clean(self):
        from .models import Child

        data = super().clean()
        reference = data.get("child_reference", "").strip()
        if reference and not Child.objects.filter(reference=reference).exists():
            for name, message in [("sex", "Select the child's sex"), ("birth_month", "Enter the month of birth"),
                                  ("birth_year", "Enter the year of birth")]:
                if not data.get(name):
                    self.add_error(name, f"{message}: this is a new child reference")
        return data
