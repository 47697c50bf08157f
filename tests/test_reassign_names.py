"""reassign --to names the forecaster as forecast --by does: a new name that looks like one a
forecaster is found by is refused unless --new-forecaster confirms it, and each error about
the name names --to."""

import pytest

ALICE = "\u0410lice"  # a Cyrillic capital A, then "lice"
LOOKS_LIKE = ("Error: --to: '\\u0410lice' looks like the existing forecaster 'Alice' (U+0410 "
              "CYRILLIC CAPITAL LETTER A where it has U+0041 LATIN CAPITAL LETTER A): use "
              "'Alice', or confirm that this is someone else; give --new-forecaster to record it"
              " anyway\n")


@pytest.fixture
def two(forecasts):
    """Question #1, resolved no: Alice 30% (#1), Bob 60% (#2)."""
    forecasts.ok("add", "Q one", "--by", "Alice", "-p", "30%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("forecast", "1", "--by", "Bob", "-p", "60%", "--on", "2025-01-02")
    forecasts.ok("resolve", "1", "no", "--on", "2025-02-01")
    return forecasts


def briers(forecasts):
    return {row["forecaster"]: round(row["brier"], 6) for row in forecasts.json("score")}


def refused(forecasts, *args):
    before = forecasts.counts()
    result = forecasts("reassign", *args)
    assert result.exit_code == 2
    assert forecasts.counts() == before
    return result.stderr


def test_a_lookalike_name_needs_new_forecaster(two):
    assert refused(two, "2", "--to", ALICE, "--reason", "x") == LOOKS_LIKE
    result = two.ok("reassign", "2", "--to", ALICE, "--new-forecaster", "--reason", "x")
    assert result.stdout == f"Forecast #2 is now {ALICE}'s (was Bob) [new forecaster {ALICE}]\n"
    # 0.3^2 for Alice and 0.6^2 for the other one
    assert briers(two) == {"Alice": 0.09, ALICE: 0.36}


def test_a_lookalike_of_a_name_before_a_rename_needs_new_forecaster(two):
    two.ok("forecaster", "rename", "Bob", "Robert")
    bob = "B\u043eb"  # a Cyrillic small o
    assert refused(two, "1", "--to", bob, "--reason", "x") == (
        "Error: --to: 'B\\u043eb' looks like the existing forecaster 'Bob' (U+043E CYRILLIC "
        "SMALL LETTER O where it has U+006F LATIN SMALL LETTER O): use 'Bob', or confirm that "
        "this is someone else; give --new-forecaster to record it anyway\n")


def test_a_plain_new_name_needs_no_confirming(two):
    result = two.ok("reassign", "2", "--to", "Carol", "--reason", "x")
    assert result.stdout == "Forecast #2 is now Carol's (was Bob) [new forecaster Carol]\n"
    result = two.ok("reassign", "2", "--to", "alice", "--reason", "x")
    assert result.stdout == "Forecast #2 is now Alice's (was Carol)\n"
    # Alice's latest is the 60% (#2, made after her 30%)
    assert briers(two) == {"Alice": 0.36}


@pytest.mark.parametrize("to,message", [
    ("", "Error: --to is empty\n"),
    ("   ", "Error: --to is empty\n"),
    ("Al\u200bice", "Error: --to: 'Al\\u200bice' holds an invisible character (U+200B ZERO "
                    "WIDTH SPACE): type the name without it\n"),
])
def test_a_bad_name_names_to(two, to, message):
    assert refused(two, "2", "--to", to, "--reason", "x") == message
