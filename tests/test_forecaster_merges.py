"""Merges of merges: A merged into B, then B into C. A counts as C while both stand;
`forecaster unmerge` undoes exactly one merge, so undoing B's leaves A merged into B, and
merging into a forecaster that is itself merged is refused (merge into the one it counts as)."""

import pytest


def question(forecasts, *extra):
    """Question #1, resolved yes: C 90% (#1, made first), B 50% (#2), A 10% (#3, the latest),
    then each (forecaster, probability) of ``extra`` made first too; question #2, open, has
    only A's forecast."""
    forecasts.ok("add", "Q one", "--by", "C", "-p", "90%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("forecast", "1", "--by", "B", "-p", "50%", "--on", "2025-01-02")
    forecasts.ok("forecast", "1", "--by", "A", "-p", "10%", "--on", "2025-01-03")
    for who, p in extra:
        forecasts.ok("forecast", "1", "--by", who, "-p", p, "--on", "2025-01-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    forecasts.ok("add", "Q two", "--by", "A", "-p", "20%", "--on", "2025-01-01",
                 "--resolves", "2099-01-01")
    return forecasts


@pytest.fixture
def abc(forecasts):
    return question(forecasts)


def listed_by(forecasts, name):
    """The questions `list --by` gives for ``name``."""
    return [q["id"] for q in forecasts.json("list", "--by", name)]


def briers(forecasts):
    return {row["forecaster"]: round(row["brier"], 6) for row in forecasts.json("score")}


def owners(forecasts):
    """Forecast number -> the forecaster `show` says it counts for."""
    return {f["id"]: f["forecaster"] for f in forecasts.json("show", "1")["forecasts"]}


def merged_into(forecasts):
    return {row["name"]: row["merged_into"] for row in forecasts.json("forecaster", "list")}


# Each forecaster's latest forecast is scored: 10% scores (0.1 - 1)^2 = 0.81, 50% scores
# 0.25 and 90% scores 0.01.
def test_undoing_the_second_of_two_merges_leaves_the_first(abc):
    abc.ok("forecaster", "merge", "A", "into", "B")
    assert briers(abc) == {"B": 0.81, "C": 0.01}
    abc.ok("forecaster", "merge", "B", "into", "C")
    assert briers(abc) == {"C": 0.81}
    assert owners(abc) == {1: "C", 2: "C", 3: "C"}
    assert merged_into(abc) == {"A": "B", "B": "C", "C": None}
    assert listed_by(abc, "C") == [1, 2]

    assert abc.ok("forecaster", "unmerge", "B").stdout == "B is no longer merged into C\n"
    assert briers(abc) == {"B": 0.81, "C": 0.01}
    assert owners(abc) == {1: "C", 2: "B", 3: "B"}
    assert merged_into(abc) == {"A": "B", "B": None, "C": None}
    assert listed_by(abc, "C") == [1]
    assert listed_by(abc, "B") == [1, 2]

    assert abc.ok("forecaster", "unmerge", "A").stdout == "A is no longer merged into B\n"
    assert briers(abc) == {"A": 0.81, "B": 0.25, "C": 0.01}
    assert owners(abc) == {1: "C", 2: "B", 3: "A"}
    assert merged_into(abc) == {"A": None, "B": None, "C": None}
    assert abc.ok("verify").exit_code == 0


def test_undoing_the_first_merge_while_the_second_stands(abc):
    abc.ok("forecaster", "merge", "A", "into", "B")
    abc.ok("forecaster", "merge", "B", "into", "C")
    assert abc.ok("forecaster", "unmerge", "A").stdout == "A is no longer merged into B\n"
    # B's 50% is now the latest that counts as C's: (0.5 - 1)^2
    assert briers(abc) == {"A": 0.81, "C": 0.25}
    assert merged_into(abc) == {"A": None, "B": "C", "C": None}
    abc.ok("forecaster", "unmerge", "B")
    assert briers(abc) == {"A": 0.81, "B": 0.25, "C": 0.01}


def test_a_chain_of_three_merges_comes_apart_one_merge_at_a_time(forecasts):
    abc = question(forecasts, ("D", "70%"))
    abc.ok("forecaster", "merge", "A", "into", "B")
    abc.ok("forecaster", "merge", "B", "into", "C")
    abc.ok("forecaster", "merge", "C", "into", "D")
    assert briers(abc) == {"D": 0.81}
    assert merged_into(abc) == {"A": "B", "B": "C", "C": "D", "D": None}
    assert abc.ok("forecaster", "unmerge", "C").stdout == "C is no longer merged into D\n"
    # (0.7 - 1)^2 = 0.09 for D alone
    assert briers(abc) == {"C": 0.81, "D": 0.09}
    assert merged_into(abc) == {"A": "B", "B": "C", "C": None, "D": None}
    abc.ok("forecaster", "unmerge", "B")
    assert briers(abc) == {"B": 0.81, "C": 0.01, "D": 0.09}
    abc.ok("forecaster", "unmerge", "A")
    assert briers(abc) == {"A": 0.81, "B": 0.25, "C": 0.01, "D": 0.09}


def test_the_sql_views_agree_after_a_merge_of_a_merge_is_undone(abc):
    import sqlite3

    abc.ok("forecaster", "merge", "A", "into", "B")
    abc.ok("forecaster", "merge", "B", "into", "C")
    abc.ok("forecaster", "unmerge", "B")
    con = sqlite3.connect(abc.db)
    rows = dict(con.execute("SELECT f.id, cf.name FROM current_forecasts f"
                            " JOIN current_forecasters cf ON cf.id = f.current_forecaster_id"
                            " WHERE f.question_id = 1"))
    con.close()
    assert rows == {1: "C", 2: "B", 3: "B"}


def test_merging_into_a_merged_forecaster_is_refused_and_writes_nothing(abc):
    abc.ok("forecaster", "merge", "A", "into", "B")
    before = abc.counts()
    result = abc("forecaster", "merge", "C", "into", "A")
    assert result.exit_code == 2
    assert result.stderr == "Error: A is merged into B: merge into that one\n"
    assert abc.counts() == before
