"""PDF text for tests, with whitespace normalised: where a line wraps depends on fonts and widths, and no test
should depend on it. Compare with plain phrases (single spaces) and they match across line breaks."""

import io
import re
from pathlib import Path
from typing import IO

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
