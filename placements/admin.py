from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models
from .services import placement_update


class CodeAdmin(SimpleHistoryAdmin):
    list_display = ["code", "description", "valid_from_year", "valid_to_year"]
    search_fields = ["code", "description"]


@admin.register(models.PlacementType)
class PlacementTypeAdmin(CodeAdmin):
    list_display = [*CodeAdmin.list_display, "category"]
    list_filter = ["category"]


@admin.register(models.PlacementProvider)
class PlacementProviderAdmin(CodeAdmin):
    list_display = [*CodeAdmin.list_display, "kind"]
    list_filter = ["kind"]


@admin.register(models.LegalStatus)
class LegalStatusAdmin(CodeAdmin):
    list_display = [*CodeAdmin.list_display, "is_short_break"]
    list_filter = ["is_short_break"]


@admin.register(models.ReasonNewEpisode)
class ReasonNewEpisodeAdmin(CodeAdmin):
    list_display = [*CodeAdmin.list_display, "starts_placement"]
    list_filter = ["starts_placement"]


@admin.register(models.ReasonEpisodeCeased)
class ReasonEpisodeCeasedAdmin(CodeAdmin):
    pass


@admin.register(models.ReasonPlaceChange)
class ReasonPlaceChangeAdmin(CodeAdmin):
    pass


@admin.register(models.PostcodeDistrict)
class PostcodeDistrictAdmin(SimpleHistoryAdmin):
    list_display = ["code", "latitude", "longitude", "local_authority"]
    list_filter = ["local_authority"]
    search_fields = ["code", "local_authority"]


class PlacementInline(admin.TabularInline):
    """New placements are recorded on the placements pages (a move ends the one before); changes
    here go through the same service, so the distance and the last episode's end follow."""

    model = models.Placement
    extra = 0
    fields = ["start", "end", "placement_type", "provider_kind", "route", "placement_district"]
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "sex", "birth_month", "birth_year", "unaccompanied_asylum_seeking", "send",
                    "ehc_plan"]
    list_filter = ["sex", "unaccompanied_asylum_seeking", "send", "ehc_plan"]
    search_fields = ["reference"]
    inlines = [PlacementInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not models.Placement:
            return super().save_formset(request, form, formset, change)
        for placement in formset.save(commit=False):
            _placement_save(placement, changed=PlacementInline.fields, user=request.user)
        for placement in formset.deleted_objects:
            placement.delete()
        return None


class EpisodeInline(admin.TabularInline):
    model = models.Episode
    extra = 0
    fields = ["start", "end", "legal_status", "reason_new_episode", "reason_ended"]


class AgreementInline(admin.StackedInline):
    model = models.PlacementAgreement
    extra = 0


class CostLineInline(admin.TabularInline):
    """Read-only here: cost changes are recorded on the placement page, where the approval rule applies."""

    model = models.CostLine
    extra = 0
    fields = ["kind", "weekly_amount", "effective_from", "effective_to", "status", "agreed_by", "approved_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PanelReviewInline(admin.TabularInline):
    model = models.PanelReview
    extra = 0


class ProviderKindListFilter(admin.RelatedFieldListFilter):
    """Provider kind, with placements that have none named as DfE's other placements rather than "-"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_value_display = models.NO_PROVIDER_LABEL


@admin.register(models.Placement)
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = ["child", "start", "end", "placement_type", "provider_kind_shown", "route", "in_area",
                    "distance_miles", "source"]
    list_filter = ["placement_type", ("provider_kind", ProviderKindListFilter), "route", "in_area", "source"]
    search_fields = ["child__reference", "ofsted_urn", "placement_district"]
    date_hierarchy = "start"
    list_select_related = ["child", "placement_type", "provider_kind"]
    raw_id_fields = ["child"]
    inlines = [EpisodeInline, AgreementInline, CostLineInline, PanelReviewInline]

    @admin.display(description="provider kind", ordering="provider_kind__code")
    def provider_kind_shown(self, obj):
        return obj.provider_kind or models.NO_PROVIDER_LABEL

    def save_model(self, request, obj, form, change):
        if change:
            _placement_save(obj, changed=form.changed_data, user=request.user)
        else:
            super().save_model(request, obj, form, change)
            placement_update(placement=obj, user=request.user)


def _placement_save(placement, *, changed, user):
    """Save an admin edit through the service: the stored row is changed by the edited fields."""
    stored = models.Placement.objects.get(pk=placement.pk)
    placement_update(placement=stored, user=user, **{name: getattr(placement, name) for name in changed})


@admin.register(models.Episode)
class EpisodeAdmin(SimpleHistoryAdmin):
    list_display = ["child", "start", "end", "legal_status", "reason_new_episode", "reason_ended"]
    list_filter = ["legal_status", "reason_new_episode"]
    search_fields = ["child__reference"]
    raw_id_fields = ["child", "placement"]
    list_select_related = ["child", "legal_status", "reason_new_episode", "reason_ended"]


@admin.register(models.PlacementAgreement)
class PlacementAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "status", "drafted_on", "issued_on", "signed_on", "review_date"]
    list_filter = ["status"]
    search_fields = ["placement__child__reference"]
    raw_id_fields = ["placement"]
    list_select_related = ["placement__child", "placement__placement_type"]


@admin.register(models.CostLine)
class CostLineAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "kind", "weekly_amount", "effective_from", "effective_to", "status", "agreed_by",
                    "approved_by"]
    list_filter = ["kind", "status", "needs_approval"]
    search_fields = ["placement__child__reference", "reason"]
    raw_id_fields = ["placement"]
    readonly_fields = ["status", "needs_approval", "approved_by", "approved_at"]
    list_select_related = ["placement__child", "placement__placement_type", "agreed_by", "approved_by"]

    # Recorded and approved only through the service (second-person approval above the threshold).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.PanelReview)
class PanelReviewAdmin(SimpleHistoryAdmin):
    list_display = ["placement", "due_on", "held_on", "decision"]
    list_filter = ["decision"]
    search_fields = ["placement__child__reference", "notes"]
    raw_id_fields = ["placement"]
    list_select_related = ["placement__child", "placement__placement_type"]


@admin.register(models.ChildPageView)
class ChildPageViewAdmin(admin.ModelAdmin):
    list_display = ["child", "user", "viewed_at"]
    list_filter = ["viewed_at"]
    search_fields = ["child__reference", "user__username"]
    readonly_fields = ["child", "user", "viewed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by the DfE check task."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DfeFindingInline(admin.TabularInline):
    model = models.DfeFinding
    fields = ["rule_code", "description", "row_count", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(models.DfeCheck)
class DfeCheckAdmin(ReadOnlyAdmin):
    list_display = [
        "requested_at", "requested_by", "episodes_file", "status", "collection_year", "ruleset_year", "rules_run"
    ]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    inlines = [DfeFindingInline]


@admin.register(models.DfeFinding)
class DfeFindingAdmin(ReadOnlyAdmin):
    list_display = ["check_run", "rule_code", "row_count", "description"]
    search_fields = ["rule_code", "description"]
    list_select_related = ["check_run"]
    exclude = ["rows"]


@admin.register(models.DfeCheckUpload)
class DfeCheckUploadAdmin(ReadOnlyAdmin):
    """Shows that a return is held, never what it holds; deleting one here is allowed."""

    list_display = ["check_run", "created"]
    fields = ["check_run", "created"]
    readonly_fields = fields
    list_select_related = ["check_run"]

    def has_view_permission(self, request, obj=None):
        return obj is None and super().has_view_permission(request)


class SkippedChildInline(admin.TabularInline):
    model = models.SkippedChild
    fk_name = "return_import"
    fields = ["reference", "header_rows", "episode_rows", "problems", "replaced_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(models.ReturnImport)
class ReturnImportAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "imported_by", "collection_year", "children_imported", "children_skipped",
                    "skip_invalid_children"]
    list_filter = ["skip_invalid_children", "collection_year"]
    list_select_related = ["imported_by"]
    inlines = [SkippedChildInline]


@admin.register(models.SkippedChild)
class SkippedChildAdmin(ReadOnlyAdmin):
    list_display = ["reference", "return_import", "replaced_by"]
    search_fields = ["reference"]
    list_select_related = ["return_import", "replaced_by"]
