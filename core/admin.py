from django.contrib import admin

from .models import ImportRecord, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "last_seen"]
    search_fields = ["hostname"]
    readonly_fields = ["hostname", "last_seen"]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["imported_at", "area", "kind", "filename", "imported_by", "created", "updated", "unchanged"]
    list_filter = ["area", "kind"]
    search_fields = ["filename", "sha256"]
    readonly_fields = [f.name for f in ImportRecord._meta.fields]

    def has_add_permission(self, request):
        return False
