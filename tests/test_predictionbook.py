"""PredictionBook: credences over time, revised judgements, changed deadlines; the real shared
files when they are present."""

import json
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "predictionbook.json"


def test_predictions_become_questions_forecasts_and_judgements(forecasts):
    result = forecasts.json("import", str(FIXTURE))
    assert (result["question"], result["forecast"], result["resolution"]) == (4, 6, 6)
    bridge = forecasts.json("show", "predictionbook-9001")
    # a changed deadline changes the resolution date
    assert bridge["question"]["resolves"] == "2015-04-01"
    assert bridge["question"]["opens"] == "2015-01-10"
    # credences are percent, by the user who gave them, at their time
    assert [(f["forecaster"], f["p_ppm"], f["recorded"]) for f in bridge["forecasts"]] == [
        ("ann", 700000, "2015-01-10T08:00:00+00:00"), ("bob", 400000, "2015-01-12T09:30:00+00:00"),
        ("ann", 800000, "2015-02-01T10:00:00+00:00")]
    # revised judgements: the latest stands, the first is its history
    assert [r["outcome"] for r in bridge["resolutions"]] == ["no", "yes"]
    assert forecasts.json("show", "predictionbook-9001")["question"]["outcome"] == "yes"


def test_unknown_voids_and_listed_outcomes_without_judgement(forecasts):
    forecasts.ok("import", str(FIXTURE))
    vote = forecasts.json("show", "predictionbook-9003")
    assert [r["outcome"] for r in vote["resolutions"]] == ["yes", "annulled"]
    marathon = forecasts.json("show", "predictionbook-9002")
    assert [(r["outcome"], r["resolved"]) for r in marathon["resolutions"]] == [("no", "2016-06-01")]
    # due before it was made: kept, with no forecast scored
    sales = forecasts.json("show", "predictionbook-9004")
    assert sales["question"]["opens"] is None and sales["forecasts"][0]["late"]
    scores = {r["forecaster"]: r for r in forecasts.json("score")}
    assert scores["ann"]["brier"] == pytest.approx(0.2 ** 2)  # her latest, 80%, on a yes
    assert scores["bob"]["questions"] == 2  # the bridge (40%, yes) and the marathon (90%, no)
    assert scores["bob"]["brier"] == pytest.approx((0.6 ** 2 + 0.9 ** 2) / 2)
    assert "cy" not in scores  # voided, and too late


def test_a_listed_outcome_due_after_today_is_dated_by_its_last_response(forecasts, tmp_path):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    marathon = next(p for p in data if p["number"] == 9002)
    marathon["time_known"] = "2914-06-01 12:00:00+00:00"  # known long before this deadline
    last = max(r["time"] for r in marathon["responses"])[:10]
    path = tmp_path / "pb.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    forecasts.ok("import", "--format", "predictionbook", str(path))
    shown = forecasts.json("show", "predictionbook-9002")
    assert [(r["outcome"], r["resolved"]) for r in shown["resolutions"]] == [("no", last)]
    assert shown["question"]["resolves"] == "2914-06-01"


def test_reimport_adds_nothing(forecasts):
    forecasts.ok("import", str(FIXTURE))
    before = forecasts.counts()
    again = forecasts.json("import", "--format", "predictionbook", str(FIXTURE))
    assert (again["question"], again["forecast"], again["resolution"]) == (0, 0, 0)
    assert forecasts.counts() == before


@pytest.mark.parametrize("change, message", [
    (lambda d: d[0]["responses"][0]["actions"].update(credence=170), "'credence' must be"),
    (lambda d: d[0]["responses"][4]["actions"].update(outcome="maybe"), "a judgement is right"),
    (lambda d: d[1].pop("time_known"), "has no 'time_known'"),
    (lambda d: d[2].update(time_created="soon"), "'time_created' is not a time"),
    (lambda d: d[3].update(outcome="unknown"), "'outcome' must be right or wrong"),
])
def test_bad_files_are_refused_with_nothing_written(forecasts, tmp_path, change, message):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    change(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    result = forecasts("import", "--format", "predictionbook", str(bad))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "nothing was imported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert forecasts.counts() == {}


def test_not_json_or_not_a_list_is_refused(forecasts, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"predictions": []}')
    result = forecasts("import", "--format", "predictionbook", str(bad))
    assert result.exit_code == 2 and "expected a JSON list of predictions" in result.stderr
    bad.write_text("[{")
    result = forecasts("import", "--format", "predictionbook", str(bad))
    assert result.exit_code == 2 and "is not valid JSON" in result.stderr
    assert forecasts.counts() == {}


@pytest.mark.parametrize("name, predictions, credences", [
    ("test-predictions.json", 1201, 2192), ("valid-predictions.json", 1202, 2211)])
def test_shared_files(forecasts, shared, name, predictions, credences):
    path = shared / "data" / "predictionbook" / name
    result = forecasts.json("import", str(path))  # detected, not named
    assert result["question"] == predictions and result["forecast"] == credences
    summary = result["predictionbook"]
    assert summary["read"]["credence"] == credences
    before = forecasts.counts()
    forecasts.ok("import", str(path))
    assert forecasts.counts() == before
    board = forecasts.json("leaderboard", "--min-questions", "20")
    assert len(board) >= 5
    assert all(row["questions"] >= 20 for row in board)
