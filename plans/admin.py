from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionUpdate, Committee, Meeting, Priority, Strategy
from .services import action_save, priority_save, strategy_save


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    fields = ["date", "location"]


@admin.register(Committee)
class CommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name"]
    search_fields = ["name", "description"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["committee", "date", "location"]
    list_filter = ["committee"]
    search_fields = ["committee__name", "location"]
    date_hierarchy = "date"
    list_select_related = ["committee"]


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    fields = ["number", "title", "corporate_priority", "description"]


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "starts_on", "ends_on", "status", "approved_by", "approved_on"]
    list_filter = ["status", "approved_by"]
    search_fields = ["title", "summary"]
    inlines = [PriorityInline]
    list_select_related = ["approved_by"]

    def save_model(self, request, obj, form, change):
        strategy_save(strategy=obj, user=request.user)


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["strategy", "number", "title", "corporate_priority"]
    list_filter = ["strategy"]
    search_fields = ["title", "description", "corporate_priority"]
    list_select_related = ["strategy"]

    def save_model(self, request, obj, form, change):
        priority_save(priority=obj, user=request.user)


class ActionUpdateInline(admin.TabularInline):
    model = ActionUpdate
    extra = 0
    fields = ["noted_on", "note", "status_before", "status_after", "author"]
    readonly_fields = ["status_before", "status_after", "author"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "short_description", "owner", "due_on", "timescale", "status"]
    list_filter = ["status", "subject", "strategy"]
    search_fields = ["subject", "description", "owner__username", "owner__last_name"]
    date_hierarchy = "due_on"
    list_select_related = ["owner", "strategy"]
    autocomplete_fields = ["owner"]
    raw_id_fields = ["priority"]
    inlines = [ActionUpdateInline]

    def save_model(self, request, obj, form, change):
        # Completing an action records the day, as it does on the action's page.
        action_save(action=obj, user=request.user)

    @admin.display(description="Action")
    def short_description(self, obj):
        return obj.description[:80]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "noted_on", "status_before", "status_after", "author"]
    list_filter = ["status_after"]
    search_fields = ["note", "action__description", "action__subject"]
    list_select_related = ["action", "author"]
    raw_id_fields = ["action"]
