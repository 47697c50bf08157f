"""Verbal-probability scales: read a phrase such as "probably not" as a probability.

Each scale is a CSV file beside this module (columns ``phrase, class, p, lo, hi, p_source,
range_source, notes``; README.md describes them). Every number carries its source. The default
scale reads phrases as large reader surveys do; the official standards (ICD 203, UK PHIA, NATO,
IPCC, Kent) can be chosen by name. Standard library only, so it imports fast.

Example::

    >>> r = read_phrase("Probably won't")
    >>> r.p, r.lo, r.hi, r.row_class
    (0.265, 0.2, 0.39, 'probably not')
    >>> read_phrase("likely", scale="icd203").p
    0.675
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError

__all__ = [
    "SCALES_DEFAULT",
    "Reading",
    "UnknownPhrase",
    "UnknownScale",
    "load_scale",
    "read_phrase",
    "scale_name",
    "scale_names",
]

SCALES_DEFAULT = "default"

_HERE = Path(__file__).resolve().parent
_NUMBERS = ("p", "lo", "hi")
_FLAG = re.compile(r"\bflag:([a-z][a-z-]*)")
_FUZZY_CUTOFF = 0.9


@dataclass(frozen=True)
class Reading:
    """One phrase read through a scale.

    ``flags`` says how the reading was made or what to watch: ``derived`` (an intensifier
    moved a known phrase to a neighbouring row), ``fuzzy`` (a spelling variant), ``fallback``
    (the chosen scale lacks the phrase, so the default scale answered), and the row's own flags
    (``hedge``, ``unhedged``, ``one-sided``, ...).

    >>> read_phrase("quite likely").flags
    ('derived',)
    """

    phrase: str
    scale: str
    p: float
    lo: float
    hi: float
    row_class: str
    source: str
    flags: tuple[str, ...] = ()


class UnknownPhrase(InputError):
    "The text is not a probability phrase of the scale; the message names the nearest ones"

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()):
        super().__init__(message)
        self.suggestions = suggestions


class UnknownScale(InputError):
    "No scale of that name; the message names the shipped scales"


# --- loading ---------------------------------------------------------------------------------


def scale_names() -> list[str]:
    """Sorted names of the shipped scales.

    >>> scale_names()
    ['default', 'icd203', 'ipcc', 'kent', 'nato', 'phia']
    """
    return list(_scale_names())


@lru_cache(maxsize=None)
def _scale_names() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in _HERE.glob("*.csv")))


def scale_name(name: str) -> str:
    """The canonical name of a shipped scale; raises UnknownScale otherwise.

    >>> scale_name("ICD-203")
    'icd203'
    """
    key = re.sub(r"[\s_-]+", "", str(name).lower())
    if key not in _scale_names():
        raise UnknownScale(f"unknown scale '{name}'; known scales: {', '.join(_scale_names())}")
    return key


def load_scale(name: str) -> list[dict]:
    """Rows of a scale's CSV, in file order, with ``p``, ``lo`` and ``hi`` as floats.

    >>> load_scale("icd203")[0]["phrase"], load_scale("icd203")[0]["p"]
    ('almost no chance', 0.03)
    """
    return [dict(row) for row in _rows(scale_name(name))]


@lru_cache(maxsize=None)
def _rows(name: str) -> tuple[dict, ...]:
    with open(_HERE / f"{name}.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        for column in _NUMBERS:
            row[column] = float(row[column])
    return tuple(rows)


@lru_cache(maxsize=None)
def _index(name: str) -> dict[str, dict]:
    """Normalised phrase -> row (with its flags) for one scale."""
    index = {}
    for row in _rows(name):
        index[_normalise(row["phrase"])] = dict(row, flags=tuple(_FLAG.findall(row["notes"])))
    return index


# --- normalising -----------------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-", "\u2026": " "})
_CONTRACTIONS = (
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "cannot"),
    (r"\bshan't\b", "shall not"),
    (r"\bain't\b", "is not"),
    (r"n't\b", " not"),
    (r"\b(it|that|there|what|this|he|she)'s\b", r"\1 is"),
    (r"'re\b", " are"),
    (r"'ll\b", " will"),
    (r"'m\b", " am"),
    (r"'ve\b", " have"),
    (r"'d\b", " would"),
)
# Tried, alone and together, only when the text as typed is not a known phrase.
_PREFIXES = ("it is ", "there is a ", "there is an ", "there is ", "this is ", "that is ",
             "with a ", "with an ", "a ", "an ")
_SUFFIXES = (" that", " to", " it")


def _normalise(text: str) -> str:
    """Lowercase, expand contractions, drop punctuation, collapse whitespace.

    >>> _normalise("  'Probably WON'T!' ")
    'probably will not'
    """
    t = str(text).translate(_TYPOGRAPHY).lower()
    for pattern, replacement in _CONTRACTIONS:
        t = re.sub(pattern, replacement, t)
    t = re.sub(r"[^\w\s]|_", " ", t)  # toss-up, 50/50, "we believe that ... not"
    t = " ".join(t.split())
    return re.sub(r"\bcan not\b", "cannot", t)


def _variants(key: str):
    """The key, then the key without a leading "it is" / "there is a" or a trailing "to"/"that"."""
    yield key
    heads = [key] + [key[len(p):] for p in _PREFIXES if key.startswith(p) and len(key) > len(p)]
    for head in heads:
        if head != key:
            yield head
        for s in _SUFFIXES:
            if head.endswith(s) and len(head) > len(s):
                yield head[: -len(s)]


def _exact(index: dict, key: str):
    for variant in _variants(key):
        if variant in index:
            return index[variant]
    return None


# --- phrases that are not probabilities --------------------------------------------------------

_NONCOMMITTAL = {"not certain", "not sure", "unsure", "unclear", "not clear", "uncertain"}
_RELATIVE = re.compile(
    r"\b(more|most|less|least|increasingly)\s+(likely|probable|possible|unlikely|improbable)\b"
    r"|\b(likelier|likeliest)\b"
)
# Kent reserved "possible" for judgments that cannot be given a probability.
_UNNUMBERED = {"kent": {"possible", "possibly", "it is possible", "a possibility", "possibility"}}


def _refuse_unnumbered(key: str, shown: str, scale: str) -> None:
    """Raise UnknownPhrase for a phrase the chosen scale deliberately leaves without a number."""
    if set(_variants(key)) & _UNNUMBERED.get(scale, set()):
        default = _exact(_index(SCALES_DEFAULT), key)
        raise UnknownPhrase(
            f"'{shown}' has no number under the {scale} scale: Kent reserved 'possible' for judgments "
            f"that cannot be given a probability; give a number, or use the default scale "
            f"(which reads it as {default['p']:g})")


def _refuse(key: str, shown: str) -> None:
    """Raise UnknownPhrase for text that is not a probability phrase at all."""
    if re.search(r"\bconfiden", key):
        raise UnknownPhrase(
            f"'{shown}' is confidence language, and confidence is not a probability "
            "(ICD 203, PHIA and NATO keep the two apart); give the likelihood itself, e.g. 'likely' or 0.7")
    variants = set(_variants(key))
    if variants & _NONCOMMITTAL:
        raise UnknownPhrase(
            f"'{shown}' is noncommittal (less than certain), not a probability; give a number or a phrase such as 'toss-up'")
    if _RELATIVE.search(key):
        raise UnknownPhrase(
            f"'{shown}' is relative (a comparison), not a probability; give a number or a phrase such as 'likely'")
    if re.search(r"\d", key):
        raise UnknownPhrase(
            f"'{shown}' is not a probability phrase: it contains a number; numbers are read as probabilities, "
            "phrases through a scale")


# --- derived readings: intensifier + known phrase ------------------------------------------------

_TOWARD_EXTREME = {"very": 1, "highly": 1, "extremely": 2}
_TOWARD_HALF = {"fairly", "quite", "somewhat", "slightly"}
_INTENSIFIED = re.compile(r"^(%s) (.+)$" % "|".join([*_TOWARD_EXTREME, *sorted(_TOWARD_HALF)]))
_BASE_CUES = ("likely", "probab", "chance", "possib")
# In the default table, classes up to "might" affirm the event; from "probably not" on they deny it.
_FIRST_NEGATIVE_CLASS = "probably not"
_NOT_A_RUNG = {"unhedged", "cannot-rule-out", "litotes"}


@lru_cache(maxsize=None)
def _ladder() -> tuple[dict, ...]:
    """The default table's classes in table order, each as its first row: the rungs."""
    seen, rungs = set(), []
    for row in _index(SCALES_DEFAULT).values():
        if row["class"] not in seen:
            seen.add(row["class"])
            rungs.append(row)
    return tuple(rungs)


def _derive(key: str):
    """Intensifier + known cue -> a neighbouring existing row (never a new number), or None.

    very/highly: one rung toward the extreme; extremely: two; fairly/quite/somewhat/slightly:
    one rung toward 0.5. Rungs are the distinct point values of the default classes.
    """
    default = _index(SCALES_DEFAULT)
    for variant in _variants(key):
        m = _INTENSIFIED.match(variant)
        if not m:
            continue
        word, rest = m.groups()
        base = _exact(default, rest)
        if base is None or not any(cue in base["phrase"] for cue in _BASE_CUES) \
                or set(base["flags"]) & _NOT_A_RUNG:
            continue
        rungs = [r for r in _ladder() if not set(r["flags"]) & _NOT_A_RUNG]
        names = [r["class"] for r in _ladder()]
        here, p = names.index(base["class"]), base["p"]
        if word in _TOWARD_EXTREME:
            if p == 0.5:
                continue  # an even chance has no extreme to move toward
            up = here < names.index(_FIRST_NEGATIVE_CLASS)
            steps = _TOWARD_EXTREME[word]
            values = sorted({r["p"] for r in rungs if (r["p"] > p if up else r["p"] < p)}, reverse=not up)
        else:
            steps = 1
            values = sorted({r["p"] for r in rungs if p < r["p"] <= 0.5 or 0.5 <= r["p"] < p},
                            reverse=p > 0.5)
        if not values:
            target = base
        else:
            value = values[min(steps, len(values)) - 1]
            target = min((r for r in rungs if r["p"] == value),
                         key=lambda r: abs(names.index(r["class"]) - here))
        return target, word, base
    return None


# --- reading -----------------------------------------------------------------------------------


def _reading(row: dict, scale: str, extra: tuple[str, ...] = (), source: str | None = None) -> Reading:
    return Reading(phrase=row["phrase"], scale=scale, p=row["p"], lo=row["lo"], hi=row["hi"],
                   row_class=row["class"], source=source or row["p_source"],
                   flags=tuple(row["flags"]) + extra)


def _fuzzy(index: dict, key: str):
    for variant in _variants(key):
        match = difflib.get_close_matches(variant, list(index), n=1, cutoff=_FUZZY_CUTOFF)
        if match:
            return index[match[0]]
    return None


def _nearest(key: str, known: dict, n: int = 3) -> tuple[str, ...]:
    """The n nearest known phrases by difflib ratio, at most one per class, always some."""
    picked, classes = [], set()
    for k in difflib.get_close_matches(key, list(known), n=len(known), cutoff=0.0):
        if known[k]["class"] not in classes:
            classes.add(known[k]["class"])
            picked.append(known[k]["phrase"])
            if len(picked) == n:
                break
    return tuple(picked)


def read_phrase(text: str, scale: str = SCALES_DEFAULT) -> Reading:
    """Read a verbal probability through a scale.

    Tries, in order: the phrase in the chosen scale; the default table (flag ``fallback`` when
    another scale was chosen); an intensifier on a known cue (flag ``derived``); a spelling
    variant with difflib ratio >= 0.9 (flag ``fuzzy``). Numbers, confidence language and
    comparatives are refused: they are not phrases of a scale.

    >>> read_phrase("It's highly unlikely").p
    0.05
    >>> read_phrase("might", scale="icd203").flags
    ('hedge', 'fallback')
    >>> read_phrase("probly nto")
    Traceback (most recent call last):
    ...
    forecasts.scales.UnknownPhrase: unknown probability phrase 'probly nto'; nearest known phrases: probably not, probably, possibly

    :param text: the phrase as typed or quoted, e.g. "probably won't"
    :param scale: a name from :func:`scale_names`
    :raises UnknownPhrase: the text is not a known phrase (or is not a probability at all)
    :raises UnknownScale: no scale of that name
    """
    name = scale_name(scale)
    shown = " ".join(str(text).split())
    key = _normalise(text)
    if not key:
        raise UnknownPhrase(f"empty probability phrase '{shown}'; give a number or a phrase such as 'likely'")
    own = _index(name)
    default = _index(SCALES_DEFAULT)
    other = name != SCALES_DEFAULT
    fallback = ("fallback",) if other else ()

    row = _exact(own, key)
    if row is not None:
        return _reading(row, name)
    _refuse_unnumbered(key, shown, name)
    if other:
        row = _exact(default, key)
        if row is not None:
            return _reading(row, SCALES_DEFAULT, fallback)
    _refuse(key, shown)
    derived = _derive(key)
    if derived is not None:
        target, word, base = derived
        source = f"derived: '{word}' moves '{base['phrase']}' to the '{target['class']}' row; {target['p_source']}"
        return _reading(target, SCALES_DEFAULT, ("derived",) + fallback, source)
    if other:
        row = _fuzzy(own, key)
        if row is not None:
            return _reading(row, name, ("fuzzy",))
    row = _fuzzy(default, key)
    if row is not None:
        _refuse_unnumbered(row["phrase"], shown, name)
        return _reading(row, SCALES_DEFAULT, ("fuzzy",) + fallback)

    known = {k: r for k, r in ({**default, **own} if other else own).items()
             if k not in _UNNUMBERED.get(name, ())}
    suggestions = _nearest(key, known)
    raise UnknownPhrase(
        f"unknown probability phrase '{shown}'; nearest known phrases: {', '.join(suggestions)}",
        suggestions)
