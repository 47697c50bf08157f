"""Issue 16: an outcome is changed only on purpose (--correct), never dated ahead, and a forecast
made once the outcome is known (hindsight) is recorded only with --late and never scored."""

import datetime
import json

import pytest


@pytest.fixture
def resolved(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01", "--evidence", "first report")
    return forecasts


def test_changing_an_outcome_without_correct_is_refused_and_writes_nothing(resolved):
    before = resolved.counts()
    result = resolved("resolve", "1", "no", "--evidence", "changed my mind")
    assert result.exit_code == 2 and "--correct" in result.stderr
    assert "Traceback" not in result.output and resolved.counts() == before
    assert resolved.json("score")[0]["brier"] == pytest.approx(0.09)


def test_with_correct_the_outcome_is_corrected_and_the_history_kept(resolved):
    result = resolved.ok("resolve", "1", "no", "--correct", "--on", "2025-02-02")
    assert "Corrected question #1: yes -> no" in result.stdout
    assert [r["outcome"] for r in resolved.json("show", "1")["resolutions"]] == ["yes", "no"]
    assert resolved.json("score")[0]["brier"] == pytest.approx(0.49)
    assert resolved.ok("verify").exit_code == 0


@pytest.fixture
def updated_after_known(forecasts):
    """Eve says 90% on 03-01; the outcome is known on 04-01; a 20% made 05-01 counts for nothing.
    """
    forecasts.ok("add", "Cutoff test", "--by", "Eve", "-p", "90%", "--on", "2025-03-01",
                 "--resolves", "2025-06-30")
    forecasts.ok("forecast", "1", "--by", "Eve", "-p", "20%", "--on", "2025-05-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-04-01")
    assert forecasts.json("score")[0]["brier"] == pytest.approx((0.9 - 1) ** 2)  # 0.01
    return forecasts


def test_a_correction_without_on_keeps_the_date_the_outcome_became_known(updated_after_known):
    result = updated_after_known.ok("resolve", "1", "no", "--correct")
    assert result.stdout == ("Corrected question #1: yes -> no (on 2025-04-01, the date already "
                             "recorded: --on sets another; the earlier resolution stays in the "
                             "history)\n")
    assert [(r["outcome"], r["resolved"]) for r in
            updated_after_known.json("show", "1")["resolutions"]] == [
        ("yes", "2025-04-01"), ("no", "2025-04-01")]
    # still the 90% made before 04-01, now scored against no: (0.9 - 0)^2
    assert updated_after_known.json("score")[0]["brier"] == pytest.approx(0.81)


def test_a_correction_with_on_takes_that_date(updated_after_known):
    result = updated_after_known.ok("resolve", "1", "no", "--correct", "--on", "2025-05-15",
                                    "--json")
    assert json.loads(result.stdout)["date_kept"] is False
    assert json.loads(result.stdout)["resolved"] == "2025-05-15"
    # the cutoff moved past 05-01: the 20% is the latest in time, (0.2 - 0)^2
    assert updated_after_known.json("score")[0]["brier"] == pytest.approx(0.04)


def test_the_same_outcome_again_without_on_records_nothing_after_a_correction(
        updated_after_known):
    updated_after_known.ok("resolve", "1", "no", "--correct")
    before = updated_after_known.counts()
    result = updated_after_known.ok("resolve", "1", "no")
    assert result.stdout == ("Question #1 is already resolved as no on 2025-04-01: nothing "
                             "recorded\n")
    assert updated_after_known.counts() == before


def test_resolving_again_with_the_same_outcome_is_a_no_op_that_says_so(resolved):
    before = resolved.counts()
    result = resolved.ok("resolve", "1", "yes")
    assert "already resolved as yes" in result.stdout and "nothing recorded" in result.stdout
    assert resolved.counts() == before


def test_a_resolution_dated_after_today_is_refused(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-03-01")
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    before = forecasts.counts()
    result = forecasts("resolve", "1", "yes", "--on", tomorrow)
    assert result.exit_code == 2 and "in the future" in result.stderr
    assert forecasts.counts() == before


@pytest.mark.parametrize("made", ["2025-02-01", "2025-03-05"])
def test_a_forecast_made_on_or_after_the_resolution_needs_late(resolved, made):
    before = resolved.counts()
    result = resolved("forecast", "1", "--by", "B", "-p", "0.99", "--on", made)
    assert result.exit_code == 2 and "--late" in result.stderr and resolved.counts() == before
    resolved.ok("forecast", "1", "--by", "B", "-p", "0.99", "--on", made, "--late")
    assert resolved.counts()["forecasts"] == before["forecasts"] + 1
    assert [r["forecaster"] for r in resolved.json("score")] == ["A"]


def test_a_forecast_entered_after_the_outcome_is_recorded_needs_late(resolved):
    """Dated before the cutoff, but typed once the outcome is in the database: hindsight."""
    result = resolved("forecast", "1", "--by", "B", "-p", "0.99", "--on", "2025-01-15")
    assert result.exit_code == 2 and "already resolved" in result.stderr
    result = resolved("add", "Event", "--by", "B", "-p", "0.99", "--on", "2025-01-15")
    assert result.exit_code == 2 and "--late" in result.stderr
    resolved.ok("add", "Event", "--by", "B", "-p", "0.99", "--on", "2025-01-15", "--late")
    assert [r["forecaster"] for r in resolved.json("score")] == ["A"]


def test_a_forecast_after_an_unresolved_questions_deadline_needs_late(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    result = forecasts("forecast", "1", "--by", "A", "-p", "0.9", "--on", "2025-02-01")
    assert result.exit_code == 2 and "--late" in result.stderr


def test_resolving_says_how_many_forecasts_came_too_late_to_score(forecasts):
    forecasts.ok("add", "Q", "--by", "A", "-p", "90%", "--on", "2026-01-01",
                 "--resolves", "2026-06-01")
    forecasts.ok("forecast", "1", "--by", "B", "-p", "10%", "--on", "2026-03-01")
    result = forecasts("resolve", "1", "no", "--on", "2026-02-01")  # a typo for 2026-12-01?
    assert result.exit_code == 0
    assert result.stderr.strip() == ("Note: 1 forecast on it was made on or after 2026-02-01, "
                                     "once the outcome could be known, and is not scored")
    assert [r["forecaster"] for r in forecasts.json("score")] == ["A"]
    assert forecasts.json("resolve", "1", "yes", "--on", "2026-06-01",
                          "--correct")["made_after_cutoff"] == 0
