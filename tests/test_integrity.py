"""Tamper evidence, the hindsight guard, backups, upgrades and crash safety.

Forecasts and resolutions are append-only inside the tool (triggers refuse UPDATE and DELETE), so
the tests play someone editing the file outside it: they drop a trigger and change rows with a
separate sqlite3 connection, as a user of the sqlite3 shell or Datasette could.
"""

import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import Forecasts, dump, wait_for_lock, write_lock_held
from hypothesis import given, settings
from hypothesis import strategies as st

from forecasts.chain import (
    CHAINED_TABLES,
    COLUMN_TYPES,
    CONTENT_FIELDS,
    GENESIS_HASH,
    RECORD_PARTS,
    canonical_json,
    check_storable,
    new_record_hash,
)
from forecasts.errors import StorageError
from forecasts.store import KNOWN_MIGRATIONS, Store

ROOT = Path(__file__).resolve().parents[1]


def populate(forecasts):
    """Two questions (yes/no and multiple choice), three forecasters, a correction."""
    forecasts.ok("add", "Russia accepts the plan", "--by", "Orysia", "-p", "probably not",
                 "--on", "2025-12-16", "--resolves", "2026-06-30", "--quote", "probably not",
                 "--source", "https://example.org/a")
    forecasts.ok("forecast", "1", "--by", "Keir", "-p", "5%", "--on", "2025-12-17")
    forecasts.ok("add", "State of the war", "--by", "Desk", "--option", "peace", "--option",
                 "war", "-p", "peace=0.25", "-p", "war=0.75", "--on", "2025-12-06",
                 "--resolves", "2026-12-31")
    forecasts.ok("resolve", "1", "yes", "--on", "2026-01-10")
    forecasts.ok("resolve", "1", "no", "--correct", "--on", "2026-01-10", "--note",
                 "misread the news")


def tamper(db, *statements):
    """Run ``statements`` outside forecasts, then put back the triggers they dropped, as a
    careful tamperer would (a dropped trigger alone is named by verify's schema check)."""
    con = sqlite3.connect(db)
    triggers = con.execute("select sql from sqlite_master where type = 'trigger'").fetchall()
    con.executescript(";\n".join(statements))
    for (sql,) in triggers:
        con.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
    con.commit()
    con.close()




def test_every_record_gets_a_hash_chained_to_the_one_before(forecasts):
    populate(forecasts)
    con = sqlite3.connect(forecasts.db)
    chain = con.execute(
        "select seq, row_table, row_id, hash from hash_chain order by seq").fetchall()
    assert [(t, i) for _, t, i, _ in chain] == [
        ("questions", 1), ("forecasters", 1), ("sources", 1), ("forecasts", 1),
        ("forecasters", 2), ("forecasts", 2), ("questions", 2), ("forecasters", 3),
        ("forecasts", 3), ("resolutions", 1), ("resolutions", 2)]
    rows = dict(((t, i), h) for _, t, i, h in chain)
    for table in ("forecasts", "resolutions"):
        for row_id, digest in con.execute(f"select id, hash from {table}"):
            assert digest == rows[(table, row_id)] and len(digest) == 64
    # The documented recipe: sha256 of the previous hash, a newline and the canonical JSON.
    forecast = dict(zip(("question_id", "forecaster_id", "made", "recorded", "p_ppm", "p_text",
                         "verbal", "scale", "quote", "source_id"), con.execute(
        "select question_id, forecaster_id, made, recorded, p_ppm, p_text, verbal, scale, quote,"
        " source_id from forecasts where id = 3").fetchone()))
    forecast["options"] = [list(r) for r in con.execute(
        "select option_id, p_ppm, p_text from forecast_options where forecast_id = 3"
        " order by option_id")]
    assert forecast["options"] == [[1, 250000, "0.25"], [2, 750000, "0.75"]]
    payload = json.dumps({"table": "forecasts", "id": 3, **forecast}, sort_keys=True,
                         separators=(",", ":"))
    previous = rows[("forecasters", 3)]
    assert hashlib.sha256(f"{previous}\n{payload}".encode()).hexdigest() == rows[("forecasts", 3)]
    assert chain[0][0] == 1 and GENESIS_HASH == "0" * 64
    result = forecasts.ok("verify")
    assert result.stdout.startswith(
        "OK: 11 records (3 forecasters, 1 sources, 2 questions, 3 forecasts, 2 resolutions, "
        "0 corrections) "
        "match the hash chain; none was edited, deleted or added outside forecasts. "
        "SQLite integrity check: ok.\nChain head: " + chain[-1][3])


@pytest.mark.parametrize("statements, problems", [
    (["DROP TRIGGER forecasts_no_update", "UPDATE forecasts SET p_ppm = 950000 WHERE id = 2"],
     ["forecasts #2: edited"]),
    (["DROP TRIGGER forecasts_no_update",
      "UPDATE forecasts SET made = '2026-01-09', recorded = '2025-12-01' WHERE id = 1"],
     ["forecasts #1: edited"]),
    (["DROP TRIGGER forecast_options_no_update",
      "UPDATE forecast_options SET p_ppm = 900000 WHERE forecast_id = 3 AND option_id = 1"],
     ["forecasts #3: edited"]),
    (["DROP TRIGGER resolutions_no_delete", "DELETE FROM resolutions WHERE id = 2"],
     ["resolutions #2: deleted"]),
    (["DROP TRIGGER forecasts_no_delete", "DELETE FROM forecasts WHERE id = 1"],
     ["forecasts #1: deleted"]),
    (["UPDATE forecasters SET name = 'Someone else' WHERE id = 2"], ["forecasters #2: edited"]),
    (["UPDATE questions SET resolves = '2025-12-16' WHERE id = 1"], ["questions #1: edited"]),
    (["UPDATE options SET label = 'ceasefire' WHERE id = 1"], ["questions #2: edited"]),
    (["UPDATE sources SET url = 'https://example.org/b'"], ["sources #1: edited"]),
    (["INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)"
      " VALUES (1, 2, '2025-12-01', '2025-12-01T00:00:00+00:00', 10000, '1%')"],
     ["forecasts #4: added outside forecasts (not in the hash chain)"]),
    (["DROP TRIGGER resolutions_no_update",
      "UPDATE resolutions SET hash = (SELECT hash FROM forecasts WHERE id = 1) WHERE id = 1"],
     ["resolutions #1: edited"]),
    (["DROP TRIGGER hash_chain_no_update", "UPDATE hash_chain SET hash = 'x' WHERE seq = 4"],
     ["hash_chain #4: edited (the entry for forecasts #1)"]),
    (["DROP TRIGGER hash_chain_no_delete", "DROP TRIGGER forecasts_no_delete",
      "DELETE FROM hash_chain WHERE seq = 6", "DELETE FROM forecasts WHERE id = 2"],
     ["hash_chain #6: chain entries 6 to 6 deleted",
      "forecasts #2: deleted, with its entry in the hash chain"]),
], ids=["probability", "made-and-recorded", "option-probability", "correction-deleted",
        "forecast-deleted", "forecaster-renamed", "deadline-moved", "option-relabelled",
        "source-changed", "forecast-inserted", "hash-column", "chain-entry", "chain-and-row"])
def test_verify_names_each_record_changed_outside_the_tool(forecasts, statements, problems):
    populate(forecasts)
    tamper(forecasts.db, *statements)
    result = forecasts("verify")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == problems
    entries = 10 if "DELETE FROM hash_chain WHERE seq = 6" in statements else 11
    assert result.stderr == (
        f"Error: verification failed: {len(problems)} problem{'s' if len(problems) > 1 else ''}"
        f" in {entries} records; the records named were changed outside forecasts\n")
    report = json.loads(forecasts("verify", "--json").stdout)
    assert report["ok"] is False and len(report["problems"]) == len(problems)


def test_verify_on_a_tampered_database_reports_every_change(forecasts):
    """Several edits at once, the way the closing note shows them."""
    populate(forecasts)
    tamper(forecasts.db, "DROP TRIGGER forecasts_no_update", "DROP TRIGGER resolutions_no_delete",
           "UPDATE forecasts SET p_ppm = 950000, p_text = '95%' WHERE id = 2",
           "DELETE FROM resolutions WHERE id = 2",
           "UPDATE questions SET resolves = '2025-12-16' WHERE id = 1",
           "UPDATE forecasters SET name = 'Someone else' WHERE id = 3")
    result = forecasts("verify")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "questions #1: edited", "forecasts #2: edited", "forecasters #3: edited",
        "resolutions #2: deleted"]


def test_text_that_is_not_utf8_written_outside_is_reported_not_crashed_on(forecasts):
    populate(forecasts)
    tamper(forecasts.db, "DROP TRIGGER forecasts_no_update",
           "UPDATE forecasts SET quote = CAST(x'ff00fe' AS TEXT) WHERE id = 1")
    result = forecasts("verify")
    assert result.exit_code == 1 and result.stdout == "forecasts #1: edited\n"
    shown = forecasts("show", "1")
    assert shown.exit_code == 1 and "Traceback" not in shown.output


def test_the_tool_keeps_working_after_tampering_and_ids_are_not_reused(forecasts):
    populate(forecasts)
    tamper(forecasts.db, "DROP TRIGGER resolutions_no_delete",
           "DELETE FROM resolutions WHERE id = 2")
    forecasts.ok("resolve", "1", "no", "--correct", "--on", "2026-01-11")
    con = sqlite3.connect(forecasts.db)
    assert [r[0] for r in con.execute("select id from resolutions")] == [1, 3]
    result = forecasts("verify")
    assert result.stdout.splitlines() == ["resolutions #2: deleted"]


def test_import_hashes_every_record(forecasts, tmp_path):
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        {"type": "question", "id": "rain", "text": "It rains", "resolves": "2025-01-02"},
        {"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-01",
         "source": "https://example.org/rain"},
        {"type": "resolution", "question": "rain", "outcome": "yes", "resolved": "2025-01-02"},
    ]) + "\n", encoding="utf-8")
    forecasts.ok("import", str(path))
    con = sqlite3.connect(forecasts.db)
    assert con.execute("select count(*) from hash_chain").fetchone()[0] == 5
    assert con.execute("select count(*) from forecasts where hash is null").fetchone()[0] == 0
    assert "OK: 5 records" in forecasts.ok("verify").stdout


def test_a_value_the_database_would_store_as_another_type_is_refused(tmp_path):
    """A record's hash is computed from the values given: one SQLite would store differently (a
    float in an INTEGER column, a number in a TEXT one) would leave the row not matching it."""
    store = Store.open(str(tmp_path / "types.db"))
    question_id = store.create_question("It rains", resolves="2030-01-02")
    alice = store.forecaster_id("Alice")
    for wrong in ({"p_ppm": 700000.0, "p_text": "70%"}, {"p_ppm": 700000, "p_text": 70}):
        with pytest.raises(StorageError, match="would not be stored as given"):
            store.add_forecast(question_id, alice, "2030-01-01", **wrong)
    assert store.db.execute("select count(*) from forecasts").fetchone()[0] == 0
    assert store.verify()["problems"] == []
    store.close()


def test_log_shows_the_whole_recorded_history_with_hashes(forecasts):
    populate(forecasts)
    forecasts.ok("forecast", "1", "--by", "Late", "-p", "0.01", "--on", "2025-12-20",
                 "--late")
    result = forecasts.ok("log", "1")
    lines = result.stdout.splitlines()
    assert lines[0] == "#1 Russia accepts the plan (russia-accepts-the-plan)"
    con = sqlite3.connect(forecasts.db)
    hashes = {(t, i): h[:12] for t, i, h in con.execute(
        "select row_table, row_id, hash from hash_chain")}
    assert lines[1].split() == ["Recorded", "(UTC)", "Record", "What", "Hash"]
    records = [re.search(r"(question|forecast|resolution) #(\d+)", line).groups()
               for line in lines[3:9]]
    assert records == [("question", "1"), ("forecast", "1"), ("forecast", "2"),
                       ("resolution", "1"), ("resolution", "2"), ("forecast", "4")]
    for line, (kind, number) in zip(lines[3:9], records):
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  ", line)
        assert line.rstrip().endswith(hashes[(kind + "s", int(number))])
    assert "resolved: yes, known 2026-01-10" in lines[6]
    assert "correction: no, known 2026-01-10" in lines[7]
    assert "Late: 1%, made 2025-12-20 [not scored: recorded after the question was resolved]" \
        in lines[8]
    entries = forecasts.json("log", "1")["entries"]
    assert [e["recorded"] for e in entries] == sorted(e["recorded"] for e in entries)
    assert all(e["in_chain"] for e in entries)


# Hindsight guard ---------------------------------------------------------------------------

def test_forecast_recorded_after_the_question_was_resolved_is_flagged_and_not_scored(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.6", "--on", "2025-01-01",
                 "--resolves", "2025-12-31")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-06-01")
    # claims to be made before the outcome, but was entered after it was known
    late = forecasts.ok("forecast", "1", "--by", "B", "-p", "0.99", "--on", "2025-03-01",
                        "--late")
    assert late.stderr == ("Warning: the question is already resolved: recorded, but a forecast "
                           "recorded after the outcome will never be scored\n")
    forecasts.ok("forecast", "1", "--by", "A", "-p", "0.95", "--on", "2025-03-01", "--late")
    rows = {r["forecaster"]: r for r in forecasts.json("score")}
    assert set(rows) == {"A"}
    assert rows["A"]["brier"] == pytest.approx(0.16) and rows["A"]["late_forecasts"] == 1
    shown = forecasts.ok("show", "1").stdout
    assert shown.count("[recorded after the question was resolved: not scored]") == 2
    con = sqlite3.connect(forecasts.db)
    view = con.execute("select forecaster, brier, hindsight from forecast_scores"
                       " order by forecast_id").fetchall()
    assert view == [("A", pytest.approx(0.16), None),
                    ("B", None, "recorded after the question was resolved"),
                    ("A", None, "recorded after the question was resolved")]
    assert con.execute("select forecaster, questions from forecaster_scores").fetchall() == \
        [("A", 1)]


def test_a_correction_does_not_reopen_the_question_to_late_forecasts(forecasts):
    forecasts.ok("add", "Event", "--by", "A", "-p", "0.6", "--on", "2025-01-01",
                 "--resolves", "2025-12-31")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-06-01")
    forecasts.ok("forecast", "1", "--by", "B", "-p", "0.1", "--on", "2025-03-01", "--late")
    forecasts.ok("resolve", "1", "no", "--correct", "--on", "2025-06-01")
    assert [r["forecaster"] for r in forecasts.json("score")] == ["A"]


def test_historical_data_imported_in_one_file_counts_whatever_the_line_order(forecasts,
                                                                             tmp_path):
    """An import is one transaction: its rows share one recorded time, so a file listing the
    resolution before the forecasts still scores them (they arrived together)."""
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        {"type": "question", "id": "rain", "text": "It rains", "resolves": "2025-01-02"},
        {"type": "resolution", "question": "rain", "outcome": "yes", "resolved": "2025-01-02"},
        {"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-01"},
    ]) + "\n", encoding="utf-8")
    forecasts.ok("import", str(path))
    (row,) = forecasts.json("score")
    assert row["forecaster"] == "Alice" and row["brier"] == pytest.approx(0.09)
    # the same forecast entered later, after the outcome is in the database, does not count
    forecasts.ok("forecast", "rain", "--by", "Bob", "-p", "0.9", "--on", "2025-01-01",
                 "--late")
    assert [r["forecaster"] for r in forecasts.json("score")] == ["Alice"]



# Backups and upgrades ----------------------------------------------------------------------

def test_backup_command_writes_a_verified_consistent_copy(forecasts, tmp_path):
    populate(forecasts)
    copy = tmp_path / "copy.db"
    result = forecasts.ok("backup", str(copy))
    assert result.stdout.startswith(f"Backed up {forecasts.db} to {copy}: 11 records, "
                                    "verified OK, chain head ")
    assert dump(copy) == dump(forecasts.db)
    again = forecasts("backup", str(copy))
    assert again.exit_code == 1 and again.stderr == (
        f"Error: {copy} already exists: give the backup a new file name\n")
    missing = Forecasts(tmp_path / "absent.db")("backup", str(tmp_path / "x.db"))
    assert missing.exit_code == 1 and "no database at" in missing.stderr
    assert not (tmp_path / "absent.db").exists() and not (tmp_path / "x.db").exists()
    nowhere = forecasts("backup", str(tmp_path / "no" / "such" / "folder.db"))
    assert nowhere.exit_code == 1 and "does not exist" in nowhere.stderr


def test_backup_while_another_process_writes(forecasts, tmp_path):
    populate(forecasts)
    code = ("import sys; from forecasts.cli import cli\n"
            "for i in range(150):\n"
            "    cli.main(['add', f'Busy {i}', '--by', 'W', '-p', '0.5', '--on', '2025-01-01',"
            " '--db', sys.argv[1]], standalone_mode=False)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, forecasts.db],
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    copies = []
    while writer.poll() is None and len(copies) < 20:
        copies.append(tmp_path / f"copy{len(copies)}.db")
        forecasts.ok("backup", str(copies[-1]))
    assert writer.wait(timeout=120) == 0
    for copy in copies:
        store = Store.open(str(copy), create=False)
        assert store.verify()["problems"] == []
        store.close()





def test_newer_database_is_refused_and_left_alone(forecasts):
    populate(forecasts)
    newer = len(KNOWN_MIGRATIONS) + 1
    tamper(forecasts.db, f"PRAGMA user_version = {newer}")
    before = Path(forecasts.db).read_bytes()
    for args in (["list"], ["verify"], ["add", "X", "--by", "A", "-p", "0.5"]):
        result = forecasts(*args)
        assert result.exit_code == 1
        assert result.stderr == ("Error: this database was written by a newer version of "
                                 f"forecasts (schema version {newer}; this version knows "
                                 f"{newer - 1}); upgrade forecasts\n")
    assert Path(forecasts.db).read_bytes() == before


# Crash safety ------------------------------------------------------------------------------

def big_import_file(path, questions):
    lines = []
    for q in range(questions):
        lines.append({"type": "question", "id": f"big-{q}", "text": f"Big event {q} happens",
                      "resolves": "2025-06-30", "tags": ["big"]})
        for f in range(4):
            lines.append({"type": "forecast", "question": f"big-{q}", "by": f"Forecaster {f}",
                          "p": round(0.1 + 0.2 * f, 2), "made": "2025-01-01",
                          "quote": f"quote {q} {f} " + "x" * 100})
        lines.append({"type": "resolution", "question": f"big-{q}",
                      "outcome": "yes" if q % 3 else "no", "resolved": "2025-06-30"})
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")




def start_import(db, path):
    return subprocess.Popen([sys.executable, "-m", "forecasts", "import", str(path), "--db", db],
                            env=dict(os.environ, PYTHONPATH=str(ROOT)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)




def test_sigkill_during_a_large_import_leaves_the_database_as_it_was(forecasts, tmp_path):
    populate(forecasts)
    big = tmp_path / "big.jsonl"
    big_import_file(big, 1000)
    before = dump(forecasts.db)
    # How long the import holds the write lock, on a copy
    trial = str(tmp_path / "trial.db")
    forecasts.ok("backup", trial)
    process = start_import(trial, big)
    began = wait_for_lock(trial, process)
    assert process.wait(timeout=300) == 0
    writing = time.monotonic() - began
    complete = Forecasts(trial).counts()
    assert complete["forecasts"] == 3 + 1000 * 4

    kills = []
    # six points well inside the import's transaction (early, as the machine may be busier than
    # during the trial), and one near its end (the commit)
    for fraction in (0.02, 0.08, 0.15, 0.25, 0.35, 0.5, 0.97):
        process = start_import(forecasts.db, big)
        began = wait_for_lock(forecasts.db, process)
        time.sleep(fraction * writing)
        still_writing = write_lock_held(forecasts.db) and process.poll() is None
        main_file = Path(forecasts.db).read_bytes()
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL or not still_writing
        main_file_after_kill = Path(forecasts.db).read_bytes()
        con = sqlite3.connect(forecasts.db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        # all of the import or none of it, never a part. The import may commit between seeing
        # the lock held and the kill landing (a busy machine), so "all" is allowed; "none"
        # means the main file was never touched (uncommitted pages only ever reach the WAL)
        state = dump(forecasts.db)
        if state == before:
            assert main_file_after_kill == main_file
        else:
            assert Forecasts(forecasts.db).counts() == complete
        assert "OK:" in forecasts.ok("verify").stdout
        killed_inside = still_writing and state == before
        kills.append((fraction, round(fraction * writing, 2), still_writing, killed_inside))
        if state != before:
            break
    assert sum(1 for _, _, _, inside in kills if inside) >= 4, kills
    print(f"\nSIGKILL during import ({writing:.2f} s of writing): {kills}")
    # and the same import, left alone, completes
    forecasts.ok("import", str(big))
    assert forecasts.counts() == complete




# The hash covers json.dumps(..., sort_keys=True, separators=(",", ":")) of the record: the fast
# encoder of each table must write exactly those bytes, or hand the record to json.
_value = st.one_of(st.none(), st.integers(-2 ** 70, 2 ** 70), st.text(), st.booleans(),
                   st.floats(allow_nan=False), st.binary(max_size=3))
_part = st.one_of(st.tuples(st.integers(), st.integers(), st.text()).map(list),
                  st.lists(_value, max_size=4))


@st.composite
def _records(draw):
    table = draw(st.sampled_from(CHAINED_TABLES))
    keys = list(CONTENT_FIELDS[table]) + (["options"] if table in RECORD_PARTS else [])
    if draw(st.booleans()):  # now and then a field missing, or one more
        keys = draw(st.lists(st.sampled_from(keys + ["extra"]), unique=True))
    content = {}
    for key in keys:
        if key == "options":
            content[key] = draw(st.lists(_part, max_size=3))
        elif draw(st.booleans()):  # the column's own type
            content[key] = draw(st.none() | (st.integers(-2 ** 70, 2 ** 70)
                                             if COLUMN_TYPES.get(key) is int else st.text()))
        else:
            content[key] = draw(_value)
    return table, draw(st.one_of(st.integers(0, 2 ** 63), _value)), content


@settings(max_examples=500, deadline=None)
@given(_records())
def test_the_fast_canonical_json_is_what_json_dumps_writes(record):
    table, row_id, content = record
    try:
        expected = json.dumps({"table": table, "id": row_id, **content}, sort_keys=True,
                              separators=(",", ":"))
    except TypeError:  # bytes: json cannot write them, and neither may the fast encoder
        with pytest.raises(TypeError):
            canonical_json(table, row_id, content)
        return
    assert canonical_json(table, row_id, content) == expected
    if "extra" in content:
        return
    try:
        check_storable(table, row_id, content)
    except (StorageError, ValueError) as error:  # a record to be written is refused as before
        with pytest.raises(type(error)):
            new_record_hash(GENESIS_HASH, table, row_id, content)
    else:
        assert new_record_hash(GENESIS_HASH, table, row_id, content) == hashlib.sha256(
            f"{GENESIS_HASH}\n{expected}".encode()).hexdigest()


def test_a_forecast_recorded_once_the_outcome_was_known_is_flagged_and_strict_leaves_it_out(
        forecasts, tmp_path):
    # an old quote entered today on a question whose outcome became known in June 2025
    forecasts.ok("add", "The summit ends with a joint statement", "--resolves", "2025-06-30",
                 "--by", "Ana Liu", "-p", "70%", "--on", "2025-01-10")
    forecasts.ok("forecast", "1", "--by", "Ben Ode", "-p", "20%", "--on", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-06-01")
    shown = forecasts.ok("show", "1").stdout
    assert shown.count("recorded after the outcome became known") == 2
    assert forecasts.ok("log", "1").stdout.count("recorded after the outcome became known") == 2
    rows = {r["forecaster"]: r for r in forecasts.json("score")}
    assert rows["Ana Liu"]["questions"] == 1 and rows["Ana Liu"]["recorded_after_known"] == 1
    table = forecasts.ok("score").stdout
    assert "Rec. after known" in table and "--strict-recorded leaves them out" in table
    assert forecasts.json("score", "--strict-recorded") == []
    assert "no forecast was recorded before its outcome became known" in forecasts.ok(
        "score", "--strict-recorded").stdout
    assert forecasts.json("leaderboard", "--strict-recorded") == []
    assert len(forecasts.json("leaderboard", "--min-questions", "1")) == 2
    html_path = tmp_path / "report.html"
    forecasts.ok("report", "--html", str(html_path))
    assert html_path.read_text().count("recorded after the outcome became known") == 2


def _jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


BASELINE_FILE = [
    {"type": "question", "id": "rain", "text": "It rains in Berlin", "kind": "binary",
     "opens": "2025-01-01", "resolves": "2025-03-01"},
    {"type": "forecaster", "name": "Always half", "kind": "baseline",
     "role": "constant 50% on every yes/no question"},
    {"type": "resolution", "question": "rain", "outcome": "yes", "resolved": "2025-03-01",
     "recorded": "2025-03-02T09:00:00+00:00"},
]


@pytest.mark.parametrize("forecast, role", [
    ({"p": 1.0}, "constant 50% on every yes/no question"),   # 100% once the outcome is known
    ({"p": 0.5}, "a rule of my own"),                          # a baseline with no stated rule
])
def test_an_imported_baseline_must_follow_its_rule(forecasts, tmp_path, forecast, role):
    records = [dict(r) for r in BASELINE_FILE]
    records[1]["role"] = role
    records.append({"type": "forecast", "question": "rain", "by": "Always half",
                    "made": "2025-01-01", "recorded": "2025-03-05T09:00:00+00:00", **forecast})
    result = forecasts("import", _jsonl(tmp_path / "gamed.jsonl", records))
    assert result.exit_code != 0 and "Always half is a baseline" in result.output
    assert "Traceback" not in result.output
    assert forecasts.counts().get("forecasts", 0) == 0 and forecasts.counts().get("questions", 0) == 0


def test_an_imported_baseline_that_follows_its_rule_keeps_its_exemption(forecasts, tmp_path):
    records = BASELINE_FILE + [{"type": "forecast", "question": "rain", "by": "Always half",
                                "p": 0.5, "made": "2025-01-01",
                                "recorded": "2025-03-05T09:00:00+00:00"}]
    forecasts.ok("import", _jsonl(tmp_path / "fair.jsonl", records))
    rows = {r["forecaster"]: r for r in forecasts.json("score")}
    assert rows["Always half"]["brier"] == pytest.approx(0.25)


def test_a_resolved_question_gains_a_tag_only_by_an_amendment_that_scores_show(forecasts, tmp_path):
    forecasts.ok("add", "It rains in Berlin", "--resolves", "2025-03-01", "--by", "Ana Liu",
                 "-p", "90%", "--on", "2025-01-10", "--tag", "weather")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-03-01")
    before = forecasts.counts()
    # add: a tag slipped onto a resolved question is refused, nothing written
    result = forecasts("add", "It rains in Berlin", "--by", "Ben Ode", "-p", "10%", "--on",
                       "2025-01-11", "--tag", "my-best", "--late")
    assert result.exit_code != 0 and "is resolved: add the tag my-best" in result.output
    assert forecasts.counts() == before
    # import: the same question again with a new tag is refused, nothing written
    exported = forecasts.ok("export", "--format", "jsonl").stdout
    records = [json.loads(line) for line in exported.splitlines()]
    question = dict(next(r for r in records if r["type"] == "question"),
                    tags=["my-best", "weather"])
    result = forecasts("import", _jsonl(tmp_path / "retag.jsonl", [question]))
    assert result.exit_code != 0 and "can only be added by `forecasts amend" in result.output
    assert forecasts.counts() == before
    forecasts.ok("import", _jsonl(tmp_path / "same.jsonl", records))  # the same tags: nothing new
    # the amendment that does it is recorded, and a score over the tag says so
    forecasts.ok("amend", "1", "--add-tag", "my-best", "--reason", "my favourites")
    table = forecasts.ok("score", "--tag", "my-best").stdout
    assert "1 question gained or lost this tag after being resolved" in table
    assert forecasts.json("score", "--tag", "my-best")[0]["tag_changed_after_resolution"] == 1
    assert "gained or lost" not in forecasts.ok("score", "--tag", "weather").stdout


def test_an_imported_aggregate_must_be_a_pool_of_what_counts(forecasts, tmp_path):
    forecasts.ok("add", "It rains in Berlin", "--resolves", "2025-03-01", "--by", "Ana", "-p",
                 "70%", "--on", "2025-01-10")
    forecasts.ok("forecast", "1", "--by", "Ben", "-p", "40%", "--on", "2025-01-11")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-03-01")
    forecasts.ok("aggregate", "Crowd median", "--method", "median")  # after the outcome: exempt
    exported = forecasts.ok("export").stdout
    fair = tmp_path / "fair.jsonl"
    fair.write_text(exported, encoding="utf-8")
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(fair))
    assert {r["forecaster"]: r["brier"] for r in copy.json("score")} == {
        r["forecaster"]: r["brier"] for r in forecasts.json("score")}
    # the same file with the pool's forecast turned into 100%
    gamed = tmp_path / "gamed.jsonl"
    gamed.write_text(exported.replace('"by": "Crowd median", "p": 0.55', '"by": "Crowd median", '
                                      '"p": 1.0'), encoding="utf-8")
    assert '"p": 1.0' in gamed.read_text(encoding="utf-8")
    other = Forecasts(tmp_path / "other.db")
    result = other("import", str(gamed))
    assert result.exit_code == 2 and "Crowd median is an aggregate" in result.output
    assert "40% to 70%" in result.output and other.counts().get("forecasts", 0) == 0
