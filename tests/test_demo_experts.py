"""The demo's real experts: the bundled, trimmed ForecastBench superforecaster round (CC BY-SA 4.0)
loaded through the CLI, checked against computations done here from the bundled files, and the
bundled files against the published ones when ../shared is present."""

import collections
import gzip
import json
from importlib import resources

import numpy as np
import pytest
from conftest import Forecasts

DATA_SOURCES = {"acled", "dbnomics", "fred", "wikipedia", "yfinance"}


def bundled(name):
    folder = resources.files("forecasts.data").joinpath("forecastbench")
    return json.loads(gzip.decompress(folder.joinpath(name).read_bytes()))


def item(entry):
    """A forecast's or resolution's scored item: question, and horizon for data series."""
    date = entry["resolution_date"] if entry["source"] in DATA_SOURCES else None
    return (entry["source"], entry["id"], date)


def outcomes():
    asked = {(q["source"], q["id"]) for q in bundled("questions.json.gz")["questions"]}
    found = {}
    for r in bundled("resolutions.json.gz")["resolutions"]:
        if isinstance(r["id"], str) and (r["source"], r["id"]) in asked and r["resolved"]:
            found.setdefault(item(r), float(r["resolved_to"]))
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    forecasts = Forecasts(tmp_path_factory.mktemp("demo") / "demo.db")
    return forecasts, forecasts.ok("demo").stdout


def test_the_demo_reproduces_the_published_median_row(demo):
    forecasts, out = demo
    known = outcomes()
    by_item = collections.defaultdict(list)
    for f in bundled("forecasts.json.gz")["forecasts"]:
        by_item[item(f)].append(f["forecast"])
    median = {k: float(np.median(v)) for k, v in by_item.items()}
    dataset = [(median[k] - o) ** 2 for k, o in known.items() if k[0] in DATA_SOURCES]
    market = [(median[k] - o) ** 2 for k, o in known.items() if k[0] not in DATA_SOURCES]
    assert (len(dataset), len(market)) == (422, 49)
    rows = {r["tag"]: r for r in forecasts.json("score", "--by-tag", "--by",
                                                "Superforecaster median")}
    assert rows["dataset"]["questions"] == 422 and rows["market"]["questions"] == 49
    assert rows["dataset"]["brier"] == pytest.approx(np.mean(dataset), abs=1e-6)
    assert rows["market"]["brier"] == pytest.approx(np.mean(market), abs=1e-6)
    assert "Dataset questions: Brier 0.118 over 422 (published 0.118 over 422)" in out
    assert "Market questions, resolved: Brier 0.084 over 49 (published 0.084 over 49)" in out
    assert "Overall resolved (their mean): 0.101 (published 0.101)" in out
    assert "CC BY-SA 4.0" in out and "40 superforecasters' 7693 forecasts" in out


def test_each_superforecaster_is_scored_on_their_own_resolved_items(demo):
    forecasts, out = demo
    known = outcomes()
    pairs = collections.defaultdict(list)
    for f in bundled("forecasts.json.gz")["forecasts"]:
        if item(f) in known:
            pairs[f["user_id"]].append((f["forecast"], known[item(f)]))
    rows = {r["forecaster"]: r for r in forecasts.json("score", "--tag",
                                                       "forecastbench-2024-07-21")}
    for user, scored in pairs.items():
        row = rows[f"Superforecaster forecasts ({user})"]
        p, o = np.array(scored).T
        assert row["questions"] == len(scored)
        assert row["brier"] == pytest.approx(np.mean((p - o) ** 2), abs=1e-9)
    # the two printed calibration tables are those with the most scored forecasts, and real
    most = sorted(pairs, key=lambda u: (-len(pairs[u]), f"Superforecaster forecasts ({u})"))[:2]
    for user in most:
        assert f"Calibration of Superforecaster forecasts ({user})" in out
        report = forecasts.json("calibration", "--by", f"Superforecaster forecasts ({user})")
        assert sum(b["n"] for b in report["bins"]) == len(pairs[user])
    # the sample and the synthetic panel are still there, the panel labelled as invented
    assert "bundled sample" in out and "FICTIONAL" in out


def test_the_licence_and_attribution_ship_beside_the_data():
    text = resources.files("forecasts.data").joinpath("forecastbench", "LICENSE.md").read_text(
        encoding="utf-8")
    assert "Creative Commons Attribution-ShareAlike 4.0 International" in text
    assert "Forecasting Research Institute" in text
    assert "https://creativecommons.org/licenses/by-sa/4.0/" in text
    assert "Changes made" in text


def test_the_bundled_copy_is_the_published_data_trimmed(shared):
    """Every question, forecast and outcome kept is the published one, field for field:
    nothing invented, nothing changed, only fields and other rounds' rows left out."""
    folder = shared / "data" / "forecastbench"
    published = {
        "questions": json.loads((folder / "question_sets" / "2024-07-21-human.json").read_text()),
        "resolutions": json.loads((folder / "resolution_sets" /
                                   "2024-07-21_resolution_set.json").read_text()),
        "forecasts": json.loads((folder / "forecast_sets" /
                                 "2024-07-21.ForecastBench.human_super_individual.json"
                                 ).read_text()),
    }
    for name, published_set in published.items():
        copy = bundled(f"{name}.json.gz")[name]
        rows = published_set[name]
        if name == "resolutions":
            asked = {(q["source"], json.dumps(q["id"])) for q in published["questions"]["questions"]}
            rows = [r for r in rows if (r["source"], json.dumps(r["id"])) in asked]
        assert len(copy) == len(rows)
        for kept, original in zip(copy, rows):
            assert kept == {k: original[k] for k in kept}
        if name == "forecasts":
            assert len(copy) == 7693 and not any("reasoning" in f for f in copy)
