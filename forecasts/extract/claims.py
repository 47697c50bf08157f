"""Phase 6b, claims: cues grouped into claims, the speaker, probability and horizon of each
claim, and the drafts built from them (``extract`` runs the whole pipeline)."""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field

from .. import parse
from ..scales import UnknownPhrase, UnknownScale, read_phrase, scale_name
from .article import load
from .attribution import (
    _PAST_REPORTING,
    Context,
    Speaker,
    _editorial,
    _finish_speaker,
    _frames,
    _prescan_names,
    _quote_speaker,
    _register,
    _remember,
    speaker_after,
    speaker_before,
)
from .cues import (
    _SOFTENER,
    Cue,
    _numeric_probability,
    _words_before,
    find_cues,
)
from .events import _HARD, _conditional, _event, _region, _subject, _tidy_event, _vp
from .horizons import horizon, undated_take_article_horizon
from .screening import _BELIEF_VERBS, _in_any, _not_a_forecast
from .sentences import segmenter_name, sentences, unwrapped
from .text import ExtractError, _plain, _words

MIN_SCORE = 0.3
# No sentence of news prose makes more claims than this; a hostile text with hundreds of cue
# words in one sentence would otherwise cost time quadratic in its length.
MAX_CLAIMS_PER_SENTENCE = 8


_GOVERNORS = ("expect", "idiom", "numeric", "verbal", "relative")
_SOURCE_NOUN = re.compile(r"\b(?:despite|amid|with|after|given)\s+(?:the\s+)?(?:\w+\s+)?(warnings?|fears?|"
                          r"concerns?|predictions?|forecasts?|suggestions?|expectations?|claims?|"
                          r"reports?|speculation|doubts?)\b", re.I)
def _group(text, cues):
    """Join cues of one clause: a governor (expect, a probability word, a number) and the modal
    in its complement are one claim; independent modals are separate claims."""
    groups = []
    for cue in cues:
        if groups:
            last = groups[-1][-1]
            gap = text[last.end:cue.start]
            joined = not _HARD.search(gap) and len(_words(gap)) <= 12 or (
                # "it is possible that the recall and the information will": nouns joined
                last.kind in _GOVERNORS and cue.kind == "modal" and len(_words(gap)) <= 12
                and re.match(r"\s*that\s", gap) and not _HARD.search(re.sub(
                    r"(?<=\w)\s+(?:and|or)\s+(?=(?:the|a|an|its|their|other)?\s*\w)", " ", gap)))
            if joined and last.kind == "expect" and re.match(r"\s*,", gap) and re.search(
                    r"\bas\s+(?:[\w'\u2019\-]+\s+){0,3}$", text[max(0, last.start - 40):last.start],
                    re.I):
                joined = False  # "if it deepens, as many forecasters expect, jobs will": a comment
            if joined and (last.kind in _GOVERNORS and cue.kind == "modal"
                           or last.kind == "modal" and cue.kind == "verbal" and len(_words(gap)) <= 2
                           or last.kind == "expect" and cue.kind in ("verbal", "numeric")):
                groups[-1].append(cue)
                continue
        groups.append([cue])
    return groups


def _anchor(group):
    """The cue that sets the value: a number, then a probability word, then a forecasting verb,
    then a modal; but a forecasting verb over "could", "may" or "might" changes nothing (H1:
    "predict that ... could" is 'could')."""
    rank = {"numeric": 0, "idiom": 1, "verbal": 2, "relative": 2, "expect": 3, "modal": 4}
    hedged = [c for c in group if c.kind == "modal" and c.phrase in ("could", "may", "might")]
    if hedged and all(c.kind in ("expect", "modal") for c in group):
        return hedged[0]
    return min(group, key=lambda c: (rank[c.kind], c.start))


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
    for group in _group(text, cues)[:MAX_CLAIMS_PER_SENTENCE]:
        while pending and pending[0][0] < group[0].start:
            _remember(ctx, k, pending.pop(0))
        _claim(ctx, k, sent, sents, frames, frames_of, group, superseded, heading)
    for f in pending:
        _remember(ctx, k, f)


@dataclass
class _Claim:
    """One claim of a sentence as its steps work it out (the sentence's cues in ``group``)."""
    k: int
    sent: object
    frames: list
    group: list
    heading: bool
    anchor: Cue = None
    in_quote: bool = False
    flags: list = field(default_factory=list)
    speaker: Speaker | None = None
    attribution: str = "editorial"
    lo: int = 0          # the stretch of the sentence the claim may use: [lo, hi)
    hi: int = 0
    rs: int = 0          # its clause: [rs, re_)
    re_: int = 0
    condition: str | None = None
    cspan: tuple | None = None
    only_if: bool = False

    @property
    def first(self):
        return self.group[0]

    @property
    def last(self):
        return self.group[-1]


def _claim(ctx, k, sent, sents, frames, frames_of, group, superseded, heading):
    """Steps: who says it, which clause it is, whether it is a forecast at all, its polarity and
    probability, the event, the horizon, then one draft per speaker (members of a group each)."""
    text = ctx.article.text
    claim = _Claim(k, sent, frames, group, heading, anchor=_anchor(group), lo=sent.start,
                   hi=sent.end)
    if claim.anchor is not group[0] and claim.anchor.kind == "modal":
        # "predict that ... could": the hedged modal is the claim; the verb only says who
        claim.group = group = [c for c in group if c.start >= claim.anchor.start]
    claim.in_quote = _in_any(claim.anchor.start, sent.quotes)
    if claim.in_quote:
        _quoted_speaker(ctx, claim, sents, frames_of)
    else:
        _reported_speaker(ctx, claim)
    if claim.speaker is None:
        claim.speaker = Speaker(None, attribution=claim.attribution)
    if _find_clause(ctx, claim):
        return _skip(ctx, sent, claim.anchor, "inside a condition")
    reason = _not_a_forecast(ctx, claim)
    if reason:
        return _skip(ctx, sent, claim.anchor, reason)
    negated, softened = _polarity(ctx, claim)
    p, plo, phi, phrase, scale_used, row, source, pflags = _probability(
        ctx, group, claim.anchor, negated, softened, claim.only_if and claim.anchor.kind == "modal")
    claim.flags += pflags
    _cue_flags(claim, negated, softened, superseded)
    event_text = _claim_event(ctx, claim)
    horizon_text, resolves = _claim_horizon(ctx, claim, event_text)
    qs, qe = _quote_span(text, claim)
    if claim.attribution == "editorial":
        claim.flags.append("editorial")
    score = _score(ctx, claim, resolves)
    anchor, first, last, speaker = claim.anchor, claim.first, claim.last, claim.speaker
    members = speaker.members or ()
    for member in (members or (speaker,)):
        draft = {
            "speaker": member.name, "role": member.role or (speaker.name if members else None),
            "speaker_kind": member.kind if member.kind != "descriptive" else "person",
            "attribution": claim.attribution, "quote": text[qs:qe], "start": qs, "end": qe,
            "cue": text[first.start:last.end] if anchor.kind != "idiom" else text[anchor.start:anchor.end],
            "cue_start": anchor.start, "cue_end": anchor.end, "cue_kind": anchor.kind,
            "event": event_text, "polarity": "negated" if negated else "affirmed",
            "probability": None if p is None else round(p, 6),
            "range": None if p is None else [round(plo, 6), round(phi, 6)],
            "scale": scale_used, "scale_row": row, "scale_phrase": phrase,
            "mapping_source": source, "horizon": horizon_text,
            "resolves": resolves.isoformat() if resolves else None,
            "review_date": None if resolves or ctx.made is None else parse._add_months(ctx.made, 6).isoformat(),
            "conditional_on": claim.condition,
            "flags": sorted(set(claim.flags + (["collective"] if members else []))),
            "score": score, "_sentence": k, "_context": _paragraph(ctx, sent),
        }
        ctx.drafts.append(draft)
    # coordinated "neither X nor Y": the later conjuncts are claims of their own
    if anchor.kind == "modal" and re.match(r"\s+neither\b", text[anchor.end:sent.end]):
        _nor_claims(ctx, k, sent, anchor, ctx.drafts[-1])
    _hedged_conjunct(ctx, claim, ctx.drafts[-1])


def _quoted_speaker(ctx, claim, sents, frames_of):
    """Who: the claim is inside quotation marks; the speaker is the sentence's reporting frame
    nearest the cue, a colon's subject, or the quote's speaker in the sentences around it."""
    text, sent, k, anchor = ctx.article.text, claim.sent, claim.k, claim.anchor
    s = sent.start
    qs, qe = next((a, b) for a, b in sent.quotes if a <= anchor.start < b)
    claim.lo, claim.hi = qs, qe
    holder = _holder_speaker(ctx, claim) if anchor.kind == "expect" else None
    if holder is not None and holder.name and holder.kind in ("collective", "person",
                                                             "organisation"):
        # a quote that reports others' view ("as many forecasters expect"): theirs
        claim.speaker, extra = _finish_speaker(ctx, k, holder, "collective" if holder.kind ==
                                               "collective" else "indirect")
        claim.flags += extra
        claim.attribution = claim.speaker.attribution if claim.speaker else "indirect"
        return
    if claim.frames:
        frame = min(claim.frames, key=lambda f: min(abs(f[0] - anchor.start), abs(f[1] - anchor.start)))
        claim.speaker, extra = _finish_speaker(ctx, k, frame[3], "direct_quote")
    else:
        colon = re.search(r":\s*[\u201c\"']?\s*$", text[s:qs])
        found, extra0 = (speaker_after(text, s, s + colon.start()), ()) if colon else (None, ())
        if found is None:
            found, extra0 = _quote_speaker(ctx, k, sents, frames_of)
        claim.speaker, extra = _finish_speaker(ctx, k, found, "direct_quote")
        extra = list(extra0) + extra
    claim.flags += extra
    claim.attribution = "direct_quote"


def _holder_speaker(ctx, claim):
    """The subject of the cue's own verb ("Analysts expect", "JPMorgan puts the odds at"), if any."""
    text, sent, anchor, group = ctx.article.text, claim.sent, claim.anchor, claim.group
    s = sent.start
    holder = None
    if anchor.subject_speaker or any(c.subject_speaker for c in group):
        holder = next(c for c in group if c.subject_speaker) if not anchor.subject_speaker else anchor
    elif anchor.kind == "numeric":
        verbs = list(re.finditer(r"\b(?:puts?|putting|sees?|seeing|gives?|giving|assigns?|estimates?|"
                                 r"estimated|places?|placed|pric(?:es|ed|ing)(?:\s+in)?|make|makes|"
                                 r"made|offers?|offered|quotes?|quoted)\b",
                                 text[s:anchor.start]))
        if verbs:
            v = verbs[-1]
            holder = Cue(s + v.start(), s + v.end(), "verb", None)
    if holder is None:
        return None
    start_lo = s
    for qs, qe in sent.quotes:
        if qe <= holder.start:
            start_lo = max(start_lo, qe + 1)
    before = re.sub(r"(?:\s+(?:should|can|could|would|will|must|may|might|do|does|did|not|"
                    r"n['\u2019]t|also|still|now|clearly|firmly|widely|already)\b)+\s*$", "",
                    text[start_lo:holder.start])
    return speaker_before(text, start_lo, start_lo + len(before))


def _unnamed_source(ctx, noun):
    """'despite the warnings ...': the article reports a source it does not name."""
    return Speaker(ctx.article.outlet, role=f"unattributed {noun} reported by the article",
                   kind="organisation", attribution="collective")


def _reported_speaker(ctx, claim):
    """Who: the claim is not quoted; the holder of the cue, a reporting frame before or after it,
    an unnamed source, or the article's own voice."""
    text, k, first, last = ctx.article.text, claim.k, claim.first, claim.last
    s = claim.sent.start
    frames, flags = claim.frames, claim.flags
    speaker, attribution = None, "editorial"
    subject_sp = _holder_speaker(ctx, claim)
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
        source_noun = _SOURCE_NOUN.search(text, frame[1], first.start)
        if source_noun:
            speaker = _unnamed_source(ctx, source_noun[1])
            flags.append("unnamed_source")
            attribution = "collective"
        else:
            speaker, extra = _finish_speaker(ctx, k, frame[3], frame[3].attribution
                                             if frame[3].attribution == "according_to" else "indirect")
            flags += extra
            attribution = speaker.attribution if speaker else "indirect"
            claim.lo = frame[1]
    elif following:
        frame = following[0]
        speaker, extra = _finish_speaker(ctx, k, frame[3], frame[3].attribution
                                         if frame[3].attribution == "according_to" else "indirect")
        flags += extra
        attribution = speaker.attribution if speaker else "indirect"
        comma = text.rfind(",", last.end, frame[0])
        claim.hi = comma if comma > 0 else frame[0]
    else:
        src = _SOURCE_NOUN.search(text, s, first.start)
        if src:
            speaker = _unnamed_source(ctx, src[1])
            attribution = "collective"
            flags.append("unnamed_source")
        elif not ctx.opinion:
            carried = _carried_speaker(ctx, claim)
            if carried is not None:
                speaker, attribution = carried
                flags.append("carried_over")
    if speaker is None and attribution in ("editorial",) or (speaker is None and not flags):
        speaker, attribution = _editorial(ctx), "editorial"
    claim.speaker, claim.attribution = speaker, attribution


_PASSIVE_CUE = re.compile(r"(?:(?:is|are|was|were|be)\s+)?(?:expected|predicted|forecast|projected|"
                          r"likely|unlikely|set)\b", re.I)


def _carried_speaker(ctx, claim):
    """The source a news report keeps speaking for when a sentence names nobody: the speaker of
    the sentence before in the same paragraph ("Forecasters say ... Instead, the storm is
    expected to ..."), or for a passive cue the nearest organisation or collective that spoke in
    this or the previous paragraph. None when there is none (the article's own voice)."""
    sents, frames_of, k = ctx.sents, ctx.frames_of, claim.k
    sent = claim.sent
    if claim.heading:
        return None  # a heading starts a passage of its own
    passive = bool(_PASSIVE_CUE.match(ctx.article.text[claim.anchor.start:claim.anchor.end]))
    for j in range(k - 1, max(-1, k - 4), -1):
        if sents[j].para < sent.para - (1 if passive else 0) or sents[j].kind != "body":
            break
        frames = frames_of[j]
        if not frames:
            continue
        speaker = frames[-1][3]
        near = j == k - 1 and sents[j].para == sent.para
        if near or (passive and speaker.kind in ("organisation", "collective", "descriptive")):
            found, _ = _finish_speaker(ctx, k, speaker, "indirect")
            if found is not None and (found.name or found.kind == "collective"):
                return found, found.attribution if found.kind == "collective" else "indirect"
        if not passive:
            break
    return None


def _find_clause(ctx, claim):
    """Where: the clause of the claim and its condition. True when the cue sits inside the
    condition itself (no claim)."""
    text, s = ctx.article.text, claim.sent.start
    first, last = claim.first, claim.last
    if re.match(r"\s*(?:While|Although|Though|As|If|When|Because|Since|After|Before|Whereas|Despite|Even\s+though)\b", text[s:first.start]) and not claim.in_quote:
        comma = text.find(",", last.end, claim.hi)
        if comma > 0:
            claim.hi = comma
    claim.rs, claim.re_ = _region(text, claim.sent, first.start, last.end, claim.lo, claim.hi)
    claim.condition, claim.cspan, claim.only_if, inside = _conditional(
        text, first.start, claim.rs, claim.re_, claim.hi)
    return inside


def _polarity(ctx, claim):
    """(negated, softened): negation of the cue or its clause, and a softener such as "I think"
    (a negated softener, "we do not think", flips the polarity)."""
    text, anchor, group = ctx.article.text, claim.anchor, claim.group
    s, rs, re_, first = claim.sent.start, claim.rs, claim.re_, claim.first
    negated = any(c.negated for c in group if c.kind in ("modal",)) and anchor.kind in ("modal", "verbal", "expect")
    if anchor.kind == "verbal":
        pre = _words_before(text, anchor.start, max(s, rs - 1), 3)
        if any(w in ("not", "n't", "never", "hardly", "scarcely") or w.endswith("n't") or w.endswith("n\u2019t") for w in pre) and "not" not in anchor.phrase:
            negated = True
    if anchor.kind == "modal" and re.match(r"\s+(?:\w+\s+){0,2}no\s", text[anchor.end:re_]) and not anchor.negated:
        negated = True
    softened = bool(_SOFTENER.search(text, max(s, claim.lo, rs - 40), first.start)) or (
        anchor.kind == "modal" and anchor.phrase in ("will", "will not", "going to", "set to", "shall")
        and not claim.in_quote and any(
            f[1] <= first.start and f[2] in _BELIEF_VERBS for f in claim.frames))
    if softened and re.search(r"(?:do\s+not|don['\u2019]t|did\s+not)\s+(?:think|believe|see)", text[max(s, rs - 40):first.start], re.I):
        negated = not negated
    return negated, softened


def _cue_flags(claim, negated, softened, superseded):
    """The flags a reviewer reads about the cue: negated, softened, conditional, hedge..."""
    flags, group = claim.flags, claim.group
    if negated:
        flags.append("negated")
    if softened:
        flags.append("softened")
    if claim.condition:
        flags.append("conditional")
        if claim.only_if:
            flags.append("only_if")
    if superseded:
        flags.append("superseded")
    if any(c.kind == "modal" and c.phrase in ("could", "may", "might") for c in group) and "hedge" not in flags:
        flags.append("hedge")
    flags += [f for f in claim.anchor.flags if f in ("convention", "relative", "passive", "warning")]


_COMMENT_CLAUSE = re.compile(r"\s*as\s+(?:[\w'\u2019\-]+\s+){0,3}(?:expects?|predicts?|fears?|"
                             r"hopes?|suggests?|forecasts?)\s*,\s*", re.I)


_EXPECTED_CONDITION = re.compile(r"\b(?:if|once|when)\s+(?P<what>[^,;:]+?),\s*as\s+"
                                 r"(?:[\w'\u2019\-]+\s+){0,3}", re.I)


def _claim_event(ctx, claim):
    """What: the event in positive form, from the clause less its condition."""
    text, cspan, anchor = ctx.article.text, claim.cspan, claim.anchor
    ev_start = cspan[1] + 1 if cspan and cspan[1] <= claim.first.start else claim.rs
    event_text = _event(ctx, text, ev_start, cspan[0] if cspan and cspan[0] > anchor.end else claim.re_,
                        claim.group, anchor)
    if isinstance(event_text, tuple):
        event_text, more = event_text
        claim.flags += list(more)
    expected = _EXPECTED_CONDITION.search(text, claim.sent.start, anchor.start) \
        if anchor.kind == "expect" else None
    if expected and expected.end() == anchor.start:
        # "if the recession deepens, as many forecasters expect, ...": the condition is expected
        claim.condition = claim.cspan = None
        claim.flags[:] = [f for f in claim.flags if f not in ("conditional", "only_if")]
        what = expected["what"].strip()
        return what[0].upper() + what[1:]
    comment = _COMMENT_CLAUSE.match(event_text or "")
    if comment and event_text[comment.end():]:
        # "as many forecasters expect, the crisis worsens": the comment is about the condition
        rest = event_text[comment.end():]
        event_text = rest[0].upper() + rest[1:]
    if claim.only_if and claim.condition:
        event_text = f"{event_text} (without the condition: {re.sub(r'^only if|^if', '', claim.condition).strip()})"
    return event_text


def _claim_horizon(ctx, claim, event_text):
    """When: (horizon text, resolution date) from the clause, its condition, a heading's whole
    line, or an earlier draft of the same event (an idiom that refers back)."""
    text, sent, cspan = ctx.article.text, claim.sent, claim.cspan
    spans = [(claim.rs, claim.re_)] + ([cspan] if cspan else []) + (
        [(sent.start, sent.end)] if claim.heading or sent.kind == "bullet" else [])
    negated = "negated" in claim.flags
    horizon_text, resolves, hflags = horizon(text, spans, ctx.made, negated)
    if resolves is None and claim.anchor.kind == "idiom" and "antecedent" in claim.flags:
        prior = [d for d in ctx.drafts if d["event"] == event_text]
        if prior and prior[-1]["resolves"]:
            horizon_text, resolves, hflags = prior[-1]["horizon"], datetime.date.fromisoformat(prior[-1]["resolves"]), ()
    if resolves is None and horizon_text is None:
        horizon_text, resolves, hflags = _context_horizon(ctx, claim, negated, hflags)
    claim.flags += list(hflags)
    if ctx.made is None:
        claim.flags.append("no_article_date")
    return horizon_text, resolves


def _paragraph(ctx, sent, limit=1200):
    """Where the paragraph around a sentence is, for a reviewer (cut to about ``limit``
    characters): (start, end)."""
    start, end = ctx.para_spans[sent.para]
    if end - start > limit:
        start = max(start, sent.start - limit // 2)
        end = min(end, max(sent.end, start + limit))
    return start, end


def _context_horizon(ctx, claim, negated, hflags):
    """A claim with no time words of its own in a passage that has them: the rest of its
    sentence ("... will hit Jamaica on Sunday, and could then ..."), else the latest dated claim
    of the sentence before or the same one in its paragraph; flagged horizon_from_context."""
    text, sent = ctx.article.text, claim.sent
    found = horizon(text, [(sent.start, sent.end)], ctx.made, negated)
    if found[1] is not None:
        return found[0], found[1], tuple(found[2]) + ("horizon_from_context",)
    for d in reversed(ctx.drafts):
        j = d["_sentence"]
        if j < claim.k - 1 or ctx.sents[j].para != sent.para:
            break
        if d["resolves"]:
            return d["horizon"], datetime.date.fromisoformat(d["resolves"]), ("horizon_from_context",)
    dated = _dated_event(ctx, claim, negated)
    if dated is not None:
        return dated[0], dated[1], tuple(dated[2]) + ("horizon_from_event",)
    return None, None, hflags


_EVENT_NOUN = re.compile(
    r"\bthe\s+(?P<noun>race|election|elections|vote|referendum|match|game|final|semi-final|summit|"
    r"meeting|launch|landing|poll|primary|caucus|caucuses|trial|hearing|verdict|ruling|talks|"
    r"conference|ceremony|tournament|fight|bout|debate|auction|deadline|decision|count|inauguration)\b", re.I)


def _dated_event(ctx, claim, negated):
    """A claim about "the race" with no date of its own takes the date the article gives that
    event elsewhere ("the race Sunday", "Sunday's race", "the 5 November election"): the
    time expression within a few words of the same noun in another sentence."""
    text = ctx.article.text
    named = _EVENT_NOUN.search(text, claim.rs, claim.re_)
    if named is None:
        return None
    key = (named["noun"].lower(), negated)
    if key not in ctx.dated_events:
        # the first two sentences that date the noun, found once per article (a text that
        # repeats "the race" would otherwise be read again for every claim)
        dated = []
        starts = [sent.start for sent in ctx.sents]
        for m in re.finditer(rf"\b{re.escape(named['noun'])}\b", text, re.I):
            sent = ctx.sents[bisect.bisect_right(starts, m.start()) - 1]
            if dated and dated[-1][0] == sent.start:
                continue
            window = (max(sent.start, m.start() - 30), min(sent.end, m.end() + 30))
            found = horizon(text, [window], ctx.made, negated)
            if found[1] is not None:
                dated.append((sent.start, found))
                if len(dated) == 2:
                    break
        ctx.dated_events[key] = dated
    for sentence_start, found in ctx.dated_events[key]:
        if sentence_start != claim.sent.start:
            return found
    return None


def _quote_span(text, claim):
    """The verbatim words: the quotation holding the cue, else the sentence, trimmed of quote
    marks and spaces."""
    sent = claim.sent
    if claim.in_quote:
        qs, qe = next((a, b) for a, b in sent.quotes if a <= claim.anchor.start < b)
    else:
        qs, qe = sent.start, sent.end
    while qs < qe and text[qs] in " \u201c\"'\u2018":
        qs += 1
    while qe > qs and text[qe - 1] in " ,\u201d\"'\u2019":
        qe -= 1
    return qs, qe


def _score(ctx, claim, resolves):
    """Confidence in the draft: the cue's strength times the attribution's, plus 0.1 with a date."""
    anchor, attribution = claim.anchor, claim.attribution
    cue_strength = {"numeric": 1.0, "idiom": 0.9, "verbal": 0.9, "relative": 0.5, "expect": 0.8}.get(anchor.kind)
    if cue_strength is None:
        cue_strength = {"will": 0.6, "will not": 0.6, "going to": 0.6, "set to": 0.6, "shall": 0.6,
                        "would": 0.55}.get(anchor.phrase, 0.6)
    if attribution == "editorial":
        attr = 0.8 if (claim.heading or claim.sent.kind == "bullet") else (0.75 if ctx.opinion else 0.5)
    elif attribution == "collective":
        attr = 0.85
    else:
        attr = 1.0 if claim.speaker.name else 0.7
    return round(min(1.0, cue_strength * attr + (0.1 if resolves else 0.0)), 2)


_HEDGED_CONJUNCT = re.compile(
    r",?\s+(?:and|or)\s+(?P<adv>possibly|perhaps|probably|maybe)\s+(?P<rest>(?:the\s+|a\s+|an\s+)?"
    r"[A-Z][^,;.:!?]{0,60}|(?:the|a|an|parts\s+of|in|to|on)\s+[^,;.:!?]{1,60}?)\s*[.;]?\s*$")


def _hedged_conjunct(ctx, claim, first_draft):
    """'... visible across Canada, the U.S., and possibly the United Kingdom': the hedged last
    conjunct is a claim of its own, with its own cue and the main claim's speaker and date.

    The main claim keeps the conjuncts before it."""
    text = ctx.article.text
    if claim.sent.end - claim.last.end > 400:
        return  # the conjunct ends the claim's own sentence, within a few words
    m = _HEDGED_CONJUNCT.search(text, claim.last.end, claim.sent.end)
    if not m or _in_any(m.start(), claim.sent.quotes) != claim.in_quote:
        return
    reading = _map(m["adv"].lower(), ctx.scale)
    if reading is None:
        return
    draft = dict(first_draft)
    start = m.start("adv")
    draft["cue_start"], draft["cue_end"] = start, m.end("adv")
    draft["cue"], draft["cue_kind"] = m["adv"], "verbal"
    draft["probability"] = round(reading.p, 6)
    draft["range"] = [round(reading.lo, 6), round(reading.hi, 6)]
    draft["scale"], draft["scale_row"], draft["scale_phrase"] = (reading.scale, reading.row_class,
                                                                 m["adv"].lower())
    draft["mapping_source"] = reading.source
    whole = first_draft["event"]
    tail = re.escape(m[0].strip(" .;"))
    main = re.sub(rf",?\s*{tail}\s*$", "", whole) if re.search(rf"{tail}\s*$", whole) else whole
    rest = m["rest"].strip()
    draft["event"] = f"{main} (also {rest})" if main != whole else f"{whole} (for {rest})"
    draft["flags"] = sorted((set(first_draft["flags"]) - {"unhedged"}) | {"coordination"})
    first_draft["event"] = main
    ctx.drafts.append(draft)


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


def extract(text, date=None, url=None, scale="default", segmenter="regex", min_score=MIN_SCORE,
            name=None, title=None, writer=None):
    """Draft forecasts from an article's text.

    :param text: the article as plain text; a first line that is a URL is its source
    :param date: the article date (a ``datetime.date`` or text for ``parse_date``); otherwise
        taken from a date in the URL or a dateline; relative horizons need it
    :param url: the source URL (overrides a URL line)
    :param scale: the verbal-probability scale that maps cues to numbers
    :param segmenter: 'regex' (the default: tested and evaluated), 'pysbd' (when installed) or
        'auto' (pysbd when installed)
    :param min_score: drafts scoring below this are left out (and counted)
    :param title, writer: the title and author when the page says them (HTML, PDF)
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
    article.title = title or article.title
    article.writer = writer or article.writer
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
    original, text = text, unwrapped(text, sents)
    article.text = text
    _prescan_names(ctx, text)
    frames_of = [_frames(text, sent, sent.quotes) for sent in sents]
    ctx.sents, ctx.frames_of = sents, frames_of
    ctx.para_spans = {}
    for sent in sents:
        first = ctx.para_spans.get(sent.para, (sent.start, sent.end))
        ctx.para_spans[sent.para] = (first[0], sent.end)
    for k in range(len(sents)):
        _process(ctx, k, sents, frames_of)
    undated_take_article_horizon(ctx.drafts, text, [(x.start, x.end) for x in sents], ctx.made)
    for d in ctx.drafts:  # the words as written, line breaks and all
        d["quote"] = original[d["start"]:d["end"]]
        d["context"] = original[slice(*d["_context"])]
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
