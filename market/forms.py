from django import forms
from django.contrib.auth import get_user_model

from contracts.models import Provider, ReviewRating
from core.fields import DateField
from core.roles import COMMISSIONER, PLACEMENTS_OFFICER

from .models import (
    ContractIndicator,
    OwningGroup,
    PerformanceRating,
    QualityKind,
)


def _user_label(user):
    return user.get_full_name() or user.username


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _user_label(obj)


def action_owners():
    return (get_user_model().objects.filter(is_active=True, groups__name__in=[COMMISSIONER, PLACEMENTS_OFFICER])
            .distinct().order_by("first_name", "last_name", "username"))


class GroupForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Enter the group's name"})
    parent = forms.ModelChoiceField(
        queryset=OwningGroup.objects.order_by("name"), required=False, label="Parent group",
        help_text="The larger group that owns this one, if any.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if group is not None:
            self.fields["parent"].queryset = OwningGroup.objects.exclude(pk=group.pk).order_by("name")


class ProviderGroupForm(forms.Form):
    group = forms.ModelChoiceField(
        queryset=OwningGroup.objects.order_by("name"), required=False, label="Owning group",
        help_text="Leave empty if the provider is independent (owned by no group).",
    )


class LinkSettingForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Provider.objects.order_by("name"), label="Provider in the register",
        error_messages={"required": "Select the provider this setting belongs to"},
    )


class QualityCheckForm(forms.Form):
    checked_on = DateField(label="Date", label_text="the date of the check", past=True)
    kind = forms.ChoiceField(choices=QualityKind.choices, error_messages={"required": "Select the kind of check"})
    rating = forms.ChoiceField(choices=[("", "Select a rating"), *ReviewRating.choices],
                               error_messages={"required": "Select the rating"})
    contract = forms.ModelChoiceField(queryset=None, required=False, label="Contract",
                                      help_text="If the check was about one contract.")
    findings = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    action = forms.CharField(max_length=300, required=False, label="Action agreed",
                             help_text="You can add more actions from the provider's page.")
    owner = OwnerChoiceField(queryset=None, required=False, label="Action owner")
    due_on = DateField(label="Action due date", label_text="the date the action is due", required=False)

    def __init__(self, *args, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = provider.contracts.order_by("reference")
        self.fields["owner"].queryset = action_owners()

    def clean(self):
        data = super().clean()
        if data.get("action"):
            if not data.get("owner"):
                self.add_error("owner", "Select who owns the action")
            if not data.get("due_on"):
                self.add_error("due_on", "Enter the date the action is due")
        elif data.get("owner") or data.get("due_on"):
            self.add_error("action", "Enter the action, or clear its owner and due date")
        return data


class ActionForm(forms.Form):
    action = forms.CharField(max_length=300, error_messages={"required": "Enter the action"})
    owner = OwnerChoiceField(queryset=None, error_messages={"required": "Select who owns the action"})
    due_on = DateField(label="Due date", label_text="the date the action is due")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = action_owners()


class ContractKpiForm(forms.ModelForm):
    class Meta:
        model = ContractIndicator
        fields = ["code", "name", "unit", "target_kind", "target", "tolerance"]
        error_messages = {
            "code": {"required": "Enter the KPI's code, for example K1"},
            "name": {"required": "Enter what the KPI measures"},
            "target": {"required": "Enter the target", "invalid": "Enter the target as a number, like 95"},
            "tolerance": {"invalid": "Enter the tolerance as a number, like 5"},
        }


class PerformanceRatingForm(forms.Form):
    year_ending = DateField(label="Year ending", label_text="the last day of the year assessed")
    rating = forms.ChoiceField(choices=PerformanceRating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the rating"})
    reasons = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}),
                              help_text="Published with the rating: say what the provider did and did not deliver.",
                              error_messages={"required": "Enter the reasons for the rating"})
