import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone

from core.periods import add_months

from . import selectors
from .models import Contract, ContractType, ProcurementRoute, Provider, Risk, ServiceArea, ShownStatus
from .widgets import FastSelect

ALL = "all"
# Past its end with no decision is still current: someone has to act on it.
CURRENT = [ShownStatus.LIVE, ShownStatus.NOT_STARTED, ShownStatus.ENDED_NO_DECISION]
ALERT_CHOICES = [
    ("decision_due", "Decision due, none recorded"),
    ("review_overdue", "Review overdue"),
    ("past_end", "Past its end with no decision"),
    ("manager_without_account", "Manager without an account (gets no alerts)"),
]


class ContractFilter(django_filters.FilterSet):
    """The register's filters. `as_of` (default today) sets what "status", "ends within" and "alert" mean.
    With no status chosen, only current contracts (live, not started, or ended with no decision) are listed."""

    q = django_filters.CharFilter(label="Reference, title or provider", method="filter_q")
    service_area = django_filters.ModelChoiceFilter(queryset=ServiceArea.objects.all(), to_field_name="code",
                                                    empty_label="Any")
    provider = django_filters.ModelChoiceFilter(queryset=Provider.objects.only("pk", "name").order_by("name"),
                                                empty_label="Any")
    contract_type = django_filters.ChoiceFilter(label="Type", choices=ContractType.choices, empty_label="Any")
    procurement_route = django_filters.ChoiceFilter(label="Route", choices=ProcurementRoute.choices, empty_label="Any")
    status = django_filters.ChoiceFilter(
        label="Status", help_text="Current means live, not yet started, or ended with no decision recorded.",
        choices=[*ShownStatus.choices, (ALL, "Any, including ended")],
        empty_label="Current", method="filter_status",
    )
    risk = django_filters.ChoiceFilter(choices=Risk.choices, empty_label="Any")
    manager = django_filters.ModelChoiceFilter(
        field_name="contract_manager", label="Contract manager", empty_label="Any",
        queryset=get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username"),
    )
    ends_within = django_filters.NumberFilter(
        label="Ends within (months)", method="filter_ends_within",
        widget=forms.NumberInput(attrs={"data-width": "3", "min": 0, "max": 120}),
    )
    alert = django_filters.ChoiceFilter(label="Alert", choices=ALERT_CHOICES, empty_label="Any", method="filter_alert")

    class Meta:
        model = Contract
        fields = ["q", "service_area", "provider", "contract_type", "procurement_route", "status", "risk",
                  "manager", "ends_within", "alert"]

    def __init__(self, *args, as_of=None, **kwargs):
        self.as_of = as_of or timezone.localdate()
        super().__init__(*args, **kwargs)
        self.filters["manager"].field.label_from_instance = lambda u: u.get_full_name() or u.username
        self.form.fields["ends_within"].min_value = 0
        self.form.fields["ends_within"].max_value = 120
        self.form.fields["ends_within"].error_messages.update({
            "invalid": "Enter a whole number of months, like 6",
            "min_value": "Enter a number of months from 0 to 120",
            "max_value": "Enter a number of months from 0 to 120",
        })
        self.form.fields["ends_within"].validators += [MinValueValidator(0), MaxValueValidator(120)]
        for field in self.form.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.choices)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value) | Q(title__icontains=value) | Q(provider__name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        return queryset.filter(effective_status=value) if value else queryset

    def filter_queryset(self, queryset):
        # With no status chosen the register shows current contracts: summing the annual value of
        # contracts that ended years ago would mislead. "Any, including ended" shows everything.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(effective_status__in=CURRENT)
        return super().filter_queryset(queryset)

    def filter_ends_within(self, queryset, name, value):
        if value is None:
            return queryset
        until = add_months(self.as_of, int(value))
        return queryset.filter(current_end__gte=self.as_of, current_end__lte=until)

    def filter_alert(self, queryset, name, value):
        if value == "manager_without_account":
            return queryset.filter(contract_manager__isnull=True).exclude(manager_name="")
        chooser = {
            "decision_due": selectors.contracts_decision_due,
            "review_overdue": selectors.contracts_review_overdue,
            "past_end": selectors.contracts_ended_no_decision,
        }.get(value)
        if chooser is None:
            return queryset
        return queryset.filter(pk__in=chooser(as_of=self.as_of).values("pk"))


class ProviderFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label="Name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(choices=Provider._meta.get_field("kind").choices, empty_label="Any")
    ofsted_rating = django_filters.ChoiceFilter(
        label="Ofsted rating", choices=Provider._meta.get_field("ofsted_rating").choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=Provider._meta.get_field("status").choices, empty_label="Any")

    class Meta:
        model = Provider
        fields = ["name", "kind", "ofsted_rating", "status"]
