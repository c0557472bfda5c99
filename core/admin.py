from django.contrib import admin

from .models import HeldUpload, ImportRecord, PendingTask, WorkerHeartbeat


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


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    """Background jobs waiting for the broker: an empty list is the normal state."""

    list_display = ["task", "created", "attempts", "last_attempt", "last_error"]
    list_filter = ["task"]
    readonly_fields = ["task", "args", "kwargs", "created", "attempts", "last_attempt", "last_error"]

    def has_add_permission(self, request):
        return False


@admin.register(HeldUpload)
class HeldUploadAdmin(admin.ModelAdmin):
    """Shows that an upload waits for confirmation, never what it holds; deleting one here is allowed."""

    list_display = ["key", "user", "created", "expires"]
    fields = ["key", "user", "created", "expires"]
    readonly_fields = fields
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
