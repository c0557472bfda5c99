import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.formatting import format_money

from .models import NO_PROVIDER_LABEL, AgreementStatus, Placement, PlacementTypeGroup

IPA_LABELS = dict(AgreementStatus.choices)
GROUP_LABELS = dict(PlacementTypeGroup.choices)


class PlacementTable(tables.Table):
    child = tables.Column(accessor="child__reference", verbose_name="Child", order_by=("child__reference",))
    start = tables.DateColumn(format="j M Y", verbose_name="Start")
    end = tables.DateColumn(format="j M Y", verbose_name="End", default="Current")
    placement_type = tables.Column(accessor="placement_type__code", verbose_name="Type",
                                   order_by=("placement_type__code",))
    type_group = tables.Column(verbose_name="Type group")
    provider_kind = tables.Column(accessor="provider_kind__code", verbose_name="Provider kind",
                                  default=NO_PROVIDER_LABEL)
    provider = tables.Column(accessor="provider__name", verbose_name="Provider", default="–")
    route = tables.Column(verbose_name="Route")
    weekly_cost = tables.Column(verbose_name="Weekly cost", attrs={"td": {"class": "app-numeric"}})
    ipa_status = tables.Column(verbose_name="IPA", default="Not needed")
    distance_miles = tables.Column(verbose_name="Miles from home", default="Not known",
                                   attrs={"td": {"class": "app-numeric"}})
    detail = tables.Column(empty_values=(), orderable=False, verbose_name="Details")

    class Meta:
        model = Placement
        fields = []
        sequence = ["child", "start", "end", "placement_type", "type_group", "provider_kind", "provider", "route",
                    "weekly_cost", "ipa_status", "distance_miles", "detail"]
        attrs = {"class": "govuk-table", "aria-label": "Placements"}
        empty_text = "No placements match these filters."

    rows_noun = "placements"

    def render_child(self, record, value):
        url = reverse("placements:child", args=[record.child_id])
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)

    def render_type_group(self, value):
        return GROUP_LABELS.get(value, value)

    def render_route(self, record):
        return record.get_route_display()

    def render_weekly_cost(self, value):
        return format_money(value, places=2)

    def render_ipa_status(self, value):
        return IPA_LABELS.get(value, "Not needed") if value else "Not needed"

    def render_detail(self, record):
        return format_html(
            '<a class="govuk-link" href="{}">View<span class="govuk-visually-hidden"> placement of {} from {}'
            "</span></a>",
            record.get_absolute_url(), record.child.reference, record.start.strftime("%-d %b %Y"),
        )
