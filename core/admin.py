from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.html import format_html, format_html_join

from .models import HeldUpload, ImportRecord, PendingTask, WorkerHeartbeat
from .registry import registry
from .roles import ROLES

ROLE_GROUP_NOTE = (
    "This is one of the five roles. Its permissions are kept in code (core/roles.py, and how each role reaches "
    "an app in the app's registrations.py) and set again by every migrate, so they are shown here but cannot "
    "be changed. To give someone this role, add them to it under Users."
)
INDIVIDUAL_PERMISSIONS_NOTE = (
    "No role holds {}: give it to the person who holds the post, under Users, in their user permissions."
)

# django.contrib.auth registers Group first (it comes before core in INSTALLED_APPS).
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups read-only: a change here would be undone by the next migrate. Other groups edit as usual."""

    list_display = ["name", "is_role"]

    @admin.display(boolean=True, description="Role kept in code")
    def is_role(self, obj):
        return obj.name in ROLES

    @admin.display(description="Permissions")
    def role_permissions(self, obj):
        permissions = obj.permissions.select_related("content_type").order_by(
            "content_type__app_label", "content_type__model", "codename"
        )
        return format_html(
            '<ul class="role-permissions">{}</ul>',
            format_html_join(
                "", "<li>{}: {}</li>",
                ((_app_name(p.content_type.app_label), p.name) for p in permissions),
            ),
        )

    def _is_role(self, obj) -> bool:
        return obj is not None and obj.name in ROLES

    def get_fieldsets(self, request, obj=None):
        if self._is_role(obj):
            return [(None, {"fields": ["name", "role_permissions"], "description": _role_group_note()})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ["name", "role_permissions"] if self._is_role(obj) else []

    def has_change_permission(self, request, obj=None):
        return not self._is_role(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_role(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # Deleting from the list could take a role with it; a group that is not a role is deleted from its page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def _role_group_note() -> str:
    pairs = registry.individual_permissions()
    if not pairs:
        return ROLE_GROUP_NOTE
    # The permissions' names in the council's words ("Can decide a gateway (gateway approver)"), not codenames.
    names = Permission.objects.filter(
        content_type__app_label__in={app for app, _ in pairs}, codename__in={codename for _, codename in pairs}
    ).select_related("content_type")
    wanted = [p.name for p in names if (p.content_type.app_label, p.codename) in pairs]
    return f"{ROLE_GROUP_NOTE} {INDIVIDUAL_PERMISSIONS_NOTE.format(' or '.join(f'“{n}”' for n in sorted(wanted)))}"


def _app_name(app_label: str) -> str:
    try:
        return apps.get_app_config(app_label).verbose_name
    except LookupError:
        return app_label


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
