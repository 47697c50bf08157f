"""No output option writes over the database: export, report, extract and backup refuse the
database, its journal files and any SQLite file, through symlinks and hard links, and write
nothing."""

import os

import pytest


@pytest.fixture
def logged(forecasts):
    forecasts.ok("add", "It rains", "--by", "Al", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    return forecasts


def _targets(db, tmp_path):
    link = tmp_path / "link.html"
    link.symlink_to(db)
    hard = tmp_path / "hard.jsonl"
    os.link(db, hard)
    return [db, str(link), str(hard)]


@pytest.mark.parametrize("command", [
    ["export", "-o"], ["report", "--html"]])
def test_outputs_refuse_the_database_however_it_is_named(logged, tmp_path, command):
    before = open(logged.db, "rb").read()
    for target in _targets(logged.db, tmp_path):
        result = logged(*command, target)
        assert result.exit_code == 2, result.stderr
        assert "database" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert open(logged.db, "rb").read() == before
    assert logged.counts()["forecasts"] == 1


def test_extract_out_refuses_an_sqlite_file(logged, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Analysts expect the bank will probably cut rates by June 2026.\n")
    before = open(logged.db, "rb").read()
    result = logged("extract", str(article), "--out", logged.db)
    assert result.exit_code == 2 and "SQLite database" in result.stderr, result.stderr
    assert open(logged.db, "rb").read() == before


def test_backup_refuses_the_database_journal(logged):
    result = logged("backup", logged.db + "-shm")
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert logged.counts()["forecasts"] == 1
