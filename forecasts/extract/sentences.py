"""Phase 2, sentences and quotes: the regex splitter tuned for news copy (pysbd on request),
paragraph numbers, and the quoted spans of each sentence."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .article import _BULLET
from .text import CLOSE_DOUBLE, CLOSE_SINGLE, OPEN_DOUBLE, OPEN_SINGLE, ExtractError, _words

# --- optional libraries -------------------------------------------------------------------------

def _pysbd():
    try:
        import pysbd  # noqa: PLC0415  (optional)
    except ImportError:
        return None
    return pysbd


def segmenter_name(segmenter="auto"):
    """Which sentence splitter ``segmenter`` means here: 'pysbd' when asked for (or 'auto' and
    installed), else 'regex'."""
    if segmenter == "regex":
        return "regex"
    if _pysbd() is None:
        if segmenter == "pysbd":
            raise ExtractError("segmenter pysbd is not installed: pip install 'forecasts[extract]'")
        return "regex"
    return "pysbd"


# --- 2. sentences and quotes ------------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "lt", "col", "capt", "sgt", "gov",
    "sen", "rep", "rev", "hon", "pres", "no", "nos", "vs", "etc", "inc", "corp", "co", "ltd", "plc",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig",
    "approx", "est", "dept", "univ", "mt", "ft", "op", "vol", "pp", "cf", "al", "govt", "adm",
}
_SPLIT = re.compile(r"[.!?\u2026]+['\"\u201d\u2019)\]]*(?=\s+['\"\u201c\u2018(\[]?[A-Z0-9\u2022-])")


@dataclass
class Sentence:
    start: int
    end: int
    kind: str      # the kind of its line: title, heading, label, bullet, body
    para: int      # index of its paragraph
    quotes: list = field(default_factory=list)   # speech-quote spans (start, end) it overlaps


def _regex_sentences(text, start, end):
    """Sentence spans of text[start:end]."""
    spans, begin = [], start
    chunk = text[start:end]
    for m in _SPLIT.finditer(chunk):
        stop = start + m.end()
        # only the end of the sentence so far is looked at: a run of abbreviations stays linear
        word = re.search(r"([A-Za-z][A-Za-z.]*)\.+['\"\u201d\u2019)\]]*$", text[max(begin, stop - 80):stop])
        if word:
            w = word[1].lower().rstrip(".")
            if w in _ABBREVIATIONS or re.fullmatch(r"[a-z]", w) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w):
                continue
        spans.append((begin, stop))
        begin = stop
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        spans.append((begin, end))
    return spans


def _pysbd_sentences(text, start, end, segmenter):
    chunk = text[start:end]
    spans, cursor = [], 0
    for sent in segmenter.segment(chunk):
        piece = sent.sent if hasattr(sent, "sent") else str(sent)
        piece = piece.strip()
        if not piece:
            continue
        found = chunk.find(piece, cursor)
        if found < 0:
            return None
        spans.append((start + found, start + found + len(piece)))
        cursor = found + len(piece)
    return spans


def _paragraphs(article):
    """Group article lines into paragraphs: (start, end, kind) with hard-wrapped lines joined."""
    paras = []
    for line in article.lines:
        if line.kind in ("url", "dateline", "boilerplate", "writer", "byline"):
            continue
        text = article.text[line.start:line.end]
        start = line.start
        if line.kind == "bullet":
            start += _BULLET.match(text).end()
        # a line that goes on from a body line with no end punctuation: in lower case, or a
        # body line of its own ("... said\nJohn Smith, chief economist, ...": wrapped text)
        if (paras and paras[-1][2] == "body" and line.kind in ("body", "heading")
                and not re.search(r"[.!?:'\"\u201d\u2019]$", article.text[paras[-1][0]:paras[-1][1]])
                and (text[:1].islower() or line.kind == "body")):
            paras[-1] = (paras[-1][0], line.end, "body")
            continue
        paras.append((start, line.end, line.kind))
    return paras


def _is_apostrophe(text, i):
    return 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum()


def find_quotes(text, start, end):
    """Quoted spans (inner start, inner end, open_end) in text[start:end]; double quotes pair
    with any double quote, single curly quotes only outside double ones."""
    spans, i, opened, kind = [], start, None, None
    while i < end:
        ch = text[i]
        if opened is None:
            if ch in OPEN_DOUBLE + '"':
                opened, kind = i + 1, "double"
            elif ch == OPEN_SINGLE or (ch == "'" and (i == start or not text[i - 1].isalnum())
                                       and i + 1 < end and text[i + 1].isalpha()):
                opened, kind = i + 1, "single"
        else:
            if kind == "double" and ch in CLOSE_DOUBLE + '"' + OPEN_DOUBLE:
                if ch == OPEN_DOUBLE:  # a new quote opens: the old one was left open
                    spans.append((opened, i, True))
                    opened = i + 1
                else:
                    spans.append((opened, i, False))
                    opened = None
            elif kind == "single" and ch in CLOSE_SINGLE + "'" and not _is_apostrophe(text, i):
                spans.append((opened, i, False))
                opened = None
        i += 1
    if opened is not None and kind == "double":
        spans.append((opened, end, True))
    return spans


def _is_speech(text, qs, qe, open_end):
    inner = text[qs:qe]
    return open_end or len(_words(inner)) >= 5 or bool(re.search(r"[,.!?]\s*$", inner))


# Longer than this is not one sentence of prose (a table, a list run together, a hostile input):
# it is cut at spaces, which keeps the work on each sentence bounded and the whole linear.
MAX_SENTENCE = 1500


def _bounded(text, spans, limit=MAX_SENTENCE):
    """Spans no longer than limit: a longer one is cut at its last space before the limit.

    >>> _bounded("aaa bbb ccc", [(0, 11)], limit=8)
    [(0, 8), (8, 11)]
    """
    out = []
    for start, end in spans:
        while end - start > limit:
            cut = text.rfind(" ", start + 1, start + limit)
            cut = cut + 1 if cut > start else start + limit
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


def sentences(article, segmenter="auto"):
    """Sentences of the article (title, headings, bullets and body), with their speech quotes."""
    text = article.text
    splitter = None
    if segmenter_name(segmenter) == "pysbd":
        splitter = _pysbd().Segmenter(language="en", clean=False, char_span=False)
    result = []
    for index, (ps, pe, kind) in enumerate(_paragraphs(article)):
        quotes = [(qs, qe) for qs, qe, open_end in find_quotes(text, ps, pe)
                  if _is_speech(text, qs, qe, open_end)]
        if kind in ("title", "heading", "label"):
            spans = [(ps, pe)]
        else:
            spans = (_pysbd_sentences(text, ps, pe, splitter) if splitter else None) \
                or _regex_sentences(text, ps, pe)
        for ss, se in _bounded(text, spans):
            inside = [(max(qs, ss), min(qe, se)) for qs, qe in quotes if qs < se and qe > ss]
            result.append(Sentence(ss, se, kind, index, inside))
    return result


def unwrapped(text, sents):
    """``text`` with the line breaks inside each sentence made spaces, its length and so every
    offset the same: a hard-wrapped sentence ("... said\\nJohn Smith, ...") reads as one line.

    >>> unwrapped("It will\\nrain.\\n\\nNext.", [Sentence(0, 13, "body", 0)])
    'It will rain.\\n\\nNext.'
    """
    if "\n" not in text:
        return text
    pieces, last = [], 0
    for sent in sents:
        piece = text[sent.start:sent.end]
        if sent.start >= last and ("\n" in piece or "\r" in piece):
            pieces += [text[last:sent.start], piece.replace("\r", " ").replace("\n", " ")]
            last = sent.end
    return "".join(pieces) + text[last:]
