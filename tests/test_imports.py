"""The write path stays fast: logging and resolving import no numpy, scipy or matplotlib."""

import json
import subprocess
import sys

HEAVY = ("numpy", "scipy", "matplotlib")

SCRIPT = """
import json, sys
from forecasts.cli import cli
db = sys.argv[1]
for args in (["add", "Event", "--by", "A", "-p", "probably not", "--on", "2025-01-01",
              "--resolves", "in 6 months"],
             ["forecast", "1", "--by", "B", "-p", "3:1", "--on", "2025-01-02"],
             ["resolve", "1", "no", "--on", "2025-07-01"],
             ["list", "--due"], ["show", "1"]):
    try:
        cli([*args, "--db", db], standalone_mode=False)
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in %r)))
""" % (HEAVY,)


def test_write_path_imports_no_numpy_scipy_or_matplotlib(tmp_path):
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "t.db")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == []


def test_the_command_line_runs_blas_on_one_thread_unless_told(tmp_path):
    script = ("import os, sys; os.environ.pop('OPENBLAS_NUM_THREADS', None)\n"
              "if len(sys.argv) > 1: os.environ['OPENBLAS_NUM_THREADS'] = sys.argv[1]\n"
              "import forecasts.cli; print(os.environ['OPENBLAS_NUM_THREADS'])")
    one = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert one.stdout.strip() == "1", one.stderr
    told = subprocess.run([sys.executable, "-c", script, "2"], capture_output=True, text=True)
    assert told.stdout.strip() == "2", told.stderr


def test_logging_into_an_existing_database_does_not_load_sqlite_utils(tmp_path):
    # sqlite-utils is there to migrate a database; a database already up to date needs none of it
    db = str(tmp_path / "t.db")
    subprocess.run([sys.executable, "-m", "forecasts", "add", "First", "--by", "A", "-p", "0.5",
                    "--db", db], capture_output=True, check=True)
    script = (
        "import json, sys\nfrom forecasts.cli import cli\n"
        "for args in (['add', 'Second', '--by', 'B', '-p', '70%'], ['resolve', '1', 'no']):\n"
        "    try:\n        cli([*args, '--db', sys.argv[1]], standalone_mode=False)\n"
        "    except SystemExit:\n        pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('sqlite_utils'))))\n")
    result = subprocess.run([sys.executable, "-c", script, db], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_importing_numbers_and_outcomes_does_not_load_the_parser(tmp_path):
    # the verbal and date parser compiles many patterns when it loads; a file of plain numbers,
    # dates and outcomes needs none of it (it loads for an "input" text or a bad outcome)
    data = tmp_path / "plain.jsonl"
    data.write_text(
        '{"type": "question", "id": "q", "text": "Q?", "resolves": "2025-06-01"}\n'
        '{"type": "forecast", "question": "q", "by": "A", "p": 0.7, "made": "2025-01-01"}\n'
        '{"type": "resolution", "question": "q", "outcome": "yes", "resolved": "2025-06-01"}\n',
        encoding="utf-8")
    script = ("import json, sys\nfrom forecasts.cli import cli\n"
              "try:\n    cli(['import', sys.argv[1], '--db', sys.argv[2]], standalone_mode=False)\n"
              "except SystemExit:\n    pass\n"
              "print(json.dumps('forecasts.parse' in sys.modules))\n")
    result = subprocess.run([sys.executable, "-c", script, str(data), str(tmp_path / "t.db")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Imported" in result.stdout
    assert json.loads(result.stdout.strip().splitlines()[-1]) is False
