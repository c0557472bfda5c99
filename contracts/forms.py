from django import forms
from django.utils import timezone

from . import dates
from .models import Contract, ContractReview, Decision

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, *args, label_text="the date", **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = f"Enter {label_text} as a real date, for example 31/03/2027"
        self.error_messages["required"] = f"Enter {label_text}"


def _money_not_negative(form, name, label):
    value = form.cleaned_data.get(name)
    if value is not None and value < 0:
        raise forms.ValidationError(f"{label} must be £0 or more")
    return value


class ContractForm(forms.ModelForm):
    start_date = DateField(label="Start date", label_text="the start date")
    end_date = DateField(label="Original end date", label_text="the original end date",
                         help_text="The end of the initial term, before any extension.")

    class Meta:
        model = Contract
        fields = [
            "reference", "title", "description", "service_area", "provider", "framework", "contract_type",
            "procurement_route", "start_date", "end_date", "extension_options", "extensions_used",
            "annual_value", "total_value", "funding_source", "risk", "contract_manager", "savings",
            "social_value", "status", "indicators", "outcomes",
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
        }
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
        self.fields["extension_options"].widget.attrs["data-width"] = "10"
        self.fields["extensions_used"].widget.attrs["data-width"] = "3"
        self.fields["extensions_used"].required = False
        self.fields["savings"].required = False

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

    def clean_annual_value(self):
        return _money_not_negative(self, "annual_value", "The annual value")

    def clean_total_value(self):
        return _money_not_negative(self, "total_value", "The whole-life value")

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
    decided_on = DateField(label="Date of the decision", label_text="the date of the decision")
    note = forms.CharField(
        label="Reasons and who approved it", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example: approved by DMT on 12 November; performance good, prices held.",
    )

    def clean_decided_on(self):
        value = self.cleaned_data["decided_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the decision must be today or in the past")
        return value


class ReviewForm(forms.ModelForm):
    reviewed_on = DateField(label="Date of review", label_text="the date of the review")

    class Meta:
        model = ContractReview
        fields = ["reviewed_on", "kind", "rating", "findings", "actions"]
        error_messages = {
            "kind": {"required": "Select the kind of review"},
            "rating": {"required": "Select the rating"},
        }
        widgets = {"findings": forms.Textarea(attrs={"rows": 4}), "actions": forms.Textarea(attrs={"rows": 4})}

    def clean_reviewed_on(self):
        value = self.cleaned_data["reviewed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the review must be today or in the past")
        return value
