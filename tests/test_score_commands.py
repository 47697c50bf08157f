"""score, leaderboard, compare and calibration through the CLI on real databases."""

import json

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, log_loss

from forecasts.cli import cli


def load(forecasts, tmp_path, lines):
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    forecasts.ok("import", str(path))


def panel(experts, table, outcomes, tags=None, made="2025-01-01", resolves="2025-06-30"):
    """Interchange lines: ``table[e][q]`` is expert e's probability on question q (None: none)."""
    lines = []
    for q, outcome in enumerate(outcomes):
        lines.append({"type": "question", "id": f"q{q}", "text": f"Event {q}",
                      "resolves": resolves, "tags": (tags or {}).get(q, [])})
        for e, name in enumerate(experts):
            if table[e][q] is not None:
                lines.append({"type": "forecast", "question": f"q{q}", "by": name,
                              "p": table[e][q], "made": made})
        lines.append({"type": "resolution", "question": f"q{q}",
                      "outcome": "yes" if outcome else "no", "resolved": resolves})
    return lines


@pytest.fixture
def reference(shared):
    data = json.loads((shared / "data" / "reference_vectors.json").read_text())
    return {case["name"]: case for case in data["cases"]}


def test_relative_and_peer_scores_match_the_reference(forecasts, tmp_path, reference):
    case = reference["relative_scores_shared_questions"]
    load(forecasts, tmp_path, panel(case["experts"], case["forecasts"], case["outcomes"]))
    rows = {r["forecaster"]: r for r in forecasts.json("score")}
    for i, name in enumerate(case["experts"]):
        expected = case["brier_minus_question_median"]["mean_per_expert"][i]
        assert rows[name]["relative_brier"] == pytest.approx(expected, abs=1e-12)
        peer = case["metaculus_peer_spot"]["mean_per_expert"][i]
        assert rows[name]["peer_log_score"] == pytest.approx(peer, abs=1e-9)


def test_score_fields_against_sklearn(forecasts, tmp_path):
    rng = np.random.default_rng(11)
    p = np.round(rng.uniform(0.02, 0.98, 40), 2)
    o = (rng.uniform(size=40) < p).astype(int)
    load(forecasts, tmp_path, panel(["Solo"], [p.tolist()], o.tolist()))
    (row,) = forecasts.json("score")
    assert row["questions"] == 40
    assert row["brier"] == pytest.approx(brier_score_loss(o, p), abs=1e-12)
    assert row["log_score"] == pytest.approx(-log_loss(o, p), abs=1e-12)
    assert row["skill_vs_chimp"] == pytest.approx(1 - brier_score_loss(o, p) / 0.25)
    base = o.mean()
    assert row["skill_vs_base_rate"] == pytest.approx(
        1 - brier_score_loss(o, p) / (base * (1 - base)))
    # alone on every question: nobody to be relative to
    assert row["relative_brier"] is None and row["peer_log_score"] is None
    assert row["brier_ci_low"] < row["brier"] < row["brier_ci_high"]
    doubled = forecasts.json("score", "--brier-scale", "2")[0]
    assert forecasts.json("score", "--scale", "2")[0] == doubled  # the old name still works
    assert doubled["brier"] == pytest.approx(2 * row["brier"]) and doubled["scale"] == "0-2"
    table = forecasts.ok("score", "--brier-scale", "2").stdout
    assert "0-2 scale" in table


def test_by_tag_and_lead_time_breakdowns(forecasts, tmp_path):
    lines = panel(["A", "B"], [[0.9, 0.2, 0.5], [0.6, 0.4, 0.5]], [1, 0, 1],
                  tags={0: ["politics"], 1: ["politics", "economy"], 2: []})
    load(forecasts, tmp_path, lines)
    rows = forecasts.json("score", "--by-tag")
    by_key = {(r["forecaster"], r["tag"]): r for r in rows}
    assert by_key[("A", "politics")]["questions"] == 2
    assert by_key[("A", "economy")]["brier"] == pytest.approx(0.04)
    assert by_key[("A", "(untagged)")]["brier"] == pytest.approx(0.25)
    lead = forecasts.json("score", "--by-lead-time")
    assert {r["lead_time"] for r in lead} == {"3 to 12 months"}
    assert "Tag" in forecasts.ok("score", "--by-tag").stdout


def test_score_by_one_forecaster_keeps_relative_scores_against_everyone(forecasts, tmp_path):
    load(forecasts, tmp_path, panel(["A", "B", "C"], [[0.9], [0.6], [0.2]], [1]))
    (row,) = forecasts.json("score", "--by", "a")
    assert row["forecaster"] == "A"
    assert row["relative_brier"] == pytest.approx(0.01 - 0.16)
    result = forecasts("score", "--by", "Nobody")
    assert result.exit_code == 2 and "Nobody" in result.stderr


def test_since_and_until_filter_on_resolution_date(forecasts, tmp_path):
    lines = panel(["A"], [[0.9]], [1], resolves="2025-03-01")
    lines += [dict(x, id="late", text="Late event", resolves="2025-09-01")
              if x["type"] == "question" else
              dict(x, question="late", **({"resolved": "2025-09-01"}
                                          if x["type"] == "resolution" else {}))
              for x in panel(["A"], [[0.3]], [1])]
    load(forecasts, tmp_path, lines)
    assert forecasts.json("score")[0]["questions"] == 2
    assert forecasts.json("score", "--since", "2025-06-01")[0]["brier"] == pytest.approx(0.49)
    assert forecasts.json("score", "--until", "2025-06-01")[0]["brier"] == pytest.approx(0.01)
    bad = forecasts("score", "--since", "2025-07-01", "--until", "2025-01-01")
    assert bad.exit_code == 2 and "after" in bad.stderr


def test_scores_do_not_change_when_unrelated_questions_are_added(forecasts, tmp_path):
    load(forecasts, tmp_path, panel(["A", "B"], [[0.9, 0.3], [0.6, 0.5]], [1, 0]))
    before = {r["forecaster"]: r for r in forecasts.json("score")}
    extra = [dict(x, id="other", text="Unrelated") if x["type"] == "question" else
             dict(x, question="other") for x in panel(["C"], [[0.7]], [1])]
    load(forecasts, tmp_path, extra)
    after = {r["forecaster"]: r for r in forecasts.json("score")}
    for name in ("A", "B"):
        for key in ("brier", "log_score", "relative_brier", "peer_log_score"):
            assert after[name][key] == pytest.approx(before[name][key])


def test_leaderboard_ranks_on_relative_brier(forecasts, tmp_path):
    experts = ["Sharp", "Middling", "Poor", "Dabbler"]
    table = [[0.9, 0.1, 0.8, 0.2], [0.7, 0.3, 0.6, 0.4], [0.4, 0.6, 0.5, 0.5],
             [None, None, None, 0.01]]
    load(forecasts, tmp_path, panel(experts, table, [1, 0, 1, 0]))
    rows = forecasts.json("leaderboard", "--min-questions", "1")
    # Dabbler's one near-perfect call beats the median of four by 0.0999, Sharp averages -0.085
    assert [r["forecaster"] for r in rows] == ["Dabbler", "Sharp", "Middling", "Poor"]
    assert rows[0]["relative_brier"] == pytest.approx(0.0001 - 0.10)
    assert rows[1]["relative_brier"] == pytest.approx(-0.085)
    ranked = forecasts.json("leaderboard", "--min-questions", "2")
    assert [r["forecaster"] for r in ranked] == ["Sharp", "Middling", "Poor"]
    assert [r["rank"] for r in ranked] == [1, 2, 3]
    assert "Relative Brier" in forecasts.ok("leaderboard", "--min-questions", "1").stdout


def test_compare_head_to_head(forecasts, tmp_path):
    load(forecasts, tmp_path, panel(["A", "B"], [[0.9, 0.2, 0.7, None], [0.6, 0.4, 0.7, 0.5]],
                                    [1, 0, 1, 1]))
    result = forecasts.json("compare", "A", "B")
    assert result["shared_questions"] == 3
    a = np.array([0.01, 0.04, 0.09])
    b = np.array([0.16, 0.16, 0.09])
    assert result["difference"] == pytest.approx((a - b).mean())
    assert result["first_better"] == 2 and result["ties"] == 1
    assert result["ci_low"] <= result["difference"] <= result["ci_high"]
    assert "shared questions" in forecasts.ok("compare", "A", "B").stdout
    missing = forecasts("compare", "A", "Nobody")
    assert missing.exit_code == 2 and "Nobody" in missing.stderr
    itself = forecasts("compare", "A", "a")
    assert itself.exit_code == 2 and "same forecaster" in itself.stderr
    assert len(itself.stderr.strip().splitlines()) == 1


def test_calibration_json_with_decomposition_adding_up(forecasts, tmp_path):
    rng = np.random.default_rng(3)
    p = np.round(rng.uniform(0, 1, 60), 2)
    o = (rng.uniform(size=60) < p).astype(int)
    load(forecasts, tmp_path, panel(["A"], [p.tolist()], o.tolist()))
    report = forecasts.json("calibration")
    for row in report["bins"]:
        assert {"forecaster", "lo", "hi", "n", "mean_forecast", "observed", "ci_low",
                "ci_high"} <= set(row)
    (parts,) = report["decomposition"]
    total = parts["reliability"] - parts["resolution"] + parts["uncertainty"] + parts["residual"]
    assert total == pytest.approx(brier_score_loss(o, p), abs=1e-12)
    assert parts["brier"] == pytest.approx(brier_score_loss(o, p), abs=1e-12)
    assert sum(r["n"] for r in report["bins"]) == 60
    text = forecasts.ok("calibration").stdout
    assert "Murphy decomposition" in text and "calibration index" in text


def test_calibration_fold_and_intervals(forecasts, tmp_path):
    load(forecasts, tmp_path, panel(["A"], [[0.1, 0.2, 0.8, 0.9]], [0, 1, 1, 1]))
    folded = forecasts.json("calibration", "--fold")["bins"]
    assert all(r["lo"] >= 0.45 for r in folded)
    assert sum(r["n"] for r in folded) == 4
    jeffreys = forecasts.json("calibration", "--interval", "jeffreys")["bins"]
    exact = forecasts.json("calibration", "--interval", "exact")["bins"]
    assert all(j["ci_low"] >= e["ci_low"] - 1e-12 for j, e in zip(jeffreys, exact))
    bad = forecasts("calibration", "--interval", "magic")
    assert bad.exit_code == 2


def test_time_averaged_scoring_carries_forecasts_forward(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.2", "--on", "2025-01-01",
                 "--resolves", "2025-01-11")
    forecasts.ok("forecast", "1", "--by", "A", "-p", "0.8", "--on", "2025-01-06")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-01-11")
    # days 1-5 at 0.2 score 0.64, days 6-10 at 0.8 score 0.04
    (row,) = forecasts.json("score", "--time-averaged")
    assert row["brier"] == pytest.approx((5 * 0.64 + 5 * 0.04) / 10)
    assert row["time_averaged"] is True
    assert forecasts.json("score")[0]["brier"] == pytest.approx(0.04)
    assert "time-averaged" in forecasts.ok("score", "--time-averaged").stdout


def test_time_averaged_scores_of_many_updates_match_the_single_pair_function(forecasts,
                                                                            tmp_path):
    import datetime

    from forecasts.scoring import time_averaged_brier

    rng = np.random.default_rng(3)
    start = datetime.date(2025, 1, 1)
    lines, expected = [], {}
    for q in range(6):
        multiple_choice = q == 5
        resolves = start + datetime.timedelta(days=int(rng.integers(20, 60)))
        outcome = int(rng.integers(0, 2))
        lines.append({"type": "question", "id": f"q{q}", "text": f"Event {q}",
                      "resolves": resolves.isoformat(),
                      **({"kind": "multiple_choice", "options": ["a", "b", "c"]}
                         if multiple_choice else {})})
        for name in ("Ann", "Bea", "Cy"):
            # updates on random days, some on the same day, one after the resolution date
            days = sorted(rng.integers(0, (resolves - start).days, size=4).tolist())
            days[2] = days[1]
            made = [start + datetime.timedelta(days=d) for d in days] + [resolves]
            probs = rng.dirichlet([2, 2, 2], size=5) if multiple_choice else \
                np.round(rng.uniform(0.05, 0.95, 5), 2)
            for day, p in zip(made, probs):
                forecast = {"type": "forecast", "question": f"q{q}", "by": name,
                            "made": day.isoformat()}
                if multiple_choice:
                    p = np.round(p, 3)
                    p[2] = round(1 - p[0] - p[1], 3)
                    forecast["probs"] = dict(zip("abc", p.tolist()))
                else:
                    forecast["p"] = float(p)
                lines.append(forecast)
            counted = [(d.isoformat(), p) for d, p in zip(made, probs) if d < resolves]
            dates, kept = zip(*counted)
            if multiple_choice:
                kept = [np.round(k, 3) for k in kept]
                for k in kept:
                    k[2] = round(1 - k[0] - k[1], 3)
            expected.setdefault(name, []).append(time_averaged_brier(
                list(dates), np.array(kept), outcome, cutoff=resolves.isoformat()))
        lines.append({"type": "resolution", "question": f"q{q}",
                      "outcome": "abc"[outcome] if multiple_choice else
                      ("yes" if outcome else "no"), "resolved": resolves.isoformat()})
    load(forecasts, tmp_path, lines)
    rows = {r["forecaster"]: r for r in forecasts.json("score", "--time-averaged")}
    for name, scores in expected.items():
        assert rows[name]["questions"] == 6
        assert rows[name]["late_forecasts"] == 6
        assert rows[name]["brier"] == pytest.approx(np.mean(scores), abs=1e-12)
    # the latest forecast alone scores differently
    latest = {r["forecaster"]: r["brier"] for r in forecasts.json("score")}
    assert all(latest[name] != pytest.approx(rows[name]["brier"]) for name in expected)


def test_calibration_by_tag_and_lead_time(forecasts, tmp_path):
    lines = panel(["A"], [[0.9, 0.2, 0.7]], [1, 0, 0], tags={0: ["x"], 1: ["x", "y"]})
    load(forecasts, tmp_path, lines)
    report = forecasts.json("calibration", "--by-tag")
    assert {(d["tag"], d["pairs"]) for d in report["decomposition"]} == {
        ("x", 2), ("y", 1), ("(untagged)", 1)}
    lead = forecasts.json("calibration", "--by-lead-time")
    assert {d["lead_time"] for d in lead["decomposition"]} == {"3 to 12 months"}
    assert forecasts("calibration", "--by-tag", "--by-lead-time").exit_code == 2


def test_sql_views_give_the_same_brier_as_the_cli(forecasts, tmp_path):
    import sqlite3

    load(forecasts, tmp_path, panel(["A", "B"], [[0.9, 0.3, None], [0.6, 0.5, 0.2]], [1, 0, 1]))
    forecasts.ok("forecast", "q0", "--by", "A", "-p", "0.99", "--on", "2025-12-01",
                 "--late")  # too late
    cli_scores = {r["forecaster"]: (r["questions"], r["brier"]) for r in forecasts.json("score")}
    con = sqlite3.connect(forecasts.db)
    view = {name: (n, brier) for name, n, brier in
            con.execute("select forecaster, questions, brier from forecaster_scores")}
    assert view.keys() == cli_scores.keys()
    for name, (n, brier) in view.items():
        assert n == cli_scores[name][0] and brier == pytest.approx(cli_scores[name][1])


def test_one_lucky_question_does_not_top_the_default_leaderboard(forecasts, tmp_path):
    experts = ["Lucky"] + [f"Steady {i}" for i in range(3)]
    table = [[1.0, None, None, None, None, None]] + [[0.7, 0.3, 0.6, 0.4, 0.7, 0.3]] * 3
    load(forecasts, tmp_path, panel(experts, table, [1, 0, 1, 0, 1, 0]))
    board = forecasts.json("leaderboard")
    assert [r["forecaster"] for r in board][:1] != ["Lucky"]
    assert "Lucky" not in {r["forecaster"] for r in board}
    text = forecasts.ok("leaderboard").stdout
    assert "Not listed: 1 forecaster with fewer than 5 scored questions" in text
    assert forecasts.json("leaderboard", "--min-questions", "1")[0]["forecaster"] == "Lucky"
    assert "No forecaster has 50 scored questions yet in" in forecasts.ok(
        "leaderboard", "--min-questions", "50").stdout


def test_tables_fit_the_width_and_spreadsheet_formats(forecasts, tmp_path, monkeypatch):
    load(forecasts, tmp_path, panel(["A", "B"], [[0.9, 0.2, 0.7], [0.6, 0.4, 0.2]], [1, 0, 1]))
    monkeypatch.setenv("FORECASTS_WIDTH", "80")
    narrow = forecasts.ok("score").stdout
    table = narrow.split("\n\n")[0].splitlines()
    assert all(len(line) <= 80 for line in table[:-1])
    assert "more columns at this width" in table[-1] and "--wide" in table[-1]
    wide = forecasts.ok("score", "--wide").stdout.split("\n\n")[0].splitlines()
    assert "Rec. after known" in wide[0] and max(map(len, wide)) > 80
    monkeypatch.delenv("FORECASTS_WIDTH")
    assert "Brier on the 0-1 scale" in forecasts.ok("score").stdout
    assert "Brier on the 0-1 scale" not in forecasts.ok("score", "--quiet").stdout
    tsv = forecasts.ok("score", "--tsv").stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["Forecaster", "Questions", "Brier"]
    assert len({len(line.split("\t")) for line in tsv}) == 1
    lines = forecasts.ok("score", "--nl").stdout.splitlines()
    assert [json.loads(line)["forecaster"] for line in lines] == ["A", "B"]
    both = forecasts("score", "--nl", "--csv")
    assert both.exit_code == 2 and "use just one of --csv or --nl" in both.output


def test_a_numeric_column_whose_first_cell_is_blank_is_right_aligned():
    from forecasts.output import render

    lines = render([{"who": "A", "score": None}, {"who": "B", "score": 0.5}],
                   [("who", "Who"), ("score", "A long score")]).splitlines()
    assert lines[0].endswith("A long score") and lines[3].endswith("0.5000")
    assert len(lines[3]) == len(lines[0])


def test_exit_codes_follow_the_readme_table(forecasts, tmp_path):
    forecasts.ok("add", "It rains in Berlin", "--by", "Ana", "-p", "70%", "--on", "2025-01-10",
                 "--resolves", "2025-03-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-03-01")
    cases = {
        ("show", "99"): 2,                                   # an unknown question
        ("score", "--by", "Nobody"): 2,                      # an unknown forecaster
        ("forecast", "1", "--by", "Ben", "-p", "150%"): 2,   # a bad probability
        ("resolve", "1", "no"): 2,                           # a correction without --correct
        ("score", "--json", "--csv"): 2,                     # options that exclude each other
    }
    for args, code in cases.items():
        result = forecasts(*args)
        assert result.exit_code == code, (args, result.output)
        assert result.output.startswith("Error: ") and "Traceback" not in result.output
    missing = forecasts.runner.invoke(cli, ["verify", "--db", str(tmp_path / "none.db")])
    assert missing.exit_code == 1 and "no database at" in missing.stderr
