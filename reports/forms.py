from datetime import date

from django import forms

from core.periods import PERIOD_HELP, PeriodError, Quarter, recent_quarters
from plans.models import Meeting

from .models import ReportRun
from .sections import report_sections


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label="Report",
        choices=ReportRun.Kind.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
    )
    period = forms.ChoiceField(label="Quarter", help_text=PERIOD_HELP)
    sections = forms.MultipleChoiceField(
        label="Sections of the committee pack",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        help_text="Only for a committee pack. Leave all unticked for every section.",
    )
    meeting = forms.ModelChoiceField(
        label="Committee meeting",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not for a particular meeting yet",
    )
    agenda_item = forms.CharField(label="Agenda item", max_length=20, required=False)
    title = forms.CharField(label="Title", max_length=250, required=False, help_text="Leave blank for the usual title.")
    report_of = forms.CharField(
        label="Report of", max_length=200, required=False, help_text="For example, Director of Children's Services."
    )
    lead_officer = forms.CharField(label="Lead officer", max_length=200, required=False)
    purpose = forms.CharField(label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recommendations = forms.CharField(
        label="Recommendations", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One per line."
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sections"].choices = [(spec.key, spec.heading) for spec in report_sections()]
        quarters = recent_quarters(today)
        self.fields["period"].choices = [(q.code, q.label) for q in quarters]
        self.fields["period"].initial = Quarter.last_closed(today).code
        self.fields["meeting"].queryset = (
            Meeting.objects.select_related("committee").filter(date__gte=today).order_by("date")
        )

    def clean_period(self):
        try:
            return Quarter.parse(self.cleaned_data["period"]).code
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
