"""Baselines: `forecasts baseline` adds a fixed-rule forecaster (a constant, or uniform over the
options) on every open-at-the-time question, to score the others against. (Baselines on the
ForecastBench sets are tested in test_forecastbench.py.)"""

import pytest

from forecasts.baseline import add_baseline
from forecasts.store import Store


def test_baseline_on_a_date_and_on_multiple_choice(forecasts):
    forecasts.ok("add", "Who wins", "--by", "Al", "--option", "red", "--option", "blue",
                 "--option", "green", "-p", "red=0.5", "-p", "blue=0.25", "-p", "green=0.25",
                 "--on", "2025-01-01", "--resolves", "2025-06-01")
    forecasts.ok("add", "It rains", "--by", "Al", "-p", "0.9", "--on", "2025-01-01",
                 "--resolves", "2025-03-01")
    constant = forecasts.json("baseline", "Thirty", "--constant", "0.3", "--on", "2025-02-01")
    assert (constant["added"], constant["multiple_choice_skipped"]) == (1, 1)
    late = forecasts.json("baseline", "Late", "--constant", "0.3", "--on", "2025-04-01")
    assert (late["added"], late["too_late"], late["multiple_choice_skipped"]) == (0, 1, 1)
    uniform = forecasts.json("baseline", "Chimp", "--uniform")
    assert uniform["added"] == 2
    (chimp,) = [f for f in forecasts.json("show", "who-wins")["forecasts"]
                if f["forecaster"] == "Chimp"]
    assert chimp["probability"] == "red 33.3333%, blue 33.3333%, green 33.3333%"
    assert chimp["made"] == "2025-01-01"


@pytest.mark.parametrize("args, message", [
    (["Al", "--constant", "0.5"], "Al is a person, not a baseline"),
    (["B", "--constant", "0.5", "--uniform"], "one of --constant P or --uniform"),
    (["B"], "one of --constant P or --uniform"),
    (["B", "--constant", "1.5"], "--constant"),
    (["B", "--constant", "0.5", "--on", "2999-01-01"], "in the future"),
])
def test_baseline_refuses_bad_input(forecasts, args, message):
    forecasts.ok("add", "It rains", "--by", "Al", "-p", "0.9", "--on", "2025-01-01")
    before = forecasts.counts()
    result = forecasts("baseline", *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert forecasts.counts() == before


def test_a_baseline_added_after_resolution_is_still_scored(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.6", "--on", "2025-01-01",
                 "--resolves", "2025-12-31")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-06-01")
    store = Store.open(forecasts.db)
    add_baseline(store, "Always 0.5", constant="0.5")
    store.close()
    assert {r["forecaster"] for r in forecasts.json("score")} == {"A", "Always 0.5"}
    assert "not scored" not in forecasts.ok("show", "1").stdout


@pytest.mark.parametrize("command", [
    ["forecast", "1", "--by", "Half", "-p", "100%", "--on", "2025-01-02", "--late"],
    ["add", "It snows", "--by", "Half", "-p", "0.9", "--on", "2025-01-01"],
    ["forecast", "1", "--by", "half", "-p", "100%", "--on", "2025-01-02", "--late"],
])
def test_only_the_baseline_command_writes_a_baselines_forecasts(forecasts, command):
    """A baseline is exempt from the hindsight guard: were `forecast` free to write for it, 100%
    entered after the outcome would score a perfect 0 and top the leaderboard."""
    forecasts.ok("add", "It rains", "--by", "Al", "-p", "0.9", "--on", "2025-01-01",
                 "--resolves", "2025-03-01")
    forecasts.ok("baseline", "Half", "--constant", "0.5")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-03-01")
    before = forecasts.counts()
    result = forecasts(*command)
    assert result.exit_code == 2, result.output
    assert "Half is a baseline" in result.stderr and "baseline command" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert forecasts.counts() == before
    half = {r["forecaster"]: r for r in forecasts.json("score")}["Half"]
    assert half["brier"] == pytest.approx(0.25)


def test_a_tagged_baseline_leaves_out_questions_already_resolved(forecasts):
    """Tags can be set after the outcome, so a baseline on a tag skips what is resolved."""
    for text, outcome in (("Rain", "yes"), ("Snow", "no"), ("Hail", None)):
        forecasts.ok("add", text, "--by", "Al", "-p", "0.6", "--on", "2025-01-01",
                     "--resolves", "2025-03-01", "--tag", "weather")
        if outcome:
            forecasts.ok("resolve", text.lower(), outcome, "--on", "2025-03-01")
    result = forecasts.json("baseline", "Sure", "--constant", "0.99", "--tag", "weather")
    assert (result["added"], result["resolved_before_tag"]) == (1, 2)
    text = forecasts.ok("baseline", "Sure2", "--constant", "0.99", "--tag", "weather").stdout
    assert "2 questions skipped: already resolved" in text
    untagged = forecasts.json("baseline", "Everywhere", "--constant", "0.5")
    assert untagged["added"] == 3
