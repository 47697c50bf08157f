"""forecasts aggregate: pooled forecasters through the CLI on real databases, against numpy
computations written here, and the published ForecastBench superforecaster median row."""

import collections
import json
import sqlite3

import numpy as np
import pytest

from forecasts import pooling

EXPERTS = ["Ann", "Bob", "Cy", "Dee"]
# table[e][q]: expert e's probability on question q (None: no forecast)
TABLE = [[0.6, 0.1, 0.95, None, 0.5],
         [0.9, 0.3, 1.0, 0.2, 0.4],
         [0.7, 0.2, 0.8, 0.3, None],
         [0.8, 0.05, 0.9, None, None]]
OUTCOMES = [1, 0, 1, 0, 1]


def load(forecasts, tmp_path, lines, name="data.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    forecasts.ok("import", str(path))


def panel(made="2025-01-01", resolves="2025-06-30", outcomes=OUTCOMES):
    lines = [{"type": "forecaster", "name": name, "kind": "person"} for name in EXPERTS]
    lines.append({"type": "forecaster", "name": "Crowdy", "kind": "crowd"})
    for q, outcome in enumerate(outcomes):
        lines.append({"type": "question", "id": f"q{q}", "text": f"Event {q}",
                      "opens": "2024-12-01", "resolves": resolves, "tags": ["t"] if q < 3 else []})
        for e, name in enumerate(EXPERTS):
            if TABLE[e][q] is not None:
                lines.append({"type": "forecast", "question": f"q{q}", "by": name,
                              "p": TABLE[e][q], "made": made})
        lines.append({"type": "forecast", "question": f"q{q}", "by": "Crowdy", "p": 0.5,
                      "made": made})
        if outcome is not None:
            lines.append({"type": "resolution", "question": f"q{q}",
                          "outcome": "yes" if outcome else "no", "resolved": resolves})
    return lines


def column(q):
    return np.array([TABLE[e][q] for e in range(len(EXPERTS)) if TABLE[e][q] is not None])


def logit(p):
    p = np.clip(p, 0.001, 0.999)
    return np.log(p / (1 - p))


EXPECTED = {  # independent numpy versions of each pool
    "median": lambda p, a: float(np.median(p)),
    "mean": lambda p, a: float(np.mean(p)),
    "geometric-mean-odds": lambda p, a: float(1 / (1 + np.exp(-np.mean(logit(p))))),
    "extremized": lambda p, a: float(1 / (1 + np.exp(-a * np.mean(logit(p))))),
}


def stored(forecasts, name):
    con = sqlite3.connect(forecasts.db)
    rows = con.execute("SELECT q.slug, f.p_ppm, f.made, f.p_text FROM forecasts f"
                       " JOIN questions q ON q.id = f.question_id"
                       " JOIN forecasters fr ON fr.id = f.forecaster_id WHERE fr.name = ?"
                       " ORDER BY f.id", [name]).fetchall()
    con.close()
    return rows


@pytest.mark.parametrize("method,alpha", [("median", None), ("mean", None),
                                          ("geometric-mean-odds", None), ("extremized", 2.0),
                                          ("extremized", None)])
def test_each_method_pools_the_latest_forecasts_as_numpy_does(forecasts, tmp_path, method,
                                                              alpha):
    load(forecasts, tmp_path, panel())
    args = ["aggregate", "Pool", "--method", method, "--of-kind", "person"]
    if alpha:
        args += ["--alpha", str(alpha)]
    result = forecasts.json(*args)
    assert result["added"] == 5 and result["inputs"] == 4
    a = alpha or 2.5
    for slug, p_ppm, made, text in stored(forecasts, "Pool"):
        q = int(slug[1:])
        assert p_ppm == round(EXPECTED[method](column(q), a) * 1e6)
        assert made == "2025-01-01"
        assert text.startswith(f"{method} of {column(q).size} forecasts (#")
    # the pool is scored like anyone else, against the same outcomes
    row, = [r for r in forecasts.json("score") if r["forecaster"] == "Pool"]
    pooled = np.array([EXPECTED[method](column(q), a) for q in range(5)])
    assert row["questions"] == 5
    assert row["brier"] == pytest.approx(np.mean((pooled - OUTCOMES) ** 2), abs=1e-6)
    con = sqlite3.connect(forecasts.db)
    kind, role = con.execute("SELECT kind, role FROM forecasters WHERE name = 'Pool'").fetchone()
    assert kind == "aggregate" and "every forecaster of kind person" in role


def test_a_second_run_adds_nothing_and_a_new_forecast_updates_the_pool(forecasts, tmp_path):
    load(forecasts, tmp_path, panel(outcomes=[None] * 5))
    forecasts.ok("aggregate", "Median", "--of-kind", "person")
    before = forecasts.counts()
    again = forecasts.json("aggregate", "Median", "--of-kind", "person")
    assert again["added"] == 0 and again["unchanged"] == 5
    assert forecasts.counts() == before
    forecasts.ok("forecast", "q0", "--by", "Ann", "-p", "0.99", "--on", "2025-02-01")
    update = forecasts.json("aggregate", "Median", "--of-kind", "person")
    assert update["added"] == 1 and update["unchanged"] == 4
    latest = [r for r in stored(forecasts, "Median") if r[0] == "q0"][-1]
    assert latest[1] == round(np.median([0.99, 0.9, 0.7, 0.8]) * 1e6)
    assert latest[2] == "2025-02-01"  # made when its latest input was


def test_by_names_tag_and_min_forecasters(forecasts, tmp_path):
    load(forecasts, tmp_path, panel())
    result = forecasts.json("aggregate", "AB", "--by", "Ann", "--by", "Bob", "--method", "mean",
                            "--min-forecasters", "2")
    assert result["added"] == 4 and result["too_few_forecasters"] == 1  # q3: only Bob
    assert {slug: p for slug, p, _, _ in stored(forecasts, "AB")} == {
        "q0": 750000, "q1": 200000, "q2": 975000, "q4": 450000}
    tagged = forecasts.json("aggregate", "Tagged", "--of-kind", "person", "--tag", "t")
    assert tagged["added"] == 3
    # the default pools everyone but baselines and aggregates: the crowd too
    everyone = forecasts.json("aggregate", "All", "--method", "mean")
    assert everyone["inputs"] == 5
    q0 = [p for slug, p, _, _ in stored(forecasts, "All") if slug == "q0"][0]
    assert q0 == round(np.mean([0.6, 0.9, 0.7, 0.8, 0.5]) * 1e6)


def test_multiple_choice_pools_each_option_and_renormalises(forecasts, tmp_path):
    probs = [{"a": 0.5, "b": 0.3, "c": 0.2}, {"a": 0.2, "b": 0.2, "c": 0.6},
             {"a": 0.7, "b": 0.1, "c": 0.2}]
    lines = [{"type": "question", "id": "mc", "text": "Which one", "kind": "multiple_choice",
              "options": ["a", "b", "c"], "opens": "2025-01-01", "resolves": "2025-06-30"}]
    lines += [{"type": "forecast", "question": "mc", "by": name, "probs": p,
               "made": "2025-01-02"} for name, p in zip(EXPERTS, probs)]
    lines.append({"type": "resolution", "question": "mc", "outcome": "b",
                  "resolved": "2025-06-30"})
    load(forecasts, tmp_path, lines)
    forecasts.ok("aggregate", "GM", "--method", "geometric-mean-odds")
    con = sqlite3.connect(forecasts.db)
    got = [ppm for (ppm,) in con.execute(
        "SELECT fo.p_ppm FROM forecast_options fo JOIN forecasts f ON f.id = fo.forecast_id"
        " JOIN forecasters fr ON fr.id = f.forecaster_id JOIN options o ON o.id = fo.option_id"
        " WHERE fr.name = 'GM' ORDER BY o.position")]
    matrix = np.array([[p[k] for k in "abc"] for p in probs])
    each = 1 / (1 + np.exp(-logit(matrix).mean(axis=0)))
    expected = each / each.sum()
    assert sum(got) == 1_000_000
    assert np.allclose(np.array(got) / 1e6, expected, atol=1.5e-6)
    row, = [r for r in forecasts.json("score") if r["forecaster"] == "GM"]
    assert row["brier"] == pytest.approx(0.5 * np.sum((expected - [0, 1, 0]) ** 2), abs=1e-5)


def test_an_aggregate_run_after_the_outcome_is_still_scored(forecasts, tmp_path):
    """Exempt from the recorded-after-resolution rule: it pools forecasts made before the
    cutoff, and only those recorded before the outcome."""
    load(forecasts, tmp_path, panel())
    # Bob's late entry on q0, recorded after the resolution, is left out of the pool
    forecasts.ok("forecast", "q0", "--by", "Bob", "-p", "0.01", "--on", "2025-03-01", "--late")
    forecasts.ok("aggregate", "Median", "--of-kind", "person")
    q0 = [p for slug, p, _, _ in stored(forecasts, "Median") if slug == "q0"][0]
    assert q0 == round(np.median(column(0)) * 1e6)
    row, = [r for r in forecasts.json("score") if r["forecaster"] == "Median"]
    assert row["questions"] == 5 and row["late_forecasts"] == 0
    bob, = [r for r in forecasts.json("score") if r["forecaster"] == "Bob"]
    assert bob["late_forecasts"] == 1


@pytest.mark.parametrize("args,message", [
    (["Ann", "--of-kind", "person"], "Ann is a person, not an aggregate"),
    (["P", "--alpha", "2"], "give it with the extremized method"),
    (["P", "--method", "extremized", "--alpha", "0"], "alpha must be positive"),
    (["P", "--by", "Nobody"], "no forecaster named 'Nobody'"),
    (["P", "--by", "Ann", "--of-kind", "person"], "by kind or by name, not both"),
    (["P", "--of-kind", "synthetic"], "no forecasters of kind 'synthetic'"),
    (["  ", "--of-kind", "person"], "the aggregate needs a name"),
])
def test_bad_input_is_one_line_and_writes_nothing(forecasts, tmp_path, args, message):
    load(forecasts, tmp_path, panel())
    before = forecasts.counts()
    result = forecasts("aggregate", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert forecasts.counts() == before


def test_another_pool_under_the_same_name_is_refused(forecasts, tmp_path):
    load(forecasts, tmp_path, panel())
    forecasts.ok("aggregate", "Pool", "--of-kind", "person")
    before = forecasts.counts()
    result = forecasts("aggregate", "Pool", "--method", "mean", "--of-kind", "person")
    assert result.exit_code == 2 and "choose another name" in result.output
    assert forecasts.counts() == before


def test_pool_function_examples():
    assert pooling.pool([[0.2], [0.4], [0.9]], "median").tolist() == [0.4]
    with pytest.raises(ValueError):
        pooling.pool([[1.2]], "mean")
    with pytest.raises(ValueError):
        pooling.pool([[0.2]], "mode")


# --- the published ForecastBench row -------------------------------------------------------

DATA_SOURCES = {"acled", "dbnomics", "fred", "wikipedia", "yfinance"}


@pytest.fixture(scope="module")
def superforecasters(tmp_path_factory):
    from conftest import SHARED, Forecasts

    folder = SHARED / "data" / "forecastbench"
    paths = [folder / "question_sets" / "2024-07-21-human.json",
             folder / "resolution_sets" / "2024-07-21_resolution_set.json",
             folder / "forecast_sets" / "2024-07-21.ForecastBench.human_super_individual.json"]
    if not all(p.is_file() for p in paths):
        pytest.skip("the ForecastBench sets are not in ../shared/data/forecastbench")
    forecasts = Forecasts(tmp_path_factory.mktemp("supers") / "fb.db")
    forecasts.ok("import", "--format", "forecastbench", *map(str, paths))
    return forecasts, paths


def published_median(paths):
    """The leaderboard's row worked out here from the raw files, as its README describes."""
    questions, resolutions, forecast_set = (json.loads(p.read_text()) for p in paths)
    human = {(q["source"], q["id"]) for q in questions["questions"]}
    outcome = {}
    for r in resolutions["resolutions"]:
        if isinstance(r["id"], str) and (r["source"], r["id"]) in human and r["resolved"]:
            date = r["resolution_date"] if r["source"] in DATA_SOURCES else None
            outcome.setdefault((r["source"], r["id"], date), float(r["resolved_to"]))
    by_item = collections.defaultdict(list)
    for f in forecast_set["forecasts"]:
        date = f["resolution_date"] if f["source"] in DATA_SOURCES else None
        by_item[(f["source"], f["id"], date)].append(f["forecast"])
    median = {k: np.median(v) for k, v in by_item.items()}
    dataset = [(median[k] - o) ** 2 for k, o in outcome.items() if k[0] in DATA_SOURCES]
    market = [(median[k] - o) ** 2 for k, o in outcome.items() if k[0] not in DATA_SOURCES]
    return len(by_item), (np.mean(dataset), len(dataset)), (np.mean(market), len(market))


def test_the_superforecaster_median_reproduces_the_published_row(superforecasters):
    forecasts, paths = superforecasters
    items, (dataset, n_dataset), (market, n_market) = published_median(paths)
    added = forecasts.json("aggregate", "Superforecaster median", "--method", "median",
                           "--of-kind", "person")
    assert added["added"] == items == 957 and added["inputs"] == 40
    rows = {r["tag"]: r for r in forecasts.json("score", "--by-tag", "--by",
                                                "Superforecaster median")}
    assert rows["dataset"]["questions"] == n_dataset == 422
    assert rows["market"]["questions"] == n_market == 49
    assert rows["dataset"]["brier"] == pytest.approx(dataset, abs=1e-6)
    assert rows["market"]["brier"] == pytest.approx(market, abs=1e-6)
    # the leaderboard's figures, to its three decimals
    assert round(rows["dataset"]["brier"], 3) == 0.118
    assert round(rows["market"]["brier"], 3) == 0.084
    assert round((rows["dataset"]["brier"] + rows["market"]["brier"]) / 2, 3) == 0.101
    again = forecasts.json("aggregate", "Superforecaster median", "--method", "median",
                           "--of-kind", "person")
    assert again["added"] == 0 and again["unchanged"] == 957
