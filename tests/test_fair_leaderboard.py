"""Relative scores over shared questions only: a question nobody else answered says nothing
about being better or worse than the others, and a forecaster who shares none is unranked.
Through the CLI on real databases, against numpy/scipy computations written out here."""

import json

import numpy as np
import pytest
from scipy import stats


def load(forecasts, tmp_path, table, outcomes):
    """``table[name][q]``: that forecaster's probability on question q (missing: none)."""
    lines = []
    for q, outcome in enumerate(outcomes):
        lines.append({"type": "question", "id": f"q{q}", "text": f"Event {q}",
                      "resolves": "2025-06-30"})
        for name, row in table.items():
            if q in row:
                lines.append({"type": "forecast", "question": f"q{q}", "by": name,
                              "p": row[q], "made": "2025-01-01"})
        lines.append({"type": "resolution", "question": f"q{q}",
                      "outcome": "yes" if outcome else "no", "resolved": "2025-06-30"})
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    forecasts.ok("import", str(path))


def reference(table, outcomes):
    """Each forecaster's relative Brier and peer log score over shared questions, and the
    values averaged: worked out here with numpy."""
    values = {name: ([], []) for name in table}
    for q, outcome in enumerate(outcomes):
        who = [name for name in table if q in table[name]]
        if len(who) < 2:
            continue
        p = np.array([table[name][q] for name in who])
        brier = (p - outcome) ** 2
        log = np.log(np.clip(np.where(outcome, p, 1 - p), 0.01, 0.99))
        for i, name in enumerate(who):
            values[name][0].append(brier[i] - np.median(brier))
            others = np.delete(log, i)
            values[name][1].append(100 * (log[i] - others.mean()))
    return values


# Ann and Bob share q0-q3; Cy answers q4 and q5 alone; Dee shares q0 with them and has q6 and
# q7 to herself, both near-perfect calls that would pull a diluted mean towards 0.
TABLE = {"Ann": {0: 0.9, 1: 0.2, 2: 0.7, 3: 0.4},
         "Bob": {0: 0.6, 1: 0.5, 2: 0.6, 3: 0.3},
         "Cy": {4: 0.8, 5: 0.3},
         "Dee": {0: 0.1, 6: 0.99, 7: 0.01}}
OUTCOMES = [1, 0, 1, 0, 1, 0, 1, 0]


def test_relative_scores_average_the_shared_questions_only(forecasts, tmp_path):
    load(forecasts, tmp_path, TABLE, OUTCOMES)
    want = reference(TABLE, OUTCOMES)
    rows = {r["forecaster"]: r for r in forecasts.json("score")}
    for name in ("Ann", "Bob", "Dee"):
        relative, peer = want[name]
        assert rows[name]["shared_questions"] == len(relative)
        assert rows[name]["relative_brier"] == pytest.approx(np.mean(relative), abs=1e-12)
        assert rows[name]["peer_log_score"] == pytest.approx(np.mean(peer), abs=1e-9)
    # Dee: one shared question, a bad call; her two lone ones do not dilute it
    assert rows["Dee"]["questions"] == 3
    assert rows["Dee"]["relative_brier"] == pytest.approx(0.81 - np.median([0.01, 0.16, 0.81]))
    assert rows["Cy"]["relative_brier"] is None and rows["Cy"]["peer_log_score"] is None
    assert rows["Cy"]["relative_ci_low"] is None and rows["Cy"]["relative_ci_high"] is None
    assert rows["Cy"]["brier"] == pytest.approx(np.mean([0.04, 0.09]))


def test_a_forecaster_sharing_nothing_is_listed_unranked_after_the_ranked(forecasts, tmp_path):
    load(forecasts, tmp_path, TABLE, OUTCOMES)
    board = forecasts.json("leaderboard", "--min-questions", "1")
    want = reference(TABLE, OUTCOMES)
    ranked = sorted(("Ann", "Bob", "Dee"), key=lambda name: np.mean(want[name][0]))
    assert [r["forecaster"] for r in board] == [*ranked, "Cy"]
    assert [r["rank"] for r in board] == [1, 2, 3, None]
    assert board[-1]["unranked"] == "no question shared with another forecaster"
    assert all(r["unranked"] is None for r in board[:3])
    text = forecasts.ok("leaderboard", "--min-questions", "1").stdout
    cy_line = next(line for line in text.splitlines() if " Cy " in f" {line} ")
    assert "0.000" not in cy_line and "to" not in cy_line
    assert "Unranked, listed last: Cy (shares no question with another forecaster" in text
    assert "Unranked" not in forecasts.ok("leaderboard", "--min-questions", "3").stdout


def test_the_interval_is_over_the_shared_questions(forecasts, tmp_path):
    """Over 30 shared questions the interval is the normal one, mean +- z sd / sqrt(n) (sd with
    ddof=0, the bootstrap's plug-in), computed here on the shared questions alone; lone
    questions would narrow it with zeros."""
    rng = np.random.default_rng(5)
    n_shared, n_alone = 40, 25
    outcomes = (rng.uniform(size=n_shared + n_alone) < 0.5).astype(int).tolist()
    table = {"Ann": {q: float(np.round(rng.uniform(0.05, 0.95), 2))
                     for q in range(n_shared + n_alone)},
             "Bob": {q: float(np.round(rng.uniform(0.05, 0.95), 2)) for q in range(n_shared)}}
    load(forecasts, tmp_path, table, outcomes)
    relative = np.array(reference(table, outcomes)["Ann"][0])
    ann, = [r for r in forecasts.json("leaderboard", "--min-questions", "1") if r["forecaster"] == "Ann"]
    assert ann["questions"] == n_shared + n_alone and ann["shared_questions"] == n_shared
    half = stats.norm.ppf(0.975) * relative.std() / np.sqrt(relative.size)
    assert ann["relative_brier"] == pytest.approx(relative.mean(), abs=1e-12)
    assert ann["relative_ci_low"] == pytest.approx(relative.mean() - half, abs=1e-9)
    assert ann["relative_ci_high"] == pytest.approx(relative.mean() + half, abs=1e-9)


def test_predictionbook_lone_forecaster_is_unranked(forecasts, shared):
    """musashimaru has 22 scored questions in the two files and shares none of them: no
    relative Brier of 0.000 with an interval of "0.000 to 0.000", but a place after the
    ranked, with the reason."""
    for name in ("test-predictions.json", "valid-predictions.json"):
        forecasts.ok("import", str(shared / "data" / "predictionbook" / name))
    board = forecasts.json("leaderboard", "--min-questions", "20")
    by_name = {r["forecaster"]: r for r in board}
    lone = by_name["musashimaru"]
    assert lone["questions"] == 22 and lone["shared_questions"] == 0
    assert lone["rank"] is None and lone["relative_brier"] is None
    assert lone["relative_ci_low"] is None and lone["peer_log_score"] is None
    ranks = [r["rank"] for r in board]
    first_unranked = ranks.index(None)
    assert ranks[:first_unranked] == list(range(1, first_unranked + 1))
    assert all(r is None for r in ranks[first_unranked:])
    assert all(r["shared_questions"] > 0 for r in board[:first_unranked])
    text = forecasts.ok("leaderboard", "--min-questions", "20").stdout
    assert "musashimaru" in text.split("Unranked, listed last:")[1]
