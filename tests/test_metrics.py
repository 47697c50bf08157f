"""The metric registry: a score declared once shows in every score table, format and report."""

import csv
import io

import numpy as np
import pytest
from conftest import import_panel
from sklearn.metrics import brier_score_loss

from forecasts import metrics
from forecasts.metrics import Metric


def load(forecasts, tmp_path):
    """Two forecasters on four questions; Bea skips the last one."""
    table = {"Ann": [0.9, 0.2, 0.7, 0.6], "Bea": [0.6, 0.4, 0.5, None]}
    outcomes = [1, 0, 1, 0]
    import_panel(forecasts, tmp_path, table, outcomes)
    return table, outcomes


@pytest.fixture
def hit_rate(monkeypatch):
    """A new metric, added the way a contributor would: one entry in the registry."""
    metric = Metric("hit_rate", "Hit rate", "Hit rate: share of forecasts on the right side of "
                    "50%.", per_forecast=lambda frame, index, scale:
                    (frame.p_outcome[index] > 0.5).astype(float),
                    shown_in=("score", "leaderboard", "report"))
    monkeypatch.setattr(metrics, "METRICS", metrics.METRICS + (metric,))
    return metric


def test_the_registry_names_each_field_of_the_score_json(forecasts, tmp_path):
    load(forecasts, tmp_path)
    (row, _) = forecasts.json("score")
    for metric in metrics.METRICS:
        assert metric.key in row
        if metric.interval:
            assert {f"{metric.interval}_low", f"{metric.interval}_high"} <= row.keys()


def test_a_registered_metric_reaches_json_csv_table_leaderboard_and_html(
        forecasts, tmp_path, hit_rate):
    table, outcomes = load(forecasts, tmp_path)
    rows = {row["forecaster"]: row for row in forecasts.json("score")}
    assert rows["Ann"]["hit_rate"] == pytest.approx(0.75)  # 0.6 on a no misses
    assert rows["Bea"]["hit_rate"] == pytest.approx(2 / 3)
    # the registry does not disturb the scores already there
    assert rows["Ann"]["brier"] == pytest.approx(brier_score_loss(outcomes, table["Ann"]))
    csv_rows = list(csv.DictReader(io.StringIO(forecasts.ok("score", "--csv").stdout)))
    assert "Hit rate" in csv_rows[0]
    shown = forecasts.ok("score").stdout
    assert "Hit rate" in shown and "Hit rate: share of forecasts" in shown
    assert "Hit rate" in forecasts.ok("leaderboard", "--min-questions", "1").stdout
    report = tmp_path / "report.html"
    forecasts.ok("report", "--html", str(report))
    assert "<th" in report.read_text() and "Hit rate" in report.read_text()


def test_intervals_follow_the_registry(forecasts, tmp_path):
    load(forecasts, tmp_path)
    shown = forecasts.ok("score").stdout.splitlines()[0]
    intervals = sum(1 for metric in metrics.METRICS if "score" in metric.shown_in
                    and metric.interval)
    assert shown.count("95% CI") == intervals == 3


def test_per_group_metrics_agree_with_a_direct_computation(forecasts, tmp_path):
    table, outcomes = load(forecasts, tmp_path)
    rows = {row["forecaster"]: row for row in forecasts.json("score")}
    p, o = np.array(table["Ann"]), np.array(outcomes)
    brier = np.mean((p - o) ** 2)
    assert rows["Ann"]["skill_vs_chimp"] == pytest.approx(1 - brier / 0.25)
    assert rows["Ann"]["skill_vs_base_rate"] == pytest.approx(1 - brier / 0.25)  # base rate 1/2
