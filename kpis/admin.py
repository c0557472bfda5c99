from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Benchmark, Indicator, Measurement, Target


def _queue_recompute(indicator_ids):
    from .services import queue_recompute

    queue_recompute(indicator_ids)


class RecomputeOnSaveMixin:
    """Admin edits change statuses too: queue the recompute after the change commits."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _queue_recompute([obj.indicator_id if hasattr(obj, "indicator_id") else obj.pk])

    def delete_model(self, request, obj):
        indicator_id = obj.indicator_id if hasattr(obj, "indicator_id") else None
        super().delete_model(request, obj)
        if indicator_id:
            _queue_recompute([indicator_id])

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("indicator_id", flat=True)) if hasattr(queryset.model, "indicator") else []
        super().delete_queryset(request, queryset)
        if ids:
            _queue_recompute(ids)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        _queue_recompute([form.instance.pk])


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    fields = ["starts_on", "kind", "value", "upper", "benchmark_source", "tolerance"]


class BenchmarkInline(admin.TabularInline):
    model = Benchmark
    extra = 0
    fields = ["period_end", "source", "value", "minimum", "maximum"]
    classes = ["collapse"]


@admin.register(Indicator)
class IndicatorAdmin(RecomputeOnSaveMixin, SimpleHistoryAdmin):
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
    list_display = ["indicator", "period_end", "value", "status", "direction", "entered_by"]
    list_filter = ["status", "direction", "indicator__theme"]
    search_fields = ["indicator__code", "indicator__name", "note"]
    autocomplete_fields = ["indicator"]
    readonly_fields = ["status", "direction", "computed_at", "entered_at"]
    list_select_related = ["indicator", "entered_by"]
    date_hierarchy = "period_end"
