"""The demo: the bundled sample from the news, real superforecasters, and a synthetic panel.

The sample (``forecasts/data/sample.jsonl``) holds real forecasts from five news articles, mostly
still open. Real expert calibration tables come from a trimmed copy of ForecastBench's 2024-07-21
round (``forecasts/data/forecastbench/``, CC BY-SA 4.0, Forecasting Research Institute; see its
LICENSE.md): 40 superforecasters' forecasts with the published outcomes, and their median as an
aggregate forecaster, which reproduces the published leaderboard row. The synthetic panel,
clearly labelled, has fictional forecasters answering invented questions whose outcomes are drawn
at random (seeded). No real person's forecast gets an invented outcome.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> summary = build_demo(store)
    >>> summary["synthetic_questions"], len(summary["synthetic_forecasters"])
    (120, 3)
    >>> summary["superforecasters"], summary["median_forecasts"]
    (40, 957)
"""

import datetime
import gzip
import json
import math
import random
from importlib import resources

from .interchange import load_lines, load_records

SYNTHETIC_TAG = "synthetic-panel"
SEED = 2025
FORECASTBENCH_FILES = ("questions.json.gz", "resolutions.json.gz", "forecasts.json.gz")
FORECASTBENCH_ROUND = "forecastbench-2024-07-21"
SUPERFORECASTER_MEDIAN = "Superforecaster median"
#: The published leaderboard's "Superforecaster median forecast" row (human leaderboard of
#: 2025-02-17): Brier and scored items on dataset and resolved market questions.
PUBLISHED_MEDIAN_ROW = {"dataset": (0.118, 422), "market": (0.084, 49), "overall": 0.101}

# name, role, how the forecaster distorts the true probability (log-odds multiplier)
SYNTHETIC_FORECASTERS = [
    ("Cal Ibrated (synthetic)", "fictional: states the true probability, to the nearest 5%", 1.0),
    ("Otto Confident (synthetic)", "fictional: overconfident, pushes every forecast to the "
                                   "extremes", 2.5),
    ("Una Dersure (synthetic)", "fictional: underconfident, hugs 50%", 0.35),
]


def sample_lines():
    """The bundled sample as a list of JSON lines."""
    text = resources.files("forecasts.data").joinpath("sample.jsonl").read_text("utf-8")
    return text.splitlines()


def _distort(p, log_odds_multiplier):
    p = min(max(p, 0.001), 0.999)
    log_odds = math.log(p / (1 - p)) * log_odds_multiplier
    return 1 / (1 + math.exp(-log_odds))


def synthetic_panel_lines(questions=120, seed=SEED):
    """Interchange lines for the synthetic panel: fictional forecasters, invented events,
    outcomes drawn from the events' true probabilities with a fixed seed."""
    rng = random.Random(seed)
    lines = [{"type": "forecaster", "name": name, "kind": "synthetic", "role": role}
             for name, role, _ in SYNTHETIC_FORECASTERS]
    start = datetime.date(2025, 1, 6)
    for i in range(1, questions + 1):
        opens = start + datetime.timedelta(days=3 * i)
        resolves = opens + datetime.timedelta(days=90)
        truth = rng.uniform(0.03, 0.97)
        slug = f"synthetic-{i:03d}"
        lines.append({"type": "question", "id": slug,
                      "text": f"Synthetic event {i:03d} happens (invented for the demo)",
                      "kind": "binary", "opens": opens.isoformat(),
                      "resolves": resolves.isoformat(),
                      "criteria": "Invented event; its outcome is drawn at random from its "
                                  f"true probability {truth:.2f}.",
                      "tags": [SYNTHETIC_TAG]})
        for name, _, multiplier in SYNTHETIC_FORECASTERS:
            p = _distort(truth, multiplier)
            step = 20 if multiplier == 1.0 else 100
            p = min(max(round(p * step) / step, 0.01), 0.99)
            # recorded as made, as if the panel had been tracked live
            lines.append({"type": "forecast", "question": slug, "by": name, "p": p,
                          "made": opens.isoformat(),
                          "recorded": f"{opens.isoformat()}T12:00:00+00:00"})
        outcome = "yes" if rng.random() < truth else "no"
        lines.append({"type": "resolution", "question": slug, "outcome": outcome,
                      "resolved": resolves.isoformat(),
                      "evidence": f"synthetic: drawn with seed {seed} from probability "
                                  f"{truth:.2f}",
                      "recorded": f"{resolves.isoformat()}T12:00:00+00:00"})
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def superforecaster_records():
    """The bundled ForecastBench round as interchange ``(label, record)`` pairs, read by the same
    converter as ``forecasts import --format forecastbench``."""
    from .forecastbench import convert

    folder = resources.files("forecasts.data").joinpath("forecastbench")
    questions, resolutions, forecasts = (
        json.loads(gzip.decompress(folder.joinpath(name).read_bytes()))
        for name in FORECASTBENCH_FILES)
    records, _ = convert(questions, [("resolutions.json.gz", resolutions)],
                         [("forecasts.json.gz", forecasts)])
    return records


def build_demo(store, seed=SEED, questions=120):
    """Load the sample, the superforecasters (with their median as an aggregate) and the
    synthetic panel into ``store``; return what was loaded."""
    from .aggregate import add_aggregate

    sample = load_lines(store, sample_lines())
    records = superforecaster_records()
    experts = load_records(store, records, len(records))
    median = add_aggregate(store, SUPERFORECASTER_MEDIAN, method="median", of_kind="person",
                           tag=FORECASTBENCH_ROUND)
    load_lines(store, synthetic_panel_lines(questions, seed))
    people = {r["name"] for _, r in records if r["type"] == "forecaster" and r["kind"] == "person"}
    return {"sample": sample, "superforecasters": len(people),
            "superforecaster_forecasts": sum(1 for _, r in records
                                             if r["type"] == "forecast" and r["by"] in people),
            "superforecaster_questions": experts["question"], "median_forecasts": median["added"],
            "synthetic_questions": questions,
            "synthetic_forecasters": [name for name, _, _ in SYNTHETIC_FORECASTERS],
            "seed": seed}


def median_row(store):
    """The median aggregate's Brier and scored items on the round's dataset and resolved market
    questions, and their mean (the leaderboard's "Overall resolved"), beside the published row."""
    from . import tracker

    rows = {r["tag"]: r for r in tracker.scores(store, by=SUPERFORECASTER_MEDIAN, by_tag=True)}
    found = {tag: (rows[tag]["brier"], rows[tag]["questions"]) for tag in ("dataset", "market")}
    found["overall"] = (found["dataset"][0] + found["market"][0]) / 2
    return {"found": found, "published": PUBLISHED_MEDIAN_ROW}


def superforecasters_by_forecasts(store, count=2):
    """The ``count`` superforecasters with the most scored forecasts on the round."""
    from . import tracker

    kinds = {f["name"]: f["kind"] for f in store.forecasters()}
    rows = [r for r in tracker.scores(store, tag=FORECASTBENCH_ROUND)
            if kinds.get(r["forecaster"]) == "person"]
    rows.sort(key=lambda r: (-r["questions"], r["forecaster"]))
    return [r["forecaster"] for r in rows[:count]]
