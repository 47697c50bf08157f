"""Scores against independent references: scikit-learn, properscoring and the shared vectors."""

import json

import numpy as np
import properscoring
import pytest
from sklearn.metrics import brier_score_loss

from forecasts.calibration import bin_index, calibration_table, wilson_interval
from forecasts.scoring import brier_binary, brier_multiple_choice, mean_brier_by_forecaster


@pytest.fixture
def reference_cases(shared):
    data = json.loads((shared / "data" / "reference_vectors.json").read_text())
    return {case["name"]: case for case in data["cases"]}


@pytest.mark.parametrize("seed", range(5))
def test_binary_brier_matches_sklearn_and_properscoring(seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=200)
    o = (rng.uniform(size=200) < p).astype(int)
    ours = brier_binary(p, o)
    assert ours.mean() == pytest.approx(brier_score_loss(o, p), abs=1e-12)
    assert ours == pytest.approx(properscoring.brier_score(o, p), abs=1e-12)


@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
def test_binary_brier_matches_reference_vectors(reference_cases, name):
    case = reference_cases[name]
    ours = brier_binary(case["forecasts"], case["outcomes"])
    assert ours == pytest.approx(case["brier"]["per_forecast"], abs=1e-12)
    assert ours.mean() == pytest.approx(case["brier"]["sklearn_brier_score_loss"], abs=1e-12)


def test_multiple_choice_brier_is_the_halved_brier_1950_sum(reference_cases):
    case = reference_cases["multiple_choice_3opt_10q"]
    ours = [brier_multiple_choice(f, i)
            for f, i in zip(case["forecasts"], case["outcomes_index"])]
    expected = case["brier"]["brier1950_per_question_sum_over_options"]
    assert np.array(ours) * 2 == pytest.approx(expected, abs=1e-12)
    assert np.mean(ours) == pytest.approx(
        case["brier"]["sklearn_brier_score_loss_scale_by_half_True"], abs=1e-12)


def test_multiple_choice_with_two_options_equals_binary():
    for p in (0.0, 0.13, 0.5, 0.7, 1.0):
        assert brier_multiple_choice([p, 1 - p], 0) == pytest.approx(brier_binary(p, 1))
        assert brier_multiple_choice([p, 1 - p], 1) == pytest.approx(brier_binary(p, 0))


def test_wilson_interval_matches_reference_vectors(reference_cases):
    for name in ("binary_20", "all_outcomes_zero"):
        for row in reference_cases[name]["bin_observed_frequency_ci95"]:
            low, high = wilson_interval(row["k"], row["n"])
            assert (low, high) == pytest.approx(tuple(row["ci95"]["wilson"]), abs=1e-9)


def test_wilson_interval_matches_statsmodels_formula_by_hand():
    # Wilson (1927) for 7 of 10 at 95%: centre 0.6445, half-width 0.2477 (hand computation)
    low, high = wilson_interval(7, 10)
    assert low == pytest.approx(0.39677, abs=1e-4) and high == pytest.approx(0.89222, abs=1e-4)


def test_bins_are_centred_on_round_numbers_and_exact_at_edges():
    ppm = [0, 49_999, 50_000, 149_999, 150_000, 700_000, 949_999, 950_000, 1_000_000]
    assert bin_index(ppm).tolist() == [0, 0, 1, 1, 2, 7, 9, 10, 10]
    assert bin_index([500_000], bins=3).tolist() == [1]
    assert bin_index([249_999, 250_000], bins=3).tolist() == [0, 1]


def test_calibration_table_counts_and_frequencies():
    rng = np.random.default_rng(7)
    p = rng.integers(0, 1_000_001, size=500)
    o = (rng.uniform(size=500) < p / 1e6).astype(int)
    rows = calibration_table(p, o)
    assert sum(r["n"] for r in rows) == 500
    for row in rows:
        inside = (p / 1e6 >= row["lo"] - 1e-12) & (p / 1e6 < row["hi"] + (row["hi"] == 1.0))
        assert row["n"] == inside.sum()
        assert row["observed"] == pytest.approx(o[inside].mean())
        assert row["mean_forecast"] == pytest.approx((p[inside] / 1e6).mean())


def test_mean_brier_by_forecaster_ranks_lowest_first():
    rows = [{"forecaster": "A", "kind": "binary", "p_ppm": 900000, "outcome": "no"},
            {"forecaster": "B", "kind": "binary", "p_ppm": 100000, "outcome": "no"},
            {"forecaster": "B", "kind": "multiple_choice", "option_ppm": [500000, 500000],
             "outcome_index": 0}]
    table = mean_brier_by_forecaster(rows)
    assert [r["forecaster"] for r in table] == ["B", "A"]
    assert table[0]["brier"] == pytest.approx((0.01 + 0.25) / 2)


def test_cli_score_matches_sklearn_on_reference_case(forecasts, reference_cases, tmp_path):
    """The whole path: import the reference forecasts, score through the CLI."""
    case = reference_cases["binary_20"]
    lines = []
    for i, (p, o) in enumerate(zip(case["forecasts"], case["outcomes"])):
        lines.append({"type": "question", "id": f"q{i}", "text": f"Event {i}",
                      "resolves": "2025-06-30"})
        lines.append({"type": "forecast", "question": f"q{i}", "by": "Ref", "p": p,
                      "made": "2025-01-01"})
        lines.append({"type": "resolution", "question": f"q{i}", "outcome": "yes" if o else "no",
                      "resolved": "2025-06-30"})
    path = tmp_path / "ref.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines))
    forecasts.ok("import", str(path))
    (row,) = forecasts.json("score")
    assert row["questions"] == 20
    assert row["brier"] == pytest.approx(
        brier_score_loss(case["outcomes"], case["forecasts"]), abs=1e-12)


def test_grouped_intervals_match_the_single_group_bootstrap_and_normal_rule():
    from forecasts.scoring import bootstrap_mean_interval, grouped_mean_intervals

    rng = np.random.default_rng(5)
    small = rng.uniform(size=12)
    large = rng.uniform(size=400)
    values = np.concatenate([small, large, [0.3]])
    groups = np.array([0] * 12 + [1] * 400 + [2])
    low, high = grouped_mean_intervals(values, groups, n_resamples=4000, seed=1)
    reference = bootstrap_mean_interval(small, n_resamples=4000, seed=2)
    assert low[0] == pytest.approx(reference[0], abs=0.02)
    assert high[0] == pytest.approx(reference[1], abs=0.02)
    big = bootstrap_mean_interval(large, n_resamples=4000, seed=3)
    assert (low[1], high[1]) == pytest.approx(big, abs=0.005)
    assert np.isnan(low[2]) and np.isnan(high[2])


@pytest.mark.parametrize("width", [2, 3, 10, 999, 1000, 1001])
def test_row_quantiles_are_numpys_linear_quantiles(width):
    from forecasts.scoring import _row_quantiles

    rows = np.random.default_rng(width).normal(size=(40, width))
    rows[:5] = rows[:5].round(1)  # ties
    quantiles = ((1 - 0.95) / 2, 1 - (1 - 0.95) / 2, 0.5)
    expected = np.quantile(rows, quantiles, axis=1)
    assert np.array_equal(_row_quantiles(rows.copy(), quantiles), expected)
