"""Several processes writing one database at once: every row arrives, no "database is locked".

Each worker is a separate Python process that runs the real command line (``forecasts.cli``)
once per write, opening the database afresh each time as a new terminal would. The workers race
on purpose: they add to the same questions by text, create the same forecasters, resolve and
correct the same questions, while another process reads and verifies the hash chain.
"""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forecasts.store import Store

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 4
WRITES = 200
SHARED_QUESTIONS = 10
SHARED_FORECASTERS = 7

WORKER = r"""
import json, sys, time
from forecasts.cli import cli

db, worker, writes, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
shared_questions, shared_forecasters = int(sys.argv[5]), int(sys.argv[6])
failures = []

def run(*args):
    try:
        cli.main([*args, "--db", db], prog_name="forecasts", standalone_mode=False)
    except Exception as error:  # a lost write: report it
        failures.append(f"{' '.join(args)}: {type(error).__name__}: {error}")

while time.time() < start:
    time.sleep(0.005)
began = time.time()
for i in range(writes):
    step = i % 4
    if step == 0:    # a question of its own
        run("add", f"Worker {worker} question {i}", "--by", f"Worker {worker}", "-p", "0.6",
            "--on", "2025-01-01", "--resolves", "2025-12-31")
    elif step == 1:  # everyone adds to the same questions by text, as the same forecasters
        run("add", f"Shared question {(i // 4) % shared_questions}",
            "--by", f"Shared forecaster {(i // 4) % shared_forecasters}", "-p", "30%",
            "--on", "2025-01-02", "--resolves", "2025-12-31", "--tag", "shared", "--late")
    elif step == 2:  # an update on its own question
        run("forecast", f"worker-{worker}-question-{i - 2}", "--by", f"Worker {worker}",
            "-p", "0.45", "--on", "2025-02-01")
    elif (i // 4) % 2:  # resolve (and correct) the shared questions
        run("resolve", f"shared-question-{(i // 4) % shared_questions}",
            "yes" if worker % 2 else "no", "--on", "2025-06-01", "--correct")
    else:
        run("resolve", f"worker-{worker}-question-{i - 3}", "yes", "--on", "2025-06-01")
print(json.dumps({"failures": failures, "seconds": time.time() - began}))
"""

READER = r"""
import json, sys, time
from forecasts.cli import cli

db, start, stop_file = sys.argv[1], float(sys.argv[2]), sys.argv[3]
import os
failures, rounds = [], 0
while time.time() < start or not os.path.exists(db):
    time.sleep(0.005)
while not os.path.exists(stop_file):
    for args in (["verify"], ["list", "--json"], ["score", "--json"]):
        try:
            cli.main([*args, "--db", db], prog_name="forecasts", standalone_mode=False)
        except Exception as error:
            failures.append(f"{' '.join(args)}: {type(error).__name__}: {error}")
    rounds += 1
print(json.dumps({"failures": failures, "rounds": rounds}))
"""


def spawn(code, *args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process, timeout=600):
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_processes_writing_at_once_lose_nothing(tmp_path):
    db = tmp_path / "shared.db"
    start = time.time() + 2.0  # all processes import first, then start together on a new file
    stop_file = tmp_path / "stop"
    workers = [spawn(WORKER, db, w, WRITES, start, SHARED_QUESTIONS, SHARED_FORECASTERS)
               for w in range(PROCESSES)]
    reader = spawn(READER, db, start, stop_file)
    results = [finish(w) for w in workers]
    stop_file.touch()
    reading = finish(reader)

    failures = [f for r in results for f in r["failures"]] + reading["failures"]
    assert failures == [], failures[:10]
    assert reading["rounds"] > 0

    con = sqlite3.connect(db)
    count = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    per_worker = WRITES // 4
    assert count("select count(*) from forecasts") == PROCESSES * per_worker * 3
    # a shared question resolved again with the outcome it has records nothing (issue 16)
    own = PROCESSES * per_worker // 2
    assert own < count("select count(*) from resolutions") <= PROCESSES * per_worker
    assert count("select count(*) from resolutions r join questions q on q.id = r.question_id"
                 " where q.slug like 'worker-%'") == own
    assert count("select count(*) from questions") == PROCESSES * per_worker + SHARED_QUESTIONS
    assert count("select count(*) from questions where text like 'Shared question%'") == \
        SHARED_QUESTIONS
    assert count("select count(*) from forecasters") == PROCESSES + SHARED_FORECASTERS
    assert count("select count(*) from forecasts f join forecasters fr on fr.id = f.forecaster_id"
                 " where fr.name like 'Shared forecaster%'") == PROCESSES * per_worker
    for w in range(PROCESSES):
        assert count(f"select count(*) from forecasts f join forecasters fr"
                     f" on fr.id = f.forecaster_id where fr.name = 'Worker {w}'") == 2 * per_worker
    assert count("PRAGMA integrity_check") == "ok"
    con.close()
    store = Store.open(str(db))
    report = store.verify()
    store.close()
    assert report["problems"] == [] and report["entries"] == count_rows(db)
    seconds = max(r["seconds"] for r in results)
    print(f"\n{PROCESSES} processes x {WRITES} writes: nothing lost in {seconds:.1f} s "
          f"(verify ran {reading['rounds']} times alongside)")


def count_rows(db):
    con = sqlite3.connect(db)
    total = sum(con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("forecasters", "sources", "questions", "forecasts", "resolutions"))
    con.close()
    return total


@pytest.mark.parametrize("processes", [4])
def test_separate_command_line_processes_at_once(tmp_path, processes):
    """The installed entry point itself (`python -m forecasts`), several at a time."""
    db = tmp_path / "cli.db"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    runs = []
    for n in range(3):
        batch = [subprocess.Popen(
            [sys.executable, "-m", "forecasts", "add", f"Same event {n}", "--by", "Same person",
             "-p", f"{10 + p}%", "--on", "2025-01-01", "--db", str(db)], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for p in range(processes)]
        runs += [(p.wait(timeout=120), p.stderr.read()) for p in batch]
    assert [code for code, _ in runs] == [0] * len(runs), runs
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from forecasts").fetchone()[0] == 3 * processes
    assert con.execute("select count(*) from questions").fetchone()[0] == 3
    assert con.execute("select count(*) from forecasters").fetchone()[0] == 1


def test_a_second_store_in_one_process_keeps_the_first_ones_locks(tmp_path):
    """Closing any descriptor of a file drops all of the process's POSIX locks on it, SQLite's
    too; opening a second Store (as each worker thread of `forecasts serve` does) must not, or
    another process takes itself for the last reader and removes the WAL under the first."""
    from forecasts import tracker

    db = tmp_path / "locks.db"
    first = Store.open(str(db))
    tracker.add(first, "Q", by="A", probabilities=["0.5"], on="2025-01-01")
    Store.open(str(db)).close()
    subprocess.run([sys.executable, "-c", "import sqlite3; c = sqlite3.connect(%r);"
                    " c.execute('select count(*) from forecasts'); c.close()" % str(db)],
                   check=True)
    assert os.path.exists(f"{db}-wal")  # the other process saw this one's locks
    tracker.add(first, "Q2", by="A", probabilities=["0.5"], on="2025-01-01")
    first.close()
