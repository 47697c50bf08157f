"""Phase 5, horizons: the time expression near a claim and the resolution date it implies
(the horizon table of ``forecasts.parse``; dateparser, when installed, as a fallback)."""

from __future__ import annotations

import bisect
import datetime
import functools
import re

from .. import parse
from .article import _WEEKDAYS
from .attribution import _PAST_REPORTING
from .cues import _word_before


@functools.lru_cache(maxsize=4)
def _all_horizon_matches(text):
    """Every time expression in ``text`` and their start offsets, found in one scan."""
    matches = tuple(_HORIZON.finditer(text))
    return matches, [m.start() for m in matches]


def _horizon_matches(text, s, e):
    """The time expressions that lie within text[s:e]. One scan of the whole text serves every
    claim: scanning each claim's passage again made a long text's work grow with its claims
    times their passages."""
    matches, starts = _all_horizon_matches(text)
    return [m for m in matches[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
            if m.end() <= e]


# Mar, Apr, Jun and Jul are left out: too often words of their own in running text.
_SHORT_MONTHS = ("Jan", "Feb", "Aug", "Sept?", "Oct", "Nov", "Dec")
_MONTHS_CAP = "(?:" + "|".join(parse.MONTH_NAMES + tuple(m + r"\.?" for m in _SHORT_MONTHS)) + ")"
_SEASON_WORDS = "|".join(parse.SEASONS)
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
    r"|imminent(?:ly)?|(?<=\s)about\s+to(?=\s+[a-z])|soon|shortly|any\s+day\s+now|tomorrow(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:later\s+)?today|tonight|this\s+(?:morning|afternoon|evening)|overnight"
    rf"|(?:(?:in|within|over|during)\s+the\s+)?(?:next|coming)\s+(?:\d+|{_NUMWORDS})\s+hours"
    rf"|(?<=within\s)(?:\d+|{_NUMWORDS})\s+hours|(?:\d+|{_NUMWORDS})\s+hours\s+from\s+now"
    rf"|(?:throughout|through)\s+{_YEAR_RE}"
    rf"|(?:Christmas|Easter(?:\s+(?:holidays?|weekend|Monday))?|Thanksgiving|New\s+Year)(?:\s+{_YEAR_RE})?"
    rf"|(?:{_SEASON_WORDS})(?:\s+{_YEAR_RE})?"
    rf"|(?:{'|'.join(parse.WEEKDAYS)})"
    r")(?![\w\-])", re.I)
# Past acts of saying or publishing: a bare weekday within three words after one is when it
# happened ("said Tuesday", "issued a report Wednesday"). "expected" and "forecast" are left out:
# "a ruling is expected Friday" is a day to come.
_PAST_ACT = re.compile(r"said|told|added|wrote|warned|noted|explained|stated|declared|announced|"
                       r"reported|issued|released|published|unveiled|presented|launched|"
                       r"confirmed|revealed|admitted|insisted|argued|claimed", re.I)
_MONTH_WORD = re.compile(rf"\b({'|'.join(parse.MONTH_NAMES + _SHORT_MONTHS)})\b", re.I)
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


_TODAY = re.compile(r"(?:(?:by|on|at|until|during|in)\s+)?(?:the\s+)?(?:(?:later\s+)?today|tonight|this\s+"
                    r"(?:morning|afternoon|evening)|overnight)", re.I)


def _day_before_start(phrase, made, end):
    """The day before the period in phrase begins ("2014" -> 2013-12-31), else the day before
    its end date."""
    year = re.fullmatch(rf"(?:the\s+)?({_YEAR_RE})", phrase.strip())
    if year:
        return datetime.date(int(year[1]) - 1, 12, 31)
    return end - datetime.timedelta(days=1)


def horizon(text, spans, made, negated=False):
    """(horizon text, resolution date or None, flags) from the first time expression in spans
    that lies after the article date ``made`` (today's own words may fall on it).

    >>> horizon("It will not grow until 2014.", [(0, 28)], datetime.date(2013, 2, 1), True)[:2]
    ('until 2014', datetime.date(2013, 12, 31))
    """
    for s, e in spans:
        for m in _horizon_matches(text, s, e):
            phrase = m[0].strip()
            before = text[max(0, m.start() - 12):m.start()].lower()
            said = re.search(r"\b([a-z]+)(?:\s+(?:the|a|reporters|investors|journalists|media|press|"
                             r"parliament|lawmakers|him|her|them|us|me|congress|analysts|clients|"
                             r"officials|publicly|today|yesterday)){0,2}\s+$",
                             text[max(0, m.start() - 40):m.start()]) or re.search(
                # "told the Coalition for Darfur on Saturday": whom it was told, then when
                r"\b([a-z]+)\s+(?:the\s+)?(?:[A-Z][\w\-]*\s+(?:(?:of|for|on|and)\s+)?){1,6}$",
                text[max(0, m.start() - 80):m.start()])
            if said and _PAST_REPORTING.fullmatch(said[1]) and (
                    re.match(r"(?:in|on|at)\s", phrase, re.I) or phrase in parse.WEEKDAYS):
                continue  # "stated in January": when it was said, not when it will happen
            if re.fullmatch(rf"(?:on\s+)?(?:{'|'.join(parse.WEEKDAYS)})", phrase, re.I) and any(
                    _PAST_ACT.fullmatch(word) for word in
                    re.findall(r"[A-Za-z]+", text[max(0, m.start() - 40):m.start()])[-3:]):
                continue  # "issued a report Wednesday": the day something was done or said
            if re.search(r"\b(?:since|ago|last|from|past|previous|after)\s*$", before) or \
                    re.match(r"\s+ago\b", text[m.end():m.end() + 5]):
                continue
            if re.fullmatch(r"(?:(?:in|on|by)\s+)?\d{4}", phrase) and (
                    re.match(r"\s*(?:troops|soldiers|people|tonnes|km|%)", text[m.end():m.end() + 10])
                    or re.match(r"\s+[A-Z]{1,4}\d|[\w\-]", text[m.end():m.end() + 6])):
                continue  # a quantity, or a name such as the asteroid "2004 MN4"
            if re.fullmatch(r"(?:a|one)\s+" + _UNIT, phrase, re.I) and not re.match(r"(?:in|within)\b", text[max(0, m.start() - 7):m.start()].strip().lower() or "x"):
                continue
            if re.fullmatch(r"(?:days|weeks|months)", phrase, re.I):
                continue
            if re.fullmatch(rf"(?:{_SEASON_WORDS})(?:\s+\d{{4}})?", phrase, re.I) and \
                    _word_before(text, m.start()) not in ("this", "next", "the", "in", "by", "until", "before",
                                                          "during", "over", "into", "early", "late", "mid", "last"):
                continue
            month = _MONTH_WORD.search(phrase)
            if month and not month[1][0].isupper():
                continue  # "may" the modal, "march" the verb
            if re.fullmatch(rf"(?:on\s+)?(?:{'|'.join(parse.WEEKDAYS)})", phrase, re.I):
                near = re.search(r"(late|early|this|later)\s+$", text[max(0, m.start() - 7):m.start()], re.I)
                after = re.match(r"\s+(night|morning|evening|afternoon)\b", text[m.end():m.end() + 12])
                phrase = (f"{near[1]} " if near else "") + phrase + (f" {after[1]}" if after else "")
            if _past_day_of_month(phrase, made):
                continue  # "the December 23 announcement" written on 24 December: a past day
            found, flags = _deadline(phrase, made)
            if found is None:
                continue
            later = _range_end(text, m, e, made)
            if later is not None and later > found:
                found = later  # "late tonight and early tomorrow morning": the range's end
            same_day = bool(_TODAY.fullmatch(phrase)) or bool(re.match(
                r"(?:late|early|this|later)\s|.*\s(?:night|morning|evening|afternoon)$", phrase, re.I))
            if made and (found < made or found == made and not same_day):
                continue
            until = re.match(r"until\s+|till\s+", phrase, re.I)
            if until and negated:
                # "will not return to growth until 2014": the event does not come before then
                found, flags = _day_before_start(phrase[until.end():], made, found), flags
            elif until and re.fullmatch(rf"(?:the\s+)?{_YEAR_RE}", phrase[until.end():].strip()):
                # "will remain in recession until 2014": the state holds up to the year's start
                found = _day_before_start(phrase[until.end():], made, found)
            if _CONVENTION_HORIZON.search(phrase):
                flags = flags + ("horizon_convention",)
            return phrase, found, flags
    for s, e in spans:
        m = _NO_HORIZON.search(text, s, e)
        if m:
            return m[0], None, ("no_horizon",)
    return None, None, ("no_horizon",)


_DAY_OF_MONTH = re.compile(
    rf"(?:(?:in|on|by|at)\s+)?(?:the\s+)?(?:(?P<m1>{_MONTHS_CAP})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTHS_CAP}))", re.I)


def _past_day_of_month(phrase, made):
    """Whether phrase is a day of a month with no year that fell shortly before the article
    date (news writes "the December 23 announcement" for a past day, and a year for a far one).

    >>> _past_day_of_month("In the December 23", datetime.date(2004, 12, 24))
    True
    """
    m = _DAY_OF_MONTH.fullmatch(phrase.strip())
    if not m or made is None:
        return False
    month_word = (m["m1"] or m["m2"]).rstrip(".").lower()[:3]
    months = [name.lower()[:3] for name in parse.MONTH_NAMES]
    if month_word not in months:
        return False
    try:
        day = datetime.date(made.year, months.index(month_word) + 1, int(m["d1"] or m["d2"]))
    except ValueError:
        return False
    return datetime.timedelta(0) < made - day <= datetime.timedelta(days=120)


def _range_end(text, m, limit, made):
    """The end of a range of two time expressions ("tonight and early tomorrow", "Sunday or
    Monday") that starts with the match m, or None."""
    joint = re.match(r"\s*(?:and|or|to|through|into|-|\u2013)\s*(?:(?:early|late)\s+)?",
                     text[m.end():m.end() + 20])
    if not joint:
        return None
    nxt = _HORIZON.match(text, m.end() + joint.end(), limit)
    if not nxt:
        return None
    phrase = nxt[0].strip()
    if re.search(r"(?:late|early)\s+$", joint[0]) and re.fullmatch(
            f"(?:{'|'.join(parse.WEEKDAYS)})", phrase, re.I):
        phrase = joint[0].split()[-1] + " " + phrase
    if _MONTH_WORD.search(phrase) and not _MONTH_WORD.search(phrase)[1][0].isupper():
        return None
    found, _ = _deadline(phrase, made)
    return found


def _deadline(phrase, made):
    low = phrase.lower()
    if low == "about to":
        phrase = low = "imminently"  # VERBAL.md 2.3: about to -> two weeks
    weekday = re.search(f"({'|'.join(_WEEKDAYS)})", low)
    if weekday:
        if made is None:
            return None, ()
        target = _WEEKDAYS.index(weekday[1])
        days = (target - made.weekday()) % 7
        if days == 0 and not re.search(rf"(?:late|early|this|later)\s+{weekday[1]}|{weekday[1]}\s+"
                                       r"(?:night|morning|evening|afternoon)", low):
            days = 7  # "on Tuesday" written on a Tuesday means the next one
        return made + datetime.timedelta(days=days), ()
    if "tomorrow" in low:
        return (made + datetime.timedelta(days=1), ()) if made else (None, ())
    if _TODAY.fullmatch(low):
        return (made + datetime.timedelta(days=1 if "overnight" in low else 0), ()) if made \
            else (None, ())
    hours = re.search(rf"(\d+|{_NUMWORDS})\s+hours", low)
    if hours:
        if made is None:
            return None, ()
        count = int(hours[1]) if hours[1].isdigit() else int(parse._COUNT_WORDS.get(hours[1], 1))
        return made + datetime.timedelta(days=max(1, -(-count // 24))), ()
    season = re.fullmatch(rf"before\s+(?:the\s+)?({_SEASON_WORDS})", low)
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


def agreed_date(dates):
    """The date that at least two and two thirds of ``dates`` name, else None.

    >>> agreed_date(["2006-03-20", "2006-03-20", "2006-03-26"]), agreed_date(["2006-03-20"])
    ('2006-03-20', None)
    """
    counts = {}
    for date in dates:
        counts[date] = counts.get(date, 0) + 1
    if not counts:
        return None
    best = max(sorted(counts), key=counts.get)
    return best if counts[best] >= 2 and 3 * counts[best] >= 2 * len(dates) else None


def undated_take_article_horizon(drafts, text, sentence_spans, made):
    """Claims with no time words take the date the article agrees on (``agreed_date``): that of
    its dated claims, else that of its sentences' first time expressions (a storm's landfall
    "tomorrow morning" and "on Monday", a count, "this year" in an economic outlook); flagged
    horizon_from_article for a reviewer to confirm."""
    if not any(d["resolves"] is None and d["horizon"] is None for d in drafts):
        return
    own = {d["cue_start"]: d["resolves"] for d in drafts
           if d["resolves"] and "horizon_from_context" not in d["flags"]}
    dates = list(own.values())
    date = agreed_date(dates)
    if date is not None and 3 * dates.count(date) < len(drafts):
        # a few dated claims among many undated ones ("a deal before the end of the year" in a
        # piece on the war) speak for themselves, not for the article
        return
    if date is None and made is not None:
        found = (horizon(text, [span], made)[1] for span in sentence_spans)
        date = agreed_date([d.isoformat() for d in found if d is not None])
    if date is None:
        return
    for d in drafts:
        if d["resolves"] is None and d["horizon"] is None:
            d["resolves"], d["review_date"] = date, None
            d["flags"] = sorted((set(d["flags"]) - {"no_horizon"}) | {"horizon_from_article"})
