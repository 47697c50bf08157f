"""Calibration and the Murphy decomposition against scikit-learn, scipy and the shared vectors."""

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve

from forecasts.calibration import (
    PPM,
    Z_95,
    bin_index,
    bin_summary,
    binomial_interval,
    calibration_table,
    decomposition_for_bins,
    fold,
    grouped_calibration,
    murphy_decomposition,
    wilson_interval,
)

VECTORS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "reference_vectors.json"
# reference name -> our method name
INTERVALS = {"wilson": "wilson", "jeffreys": "jeffreys", "clopper_pearson": "exact",
             "clopper_pearson_via_beta_ppf": "exact"}


@pytest.fixture(scope="module")
def cases():
    if not VECTORS.is_file():
        pytest.skip("../shared/data/reference_vectors.json is not present beside the checkout")
    return {case["name"]: case for case in json.loads(VECTORS.read_text())["cases"]}


def to_ppm(p):
    return np.rint(np.asarray(p, dtype=float) * PPM).astype(np.int64)


def ten_bins(p_ppm, closed):
    """The reference vectors' 10 equal bins, on integers: (a, b] with [0, .1] first, or [a, b)."""
    if closed == "right":
        return np.maximum((p_ppm * 10 + PPM - 1) // PPM - 1, 0)
    return np.minimum(p_ppm * 10 // PPM, 9)


def sklearn_bins(p, n_bins=10):
    """Bin ids exactly as sklearn.calibration.calibration_curve(strategy="uniform") assigns them."""
    return np.searchsorted(np.linspace(0.0, 1.0, n_bins + 1)[1:-1], p)


def adds_up(d):
    return d["reliability"] - d["resolution"] + d["uncertainty"] + d["residual"] - d["brier"]


# ------------------------------------------------------------------ scikit-learn

@pytest.mark.parametrize("seed", range(5))
def test_bin_summary_matches_sklearn_calibration_curve(seed):
    rng = np.random.default_rng(seed)
    p = to_ppm(rng.uniform(size=300)) / PPM
    p[:11] = np.arange(11) / 10  # forecasts on the edges
    o = (rng.uniform(size=300) < p).astype(int)
    prob_true, prob_pred = calibration_curve(o, p, n_bins=10, strategy="uniform")
    ids = sklearn_bins(p)
    summary = bin_summary(p, o, ids)
    np.testing.assert_allclose(summary["observed"], prob_true, rtol=0, atol=1e-12)
    np.testing.assert_allclose(summary["mean_forecast"], prob_pred, rtol=0, atol=1e-12)
    # Reliability and resolution rebuilt from sklearn's own per-bin numbers
    n = np.bincount(ids)[np.bincount(ids) > 0]
    d = murphy_decomposition(p, o, ids)
    assert d["reliability"] == pytest.approx(np.sum(n * (prob_pred - prob_true) ** 2) / 300,
                                             abs=1e-12)
    assert d["resolution"] == pytest.approx(np.sum(n * (prob_true - o.mean()) ** 2) / 300,
                                            abs=1e-12)
    assert abs(adds_up(d)) <= 1e-12


def test_calibration_table_uses_the_same_bins_as_bin_summary():
    rng = np.random.default_rng(11)
    p_ppm = rng.integers(0, PPM + 1, size=400)
    o = (rng.uniform(size=400) < p_ppm / PPM).astype(int)
    rows = calibration_table(p_ppm, o, interval="jeffreys")
    summary = bin_summary(p_ppm / PPM, o, bin_index(p_ppm))
    assert [round(r["centre"] * 10) for r in rows] == summary["bin"].tolist()
    assert [r["n"] for r in rows] == summary["n"].tolist()
    assert [r["observed"] for r in rows] == summary["observed"].tolist()
    assert {r["interval"] for r in rows} == {"jeffreys"}
    low, high = binomial_interval(summary["events"], summary["n"], method="jeffreys")
    assert [r["ci_low"] for r in rows] == low.tolist()
    assert [r["ci_high"] for r in rows] == high.tolist()


# ------------------------------------------------------------------ shared reference vectors

@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
@pytest.mark.parametrize("reference", list(INTERVALS))
def test_intervals_match_reference_vectors(cases, name, reference):
    rows = cases[name]["bin_observed_frequency_ci95"]
    k = np.array([row["k"] for row in rows])
    n = np.array([row["n"] for row in rows])
    expected = np.array([row["ci95"][reference] for row in rows])
    low, high = binomial_interval(k, n, method=INTERVALS[reference])
    # scipy's binomtest finds Clopper-Pearson by root-finding: agrees to ~5e-13, not exactly
    tolerance = 1e-9 if reference == "clopper_pearson" else 1e-12
    np.testing.assert_allclose(low, expected[:, 0], rtol=0, atol=tolerance)
    np.testing.assert_allclose(high, expected[:, 1], rtol=0, atol=tolerance)
    for row, lo, hi in zip(rows, low, high):  # and one bin at a time
        assert binomial_interval(row["k"], row["n"], INTERVALS[reference]) == (lo, hi)


def test_reference_bin_ids_reproduced_on_integers(cases):
    case = cases["binary_20"]
    pitfall = case["binning_pitfall_bin_index_per_forecast"]
    p_ppm = to_ppm(case["forecasts"])
    assert ten_bins(p_ppm, "right").tolist() == pitfall["right_closed_exact_edges"]
    assert ten_bins(p_ppm, "left").tolist() == pitfall["left_closed_exact_edges"]
    assert sklearn_bins(np.array(case["forecasts"])).tolist() == pitfall[
        "right_closed_linspace_edges_sklearn"]


MURPHY_KEYS = {"brier": "brier", "reliability": "reliability", "resolution": "resolution",
               "uncertainty": "uncertainty", "within_bin_variance": "within_bin_variance_WBV",
               "within_bin_covariance": "within_bin_covariance_WBC",
               "residual": "residual_brier_minus_3term", "calibration_index": "tetlock_CI",
               "discrimination_index": "tetlock_DI"}


def murphy_cases(cases):
    """(forecasts, outcomes, reference block, bin ids) for every Murphy block in the vectors."""
    flat = cases["multiple_choice_3opt_10q"]["one_vs_rest_flattened_30_pairs"]
    out = []
    for source in (cases["binary_20"], cases["all_outcomes_zero"], flat):
        for closed in ("right", "left"):
            block = source.get(f"murphy_10_equal_bins_{closed}_closed")
            if block:
                ids = ten_bins(to_ppm(source["forecasts"]), closed)
                out.append((source["forecasts"], source["outcomes"], block, ids))
    return out


def test_murphy_matches_reference_vectors(cases):
    checked = murphy_cases(cases)
    assert len(checked) == 5
    for forecasts, outcomes, block, ids in checked:
        p = to_ppm(forecasts) / PPM
        assert p.tolist() == forecasts  # the ppm route gives back the very same floats
        d = murphy_decomposition(p, outcomes, ids)
        for ours, theirs in MURPHY_KEYS.items():
            assert d[ours] == pytest.approx(block[theirs], abs=1e-12), ours
        assert block["check_5term"] == pytest.approx(d["brier"], abs=1e-12)
        ndi = block["tetlock_NDI_DI_over_VI"]
        if ndi == "NaN":
            assert d["normalised_discrimination"] is None
        else:
            assert d["normalised_discrimination"] == pytest.approx(ndi, abs=1e-12)
        summary = bin_summary(p, outcomes, ids)
        assert summary["bin"].tolist() == [b["bin"] for b in block["bins"]]
        assert summary["n"].tolist() == [b["n"] for b in block["bins"]]
        assert summary["events"].tolist() == [b["n_pos"] for b in block["bins"]]
        np.testing.assert_allclose(summary["mean_forecast"],
                                   [b["mean_forecast"] for b in block["bins"]], atol=1e-12)
        np.testing.assert_allclose(summary["observed"], [b["obs_freq"] for b in block["bins"]],
                                   atol=1e-12)


def test_sklearn_curves_in_reference_vectors(cases):
    flat = cases["multiple_choice_3opt_10q"]["one_vs_rest_flattened_30_pairs"]
    for source in (cases["binary_20"], cases["all_outcomes_zero"], flat):
        curve = source["sklearn_calibration_curve_uniform_10"]
        p = np.array(source["forecasts"])
        summary = bin_summary(p, source["outcomes"], ten_bins(to_ppm(p), "right"))
        np.testing.assert_allclose(summary["observed"], curve["prob_true"], atol=1e-12)
        np.testing.assert_allclose(summary["mean_forecast"], curve["prob_pred"], atol=1e-12)


@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
def test_r_verification_is_our_decomposition_of_bin_midpoints(cases, name):
    """R verification::brier scores the bin midpoints, not the forecasts; so do we, if asked."""
    case = cases[name]
    r = case["verification_brier_R_emulation"]
    ids = ten_bins(to_ppm(case["forecasts"]), "right")
    d = murphy_decomposition((2 * ids + 1) / 20, case["outcomes"], ids)
    assert d["brier"] == pytest.approx(r["bs"], abs=1e-12)
    assert d["reliability"] == pytest.approx(r["bs_reliability"], abs=1e-12)
    assert d["resolution"] == pytest.approx(r["bs_resol"], abs=1e-12)
    assert d["uncertainty"] == pytest.approx(r["bs_uncert"], abs=1e-12)
    assert d["residual"] == 0
    # ... while the raw forecasts keep their own Brier score
    raw = murphy_decomposition(case["forecasts"], case["outcomes"], ids)
    assert raw["brier"] == pytest.approx(case["brier"]["sklearn_brier_score_loss"], abs=1e-12)


# ------------------------------------------------------------------ properties

probabilities = st.floats(0, 1, allow_nan=False)
pair_lists = st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(probabilities, min_size=n, max_size=n),
    st.lists(st.integers(0, 1), min_size=n, max_size=n),
    st.lists(st.integers(-3, 12), min_size=n, max_size=n)))
ppm_pairs = st.integers(1, 60).flatmap(lambda n: st.tuples(
    st.lists(st.integers(0, PPM), min_size=n, max_size=n),
    st.lists(st.integers(0, 1), min_size=n, max_size=n)))


@settings(max_examples=300)
@given(pair_lists)
def test_decomposition_adds_up_to_the_brier_score(data):
    p, o, ids = data
    d = murphy_decomposition(p, o, ids)
    assert abs(adds_up(d)) <= 1e-12
    assert d["brier"] == pytest.approx(np.mean((np.array(p) - o) ** 2), abs=1e-15)
    assert d["reliability"] >= 0 and d["resolution"] >= 0 and d["n"] == len(p)
    assert d["calibration_index"] == d["reliability"]
    assert d["discrimination_index"] == d["resolution"]


@given(ppm_pairs, st.integers(2, 101))
def test_decomposition_for_bins_adds_up(data, bins):
    p_ppm, o = data
    d = decomposition_for_bins(p_ppm, o, bins=bins)
    assert abs(adds_up(d)) <= 1e-12
    assert d == murphy_decomposition(np.array(p_ppm) / PPM, o, bin_index(p_ppm, bins))


@settings(max_examples=100)
@given(st.lists(ppm_pairs, min_size=1, max_size=6), st.integers(2, 21),
       st.sampled_from(["wilson", "jeffreys", "exact"]))
def test_grouped_calibration_is_each_groups_own(groups, bins, interval):
    p_ppm = [p for group_p, _ in groups for p in group_p]
    o = [x for _, group_o in groups for x in group_o]
    codes = [g for g, (group_p, _) in enumerate(groups) for _ in group_p]
    tables, parts = grouped_calibration(p_ppm, o, codes, len(groups), bins=bins,
                                        interval=interval)
    for (group_p, group_o), table, part in zip(groups, tables, parts):
        expected = calibration_table(group_p, group_o, bins=bins, interval=interval)
        assert [row["n"] for row in table] == [row["n"] for row in expected]
        for row, want in zip(table, expected):
            assert row == pytest.approx(want, abs=1e-12)
        want = decomposition_for_bins(group_p, group_o, bins=bins)
        assert part.keys() == want.keys()
        assert part == pytest.approx(want, abs=1e-12)


@given(st.lists(st.integers(0, 1), min_size=1, max_size=60), st.integers(2, 101))
def test_perfect_forecasts_score_zero(o, bins):
    d = decomposition_for_bins(np.array(o) * PPM, o, bins=bins)
    assert d["brier"] == 0 and d["reliability"] == 0 and d["residual"] == 0


@given(st.lists(st.integers(0, PPM), min_size=1, max_size=60), st.integers(0, 1))
def test_all_outcomes_equal_have_no_uncertainty(p_ppm, outcome):
    d = decomposition_for_bins(p_ppm, [outcome] * len(p_ppm))
    assert d["uncertainty"] == 0 and d["resolution"] == 0
    assert d["normalised_discrimination"] is None
    assert d["base_rate"] == outcome


@given(ppm_pairs)
def test_fold_restates_without_adding_or_losing_pairs(data):
    p_ppm, o = data
    folded_p, folded_o = fold(p_ppm, o)
    assert folded_p.dtype == np.int64 and folded_o.dtype == np.int64
    assert folded_p.size == len(p_ppm) and folded_o.size == len(o)
    assert np.all(folded_p >= PPM // 2)
    assert decomposition_for_bins(folded_p, folded_o)["n"] == decomposition_for_bins(p_ppm, o)["n"]
    assert decomposition_for_bins(folded_p, folded_o)["brier"] == pytest.approx(
        decomposition_for_bins(p_ppm, o)["brier"], abs=1e-12)
    kept = np.array(p_ppm) >= PPM // 2
    assert folded_p[kept].tolist() == np.array(p_ppm)[kept].tolist()
    assert folded_o[kept].tolist() == np.array(o)[kept].tolist()
    again_p, again_o = fold(folded_p, folded_o)
    assert again_p.tolist() == folded_p.tolist() and again_o.tolist() == folded_o.tolist()


def test_fold_maps_a_forecast_and_its_complement_onto_one_pair():
    p, o = fold([300_000, 700_000, 500_000, 0], [0, 1, 1, 0])
    assert p.tolist() == [700_000, 700_000, 500_000, PPM]
    assert o.tolist() == [1, 1, 1, 1]


@given(st.integers(0, PPM), st.integers(2, 101))
def test_bin_index_rounds_to_the_nearest_centre_ties_toward_the_middle(p_ppm, bins):
    x = Fraction(p_ppm * (bins - 1), PPM)
    below_middle = 2 * x < bins - 1
    expected = math.floor(x + Fraction(1, 2)) if below_middle else math.ceil(x - Fraction(1, 2))
    assert bin_index([p_ppm], bins).tolist() == [expected]


@given(st.integers(0, PPM), st.integers(2, 101))
def test_a_forecast_and_its_fold_land_in_mirror_bins(p_ppm, bins):
    if 2 * p_ppm * (bins - 1) == PPM * (bins - 1):  # 50% exactly: its own mirror
        return
    assert bin_index([p_ppm], bins)[0] + bin_index([PPM - p_ppm], bins)[0] == bins - 1


@given(st.integers(0, PPM))
def test_default_bins_have_edges_at_five_past_each_ten(p_ppm):
    b = int(bin_index([p_ppm])[0])
    if b <= 5:
        assert b * 100_000 - 50_000 <= p_ppm < b * 100_000 + 50_000 or p_ppm == 550_000
    else:
        assert b * 100_000 - 50_000 < p_ppm <= b * 100_000 + 50_000


@pytest.mark.parametrize("centre", range(11))
def test_round_numbers_sit_mid_bin(centre):
    c = centre * 100_000
    near = [max(c - 49_999, 0), c, min(c + 49_999, PPM)]
    assert bin_index(near).tolist() == [centre] * 3
    edge_toward_middle = c - 50_000 if centre > 5 else c + 50_000
    if 0 < centre < 10 and centre != 5:
        assert bin_index([edge_toward_middle]).tolist() == [centre + (1 if centre < 5 else -1)]


def test_edges_at_five_percent_points_go_to_the_bin_nearer_the_middle():
    edges = np.arange(50_000, PPM, 100_000)  # 0.05, 0.15, ..., 0.95
    assert bin_index(edges).tolist() == [1, 2, 3, 4, 5, 5, 6, 7, 8, 9]
    rows = calibration_table([300_000, 349_999, 250_000, 700_000, 650_001, 750_000], [1] * 6)
    assert [(r["lo"], r["centre"], r["hi"], r["n"]) for r in rows] == [
        (0.25, 0.3, 0.35, 3), (0.65, 0.7, 0.75, 3)]


# ------------------------------------------------------------------ binomial_interval

@pytest.mark.parametrize("method", ["wilson", "jeffreys", "exact"])
def test_interval_ends_at_zero_and_all(method):
    low, high = binomial_interval([0, 0, 5, 1, 0], [5, 1, 5, 1, 0], method=method)
    assert low.shape == high.shape == (5,)
    assert low[0] == 0 and low[1] == 0 and high[2] == 1 and high[3] == 1
    assert 0 < high[0] < 1 and 0 < high[1] < 1 and 0 < low[2] < 1 and 0 < low[3] < 1
    assert np.isnan(low[4]) and np.isnan(high[4])  # no trials, no interval


def test_interval_for_one_trial():
    # closed forms: exact = [0, 1 - a/2] for 0 of 1, Jeffreys upper from Beta(1/2, 3/2)
    assert binomial_interval(0, 1, "exact") == (0.0, pytest.approx(0.975, abs=1e-12))
    assert binomial_interval(1, 1, "exact") == (pytest.approx(0.025, abs=1e-12), 1.0)
    low, high = binomial_interval(1, 1, "wilson")
    assert high == 1.0 and low == pytest.approx(1 / (1 + Z_95**2), abs=1e-15)  # n / (n + z^2)
    for method in ("wilson", "jeffreys", "exact"):
        low0, high0 = binomial_interval(0, 1, method)
        low1, high1 = binomial_interval(1, 1, method)
        assert low0 == 0 and high1 == 1
        assert low1 == pytest.approx(1 - high0, abs=1e-12)  # symmetric


def test_interval_broadcasts_and_returns_scalars_for_scalars():
    low, high = binomial_interval(np.array([[1], [2]]), np.array([2, 4, 8]), method="exact")
    assert low.shape == high.shape == (2, 3)
    low, high = binomial_interval(3, 10)
    assert np.ndim(low) == 0 and np.ndim(high) == 0 and isinstance(float(low), float)


@settings(max_examples=200)
@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_interval_against_scipy_binomtest(kn, confidence):
    k, n = kn
    for method, scipy_method in (("wilson", "wilson"), ("exact", "exact")):
        ci = binomtest(k, n).proportion_ci(confidence_level=confidence, method=scipy_method)
        low, high = binomial_interval(k, n, method, confidence)
        assert low == pytest.approx(ci.low, abs=1e-9) and high == pytest.approx(ci.high, abs=1e-9)
    for method in ("wilson", "jeffreys", "exact"):
        low, high = binomial_interval(k, n, method, confidence)
        assert 0 <= low <= k / n <= high <= 1


def test_interval_rejects_bad_input():
    with pytest.raises(ValueError, match="^unknown interval method 'agresti'"):
        binomial_interval(1, 2, method="agresti")
    with pytest.raises(ValueError, match="unknown interval method"):
        calibration_table([500_000], [1], interval="clopper")
    with pytest.raises(ValueError, match="confidence"):
        binomial_interval(1, 2, confidence=95)
    with pytest.raises(ValueError, match="between 0 and n"):
        binomial_interval(3, 2)


def test_decomposition_rejects_bad_input():
    with pytest.raises(ValueError, match="unit interval"):
        murphy_decomposition([1.5], [1], [0])
    with pytest.raises(ValueError, match="0 or 1"):
        murphy_decomposition([0.5], [2], [0])
    with pytest.raises(ValueError, match="one label per forecast"):
        murphy_decomposition([0.5, 0.5], [1, 0], [0])
    with pytest.raises(ValueError, match="at least one forecast"):
        murphy_decomposition([], [], [])
    with pytest.raises(ValueError, match="parts per million"):
        fold([0.7], [1])
    assert calibration_table([], []) == []


# Wilson intervals and bins, by hand and against the shared vectors ------------------------

def test_wilson_interval_matches_reference_vectors(cases):
    for name in ("binary_20", "all_outcomes_zero"):
        for row in cases[name]["bin_observed_frequency_ci95"]:
            low, high = wilson_interval(row["k"], row["n"])
            assert (low, high) == pytest.approx(tuple(row["ci95"]["wilson"]), abs=1e-9)


def test_wilson_interval_matches_statsmodels_formula_by_hand():
    # Wilson (1927) for 7 of 10 at 95%: centre 0.6445, half-width 0.2477 (hand computation)
    low, high = wilson_interval(7, 10)
    assert low == pytest.approx(0.39677, abs=1e-4) and high == pytest.approx(0.89222, abs=1e-4)


def test_bins_are_centred_on_round_numbers_and_exact_at_edges():
    ppm = [0, 49_999, 50_000, 149_999, 150_000, 700_000, 949_999, 950_000, 950_001, 1_000_000]
    assert bin_index(ppm).tolist() == [0, 0, 1, 1, 2, 7, 9, 9, 10, 10]
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
