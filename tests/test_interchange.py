"""Data in and out: the JSON Lines round trip, all-or-nothing imports, idempotence, CSV."""

import csv
import io
import json
import sqlite3

import pytest
from conftest import Forecasts

XSS = '<script>alert("x")</script> & "quotes" — ünïcödé \u2028 line\x85separators'


TABLES = ["forecasters", "sources", "questions", "options", "tags", "question_tags", "forecasts",
          "forecast_options", "resolutions", "hash_chain"]


def build(forecasts, tmp_path):
    """A database with every kind of record the interchange format carries."""
    details = tmp_path / "details.jsonl"
    details.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"type": "source", "url": "https://example.org/talks", "outlet": "Example Post",
         "title": "Talks stall — «again»", "published": "2025-12-15", "author": "A. Writer"},
        {"type": "source", "url": None, "outlet": "Radio", "title": "An interview, no link",
         "published": None, "author": None},
        {"type": "forecaster", "name": "Orysia Lutsevych", "kind": "person",
         "role": "Russia expert, Chatham House"},
        {"type": "forecaster", "name": "Polymarket", "kind": "crowd", "role": "prediction market"},
    ]) + "\n", encoding="utf-8")
    forecasts.ok("import", str(details))
    steps = [
        ["add", "Russia accepts the Berlin peace framework", "--by", "Orysia Lutsevych",
         "-p", "probably not", "--on", "2025-12-16", "--resolves", "2026-06-30",
         "--quote", XSS, "--source", "https://example.org/talks", "--tag", "ukraine",
         "--criteria", "Russia's foreign ministry says it accepts <the framework>"],
        ["forecast", "1", "--by", "Keir Giles", "-p", "5%", "--on", "2025-12-16",
         "--source", "An interview, no link"],
        ["forecast", "1", "--by", "Keir Giles", "-p", "5%", "--on", "2025-12-16"],
        ["forecast", "1", "--by", "Polymarket", "-p", "0.123456", "--on", "2025-12-17"],
        ["add", "State of the war at the end of 2026", "--by", "Defence Talks",
         "--option", "cold peace", "--option", "war grinds on", "--option", "interim ceasefire",
         "-p", "cold peace=25%", "-p", "war grinds on=1/2", "-p", "interim ceasefire=0.25",
         "--on", "2025-12-06", "--resolves", "2026-12-31", "--tag", "ukraine", "--tag", "war"],
        ["add", "=HYPERLINK(\"http://x\") the deal is signed by the end of the year",
         "--by", "Me", "-p", "3:1", "--on", "2025-12-01", "--resolves", "2025-12-31"],
        ["resolve", "1", "no", "--on", "2026-06-30", "--evidence", "https://example.org/no"],
        ["resolve", "2", "war grinds on", "--on", "2026-11-30"],
        ["resolve", "3", "yes", "--on", "2025-12-31"],
        ["resolve", "3", "no", "--correct", "--on", "2025-12-31", "--evidence", "correction: nothing signed",
         "--note", "the first report was wrong"],
        ["resolve", "3", "yes", "--correct", "--on", "2025-12-31"],
    ]
    for step in steps:
        forecasts.ok(*step)


@pytest.fixture
def full(forecasts, tmp_path):
    build(forecasts, tmp_path)
    return forecasts


def export(forecasts, *args):
    result = forecasts("export", *args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_export_import_export_is_byte_identical(full, tmp_path):
    first = export(full)
    (tmp_path / "a.jsonl").write_bytes(first)
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(tmp_path / "a.jsonl"))
    assert export(copy) == first
    assert copy.counts() == {t: n for t, n in full.counts().items()}


def test_the_copy_has_the_same_hash_chain(full, tmp_path):
    (tmp_path / "a.jsonl").write_bytes(export(full))
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(tmp_path / "a.jsonl"))
    original, restored = full.json("verify"), copy.json("verify")
    assert restored["problems"] == [] and restored["head"] == original["head"]


def test_export_holds_every_field(full):
    records = [json.loads(line) for line in export(full).decode("utf-8").split("\n") if line]
    seen = set()
    for r in records:  # what a record refers to comes before it
        assert {("question", r.get("question")), ("forecaster", r.get("by"))} <= seen | {
            ("question", None), ("forecaster", None)}
        seen.add(("question", r["id"]) if r["type"] == "question" else
                 ("forecaster", r["name"]) if r["type"] == "forecaster" else None)
    words = next(r for r in records if r["type"] == "forecast" and r.get("verbal"))
    assert words == {**words, "p": 0.265, "input": "probably not", "verbal": "probably not",
                     "scale": "default", "quote": XSS, "source": "https://example.org/talks"}
    assert words["recorded"] and words["made"] == "2025-12-16"
    choice = next(r for r in records if r["type"] == "forecast" and "probs" in r)
    assert choice["probs"] == {"cold peace": 0.25, "war grinds on": 0.5,
                               "interim ceasefire": 0.25}
    assert choice["inputs"] == {"cold peace": "25%", "war grinds on": "1/2",
                                "interim ceasefire": "0.25"}
    history = [(r["outcome"], r["evidence"], r["note"]) for r in records
               if r["type"] == "resolution" and r["question"].startswith("hyperlink")]
    assert history == [("yes", None, None),
                       ("no", "correction: nothing signed", "the first report was wrong"),
                       ("yes", None, None)]
    question = next(r for r in records if r["type"] == "question" and r["kind"] == "binary")
    assert set(question) == {"type", "id", "text", "kind", "opens", "resolves", "criteria",
                             "tags", "created"}
    assert {r["name"]: r["kind"] for r in records if r["type"] == "forecaster"}["Polymarket"] \
        == "crowd"
    assert any(r["type"] == "source" and r["author"] == "A. Writer" for r in records)


def test_export_to_a_file_equals_standard_output(full, tmp_path):
    result = full.ok("export", "-o", str(tmp_path / "out.jsonl"))
    assert "Wrote" in result.stdout
    assert (tmp_path / "out.jsonl").read_bytes() == export(full)


def test_importing_twice_adds_nothing(full, tmp_path):
    (tmp_path / "a.jsonl").write_bytes(export(full))
    before = full.counts()
    result = full.ok("import", str(tmp_path / "a.jsonl"), "--json")
    assert set(json.loads(result.stdout).values()) == {0}
    assert full.counts() == before


def test_repeated_forecasts_and_reverted_corrections_survive_the_round_trip(full, tmp_path):
    (tmp_path / "a.jsonl").write_bytes(export(full))
    copy = Forecasts(tmp_path / "copy.db")
    for _ in range(2):
        copy.ok("import", str(tmp_path / "a.jsonl"))
    shown = copy.json("show", "1")
    assert [f["forecaster"] for f in shown["forecasts"]].count("Keir Giles") == 2
    history = copy.json("show", "3")["resolutions"]
    assert [r["outcome"] for r in history] == ["yes", "no", "yes"]


def test_a_longer_history_is_added_after_what_is_there(forecasts, tmp_path):
    lines = [
        {"type": "question", "id": "deal", "text": "A deal", "opens": "2025-01-01"},
        {"type": "resolution", "question": "deal", "outcome": "yes", "resolved": "2025-02-01"},
        {"type": "resolution", "question": "deal", "outcome": "no", "resolved": "2025-02-01"},
        {"type": "resolution", "question": "deal", "outcome": "yes", "resolved": "2025-02-01"},
    ]
    (tmp_path / "short.jsonl").write_text(json.dumps(lines[0]) + "\n" + json.dumps(lines[1]))
    (tmp_path / "long.jsonl").write_text("\n".join(json.dumps(x) for x in lines))
    forecasts.ok("import", str(tmp_path / "short.jsonl"))
    result = forecasts.json("import", str(tmp_path / "long.jsonl"))
    assert result["resolution"] == 2
    assert [r["outcome"] for r in forecasts.json("show", "deal")["resolutions"]] == \
        ["yes", "no", "yes"]


GOOD = [
    {"type": "question", "id": "rain", "text": "It rains", "resolves": "2025-01-02"},
    {"type": "question", "id": "war", "text": "The war", "kind": "multiple_choice",
     "options": ["peace", "war"]},
    {"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-01"},
]


@pytest.mark.parametrize("bad_line, reason", [
    ('{"type": "forecast", "question": "rain", "by": "Bo", "p": 0.7, "made": "2025-01', "JSON"),
    ('{"type": "prediction"}', "unknown type"),
    ('{"type": "forecast", "question": "snow", "by": "Bo", "p": 0.7, "made": "2025-01-01"}',
     "no question"),
    ('{"type": "forecast", "question": "rain", "by": "Bo", "p": 1.5, "made": "2025-01-01"}',
     "between 0 and 1"),
    ('{"type": "forecast", "question": "rain", "by": "Bo", "p": 0.5, "made": "1 Jan"}',
     "YYYY-MM-DD"),
    ('{"type": "forecast", "question": "war", "by": "Bo", "probs": {"peace": 0.2, "war": 0.2},'
     ' "made": "2025-01-01"}', "sum to 0.4"),
    ('{"type": "forecast", "question": "war", "by": "Bo", "probs": {"truce": 1},'
     ' "made": "2025-01-01"}', "not an option"),
    ('{"type": "resolution", "question": "rain", "outcome": "maybe", "resolved": "2025-01-02"}',
     "unknown outcome"),
    ('{"type": "question", "id": "Rain Again", "text": "x"}', "lowercase"),
    ('["not", "an", "object"]', "JSON object"),
    ('{"type": "forecast", "question": "rain", "by": "Bo", "p": 0.5, "made": "2025-01-01",'
     ' "recorded": "yesterday"}', "ISO 8601 time"),
    ('{"type": "forecaster", "name": "Bo", "created": "2025-01-01T10:00:00"}', "UTC offset"),
    ('{"type": "forecaster", "name": "\\u202eBo"}', "invisible character"),
    ('{"type": "question", "id": "bell", "text": "\\u0007"}', "control characters"),
    ('{"type": "forecast", "question": "war", "by": "Bo", "probs": {"peace": 0.5, "war": 0.5},'
     ' "inputs": {"peace": "\\ud800"}, "made": "2025-01-01"}', "surrogates not allowed"),
    ('{"type": "resolution", "question": "rain", "outcome": "yes", "resolved": "2025-01-02",'
     ' "evidence": "\\udfff"}', "surrogates not allowed"),
])
def test_a_bad_line_rejects_the_whole_file(forecasts, tmp_path, bad_line, reason):
    forecasts.ok("add", "Already here", "--by", "Zed", "-p", "0.5", "--on", "2025-01-01")
    before = forecasts.counts()
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in GOOD) + "\n\n" + bad_line + "\n")
    result = forecasts("import", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: line 5: ") and reason in result.stderr
    assert "nothing was imported" in result.stderr and "Traceback" not in result.output
    assert result.stderr.count("\n") == 1
    assert forecasts.counts() == before


def test_a_missing_or_binary_file_is_one_clear_line(forecasts, tmp_path):
    result = forecasts("import", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "cannot read" in result.stderr
    (tmp_path / "latin1.jsonl").write_bytes(b'{"type": "source", "title": "caf\xe9"}\n')
    result = forecasts("import", str(tmp_path / "latin1.jsonl"))
    assert result.exit_code == 2 and "not UTF-8" in result.stderr
    assert not (tmp_path / "test.db").exists()


def test_import_reads_standard_input(forecasts):
    text = "\n".join(json.dumps(x) for x in GOOD)
    result = forecasts("import", "-", input=text)
    assert result.exit_code == 0 and "2 new questions" in result.stdout


def test_hand_written_lines_may_give_words_or_typed_text(forecasts, tmp_path):
    path = tmp_path / "typed.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        GOOD[0],
        {"type": "forecast", "question": "rain", "by": "Bo", "verbal": "probably not",
         "made": "2025-01-01"},
        {"type": "forecast", "question": "rain", "by": "Cy", "input": "3:1", "made": "2025-01-01"},
        {"type": "forecast", "question": "war", "by": "Cy", "probs": {"peace": 1},
         "made": "2025-01-01"}, GOOD[1]][:3]) + "\n")
    forecasts.ok("import", str(path))
    shown = {f["forecaster"]: f for f in forecasts.json("show", "rain")["forecasts"]}
    assert shown["Bo"]["p_ppm"] == 265000 and shown["Bo"]["scale"] == "default"
    assert shown["Cy"]["p_ppm"] == 750000 and shown["Cy"]["p_text"] == "3:1"


def test_an_option_left_out_is_recorded_as_zero_and_scores(forecasts, tmp_path):
    path = tmp_path / "mc.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        GOOD[1],
        {"type": "forecast", "question": "war", "by": "Bo", "probs": {"peace": 1},
         "made": "2025-01-01"},
        {"type": "resolution", "question": "war", "outcome": "war", "resolved": "2025-02-01"}]))
    forecasts.ok("import", str(path))
    assert forecasts.json("score")[0]["brier"] == pytest.approx(1.0)


# CSV -------------------------------------------------------------------------------------------


def csv_rows(forecasts, *args):
    result = forecasts("export", "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"))))


def test_csv_export_has_a_row_per_forecast_with_its_brier_score(full):
    rows = csv_rows(full)
    assert len(rows) == sum(len(full.json("show", str(q))["forecasts"]) for q in (1, 2, 3))
    orysia = rows[0]
    assert orysia["forecaster"] == "Orysia Lutsevych" and orysia["probability"] == "0.265"
    assert orysia["input"] == "probably not" and orysia["outcome"] == "no"
    assert float(orysia["brier"]) == pytest.approx(0.265 ** 2)
    assert orysia["counted"] == "yes" and orysia["quote"] == XSS
    assert orysia["source"] == "https://example.org/talks"
    keir = [r for r in rows if r["forecaster"] == "Keir Giles"]
    assert [r["counted"] for r in keir] == ["no", "yes"]
    war = next(r for r in rows if r["kind"] == "multiple_choice")
    assert json.loads(war["probabilities"]) == {"cold peace": 0.25, "war grinds on": 0.5,
                                                "interim ceasefire": 0.25}
    assert war["probability"] == "" and war["outcome"] == "war grinds on"
    assert float(war["brier"]) == pytest.approx(0.5 * (0.25 ** 2 + 0.5 ** 2 + 0.25 ** 2))
    scores = {r["forecaster"]: r["brier"] for r in full.json("score")}
    assert float(orysia["brier"]) == pytest.approx(scores["Orysia Lutsevych"])


def test_csv_cells_cannot_run_as_spreadsheet_formulas(forecasts):
    for text in ("=SUM(A1:A9) happens", "+1 more", "-2 less", "@cmd happens", "\tTabbed"):
        forecasts.ok("add", f"x {text}", "--by", "A", "-p", "0.5", "--on", "2025-01-01",
                     "--quote", text, "--source", text.strip(), "--tag", text.strip())
    cells = [cell for row in csv.reader(io.StringIO(forecasts.ok(
        "export", "--format", "csv").stdout)) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert "'=SUM(A1:A9) happens" in cells and "'-2 less" in cells


def test_csv_export_import_export_gives_the_same_rows(full, tmp_path):
    (tmp_path / "a.csv").write_bytes(export(full, "--format", "csv"))
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(tmp_path / "a.csv"))
    assert export(copy, "--format", "csv") == (tmp_path / "a.csv").read_bytes()
    before = copy.counts()
    copy.ok("import", str(tmp_path / "a.csv"))
    assert copy.counts() == before


def test_csv_import_with_the_documented_minimal_columns(forecasts, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(
        "question,forecaster,probability,made,resolves,tags,outcome,resolved\n"
        "Team ships v2 by March,Me,70%,2026-01-05,2026-03-31,work; q1,no,2026-04-01\n"
        "Team ships v2 by March,Sam,1 in 4,2026-01-06,,,no,2026-04-01\n"
        "Board approves the budget,Me,very likely,2026-01-05,2026-03-31,work,,\n",
        encoding="utf-8")
    result = forecasts.json("import", str(path))
    assert result == {"source": 0, "forecaster": 2, "question": 2, "forecast": 3,
                      "resolution": 1, "correction": 0}
    ships = forecasts.json("show", "team-ships-v2-by-march")
    assert ships["question"]["tags"] == ["q1", "work"]
    assert [f["p_ppm"] for f in ships["forecasts"]] == [700000, 250000]
    assert forecasts.json("show", "2")["forecasts"][0]["verbal"] == "very likely"
    assert {r["forecaster"]: r["brier"] for r in forecasts.json("score")} == \
        pytest.approx({"Sam": 0.0625, "Me": 0.49})


def test_csv_multiple_choice_rows(forecasts, tmp_path):
    path = tmp_path / "mc.csv"
    path.write_text('question,forecaster,probabilities,made,outcome,resolved\n'
                    '"Who wins","Al","{""red"": 0.7, ""blue"": 0.3}",2025-01-01,red,2025-02-01\n')
    forecasts.ok("import", str(path))
    assert forecasts.json("show", "who-wins")["question"]["options"] == ["red", "blue"]
    assert forecasts.json("score")[0]["brier"] == pytest.approx(0.09)


@pytest.mark.parametrize("body, reason", [
    ("Rain,Al,0.7,2025-01-01\nSnow,Al,1.7,2025-01-01\n", "line 3: 'p' must be between 0 and 1"),
    ("Rain,Al,0.7,2025-01-01\nSnow,Al,0.7\n", "line 3: 3 cells"),
    ("Rain,Al,0.7,2025-01-01\n,Al,0.7,2025-01-01\n", "line 3: each row needs 'question'"),
    ("Rain,Al,0.7,2025-01-01\nSnow,Al,perhaps-ish,2025-01-01\n", "line 3:"),
])
def test_a_bad_csv_row_rejects_the_whole_file(forecasts, tmp_path, body, reason):
    path = tmp_path / "bad.csv"
    path.write_text("question,forecaster,probability,made\n" + body)
    result = forecasts("import", str(path))
    assert result.exit_code == 2 and reason in result.stderr, result.stderr
    assert not any(n for t, n in forecasts.counts().items() if not t.startswith("_"))


@pytest.mark.parametrize("rows, reason", [
    ("q-new,First text,Al,0.5,2026-01-01,,\nq-new,Other text,Bo,0.6,2026-01-01,,",
     "line 3: question id 'q-new' has other text on line 2"),
    (",Same text,Al,0.5,2026-01-01,,\n,Same text,Bo,0.6,2027-06-30,,",
     "line 3: question 'same-text' resolves 2026-01-01 on line 2, 2027-06-30 here"),
    (",Same text,Al,0.5,2025-06-01,yes,2025-06-01\n,Same text,Bo,0.6,2025-06-01,no,2025-06-01",
     "line 3: this row resolves 'same-text' as no on 2025-06-01, but line 2 resolves it as yes"),
    (",Same text,Al,0.5,2025-06-01,yes,2025-06-01\n,Same text,Bo,0.6,2025-06-01,Y,2025-06-09",
     "line 3: this row resolves 'same-text' as yes on 2025-06-09, but line 2 resolves it as yes"
     " on 2025-06-01"),
])
def test_csv_rows_that_disagree_about_their_question_are_refused(forecasts, tmp_path, rows,
                                                                  reason):
    path = tmp_path / "disagree.csv"
    path.write_text("question_id,question,forecaster,probability,resolves,outcome,resolved,made\n"
                    + "".join(f"{row},2025-01-01\n" for row in rows.split("\n")),
                    encoding="utf-8")
    result = forecasts("import", str(path))
    assert result.exit_code == 2 and reason in result.stderr, result.stderr
    assert not any(n for t, n in forecasts.counts().items() if not t.startswith("_"))


def test_a_csv_row_cannot_change_an_outcome_the_database_holds(forecasts, tmp_path):
    path = tmp_path / "a.csv"
    header = "question_id,question,forecaster,made,probability,outcome,resolved\n"
    path.write_text(header + "q-rain,Rain on Friday,Al,2025-01-01,0.7,yes,2025-02-01\n",
                    encoding="utf-8")
    forecasts.ok("import", str(path))
    before = forecasts.counts()
    path.write_text(header + "q-rain,Rain on Friday,Bo,2025-01-02,0.5,no,2025-02-01\n",
                    encoding="utf-8")
    result = forecasts("import", str(path))
    assert result.exit_code == 2 and (
        "'q-rain' is resolved as yes on 2025-02-01 in the database, and this row says no on "
        "2025-02-01: record a change with `forecasts resolve q-rain no --correct`"
        in result.stderr), result.stderr
    assert forecasts.counts() == before
    # the same outcome and date again (a re-import of its own export) adds only what is new
    path.write_text(header + "q-rain,Rain on Friday,Bo,2025-01-02,0.5,yes,2025-02-01\n",
                    encoding="utf-8")
    assert forecasts.json("import", str(path))["forecast"] == 1
    # Bo's forecast was recorded after the outcome, so it is late and not scored
    assert {r["forecaster"]: r["brier"] for r in forecasts.json("score")} == \
        pytest.approx({"Al": 0.09})


def test_csv_unknown_column_is_named(forecasts, tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("question,forecastr,probability,made\nRain,Al,0.7,2025-01-01\n")
    result = forecasts("import", str(path))
    assert result.exit_code == 2 and "unknown column 'forecastr'" in result.stderr


def test_no_progress_bar_when_not_on_a_terminal(full, tmp_path):
    result = full("export", "-o", str(tmp_path / "x.jsonl"))
    assert result.stderr == ""


def test_several_files_need_the_forecastbench_format(forecasts, tmp_path):
    result = forecasts("import", "a.jsonl", "b.jsonl")
    assert result.exit_code == 2 and "one JSON Lines or CSV file" in result.stderr


def test_recorded_times_are_kept_in_utc(forecasts, tmp_path):
    path = tmp_path / "times.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        GOOD[0],
        {"type": "forecast", "question": "rain", "by": "Bo", "p": 0.5, "made": "2025-01-01",
         "recorded": "2025-01-01T12:00:00+02:00"},
        {"type": "forecast", "question": "rain", "by": "Cy", "p": 0.5, "made": "2025-01-01",
         "recorded": "2025-01-01T12:00:00.500000+00:00"}]))
    forecasts.ok("import", str(path))
    recorded = {f["forecaster"]: f["recorded"] for f in forecasts.json("show", "rain")["forecasts"]}
    assert recorded == {"Bo": "2025-01-01T10:00:00+00:00",
                        "Cy": "2025-01-01T12:00:00.500000+00:00"}


def test_where_an_import_is_cut_into_batches_changes_nothing(tmp_path, monkeypatch):
    """Rows are written every FLUSH_EVERY records; the database is the same wherever that falls."""
    monkeypatch.setattr("forecasts.store.now_timestamp", lambda: "2026-01-01T00:00:00+00:00")
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in GOOD + [
        {"type": "forecast", "question": "war", "by": "Bo", "probs": {"peace": 0.3, "war": 0.7},
         "made": "2025-01-01", "source": "https://example.org/war"},
        {"type": "forecaster", "name": "bo", "role": "analyst"},
        {"type": "question", "id": "rain", "text": "It rains", "tags": ["weather", "Weather"]},
        {"type": "forecast", "question": "rain", "by": "Alice", "p": 0.7, "made": "2025-01-01"},
        {"type": "source", "title": "An interview"},
        {"type": "forecast", "question": "1", "by": "Cy", "input": "likely", "made": "2025-01-01",
         "source": "An interview"},
        {"type": "resolution", "question": "war", "outcome": "War", "resolved": "2025-02-01"},
        {"type": "resolution", "question": "rain", "outcome": "no", "resolved": "2025-01-02"},
    ]) + "\n", encoding="utf-8")
    databases = []
    for every in (1, 2, 3, 1000):
        monkeypatch.setattr("forecasts.store.FLUSH_EVERY", every)
        copy = Forecasts(tmp_path / f"every-{every}.db")
        copy.ok("import", str(path))
        assert copy.json("verify")["problems"] == []
        con = sqlite3.connect(copy.db)
        databases.append({table: con.execute(f"select rowid, * from {table} order by rowid")
                          .fetchall() for table in TABLES})
        con.close()
    assert databases[0]["forecasters"][1][-2] == "analyst"
    assert all(database == databases[0] for database in databases)


def test_a_semicolon_csv_with_decimal_commas_as_a_spreadsheet_saves_it(forecasts, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffquestion;forecaster;made;probability;outcome;resolved\r\n"
                     "It rains;Al;2025-12-01;0,7;yes;2025-12-20\r\n"
                     "Snow, at last;Bo;2025-12-01;35%;no;2025-12-20\r\n".encode("utf-8"))
    forecasts.ok("import", str(path))
    assert [q["text"] for q in forecasts.json("list")] == ["It rains", "Snow, at last"]
    assert {r["forecaster"]: r["brier"] for r in forecasts.json("score")} == \
        pytest.approx({"Al": 0.09, "Bo": 0.1225})


def test_a_csv_cell_longer_than_the_csv_modules_default_limit_round_trips(forecasts,
                                                                          tmp_path):
    quote = "word " * 30_000  # 150,000 characters: over csv's default field limit of 131,072
    forecasts.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01", "--quote", quote.strip())
    path = tmp_path / "long.csv"
    forecasts.ok("export", "--format", "csv", "-o", str(path))
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(path))
    assert copy.json("show", "1")["forecasts"][0]["quote"] == quote.strip()
