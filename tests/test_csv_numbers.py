"""CSV a spreadsheet reads: each interval as two numeric columns, floats at sensible precision,
the formula guard on text only."""

import csv
import io


def rows(result):
    return list(csv.DictReader(io.StringIO(result.stdout)))


def scored(forecasts):
    for i, (p, outcome) in enumerate([("83%", "yes"), ("17%", "no"), ("60%", "no")], 1):
        forecasts.ok("add", f"Event {i}", "--by", "Ann", "-p", p, "--on", "2025-01-01",
                     "--resolves", "2025-02-01")
        forecasts.ok("forecast", str(i), "--by", "=Bob", "-p", "50%", "--on", "2025-01-01")
        forecasts.ok("resolve", str(i), outcome, "--on", "2025-02-01")
    return forecasts


def test_score_csv_has_numeric_interval_columns(forecasts):
    table = rows(scored(forecasts).ok("score", "--csv"))
    ann = next(r for r in table if r["Forecaster"] == "Ann")
    assert "95% CI" not in ann
    low, high = float(ann["brier_ci_low"]), float(ann["brier_ci_high"])
    assert low <= float(ann["Brier"]) <= high
    assert float(ann["relative_ci_low"]) <= float(ann["relative_ci_high"])
    # 0.17 ** 2 is 0.028900000000000006 in floating point
    assert not any("00000000" in value or "99999999" in value
                   for r in table for value in r.values())
    assert {r["Forecaster"] for r in table} == {"Ann", "'=Bob"}


def test_leaderboard_and_calibration_csv_carry_the_interval_as_numbers(forecasts):
    board = rows(scored(forecasts).ok("leaderboard", "--csv"))
    assert all(float(r["relative_ci_low"]) <= float(r["Relative Brier"])
               <= float(r["relative_ci_high"]) for r in board)
    bins = rows(forecasts.ok("calibration", "--csv"))
    assert bins and all(0 <= float(r["ci_low"]) <= float(r["ci_high"]) <= 1 for r in bins)
    assert "95% interval" not in bins[0]
