"""Corrections as new records: retract (and undo), amend a question, give a forecast to the
right forecaster, rename and merge forecasters (and undo a merge). History is kept, the hash
chain covers the corrections, and scores, list and show read the corrected state."""

import json
import sqlite3

import pytest
from conftest import Forecasts


def scores(forecasts, *args):
    return {r["forecaster"]: r for r in forecasts.json("score", *args)}


@pytest.fixture
def rain(forecasts):
    """A question with three forecasts: Ann 80%, Bob 20%, and 'Putin' 40%."""
    forecasts.ok("add", "Rain in May", "--by", "Ann", "-p", "80%", "--on", "2025-01-01",
                 "--resolves", "2025-06-01", "--tag", "beta")
    forecasts.ok("forecast", "1", "--by", "Bob", "-p", "20%", "--on", "2025-01-02")
    forecasts.ok("forecast", "1", "--by", "Putin", "-p", "40%", "--on", "2025-01-03")
    return forecasts


def verify_ok(forecasts):
    report = forecasts.json("verify")
    assert report["ok"] and report["problems"] == []
    return report


def test_a_retracted_forecast_is_kept_struck_through_and_not_scored(rain):
    rain.ok("retract", "1", "--reason", "typed 80% for 8%", "--who", "editor")
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    assert set(scores(rain)) == {"Bob", "Putin"}
    shown = rain.ok("show", "1").stdout
    assert "#1  2025-01-01  Ann: 80%  [RETRACTED" in shown and "typed 80% for 8%" in shown
    assert "retracted forecast #1  by editor: typed 80% for 8%" in shown
    detail = rain.json("show", "1")
    assert [f["retracted"] for f in detail["forecasts"]] == [True, False, False]
    logged = rain.ok("log", "1").stdout
    assert "[not scored: retracted]" in logged and "correction #1" in logged
    assert [row["forecasts"] for row in rain.json("list")] == [2]
    report = verify_ok(rain)
    assert report["counts"]["corrections"] == 1 and report["counts"]["forecasts"] == 3


def test_the_correction_is_in_the_hash_chain_and_an_edit_of_it_is_found(rain):
    rain.ok("retract", "2", "--reason", "test question")
    con = sqlite3.connect(rain.db)
    assert con.execute("SELECT row_table FROM hash_chain ORDER BY seq DESC LIMIT 1"
                       ).fetchone()[0] == "corrections"
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE corrections SET reason = 'x'")
    con.execute("DROP TRIGGER corrections_no_update")
    con.execute("UPDATE corrections SET reason = 'no reason at all'")
    con.commit()
    con.close()
    result = rain("verify")
    assert result.exit_code == 1 and "corrections #1: edited" in result.stdout


def test_a_retraction_after_the_resolution_is_refused_and_writes_nothing(rain):
    rain.ok("resolve", "1", "yes", "--on", "2025-06-01")
    before = rain.counts()
    result = rain("retract", "1", "--reason", "it went badly")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "already resolved as yes" in result.stderr and "hindsight" in result.stderr
    assert rain.counts() == before


def test_retracting_twice_records_nothing_and_undo_restores_the_forecast(rain):
    rain.ok("retract", "1", "--reason", "mistake")
    again = rain.ok("retract", "1", "--reason", "mistake")
    assert "already retracted" in again.stdout and rain.counts()["corrections"] == 1
    rain.ok("retract", "1", "--undo", "--reason", "it was right after all")
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    assert set(scores(rain)) == {"Ann", "Bob", "Putin"}
    assert "restored forecast #1" in rain.ok("show", "1").stdout
    verify_ok(rain)


@pytest.mark.parametrize("args, message", [
    (["retract", "99", "--reason", "x"], "no forecast #99"),
    (["retract", "one", "--reason", "x"], "not a forecast number"),
    (["retract", "1", "--reason", "  "], "say why"),
    (["retract", "1", "--undo", "--reason", "x"], "is not retracted"),
    (["amend", "1", "--reason", "x"], "already reads so"),
    (["amend", "1", "--resolves", "2024-01-01", "--reason", "x"], "not after"),
    (["amend", "1", "--remove-tag", "nope", "--reason", "x"], "has no tag 'nope'"),
    (["forecaster", "merge", "Ann", "into", "Ann"], "same forecaster"),
    (["forecaster", "merge", "Nobody", "into", "Ann"], "no forecaster named 'Nobody'"),
    (["forecaster", "rename", "Ann", "Bob"], "merge them"),
    (["forecaster", "unmerge", "Ann"], "not merged"),
])
def test_bad_corrections_are_one_line_and_write_nothing(rain, args, message):
    before = rain.counts()
    result = rain(*args)
    assert result.exit_code in (1, 2) and message in result.stderr, result.output
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert rain.counts() == before


def test_amend_keeps_the_history_and_the_current_state_is_shown(rain):
    rain.ok("amend", "1", "--text", "Rain in Berlin in May", "--criteria", "DWD station data",
            "--add-tag", "weather", "--remove-tag", "beta", "--reason", "clearer wording",
            "--who", "editor")
    detail = rain.json("show", "1")
    question = detail["question"]
    assert question["text"] == "Rain in Berlin in May"
    assert question["criteria"] == "DWD station data" and question["tags"] == ["weather"]
    [amendment] = detail["corrections"]
    assert amendment["changes"]["text"] == ["Rain in May", "Rain in Berlin in May"]
    assert amendment["author"] == "editor" and amendment["reason"] == "clearer wording"
    assert rain.json("list")[0]["text"] == "Rain in Berlin in May"
    assert "text Rain in May -> Rain in Berlin in May" in rain.ok("show", "1").stdout
    # the question as first recorded is untouched
    con = sqlite3.connect(rain.db)
    assert con.execute("SELECT text FROM questions").fetchone()[0] == "Rain in May"
    verify_ok(rain)


def test_moving_the_resolution_date_after_forecasts_is_flagged_and_changes_the_cutoff(rain):
    result = rain.ok("amend", "1", "--resolves", "2025-01-02", "--reason", "the vote was early")
    assert "3 forecasts" in result.stderr
    shown = rain.ok("show", "1").stdout
    assert "flagged: resolution date moved from 2025-06-01 to 2025-01-02 after 3 forecasts" \
        in shown
    rain.ok("resolve", "1", "no", "--on", "2025-01-02")
    # forecasts made on or after the new date are late now
    table = scores(rain)
    assert set(table) == {"Ann"} and table["Ann"]["brier"] == pytest.approx(0.64)


def test_reassign_gives_a_forecast_to_the_right_forecaster(rain):
    rain.ok("reassign", "2", "--to", "Carol", "--reason", "the quote is Carol's")
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    table = scores(rain)
    assert "Bob" not in table and table["Carol"]["questions"] == 1
    assert "forecast #2 given to Carol (was Bob)" in rain.ok("show", "1").stdout
    verify_ok(rain)


def test_rename_keeps_the_old_name_as_an_alias(rain):
    rain.ok("forecaster", "rename", "Bob", "Robert Brown")
    rain.ok("forecast", "1", "--by", "bob", "-p", "25%", "--on", "2025-01-04")
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    table = scores(rain)
    assert "Bob" not in table and table["Robert Brown"]["brier"] == pytest.approx(0.0625)
    listed = {r["name"]: r for r in rain.json("forecaster", "list")}
    assert listed["Robert Brown"]["also_known_as"] == ["Bob"]
    assert listed["Robert Brown"]["forecasts"] == 2
    verify_ok(rain)


@pytest.mark.parametrize("new, other, difference", [
    ("\u0410nn", "Ann", "U+0410 CYRILLIC CAPITAL LETTER A where it has U+0041 LATIN CAPITAL "
                      "LETTER A"),
    ("\u0420utin", "Putin", "U+0420 CYRILLIC CAPITAL LETTER ER where it has U+0050 LATIN "
                          "CAPITAL LETTER P"),
])
def test_rename_to_a_lookalike_of_another_forecaster_needs_confirming(rain, new, other,
                                                                      difference):
    before = rain.counts()
    result = rain("forecaster", "rename", "Bob", new)
    assert result.exit_code == 2 and rain.counts() == before
    assert result.stderr == (f"Error: name: {ascii(new)} looks like the existing forecaster "
                             f"{other!r} ({difference}): use {other!r}, or confirm that this is "
                             "someone else; give --confirm-lookalike to record it anyway\n")
    rain.ok("forecaster", "rename", "Bob", new, "--confirm-lookalike")
    assert {r["name"] for r in rain.json("forecaster", "list")} == {"Ann", "Putin", new}
    verify_ok(rain)


def test_rename_to_a_lookalike_of_an_old_name_needs_confirming_but_not_of_its_own(rain):
    rain.ok("forecaster", "rename", "Ann", "Ann Lee")
    result = rain("forecaster", "rename", "Bob", "\u0410nn")  # "Ann" still finds Ann Lee
    assert result.exit_code == 2 and "looks like the existing forecaster 'Ann'" in result.stderr
    rain.ok("forecaster", "rename", "Ann Lee", "\u0410nn")  # her own old name: no one else's
    rain.ok("forecaster", "rename", "Bob", "BOB")  # a case change of its own name


def test_merge_counts_both_names_as_one_forecaster_and_can_be_undone(rain):
    rain.ok("forecast", "1", "--by", "Vladimir Putin", "-p", "30%", "--on", "2025-01-02")
    merged = rain.ok("forecaster", "merge", "Putin", "into", "Vladimir Putin")
    assert "unmerge" in merged.stdout
    # later imports and add --by find the merged forecaster
    rain.ok("add", "Snow in June", "--by", "putin", "-p", "10%", "--on", "2025-01-01",
            "--resolves", "2025-07-01")
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    table = scores(rain)
    assert "Putin" not in table
    # the latest of the two names' forecasts (40% on 2025-01-03) is the one scored
    assert table["Vladimir Putin"]["brier"] == pytest.approx(0.16)
    assert rain.json("show", "2")["forecasts"][0]["forecaster"] == "Vladimir Putin"
    listed = {r["name"]: r for r in rain.json("forecaster", "list")}
    assert listed["Putin"]["merged_into"] == "Vladimir Putin"
    rain.ok("forecaster", "unmerge", "Putin")
    table = scores(rain)
    assert table["Putin"]["brier"] == pytest.approx(0.16)
    assert table["Vladimir Putin"]["brier"] == pytest.approx(0.09)
    verify_ok(rain)


def test_the_score_views_for_sql_readers_leave_a_retracted_forecast_out(rain):
    rain.ok("retract", "1", "--reason", "mistake")
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    con = sqlite3.connect(rain.db)
    rows = dict(con.execute("SELECT forecaster, hindsight FROM forecast_scores"))
    assert rows["Ann"] == "retracted"
    assert {r[0] for r in con.execute("SELECT forecaster FROM forecaster_scores")} == {
        "Bob", "Putin"}



def test_an_import_finds_a_renamed_or_merged_forecaster_by_any_of_its_names(rain, tmp_path):
    rain.ok("forecaster", "rename", "Bob", "Robert Brown")
    rain.ok("forecast", "1", "--by", "Vladimir Putin", "-p", "30%", "--on", "2025-01-02")
    rain.ok("forecaster", "merge", "Putin", "into", "Vladimir Putin")
    lines = [{"type": "forecast", "question": "rain-in-may", "by": by, "p": p, "made": made}
             for by, p, made in (("Robert Brown", 0.3, "2025-01-05"), ("bob", 0.35, "2025-01-06"),
                                 ("Putin", 0.5, "2025-01-07"))]
    path = tmp_path / "more.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    imported = rain.ok("import", str(path)).stdout
    assert "0 new forecasters" in imported
    names = {r["name"] for r in rain.json("forecaster", "list")}
    assert names == {"Ann", "Robert Brown", "Putin", "Vladimir Putin"}
    rain.ok("resolve", "1", "no", "--on", "2025-06-01")
    table = scores(rain)
    assert table["Robert Brown"]["brier"] == pytest.approx(0.35 ** 2)   # its latest, by the old name
    assert table["Vladimir Putin"]["brier"] == pytest.approx(0.25)      # the merged name's 50%


def test_an_export_carries_every_correction_and_imports_to_the_same_state(rain, tmp_path):
    rain.ok("retract", "2", "--reason", "typed Bob's 20% by mistake")
    rain.ok("retract", "2", "--undo", "--reason", "it was right after all")
    rain.ok("retract", "1", "--reason", "a test forecast")
    rain.ok("amend", "1", "--text", "Rain in Berlin in May", "--resolves", "2025-05-31",
            "--add-tag", "weather", "--remove-tag", "beta", "--reason", "the city was missing")
    rain.ok("forecast", "1", "--by", "Ann", "-p", "60%", "--on", "2025-01-04")
    rain.ok("reassign", "4", "--to", "Bob", "--reason", "it was Bob's")
    rain.ok("forecaster", "rename", "Bob", "Robert Brown")
    rain.ok("forecast", "1", "--by", "Vladimir Putin", "-p", "30%", "--on", "2025-01-02")
    rain.ok("forecaster", "merge", "Putin", "into", "Vladimir Putin")
    rain.ok("resolve", "1", "no", "--on", "2025-05-31")
    exported = rain.ok("export").stdout
    assert exported.count('"type": "correction"') == 7
    copy = Forecasts(tmp_path / "copy.db")
    path = tmp_path / "all.jsonl"
    path.write_text(exported, encoding="utf-8")
    assert "7 new corrections" in copy.ok("import", str(path)).stdout
    assert copy.ok("export").stdout == exported
    assert copy.json("verify")["head"] == rain.json("verify")["head"]
    assert scores(copy) == scores(rain)
    assert copy.json("show", "1") == rain.json("show", "1")
    assert copy.json("forecaster", "list") == rain.json("forecaster", "list")
    # importing it again adds nothing
    assert "new correction" not in copy.ok("import", str(path)).stdout
    assert copy.ok("export").stdout == exported


@pytest.mark.parametrize("change, message", [
    ({"action": "erase"}, "correction action must be one of"),
    ({"reason": " "}, "needs its 'reason'"),
    ({"forecaster": "Nobody"}, "forecaster 'Nobody'"),
    ({"forecast": {"question": "rain-in-may", "by": "Ann", "made": "2024-01-01"}},
     "names a forecast on rain-in-may that is not in the database"),
    ({"changes": [1, 2]}, "'changes' must be an object"),
    ({"action": "amend", "forecaster": None, "question": "rain-in-may", "changes": {"tags": 5}},
     "must be [tags before, tags after]"),
    # retracting a wrong forecast once the outcome is known, through a file
    ({"action": "retract", "forecaster": None, "changes": None,
      "forecast": {"question": "rain-in-may", "by": "Bob", "made": "2025-01-02"},
      "recorded": "2025-07-01T00:00:00+00:00",
      "_before": {"type": "resolution", "question": "rain-in-may", "outcome": "yes",
                  "resolved": "2025-06-01", "recorded": "2025-06-02T00:00:00+00:00"}},
     "would be hindsight"),
])
def test_a_bad_correction_record_is_one_line_and_imports_nothing(rain, tmp_path, change, message):
    record = {"type": "correction", "action": "rename", "forecaster": "Bob",
              "changes": {"name": ["Bob", "Bobby"]}, "reason": "nickname", **change}
    before_it = [record.pop("_before")] if "_before" in record else []
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in [*before_it, record]), encoding="utf-8")
    before = rain.counts()
    result = rain("import", str(path))
    assert result.exit_code == 2 and message in result.output, result.output
    assert result.output.startswith("Error: ") and rain.counts() == before


def test_the_report_strikes_a_retracted_forecast_through(rain, tmp_path):
    rain.ok("retract", "3", "--reason", "not Putin's words")
    page = tmp_path / "report.html"
    rain.ok("report", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert "<s><b>Putin</b></s>" in html and "<s><b>40%</b></s>" in html
    assert "not Putin&#x27;s words; not scored" in html or "not Putin's words; not scored" in html
    assert html.count("<s>") == 3  # its date, forecaster and probability; nothing else
