from datetime import date

from django import forms

from core.periods import PeriodError, Quarter, closed_quarters
from plans.models import Meeting

from .models import IMPLICATIONS, NOT_IN_MEMBER_SUMMARY, ReportRun, front_sheet_missing
from .sections import MEMBER_SUMMARY, PACK, report_sections
from .services import DRAFTED_IMPLICATIONS, implication_defaults, report_draft_for


def _meetings(field, today: date):
    # Past meetings too, newest first: a late report still goes to the meeting it was for.
    field.queryset = Meeting.objects.select_related("committee").order_by("-date")
    field.label_from_instance = lambda m: f"{m}{' (past)' if m.date < today else ''}"


class ReportKindForm(forms.Form):
    """The first question: which kind of report (it decides the rest of the form), and for which meeting (it
    fills in the front sheet from the last report for that meeting or committee)."""

    kind = forms.ChoiceField(
        label="Which report?",
        choices=ReportRun.Kind.choices,
        widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
        error_messages={"required": "Select which report to build"},
    )
    meeting = forms.ModelChoiceField(
        label="Committee meeting",
        queryset=Meeting.objects.none(),
        required=False,
        empty_label="Not for a particular meeting yet",
        help_text="The front sheet starts from the last report for the same meeting or committee.",
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        _meetings(self.fields["meeting"], today)


class ReportRequestForm(forms.Form):
    # Chosen on the first page (ReportKindForm); carried here so the post says what it is for.
    kind = forms.ChoiceField(choices=ReportRun.Kind.choices, widget=forms.HiddenInput)
    period = forms.ChoiceField(
        label="Quarter",
        help_text="Quarters of the financial year that have ended.",
        error_messages={"invalid_choice": "Choose a quarter that has ended, or ask for the quarter in progress"},
    )
    sections = forms.MultipleChoiceField(
        label="Sections of the committee pack",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "govuk-checkboxes__input"}),
        help_text="Only for a committee pack. Leave all unticked for every section.",
    )
    meeting = forms.ModelChoiceField(
        label="Committee meeting", queryset=Meeting.objects.none(), required=False, widget=forms.HiddenInput
    )
    agenda_item = forms.CharField(label="Agenda item", max_length=20, required=False)
    title = forms.CharField(label="Title", max_length=250, required=False, help_text="Leave blank for the usual title.")
    report_of = forms.CharField(
        label="Report of", max_length=200, required=False, help_text="For example, Director of Children's Services."
    )
    lead_officer = forms.CharField(
        label="Lead officer", max_length=200, required=False, help_text="Name and job title."
    )
    lead_officer_contact = forms.CharField(
        label="Lead officer's contact details", max_length=250, required=False, help_text="Telephone and email."
    )
    portfolio_holder = forms.CharField(
        label="Portfolio holder", max_length=200, required=False,
        help_text="The lead councillor and portfolio, for example Cllr Gavin, Children's Services.",
    )
    wards_affected = forms.CharField(
        label="Wards affected", max_length=250, required=False, help_text="For example, All wards."
    )
    key_decision = forms.BooleanField(label="This is a key decision", required=False)
    forward_plan_reference = forms.CharField(
        label="Forward plan reference", max_length=50, required=False, help_text="Only for a key decision."
    )
    exempt = forms.BooleanField(
        label="Exempt from publication", required=False,
        help_text="Leave unticked for a public report.",
    )
    exempt_reason = forms.CharField(
        label="Reason it is exempt", max_length=250, required=False,
        help_text="The paragraph of Schedule 12A to the Local Government Act 1972, for example paragraph 3 "
        "(financial or business affairs).",
    )
    purpose = forms.CharField(
        label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank for the usual purpose of this kind of report.",
    )
    summary = forms.CharField(
        label="Executive summary", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Leave blank to draft it from the quarter's figures: the status of the indicators and the change "
        "since the quarter before, the most pressing exceptions, the forecast outturn against budget and the "
        "contract decisions overdue. For a meeting, the draft is shown here to check before the report is built.",
    )
    recommendations = forms.CharField(
        label="Recommendations", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="One per line."
    )
    reasons = forms.CharField(
        label="Reasons for the recommendations", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank for the usual reasons (the Committee's scrutiny role).",
    )
    background = forms.CharField(label="Background", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    financial_implications = forms.CharField(
        label="Financial implications", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank to draft them from the forecast outturn: the budget, the forecast and the variance.",
    )
    legal_implications = forms.CharField(
        label="Legal implications", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    equality_implications = forms.CharField(
        label="Equality implications", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    risk_implications = forms.CharField(
        label="Risk implications", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Leave blank to draft them from the indicators rated red and those without a remedial action.",
    )
    childrens_rights_implications = forms.CharField(
        label="Children's rights implications", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    background_papers = forms.CharField(
        label="Background papers", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line. Leave blank if there are none.",
    )
    confirm_not_set = forms.BooleanField(
        label="Build it anyway, as warned above", required=False,
    )

    # The page in three parts; the last, the council's usual wording, is folded away until it is wanted.
    FRONT_SHEET = ("agenda_item", "title", "report_of", "lead_officer", "lead_officer_contact", "portfolio_holder",
                   "wards_affected", "key_decision", "forward_plan_reference", "exempt", "exempt_reason")
    CONTENT = ("summary", "recommendations", "background", "sections")
    USUAL_WORDING = ("purpose", "reasons", *(name for name, _ in IMPLICATIONS), "background_papers")

    def __init__(self, *args, kind: str, today: date, with_current: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        # Only this kind's questions: sections are a pack's; a member summary prints no background,
        # implications or background papers.
        if kind != PACK:
            del self.fields["sections"]
        else:
            self.fields["sections"].choices = [(spec.key, spec.heading) for spec in report_sections()]
        if kind == MEMBER_SUMMARY:
            for name in NOT_IN_MEMBER_SUMMARY:
                del self.fields[name]
        # Closed quarters only, unless the quarter in progress is asked for: its figures are not all in.
        quarters = closed_quarters(today, with_current=with_current)
        self.fields["period"].choices = [(q.code, q.label) for q in quarters]
        self.fields["period"].initial = Quarter.last_closed(today).code
        if with_current:
            self.fields["period"].help_text = "Quarters of the financial year, the one in progress first."
        _meetings(self.fields["meeting"], today)
        for name, text in implication_defaults().items():
            if name not in DRAFTED_IMPLICATIONS and name in self.fields:
                self.fields[name].initial = text
        self.today = today
        self.not_set: list[tuple[str, str]] = []
        self.warnings: list[str] = []

    def groups(self) -> list[tuple[str, list]]:
        return [(heading, [self[name] for name in names if name in self.fields]) for heading, names in (
            ("Front sheet", self.FRONT_SHEET), ("The report", self.CONTENT), ("Usual wording", self.USUAL_WORDING))]

    def usual_wording_changed(self) -> bool:
        """Open the folded part when something in it is in error (its error link must land on a visible box)."""
        return any(self[name].errors for name in self.USUAL_WORDING if name in self.fields)

    def _show_draft(self, draft):
        """Put the summary and implications drafted from the figures in the boxes left blank, for the officer to
        read and change before the report for a meeting is built."""
        self.data = self.data.copy()
        self.data["summary"] = draft.summary
        for name in DRAFTED_IMPLICATIONS:
            if name in self.fields and not self.data.get(name, "").strip():
                self.data[name] = draft.implications[name]
        self.add_error(
            "summary", "The executive summary has been drafted from the quarter's figures. Check it, change it if "
            "you need to, then build the report",
        )

    def clean_period(self):
        try:
            return Quarter.parse(self.cleaned_data["period"]).code
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        if data.get("key_decision") and not data.get("forward_plan_reference", "").strip():
            self.add_error("forward_plan_reference", "Enter the forward plan reference of the key decision")
        if data.get("exempt") and not data.get("exempt_reason", "").strip():
            self.add_error("exempt_reason", "Enter the paragraph of Schedule 12A the report is exempt under")
        meeting = data.get("meeting")
        if meeting and not self.errors:
            draft = report_draft_for(kind=data["kind"], sections=data.get("sections"), period=data["period"],
                                     today=self.today)
            # Blank implications, purpose, reasons and "report of" take the usual wording, a blank summary the draft;
            # everything else prints "Not set".
            values = {**data, **{k: data.get(k) or v for k, v in draft.implications.items()},
                      "summary": data.get("summary") or draft.summary,
                      "reasons": data.get("reasons") or "the usual reasons",
                      "report_of": data.get("report_of") or "the usual officer"}
            missing = front_sheet_missing(values, meeting=meeting, kind=self.kind)
            self.not_set = [(name, label) for name, label in missing if name in self.fields]
            self.warnings = draft.warnings
            if draft.summary and not data.get("summary", "").strip():
                self._show_draft(draft)
            if (self.not_set or self.warnings) and not data.get("confirm_not_set"):
                # Each box left empty is named (by its label) and linked to in the error summary, so the officer
                # goes straight to it; the tick box is for building it anyway.
                for name, label in self.not_set:
                    self.add_error(name, f"Enter the {label[0].lower()}{label[1:]}, or the report prints \"Not set\"")
                said = [f"{warning}." for warning in self.warnings]
                said += ["Fill in the boxes named above" if self.not_set else "Check them"]
                self.add_error("confirm_not_set", f"{' '.join(said)}, or tick the box to build it anyway")
        return data
