"""score --by and compare find a forecaster by an old name or a name merged into another, as
calibration, list and plot do."""

import pytest


@pytest.fixture
def renamed_and_merged(forecasts):
    """Carol, Bob and Dave on three questions; then Carol is renamed Carol King and Dave merged
    into Bob. Brier, by hand:

    Carol King: (0.8 - 1)^2 + (0.3 - 0)^2 + (0.9 - 1)^2 = 0.04 + 0.09 + 0.01 = 0.14, mean 0.14/3
    Bob (his 40% on Q1, Dave's 10% on Q2 and 60% on Q3): 0.36 + 0.01 + 0.16 = 0.53, mean 0.53/3
    """
    for text, carol, other, by, outcome in (("Q1", "80%", "40%", "Bob", "yes"),
                                            ("Q2", "30%", "10%", "Dave", "no"),
                                            ("Q3", "90%", "60%", "Dave", "yes")):
        forecasts.ok("add", text, "--by", "Carol", "-p", carol, "--on", "2025-01-01",
                     "--resolves", "2025-06-30")
        forecasts.ok("forecast", text[1], "--by", by, "-p", other, "--on", "2025-01-02")
        forecasts.ok("resolve", text[1], outcome, "--on", "2025-06-30")
    forecasts.ok("forecaster", "rename", "Carol", "Carol King")
    forecasts.ok("forecaster", "merge", "Dave", "into", "Bob")
    return forecasts


@pytest.mark.parametrize("name, shown, brier", [
    ("Carol", "Carol King", 0.14 / 3), ("carol king", "Carol King", 0.14 / 3),
    ("Dave", "Bob", 0.53 / 3), ("Bob", "Bob", 0.53 / 3)])
def test_score_by_an_old_or_merged_name_shows_the_forecasters_row(renamed_and_merged, name,
                                                                   shown, brier):
    rows = renamed_and_merged.json("score", "--by", name)
    assert [(r["forecaster"], r["questions"]) for r in rows] == [(shown, 3)]
    assert rows[0]["brier"] == pytest.approx(brier)
    table = renamed_and_merged.ok("score", "--by", name).stdout
    assert table.splitlines()[2].split()[:len(shown.split()) + 2] == [
        *shown.split(), "3", f"{brier:.3f}"]


def test_score_by_an_unknown_name_is_refused(renamed_and_merged):
    result = renamed_and_merged("score", "--by", "Nobody")
    assert result.exit_code == 2 and result.stderr == "Error: no forecaster named 'Nobody'\n"


def test_compare_by_an_old_name_compares_the_renamed_forecaster(renamed_and_merged):
    result = renamed_and_merged.json("compare", "Carol", "Dave")
    assert (result["first"], result["second"], result["shared_questions"]) == (
        "Carol King", "Bob", 3)
    assert result["first_brier"] == pytest.approx(0.14 / 3)
    assert result["second_brier"] == pytest.approx(0.53 / 3)
    assert result["difference"] == pytest.approx(0.14 / 3 - 0.53 / 3)  # -0.13
    # Carol King better on Q1 (0.04 < 0.36) and Q3 (0.01 < 0.16), Bob on Q2 (0.01 < 0.09)
    assert (result["first_better"], result["second_better"], result["ties"]) == (2, 1, 0)
    text = renamed_and_merged.ok("compare", "Carol", "Bob").stdout
    assert "Difference Carol King - Bob: -0.130" in text


def test_compare_of_a_name_and_the_name_merged_into_it_is_refused(renamed_and_merged):
    result = renamed_and_merged("compare", "Dave", "Bob")
    assert result.exit_code == 2
    assert result.stderr == "Error: 'Dave' and 'Bob' are the same forecaster: compare needs two\n"
