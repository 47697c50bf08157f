"""Speed and memory of forecasts at scale, as ratios against baselines measured in the same run.

    python bench/bench_scale.py                  # 10k and 100k forecasts
    python bench/bench_scale.py --sizes 10000 100000 1000000

For each size it writes a seeded synthetic set (bench/generate.py: N forecasts over N/10
questions and 1000 forecasters) and prints:

- import of the JSON Lines file against ``sqlite-utils insert`` of the same lines into a bare
  table (target: at most 1.5x);
- ``score``, ``calibration`` and ``leaderboard``, process start to output, against the floor:
  one SQL query reading the same (probability, outcome) pairs into numpy and computing a mean
  Brier (target: at most 2x), and how each grows with the data;
- ``forecasts add`` and ``forecasts --help`` against ``python -c "import click, sqlite_utils"``
  (target: at most 1.3x);
- the peak memory of ``score`` (target: at most 600 MB at 1M forecasts).

Each timing is the best of ``--repeat`` runs (at least 7 for start-up and for the reports
up to 100k forecasts, which take under a second), since the machine may be busy with other work.
The package is byte-compiled first, as ``pip install`` does, so that a checkout installed in
editable mode (or a shell with PYTHONDONTWRITEBYTECODE set) is not timed compiling its sources.
"""

import argparse
import compileall
import os
import shutil
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
FLOOR = """
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
TARGETS = {"import": 1.5, "score": 2.0, "calibration": 2.0, "leaderboard": 2.0, "add": 1.3,
           "--help": 1.3}


def best_times(commands, repeat):
    """Best wall time of each command over ``repeat`` rounds, taking turns within a round so a
    busy spell on the machine falls on a command and its baseline alike.

    ``commands`` maps a name to ``(argv, setup)``; ``setup`` (or None) runs before each run.
    """
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(repeat):
        for name, (command, setup) in commands.items():
            if setup:
                setup()
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak_memory_mb(command):
    """Peak resident memory of one run of ``command``, in MB (Linux reports kB)."""
    script = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True,"
              " stdout=subprocess.DEVNULL);"
              " print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([PYTHON, "-c", script, *command], check=True, capture_output=True,
                         text=True).stdout
    return int(out.strip()) / 1024


def line(name, seconds, baseline, target=None):
    ratio = seconds / baseline
    verdict = "" if target is None else ("  ok" if ratio <= target else f"  OVER {target}x")
    print(f"  {name:<28} {seconds:8.2f} s   baseline {baseline:7.2f} s   ratio {ratio:5.2f}x"
          f"{verdict}")
    return ratio


def bench_size(n, workdir, repeat):
    print(f"\n{n:,} forecasts ({n // 10:,} questions, 1,000 forecasters)")
    data = workdir / f"bench-{n}.jsonl"
    write(n, data)
    db = workdir / f"bench-{n}.db"
    bare = workdir / f"bare-{n}.db"

    def fresh(*paths):
        def remove():
            for path in paths:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
        return remove

    forecasts = str(BIN / "forecasts")
    results = {}
    times = best_times({
        "import": ([forecasts, "import", str(data), "--db", str(db)], fresh(db)),
        "bare": ([str(BIN / "sqlite-utils"), "insert", str(bare), "rows", str(data), "--nl",
                  "--alter"], fresh(bare)),
    }, repeat)
    results["import"] = line("import", times["import"], times["bare"], TARGETS["import"])
    reports = ("score", "calibration", "leaderboard")
    times = best_times({"floor": ([PYTHON, "-c", FLOOR, str(db)], None),
                        **{command: ([forecasts, command, "--db", str(db)], None)
                           for command in reports}},
                       repeat if n > 100_000 else max(repeat, 7))  # short runs: more turns
    for command in reports:
        results[command] = line(command, times[command], times["floor"], TARGETS[command])
        results[command + "_seconds"] = times[command]
    results["floor_seconds"] = times["floor"]
    memory = peak_memory_mb([forecasts, "score", "--db", str(db)])
    print(f"  {'peak memory of score':<28} {memory:8.0f} MB" +
          ("   (target 600 MB at 1M)" if n >= 1_000_000 else ""))
    results["memory_mb"] = memory
    return results


def bench_startup(workdir, repeat):
    print("\nStart-up")
    db = workdir / "startup.db"
    forecasts = str(BIN / "forecasts")
    subprocess.run([forecasts, "add", "Warm-up", "--by", "A", "-p", "0.5", "--db", str(db)],
                   check=True, stdout=subprocess.DEVNULL)
    counter = iter(range(10 ** 6))
    add = [forecasts, "add", "", "--by", "A", "-p", "70%", "--db", str(db)]

    def next_event():
        add[2] = f"Event {next(counter)}"  # a new question each time

    times = best_times({
        "baseline": ([PYTHON, "-c", "import click, sqlite_utils"], None),
        "add": (add, next_event),
        "--help": ([forecasts, "--help"], None),
    }, max(repeat, 7))
    line("forecasts add", times["add"], times["baseline"], TARGETS["add"])
    line("forecasts --help", times["--help"], times["baseline"], TARGETS["--help"])


def print_growth(series, sizes):
    """The series of each report's times, and what each step up in size costs per thousand more
    forecasts: about the same cost at every step means the time grows linearly (the fixed
    start-up cost drops out of the differences)."""
    print("\nGrowth: seconds at each size; then seconds per 1,000 more forecasts, step by step"
          " (flat means linear)")
    for command in ("score", "calibration", "leaderboard", "floor"):
        seconds = [series[n][f"{command}_seconds"] for n in sizes]
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
    print(f"forecasts benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
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
