"""Load run for ``forecasts serve``: concurrent clients on 127.0.0.1 post forecasts through the
JSON API while others read pages through a login session; reports requests per second, p50/p99
latency, and whether anything was lost (the stored count, and ``forecasts verify``).

Run from the repository root with the serve extra installed:

    python bench/serve_load.py                      # 50 writers x 100 forecasts, 10 readers
    python bench/serve_load.py --writers 10 --forecasts 20 --readers 2

Traffic goes to 127.0.0.1 only; every loop is bounded in count, and the run stops itself after
``--timeout`` seconds.
"""

import argparse
import json
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx


def forecasts_cli(db, *args):
    result = subprocess.run([sys.executable, "-m", "forecasts", *args, "--db", str(db)],
                            capture_output=True, text=True, check=True)
    return result.stdout.strip().splitlines()[-1]


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def percentile(values, q):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=50)
    parser.add_argument("--forecasts", type=int, default=100, help="forecasts per writer")
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="serve-load-"))
    db = folder / "load.db"
    password = forecasts_cli(db, "user", "add", "loader", "--role", "member")
    token = forecasts_cli(db, "user", "token", "loader")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server_log = open(folder / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "forecasts", "serve", "--db", str(db),
                               "--port", str(port)], stderr=server_log, text=True)
    deadline = time.monotonic() + args.timeout
    try:
        for _ in range(200):
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        auth = {"Authorization": f"Bearer {token}"}
        question_ids = []
        for n in range(args.questions):
            response = httpx.post(url + "/api/questions", headers=auth, timeout=30,
                                  json={"text": f"Load question {n}", "resolves": "2031-01-01"})
            question_ids.append(response.json()["id"])
        before = sqlite3.connect(db).execute("SELECT count(*) FROM forecasts").fetchone()[0]

        write_times, read_times, errors = [], [], []
        lock = threading.Lock()
        writers_done = threading.Event()

        def writer(k):
            with httpx.Client(base_url=url, headers=auth, timeout=60) as client:
                for i in range(args.forecasts):
                    if time.monotonic() > deadline:
                        return
                    qid = question_ids[(k + i) % len(question_ids)]
                    started = time.perf_counter()
                    response = client.post(f"/api/questions/{qid}/forecasts",
                                           json={"p": f"{(i % 9 + 1) / 10}", "by": f"Load {k}"})
                    elapsed = time.perf_counter() - started
                    with lock:
                        write_times.append(elapsed)
                        if response.status_code != 201:
                            errors.append((response.status_code, response.text[:80]))

        def reader(k):
            with httpx.Client(base_url=url, timeout=60) as client:
                page = client.get("/login")
                csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
                client.post("/login", data={"username": "loader", "password": password,
                                            "csrf_token": csrf})
                for i in range(100_000):
                    if writers_done.is_set() or time.monotonic() > deadline:
                        return
                    path = "/questions" if i % 2 else f"/questions/{question_ids[i % 10]}"
                    started = time.perf_counter()
                    response = client.get(path)
                    elapsed = time.perf_counter() - started
                    with lock:
                        read_times.append(elapsed)
                        if response.status_code != 200:
                            errors.append((response.status_code, path))

        threads = [threading.Thread(target=writer, args=(k,)) for k in range(args.writers)]
        readers = [threading.Thread(target=reader, args=(k,)) for k in range(args.readers)]
        started = time.perf_counter()
        for thread in readers + threads:
            thread.start()
        for thread in threads:
            thread.join()
        writers_done.set()
        for thread in readers:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(20)
    stored = sqlite3.connect(db).execute("SELECT count(*) FROM forecasts").fetchone()[0] - before
    verify = subprocess.run([sys.executable, "-m", "forecasts", "verify", "--db", str(db)],
                            capture_output=True, text=True)
    expected = args.writers * args.forecasts
    report = {
        "writers": args.writers, "forecasts_per_writer": args.forecasts,
        "readers": args.readers, "seconds": round(wall, 2),
        "requests_per_second": round((len(write_times) + len(read_times)) / wall, 1),
        "writes_per_second": round(len(write_times) / wall, 1),
        "reads_per_second": round(len(read_times) / wall, 1),
        "write_p50_ms": round(1000 * statistics.median(write_times), 1),
        "write_p99_ms": round(1000 * percentile(write_times, 99), 1),
        "read_p50_ms": round(1000 * statistics.median(read_times), 1) if read_times else None,
        "read_p99_ms": round(1000 * percentile(read_times, 99), 1) if read_times else None,
        "expected": expected, "stored": stored, "errors": len(errors),
        "first_errors": errors[:3], "verify_ok": verify.returncode == 0,
    }
    print(json.dumps(report, indent=2))
    server_log.close()
    if report["errors"] or stored != expected:
        print("server's stderr, last lines:", *(folder / "server.log").read_text()
              .splitlines()[-20:], sep="\n", file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    return 0 if stored == expected and not errors and verify.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
