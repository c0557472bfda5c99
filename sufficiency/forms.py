from django import forms

from .models import Scenario, UnitCost


class ScenarioForm(forms.ModelForm):
    class Meta:
        model = Scenario
        fields = ["name", "description", "entry_band", "entry_category", "entry_change_percent",
                  "residential_to_fostering_percent", "shift_months", "extra_foster_places", "extra_foster_months"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class UnitCostForm(forms.ModelForm):
    class Meta:
        model = UnitCost
        fields = ["weekly_cost", "source_note"]
