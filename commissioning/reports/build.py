"""Render a report run to HTML (Django templates), then to PDF (WeasyPrint).

No request exists in a worker, so static files (the print stylesheet) are read from disk by a
URL fetcher that refuses everything else: a report never reaches out to the network.
"""

from __future__ import annotations

import logging
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from commissioning.suppression import FOOTNOTE

from .periods import Quarter
from .sections import render_sections

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step is noise

BASE_URL = "https://report.invalid/"  # a name that cannot resolve: relative URLs become absolute, nothing leaves


class StaticFileFetcher(URLFetcher):
    """Serve /static/... from the static files on disk; data: URIs as usual; nothing else."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = unquote(urlsplit(url).path)
        if not path.startswith(settings.STATIC_URL):
            raise ValueError(f"Report resources must be static files, not {url}")
        relative = path.removeprefix(settings.STATIC_URL)
        found = finders.find(relative)
        if not found and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / relative
            found = str(candidate) if candidate.is_file() else None
        if not found:
            raise ValueError(f"Static file not found: {relative}")
        mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime_type})


@dataclass
class BuildResult:
    pdf: bytes
    page_count: int
    render_seconds: float
    pdf_seconds: float
    html: str


def report_context(run) -> dict:
    quarter = Quarter.parse(run.period)
    keys = run.parameters.get("sections") or [run.kind]
    sections, missing = render_sections(
        keys, period_start=run.period_start, period_end=run.period_end, as_of=run.as_of, first_number=3
    )
    meeting = run.meeting
    return {
        "run": run,
        "quarter": quarter,
        "committee": meeting.committee.name if meeting else "",
        "meeting_date": meeting.date if meeting else None,
        "sections": sections,
        "missing_sections": missing,
        "appendices": [
            {"letter": chr(ord("A") + i), "title": s.appendix_title, "html": s.appendix_html}
            for i, s in enumerate(s for s in sections if s.appendix_html)
        ],
        "data_notes_letter": chr(ord("A") + sum(1 for s in sections if s.appendix_html)),
        "uses_suppression": any(s.uses_suppression for s in sections),
        "suppression_footnote": FOOTNOTE,
        "AUTHORITY_NAME": settings.AUTHORITY_NAME,
        "SERVICE_NAME": settings.SERVICE_NAME,
        "produced_at": timezone.localtime(),
        "pdf_variant": settings.REPORTS_PDF_VARIANT,
    }


def render_report_html(run) -> str:
    return render_to_string("commissioning/pdf/report.html", report_context(run))


def html_to_pdf(html: str) -> tuple[bytes, int]:
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).render()
    options = {"pdf_variant": settings.REPORTS_PDF_VARIANT} if settings.REPORTS_PDF_VARIANT else {}
    return document.write_pdf(**options), len(document.pages)


def build_pdf(run) -> BuildResult:
    t0 = time.perf_counter()
    html = render_report_html(run)
    t1 = time.perf_counter()
    pdf, pages = html_to_pdf(html)
    t2 = time.perf_counter()
    return BuildResult(pdf=pdf, page_count=pages, render_seconds=t1 - t0, pdf_seconds=t2 - t1, html=html)
