"""Which sections make up each kind of committee report, and where each comes from.

Each domain app registers its section in its AppConfig (core.registry.ReportSectionSpec): a heading,
``context(*, period_start, period_end, as_of) -> dict`` (usually ``<app>/reports.py``) and a template
(usually ``<app>/templates/<app>/pdf/section.html``). The framework writes the numbered ``<h2>`` for the
section; section templates start their own headings at ``<h3>``. A section context may set:

* ``title``: replaces the default section heading;
* ``appendix_template`` (and ``appendix_title``): an appendix rendered with the same context;
* ``uses_suppression``: True when a figure in it was suppressed, so the [c] footnote is shown.

A member summary is the performance section alone with ``summary_only`` set in its context: the summary and
the exceptions, no detail behind them and no appendix, for councillors who read a few pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string

from core.periods import Quarter
from core.registry import ReportSectionSpec, registry
from core.suppression import FOOTNOTE

PACK = "pack"
MEMBER_SUMMARY = "member_summary"


def report_sections() -> list[ReportSectionSpec]:
    """Every registered section, in report order."""
    return registry.ordered(registry.report_sections)


def sections_for(kind: str, chosen: list[str] | None = None) -> list[str]:
    """The ordered section keys for a kind of report (a pack: the chosen ones, or all)."""
    keys = [spec.key for spec in report_sections()]
    if kind == MEMBER_SUMMARY:
        return ["performance"]
    if kind != PACK:
        if kind not in keys:
            raise ValueError(f"Unknown report kind: {kind}")
        return [kind]
    keys = [spec.key for spec in report_sections() if spec.in_pack]
    chosen = [key for key in keys if key in set(chosen or [])]
    return chosen or keys


@dataclass
class RenderedSection:
    key: str
    number: int
    heading: str
    html: str
    appendix_title: str = ""
    appendix_html: str = ""
    uses_suppression: bool = False

    @property
    def needs_footnote(self) -> bool:
        """The [c] footnote goes under any section that suppressed a figure, unless it printed it already."""
        return self.uses_suppression and FOOTNOTE not in self.html


def render_sections(
    keys: list[str], *, period_start: date, period_end: date, as_of: date, first_number: int = 2,
    summary_only: bool = False,
) -> list[RenderedSection]:
    """Render each section's template, numbered from first_number (summary_only: a member summary's)."""
    rendered = []
    number = first_number
    for key in keys:
        spec = registry.report_sections[key]
        context = dict(spec.context(period_start=period_start, period_end=period_end, as_of=as_of))
        heading = context.get("title") or spec.heading
        context.update(
            section={"number": number, "heading": heading, "key": key},
            period_start=period_start,
            period_end=period_end,
            as_of=as_of,
            suppression_footnote=FOOTNOTE,
            AUTHORITY_NAME=settings.AUTHORITY_NAME,
            summary_only=summary_only,
        )
        html = render_to_string(spec.template, context)
        appendix_html = ""
        if context.get("appendix_template") and not summary_only:
            appendix_html = render_to_string(context["appendix_template"], context)
        rendered.append(
            RenderedSection(
                key=key,
                number=number,
                heading=heading,
                html=html,
                appendix_title=context.get("appendix_title") or (f"{heading}: detail" if appendix_html else ""),
                appendix_html=appendix_html,
                uses_suppression=bool(context.get("uses_suppression")) or "[c]" in html or "[c]" in appendix_html,
            )
        )
        number += 1
    return rendered


_TITLES = {
    "performance": "Quarterly performance report: children's services",
    "contracts": "Contracts report: children's services commissioning",
    "placements": "Placements and sufficiency report",
    "finance": "Placements budget: financial position",
    "actions": "Commissioning action plan: progress report",
    MEMBER_SUMMARY: "Children's services performance: summary for members",
    "sufficiency": "Sufficiency statement: homes for the children we look after",
    "market_position": "Market position statement: children's placements",
    PACK: "Children's services commissioning: quarterly report",
}
_PURPOSES = {
    "performance": "To report performance against the key indicators of the children's services outcomes framework "
    "for {label}, with exceptions first.",
    "contracts": "To summarise the children's services contracts register for {label}, the contracts ending in the "
    "next twelve months and the decisions they need, spending by service area, and savings negotiated.",
    "placements": "To report on placements of children looked after and the sufficiency of placements for {label}.",
    "finance": "To report the forecast outturn of the placements budget at the end of {label}, the lines forecast "
    "to overspend, and the financial implications.",
    "actions": "To report progress on the commissioning action plan at the end of {label}.",
    MEMBER_SUMMARY: "To summarise performance against the key indicators of the children's services outcomes "
    "framework for {label}: the status of each theme, and the indicators off target or close to it.",
    "sufficiency": "To set out, at the end of {label}, the needs of the children the council looks after, "
    "the demand forecast for the next five years, the homes available, the gaps, and the council's commissioning "
    "intentions and action plan under the sufficiency duty (Children Act 1989 section 22G).",
    "market_position": "To tell providers, at the end of {label}, about the children the council looks after and "
    "their needs, forecast demand, what the council spends and the prices it pays, and what it wants to buy.",
    PACK: "To report on children's services commissioning for {label}: performance, contracts, placements and "
    "sufficiency, and progress on the action plan.",
}


def default_front_sheet(kind: str, quarter: Quarter) -> dict[str, str]:
    return {
        "title": _TITLES.get(kind, "Committee report"),
        "report_of": "Director of Children's Services",
        "purpose": _PURPOSES.get(kind, "").format(label=quarter.label),
        "recommendations": "That the Committee notes the report.\n"
        "That the Committee identifies any areas for further scrutiny.",
        "reasons": "The Committee's terms of reference include scrutiny of children's services; this report "
        f"gives it the information to do so for {quarter.label}.",
    }
