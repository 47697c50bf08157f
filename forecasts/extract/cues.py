"""Phase 3, cues and negation: the words that carry a forecast (modals, "expect", probability
words and numbers, idioms, scale phrases) and whether each is negated or softened."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .. import parse
from ..scales import load_scale
from .text import _clean, _tokens, _words

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
                  "again", "once", "finally", "most", "very", "highly", "sooner", "later", "hardly",
                  "undoubtedly", "doubtless", "inevitably", "presumably", "clearly"}
_NOUN_WILL = {"political", "the", "good", "free", "ill", "own", "popular", "collective", "strong",
              "iron", "his", "her", "their", "its", "our", "my", "your", "of", "against", "last",
              "public", "sheer", "national", "general", "people's", "lack", "no"}
_FORECAST_NOUN_BEFORE = {"previous", "earlier", "latest", "new", "winter", "spring", "summer",
                         "autumn", "weather", "official", "economic", "growth", "revised", "own",
                         "initial", "updated", "monthly", "quarterly", "annual", "long-range",
                         "seasonal", "budget", "central", "current", "original", "gloomy", "bleak"}
_NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "nothing", "none", "nobody", "cannot"}


def _word_before(text, pos, lo=0):
    lo = max(lo, pos - 80)  # a word and the spaces and marks after it: the work stays bounded
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


_BETTING = re.compile(r"\b(?:bookmakers?|bookies|betting|punters|odds|favou?rites?|outsiders?|"
                      r"priced|longshot|long[\s-]shot|wager|bet)\b", re.I)
_BOOKMAKER = re.compile(
    r"(?<![\w./-])(?P<num>(?P<a>\d{1,3})\s?[-/]\s?(?P<b>\d{1,3})"
    r"(?:\s+(?P<dir>on(?!\s+(?:[A-Z]|the\b|a\b|an\b))|against))?"
    r"|odds[\s-]on|evens|even\s+money)(?![\w/%-]|\.\d)", re.I)


def _bookmaker_cues(text, s, e):
    """Bookmaker odds in a sentence about betting: "30-1" (against), "2/1 on", "odds-on",
    "evens"."""
    if not _BETTING.search(text, s, e):
        return []
    cues = []
    for m in _BOOKMAKER.finditer(text, s, e):
        if m["a"] and re.search(r"\b(?:won|win|wins|beat|beats|beating|drew|draw|lost|lose|led|"
                                r"leading|trailed|trailing|defeated|scored?|victory|by|from|"
                                r"between|aged?|ratio|vote[ds]?)\s*(?:a\s+|an\s+|the\s+)?$",
                                text[max(s, m.start() - 20):m.start()], re.I):
            continue  # "won 2-1", "a 5-4 vote": a score or a tally
        if m["a"] and (int(m["a"]) == 0 or int(m["b"]) == 0 or
                       re.match(r"\s*(?:win|victory|defeat|loss|draw|lead|score|seats?|votes?)\b",
                                text[m.end():m.end() + 12], re.I) and not m["dir"]):
            continue  # a score or a tally, not a price
        cues.append(Cue(m.start(), m.end(), "numeric", m["num"], flags=("bookmaker_odds",)))
    return cues


def _bookmaker_probability(phrase):
    """What a bettor reads in a price: a-b against is b/(a+b), a-b on is a/(a+b), odds-on is
    better than even, evens is one half (the bookmaker's margin is not taken out).

    >>> [round(_bookmaker_probability(x)[0], 4) for x in ("30-1", "2/1 on", "evens")]
    [0.0323, 0.6667, 0.5]
    """
    low = phrase.lower()
    if low.startswith("odds"):
        return 0.6, 0.5, 0.95, low
    if low.startswith("even"):
        return 0.5, 0.5, 0.5, low
    m = re.match(r"(\d+)\s?[-/]\s?(\d+)(?:\s+(on|against))?", low)
    a, b = int(m[1]), int(m[2])
    p = a / (a + b) if m[3] == "on" else b / (a + b)
    return p, p, p, low


def _numeric_probability(cue):
    """Read a numeric cue: (p, lo, hi, text) or None."""
    if "bookmaker_odds" in cue.flags:
        return _bookmaker_probability(cue.phrase)
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
        seen_as = word == "likely" and len(before) > 1 and before[-2] == "as" and prev in ("a", "an", "the")
        if prev in _DETERMINERS and prev not in ("no",) and not seen_as:
            continue  # attributive: "a likely candidate" ("seen as a likely winner" is a forecast)
        if word in ("possible", "impossible"):
            if prev == "as" or re.match(r"\s+(?:for|to\s+(?:" + "|".join(_NONCOMMITTAL_AFTER) + r"))\b",
                                        text[m.end():e], re.I) and word == "impossible":
                continue
            if prev in ("as", "if", "where", "when", "whenever", "wherever", "soon"):
                continue
            if re.search(r"\bas\s+(?:[\w\-]+\s+){1,4}as\s+(?:(?:is|was|are|were|be|humanly|"
                         r"reasonably)\s+)*$", text[max(s, m.start() - 60):m.start()], re.I):
                continue  # "as much evidence as was possible": a comparison
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
        if not (predicative or after_ok or participle or heading or seen_as):
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
    r"|(?:is|are|['\u2019]s|['\u2019]re)\s+(?:(?:now|also|not)\s+)?set\s+to"
    r"|(?<=,\s)set\s+to(?=\s+be\s+[a-z]+ed\b))(?![\w\-])"
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
        after = _tokens(text[m.end():min(e, m.end() + 160)], m.end())
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
        negated = bool(re.search(r"\bnot\b", aux)) or prev in ("not", "n't", "never", "hardly") or \
            bool(re.search(r"\b(?:no\s+one|nobody|none\s+of\s+(?:them|us|the\s+\w+)|few(?:\s+\w+)?)\s*$",
                           text[max(s, m.start() - 30):m.start()], re.I)) or \
            bool(re.search(r"n['\u2019]t\s+$", text[max(s, m.start() - 8):m.start()]))
        if prev in ("than", "as", "the", "an", "a", "what", "unexpected", "long", "fully", "less", "more"):
            continue
        if verb in ("forecasts", "projects", "project") and (prev in _DETERMINERS or not m["aux"] and prev not in ("he", "she", "it", "they", "we", "analysts", "economists")):
            if not (prev and prev[0].isalpha() and text[m.start() - 2:m.start() - 1].isalpha() is False):
                continue
        if verb.startswith("project") and not aux:
            continue
        if verb in ("forecast", "forecasts") and not aux and (prev in _DETERMINERS | _FORECAST_NOUN_BEFORE
                                                  or re.match(r"\s*[,.;:)]|\s+(?:of|for|was|is|"
                                                              r"has|had|were|are)\b",
                                                              text[m.end():e])):
            continue  # the noun: "its winter forecast", "the forecast of growth"
        if aux:
            subject = text[s:m.start()]
            if nxt != "to" and re.match(r"\s*(?:[.;!]|$|,\s|(?:next|this|later|soon|by|before|"
                                        r"within|in|on|at|tomorrow|shortly|across|throughout|"
                                        r"around|among|for|from|after|during|until|over)\b)", text[m.end():e]) \
                    and verb in ("expected", "predicted", "forecast", "anticipated") \
                    and re.search(r"[A-Za-z]", subject) \
                    and not re.search(r"\b(?:as|than|what|which|who|that|it|this)\s+\S+\s*$", subject, re.I):
                # "A decision is expected next week", "No attack by land is expected."
                no_subject = bool(re.match(r"\s*(?:no|neither)\b", _clean(subject), re.I))
                cues.append(Cue(m.start(), m.end(), "expect", "not expected to"
                                if negated or no_subject else "expected to",
                                flags=("passive", "bare_passive")))
                continue
            if nxt != "to":
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
    # a warning of something to come: a confident expectation with no value on the scale
    (re.compile(r"\bwarn(?:s|ed|ing)?\s+(?:(?!of\b)[\w\-]+\s+){0,6}?of\s+(?!the\s+(?:dangers?|risks?|threat)\s+of\b)"
                r"(?=(?:\w+\s+){0,3}?(?:storm|flood|floods|flooding|tide|surge|shortages?|strikes?|attacks?|"
                r"job\s+cuts|layoffs|losses|recession|default|rises?|falls?|delays?|disruption|outages?|"
                r"violence|unrest|famine|drought|gales?|snow|rain|winds?|heat|fire|fires|eruption|"
                r"tsunami|collapse|cuts|price|prices)\b)(?P<obj>[^.;:!?]+)", re.I), "warned", ("convention", "warning")),
    (re.compile(r"\b(?:did\s+not|didn['\u2019]t|would\s+not|wouldn['\u2019]t|refused\s+to|declined\s+to|won['\u2019]t|will\s+not|not)\s+rul(?:e|ing)\s+out\s+(?P<obj>[^.;:!?]+)", re.I), "cannot rule out", ()),
    # "ruled out making a bid" is the actor's own decision, not a forecast: a gerund is left out
    (re.compile(r"(?<!not\s)\brul(?:ed|es)\s+out\s+(?![a-z]+ing\b)(?P<obj>[^.;:!?]+)", re.I), "will not", ("convention", "unhedged")),
    (re.compile(r"\b(?:is|are|was|remains?|seems?)\s+(?:not|no\s+longer|hardly)\s+(?:a|an)\s+(?:realistic\s+|serious\s+|real\s+|likely\s+|near[\s\-]term\s+|immediate\s+|viable\s+|short[\s\-]term\s+)?(?:prospect|possibility|option)\b(?P<obj>)", re.I), "will not", ("convention", "unhedged")),
    (re.compile(r"\b(?:is|are|remains?|seems?)\s+(?:a|an)\s+(?:distant|remote|faint)\s+(?:prospect|possibility|hope)\b(?P<obj>)", re.I), "remote", ("convention",)),
    (re.compile(r"\b(?:is|are|remains?|seems?)\s+(?:a|an)\s+(?:real|serious|distinct|strong)\s+(?:prospect|possibility)\b(?P<obj>)", re.I), "real possibility", ("convention",)),
    (re.compile(r"\bthere\s+(?:are|is|were|was|remain|remains)\s+(?:\w+\s+){0,2}?doubts?\s+(?:about|over|as\s+to|on)\s+(?P<obj>[^.;:!?]+)", re.I), "doubt", ()),
    (re.compile(r"(?<![\w\-])(?:i|we|he|she|they|analysts|experts|economists|officials)\s+doubts?\s+(?:that|whether|if|it|the|this|there)\b(?P<obj>)", re.I), "doubt", ()),
]


# Someone's plan reported by another ("Debka says the United States is planning air strikes")
# and "is about to": cues with no value on the scale, for a reviewer (screening keeps the
# planner's own word out).
_PLAN = re.compile(r"\b(?:is|are|was|were)\s+(?:reportedly\s+|now\s+|already\s+|secretly\s+)?"
                   r"(?:planning\s+(?:to\s+|an?\s+|for\s+)|(?:being\s+)?planned\s+for\s+)", re.I)
_ABOUT_TO = re.compile(r"\b(?:is|are|was|were|be|appears?\s+to\s+be|seems?\s+to\s+be)\s+"
                       r"(?:just\s+)?about\s+to\s+(?=[a-z])", re.I)


def _plan_cues(text, s, e):
    cues = []
    for m in _PLAN.finditer(text, s, e):
        cues.append(Cue(m.start(), m.end() - 1, "idiom", "planned", flags=("plan",)))
    for m in _ABOUT_TO.finditer(text, s, e):
        cues.append(Cue(m.start(), m.end() - 1, "idiom", "about to", flags=("imminent",)))
    return cues


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
    """Every cue in text[s:e], overlapping ones reduced to the longest (numbers win). A headline's
    "X warns of Y" announces the body's claim, so it is not a cue of its own."""
    found = (_numeric_cues(text, s, e) + _bookmaker_cues(text, s, e) + _scale_cues(text, s, e, scale)
             + [c for c in _idiom_cues(text, s, e) if not (heading and "warning" in c.flags)]
             + _plan_cues(text, s, e)
             + _adjective_cues(text, s, e, heading) + _adverb_cues(text, s, e)
             + _expect_cues(text, s, e) + _modal_cues(text, s, e, heading, reported))
    rank = {"numeric": 0, "idiom": 1, "verbal": 2, "relative": 2, "expect": 3, "modal": 4}
    found.sort(key=lambda c: (rank[c.kind], -(c.end - c.start), c.start))
    kept, starts = [], []  # kept cues never overlap, so sorted by start they are sorted by end
    for cue in found:
        i = bisect.bisect_left(starts, cue.start)
        if i < len(kept) and kept[i].start < cue.end or i > 0 and kept[i - 1].end > cue.start:
            continue
        if cue.kind == "verbal" and _anaphoric(text, cue, e):
            continue
        kept.insert(i, cue)
        starts.insert(i, cue.start)
    return kept


def _anaphoric(text, cue, e):
    """'in preparation for such a possibility': a chance noun that points back to an event
    already named makes no claim of its own."""
    words = text[cue.start:cue.end].lower().split()
    if not words or words[-1].rstrip(".,") not in ("possibility", "chance", "risk", "prospect",
                                                  "likelihood", "eventuality"):
        return False
    before = text[max(0, cue.start - 12):cue.start].lower().split()
    pointer = ("such", "this", "that", "these", "those")
    after = _word_after(text, cue.end, e)
    return (bool(before) and before[-1] in pointer or words[0] in pointer) and \
        after not in ("of", "that", "to", "for")
