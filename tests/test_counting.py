"""The one rule of which forecasts count (forecasts/counting.py), and the readers that mirror it:
the numpy read path behind every score, the SQL views for plain-SQL users, the CSV export's
`counted` column and `show`'s flags. A seeded database with every kind of edge case (made on the
cutoff, recorded after the first resolution, baselines, corrections that move the resolution
date, void questions, ties on the date made) is read all four ways and compared with the rule
applied here row by row."""

import csv
import datetime
import io
import random
import sqlite3

import pytest
from click.testing import CliRunner

from forecasts import counting, tracker
from forecasts.cli import cli
from forecasts.store import Store

DAY = datetime.date(2025, 1, 1)


def _date(offset):
    return (DAY + datetime.timedelta(days=offset)).isoformat()


def _stamp(offset, seconds=0):
    moment = datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.timezone.utc) + \
        datetime.timedelta(days=offset, seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _build(path, seed):
    """A database of random questions, forecasters and forecasts around each cutoff."""
    rng = random.Random(seed)
    store = Store.open(path)
    people = [(store.forecaster_id(f"person {i}", kind="person"), False) for i in range(4)]
    people += [(store.forecaster_id("always half", kind="baseline"), True)]
    people += [(store.forecaster_id("crowd median", kind="aggregate"), True)]
    for n in range(25):
        resolves = _date(rng.randrange(20, 60)) if rng.random() < 0.9 else None
        question = store.create_question(f"Question {n}?", resolves=resolves,
                                         created=_stamp(0))
        known = rng.randrange(10, 70)
        first_recorded = _stamp(known, 3600)
        for _ in range(rng.randrange(0, 9)):
            who, _baseline = rng.choice(people)
            made = rng.choice([known, known - 1, known + 1, rng.randrange(0, 80)])
            # before, at the same second as, or after the outcome was first entered
            recorded = rng.choice([_stamp(made), first_recorded, _stamp(known, 7200)])
            store.add_forecast(question, who, _date(made), p_ppm=rng.randrange(0, 1_000_001),
                               p_text="x", recorded=recorded)
        state = rng.random()
        if state < 0.15:
            continue  # open
        outcome = "ambiguous" if state < 0.25 else rng.choice(["yes", "no"])
        store.add_resolution(question, outcome, _date(known), recorded=first_recorded)
        if rng.random() < 0.3:  # a correction moves the date the outcome became known
            store.add_resolution(question, rng.choice(["yes", "no"]),
                                 _date(known + rng.randrange(-5, 6)), recorded=_stamp(90))
    store.close()


def _expected(path):
    """The forecast ids that count, by the rule applied to the raw tables."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    rows = []
    for q in con.execute("SELECT * FROM questions"):
        resolutions = con.execute("SELECT * FROM resolutions WHERE question_id = ? ORDER BY id",
                                  [q["id"]]).fetchall()
        if not resolutions:
            continue
        current = resolutions[-1]
        for f in con.execute("SELECT f.*, fr.kind FROM forecasts f JOIN forecasters fr"
                             " ON fr.id = f.forecaster_id WHERE question_id = ?", [q["id"]]):
            rows.append({"question_id": q["id"], "forecaster": f["forecaster_id"],
                         "forecast_id": f["id"], "made": f["made"], "recorded": f["recorded"],
                         "cutoff": counting.cutoff(q["resolves"], current["resolved"]),
                         "first_resolved": min(r["recorded"] for r in resolutions),
                         "by_rule": f["kind"] in counting.RULE_KINDS, "outcome": current["outcome"],
                         "known": current["resolved"]})
    return rows, {r["forecast_id"] for r in counting.counted_forecasts(rows)}


@pytest.mark.parametrize("seed", range(6))
def test_every_reader_counts_the_forecasts_the_rule_counts(tmp_path, seed):
    path = str(tmp_path / "counting.db")
    _build(path, seed)
    rows, expected = _expected(path)
    assert expected and len(expected) < len(rows)  # the case has both kinds

    store = Store.open(path)
    assert set(store.scored_columns()["forecast_id"].tolist()) == expected

    con = sqlite3.connect(path)
    in_views = {r[0] for r in con.execute("SELECT forecast_id FROM counted_forecast_scores")}
    assert in_views == expected
    scored_in_view = {r[0] for r in con.execute(
        "SELECT forecast_id FROM forecast_scores WHERE brier IS NOT NULL")}
    assert scored_in_view == {r["forecast_id"] for r in rows if not counting.why_not_counted(
        r["made"], r["recorded"], r["cutoff"], r["first_resolved"], r["by_rule"],
        r["outcome"])}

    exported = CliRunner().invoke(cli, ["export", "--format", "csv", "--db", path])
    assert exported.exit_code == 0, exported.output
    table = list(csv.DictReader(io.StringIO(exported.stdout)))  # a row a forecast, in id order
    ids = [r[0] for r in con.execute("SELECT id FROM forecasts ORDER BY id")]
    assert len(table) == len(ids)
    assert {i for i, r in zip(ids, table) if r["counted"] == "yes"} == expected

    for question_id in {r["question_id"] for r in rows}:
        detail = tracker.question_detail(store, str(question_id))
        for f in detail["forecasts"]:
            row = next(r for r in rows if r["forecast_id"] == f["id"])
            reasons = counting.reasons_not_counted(row["made"], row["recorded"], row["cutoff"],
                                                   row["first_resolved"], row["by_rule"])
            assert f["late"] == (counting.MADE_TOO_LATE in reasons)
            assert f["recorded_late"] == (counting.RECORDED_TOO_LATE in reasons)
            strict = counting.reasons_not_counted(
                row["made"], row["recorded"], row["cutoff"], row["first_resolved"],
                row["by_rule"], row["outcome"], row["known"], strict_recorded=True)
            assert f["recorded_after_known"] == (strict == [counting.RECORDED_AFTER_KNOWN])


@pytest.mark.parametrize("seed", range(4))
def test_strict_recorded_leaves_out_what_the_rule_flags(tmp_path, seed):
    path = str(tmp_path / "counting.db")
    _build(path, seed)
    rows, lenient = _expected(path)
    strict = {r["forecast_id"] for r in counting.counted_forecasts(rows, strict_recorded=True)}
    assert strict < lenient  # the case has forecasts recorded once the outcome was known
    store = Store.open(path)
    assert set(store.scored_columns(strict_recorded=True)["forecast_id"].tolist()) == strict
    history = store.scored_columns(strict_recorded=True, latest_only=False)
    flagged = [r for r in rows if not counting.why_not_counted(
        r["made"], r["recorded"], r["cutoff"], r["first_resolved"], r["by_rule"], r["outcome"])
        and counting.recorded_after_known(r["recorded"], r["known"], r["by_rule"])]
    assert not {r["forecast_id"] for r in flagged} & set(history["forecast_id"].tolist())
    counts = {u["forecaster"]: u["recorded_after_known"] for u in history["unscored"]}
    names = dict(sqlite3.connect(path).execute("SELECT id, name FROM forecasters"))
    expected_counts = {}
    for r in flagged:
        expected_counts[names[r["forecaster"]]] = expected_counts.get(names[r["forecaster"]], 0) + 1
    assert {k: v for k, v in counts.items() if v} == expected_counts
    lenient_counts = {u["forecaster"]: u["recorded_after_known"]
                      for u in store.scored_columns()["unscored"]}
    assert lenient_counts == counts  # counted the same way whether left out or not


def test_the_rule_on_its_edges():
    cutoff, first = "2025-06-01", _stamp(151, 3600)
    assert counting.why_not_counted("2025-05-31", _stamp(150), cutoff, first) is None
    assert counting.why_not_counted("2025-06-01", _stamp(150), cutoff, first) == \
        counting.MADE_TOO_LATE
    assert counting.why_not_counted("2025-05-31", first, cutoff, first) is None  # same instant
    assert counting.why_not_counted("2025-05-31", _stamp(152), cutoff, first) == \
        counting.RECORDED_TOO_LATE
    assert counting.why_not_counted("2025-05-31", _stamp(152), cutoff, first,
                                    by_rule=True) is None
    assert counting.why_not_counted("2025-05-31", _stamp(150), cutoff, first,
                                    outcome="annulled") == counting.VOID_QUESTION
