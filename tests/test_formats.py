"""The import-format registry: --format choices and auto-detection come from it."""

import csv
import io
import json

import pytest

from forecasts import formats
from forecasts.cli import import_
from forecasts.errors import InputError


def test_format_choices_are_the_registry():
    option = next(p for p in import_.params if p.name == "format_")
    assert list(option.type.choices) == formats.names()
    assert sorted(formats.names()) == sorted(formats.FORMATS)
    assert [f.name for f in formats.all_formats()] == formats.FORMATS


@pytest.mark.parametrize("name, content, expected", [
    ("a.csv", "question,forecaster,made\n", "csv"),
    ("A.CSV", "question,forecaster,made\n", "csv"),
    ("a.jsonl", '{"type": "question"}\n', "jsonl"),
    ("a.json", '{"drafts": []}', "drafts"),
    ("a.json", '{"questions": []}', "jsonl"),  # ForecastBench is named, never guessed
    ("a.txt", "anything", "jsonl"),
])
def test_detection(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert formats.detect(str(path)).name == expected


def test_standard_input_and_missing_files_are_json_lines(tmp_path):
    assert formats.detect("-").name == "jsonl"
    assert formats.detect(str(tmp_path / "missing.csv")).name == "csv"
    assert formats.detect(str(tmp_path / "missing.json")).name == "jsonl"


def test_unknown_format_is_an_input_error():
    with pytest.raises(InputError, match="unknown import format 'xls'"):
        formats.get("xls")


def test_one_file_formats_refuse_several(forecasts, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"type": "forecaster", "name": "Ann"}) + "\n")
    result = forecasts("import", str(path), str(path))
    assert result.exit_code == 2
    assert "import one JSON Lines or CSV file at a time" in result.stderr
    assert forecasts.counts() == {}


def test_library_import_files(tmp_path):
    from forecasts.store import Store

    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"type": "forecaster", "name": "Ann"}) + "\n")
    store = Store.open(":memory:")
    counts, reading = formats.import_files(store, formats.detect(str(path)), [str(path)])
    assert counts["forecaster"] == 1
    assert formats.import_files(store, formats.get("jsonl"), [str(path)])[0]["forecaster"] == 0


def test_a_tab_separated_export_imports_like_its_csv(forecasts, tmp_path):
    forecasts.ok("add", "It rains", "--by", "Ann", "-p", "70%", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    exported = forecasts.ok("export", "--format", "csv").stdout
    tsv = tmp_path / "forecasts.tsv"
    tsv.write_text("\n".join("\t".join(row) for row in csv.reader(io.StringIO(exported))),
                   encoding="utf-8")
    forecasts.db = str(tmp_path / "other.db")
    assert "1 new forecast" in forecasts.ok("import", str(tsv)).output
    (row,) = forecasts.json("list")
    assert row["text"] == "It rains"
