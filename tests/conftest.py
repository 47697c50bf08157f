import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from forecasts.cli import cli

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


class Forecasts:
    """Runs the real CLI on a temporary database, the way a user types it."""

    def __init__(self, db):
        self.db = str(db)
        self.runner = CliRunner()

    def __call__(self, *args, input=None):
        return self.runner.invoke(cli, [*args, "--db", self.db], input=input,
                                  catch_exceptions=False)

    def ok(self, *args):
        result = self(*args)
        assert result.exit_code == 0, result.output
        return result

    def json(self, *args):
        return json.loads(self.ok(*args, "--json").stdout)

    def counts(self):
        """Rows per table: the way tests prove a rejected input wrote nothing."""
        if not os.path.exists(self.db):
            return {}
        con = sqlite3.connect(self.db)
        tables = [r[0] for r in con.execute(
            "select name from sqlite_master where type='table' and name not like 'sqlite_%'")]
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
        con.close()
        return counts


@pytest.fixture
def forecasts(tmp_path):
    return Forecasts(tmp_path / "test.db")


@pytest.fixture
def shared():
    if not SHARED.is_dir():
        pytest.skip("../shared is not present beside the checkout")
    return SHARED


QUESTION = "Russia accepts the Berlin peace framework"
# A short article with three forecasts in it, for the extract, review and drafts tests.
ARTICLE = """https://example.com/politics/2026/03/02/vote
Coalition Talks Unlikely to Succeed, Analysts Say
"I would suggest the talks probably won't succeed before the summer," said Ana Liu, a political scientist.
Officials expect the budget to pass by the end of the year.
"""


def add_berlin(forecasts):
    return forecasts.ok(
        "add", QUESTION, "--by", "Orysia Lutsevych", "-p", "probably not", "--on", "2025-12-16",
        "--resolves", "2026-06-30", "--quote",
        "I would suggest it probably will not be acceptable to Russia", "--tag", "ukraine")


def import_panel(forecasts, tmp_path, table, outcomes, made="2025-01-01",
                 resolved="2025-06-30"):
    """Import yes/no questions q0, q1, ... with each forecaster's forecast on them (``table``:
    name -> one probability or None per question), made on ``made`` (one date, or one per
    question), then resolved to ``outcomes`` (1 yes, 0 no)."""
    lines = []
    for q, outcome in enumerate(outcomes):
        lines.append({"type": "question", "id": f"q{q}", "text": f"Event {q}",
                      "resolves": resolved})
        for name, ps in table.items():
            if ps[q] is not None:
                lines.append({"type": "forecast", "question": f"q{q}", "by": name, "p": ps[q],
                              "made": made if isinstance(made, str) else made[q]})
        lines.append({"type": "resolution", "question": f"q{q}",
                      "outcome": "yes" if outcome else "no", "resolved": resolved})
    path = tmp_path / "panel.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    forecasts.ok("import", str(path))


def dump(db):
    con = sqlite3.connect(db)
    lines = list(con.iterdump())
    con.close()
    return lines


def write_lock_held(db):
    """Whether some process holds the database's write lock (an import in progress)."""
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()
    return False


def wait_for_lock(db, process):
    while not write_lock_held(db):
        assert process.poll() is None, process.communicate()
        time.sleep(0.002)
    return time.monotonic()


class LiveServer:
    """``forecasts serve``'s app under a real uvicorn on a free port of 127.0.0.1, in a thread:
    tests talk to it over real HTTP. Use as a context manager."""

    def __init__(self, db, public=False, behind_tls=False):
        self.db, self.public, self.behind_tls = str(db), public, behind_tls

    def __enter__(self):
        import socket
        import threading

        import uvicorn

        from forecasts.web.server import create_app

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d" % self.socket.getsockname()[1]
        app = create_app(self.db, public=self.public, behind_tls=self.behind_tls)
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run,
                                       kwargs={"sockets": [self.socket]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.socket.close()
