import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from contracts.models import ServiceArea

from . import rules
from .models import ProjectStatus, RiskStatus, rag_q


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    stage = django_filters.ChoiceFilter(label="Stage", choices=[], empty_label="Any stage")
    service_area = django_filters.ModelChoiceFilter(label="Service area", queryset=ServiceArea.objects.all(),
                                                    to_field_name="code", empty_label="Any service area")
    status = django_filters.ChoiceFilter(label="Status", choices=ProjectStatus.choices, empty_label="Any status")
    lead = django_filters.ModelChoiceFilter(label="Lead", queryset=get_user_model().objects.none(),
                                            empty_label="Anyone")
    overdue = django_filters.BooleanFilter(label="Gateway overdue only", method="filter_overdue",
                                           widget=forms.CheckboxInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["stage"].extra["choices"] = [(s, s) for s in rules.stages()]
        leads = get_user_model().objects.filter(projects_led__isnull=False).distinct()
        self.filters["lead"].queryset = leads.order_by("first_name", "last_name")
        self.form.fields["lead"].label_from_instance = lambda u: u.get_full_name() or u.username

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset


class RiskFilter(django_filters.FilterSet):
    rag = django_filters.ChoiceFilter(label="RAG", method="filter_rag", empty_label="Any RAG",
                                      choices=[(rules.RED, "Red"), (rules.AMBER, "Amber"), (rules.GREEN, "Green")])
    status = django_filters.ChoiceFilter(label="Status", choices=RiskStatus.choices, empty_label="Any status")
    owner = django_filters.ModelChoiceFilter(label="Owner", queryset=get_user_model().objects.none(),
                                             empty_label="Anyone")
    overdue = django_filters.BooleanFilter(label="Review overdue only", method="filter_overdue",
                                           widget=forms.CheckboxInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects
        chosen = [int(v)] if (v := (self.data or {}).get("owner")) and str(v).isdigit() else []
        owners = users.filter(Q(risks_owned__isnull=False) | Q(pk__in=chosen)).distinct()
        self.filters["owner"].queryset = owners.order_by("first_name", "last_name")
        self.form.fields["owner"].label_from_instance = lambda u: u.get_full_name() or u.username

    def filter_rag(self, queryset, name, value):
        return queryset.filter(rag_q(value))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(review_overdue=True) if value else queryset
