from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ContractIndicator,
    ContractIndicatorValue,
    ContractPerformanceAssessment,
    OfstedInspection,
    OfstedSetting,
    OwningGroup,
    ProviderAlert,
    ProviderOwnership,
    QualityAction,
    QualityCheck,
)


@admin.register(OwningGroup)
class OwningGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent"]
    search_fields = ["name"]


@admin.register(ProviderOwnership)
class ProviderOwnershipAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "group"]
    list_select_related = ["provider", "group"]
    search_fields = ["provider__name", "group__name"]


@admin.register(OfstedSetting)
class OfstedSettingAdmin(SimpleHistoryAdmin):
    list_display = ["urn", "setting_name", "provider", "registration_status", "local_authority", "imported_on"]
    list_select_related = ["provider"]
    search_fields = ["urn", "setting_name", "provider_name"]
    list_filter = ["registration_status"]


@admin.register(OfstedInspection)
class OfstedInspectionAdmin(SimpleHistoryAdmin):
    list_display = ["setting", "inspected_on", "judgement"]
    list_select_related = ["setting"]
    list_filter = ["judgement"]


@admin.register(ProviderAlert)
class ProviderAlertAdmin(admin.ModelAdmin):
    list_display = ["setting", "provider", "kind", "about", "raised_at", "sent_at"]
    list_select_related = ["setting", "provider"]
    readonly_fields = ["setting", "provider", "kind", "about", "message", "raised_at", "sent_at", "recipients"]

    def has_add_permission(self, request):
        return False


@admin.register(QualityCheck)
class QualityCheckAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "checked_on", "kind", "rating"]
    list_select_related = ["provider"]
    list_filter = ["kind", "rating"]
    raw_id_fields = ["provider", "contract", "placement"]


@admin.register(QualityAction)
class QualityActionAdmin(SimpleHistoryAdmin):
    list_display = ["action", "owner", "due_on", "completed_on"]
    list_select_related = ["owner"]


@admin.register(ContractIndicator)
class ContractIndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "code", "name", "target_kind", "target"]
    list_select_related = ["contract"]


@admin.register(ContractIndicatorValue)
class ContractIndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "period_end", "value"]
    list_select_related = ["indicator"]


@admin.register(ContractPerformanceAssessment)
class ContractPerformanceAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "year_ending", "rating"]
    list_select_related = ["contract"]
    list_filter = ["rating"]
