from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.fields import DateField

from .models import Action, Priority, Strategy


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class StrategyForm(forms.ModelForm):
    starts_on = DateField(
        label="Starts on",
        label_text="the date the strategy starts",
        help_text="First day of the period the strategy covers.",
    )
    ends_on = DateField(
        label="Ends on",
        label_text="the date the strategy ends",
        help_text="Last day of the period the strategy covers.",
    )
    approved_on = DateField(
        label="Approved on", label_text="the date the strategy was approved", required=False, past=True
    )

    class Meta:
        model = Strategy
        fields = ["title", "summary", "principles", "starts_on", "ends_on", "status", "approved_by", "approved_on"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "principles": forms.Textarea(attrs={"rows": 5}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Strategy.Status.APPROVED and not (
            cleaned.get("approved_by") and cleaned.get("approved_on")
        ):
            self.add_error("approved_on", "Enter the approving body and the date it approved the strategy")
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return cleaned


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["number", "title", "description", "corporate_priority"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, strategy: Strategy, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.strategy = strategy

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = Priority.objects.filter(strategy=self.instance.strategy, number=number).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"Priority {number} already exists in this strategy")
        return number


class ActionForm(forms.ModelForm):
    owner = PersonChoiceField(queryset=_people(), required=False)
    due_on = DateField(label="Due date", label_text="the due date", required=False)

    class Meta:
        model = Action
        fields = ["subject", "description", "strategy", "priority", "owner", "due_on", "timescale", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "subject": forms.TextInput(attrs={"list": "subject-list"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people()
        self.fields["priority"].queryset = Priority.objects.select_related("strategy")
        self.fields["priority"].label_from_instance = lambda p: f"{p.strategy.title}: {p}"

    def clean(self):
        cleaned = super().clean()
        priority, strategy = cleaned.get("priority"), cleaned.get("strategy")
        if priority and strategy and priority.strategy_id != strategy.pk:
            self.add_error("priority", "Choose a priority of the selected strategy")
        if priority and not strategy:
            cleaned["strategy"] = priority.strategy
            self.instance.strategy = priority.strategy
        return cleaned


NO_CHANGE = ""


class ActionProgressForm(forms.Form):
    noted_on = DateField(label="Date of update", label_text="the date of the update", past=True)
    note = forms.CharField(label="Progress", widget=forms.Textarea(attrs={"rows": 4}))
    new_status = forms.ChoiceField(
        label="Status after this update",
        required=False,
        choices=[(NO_CHANGE, "No change")] + list(Action.Status.choices),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("noted_on", timezone.localdate())
        super().__init__(*args, **kwargs)
