"""Input, the article as read from a file: plain text, an HTML page (``html``), a PDF (``pdf``)
or standard input; a folder or several files make a batch whose drafts go in one file."""

from __future__ import annotations

import codecs
import os
import re

from ..files import MAX_ARTICLE_BYTES, read_input
from .text import Document, ExtractError

TEXT_SUFFIXES = (".txt", ".text", ".md")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
PDF_SUFFIXES = (".pdf",)


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:200].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"html" in start


# a charset the page declares in its first bytes: <meta charset>, http-equiv or <?xml encoding>
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)"""
                               rb"""|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""",
                               re.IGNORECASE)
_BYTE_ORDER_MARKS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"),
                     (b"\xfe\xff", "utf-16"))


def _declared_codec(head: bytes) -> str | None:
    """The Python codec of the charset an HTML page declares, or None; Latin-1 and ASCII are
    read as Windows-1252, as browsers read them.

    >>> _declared_codec(b'<meta charset="ISO-8859-1">'), _declared_codec(b"<p>no charset</p>")
    ('cp1252', None)
    """
    found = _DECLARED_CHARSET.search(head)
    if not found:
        return None
    try:
        codec = codecs.lookup((found.group(1) or found.group(2)).decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def decode_article(data: bytes, name: str, html: bool) -> tuple[str, str | None]:
    """The text of an article's bytes, and a note when it had to be guessed: a byte-order mark
    first, then (for HTML) the charset the page declares, then UTF-8, then Windows-1252, the
    usual encoding of text saved on Windows that is not UTF-8.

    >>> decode_article("caf\u00e9".encode("cp1252"), "a.txt", html=False)
    ('caf\u00e9', 'a.txt is not UTF-8: read as Windows-1252')
    """
    for mark, codec in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(codec), None
            except UnicodeDecodeError:
                raise ExtractError(f"{name} starts with a {codec.upper()} byte-order mark but "
                                   "is not that encoding") from None
    declared = _declared_codec(data[:4096]) if html else None
    for codec in [declared] if declared and declared != "utf-8" else []:
        try:
            return data.decode(codec), None
        except UnicodeDecodeError:
            pass  # not what it says: read it as if it said nothing
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data:
        try:
            return data.decode("cp1252"), f"{name} is not UTF-8: read as Windows-1252"
        except UnicodeDecodeError:
            pass
    raise ExtractError(f"{name} is not UTF-8 text, HTML or PDF")


def read_document(path: str) -> Document:
    """Read the article in ``path`` ('-' is standard input) by its kind: a PDF or an HTML page
    (by suffix or by its first bytes), else text (``decode_article`` says how it is decoded).

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = p.write_text("Rain is likely tomorrow.", encoding="utf-8")
    >>> read_document(str(p)).kind
    'text'
    """
    name = "standard input" if path == "-" else path
    if path != "-" and os.path.isdir(path):
        raise ExtractError(f"{path} is a folder: give its files, or the folder alone")
    if path.lower().startswith(("http://", "https://")) and not os.path.exists(path):
        raise ExtractError(f"{path} is a web address: forecasts reads no network; save the page "
                           "(or its text) to a file and give that")
    data = read_input(path, "an article", MAX_ARTICLE_BYTES, text=False, error=ExtractError)
    suffix = os.path.splitext(path)[1].lower()
    if suffix in PDF_SUFFIXES or data.startswith(b"%PDF-"):
        from .pdf import read_pdf  # noqa: PLC0415  (pypdf is optional)

        return read_pdf(data, name)
    html = suffix in HTML_SUFFIXES or _looks_like_html(data[:400])
    text, note = decode_article(data, name, html)
    if "\x00" in text:
        raise ExtractError(f"{name} holds NUL characters: it is not text, HTML or PDF")
    html = html or _looks_like_html(text[:400].encode("utf-8", "replace"))
    if html:
        from .html import read_html  # noqa: PLC0415  (trafilatura is optional)

        doc = read_html(text, name)
    else:
        doc = Document(name=name, text=text)
    if note:
        doc.notes.append(note)
    return doc


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
    given, is called with each file's name before it is read. A file named in ``paths`` that
    cannot be read stops the batch with its name in the message; one found in a folder is left
    out and listed in ``unread`` (file and error), unless no file of the batch can be read.
    """
    from .claims import MIN_SCORE, extract  # noqa: PLC0415  (the pipeline imports this module)

    files = article_paths(paths)
    if not files:
        raise ExtractError("no article files (.txt, .md, .html, .pdf) in " + ", ".join(paths))
    articles, drafts, unread = [], [], []
    named = set(paths)
    for number, path in enumerate(files, start=1):
        if progress:
            progress(path)
        try:
            doc = read_document(path)
        except ExtractError as error:
            if path in named:
                raise
            unread.append({"file": path, "error": str(error)})
            continue
        result = extract(doc.text, date=date or doc.date, url=url or doc.url, scale=scale,
                         min_score=MIN_SCORE if min_score is None else min_score,
                         name=os.path.basename(path) if path != "-" else doc.name,
                         title=doc.title, writer=doc.writer)
        result["input"] = doc.kind
        result["notes"] = doc.notes
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
    if not articles:
        raise ExtractError(f"no article could be read: {unread[0]['file']}: "
                           f"{unread[0]['error']}" + (f" (and {len(unread) - 1} more)"
                                                      if len(unread) > 1 else ""))
    return {"batch": True, "articles": articles, "scale": articles[0]["scale"],
            "date": None, "drafts": drafts, "unread": unread}
