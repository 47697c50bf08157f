"""Fatebook: its CSV export (every quirk of questionsToCsv) and its own import layout."""

import json
import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT, IMPORT_LAYOUT = FIXTURES / "fatebook-export.csv", FIXTURES / "fatebook-import.csv"


def question(forecasts, text):
    found = [q for q in forecasts.json("list") if q["text"] == text]
    assert len(found) == 1, [q["text"] for q in forecasts.json("list")]
    return forecasts.json("show", str(found[0]["id"]))


def test_export_is_detected_and_mapped(forecasts):
    result = forecasts.json("import", str(EXPORT))
    assert result["question"] == 4 and result["forecast"] == 6 and result["resolution"] == 3
    assert result["fatebook"]["layout"] == "export"
    # doubled quotes inside a quoted title; tags joined with "; "
    bill = question(forecasts, 'Will the "Quiet" bill pass the Senate by June?')
    assert bill["question"]["tags"] == ["politics", "us"]
    assert bill["question"]["opens"] == "2024-01-05"
    assert bill["question"]["resolves"] == "2024-06-30"
    # notes and comments are kept
    assert "recorded vote" in bill["question"]["criteria"]
    assert "Comments: Ada Lovelace: Whip count looks good; Alan Turing" in bill["question"][
        "criteria"]
    # several forecasters, and an update as a repeated row; seconds not zero-padded
    made = [(f["forecaster"], f["made"], f["p_ppm"], f["recorded"]) for f in bill["forecasts"]]
    assert made == [("Ada Lovelace", "2024-01-05", 700000, "2024-01-05T14:03:07+00:00"),
                    ("Alan Turing", "2024-01-06", 400000, "2024-01-06T08:00:01+00:00"),
                    ("Ada Lovelace", "2024-03-10", 850000, "2024-03-10T18:30:45+00:00")]
    assert [(r["outcome"], r["resolved"]) for r in bill["resolutions"]] == [("yes", "2024-05-02")]


def test_multiple_choice_rows_make_one_forecast_and_the_yes_option_wins(forecasts):
    forecasts.ok("import", str(EXPORT))
    league = question(forecasts, "Which team wins the league?")
    assert league["question"]["kind"] == "multiple_choice"
    assert league["question"]["options"] == ["Reds", "Blues", "Greens"]
    [forecast] = league["forecasts"]
    assert forecast["option_ppm"] == {"Reds": 500000, "Blues": 300000, "Greens": 200000}
    assert [r["outcome"] for r in league["resolutions"]] == ["Blues"]


def test_open_ambiguous_and_multi_line_notes(forecasts):
    forecasts.ok("import", str(EXPORT))
    snow = question(forecasts, "Will it snow in London on Christmas Day?")
    assert snow["resolutions"] == [] and snow["question"]["status"] != "resolved"
    launch = question(forecasts, "Did the launch slip, again?")
    assert launch["resolutions"][0]["outcome"] == "ambiguous"
    assert launch["question"]["criteria"] == 'Multi-line\nnote with a "quote"'


def test_scores_follow_from_the_export(forecasts):
    forecasts.ok("import", str(EXPORT))
    scores = {r["forecaster"]: r for r in forecasts.json("score")}
    # Alan: 0.4 on a yes question; Ada: her latest 0.85 (yes) and the league (Blues at 0.3)
    assert scores["Alan Turing"]["brier"] == pytest.approx(0.36)
    league = 0.5 * ((0.5 - 0) ** 2 + (0.3 - 1) ** 2 + (0.2 - 0) ** 2)
    assert scores["Ada Lovelace"]["brier"] == pytest.approx((0.15 ** 2 + league) / 2)


def test_reimport_adds_nothing(forecasts):
    forecasts.ok("import", str(EXPORT))
    before = forecasts.counts()
    again = forecasts.json("import", "--format", "fatebook", str(EXPORT))
    assert sum(v for k, v in again.items() if k != "fatebook") == 0
    assert forecasts.counts() == before


def test_import_layout(forecasts):
    result = forecasts.json("import", str(IMPORT_LAYOUT))
    assert result["fatebook"]["layout"] == "import layout"
    assert (result["question"], result["forecast"], result["resolution"]) == (3, 4, 2)
    draft = question(forecasts, "Will I finish the draft by Friday?")
    assert [(f["forecaster"], f["forecaster_kind"], f["p_ppm"]) for f in draft["forecasts"]] == [
        ("Me", "self", 800000), ("Me", "self", 600000)]
    assert draft["question"]["tags"] == ["work", "writing"]
    # no resolveBy or resolvedAt: the day after creation, as Fatebook reads it
    train = question(forecasts, "Will the train be late?")
    assert train["question"]["resolves"] == "2024-03-06"
    assert train["resolutions"][0]["resolved"] == "2024-03-06"
    assert train["forecasts"][0]["p_ppm"] == 250000  # "25": percent without the sign
    before = forecasts.counts()
    forecasts.ok("import", str(IMPORT_LAYOUT))
    assert forecasts.counts() == before


@pytest.mark.parametrize("change, message", [
    (lambda t: t.replace("0.85", "1.5"), "line 4: 'Forecast (scale = 0-1)' must be between 0 and 1"),
    (lambda t: t.replace("0.85", "high"), "line 4: 'Forecast (scale = 0-1)' is not a number"),
    (lambda t: t.replace('"YES",2024-05-02 9:15:30', '"MAYBE",2024-05-02 9:15:30', 1),
     "line 2: 'Resolution' must be YES, NO or AMBIGUOUS"),
    (lambda t: t.replace("2024-03-10 18:30:45", "last Tuesday"),
     "line 4: 'Forecast created at' is not a date and time"),
    (lambda t: t.replace('"Alan Turing",0.4', '"",0.4'), "line 3: 'Forecast created by' is empty"),
    (lambda t: t.replace('"Ada Lovelace",0.1,', '"Ada Lovelace",0.1,x,'), "line 8: 18 cells"),
])
def test_bad_files_are_refused_with_nothing_written(forecasts, tmp_path, change, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(change(EXPORT.read_text(encoding="utf-8")), encoding="utf-8")
    result = forecasts("import", str(bad))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "nothing was imported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert forecasts.counts() == {}


def test_a_csv_of_another_shape_is_refused_as_fatebook(forecasts, tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    result = forecasts("import", "--format", "fatebook", str(other))
    assert result.exit_code == 2 and "is not a Fatebook CSV" in result.stderr
    assert forecasts.counts() == {}


def test_older_export_columns(forecasts, tmp_path):
    """Exports before multiple choice named the resolution columns "Question resolution"."""
    old = tmp_path / "old.csv"
    old.write_text(
        "Question title,Forecast created by,Forecast (scale = 0-1),Forecast created at,"
        "Question created by,Question created at,Question resolution,Question resolve by,"
        "Question resolved at\n"
        '"Old question?","Ada",0.2,2023-01-02 3:4:5,"Ada",2023-01-01 0:0:0,"NO",'
        "2023-02-01 0:0:0,2023-02-02 1:2:3\n", encoding="utf-8")
    result = forecasts.json("import", str(old))
    assert (result["question"], result["forecast"], result["resolution"]) == (1, 1, 1)
    assert forecasts.json("score")[0]["brier"] == pytest.approx(0.04)


def test_detection_needs_the_header_not_the_name(forecasts, tmp_path):
    renamed = tmp_path / "my-forecasts.txt"
    shutil.copy(EXPORT, renamed)
    assert forecasts.json("import", str(renamed))["question"] == 4
    assert json.loads(forecasts.ok("list", "--json").stdout)


def test_export_for_fatebook_round_trips(forecasts, tmp_path):
    from conftest import Forecasts

    forecasts.ok("add", "It rains", "--by", "Ada", "-p", "0.123456", "--on", "2025-01-01",
                 "--resolves", "2025-02-01", "--tag", "weather", "--criteria", "=1+1 in Paris")
    forecasts.ok("forecast", "1", "--by", "Ada", "-p", "40%", "--on", "2025-01-10")
    forecasts.ok("forecast", "1", "--by", "Bo", "-p", "90%", "--on", "2025-01-10")
    forecasts.ok("add", "It snows", "--by", "Ada", "-p", "0.8", "--on", "2025-01-01",
                 "--resolves", "2025-03-01")
    forecasts.ok("add", "Open one", "--by", "Ada", "-p", "0.5", "--on", "2025-01-01",
                 "--resolves", "2030-03-01")
    forecasts.ok("resolve", "1", "yes", "--on", "2025-02-01")
    forecasts.ok("resolve", "2", "no", "--on", "2025-03-01")
    result = forecasts("export", "--format", "fatebook")
    assert result.exit_code == 2 and "2 forecasters" in result.stderr
    out = tmp_path / "fatebook.csv"
    assert "4 forecast rows" in forecasts.ok("export", "--format", "fatebook", "--by", "Ada",
                                             "-o", str(out)).stdout
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "questionTitle,forecast,qCreatedAt,resolution,resolvedAt," \
                                   "resolveBy,fCreatedAt,tags,notes"
    assert "12.3456%" in text and "'=1+1 in Paris" in text
    copy = Forecasts(tmp_path / "copy.db")
    copy.ok("import", str(out))
    [ada] = [r for r in forecasts.json("score") if r["forecaster"] == "Ada"]
    [me] = copy.json("score")
    assert (me["questions"], me["brier"]) == (ada["questions"], pytest.approx(ada["brier"]))
    assert len(copy.json("list", "--open")) == 1


def test_multiple_choice_updates_split_on_a_repeated_option(forecasts, tmp_path):
    """One submission's rows may be a second apart; an option seen again is the next forecast."""
    header = EXPORT.read_text(encoding="utf-8").splitlines()[0]
    rows = [f'"Pick one?","{o}","Bo",{p},{t},"Bo",2024-02-01 9:0:0,2024-05-31 0:0:0,,,,,,,'
            'false,,' for o, p, t in [("A", 0.5, "2024-02-01 10:0:0"),
                                      ("B", 0.5, "2024-02-01 10:0:1"),
                                      ("A", 0.2, "2024-02-01 10:0:30"),
                                      ("B", 0.8, "2024-02-01 10:0:30"),
                                      ("A", 0.9, "2024-02-03 10:0:0"),
                                      ("B", 0.1, "2024-02-03 10:0:0"),
                                      ("A", 0.7, "2024-02-04 10:0:0")]]
    path = tmp_path / "mc.csv"
    path.write_text("\n".join([header, *rows]), encoding="utf-8")
    result = forecasts.json("import", str(path))
    assert result["forecast"] == 3  # the last, A alone at 70%, does not add up to 1
    assert result["fatebook"]["left_out"] == {
        "multiple-choice forecasts whose options do not add up to 1": 1}
    shown = forecasts.json("show", "1")["forecasts"]
    assert [f["option_ppm"] for f in shown] == [{"A": 500000, "B": 500000},
                                                {"A": 200000, "B": 800000},
                                                {"A": 900000, "B": 100000}]
