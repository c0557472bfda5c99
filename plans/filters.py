import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Action, Strategy


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    subject = django_filters.ChoiceFilter(label="Subject", choices=[], empty_label="All subjects")
    status = django_filters.ChoiceFilter(label="Status", choices=Action.Status.choices, empty_label="Any status")
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue", widget=forms.CheckboxInput)
    owner = django_filters.ModelChoiceFilter(
        label="Owner", queryset=get_user_model().objects.none(), empty_label="Anyone"
    )
    strategy = django_filters.ModelChoiceFilter(
        label="Strategy", queryset=Strategy.objects.all(), empty_label="Any strategy"
    )

    class Meta:
        model = Action
        fields = ["q", "subject", "status", "overdue", "owner", "strategy"]

    def __init__(self, *args, subjects=(), as_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of
        self.filters["subject"].extra["choices"] = [(s, s) for s in subjects]
        # The owners of actions, and whoever is asked for (the dashboard links to ?owner=me even with none).
        users = get_user_model().objects
        owners = users.filter(Q(actions_owned__isnull=False) | Q(pk__in=self._chosen_owner())).distinct()
        self.filters["owner"].queryset = owners.order_by("first_name", "last_name")
        self.form.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username

    def _chosen_owner(self) -> list[int]:
        value = (self.data or {}).get("owner")
        return [int(value)] if value and str(value).isdigit() else []

    def search(self, queryset, name, value):
        return queryset.filter(Q(description__icontains=value) | Q(subject__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(is_overdue=True)
        return queryset
