"""The database file itself: what forecasts opens, refuses and never creates, and the
append-only tables SQLite itself guards."""

import sqlite3

import pytest
from conftest import Forecasts, add_berlin


def test_database_path_that_is_a_directory(tmp_path):
    result = Forecasts(tmp_path)("list")
    assert result.exit_code == 1 and "directory" in result.stderr


def test_database_path_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my shopping list\n")
    result = Forecasts(path)("add", "X", "--by", "A", "-p", "0.5")
    assert result.exit_code == 1 and "not a SQLite database" in result.stderr
    assert path.read_text() == "my shopping list\n"


def test_forecasts_and_resolutions_are_append_only(forecasts):
    add_berlin(forecasts)
    forecasts.ok("resolve", "1", "no", "--on", "2026-07-01")
    con = sqlite3.connect(forecasts.db)
    for sql in ("update forecasts set p_ppm = 1", "delete from forecasts",
                "update resolutions set outcome = 'yes'", "delete from resolutions"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            con.execute(sql)


def test_read_commands_do_not_create_a_database(tmp_path):
    forecasts = Forecasts(tmp_path / "absent.db")
    assert "No questions" in forecasts.ok("list").stdout
    assert forecasts.json("score") == []
    assert not (tmp_path / "absent.db").exists()
