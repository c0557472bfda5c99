"""WeasyPrint: HTML to PDF, with static files read from disk and nothing fetched from the network."""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step is noise
logging.getLogger("fontTools").setLevel(logging.WARNING)  # one line per woff2 font file decoded is noise too

from weasyprint import HTML  # noqa: E402
from weasyprint.pdf import VARIANTS  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

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
            root = Path(settings.STATIC_ROOT).resolve()
            candidate = (root / relative).resolve()
            found = str(candidate) if candidate.is_relative_to(root) and candidate.is_file() else None
        if not found:
            raise ValueError(f"Static file not found: {relative}")
        mime_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": mime_type})


def pdf_variant() -> str | None:
    """The configured variant (default PDF/UA-1, tagged for screen readers) if this WeasyPrint knows it."""
    wanted = settings.REPORTS_PDF_VARIANT
    if not wanted:
        return None
    if wanted not in VARIANTS:
        logger.warning("WeasyPrint does not support PDF variant %r; writing an untagged PDF", wanted)
        return None
    return wanted


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """PDF bytes and the page count."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).render()
    variant = pdf_variant()
    options = {"pdf_variant": variant} if variant else {}
    return document.write_pdf(**options), len(document.pages)
