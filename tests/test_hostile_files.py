"""Issue 19, hostile files: a field of the wrong JSON type, a 5,000-digit number, NaN, an endless
stream or /dev/zero, a formula in a CSV cell. Each is one clean `Error:` line with exit 2, and
nothing is written."""

import copy
import json
import os
import threading

import pytest
from conftest import Forecasts
from test_forecastbench import FORECAST_SET, QUESTION_SET, RESOLUTION_SET

from forecasts import files
from forecasts.cli import cli


@pytest.fixture
def loaded(tmp_path):
    forecasts = Forecasts(tmp_path / "test.db")
    forecasts.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01")
    return forecasts


def refused(forecasts, *args, message=""):
    """Run a command that must fail cleanly (exit 2, one Error: line) and change nothing."""
    before = forecasts.counts()
    result = forecasts(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert forecasts.counts() == before
    return lines[0]


def write_lines(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


QUESTION = {"type": "question", "id": "z", "text": "z", "resolves": "2027-01-01"}


@pytest.mark.parametrize("records, message", [
    ([{"type": [1]}], "line 1: unknown type [1]"),
    ([{"type": {"a": 1}}], "line 1: unknown type"),
    ([QUESTION, {"type": "forecast", "question": "z", "by": ["x"], "p": 0.5,
                 "made": "2025-01-01"}], "line 2: 'by' must be text"),
    ([QUESTION, {"type": "forecast", "question": "z", "by": "X", "p": 0.5, "made": 20250101}],
     "line 2: 'made' must be text"),
    ([QUESTION, {"type": "forecast", "question": "z", "by": "X", "p": [0.5],
                 "made": "2025-01-01"}], "line 2: 'p' must be a number"),
    ([{**QUESTION, "tags": "a"}], "line 1: 'tags' must be a list of text"),
])
def test_a_field_of_the_wrong_json_type_is_named(loaded, tmp_path, records, message):
    refused(loaded, "import", write_lines(tmp_path / "bad.jsonl", *records), message=message)


def test_a_5000_digit_number_and_nan_are_refused(loaded, tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps(QUESTION) + '\n{"type": "forecast", "question": "z", "by": "X", '
                    '"p": ' + "9" * 5000 + ', "made": "2025-01-01"}\n', encoding="utf-8")
    refused(loaded, "import", str(path),
            message="line 2: a number with 5000 digits is longer than any value")
    for constant in ("NaN", "Infinity", "-Infinity"):
        path.write_text(json.dumps(QUESTION) + '\n{"type": "forecast", "question": "z", '
                        f'"by": "X", "p": {constant}, "made": "2025-01-01"}}\n', encoding="utf-8")
        refused(loaded, "import", str(path), message=f"line 2: {constant} is not a number")


def test_dev_zero_is_refused_at_once_by_every_reader(loaded, tmp_path):
    for args in (["import", "/dev/zero"], ["import", "--format", "csv", "/dev/zero"],
                 ["import-drafts", "/dev/zero"], ["review", "/dev/zero"],
                 ["import", "--format", "forecastbench", "/dev/zero"]):
        refused(loaded, *args, message="/dev/zero holds NUL bytes: it is not a text file")
    # an article may be a PDF (with NUL bytes): it is read up to the size limit
    refused(loaded, "extract", "/dev/zero", "--date", "2025-01-01",
            message="/dev/zero is larger than 64 MB, the most forecasts reads as an article")


def test_an_endless_stream_and_a_huge_file_stop_at_the_size_limit(loaded, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(files, "MAX_IMPORT_BYTES", 1 << 20)
    stream = ("{}\n" * (1 << 20)).encode()  # 3 MB on standard input
    before = loaded.counts()
    result = loaded.runner.invoke(cli, ["import", "-", "--db", loaded.db], input=stream)
    assert result.exit_code == 2
    assert result.stderr == ("Error: standard input is larger than 1 MB, the most forecasts "
                             "reads as an import file; nothing was imported\n")
    huge = tmp_path / "huge.jsonl"
    with open(huge, "wb") as f:
        f.truncate((1 << 20) + 1)  # sparse: the size is refused before anything is read
    refused(loaded, "import", str(huge), message="huge.jsonl is larger than 1 MB")
    assert loaded.counts() == before


DRAFT = {"id": "d1", "status": "accepted", "event": "It rains in Paris in May", "made":
         "2025-01-01", "resolves": "2025-05-31", "speaker": "Ann Lee", "probability": 0.5,
         "quote": "It may rain"}


@pytest.mark.parametrize("field, value, message", [
    ("event", 5, "'event' must be text or null, not 5"),
    ("made", 5, "'made' must be text or null, not 5"),
    ("resolves", 20250531, "'resolves' must be text or null, not 20250531"),
    ("speaker", ["x"], "'speaker' must be text or null, not [\"x\"]"),
    ("probability", {"a": 1}, "'probability' must be a number or text or null"),
    ("flags", 5, "'flags' must be a list or null"),
    ("flags", [1], "'flags' must be a list of text"),
])
def test_a_drafts_file_with_a_field_of_the_wrong_type(loaded, tmp_path, field, value, message):
    path = tmp_path / "drafts.json"
    path.write_text(json.dumps({"drafts": [{**DRAFT, field: value}]}), encoding="utf-8")
    refused(loaded, "import-drafts", str(path), "--accept-all", message=message)
    assert json.loads(path.read_text())["drafts"][0]["status"] == "accepted"


@pytest.mark.parametrize("which, change, message", [
    ("questions", {"forecast_due_date": [1, 2]}, "'forecast_due_date' is not a date"),
    ("resolutions", {"forecast_due_date": [1, 2]}, "'forecast_due_date' is not a date"),
    ("resolutions", {"resolutions": 7}, "not a ForecastBench"),
    ("forecasts", {"entry": {"direction": [{"a": 1}, -1]}}, "'direction' must be two of 1"),
    ("resolutions", {"entry": {"direction": [{"a": 1}, -1]}}, "'direction' must be two of 1"),
])
def test_forecastbench_sets_with_fields_of_the_wrong_type(loaded, tmp_path, which, change,
                                                          message):
    sets = {"questions": copy.deepcopy(QUESTION_SET),
            "resolutions": copy.deepcopy(RESOLUTION_SET),
            "forecasts": copy.deepcopy(FORECAST_SET)}
    entry = change.pop("entry", None)
    sets[which].update(change)
    if entry:  # the combination question's row
        row = next(r for r in sets[which][which] if isinstance(r["id"], list))
        row.update(entry)
    paths = []
    for name, data in sets.items():
        paths.append(str(tmp_path / f"{name}.json"))
        with open(paths[-1], "w", encoding="utf-8") as f:
            json.dump(data, f)
    refused(loaded, "import", "--format", "forecastbench", *paths, message=message)


def test_deeply_nested_forecastbench_and_predictionbook_files(loaded, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100000 + "]" * 100000, encoding="utf-8")
    refused(loaded, "import", "--format", "forecastbench", str(path),
            message="nested too deeply")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "'quoted", "'=not a formula",
                                  "''", "plain"])
def test_csv_export_neutralises_formulas_and_a_round_trip_keeps_every_text(tmp_path, text):
    forecasts = Forecasts(tmp_path / "a.db")
    forecasts.ok("add", f"Event {text}", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01", "--quote", text)
    exported = forecasts.ok("export", "--format", "csv").stdout
    quote_cell = exported.splitlines()[1].split(",")[16]
    assert quote_cell == (text if text == "plain" else "'" + text)
    path = tmp_path / "out.csv"
    path.write_text(exported, encoding="utf-8")
    again = Forecasts(tmp_path / "b.db")
    again.ok("import", str(path))
    (row,) = again.json("list")
    assert again.json("show", str(row["id"]))["forecasts"][0]["quote"] == text
    assert os.path.exists(again.db)


@pytest.mark.parametrize("tail, message", [
    (b'{"type": "forecaster", "name": "B\xff"}\n', "not UTF-8 text (invalid start byte at byte"),
    (b'{"type": "forecaster", "name": "B\xc3', "not UTF-8 text (unexpected end of data at byte"),
    (b'{"type": "forecaster", "name": "B"}\x00\n', "holds NUL bytes"),
])
def test_a_bad_byte_past_the_first_megabyte_refuses_the_whole_file(loaded, tmp_path, tail,
                                                                   message):
    # the file is read a chunk at a time: a bad byte far in is still found before anything loads
    head = b"".join(b'{"type": "forecaster", "name": "F%07d"}\n' % n for n in range(40000))
    assert len(head) > files.READ_CHUNK
    path = tmp_path / "big.jsonl"
    path.write_bytes(head + tail)
    refused(loaded, "import", str(path), message=message)
    bad = tail.find(b"\xff")
    if bad >= 0:
        assert f"at byte {len(head) + bad})" in loaded("import", str(path)).stderr


def test_lines_read_a_chunk_at_a_time_are_the_lines_of_the_file(tmp_path):
    text = "".join(f'{{"n": {n}, "q": "x\u2028y é"}}\r\n' for n in range(120000)) + '{"last": 1}'
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(text.encode("utf-8")) > 2 * files.READ_CHUNK
    count, lines = files.input_lines(str(path), "an import file")
    assert count == 120001 and list(lines) == files.split_lines(text)


def test_a_named_pipe_is_read_once_and_imported_whole(tmp_path):
    source = Forecasts(tmp_path / "source.db")
    source.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
              "--resolves", "2026-01-01")
    export = source.ok("export").stdout
    pipe = tmp_path / "records.pipe"  # what `forecasts import <(command)` is given, too
    os.mkfifo(pipe)
    writer = threading.Thread(target=pipe.write_text, args=(export,), kwargs={"encoding": "utf-8"})
    writer.start()
    target = Forecasts(tmp_path / "target.db")
    result = target("import", str(pipe))
    writer.join()
    assert result.exit_code == 0, result.output
    assert "1 new question, 1 new forecast" in result.stdout
    assert target.ok("export").stdout == export


@pytest.mark.parametrize("text, message", [
    ('[{"type": "forecaster", "name": "A"},\n{"type": "forecaster", "name": "B"}]\n',
     "line 1: not valid JSON (Expecting value): the file looks like one JSON document over "
     "several lines, and JSON Lines holds one record a line"),
    ('{\n  "questions": []\n}\n', "line 1: not valid JSON (Expecting property name enclosed in "
     "double quotes): the file looks like one JSON document"),
    ('[{"type": "forecaster", "name": "A"}]\n', "line 1: each line must be a JSON object (this "
     "line is a JSON list: JSON Lines holds one record a line, not a list of them)"),
    ('{"name": "A"}\n', "line 1: the record has no 'type': give one of source, forecaster"),
    ('{"type": "forecaster", "name": "A"\n', "line 1: not valid JSON (Expecting ',' delimiter);"
     " nothing was imported"),
])
def test_a_json_document_or_a_record_without_a_type_is_named_as_such(loaded, tmp_path, text,
                                                                     message):
    path = tmp_path / "in.jsonl"
    path.write_text(text, encoding="utf-8")
    refused(loaded, "import", str(path), message=message)
