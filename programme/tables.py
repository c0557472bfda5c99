import django_tables2 as tables
from django.utils.html import format_html

from core.templatetags.govuk import rag_tag

from . import selectors
from .models import Project, Risk

NUMERIC = {"td": {"class": "app-numeric"}, "th": {"class": "app-numeric"}}


class ProjectTable(tables.Table):
    reference = tables.Column(linkify=True)
    title = tables.Column()
    service_area = tables.Column(verbose_name="Service area")
    lead = tables.Column(verbose_name="Lead", default="Not assigned")
    stage = tables.Column()
    next_gateway_due = tables.Column(verbose_name="Next gateway")
    missing = tables.Column(empty_values=(), verbose_name="Missing for the gateway", orderable=False)
    red_risks = tables.Column(verbose_name="Red risks", attrs=NUMERIC)
    engagement_count = tables.Column(verbose_name="Engagement", attrs=NUMERIC)

    class Meta:
        model = Project
        fields = ["reference", "title", "service_area", "lead", "stage", "next_gateway_due", "missing", "red_risks",
                  "engagement_count"]
        orderable = False
        attrs = {"class": "govuk-table", "aria-label": "Commissioning projects"}
        empty_text = "No project matches."

    rows_noun = "projects"

    def render_lead(self, value):
        return value.get_full_name() or value.username

    def render_stage(self, record):
        if record.status != "active":
            return format_html('{} <strong class="govuk-tag govuk-tag--grey">{}</strong>', record.stage,
                               record.get_status_display())
        return record.stage

    def render_next_gateway_due(self, record, value):
        if record.is_overdue:
            return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', f"{value:%-d %b %Y}")
        return f"{value:%-d %b %Y}"

    def render_missing(self, record):
        return ", ".join(selectors.project_missing(record)).capitalize() or "Nothing"


class RiskTable(tables.Table):
    description = tables.Column(linkify=True, verbose_name="Risk")
    project = tables.Column(linkify=True, default="Programme")
    owner = tables.Column(empty_values=(), orderable=False)
    score = tables.Column(verbose_name="Score", attrs=NUMERIC)
    target_score = tables.Column(verbose_name="Target", attrs=NUMERIC, default="–")
    status = tables.Column()
    review_on = tables.Column(verbose_name="Next review", default="Not set")

    class Meta:
        model = Risk
        fields = ["description", "project", "owner", "score", "target_score", "status", "review_on"]
        orderable = False
        attrs = {"class": "govuk-table", "aria-label": "Risk register"}
        empty_text = "No risk matches."

    rows_noun = "risks"

    def render_description(self, value):
        return value[:120]

    def render_project(self, value):
        return value.reference

    def render_owner(self, record):
        if record.owner:
            return record.owner.get_full_name() or record.owner.username
        return record.owner_name or "Not assigned"

    def render_score(self, record):
        return format_html("{} {}", record.score, rag_tag(record.rag))

    def render_review_on(self, record, value):
        if record.review_overdue:
            return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', f"{value:%-d %b %Y}")
        return f"{value:%-d %b %Y}"
