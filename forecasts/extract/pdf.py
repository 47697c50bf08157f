"""Input format PDF: the text of each page read through pypdf, pages joined by blank lines and
words hyphenated across a line end joined again."""

from __future__ import annotations

import io
import re

from .text import Document, ExtractError

INSTALL = "pip install 'forecasts[pdf]'"


def _pypdf():
    try:
        import pypdf  # noqa: PLC0415  (optional)
    except ImportError:
        return None
    return pypdf


def _tidy(page: str) -> str:
    """Hyphenated line ends joined ("fore-\\ncast" -> "forecast"), spaces before a line end cut.

    >>> _tidy("a fore-\\ncast  \\nhere")
    'a forecast\\nhere'
    """
    page = re.sub(r"(?<=[a-z])-\n(?=[a-z])", "", page)
    return re.sub(r"[ \t]+\n", "\n", page)


def read_pdf(data: bytes, name: str) -> Document:
    """The text of a PDF file, with its title and author from the document information."""
    pypdf = _pypdf()
    if pypdf is None:
        raise ExtractError(f"{name} is a PDF file: reading PDF needs pypdf ({INSTALL})")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ExtractError(f"{name}: the PDF is encrypted")
        pages = [_tidy(page.extract_text() or "") for page in reader.pages]
        info = reader.metadata or {}
    except ExtractError:
        raise
    except Exception as error:  # noqa: BLE001  (pypdf raises many kinds on a damaged file)
        raise ExtractError(f"{name}: cannot read the PDF ({type(error).__name__})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise ExtractError(f"{name}: the PDF has no text layer (a scan needs OCR first)")
    title = (info.get("/Title") or "").strip() or None if hasattr(info, "get") else None
    writer = (info.get("/Author") or "").strip() or None if hasattr(info, "get") else None
    return Document(name=name, text=text, kind="pdf", title=title, writer=writer)
