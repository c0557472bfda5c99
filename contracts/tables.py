import django_tables2 as tables
from django.utils.html import format_html

from core.formatting import format_money
from core.people import person_label

from . import dates
from .models import OfstedRating, ShownStatus, ofsted_below_good, url_maker

# The status tags: the register here, every other page through the contract_status_tag filter.
STATUS_TAGS = {
    ShownStatus.LIVE: "govuk-tag--green",
    ShownStatus.NOT_STARTED: "govuk-tag--blue",
    ShownStatus.ENDED_NO_DECISION: "govuk-tag--red",
    ShownStatus.EXPIRED: "govuk-tag--grey",
    ShownStatus.TERMINATED: "govuk-tag--grey",
}
RISK_TAGS = {"high": "govuk-tag--red", "medium": "govuk-tag--yellow", "low": "govuk-tag--grey"}
STATUS_LABELS = dict(ShownStatus.choices)
OFSTED_TAGS = {OfstedRating.REQUIRES_IMPROVEMENT: "govuk-tag--orange", OfstedRating.INADEQUATE: "govuk-tag--red"}
OFSTED_LABELS = dict(OfstedRating.choices)


def status_tag(value):
    return format_html('<strong class="govuk-tag {}">{}</strong>', STATUS_TAGS.get(value, "govuk-tag--grey"),
                       STATUS_LABELS.get(value, value))


def ofsted_tag(rating):
    """The provider's Ofsted judgement when below Good; nothing otherwise."""
    if not ofsted_below_good(rating):
        return ""
    return format_html('<strong class="govuk-tag {}">Ofsted: {}</strong>', OFSTED_TAGS[rating], OFSTED_LABELS[rating])


class ContractTable(tables.Table):
    reference = tables.Column(verbose_name="Contract")
    provider = tables.Column(accessor="provider__name", order_by="provider__name", verbose_name="Provider")
    service_area = tables.Column(verbose_name="Service area")
    effective_status = tables.Column(verbose_name="Status")
    risk = tables.Column()
    current_end = tables.DateColumn(verbose_name="Current end", format="j M Y")
    decision_due_on = tables.Column(verbose_name="Decision due")
    days_to_end = tables.Column(verbose_name="Days to end", empty_values=(), order_by="current_end",
                                attrs={"td": {"class": "app-numeric"}, "th": {"class": "app-numeric"}})
    annual_value = tables.Column(verbose_name="Annual value",
                                 attrs={"td": {"class": "app-numeric"}, "th": {"class": "app-numeric"}})
    contract_manager = tables.Column(verbose_name="Manager", order_by=("contract_manager__last_name", "manager_name"),
                                     empty_values=())

    class Meta:
        attrs = {"class": "govuk-table", "aria-label": "Contracts register"}
        template_name = "contracts/_register_table.html"
        empty_text = "No contracts match these filters."
        per_page = 50
        order_by = ("current_end",)
        fields = []
        sequence = ("reference", "provider", "service_area", "effective_status", "risk",
                    "current_end", "decision_due_on", "days_to_end", "annual_value", "contract_manager")

    numeric_columns = ("days_to_end", "annual_value")
    rows_noun = "contracts"

    def __init__(self, *args, as_of=None, **kwargs):
        self.as_of = as_of
        self.contract_url = url_maker("contracts:detail")
        self.provider_url = url_maker("contracts:provider_detail")
        super().__init__(*args, **kwargs)

    def render_service_area(self, record):
        return record.service_area.label

    def render_reference(self, record):
        return format_html('<a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
                           self.contract_url(record.pk), record.reference, record.title)

    def render_provider(self, record):
        link = format_html('<a class="govuk-link" href="{}">{}</a>', self.provider_url(record.provider_id),
                           record.provider.name)
        rating = ofsted_tag(record.provider.ofsted_rating)
        return format_html("{}<br>{}", link, rating) if rating else link

    def render_effective_status(self, record, value):
        tag = status_tag(value)
        if dates.review_overdue(status=value, next_review_due=record.next_review_due, as_of=self.as_of):
            return format_html('{}<br><strong class="govuk-tag govuk-tag--orange">Review overdue</strong>', tag)
        return tag

    def render_risk(self, record):
        return format_html('<strong class="govuk-tag {}">{}</strong>', RISK_TAGS.get(record.risk, ""),
                           record.get_risk_display())

    def render_decision_due_on(self, record):
        due = format_html("{}", f"{record.decision_due_on:%-d %b %Y}")
        if not dates.decision_overdue(
            status=record.effective_status, decision_recorded=record.decision_recorded,
            decision_due_on=record.decision_due_on, current_end_date=record.current_end, as_of=self.as_of,
        ):
            return due
        late = dates.days_to(self.as_of, record.decision_due_on)
        if not late:
            return format_html('{}<br><strong class="govuk-tag govuk-tag--orange">Due today</strong>', due)
        return format_html('{}<br><strong class="govuk-tag govuk-tag--red">{} day{} overdue</strong>', due, late,
                           "" if late == 1 else "s")

    def render_days_to_end(self, record):
        days = dates.days_to(record.current_end, self.as_of)
        if days >= 0:
            return days
        return f"Ended {-days} day{'' if days == -1 else 's'} ago"

    def render_annual_value(self, value):
        return format_money(value)

    def render_contract_manager(self, value, record):
        if value is None and record.manager_name:
            return format_html('{} <span class="govuk-hint govuk-!-font-size-16">(no account: gets no alerts)</span>',
                               record.manager_name)
        return person_label(value, "") or "—"


class ProviderTable(tables.Table):
    name = tables.Column(linkify=True)
    kind = tables.Column(verbose_name="Kind")
    ofsted_rating = tables.Column(verbose_name="Ofsted rating")
    ofsted_inspected_on = tables.DateColumn(verbose_name="Inspected", format="j M Y")
    status = tables.Column()
    contract_count = tables.Column(verbose_name="Contracts", attrs={"td": {"class": "app-numeric"}})
    live_contract_count = tables.Column(verbose_name="Live contracts", attrs={"td": {"class": "app-numeric"}})
    live_annual_value = tables.Column(verbose_name="Live annual value", attrs={"td": {"class": "app-numeric"}})

    class Meta:
        attrs = {"class": "govuk-table", "aria-label": "Providers"}
        per_page = 50
        fields = []
        sequence = ("name", "kind", "ofsted_rating", "ofsted_inspected_on", "status", "contract_count",
                    "live_contract_count", "live_annual_value")

    rows_noun = "providers"

    def render_kind(self, record):
        return record.get_kind_display()

    def render_ofsted_rating(self, record):
        return record.get_ofsted_rating_display()

    def render_status(self, record):
        return record.get_status_display()

    def render_live_annual_value(self, value):
        return format_money(value)
