"""A JSON Lines import refuses what `forecast --on` and `resolve --on` refuse: a forecast made,
or a question resolved, after today."""

import datetime
import json

import pytest

TOMORROW = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
TODAY = datetime.date.today().isoformat()


def write_lines(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def question(resolves="2101-01-01"):
    return {"type": "question", "id": "z", "text": "Z", "resolves": resolves}


@pytest.mark.parametrize("made, resolved, message", [
    ("2099-06-01", None, "line 2: 'made' 2099-06-01 is in the future: a forecast is logged when "
                         "it was made, not ahead of time"),
    (f" {TOMORROW} ", None, f"line 2: 'made' {TOMORROW} is in the future: a forecast is logged "
                            "when it was made, not ahead of time"),
    ("2025-06-01", "2100-01-01", "line 3: 'resolved' 2100-01-01 is in the future: a question is "
                                 "resolved once its outcome is known"),
])
def test_an_import_refuses_a_forecast_or_resolution_dated_after_today(forecasts, tmp_path, made,
                                                                      resolved, message):
    records = [question(), {"type": "forecast", "question": "z", "by": "Al", "p": 0.7,
                            "made": made}]
    if resolved:
        records.append({"type": "resolution", "question": "z", "outcome": "yes",
                        "resolved": resolved})
    result = forecasts("import", write_lines(tmp_path / "in.jsonl", *records))
    assert result.exit_code == 2 and forecasts.counts() == {}
    assert result.stderr == f"Error: {message}; nothing was imported\n"


def test_an_import_takes_today_and_leaves_a_bad_date_for_its_own_error(forecasts, tmp_path):
    bad = write_lines(tmp_path / "bad.jsonl", question(),
                      {"type": "forecast", "question": "z", "by": "Al", "p": 0.7,
                       "made": "tomorrow"})
    result = forecasts("import", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: line 2: 'made' is not a YYYY-MM-DD date: 'tomorrow'")
    forecasts.ok("import", write_lines(
        tmp_path / "ok.jsonl", question(TODAY),
        {"type": "forecast", "question": "z", "by": "Al", "p": 0.7, "made": TODAY},
        {"type": "resolution", "question": "z", "outcome": "yes", "resolved": TODAY}))
    assert forecasts.counts()["resolutions"] == 1


@pytest.mark.parametrize("made, resolved, message", [
    ("2099-06-01", "", "line 2: 'made' 2099-06-01 is in the future"),
    ("2025-06-01", "2100-01-01", "line 2: 'resolved' 2100-01-01 is in the future"),
])
def test_a_csv_import_refuses_them_too(forecasts, tmp_path, made, resolved, message):
    path = tmp_path / "in.csv"
    path.write_text("question,forecaster,made,probability,resolves,outcome,resolved\n"
                    f"Future event,Cheater,{made},0.99,2101-01-01,"
                    f"{'yes' if resolved else ''},{resolved}\n", encoding="utf-8")
    result = forecasts("import", str(path))
    assert result.exit_code == 2 and forecasts.counts() == {}
    assert result.stderr.startswith(f"Error: {message}")
