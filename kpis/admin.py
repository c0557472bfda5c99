from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .measures import measure_choices
from .models import Benchmark, Indicator, Measurement, Target
from .services import queue_recompute


class RecomputeOnSaveMixin:
    """Admin edits change statuses too: queue the recompute after the change commits.

    `indicator_field` names the field holding the indicator's id ("pk" on the indicator itself).
    """

    indicator_field = "indicator_id"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        queue_recompute([getattr(obj, self.indicator_field)])

    def delete_model(self, request, obj):
        indicator_id = getattr(obj, self.indicator_field)
        super().delete_model(request, obj)
        if self.indicator_field != "pk":
            queue_recompute([indicator_id])

    def delete_queryset(self, request, queryset):
        ids = [] if self.indicator_field == "pk" else list(queryset.values_list(self.indicator_field, flat=True))
        super().delete_queryset(request, queryset)
        if ids:
            queue_recompute(ids)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        queue_recompute([form.instance.pk])


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["starts_on", "kind", "value", "upper", "benchmark_source", "tolerance"]


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    extra = 0
    fields = ["period_end", "source", "value", "minimum", "maximum"]
    classes = ["collapse"]


def _measure_key_choices() -> list[tuple[str, str]]:
    return [("", "None: the KPI is entered or imported"), *measure_choices()]


class IndicatorAdminForm(forms.ModelForm):
    # Chosen from the measures the apps register (read when the form is built, after every app has registered).
    measure_key = forms.ChoiceField(
        label="Measure", required=False, choices=_measure_key_choices,
        help_text="For a computed KPI: the measure that fills its values each night.",
    )


@admin.register(Indicator)
class IndicatorAdmin(RecomputeOnSaveMixin, SimpleHistoryAdmin):
    form = IndicatorAdminForm
    indicator_field = "pk"
    list_display = ["code", "name", "theme", "unit", "polarity", "frequency", "owner", "data_source", "active"]
    list_filter = ["theme", "unit", "polarity", "frequency", "data_source", "active"]
    search_fields = ["code", "name", "definition", "measure_key"]
    autocomplete_fields = ["owner", "outcomes"]
    list_select_related = ["theme", "owner"]
    inlines = [TargetInline, BenchmarkInline]


@admin.register(Target)
class TargetAdmin(RecomputeOnSaveMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "starts_on", "kind", "value", "upper", "benchmark_source", "tolerance"]
    list_filter = ["kind", "benchmark_source"]
    search_fields = ["indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator"]


@admin.register(Benchmark)
class BenchmarkAdmin(RecomputeOnSaveMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "period_end", "source", "value", "minimum", "maximum"]
    list_filter = ["source"]
    search_fields = ["indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator"]
    date_hierarchy = "period_end"


@admin.register(Measurement)
class MeasurementAdmin(RecomputeOnSaveMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "period_end", "value", "status", "direction", "entered_by", "approved_at"]
    list_filter = ["status", "direction", "indicator__theme"]
    search_fields = ["indicator__code", "indicator__name", "note", "commentary"]
    autocomplete_fields = ["indicator"]
    # Sign-off goes through the approval page (a second person, recorded), never typed in here.
    readonly_fields = ["status", "direction", "computed_at", "entered_at", "commentary_by", "approved_by",
                       "approved_at"]
    list_select_related = ["indicator", "entered_by"]
    date_hierarchy = "period_end"
