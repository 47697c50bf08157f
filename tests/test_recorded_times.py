"""Issue 19, hindsight through recorded times: an imported recorded time is plain ISO 8601, stored
in one UTC form, and never in the future, so no form of a time can pass or switch off the
guard."""

import json
import sqlite3

import pytest


def write_lines(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


QUESTION = {"type": "question", "id": "q4", "text": "Q four", "resolves": "2026-06-30"}
FORECAST = {"type": "forecast", "question": "q4", "by": "Alice", "p": 0.6, "made": "2026-01-01"}


@pytest.mark.parametrize("recorded, message", [
    ("2026-W01-1T00:00:00+00:00", "'recorded' is not an ISO 8601 time with a UTC offset"),
    ("2026-001T00:00:00+00:00", "'recorded' is not an ISO 8601 time with a UTC offset"),
    ("20260101T000000+0000", "'recorded' is not an ISO 8601 time with a UTC offset"),
    ("2026-01-01", "'recorded' is not an ISO 8601 time with a UTC offset"),
    ("9999-12-31T00:00:00+00:00", "'recorded' 9999-12-31T00:00:00+00:00 is in the future"),
])
def test_a_recorded_time_that_is_not_plain_iso_or_is_in_the_future_is_refused(
        forecasts, tmp_path, recorded, message):
    path = write_lines(tmp_path / "in.jsonl", QUESTION, FORECAST,
                       {"type": "resolution", "question": "q4", "outcome": "yes",
                        "resolved": "2026-06-30", "recorded": recorded})
    result = forecasts("import", path)
    assert result.exit_code == 2
    assert not any(forecasts.counts().get(t) for t in ("questions", "forecasts", "resolutions"))
    assert result.stderr.splitlines()[-1].startswith(f"Error: line 3: {message}")


def test_recorded_and_created_times_are_stored_in_one_utc_form(forecasts, tmp_path):
    path = write_lines(
        tmp_path / "in.jsonl", {**QUESTION, "created": "2025-12-31T23:00:00Z"},
        {**FORECAST, "recorded": "2026-01-01T10:30:00+05:30"},
        {"type": "forecaster", "name": "Bob", "created": "2026-01-01 09:00:00.5-01:00"})
    forecasts.ok("import", path)
    con = sqlite3.connect(forecasts.db)
    assert con.execute("select created from questions").fetchone() == (
        "2025-12-31T23:00:00+00:00",)
    assert con.execute("select recorded from forecasts").fetchone() == (
        "2026-01-01T05:00:00+00:00",)
    assert con.execute("select created from forecasters where name = 'Bob'").fetchone() == (
        "2026-01-01T10:00:00.500000+00:00",)
    forecasts.ok("verify")
    # an export imports into an identical database: the stored form is the exported one
    exported = forecasts.ok("export").stdout
    again = tmp_path / "again.jsonl"
    again.write_text(exported, encoding="utf-8")
    from conftest import Forecasts

    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(again))
    assert copy.ok("export").stdout == exported


def test_an_old_week_date_cannot_open_a_question_to_hindsight(forecasts, tmp_path):
    """The contract check's attack: a resolution recorded with a week date compared as text
    came before every ISO time, so a forecast after the outcome still counted."""
    path = write_lines(tmp_path / "in.jsonl", QUESTION,
                       {**FORECAST, "recorded": "2026-01-01T09:00:00+00:00"},
                       {"type": "resolution", "question": "q4", "outcome": "yes",
                        "resolved": "2026-06-30", "recorded": "2026-06-30T12:00:00+00:00"})
    forecasts.ok("import", path)
    result = forecasts("forecast", "q4", "--by", "Mallory", "-p", "100%", "--on", "2026-01-05")
    assert result.exit_code == 2 and "--late" in result.stderr
    assert [r["forecaster"] for r in forecasts.json("score")] == ["Alice"]
