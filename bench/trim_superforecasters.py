"""Write the trimmed copy of ForecastBench's 2024-07-21 superforecaster round that the demo ships
(forecasts/data/forecastbench/), from the published files.

    python bench/trim_superforecasters.py QUESTION_SET RESOLUTION_SET FORECAST_SET

The files are ForecastBench's (Forecasting Research Institute, CC BY-SA 4.0; see
forecasts/data/forecastbench/LICENSE.md). Trimming keeps their layout and values, and only:
the fields the forecastbench reader uses (question text, criteria, dates, the market's value at
the freeze date; each forecast's question, horizon, probability and forecaster id; each
resolution row); the resolution rows of this round's questions; no reasoning, searches or URLs.
Nothing is added or changed: every outcome is the published one.
"""

import gzip
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "forecasts" / "data" / "forecastbench"
QUESTION_FIELDS = ("id", "source", "question", "resolution_criteria", "resolution_dates",
                   "freeze_datetime", "freeze_datetime_value", "market_info_close_datetime",
                   "market_info_resolution_criteria", "combination_of")
FORECAST_FIELDS = ("id", "source", "direction", "resolution_date", "forecast", "user_id")
RESOLUTION_FIELDS = ("id", "source", "direction", "resolution_date", "resolved", "resolved_to")


def _key(source, qid):
    return (source, json.dumps(qid))


def trim(question_set, resolution_set, forecast_set):
    """The three sets trimmed, as dicts in ForecastBench's layout."""
    questions = [{k: q[k] for k in QUESTION_FIELDS if k in q} for q in question_set["questions"]]
    asked = {_key(q["source"], q["id"]) for q in questions}
    resolutions = [{k: r[k] for k in RESOLUTION_FIELDS if k in r}
                   for r in resolution_set["resolutions"] if _key(r["source"], r["id"]) in asked]
    forecasts = [{k: f[k] for k in FORECAST_FIELDS if k in f} for f in forecast_set["forecasts"]]
    head = ("forecast_due_date", "question_set")
    return ({**{k: question_set[k] for k in head}, "questions": questions},
            {**{k: resolution_set[k] for k in head}, "resolutions": resolutions},
            {**{k: v for k, v in forecast_set.items() if k != "forecasts"},
             "forecasts": forecasts})


def write(name, data):
    # mtime=0: the same input gives the same bytes
    with gzip.GzipFile(OUT / name, "wb", mtime=0) as out:
        out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def main(paths):
    sets = [json.loads(Path(path).read_text(encoding="utf-8")) for path in paths]
    for name, data in zip(("questions.json.gz", "resolutions.json.gz", "forecasts.json.gz"),
                          trim(*sets)):
        write(name, data)
        print(f"wrote {name}: {(OUT / name).stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1:])
