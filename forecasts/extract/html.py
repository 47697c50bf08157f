"""Input format HTML: a saved web page read through trafilatura (offline), which finds the main
text and the page's title, author, date and canonical URL.

Example::

    >>> page = ("<html><head><title>Rates</title><link rel='canonical' href='https://ex.com/a'>"
    ...         "</head><body><article><p>Analysts expect the bank to cut rates by the end of "
    ...         "the year, a survey of economists published on Friday found.</p></article>"
    ...         "</body></html>")
    >>> doc = read_html(page, "page.html")  # doctest: +SKIP
    >>> doc.url, doc.text.startswith("Analysts")  # doctest: +SKIP
    ('https://ex.com/a', True)
"""

from __future__ import annotations

import datetime

from .text import Document, ExtractError

INSTALL = "pip install 'forecasts[html]'"


def _trafilatura():
    try:
        import trafilatura  # noqa: PLC0415  (optional)
    except ImportError:
        return None
    return trafilatura


def read_html(page: str, name: str) -> Document:
    """The article in an HTML page: main text (title first), URL, date, title and author."""
    trafilatura = _trafilatura()
    if trafilatura is None:
        raise ExtractError(f"{name} is an HTML page: reading HTML needs trafilatura ({INSTALL})")
    try:
        found = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                            include_tables=False, favor_precision=True)
    except Exception:  # noqa: BLE001  (a page the library cannot parse is bad input, not a crash)
        found = None
    body = getattr(found, "text", None) if found is not None else None
    if not body or not body.strip():
        raise ExtractError(f"{name}: no article text found in the HTML page")
    title = (getattr(found, "title", None) or "").strip() or None
    text = body if title is None or body.lstrip().startswith(title) else f"{title}\n\n{body}"
    date = None
    raw_date = getattr(found, "date", None)
    if raw_date:
        try:
            date = datetime.date.fromisoformat(str(raw_date)[:10])
        except ValueError:
            date = None
    return Document(name=name, text=text, kind="html", url=getattr(found, "url", None) or None,
                    date=date, title=title, writer=getattr(found, "author", None) or None)
