"""GOV.UK's date input: three boxes, GOV.UK's error messages for dates, the box in error marked."""

import re
from datetime import date

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string

from core.fields import DateField

TODAY = date(2026, 11, 30)


class DatesForm(forms.Form):
    start = DateField(label="Start date")
    decided_on = DateField(
        label="Date of the decision", label_text="the date of the decision", past=True, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("decided_on") and data["decided_on"] < data["start"]:
            self.add_error("decided_on", "The date of the decision must be the same as or after the start date")
        return data


def _post(day="", month="", year="", **more):
    return DatesForm(data={"start_day": day, "start_month": month, "start_year": year, **more})


def _render(form) -> str:
    return render_to_string("includes/error_summary.html", {"form": form}) + render_to_string(
        "includes/form_fields.html", {"form": form}
    )


def _boxes_in_error(html: str, name: str) -> list[str]:
    return re.findall(rf'govuk-input--error" id="id_{name}_(day|month|year)"', html)


@pytest.mark.parametrize(
    ("typed", "message", "marked"),
    [
        (("", "", ""), "Enter the start date", ["day", "month", "year"]),
        (("3", "", "2026"), "The start date must include a month", ["month"]),
        (("", "4", "2026"), "The start date must include a day", ["day"]),
        (("3", "4", ""), "The start date must include a year", ["year"]),
        (("", "", "2026"), "The start date must include a day and month", ["day", "month", "year"]),
        (("3", "", ""), "The start date must include a month and year", ["day", "month", "year"]),
        (("3", "13", "2026"), "The start date must be a real date", ["month"]),
        (("32", "4", "2026"), "The start date must be a real date", ["day"]),
        (("0", "4", "2026"), "The start date must be a real date", ["day"]),
        (("3", "4", "twenty"), "The start date must be a real date", ["year"]),
        (("x", "13", "2026"), "The start date must be a real date", ["day", "month", "year"]),
        (("31", "2", "2026"), "The start date must be a real date", ["day", "month", "year"]),
        (("29", "2", "2027"), "The start date must be a real date", ["day", "month", "year"]),
        (("3", "4", "26"), "The year of the start date must include 4 numbers", ["year"]),
        (("3", "4", "20266"), "The year of the start date must include 4 numbers", ["year"]),
        (("31", "12", "1899"), "The start date must be between 1 January 1900 and 31 December 2100", ["year"]),
        (("1", "1", "2101"), "The start date must be between 1 January 1900 and 31 December 2100", ["year"]),
    ],
)
def test_each_govuk_date_error_names_the_date_and_marks_its_boxes(typed, message, marked):
    form = _post(*typed)
    assert not form.is_valid()
    assert form.errors["start"] == [message]
    html = _render(form)
    # GOV.UK: one box wrong or missing is marked alone; more than one, or a date wrong as a whole, marks all three.
    assert _boxes_in_error(html, "start") == marked
    assert f'<a href="#id_start_{marked[0]}">{message}</a>' in html  # the summary lands on the first box in error
    hidden = '<span class="govuk-visually-hidden">Error:</span>'
    assert f'<p id="id_start-error" class="govuk-error-message">{hidden} {message}</p>' in html
    assert "govuk-form-group govuk-form-group--error" in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (("3", "4", "2026"), date(2026, 4, 3)),
        (("03", "04", "2026"), date(2026, 4, 3)),
        ((" 3 ", " 4 ", " 2026 "), date(2026, 4, 3)),
        (("3rd", "April", "2026"), date(2026, 4, 3)),
        (("1st", "jan", "2026"), date(2026, 1, 1)),
        (("22nd", "Sept", "2026"), date(2026, 9, 22)),
        (("29", "feb", "2028"), date(2028, 2, 29)),
        (("1", "1", "1900"), date(1900, 1, 1)),
        (("31", "12", "2100"), date(2100, 12, 31)),
    ],
)
def test_dates_as_people_type_them(typed, expected):
    form = _post(*typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == expected


@time_machine.travel(TODAY, tick=False)
def test_a_date_that_must_be_today_or_in_the_past():
    form = _post("1", "4", "2026", decided_on_day="1", decided_on_month="12", decided_on_year="2026")
    assert form.errors["decided_on"] == ["The date of the decision must be today or in the past"]
    assert _boxes_in_error(_render(form), "decided_on") == ["day", "month", "year"]
    form = _post("1", "4", "2026", decided_on_day="30", decided_on_month="11", decided_on_year="2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["decided_on"] == TODAY


def test_an_optional_date_left_empty_is_none_and_a_form_error_marks_the_whole_date():
    form = _post("1", "4", "2026")
    assert form.is_valid() and form.cleaned_data["decided_on"] is None
    form = _post("1", "4", "2026", decided_on_day="1", decided_on_month="3", decided_on_year="2026")
    assert form.errors["decided_on"] == ["The date of the decision must be the same as or after the start date"]
    html = _render(form)
    assert _boxes_in_error(html, "decided_on") == ["day", "month", "year"]
    assert '<a href="#id_decided_on_day">' in html


def test_three_labelled_boxes_in_a_fieldset_keep_what_was_typed():
    html = _render(_post("3", "", "2026"))
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_start-hint id_start-error">' in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Start date</legend>' in html
    assert '<div id="id_start-hint" class="govuk-hint">For example, 31 3 2027.</div>' in html
    assert (
        '<label class="govuk-label govuk-date-input__label" for="id_start_day">Day</label>\n'
        '          <input class="govuk-input govuk-date-input__input govuk-input--width-2" id="id_start_day" '
        'name="start_day" type="text" inputmode="numeric" value="3">'
    ) in html
    assert 'id="id_start_year" name="start_year" type="text" inputmode="numeric" value="2026">' in html
    assert 'id="id_start_month" name="start_month" type="text" inputmode="numeric">' in html
    assert "govuk-input--width-4" in html  # the year box is wider
    assert "Date of the decision (optional)</legend>" in html


def test_a_saved_date_fills_the_boxes_without_leading_zeros():
    form = DatesForm(initial={"start": date(2026, 4, 1)}, prefix="keep")
    html = render_to_string("includes/form_fields.html", {"form": form})
    assert 'id="id_keep-start_day" name="keep-start_day" type="text" inputmode="numeric" value="1">' in html
    assert 'name="keep-start_month" type="text" inputmode="numeric" value="4">' in html
    assert "govuk-input--error" not in html and "govuk-error-message" not in html
    bound = DatesForm(
        data={"keep-start_day": "1", "keep-start_month": "4", "keep-start_year": "2026"},
        prefix="keep",
        initial={"start": date(2026, 4, 1)},
    )
    assert bound.is_valid() and not bound.has_changed()


@pytest.mark.parametrize("text", ["2026-04-03", "03/04/2026", "3/4/2026"])
def test_a_date_sent_as_one_value_is_read_too(text):
    form = DatesForm(data={"start": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == date(2026, 4, 3)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("soon", "The start date must be a real date"),
        ("31/02/2026", "The start date must be a real date"),
        ("1899-12-31", "The start date must be between 1 January 1900 and 31 December 2100"),
    ],
)
def test_a_bad_date_sent_as_one_value_says_so(text, message):
    assert DatesForm(data={"start": text}).errors["start"] == [message]


def test_a_required_message_given_by_the_form_is_kept():
    class Measurement(forms.Form):
        period_end = DateField(label="Period end", error_messages={"required": "Enter the last day of the period"})

    assert Measurement(data={}).errors["period_end"] == ["Enter the last day of the period"]
