from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ReportRun, ReportSubscription


@admin.register(ReportRun)
class ReportRunAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "quarter", "status", "requested_by", "queued_at", "page_count", "attempts"]
    list_filter = ["status", "kind", "scheduled"]
    search_fields = ["title", "period", "error"]
    date_hierarchy = "queued_at"
    list_select_related = ["requested_by"]
    raw_id_fields = ["meeting"]
    readonly_fields = [
        "status",
        "error",
        "attempts",
        "automatic_retries",
        "queued_at",
        "started_at",
        "finished_at",
        "render_seconds",
        "pdf_seconds",
        "page_count",
        "file",
        "file_size",
    ]

    @admin.display(description="Quarter", ordering="period")
    def quarter(self, obj):
        return obj.period_label

    def get_readonly_fields(self, request, obj=None):
        # A finished report is a record of what was sent to the committee: nothing on it is changed afterwards.
        if obj is not None and obj.status == ReportRun.Status.COMPLETE:
            return [f.name for f in ReportRun._meta.fields]
        return self.readonly_fields


@admin.register(ReportSubscription)
class ReportSubscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
