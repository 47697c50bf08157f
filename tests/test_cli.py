"""The core loop through the real CLI on real temporary SQLite databases."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from conftest import QUESTION, add_berlin

from forecasts.cli import cli


def test_issue_walkthrough(forecasts):
    """The exact session of the issue: add, forecast, list --due, resolve, score."""
    result = add_berlin(forecasts)
    assert "Logged forecast #1 on question #1" in result.stdout
    assert "26.5%" in result.stdout and "probably not" in result.stdout
    forecasts.ok("forecast", "1", "--by", "Keir Giles", "-p", "5%", "--on", "2025-12-16")
    due = forecasts.ok("list", "--due").stdout
    assert QUESTION in due and "forecasts resolve 1" in due
    forecasts.ok("resolve", "1", "no", "--on", "2026-06-30", "--evidence", "no agreement")
    rows = forecasts.json("score")
    by_name = {r["forecaster"]: r for r in rows}
    assert by_name["Keir Giles"]["brier"] == pytest.approx(0.05 ** 2)
    assert by_name["Orysia Lutsevych"]["brier"] == pytest.approx(0.265 ** 2)
    assert by_name["Keir Giles"]["questions"] == 1
    assert [r["forecaster"] for r in rows] == ["Keir Giles", "Orysia Lutsevych"]
    table = forecasts.ok("score").stdout
    assert "Keir Giles" in table and "0-1 scale" in table


def test_verbal_probability_stores_phrase_scale_and_number(forecasts):
    add_berlin(forecasts)
    con = sqlite3.connect(forecasts.db)
    row = con.execute("select p_ppm, p_text, verbal, scale, quote from forecasts").fetchone()
    assert row[0] == 265000
    assert row[1] == "probably not" and row[2] == "probably not" and row[3] == "default"
    assert row[4].startswith("I would suggest")


@pytest.mark.parametrize("typed, ppm", [
    ("0.7", 700000), ("70%", 700000), ("7/10", 700000), ("3:1", 750000), ("1 in 4", 250000),
    (".05", 50000), ("33.3%", 333000), ("1/3", 333333), ("0", 0), ("1", 1000000),
    ("unlikely", 200000), ("almost certain", 930000),
])
def test_every_probability_form_is_stored_exactly(forecasts, typed, ppm):
    forecasts.ok("add", "Event", "--by", "A", "-p", typed, "--on", "2025-01-01",
                 "--resolves", "2025-06-30")
    con = sqlite3.connect(forecasts.db)
    assert con.execute("select p_ppm, p_text from forecasts").fetchone() == (ppm, typed)


@pytest.mark.parametrize("horizon, expected", [
    ("2026-06-30", "2026-06-30"), ("end of year", "2025-12-31"),
    ("by the end of 2026", "2026-12-31"), ("Q1 2026", "2026-03-31"), ("mid-2026", "2026-06-30"),
    ("in 6 months", "2026-06-16"), ("within weeks", "2026-02-10"),
])
def test_resolution_horizons_relative_to_the_forecast_date(forecasts, horizon, expected):
    rows = forecasts.json("add", "Event", "--by", "A", "-p", "0.5", "--on", "2025-12-16",
                          "--resolves", horizon)
    assert rows["resolves"] == expected


def test_multiple_choice_question_and_resolution(forecasts):
    forecasts.ok("add", "State of the war at the end of 2026", "--by", "Defence Desk",
                 "--option", "cold peace", "--option", "war grinds on",
                 "--option", "interim ceasefire", "-p", "cold peace=25%",
                 "-p", "war grinds on=50%", "-p", "interim ceasefire=25%",
                 "--on", "2025-12-06", "--resolves", "2026-12-31")
    forecasts.ok("forecast", "1", "--by", "Other", "-p", "Cold Peace=0.6",
                 "-p", "war grinds on=0.3", "-p", "interim ceasefire=0.1", "--on", "2025-12-07")
    shown = forecasts.json("show", "1")
    assert shown["question"]["options"] == ["cold peace", "war grinds on", "interim ceasefire"]
    assert shown["forecasts"][1]["option_ppm"] == {
        "cold peace": 600000, "war grinds on": 300000, "interim ceasefire": 100000}
    forecasts.ok("resolve", "1", "War Grinds On", "--on", "2026-11-01")
    scores = {r["forecaster"]: r["brier"] for r in forecasts.json("score")}
    # halved Brier 1950: 0.5 * ((0.25)^2 + (0.5)^2 + (0.25)^2) = 0.1875
    assert scores["Defence Desk"] == pytest.approx(0.1875)
    assert scores["Other"] == pytest.approx(0.5 * (0.36 + 0.49 + 0.01))


def test_latest_forecast_before_resolution_counts_once(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.9", "--on", "2025-01-01",
                 "--resolves", "2025-03-01")
    forecasts.ok("forecast", "1", "--by", "A", "-p", "0.6", "--on", "2025-02-01")
    late = forecasts.ok("forecast", "1", "--by", "A", "-p", "0.99", "--on", "2025-03-01",
                        "--late")
    assert "never be scored" in late.stderr
    forecasts.ok("resolve", "1", "yes", "--on", "2025-03-01")
    (row,) = forecasts.json("score")
    assert row["questions"] == 1
    assert row["brier"] == pytest.approx(0.4 ** 2)
    assert row["late_forecasts"] == 1
    shown = forecasts.ok("show", "1").stdout
    assert "not scored" in shown


def test_early_resolution_excludes_forecasts_made_after_the_outcome_was_known(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.2", "--on", "2025-01-01",
                 "--resolves", "2025-12-31")
    forecasts.ok("forecast", "1", "--by", "B", "-p", "0.95", "--on", "2025-05-02")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-05-01")
    rows = forecasts.json("score")
    assert [r["forecaster"] for r in rows] == ["A"]


def test_ambiguous_and_annulled_are_not_scored_but_counted(forecasts):
    for text in ("One", "Two", "Three"):
        forecasts.ok("add", text, "--by", "A", "-p", "0.8", "--on", "2025-01-01",
                     "--resolves", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    forecasts.ok("resolve", "2", "ambiguous", "--on", "2025-02-01")
    forecasts.ok("resolve", "3", "annulled", "--on", "2025-02-01")
    (row,) = forecasts.json("score")
    assert row["questions"] == 1 and row["void_questions"] == 2
    assert row["brier"] == pytest.approx(0.04)


def test_a_resolution_dated_in_the_future_is_refused(forecasts):
    """An outcome is recorded on the day it became known, never ahead (issue 16)."""
    future = (datetime.date.today() + datetime.timedelta(days=40)).isoformat()
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", future)
    before = forecasts.json("show", "1")
    result = forecasts("resolve", "1", "yes", "--on", future)
    assert result.exit_code == 2 and "in the future" in result.stderr
    assert forecasts.json("show", "1") == before
    forecasts.ok("resolve", "1", "yes")
    assert forecasts.json("score")[0]["brier"] == pytest.approx(0.09)


def test_second_resolve_is_a_recorded_correction(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01", "--evidence", "first report")
    result = forecasts.ok("resolve", "1", "no", "--correct", "--on", "2025-02-02",
                          "--evidence", "retracted")
    assert "Corrected" in result.stdout and "yes -> no" in result.stdout
    shown = forecasts.json("show", "1")
    assert [r["outcome"] for r in shown["resolutions"]] == ["yes", "no"]
    assert forecasts.json("score")[0]["brier"] == pytest.approx(0.49)
    text = forecasts.ok("show", "1").stdout
    assert "correction: no" in text and "retracted" in text


def test_list_filters(forecasts):
    add_berlin(forecasts)
    forecasts.ok("add", "Deal by year end", "--by", "Keir Giles", "-p", "10%", "--on",
                 "2025-12-16", "--resolves", "2025-12-31", "--tag", "deal")
    forecasts.ok("add", "Far future", "--by", "Someone", "-p", "10%", "--on", "2025-12-16",
                 "--resolves", "2099-12-31")
    forecasts.ok("resolve", "2", "no", "--on", "2025-12-31")
    ids = lambda *args: [r["id"] for r in forecasts.json("list", *args)]
    assert ids() == [1, 2, 3]
    assert ids("--open") == [1, 3]
    assert ids("--due") == [1]
    assert ids("--resolved") == [2]
    assert ids("--by", "keir giles") == [2]
    assert ids("--tag", "ukraine") == [1]
    csv_out = forecasts.ok("list", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("#,Question") and len(csv_out) == 4


def test_show_by_slug_includes_quotes_sources_and_history(forecasts):
    add_berlin(forecasts)
    forecasts.ok("forecast", "russia-accepts-the-berlin-peace-framework", "--by", "Keir Giles",
                 "-p", "5%", "--on", "2025-12-17", "--source", "https://example.org/a")
    text = forecasts.ok("show", "russia-accepts-the-berlin-peace-framework").stdout
    assert "probably will not be acceptable" in text
    assert "https://example.org/a" in text and "(unresolved)" in text
    assert "tags: ukraine" in text


def test_forecaster_names_are_case_insensitive(forecasts):
    add_berlin(forecasts)
    forecasts.ok("forecast", "1", "--by", "orysia lutsevych", "-p", "0.3", "--on", "2025-12-20")
    con = sqlite3.connect(forecasts.db)
    assert con.execute("select count(*) from forecasters").fetchone()[0] == 1


def test_add_with_same_text_reuses_the_question(forecasts):
    add_berlin(forecasts)
    forecasts.ok("add", QUESTION, "--by", "Keir Giles", "-p", "5%", "--on", "2025-12-16")
    assert len(forecasts.json("list")) == 1


def test_json_outputs_are_machine_readable(forecasts):
    add_berlin(forecasts)
    logged = forecasts.json("forecast", "1", "--by", "Keir Giles", "-p", "5%", "--on",
                            "2025-12-16")
    assert logged["forecast_id"] == 2 and logged["question_id"] == 1
    (row,) = forecasts.json("list")
    assert row["text"] == QUESTION and row["status"] == "due" and row["forecasts"] == 2
    resolved = forecasts.json("resolve", "1", "no", "--on", "2026-07-01")
    assert resolved["outcome"] == "no" and resolved["correction"] is False


BAD_INPUTS = [
    (["-p", "1.5"], "between 0 and 1"),
    (["-p", "-0.1"], "between 0 and 1"),
    (["-p", "150%"], "between 0 and 1"),
    (["-p", "70"], "70%"),
    (["-p", "abc"], "abc"),
    (["-p", "probly nto"], "probably not"),
    (["-p", "0:0"], "0:0"),
    (["-p", "0.5", "--on", "2025-13-45"], "2025-13-45"),
    (["-p", "0.5", "--on", "not a date"], "not a date"),
    (["-p", "0.5", "--on", "2999-01-01"], "future"),
]


@pytest.mark.parametrize("args, needle", BAD_INPUTS)
def test_bad_forecast_input_is_one_line_and_writes_nothing(forecasts, args, needle):
    add_berlin(forecasts)
    before = forecasts.counts()
    result = forecasts("forecast", "1", "--by", "Carol", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert needle in result.stderr
    assert "Traceback" not in result.output
    assert forecasts.counts() == before


def test_ambiguous_bare_number_explains_both_readings(forecasts):
    add_berlin(forecasts)
    result = forecasts("forecast", "1", "--by", "Carol", "-p", "70", "--on", "2025-12-20")
    assert "70%" in result.stderr and "0.7" in result.stderr


@pytest.mark.parametrize("args, needle", [
    (["add", "Bad dates", "--by", "C", "-p", "0.5", "--on", "2025-06-01", "--resolves",
      "2025-01-01"], "not after the forecast date"),
    (["add", "Bad horizon", "--by", "C", "-p", "0.5", "--on", "2025-06-01", "--resolves",
      "eventually"], "eventually"),
    (["add", "MC", "--by", "C", "--option", "a", "--option", "b", "-p", "a=0.6", "-p", "b=0.6",
      "--on", "2025-01-01"], "sum"),
    (["add", "MC", "--by", "C", "--option", "a", "--option", "b", "-p", "a=0.5", "-p", "c=0.5",
      "--on", "2025-01-01"], "c"),
    (["add", "MC", "--by", "C", "--option", "a", "--option", "b", "-p", "0.5",
      "--on", "2025-01-01"], "LABEL=PROB"),
    (["add", "MC", "--by", "C", "--option", "a", "--option", "A", "-p", "a=0.5",
      "--on", "2025-01-01"], "twice"),
    (["add", "Binary", "--by", "C", "-p", "a=0.5", "--on", "2025-01-01"], "yes/no"),
    (["add", "   ", "--by", "C", "-p", "0.5", "--on", "2025-01-01"], "empty"),
    (["add", "No prob", "--by", "C", "--on", "2025-01-01"], "-p"),
    (["resolve", "1", "maybe"], "yes, no, ambiguous or annulled"),
])
def test_other_bad_inputs(forecasts, args, needle):
    add_berlin(forecasts)
    before = forecasts.counts()
    result = forecasts(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr
    assert forecasts.counts() == before


def test_unknown_question_and_option_outcome(forecasts):
    forecasts.ok("add", "MC", "--by", "C", "--option", "a", "--option", "b", "-p", "a=0.5",
                 "-p", "b=0.5", "--on", "2025-01-01", "--resolves", "2025-02-01")
    before = forecasts.counts()
    for args in (["forecast", "999", "--by", "C", "-p", "0.5"], ["show", "999"],
                 ["resolve", "nope", "yes"], ["resolve", "1", "c"], ["resolve", "1", "yes"]):
        result = forecasts(*args)
        assert result.exit_code != 0 and len(result.stderr.strip().splitlines()) == 1, args
    assert "not an option" in forecasts("resolve", "1", "c").stderr
    assert forecasts.counts() == before


def test_score_filters_by_forecaster_and_tag(forecasts):
    add_berlin(forecasts)
    forecasts.ok("add", "Other", "--by", "Keir Giles", "-p", "0.9", "--on", "2025-01-01",
                 "--resolves", "2025-02-01", "--tag", "misc")
    forecasts.ok("forecast", "1", "--by", "Keir Giles", "-p", "5%", "--on", "2025-12-16")
    forecasts.ok("resolve", "1", "no", "--on", "2026-07-01")
    forecasts.ok("resolve", "2", "yes", "--on", "2025-02-01")
    assert [r["questions"] for r in forecasts.json("score", "--by", "Keir Giles")] == [2]
    assert [r["forecaster"] for r in forecasts.json("score", "--tag", "misc")] == ["Keir Giles"]
    csv_out = forecasts.ok("score", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("Forecaster,Questions,Brier")


def test_calibration_table(forecasts):
    for i in range(10):
        forecasts.ok("add", f"Event {i}", "--by", "A", "-p", "70%", "--on", "2025-01-01",
                     "--resolves", "2025-02-01")
        forecasts.ok("resolve", str(i + 1), "yes" if i < 7 else "no", "--on", "2025-02-01")
    (row,) = forecasts.json("calibration")["bins"]
    assert (row["lo"], row["hi"], row["n"]) == (0.65, 0.75, 10)
    assert row["observed"] == pytest.approx(0.7) and row["mean_forecast"] == pytest.approx(0.7)
    assert row["ci_low"] < 0.7 < row["ci_high"]
    assert "65%-75%" in forecasts.ok("calibration").stdout


def test_import_is_all_or_nothing(forecasts, tmp_path):
    good = tmp_path / "good.jsonl"
    lines = [
        {"type": "question", "id": "rain", "text": "It rains", "resolves": "2025-01-02"},
        {"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-01"},
        {"type": "resolution", "question": "rain", "outcome": "yes", "resolved": "2025-01-02"},
    ]
    good.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good.read_text() + '{"type": "forecast", "question": "rain", "p": 2}\n')
    result = forecasts("import", str(bad))
    assert result.exit_code == 2 and "line 4" in result.stderr
    assert not any(n for t, n in forecasts.counts().items() if not t.startswith("_"))
    forecasts.ok("import", str(good))
    before = forecasts.counts()
    forecasts.ok("import", str(good))
    assert forecasts.counts() == before
    assert forecasts.json("score")[0]["brier"] == pytest.approx(0.09)


def test_demo_uses_its_own_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "predictions.db").exists()
    out = result.stdout
    assert "bundled sample" in out and "synthetic" in out.lower()
    assert "Cal Ibrated (synthetic)" in out and "Calibration" in out
    assert "forecasts resolve" in out
    folder = out.split("a database of its own at ")[1].split()[0].rsplit("/", 1)[0]
    assert not os.path.exists(folder) and "--keep" in out
    # its first line names the database: no note after it says the file was removed
    assert "created a new database" not in result.stderr


def test_demo_keep_keeps_its_temporary_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["demo", "--keep"], catch_exceptions=False)
    path = result.stdout.split("a database of its own at ")[1].split()[0]
    try:
        assert os.path.exists(path) and f"forecasts show 1 --db {path}" in result.stdout
    finally:
        import shutil

        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def test_demo_into_a_named_database_then_explore(tmp_path):
    from conftest import Forecasts

    forecasts = Forecasts(tmp_path / "demo.db")
    forecasts.ok("demo")
    scores = {r["forecaster"]: r for r in forecasts.json("score", "--tag", "synthetic-panel")}
    calibrated = scores["Cal Ibrated (synthetic)"]["brier"]
    assert calibrated < scores["Otto Confident (synthetic)"]["brier"]
    assert calibrated < scores["Una Dersure (synthetic)"]["brier"]
    again = forecasts("demo")
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_python_dash_m_and_checkout_entry_point(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "FORECASTS_DB": str(tmp_path / "x.db")}
    for command in ([sys.executable, "-m", "forecasts", "--help"],
                    [sys.executable, os.path.join(root, "cli.py"), "--help"]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=root, env=env)
        assert result.returncode == 0 and "resolve" in result.stdout, result.stderr


def test_environment_variable_selects_the_database(tmp_path):
    from click.testing import CliRunner

    db = tmp_path / "env.db"
    result = CliRunner(env={"FORECASTS_DB": str(db)}).invoke(
        cli, ["add", "X", "--by", "A", "-p", "0.5", "--on", "2025-01-01"])
    assert result.exit_code == 0 and db.exists()


def test_dates_default_to_today(forecasts):
    forecasts.ok("add", "X", "--by", "A", "-p", "0.5", "--resolves", "in 6 months")
    (row,) = forecasts.json("list")
    assert row["opens"] == datetime.date.today().isoformat()


def test_scales_command_lists_and_prints_scales(forecasts):
    listing = forecasts.runner.invoke(cli, ["scales"]).stdout
    assert "default" in listing and "icd203" in listing
    rows = forecasts.runner.invoke(cli, ["scales", "default", "--json"]).stdout
    phrases = {r["phrase"]: r for r in json.loads(rows)}
    assert phrases["probably not"]["p"] == 0.265 and phrases["probably not"]["p_source"]
    bad = forecasts.runner.invoke(cli, ["scales", "nope"])
    assert bad.exit_code == 2 and "known scales" in bad.stderr


def test_scale_option_changes_the_reading(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "likely", "--scale", "icd203",
                 "--on", "2025-01-01", "--resolves", "2025-06-30")
    con = sqlite3.connect(forecasts.db)
    assert con.execute("select p_ppm, verbal, scale from forecasts").fetchone() == (
        675000, "likely", "icd203")


def test_multiple_choice_option_left_out_is_recorded_as_zero(forecasts):
    forecasts.ok("add", "Outlook", "--by", "Desk", "--option", "a", "--option", "b",
                 "--option", "c", "-p", "a=40%", "-p", "b=60%", "--on", "2025-01-01",
                 "--resolves", "2025-06-30")
    (f,) = forecasts.json("show", "1")["forecasts"]
    assert f["option_ppm"] == {"a": 400000, "b": 600000, "c": 0}
    assert f["p_text"] == "a=40%; b=60%; c=0"


@pytest.mark.parametrize("args, needle", [
    (["forecast", "1", "--by", "B", "-p", "0.5", "--on", ""], "--on"),
    (["forecast", "1", "--by", "B", "-p", "0.5", "--scale", "nope"], "unknown scale"),
    (["resolve", "1", "yes", "--on", "2025-12-01"], "before the question opened"),
    (["resolve", "1", "yes", "--on", ""], "--on"),
])
def test_more_bad_inputs(forecasts, args, needle):
    add_berlin(forecasts)
    before = forecasts.counts()
    result = forecasts(*args)
    assert result.exit_code == 2 and needle in result.stderr, result.output
    assert forecasts.counts() == before


def test_hostile_text_is_stored_and_shown_safely(forecasts):
    quote = "<script>alert(1)</script>\x1b[31m red \x07" + "x" * 100_000
    forecasts.ok("add", "Robert'); DROP TABLE questions;--\x07", "--by", "Eve\x1b[2J",
                 "-p", "0.3", "--on", "2025-01-01", "--quote", quote)
    shown = forecasts.json("show", "1")
    assert shown["question"]["text"] == "Robert'); DROP TABLE questions;--"
    assert shown["forecasts"][0]["forecaster"] == "Eve[2J"
    assert shown["forecasts"][0]["quote"] == quote
    text = forecasts.ok("show", "1").stdout
    assert "\x1b" not in text and "\x07" not in text and "\\x1b[31m" in text
    assert "<script>alert(1)</script>" in text




@pytest.mark.parametrize("args, line", [
    (["add", "x", "-p", "30%"], "Error: Missing option '--by' (see `forecasts add --help`)"),
    (["score", "--bogus"], "Error: No such option '--bogus' (see `forecasts score --help`)"),
    (["scroe"], "Error: No such command 'scroe'. Did you mean 'score'? (see `forecasts --help`)"),
    (["score", "--brier-scale", "3"], "Error: Invalid value for '--brier-scale': '3' is not one "
     "of '1', '2' (see `forecasts score --help`)"),
    (["forecaster", "renam", "a", "b"], "Error: No such command 'renam'. Did you mean 'rename'? "
     "(see `forecasts forecaster --help`)"),
])
def test_a_usage_mistake_is_one_line_that_points_to_the_help(forecasts, args, line):
    result = forecasts(*args)
    assert result.exit_code == 2 and result.stderr.splitlines() == [line]
    assert not os.path.exists(forecasts.db)


def test_an_empty_score_table_says_why(forecasts):
    assert forecasts.ok("score").stdout.startswith("No resolved questions to score yet in ")
    forecasts.ok("add", "Q", "--by", "A", "-p", "50%", "--on", "2026-01-01",
                 "--resolves", "2026-06-01", "--tag", "work")
    assert forecasts.ok("score", "--tag", "wrok").stdout.startswith("No question is tagged 'wrok'")
    forecasts.ok("resolve", "1", "yes", "--on", "2026-01-01")  # the day it was made: too late
    assert forecasts.ok("score", "--tag", "work").stdout.strip() == (
        f"Nothing to score in {forecasts.db}: 1 resolved question tagged 'work', but no forecast "
        "on it counts: each was made once the outcome could be known, or the question is void "
        "(`forecasts show` marks which).")
