from django import forms

from core.fields import DateField, DateText


class ForecastForm(forms.Form):
    """Which financial year, as at which day. A bad value shows an error and the page falls back to today."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int, required=False, choices=(), empty_value=None)
    as_of = DateText(label="Forecast as at", required=False, help_text="For example, 31/10/2025. Blank for today.")

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "This financial year")] + [
            (y, f"{y}/{(y + 1) % 100:02d}") for y in years
        ]


class SnapshotForm(forms.Form):
    as_of = DateText(label="Keep the forecast as at", required=False,
                     help_text="For example, 31/10/2025. Blank for today.")


class KeepForm(SnapshotForm):
    """The history page's button: prefixed, because the page's year-and-date form has an as_of field too. It
    saves, so its date is the three-box date input; the pages' GET filters keep one box for their links."""

    prefix = "keep"
    as_of = DateField(label="Keep the forecast as at", label_text="the date to keep the forecast as at",
                      required=False, help_text="Blank for today.", example="For example, 31 10 2025.")
