"""Metaculus: the "download data" export as a folder or a zip, a user's rows and the community
aggregate's history; the real shared samples when they are present."""

import csv
import shutil
import zipfile
from pathlib import Path

import pytest

USER_EXPORT = Path(__file__).parent / "fixtures" / "metaculus-user"


def zipped(tmp_path, folder=USER_EXPORT):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("question_data.csv", "forecast_data.csv"):
            archive.write(folder / name, f"metaculus_data/{name}")
    return path


def show(forecasts, slug):
    return forecasts.json("show", slug)


def test_user_export_folder(forecasts):
    result = forecasts.json("import", str(USER_EXPORT))
    summary = result["metaculus"]
    assert (result["question"], result["forecast"], result["resolution"]) == (3, 7, 3)
    assert summary["left_out"] == {"numeric questions": 1, "forecasts on those": 1}
    assert summary["user forecast"] == 4 and summary["crowd forecast"] == 3
    rain = show(forecasts, "metaculus-101")
    assert rain["question"]["opens"] == "2025-04-01"
    assert rain["question"]["resolves"] == "2025-04-30"
    assert rain["question"]["tags"] == ["Environment & Climate"]
    by = [(f["forecaster"], f["forecaster_kind"], f["p_ppm"], f["recorded"])
          for f in rain["forecasts"]]
    assert ("ada_l", "person", 600000, "2025-04-03T09:00:00.123456+00:00") in by
    assert ("Metaculus community (recency_weighted)", "crowd", 700000,
            "2025-04-10T10:00:00+00:00") in by
    assert [(r["outcome"], r["resolved"]) for r in rain["resolutions"]] == [("yes", "2025-05-01")]
    assert rain["forecasts"][0]["source_url"] == "https://www.metaculus.com/questions/201/rain-in-paris/"


def test_multiple_choice_and_annulled(forecasts):
    forecasts.ok("import", str(USER_EXPORT))
    league = show(forecasts, "metaculus-102")
    assert league["question"]["options"] == ["Reds", "Blues", "Greens"]
    mine = [f for f in league["forecasts"] if f["forecaster"] == "ada_l"][0]
    assert mine["option_ppm"] == {"Reds": 200000, "Blues": 500000, "Greens": 300000}
    assert league["resolutions"][0]["outcome"] == "Blues"
    assert show(forecasts, "metaculus-104")["resolutions"][0]["outcome"] == "annulled"
    scores = {r["forecaster"]: r for r in forecasts.json("score")}
    league_brier = 0.5 * (0.2 ** 2 + 0.5 ** 2 + 0.3 ** 2)
    # ada_l's latest forecast on rain (0.75, yes) and the league; the annulled one is void
    assert scores["ada_l"]["brier"] == pytest.approx((0.25 ** 2 + league_brier) / 2)


def test_zip_gives_the_same_and_reimport_adds_nothing(forecasts, tmp_path):
    forecasts.ok("import", str(zipped(tmp_path)))
    before = forecasts.counts()
    forecasts.ok("import", str(USER_EXPORT))
    forecasts.ok("import", str(USER_EXPORT / "question_data.csv"))
    assert forecasts.counts() == before


@pytest.mark.parametrize("file, change, message", [
    ("forecast_data.csv", lambda t: t.replace(",0.75,", ",1.75,"), "'Probability Yes' must be"),
    ("forecast_data.csv", lambda t: t.replace("102,5001", "999,5001"),
     "Question ID '999' is not in question_data.csv"),
    ("question_data.csv", lambda t: t.replace(",binary,", ",poll,", 1), "unknown Question Type"),
    ("question_data.csv", lambda t: t.replace(",yes,2025-05-01 20:00:00+00:00", ",yes,"),
     "'Resolution Known Time' is empty"),
    ("forecast_data.csv", lambda t: t.replace('"[0.2, 0.5, 0.3]"', '"[0.2, 0.5]"'),
     "2 probabilities for 3 options"),
])
def test_bad_exports_are_refused_with_nothing_written(forecasts, tmp_path, file, change, message):
    folder = tmp_path / "export"
    shutil.copytree(USER_EXPORT, folder)
    (folder / file).write_text(change((folder / file).read_text(encoding="utf-8")),
                               encoding="utf-8")
    result = forecasts("import", "--format", "metaculus", str(folder))
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "nothing was imported" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert forecasts.counts() == {}


def test_a_folder_without_the_files_is_refused(forecasts, tmp_path):
    result = forecasts("import", "--format", "metaculus", str(tmp_path))
    assert result.exit_code == 2 and "it has no question_data.csv" in result.stderr
    not_zip = tmp_path / "x.zip"
    not_zip.write_bytes(b"not a zip")
    result = forecasts("import", "--format", "metaculus", str(not_zip))
    assert result.exit_code == 2 and "is not a Metaculus export" in result.stderr
    assert forecasts.counts() == {}


def test_shared_samples(forecasts, shared):
    folders = sorted(p for p in (shared / "data" / "metaculus").iterdir() if p.is_dir())
    want = 0
    for folder in folders:
        with open(folder / "forecast_data.csv", encoding="utf-8") as f:
            want += sum(1 for _ in csv.DictReader(f))
        forecasts.ok("import", str(folder))
    counts = forecasts.counts()
    assert counts["questions"] == len(folders) == 8
    assert counts["forecasts"] == want == 2083
    assert [f["forecaster"] for f in forecasts.json("leaderboard")] == []  # nothing resolved yet
    before = counts
    forecasts.ok("import", str(folders[0]))
    assert forecasts.counts() == before
