"""The demo: the bundled sample from the news, plus a clearly labelled synthetic panel.

The sample (``forecasts/data/sample.jsonl``) holds real forecasts from five news articles, mostly
still open. Scores and calibration need many resolved forecasts, so the demo adds a synthetic
panel: fictional forecasters answering invented questions whose outcomes are drawn at random
(seeded) from each event's true probability. No real person's forecast gets an invented outcome.

Example::

    >>> from forecasts.store import Store
    >>> store = Store.open(":memory:")
    >>> summary = build_demo(store)
    >>> summary["synthetic_questions"], len(summary["synthetic_forecasters"])
    (120, 3)
"""

import datetime
import json
import math
import random
from importlib import resources

from .interchange import load_lines

SYNTHETIC_TAG = "synthetic-panel"
SEED = 2025

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
            lines.append({"type": "forecast", "question": slug, "by": name, "p": p,
                          "made": opens.isoformat()})
        outcome = "yes" if rng.random() < truth else "no"
        lines.append({"type": "resolution", "question": slug, "outcome": outcome,
                      "resolved": resolves.isoformat(),
                      "evidence": f"synthetic: drawn with seed {seed} from probability "
                                  f"{truth:.2f}"})
    return [json.dumps(line, ensure_ascii=False) for line in lines]


def build_demo(store, seed=SEED, questions=120):
    """Load the sample and the synthetic panel into ``store``; return what was loaded."""
    sample = load_lines(store, sample_lines())
    load_lines(store, synthetic_panel_lines(questions, seed))
    return {"sample": sample, "synthetic_questions": questions,
            "synthetic_forecasters": [name for name, _, _ in SYNTHETIC_FORECASTERS],
            "seed": seed}
