"""ForecastBench question, resolution and forecast sets, and constant baselines.

The tests on the real 2024-07-21 sets read them from ../shared beside the checkout and skip when
it is absent; the others use small sets written here in the same format.
"""

import json
import math
import os

import pytest
from conftest import Forecasts

DUE = "2024-07-21"
DATES = ["2024-07-28", "2024-08-20"]

QUESTION_SET = {
    "forecast_due_date": DUE, "question_set": f"{DUE}-human.json",
    "questions": [
        {"id": "DTB3", "source": "fred", "resolution_dates": DATES,
         "question": "Will the T-bill rate be higher on {resolution_date} than on "
                     "{forecast_due_date}?\n\nStock splits are accounted for.",
         "resolution_criteria": "Resolves to the value at https://fred.stlouisfed.org/DTB3.",
         "freeze_datetime_value": "5.23", "freeze_datetime": "2024-07-12T00:00:00+00:00",
         "market_info_close_datetime": "N/A", "combination_of": "N/A"},
        {"id": "AbC", "source": "manifold", "resolution_dates": "N/A",
         "question": "Will 2024 be the hottest year?", "resolution_criteria": "See Manifold.",
         "freeze_datetime_value": "0.8", "freeze_datetime": "2024-07-12T00:00:00+00:00",
         "market_info_close_datetime": "2025-01-01T04:59:00+00:00", "combination_of": "N/A"},
        {"id": "1348", "source": "metaculus", "resolution_dates": "N/A",
         "question": "Will a Europa lander launch by 2030?", "resolution_criteria": "x",
         "freeze_datetime_value": "0.1", "freeze_datetime": "2024-07-12T00:00:00+00:00",
         "market_info_close_datetime": "2030-01-01T00:00:00+00:00", "combination_of": "N/A"},
        {"id": "1348", "source": "infer", "resolution_dates": "N/A",
         "question": "Will Iran see a large protest?", "resolution_criteria": "y",
         "freeze_datetime_value": "0.2", "freeze_datetime": "2024-07-12T00:00:00+00:00",
         "market_info_close_datetime": "2025-01-01T00:00:00+00:00", "combination_of": "N/A"},
        {"id": "Mkt", "source": "manifold", "resolution_dates": "N/A",
         "question": "Will the market resolve to a probability?", "resolution_criteria": "z",
         "freeze_datetime_value": "0.5", "freeze_datetime": "2024-07-12T00:00:00+00:00",
         "market_info_close_datetime": "N/A", "combination_of": "N/A"},
        {"id": ["DTB3", "WTI"], "source": "fred", "resolution_dates": DATES[:1],
         "question": "N/A", "freeze_datetime_value": "N/A",
         "combination_of": [
             {"id": "DTB3", "source": "fred",
              "question": "Will the T-bill rate be higher on {resolution_date}?"},
             {"id": "WTI", "source": "fred",
              "question": "Will oil be dearer on {resolution_date}?"}]},
    ]}

RESOLUTION_SET = {
    "forecast_due_date": DUE, "question_set": f"{DUE}-llm.json",
    "resolutions": [
        {"id": "DTB3", "source": "fred", "direction": None, "resolution_date": DATES[0],
         "resolved_to": 0.0, "resolved": True},
        {"id": "DTB3", "source": "fred", "direction": None, "resolution_date": DATES[1],
         "resolved_to": 1.0, "resolved": True},
        {"id": "AbC", "source": "manifold", "direction": None, "resolution_date": DATES[0],
         "resolved_to": 1.0, "resolved": True},
        {"id": "AbC", "source": "manifold", "direction": None, "resolution_date": DATES[1],
         "resolved_to": 1.0, "resolved": True},
        {"id": "1348", "source": "metaculus", "direction": None, "resolution_date": DATES[0],
         "resolved_to": 0.123, "resolved": False},
        {"id": "1348", "source": "infer", "direction": None, "resolution_date": DATES[0],
         "resolved_to": math.nan, "resolved": True},
        {"id": "Mkt", "source": "manifold", "direction": None, "resolution_date": DATES[0],
         "resolved_to": 0.37, "resolved": True},
        {"id": ["DTB3", "WTI"], "source": "fred", "direction": [1, -1],
         "resolution_date": DATES[0], "resolved_to": 0.0, "resolved": True},
        {"id": ["DTB3", "WTI"], "source": "fred", "direction": [-1, -1],
         "resolution_date": DATES[0], "resolved_to": 1.0, "resolved": True},
        {"id": "ELSEWHERE", "source": "fred", "direction": None, "resolution_date": DATES[0],
         "resolved_to": 1.0, "resolved": True},
    ]}

FORECAST_SET = {
    "organization": "ForecastBench", "model": "Superforecaster forecasts",
    "question_set": f"{DUE}-human.json", "forecast_due_date": DUE,
    "forecasts": [
        {"id": "AbC", "source": "manifold", "forecast": 0.9, "resolution_date": None,
         "reasoning": "Hot <b>first half</b> — “very likely”", "direction": None,
         "user_id": "S1"},
        {"id": "AbC", "source": "manifold", "forecast": 0.6, "resolution_date": None,
         "reasoning": None, "direction": None, "user_id": "S2"},
        {"id": "DTB3", "source": "fred", "forecast": 0.3, "resolution_date": DATES[0],
         "reasoning": None, "direction": None, "user_id": "S1"},
        {"id": ["DTB3", "WTI"], "source": "fred", "forecast": 0.2,
         "resolution_date": DATES[0], "reasoning": None, "direction": [-1, -1],
         "user_id": "S1"},
        {"id": "NOT-IN-SET", "source": "fred", "forecast": 0.5, "resolution_date": DATES[0],
         "reasoning": None, "direction": None, "user_id": "S1"},
    ]}


@pytest.fixture
def sets(tmp_path):
    paths = {}
    for name, data in (("questions", QUESTION_SET), ("resolutions", RESOLUTION_SET),
                       ("forecasts", FORECAST_SET)):
        paths[name] = tmp_path / f"{name}.json"
        paths[name].write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return paths


def import_sets(forecasts, *paths):
    return forecasts.json("import", "--format", "forecastbench", *map(str, paths))


def test_each_data_series_date_is_a_question_and_markets_are_one(forecasts, sets):
    result = import_sets(forecasts, sets["questions"])
    summary = result["forecastbench"]
    assert summary["entries"] == {"dataset": 1, "market": 4, "combination": 1}
    assert result["question"] == summary["questions"] == 2 + 4 + 4
    first = forecasts.json("show", f"fb-{DUE}-fred-dtb3-{DATES[0]}")["question"]
    assert first["text"] == f"Will the T-bill rate be higher on {DATES[0]} than on {DUE}?"
    assert "Stock splits" in first["criteria"] and "fred.stlouisfed.org" in first["criteria"]
    assert (first["opens"], first["resolves"]) == (DUE, DATES[0])
    assert first["tags"] == ["dataset", "forecastbench-2024-07-21", "fred"]
    market = forecasts.json("show", f"fb-{DUE}-manifold-abc")
    assert market["question"]["resolves"] == "2025-01-01"
    assert market["question"]["tags"] == ["forecastbench-2024-07-21", "manifold", "market"]
    (crowd,) = market["forecasts"]
    assert (crowd["forecaster"], crowd["p_ppm"], crowd["made"]) == ("Market crowd", 800000,
                                                                   "2024-07-12")
    assert forecasts.json("show", f"fb-{DUE}-metaculus-1348")["question"]["text"] != \
        forecasts.json("show", f"fb-{DUE}-infer-1348")["question"]["text"]


def test_combination_questions_in_four_directions(forecasts, sets):
    import_sets(forecasts, sets["questions"], sets["resolutions"])
    combos = [q for q in forecasts.json("list", "--tag", "combination")]
    assert len(combos) == 4
    no_no = forecasts.json("show", f"fb-{DUE}-fred-dtb3-no-wti-no-{DATES[0]}")
    assert no_no["question"]["text"] == (
        f'Both: "Will the T-bill rate be higher on {DATES[0]}?" resolves No, and '
        f'"Will oil be dearer on {DATES[0]}?" resolves No')
    assert [r["outcome"] for r in no_no["resolutions"]] == ["yes"]
    yes_no = forecasts.json("show", f"fb-{DUE}-fred-dtb3-yes-wti-no-{DATES[0]}")
    assert [r["outcome"] for r in yes_no["resolutions"]] == ["no"]


def test_resolutions_markets_and_what_stays_open(forecasts, sets):
    result = import_sets(forecasts, sets["questions"], sets["resolutions"])
    (counts,) = result["forecastbench"]["resolution_sets"]
    assert counts["rows for other questions"] == 1
    assert counts["markets still open (fractional value)"] == 1
    outcomes = {q["slug"]: q["outcome"] for q in forecasts.json("list")}
    assert outcomes[f"fb-{DUE}-fred-dtb3-{DATES[0]}"] == "no"
    assert outcomes[f"fb-{DUE}-fred-dtb3-{DATES[1]}"] == "yes"
    assert outcomes[f"fb-{DUE}-metaculus-1348"] is None
    assert outcomes[f"fb-{DUE}-infer-1348"] == "annulled"
    assert outcomes[f"fb-{DUE}-manifold-mkt"] == "ambiguous"
    (resolution,) = forecasts.json("show", f"fb-{DUE}-manifold-abc")["resolutions"]
    assert (resolution["outcome"], resolution["resolved"]) == ("yes", DATES[0])
    assert "first reported" in resolution["evidence"] and "no date" in resolution["note"]


def test_forecast_sets_one_forecaster_per_person(forecasts, sets):
    result = import_sets(forecasts, sets["questions"], sets["resolutions"], sets["forecasts"])
    (counts,) = result["forecastbench"]["forecast_sets"]
    assert counts == {"file": str(sets["forecasts"]), "forecasts": 4,
                      "forecasts on other questions": 1, "forecasters": 2}
    shown = forecasts.json("show", f"fb-{DUE}-manifold-abc")["forecasts"]
    by = {f["forecaster"]: f for f in shown}
    assert by["Superforecaster forecasts (S1)"]["quote"] == "Hot <b>first half</b> — “very likely”"
    assert by["Superforecaster forecasts (S1)"]["made"] == DUE
    scores = {r["forecaster"]: r for r in forecasts.json("score")}
    assert scores["Superforecaster forecasts (S2)"]["brier"] == pytest.approx(0.16)
    s1 = forecasts.json("score", "--by", "Superforecaster forecasts (S1)", "--by-tag")
    assert {r["tag"]: r["questions"] for r in s1}["combination"] == 1


def test_importing_the_sets_twice_adds_nothing(forecasts, sets):
    import_sets(forecasts, sets["questions"], sets["resolutions"], sets["forecasts"])
    before = forecasts.counts()
    again = import_sets(forecasts, sets["questions"], sets["resolutions"], sets["forecasts"])
    assert {k: v for k, v in again.items() if k != "forecastbench"} == dict.fromkeys(
        ["source", "forecaster", "question", "forecast", "resolution", "correction"], 0)
    assert forecasts.counts() == before


def test_resolutions_can_come_later(forecasts, sets):
    import_sets(forecasts, sets["questions"])
    assert not forecasts.json("list", "--resolved")
    later = import_sets(forecasts, sets["questions"], sets["resolutions"])
    assert later["question"] == 0 and later["resolution"] == 7


@pytest.mark.parametrize("change, message", [
    (lambda q, r: q.update(forecast_due_date="soon"), "'forecast_due_date' is not a date"),
    (lambda q, r: q["questions"][1].pop("source"), "questions[1]: 'source' is missing"),
    (lambda q, r: q["questions"][1].update(freeze_datetime_value="1.7"),
     "questions[1]: 'freeze_datetime_value' is 1.7"),
    (lambda q, r: r.update(forecast_due_date="2024-08-04"), "it is for the round due 2024-08-04"),
    (lambda q, r: r["resolutions"][2].update(resolved_to="yes"),
     "resolutions[2]: 'resolved_to' is not a number"),
])
def test_a_bad_set_is_one_clear_line_and_writes_nothing(forecasts, tmp_path, change, message):
    questions, resolutions = json.loads(json.dumps(QUESTION_SET)), json.loads(
        json.dumps(RESOLUTION_SET))
    change(questions, resolutions)
    (tmp_path / "q.json").write_text(json.dumps(questions))
    (tmp_path / "r.json").write_text(json.dumps(resolutions))
    result = forecasts("import", "--format", "forecastbench", str(tmp_path / "q.json"),
                       str(tmp_path / "r.json"))
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1
    assert not any(n for t, n in forecasts.counts().items() if not t.startswith("_"))


def test_a_question_set_is_needed(forecasts, sets, tmp_path):
    result = forecasts("import", "--format", "forecastbench", str(sets["resolutions"]))
    assert result.exit_code == 2 and "exactly one question set" in result.stderr
    (tmp_path / "x.json").write_text('{"something": []}')
    result = forecasts("import", "--format", "forecastbench", str(tmp_path / "x.json"))
    assert result.exit_code == 2 and "not a ForecastBench" in result.stderr


# Baselines -------------------------------------------------------------------------------------


def test_constant_baseline_on_every_question(forecasts, sets):
    import_sets(forecasts, sets["questions"], sets["resolutions"])
    result = forecasts.json("baseline", "Always 0.5", "--constant", "0.5")
    assert result["added"] == 10 and result["already_there"] == 0
    again = forecasts.json("baseline", "Always 0.5", "--constant", "50%")
    assert (again["added"], again["already_there"]) == (0, 10)
    rows = forecasts.json("score", "--by", "Always 0.5", "--by-tag")
    assert rows and all(r["brier"] == pytest.approx(0.25) for r in rows)
    made = {f["made"] for q in forecasts.json("list") for f in
            forecasts.json("show", str(q["id"]))["forecasts"] if f["forecaster"] == "Always 0.5"}
    assert made == {DUE}



# The real 2024-07-21 sets ----------------------------------------------------------------------


@pytest.fixture
def real_sets(shared):
    folder = shared / "data" / "forecastbench"
    paths = [folder / "question_sets" / "2024-07-21-human.json",
             folder / "resolution_sets" / "2024-07-21_resolution_set.json"]
    if not all(p.is_file() for p in paths):
        pytest.skip("the ForecastBench sets are not in ../shared/data/forecastbench")
    return paths


@pytest.fixture
def benchmark(tmp_path_factory, real_sets):
    forecasts = Forecasts(tmp_path_factory.mktemp("fb") / "fb.db")
    summary = import_sets(forecasts, *real_sets)
    return forecasts, summary


SOURCES = {"acled", "dbnomics", "fred", "wikipedia", "yfinance", "manifold", "metaculus",
           "polymarket", "infer"}


def test_real_sets_import_as_forecastbench_scores_them(benchmark):
    forecasts, result = benchmark
    summary = result["forecastbench"]
    assert summary["entries"] == {"market": 90, "dataset": 110}
    # 108 data-series questions at 8 dates, 2 at 7, and 90 market questions
    assert result["question"] == 108 * 8 + 2 * 7 + 90 == 968
    assert result["forecast"] == summary["crowd_forecasts"] == 90
    (counts,) = summary["resolution_sets"]
    assert counts["yes"] + counts["no"] == result["resolution"] == 471
    assert counts["markets still open (fractional value)"] == 27
    assert {t for q in forecasts.json("list") for t in q["tags"]} >= SOURCES


def test_real_sets_import_twice_adds_nothing(benchmark, real_sets):
    forecasts, _ = benchmark
    before = forecasts.counts()
    import_sets(forecasts, *real_sets)
    assert forecasts.counts() == before


def test_real_sets_baselines_score_a_quarter_on_every_source(benchmark):
    forecasts, _ = benchmark
    forecasts.ok("baseline", "Always 0.5", "--constant", "0.5")
    forecasts.ok("baseline", "Chimp", "--uniform")
    for name in ("Always 0.5", "Chimp"):
        rows = forecasts.json("score", "--by", name, "--by-tag")
        by_tag = {r["tag"]: r for r in rows}
        assert set(by_tag) >= SOURCES
        assert all(r["brier"] == pytest.approx(0.25, abs=1e-12) for r in rows)
        assert sum(by_tag[s]["questions"] for s in SOURCES) == 471


def test_real_sets_score_by_tag_shows_the_market_crowd(benchmark):
    forecasts, _ = benchmark
    forecasts.ok("baseline", "Always 0.3", "--constant", "0.3")
    rows = forecasts.json("score", "--by-tag")
    crowd = {r["tag"]: r for r in rows if r["forecaster"] == "Market crowd"}
    assert set(crowd) == {"infer", "manifold", "metaculus", "polymarket", "market",
                          "forecastbench-2024-07-21"}
    assert crowd["market"]["questions"] == 49
    assert crowd["market"]["brier"] < 0.25
    thirty = {r["tag"]: r for r in rows if r["forecaster"] == "Always 0.3"}
    yes_share = 153 / 471
    assert thirty["forecastbench-2024-07-21"]["brier"] == pytest.approx(
        yes_share * 0.49 + (1 - yes_share) * 0.09)


def test_real_sets_round_trip_byte_identical(benchmark, tmp_path):
    forecasts, _ = benchmark
    first = forecasts("export").stdout_bytes
    (tmp_path / "fb.jsonl").write_bytes(first)
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(tmp_path / "fb.jsonl"))
    assert copy("export").stdout_bytes == first


def test_a_forecast_set_imported_after_its_resolutions_still_counts(forecasts, sets):
    import_sets(forecasts, sets["questions"], sets["resolutions"])
    import_sets(forecasts, sets["questions"], sets["forecasts"])
    scores = {r["forecaster"]: r for r in forecasts.json("score")}
    assert scores["Superforecaster forecasts (S2)"]["brier"] == pytest.approx(0.16)
    assert scores["Superforecaster forecasts (S2)"]["late_forecasts"] == 0


def test_a_set_given_twice_is_refused_by_any_name(forecasts, sets, tmp_path):
    copy = tmp_path / "copy.json"
    copy.write_bytes(sets["forecasts"].read_bytes())
    result = forecasts("import", "--format", "forecastbench", str(sets["questions"]),
                       str(sets["forecasts"]), str(copy))
    assert result.exit_code == 2 and result.stderr.strip() == (
        f"Error: {copy} is the same set as {sets['forecasts']}: give each set once; nothing "
        "was imported")
    assert not os.path.exists(forecasts.db)
