"""The programme page's repeated parts built in Python: with 500 projects on the page, one filter call per
project is far cheaper than an include and three tags each, and the RAG tags are built once per colour."""

from functools import cache

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from core.templatetags.govuk import rag_tag

register = template.Library()


@cache
def _rag(value: str, what: str) -> str:
    if value == "no_data":
        return format_html('<strong class="govuk-tag govuk-tag--grey app-rag">Not yet'
                           '<span class="govuk-visually-hidden"> ({})</span></strong>', what)
    return rag_tag(value)


@register.filter
def project_card(p):
    """A project in the programme grid: reference, title and its RAG for time, money and risk (`p.url` is set by
    programme_overview)."""
    return mark_safe(  # every value is escaped here or is a tag built by format_html
        f'<p class="govuk-body-s govuk-!-margin-bottom-2"><a class="govuk-link" href="{escape(p.url)}">'
        f"{escape(p.reference)}</a> {escape(p.title)}<br>Time {_rag(p.time_rag, 'time')} "
        f"Money {_rag(p.money_rag, 'money')} Risk {_rag(p.risk_rag, 'risk')}</p>"
    )


@register.filter
def gateway_items(projects):
    """A month of the gateway timeline as list items."""
    return mark_safe("".join(  # every value is escaped
        f'<li>{p.next_gateway_due.day} {p.next_gateway_due:%b}: <a class="govuk-link" href="{escape(p.url)}">'
        f"{escape(p.reference)}</a>, {escape(p.stage)} to {escape(p.next_stage or 'close')}</li>"
        for p in projects
    ))
