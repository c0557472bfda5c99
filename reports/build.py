"""Render a report run to HTML (Django templates), then to PDF (WeasyPrint).

No request exists in a worker, so static files (the print stylesheet) are read from disk by a
URL fetcher that refuses everything else: a report never reaches out to the network.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.periods import Quarter
from core.registry import registry
from core.suppression import FOOTNOTE

from .sections import MEMBER_SUMMARY, render_sections, sections_for

# The front sheet's fixed sections are 1 to 4 (purpose and summary, recommendations, reasons, background).
FIRST_SECTION_NUMBER = 5


@dataclass
class BuildResult:
    pdf: bytes
    page_count: int
    render_seconds: float
    pdf_seconds: float
    html: str


def report_context(run) -> dict:
    quarter = Quarter.parse(run.period)
    keys = sections_for(run.kind, run.parameters.get("sections"))
    # A member summary is a briefing, not a paper for decision: purpose and summary, then the KPIs alone.
    summary_only = run.kind == MEMBER_SUMMARY
    first_number = 2 if summary_only else FIRST_SECTION_NUMBER
    sections = render_sections(
        keys, period_start=run.period_start, period_end=run.period_end, as_of=run.as_of,
        first_number=first_number, summary_only=summary_only,
    )
    meeting = run.meeting
    return {
        "run": run,
        "quarter": quarter,
        "committee": meeting.committee.name if meeting else "",
        "meeting_date": meeting.date if meeting else None,
        "sections": sections,
        "first_section_number": first_number,
        "summary_only": summary_only,
        # After the body: the implications, then the background papers.
        "implications_number": first_number + max(len(sections), 1),
        "appendices": [
            {"letter": chr(ord("A") + i), "title": s.appendix_title, "html": s.appendix_html}
            for i, s in enumerate(s for s in sections if s.appendix_html)
        ],
        "data_notes_letter": chr(ord("A") + sum(1 for s in sections if s.appendix_html)),
        "data_notes": data_notes(keys),
        "uses_suppression": any(s.uses_suppression for s in sections),
        "suppression_footnote": FOOTNOTE,
        "AUTHORITY_NAME": settings.AUTHORITY_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "produced_at": timezone.localtime(),
        "pdf_variant": settings.REPORTS_PDF_VARIANT,
    }


def data_notes(section_keys) -> list[dict]:
    """The notes the apps registered for the sections in this report (see core.registry.DataNoteSpec)."""
    return [
        {"text": note.text, "link_text": note.link_text,
         "url": settings.SITE_URL + reverse(note.url_name) if note.url_name else ""}
        for note in registry.ordered(registry.data_notes)
        if not note.section or note.section in section_keys
    ]


def render_report_html(run, **extra) -> str:
    """The report as one HTML document. extra: preview=True and back_url for the browser preview."""
    return render_to_string("reports/pdf/report.html", {**report_context(run), **extra})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    from .pdf import html_to_pdf as convert  # WeasyPrint is imported only where PDFs are made (the worker)

    return convert(html)


def build_pdf(run) -> BuildResult:
    t0 = time.perf_counter()
    html = render_report_html(run)
    t1 = time.perf_counter()
    pdf, pages = html_to_pdf(html)
    t2 = time.perf_counter()
    return BuildResult(pdf=pdf, page_count=pages, render_seconds=t1 - t0, pdf_seconds=t2 - t1, html=html)
