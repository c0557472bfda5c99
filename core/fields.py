"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError

from .periods import EARLIEST_DATE, LATEST_DATE, DateTextError, parse_date_text


class DateText(forms.CharField):
    """A date typed as 31/03/2025 or 2025-03-31, the same forms the imports accept, between 1900 and 2100."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date_text(text)
        except DateTextError as exc:
            if "outside the years" in str(exc):
                raise ValidationError(
                    f"{self.label} must be between {EARLIEST_DATE:%d/%m/%Y} and {LATEST_DATE:%d/%m/%Y}"
                ) from exc
            raise ValidationError(f"Enter {self.label.lower()} as a date, like 31/03/2025") from exc
