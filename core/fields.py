"""Form fields shared by the apps' forms.

Dates people enter in a form are asked for as GOV.UK's date input: three boxes, day, month and year
(`DateField`, rendered by templates/includes/date_input.html), with GOV.UK's error messages and the
box in error marked. `DateText` (one box) is for dates in a page's query string, such as the "as of"
date of a filter, which links and bookmarks carry as one value.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from .periods import EARLIEST_DATE, LATEST_DATE, DateOutOfRange, DateTextError, parse_date_text

DATE_PARTS = ("day", "month", "year")

# Month names as people type them: "march", "Mar", "Sept".
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_DAY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def date_parts_in_error(errors) -> list[str]:
    """The boxes to mark for a date field's errors: those an error names, else all three (an error from
    the form or the model, such as "must be on or after the start date", is about the whole date)."""
    marked: set[str] = set()
    for error in errors.as_data() if errors else ():
        marked.update((error.params or {}).get("date_parts") or DATE_PARTS)
    return [part for part in DATE_PARTS if part in marked]


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes named <name>_day, <name>_month and <name>_year. A date sent as one
    value under <name> (31/03/2026 or 2026-03-31: a link, a script) is read too."""

    def __init__(self, attrs=None):
        boxes = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}
        super().__init__(boxes, attrs)

    def decompress(self, value):
        if isinstance(value, str) and value.strip():
            try:
                value = parse_date_text(value)
            except DateTextError:
                return ["", "", ""]
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, sub in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            if sub["attrs"].get("id"):
                sub["attrs"]["id"] = f"{attrs['id']}_{part}"
        return context

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data


class DateField(forms.Field):
    """A date asked for as GOV.UK's date input, between 1900 and 2100 (core.periods' range).

    `label_text` is the date as the error messages name it ("the start date": "Enter the start date",
    "The start date must include a month"); by default "the" and the label. `past=True` for dates that
    cannot be after today (a decision made, a review held). Each error says which boxes it is about
    (`params["date_parts"]`), so the page marks those boxes and the error summary links to the first.
    """

    widget = DateInputWidget
    example = "For example, 31 3 2027."
    past_example = "For example, 27 3 2025."

    def __init__(self, *, label_text: str | None = None, past: bool = False, example: str | None = None, **kwargs):
        self.past = past
        example = example or (self.past_example if past else self.example)
        kwargs["help_text"] = f"{kwargs['help_text']} {example}" if kwargs.get("help_text") else example
        super().__init__(**kwargs)
        label = str(self.label or "the date")
        self.label_text = label_text or f"the {label[0].lower()}{label[1:]}"
        if not kwargs.get("error_messages", {}).get("required"):
            self.error_messages["required"] = f"Enter {self.label_text}"

    @property
    def subject(self) -> str:
        """The label text to start a sentence: "The start date must ..."."""
        return self.label_text[0].upper() + self.label_text[1:]

    def _error(self, message: str, code: str, parts=DATE_PARTS) -> ValidationError:
        return ValidationError(message, code=code, params={"date_parts": tuple(parts)})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            return self._from_text(value)
        day, month, year = (str(v or "").strip() for v in value)
        if not (day or month or year):
            return None
        missing = [part for part, text in zip(DATE_PARTS, (day, month, year), strict=True) if not text]
        if missing:
            raise self._error(
                f"{self.subject} must include a {' and '.join(missing)}",
                "incomplete",
                missing if len(missing) == 1 else DATE_PARTS,
            )
        day_match = _DAY.match(day)
        day_number = int(day_match[1]) if day_match else None
        month_number = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
        wrong = [
            part
            for part, ok in (
                ("day", day_number is not None and 1 <= day_number <= 31),
                ("month", month_number is not None and 1 <= month_number <= 12),
                ("year", year.isdigit()),
            )
            if not ok
        ]
        if wrong:
            parts = wrong if len(wrong) == 1 else DATE_PARTS
            raise self._error(f"{self.subject} must be a real date", "invalid", parts)
        if len(year) != 4:
            raise self._error(f"The year of {self.label_text} must include 4 numbers", "year_digits", ["year"])
        return self._from_text(f"{day_number}/{month_number}/{year}", range_parts=["year"])

    def _from_text(self, text: str, range_parts=DATE_PARTS) -> date:
        try:
            return parse_date_text(text)
        except DateOutOfRange:
            raise self._error(
                f"{self.subject} must be between {_long_date(EARLIEST_DATE)} and {_long_date(LATEST_DATE)}",
                "out_of_range",
                range_parts,
            ) from None
        except DateTextError:
            # 31 2 2026: each box is possible, the date is not, and which box is wrong is not clear.
            raise self._error(f"{self.subject} must be a real date", "invalid") from None

    def validate(self, value):
        if value is None:
            if self.required:
                raise self._error(self.error_messages["required"], "required")
            return
        if self.past and value > timezone.localdate():
            raise self._error(f"{self.subject} must be today or in the past", "future")

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


class DateText(forms.CharField):
    """A date typed in one box as 31/03/2025 or 2025-03-31, the same forms the imports accept, between 1900
    and 2100: for dates in a query string (a filter's "as of" date). Forms that save use DateField."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            return parse_date_text(text)
        except DateOutOfRange as exc:
            raise ValidationError(
                f"{self.label} must be between {EARLIEST_DATE:%d/%m/%Y} and {LATEST_DATE:%d/%m/%Y}"
            ) from exc
        except DateTextError as exc:
            raise ValidationError(f"Enter {self.label.lower()} as a date, like 31/03/2025") from exc
