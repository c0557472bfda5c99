import django_filters
from django import forms
from django.db.models import Q

from contracts.models import Provider

from .models import NO_PROVIDER_LABEL, AgreementStatus, Placement, PlacementProvider, PlacementType, Route
from .selectors import external_q

IPA_CHOICES = [*AgreementStatus.choices, ("unsigned", "Not signed (any status)")]


class PlacementFilter(django_filters.FilterSet):
    child = django_filters.CharFilter(field_name="child__reference", lookup_expr="iexact", label="Child reference")
    current = django_filters.ChoiceFilter(
        method="by_current", label="Placements", empty_label="All placements",
        choices=[("current", "Current placements"), ("ended", "Ended placements")],
    )
    placement_type = django_filters.ModelChoiceFilter(
        queryset=PlacementType.objects.all(), label="Placement type", empty_label="All types"
    )
    provider_kind = django_filters.ModelChoiceFilter(
        queryset=PlacementProvider.objects.all(), label="Provider kind", empty_label="All provider kinds",
        null_label=NO_PROVIDER_LABEL,
    )
    provider = django_filters.ModelChoiceFilter(
        queryset=Provider.objects.filter(placements__isnull=False).distinct().order_by("name"),
        label="Provider", empty_label="All providers",
    )
    route = django_filters.ChoiceFilter(choices=Route.choices, empty_label="All routes")
    ipa_status = django_filters.ChoiceFilter(
        method="by_ipa", choices=IPA_CHOICES, label="IPA status", empty_label="All (external placements only)"
    )
    weekly_cost_min = django_filters.NumberFilter(
        field_name="weekly_cost", lookup_expr="gte", label="Weekly cost from (£)"
    )
    weekly_cost_max = django_filters.NumberFilter(
        field_name="weekly_cost", lookup_expr="lte", label="Weekly cost to (£)"
    )
    over_20_miles = django_filters.BooleanFilter(
        method="by_distance", label="More than 20 miles from home",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Placement
        fields = ["child", "current", "placement_type", "provider_kind", "provider", "route", "ipa_status",
                  "weekly_cost_min", "weekly_cost_max", "over_20_miles"]

    def __init__(self, *args, as_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of
        for name in ("weekly_cost_min", "weekly_cost_max"):
            self.filters[name].field.widget = forms.NumberInput(attrs={"min": 0, "step": "0.01"})

    def by_current(self, queryset, name, value):
        if value == "current":
            return queryset.filter(Q(end__isnull=True) | Q(end__gt=self.as_of), start__lte=self.as_of)
        if value == "ended":
            return queryset.filter(end__lte=self.as_of)
        return queryset

    def by_ipa(self, queryset, name, value):
        external = queryset.filter(external_q())
        if value == "unsigned":
            return external.exclude(agreement__status=AgreementStatus.SIGNED)
        if value == AgreementStatus.NOT_STARTED:
            return external.filter(Q(agreement__isnull=True) | Q(agreement__status=value))
        return external.filter(agreement__status=value)

    def by_distance(self, queryset, name, value):
        from django.conf import settings

        if value:
            return queryset.filter(distance_miles__gt=settings.PLACEMENTS_DISTANCE_THRESHOLD_MILES)
        return queryset
