"""The shared GOV.UK form partials: labels, hints, errors linked to fields, radios and checkboxes."""

from django import forms
from django.template.loader import render_to_string


class ExampleForm(forms.Form):
    title = forms.CharField(label="Title", help_text="As it will appear on the register")
    risk = forms.ChoiceField(label="Risk", choices=[("high", "High"), ("low", "Low")], widget=forms.RadioSelect)
    funding = forms.MultipleChoiceField(
        label="Funding", choices=[("council", "Council"), ("health", "Health")], widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def test_errors_show_in_the_summary_and_beside_the_field():
    form = ExampleForm(data={})
    html = render_to_string("includes/error_summary.html", {"form": form})
    html += render_to_string("includes/form_fields.html", {"form": form})
    assert "There is a problem" in html
    assert '<a href="#id_title">Enter the title</a>' in html  # what to enter, not "This field is required."
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_title-hint id_title-error"' in html
    assert '<p id="id_risk-error" class="govuk-error-message">' in html
    assert '<a href="#id_risk_0">Select the risk</a>' in html  # lands on the first radio
    assert "Enter the title</p>" in html and "This field is required." not in html


def test_a_label_that_is_not_a_noun_is_quoted_in_the_required_message():
    class Dates(forms.Form):
        effective_from = forms.DateField(label="Takes effect from")

    html = render_to_string("includes/error_summary.html", {"form": Dates(data={})})
    assert "Enter ‘Takes effect from’" in html


def test_radios_and_checkboxes_get_govuk_markup():
    html = render_to_string("includes/form_fields.html", {"form": ExampleForm()})
    assert html.count('class="govuk-radios__input"') == 2
    assert html.count('class="govuk-checkboxes__input"') == 2
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Risk</legend>' in html
    assert "Funding (optional)" not in html  # fieldset legends don't repeat "(optional)" logic of text inputs
