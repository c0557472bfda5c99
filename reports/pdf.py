"""WeasyPrint: HTML to PDF, with static files read from disk and nothing fetched from the network."""

import gc
import io
import logging
import mimetypes
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

logger = logging.getLogger(__name__)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one line per layout step is noise
logging.getLogger("fontTools").setLevel(logging.WARNING)  # one line per woff2 font file decoded is noise too

import pikepdf  # noqa: E402
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


@contextmanager
def garbage_collection_paused():
    """Python's cycle collector off for the block. WeasyPrint makes hundreds of thousands of short-lived objects
    for a county pack and almost none of them are in cycles: the collector's passes over them took about a sixth
    of the build and freed under 10 MB (bench/bench_reports.py). Reference counting still frees the rest."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """PDF bytes and the page count."""
    variant = pdf_variant()
    options = {"pdf_variant": variant} if variant else {}
    with garbage_collection_paused():
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFileFetcher()).render()
        pdf = document.write_pdf(**options)
    if variant:
        pdf = add_header_scopes(pdf)
    return pdf, len(document.pages)


def _header_scope(cell: pikepdf.Dictionary) -> pikepdf.Name:
    """/Column for a header cell in a header row (in the table head, or a row of header cells only); /Row for a
    header cell beside data cells (HTML's scope="row", which the tag tree no longer records)."""
    row = cell.get("/P")
    section = row.get("/P") if row is not None else None
    if section is not None and section.get("/S") == pikepdf.Name.THead:
        return pikepdf.Name.Column
    kids = row.get("/K") if row is not None else None
    siblings = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
    if all(isinstance(k, pikepdf.Dictionary) and k.get("/S") == pikepdf.Name.TH for k in siblings):
        return pikepdf.Name.Column
    return pikepdf.Name.Row


def add_header_scopes(pdf: bytes) -> bytes:
    """Give every table header cell (/TH) a /Scope attribute, which WeasyPrint does not write: PDF/UA-1 (7.5)
    needs it for a screen reader to tie a header to its cells."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is None:
            return pdf
        stack = [tree.get("/K")]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
                continue  # a marked-content reference or an MCID
            if node.S == pikepdf.Name.TH:
                attributes = node.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = pikepdf.Dictionary(O=pikepdf.Name.Table)
                    node.A = attributes
                attributes.O = pikepdf.Name.Table
                attributes.Scope = _header_scope(node)
            if "/K" in node:
                stack.append(node.K)
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
