"""Phase 1, the article: source URL, date, outlet, title, byline, boilerplate and the lines of
body text (headings, bullets, paragraphs)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from .. import parse
from .text import _clean, _words

# --- 1. loading: source, date, boilerplate, headings ------------------------------------------

_URL_LINE = re.compile(r"\s*(https?://\S+)\s*")
_URL_DATE = [re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:[/-]|$|\.)"),
             re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?:/|$)")]
_MONTH_NAMES = "|".join(parse.MONTH_NAMES + tuple(parse.MONTH_ABBREVIATIONS))
_WEEKDAYS = tuple(day.lower() for day in parse.WEEKDAYS)
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


# A line ending in one of these goes on in the next line: wrapped prose, never a heading.
_GOES_ON = {"said", "says", "told", "the", "a", "an", "of", "to", "and", "or", "in", "at", "by",
            "for", "with", "that", "from", "on", "as", "is", "are", "was", "were", "will", "would",
            "could", "should", "may", "might", "its", "their", "his", "her"}


def _heading_like(line_text):
    words = _words(line_text)
    if not words or len(words) > 20 or words[-1] in _GOES_ON:
        return False
    if re.search(r"\w[.!?]['\"\u201d\u2019)]?\s+['\"\u201c\u2018]?[A-Z]", line_text):
        return False  # two sentences: prose, not a heading
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
        elif _heading_like(line) and not (index + 1 < len(nonblank) and text[
                nonblank[index + 1][0]:nonblank[index + 1][0] + 1].islower()
                and nonblank[index + 1][0] == e + 1):
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
