"""Read what people type: probabilities, option probabilities, dates and horizons.

Pure functions over the standard library. Every failure is a ``ParseError`` whose message is one
line that quotes the input, ready to print on stderr.

    >>> parse_probability("70%").ppm
    700000
    >>> parse_horizon("Q1 2026", made=datetime.date(2025, 12, 16))
    datetime.date(2026, 3, 31)

Probabilities are exact: the typed number is read as a fraction and rounded once, half to even, to
parts per million, so "0.7" is 700000 and never 699999.

Size: one reader per kind of input (numbers, odds, fractions, words, dates, horizons), each
with its examples; they share the number and month vocabulary.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

from .errors import InputError
from .ppm import PPM, SUM_TOLERANCE

MAX_INPUT_LENGTH = 200


class ParseError(InputError):
    """One-line, user-facing message."""


@dataclass(frozen=True)
class Probability:
    """A probability as typed, held exactly in parts per million.

    >>> Probability(ppm=700000, text="70%").value
    0.7
    """

    ppm: int
    text: str
    verbal: str | None = None
    scale: str | None = None
    lo: float | None = None
    hi: float | None = None
    source: str | None = None

    @property
    def value(self) -> float:
        return self.ppm / PPM


# --- shared helpers -----------------------------------------------------------------------------

_TYPOGRAPHY = str.maketrans(
    {"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
     "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\uff05": "%"}
)


def _quote(text: str, limit: int = 60) -> str:
    """Quote input for a message, on one line: _quote("a\\nb") == "'a\\\\nb'"."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return repr(text)


def _one_line(message: str) -> str:
    """Collapse any line breaks: _one_line("a\\n b") == "a b"."""
    return " ".join(message.split())


def _normalise(text: str) -> str:
    """Lower-case, plain dashes and quotes, single spaces: _normalise(" 70\t% ") == "70 %"."""
    return " ".join(text.translate(_TYPOGRAPHY).split()).lower()


def _decimal(ppm: int) -> str:
    """Parts per million as a short decimal: _decimal(1_200_000) == "1.2"."""
    sign = "-" if ppm < 0 else ""
    whole, rest = divmod(abs(ppm), PPM)
    fraction = f"{rest:06d}".rstrip("0")
    return f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}"


_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "one hundred": 100, "a thousand": 1000, "one thousand": 1000,
}
_DENOMINATOR_WORDS = {
    "half": 2, "halves": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}


def _alternatives(words) -> str:
    """A regex alternation, longest first so "a hundred" beats "a"."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# --- probabilities ------------------------------------------------------------------------------

_NUM = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_WORD_NUM = _alternatives(_NUMBER_WORDS)
_PERCENT = r" ?(?:%|percent|per cent|pct)"

_RE_EMPTY = re.compile(r"")
_RE_NOT_FINITE = re.compile(r"[+-]?(?:nan|inf|infinity)(?: ?%)?")
_RE_EVEN = re.compile(r"50 ?[-/:] ?50|fifty[- ]?fifty")
_RE_PERCENT_RANGE = re.compile(
    rf"(?P<lo>{_NUM})(?:{_PERCENT})? ?(?:-|to) ?(?P<hi>{_NUM}){_PERCENT}")
_RE_PERCENT = re.compile(rf"(?P<x>{_NUM}){_PERCENT}")
_RE_ODDS = re.compile(
    rf"(?:odds (?:of )?)?(?P<a>{_NUM}) ?(?::|-to-|to) ?(?P<b>{_NUM})"
    r"(?: (?P<side>on|against|in favou?r))?")
_RE_CHANCES = re.compile(
    rf"(?:an? )?(?P<k>{_NUM}|{_WORD_NUM})(?: in |-in-)(?P<n>{_NUM}|{_WORD_NUM})(?: chance)?")
_RE_FRACTION = re.compile(rf"(?P<a>{_NUM}) ?/ ?(?P<b>{_NUM})")
_RE_FRACTION_WORDS = re.compile(
    rf"(?P<k>an?|{_WORD_NUM})[- ](?P<d>{_alternatives(_DENOMINATOR_WORDS)})s?")
_RE_NUMBER = re.compile(_NUM)


def _number(token: str) -> Fraction:
    """A digit string or number word as an exact fraction: _number("one") == 1."""
    if token in ("a", "an"):
        return Fraction(1)
    if token in _NUMBER_WORDS:
        return Fraction(_NUMBER_WORDS[token])
    return Fraction(token)


def _in_range(value: Fraction, text: str) -> Fraction:
    """Return value when 0 <= value <= 1, else raise the range error naming text."""
    if not 0 <= value <= 1:
        raise ParseError(
            f"probability must be between 0 and 1 (0% and 100%), got {_quote(text)}")
    return value


def _exact(value: Fraction, text: str, **extra) -> Probability:
    """A Probability rounded once, half to even: _exact(Fraction(1, 3), "1/3").ppm == 333333."""
    return Probability(ppm=round(_in_range(value, text) * PPM), text=text, **extra)


def _from_even(m: re.Match, text: str) -> Probability:
    return _exact(Fraction(1, 2), text)


def _from_percent_range(m: re.Match, text: str) -> Probability:
    lo, hi = Fraction(m["lo"]) / 100, Fraction(m["hi"]) / 100
    _in_range(lo, text)
    _in_range(hi, text)
    if lo > hi:
        raise ParseError(f"range {_quote(text)} runs backwards: write the lower number first")
    return _exact((lo + hi) / 2, text, lo=float(lo), hi=float(hi))


def _from_percent(m: re.Match, text: str) -> Probability:
    return _exact(Fraction(m["x"]) / 100, text)


def _from_odds(m: re.Match, text: str) -> Probability:
    a, b = Fraction(m["a"]), Fraction(m["b"])
    if a < 0 or b < 0:
        raise ParseError(f"odds must not be negative, got {_quote(text)}")
    if a + b == 0:
        raise ParseError(f"odds {m['a']}:{m['b']} do not define a probability, got {_quote(text)}")
    if m["side"] == "against":
        a, b = b, a
    return _exact(a / (a + b), text)


def _from_chances(m: re.Match, text: str) -> Probability:
    k, n = _number(m["k"]), _number(m["n"])
    if n <= 0:
        raise ParseError(
            f"{_quote(text)} does not define a probability: the second number must be above 0")
    if k > n:
        raise ParseError(
            f"{_quote(text)} is more than certain: the first number must not exceed the second")
    return _exact(k / n, text)


def _from_fraction(m: re.Match, text: str) -> Probability:
    a, b = Fraction(m["a"]), Fraction(m["b"])
    if b == 0:
        reason = "0/0 is undefined" if a == 0 else "it divides by zero"
        raise ParseError(f"fraction {_quote(text)} does not define a probability: {reason}")
    return _exact(a / b, text)


def _from_fraction_words(m: re.Match, text: str) -> Probability:
    return _exact(_number(m["k"]) / _DENOMINATOR_WORDS[m["d"]], text)


def _from_number(m: re.Match, text: str) -> Probability:
    value = Fraction(m[0])
    if 2 <= value <= 100:  # reads like a percentage; 1.5 is rather a slip, so out of range
        as_percent, as_decimal = _decimal(round(value * PPM)), _decimal(round(value * PPM / 100))
        raise ParseError(f"ambiguous probability {_quote(text)}: "
                         f"write {as_percent}% or {as_decimal}")
    return _exact(value, text)


def _refuse_empty(m: re.Match, text: str) -> Probability:
    raise ParseError("empty probability: give a number such as 0.7 or 70%, "
                     "or words such as 'likely'")


def _refuse_not_finite(m: re.Match, text: str) -> Probability:
    raise ParseError(f"probability must be a finite number between 0 and 1, got {_quote(text)}")


_PROBABILITY_FORMS: list[tuple[re.Pattern, Callable[[re.Match, str], Probability]]] = [
    (_RE_EMPTY, _refuse_empty),
    (_RE_NOT_FINITE, _refuse_not_finite),
    (_RE_EVEN, _from_even),
    (_RE_PERCENT_RANGE, _from_percent_range),
    (_RE_PERCENT, _from_percent),
    (_RE_ODDS, _from_odds),
    (_RE_CHANCES, _from_chances),
    (_RE_FRACTION, _from_fraction),
    (_RE_FRACTION_WORDS, _from_fraction_words),
    (_RE_NUMBER, _from_number),
]


def _from_words(phrase: str, text: str, scale: str) -> Probability:
    """Map a phrase through a named scale (forecasts.scales); spelling guesses are refused."""
    from forecasts.scales import UnknownPhrase, UnknownScale, read_phrase

    try:
        reading = read_phrase(phrase, scale)
    except (UnknownPhrase, UnknownScale) as error:
        raise ParseError(_one_line(str(error))) from None
    if "fuzzy" in reading.flags:  # a typed typo is confirmed by the user, never guessed
        raise ParseError(f"unknown probability phrase {_quote(phrase)}; nearest known phrase: "
                         f"{reading.phrase} (type it exactly, or give a number)")
    if reading.p is None:
        raise ParseError(f"{_quote(phrase)} has no agreed probability on the {scale!r} scale: "
                         "give a number such as 0.7 or 70%")
    value = Fraction(str(reading.p))
    return _exact(value, text, verbal=phrase, scale=reading.scale,
                  lo=reading.lo, hi=reading.hi, source=reading.source)


def parse_probability(text: str, scale: str = "default") -> Probability:
    """Read a probability typed as a number, odds, chances or words.

    Accepts 0.7, .7, 70%, 70 percent, 30-40% (midpoint), 7/10, two-thirds, odds 3:1 or
    "3 to 1" (3 to 1 ON the event: 0.75; "3 to 1 against" is 0.25), "1 in 4", 50-50, and
    otherwise words read through ``scale``.

    >>> parse_probability("3:1").ppm
    750000
    >>> parse_probability("1 in 4").value
    0.25
    """
    if len(text) > MAX_INPUT_LENGTH:
        raise ParseError(f"probability text is too long ({len(text)} characters): {_quote(text)}")
    normal = _normalise(text)
    if not normal.isprintable():  # control characters, zero-width spaces
        raise ParseError(f"not a probability: {_quote(text)} contains unprintable characters")
    for pattern, read in _PROBABILITY_FORMS:
        match = pattern.fullmatch(normal)
        if match:
            return read(match, text)
    phrase = normal.strip(" \"'.,;:!?")
    if not phrase:
        raise ParseError(f"not a probability: {_quote(text)}")
    return _from_words(phrase, text, scale)


# --- multiple-choice probabilities --------------------------------------------------------------


def _label_key(label: str) -> str:
    """How option labels are compared: _label_key(" Cold  Peace ") == "cold peace"."""
    return " ".join(label.split()).strip("\"'").casefold()


def parse_option_probabilities(
    items: list[str],
    options: list[str],
    scale: str = "default",
    tolerance: float = SUM_TOLERANCE,
) -> dict[str, Probability]:
    """Read LABEL=PROBABILITY items for a multiple-choice question, in the question's order.

    Labels match case- and space-insensitively. An option may be left out only when the given
    ones already sum to 1 (within ``tolerance``); it then gets probability 0 with text "".

    >>> probs = parse_option_probabilities(["a=25%", "B=0.75"], ["A", "B"])
    >>> {label: p.ppm for label, p in probs.items()}
    {'A': 250000, 'B': 750000}
    """
    if not options:
        raise ParseError("the question has no options to give probabilities for")
    if not items:
        raise ParseError("no option probabilities given: write OPTION=PROBABILITY for each "
                         f"option, e.g. '{options[0]}=50%'")
    given = _read_option_items(items, options, scale)
    _check_sum(given, options, tolerance)
    return {option: given.get(option, Probability(ppm=0, text="")) for option in options}


def _read_option_items(items: list[str], options: list[str], scale: str) -> dict[str, Probability]:
    canonical = {}
    for option in options:
        canonical.setdefault(_label_key(option), option)
    given: dict[str, Probability] = {}
    for item in items:
        label, equals, prob_text = item.rpartition("=")
        if not equals:
            raise ParseError(f"expected OPTION=PROBABILITY, got {_quote(item)}")
        option = canonical.get(_label_key(label))
        if option is None:
            known = ", ".join(repr(o) for o in options)
            raise ParseError(f"unknown option {_quote(label.strip())}; "
                             f"this question's options are {known}")
        if option in given:
            raise ParseError(f"option {_quote(option)} is given twice")
        try:
            given[option] = parse_probability(prob_text.strip(), scale)
        except ParseError as error:
            raise ParseError(f"option {_quote(option)}: {error}") from None
    return given


def _check_sum(given: dict[str, Probability], options: list[str], tolerance: float) -> None:
    total = sum(p.ppm for p in given.values())
    if abs(total - PPM) <= round(tolerance * PPM):
        return
    message = (f"option probabilities sum to {_decimal(total)}; "
               f"they must sum to 1 (±{tolerance:g})")
    missing = [o for o in options if o not in given]
    if missing:
        message += "; missing: " + ", ".join(repr(o) for o in missing)
    raise ParseError(message)


# --- dates --------------------------------------------------------------------------------------

# The calendar's words, defined once here; forecasts.extract builds its patterns from them.
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8,
                       "Sep": 9, "Sept": 9, "Oct": 10, "Nov": 11, "Dec": 12}
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SEASONS = ("spring", "summer", "autumn", "fall", "winter")

_MONTHS = {**{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
           **{short.lower(): number for short, number in MONTH_ABBREVIATIONS.items()}}
_MONTH = rf"(?P<month>{_alternatives(_MONTHS)})\.?"
_ORDINAL = r"(?:st|nd|rd|th)?"

_RE_DATE_NUMERIC = re.compile(r"(?P<year>[0-9]{4})([-/.])(?P<mon>[0-9]{1,2})\2(?P<day>[0-9]{1,2})")
_RE_DATE_DAY_FIRST = re.compile(
    rf"(?:the )?(?P<day>[0-9]{{1,2}}){_ORDINAL}(?: of)?[ -]{_MONTH},?[ -](?P<year>[0-9]{{4}})")
_RE_DATE_MONTH_FIRST = re.compile(
    rf"{_MONTH} (?:the )?(?P<day>[0-9]{{1,2}}){_ORDINAL},? (?P<year>[0-9]{{4}})")
_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "tomorrow": 1}


def _make_date(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ParseError(f"not a date: {_quote(text)} (use YYYY-MM-DD)") from None


def _read_date(normal: str, text: str, today: datetime.date) -> datetime.date | None:
    """A date when normal has a date's shape, None when it has not; bad days raise ParseError."""
    if normal in _RELATIVE_DAYS:
        try:
            return today + datetime.timedelta(days=_RELATIVE_DAYS[normal])
        except OverflowError:
            raise ParseError(f"not a date: {_quote(text)} (use YYYY-MM-DD)") from None
    match = _RE_DATE_NUMERIC.fullmatch(normal)
    if match:
        return _make_date(int(match["year"]), int(match["mon"]), int(match["day"]), text)
    for pattern in (_RE_DATE_DAY_FIRST, _RE_DATE_MONTH_FIRST):
        match = pattern.fullmatch(normal)
        if match:
            month = _MONTHS[match["month"]]
            return _make_date(int(match["year"]), month, int(match["day"]), text)
    return None


def parse_date(text: str, today: datetime.date | None = None) -> datetime.date:
    """Read a calendar date: ISO, 2025/12/16, 16 December 2025, Dec 16 2025, today, yesterday.

    >>> parse_date("16 December 2025")
    datetime.date(2025, 12, 16)
    """
    today = today or datetime.date.today()
    normal = _normalise(text[:MAX_INPUT_LENGTH]).strip(" .,;!?\"'")
    found = _read_date(normal, text, today) if len(text) <= MAX_INPUT_LENGTH else None
    if found is None:
        raise ParseError(f"not a date: {_quote(text)} (use YYYY-MM-DD)")
    return found


# --- horizons -----------------------------------------------------------------------------------

Handler = Callable[[re.Match, datetime.date], datetime.date]

_PREFIXES = re.compile(
    r"(?:(?:by|until|till|til|in|on|during|within|over|at|around|about|sometime|some time"
    r"|no later than|not later than|up to) )+")
_SUFFIXES = re.compile(r" (?:at the latest|or earlier|or sooner|or before)$")
_YEAR = r"(?P<year>[0-9]{4})"
_SHORT_YEAR = r"(?P<year>[0-9]{4}|'?[0-9]{2})"
_COUNT_WORDS = {**_NUMBER_WORDS, "a": 1, "an": 1, "a couple of": 2, "couple of": 2,
                "a dozen": 12}
_COUNT = rf"(?P<n>[0-9]{{1,5}}|{_alternatives(_COUNT_WORDS)})"
_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12, "decade": 120}
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_VAGUE = {"day": ("days", 14), "week": ("days", 56), "month": ("months", 6)}
_QUARTER_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
                     "fourth": 4, "4th": 4, "final": 4, "last": 4}
_HALF_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "latter": 2, "last": 2}
_MONTH_PARTS = {"beginning": 1, "start": 1, "early": 10, "mid": 15, "middle": 15}
_SEASON_END = {"spring": (5, 31), "summer": (8, 31), "autumn": (11, 30), "fall": (11, 30)}
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
_MISSING_HORIZON = ("give a date (YYYY-MM-DD) or a horizon such as "
                    "'end of 2026', 'Q1 2026', 'in 6 months'")


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months later, clamped to month end: 2025-08-31 + 6 -> 2026-02-28."""
    years, index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _on_or_after(made: datetime.date, deadline: Callable[[int], datetime.date]) -> datetime.date:
    """The first yearly deadline(year) that is not before made."""
    this_year = deadline(made.year)
    return this_year if this_year >= made else deadline(made.year + 1)


def _full_year(token: str) -> int:
    """'26 or 26 -> 2026; 2026 -> 2026."""
    digits = token.lstrip("'")
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _easter(year: int) -> datetime.date:
    """Western Easter Sunday (anonymous Gregorian algorithm): _easter(2026) == 2026-04-05."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _thanksgiving(year: int) -> datetime.date:
    """US Thanksgiving, the fourth Thursday of November."""
    first = datetime.date(year, 11, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 21)


_HOLIDAYS: dict[str, Callable[[int], datetime.date]] = {
    "christmas": lambda y: datetime.date(y, 12, 25),
    "christmas day": lambda y: datetime.date(y, 12, 25),
    "xmas": lambda y: datetime.date(y, 12, 25),
    "christmas eve": lambda y: datetime.date(y, 12, 24),
    "new year's eve": lambda y: datetime.date(y, 12, 31),
    "new year": lambda y: datetime.date(y, 1, 1),
    "new year's": lambda y: datetime.date(y, 1, 1),
    "new year's day": lambda y: datetime.date(y, 1, 1),
    "halloween": lambda y: datetime.date(y, 10, 31),
    "easter": _easter,
    # the holiday weekend ends on Easter Monday, a public holiday across much of Europe
    "easter holidays": lambda y: _easter(y) + datetime.timedelta(days=1),
    "easter holiday": lambda y: _easter(y) + datetime.timedelta(days=1),
    "easter weekend": lambda y: _easter(y) + datetime.timedelta(days=1),
    "easter monday": lambda y: _easter(y) + datetime.timedelta(days=1),
    "thanksgiving": _thanksgiving,
}


def _season_end(season: str, year: int) -> datetime.date:
    """End of a meteorological season ending in year; winter ends in February."""
    if season == "winter":
        return _month_end(year, 2)
    return datetime.date(year, *_SEASON_END[season])


def _season_start(season: str, year: int) -> datetime.date:
    """Start of the season that ends in year (winter starts the December before)."""
    start_year = year - 1 if season == "winter" else year
    return datetime.date(start_year, _SEASON_START[season], 1)


def _count(token: str) -> int:
    """How many units: _count("six") == 6, _count("a couple of") == 2."""
    return _COUNT_WORDS[token] if token in _COUNT_WORDS else int(token)


def _quarter_end(year: int, quarter: int) -> datetime.date:
    return _month_end(year, 3 * quarter)


def _week_end(day: datetime.date) -> datetime.date:
    """The Sunday that ends day's ISO week."""
    return day + datetime.timedelta(days=6 - day.weekday())


# Handlers: each takes the match and the forecast date ``made`` and returns the deadline.

def _group(m: re.Match, name: str) -> str | None:
    """A named group's text, or None when the pattern has no such group or it did not match."""
    return m.groupdict().get(name)


def _year_end(m: re.Match, made: datetime.date) -> datetime.date:
    return datetime.date(made.year, 12, 31)


def _next_year_end(m: re.Match, made: datetime.date) -> datetime.date:
    return datetime.date(made.year + 1, 12, 31)


def _named_year_end(m: re.Match, made: datetime.date) -> datetime.date:
    return datetime.date(int(m["year"]), 12, 31)


def _decade_end(m: re.Match, made: datetime.date) -> datetime.date:
    return datetime.date(made.year // 10 * 10 + 9, 12, 31)


def _next_decade_end(m: re.Match, made: datetime.date) -> datetime.date:
    return datetime.date(made.year // 10 * 10 + 19, 12, 31)


def _named_decade_end(m: re.Match, made: datetime.date) -> datetime.date:
    return datetime.date(int(m["decade"]) + 9, 12, 31)


def _quarter(m: re.Match, made: datetime.date) -> datetime.date:
    quarter = int(_group(m, "q") or _QUARTER_ORDINALS[m["ord"]])
    if m["year"]:
        return _quarter_end(_full_year(m["year"]), quarter)
    return _on_or_after(made, lambda year: _quarter_end(year, quarter))


def _this_quarter(m: re.Match, made: datetime.date) -> datetime.date:
    return _quarter_end(made.year, (made.month - 1) // 3 + 1)


def _next_quarter(m: re.Match, made: datetime.date) -> datetime.date:
    return _this_quarter(m, _add_months(made.replace(day=1), 3))


def _half(m: re.Match, made: datetime.date) -> datetime.date:
    half = int(_group(m, "h") or _HALF_ORDINALS[m["ord"]])
    if m["year"]:
        return _month_end(_full_year(m["year"]), 6 * half)
    return _on_or_after(made, lambda year: _month_end(year, 6 * half))


def _mid_year(m: re.Match, made: datetime.date) -> datetime.date:
    if m["year"]:
        return datetime.date(int(m["year"]), 6, 30)
    return _on_or_after(made, lambda year: datetime.date(year, 6, 30))


def _month_deadline(year: int, month: int, part: str | None) -> datetime.date:
    """Deadline inside a month: early -> 10th, mid -> 15th, start -> 1st, otherwise month end."""
    day = _MONTH_PARTS.get(part or "")
    return datetime.date(year, month, day) if day else _month_end(year, month)


def _month(m: re.Match, made: datetime.date) -> datetime.date:
    month, part = _MONTHS[m["month"]], m["part"] or m["part2"]
    if m["year"]:
        return _month_deadline(int(m["year"]), month, part)
    return _on_or_after(made, lambda year: _month_deadline(year, month, part))


def _day_month(m: re.Match, made: datetime.date) -> datetime.date:
    month, day = _MONTHS[m["month"]], int(m["day"])
    if (month, day) == (2, 29):
        return _leap_day_on_or_after(made)
    try:
        return _on_or_after(made, lambda year: datetime.date(year, month, day))
    except ValueError:
        raise ParseError(f"not a date: {_quote(m[0])} (use YYYY-MM-DD)") from None


def _leap_day_on_or_after(made: datetime.date) -> datetime.date:
    year = made.year
    while not (calendar.isleap(year) and datetime.date(year, 2, 29) >= made):
        year += 1
    return datetime.date(year, 2, 29)


def _this_month(m: re.Match, made: datetime.date) -> datetime.date:
    return _month_end(made.year, made.month)


def _next_month(m: re.Match, made: datetime.date) -> datetime.date:
    following = _add_months(made.replace(day=1), 1)
    return _month_end(following.year, following.month)


def _this_week(m: re.Match, made: datetime.date) -> datetime.date:
    return _week_end(made)


def _next_week(m: re.Match, made: datetime.date) -> datetime.date:
    return _week_end(made) + datetime.timedelta(days=7)


def _holiday(m: re.Match, made: datetime.date) -> datetime.date:
    rule = _HOLIDAYS[m["holiday"]]
    return rule(int(m["year"])) if m["year"] else _on_or_after(made, rule)


def _season(m: re.Match, made: datetime.date) -> datetime.date:
    season = m["season"]
    return _on_or_after(made, lambda year: _season_end(season, year))


def _next_season(m: re.Match, made: datetime.date) -> datetime.date:
    """The season that has not started yet: "next summer" said in July is the summer after."""
    season, year = m["season"], made.year
    while _season_start(season, year) <= made:
        year += 1
    return _season_end(season, year)


def _named_season(m: re.Match, made: datetime.date) -> datetime.date:
    return _season_end(m["season"], int(m["year"]))


def _winter_name(first_year: int) -> str:
    """'winter 2026/27' for the winter from December 2026 to February 2027."""
    return f"'winter {first_year}/{(first_year + 1) % 100:02d}'"


def _named_winter(m: re.Match, made: datetime.date) -> datetime.date:
    first, second = int(m["year"]), _full_year(m["second"])
    if second != first + 1:
        raise ParseError(f"{_quote(m[0])} is not one winter: write {_winter_name(first)}")
    return _season_end("winter", second)


def _ambiguous_winter(m: re.Match, made: datetime.date) -> datetime.date:
    year = int(m["year"])
    raise ParseError(f"ambiguous horizon {_quote(m[0])}: write {_winter_name(year)} "
                     f"or {_winter_name(year - 1)}, or a date")


def _relative(m: re.Match, made: datetime.date) -> datetime.date:
    unit, n = m["unit"], _count(_group(m, "n") or "a")
    if unit in _UNIT_MONTHS:
        return _add_months(made, n * _UNIT_MONTHS[unit])
    return made + datetime.timedelta(days=n * _UNIT_DAYS[unit])


def _vague(m: re.Match, made: datetime.date) -> datetime.date:
    kind, amount = _VAGUE[m["unit"]]
    if kind == "months":
        return _add_months(made, amount)
    return made + datetime.timedelta(days=amount)


def _in_days(days: int) -> Handler:
    return lambda m, made: made + datetime.timedelta(days=days)


def _in_months(months: int) -> Handler:
    return lambda m, made: _add_months(made, months)


def _month_start(m: re.Match, made: datetime.date) -> datetime.date:
    """First day of the named month: of its year if given, else the next one after made."""
    month = _MONTHS[m["month"]]
    if m["year"]:
        return datetime.date(int(m["year"]), month, 1)
    start = datetime.date(made.year, month, 1)
    return start if start > made else datetime.date(made.year + 1, month, 1)


_END_OF = r"(?:the )?(?:(?:end|close) of (?:the )?)?"
_SEASONS = rf"(?P<season>{'|'.join(SEASONS)})"
_UNITS = r"(?P<unit>day|week|fortnight|month|quarter|year|decade)"

# (pattern, handler), tried in order against the cleaned text; the first full match wins.
# "next year" is a calendar period (Dec 31 of next year); "the next year" is a span (12 months).
_HORIZONS: list[tuple[str, Handler]] = [
    # this calendar year, next year, a named year
    (r"(?:the )?(?:end|close|rest|remainder) of (?:the |this )?year|(?:the )?year[- ]?end"
     r"|(?:the )?end[- ]of[- ](?:the[- ])?year|(?:later )?this year|later in the year|the year",
     _year_end),
    (r"(?:the )?end of next year|next year", _next_year_end),
    (rf"{_END_OF}(?:the year |year[- ]end |end-|late |later in )?{_YEAR}", _named_year_end),
    # decades
    (r"(?:the )?(?:end of )?(?:the |this )?decade", _decade_end),
    (r"(?:the )?end of next decade|next decade", _next_decade_end),
    (r"(?:the )?(?:end of )?(?:the )?(?P<decade>[0-9]{3}0)'?s", _named_decade_end),
    # quarters and halves
    (rf"{_END_OF}q(?P<q>[1-4])(?:(?: of)?,?[ -]?{_SHORT_YEAR})?", _quarter),
    (rf"(?P<q>[1-4])q[ -]?{_SHORT_YEAR}", _quarter),
    (rf"{_YEAR}[ -]?q(?P<q>[1-4])", _quarter),
    (rf"{_END_OF}(?P<ord>{_alternatives(_QUARTER_ORDINALS)}) quarter(?: of)?"
     rf"(?:,? {_YEAR}| (?:the |this )?year)?", _quarter),
    (r"(?:the )?(?:end of )?(?:the |this )?quarter", _this_quarter),
    (r"(?:the )?end of next quarter|next quarter", _next_quarter),
    (rf"{_END_OF}h(?P<h>[12])(?:(?: of)?,?[ -]?{_SHORT_YEAR})?", _half),
    (rf"(?P<h>[12])h[ -]?{_SHORT_YEAR}", _half),
    (rf"{_END_OF}(?P<ord>{_alternatives(_HALF_ORDINALS)}) half(?: of)?"
     rf"(?:,? {_YEAR}| (?:the |this )?year)?", _half),
    (rf"(?:the )?(?:mid|middle of)[- ]?(?:{_YEAR}|(?:the |this )?year)", _mid_year),
    # months, days of a month, weeks
    (rf"(?:the )?(?:(?P<part>end|close|middle|beginning|start) of |(?P<part2>early|mid|late)[- ])?"
     rf"{_MONTH}(?:,? {_YEAR})?", _month),
    (rf"(?:the )?(?P<day>[0-9]{{1,2}}){_ORDINAL}(?: of)? {_MONTH}", _day_month),
    (rf"{_MONTH} (?:the )?(?P<day>[0-9]{{1,2}}){_ORDINAL}", _day_month),
    (r"(?:the )?(?:end of )?(?:the |this )?month|later this month", _this_month),
    (r"(?:the )?end of next month|next month", _next_month),
    (r"(?:the )?(?:end of )?(?:the |this )?week|later this week", _this_week),
    (r"(?:the )?end of next week|next week", _next_week),
    # holidays and seasons
    (rf"(?:the )?(?P<holiday>{_alternatives(_HOLIDAYS)})(?: {_YEAR})?", _holiday),
    (rf"(?:the )?(?:end of )?(?:the |this )?{_SEASONS}", _season),
    (rf"(?:the )?(?:end of )?next {_SEASONS}", _next_season),
    (rf"{_END_OF}(?P<season>spring|summer|autumn|fall),? {_YEAR}", _named_season),
    (rf"{_END_OF}winter,? {_YEAR} ?[-/] ?(?P<second>[0-9]{{4}}|[0-9]{{2}})", _named_winter),
    (rf"{_END_OF}winter,? {_YEAR}", _ambiguous_winter),
    # spans counted from the forecast date
    (rf"(?:the )?(?:next|coming|following) {_UNITS}", _relative),
    (rf"(?:the )?(?:(?:next|coming|following) )?{_COUNT} {_UNITS}s?"
     r"(?:'s? time| time| from now| from today| ahead| hence| or so| or less)?", _relative),
    (r"(?:the )?(?:(?:coming|next|following)(?: few| couple of)? |(?:a )?few |several "
     r"|a matter of )?(?P<unit>day|week|month)s(?: ahead| to come)?", _vague),
    (r"imminent(?:ly)?|any day(?: now)?", _in_days(14)),
    (r"soon", _in_months(6)),
]

# After "before", a year, a month or a date means the day before it begins.
_BEFORE: list[tuple[str, Handler]] = [
    (_YEAR, lambda m, made: datetime.date(int(m["year"]) - 1, 12, 31)),
    (rf"(?:the )?(?:start of )?{_MONTH}(?:,? {_YEAR})?",
     lambda m, made: _month_start(m, made) - datetime.timedelta(days=1)),
]


@functools.cache
def _compiled(table: str) -> list[tuple[re.Pattern, Handler]]:
    """The horizon patterns (``table``: "horizons" or "before") compiled on first use: compiled
    when the module loads, they cost several milliseconds to every command that reads no
    horizon, such as ``forecasts import`` of numbers."""
    return [(re.compile(pattern), handler)
            for pattern, handler in {"horizons": _HORIZONS, "before": _BEFORE}[table]]


def _strip_prefixes(text: str) -> str:
    """Drop leading filler: _strip_prefixes("by sometime in 2026") == "2026"."""
    match = _PREFIXES.match(text)
    return text[match.end():] if match else text


def _clean_horizon(text: str) -> str:
    """Normalise and drop end punctuation, filler ('by', 'in') and 'at the latest'."""
    normal = _normalise(text).strip(" .,;:!?\"'()")
    return _strip_prefixes(_SUFFIXES.sub("", normal))


def _first_match(table: list[tuple[re.Pattern, Handler]], cleaned: str,
                 made: datetime.date) -> datetime.date | None:
    """The first handler's date for a full match in table, or None when nothing matches."""
    for pattern, handler in table:
        match = pattern.fullmatch(cleaned)
        if match:
            return handler(match, made)
    return None


def _read_horizon(cleaned: str, made: datetime.date, text: str) -> datetime.date | None:
    before = cleaned.startswith("before ")
    if before:
        cleaned = _strip_prefixes(cleaned[len("before "):])
    found = _read_date(cleaned, text, made)
    if found is not None:
        return found - datetime.timedelta(days=1) if before else found
    found = _first_match(_compiled("before"), cleaned, made) if before else None
    return found or _first_match(_compiled("horizons"), cleaned, made)


def _no_horizon(text: str) -> ParseError:
    return ParseError(f"cannot read a resolution date from {_quote(text)}: {_MISSING_HORIZON}")


def parse_horizon(text: str, made: datetime.date) -> datetime.date:
    """Read a resolution deadline relative to the forecast date ``made`` (VERBAL.md §2.3).

    A period means its last day ("Q1 2026" -> 2026-03-31; "by March" -> the 31st of the next
    March); a span counts from made ("in 6 months" -> 6 calendar months later, clamped to the
    month's end); "before" a year, a month or a date means the day before it begins.

    >>> parse_horizon("by the end of the year", made=datetime.date(2025, 12, 16))
    datetime.date(2025, 12, 31)
    """
    if len(text) > MAX_INPUT_LENGTH:
        raise _no_horizon(text)
    try:
        found = _read_horizon(_clean_horizon(text), made, text)
    except ParseError:
        raise
    except (ValueError, OverflowError):
        raise ParseError(f"horizon {_quote(text)} falls outside the calendar "
                         "(years 1 to 9999)") from None
    if found is None:
        raise _no_horizon(text)
    return found
