"""forecasts aggregate after corrections: it pools the forecasts as retractions, reassignments,
merges and amendments leave them, and running it again brings it up to date; and a --tag no
question has is refused by aggregate and baseline."""

import pytest


def question(forecasts, *forecasts_by, resolves="2026-06-01"):
    """Question #1 with one forecast per (forecaster, probability, made), in that order (they
    are numbered #1, #2, ...)."""
    (who, p, made), *rest = forecasts_by
    forecasts.ok("add", "Agg test", "--by", who, "-p", p, "--on", made, "--resolves", resolves)
    for who, p, made in rest:
        forecasts.ok("forecast", "1", "--by", who, "-p", p, "--on", made)


def pooled(forecasts, name="Med"):
    """The aggregate's forecasts on question #1 in the order recorded: (made, p_ppm, p_text)."""
    return [(f["made"], f["p_ppm"], f["p_text"]) for f in sorted(
        forecasts.json("show", "1")["forecasts"], key=lambda f: f["id"])
        if f["forecaster"] == name]


def aggregate(forecasts, *args, name="Med"):
    return forecasts.json("aggregate", name, *args)


ABC = (("A", "90%", "2026-01-01"), ("B", "40%", "2026-01-02"), ("C", "10%", "2026-01-03"))


def test_a_reassigned_forecast_counts_for_its_new_forecaster(forecasts):
    question(forecasts, *ABC)
    forecasts.ok("reassign", "3", "--to", "B", "--reason", "it was B's")
    aggregate(forecasts)
    # B's latest is now the 10% (#3): the median of A 90% and B 10%
    assert pooled(forecasts) == [("2026-01-03", 500_000, "median of 2 forecasts (#1,#3)")]


def test_a_run_after_a_reassignment_brings_the_aggregate_up_to_date(forecasts):
    question(forecasts, *ABC)
    assert aggregate(forecasts)["added"] == 1  # median of 90%, 40%, 10%
    forecasts.ok("reassign", "3", "--to", "B", "--reason", "it was B's")
    assert aggregate(forecasts)["added"] == 1
    assert pooled(forecasts) == [("2026-01-03", 400_000, "median of 3 forecasts (#1,#2,#3)"),
                                 ("2026-01-03", 500_000, "median of 2 forecasts (#1,#3)")]
    again = aggregate(forecasts)
    assert (again["added"], again["unchanged"]) == (0, 1)
    forecasts.ok("resolve", "1", "yes", "--on", "2026-06-01")
    scores = {row["forecaster"]: row for row in forecasts.json("score")}
    assert scores["Med"]["brier"] == pytest.approx((1 - 0.5) ** 2)  # the 50% is scored


def test_a_retracted_forecast_is_left_out_and_undoing_it_brings_it_back(forecasts):
    question(forecasts, ("A", "90%", "2026-01-01"), ("B", "40%", "2026-01-02"))
    aggregate(forecasts)  # median of 90% and 40%
    forecasts.ok("retract", "1", "--reason", "typed 90% for 9%")
    assert aggregate(forecasts)["added"] == 1
    forecasts.ok("retract", "1", "--undo", "--reason", "it was 90% after all")
    assert aggregate(forecasts)["added"] == 1
    assert pooled(forecasts) == [("2026-01-02", 650_000, "median of 2 forecasts (#1,#2)"),
                                 ("2026-01-02", 400_000, "median of 1 forecasts (#2)"),
                                 ("2026-01-02", 650_000, "median of 2 forecasts (#1,#2)")]


def test_taking_back_the_latest_input_dates_the_new_pool_as_the_one_it_replaces(forecasts):
    question(forecasts, ("A", "90%", "2026-01-01"), ("B", "40%", "2026-01-02"),
             ("A", "70%", "2026-01-05"))
    aggregate(forecasts)  # A's latest 70% and B's 40%: 55%, made 2026-01-05
    forecasts.ok("retract", "3", "--reason", "A did not say 70%")
    aggregate(forecasts)
    # A's latest is the 90% again: median of 90% and 40% is 65%. Its inputs were made by
    # 2026-01-02, but dated so it is the latest, it replaces the 55% of 2026-01-05.
    assert pooled(forecasts) == [("2026-01-05", 550_000, "median of 2 forecasts (#3,#2)"),
                                 ("2026-01-05", 650_000, "median of 2 forecasts (#1,#2)")]
    forecasts.ok("resolve", "1", "yes", "--on", "2026-06-01")
    scores = {row["forecaster"]: row for row in forecasts.json("score")}
    assert scores["Med"]["brier"] == pytest.approx((1 - 0.65) ** 2)
    again = aggregate(forecasts)
    assert (again["added"], again["unchanged"]) == (0, 1)


def test_a_merged_forecasters_forecasts_count_for_the_one_it_was_merged_into(forecasts):
    question(forecasts, *ABC)
    forecasts.ok("forecaster", "merge", "C", "into", "A")
    result = aggregate(forecasts)
    # A's latest is C's 10% of 2026-01-03: the median of A 10% and B 40%
    assert (result["inputs"], result["added"]) == (2, 1)
    assert pooled(forecasts) == [("2026-01-03", 250_000, "median of 2 forecasts (#3,#2)")]
    forecasts.ok("forecaster", "unmerge", "C")
    aggregate(forecasts)  # C on its own again: the median of 90%, 40% and 10%
    assert pooled(forecasts)[-1] == ("2026-01-03", 400_000, "median of 3 forecasts (#1,#2,#3)")


def test_a_forecast_reassigned_away_from_the_chosen_forecasters_is_not_pooled(forecasts):
    question(forecasts, *ABC)
    forecasts.ok("reassign", "2", "--to", "D", "--reason", "it was D's")
    aggregate(forecasts, "--by", "A", "--by", "B", "--by", "C")
    # B has no forecast left: the median of A 90% and C 10%
    assert pooled(forecasts) == [("2026-01-03", 500_000, "median of 2 forecasts (#1,#3)")]


def test_a_pool_left_with_too_few_forecasts_is_counted(forecasts):
    question(forecasts, ("A", "90%", "2026-01-01"), ("B", "40%", "2026-01-02"))
    aggregate(forecasts, "--min-forecasters", "2")
    forecasts.ok("retract", "2", "--reason", "not B's forecast")
    result = aggregate(forecasts, "--min-forecasters", "2")
    assert (result["added"], result["too_few_forecasters"], result["no_longer_pooled"]) == \
        (0, 1, 1)
    assert pooled(forecasts) == [("2026-01-02", 650_000, "median of 2 forecasts (#1,#2)")]


def test_an_amended_resolution_date_moves_the_cutoff(forecasts):
    question(forecasts, ("A", "90%", "2026-01-01"), ("B", "40%", "2026-01-10"))
    aggregate(forecasts)  # median of 90% and 40%, made 2026-01-10
    forecasts.ok("amend", "1", "--resolves", "2026-01-05", "--reason", "the vote was earlier")
    aggregate(forecasts)
    # B's forecast is on or after the new cutoff, and so is the first pool: only A's 90%
    assert pooled(forecasts) == [("2026-01-10", 650_000, "median of 2 forecasts (#1,#2)"),
                                 ("2026-01-01", 900_000, "median of 1 forecasts (#1)")]


def test_a_forecast_recorded_after_the_resolution_is_still_left_out(forecasts):
    question(forecasts, ("A", "90%", "2026-01-01"), ("B", "40%", "2026-01-02"),
             ("C", "10%", "2026-01-03"))
    forecasts.ok("resolve", "1", "no", "--on", "2026-06-01")
    forecasts.ok("forecast", "1", "--by", "C", "-p", "1%", "--on", "2026-01-04", "--late")
    forecasts.ok("forecaster", "merge", "C", "into", "B")
    aggregate(forecasts)
    # B's latest that counts is C's 10% (the 1% was recorded after the outcome): 90% and 10%
    assert pooled(forecasts) == [("2026-01-03", 500_000, "median of 2 forecasts (#1,#3)")]


@pytest.mark.parametrize("args", [["aggregate", "Pool", "--tag", "wrok"],
                                  ["baseline", "Z", "--constant", "0.3", "--tag", "nonexist"]])
def test_a_tag_no_question_has_is_refused_and_writes_nothing(forecasts, args):
    question(forecasts, *ABC)
    before = forecasts.counts()
    result = forecasts(*args)
    assert result.exit_code == 2, result.output
    assert result.output.strip() == f"Error: --tag: no question is tagged {args[-1]!r}"
    assert forecasts.counts() == before
    assert args[1] not in [row["name"] for row in forecasts.json("forecaster", "list")]
