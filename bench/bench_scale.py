"""Speed and memory of forecasts at scale, as ratios against the strongest fair baselines,
measured in the same run.

    python bench/bench_scale.py                  # 10k and 100k forecasts
    python bench/bench_scale.py --sizes 10000 100000 1000000 --repeat 1

For each size it writes a seeded synthetic set (bench/generate.py: N forecasts over N/10
questions and 1000 forecasters) and prints, for each command, its best time, the baseline's,
the ratio with its target, and the command's peak memory (every command: under 400 MB):

- ``import`` against ``sqlite-utils insert`` of the same records grouped by type (a table a
  type, so ``--alter`` never changes a table; target at most 1.0x), against a floor that parses
  the same lines with the json module and writes them with executemany into tables of the same
  shape with no checks (at most 2x), and, as an extra line, against ``sqlite-utils insert
  --alter`` of the interleaved file as it is;
- ``score``, ``calibration`` and ``leaderboard``, process start to output, against a floor that
  reads (forecaster, probability, outcome) from one flat table into numpy and takes a bincount
  per forecaster (at most 1.5x), and, as an extra line, against the older floor that reads the
  same pairs through joins;
- ``verify`` against a floor that reads the same records and hashes the same canonical JSON
  bytes, chained, with hashlib (at most 2x and under 300 MB);
- ``export`` against ``sqlite-utils rows ... --nl`` of the same tables (at most 1.5x);
- ``list``, ``show`` and ``report`` (no baseline: time, memory and growth);
- ``forecasts add`` and ``forecasts --help`` against ``python -c "import click, sqlite_utils"``
  (at most 1.0x).

Each timing is the best of ``--repeat`` runs (at least 7 for start-up and for sizes up to 100k),
taking turns with its baseline, since the machine may be busy with other work. The package is
byte-compiled first, as ``pip install`` does, so that an editable install is not timed compiling
its sources. Peak memory is the largest resident size of a command's runs, from the kernel's
accounting of the child process.
"""

import argparse
import compileall
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import write  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
SQLITE_UTILS = str(BIN / "sqlite-utils")
FORECASTS = str(BIN / "forecasts")

# The reports' floor: (forecaster, probability, outcome) from one flat table into numpy, and a
# mean Brier score per forecaster with bincount.
FLAT_FLOOR = """
import sqlite3, sys
import numpy as np
con = sqlite3.connect(sys.argv[1])
rows = np.array(con.execute("SELECT forecaster, p, outcome FROM flat").fetchall(), dtype=float)
who = rows[:, 0].astype(np.int64)
counts = np.bincount(who)
sums = np.bincount(who, weights=(rows[:, 1] - rows[:, 2]) ** 2)
seen = counts > 0
print((sums[seen] / counts[seen]).mean())
"""

# The older floor, kept as an extra line: the same pairs read through joins.
JOIN_FLOOR = """
import sqlite3, sys
import numpy as np
con = sqlite3.connect(sys.argv[1])
pairs = np.array(con.execute(
    "SELECT f.p_ppm, r.outcome = 'yes' FROM forecasts f"
    " JOIN (SELECT question_id, outcome FROM resolutions"
    "       WHERE id IN (SELECT max(id) FROM resolutions GROUP BY question_id)) r"
    " ON r.question_id = f.question_id"
    " WHERE f.p_ppm IS NOT NULL AND r.outcome IN ('yes', 'no')").fetchall(), dtype=float)
print(((pairs[:, 0] / 1e6 - pairs[:, 1]) ** 2).mean())
"""

# Import's floor: the same lines parsed with json and written with executemany into tables of
# the same shape (the schema of an empty forecasts database, read from argv[3]), names and slugs
# turned into ids, no checks and no hash chain.
IMPORT_FLOOR = r"""
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.executescript(open(sys.argv[3]).read())
forecasters, questions, options, tags, question_tags = {}, {}, [], {}, []
forecasts, forecast_options, resolutions, option_ids = [], [], [], {}
now = "2026-01-01T00:00:00+00:00"
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        r = json.loads(line)
        kind = r["type"]
        if kind == "forecaster":
            forecasters[r["name"]] = (len(forecasters) + 1, r["name"], r.get("kind"), now)
        elif kind == "question":
            qid = len(questions) + 1
            questions[r["id"]] = (qid, r["id"], r["text"], r.get("kind"), r.get("opens"),
                                  r.get("resolves"), now)
            for position, label in enumerate(r.get("options") or []):
                option_ids[qid, label] = len(options) + 1
                options.append((len(options) + 1, qid, position, label))
            for tag in r.get("tags") or []:
                question_tags.append((qid, tags.setdefault(tag, len(tags) + 1)))
        elif kind == "forecast":
            qid = questions[r["question"]][0]
            fid = len(forecasts) + 1
            p = r.get("p")
            forecasts.append((fid, qid, forecasters[r["by"]][0], r["made"], now,
                              None if p is None else round(p * 1e6), str(p)))
            for label, value in (r.get("probs") or {}).items():
                forecast_options.append((fid, option_ids[qid, label], round(value * 1e6),
                                         str(value)))
        elif kind == "resolution":
            qid = questions[r["question"]][0]
            resolutions.append((qid, r["outcome"], option_ids.get((qid, r["outcome"])),
                                r["resolved"], now))
with con:
    con.executemany("INSERT INTO forecasters (id, name, kind, created) VALUES (?, ?, ?, ?)",
                    forecasters.values())
    con.executemany("INSERT INTO questions (id, slug, text, kind, opens, resolves, created)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)", questions.values())
    con.executemany("INSERT INTO options VALUES (?, ?, ?, ?)", options)
    con.executemany("INSERT INTO tags VALUES (?, ?)", ((i, t) for t, i in tags.items()))
    con.executemany("INSERT INTO question_tags VALUES (?, ?)", question_tags)
    con.executemany("INSERT INTO forecasts (id, question_id, forecaster_id, made, recorded,"
                    " p_ppm, p_text) VALUES (?, ?, ?, ?, ?, ?, ?)", forecasts)
    con.executemany("INSERT INTO forecast_options VALUES (?, ?, ?, ?)", forecast_options)
    con.executemany("INSERT INTO resolutions (question_id, outcome, option_id, resolved,"
                    " recorded) VALUES (?, ?, ?, ?, ?)", resolutions)
"""

# Verify's floor: the same records read and the same canonical JSON bytes hashed with hashlib,
# each hash chained to the one before, in the chain's order (no comparison, no integrity check).
VERIFY_FLOOR = r"""
import hashlib, json, sqlite3, sys
from forecasts.chain import CHAINED_TABLES, CONTENT_FIELDS, RECORD_PARTS
con = sqlite3.connect(sys.argv[1])
readers = {}
for table in CHAINED_TABLES:
    fields = CONTENT_FIELDS[table]
    parts = {}
    if table in RECORD_PARTS:
        for row in con.execute(RECORD_PARTS[table][0].format("")):
            parts.setdefault(row[0], []).append(list(row[1:]))
    rows = con.execute(f"SELECT id, {', '.join(fields)} FROM {table} ORDER BY id")
    readers[table] = (rows, fields, parts)
previous = "0" * 64
for table, row_id in con.execute("SELECT row_table, row_id FROM hash_chain ORDER BY seq"):
    rows, fields, parts = readers[table]
    row = next(rows)
    content = {"table": table, "id": row[0], **dict(zip(fields, row[1:]))}
    if table in RECORD_PARTS:
        content["options"] = parts.get(row[0], [])
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"))
    previous = hashlib.sha256(f"{previous}\n{payload}".encode("ascii")).hexdigest()
print(previous)
"""

# The tables that export writes, for its baseline.
EXPORT_TABLES = ("sources", "forecasters", "questions", "options", "tags", "question_tags",
                 "forecasts", "forecast_options", "resolutions")
RECORD_TYPES = ("forecaster", "source", "question", "forecast", "resolution")

TARGETS = {"import": 1.0, "import floor": 2.0, "score": 1.5, "calibration": 1.5,
           "leaderboard": 1.5, "verify": 2.0, "export": 1.5, "add": 1.0, "--help": 1.0}
MEMORY_LIMIT_MB = {"verify": 300}
MEMORY_TARGET_MB = 400


def run(command, output=None):
    """Run ``command`` (its output to ``output`` or nowhere); return (seconds, peak MB)."""
    with open(output or os.devnull, "wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024  # Linux reports kB


def best_times(commands, repeat):
    """Best wall time and largest peak memory of each command over ``repeat`` rounds, taking
    turns within a round so a busy spell on the machine falls on a command and its baseline alike.

    ``commands`` maps a name to ``(argv, setup)``; ``setup`` (or None) runs before each run.
    """
    best = dict.fromkeys(commands, float("inf"))
    memory = dict.fromkeys(commands, 0.0)
    for _ in range(repeat):
        for name, (command, setup) in commands.items():
            if setup:
                setup()
            seconds, peak = run(command)
            best[name] = min(best[name], seconds)
            memory[name] = max(memory[name], peak)
    return best, memory


def line(name, seconds, baseline=None, target=None, memory=None, baseline_name=""):
    """Print one command's figures; return its ratio to the baseline (None without one)."""
    ratio = None if baseline is None else seconds / baseline
    text = f"  {name:<22} {seconds:8.2f} s"
    if baseline is not None:
        text += f"   {baseline_name:<22} {baseline:7.2f} s   ratio {ratio:5.2f}x"
        if target is not None:
            text += f" (target {target}x: {'ok' if ratio <= target else 'OVER'})"
    else:
        text += " " * 72
    if memory is not None:
        limit = MEMORY_LIMIT_MB.get(name.split()[0], MEMORY_TARGET_MB)
        text += f"   peak {memory:5.0f} MB ({'ok' if memory < limit else f'OVER {limit} MB'})"
    print(text)
    return ratio


def remover(*paths):
    def remove():
        for path in paths:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    return remove


def write_grouped(data, workdir):
    """The records of ``data`` in one file per type, for ``sqlite-utils insert``."""
    files = {kind: workdir / f"{data.stem}-{kind}.jsonl" for kind in RECORD_TYPES}
    sinks = {kind: open(path, "w", encoding="utf-8") for kind, path in files.items()}
    with open(data, encoding="utf-8") as lines:
        for text in lines:
            sinks[json.loads(text)["type"]].write(text)
    for sink in sinks.values():
        sink.close()
    return {kind: path for kind, path in files.items() if path.stat().st_size}


def write_schema(workdir):
    """The tables and indexes of an empty forecasts database, as SQL, for the import floor."""
    db = workdir / "schema.db"
    remover(db)()
    subprocess.run([PYTHON, "-c", "import sys; from forecasts.store import Store;"
                    " Store.open(sys.argv[1]).conn.close()", str(db)], check=True)
    conn = sqlite3.connect(db)
    sql = [row[0] for row in conn.execute(
        "SELECT sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL"
        " AND tbl_name NOT IN ('_sqlite_migrations', 'hash_chain') ORDER BY type DESC, rowid")]
    conn.close()
    path = workdir / "schema.sql"
    path.write_text(";\n".join(sql) + ";\n")
    return path


def write_flat(db, flat):
    """One flat table (forecaster, probability, outcome) of the resolved yes/no forecasts."""
    remover(flat)()
    conn = sqlite3.connect(flat)
    conn.execute("ATTACH ? AS source", (str(db),))
    conn.execute(
        "CREATE TABLE flat AS SELECT f.forecaster_id AS forecaster, f.p_ppm / 1e6 AS p,"
        " r.outcome = 'yes' AS outcome FROM source.forecasts f"
        " JOIN source.current_resolutions r ON r.question_id = f.question_id"
        " WHERE f.p_ppm IS NOT NULL AND r.outcome IN ('yes', 'no')")
    conn.commit()
    conn.close()


def bench_size(n, workdir, repeat):
    print(f"\n{n:,} forecasts ({n // 10:,} questions, 1,000 forecasters)")
    data = workdir / f"bench-{n}.jsonl"
    write(n, data)
    grouped = write_grouped(data, workdir)
    schema = write_schema(workdir)
    db, bare, by_type, floor_db = (workdir / f"{name}-{n}.db" for name in
                                   ("bench", "bare", "grouped", "floor"))
    turns = repeat if n > 100_000 else max(repeat, 7)
    results = {}

    inserts = " && ".join(f"{SQLITE_UTILS} insert {by_type} {kind}s {path} --nl"
                          for kind, path in grouped.items())
    times, memory = best_times({
        "import": ([FORECASTS, "import", str(data), "--db", str(db)], remover(db)),
        "grouped": (["sh", "-c", inserts], remover(by_type)),
        "floor": ([PYTHON, "-c", IMPORT_FLOOR, str(data), str(floor_db), str(schema)],
                  remover(floor_db)),
        "interleaved": ([SQLITE_UTILS, "insert", str(bare), "rows", str(data), "--nl",
                         "--alter"], remover(bare)),
    }, repeat)
    results["import"] = line("import", times["import"], times["grouped"], TARGETS["import"],
                             memory["import"], "sqlite-utils grouped")
    line("import (floor)", times["import"], times["floor"], TARGETS["import floor"],
         baseline_name="json + executemany")
    line("import (extra)", times["import"], times["interleaved"],
         baseline_name="sqlite-utils --alter")

    flat = workdir / f"flat-{n}.db"
    write_flat(db, flat)
    reports = ("score", "calibration", "leaderboard")
    times, memory = best_times({
        "floor": ([PYTHON, "-c", FLAT_FLOOR, str(flat)], None),
        "join floor": ([PYTHON, "-c", JOIN_FLOOR, str(db)], None),
        **{command: ([FORECASTS, command, "--db", str(db)], None) for command in reports}},
        turns)
    for command in reports:
        results[command] = line(command, times[command], times["floor"], TARGETS[command],
                                memory[command], "flat numpy floor")
        line(f"{command} (extra)", times[command], times["join floor"],
             baseline_name="numpy floor via joins")
    results["seconds"] = {command: times[command] for command in reports}
    results["seconds"]["flat floor"] = times["floor"]

    times, memory = best_times({
        "verify": ([FORECASTS, "verify", "--db", str(db)], None),
        "floor": ([PYTHON, "-c", VERIFY_FLOOR, str(db)], None),
    }, turns)
    results["verify"] = line("verify", times["verify"], times["floor"], TARGETS["verify"],
                             memory["verify"], "hashlib floor")
    results["seconds"]["verify"] = times["verify"]

    rows = " && ".join(f"{SQLITE_UTILS} rows {db} {table} --nl" for table in EXPORT_TABLES)
    times, memory = best_times({
        "export": ([FORECASTS, "export", "--db", str(db)], None),
        "rows": (["sh", "-c", rows], None),
    }, turns)
    results["export"] = line("export", times["export"], times["rows"], TARGETS["export"],
                             memory["export"], "sqlite-utils rows")
    results["seconds"]["export"] = times["export"]

    report = workdir / f"report-{n}.html"
    times, memory = best_times({
        "list": ([FORECASTS, "list", "--db", str(db)], None),
        "show": ([FORECASTS, "show", "bench-0000001", "--db", str(db)], None),
        "report": ([FORECASTS, "report", "--html", str(report), "--db", str(db)], None),
    }, turns)
    for command in ("list", "show", "report"):
        line(command, times[command], memory=memory[command])
        results["seconds"][command] = times[command]
    results["memory"] = memory
    return results


def bench_startup(workdir, repeat):
    print("\nStart-up")
    db = workdir / "startup.db"
    subprocess.run([FORECASTS, "add", "Warm-up", "--by", "A", "-p", "0.5", "--db", str(db)],
                   check=True, capture_output=True)  # its "created a new database" note too
    counter = iter(range(10 ** 6))
    add = [FORECASTS, "add", "", "--by", "A", "-p", "70%", "--db", str(db)]

    def next_event():
        add[2] = f"Event {next(counter)}"  # a new question each time

    times, memory = best_times({
        "baseline": ([PYTHON, "-c", "import click, sqlite_utils"], None),
        "add": (add, next_event),
        "--help": ([FORECASTS, "--help"], None),
    }, max(repeat, 7))
    line("forecasts add", times["add"], times["baseline"], TARGETS["add"], memory["add"],
         "import click, sqlite_utils")
    line("forecasts --help", times["--help"], times["baseline"], TARGETS["--help"],
         memory["--help"], "import click, sqlite_utils")


def print_growth(series, sizes):
    """Each command's time at each size, and what each step up in size costs per thousand more
    forecasts: about the same cost at every step means the time grows linearly (the fixed
    start-up cost drops out of the differences)."""
    print("\nGrowth: seconds at each size; then seconds per 1,000 more forecasts, step by step"
          " (flat means linear)")
    for command in series[sizes[0]]["seconds"]:
        seconds = [series[n]["seconds"][command] for n in sizes]
        steps = [(b - a) / ((m - n) / 1000) for (n, a), (m, b) in
                 zip(zip(sizes, seconds), zip(sizes[1:], seconds[1:]))]
        print(f"  {command:<12} " + "  ".join(f"{n:>9,}: {s:6.2f} s" for n, s in
                                              zip(sizes, seconds))
              + "   per 1,000 more: " + "  ".join(f"{v:.4f}" for v in steps))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="keep the generated files in this folder")
    args = parser.parse_args()
    workdir = Path(args.keep or tempfile.mkdtemp(prefix="forecasts-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"forecasts benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]},"
          f" SQLite {sqlite3.sqlite_version}")
    package = subprocess.run([PYTHON, "-c", "import forecasts; print(forecasts.__path__[0])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    compileall.compile_dir(package, quiet=1)
    try:
        bench_startup(workdir, args.repeat)
        series = {n: bench_size(n, workdir, args.repeat) for n in args.sizes}
        if len(series) > 1:
            print_growth(series, sorted(series))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
