from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BudgetLine, ForecastSnapshot


@admin.register(BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ["financial_year", "code", "name", "placement_category", "provision", "amount", "savings_target"]
    list_filter = ["financial_year", "placement_category", "provision"]
    search_fields = ["code", "name"]


@admin.register(ForecastSnapshot)
class ForecastSnapshotAdmin(admin.ModelAdmin):
    list_display = ["financial_year", "as_of", "code", "budget", "forecast", "taken_by"]
    list_filter = ["financial_year", "as_of"]
    readonly_fields = ["taken_at"]

    def has_add_permission(self, request):
        return False  # taken by the forecast, never typed in

    def has_change_permission(self, request, obj=None):
        return False
