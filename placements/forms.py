from django import forms
from django.core.exceptions import ValidationError

from commissioning.import_views import MAX_UPLOAD_BYTES
from commissioning.imports import parse_date, parse_decimal

from .models import AgreementStatus, CostKind, PanelDecision, Payer


class DateText(forms.CharField):
    """A date typed as 31/03/2025 or 2025-03-31."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise ValidationError(f"Enter {self.label.lower()} as a date, like 31/03/2025") from exc


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


class CostLineForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of change", choices=CostKind.choices)
    weekly_amount = MoneyText(
        label="Change to the weekly cost (£)",
        help_text="For a first price, the full weekly cost. For a reduction, the amount it goes down by.",
    )
    effective_from = DateText(label="Takes effect from", help_text="For example, 01/04/2026.")
    effective_to = DateText(label="Ends on", required=False, help_text="Leave blank if the change is open-ended.")
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
    drafted_on = DateText(label="Date drafted", required=False)
    issued_on = DateText(label="Date issued to the provider", required=False)
    signed_on = DateText(label="Date signed", required=False)
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
    review_date = DateText(label="Review date", required=False)


class PanelReviewForm(forms.Form):
    held_on = DateText(label="Date the panel met")
    decision = forms.ChoiceField(label="Decision", choices=PanelDecision.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                            help_text="No names: refer to the child by reference only.")
    next_due_on = DateText(label="Next review due", required=False, help_text="Leave blank if none is planned.")


class Import903Form(forms.Form):
    header = forms.FileField(label="Header file", help_text="The return's header CSV (CHILD, SEX, DOB...).")
    episodes = forms.FileField(label="Episodes file", help_text="The return's episodes CSV (CHILD, DECOM, RNE...).")

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
