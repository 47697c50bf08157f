"""Export streams: every record in the order the hash chain recorded it, what it refers to first,
the same bytes however many rows are read at a time, and memory that does not grow with the
database."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import threading
import tracemalloc

import pytest
from conftest import Forecasts

from forecasts import migrations, store_exports
from forecasts.interchange import load_lines
from forecasts.interchange_csv import CSV_COLUMNS, csv_rows, export_file, write_export
from forecasts.interchange_export import export_records
from forecasts.light_imports import sqlite_utils
from forecasts.store import Store

# Every field given, in the order export writes them, so export gives back exactly these lines
# (tags in SQLite's NOCASE order, options in their order, which is not the labels' order).
# The chain interleaves the tables: a forecaster and a question appear between forecasts, a
# forecast on one question follows a resolution of another, and one resolution is a correction.
RECORDS = [
    {"type": "source", "url": "https://example.org/talks", "outlet": "Example Post",
     "title": "Talks stall — «again»", "published": "2025-01-02", "author": "A. Writer"},
    {"type": "forecaster", "name": "Alice", "kind": "person", "role": "analyst",
     "created": "2025-01-01T09:00:00+00:00"},
    {"type": "question", "id": "rain", "text": "It rains in Berlin", "kind": "binary",
     "opens": "2025-01-01", "resolves": "2025-03-01", "criteria": "DWD records rain",
     "tags": ["Beta"], "created": "2025-01-01T09:01:00+00:00"},
    {"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-02",
     "recorded": "2025-01-02T10:00:00+00:00", "quote": "likely \u2028 «rain»", "verbal": None,
     "scale": None, "source": "https://example.org/talks", "input": "70%"},
    {"type": "question", "id": "war", "text": "State of the war", "kind": "multiple_choice",
     "options": ["peace", "ceasefire", "war"], "opens": "2025-01-01", "resolves": "2025-12-31",
     "criteria": None, "tags": ["alpha", "Beta"], "created": "2025-01-02T11:00:00+00:00"},
    {"type": "forecaster", "name": "Bo", "kind": "crowd", "role": None,
     "created": "2025-01-02T11:30:00+00:00"},
    {"type": "forecast", "question": "war", "by": "Bo",
     "probs": {"peace": 0.2, "ceasefire": 0.3, "war": 0.5}, "made": "2025-01-03",
     "recorded": "2025-01-03T09:00:00+00:00", "quote": None, "verbal": None, "scale": None,
     "source": None, "input": "peace=1/5; ceasefire=30%; war=0.5",
     "inputs": {"peace": "1/5", "ceasefire": "30%", "war": "0.5"}},
    {"type": "forecast", "question": "rain", "by": "Bo", "p": 0.123456, "made": "2025-01-04",
     "recorded": "2025-01-04T09:00:00+00:00", "quote": None, "verbal": None, "scale": None,
     "source": None, "input": "0.123456"},
    {"type": "resolution", "question": "rain", "outcome": "yes", "resolved": "2025-03-01",
     "evidence": "https://example.org/rain", "note": None,
     "recorded": "2025-03-02T09:00:00+00:00"},
    {"type": "forecast", "question": "war", "by": "Alice",
     "probs": {"peace": 0.1, "ceasefire": 0.6, "war": 0.3}, "made": "2025-03-02",
     "recorded": "2025-03-02T10:00:00+00:00", "quote": "=SUM(A1)", "verbal": None,
     "scale": None, "source": None, "input": "peace=10%; ceasefire=60%; war=30%",
     "inputs": {"peace": "10%", "ceasefire": "60%", "war": "30%"}},
    {"type": "resolution", "question": "rain", "outcome": "no", "resolved": "2025-03-01",
     "evidence": "correction: it was snow", "note": "the first report was wrong",
     "recorded": "2025-03-03T09:00:00+00:00"},
    {"type": "resolution", "question": "war", "outcome": "ceasefire", "resolved": "2025-12-31",
     "evidence": None, "note": None, "recorded": "2026-01-01T09:00:00+00:00"},
]


def lines(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


@pytest.fixture(params=[1, 2, 500], ids=["chunk1", "chunk2", "chunk500"])
def chunk(request, monkeypatch):
    """Read the rows one, two or many at a time: each chunk looks up its own options and tags."""
    monkeypatch.setattr(store_exports, "EXPORT_CHUNK", request.param)
    return request.param


@pytest.fixture
def recorded(tmp_path):
    forecasts = Forecasts(tmp_path / "recorded.db")
    (tmp_path / "records.jsonl").write_bytes(lines(RECORDS))
    forecasts.ok("import", str(tmp_path / "records.jsonl"))
    return forecasts


def export(forecasts, *args):
    result = forecasts("export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def tamper(db, *statements):
    con = sqlite3.connect(db)
    con.executescript(";\n".join(statements))
    con.close()


def test_export_gives_back_every_record_in_the_order_recorded(recorded, chunk):
    assert export(recorded) == lines(RECORDS)
    store = Store.open(recorded.db)
    assert list(export_records(store)) == RECORDS
    store.close()


def test_export_import_export_gives_the_same_bytes(recorded, chunk, tmp_path):
    first = export(recorded)
    (tmp_path / "a.jsonl").write_bytes(first)
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(tmp_path / "a.jsonl"))
    assert export(copy) == first
    assert export(copy, "--format", "csv") == export(recorded, "--format", "csv")


def test_records_the_chain_does_not_hold_come_after_what_refers_to_them_or_at_the_end(
        recorded, chunk):
    outsider = {"type": "forecaster", "name": "Outsider", "kind": "person", "role": None,
                "created": "2025-02-01T00:00:00+00:00"}
    outside_forecast = {"type": "forecast", "question": "rain", "by": "Outsider", "p": 0.25,
                        "made": "2025-02-01", "recorded": "2025-02-01T00:00:00+00:00",
                        "quote": None, "verbal": None, "scale": None, "source": None,
                        "input": "25%"}
    outside_source = {"type": "source", "url": None, "outlet": None, "title": "A leaflet",
                      "published": None, "author": None}
    tamper(recorded.db, "PRAGMA foreign_keys = OFF", "DROP TRIGGER hash_chain_no_delete",
           # the question "war" leaves the chain: it now comes just before its first forecast
           "DELETE FROM hash_chain WHERE row_table = 'questions' AND row_id = 2",
           # the correction leaves the chain: it comes last
           "DELETE FROM hash_chain WHERE row_table = 'resolutions' AND row_id = 2",
           "INSERT INTO sources (title) VALUES ('A leaflet')",
           "INSERT INTO forecasters (name, kind, created)"
           " VALUES ('Outsider', 'person', '2025-02-01T00:00:00+00:00')",
           "INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)"
           " VALUES (1, 3, '2025-02-01', '2025-02-01T00:00:00+00:00', 250000, '25%')",
           # a forecast by nobody is left out, as the views leave it out
           "INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)"
           " VALUES (1, 99, '2025-02-01', '2025-02-01T00:00:00+00:00', 250000, '25%')")
    war, correction = RECORDS[4], RECORDS[10]
    expected = (RECORDS[:4] + [RECORDS[5], war, RECORDS[6]] + RECORDS[7:10] + [RECORDS[11]]
                + [outside_source, outsider, outside_forecast, correction])
    assert export(recorded) == lines(expected)

    store = Store.open(recorded.db)
    totals = []

    def progress(items, total):
        totals.append(total)
        return items

    # the progress bar counts rows; the forecast by nobody is counted, not written
    assert write_export(store, io.BytesIO(), "jsonl", progress) == len(expected) == totals[0] - 1
    assert write_export(store, io.BytesIO(), "csv", progress) == 5 == totals[1] - 1
    store.close()


# Text written outside forecasts can hold anything JSON must escape, or nothing at all.
AWKWARD_TEXT = ["", " ", '"quoted" and \\back\\slashed', "line\nbreak\r\ttab\x08\x0c",
                "\x00nul \x1f unit \x7f delete", "\u2028\u2029 \x85", "ünïcödé — «x» 😀 \ufeff",
                "=SUM(A1)", "null", "0.5"]


def test_lines_are_the_records_as_json_dumps_writes_them_whatever_the_text(recorded, chunk):
    text_columns = {"sources": ["url", "outlet", "title", "published", "author"],
                    "forecasters": ["name", "role", "created"],
                    "questions": ["slug", "text", "opens", "resolves", "criteria", "created"],
                    "options": ["label"], "tags": ["name"],
                    "forecasts": ["made", "recorded", "p_text", "verbal", "scale", "quote"],
                    "forecast_options": ["p_text"],
                    "resolutions": ["outcome", "resolved", "evidence", "note", "recorded"]}
    statements = ["DROP TRIGGER forecasts_no_update", "DROP TRIGGER resolutions_no_update",
                  "DROP TRIGGER forecast_options_no_update"]
    for table, columns in text_columns.items():
        for n, column in enumerate(columns):
            # rows and columns get different texts, each ending in the rowid (some are unique)
            statements.append(
                f"UPDATE {table} SET {column} = (SELECT text FROM awkward WHERE"
                f" id = ({table}.rowid + {n}) % {len(AWKWARD_TEXT)}) || {table}.rowid")
    statements += ["UPDATE sources SET url = '' WHERE id = 1",  # '' or title: the title
                   "UPDATE forecasts SET p_ppm = 123456.5 WHERE id = 3",  # not an integer
                   "UPDATE forecasts SET p_ppm = 0 WHERE id = 1"]
    con = sqlite3.connect(recorded.db)
    con.execute("CREATE TEMP TABLE awkward (id INTEGER PRIMARY KEY, text TEXT)")
    con.executemany("INSERT INTO awkward VALUES (?, ?)", enumerate(AWKWARD_TEXT))
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    store = Store.open(recorded.db)
    records = list(export_records(store))
    written = io.BytesIO()
    write_export(store, written)
    store.close()
    assert written.getvalue() == lines(records)
    assert len(records) == len(RECORDS)
    assert {r["type"]: r for r in records}["source"]["url"] == ""
    assert any(r.get("p") == 0.1234565 for r in records)


def make_version_2_database(path):
    """A database from before the hash chain, whose records were entered out of order: the
    upgrade chains them in the order of their recorded times, not of their ids."""
    db = sqlite_utils.Database(path)
    migrations.apply(db, stop_before="0003_hash_chain")
    db.execute("PRAGMA user_version = 2")
    db.executescript("""
        INSERT INTO forecasters (name, kind, created)
          VALUES ('Alice', 'person', '2025-01-03T00:00:00+00:00');
        INSERT INTO questions (slug, text, kind, opens, resolves, created)
          VALUES ('rain', 'It rains', 'binary', '2025-01-01', '2025-01-09',
                  '2025-01-02T00:00:00+00:00');
        INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)
          VALUES (1, 1, '2025-01-05', '2025-01-05T00:00:00+00:00', 600000, '60%');
        INSERT INTO forecasts (question_id, forecaster_id, made, recorded, p_ppm, p_text)
          VALUES (1, 1, '2025-01-01', '2025-01-01T00:00:00+00:00', 400000, '40%');
        INSERT INTO resolutions (question_id, outcome, resolved, recorded)
          VALUES (1, 'yes', '2025-01-09', '2025-01-09T00:00:00+00:00');
    """)
    db.close()


def test_what_a_record_refers_to_comes_first_even_when_the_chain_has_it_later(tmp_path, chunk):
    make_version_2_database(tmp_path / "old.db")
    store = Store.open(str(tmp_path / "old.db"))
    order = [(r["type"], r.get("id") or r.get("name") or r.get("p")) for r in
             export_records(store)]
    # the chain: forecast #2, the question, the forecaster, forecast #1, the resolution
    assert order == [("question", "rain"), ("forecaster", "Alice"), ("forecast", 0.4),
                     ("forecast", 0.6), ("resolution", None)]
    store.close()


def test_csv_rows_carry_their_question_and_its_current_resolution(recorded, chunk):
    store = Store.open(recorded.db)
    rows = [dict(zip(CSV_COLUMNS, row)) for row in csv_rows(store)]
    store.close()
    assert [(r["question_id"], r["forecaster"]) for r in rows] == [
        ("rain", "Alice"), ("war", "Bo"), ("rain", "Bo"), ("war", "Alice")]
    rain, war = rows[0], rows[1]
    assert rain == {**rain, "question": "It rains in Berlin", "kind": "binary", "options": None,
                    "tags": '["Beta"]', "opens": "2025-01-01", "resolves": "2025-03-01",
                    "criteria": "DWD records rain", "probability": 0.7, "probabilities": None,
                    "source": "https://example.org/talks", "outcome": "no",
                    "evidence": "correction: it was snow"}
    assert war == {**war, "options": '["peace", "ceasefire", "war"]',
                   "tags": '["alpha", "Beta"]', "probability": None,
                   "probabilities": '{"peace": 0.2, "ceasefire": 0.3, "war": 0.5}',
                   "outcome": "ceasefire", "evidence": None, "counted": "yes"}


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_export_that_fails_midway_leaves_the_file_it_would_replace(recorded, tmp_path, fmt):
    target = tmp_path / "out" / f"backup.{fmt}"
    target.parent.mkdir()
    target.write_text("the previous export\n")

    def fail_after_two(items, total):
        for n, item in enumerate(items):
            if n == 2:
                raise sqlite3.OperationalError("disk I/O error")
            yield item

    store = Store.open(recorded.db)
    with pytest.raises(sqlite3.OperationalError):
        export_file(store, str(target), fmt, fail_after_two)
    store.close()
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in target.parent.iterdir()] == [target.name]


class NullStream:
    """A binary stream that keeps nothing."""

    def write(self, data):
        return len(data)


def peak_export_memory(tmp_path, forecasts_count, fmt):
    """Peak memory (bytes, Python allocations) of exporting a database of ``forecasts_count``
    forecasts on ten questions."""
    store = Store.open(str(tmp_path / f"{forecasts_count}.db"))
    questions = [json.dumps({"type": "question", "id": f"q{n}", "text": f"Question {n}"})
                 for n in range(10)]
    forecasts = [json.dumps({"type": "forecast", "question": f"q{n % 10}", "by": f"F{n % 7}",
                             "p": 0.5, "made": "2025-01-01", "quote": "x" * 200})
                 for n in range(forecasts_count)]
    load_lines(store, questions + forecasts)
    tracemalloc.start()
    try:
        write_export(store, NullStream(), fmt)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        store.close()


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_memory_does_not_grow_with_the_number_of_forecasts(tmp_path, fmt):
    small = peak_export_memory(tmp_path, 1000, fmt)
    large = peak_export_memory(tmp_path, 8000, fmt)
    assert large < 1.5 * small, (small, large)  # read all at once, it would be 8 times


def test_a_csv_import_counts_the_sources_it_creates(forecasts, tmp_path):
    forecasts.ok("add", "It rains", "--by", "Ann", "-p", "70%", "--on", "2025-01-01",
                 "--resolves", "2025-06-01", "--source", "https://example.org/a")
    path = tmp_path / "all.csv"
    path.write_text(forecasts.ok("export", "--format", "csv").stdout, encoding="utf-8")
    copy = Forecasts(tmp_path / "copy.db")
    assert "1 new source," in copy.ok("import", str(path)).stdout
    assert copy.counts()["sources"] == 1


def test_an_export_through_a_link_replaces_the_file_the_link_points_to(forecasts, tmp_path):
    forecasts.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01")
    real, link = tmp_path / "real.jsonl", tmp_path / "link.jsonl"
    real.write_text("old\n", encoding="utf-8")
    link.symlink_to(real.name)
    forecasts.ok("export", "-o", str(link))
    assert link.is_symlink() and real.read_text(encoding="utf-8") == forecasts.ok(
        "export").stdout


def test_an_export_to_a_named_pipe_is_written_through_it(forecasts, tmp_path):
    forecasts.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01")
    pipe = tmp_path / "out.pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")))
    reader.start()
    result = forecasts("export", "-o", str(pipe))
    reader.join(timeout=30)
    assert result.exit_code == 0, result.output
    assert received == [forecasts.ok("export").stdout] and not pipe.is_file()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_an_export_that_cannot_be_written_is_one_line_not_a_traceback(forecasts):
    forecasts.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01")
    with open("/dev/full", "wb") as full:  # standard output redirected to a full disk
        done = subprocess.run([sys.executable, "-m", "forecasts", "export", "--db",
                               str(forecasts.db)], stdout=full, stderr=subprocess.PIPE,
                              text=True)
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: cannot write the output: No space left on device"
