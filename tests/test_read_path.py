"""The scoring commands' read path: the one-pass selection of scored forecasts against the rule
written as plain SQL, the table renderer against tabulate, and what the commands import."""

import json
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

from forecasts import tracker
from forecasts.baseline import add_baseline
from forecasts.output import simple_table
from forecasts.store import Store

# The scoring rule as one SQL statement (what Store.scored_forecasts ran before it read the
# forecasts in one pass): each forecaster's latest forecast on each resolved question that is
# neither ambiguous nor annulled, made before the cutoff and recorded no later than the first
# resolution (a baseline is exempt).
RULE = """
    WITH cr AS (
      SELECT r.*, m.first_recorded FROM resolutions r
      JOIN (SELECT question_id, max(id) AS id, min(recorded) AS first_recorded
            FROM resolutions GROUP BY question_id) m ON m.id = r.id
    )
    SELECT f.id, f.question_id, fr.name, f.made, f.p_ppm, cr.outcome,
           min(coalesce(q.resolves, cr.resolved), cr.resolved) AS cutoff
    FROM cr
    JOIN questions q ON q.id = cr.question_id
    JOIN forecasts f ON f.question_id = cr.question_id
    JOIN forecasters fr ON fr.id = f.forecaster_id
    WHERE cr.outcome NOT IN ('ambiguous', 'annulled')
      AND f.made < min(coalesce(q.resolves, cr.resolved), cr.resolved)
      AND (f.recorded <= cr.first_recorded OR fr.kind = 'baseline')
    ORDER BY f.question_id, f.forecaster_id, f.made, f.id
"""
# What is left out: late forecasts (made on or after the cutoff, or recorded after the first
# resolution, unless a baseline's) and the void questions each forecaster forecast.
LEFT_OUT = """
    SELECT fr.name AS forecaster,
      sum(cr.outcome NOT IN ('ambiguous', 'annulled')
          AND (f.made >= min(coalesce(q.resolves, cr.resolved), cr.resolved)
               OR (f.recorded > (SELECT min(r.recorded) FROM resolutions r
                                 WHERE r.question_id = f.question_id)
                   AND fr.kind != 'baseline'))) AS late,
      count(DISTINCT CASE WHEN cr.outcome IN ('ambiguous', 'annulled')
            THEN f.question_id END) AS void_questions
    FROM forecasts f
    JOIN forecasters fr ON fr.id = f.forecaster_id
    JOIN questions q ON q.id = f.question_id
    JOIN current_resolutions cr ON cr.question_id = f.question_id
    GROUP BY fr.name ORDER BY fr.name
"""


def awkward_store(path):
    """Repeated forecasts (on one day too), late ones, forecasts recorded after the outcome,
    baselines, corrections (to another outcome, to void and back), a question without a date,
    multiple choice and names that sort differently by case."""
    store = Store.open(str(path))
    for q in range(6):
        tracker.add(store, f"Event {q}", by="Ana", probabilities=["30%"], on="2025-01-01",
                    resolves="2025-06-01", tags=["t"] if q % 2 else [])
        tracker.forecast(store, str(q + 1), by="bob", probabilities=["60%"], on="2025-02-01")
        tracker.forecast(store, str(q + 1), by="bob", probabilities=["65%"], on="2025-02-01")
        tracker.forecast(store, str(q + 1), by="Zed", probabilities=["10%"], on="2025-05-01")
        tracker.forecast(store, str(q + 1), by="Ana", probabilities=["40%"], on="2025-07-01",
                         late=True)
    tracker.add(store, "Colour", by="Ana", probabilities=["red=50%", "green=30%", "blue=20%"],
                on="2025-01-01", resolves="2025-06-01", options=["red", "green", "blue"])
    tracker.forecast(store, "colour", by="bob", probabilities=["red=10%", "green=80%",
                                                               "blue=10%"], on="2025-01-05")
    tracker.add(store, "Undated", by="Zed", probabilities=["70%"], on="2025-01-01")
    for q, outcome, on in ((1, "yes", "2025-06-01"), (2, "no", "2025-04-01"),
                           (3, "ambiguous", "2025-06-01"), (4, "yes", "2025-06-01"),
                           (5, "no", "2025-06-01"), ("colour", "green", "2025-05-01"),
                           ("undated", "yes", "2025-03-01")):
        tracker.resolve(store, str(q), outcome, on=on)
    tracker.forecast(store, "1", by="Cy", probabilities=["99%"], on="2025-01-02",
                     late=True)  # hindsight
    tracker.resolve(store, "1", "no", on="2025-06-01", correct=True)  # a correction
    tracker.resolve(store, "4", "annulled", on="2025-06-01", correct=True)
    tracker.resolve(store, "5", "yes", on="2025-05-15", correct=True)
    add_baseline(store, "Always half", constant="0.5")
    return store


def test_scored_forecasts_follow_the_rule_written_in_sql(tmp_path):
    store = awkward_store(tmp_path / "a.db")
    expected = store.db.execute(RULE).fetchall()
    latest = [row for row, after in zip(expected, expected[1:] + [None])
              if after is None or after[1:3] != row[1:3]]
    for rows, wanted in ((store.scored_forecasts(latest_only=False), expected),
                         (store.scored_forecasts(), latest)):
        wanted = sorted(wanted, key=lambda row: row[2])  # by name, stable
        assert [(r["id"], r["question_id"], r["forecaster"], r["made"], r["p_ppm"],
                 r["outcome"], r["cutoff"]) for r in rows] == wanted
    mc = [r for r in store.scored_forecasts() if r["kind"] == "multiple_choice"]
    assert [(r["option_ppm"], r["outcome_index"]) for r in mc] == [
        ([500000, 300000, 200000], 1), ([100000, 800000, 100000], 1)]
    left_out = [(r["forecaster"], r["late"], r["void_questions"])
                for r in store.unscored_counts()]
    assert left_out == store.db.execute(LEFT_OUT).fetchall()
    assert ("Cy", 1, 0) in left_out  # recorded after the outcome


def test_columns_and_rows_give_the_same_scores(tmp_path):
    from forecasts.scorecard import calibration_report, score_table

    store = awkward_store(tmp_path / "a.db")
    columns = store.scored_columns(dates=True)
    rows = store.scored_forecasts()
    tags = store.tags_by_question()
    for options in ({}, {"by_tag": True}, {"by_lead_time": True}, {"forecaster": "BOB"}):
        assert score_table(columns, tags, **options) == score_table(rows, tags, **options)
    assert calibration_report(columns, tags_by_question=tags) == calibration_report(
        rows, tags_by_question=tags)


ascii_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.tuples(
    st.lists(ascii_text, min_size=n, max_size=n),
    st.lists(st.lists(st.one_of(ascii_text, st.integers(-10**6, 10**6), st.booleans(),
                                st.sampled_from(["", " ", "True", "1.50", " x "])),
                      min_size=n, max_size=n), min_size=1, max_size=6),
    st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n))))
def test_simple_table_is_tabulate(case):
    headers, table, align = case
    assert simple_table(table, headers, align) == tabulate(
        table, headers=headers, disable_numparse=True, colalign=align)


def test_other_text_goes_to_tabulate():
    table = [["Zoë", "東京"], ["line\nbreak", "x"]]
    assert simple_table(table, ["a", "b"], ["left", "right"]) == tabulate(
        table, headers=["a", "b"], disable_numparse=True, colalign=["left", "right"])


READ = """
import json, sys
from forecasts.cli import cli
for command in ("score", "leaderboard", "calibration"):
    try:
        cli([command, "--db", sys.argv[1]], standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps(sorted(({m.split(".")[0] for m in sys.modules} & {"scipy", "sqlite_utils",
                                                                   "tabulate", "matplotlib",
                                                                   "tempfile"})
                        | ({"numpy.ma"} & set(sys.modules)))))
"""


def test_scoring_commands_load_no_scipy_sqlite_utils_or_tabulate(forecasts, tmp_path):
    # nor numpy.ma (np.unique's first plain call loads it) or tempfile: start-up is most of a
    # small report's time
    forecasts.ok("add", "Event", "--by", "A", "-p", "70%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("forecast", "1", "--by", "B", "-p", "20%", "--on", "2025-01-02")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    result = subprocess.run([sys.executable, "-c", READ, forecasts.db], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert "Brier" in result.stdout
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
