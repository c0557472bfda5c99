from django import forms
from django.contrib.auth import get_user_model

from contracts.models import Contract
from core.fields import DateField
from finance.models import BudgetLine
from kpis.models import Indicator
from outcomes.models import Outcome
from plans.models import Action, Priority

from . import rules
from .models import (
    Characteristic,
    Decision,
    Engagement,
    EngagementGroup,
    Impact,
    Option,
    ProductStatus,
    Project,
    Risk,
)

LINKS = ["priorities", "outcomes", "indicators", "contracts"]


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class ProjectForm(forms.ModelForm):
    stage = forms.ChoiceField(help_text="Where the project is in the commissioning cycle.")
    lead = PersonChoiceField(queryset=_people(), required=False, label="Lead commissioner")
    next_gateway_due = DateField(label="Next gateway due", label_text="the date the next gateway is due",
                                 required=False)

    class Meta:
        model = Project
        fields = ["reference", "title", "summary", "service_area", "lead", "sponsor", "stage", "next_gateway_due",
                  "budget_line", "savings_target", "savings_delivered", *LINKS]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), **dict.fromkeys(LINKS, forms.CheckboxSelectMultiple)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, s) for s in rules.stages()]
        if self.instance.pk:
            # After it is added, a project moves between stages only through its gateways.
            self.fields["stage"].disabled = True
            self.fields["stage"].help_text = "Changed by a gateway decision."
        self.fields["lead"].queryset = _people()
        self.fields["priorities"].queryset = Priority.objects.select_related("strategy")
        self.fields["priorities"].label_from_instance = lambda p: f"{p.strategy.title}: {p}"
        self.fields["outcomes"].queryset = Outcome.objects.all()
        self.fields["outcomes"].label_from_instance = lambda o: o.statement[:120]
        self.fields["indicators"].queryset = Indicator.objects.order_by("code")
        self.fields["indicators"].label_from_instance = lambda i: f"{i.code}: {i.name}"
        self.fields["contracts"].queryset = Contract.objects.order_by("reference")
        self.fields["contracts"].label_from_instance = lambda c: f"{c.reference}: {c.title}"
        self.fields["budget_line"].queryset = BudgetLine.objects.order_by("-financial_year", "code")
        self.fields["savings_target"].label = "Savings target (£)"
        self.fields["savings_delivered"].label = "Savings delivered so far (£)"

    def links(self) -> dict:
        return {name: self.cleaned_data[name] for name in LINKS}


class GatewayForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    decided_on = DateField(label="Date of decision", label_text="the date of the decision", past=True)
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    next_gateway_due = DateField(label="Next gateway due", label_text="the date the next gateway is due",
                                 required=False, help_text="Leave blank when the project completes or stops.")


class ProductForm(forms.Form):
    status = forms.ChoiceField(choices=ProductStatus.choices, widget=forms.RadioSelect)
    summary = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    link = forms.URLField(label="Link to the document", required=False, assume_scheme="https")
    approved_on = DateField(label="Approved on", label_text="the date it was approved", required=False, past=True)


class RiskForm(forms.ModelForm):
    owner = PersonChoiceField(queryset=_people(), required=False)
    likelihood = forms.TypedChoiceField(coerce=int, choices=[(n, n) for n in range(1, 6)],
                                        help_text="1 (rare) to 5 (almost certain).")
    impact = forms.TypedChoiceField(coerce=int, choices=[(n, n) for n in range(1, 6)],
                                    help_text="1 (negligible) to 5 (severe).")
    review_on = DateField(label="Next review", label_text="the date of the next review", required=False)

    class Meta:
        model = Risk
        fields = ["description", "contract", "owner", "owner_name", "likelihood", "impact", "target_score", "status",
                  "review_on", "actions"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "actions": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self.fields["actions"].queryset = Action.objects.open().order_by("subject", "due_on", "pk")
        self.fields["contract"].queryset = Contract.objects.order_by("reference")
        self.fields["contract"].label_from_instance = lambda c: f"{c.reference}: {c.title}"
        self.fields["contract"].help_text = "For a risk on a contract rather than on a project or the programme."
        self.fields["actions"].label_from_instance = lambda a: f"{a.subject}: {a.description[:80]}"


class EngagementForm(forms.ModelForm):
    held_on = DateField(label="When", label_text="the date of the engagement", past=True)

    class Meta:
        model = Engagement
        fields = ["group", "method", "held_on", "you_said", "we_did"]
        widgets = {"group": forms.RadioSelect, "you_said": forms.Textarea(attrs={"rows": 3}),
                   "we_did": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = EngagementGroup.choices


class EiaForm(forms.Form):
    """Each characteristic's impact, evidence and mitigation; a characteristic left without an impact is not yet
    assessed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in Characteristic.choices:
            self.fields[f"{value}_impact"] = forms.ChoiceField(
                label=f"{label}: impact", required=False, choices=Impact.choices, widget=forms.RadioSelect)
            self.fields[f"{value}_evidence"] = forms.CharField(
                label=f"{label}: evidence", required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{value}_mitigation"] = forms.CharField(
                label=f"{label}: mitigation", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def groups(self):
        return [(label, [self[f"{value}_{part}"] for part in ("impact", "evidence", "mitigation")])
                for value, label in Characteristic.choices]

    def clean(self):
        cleaned = super().clean()
        for value, label in Characteristic.choices:
            if cleaned.get(f"{value}_impact") == Impact.NEGATIVE and not cleaned.get(f"{value}_mitigation"):
                self.add_error(f"{value}_mitigation", f"Enter how the negative impact on {label.lower()} is mitigated")
        return cleaned

    def lines(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {value: {"impact": data[f"{value}_impact"], "evidence": data[f"{value}_evidence"],
                        "mitigation": data[f"{value}_mitigation"]}
                for value, _ in Characteristic.choices if data.get(f"{value}_impact")}


class OptionForm(forms.ModelForm):
    class Meta:
        model = Option
        fields = ["name", "cost", "benefits", "risks", "score", "chosen", "why_chosen"]
        widgets = {"benefits": forms.Textarea(attrs={"rows": 3}), "risks": forms.Textarea(attrs={"rows": 3}),
                   "why_chosen": forms.Textarea(attrs={"rows": 3})}
        labels = {"chosen": "This is the chosen option"}
