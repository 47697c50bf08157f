"""Small text helpers shared by every phase of extraction, and its error class."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass

from ..errors import InputError


class ExtractError(InputError):
    """The article or an option cannot be used; the message is one line."""


@dataclass
class Document:
    """An article ready for extraction: its text and what the file said about it."""
    name: str
    text: str
    kind: str = "text"                 # text, html, pdf
    url: str | None = None
    date: datetime.date | None = None
    title: str | None = None
    writer: str | None = None
    notes: list = dataclasses.field(default_factory=list)  # e.g. the encoding was guessed


# --- small text helpers --------------------------------------------------------------------------

APOS = "'\u2019"
OPEN_DOUBLE, CLOSE_DOUBLE = "\u201c", "\u201d"
OPEN_SINGLE, CLOSE_SINGLE = "\u2018", "\u2019"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019\-\.]*[A-Za-z0-9]|[A-Za-z0-9]")


def _words(text):
    return _WORD.findall(text)


def _tokens(text, offset=0):
    """(start, end, word) for each word of text, offsets shifted by offset."""
    return [(m.start() + offset, m.end() + offset, m.group()) for m in _WORD.finditer(text)]


def _clean(text):
    """One line, plain spacing, no surrounding quotes or end punctuation."""
    text = " ".join(text.split())
    return text.strip(" \"'\u201c\u201d\u2018\u2019,;:-\u2013\u2014")


def _plain(text):
    """Typographic quotes and dashes made plain, lower case (same length as text)."""
    return text.translate(str.maketrans("\u2018\u2019\u201c\u201d\u2013\u2014", "''\"\"--")).lower()
