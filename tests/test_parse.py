"""Tests for forecasts.parse: probabilities, option probabilities, dates and horizons."""

import ast
import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasts.parse import (
    PPM,
    SUM_TOLERANCE,
    ParseError,
    Probability,
    parse_date,
    parse_horizon,
    parse_option_probabilities,
    parse_probability,
)

MADE = datetime.date(2025, 12, 16)
D = datetime.date


def assert_one_line(error: ParseError, *words: str) -> None:
    message = str(error)
    assert message and "\n" not in message and "\r" not in message
    for word in words:
        assert word in message, (word, message)


# --- probabilities: accepted ---------------------------------------------------------------------

@pytest.mark.parametrize("text, ppm", [
    ("0.7", 700_000),
    (".7", 700_000),
    ("0", 0),
    ("1", 1_000_000),
    ("1.0", 1_000_000),
    ("0.265", 265_000),
    ("70%", 700_000),
    ("70 %", 700_000),
    ("12.5%", 125_000),
    ("33.3%", 333_000),
    ("0%", 0),
    ("100%", 1_000_000),
    ("70 percent", 700_000),
    ("70 per cent", 700_000),
    ("70 PERCENT", 700_000),
    ("7/10", 700_000),
    ("1/3", 333_333),
    ("2/3", 666_667),
    ("1 / 8", 125_000),
    ("3:1", 750_000),
    ("3 to 1", 750_000),
    ("3-to-1", 750_000),
    ("odds of 3 to 1", 750_000),
    ("3 to 1 against", 250_000),
    ("1:2", 333_333),
    ("0:1", 0),
    ("1:0", 1_000_000),
    ("1 in 4", 250_000),
    ("1-in-4", 250_000),
    ("one in four", 250_000),
    ("one-in-four", 250_000),
    ("one in five", 200_000),
    ("a one in five chance", 200_000),
    ("three in twenty", 150_000),
    ("one in a hundred", 10_000),
    ("4 in 4", 1_000_000),
    ("50-50", 500_000),
    ("50/50", 500_000),
    ("fifty-fifty", 500_000),
    ("Fifty fifty", 500_000),
    ("two-thirds", 666_667),
    ("a quarter", 250_000),
    ("three quarters", 750_000),
    ("  0.7  ", 700_000),
    ("0.0000005", 0),   # half to even at the last ppm
    ("0.0000015", 2),
    ("0.0000025", 2),
])
def test_numeric_probabilities_are_exact(text, ppm):
    p = parse_probability(text)
    assert p == Probability(ppm=ppm, text=text)
    assert p.value == ppm / PPM


def test_decimal_never_lands_off_by_one():
    assert parse_probability("0.7").ppm == 700_000
    assert parse_probability("0.29").ppm == 290_000
    assert parse_probability("0.57").ppm == 570_000


def test_percent_range_takes_the_midpoint_and_keeps_the_range():
    p = parse_probability("30-40%")
    assert (p.ppm, p.lo, p.hi, p.verbal) == (350_000, 0.3, 0.4, None)
    assert parse_probability("30% to 40%").ppm == 350_000


@pytest.mark.parametrize("text, verbal, ppm, lo, hi", [
    ("probably not", "probably not", 265_000, 0.2, 0.39),
    ("Probably Won't", "probably won't", 265_000, 0.2, 0.39),
    ("likely", "likely", 700_000, 0.6, 0.75),
    ('"Likely."', "likely", 700_000, 0.6, 0.75),
    ("almost certainly", "almost certainly", 930_000, 0.9, 0.95),
    ("toss-up", "toss-up", 500_000, 0.45, 0.55),
])
def test_words_go_through_the_default_scale(text, verbal, ppm, lo, hi):
    p = parse_probability(text)
    assert (p.ppm, p.text, p.verbal, p.scale, p.lo, p.hi) == (ppm, text, verbal, "default", lo, hi)
    assert p.source


def test_words_through_a_named_scale():
    p = parse_probability("likely", scale="icd203")
    assert (p.ppm, p.scale, p.lo, p.hi) == (675_000, "icd203", 0.55, 0.8)


# --- probabilities: rejected ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["1.5", "-0.1", "150%", "-5%", "101", "7/5", "-1 in 4", "1.01"])
def test_out_of_range(text):
    with pytest.raises(ParseError) as error:
        parse_probability(text)
    assert_one_line(error.value, "between 0 and 1", "0% and 100%", f"'{text}'")


@pytest.mark.parametrize("text, percent, decimal", [
    ("70", "70%", "0.7"),
    ("5", "5%", "0.05"),
    ("100", "100%", " 1"),
    ("12.5", "12.5%", "0.125"),
])
def test_bare_number_above_one_is_ambiguous(text, percent, decimal):
    with pytest.raises(ParseError) as error:
        parse_probability(text)
    assert_one_line(error.value, "ambiguous", f"'{text}'", percent, decimal)


def test_ambiguous_message_exactly():
    with pytest.raises(ParseError, match=r"^ambiguous probability '70': write 70% or 0\.7$"):
        parse_probability("70")


@pytest.mark.parametrize("text, words", [
    ("0:0", ["odds 0:0", "do not define a probability"]),
    ("0 to 0", ["odds", "do not define a probability"]),
    ("-1:2", ["odds", "negative"]),
    ("1 in 0", ["'1 in 0'", "does not define a probability"]),
    ("0 in 0", ["'0 in 0'", "does not define a probability"]),
    ("5 in 4", ["'5 in 4'", "must not exceed"]),
    ("five in four", ["'five in four'", "must not exceed"]),
    ("0/0", ["'0/0'", "undefined"]),
    ("3/0", ["'3/0'", "divides by zero"]),
    ("", ["empty probability", "0.7", "70%"]),
    ("   ", ["empty probability"]),
    ("nan", ["finite", "'nan'"]),
    ("NaN", ["finite"]),
    ("inf", ["finite", "'inf'"]),
    ("-Infinity", ["finite"]),
    ("40-30%", ["backwards"]),
    ("...", ["not a probability"]),
    ("0.7\x00", ["unprintable"]),
    ("x" * 500, ["too long"]),
])
def test_rejected_with_a_reason(text, words):
    with pytest.raises(ParseError) as error:
        parse_probability(text)
    assert_one_line(error.value, *words)


@pytest.mark.parametrize("text, nearest", [
    ("abc", "nearest known phrases"),
    ("probly nto", "probably not"),
    ("probly not", "probably not"),  # a spelling guess is named, never stored
    ("lkely", "likely"),
    ("most likely", "relative"),
])
def test_unknown_words_name_the_nearest_phrases(text, nearest):
    with pytest.raises(ParseError) as error:
        parse_probability(text)
    assert_one_line(error.value, nearest)


def test_unknown_scale():
    with pytest.raises(ParseError) as error:
        parse_probability("likely", scale="astrology")
    assert_one_line(error.value, "astrology", "icd203")


def test_multiline_input_gives_a_one_line_message():
    with pytest.raises(ParseError) as error:
        parse_probability("probably\nnot\rsure")
    assert_one_line(error.value)


# --- option probabilities ------------------------------------------------------------------------

OPTIONS = ["cold peace", "war grinds on", "interim ceasefire"]


def test_option_probabilities_in_question_order_with_canonical_labels():
    probs = parse_option_probabilities(
        ["War  Grinds On=50%", "cold peace=25%", "INTERIM CEASEFIRE = 0.25"], OPTIONS)
    assert list(probs) == OPTIONS
    assert {k: p.ppm for k, p in probs.items()} == {
        "cold peace": 250_000, "war grinds on": 500_000, "interim ceasefire": 250_000}
    assert probs["interim ceasefire"].text == "0.25"


def test_label_may_contain_equals_sign_split_on_the_last():
    probs = parse_option_probabilities(["a=b=60%", "c=40%"], ["a=b", "c"])
    assert probs["a=b"].ppm == 600_000


def test_options_take_any_probability_form():
    probs = parse_option_probabilities(["cold peace=1 in 4", "war grinds on=1/2",
                                        "interim ceasefire=3:9"], OPTIONS)
    assert [p.ppm for p in probs.values()] == [250_000, 500_000, 250_000]
    probs = parse_option_probabilities(["cold peace=unlikely", "war grinds on=likely",
                                        "interim ceasefire=10%"], OPTIONS)
    assert [p.ppm for p in probs.values()] == [200_000, 700_000, 100_000]
    assert (probs["cold peace"].verbal, probs["cold peace"].scale) == ("unlikely", "default")


def test_missing_options_get_zero_only_when_the_rest_sum_to_one():
    probs = parse_option_probabilities(["war grinds on=100%"], OPTIONS)
    assert {k: p.ppm for k, p in probs.items()} == {
        "cold peace": 0, "war grinds on": 1_000_000, "interim ceasefire": 0}
    assert probs["cold peace"] == Probability(ppm=0, text="")


@pytest.mark.parametrize("items", [
    ["cold peace=33.4%", "war grinds on=33.3%", "interim ceasefire=33.3%"],
    ["cold peace=1/3", "war grinds on=1/3", "interim ceasefire=1/3"],
    ["cold peace=0.30", "war grinds on=0.30", "interim ceasefire=0.39"],  # 0.99: at the edge
    ["cold peace=0.30", "war grinds on=0.30", "interim ceasefire=0.41"],  # 1.01: at the edge
])
def test_sum_within_tolerance(items):
    assert len(parse_option_probabilities(items, OPTIONS)) == 3


@pytest.mark.parametrize("items, words", [
    (["cold peace=60%", "war grinds on=60%", "interim ceasefire=0"],
     ["option probabilities sum to 1.2; they must sum to 1 (±0.01)"]),
    (["cold peace=0.30", "war grinds on=0.30", "interim ceasefire=0.38"], ["sum to 0.98"]),
    (["cold peace=25%", "war grinds on=50%"], ["sum to 0.75", "missing: 'interim ceasefire'"]),
    (["cold peace 25%"], ["OPTION=PROBABILITY", "'cold peace 25%'"]),
    (["peace=25%"], ["unknown option 'peace'", "'cold peace'", "'war grinds on'",
                     "'interim ceasefire'"]),
    (["cold peace=25%", "Cold  Peace=75%"], ["'cold peace'", "twice"]),
    (["cold peace=70", "war grinds on=30"], ["'cold peace'", "ambiguous", "70%"]),
    (["cold peace=abc"], ["'cold peace'", "nearest known phrases"]),
    ([], ["no option probabilities", "OPTION=PROBABILITY"]),
])
def test_option_errors(items, words):
    with pytest.raises(ParseError) as error:
        parse_option_probabilities(items, OPTIONS)
    assert_one_line(error.value, *words)


def test_tolerance_is_a_parameter():
    assert SUM_TOLERANCE == 0.01
    items = ["cold peace=0.3", "war grinds on=0.3", "interim ceasefire=0.35"]
    assert parse_option_probabilities(items, OPTIONS, tolerance=0.05)
    with pytest.raises(ParseError, match=r"\(±0\.01\)"):
        parse_option_probabilities(items, OPTIONS)


# --- dates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2025-12-16", D(2025, 12, 16)),
    ("2025-1-5", D(2025, 1, 5)),
    ("2025/12/16", D(2025, 12, 16)),
    ("16 December 2025", D(2025, 12, 16)),
    ("16th of December, 2025", D(2025, 12, 16)),
    ("16 Dec 2025", D(2025, 12, 16)),
    ("December 16, 2025", D(2025, 12, 16)),
    ("Dec 16 2025", D(2025, 12, 16)),
    ("Dec. 16, 2025", D(2025, 12, 16)),
    ("Sept 1 2026", D(2026, 9, 1)),
    ("2024-02-29", D(2024, 2, 29)),
    (" today ", MADE),
    ("Today", MADE),
    ("yesterday", D(2025, 12, 15)),
    ("tomorrow", D(2025, 12, 17)),
])
def test_dates(text, expected):
    assert parse_date(text, today=MADE) == expected


def test_today_defaults_to_the_real_today():
    assert parse_date("today") == datetime.date.today()


@pytest.mark.parametrize("text", [
    "2025-13-45", "2025-02-30", "2025-02-29", "tomorrowish", "", "16/12/2025", "December 2025",
    "32 December 2025", "0000-01-01", "2025-12-16\n2025-12-17", "x" * 1000,
])
def test_not_a_date(text):
    with pytest.raises(ParseError) as error:
        parse_date(text, today=MADE)
    assert_one_line(error.value, "not a date", "(use YYYY-MM-DD)")


def test_not_a_date_message_exactly():
    with pytest.raises(ParseError, match=r"^not a date: '2025-13-45' \(use YYYY-MM-DD\)$"):
        parse_date("2025-13-45")


# --- horizons ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # explicit dates
    ("2026-03-01", D(2026, 3, 1)),
    ("by 16 December 2026", D(2026, 12, 16)),
    ("on 1 June 2026", D(2026, 6, 1)),
    ("today", MADE),
    # this year, next year, a named year
    ("end of year", D(2025, 12, 31)),
    ("by the end of the year", D(2025, 12, 31)),
    ("By the end of the year.", D(2025, 12, 31)),
    ("by year-end", D(2025, 12, 31)),
    ("this year", D(2025, 12, 31)),
    ("later this year", D(2025, 12, 31)),
    ("within the year", D(2025, 12, 31)),
    ("next year", D(2026, 12, 31)),
    ("by the end of next year", D(2026, 12, 31)),
    ("2026", D(2026, 12, 31)),
    ("in 2026", D(2026, 12, 31)),
    ("by 2026", D(2026, 12, 31)),
    ("by the end of 2026", D(2026, 12, 31)),
    ("end of 2026", D(2026, 12, 31)),
    ("before the end of 2026", D(2026, 12, 31)),
    ("during 2026", D(2026, 12, 31)),
    ("sometime in 2026", D(2026, 12, 31)),
    ("end-2026", D(2026, 12, 31)),
    ("late 2026", D(2026, 12, 31)),
    ("by 2026 at the latest", D(2026, 12, 31)),
    # quarters
    ("Q1 2026", D(2026, 3, 31)),
    ("q3 2026", D(2026, 9, 30)),
    ("by Q2 2026", D(2026, 6, 30)),
    ("1Q26", D(2026, 3, 31)),
    ("2026-Q4", D(2026, 12, 31)),
    ("first quarter of 2026", D(2026, 3, 31)),
    ("by the end of the third quarter of 2026", D(2026, 9, 30)),
    ("Q3", D(2026, 9, 30)),
    ("Q4", D(2025, 12, 31)),
    ("this quarter", D(2025, 12, 31)),
    ("next quarter", D(2026, 3, 31)),
    # halves
    ("mid-2026", D(2026, 6, 30)),
    ("by mid-2026", D(2026, 6, 30)),
    ("by the middle of 2026", D(2026, 6, 30)),
    ("first half of 2026", D(2026, 6, 30)),
    ("in the first half of 2026", D(2026, 6, 30)),
    ("H1 2026", D(2026, 6, 30)),
    ("H2 2026", D(2026, 12, 31)),
    ("second half of 2026", D(2026, 12, 31)),
    ("in the second half of the year", D(2025, 12, 31)),
    ("by mid-year", D(2026, 6, 30)),
    # months and days
    ("March 2026", D(2026, 3, 31)),
    ("by March 2026", D(2026, 3, 31)),
    ("by March", D(2026, 3, 31)),
    ("by the end of March", D(2026, 3, 31)),
    ("by December", D(2025, 12, 31)),
    ("December 2025", D(2025, 12, 31)),
    ("Feb 2028", D(2028, 2, 29)),
    ("mid-March 2026", D(2026, 3, 15)),
    ("early March", D(2026, 3, 10)),
    ("late March", D(2026, 3, 31)),
    ("by 16 March", D(2026, 3, 16)),
    ("March 16th", D(2026, 3, 16)),
    ("by 20 December", D(2025, 12, 20)),
    ("29 February", D(2028, 2, 29)),
    ("this month", D(2025, 12, 31)),
    ("next month", D(2026, 1, 31)),
    ("this week", D(2025, 12, 21)),
    ("next week", D(2025, 12, 28)),
    # before: the day before a year, a month or a date begins
    ("before 2026", D(2025, 12, 31)),
    ("before March", D(2026, 2, 28)),
    ("before March 2027", D(2027, 2, 28)),
    ("before 1 June 2026", D(2026, 5, 31)),
    # spans from the forecast date
    ("in 6 months", D(2026, 6, 16)),
    ("within 6 months", D(2026, 6, 16)),
    ("within six months", D(2026, 6, 16)),
    ("over the next 6 months", D(2026, 6, 16)),
    ("in the next 6 months", D(2026, 6, 16)),
    ("in six months' time", D(2026, 6, 16)),
    ("6 months from now", D(2026, 6, 16)),
    ("in 3 weeks", D(2026, 1, 6)),
    ("within 3 weeks", D(2026, 1, 6)),
    ("within two weeks", D(2025, 12, 30)),
    ("in a fortnight", D(2025, 12, 30)),
    ("in 10 days", D(2025, 12, 26)),
    ("in a couple of weeks", D(2025, 12, 30)),
    ("within two quarters", D(2026, 6, 16)),
    ("in the next year", D(2026, 12, 16)),
    ("in the coming year", D(2026, 12, 16)),
    ("within a year", D(2026, 12, 16)),
    ("over the next 12 months", D(2026, 12, 16)),
    ("over the next twelve months", D(2026, 12, 16)),
    ("in the next 2 years", D(2027, 12, 16)),
    ("within two years", D(2027, 12, 16)),
    ("in the next month", D(2026, 1, 16)),
    ("over the next decade", D(2035, 12, 16)),
    # vague spans (VERBAL.md §2.3 conventions)
    ("within weeks", D(2026, 2, 10)),
    ("in the coming weeks", D(2026, 2, 10)),
    ("in a few weeks", D(2026, 2, 10)),
    ("in the next few weeks", D(2026, 2, 10)),
    ("within days", D(2025, 12, 30)),
    ("in the coming days", D(2025, 12, 30)),
    ("imminently", D(2025, 12, 30)),
    ("within months", D(2026, 6, 16)),
    ("in the coming months", D(2026, 6, 16)),
    ("in the months ahead", D(2026, 6, 16)),
    ("soon", D(2026, 6, 16)),
    # holidays and seasons
    ("by Christmas", D(2025, 12, 25)),
    ("before Christmas", D(2025, 12, 25)),
    ("by Christmas 2026", D(2026, 12, 25)),
    ("by New Year's Eve", D(2025, 12, 31)),
    ("by Easter", D(2026, 4, 5)),
    ("by Thanksgiving", D(2026, 11, 26)),
    ("by spring", D(2026, 5, 31)),
    ("by the summer", D(2026, 8, 31)),
    ("by summer", D(2026, 8, 31)),
    ("by autumn", D(2026, 11, 30)),
    ("by fall", D(2026, 11, 30)),
    ("by winter", D(2026, 2, 28)),
    ("by the end of this winter", D(2026, 2, 28)),
    ("next winter", D(2027, 2, 28)),
    ("next summer", D(2026, 8, 31)),
    ("summer 2027", D(2027, 8, 31)),
    ("winter 2027/28", D(2028, 2, 29)),
    # decades
    ("next decade", D(2039, 12, 31)),
    ("by the end of the decade", D(2029, 12, 31)),
    ("the 2030s", D(2039, 12, 31)),
])
def test_horizons(text, expected):
    assert parse_horizon(text, made=MADE) == expected


@pytest.mark.parametrize("made, text, expected", [
    (D(2025, 8, 31), "in 6 months", D(2026, 2, 28)),
    (D(2023, 8, 31), "in 6 months", D(2024, 2, 29)),
    (D(2024, 2, 29), "within a year", D(2025, 2, 28)),
    (D(2025, 1, 31), "in 1 month", D(2025, 2, 28)),
    (D(2025, 3, 31), "in 3 months", D(2025, 6, 30)),
])
def test_spans_clamp_to_month_end(made, text, expected):
    assert parse_horizon(text, made=made) == expected


@pytest.mark.parametrize("made, text, expected", [
    (D(2026, 3, 31), "by March", D(2026, 3, 31)),
    (D(2026, 4, 1), "by March", D(2027, 3, 31)),
    (D(2026, 1, 5), "by March", D(2026, 3, 31)),
    (D(2025, 12, 26), "by Christmas", D(2026, 12, 25)),
    (D(2026, 1, 10), "by winter", D(2026, 2, 28)),
    (D(2026, 7, 1), "by summer", D(2026, 8, 31)),
    (D(2026, 7, 1), "next summer", D(2027, 8, 31)),
    (D(2026, 7, 1), "by mid-year", D(2027, 6, 30)),
    (D(2026, 4, 1), "Q1", D(2027, 3, 31)),
    (D(2025, 5, 16), "by the end of the year", D(2025, 12, 31)),
    (D(2025, 5, 16), "in 2026", D(2026, 12, 31)),
    (D(2020, 1, 1), "next decade", D(2039, 12, 31)),
])
def test_recurring_deadlines_never_land_before_made(made, text, expected):
    assert parse_horizon(text, made=made) == expected


@pytest.mark.parametrize("month", range(1, 13))
@pytest.mark.parametrize("day", [1, 15, 28])
def test_by_month_is_never_before_made(month, day):
    made = D(2025, month, day)
    for name in ["January", "February", "March", "June", "September", "December"]:
        assert parse_horizon(f"by {name}", made=made) >= made


@pytest.mark.parametrize("text", ["eventually", "soon-ish", "whenever", "sooner or later",
                                  "in the long run", "", "by", "in the coming years"])
def test_unknown_horizons(text):
    with pytest.raises(ParseError) as error:
        parse_horizon(text, made=MADE)
    assert_one_line(error.value, "cannot read a resolution date from", f"{text!r}",
                    "YYYY-MM-DD", "'end of 2026'", "'Q1 2026'", "'in 6 months'")


def test_unknown_horizon_message_exactly():
    with pytest.raises(ParseError) as error:
        parse_horizon("eventually", made=MADE)
    assert str(error.value) == (
        "cannot read a resolution date from 'eventually': give a date (YYYY-MM-DD) or a horizon "
        "such as 'end of 2026', 'Q1 2026', 'in 6 months'")


@pytest.mark.parametrize("text, words", [
    ("2025-13-45", ["not a date", "'2025-13-45'"]),
    ("by 31 February", ["not a date"]),
    ("winter 2026", ["ambiguous", "winter 2026/27", "winter 2025/26"]),
    ("winter 2026/28", ["not one winter", "winter 2026/27"]),
    ("in 99999 years", ["outside the calendar"]),
    ("before 0001", ["outside the calendar"]),
])
def test_horizon_errors_say_why(text, words):
    with pytest.raises(ParseError) as error:
        parse_horizon(text, made=MADE)
    assert_one_line(error.value, *words)


# --- properties: valid result or ParseError, never anything else ---------------------------------

any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=20),  # control characters
    st.text(min_size=150, max_size=1000),
    st.text(alphabet="0123456789.-+%/: inofetwhalpr", max_size=30),
)
horizon_words = st.lists(st.sampled_from([
    "by", "before", "the", "end", "of", "in", "next", "this", "2026", "26", "0000", "9999",
    "99999", "q1", "q5", "h2", "1q26", "mid-", "mid", "half", "first", "quarter", "march",
    "february", "29", "31", "weeks", "months", "years", "decade", "a", "few", "coming",
    "winter", "2026/27", "summer", "christmas", "easter", "year", "year-end", "six", "'s time",
    "2025-02-30", "today", "-", ",", ".",
]), max_size=6).map(" ".join)
number_like = st.from_regex(
    r"[-+]?[0-9]{0,3}(\.[0-9]{0,7})? ?(%|/|:| to | in |-in-|-| percent)? ?"
    r"[-+]?[0-9]{0,3}(\.[0-9]{0,3})?( ?%| against)?", fullmatch=True)


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text, number_like), st.sampled_from(["default", "icd203", "kent", "x"]))
def test_parse_probability_returns_or_raises_parse_error(text, scale):
    try:
        p = parse_probability(text, scale)
    except ParseError as error:
        assert "\n" not in str(error) and "\r" not in str(error)
    else:
        assert isinstance(p.ppm, int) and 0 <= p.ppm <= PPM
        assert p.text == text


@settings(max_examples=400, deadline=None)
@given(st.one_of(any_text, horizon_words), st.dates())
def test_parse_horizon_returns_or_raises_parse_error(text, made):
    try:
        result = parse_horizon(text, made=made)
    except ParseError as error:
        assert "\n" not in str(error) and "\r" not in str(error)
    else:
        assert isinstance(result, datetime.date)


@settings(max_examples=200, deadline=None)
@given(any_text, st.dates())
def test_parse_date_returns_or_raises_parse_error(text, today):
    try:
        assert isinstance(parse_date(text, today=today), datetime.date)
    except ParseError as error:
        assert "\n" not in str(error)


@settings(max_examples=300, deadline=None)
@given(st.fractions(min_value=0, max_value=1, max_denominator=10**6))
def test_fractions_round_once_half_to_even(value):
    text = f"{value.numerator}/{value.denominator}"
    assert parse_probability(text).ppm == round(value * PPM)


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=1, places=6))
def test_decimals_are_exact(value):
    assert parse_probability(str(value)).ppm == int(value * PPM)
    assert parse_probability(f"{value * 100}%").ppm == int(value * PPM)


@settings(max_examples=200, deadline=None)
@given(st.dates(max_value=D(9000, 1, 1)), st.integers(min_value=0, max_value=240))
def test_month_spans_land_in_the_right_month(made, months):
    result = parse_horizon(f"in {months} months", made=made)
    assert (result.year * 12 + result.month) - (made.year * 12 + made.month) == months
    assert result.day == made.day or result.day < made.day and (
        result + datetime.timedelta(days=1)).day == 1


# --- the module stays light ----------------------------------------------------------------------

def test_parse_imports_only_the_standard_library():
    source = Path(__file__).resolve().parents[1] / "forecasts" / "parse.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert imported <= {"__future__", "calendar", "datetime", "re", "functools", "dataclasses",
                        "fractions", "typing", "forecasts", "errors", "ppm"}
    assert not imported & {"numpy", "scipy", "click", "dateparser"}


def test_fraction_helper_agrees_with_fraction():
    assert parse_probability("1/7").ppm == round(Fraction(1, 7) * PPM) == 142_857
