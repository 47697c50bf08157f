"""Issue 19: verify sees everything that changes what is shown (the schema, values of the wrong
type), and a file that is not a forecasts database is never changed."""

import sqlite3
import subprocess
import sys

import pytest
from conftest import Forecasts, dump


@pytest.fixture
def resolved(forecasts):
    forecasts.ok("add", "Sun rises", "--by", "Ann", "-p", "0.9", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    return forecasts


def outside(db, *statements):
    con = sqlite3.connect(db)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()


def test_a_fresh_database_has_exactly_the_migrations_schema(resolved):
    assert resolved.ok("verify").stdout.startswith("OK: 4 records")


def test_a_redefined_view_that_flips_outcomes_is_named(resolved):
    con = sqlite3.connect(resolved.db)
    sql = con.execute("select sql from sqlite_master where name = 'current_resolutions'"
                      ).fetchone()[0]
    con.execute("drop view current_resolutions")
    con.execute(sql.replace("SELECT r.*", "SELECT r.id, r.question_id, CASE r.outcome WHEN 'yes'"
                            " THEN 'no' ELSE 'yes' END AS outcome, r.option_id, r.resolved,"
                            " r.evidence, r.note, r.recorded, r.hash", 1))
    con.commit()
    con.close()
    assert resolved.json("list")[0]["outcome"] == "no"  # what is shown changed ...
    result = resolved("verify")  # ... while every record still matches its hash
    assert result.exit_code == 1
    assert result.stdout == ("schema: view current_resolutions was redefined outside forecasts "
                             "(its SQL is not the migrations')\n")


def test_an_added_trigger_and_a_dropped_one_are_named(resolved):
    outside(resolved.db, "CREATE TRIGGER zz_drop BEFORE INSERT ON forecasts WHEN NEW.id < 0 "
                         "BEGIN SELECT RAISE(IGNORE); END",
            "DROP TRIGGER forecasts_no_update", "DROP INDEX forecasts_by_forecaster")
    result = resolved("verify")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "schema: trigger zz_drop added outside forecasts (the migrations make no such trigger)",
        "schema: index forecasts_by_forecaster is missing (dropped outside forecasts)",
        "schema: trigger forecasts_no_update is missing (dropped outside forecasts)"]
    as_json = resolved("verify", "--json")
    assert '"table": "schema"' in as_json.stdout and as_json.exit_code == 1


def test_an_altered_table_is_named(resolved):
    outside(resolved.db, "ALTER TABLE forecasts ADD COLUMN secret TEXT")
    result = resolved("verify")
    assert result.stdout == ("schema: table forecasts was redefined outside forecasts (its SQL "
                             "is not the migrations')\n")


def test_a_blob_where_text_belongs_is_reported_by_verify_export_and_report(resolved, tmp_path):
    outside(resolved.db, "DROP TRIGGER forecasts_no_update",
            "UPDATE forecasts SET quote = x'00ff41' WHERE id = 1")
    outside(resolved.db, "CREATE TRIGGER forecasts_no_update BEFORE UPDATE ON forecasts BEGIN"
                         " SELECT RAISE(ABORT, 'forecasts are append-only: record a new row"
                         " instead'); END")
    result = resolved("verify")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "forecasts #1: edited",
        "forecasts #1: 'quote' holds a BLOB where text belongs (written outside forecasts)"]
    expected = ("Error: forecasts #1: 'quote' holds a BLOB where text belongs (written outside "
                "forecasts); `forecasts verify` lists every value changed outside forecasts\n")
    for args in (["export"], ["export", "--format", "csv"],
                 ["export", "-o", str(tmp_path / "out.jsonl")]):
        result = resolved(*args)
        assert result.exit_code == 1 and result.stderr == expected, (args, result.output)
    assert not (tmp_path / "out.jsonl").exists()
    for args in (["show", "1"], ["report", "--html", str(tmp_path / "r.html")], ["score"]):
        assert "Traceback" not in resolved(*args).output


def test_text_in_an_integer_column_is_reported(resolved):
    outside(resolved.db, "DROP TRIGGER forecasts_no_update",
            "UPDATE forecasts SET forecaster_id = 'Ann' WHERE id = 1")
    result = resolved("verify")
    assert ("forecasts #1: 'forecaster_id' holds text where an integer belongs (written outside"
            " forecasts)") in result.stdout.splitlines()


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["score"], ["verify"], ["info"],
                                     ["log", "1"], ["export"],
                                     ["add", "Q", "--by", "A", "-p", "0.5"]])
def test_a_foreign_sqlite_file_is_refused_and_left_exactly_as_it_was(tmp_path, command):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("create table notes (x)")
    con.execute("insert into notes values ('mine')")
    con.commit()
    con.close()
    before = other.read_bytes()
    result = Forecasts(other)(*command)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {other} is an SQLite database but not a forecasts database "
                             "(it holds notes): give another file\n")
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm


def test_a_read_on_an_empty_file_leaves_it_empty(tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    result = Forecasts(empty)("list")
    assert result.exit_code == 0 and empty.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_an_empty_db_path_is_a_clear_error_at_once(tmp_path):
    for command in (["add", "Q", "--by", "A", "-p", "50%"], ["list"], ["verify"]):
        done = subprocess.run([sys.executable, "-m", "forecasts", *command, "--db", ""],
                              capture_output=True, text=True, timeout=20, cwd=tmp_path)
        assert done.returncode == 1, done
        assert done.stderr.splitlines()[-1] in (
            "Error: the database path is empty: give the name of a database file",
            "Error: no database at ")
    assert list(tmp_path.iterdir()) == []


def test_a_forecasts_database_is_still_upgraded_and_verified(resolved):
    before = dump(resolved.db)
    resolved.ok("list")
    assert dump(resolved.db) == before
