from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AlertSent,
    Contract,
    ContractReview,
    Framework,
    FrameworkMembership,
    ProcurementPlanItem,
    Provider,
    ServiceArea,
)
from .services import contract_refresh_derived, contract_reviews_apply


class MembershipInline(admin.TabularInline):
    model = FrameworkMembership
    extra = 0
    autocomplete_fields = ["provider"]


class ReviewInline(admin.TabularInline):
    model = ContractReview
    extra = 0
    fields = ["reviewed_on", "kind", "rating", "findings", "actions", "reviewed_by"]
    autocomplete_fields = ["reviewed_by"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(SimpleHistoryAdmin):
    list_display = ["label", "code", "order"]
    list_editable = ["order"]
    search_fields = ["label", "code"]


@admin.register(Provider)
class ProviderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "ofsted_rating", "ofsted_inspected_on", "is_sme", "is_vcse", "status"]
    list_filter = ["kind", "ofsted_rating", "status", "is_sme", "is_vcse"]
    search_fields = ["name", "companies_house_number", "charity_number", "ofsted_urn"]


@admin.register(Framework)
class FrameworkAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "service_area", "lead_authority", "start_date", "end_date"]
    list_filter = ["kind", "service_area"]
    search_fields = ["name", "lead_authority"]
    inlines = [MembershipInline]


@admin.register(FrameworkMembership)
class FrameworkMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["provider", "framework", "lot", "tier", "agreed_weekly_price"]
    list_filter = ["framework", "tier"]
    search_fields = ["provider__name", "framework__name"]
    autocomplete_fields = ["provider", "framework"]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    """Edits here go through the same rules (Contract.clean); derived dates are refreshed by the service."""

    list_display = [
        "reference", "title", "provider", "service_area", "contract_type", "risk", "current_end",
        "annual_value", "contract_manager",
    ]
    list_filter = ["service_area", "contract_type", "procurement_route", "risk", "status", "funding_source"]
    search_fields = ["reference", "title", "provider__name"]
    autocomplete_fields = ["provider", "framework", "contract_manager", "decision_by"]
    readonly_fields = ["current_end", "final_end", "decision_due_on", "last_reviewed_on", "next_review_due",
                       "decision_for_end"]
    date_hierarchy = "current_end"
    inlines = [ReviewInline]
    list_select_related = ["provider", "contract_manager"]

    def save_model(self, request, obj, form, change):
        contract_refresh_derived(contract=obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # Reviews added, changed or deleted in the inline move the next review as the service does.
        super().save_related(request, form, formsets, change)
        contract_reviews_apply(contract=form.instance, user=request.user)


@admin.register(ContractReview)
class ContractReviewAdmin(SimpleHistoryAdmin):
    list_display = ["contract", "reviewed_on", "kind", "rating", "reviewed_by"]
    list_filter = ["kind", "rating"]
    search_fields = ["contract__reference", "contract__title", "findings"]
    autocomplete_fields = ["contract", "reviewed_by"]
    list_select_related = ["contract", "reviewed_by"]

    def save_model(self, request, obj, form, change):
        moved_from = form.initial.get("contract") if change else None
        super().save_model(request, obj, form, change)
        contract_reviews_apply(contract=obj.contract, user=request.user)
        if moved_from and moved_from != obj.contract_id:
            contract_reviews_apply(contract=Contract(pk=moved_from), user=request.user)

    def delete_model(self, request, obj):
        contract = obj.contract
        super().delete_model(request, obj)
        contract_reviews_apply(contract=contract, user=request.user)

    def delete_queryset(self, request, queryset):
        contract_ids = set(queryset.values_list("contract_id", flat=True))
        super().delete_queryset(request, queryset)
        for pk in contract_ids:
            contract_reviews_apply(contract=Contract(pk=pk), user=request.user)


@admin.register(ProcurementPlanItem)
class ProcurementPlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "service_area", "estimated_value", "planned_start", "planned_award", "key_decision",
                    "approving_body", "approved_on", "status"]
    list_filter = ["service_area", "key_decision", "status"]
    search_fields = ["title", "description", "approving_body"]
    autocomplete_fields = ["lead_officer", "replaces", "contract"]


@admin.register(AlertSent)
class AlertSentAdmin(admin.ModelAdmin):
    list_display = ["contract", "kind", "due_on", "recipient", "sent_at"]
    list_filter = ["kind"]
    search_fields = ["contract__reference"]
    readonly_fields = ["contract", "kind", "due_on", "recipient", "sent_at"]

    def has_add_permission(self, request):
        return False
