"""Input, the article as read from a file: plain text, an HTML page (``html``), a PDF (``pdf``)
or standard input; a folder or several files make a batch whose drafts go in one file."""

from __future__ import annotations

import os

from ..files import MAX_ARTICLE_BYTES, read_input
from .text import Document, ExtractError

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:200].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"html" in start


def read_document(path: str) -> Document:
    """Read the article in ``path`` ('-' is standard input) by its kind: a PDF or an HTML page
    (by suffix or by its first bytes), else UTF-8 text.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("Rain is likely tomorrow.", encoding="utf-8")
    >>> read_document(str(p)).kind
    'text'
    """
    name = "standard input" if path == "-" else path
    if path != "-" and os.path.isdir(path):
        raise ExtractError(f"{path} is a folder: give its files, or the folder alone")
    data = read_input(path, "an article", MAX_ARTICLE_BYTES, text=False, error=ExtractError)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        from .pdf import read_pdf  # noqa: PLC0415  (pypdf is optional)

        return read_pdf(data, name)
    try:
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("utf-8")
    except UnicodeDecodeError:
        raise ExtractError(f"{name} is not UTF-8 text, HTML or PDF") from None
    if suffix in HTML_SUFFIXES or _looks_like_html(data[:400]):
        from .html import read_html  # noqa: PLC0415  (trafilatura is optional)

        return read_html(text, name)
    return Document(name=name, text=text)


def article_paths(paths) -> list[str]:
    """The files to read: each path as given, a folder as its text, HTML and PDF files (sorted,
    hidden files left out)."""
    found = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            names = sorted(n for n in os.listdir(path) if not n.startswith(".")
                           and n.lower().endswith(TEXT_SUFFIXES + HTML_SUFFIXES + PDF_SUFFIXES))
            found += [os.path.join(path, n) for n in names
                      if os.path.isfile(os.path.join(path, n))]
        else:
            found.append(path)
    return found


def extract_documents(paths, date=None, url=None, scale="default", min_score=None,
                      progress=None) -> dict:
    """Drafts for every article in ``paths`` (files, folders, '-'), as one batch document.

    Each draft is tagged with its article; draft ids are numbered per article ("a2.d3"). The
    page's own date and URL are used unless ``date`` or ``url`` is given. ``progress``, when
    given, is called with each file's name before it is read. A file that cannot be read stops
    the batch with its name in the message.
    """
    from .claims import MIN_SCORE, extract  # noqa: PLC0415  (the pipeline imports this module)

    files = article_paths(paths)
    if not files:
        raise ExtractError("no article files (.txt, .md, .html, .pdf) in " + ", ".join(paths))
    articles, drafts = [], []
    for number, path in enumerate(files, start=1):
        if progress:
            progress(path)
        doc = read_document(path)
        result = extract(doc.text, date=date or doc.date, url=url or doc.url, scale=scale,
                         min_score=MIN_SCORE if min_score is None else min_score,
                         name=os.path.basename(path) if path != "-" else doc.name,
                         title=doc.title, writer=doc.writer)
        result["input"] = doc.kind
        if not date and doc.date:
            result["date_from"] = f"the {doc.kind} page"
        meta = {k: v for k, v in result.items() if k not in ("drafts", "skipped")}
        articles.append(meta)
        for draft in result["drafts"]:
            draft["id"] = f"a{number}.{draft['id']}" if len(files) > 1 else draft["id"]
            draft["article"], draft["source_url"] = meta["article"], meta["source_url"]
            draft["outlet"], draft["title"] = meta["outlet"], meta["title"]
            drafts.append(draft)
        if len(files) == 1:
            return {**result, "drafts": drafts}
    return {"batch": True, "articles": articles, "scale": articles[0]["scale"],
            "date": None, "drafts": drafts}
