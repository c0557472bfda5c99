import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from outcomes.models import Outcome, Theme

from .models import Frequency, Indicator, Status
from .selectors import responsible_for


def _owners(request):
    owners = get_user_model().objects.filter(owned_indicators__isnull=False).distinct()
    return owners.order_by("first_name", "last_name")


class IndicatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Code or name contains")
    theme = django_filters.ModelChoiceFilter(queryset=Theme.objects.all(), empty_label="All themes")
    outcome = django_filters.ModelChoiceFilter(
        queryset=Outcome.objects.select_related("age_band").order_by("theme__order", "age_band__order", "pk"),
        method="by_outcome", label="Outcome", empty_label="All outcomes",
    )
    owner = django_filters.ModelChoiceFilter(queryset=_owners, empty_label="All owners")
    # The home page's "yours": owned, or in a theme or outcome the person leads. Set by its link only.
    responsible = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(), method="by_responsible", widget=forms.HiddenInput,
        label="Answered for by",
    )
    status = django_filters.ChoiceFilter(
        field_name="latest_status", choices=Status.choices, label="Status", empty_label="All statuses"
    )
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices, empty_label="All frequencies")

    class Meta:
        model = Indicator
        fields = ["q", "theme", "outcome", "owner", "status", "frequency", "responsible"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].field.label_from_instance = lambda u: u.get_full_name() or u.username
        self.filters["q"].field.widget = forms.TextInput()

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def by_responsible(self, queryset, name, value):
        return queryset.filter(responsible_for(value))

    def by_outcome(self, queryset, name, value):
        # A subquery rather than a join, so an indicator never appears twice.
        return queryset.filter(pk__in=Indicator.outcomes.through.objects.filter(outcome=value).values("indicator_id"))
