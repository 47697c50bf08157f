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


def _large_writes(store, bad_forecaster=None):
    """Enough rows that the Writer writes them in the background, in several batches."""
    with store.writing() as writer:
        who = writer.add_forecaster("Alice")
        for n in range(3000):
            question_id, _ = writer.add_question(f"q-{n}", f"Event {n}")
            writer.add_forecast(question_id, who, "2026-01-01", p_ppm=n)
        if bad_forecaster:  # no such forecaster: the foreign key refuses it, in the last batch
            writer.add_forecast(question_id, bad_forecaster, "2026-01-01", p_ppm=1)


def test_rows_written_in_the_background_are_all_there_and_chained(tmp_path):
    from forecasts.chain import verify
    from forecasts.store import BACKGROUND_ROWS, Store

    store = Store.open(str(tmp_path / "big.db"))
    _large_writes(store)
    assert 3000 * 3 > BACKGROUND_ROWS
    assert store.conn.execute("SELECT count(*), sum(p_ppm) FROM forecasts").fetchone() == (
        3000, sum(range(3000)))
    report = verify(store.conn)
    assert report["problems"] == [] and report["entries"] == 1 + 3000 * 2


def test_an_error_in_a_background_write_is_raised_and_nothing_is_written(tmp_path):
    from forecasts.store import Store

    store = Store.open(str(tmp_path / "big.db"))
    with pytest.raises(sqlite3.IntegrityError):
        _large_writes(store, bad_forecaster=999)
    assert store.conn.execute("SELECT count(*) FROM forecasts").fetchone() == (0,)
    assert store.conn.execute("SELECT count(*) FROM hash_chain").fetchone() == (0,)
    _large_writes(store)  # the store is usable after the rollback
    assert store.conn.execute("SELECT count(*) FROM forecasts").fetchone() == (3000,)
