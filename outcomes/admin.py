from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgeBand, Outcome, Theme


class OutcomeInline(admin.TabularInline):
    model = Outcome
    fields = ["statement", "age_band", "owner", "level_of_need", "order"]
    autocomplete_fields = ["owner"]
    extra = 0
    show_change_link = True


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "head_of_service", "lead", "order"]
    list_filter = ["kind"]
    search_fields = ["name", "head_of_service", "corporate_priority"]
    autocomplete_fields = ["lead"]
    inlines = [OutcomeInline]


@admin.register(AgeBand)
class AgeBandAdmin(SimpleHistoryAdmin):
    list_display = ["name", "order", "min_age", "max_age"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(Outcome)
class OutcomeAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "theme", "age_band", "owner", "level_of_need"]
    list_filter = ["theme", "age_band", "level_of_need"]
    search_fields = ["statement", "corporate_priority"]
    autocomplete_fields = ["owner"]
    list_select_related = ["theme", "age_band", "owner"]
