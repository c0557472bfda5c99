"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError

from .imports import parse_date


class DateText(forms.CharField):
    """A date typed as 31/03/2025 or 2025-03-31, the same forms the imports accept."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError as exc:
            raise ValidationError(f"Enter {self.label.lower()} as a date, like 31/03/2025") from exc
