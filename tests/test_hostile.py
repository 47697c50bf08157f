"""Bad input everywhere: random and hostile text to every parser and to the commands.

The properties: no input gives a traceback (the CLI runs with ``catch_exceptions=False``, so any
exception fails the test); a rejected input exits 1 or 2 with an ``Error:`` line on stderr and
leaves the database file byte for byte as it was; a read command never writes; an accepted write
keeps the hash chain intact. Hostile strings (SQL, HTML and script tags, control characters,
1 MB quotes, text that is not UTF-8) are stored as given and shown safely.

Run with ``-s`` to see how many generated inputs were tried.
"""

import collections
import datetime
import json
import os
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecasts import parse, tracker
from forecasts.cli import cli
from forecasts.errors import ForecastsError
from forecasts.interchange import InterchangeError, load_lines
from forecasts.names import shown_invisible
from forecasts.output import terminal_safe
from forecasts.scales import scale_names
from forecasts.store import Store, slugify

TRIED = collections.Counter()
FAST = settings(max_examples=1000, deadline=None, derandomize=True)
CLI = settings(max_examples=120, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

SQL = ["'; DROP TABLE forecasts; --", "Robert'); DROP TABLE questions;--", "\" OR 1=1 --",
       "1; DELETE FROM questions", "%' OR '1'='1", "1 UNION SELECT * FROM forecasters",
       "x' AND (SELECT count(*) FROM sqlite_master) > 0 --"]
HTML = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</td></tr><h1>x</h1>",
        "&lt;b&gt; &amp;", "{{7*7}}", "${jndi:ldap://x}", "javascript:alert(1)",
        "<svg onload=alert(1)>", "=HYPERLINK(\"http://x\")", "+1-2", "@SUM(A1)"]
CONTROL = ["\x00", "a\x00b", "\x07", "\x1b[31mred\x1b[0m", "\x1b]0;title\x07", "line\nbreak",
           "\r\n", "\t", "\x7f", "\x9b2J", "\u202eevil", "zero\u200bwidth", "\ufeffbom",
           "\u2028", "\U0001F600", "e\u0301", "İstanbul", "straße", "ﬁ", "\u0000\u0001\u001f"]
LONG = ["x" * 10_000, "'" * 3000, "<" * 3000, "1" * 400, "9" * 30 + "%"]
HOSTILE = SQL + HTML + CONTROL + LONG
PROBABILITIES = ["0.7", "70%", "7/10", "3:1", "1 in 4", "probably not", "likely", "even odds",
                 "peace=0.5", "war=0.5", "peace=60%", "war=40%", "0", "1", "100%", "1.5",
                 "-0.2", "nan", "inf", "1e-9", "0.0000001", "1/0", "0:0", "2:0", "50-50", "",
                 " ", "=", "peace=", "=0.5", "70 %", "٣٠%", "½", "0x10", "1e999", "7/10/2"]
DATES = ["2025-01-01", "2025-06-15", "2024-12-31", "today", "yesterday", "2025-02-30",
         "2025-13-01", "0001-01-01", "9999-12-31", "end of 2026", "Q1 2026", "Q5 2026",
         "mid-2026", "in 6 months", "within weeks", "by christmas", "2026", "", "-1", "1e10",
         "next year", "in 99999999 days", "2025-01-01T10:00", "31/12/2026"]
REFS = ["1", "2", "3", "rain", "war", "done", "0", "-1", "999999999999999999999", "RAIN",
        " 1 ", "1.0", "rain-2", "#1"]
OUTCOMES = ["yes", "no", "peace", "war", "ambiguous", "annulled", "YES", "maybe", "y", "true"]

surrogates = st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1,
                     max_size=3)
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(st.characters(max_codepoint=0x3000), max_size=20),
    st.builds(lambda a, b: a + b, st.sampled_from(HOSTILE), st.text(max_size=10)),
)
value = st.one_of(st.sampled_from(PROBABILITIES + DATES + REFS + OUTCOMES), hostile_text,
                  st.builds(lambda a, b: a + b, st.text(max_size=5), surrogates))

OPTIONS = {
    "add": ["--by", "-p", "--on", "--resolves", "--quote", "--source", "--tag", "--option",
            "--criteria", "--scale"],
    "forecast": ["--by", "-p", "--on", "--quote", "--source", "--scale"],
    "resolve": ["--on", "--evidence", "--note"],
    "list": ["--by", "--tag"],
    "show": [], "log": [],
    "score": ["--by", "--tag", "--since", "--until", "--scale"],
}
FLAGS = {"add": ["--json"], "forecast": ["--json"], "resolve": ["--json"],
         "list": ["--open", "--due", "--resolved", "--json", "--csv"], "show": ["--json"],
         "log": ["--json"], "score": ["--json", "--csv", "--by-tag", "--time-averaged"]}
POSITIONALS = {"add": 1, "forecast": 1, "resolve": 2, "list": 0, "show": 1, "log": 1,
               "score": 0}
WRITES = {"add", "forecast", "resolve", "import"}


def _safe(token):
    # "--" would turn our own --db into a positional argument; a --db of theirs is overridden
    return token != "--" and not token.startswith("--db")


def command_args(command):
    """Arguments for ``command``: its positionals, then options with values, in any order,
    now and then a flag, an unknown option or a missing value."""
    pairs = st.lists(st.tuples(st.sampled_from(OPTIONS[command] or ["--nope"]), value),
                     max_size=6)
    extras = st.lists(st.sampled_from(FLAGS[command] + ["--nope", "-p", "--by", "-h"]),
                      max_size=2)
    return st.builds(
        lambda positionals, pairs, extras, shuffle: [command, *positionals,
                                                     *[x for pair in pairs for x in pair],
                                                     *(extras if shuffle else [])],
        st.lists(value, min_size=0, max_size=POSITIONALS[command] + 1).map(
            lambda xs: [x for x in xs if _safe(x)]),
        pairs.map(lambda ps: [p for p in ps if _safe(p[1])]),
        extras, st.booleans())


GOOD_P = ["0.7", "70%", "7/10", "3:1", "1 in 4", "probably not", "likely", "0", "100%"]
GOOD_DATES = ["2025-01-01", "2025-02-01", "2024-12-31", "yesterday", "2025-06-15"]
GOOD_HORIZONS = ["2026-12-31", "end of 2026", "Q1 2027", "mid-2027", "in 6 months", ""]

# Well-formed values, so that the hostile text around them is accepted and stored
good_p = st.sampled_from(GOOD_P)
good_date = st.sampled_from(GOOD_DATES)
good_horizon = st.sampled_from(GOOD_HORIZONS)
good_ref = st.sampled_from(["1", "it-rains", "3", "done"])
good_outcome = st.sampled_from(["yes", "no", "ambiguous", "annulled"])
named = hostile_text.filter(lambda text: " ".join(
    "".join(ch for ch in text if ch.isprintable() or ch.isspace()).split()))


def plausible_args(command):
    """Well-formed commands carrying hostile text, so that many are accepted and write."""
    if command == "add":
        return st.builds(lambda text, by, p, on, resolves, quote, tag: [
            "add", text, "--by", by, "-p", p, "--on", on, "--resolves", resolves,
            "--quote", quote, "--tag", tag],
            named, named, good_p, good_date, good_horizon, hostile_text, named)
    if command == "forecast":
        return st.builds(lambda ref, by, p, on, quote, source: [
            "forecast", ref, "--by", by, "-p", p, "--on", on, "--quote", quote,
            "--source", source],
            good_ref, named, good_p, good_date, hostile_text, hostile_text)
    return st.builds(lambda ref, outcome, on, evidence, note: [
        "resolve", ref, outcome, "--on", on, "--evidence", evidence, "--note", note],
        good_ref, good_outcome, good_date, hostile_text, hostile_text)


class Workspace:
    """A template database (open, multiple-choice and resolved questions) copied afresh for
    every generated input."""

    def __init__(self, root):
        self.root = root
        self.db = str(root / "test.db")
        self.runner = CliRunner()
        self.env = {"FORECASTS_DB": self.db}
        for args in (
                ["add", "It rains", "--by", "Alice", "-p", "70%", "--on", "2025-01-01",
                 "--resolves", "2026-12-31", "--tag", "weather"],
                ["add", "The war", "--by", "Desk", "--option", "peace", "--option", "war",
                 "-p", "peace=0.3", "-p", "war=0.7", "--on", "2025-01-01"],
                ["add", "Done", "--by", "Bob", "-p", "0.2", "--on", "2025-01-01",
                 "--resolves", "2025-03-01"],
                ["resolve", "3", "no", "--on", "2025-03-01"]):
            result = self.invoke(args)
            assert result.exit_code == 0, result.output
        self.template = Path(self.db).read_bytes()
        assert not Path(self.db + "-wal").exists()

    def invoke(self, args, input=None):
        return self.runner.invoke(cli, [*args, "--db", self.db], input=input, env=self.env,
                                  catch_exceptions=False)

    def fresh(self):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                os.remove(self.db + suffix)
        Path(self.db).write_bytes(self.template)

    def state(self):
        wal = Path(self.db + "-wal")
        return Path(self.db).read_bytes(), wal.read_bytes() if wal.exists() else b""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    cwd = os.getcwd()
    os.chdir(root)  # a command that ignored --db would write here, and be caught below
    try:
        yield Workspace(root)
        assert sorted(p.name for p in root.iterdir() if not p.name.startswith("test.db")
                      and p.name != "in.jsonl") == []
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    total = sum(n for key, n in TRIED.items() if not key.startswith(("accepted", "rejected")))
    print(f"\ngenerated bad inputs tried: {total} ({dict(sorted(TRIED.items()))})")


def no_control_characters(text):
    return all(ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Zl", "Zp")
               for ch in text)


def check_command(workspace, args, input=None):
    """Run one generated command on a fresh copy of the template and check the properties."""
    workspace.fresh()
    before = workspace.state()
    result = workspace.invoke(args, input=input)  # an exception here fails the test
    command = args[0]
    TRIED[f"cli {command}"] += 1
    assert result.exit_code in (0, 1, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code:
        TRIED["rejected"] += 1
        assert workspace.state() == before, f"rejected input wrote to the database: {args!r}"
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        return result
    TRIED["accepted"] += 1
    if command not in WRITES or "-h" in args:
        assert workspace.state() == before, f"a read command wrote: {args!r}"
    else:
        store = Store.open(workspace.db, create=False)
        assert store.verify()["problems"] == []
        store.close()
    if "--json" not in args and "--csv" not in args:
        assert no_control_characters(result.stdout), result.stdout
    return result


# Parsers -----------------------------------------------------------------------------------

@FAST
@given(text=st.one_of(value, st.text()), scale=st.sampled_from(scale_names()))
def test_parse_probability_returns_a_probability_or_a_one_line_error(text, scale):
    TRIED["parse_probability"] += 1
    try:
        p = parse.parse_probability(text, scale)
    except parse.ParseError as error:
        assert "\n" not in str(error) and str(error)
        return
    assert 0 <= p.ppm <= parse.PPM and isinstance(p.ppm, int)


@FAST
@given(items=st.lists(st.one_of(value, st.builds("{}={}".format, value, value)), max_size=5),
       options=st.lists(st.one_of(st.sampled_from(["peace", "war", "ceasefire"]), named),
                        min_size=2, max_size=4, unique_by=str.lower).map(
           lambda labels: [" ".join(label.split()) for label in labels]))  # as `add` keeps them
def test_parse_option_probabilities(items, options):
    TRIED["parse_option_probabilities"] += 1
    try:
        given_ = parse.parse_option_probabilities(items, options)
    except parse.ParseError as error:
        assert "\n" not in str(error)
        return
    assert set(given_) <= set(options)
    assert all(0 <= p.ppm <= parse.PPM for p in given_.values())


@FAST
@given(text=st.one_of(value, st.text()),
       today=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 1, 1)))
def test_parse_date_and_horizon(text, today):
    TRIED["parse_date"] += 1
    TRIED["parse_horizon"] += 1
    for parser in (parse.parse_date, parse.parse_horizon):
        try:
            day = parser(text, today)
        except parse.ParseError as error:
            assert "\n" not in str(error) and str(error)
        else:
            assert isinstance(day, datetime.date)


@FAST
@given(outcome=value, kind=st.sampled_from(["binary", "multiple_choice"]))
def test_read_outcome(outcome, kind):
    TRIED["read_outcome"] += 1
    question = {"id": 1, "kind": kind, "options": ["peace", "war"] if kind != "binary" else []}
    try:
        word, label = tracker.read_outcome(question, outcome)
    except tracker.InputError as error:
        assert "\n" not in str(error)
        return
    assert word in ("yes", "no", "ambiguous", "annulled", "peace", "war")


@FAST
@given(text=st.one_of(value, st.text()))
def test_slugs_and_terminal_text_are_always_safe(text):
    TRIED["slugify/terminal_safe"] += 1
    slug = slugify(text)
    assert slug and all(ch in "abcdefghijklmnopqrstuvwxyz0123456789-" for ch in slug)
    assert no_control_characters(terminal_safe(text))


json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text,
                        st.sampled_from(PROBABILITIES + DATES + REFS + OUTCOMES))
json_value = st.recursive(json_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)
FIELDS = {"question": ["id", "text", "kind", "options", "resolves", "opens", "criteria", "tags"],
          "forecast": ["question", "by", "p", "probs", "made", "quote", "verbal", "scale",
                       "source", "recorded", "input"],
          "resolution": ["question", "outcome", "resolved", "evidence", "note", "recorded"],
          "forecaster": ["name", "kind", "role"], "source": ["url", "title", "outlet"]}
record = st.sampled_from(sorted(FIELDS) + ["nonsense", None]).flatmap(
    lambda kind: st.fixed_dictionaries(
        {"type": st.just(kind)},
        optional={field: st.one_of(json_value, st.sampled_from(
            ["rain", "war", "done", "2025-01-01", "yes", 0.5, ["peace", "war"],
             {"peace": 0.5, "war": 0.5}]))
            for field in FIELDS.get(kind, ["id", "text"])}))
line = st.one_of(record.map(lambda r: json.dumps(r, ensure_ascii=False)), st.text(max_size=30),
                 st.sampled_from(["", "{", "[]", "null", "{\"type\": \"question\"}", "\ufeff{}",
                                  "NaN", "{\"type\": \"forecast\", \"p\": NaN}"]))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(lines=st.lists(line, max_size=6))
def test_import_lines_load_or_raise_one_line_error(lines):
    TRIED["import lines (library)"] += 1
    store = Store.open(":memory:")
    try:
        load_lines(store, lines)
    except (InterchangeError, ForecastsError) as error:
        assert "\n" not in str(error)
        assert store.db.execute("select count(*) from forecasts").fetchone()[0] == 0
    else:
        assert store.verify()["problems"] == []
    finally:
        store.close()


# Commands ----------------------------------------------------------------------------------

@CLI
@given(args=st.one_of(command_args("add"), plausible_args("add")))
def test_add_with_random_arguments(workspace, args):
    check_command(workspace, args)


@CLI
@given(args=st.one_of(command_args("forecast"), plausible_args("forecast")))
def test_forecast_with_random_arguments(workspace, args):
    check_command(workspace, args)


@CLI
@given(args=st.one_of(command_args("resolve"), plausible_args("resolve")))
def test_resolve_with_random_arguments(workspace, args):
    check_command(workspace, args)


@CLI
@given(args=st.one_of(*(command_args(c) for c in ("list", "show", "log", "score"))))
def test_read_commands_with_random_arguments(workspace, args):
    check_command(workspace, args)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(args=st.lists(st.one_of(value, st.sampled_from(
    sorted({o for opts in OPTIONS.values() for o in opts} | {"--json", "--open"}))),
    max_size=6).map(lambda xs: [x for x in xs if _safe(x)]),
    command=st.sampled_from(["add", "forecast", "resolve", "list", "show", "log", "verify"]))
def test_any_command_with_any_arguments(workspace, command, args):
    check_command(workspace, [command, *args])


def _break_utf8(data, cut):
    return data[:cut] + b"\xff\xfe\xc3(" + data[cut:]


import_file = st.one_of(
    st.binary(max_size=400),
    st.lists(line, max_size=5).map(lambda ls: "\n".join(ls).encode("utf-8", "surrogatepass")),
    st.tuples(st.lists(line, min_size=1, max_size=4), st.integers(0, 200)).map(
        lambda t: _break_utf8("\n".join(t[0]).encode("utf-8", "surrogatepass"), t[1])),
)


@CLI
@given(content=import_file, fmt=st.sampled_from([[], ["--format", "jsonl"], ["--format", "csv"]]))
def test_import_of_random_and_hostile_files(workspace, content, fmt):
    path = workspace.root / "in.jsonl"
    path.write_bytes(content)
    check_command(workspace, ["import", str(path), *fmt])


# Hostile strings stored and shown safely ---------------------------------------------------

def clean(text):
    """What the tool keeps of a name, question or tag: printable characters, spaces collapsed."""
    return " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())


@pytest.mark.parametrize("group", [SQL, HTML, CONTROL, LONG], ids=["sql", "html", "control",
                                                                    "long"])
def test_hostile_strings_are_stored_as_given_and_shown_safely(forecasts, group, tmp_path):
    for number, hostile in enumerate(group, start=1):
        text = f"Event {number} {hostile}"
        by = f"Eve {shown_invisible(hostile)}"  # a name refuses invisible characters (test_names)
        forecasts.ok("add", text, "--by", by, "-p", "0.3", "--on", "2025-01-01",
                     "--resolves", "2025-06-30", "--quote", hostile, "--tag", f"t {hostile}",
                     "--criteria", hostile, "--source", hostile)
        forecasts.ok("resolve", str(number), "yes", "--on", "2025-06-30", "--evidence", hostile,
                     "--note", hostile)
        shown = forecasts.json("show", str(number))
        assert shown["question"]["text"] == clean(text)
        assert shown["question"]["criteria"] == hostile
        assert shown["question"]["tags"] == [clean(f"t {hostile}")]
        forecast = shown["forecasts"][0]
        assert forecast["forecaster"] == unicodedata.normalize("NFKC", clean(by))
        assert forecast["quote"] == hostile
        assert forecast["source_url"] == hostile
        assert shown["resolutions"][0]["evidence"] == hostile
        assert shown["resolutions"][0]["note"] == hostile
        for args in (["show", str(number)], ["log", str(number)]):
            output = forecasts.ok(*args).stdout
            assert no_control_characters(output), (args, output[:200])
    for args in (["list"], ["score"], ["calibration"], ["leaderboard"], ["verify"]):
        output = forecasts.ok(*args).stdout
        assert no_control_characters(output), (args, output[:200])
    con = sqlite3.connect(forecasts.db)
    assert con.execute("select count(*) from questions").fetchone()[0] == len(group)
    assert {r[0] for r in con.execute("select name from sqlite_master where type = 'table'")} >= {
        "questions", "forecasts", "resolutions", "forecasters", "hash_chain"}
    con.close()
    report = tmp_path / "report.html"
    forecasts.ok("report", "--html", str(report))
    html = report.read_text(encoding="utf-8")
    for dangerous in ("<script>alert(1)</script>", "<img src=x onerror", "<svg onload",
                      "<h1>x</h1>"):
        assert dangerous not in html


def test_a_one_megabyte_quote_through_the_command_line_and_an_import(forecasts, tmp_path):
    quote = ("“Quoted at length” <b>\x1b[1m " * 40_000)[:1_000_000]
    assert len(quote) == 1_000_000
    forecasts.ok("add", "Long", "--by", "A", "-p", "0.5", "--on", "2025-01-01", "--quote", quote)
    path = tmp_path / "long.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"type": "question", "id": "longer", "text": "Longer", "resolves": "2025-06-30"},
        {"type": "forecast", "question": "longer", "by": "B", "p": 0.4, "made": "2025-01-01",
         "quote": quote[::-1]},
    ]) + "\n", encoding="utf-8")
    forecasts.ok("import", str(path))
    assert forecasts.json("show", "1")["forecasts"][0]["quote"] == quote
    assert forecasts.json("show", "longer")["forecasts"][0]["quote"] == quote[::-1]
    shown = forecasts.ok("show", "1").stdout
    assert len(shown) > 1_000_000 and "\x1b" not in shown
    assert "OK: 6 records" in forecasts.ok("verify").stdout


def test_import_file_that_is_not_utf8_is_refused_and_writes_nothing(forecasts, tmp_path):
    forecasts.ok("add", "X", "--by", "A", "-p", "0.5", "--on", "2025-01-01")
    before = Path(forecasts.db).read_bytes()
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps({"type": "question", "id": "cafe", "text": "Café"},
                                ensure_ascii=False).encode("latin-1"))
    result = forecasts("import", str(path))
    assert result.exit_code in (1, 2) and "UTF-8" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert Path(forecasts.db).read_bytes() == before


def test_arguments_that_are_not_utf8_are_refused_and_write_nothing(forecasts):
    forecasts.ok("add", "X", "--by", "A", "-p", "0.5", "--on", "2025-01-01")
    before = Path(forecasts.db).read_bytes()
    raw = b"caf\xe9".decode("utf-8", "surrogateescape")  # what Python makes of Latin-1 argv
    for args in (["add", raw, "--by", "A", "-p", "0.5"], ["forecast", "1", "--by", "A",
                                                          "-p", "0.5", "--quote", raw],
                 ["show", raw], ["resolve", "1", "yes", "--evidence", raw]):
        result = forecasts(*args)
        assert result.exit_code == 2
        assert result.stderr == "Error: 'caf\\udce9' is not valid UTF-8 text\n"
    assert Path(forecasts.db).read_bytes() == before


def test_deeply_nested_json_is_one_clean_error_and_writes_nothing(tmp_path):
    """Issue 16: a line of 100,000 brackets ended in a RecursionError traceback."""
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "\n", encoding="utf-8")
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["import", str(deep), "--db", db], catch_exceptions=False)
    assert result.exit_code == 2 and "nested too deeply" in result.stderr
    assert not os.path.exists(db) or _forecast_count(db) == 0


def _forecast_count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("select count(*) from forecasts").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("content", ['{"drafts": [{"id": "x"}]}', "export"])
def test_review_of_a_file_that_is_not_drafts_is_one_clean_error(tmp_path, content):
    """Issue 16: an export, or drafts without their fields, ended in a KeyError traceback."""
    db = str(tmp_path / "t.db")
    runner = CliRunner()
    path = tmp_path / "file.json"
    if content == "export":
        runner.invoke(cli, ["add", "Event", "--by", "A", "-p", "0.7", "--on", "2025-01-01",
                            "--db", db], catch_exceptions=False)
        runner.invoke(cli, ["export", "-o", str(path), "--db", db], catch_exceptions=False)
    else:
        path.write_text(content, encoding="utf-8")
    for command in ("review", "import-drafts"):
        result = runner.invoke(cli, [command, str(path), "--db", db], input="q\n",
                               catch_exceptions=False)
        assert result.exit_code != 0 and "is not a draft file" in result.stderr, result.output
