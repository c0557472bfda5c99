"""PDF text for tests, with whitespace normalised: where a line wraps depends on fonts and widths, and no test
should depend on it. Compare with plain phrases (single spaces) and they match across line breaks.

Also what the tagged PDF tells a screen reader: each table header cell's /Scope, and the PDF/UA findings of
`pdfua` (the machine-checkable subset of PDF/UA-1)."""

import io
import re
from pathlib import Path
from typing import IO

import pikepdf
from pypdf import PdfReader


def normalise_whitespace(text: str) -> str:
    """Every run of whitespace (spaces, line breaks, tabs) as one space; none at either end."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(source: bytes | str | Path | IO[bytes]) -> str:
    """The text of every page of a PDF (bytes, a path or a binary file), whitespace normalised."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    reader = PdfReader(source)
    return normalise_whitespace(" ".join(page.extract_text() or "" for page in reader.pages))


def pdf_page_texts(pdf: bytes) -> list[str]:
    """Each page's text, whitespace normalised."""
    return [normalise_whitespace(page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]


def _struct_elements(pdf: bytes):
    with pikepdf.open(io.BytesIO(pdf)) as document:
        stack = [document.Root.StructTreeRoot.get("/K")]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                yield node
                if "/K" in node:
                    stack.append(node.K)


def header_cell_scopes(pdf: bytes) -> list[str]:
    """The /Scope of every table header cell (/TH) in the structure tree, in reading order ("" when none)."""
    scopes = []
    for element in _struct_elements(pdf):
        if element.S == pikepdf.Name.TH:
            attributes = element.get("/A")
            scope = attributes.get("/Scope") if isinstance(attributes, pikepdf.Dictionary) else None
            scopes.append(str(scope)[1:] if scope is not None else "")
    return scopes


def empty_headings(pdf: bytes) -> list[str]:
    """Heading elements (/H1 to /H6) that mark no content: pdfua's own check of this fails on pikepdf 10."""

    def marks_content(node) -> bool:
        if isinstance(node, int):
            return True
        if isinstance(node, pikepdf.Array):
            return any(marks_content(kid) for kid in node)
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/Type") == pikepdf.Name.MCR or "/MCID" in node:
                return True
            return "/K" in node and marks_content(node.K)
        return False

    return [str(e.S) for e in _struct_elements(pdf) if re.fullmatch(r"/H\d", str(e.S)) and not marks_content(e.K)]


# pdfua 0.1.3's empty-heading rule calls getattr() on a pikepdf 10 array, which raises: it is skipped, and
# empty_headings() above checks the same thing.
PDFUA_RULES_THAT_CANNOT_RUN = {"UA-14-001"}


def pdfua_findings(pdf: bytes, tmp_path: Path, name: str = "report.pdf") -> list[str]:
    """Every pdfua error and warning, as 'RULE page N: message'; and any rule that could not run."""
    from pdfua import Severity, validate

    path = tmp_path / name
    path.write_bytes(pdf)
    report = validate(str(path))
    found = [
        f"{f.rule_id} page {f.location.page}: {f.message}"
        for f in report.findings
        if f.severity in (Severity.ERROR, Severity.WARNING)
    ]
    found += [
        f"{o.rule_id} not run: {o.skipped_reason}"
        for o in report.skipped
        if o.rule_id not in PDFUA_RULES_THAT_CANNOT_RUN
    ]
    return found
