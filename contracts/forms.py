from django import forms
from django.core.validators import MaxLengthValidator

from core.fields import DateField

from . import dates
from .models import (
    Contract,
    ContractReview,
    Decision,
    Framework,
    FrameworkMembership,
    OfstedRating,
    ProcurementPlanItem,
    Provider,
    normalise_charity_number,
    normalise_companies_house_number,
    normalise_ofsted_urn,
)
from .widgets import FastSelect


class MoneyField(forms.DecimalField):
    """Pounds as people type them: 1200, 1,200.50 or £1,200 (the imports take the same). A text box, not
    the browser's number box, which refuses commas and the pound sign and then submits nothing."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"})
    default_error_messages = {
        "max_decimal_places": "Enter the amount to the nearest penny, like 950.50",
        "max_whole_digits": "Enter a smaller amount: that is more than this field can hold",
        "max_digits": "Enter a smaller amount: that is more than this field can hold",
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").replace("£", "").strip()
        return super().to_python(value)


def _money_not_negative(form, name, label):
    value = form.cleaned_data.get(name)
    if value is not None and value < 0:
        raise forms.ValidationError(f"{label} must be £0 or more")
    return value


class ExtensionFieldsMixin:
    """Extension options such as 12+12 (months) and how many are used: the same rules for contracts and frameworks."""

    def set_up_extension_fields(self):
        self.fields["extension_options"].widget.attrs["data-width"] = "10"
        self.fields["extensions_used"].widget.attrs["data-width"] = "3"
        self.fields["extensions_used"].required = False
        self.fields["extensions_used"].error_messages["min_value"] = "Extensions used must be 0 or more"

    def clean_extension_options(self):
        value = self.cleaned_data.get("extension_options", "").replace(" ", "")
        try:
            dates.parse_extension_options(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value

    def clean_extensions_used(self):
        value = self.cleaned_data.get("extensions_used")
        if value is None:
            return 0
        if value < 0:
            raise forms.ValidationError("Extensions used must be 0 or more")
        return value


class ContractForm(ExtensionFieldsMixin, forms.ModelForm):
    start_date = DateField(label="Start date", label_text="the start date")
    end_date = DateField(label="Original end date", label_text="the original end date",
                         help_text="The end of the initial term, before any extension.")
    awarded_on = DateField(label="Award date", required=False, past=True,
                           help_text="When the decision to award the contract was made, if known.")
    signed_on = DateField(label="Date signed", required=False, past=True,
                          help_text="When the contract was signed (the last signature), if known.")

    class Meta:
        model = Contract
        fields = [
            "reference", "title", "description", "service_area", "provider", "framework", "contract_type",
            "procurement_route", "start_date", "end_date", "extension_options", "extensions_used",
            "awarded_on", "signed_on", "annual_value", "total_value", "irrecoverable_vat", "funding_source", "risk",
            "contract_manager",
            "manager_name", "savings", "social_value", "status", "indicators", "outcomes",
        ]
        error_messages = {
            "reference": {"required": "Enter the contract reference",
                          "unique": "A contract with this reference already exists: references must be unique"},
            "title": {"required": "Enter the contract title"},
            "service_area": {"required": "Select the service area"},
            "provider": {"required": "Select the provider"},
            "contract_type": {"required": "Select the type of contract"},
            "procurement_route": {"required": "Select the procurement route"},
            "annual_value": {"required": "Enter the annual value",
                             "invalid": "Enter the annual value as a number, like 125000.00"},
            "total_value": {"required": "Enter the whole-life value",
                            "invalid": "Enter the whole-life value as a number, like 500000.00"},
            "extensions_used": {"invalid": "Enter how many extensions have been taken as a whole number"},
            "savings": {"invalid": "Enter the savings as a number, like 15000.00"},
            "irrecoverable_vat": {
                "invalid": "Enter the irrecoverable VAT as a number, like 1250.00, or 0 if there is none"},
        }
        field_classes = {"annual_value": MoneyField, "total_value": MoneyField, "savings": MoneyField,
                         "irrecoverable_vat": MoneyField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "social_value": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.CheckboxSelectMultiple,
            "outcomes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = self.fields["provider"].queryset.order_by("name")
        self.fields["contract_manager"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.set_up_extension_fields()
        self.fields["savings"].required = False
        self.fields["irrecoverable_vat"].required = False
        for name in ("annual_value", "total_value", "savings", "irrecoverable_vat"):
            self.fields[name].widget.attrs["data-width"] = "10"

    def clean_annual_value(self):
        return _money_not_negative(self, "annual_value", "The annual value")

    def clean_total_value(self):
        return _money_not_negative(self, "total_value", "The whole-life value")

    def clean_irrecoverable_vat(self):
        # Blank stays None (not known yet, published blank); 0 is a figure: there is none.
        return _money_not_negative(self, "irrecoverable_vat", "The irrecoverable VAT")

    def clean_savings(self):
        value = self.cleaned_data.get("savings")
        if value is None:
            return 0
        return _money_not_negative(self, "savings", "Savings")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What will happen at the end of the contract?", choices=Decision.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select what will happen at the end of the contract"},
    )
    decided_on = DateField(label="Date of the decision", label_text="the date of the decision", past=True)
    note = forms.CharField(
        label="Reasons and who approved it", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: approved by DMT on 12 November; performance good, prices held.",
    )


class ReviewForm(forms.ModelForm):
    reviewed_on = DateField(label="Date of review", label_text="the date of the review", past=True)

    class Meta:
        model = ContractReview
        fields = ["reviewed_on", "kind", "rating", "findings", "actions"]
        error_messages = {
            "kind": {"required": "Select the kind of review"},
            "rating": {"required": "Select the rating"},
        }
        widgets = {"findings": forms.Textarea(attrs={"rows": 4}), "actions": forms.Textarea(attrs={"rows": 4})}


def _user_label(user):
    return user.get_full_name() or user.username


class PlanItemForm(forms.ModelForm):
    """A planned procurement. Whether a key decision is approved is asked in one question, so the
    approval date is asked for exactly when it is needed."""

    KEY_NO, KEY_AWAITING, KEY_APPROVED = "no", "awaiting", "approved"

    planned_start = DateField(label="Procurement starts", label_text="the date the procurement starts")
    planned_award = DateField(label="Contract award", label_text="the planned contract award date")
    planned_contract_start = DateField(label="Contract starts", label_text="the date the contract starts",
                                       required=False)
    key_decision_state = forms.ChoiceField(
        label="Is this a key decision?", widget=forms.RadioSelect,
        choices=[(KEY_NO, "No"), (KEY_AWAITING, "Yes, awaiting approval"), (KEY_APPROVED, "Yes, approved")],
        help_text="A key decision must be on the forward plan and approved before award.",
        error_messages={"required": "Select whether this is a key decision"},
    )
    approved_on = DateField(label="Approval date", label_text="the approval date", required=False, past=True,
                            help_text="Needed when the key decision has been approved.")

    class Meta:
        model = ProcurementPlanItem
        fields = [
            "title", "service_area", "description", "estimated_value", "procurement_route", "planned_start",
            "planned_award", "planned_contract_start", "key_decision_state", "approving_body", "approved_on",
            "status", "lead_officer", "replaces", "contract",
        ]
        error_messages = {
            "title": {"required": "Enter the title of the procurement"},
            "service_area": {"required": "Select the service area"},
            "estimated_value": {"required": "Enter the estimated whole-life value",
                                "invalid": "Enter the estimated value as a number, like 1200000"},
            "status": {"required": "Select the status"},
        }
        field_classes = {"estimated_value": MoneyField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "replaces": FastSelect, "contract": FastSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.pk:
            self.initial["key_decision_state"] = (
                self.KEY_NO if not instance.key_decision
                else self.KEY_APPROVED if instance.approved_on else self.KEY_AWAITING
            )
        self.fields["lead_officer"].label_from_instance = _user_label
        for name in ("replaces", "contract"):
            self.fields[name].queryset = Contract.objects.order_by("reference").only("pk", "reference", "title")
        self.fields["contract"].label = "Contract it became"
        self.fields["estimated_value"].widget.attrs["data-width"] = "10"
        self.fields["estimated_value"].help_text = "In pounds, including any extensions, for example 1200000."
        self.fields["replaces"].label = "Contract it replaces"

    def clean_estimated_value(self):
        return _money_not_negative(self, "estimated_value", "The estimated value")

    def clean(self):
        cleaned = super().clean()
        state = cleaned.get("key_decision_state")
        approved_on = cleaned.get("approved_on")
        if state == self.KEY_APPROVED and not approved_on and "approved_on" not in self.errors:
            self.add_error("approved_on", "Enter the date the key decision was approved")
        elif state == self.KEY_AWAITING and approved_on:
            self.add_error("approved_on", "Remove the approval date, or choose 'Yes, approved' if it was approved")
        if state:
            # Set before the model's own checks run, so they see the answer given here.
            cleaned["key_decision"] = self.instance.key_decision = state != self.KEY_NO
        return cleaned

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "key_decision_state"}


class FrameworkForm(ExtensionFieldsMixin, forms.ModelForm):
    start_date = DateField(label="Start date", label_text="the start date")
    end_date = DateField(label="End date", label_text="the end date",
                         help_text="The end of the initial term, before any extension.")

    class Meta:
        model = Framework
        fields = [
            "name", "kind", "service_area", "lead_authority", "member_councils", "start_date", "end_date",
            "extension_options", "extensions_used", "lots_or_tiers", "description",
        ]
        error_messages = {
            "name": {"required": "Enter the name of the framework",
                     "unique": "A framework with this name already exists: names must be unique"},
            "kind": {"required": "Select the kind of framework"},
            "service_area": {"required": "Select the service area"},
            "lead_authority": {"required": "Enter the lead authority"},
            "extensions_used": {"invalid": "Enter how many extensions have been taken as a whole number"},
        }
        labels = {"kind": "Kind"}
        widgets = {
            "member_councils": forms.Textarea(attrs={"rows": 4}),
            "lots_or_tiers": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_up_extension_fields()


class MembershipForm(forms.ModelForm):
    joined_on = DateField(label="Date joined", label_text="the date the provider joined", required=False)

    class Meta:
        model = FrameworkMembership
        fields = ["provider", "lot", "tier", "agreed_weekly_price", "price_notes", "joined_on"]
        error_messages = {
            "provider": {"required": "Select the provider", "invalid_choice": "Select a provider from the list"},
            "tier": {"invalid": "Enter the tier as a whole number, like 1"},
            "agreed_weekly_price": {"invalid": "Enter the agreed weekly price as a number, like 950.00"},
        }
        labels = {"agreed_weekly_price": "Agreed weekly price (£)"}
        field_classes = {"agreed_weekly_price": MoneyField}
        widgets = {"provider": FastSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Provider.objects.exclude(status="ceased").order_by("name").only("pk", "name")
        self.fields["tier"].widget.attrs["data-width"] = "3"
        self.fields["tier"].error_messages["min_value"] = "The tier must be 1 or more"
        self.fields["agreed_weekly_price"].widget.attrs["data-width"] = "10"

    def clean_tier(self):
        value = self.cleaned_data.get("tier")
        if value is not None and value < 1:
            raise forms.ValidationError("The tier must be 1 or more")
        return value

    def clean_agreed_weekly_price(self):
        return _money_not_negative(self, "agreed_weekly_price", "The agreed weekly price")

    def validate_unique(self):
        """Uniqueness is checked by the service with a plainer message (the form has no framework)."""


class ProviderForm(forms.ModelForm):
    """A provider's record. The registration-number rules are the model's functions (also used by
    Provider.clean(), the admin and the import), so every route gives the same message."""

    ofsted_inspected_on = DateField(label="Date of the last Ofsted inspection", required=False, past=True,
                                    label_text="the date of the last Ofsted inspection")

    class Meta:
        model = Provider
        fields = [
            "name", "kind", "status", "companies_house_number", "charity_number", "is_sme", "is_vcse",
            "ofsted_urn", "ofsted_rating", "ofsted_inspected_on", "locality",
        ]
        error_messages = {
            "name": {"required": "Enter the name of the provider",
                     "max_length": "Enter a name of 200 characters or fewer"},
            "kind": {"required": "Select the kind of provider",
                     "invalid_choice": "Select the kind of provider from the list"},
            "status": {"required": "Select the status",
                       "invalid_choice": "Select the status from the list"},
            "ofsted_rating": {"invalid_choice": "Select the Ofsted rating from the list"},
            "locality": {"max_length": "Enter a locality of 100 characters or fewer"},
        }
        labels = {"kind": "Kind of provider", "ofsted_rating": "Ofsted rating"}
        help_texts = {
            "companies_house_number": "8 characters, for example 01234567 or SC123456.",
            "charity_number": "Register of charities in England and Wales, for example 1123456.",
            "ofsted_urn": "The unique reference number on the Ofsted report, for example SC401234.",
            "is_sme": "Fewer than 250 staff and turnover up to £44 million (Transparency Code flag).",
            "is_vcse": "A charity, community interest company or other social enterprise.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ofsted_rating"].choices = [("", "Not inspected or no rating"), *OfstedRating.choices]
        for name in self.REGISTRATION_NUMBERS:
            # No length limit in the browser (a number typed with spaces would be cut short without a
            # word): the format rule below says what is wrong, and a valid number fits the column.
            field = self.fields[name]
            field.max_length = None
            field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
            field.widget.attrs.pop("maxlength", None)
            field.widget.attrs.update({"data-width": "10", "spellcheck": "false", "autocomplete": "off"})
        self.fields["name"].widget.attrs["spellcheck"] = "false"

    # field -> the model's rule (it also upper-cases, removes spaces and pads Companies House numbers)
    REGISTRATION_NUMBERS = {
        "companies_house_number": normalise_companies_house_number,
        "charity_number": normalise_charity_number,
        "ofsted_urn": normalise_ofsted_urn,
    }

    def _registration_number(self, name):
        try:
            return self.REGISTRATION_NUMBERS[name](self.cleaned_data.get(name, ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean_companies_house_number(self):
        return self._registration_number("companies_house_number")

    def clean_charity_number(self):
        return self._registration_number("charity_number")

    def clean_ofsted_urn(self):
        return self._registration_number("ofsted_urn")

    def validate_unique(self):
        """The model's clean() already words a taken name (ignoring capitals); no second message."""
