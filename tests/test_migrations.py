"""Schema migrations: a new database gets every migration, an older one is backed up, migrated in
place and hashed, a newer one is refused, and the frozen migration 0003 chains old records exactly
as today's hash chain would."""

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Forecasts, add_berlin, dump, wait_for_lock

from forecasts import chain, migrations
from forecasts.chain import GENESIS_HASH
from forecasts.light_imports import sqlite_utils
from forecasts.store import Store

ROOT = Path(__file__).resolve().parents[1]


def make_version_2_database(path):
    """A database as version 2 of the schema left it, with some records."""
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0003_hash_chain")
    db.execute("PRAGMA user_version = 2")
    db.executescript("""
        INSERT INTO forecasters (name, kind, created)
          VALUES ('Alice', 'person', '2025-01-01T09:00:00+00:00');
        INSERT INTO questions (slug, text, kind, opens, resolves, created)
          VALUES ('rain', 'It rains', 'binary', '2025-01-01', '2025-01-02',
                  '2025-01-01T09:00:00+00:00');
        INSERT INTO questions (slug, text, kind, opens, resolves, created)
          VALUES ('war', 'The war', 'multiple_choice', '2025-01-01', '2025-12-31',
                  '2025-01-01T09:00:00+00:00');
        INSERT INTO options (question_id, position, label) VALUES (2, 0, 'peace'), (2, 1, 'war');
        INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)
          VALUES (1, 1, '2025-01-01', '2025-01-01T09:00:01+00:00', 700000, '70%');
        INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)
          VALUES (2, 1, '2025-01-01', '2025-01-01T09:00:02+00:00', NULL, 'peace=0.2; war=0.8');
        INSERT INTO forecast_options VALUES (2, 1, 200000, '0.2'), (2, 2, 800000, '0.8');
        INSERT INTO resolutions (question_id, outcome, resolved, recorded)
          VALUES (1, 'yes', '2025-01-02', '2025-01-03T09:00:00+00:00');
    """)
    db.close()


def test_database_from_a_newer_version_is_refused(forecasts):
    add_berlin(forecasts)
    con = sqlite3.connect(forecasts.db)
    con.execute("PRAGMA user_version = 99")
    con.commit()
    con.close()
    before = forecasts.counts()
    result = forecasts("list")
    assert result.exit_code == 1 and "newer version" in result.stderr
    con = sqlite3.connect(forecasts.db)
    con.execute("PRAGMA user_version = 1")
    con.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                " VALUES ('forecasts', '0099_from_the_future', 'x')")
    con.commit()
    con.close()
    result = forecasts("add", "X", "--by", "A", "-p", "0.5")
    assert result.exit_code == 1 and "newer version" in result.stderr
    assert forecasts.counts()["forecasts"] == before["forecasts"]


def test_schema_is_migrated_and_wal_is_on(forecasts):
    add_berlin(forecasts)
    con = sqlite3.connect(forecasts.db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in con.execute("select name from _sqlite_migrations")]
    assert names == list(migrations.KNOWN_MIGRATIONS)
    assert names == ["0001_initial_schema", "0002_score_views", "0003_hash_chain",
                     "0004_aggregate_forecasters", "0005_accounts", "0006_corrections"]


def test_older_database_is_migrated_in_place(tmp_path):
    from conftest import Forecasts

    from forecasts.light_imports import sqlite_utils

    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0002_score_views")
    db.execute("PRAGMA user_version = 1")
    db.close()
    forecasts = Forecasts(path)
    forecasts.ok("add", "X", "--by", "A", "-p", "0.5", "--on", "2025-01-01")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == len(migrations.KNOWN_MIGRATIONS)
    assert con.execute("select count(*) from forecaster_scores").fetchone()[0] == 0


def test_older_database_is_backed_up_then_migrated_and_hashed(tmp_path):
    path = tmp_path / "old.db"
    make_version_2_database(path)
    before = dump(path)
    forecasts = Forecasts(path)
    result = forecasts.ok("list")
    backups = sorted(tmp_path.glob("old.db.backup-v2-*"))
    assert len(backups) == 1 and backups[0].name.endswith("Z")
    latest = len(migrations.KNOWN_MIGRATIONS)
    assert result.stderr == (f"Note: upgraded {path} from schema version 2 to {latest}; the "
                             f"old database is backed up at {backups[0]}\n")
    assert dump(backups[0]) == before
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == latest
    assert con.execute("select count(*) from hash_chain").fetchone()[0] == 6
    assert con.execute("select count(*) from forecasts where hash is null").fetchone()[0] == 0
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("update forecasts set hash = 'x'")
    con.close()
    assert "OK: 6 records" in forecasts.ok("verify").stdout
    assert forecasts.ok("list").stderr == ""  # upgraded once
    assert len(list(tmp_path.glob("old.db.backup-*"))) == 1
    (row,) = forecasts.json("score")
    assert row["forecaster"] == "Alice" and row["questions"] == 1
    assert "forecast #1" in forecasts.ok("log", "rain").stdout


def test_sigkill_during_an_upgrade_leaves_the_older_database_usable(tmp_path):
    path = tmp_path / "old.db"
    make_version_2_database(path)
    db = sqlite_utils.Database(path)
    db.execute("INSERT INTO forecasters (name, kind, created) VALUES ('Bulk', 'person', 'x')")
    with db.atomic():
        for q in range(3, 4003):
            db.execute("INSERT INTO questions (slug, text, kind, created)"
                       " VALUES (?, ?, 'binary', 'x')", [f"q{q}", f"Question {q}"])
            db.execute("INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm,"
                       " p_text) VALUES (?, 2, '2025-01-01', 'x', 500000, '50%')", [q])
    db.close()
    before = dump(path)
    process = subprocess.Popen([sys.executable, "-m", "forecasts", "list", "--db", str(path)],
                               env=dict(os.environ, PYTHONPATH=str(ROOT)),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_lock(str(path), process)
    # killed the moment the upgrade takes the write lock, long before it can finish
    assert process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA user_version").fetchone()[0] == 2
    con.close()
    assert dump(path) == before
    forecasts = Forecasts(path)
    assert "upgraded" in forecasts.ok("list").stderr
    assert "OK: 8007 records" in forecasts.ok("verify").stdout
    backups = [b for b in tmp_path.glob("old.db.backup-v2-*") if "partial" not in b.name]
    assert backups and dump(backups[-1]) == before


def test_the_frozen_migration_0003_hashes_old_records_as_the_chain_does_today(tmp_path):
    path = tmp_path / "old.db"
    make_version_2_database(path)
    store = Store.open(str(path))
    entries = store.conn.execute(
        "SELECT row_table, row_id, hash FROM hash_chain ORDER BY seq").fetchall()
    previous = GENESIS_HASH
    for table, row_id, stored in entries:
        content = chain.record_contents(store.conn, table, [row_id])[row_id]
        previous = chain.record_hash(previous, table, row_id, content)
        assert stored == previous, (table, row_id)
    assert len(entries) == 6 and chain.verify(store.conn)["problems"] == []
    store.close()


def test_migration_names_are_their_function_names_numbered_in_order():
    names = migrations.KNOWN_MIGRATIONS
    assert names[:3] == ("0001_initial_schema", "0002_score_views", "0003_hash_chain")
    assert [f.__name__ for f in migrations.MIGRATIONS] == ["m" + name for name in names]
    assert [int(name[:4]) for name in names] == list(range(1, len(names) + 1))


def test_migration_0004_admits_aggregates_and_keeps_every_record(tmp_path):
    """A version 3 database keeps its records, chain and scores; the forecasters table then
    takes kind 'aggregate', and an aggregate's forecast recorded after the outcome still
    scores in the SQL views, as a baseline's does."""
    path = tmp_path / "v3.db"
    make_version_2_database(path)
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0004_aggregate_forecasters")
    db.execute("PRAGMA user_version = 3")
    db.close()
    def records(path):
        return [row for row in dump(path)
                if row.startswith("INSERT") and "_sqlite_migrations" not in row]

    before = records(path)
    forecasts = Forecasts(path)
    forecasts.ok("list")
    assert records(path) == before
    forecasts.ok("verify")
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.execute("INSERT INTO forecasters (name, kind, created) VALUES ('Pool', 'aggregate', 'x')")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        con.execute("INSERT INTO forecasters (name, kind, created) VALUES ('Bad', 'robot', 'x')")
    con.execute("INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)"
                " VALUES (1, 2, '2025-01-01', '2025-02-01T00:00:00+00:00', 900000, '90%')")
    rows = dict(con.execute("SELECT forecaster, brier FROM forecaster_scores"))
    assert rows == {"Alice": pytest.approx(0.09), "Pool": pytest.approx(0.01)}


def test_the_schema_verify_compares_with_is_the_one_migrating_makes(tmp_path):
    # verify builds its reference without sqlite-utils: it must match a database migrated for real
    from forecasts.audit import _schema, expected_schema

    migrated = Store.open(str(tmp_path / "real.db"))
    assert _schema(migrated.conn) == expected_schema()
    plain = sqlite3.connect(":memory:")
    migrations.make_schema(plain)
    reference = sqlite_utils.Database(memory=True)
    migrations.apply(reference)
    assert _schema(plain) == _schema(reference.conn) and len(_schema(plain)) > 20


def test_a_new_database_is_made_as_sqlite_utils_would_migrate_it(tmp_path):
    # a new file gets every migration in one go, without sqlite-utils; the result must be what
    # sqlite-utils' Migrations makes, and read by it as fully migrated
    made = Store.open(str(tmp_path / "new.db"))
    by_sqlite_utils = sqlite_utils.Database(str(tmp_path / "reference.db"))
    migrations.apply(by_sqlite_utils)
    everything = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert (made.conn.execute(everything).fetchall()
            == by_sqlite_utils.conn.execute(everything).fetchall())
    recorded = "SELECT id, migration_set, name FROM _sqlite_migrations ORDER BY id"
    assert (made.conn.execute(recorded).fetchall()
            == by_sqlite_utils.conn.execute(recorded).fetchall())
    database = sqlite_utils.Database(made.conn)
    assert migrations.pending(database) == []
    assert [m.name for m in migrations.applied(database)] == [
        migrations.migration_name(f) for f in migrations.MIGRATIONS]
    assert made.conn.execute("PRAGMA user_version").fetchone()[0] == len(migrations.MIGRATIONS)
