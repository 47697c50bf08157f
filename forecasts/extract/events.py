"""Phase 6a, events: the clause a cue governs, its condition, and the event it predicts
rewritten in positive, resolvable form."""

from __future__ import annotations

import re

from .attribution import _is_cap
from .text import _clean, _words

# --- 5. claims ----------------------------------------------------------------------------------------

_HARD = re.compile(r"[;:(\u2014]|\s\u2013\s|\s-\s|,\s+(?:but|while|nor|which|who|whereas|although|"
                   r"though|as|with|not)\b|\b(?:but|nor|whereas|although|because|unless|if|while|"
                   r"and|or)\b", re.I)
_CLAUSE_START = re.compile(r"[;:(\u2014]|\s\u2013\s|\bthat\b|,\s+(?:but|while|and|so|yet|nor)\b|\bnor\b|"
                           r"\b(?:but|while|whereas|although|though|because)\b", re.I)
_CLAUSE_END = re.compile(r"[;()\u2014]|\s\u2013\s|,\s+(?:but|while|with|not|as|according|yet|"
                         r"which|who|nor|and\s+(?:said|added|told|warned))\b|,\s+(?:[a-z]+ly\s+)?"
                         r"(?:he|she|they|it|[A-Z][a-z]+)\s+(?:said|says|added|told|warned)\b|"
                         r",\s+(?:the\s+|many\s+|some\s+)?(?:[a-z]+\s+){1,3}(?:said|say|says|told|added|"
                         r"warned)\b|"
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
        return {"be": "are", "Be": "Are"}.get(verb, verb)
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


_COMMON_PLURALS = {
    "prices", "rates", "shares", "markets", "stocks", "sales", "profits", "talks", "exports",
    "imports", "costs", "wages", "yields", "temperatures", "forecasts", "analysts", "economists",
    "officials", "investors", "voters", "polls", "results", "earnings", "revenues", "losses",
    "taxes", "rents", "fees", "bonds", "numbers", "deaths", "cases", "infections", "troops",
    "forces", "negotiations", "elections", "storms", "floods", "rains", "winds", "conditions",
    "experts", "scientists", "doctors", "hospitals", "schools", "banks", "companies", "firms",
    "states", "countries", "governments", "leaders", "players", "fans", "tickets", "flights"}


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
    # a capital on a lone word may be the sentence's ("Prices will fall"), not a name's ("Jones")
    proper = _is_cap(_words(subject)[-1]) and (len(words) > 1 or head not in _COMMON_PLURALS)
    return head.endswith("s") and not re.search(r"(?:ss|us|is|news|ics)$", head) and not proper


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
                # "If the lower figure is correct it is possible that ...": no comma, but the
                # main clause opens with its own subject and verb
                main = re.search(r"\s(?:then\s+)?(?:it|there|we|they|he|she|this)\s+(?:is|are|will|would|"
                                 r"could|may|might|seems|looks|appears)\b", text[m.end():cue_start])
                if main is None:
                    return None, None, False, True
                stop = m.end() + main.start()
            return _clean(text[m.start():stop]), (m.start(), stop), word.startswith("only"), False
        end = sent_end
        stop = re.search(r"[;\u2014]|,\s+(?:but|while|which)\b", text[m.end():sent_end])
        if stop:
            end = m.end() + stop.start()
        only = word.startswith("only") or bool(re.search(r"\bonly\b", text[region_start:m.start()]))
        return _clean(text[m.start():end]).rstrip(".!?"), (m.start(), end), only, False
    return None, None, False, False


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
                             r"|(?:i|we)\s+(?:do\s+not|don['\u2019]t|did\s+not)\s+(?:think|believe|expect)"
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


def _odds_event(text, rs, re_, anchor):
    """'Bookmakers make Smith a 30-1 outsider to win the race': Smith wins the race."""
    left, right = text[rs:anchor.start], text[anchor.end:re_]
    names = re.findall(r"[A-Z][\w'\u2019\-]*(?:\s+[A-Z][\w'\u2019\-]*)*", left)
    subject = next((n for n in reversed(names) if n.lower() not in ("bookmakers", "bookies", "the")),
                   "")
    vp = re.search(r"\bto\s+([a-z][\w\-]*.*)$", right, re.S)
    if subject and vp:
        return _tidy_event(f"{subject} {_vp(vp[1], subject)}")
    return _tidy_event(f"{left} {right}")


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
    if anchor.kind == "numeric" and "bookmaker_odds" in anchor.flags:
        return _odds_event(text, rs, re_, anchor)
    if anchor.kind == "numeric":
        clause, start = _numeric_event(text, rs, re_, anchor)
        if modal and modal.start >= start:
            return _event(ctx, text, start, re_, [modal], modal)
        return _tidy_event(re.sub(r"\b(?:a|an)?\s*" + re.escape(anchor.phrase) + r"\s*(?:chance|probability|likelihood|odds|risk)?", "", clause))
    if anchor.kind == "expect" and "passive" not in anchor.flags:
        obj = re.sub(r"^\s*(?:that\s+)?", "", right)
        if modal:
            return _event(ctx, text, anchor.end, re_, [modal], modal)
        m = re.match(r"(?P<np>.+?)\s+to\s+(?P<vp>[a-z][\w\-]*.*)$", obj, re.S)
        if m and not re.search(r"\b(?:is|are|was|were|has|have)\b", m["np"]):
            return _tidy_event(m["np"] + " " + _vp(m["vp"], m["np"]))
        return _tidy_event(obj)
    subject = _subject(left)
    if anchor.kind == "expect" and "bare_passive" in anchor.flags:  # "A ruling is expected"
        subject = re.sub(r"\s*(?:is|are|was|were|be|['\u2019]s|['\u2019]re)(?:\s+(?:widely|now|also|"
                         r"still|generally|broadly|not))*\s*$", "", subject)
        subject = re.sub(r"^(?:no|neither)\s+(?=(?P<v>[aeiou])?)",
                         lambda m: "an " if m["v"] else "a ", subject, flags=re.I)
        return _tidy_event(f"{subject} {'take' if _plural(subject) else 'takes'} place{right}")
    if anchor.kind == "expect" or anchor.kind == "verbal" and (anchor.phrase or "").endswith(" to") \
            and not re.search(r"\b(?:likely|unlikely|possible|chance|certain|impossible)\s+to$", anchor.phrase):
        # "X is expected to VP", "X is not expected to VP"
        subject = re.sub(r"\s*(?:is|are|was|were|be|['\u2019]s|['\u2019]re)(?:\s+(?:widely|now|also|still|generally|broadly|not|n['\u2019]t))*\s*$", "", subject)
        subject = re.sub(r"\s*(?:isn|aren|wasn|weren)['\u2019]t\s*$", "", subject)
        vp = re.sub(r"^\s*to\s+", "", right)
        return _tidy_event(f"{subject} {_vp(vp, subject)}")
    word = anchor.phrase or ""
    if anchor.kind == "verbal" and word in ("likely", "unlikely", "possible", "impossible", "certain",
                                            "probable", "improbable", "doubtful", "remote") \
            or (anchor.kind == "verbal" and re.search(r"\b(?:likely|unlikely|possible|chance|certain|impossible)$", word)
                and not re.search(r"\b(?:will|could|may|might)\b", word)):
        subject = re.sub(r"(?:\s*\b(?:is|are|was|were|be|been|seems?|looks?|appears?|remains?|"
                         r"becomes?|['\u2019]s|would|will|could|may|might|now|still|very|highly|"
                         r"quite|not|hardly|scarcely|n['\u2019]t|also|isn['\u2019]t|aren['\u2019]t|considered|"
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
