"""Phase 6a', screening: why a cue in its clause makes no forecast (an embedded question, a
relative clause, a demand, a hypothetical, past tense, intent, a schedule, a state, a forecast
made long before the article), or None when it does.

Example::

    >>> _in_any(3, [(0, 5)])
    True
"""

from __future__ import annotations

import re

from .attribution import _PAST_REPORTING
from .cues import (
    _INTENT_WORDS,
    _MODAL_ADVERBS,
    _NON_VOLITIONAL,
    _PREPOSITIONS,
    _SOFTENER,
    _STATE_VERBS,
    _words_after,
    _words_before,
)
from .events import _DESIRE_THAT, _subject
from .text import _plain, _words


def _in_any(pos, spans):
    return any(a <= pos < b for a, b in spans)


# "will meet", "will be held", "is set to open": the timetable of something arranged, which a
# news report states as fact rather than forecasts.
_SCHEDULE_VERBS = {"meet", "meets", "start", "begin", "open", "close", "feature", "host", "attend",
                   "visit", "travel", "kick", "resume", "reopen", "convene", "air", "premiere",
                   "debut", "tour", "address", "headline", "chair", "preside", "broadcast",
                   "expire", "head"}
_SCHEDULE_PARTICIPLES = {"held", "closed", "opened", "extended", "broadcast", "played", "staged",
                         "dubbed", "named", "sworn", "inaugurated", "hosted", "televised",
                         "screened", "reopened", "convened", "chaired", "shown", "streamed",
                         # a rule or a decision's next step, as announced
                         "required", "obliged", "allowed", "permitted", "revisited", "reviewed",
                         "treated", "buried", "cremated"}
# "will be attending": what people have arranged to do (a storm "will be moving" is a forecast)
_ARRANGED_ACTIVITIES = {"attending", "making", "focusing", "meeting", "visiting", "travelling",
                        "traveling", "hosting", "presenting", "performing", "speaking",
                        "appearing", "joining", "leaving", "stepping", "working", "launching",
                        "releasing", "broadcasting", "airing", "competing", "campaigning",
                        "announcing", "holding", "taking", "touring", "playing", "starring",
                        "offering", "providing", "publishing", "unveiling", "returning"}
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


def _not_a_forecast(ctx, claim):
    """Why the cue does not make a forecast (a question, a relative clause, a demand, a
    hypothetical, past tense, intent, a state), or None when it does."""
    text, sent, anchor, first = ctx.article.text, claim.sent, claim.anchor, claim.first
    s, rs, re_ = sent.start, claim.rs, claim.re_
    frames, speaker = claim.frames, claim.speaker
    head = _plain(text[max(s, rs - 40):first.start])
    if re.search(r"\bwhether\b|\b(?:ask(?:ed|s)?|wonder(?:ed|s)?)\s+(?:\w+\s+)?if\b", _plain(text[rs:first.start])) or \
            re.search(r"\b(?:how|what|why|where|when)\s+(?:[\w'\-\"]+\s+){0,4}$", _plain(text[rs:first.start])) \
            and not re.search(r"\b(?:explain(?:s|ed|ing)?|show(?:s|ed|ing)?|describ(?:es|ed|ing)|"
                              r"detail(?:s|ed|ing)?|outlin(?:es|ed|ing)|warn(?:s|ed|ing)?)\s+how\s+"
                              r"(?:[\w'\-\"]+\s+){0,4}$", _plain(text[max(s, rs - 40):first.start])) or \
            re.search(r"\b(?:know|knows|ask|asked|decide|unclear|clear|sure|certain|determine|on|about|over)"
                      r"\s+which\s+(?:[\w'\-\"]+\s+){0,4}$", _plain(text[max(s, rs - 40):first.start])):
        return "an embedded question"
    relative = re.search(r"\b(?:that|which|who)\s+(?:\w+ly\s+)?$", _plain(text[s:anchor.start]))
    if relative and anchor.kind == "modal":
        # the plain text has the text's offsets, so "That will" (capital) is found too
        before_that = _words_before(text, relative.start() + s, s, 1)
        non_restrictive = re.search(r",\s*(?:(?:and|but)\s+)?(?:which|who)\s+(?:\w+ly\s+)?$",
                                    text[s:anchor.start])
        verb_next = (_words_after(text, anchor.end, sent.end, 3) or [""])
        verb_next = next((w for w in verb_next if w not in _MODAL_ADVERBS), "")
        if before_that and before_that[0] in _PREPOSITIONS and relative[0].startswith("that"):
            pass  # "leading up to that will be": the pronoun, not a relative clause
        elif non_restrictive and verb_next in _NON_VOLITIONAL and anchor.phrase == "will":
            pass  # ", who will undoubtedly be a target": a forecast about the antecedent
        elif not before_that or before_that[0] not in _CONTENT_BEFORE_THAT:
            return "a modal in a relative clause"
    gap = re.search(r"\bthe\s+(\w+)\s+that\s+[^,;.]{1,60}$", _plain(text[s:first.start]))
    if gap and gap[1] not in _CONTENT_BEFORE_THAT and anchor.kind == "modal" and \
            re.match(r"\s*(?:\w+\s*)?(?:,|$)", text[anchor.end:re_]) and len(_words(text[anchor.end:re_])) <= 1:
        return "a modal in a relative clause"
    that = re.search(r"(\w+)\s+that\s+[^.;]*$", _plain(text[s:first.start]))
    if that and that[1] in _DESIRE_THAT:
        return "the content of a demand or hope, not a forecast"
    if anchor.kind == "modal" and re.search(r"\b(?:hope|hopes|hoped|hoping|wish|wishes|wished|want|wants|"
                                            r"wanted)\s+(?:[\w'\-]+\s+){1,4}$", _plain(text[s:anchor.start])):
        return "the content of a demand or hope, not a forecast"  # "I hope it will go beyond"
    if anchor.kind == "modal" and anchor.phrase in ("could", "may", "might"):
        head_text = _plain(text[s:anchor.start])
        cut = max((m.end() for m in re.finditer(r"[;:]|,\s+(?:although|though|but|while|whereas)\b",
                                                 head_text)), default=0)
        outside = [m for m in re.finditer(r"\bwould\b", head_text)
                   if m.start() >= cut and not _in_any(s + m.start(), sent.quotes)
                   and not any(f[1] <= s + m.start() for f in frames)]
        if outside:
            return "a hypothetical chain after 'would'"
    if anchor.kind == "verbal" and re.search(r"\b(?:was|were|had\s+been)\s+(?:\w+\s+)?$", head) and not any(
            f[1] <= first.start and _PAST_REPORTING.fullmatch(f[2]) for f in frames):
        return "past tense"
    past = _past_forecast(ctx, claim)
    if past:
        return past
    verb_after = _words_after(text, claim.last.end, re_, 3)
    vp_words = [w for w in verb_after if w not in _MODAL_ADVERBS]
    verb = vp_words[0] if vp_words else ""
    if verb in _INTENT_WORDS or (verb == "be" and len(vp_words) > 1 and vp_words[1] in _INTENT_WORDS):
        return "a statement of intent"
    subject_words = [w.lower() for w in _words(_subject(text[rs:first.start]))]
    if anchor.kind == "modal" and anchor.phrase in ("will", "will not", "going to", "would", "shall") \
            and subject_words and subject_words[0] in _FIRST_PERSON and verb not in _NON_VOLITIONAL \
            and not _SOFTENER.search(text, max(s, rs - 30), first.start):
        return "a statement of intent (first person)"
    if anchor.kind == "modal" and not claim.in_quote and subject_words and verb not in _NON_VOLITIONAL:
        subj = subject_words[-1] if len(subject_words) == 1 else ""
        if (subj in ("he", "she") and speaker.kind in ("person", "organisation") and speaker.name) or \
                (subj in ("it", "they") and speaker.kind in ("descriptive", "organisation")):
            return "a statement of intent (the speaker's own side)"
    subject_text = _subject(text[rs:first.start]).lower()
    if anchor.kind == "modal" and anchor.phrase in ("will", "would", "going to", "will not") and claim.attribution != "editorial" \
            and re.fullmatch(r"(?:the|its|our|their)\s+(?:\w+\s+)?(?:board|company|firm|bank|government|ministry|group|"
                             r"party|team|agency|council|committee|administration|club|union|fund|business)", subject_text) \
            and verb not in _NON_VOLITIONAL and (
                not subject_text.startswith("the") or speaker.kind != "collective"):
        return "a statement of intent (the speaker's own organisation)"
    if anchor.kind == "modal" and anchor.phrase in ("will", "set to", "going to", "shall") and (
            verb in _SCHEDULE_VERBS or verb == "be" and len(vp_words) > 1
            and vp_words[1] in _SCHEDULE_PARTICIPLES):
        return "a schedule or an announced arrangement, not a forecast"
    if anchor.kind == "modal" and claim.attribution != "editorial" and not claim.in_quote \
            and re.fullmatch(r"\s*(?:and|but|,)?\s*(?:(?:also|now|then|still)\s+)?",
                             text[max(rs, s):first.start]) \
            and speaker.name and verb not in _NON_VOLITIONAL:
        return "a statement of intent (the speaker's own side)"  # "X says ... and will post"
    reason = _intent_or_state(text, s, first, anchor, verb, speaker, claim)
    if reason:
        return reason
    if anchor.kind == "modal" and verb in _STATE_VERBS - {"see", "need", "hold"}:
        return "a state or wish, not an event"
    if anchor.kind == "modal" and re.match(r"see\s+(?:whether|if|what|how)\b", " ".join(vp_words[:2])):
        return "noncommittal"
    if anchor.kind == "modal" and anchor.phrase == "will" and verb == "be" and len(vp_words) > 1 \
            and vp_words[1] in _ARRANGED_ACTIVITIES:
        # "will be attending", "will be making no further comment": an arrangement
        return "a schedule or an announced arrangement, not a forecast"
    if anchor.kind == "modal" and anchor.phrase in ("could", "can") and re.match(
            r"be\s+(?:seen|heard|felt|smelled|smelt|spotted|observed)\b", " ".join(vp_words[:2])):
        return "an observation (could be seen), not a forecast"
    if anchor.kind != "modal" and re.search(r"\b(?:would|could|might)\s+have\s+(?:been|\w+ed)\b",
                                           text[max(s, anchor.start - 80):anchor.start]):
        return "a counterfactual (would have been), not a forecast"
    if anchor.kind == "modal" and anchor.phrase in ("will", "would") and (
            re.match(r"take\s+place\b|be\s+attended\s+by\b|hold\s+(?:an?|its|their|talks|"
                     r"the)\b", " ".join(vp_words[:3]))):
        return "a schedule or an announced arrangement, not a forecast"
    if anchor.kind == "modal" and anchor.phrase in ("could", "may", "might") and verb in (
            "argue", "say", "claim", "imagine", "suggest", "think", "wonder"):
        return "noncommittal"  # "One could argue that"
    if anchor.kind == "modal" and anchor.phrase == "shall" and subject_words and \
            subject_words[0] not in _FIRST_PERSON:
        return "a rule (shall), not a forecast"  # "no building shall ever be constructed"
    if anchor.kind == "modal" and anchor.phrase in ("will", "would") and re.match(
            r"\W*under\s+(?:the|a|this)\s+(?:new\s+|proposed\s+)?(?:system|law|rules?|plan|"
            r"scheme|agreement|deal|policy|bill|regulations?|proposals?)\b",
            text[claim.sent.start:anchor.start], re.I):
        return "what an arrangement provides, not a forecast"  # "Under the new system, ... will"
    if anchor.kind == "modal" and anchor.phrase in ("will", "would") and verb == "be" and \
            len(vp_words) > 1 and re.fullmatch(r"[a-z]+ed", vp_words[1]) and any(
                f[1] <= first.start and re.match(r"announc", f[2]) for f in frames):
        return "an announced decision, not a forecast"  # "announced that $10bn would be allocated"
    return None


# What a body does by its own choice: "the bureau ... and will now post warnings".
_OWN_ACTIONS = {"post", "publish", "issue", "release", "provide", "announce", "update", "send",
                "hold", "monitor", "review", "investigate", "consider", "offer", "give", "seek",
                "ask", "appeal", "contact", "inform", "notify", "continue", "pursue", "keep",
                "work", "meet", "discuss", "decide", "study", "examine", "respond", "share"}
_PARTICIPLE_CUES = re.compile(r"(?:predicted|expected|forecast|forecasted|projected|anticipated|"
                              r"estimated)\b", re.I)


def _intent_or_state(text, s, first, anchor, verb, speaker, claim):
    """The speaker's own plan ("we will provide", "says ... and will now post"), a comparison
    with an earlier forecast ("smaller than the 8.5% contraction predicted"), a general
    capability ("cooking the spinach could kill the bacteria") or a hedged claim about the
    present ("It's most likely thousands of people are evacuating"), or None."""
    before = text[max(s, first.start - 400):first.start]  # bounded: a hostile sentence is long
    if anchor.phrase == "planned":
        subject = _words(_subject(text[claim.rs:first.start]))
        told = re.search(r"\b(?:says?|said|reports?|reported|quoted|quoting|according\s+to|claims?|"
                         r"claimed|cited)\b", before)
        if not told and (claim.attribution == "editorial" or not speaker.name
                         and speaker.kind != "collective"):
            return "a plan the article reports as fact, not a forecast"
        if subject and subject[-1].lower() in ("it", "they", "we", "i", "he", "she", "our") or \
                speaker.name and subject and speaker.name.lower() in " ".join(subject).lower():
            return "a statement of intent (the speaker's own plan)"
    will = anchor.phrase in ("will", "will not", "going to", "shall")
    if anchor.kind == "modal" and will and verb not in _NON_VOLITIONAL and \
            re.search(r"(?<![\w\-])(?:we|i)\s+(?:(?:\w+ly|also|still|now|then)\s+)?$", before, re.I) \
            and not _SOFTENER.search(before):
        return "a statement of intent (first person)"
    if anchor.kind == "modal" and will and verb in _OWN_ACTIONS and speaker.name and \
            claim.attribution != "editorial" and \
            re.search(r"\band\s+(?:(?:also|now|then|still|soon)\s+)?$", before):
        return "a statement of intent (the speaker's own side)"
    if _PARTICIPLE_CUES.match(text, first.start) and \
            re.search(r"\bthan\s+(?:the|a|an|its|their|what|had\s+been)?\s*(?:[^\s,;]+\s+){0,6}$",
                      before):
        return "a comparison with an earlier forecast"
    if anchor.kind == "modal" and anchor.phrase in ("could", "can", "may", "might") and \
            re.search(r"(?:^|\bthat\s+|,\s+)[a-z]+ing\s+(?:the|a|an|it|them|this|that|your|their|its|"
                      r"some|any)\b[^,;]{0,40}$", before.strip() + " "):
        return "a general capability, not a forecast"
    after = text[anchor.end:min(claim.sent.end, anchor.end + 200)]
    if anchor.kind == "modal" and will and re.match(r"\s+be\s+(?:for|up\s+to)\s+\w+(?:\s+\w+){0,4}?\s+to\s",
                                                    after) and re.search(r"\bit\s+$", before, re.I):
        return "an idiom ('it will be for X to'), not a forecast"
    if anchor.kind == "modal" and will and re.match(r"\s+(?:allow|enable|let)\b", after) and \
            re.search(r"(?:^|[.;]\s*)\W*(?:this|that|it)\s+$", before, re.I):
        return "the purpose of an arrangement, not a forecast"
    if anchor.kind == "modal" and will and re.match(r"\s+be\s+(?:regarded|considered|treated|seen)\s+as\b",
                                                    after) and re.search(r"\b(?:any|anyone|whoever|those\s+who)\b", before, re.I):
        return "a stated policy towards whoever acts, not a forecast"
    if anchor.kind == "modal" and anchor.phrase in ("could", "may", "might") and re.match(
            r"\s+(?:well\s+)?be\s+(?:much\s+|far\s+|even\s+)?(?:higher|lower|greater|larger|bigger|"
            r"smaller|more|less|worse)\b", after) and re.search(
                r"\b(?:actual|true|real)\s+(?:\w+\s+){0,3}$", before, re.I):
        return "a hedged estimate of the present, not a forecast"
    if claim.condition and re.match(r"\W*(?:if|when|unless)\s+you\b", claim.condition, re.I):
        return "a general statement (if you ...), not a forecast"
    if claim.condition and anchor.kind == "modal" and anchor.phrase in ("could", "would", "might") \
            and re.match(r"\W*(?:even\s+)?if\b[^.;]*?\b(?:were|was|had|did)\b", claim.condition, re.I):
        # "Britain could work so much better if people were more open-minded"
        return "a counterfactual (if ... were), not a forecast"
    if re.search(r"\b(?:who|which)\s+would\s+$", before) and anchor.kind == "verbal":
        return "a modal in a relative clause"
    if anchor.kind in ("verbal", "relative") and claim.last.end < claim.sent.end:
        rest = text[claim.last.end:min(claim.sent.end, claim.last.end + 300)]
        clause = re.split(r"[;:]|,\s+(?:but|and|while)\b", rest)[0]
        if re.match(r"\s*(?:that\s+)?(?:[\w'\u2019\-]+\s+){1,6}?(?:is|are|am)\s+(?!going\b)[a-z]+ing\b",
                    clause) and not re.search(r"\b(?:will|going\s+to|tomorrow|next|soon|expected)\b",
                                              clause, re.I):
            return "a hedged claim about the present"
    return None


_EARLIER = re.compile(r"\b(?:(?:back\s+)?in\s+(?P<year>(?:19|20)\d\d)|(?P<ago>\w+\s+years?\s+ago)|"
                      r"last\s+year|in\s+(?:a|an|his|her|its|their)\s+(?:\d{4}\s+)?(?:book|paper|"
                      r"report|speech|interview)\s+(?:in|published\s+in)\s+(?P<year2>(?:19|20)\d\d))\b",
                      re.I)


# Verbs of belief before a bare "will" soften it (H1): "analysts think the bank will cut".
_BELIEF_VERBS = {"think", "thinks", "thought", "believe", "believes", "believed", "reckon",
                 "reckons", "reckoned", "expect", "expects", "expected", "forecast", "forecasts",
                 "predict", "predicts", "predicted", "predicting", "forecasting", "bet", "bets",
                 "suspect", "suspects", "see", "sees", "estimate", "estimates", "estimated"}


_CLAUSE_JOIN = re.compile(r"[;:]\s+|,\s+(?:and|but|while|whereas|although|though|yet)\s+")


def _past_forecast(ctx, claim):
    """'X predicted in 2016 that ...': a forecast made before the article, reported in it; not a
    new one. The reason names when it was made."""
    text, s = ctx.article.text, claim.sent.start
    before = [f for f in claim.frames if f[1] <= claim.last.start and _PAST_REPORTING.fullmatch(f[2])]
    # the time of the telling is looked for in the telling's own clause: in "Prices rose last
    # year, and economists said they are unlikely to fall" last year is when prices rose
    said_at = before[-1][0] if before else s
    joins = list(_CLAUSE_JOIN.finditer(text, s, said_at))
    head = text[joins[-1].end() if joins else s:claim.last.start]
    pluperfect = re.search(r"\bhad\s+(?:\w+ly\s+)?(?:been\s+)?(?:suggested|predicted|said|"
                           r"expected|forecast|warned|thought|believed|claimed|projected)\b",
                           text[s:claim.last.end])
    if pluperfect:
        return f"a past forecast ('{pluperfect[0]}'), reported in the article"
    if not before and not re.search(r"\b(?:predicted|forecast|expected|warned)\b", head):
        return None
    for m in _EARLIER.finditer(head):
        year = m["year"] or m["year2"]
        if year and ctx.made and int(year) >= ctx.made.year:
            continue
        if year and ctx.made is None:
            continue
        return f"a past forecast (made {m[0].strip()}), reported in the article"
    return None
