from django import forms
from django.core.exceptions import ValidationError

from core.fields import DateField
from core.imports import parse_decimal
from core.periods import DateTextError, parse_date_text

from .models import BenchmarkSource, TargetKind
from .periods import ended_period_ends, period_label
from .validation import decimal_places_error


class DecimalText(forms.CharField):
    """A number as people type it: 85%, 1,250, £3,400.50."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            number = parse_decimal(text)
        except ValueError as exc:
            raise ValidationError(f"Enter {self.label.lower()} as a number, like 85 or 1,250") from exc
        if problem := decimal_places_error(number):
            raise ValidationError(problem)
        return number


class PeriodChoice(forms.ChoiceField):
    """The period a value is for, picked from the KPI's latest ended periods; cleaned to its last day.
    Any period end is accepted as a date (a link may name an older one to correct): the service decides
    whether it is a period of the KPI's frequency and has ended."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("error_messages", {}).update(required="Select the period")
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date_text(value)
        except DateTextError as exc:
            raise ValidationError("Select the period from the list") from exc

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class MeasurementForm(forms.Form):
    period_end = PeriodChoice(label="Period")
    value = DecimalText(label="Value", help_text="Leave empty if there is no data for this period.")
    numerator = DecimalText(label="Numerator", help_text="For a rate or percentage: the count measured.")
    denominator = DecimalText(label="Denominator", help_text="For a rate or percentage: the population counted.")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    commentary = forms.CharField(
        label="Commentary", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the value is what it is, in words a councillor can follow. Committee reports print it "
                  "under the KPI when it is red or amber. Leave empty to keep the commentary the value has.",
    )
    remedial_action = forms.CharField(
        label="Remedial action", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is being done to bring it back on target, by whom and by when.",
    )

    def __init__(self, *args, indicator, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        ends = ended_period_ends(today, indicator.frequency)
        chosen = self.initial.get("period_end")
        if chosen and chosen not in ends:  # an older value opened to correct it
            ends = sorted([*ends, chosen], reverse=True)
        self.fields["period_end"].choices = [("", "Select the period")] + [
            (end.isoformat(), period_label(end, indicator.frequency)) for end in ends
        ]
        self.fields["period_end"].help_text = (
            f"A {indicator.get_frequency_display().lower()} KPI: its latest periods that have ended."
        )
        self.fields["value"].label = f"Value ({indicator.unit_label or indicator.get_unit_display()})"
        for name in ("value", "numerator", "denominator"):
            self.fields[name].widget.attrs.update({"data-width": "10", "inputmode": "decimal"})

    def clean(self):
        data = super().clean()
        if data.get("remedial_action", "").strip() and not data.get("commentary", "").strip():
            self.add_error("commentary", "Enter the commentary: why the value is what it is, with the remedial action")
        return data


class TargetForm(forms.Form):
    starts_on = DateField(label="In force from", label_text="the date the target is in force from",
                          example="For example, 1 4 2026.")
    kind = forms.ChoiceField(label="Kind of target", choices=TargetKind.choices)
    value = DecimalText(label="Target (X)", help_text="The target, or the lower bound of a band.")
    upper = DecimalText(label="Upper bound (Y)", help_text="Only for a target between two values.")
    benchmark_source = forms.ChoiceField(
        label="Benchmark", required=False, choices=[("", "Not a benchmark target"), *BenchmarkSource.choices],
        help_text="Only for targets that follow a benchmark.",
    )
    tolerance = DecimalText(label="Tolerance", help_text="The amber band, in the indicator's own unit. Empty means 0.")


class CommentaryForm(forms.Form):
    commentary = forms.CharField(
        label="Commentary", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the value is what it is, in words a councillor can follow.",
        error_messages={"required": "Enter the commentary: why the value is what it is"},
    )
    remedial_action = forms.CharField(
        label="Remedial action", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What is being done to bring it back on target, by whom and by when.",
    )


class ApprovalForm(forms.Form):
    """Nothing to fill in: the page shows what is being approved and the button approves it."""

