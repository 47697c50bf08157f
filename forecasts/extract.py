"""Article text -> draft forecasts for a person to review (VERBAL.md part 2). No database writes.

Rule-based and offline: the standard library, the verbal-probability scales (``forecasts.scales``)
and the probability and horizon readers of ``forecasts.parse``. Sentences are split by a regex
tuned for news copy (abbreviations, initials, quotes); pysbd can be asked for
(``segmenter="pysbd"``) when installed. dateparser, when installed, is tried only for a time
expression the horizon table cannot read. Neither is required.

Each draft says who made the forecast (direct quote, indirect speech, "according to", a pronoun
resolved to the last named speaker, a collective source such as "analysts", or the article's own
voice), the verbatim words with character offsets into the text, the event rewritten in positive
form, the cue and the probability it maps to through a named scale (with the row and its source),
the horizon and the resolution date it implies, and flags for what a reviewer should check.

Example::

    >>> article = "Analysts expect the central bank to cut rates by the end of the year."
    >>> result = extract(article, date="2025-03-01")
    >>> d = result["drafts"][0]
    >>> d["speaker"], d["probability"], d["resolves"]
    ('Analysts', 0.7, '2025-12-31')
    >>> article[d["cue_start"]:d["cue_end"]]
    'expect'
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from . import parse
from .errors import InputError
from .scales import UnknownPhrase, UnknownScale, load_scale, read_phrase, scale_name

__all__ = ["ExtractError", "extract", "segmenter_name"]

MIN_SCORE = 0.3


class ExtractError(InputError):
    """The article or an option cannot be used; the message is one line."""


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


# --- 1. loading: source, date, boilerplate, headings ------------------------------------------

_URL_LINE = re.compile(r"\s*(https?://\S+)\s*")
_URL_DATE = [re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$|\.)"),
             re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|$)")]
_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November"
                "|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DATELINE = re.compile(
    rf"(?:(?:published|updated|posted|last updated)[:\s]+)?(?:(?:{'|'.join(_WEEKDAYS)}),?\s+)?"
    rf"(?P<date>(?:{_MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH_NAMES})\.?,?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    r"(?:[\s,]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?\s*", re.I)

_BOILERPLATE = re.compile(
    r"(?:share(?: this| on \w+| post)?:?|advertisement|sponsored(?: content)?|read more:?.*|read next:?.*"
    r"|related(?: posts| articles| stories| content| coverage)?:?|recent posts|popular(?: articles| posts)?"
    r"|top \d+ this week|most read|trending(?: now)?|source link|previous article|next article"
    r"|previous post|next post|leave a reply|leave a comment|\d+ comments?|comments?"
    r"|please enter your (?:comment|name|email).*|you (?:might|may) also like.*|more from .*"
    r"|discover more from .*|follow us.*|click here.*|skip to (?:main )?content|sign up.*"
    r"|subscribe(?: now)?(?: to .*)?|receive free .*|we.ll send you .*|the post .* (?:first )?appeared on .*"
    r"|video: .*|watch: .*|listen: .*|image: .*|photo: .*|(?:photo|image) credit.*|getty images"
    r"|copyright .*|\u00a9.*|all rights reserved.*|references|sources|tags?:.*|filed under.*|topics?:.*"
    r"|this (?:article|story) (?:was|is|has been) (?:originally )?(?:published|republished|updated).*"
    r"|(?:newsletter|email) sign.?up.*|get the latest .*|download the app.*"
    r"|.{2,60} is a (?:news |staff |freelance )?(?:writer|reporter|journalist|editor|correspondent) "
    r"(?:for|at|with) .*)", re.I)
# From one of these on, the rest of the page is not the article (when it comes late enough).
_TAIL = re.compile(
    r"(?:related(?: posts| articles| stories| content)?|recent posts|popular(?: articles| posts)?"
    r"|most read|source link|previous article|next article|previous post|leave a reply"
    r"|you (?:might|may) also like.*|more from .*|discover more from .*|references|read more:?.*"
    r"|sign up .*|subscribe .*|about the author)\s*:?", re.I)
_WRITER = re.compile(r"(?:the|this) (?:writer|author|columnist)(?: is|,| was) (?P<role>.+?)\.?", re.I)
_BYLINE = re.compile(r"by (?P<name>[A-Z][\w'\u2019.\-]+(?: [A-Z][\w'\u2019.\-]+){0,3})"
                     r"(?:,? (?:and|&) [A-Z][\w'\u2019.\-]+(?: [A-Z][\w'\u2019.\-]+){0,3})?"
                     r"(?:\s*[,|\-\u2013\u2014]\s*.{0,60})?")
_BULLET = re.compile(r"(?:[-*\u2022\u2023\u25aa\u25cf\u2013\u2014\u00b7]|\d{1,2}[.)])\s+")
_OUTLET_HINTS = [
    re.compile(r"discover more from (?P<o>[^|\n]+?)\s*(?:\||$)", re.I),
    re.compile(r"(?:read|more) on (?P<o>[A-Z][\w.\- ]+?\.(?:com|co\.uk|org|net|ae|in))\b"),
    re.compile(r"\btold (?P<o>The [A-Z][\w]+(?: [A-Z][\w]+){0,2})\b"),
]


@dataclass
class Line:
    start: int
    end: int
    kind: str  # url, dateline, boilerplate, writer, byline, title, heading, label, bullet, body


@dataclass
class Article:
    text: str
    url: str | None = None
    date: datetime.date | None = None
    date_from: str | None = None
    outlet: str | None = None
    writer: str | None = None
    writer_role: str | None = None
    title: str | None = None
    lines: list = field(default_factory=list)


def _raw_lines(text):
    for m in re.finditer(r"[^\n]*", text):
        if m.start() > 0 and m.start() == m.end() and text[m.start() - 1:m.start()] != "\n":
            continue  # the empty match after a line's end
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in "\r \t\u00a0\ufeff":
            end -= 1
        while start < end and text[start] in " \t\u00a0\ufeff":
            start += 1
        yield start, end


def _heading_like(line_text):
    words = _words(line_text)
    if not words or len(words) > 20:
        return False
    return not re.search(r"[.;,]['\"\u201d\u2019)]?$", line_text)


def _date_from_url(url):
    for pattern in _URL_DATE:
        m = pattern.search(url or "")
        if m:
            try:
                return datetime.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def _outlet_from_url(url):
    m = re.match(r"https?://(?:www\.|amp\.|m\.)?([^/:?#]+)", url or "")
    return m[1] if m else None


def load(text, url=None, date=None):
    """Read the article's source URL, date, outlet and writer, and classify its lines."""
    article = Article(text=text, url=url)
    spans = [(s, e) for s, e in _raw_lines(text)]
    nonblank = [(s, e) for s, e in spans if e > s]
    if nonblank and article.url is None:
        s, e = nonblank[0]
        m = _URL_LINE.fullmatch(text[s:e])
        if m:
            article.url = m[1]
    if date is not None:
        article.date, article.date_from = date, "--date"
    elif _date_from_url(article.url):
        article.date, article.date_from = _date_from_url(article.url), "url"
    for pattern in _OUTLET_HINTS:
        m = pattern.search(text)
        if m:
            article.outlet = _clean(m["o"])
            break
    if article.outlet is None and article.url:
        article.outlet = _outlet_from_url(article.url)

    total = len(text.rstrip()) or 1
    seen_body = False
    tail = False
    title_done = False
    for index, (s, e) in enumerate(nonblank):
        line = text[s:e]
        kind = "body"
        if tail:
            kind = "boilerplate"
        elif index == 0 and _URL_LINE.fullmatch(line):
            kind = "url"
        elif not seen_body and _DATELINE.fullmatch(line):
            kind = "dateline"
            if article.date is None:
                found = _dateline_date(line)
                if found:
                    article.date, article.date_from = found, "dateline"
        elif _TAIL.fullmatch(line) and seen_body and s > 0.4 * total:
            tail = True
            kind = "boilerplate"
        elif _BOILERPLATE.fullmatch(line):
            kind = "boilerplate"
        elif _WRITER.fullmatch(line):
            kind = "writer"
            article.writer_role = _clean(_WRITER.fullmatch(line)["role"])
        elif _BYLINE.fullmatch(line) and len(_words(line)) <= 12:
            kind = "byline"
            article.writer = article.writer or _BYLINE.fullmatch(line)["name"]
        elif _BULLET.match(line):
            kind = "bullet"
        elif line.endswith(":") and len(_words(line)) <= 12:
            kind = "label"
        elif _heading_like(line):
            kind = "heading"
            if not title_done and not seen_body:
                kind = "title"
                article.title = article.title or _clean(line)
        if kind in ("body", "bullet"):
            seen_body = True
        if kind in ("title", "heading", "body", "bullet", "label") and seen_body is False:
            title_done = title_done or kind != "title"
        article.lines.append(Line(s, e, kind))
    return article


def _dateline_date(line):
    m = _DATELINE.fullmatch(line)
    if not m:
        return None
    try:
        return parse.parse_date(re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", m["date"]).replace(".", ""))
    except parse.ParseError:
        return None


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
        word = re.search(r"([A-Za-z][A-Za-z.]*)\.+['\"\u201d\u2019)\]]*$", text[begin:stop])
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
        if (paras and paras[-1][2] == "body" and line.kind in ("body", "heading")
                and not re.search(r"[.!?:'\"\u201d\u2019]$", article.text[paras[-1][0]:paras[-1][1]])
                and text[:1].islower()):
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
        for ss, se in spans:
            inside = [(max(qs, ss), min(qe, se)) for qs, qe in quotes if qs < se and qe > ss]
            result.append(Sentence(ss, se, kind, index, inside))
    return result


# --- 3. cues ----------------------------------------------------------------------------------------

@dataclass
class Cue:
    start: int
    end: int
    kind: str              # numeric, verbal, idiom, expect, modal, relative, softener
    phrase: str | None     # what to read through the scale (or the numeric text)
    negated: bool = False  # a negation outside the phrase applies to the event
    flags: tuple = ()
    event_hint: str | None = None   # an object phrase for idioms ("low expectations for X")
    subject_speaker: bool = False   # the words before the cue name who holds the view


_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "any", "some", "every", "each",
                "its", "their", "his", "her", "our", "my", "your", "no", "all", "both", "another"}
_PREPOSITIONS = {"in", "on", "at", "to", "for", "of", "by", "with", "from", "into", "onto", "over",
                 "under", "about", "after", "before", "during", "since", "until", "within",
                 "without", "against", "among", "between", "through", "across", "around", "as",
                 "than", "like", "via", "per", "toward", "towards", "amid", "despite"}
_CONJUNCTIONS = {"and", "or", "but", "nor", "so", "yet", "because", "although", "though", "if",
                 "unless", "while", "whereas", "when", "where", "whether", "which", "who", "that"}
_OBJECT_PRONOUNS = {"me", "him", "her", "us", "them", "it", "you", "i", "we", "they", "he", "she"}
_PAST_IRREGULAR = {"was", "were", "had", "did", "went", "came", "saw", "took", "made", "got", "said",
                   "fell", "rose", "won", "lost", "became", "began", "gave", "told", "thought",
                   "knew", "left", "kept", "held", "brought", "found", "felt", "met", "ran", "led"}
_STATE_VERBS = {"depend", "depends", "want", "wants", "wish", "wishes", "know", "knows", "need",
                "needs", "mean", "means", "believe", "believes", "think", "thinks", "like",
                "likes", "prefer", "prefers", "hope", "hopes", "seem", "seems", "own", "owns",
                "belong", "belongs", "understand", "understands", "feel", "feels", "intend",
                "intends", "plan", "plans", "aim", "aims", "hold", "holds", "see", "sees"}
_INTENT_WORDS = {"plan", "plans", "planning", "intend", "intends", "aim", "aims", "want", "wants",
                 "wish", "wishes", "hope", "hopes", "seek", "seeks", "try", "tries", "attempt",
                 "attempts", "vow", "vows", "pledge", "pledges", "promise", "promises",
                 "threaten", "threatens", "refuse", "refuses", "decline", "declines", "insist",
                 "insists", "ready", "prepared", "determined", "willing", "keen", "eager"}
_NON_VOLITIONAL = {"be", "become", "end", "happen", "face", "lose", "fail", "suffer", "need",
                   "get", "remain", "stay", "come", "fall", "rise", "grow", "shrink", "collapse",
                   "die", "run", "last", "take", "find", "struggle", "emerge", "prove", "turn",
                   "go", "experience", "see", "win", "lose", "prevail", "succeed", "triumph"}
_MODAL_ADVERBS = {"not", "n't", "never", "also", "still", "probably", "likely", "almost", "certainly",
                  "definitely", "surely", "soon", "only", "then", "eventually", "now", "well", "even",
                  "ultimately", "possibly", "perhaps", "either", "neither", "ever", "really",
                  "actually", "just", "no", "longer", "both", "all", "quickly", "easily", "further",
                  "likewise", "indeed", "nevertheless", "nonetheless", "therefore", "then",
                  "again", "once", "finally", "most", "very", "highly", "sooner", "later", "hardly"}
_NOUN_WILL = {"political", "the", "good", "free", "ill", "own", "popular", "collective", "strong",
              "iron", "his", "her", "their", "its", "our", "my", "your", "of", "against", "last",
              "public", "sheer", "national", "general", "people's", "lack", "no"}
_NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "nothing", "none", "nobody", "cannot"}


def _word_before(text, pos, lo=0):
    m = re.search(r"([A-Za-z'\u2019\-]+)[^A-Za-z'\u2019\-]*$", text[lo:pos])
    return m[1].lower() if m else ""


def _words_before(text, pos, lo=0, n=3):
    return [w.lower() for w in _words(text[lo:pos])][-n:]


def _word_after(text, pos, hi=None):
    m = re.match(r"[^A-Za-z0-9]*([A-Za-z0-9'\u2019\-]+)", text[pos:hi])
    return m[1].lower() if m else ""


def _words_after(text, pos, hi=None, n=3):
    return [w.lower() for w in _words(text[pos:hi])][:n]


def _phrase_regex(phrase):
    """A regex for a scale phrase in running text: contractions, hyphens and spacing vary."""
    words = phrase.split()
    parts, i = [], 0
    while i < len(words):
        w, nxt = words[i], words[i + 1] if i + 1 < len(words) else None
        a = "['\u2019]"
        if nxt == "not" and w in ("will", "is", "are", "do", "does", "would", "could", "was"):
            contracted = {"will": "won", "do": "don", "does": "doesn", "is": "isn", "are": "aren",
                          "would": "wouldn", "could": "couldn", "was": "wasn"}[w]
            parts.append(rf"(?:{w}\s+not|{contracted}{a}t)")
            i += 2
            continue
        if w == "cannot":
            parts.append(rf"(?:cannot|can{a}t|can\s+not)")
        elif w == "it" and nxt == "is":
            parts.append(rf"(?:it\s+is|it{a}s)")
            i += 2
            continue
        elif w == "there" and nxt == "is":
            parts.append(rf"(?:there\s+is|there{a}s)")
            i += 2
            continue
        else:
            parts.append(re.escape(w).replace(r"\-", r"[\s\-\u2010\u2011\u2013]?"))
        i += 1
    return r"(?<![\w\-])" + r"\s+".join(parts) + r"(?![\w\-])"


# Single words and modal phrases handled by the grammar below, not by the plain scan.
_GRAMMAR_PHRASES = {
    "will", "shall", "going to", "is going to", "are going to", "set to", "is set to", "could",
    "may", "might", "expect", "expects", "expected", "expected to", "sees", "forecasts",
    "predicts", "we expect", "i expect", "certain", "remote", "possible", "possibly", "never",
    "doubt", "maybe", "perhaps", "impossible", "likely", "probably", "probable", "unlikely",
    "improbable", "guaranteed", "certainly", "definitely", "doubtful", "will not",
    "not going to", "is not going to", "are not going to", "shall not", "could happen",
    "may happen", "might happen", "we think", "i think", "we believe", "i believe",
    "we estimate", "we assess", "we judge", "no doubt", "not expected", "expected",
}


def _scan_table(scale):
    """(regex, phrase) for the scale phrases found by a plain scan, longest first."""
    phrases = set()
    for name in {"default", scale}:
        for row in load_scale(name):
            p = row["phrase"]
            if p in _GRAMMAR_PHRASES or "..." in p or len(p.split()) < 2:
                continue
            phrases.add(p)
    return [(re.compile(_phrase_regex(p), re.I), p)
            for p in sorted(phrases, key=lambda p: (-len(p), p))]


_SCAN_CACHE = {}


def _scan(scale):
    if scale not in _SCAN_CACHE:
        _SCAN_CACHE[scale] = _scan_table(scale)
    return _SCAN_CACHE[scale]


_NUM = r"\d+(?:[.,]\d+)?"
_NUM_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|twenty|a hundred|hundred|"
              "a thousand|thousand")
_PCT = rf"{_NUM}(?:\s?(?:%|per ?cent|pct))?(?:\s?(?:-|to|\u2013|and)\s?{_NUM})?\s?(?:%|per ?cent|percent|pct)"
_IN = rf"(?:a|an|one|{_NUM}|{_NUM_WORDS})[\s-]in[\s-](?:{_NUM}|{_NUM_WORDS})"
_FRAC = r"(?:a|one|two|three)[\s-](?:half|third|thirds|quarter|quarters|fifth|fifths)"
_EVEN = r"50[-/]50|fifty[\s-]fifty"
_ODDS = rf"{_NUM}\s?(?:-|to|:)\s?{_NUM}(?:\s(?:on|against))?"
_CHANCE_WORDS = r"(?:chances?|probability|probabilities|likelihood|odds|risk|possibility)"
_NUMERIC = [
    re.compile(rf"(?<![\w.])(?P<num>{_PCT}|{_IN}|{_FRAC}|{_EVEN})(?:\s+|-)(?:chance|probability|likelihood|odds|risk|possibility)\b", re.I),
    re.compile(rf"\b{_CHANCE_WORDS}\b[^.;:!?]{{0,80}}?\b(?:at|of|is|are|was|to|around|about|near|nearly|roughly|as high as|as low as|stands? at)\s+(?:about |around |roughly |some |just |nearly |almost )?(?P<num>{_PCT}|{_IN}|{_FRAC}|{_EVEN})", re.I),
    re.compile(rf"\bodds\b[^.;:!?]{{0,60}}?\b(?:at|of|are|to)\s+(?P<num>{_ODDS})", re.I),
    re.compile(rf"(?<![\w.])(?P<num>{_PCT})\s+(?:certain|sure|likely|probable)\b", re.I),
]
_SUPERSEDED = re.compile(
    r"(?:(?:up|down|rising|falling|higher|lower|increased|decreased|raised|cut|lowered|revised)\s+)?"
    r"(?:from|compared (?:with|to)|versus|vs\.?|previously|earlier|before|last (?:week|month|year)'?s?"
    r"|(?:a|one) (?:week|month|year) (?:ago|earlier)|prior estimate of|earlier estimate of)\s*(?:of\s+)?"
    r"(?:about |around |roughly |some )?$", re.I)


def _numeric_cues(text, s, e):
    """Probabilities written as numbers next to chance words; superseded ones are marked."""
    cues, taken = [], []
    chunk = text[s:e]
    for pattern in _NUMERIC:
        for m in pattern.finditer(chunk):
            ns, ne = s + m.start("num"), s + m.end("num")
            if any(ns < b and ne > a for a, b in taken):
                continue
            before = text[max(s, ns - 40):ns]
            after = text[ne:min(e, ne + 12)]
            superseded = bool(_SUPERSEDED.search(before)) or (
                bool(re.search(r"\bfrom\s*$", before)) and bool(re.match(r"\s+to\s", after)))
            taken.append((ns, ne))
            flags = []
            bound = re.search(r"(just under|just below|more than|over|above|at least|less than|"
                              r"under|below|at most)\s*$", before, re.I)
            cues.append(Cue(ns, ne, "numeric", text[ns:ne], flags=tuple(flags)
                            + (("superseded",) if superseded else ())
                            + ((f"bound:{bound[1].lower()}",) if bound else ())))
    # a number after a superseded one in "from X to Y" stands; "up from X" marks only X
    return cues


def _numeric_probability(cue):
    """Read a numeric cue: (p, lo, hi, text) or None."""
    t = cue.phrase.lower()
    t = re.sub(r"\s*(?:per ?cent|percent|pct)", "%", t)
    t = re.sub(r"(\d),(\d)", r"\1.\2", t)
    t = re.sub(r"\s+and\s+", " to ", t)
    t = t.replace("-in-", " in ").replace(" in-", " in ").replace("-in ", " in ")
    try:
        p = parse.parse_probability(t)
    except parse.ParseError:
        return None
    value = p.value
    for flag in cue.flags:
        if flag.startswith("bound:"):
            word = flag.split(":", 1)[1]
            shift = 0.02 if word.startswith("just") else 0.05
            value = value + shift if word in ("more than", "over", "above", "at least") else value - shift
    value = min(max(value, 0.0), 1.0)
    lo = p.lo if p.lo is not None else value
    hi = p.hi if p.hi is not None else value
    return value, lo, hi, t


_ADJ = re.compile(r"(?<![\w\-])(likely|unlikely|probable|improbable|possible|impossible|certain|"
                  r"doubtful|remote)(?![\w\-])", re.I)
_ADV = re.compile(r"(?<![\w\-])(probably|possibly|perhaps|maybe|certainly|definitely|likely)"
                  r"(?![\w\-])", re.I)
_COPULA = {"is", "are", "was", "were", "be", "been", "being", "'s", "\u2019s", "seems", "seem",
           "looks", "look", "appears", "appear", "remains", "remain", "becomes", "become",
           "became", "seemed", "looked", "appeared", "remained", "considered", "deemed",
           "thought", "seen", "viewed", "now", "still", "very", "highly", "quite", "extremely",
           "increasingly", "not", "n't", "also", "entirely", "perfectly", "fairly", "all",
           "almost", "nearly", "virtually", "less", "more", "most", "so", "just", "hardly",
           "isn't", "aren't", "isn\u2019t", "aren\u2019t", "wasn't", "wasn\u2019t"}
_AFTER_PREDICATIVE = {"to", "that", "in", "at", "on", "for", "before", "by", "unless", "if",
                      "until", "within", "amid", "despite", "without", "under", "after", "this",
                      "next", "as", "given", "soon", "now", "anytime", "any", "over", "from",
                      "during", "any", "though", "but", "and", "or", "either"}
_NONCOMMITTAL_AFTER = {"say", "tell", "know", "predict", "forecast", "estimate", "gauge", "judge",
                       "determine", "rule", "assess", "see", "foresee", "quantify", "verify"}


def _adjective_cues(text, s, e, heading):
    cues = []
    for m in _ADJ.finditer(text, s, e):
        word = m[1].lower()
        if heading is False and m[1][0].isupper() and m.start() > s and word != "likely":
            pass
        before = _words_before(text, m.start(), s, 3)
        prev = before[-1] if before else ""
        nxt = _word_after(text, m.end(), e)
        flags = ()
        if prev in ("more", "less", "increasingly", "ever") or (prev == "most" and word != "likely"):
            continue  # a comparison (H4): no value
        if prev == "most" or (prev == "the" and word == "likeliest"):
            most = text.rfind("ost", s, m.start()) - 1
            cues.append(Cue(max(s, most), m.end(), "relative", "most likely", flags=("relative",)))
            continue
        if prev in _DETERMINERS and prev not in ("no",):
            continue  # attributive: "a likely candidate", "Three Possible Outcomes" is caught below
        if word in ("possible", "impossible"):
            if prev == "as" or re.match(r"\s+(?:for|to\s+(?:" + "|".join(_NONCOMMITTAL_AFTER) + r"))\b",
                                        text[m.end():e], re.I) and word == "impossible":
                continue
            if prev in ("as", "if", "where", "when", "whenever", "wherever", "soon"):
                continue
            if word == "possible" and (nxt in ("for", "to") or _word_before(text, m.start(), s) == "as"):
                continue
        if word == "certain" and nxt not in ("to", "that", "") and not re.match(r"\s*[,.;:!?]", text[m.end():e]):
            continue
        if word == "remote" and nxt not in ("", "at", "now", "for", "in") and not re.match(r"\s*[,.;:!?]", text[m.end():e]):
            continue
        predicative = any(w in _COPULA for w in before[-2:]) or (prev in ("it",) and word != "likely")
        after_ok = nxt in _AFTER_PREDICATIVE or not nxt or re.match(r"\s*[,.;:!?\u2014]", text[m.end():e])
        participle = word == "likely" and re.fullmatch(r"[a-z]+(?:ed|en)", nxt or "") is not None
        if heading and m[1][0].isupper() and nxt and not after_ok and not participle:
            continue  # Title Case attributive: "Three Possible Outcomes"
        if not (predicative or after_ok or participle or heading):
            continue
        if word == "likely" and nxt in _STATE_VERBS:
            continue
        if word in ("possible", "impossible") and not predicative and not heading and not after_ok:
            continue
        if word == "likely" and participle:
            flags = ("adverbial",)
        cues.append(Cue(m.start(), m.end(), "verbal", word, flags=flags))
    return cues


def _adverb_cues(text, s, e):
    cues = []
    for m in _ADV.finditer(text, s, e):
        word = m[1].lower()
        nxt_words = _words_after(text, m.end(), e, 2)
        nxt = nxt_words[0] if nxt_words else ""
        prev = _word_before(text, m.start(), s)
        if prev in ("most", "more", "less"):
            continue
        if word == "likely" and prev not in ("will", "would", "could", "most"):
            continue  # adjective "likely" is read by _adjective_cues
        if nxt in _DETERMINERS or nxt in _PREPOSITIONS or nxt in _CONJUNCTIONS or nxt in _OBJECT_PRONOUNS:
            continue
        if nxt in _PAST_IRREGULAR or (nxt.endswith("ed") and prev not in ("will", "would", "be", "is", "are")):
            continue
        if nxt in _STATE_VERBS and prev not in ("will", "would"):
            continue
        if not nxt:
            continue
        cues.append(Cue(m.start(), m.end(), "verbal", word))
    return cues


_MODAL = re.compile(
    r"(?<![\w\-])(?P<m>will|shall|could|may|might|would|won['\u2019]t|wo\s+not"
    r"|(?:is|are|am|['\u2019]s|['\u2019]re)\s+(?:(?:now|still|also|not|probably|likely)\s+)?going\s+to"
    r"|(?:is|are|['\u2019]s|['\u2019]re)\s+(?:(?:now|also|not)\s+)?set\s+to)(?![\w\-])"
    r"|(?<=[A-Za-z])(?P<ll>['\u2019]ll)(?![\w])", re.I)


def _modal_cues(text, s, e, heading, reported):
    """Future and possibility modals followed by a verb."""
    cues = []
    for m in _MODAL.finditer(text, s, e):
        raw = m[0]
        word = raw.lower().replace("\u2019", "'")
        if m["ll"]:
            base = "will"
        elif word.startswith(("won", "wo ")):
            base = "will not"
        elif "going to" in word:
            base = "going to"
        elif "set to" in word:
            base = "set to"
        else:
            base = word
        if raw[0].isupper() and m.start() > s and not heading:
            continue  # "May" the month, "Will" the name
        if raw[0].isupper() and re.match(r"\s+[A-Z]", text[m.end():e]) and base in ("will", "may"):
            continue  # "Will Harrington said"
        if base == "may" and raw[0].isupper() and heading:
            nxt = _word_after(text, m.end(), e)
            if re.fullmatch(r"\d+", nxt or "") or nxt in ("and", "or", ""):
                continue
        prev = _word_before(text, m.start(), s)
        if base == "will" and not m["ll"] and (prev in _NOUN_WILL or prev.endswith("'s")):
            continue
        if base == "would" and not reported(m.start()):
            continue  # hypothetical outside reported speech
        # what follows: adverbs, then a verb (or inversion: "nor will it remain")
        after = _tokens(text[m.end():e], m.end())
        j, negated = 0, base in ("will not",) or " not " in f" {word} "
        while j < len(after) and after[j][2].lower().replace("\u2019", "'") in _MODAL_ADVERBS | {"n't"}:
            if after[j][2].lower() in ("not", "never", "neither", "no", "hardly"):
                negated = True
            j += 1
        if j >= len(after):
            continue
        verb = after[j][2].lower()
        if prev in ("nor", "neither") and verb in ("it", "they", "he", "she", "we", "i", "there"):
            j += 1
            verb = after[j][2].lower() if j < len(after) else ""
            negated = True
        gap = text[m.end():after[j][0]] if j < len(after) else ""
        if re.search(r"[.;:!?,]", gap.replace("n't", "")):
            continue
        if not verb or verb in _DETERMINERS - {"no"} or verb in _PREPOSITIONS or verb in _CONJUNCTIONS \
                or not verb.isalpha() or verb in ("i", "you", "we", "they", "he", "she", "it"):
            continue
        if verb == "have" and base != "will" or verb in ("have",) and _word_after(text, after[j][1], e) in ("been",) and base != "will":
            continue  # could have, would have, might have: past
        if base in ("going to", "set to") and re.match(r"(?:was|were)\b", word):
            continue
        flags = ()
        if base in ("could", "may", "might"):
            flags = ("hedge",)
        cues.append(Cue(m.start(), m.end(), "modal", base, negated=negated, flags=flags))
    return cues


_EXPECT = re.compile(
    r"(?<![\w\-])(?P<aux>(?:is|are|was|were|be|been|being|['\u2019]s|['\u2019]re)\s+(?:(?:widely|now|also|still|generally|broadly|not)\s+)*)?"
    r"(?P<v>expect|expects|expected|expecting|predict|predicts|predicted|predicting|forecast|"
    r"forecasts|forecasted|anticipate|anticipates|anticipated|foresee|foresees|project|projected|"
    r"projects)(?![\w\-])", re.I)


def _expect_cues(text, s, e):
    cues = []
    for m in _EXPECT.finditer(text, s, e):
        verb = m["v"].lower()
        before = _words_before(text, m.start(), s, 3)
        prev = before[-1] if before else ""
        nxt = _word_after(text, m.end(), e)
        aux = (m["aux"] or "").lower()
        negated = bool(re.search(r"\bnot\b", aux)) or prev in ("not", "n't", "never") or \
            bool(re.search(r"n['\u2019]t\s+$", text[max(s, m.start() - 8):m.start()]))
        if prev in ("than", "as", "the", "an", "a", "what", "unexpected", "long", "fully", "less", "more"):
            continue
        if verb in ("forecasts", "projects", "project") and (prev in _DETERMINERS or not m["aux"] and prev not in ("he", "she", "it", "they", "we", "analysts", "economists")):
            if not (prev and prev[0].isalpha() and text[m.start() - 2:m.start() - 1].isalpha() is False):
                continue
        if verb.startswith("project") and not aux:
            continue
        if aux:
            if nxt != "to":
                continue
            if re.match(r"(?:was|were)\b", aux) and False:
                continue
            cues.append(Cue(m.start(), m.end(), "expect", "not expected to" if negated else "expected to",
                            negated=False, flags=("passive",)))
            continue
        if verb == "expected" and nxt == "to" and prev not in ("had", "have", "has", "was", "were", "been"):
            cues.append(Cue(m.start(), m.end(), "expect", "not expected to" if negated else "expected to",
                            flags=("passive",)))
            continue
        if verb.endswith("ed") and prev in ("had", "was", "were", "been") or nxt in ("to", "of") and verb == "expected":
            continue
        if verb in ("expected", "predicted", "forecast", "forecasted", "anticipated") and not before:
            continue
        if nxt in ("it", "them", "him", "her") and _word_after(text, m.end() + 1 + len(nxt), e) in ("", "to"):
            pass
        phrase = "do not expect" if negated else "expect"
        cues.append(Cue(m.start(), m.end(), "expect", phrase, subject_speaker=True))
    return cues


_SOFTENER = re.compile(
    r"(?<![\w\-])(?:i|we)\s+(?:would|['\u2019]d)\s+(?:suggest|say|argue|guess|think)|(?:i|we)\s+(?:do\s+not|don['\u2019]t|did\s+not)\s+(?:think|believe|see)"
    r"|(?:i|we)\s+(?:think|believe|suspect|reckon|guess|feel|fear|sense)|in\s+my\s+(?:view|opinion|judge?ment)"
    r"|arguably|it\s+seems|it\s+appears|my\s+(?:sense|guess|hunch)\s+is|(?:i|we)\s+(?:am|are|['\u2019]m|['\u2019]re)\s+(?:fairly|pretty|quite)?\s*(?:sure|convinced)",
    re.I)

_IDIOMS = [
    (re.compile(r"\bcast(?:s|ing)?\s+(?:serious\s+|fresh\s+|further\s+|new\s+|some\s+)?doubts?\s+(?:on|over|about|upon)\s+(?P<obj>[^.;:!?]+)", re.I), "doubt", ("convention",)),
    (re.compile(r"\b(?:set|sets|setting|kept|keep|keeps|keeping|lowered|lowers|lowering|dampened|dampens|tempered|tempers|managed|manages)\s+(?:\w+\s+){0,1}?(?:expectations|hopes)(?:\s+\w+){0,2}?\s+(?:low|down)\b(?P<obj>)", re.I), "unlikely", ("convention",)),
    (re.compile(r"\b(?:(?:expressed|expresses|express|voiced|voices|have|has|had|holds?|held|with|signall?ed)\s+)?(?:very\s+)?(?:low|modest|muted|limited|dim|little|slim|few)\s+(?:expectations|hopes)\s+(?:for|of|about|that)\s+(?P<obj>[^.;:!?]+)", re.I), "unlikely", ("convention",)),
    (re.compile(r"\b(?:played|plays|playing|play)\s+down\s+(?:the\s+)?(?:chances?|prospects?|hopes?|expectations|likelihood|odds)\s+(?:of|for|that)\s+(?P<obj>[^.;:!?]+)", re.I), "unlikely", ("convention",)),
    (re.compile(r"\b(?:downplayed|downplays|downplaying)\s+(?:the\s+)?(?:chances?|prospects?|hopes?|expectations|likelihood|odds)\s+(?:of|for|that)\s+(?P<obj>[^.;:!?]+)", re.I), "unlikely", ("convention",)),
    (re.compile(r"\b(?:dismissed|dismisses|dismissing|dismiss|rejected|rejects|rebuffed|brushed\s+aside|poured\s+cold\s+water\s+on|pours\s+cold\s+water\s+on)\s+(?:the\s+)?(?:suggestions?|speculation|talk|reports?|idea|notion|prospects?|possibility|chances?|claims?|hopes?|rumou?rs?)\s+(?:of|that|about)\s+(?P<obj>[^.;:!?]+)", re.I), "will not", ("convention", "unhedged")),
    (re.compile(r"\b(?:did\s+not|didn['\u2019]t|would\s+not|wouldn['\u2019]t|refused\s+to|declined\s+to|won['\u2019]t|will\s+not|not)\s+rul(?:e|ing)\s+out\s+(?P<obj>[^.;:!?]+)", re.I), "cannot rule out", ()),
    (re.compile(r"(?<!not\s)\brul(?:ed|es)\s+out\s+(?P<obj>[^.;:!?]+)", re.I), "will not", ("convention", "unhedged")),
    (re.compile(r"\b(?:is|are|was|remains?|seems?)\s+(?:not|no\s+longer|hardly)\s+(?:a|an)\s+(?:realistic\s+|serious\s+|real\s+|likely\s+|near[\s\-]term\s+|immediate\s+|viable\s+|short[\s\-]term\s+)?(?:prospect|possibility|option)\b(?P<obj>)", re.I), "will not", ("convention", "unhedged")),
    (re.compile(r"\b(?:is|are|remains?|seems?)\s+(?:a|an)\s+(?:distant|remote|faint)\s+(?:prospect|possibility|hope)\b(?P<obj>)", re.I), "remote", ("convention",)),
    (re.compile(r"\b(?:is|are|remains?|seems?)\s+(?:a|an)\s+(?:real|serious|distinct|strong)\s+(?:prospect|possibility)\b(?P<obj>)", re.I), "real possibility", ("convention",)),
    (re.compile(r"(?<![\w\-])(?:i|we|he|she|they|analysts|experts|economists|officials)\s+doubts?\s+(?:that|whether|if|it|the|this|there)\b(?P<obj>)", re.I), "doubt", ()),
]


def _idiom_cues(text, s, e):
    cues = []
    for pattern, phrase, flags in _IDIOMS:
        for m in pattern.finditer(text, s, e):
            obj = m.group("obj") if "obj" in pattern.groupindex else None
            end = m.start("obj") if obj else m.end()
            cues.append(Cue(m.start(), end if end > m.start() else m.end(), "idiom", phrase,
                            flags=flags, event_hint=_clean(obj) if obj else None,
                            subject_speaker=True))
    return cues


def _scale_cues(text, s, e, scale):
    cues = []
    for pattern, phrase in _scan(scale):
        for m in pattern.finditer(text, s, e):
            cues.append(Cue(m.start(), m.end(), "verbal", phrase))
    return cues


def find_cues(text, s, e, scale="default", heading=False, reported=lambda pos: False):
    """Every cue in text[s:e], overlapping ones reduced to the longest (numbers win)."""
    found = (_numeric_cues(text, s, e) + _scale_cues(text, s, e, scale) + _idiom_cues(text, s, e)
             + _adjective_cues(text, s, e, heading) + _adverb_cues(text, s, e)
             + _expect_cues(text, s, e) + _modal_cues(text, s, e, heading, reported))
    rank = {"numeric": 0, "idiom": 1, "verbal": 2, "relative": 2, "expect": 3, "modal": 4}
    found.sort(key=lambda c: (rank[c.kind], -(c.end - c.start), c.start))
    kept = []
    for cue in found:
        if any(cue.start < k.end and cue.end > k.start for k in kept):
            continue
        kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


# --- 4. attribution -----------------------------------------------------------------------------------

_REPORTING = re.compile(
    r"(?<![\w\-])(said|says|say|told|tells|tell|added|adds|wrote|writes|warned|warns|warn|argued|"
    r"argues|argue|predicted|noted|notes|note|cautioned|cautions|caution|estimated|estimates|"
    r"suggested|suggests|suggest|explained|explains|insisted|insists|insist|stressed|stresses|"
    r"claimed|claims|acknowledged|acknowledges|conceded|concedes|admitted|admits|stated|states|"
    r"declared|declares|announced|announces|believes|believe|believed|thinks|think|thought|"
    r"reckons|reckon|reckoned|maintained|maintains|contended|contends|asserted|asserts|"
    r"emphasi[sz]ed|emphasi[sz]es|pointed\s+out|points\s+out|observed|observes|commented|"
    r"remarked|replied|replies|responded|responds|assessed|assesses|concluded|concludes|"
    r"countered|counters|counter|expects|expect|expected|predicts|predict|forecast|forecasts|"
    r"according\s+to)(?![\w\-])(?!\s+tanks?\b)", re.I)
_PAST_REPORTING = re.compile(
    r"(?<![\w\-])(said|told|added|wrote|warned|argued|predicted|noted|cautioned|estimated|"
    r"suggested|explained|insisted|stressed|claimed|acknowledged|conceded|admitted|stated|"
    r"declared|announced|believed|thought|reckoned|maintained|contended|asserted|emphasi[sz]ed|"
    r"pointed\s+out|observed|concluded|countered|expected|predicted|forecast)(?![\w\-])", re.I)
_TITLE_WORDS = {
    "president", "chancellor", "secretary", "minister", "prime", "deputy", "vice", "foreign",
    "defence", "defense", "senator", "sen", "governor", "gov", "general", "gen", "ambassador",
    "envoy", "director", "chief", "adviser", "advisor", "spokesman", "spokeswoman",
    "spokesperson", "commissioner", "commander", "professor", "prof", "dr", "mr", "ms", "mrs",
    "sir", "dame", "lord", "lady", "rep", "mayor", "chairman", "chairwoman", "chair", "ceo",
    "officer", "king", "queen", "prince", "pope", "premier", "senior", "former", "state",
    "secretary-general", "head", "leader", "economist", "analyst", "strategist", "expert",
    "fellow", "lecturer", "researcher", "judge", "justice", "attorney", "speaker", "representative",
    "of", "and", "the", "for", "at", "us", "u.s.", "uk", "eu", "un",
}
_ROLE_WORDS = {
    "expert", "experts", "adviser", "advisor", "advisers", "advisors", "analyst", "analysts",
    "officer", "officers", "minister", "ministers", "secretary", "president", "chancellor",
    "spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokespeople", "economist",
    "economists", "strategist", "strategists", "official", "officials", "diplomat", "diplomats",
    "leader", "leaders", "senior", "former", "deputy", "foreign", "chief", "army",
    "intelligence", "defence", "defense", "military", "head", "director", "fellow", "professor",
    "lecturer", "governor", "chairman", "chair", "ceo", "founder", "partner", "researcher",
    "researchers", "scientist", "scientists", "commander", "commanders", "general", "envoy",
    "ambassador", "negotiator", "negotiators", "correspondent", "editor", "columnist", "writer",
    "author", "team", "aides", "aide", "sources", "source", "observers", "critics", "commentators",
    "investors", "traders", "markets", "pollsters", "forecasters", "mediators", "lawmakers",
    "legislators", "senators", "members", "authorities", "government", "ministry", "insiders",
    "bankers", "executives", "executive", "manager", "managers", "think", "tank", "institute",
    "bank", "fund", "firm", "company", "agency", "department", "office", "union", "council",
    "committee", "commission", "campaign", "party", "spokespersons", "surveys", "models",
    "warnings", "western", "european", "american", "russian", "ukrainian", "british", "chinese",
    "diplomatic", "political", "economic", "financial", "independent", "local", "many", "some",
    "most", "several", "other", "top", "leading", "private", "public", "industry", "market",
    "security", "policy", "veteran", "service", "bureau", "authority", "board", "centre", "center",
    "administration", "regulator", "regulators", "court", "parliament", "police", "scientist",
    "hydrologist", "meteorologist", "spokesperson", "and", "of", "at", "the", "for", "'s", "in",
}
_ORG_HEADS = {"service", "agency", "bureau", "office", "authority", "board", "institute", "centre",
              "center", "ministry", "department", "commission", "committee", "council", "bank",
              "company", "firm", "group", "party", "team", "administration", "government",
              "regulator", "court", "parliament", "police", "fund", "union", "agency"}
_COLLECTIVE = {
    "analysts", "experts", "economists", "officials", "diplomats", "observers", "critics",
    "commentators", "investors", "traders", "strategists", "sources", "leaders", "spokesmen",
    "spokespeople", "spokespersons", "authorities", "researchers", "scientists", "forecasters",
    "pollsters", "markets", "aides", "advisers", "advisors", "lawmakers", "legislators",
    "ministers", "negotiators", "mediators", "governments", "insiders", "bankers", "executives",
    "warnings", "surveys", "models", "polls", "many", "some", "others", "officers", "generals",
    "commanders", "planners", "people", "members", "capitals", "allies",
}
_DISCOURSE = {"while", "but", "and", "however", "as", "after", "before", "when", "although",
              "though", "meanwhile", "yet", "so", "if", "since", "because", "also", "still", "now",
              "then", "this", "that", "these", "those", "in", "on", "at", "for", "with", "despite",
              "under", "over", "the", "a", "an", "moreover", "furthermore", "indeed", "instead",
              "even", "only", "here", "there", "what", "with", "by", "from", "to", "of"}
_PARTICLES = {"de", "van", "von", "der", "den", "al", "bin", "ibn", "la", "le", "da", "di", "du",
              "del", "dos", "das"}
_STRIP_TAIL = re.compile(
    r"(?:[\s,]+(?:are|is|was|were|be|been|continu(?:e|es|ed)\s+to|went\s+on\s+to|go(?:es)?\s+on\s+to|has|have|had|also|previously|recently|later|then|further|once|again|earlier|"
    r"publicly|privately|repeatedly|reportedly|separately|now|already|still|even|however|both|"
    r"all|too|who|which|[a-z]+ly|yesterday|today|tonight|on\s+(?:Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)|last\s+(?:week|month|year|night)|this\s+(?:week|month|"
    r"year|morning)))+\s*$")


@dataclass
class Speaker:
    name: str | None
    role: str | None = None
    kind: str = "person"          # person, organisation, collective, descriptive, editorial
    attribution: str = "indirect"  # direct_quote, indirect, according_to, collective, editorial
    flags: tuple = ()
    members: tuple = ()            # named members of a collective ("officials, including X and Y")
    pronoun: str | None = None
    gender: str | None = None


def _np_tokens(t):
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"[A-Za-z0-9][\w'\u2019.\-]*", t)]


def _is_cap(word):
    return word[:1].isupper() or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]?\.?", word) is not None


def _classify(np_text, appositive=None):
    """Split a speaker noun phrase into name, role and kind."""
    np_text = _clean(np_text)
    if np_text.endswith(".") and "." not in np_text.split()[-1][:-1]:
        np_text = np_text[:-1]
    toks = [w for _, _, w in _np_tokens(np_text)]
    while toks and toks[0].lower() in _DISCOURSE and len(toks) > 1:
        np_text = np_text[np_text.find(toks[0]) + len(toks[0]):].strip()
        toks = toks[1:]
    if not toks:
        return None
    low = toks[-1].lower().rstrip(".")
    if low in ("he", "she", "they", "we", "i", "it"):
        return Speaker(None, kind="pronoun", pronoun=low)
    if low in _COLLECTIVE or (low.endswith("s") and low in _ROLE_WORDS and low not in ("news",)):
        return Speaker(np_text, role=appositive, kind="collective", attribution="collective")
    m = re.match(r"(?P<person>.*?[A-Z][\w'\u2019\-]+\s+[A-Z][\w'\u2019\-]+)\s+(?P<link>of|at|from)\s+(?P<org>(?:the\s+)?[A-Z].*)$", np_text)
    if m and not re.search(r"\b(?:University|Institute|Bank|Secretary|State|Commerce|Foreign)\b", m["person"].split()[-1]):
        inner = _classify(m["person"])
        if inner and inner.kind == "person" and inner.name and len(inner.name.split()) >= 2:
            extra = f"{m['link']} {m['org']}"
            inner.role = f"{inner.role} {extra}" if inner.role else extra
            if appositive:
                inner.role = f"{inner.role}, {appositive}"
            return inner
    name = []
    for w in reversed(toks):
        base = w.lower().rstrip(".").replace("\u2019", "'")
        if _is_cap(w) and base not in _TITLE_WORDS and not base.endswith("'s") or \
                (name and base in _PARTICLES):
            name.insert(0, w)
        else:
            break
    if not name:
        if low in _ROLE_WORDS or low in _TITLE_WORDS:
            return Speaker(np_text, role=appositive, kind="descriptive")
        return None
    name_text = " ".join(name)
    role = _clean(np_text[: np_text.rfind(name[0])]) or None
    if appositive:
        role = f"{role}, {appositive}" if role else appositive
    gender = None
    if toks[0].lower().rstrip(".") in ("mr", "sir", "lord", "king", "prince"):
        gender = "m"
    elif toks[0].lower().rstrip(".") in ("ms", "mrs", "miss", "dame", "lady", "queen"):
        gender = "f"
    kind = "person" if len(name) >= 2 or role or gender else "organisation"
    if role and role.lower().rstrip(".") in ("mr", "ms", "mrs", "dr", "prof", "miss", "sir"):
        role = None
    return Speaker(name_text, role=role, kind=kind, gender=gender)


def speaker_before(text, lo, pos):
    """The speaker noun phrase ending just before pos (a reporting verb or cue), or None."""
    t = text[lo:pos]
    m = _STRIP_TAIL.search(t)
    if m:
        t = t[:m.start()] + ("," if "," in t[m.start():] else "")
    appositive = None
    anon = re.search(r"((?:people|persons?|sources?|officials?|someone|one\s+person|a\s+person|"
                     r"insiders?)\s+(?:familiar\s+with|close\s+to|briefed\s+on|with\s+(?:direct\s+)?"
                     r"knowledge\s+of|involved\s+in|aware\s+of)\s+[\w\s'\u2019\-]{1,40}?)\s*$", t)
    if anon:
        return Speaker(_clean(anon[1]), kind="collective", attribution="collective")
    m = re.search(r",\s*(?P<app>[^,;:\u201c\u201d\"]{2,140}?)\s*,\s*$", t)
    if m:
        named = _classify(m["app"])
        before = t[: m.start()]
        lead = re.search(r"(?:^\s*|[.;:]\s*|,\s*)((?:[A-Za-z][\w'\u2019\-]*\s+){0,5}[A-Za-z][\w'\u2019\-]*)\s*$", before)
        if named and named.kind == "person" and named.name and len(named.name.split()) >= 2 and lead \
                and not any(_is_cap(w) and w.lower() not in _DISCOURSE | _TITLE_WORDS for w in _words(lead[1])[1:]):
            named.role = _clean(f"{lead[1]}, {named.role}" if named.role else lead[1])
            return named
    if m and _appositive(m["app"]):
        appositive = _clean(m["app"])
        t = t[: m.start()]
    elif re.search(r"\)\s*$", t):
        t = re.sub(r"\s*\([^()]*\)\s*$", "", t)
    toks = _np_tokens(t)
    if not toks:
        return None
    picked = []
    for i in range(len(toks) - 1, -1, -1):
        s, e, w = toks[i]
        gap = t[e: picked[0][0]] if picked else t[e:]
        if picked and re.search(r"[^\s\-]", gap):
            break
        if not picked and re.search(r"[^\s]", gap):
            break
        base = w.lower().replace("\u2019", "'")
        if not picked and base in ("he", "she", "they", "we", "i", "it"):
            picked.insert(0, (s, e, w))
            break
        if _is_cap(w) or base in _ROLE_WORDS or base.endswith("'s") or base in _PARTICLES \
                or re.fullmatch(r"[a-z]+(?:al|an|ic|ern|ish|ese|ian)", base) and picked:
            picked.insert(0, (s, e, w))
            continue
        break
    while picked and picked[0][2].lower() in _DISCOURSE | {"of", "and", "at", "for", "in"}:
        picked.pop(0)
    if not picked:
        return None
    if picked[0][2].lower() in _ORG_HEADS:
        m = re.search(r"(?:^|\s)((?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w\-]*\s+){1,3})$", t[:picked[0][0]])
        if m:
            picked.insert(0, (t.rfind(m[1], 0, picked[0][0]), picked[0][0], m[1]))
    np_text = t[picked[0][0]:picked[-1][1]]
    if appositive and appositive.lower().startswith("including"):
        members = _members(appositive)
        found = _classify(np_text)
        if found:
            found.members = members
        return found
    return _classify(np_text, appositive)


def _appositive(text):
    """Whether text between two commas after a name describes the person ("a senior fellow at
    Chatham House", "Russia expert at ...", "including X and Y")."""
    if re.match(r"(?:and|but|that|which|while|so|if|as|when|he|she|they|it|we|i)\b", text, re.I):
        return False
    words = [w.lower().replace("\u2019", "'") for w in _words(text)]
    if not words or len(words) > 16:
        return False
    if words[0] in ("a", "an", "the", "who", "including", "former", "whose"):
        return True
    return any(w in _ROLE_WORDS - {"and", "of", "at", "the", "for", "'s", "in"} or w in _TITLE_WORDS - {"and", "of", "at", "the", "for", "us", "uk", "eu", "un", "u.s."} for w in words)


def _members(appositive):
    names = []
    for part in re.split(r",\s*|\s+and\s+", re.sub(r"^including\s+", "", appositive, flags=re.I)):
        sp = _classify(part)
        if sp and sp.name and sp.kind in ("person", "organisation"):
            names.append(sp)
    return tuple(names)


def speaker_after(text, pos, hi):
    """The speaker named right after pos ("said John Smith, chief economist at X")."""
    lead = re.match(r"\s*(?:a|an|the)\s+(?:new\s+|latest\s+|recent\s+)?(?:poll|survey|report|study|"
                    r"analysis|note|forecast|model|projection|estimate)s?\s+(?:by|from|of|for)\s+", text[pos:hi], re.I)
    if lead:
        pos += lead.end()
    toks = _np_tokens(text[pos:hi])
    picked = []
    for s, e, w in toks:
        gap = text[pos + (picked[-1][1] if picked else 0):pos + s]
        if re.search(r"[^\s\-]", gap):
            break
        base = w.lower().replace("\u2019", "'")
        if not picked and base in ("he", "she", "they", "we", "i", "it"):
            picked.append((s, e, w))
            break
        if _is_cap(w) or base in _COLLECTIVE or base in _ROLE_WORDS or (picked and base in _PARTICLES):
            picked.append((s, e, w))
            continue
        break
    while picked and picked[-1][2].lower() in ("of", "and", "at", "for", "the", "in"):
        picked.pop()
    if not picked:
        return None
    np_text = text[pos + picked[0][0]:pos + picked[-1][1]]
    rest = text[pos + picked[-1][1]:hi]
    appositive = None
    m = re.match(r"\s*,\s*(?P<app>[^,.;:\u201c\u201d\"]{2,120}?)\s*(?:,|\.|$)", rest)
    if m and _appositive(m["app"]):
        appositive = _clean(m["app"])
    return _classify(np_text, appositive)


# --- 5. claims ----------------------------------------------------------------------------------------

_HARD = re.compile(r"[;:(\u2014]|\s\u2013\s|\s-\s|,\s+(?:but|while|nor|which|who|whereas|although|"
                   r"though|as|with|not)\b|\b(?:but|nor|whereas|although|because|unless|if|while|"
                   r"and|or)\b", re.I)
_CLAUSE_START = re.compile(r"[;:(\u2014]|\s\u2013\s|\bthat\b|,\s+(?:but|while|and|so|yet|nor)\b|\bnor\b|"
                           r"\b(?:but|while|whereas|although|though|because)\b", re.I)
_CLAUSE_END = re.compile(r"[;()\u2014]|\s\u2013\s|,\s+(?:but|while|with|not|as|according|yet|"
                         r"which|who|nor|and\s+(?:said|added|told|warned))\b|,\s+(?:[a-z]+ly\s+)?"
                         r"(?:he|she|they|it|[A-Z][a-z]+)\s+(?:said|says|added|told|warned)\b|"
                         r"\bnor\s+will\b", re.I)
_CONDITION = re.compile(r"\b(only\s+if|if|unless|provided\s+(?:that\s+)?|as\s+long\s+as|"
                        r"so\s+long\s+as|on\s+condition\s+that|in\s+case)\b", re.I)
_DESIRE_THAT = {"assurances", "assurance", "guarantees", "guarantee", "demands", "demand", "wants",
                "hopes", "hope", "wish", "wishes", "promise", "promises", "pledge", "pledges",
                "vow", "commitment", "commitments", "insistence", "calls", "call", "request",
                "requests", "insists", "insist", "urges", "urged", "asked", "asks", "seeks",
                "seek", "ensure", "ensuring", "whether", "hoping", "concerned", "worried", "afraid",
                "fearful", "alarmed", "nervous", "anxious"}


def _inflect(verb, plural):
    if plural:
        return verb
    low = verb.lower()
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if low in irregular:
        out = irregular[low]
    elif re.search(r"(?:s|sh|ch|x|z|o)$", low):
        out = low + "es"
    elif re.search(r"[^aeiou]y$", low):
        out = low[:-1] + "ies"
    else:
        out = low + "s"
    return out.capitalize() if verb[:1].isupper() else out


def _participle(verb):
    low = verb.lower()
    irregular = {"be": "been", "do": "done", "make": "made", "take": "taken", "give": "given",
                 "find": "found", "hold": "held", "win": "won", "keep": "kept", "build": "built",
                 "send": "sent", "bring": "brought", "see": "seen", "get": "got"}
    if low in irregular:
        return irregular[low]
    if low.endswith("e"):
        return low + "d"
    if re.search(r"[^aeiou]y$", low):
        return low[:-1] + "ied"
    return low + "ed"


def _plural(subject):
    subject = re.split(r"\s(?:by|of|in|for|from|with|at|on|to|under|over|about|between|among|like|near)\s", f" {subject} ", maxsplit=1)[0]
    words = [w.lower() for w in _words(subject)]
    if not words:
        return False
    if words[-1] in ("they", "we", "you", "i", "both", "many", "several"):
        return True
    if " and " in f" {subject.lower()} " and not subject.lower().startswith("neither"):
        return True
    head = words[-1]
    return head.endswith("s") and not re.search(r"(?:ss|us|is|news|ics)$", head) and not _is_cap(_words(subject)[-1])


_VERB_START = re.compile(r"\s*(?P<neg>(?:(?:not|never|neither|only|also|still|even|ever|really|"
                         r"actually|just|well|soon|eventually|ultimately|finally|then|now|"
                         r"probably|likely|possibly|perhaps|almost|certainly|definitely|surely|"
                         r"no\s+longer|quickly|easily|further|again)\s+)*)(?P<verb>[A-Za-z][\w\-]*)")


def _vp(right, subject):
    """Verb phrase after a removed modal, with its first verb agreeing with subject."""
    m = _VERB_START.match(right)
    if not m:
        return right.strip()
    verb = m["verb"]
    rest = right[m.end():]
    plural = _plural(subject)
    plural_object = re.match(r"\s+no\s+(?:[\w\-]+\s+){0,2}?[\w\-]+s\b(?!\s+of)", rest) is not None
    if verb.lower() == "be" and plural_object and subject.strip().lower() == "there":
        return "are " + re.sub(r"^\s+no\s+", "", rest)
    if verb.lower() == "be":
        rest = re.sub(r"^\s+no\s+(?=[a-z])", lambda _: " a " if not re.match(r"\s+no\s+[aeiou]", rest) else " an ", rest)
    elif re.match(r"\s+no\s+", rest):
        rest = re.sub(r"^\s+no\s+", " a ", rest)
    if subject.strip().lower() == "there" and verb.lower() == "be":
        plural = False
    return _inflect(verb, plural) + rest


def _tidy_event(text):
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:that|whether|and|but|so)\s+", "", text, flags=re.I)
    text = text.strip(" ,;:.\u2014\u2013-")
    text = re.sub(r"^[\"\u201c\u2018']+|[\"\u201d\u2019']+$", "", text).strip()
    if text.count("\u201c") != text.count("\u201d"):
        text = text.replace("\u201c", "").replace("\u201d", "")
    return text[:1].upper() + text[1:] if text else text


@dataclass
class Context:
    article: Article
    scale: str
    made: datetime.date | None
    registry: dict = field(default_factory=dict)     # surname -> Speaker
    recent: list = field(default_factory=list)       # (sentence index, Speaker) named speakers
    drafts: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    editorial: Speaker | None = None
    opinion: bool = False


def _register(ctx, sp):
    if sp and sp.name and sp.kind == "person":
        parts = sp.name.split()
        key = parts[-1].lower()
        known = ctx.registry.get(key)
        if known is None or len(parts) > len(known.name.split()):
            ctx.registry[key] = sp
        elif sp.gender and not known.gender:
            known.gender = sp.gender


def _resolve_name(ctx, sp):
    """Full name and role for a surname-only or titled mention ("Mr Giles" -> Keir Giles)."""
    if sp and sp.name and sp.kind in ("person", "organisation"):
        parts = sp.name.split()
        known = ctx.registry.get(parts[-1].lower())
        if known and known.name != sp.name and len(parts) <= len(known.name.split()):
            gender = sp.gender or known.gender
            known.gender = gender
            return Speaker(known.name, role=known.role, kind="person", gender=gender,
                           attribution=sp.attribution, flags=sp.flags)
        if len(parts) == 1 and sp.kind == "organisation" and sp.gender:
            sp.kind = "person"
    return sp


def _resolve_pronoun(ctx, index, pronoun):
    if pronoun in ("i", "we"):
        return None
    want = {"he": "m", "she": "f"}.get(pronoun)
    for i, sp in reversed(ctx.recent):
        if index - i > 6:
            break
        if pronoun == "they":
            if sp.kind == "collective":
                return sp
            continue
        if pronoun == "it":
            if sp.kind in ("organisation", "descriptive"):
                return sp
            continue
        if sp.kind not in ("person",):
            continue
        if want and sp.gender and sp.gender != want:
            continue
        if want and not sp.gender:
            sp.gender = want
        return sp
    return None


def _frames(text, sent, quotes):
    """Reporting verbs in the unquoted part of a sentence: (start, end, verb, speaker)."""
    frames = []
    for m in _REPORTING.finditer(text, sent.start, sent.end):
        if any(qs <= m.start() < qe for qs, qe in quotes):
            continue
        verb = m[1].lower()
        if verb.startswith("according"):
            sp = speaker_after(text, m.end(), sent.end)
            if sp:
                sp.attribution = "according_to"
                frames.append((m.start(), m.end(), verb, sp))
            continue
        lo = sent.start
        for qs, qe in quotes:
            if qe <= m.start():
                lo = max(lo, qe + 1)
        sp = speaker_before(text, lo, m.start())
        if sp is None and text[m.end():m.end() + 1] == " " and verb in (
                "said", "says", "added", "adds", "argued", "argues", "wrote", "writes", "warned",
                "noted", "explained", "insisted", "cautioned", "continued", "asked", "stressed"):
            prior = text[lo:m.start()]
            if re.search(r"[,\u201d\"]\s*$", prior) or not prior.strip():
                sp = speaker_after(text, m.end(), sent.end)
        if sp is None:
            continue
        if verb in ("states", "claims", "notes", "comments", "forecasts", "counters", "thought",
                    "note", "counter", "believe", "think", "say", "tell", "warn", "argue",
                    "caution", "insist", "suggest", "expect", "predict") and sp.kind not in (
                        "pronoun", "collective", "person"):
            continue
        frames.append((m.start(), m.end(), verb, sp))
    return frames


def _region(text, sent, cue_start, cue_end, lo, hi):
    """The clause holding a cue: (start, end)."""
    start = lo
    for m in _CLAUSE_START.finditer(text, lo, cue_start):
        start = max(start, m.end())
    end = hi
    m = _CLAUSE_END.search(text, cue_end, hi)
    if m:
        end = m.start()
    return start, end


def _conditional(text, cue_start, region_start, region_end, sent_end):
    """(condition text, its span, only_if, cue inside condition)."""
    for m in _CONDITION.finditer(text, region_start, sent_end):
        word = m[1].lower()
        if m.start() < cue_start:
            stop = text.find(",", m.end(), cue_start)
            if stop < 0:
                return None, None, False, True
            return _clean(text[m.start():stop]), (m.start(), stop), word.startswith("only"), False
        end = sent_end
        stop = re.search(r"[;\u2014]|,\s+(?:but|while|which)\b", text[m.end():sent_end])
        if stop:
            end = m.end() + stop.start()
        only = word.startswith("only") or bool(re.search(r"\bonly\b", text[region_start:m.start()]))
        return _clean(text[m.start():end]).rstrip(".!?"), (m.start(), end), only, False
    return None, None, False, False


def _horizon_matches(text, s, e):
    return list(_HORIZON.finditer(text, s, e))


_MONTHS_CAP = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_YEAR_RE = r"(?:19|20)\d{2}"
_NUMWORDS = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|a\s+dozen)"
_UNIT = r"(?:days?|weeks?|months?|quarters?|years?|decades?|fortnight)"
_HORIZON = re.compile(
    r"(?:\b(?:[Bb]y|[Bb]efore|[Uu]ntil|[Tt]ill|[Ii]n|[Ww]ithin|[Dd]uring|[Oo]ver|[Oo]n|[Aa]t|[Tt]hrough|"
    r"no\s+later\s+than|sometime\s+in|as\s+early\s+as)\s+)?(?:the\s+)?(?:"
    rf"(?:end|close|start|beginning|middle|rest|remainder|turn)\s+of\s+(?:the\s+|this\s+|next\s+)?(?:year|month|week|decade|quarter|summer|winter|spring|autumn|fall|{_MONTHS_CAP}|{_YEAR_RE})(?:,?\s+{_YEAR_RE})?"
    r"|(?:this|next|later\s+this|early\s+next|late\s+next|later\s+next)\s+(?:year|month|week|decade|quarter|summer|winter|spring|autumn|fall)"
    rf"|(?:first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+(?:half|quarter)(?:\s+of\s+(?:the\s+year|this\s+year|next\s+year|{_YEAR_RE}))?"
    rf"|[QH][1-4]\s*{_YEAR_RE}|{_YEAR_RE}\s*[QH][1-4]"
    rf"|mid[-\s]?(?:{_YEAR_RE}|year|{_MONTHS_CAP})|(?:early|late)[-\s](?:{_YEAR_RE}|{_MONTHS_CAP})"
    rf"|{_MONTHS_CAP}(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+{_YEAR_RE})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS_CAP}(?:,?\s+{_YEAR_RE})?"
    rf"|{_YEAR_RE}"
    rf"|(?:next|coming|following)\s+(?:few\s+|couple\s+of\s+)?(?:\d+\s+|{_NUMWORDS}\s+)?{_UNIT}"
    rf"|(?:\d+|{_NUMWORDS}|a\s+few|a\s+couple\s+of|several|a)\s+{_UNIT}(?:\s+(?:from\s+now|time|ahead))?"
    r"|(?:coming\s+|next\s+)?(?:days|weeks|months)(?:\s+ahead)?"
    r"|imminent(?:ly)?|soon|shortly|any\s+day\s+now|tomorrow"
    rf"|(?:Christmas|Easter|Thanksgiving|New\s+Year)(?:\s+{_YEAR_RE})?"
    rf"|(?:spring|summer|autumn|fall|winter)(?:\s+{_YEAR_RE})?"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r")(?![\w\-])", re.I)
_MONTH_WORD = re.compile(r"\b(January|February|March|April|May|June|July|August|September|October|"
                         r"November|December|Jan|Feb|Aug|Sept?|Oct|Nov|Dec)\b", re.I)
_NO_HORIZON = re.compile(r"\b(?:eventually|sooner\s+or\s+later|at\s+some\s+(?:point|stage)|"
                         r"in\s+the\s+long\s+(?:run|term)|one\s+day|some\s+day|someday|"
                         r"for\s+a\s+generation|over\s+time|indefinitely)\b", re.I)
_CONVENTION_HORIZON = re.compile(r"soon|shortly|imminent|weeks|months|days|spring|summer|autumn|"
                                 r"fall|winter|christmas|easter", re.I)


def _dateparser_deadline(phrase, made):
    try:
        import dateparser  # noqa: PLC0415  (optional)
    except ImportError:
        return None
    settings = {"PREFER_DATES_FROM": "future", "PREFER_DAY_OF_MONTH": "last",
                "PREFER_MONTH_OF_YEAR": "last", "RETURN_AS_TIMEZONE_AWARE": False}
    if made:
        settings["RELATIVE_BASE"] = datetime.datetime.combine(made, datetime.time())
    try:
        found = dateparser.parse(phrase, languages=["en"], settings=settings)
    except Exception:  # noqa: BLE001  (a fallback must never break extraction)
        return None
    return found.date() if found else None


def horizon(text, spans, made):
    """(horizon text, resolution date or None, flags) from the first time expression in spans
    that lies after the article date ``made``."""
    for s, e in spans:
        for m in _horizon_matches(text, s, e):
            phrase = m[0].strip()
            before = text[max(0, m.start() - 12):m.start()].lower()
            if re.search(r"\b(?:since|ago|last|from|past|previous)\s*$", before) or \
                    re.match(r"\s+ago\b", text[m.end():m.end() + 5]):
                continue
            if re.fullmatch(r"\d{4}", phrase) and re.match(r"\s*(?:troops|soldiers|people|tonnes|km|%)", text[m.end():m.end() + 10]):
                continue
            if re.fullmatch(r"(?:a|one)\s+" + _UNIT, phrase, re.I) and not re.match(r"(?:in|within)\b", text[max(0, m.start() - 7):m.start()].strip().lower() or "x"):
                continue
            if re.fullmatch(r"(?:days|weeks|months)", phrase, re.I):
                continue
            if re.fullmatch(r"(?:spring|summer|autumn|fall|winter)(?:\s+\d{4})?", phrase, re.I) and \
                    _word_before(text, m.start()) not in ("this", "next", "the", "in", "by", "until", "before",
                                                          "during", "over", "into", "early", "late", "mid", "last"):
                continue
            month = _MONTH_WORD.search(phrase)
            if month and not month[1][0].isupper():
                continue  # "may" the modal, "march" the verb
            found, flags = _deadline(phrase, made)
            if found is None:
                continue
            if made and found <= made:
                continue
            if _CONVENTION_HORIZON.search(phrase):
                flags = flags + ("horizon_convention",)
            return phrase, found, flags
    for s, e in spans:
        m = _NO_HORIZON.search(text, s, e)
        if m:
            return m[0], None, ("no_horizon",)
    return None, None, ("no_horizon",)


def _deadline(phrase, made):
    low = phrase.lower()
    weekday = re.search(r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", low)
    if weekday:
        if made is None:
            return None, ()
        target = _WEEKDAYS.index(weekday[1])
        days = (target - made.weekday()) % 7 or 7
        return made + datetime.timedelta(days=days), ()
    if "tomorrow" in low:
        return (made + datetime.timedelta(days=1), ()) if made else (None, ())
    season = re.fullmatch(r"before\s+(?:the\s+)?(spring|summer|autumn|fall|winter)", low)
    if season and made:
        starts = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[season[1]]
        year = made.year if datetime.date(made.year, starts, 1) > made else made.year + 1
        return datetime.date(year, starts, 1) - datetime.timedelta(days=1), ("horizon_convention",)
    if made:
        phrase = re.sub(r"\bnext\s+year\b", str(made.year + 1), phrase, flags=re.I)
        phrase = re.sub(r"\bthis\s+year\b", str(made.year), phrase, flags=re.I)
    base = made
    if base is None:
        if not re.search(_YEAR_RE, phrase):
            return None, ("no_article_date",)
        base = datetime.date(1900, 1, 1)
    try:
        return parse.parse_horizon(phrase, base), ()
    except parse.ParseError:
        found = _dateparser_deadline(phrase, made)
        return (found, ("dateparser",)) if found else (None, ())


_GOVERNORS = ("expect", "idiom", "numeric", "verbal", "relative")
_SOURCE_NOUN = re.compile(r"\b(?:despite|amid|with|after|given)\s+(?:the\s+)?(?:\w+\s+)?(warnings?|fears?|"
                          r"concerns?|predictions?|forecasts?|suggestions?|expectations?|claims?|"
                          r"reports?|speculation|doubts?)\b", re.I)
_FIRST_PERSON = {"i", "we", "our", "my", "us"}
_CONTENT_BEFORE_THAT = {"said", "says", "say", "told", "warned", "warns", "argued", "noted",
                        "stated", "added", "suggested", "believes", "believe", "thinks", "think",
                        "expects", "expect", "fact", "reality", "clear", "likely", "possible",
                        "unlikely", "certain", "sure", "hope", "fear", "fears", "warning",
                        "warnings", "expectation", "expectations", "chance", "chances", "risk",
                        "sign", "signs", "evidence", "view", "belief", "concern", "concerns",
                        "prospect", "possibility", "illusion", "news", "reports", "claim", "claims",
                        "insisted", "predicted", "cautioned", "acknowledged", "admitted", "estimated",
                        "doubt", "guarantee", "assurances", "suggestion", "suggestions", "idea"}


def _group(text, cues):
    """Join cues of one clause: a governor (expect, a probability word, a number) and the modal
    in its complement are one claim; independent modals are separate claims."""
    groups = []
    for cue in cues:
        if groups:
            last = groups[-1][-1]
            gap = text[last.end:cue.start]
            joined = not _HARD.search(gap) and len(_words(gap)) <= 12
            if joined and (last.kind in _GOVERNORS and cue.kind == "modal"
                           or last.kind == "modal" and cue.kind == "verbal" and len(_words(gap)) <= 2
                           or last.kind == "expect" and cue.kind in ("verbal", "numeric")):
                groups[-1].append(cue)
                continue
        groups.append([cue])
    return groups


def _anchor(group):
    rank = {"numeric": 0, "idiom": 1, "verbal": 2, "relative": 2, "expect": 3, "modal": 4}
    return min(group, key=lambda c: (rank[c.kind], c.start))


def _subject(left):
    if re.match(r"\s*(?:under|in|for|with|after|before|despite|given|without|at|on|by|from|amid|"
                r"whatever|however|whichever)\b", left, re.I):
        if "," in left:
            left = left.rsplit(",", 1)[1]
        else:
            m = re.search(r"\b(this|that|it|they|these|those|he|she|we)\s*$", left, re.I)
            if m:
                left = m[1]
    left = re.sub(r"^(?:\s*(?:and|but|so|yet|then|however,?|nor|or|that|while)\b)+", "", left.strip(), flags=re.I)
    left = re.sub(r"(?:\s+(?:probably|likely|possibly|perhaps|certainly|definitely|also|still|"
                  r"now|then|only|even|really|actually|surely|almost|clearly|nevertheless|"
                  r"indeed|ultimately|eventually|soon|therefore|thus),?)+\s*$", "", left, flags=re.I)
    return left.strip(" ,")


_SOFTENER_START = re.compile(r"^\s*(?:(?:i|we)\s+(?:would|['\u2019]d)\s+(?:suggest|say|argue|guess|think)"
                             r"|(?:i|we)\s+(?:think|believe|suspect|reckon|guess|feel|fear|sense)"
                             r"|in\s+my\s+(?:view|opinion)|arguably|it\s+seems|it\s+appears)\s*(?:that\s+|,\s*)?", re.I)


def _borrowed_subject(text, lo, pos):
    """The subject of the clause a subjectless coordinated verb phrase belongs to."""
    chunk = text[lo:pos]
    found = None
    for m in re.finditer(r"(?:^\s*|\bthat\s+|,\s+|:\s+)((?:[A-Z][\w'\u2019\-]*(?:\s+[A-Z][\w'\u2019\-]*)*)"
                         r"|(?:the|this|that|its|their)\s+[\w\-]+(?:\s+[\w\-]+)?|it|they|he|she|we)\s+"
                         r"(?:has|have|had|is|are|was|were|will|would|can|could|may|might|"
                         r"[a-z]+s|[a-z]+ed)\b", chunk):
        found = m[1]
    return found


def _numeric_event(text, rs, re_, anchor):
    chunk = text[rs:re_]
    m = re.search(r"\b(?:chances?|probability|odds|likelihood|risk|possibility)\s+(?:of|that|for)\s+(.+)", chunk, re.I)
    if m:
        return m[1], rs + m.start(1)
    before = text[rs:anchor.start]
    m = re.search(r"(.+?)\s+(?:has|have|had|stands?\s+at|is\s+given|gets?)\s+(?:a|an|about|around)?\s*$", before)
    if m:
        return m[1], rs + m.start(1)
    return chunk, rs


def _event(ctx, text, rs, re_, group, anchor):
    """The event in positive form, from the clause text[rs:re_] with the cues removed."""
    left, right = text[rs:anchor.start], text[anchor.end:re_]
    left = _SOFTENER_START.sub("", left)
    modal = next((c for c in group if c.kind == "modal" and c is not anchor), None)
    if anchor.kind == "idiom":
        return _idiom_event(ctx, text, anchor, rs, re_)
    if anchor.kind == "relative":
        m = re.search(r":\s*(.+)", text[rs:re_])
        return _tidy_event(m[1] if m else right)
    if anchor.kind == "numeric":
        clause, start = _numeric_event(text, rs, re_, anchor)
        if modal and modal.start >= start:
            return _event(ctx, text, start, re_, [modal], modal)
        return _tidy_event(re.sub(r"\b(?:a|an)?\s*" + re.escape(anchor.phrase) + r"\s*(?:chance|probability|likelihood|odds|risk)?", "", clause))
    if anchor.kind == "expect" and "passive" not in anchor.flags:
        obj = re.sub(r"^\s*(?:that\s+)?", "", right)
        if modal:
            return _event(ctx, text, modal.start - len(text[anchor.end:modal.start].lstrip()) if False else anchor.end, re_, [modal], modal)
        m = re.match(r"(?P<np>.+?)\s+to\s+(?P<vp>[a-z][\w\-]*.*)$", obj, re.S)
        if m and not re.search(r"\b(?:is|are|was|were|has|have)\b", m["np"]):
            return _tidy_event(m["np"] + " " + _vp(m["vp"], m["np"]))
        return _tidy_event(obj)
    subject = _subject(left)
    if anchor.kind == "expect":  # "X is expected to VP"
        subject = re.sub(r"\s*(?:is|are|was|were|be|['\u2019]s|['\u2019]re)(?:\s+(?:widely|now|also|still|generally|broadly|not))*\s*$", "", subject)
        vp = re.sub(r"^\s*to\s+", "", right)
        return _tidy_event(f"{subject} {_vp(vp, subject)}")
    word = anchor.phrase or ""
    if anchor.kind == "verbal" and word in ("likely", "unlikely", "possible", "impossible", "certain",
                                            "probable", "improbable", "doubtful", "remote") \
            or (anchor.kind == "verbal" and re.search(r"\b(?:likely|unlikely|possible|chance|certain|impossible)$", word)
                and not re.search(r"\b(?:will|could|may|might)\b", word)):
        subject = re.sub(r"(?:\s*\b(?:is|are|was|were|be|been|seems?|looks?|appears?|remains?|"
                         r"becomes?|['\u2019]s|would|will|could|may|might|now|still|very|highly|"
                         r"quite|not|n['\u2019]t|also|isn['\u2019]t|aren['\u2019]t|considered|"
                         r"deemed|seen\s+as|increasingly|there|a|an|the)\b)+\s*$", "", left, flags=re.I)
        subject = _subject(_SOFTENER_START.sub("", subject))
        if re.match(r"\s*that\b", right):
            inner_start = anchor.end + right.find("that") + 4
            if modal and modal.start > inner_start:
                return _event(ctx, text, inner_start, re_, [modal], modal)
            return _tidy_event(text[inner_start:re_])
        m = re.match(r"\s*to\s+(?P<vp>.+)$", right, re.S)
        if m:
            vp = m["vp"]
            if word == "impossible" and subject:
                verb = _words(vp)[0] if _words(vp) else ""
                return _tidy_event(f"{subject} {'are' if _plural(subject) else 'is'} {_participle(verb)}{vp[len(verb):]}")
            return _tidy_event(f"{subject} {_vp(vp, subject)}")
        if "adverbial" in anchor.flags:
            return _tidy_event(f"{subject} {'are' if _plural(subject) else 'is'} {right.strip()}")
        if subject.lower() in ("it", "this", "that", "") and not right.strip():
            return _tidy_event(left)
        return _tidy_event(f"{subject} {right.strip()}")
    # a modal, or a scanned phrase that contains one ("will probably", "probably will not")
    target = modal if (modal and anchor.kind != "modal") else anchor
    left, right = text[rs:target.start], text[target.end:re_]
    if target is not anchor and anchor.start > target.start:
        right = text[target.end:anchor.start] + text[anchor.end:re_]
    left = _SOFTENER_START.sub("", left)
    if anchor is not target and anchor.start < target.start:
        left = text[rs:anchor.start]
    if re.search(r"\s(?:and|or|but)\s*$", left) and re.search(r"\b(?:has|have|had|is|are|was|were|[a-z]+s|[a-z]+ed)\b", left):
        left = _borrowed_subject(left, 0, len(left)) or ""
    subject = _subject(left)
    inverted = re.match(r"\s*(?:not\s+)?(it|they|he|she|we|i|there)\s+", right, re.I)
    if (not subject or subject.lower() in ("nor", "neither")) and inverted:
        subject, right = inverted[1], right[inverted.end():]
    if not subject:
        subject = _borrowed_subject(text, max(0, rs - 300), rs) or ""
    right = re.sub(r"^\s*neither\s+", " ", right)
    return _tidy_event(f"{subject} {_vp(right, subject)}")


def _idiom_event(ctx, text, anchor, rs, re_):
    hint = (anchor.event_hint or "").strip()
    if not hint and re.search(r"prospect|possibility|option|hope", text[anchor.start:anchor.end], re.I):
        subject = _subject(re.split(r",", text[rs:anchor.start])[-1])
        if subject:
            return _tidy_event(subject), ()
    hint = re.split(r",\s+(?:noting|saying|adding|but|while|which|and|as|with)\b|\s+\u2014\s+|,\s+[a-z]+ing\b", hint)[0]
    low = hint.lower()
    if not hint or low in ("this", "that", "it", "the idea", "the claim", "the plan", "such hopes",
                           "this idea", "that idea", "the prospect", "those hopes", "this claim"):
        previous = [d for d in ctx.drafts if d["_sentence"] >= ctx.current - 1]
        if previous and anchor.phrase not in ("unlikely",):
            return previous[-1]["event"], ("antecedent",)
        m = re.search(r"\b(?:the\s+)?(talks|negotiations|meeting|summit|discussions|vote|election)\b",
                      text[max(0, rs - 200):re_], re.I)
        if m:
            return f"The {m[1].lower()} end in agreement", ()
        return "", ()
    if re.match(r"(?:the\s+)?(?:talks|negotiations|meeting|summit|discussions)\b", low):
        return _tidy_event(f"{hint} end in agreement"), ()
    if not re.match(r"(?:a|an|the|any|some|this|that|its|their|his|her)\b", low) and \
            re.match(r"(?:breakthrough|deal|agreement|ceasefire|peace|truce|settlement)\b", low):
        hint = "A " + hint
    return _tidy_event(hint), ()


def _map(phrase, scale):
    try:
        reading = read_phrase(phrase, scale)
    except UnknownPhrase:
        return None
    if "fuzzy" in reading.flags:
        return None
    return reading


def _probability(ctx, group, anchor, negated, softened, only_if):
    """(p, lo, hi, phrase, scale, row, source, flags) for a claim."""
    flags = []
    phrase = anchor.phrase
    if anchor.kind == "relative":
        return None, None, None, "most likely", None, None, "H4: a plurality claim has no value on its own", ["relative"]
    if anchor.kind == "numeric":
        read = _numeric_probability(anchor)
        if read is None:
            return None, None, None, anchor.phrase, None, None, None, ["unmapped"]
        p, lo, hi, t = read
        if negated:
            p, lo, hi = 1 - p, 1 - hi, 1 - lo
            flags.append("complemented")
        return p, lo, hi, t, None, "numeric", "the number in the text", flags + ["numeric"]
    if anchor.kind == "modal":
        base = anchor.phrase
        if base == "would":
            base = "will"
            flags.append("reported_would")
        if base in ("will", "will not", "going to", "set to", "shall"):
            never = negated and re.search(r"\bnever\b", _plain(ctx.article.text[anchor.start:anchor.end + 30]))
            if softened:
                phrase = "probably not" if negated else "likely"
            elif negated:
                phrase = "will never" if never else ("not going to" if base == "going to" else "will not")
            else:
                phrase = base
        else:
            phrase = base
    elif anchor.kind == "verbal" and negated:
        for attempt in (f"not {phrase}", f"{phrase} not", f"{phrase} will not"):
            if _map(attempt, ctx.scale) is not None and attempt != phrase:
                phrase = attempt
                negated = False
                break
        if negated and phrase in ("possible", "possibly"):
            phrase, negated = "impossible", False
    elif anchor.kind == "expect" and negated and "not" not in phrase:
        phrase, negated = "do not expect", False
    reading = _map(phrase, ctx.scale)
    if reading is None:
        return None, None, None, phrase, None, None, None, ["unmapped"]
    p, lo, hi = reading.p, reading.lo, reading.hi
    flags += [f for f in reading.flags if f in ("hedge", "unhedged", "derived", "fallback", "one-sided", "litotes", "cannot-rule-out")]
    source = reading.source
    if only_if and not negated:
        if reading.row_class == "will":
            phrase = "will not"
            reading = _map(phrase, ctx.scale)
            p, lo, hi, source = reading.p, reading.lo, reading.hi, reading.source
        else:
            p, lo, hi = 1 - p, 1 - hi, 1 - lo
            source = f"1 - ({source})"
        flags.append("complemented")
    elif negated and anchor.kind in ("modal", "verbal") and reading.row_class not in ("will not", "no chance", "probably not", "unlikely", "almost no chance"):
        p, lo, hi = 1 - p, 1 - hi, 1 - lo
        source = f"1 - ({source})"
        flags.append("complemented")
    return p, lo, hi, phrase, reading.scale, reading.row_class, source, flags


def _skip(ctx, sent, cue, reason):
    ctx.skipped.append({"start": cue.start, "end": cue.end, "cue": ctx.article.text[cue.start:cue.end],
                        "reason": reason})


def _in_any(pos, spans):
    return any(a <= pos < b for a, b in spans)


def _quote_speaker(ctx, k, sents, frames_of):
    """Who says the quoted words of sentence k when the sentence itself names nobody."""
    sent = sents[k]
    for j in range(k + 1, min(k + 3, len(sents))):
        if sents[j].para != sent.para:
            break
        if frames_of[j] and sents[j].quotes:
            return frames_of[j][0][3], ()
    for j in range(k - 1, max(-1, k - 6), -1):
        if sents[j].para == sent.para and frames_of[j]:
            return frames_of[j][-1][3], ("continued_quote",)
        if sents[j].para < sent.para - 1:
            break
        if sents[j].para == sent.para - 1 and frames_of[j]:
            para_text = ctx.article.text[sent.start:sent.end].lstrip()
            if para_text[:1] in "\u201c\"'\u2018" or sent.quotes and sent.quotes[0][0] <= sent.start + 1:
                return frames_of[j][-1][3], ("continued_quote",)
            break
    return None, ()


def _finish_speaker(ctx, k, sp, attribution):
    """Resolve pronouns and surnames; returns (Speaker or None, flags)."""
    flags = []
    if sp is None:
        return None, flags
    if sp.kind == "pronoun":
        if sp.pronoun in ("i", "we"):
            return None, ["first_person"]
        found = _resolve_pronoun(ctx, k, sp.pronoun)
        if found is None:
            return None, ["pronoun_unresolved"]
        flags.append("pronoun_resolved")
        sp = found
    sp = _resolve_name(ctx, sp)
    out = Speaker(sp.name, role=sp.role, kind=sp.kind, attribution=attribution, gender=sp.gender,
                  members=sp.members)
    if sp.kind == "collective":
        out.attribution = "collective"
    return out, flags


def _editorial(ctx):
    return Speaker(ctx.editorial.name if ctx.editorial else None,
                   role=ctx.editorial.role if ctx.editorial else None,
                   kind=ctx.editorial.kind if ctx.editorial else "editorial",
                   attribution="editorial")


def _process(ctx, k, sents, frames_of):
    text = ctx.article.text
    sent = sents[k]
    ctx.current = k
    s, e = sent.start, sent.end
    heading = sent.kind in ("title", "heading", "label")
    frames = frames_of[k]
    quotes = sent.quotes
    stext = text[s:e]
    if re.search(r"\?\s*['\"\u201d\u2019]*\s*$", stext):
        return
    if re.match(r"\s*['\"\u201c\u2018]?\s*That\s+(?:all|the|we|they|it|he|she|this|there|our|their|everything|nothing|what)\b", stext):
        return

    def reported(pos):
        if _in_any(pos, quotes):
            return False
        return any(f[1] <= pos and _PAST_REPORTING.fullmatch(f[2]) for f in frames)

    cues = find_cues(text, s, e, ctx.scale, heading, reported)
    superseded = any("superseded" in c.flags for c in cues) or bool(re.search(
        r"\b(?:up|down|rising|falling|revised)\s+from\s+\d|\b(?:compared\s+(?:with|to)|versus|previously)\s+\d"
        r"|\bfrom\s+\d+(?:\.\d+)?\s?(?:%|per\s?cent|percent)\s+to\b", stext, re.I))
    for c in [c for c in cues if "superseded" in c.flags]:
        _skip(ctx, sent, c, "superseded number")
    cues = [c for c in cues if "superseded" not in c.flags]
    if re.match(r"\s*[A-Z]", stext) and not sent.quotes[:1] == [(s, e)]:
        subject = speaker_after(text, s, e)
        if subject and subject.kind == "person" and subject.name and len(subject.name.split()) >= 2 \
                and not any(f[0] < s + len(subject.name) + 40 and f[3].name == subject.name for f in frames):
            _register(ctx, subject)
            ctx.recent.append((k, subject))
    pending = sorted(frames, key=lambda f: f[0])
    for group in _group(text, cues):
        while pending and pending[0][0] < group[0].start:
            _remember(ctx, k, pending.pop(0))
        _claim(ctx, k, sent, sents, frames, frames_of, group, superseded, heading)
    for f in pending:
        _remember(ctx, k, f)


def _remember(ctx, k, frame):
    sp, _ = _finish_speaker(ctx, k, frame[3], "indirect")
    if sp and sp.name:
        _register(ctx, sp)
        if not ctx.recent or ctx.recent[-1][1].name != sp.name or ctx.recent[-1][0] != k:
            ctx.recent.append((k, sp))


def _claim(ctx, k, sent, sents, frames, frames_of, group, superseded, heading):
    text = ctx.article.text
    anchor = _anchor(group)
    first, last = group[0], group[-1]
    s, e = sent.start, sent.end
    in_quote = _in_any(anchor.start, sent.quotes)
    flags = []
    # --- who
    speaker, attribution = None, "editorial"
    lo, hi = s, e
    if in_quote:
        qs, qe = next((a, b) for a, b in sent.quotes if a <= anchor.start < b)
        lo, hi = qs, qe
        if frames:
            frame = min(frames, key=lambda f: min(abs(f[0] - anchor.start), abs(f[1] - anchor.start)))
            speaker, extra = _finish_speaker(ctx, k, frame[3], "direct_quote")
        else:
            colon = re.search(r":\s*[\u201c\"']?\s*$", text[s:qs])
            found, extra0 = (speaker_after(text, s, s + colon.start()), ()) if colon else (None, ())
            if found is None:
                found, extra0 = _quote_speaker(ctx, k, sents, frames_of)
            speaker, extra = _finish_speaker(ctx, k, found, "direct_quote")
            extra = list(extra0) + extra
        flags += extra
        attribution = "direct_quote"
    else:
        subject_sp = None
        holder = None
        if anchor.subject_speaker or any(c.subject_speaker for c in group):
            holder = next(c for c in group if c.subject_speaker) if not anchor.subject_speaker else anchor
        elif anchor.kind == "numeric":
            verbs = list(re.finditer(r"\b(?:puts?|putting|sees?|seeing|gives?|giving|assigns?|estimates?|"
                                     r"estimated|places?|placed|pric(?:es|ed|ing)\s+in)\b",
                                     text[s:anchor.start]))
            if verbs:
                v = verbs[-1]
                holder = Cue(s + v.start(), s + v.end(), "verb", None)
        if holder is not None:
            start_lo = s
            for qs, qe in sent.quotes:
                if qe <= holder.start:
                    start_lo = max(start_lo, qe + 1)
            for m in re.finditer(r"[;:]|\bthat\b", text[start_lo:holder.start]):
                start_lo = start_lo + m.end() if False else start_lo
            before = re.sub(r"(?:\s+(?:should|can|could|would|will|must|may|might|do|does|did|not|"
                            r"n['\u2019]t|also|still|now|clearly|firmly|widely|already)\b)+\s*$", "",
                            text[start_lo:holder.start])
            subject_sp = speaker_before(text, start_lo, start_lo + len(before))
        governing = [f for f in frames if f[1] <= first.start]
        following = [f for f in frames if f[0] >= last.end]
        if subject_sp is not None:
            speaker, extra = _finish_speaker(ctx, k, subject_sp, "indirect")
            if speaker and speaker.name:
                _register(ctx, speaker)
                ctx.recent.append((k, speaker))
            flags += extra
            attribution = speaker.attribution if speaker else "editorial"
            if "first_person" in extra:
                speaker, attribution = _editorial(ctx), "editorial"
                flags.remove("first_person")
            if governing and speaker is None:
                speaker, extra = _finish_speaker(ctx, k, governing[-1][3], "indirect")
                flags += extra
        elif governing:
            frame = governing[-1]
            if _SOURCE_NOUN.search(text, frame[1], first.start):
                noun = _SOURCE_NOUN.search(text, frame[1], first.start)[1]
                speaker = Speaker(ctx.article.outlet, role=f"unattributed {noun} reported by the article",
                                  kind="organisation", attribution="collective")
                flags.append("unnamed_source")
                attribution = "collective"
            else:
                speaker, extra = _finish_speaker(ctx, k, frame[3], frame[3].attribution
                                                 if frame[3].attribution == "according_to" else "indirect")
                flags += extra
                attribution = speaker.attribution if speaker else "indirect"
                lo = frame[1]
        elif following:
            frame = following[0]
            speaker, extra = _finish_speaker(ctx, k, frame[3], frame[3].attribution
                                             if frame[3].attribution == "according_to" else "indirect")
            flags += extra
            attribution = speaker.attribution if speaker else "indirect"
            hi = frame[0]
        else:
            src = _SOURCE_NOUN.search(text, s, first.start)
            if src:
                speaker = Speaker(ctx.article.outlet, role=f"unattributed {src[1]} reported by the article",
                                  kind="organisation", attribution="collective")
                attribution = "collective"
                flags.append("unnamed_source")
        if speaker is None and attribution in ("editorial",) or (speaker is None and not flags):
            speaker, attribution = _editorial(ctx), "editorial"
    if speaker is None:
        speaker = Speaker(None, attribution=attribution)
    # --- where the claim is
    if re.match(r"\s*(?:While|Although|Though|As|If|When|Because|Since|After|Before|Whereas|Despite|Even\s+though)\b", text[s:first.start]) and not in_quote:
        comma = text.find(",", last.end, hi)
        if comma > 0:
            hi = comma
    rs, re_ = _region(text, sent, first.start, last.end, lo, hi)
    condition, cspan, only_if, inside = _conditional(text, first.start, rs, re_, hi)
    if inside:
        return _skip(ctx, sent, anchor, "inside a condition")
    head = _plain(text[max(s, rs - 40):first.start])
    # --- what is not a forecast
    if re.search(r"\bwhether\b|\b(?:ask(?:ed|s)?|wonder(?:ed|s)?)\s+(?:\w+\s+)?if\b", _plain(text[rs:first.start])) or \
            re.search(r"\b(?:how|what|why|where|when|which)\s+(?:[\w'\-\"]+\s+){0,4}$", _plain(text[rs:first.start])):
        return _skip(ctx, sent, anchor, "an embedded question")
    if re.search(r"\b(?:that|which|who)\s+(?:\w+ly\s+)?$", _plain(text[s:anchor.start])) and anchor.kind == "modal":
        before_that = _words_before(text, re.search(r"(?:that|which|who)\s+(?:\w+ly\s+)?$", text[s:anchor.start]).start() + s, s, 1)
        if not before_that or before_that[0] not in _CONTENT_BEFORE_THAT:
            return _skip(ctx, sent, anchor, "a modal in a relative clause")
    gap = re.search(r"\bthe\s+(\w+)\s+that\s+[^,;.]{1,60}$", _plain(text[s:first.start]))
    if gap and gap[1] not in _CONTENT_BEFORE_THAT and anchor.kind == "modal" and \
            re.match(r"\s*(?:\w+\s*)?(?:,|$)", text[anchor.end:re_]) and len(_words(text[anchor.end:re_])) <= 1:
        return _skip(ctx, sent, anchor, "a modal in a relative clause")
    that = re.search(r"(\w+)\s+that\s+[^.;]*$", _plain(text[s:first.start]))
    if that and that[1] in _DESIRE_THAT:
        return _skip(ctx, sent, anchor, "the content of a demand or hope, not a forecast")
    if anchor.kind == "modal" and anchor.phrase in ("could", "may", "might"):
        outside = [m for m in re.finditer(r"\bwould\b", _plain(text[s:anchor.start]))
                   if not _in_any(s + m.start(), sent.quotes) and not any(f[1] <= s + m.start() for f in frames)]
        if outside:
            return _skip(ctx, sent, anchor, "a hypothetical chain after 'would'")
    if anchor.kind == "verbal" and re.search(r"\b(?:was|were|had\s+been)\s+(?:\w+\s+)?$", head) and not any(
            f[1] <= first.start and _PAST_REPORTING.fullmatch(f[2]) for f in frames):
        return _skip(ctx, sent, anchor, "past tense")
    verb_after = _words_after(text, last.end, re_, 3)
    vp_words = [w for w in verb_after if w not in _MODAL_ADVERBS]
    verb = vp_words[0] if vp_words else ""
    if verb in _INTENT_WORDS or (verb == "be" and len(vp_words) > 1 and vp_words[1] in _INTENT_WORDS):
        return _skip(ctx, sent, anchor, "a statement of intent")
    subject_words = [w.lower() for w in _words(_subject(text[rs:first.start]))]
    if anchor.kind == "modal" and anchor.phrase in ("will", "will not", "going to", "would", "shall") \
            and subject_words and subject_words[0] in _FIRST_PERSON and verb not in _NON_VOLITIONAL \
            and not _SOFTENER.search(text, max(s, rs - 30), first.start):
        return _skip(ctx, sent, anchor, "a statement of intent (first person)")
    if anchor.kind == "modal" and not in_quote and subject_words and verb not in _NON_VOLITIONAL:
        subj = subject_words[-1] if len(subject_words) == 1 else ""
        if (subj in ("he", "she") and speaker.kind in ("person", "organisation") and speaker.name) or \
                (subj in ("it", "they") and speaker.kind in ("descriptive", "organisation")):
            return _skip(ctx, sent, anchor, "a statement of intent (the speaker's own side)")
    subject_text = _subject(text[rs:first.start]).lower()
    if anchor.kind == "modal" and anchor.phrase in ("will", "would", "going to", "will not") and attribution != "editorial" \
            and re.fullmatch(r"(?:the|its|our|their)\s+(?:\w+\s+)?(?:board|company|firm|bank|government|ministry|group|"
                             r"party|team|agency|council|committee|administration|club|union|fund|business)", subject_text) \
            and verb not in _NON_VOLITIONAL:
        return _skip(ctx, sent, anchor, "a statement of intent (the speaker's own organisation)")
    if anchor.kind == "modal" and verb in _STATE_VERBS - {"see", "need", "hold"}:
        return _skip(ctx, sent, anchor, "a state or wish, not an event")
    if anchor.kind == "modal" and re.match(r"see\s+(?:whether|if|what|how)\b", " ".join(vp_words[:2])):
        return _skip(ctx, sent, anchor, "noncommittal")
    # --- polarity, softening, probability
    negated = any(c.negated for c in group if c.kind in ("modal",)) and anchor.kind in ("modal", "verbal", "expect")
    if anchor.kind == "verbal":
        pre = _words_before(text, anchor.start, max(s, rs - 1), 3)
        if any(w in ("not", "n't", "never") or w.endswith("n't") or w.endswith("n\u2019t") for w in pre) and "not" not in anchor.phrase:
            negated = True
    if anchor.kind == "modal" and re.match(r"\s+(?:\w+\s+){0,2}no\s", text[anchor.end:re_]) and not anchor.negated:
        negated = True
    softened = bool(_SOFTENER.search(text, max(s, lo, rs - 40), first.start))
    if softened and re.search(r"(?:do\s+not|don['\u2019]t|did\s+not)\s+(?:think|believe|see)", text[max(s, rs - 40):first.start], re.I):
        negated = not negated
    if anchor.kind == "modal" and anchor.phrase in ("will", "going to", "set to", "would") and only_if:
        pass
    p, plo, phi, phrase, scale_used, row, source, pflags = _probability(
        ctx, group, anchor, negated, softened, only_if and anchor.kind == "modal")
    flags += pflags
    if negated:
        flags.append("negated")
    if softened:
        flags.append("softened")
    if condition:
        flags.append("conditional")
        if only_if:
            flags.append("only_if")
    if superseded:
        flags.append("superseded")
    if any(c.kind == "modal" and c.phrase in ("could", "may", "might") for c in group) and "hedge" not in flags:
        flags.append("hedge")
    flags += [f for f in anchor.flags if f in ("convention", "relative", "passive")]
    # --- the event
    ev_start = cspan[1] + 1 if cspan and cspan[1] <= first.start else rs
    event_text = _event(ctx, text, ev_start, cspan[0] if cspan and cspan[0] > anchor.end else re_, group, anchor)
    if isinstance(event_text, tuple):
        event_text, more = event_text
        flags += list(more)
    if only_if and condition:
        event_text = f"{event_text} (without the condition: {re.sub(r'^only if|^if', '', condition).strip()})"
    # --- when
    spans = [(rs, re_)] + ([cspan] if cspan else []) + ([(s, e)] if heading or sent.kind == "bullet" else [])
    horizon_text, resolves, hflags = horizon(text, spans, ctx.made)
    if resolves is None and anchor.kind == "idiom" and "antecedent" in flags:
        prior = [d for d in ctx.drafts if d["event"] == event_text]
        if prior and prior[-1]["resolves"]:
            horizon_text, resolves, hflags = prior[-1]["horizon"], datetime.date.fromisoformat(prior[-1]["resolves"]), ()
    flags += list(hflags)
    if ctx.made is None:
        flags.append("no_article_date")
    # --- quote and score
    if in_quote:
        qs, qe = next((a, b) for a, b in sent.quotes if a <= anchor.start < b)
    else:
        qs, qe = s, e
    while qs < qe and text[qs] in " \u201c\"'\u2018":
        qs += 1
    while qe > qs and text[qe - 1] in " ,\u201d\"'\u2019":
        qe -= 1
    if heading or sent.kind == "bullet":
        flags.append("editorial") if attribution == "editorial" else None
    elif attribution == "editorial":
        flags.append("editorial")
    cue_strength = {"numeric": 1.0, "idiom": 0.9, "verbal": 0.9, "relative": 0.5, "expect": 0.8}.get(anchor.kind)
    if cue_strength is None:
        cue_strength = {"will": 0.6, "will not": 0.6, "going to": 0.6, "set to": 0.6, "shall": 0.6,
                        "would": 0.55}.get(anchor.phrase, 0.45)
    if attribution == "editorial":
        attr = 0.8 if (heading or sent.kind == "bullet") else (0.75 if ctx.opinion else 0.5)
    elif attribution == "collective":
        attr = 0.85
    else:
        attr = 1.0 if speaker.name else 0.7
    score = round(min(1.0, cue_strength * attr + (0.1 if resolves else 0.0)), 2)
    members = speaker.members or ()
    for member in (members or (speaker,)):
        draft = {
            "speaker": member.name, "role": member.role or (speaker.name if members else None),
            "speaker_kind": member.kind if member.kind != "descriptive" else "person",
            "attribution": attribution, "quote": text[qs:qe], "start": qs, "end": qe,
            "cue": text[first.start:last.end] if anchor.kind != "idiom" else text[anchor.start:anchor.end],
            "cue_start": anchor.start, "cue_end": anchor.end, "cue_kind": anchor.kind,
            "event": event_text, "polarity": "negated" if negated else "affirmed",
            "probability": None if p is None else round(p, 6),
            "range": None if p is None else [round(plo, 6), round(phi, 6)],
            "scale": scale_used, "scale_row": row, "scale_phrase": phrase,
            "mapping_source": source, "horizon": horizon_text,
            "resolves": resolves.isoformat() if resolves else None,
            "review_date": None if resolves or ctx.made is None else parse._add_months(ctx.made, 6).isoformat(),
            "conditional_on": condition, "flags": sorted(set(flags + (["collective"] if members else []))),
            "score": score, "_sentence": k,
        }
        ctx.drafts.append(draft)
    # coordinated "neither X nor Y": the later conjuncts are claims of their own
    if anchor.kind == "modal" and re.match(r"\s+neither\b", text[anchor.end:e]):
        _nor_claims(ctx, k, sent, anchor, ctx.drafts[-1])


def _nor_claims(ctx, k, sent, anchor, first_draft):
    text = ctx.article.text
    tail = text[anchor.end:sent.end]
    m = re.match(r"\s+neither\s+(?P<verb>[a-z]+)\b", tail)
    if not m:
        return
    subject = _subject(text[sent.start:anchor.start].split("that")[-1])
    verb = m["verb"]
    stripped = re.sub(r"\([^()]*\)", lambda x: " " * len(x[0]), tail)
    for n in re.finditer(r"\bnor\s+(?!will\b|would\b|shall\b|can\b|could\b|is\b|are\b|do\b|does\b)(?P<rest>[^,;.]+)", stripped):
        rest = tail[n.start("rest"):n.end("rest")]
        draft = dict(first_draft)
        start = anchor.end + n.start()
        draft["cue_start"], draft["cue_end"] = start, start + 3
        draft["cue"] = text[start:start + 3]
        draft["event"] = _tidy_event(f"{subject} {_vp(verb + ' ' + rest.strip(), subject)}")
        draft["flags"] = sorted(set(draft["flags"]) | {"coordination"})
        ctx.drafts.append(draft)
    first_draft["event"] = _tidy_event(first_draft["event"].split(" nor ")[0])


_NAME_AFTER_TITLE = re.compile(
    r"\b(?:President|Chancellor|Secretary|Minister|Premier|Senator|Governor|General|Ambassador|"
    r"Commissioner|Director|Professor|Dr\.?|Mr\.?|Ms\.?|Mrs\.?|adviser|advisor|envoy|expert|analyst|"
    r"economist|officer|spokesman|spokeswoman|spokesperson|minister|secretary|president|chief|"
    r"strategist|fellow|lecturer|leader|Secretary-General|Secretary\s+of\s+State|CEO)\s+"
    r"(?P<name>[A-Z][\w\u2019'\-]+(?:\s+[A-Z][\w\u2019'\-]+){1,2})")


def _prescan_names(ctx, text):
    """Full names introduced with a title ("Russian President Vladimir Putin"), so that a later
    "Putin" or "Mr Giles" resolves to them."""
    for m in _NAME_AFTER_TITLE.finditer(text):
        name = re.sub(r"[\u2019']s$", "", m["name"])
        if any(w.lower() in _TITLE_WORDS for w in name.split()):
            continue
        key = name.split()[-1].lower()
        if key not in ctx.registry:
            ctx.registry[key] = Speaker(name, kind="person")


def extract(text, date=None, url=None, scale="default", segmenter="regex", min_score=MIN_SCORE,
            name=None):
    """Draft forecasts from an article's text.

    :param text: the article as plain text; a first line that is a URL is its source
    :param date: the article date (a ``datetime.date`` or text for ``parse_date``); otherwise
        taken from a date in the URL or a dateline; relative horizons need it
    :param url: the source URL (overrides a URL line)
    :param scale: the verbal-probability scale that maps cues to numbers
    :param segmenter: 'regex' (the default: tested and evaluated), 'pysbd' (when installed) or
        'auto' (pysbd when installed)
    :param min_score: drafts scoring below this are left out (and counted)
    :returns: a dict with the article's source, date and title, and ``drafts``
    """
    try:
        scale = scale_name(scale)
    except UnknownScale as error:
        raise ExtractError(str(error)) from None
    if isinstance(date, str):
        try:
            date = parse.parse_date(date)
        except parse.ParseError as error:
            raise ExtractError(f"--date: {error}") from None
    article = load(text, url=url, date=date)
    ctx = Context(article=article, scale=scale, made=article.date)
    ctx.current = 0
    head = text[:600]
    ctx.opinion = bool(article.writer_role) or bool(re.search(
        r"\b(?:opinion|comment|analysis|column|op-ed|editorial|key point|assessment)\b", text, re.I)) and not \
        re.search(r"\b(?:reporting by|told reporters)\b", head, re.I)
    if article.writer:
        ctx.editorial = Speaker(article.writer, role="the article's writer", kind="person")
    elif article.writer_role:
        ctx.editorial = Speaker("The writer", role=article.writer_role, kind="person")
    elif article.outlet:
        ctx.editorial = Speaker(article.outlet, role="the outlet, in its own voice", kind="organisation")
    sents = sentences(article, segmenter)
    _prescan_names(ctx, text)
    frames_of = [_frames(text, sent, sent.quotes) for sent in sents]
    for k in range(len(sents)):
        _process(ctx, k, sents, frames_of)
    kept = [d for d in ctx.drafts if d["score"] >= min_score]
    source = article.url or article.title
    drafts = []
    for i, d in enumerate(sorted(kept, key=lambda d: (d["cue_start"], d["speaker"] or "")), start=1):
        d = {k: v for k, v in d.items() if not k.startswith("_")}
        drafts.append({"id": f"d{i}", "status": "draft", **d,
                       "made": article.date.isoformat() if article.date else None,
                       "source": source})
    return {
        "article": name, "source_url": article.url, "title": article.title,
        "outlet": article.outlet, "writer": article.writer or (
            f"The writer ({article.writer_role})" if article.writer_role else None),
        "date": article.date.isoformat() if article.date else None, "date_from": article.date_from,
        "scale": scale, "segmenter": segmenter_name(segmenter), "min_score": min_score,
        "drafts": drafts, "below_min_score": len(ctx.drafts) - len(kept),
        "skipped": ctx.skipped,
    }
