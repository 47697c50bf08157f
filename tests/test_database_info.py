"""Issue 16: the commands say where the data is: a read on a missing or empty database names
the file, the write that creates one says so, and `forecasts info` describes it."""

import json
import os

import pytest


def test_a_read_on_a_missing_database_names_the_file_and_creates_nothing(forecasts):
    result = forecasts.ok("list")
    assert f"No questions in {forecasts.db}" in result.stdout
    assert "does not exist" in result.stdout and not os.path.exists(forecasts.db)


def test_a_read_on_an_empty_database_names_it(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01")
    result = forecasts.ok("list", "--resolved")
    assert f"No questions (resolved) in {forecasts.db}." in result.stdout


def test_the_write_that_creates_the_database_says_so_once(forecasts):
    first = forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01")
    assert f"created a new database at {forecasts.db}" in first.stderr
    second = forecasts.ok("forecast", "1", "--by", "B", "-p", "0.6", "--on", "2025-01-02")
    assert "created" not in second.stderr


@pytest.mark.parametrize("args", [
    ("add", "", "--by", "A", "-p", "0.5"),                      # an empty question
    ("add", "Event", "--by", "A", "-p", "1.5"),                 # a probability past 1
    ("add", "Event", "--by", "", "-p", "0.5"),                  # an empty name
    ("resolve", "nothing", "yes"),                              # no such question
])
def test_a_first_command_that_fails_leaves_no_database_behind(forecasts, args):
    result = forecasts(*args)
    assert result.exit_code != 0
    assert "created" not in result.stderr
    assert not any(os.path.exists(forecasts.db + suffix) for suffix in ("", "-wal", "-shm"))


def test_an_import_that_fails_into_a_new_path_leaves_no_database_behind(forecasts, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"type": "forecaster", "name": "A"}\n{"type": "forecast", "question": "q"'
                   ', "by": "A", "p": 0.5, "made": "2025-01-01"}\n', encoding="utf-8")
    result = forecasts("import", str(bad))
    assert result.exit_code != 0 and "nothing was imported" in result.stderr
    assert not os.path.exists(forecasts.db)


def test_a_failed_command_keeps_a_database_it_did_not_create(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01")
    assert forecasts("add", "Other", "--by", "A", "-p", "2").exit_code != 0
    assert forecasts.counts()["forecasts"] == 1


def test_info_prints_path_schema_counts_chain_head_and_size(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    facts = json.loads(forecasts.ok("info", "--json").stdout)
    head = forecasts.ok("verify").stdout.split("Chain head: ")[1].split()[0]
    assert facts["path"] == os.path.abspath(forecasts.db)
    assert facts["counts"] == {"forecasters": 1, "sources": 0, "questions": 1, "forecasts": 1,
                               "resolutions": 1, "corrections": 0}
    assert facts["chain_head"] == head and facts["chain_entries"] == 4
    assert facts["schema_version"] >= 3 and facts["size_bytes"] >= os.path.getsize(forecasts.db)
    text = forecasts.ok("info").stdout
    assert os.path.abspath(forecasts.db) in text and head in text


def test_info_on_a_missing_database_is_one_clean_error(forecasts):
    result = forecasts("info")
    assert result.exit_code == 1 and "no database at" in result.stderr
    assert not os.path.exists(forecasts.db)
