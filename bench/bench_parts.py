"""Where the time of ``score``, ``calibration`` and ``leaderboard`` goes, and what handing
import's work to another process would cost: the figures behind the OVER lines of
bench_scale.py.

    python bench/bench_parts.py                    # 10k and 100k forecasts
    python bench/bench_parts.py --sizes 10000 1000000

For each size it imports bench/generate.py's seeded set once and prints, each the best of
``--repeat`` runs:

- the flat floor of bench_scale.py, process start to output, and 1.5 times it (the target);
- start-up: ``python -c "import numpy, sqlite3"`` (which the floor cannot avoid either) and the
  modules a report loads before it reads anything;
- in one process: the read of the counted forecasts (``Store.scored_columns``), and each report's
  computation on what was read (``score_table``, ``leaderboard``, ``calibration_report``);
- start-up plus computation alone, no read at all, against the target;
- import: decoding the JSON lines in this process, against sending the decoded records to
  another process and back (one ``pickle.dumps`` and one ``pickle.loads``, the least any
  process pool pays), which is what splitting import's checks across processes would add.
"""

import argparse
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scale import FLAT_FLOOR, FORECASTS, PYTHON, best_times, remover, write_flat  # noqa: E402
from generate import write  # noqa: E402

# What `forecasts score` loads before its first read of the database.
REPORT_MODULES = ("import numpy, forecasts.cli, forecasts.tracker, forecasts.scorecard,"
                  " forecasts.store_scores, forecasts.metrics, forecasts.discrimination")


def best_in_process(work, repeat):
    """The best wall time of ``work()`` over ``repeat`` calls (after one to warm up) and its
    last result."""
    result = work()
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def line(name, seconds, note=""):
    print(f"  {name:<44} {seconds:7.3f} s  {note}")


def bench_reports(db, flat, repeat):
    from forecasts.scorecard import calibration_report, leaderboard, score_table
    from forecasts.store import Store

    times, _ = best_times({
        "floor": ([PYTHON, "-c", FLAT_FLOOR, str(flat)], None),
        "floor imports": ([PYTHON, "-c", "import numpy, sqlite3"], None),
        "report imports": ([PYTHON, "-c", REPORT_MODULES], None),
        **{name: ([FORECASTS, name, "--db", str(db)], None)
           for name in ("score", "calibration", "leaderboard")}}, repeat)
    target = 1.5 * times["floor"]
    line("flat floor, process start to output", times["floor"], f"target {target:.3f} s")
    line("start-up: import numpy, sqlite3", times["floor imports"])
    line("start-up: the modules a report loads", times["report imports"])
    store = Store.open(str(db), create=False)
    read, columns = best_in_process(store.scored_columns, repeat)
    line("read: Store.scored_columns", read)
    for name, compute in (("score", score_table), ("leaderboard", leaderboard),
                          ("calibration", calibration_report)):
        seconds, _ = best_in_process(lambda: compute(columns), repeat)
        line(f"{name}: computation on what was read", seconds)
        floor_free = times["report imports"] + seconds
        line(f"{name}: start-up + computation, no read", floor_free,
             f"{floor_free / times['floor']:.2f}x the floor"
             f" ({'within' if floor_free <= target else 'over'} the target before any read);"
             f" the command {times[name]:.3f} s")
    store.conn.close()


def bench_transfer(data, repeat):
    from forecasts.interchange import json_records

    lines = data.read_text(encoding="utf-8").splitlines()
    decode, records = best_in_process(lambda: list(json_records(lines)), repeat)
    transfer, _ = best_in_process(lambda: pickle.loads(pickle.dumps(records, 5)), repeat)
    line("import: decode the JSON lines", decode)
    line("import: hand the decoded records over (pickle)", transfer,
         f"{transfer / decode:.2f}x decoding them")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="forecasts-parts-"))
    try:
        for n in args.sizes:
            print(f"\n{n:,} forecasts")
            data, db, flat = (workdir / f"{name}-{n}{suffix}" for name, suffix in
                              (("bench", ".jsonl"), ("bench", ".db"), ("flat", ".db")))
            write(n, data)
            remover(db)()
            subprocess.run([FORECASTS, "import", str(data), "--db", str(db)], check=True,
                           capture_output=True)
            write_flat(db, flat)
            bench_reports(db, flat, args.repeat)
            bench_transfer(data, min(args.repeat, 3))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
