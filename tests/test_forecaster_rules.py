"""Baselines and aggregates are written only by `forecasts baseline` and `forecasts aggregate`:
no correction gives them a forecast, takes one of theirs away or merges them, as `forecast
--by` a baseline is refused. Each refusal is one line, exit 2, and writes nothing."""

import pytest

HALF = ("Half is a baseline: its forecasts follow its fixed rule and only `forecasts baseline`"
        " writes them")
MEDIAN = ("Median is an aggregate: its forecasts pool other forecasters' and only `forecasts "
          "aggregate` writes them")
BY_HALF = ("forecast #3 is by Half, a baseline: its forecasts follow its fixed rule and only "
           "`forecasts baseline` writes them; it cannot be given to another forecaster")
BY_MEDIAN = ("forecast #5 is by Median, an aggregate: its forecasts pool other forecasters' and "
             "only `forecasts aggregate` writes them; it cannot be given to another forecaster")


@pytest.fixture
def ruled(forecasts):
    """Question #1 (resolved no): Alice 30% (#1), Bob Jones 60% (#2), the baseline Half 50%
    (#3), Third 1/3 (#4) and the aggregate Median, the median 45% (#5)."""
    forecasts.ok("add", "Q one", "--by", "Alice", "-p", "30%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("forecast", "1", "--by", "Bob Jones", "-p", "60%", "--on", "2025-01-02")
    forecasts.ok("baseline", "Half", "--constant", "0.5")
    forecasts.ok("baseline", "Third", "--constant", "1/3")
    forecasts.ok("aggregate", "Median")
    forecasts.ok("resolve", "1", "no", "--on", "2025-02-01")
    return forecasts


def briers(forecasts):
    return {row["forecaster"]: round(row["brier"], 6) for row in forecasts.json("score")}


# Brier with outcome no: 0.3^2, 0.6^2, 0.5^2, (1/3)^2 and 0.45^2
SCORES = {"Alice": 0.09, "Bob Jones": 0.36, "Half": 0.25, "Third": 0.111111, "Median": 0.2025}


@pytest.mark.parametrize("args,message", [
    (["reassign", "1", "--to", "Half"], f"{HALF}; no forecast can be given to it"),
    (["reassign", "1", "--to", "median"], f"{MEDIAN}; no forecast can be given to it"),
    (["reassign", "3", "--to", "Bob Jones"], BY_HALF),
    (["reassign", "5", "--to", "Someone New"], BY_MEDIAN),
    (["reassign", "3", "--to", "Third"], BY_HALF),
    (["forecaster", "merge", "Half", "into", "Bob Jones"],
     f"{HALF}; it cannot be merged with another forecaster"),
    (["forecaster", "merge", "Bob Jones", "into", "Median"],
     f"{MEDIAN}; it cannot be merged with another forecaster"),
    (["forecaster", "merge", "Half", "into", "Third"],
     f"{HALF}; it cannot be merged with another forecaster"),
])
def test_a_correction_of_a_baseline_or_an_aggregate_is_refused(ruled, args, message):
    assert briers(ruled) == SCORES
    before = ruled.counts()
    if args[0] == "reassign":
        args = [*args, "--reason", "x"]
    result = ruled(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert ruled.counts() == before
    assert briers(ruled) == SCORES


def test_a_persons_forecasts_are_still_reassigned_and_merged(ruled):
    ruled.ok("reassign", "1", "--to", "Bob Jones", "--reason", "it was Bob's")
    # Bob Jones's latest is his own 60% (made after Alice's 30%)
    assert briers(ruled) == {**{k: v for k, v in SCORES.items() if k != "Alice"},
                             "Bob Jones": 0.36}
    ruled.ok("forecaster", "merge", "Bob Jones", "into", "Alice")
    assert briers(ruled)["Alice"] == 0.36
