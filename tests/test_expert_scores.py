"""AUC, right side of 50%, difficulty-adjusted Brier, calibration events, band and periods:
each against an independent computation (scikit-learn, an explicit least-squares fit, scipy's
binomial, a hand-worked case), through the functions and through the CLI."""

import json
import math

import numpy as np
import pytest
from conftest import import_panel
from sklearn.metrics import roc_auc_score

from forecasts import adjusted, calibration, discrimination
from forecasts.ppm import PPM


def random_groups(seed, n_groups=6, max_size=80):
    """Forecasts on a coarse grid (many ties) in groups of very different sizes."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, max_size, n_groups)
    groups = np.repeat(np.arange(n_groups), sizes)
    p = rng.integers(0, 21, groups.size) / 20
    o = (rng.random(groups.size) < p * 0.8 + 0.1).astype(float)
    return p, o, groups


@pytest.mark.parametrize("seed", range(5))
def test_grouped_auc_equals_scikit_learn_per_group(seed):
    p, o, groups = random_groups(seed)
    shuffled = np.random.default_rng(seed).permutation(p.size)  # any order of the pairs
    found = discrimination.grouped_auc(p[shuffled], o[shuffled], groups[shuffled], 6)
    for g in range(6):
        mask = groups == g
        if len(set(o[mask])) < 2:
            assert math.isnan(found[g])
        else:
            assert found[g] == pytest.approx(roc_auc_score(o[mask], p[mask]), abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_a_shared_pair_order_gives_the_same_aucs_and_intervals(seed):
    """The score table sorts the pairs once for the AUC and its interval; the interval's DeLong
    part takes that order among the groups large enough for it, the bootstrap the rest."""
    p, o, groups = random_groups(seed)
    big = np.repeat(6, 200)  # a seventh group, large enough for DeLong's interval
    p = np.concatenate([p, np.random.default_rng(seed).integers(0, 21, 200) / 20])
    o = np.concatenate([o, np.arange(200) % 2.0])
    groups = np.concatenate([groups, big])
    shuffled = np.random.default_rng(seed).permutation(p.size)
    p, o, groups = p[shuffled], o[shuffled], groups[shuffled]
    order = discrimination.pair_order(p, groups)
    assert np.array_equal(discrimination.grouped_auc(p, o, groups, 7, pairs_order=order),
                          discrimination.grouped_auc(p, o, groups, 7), equal_nan=True)
    with_order = discrimination.grouped_auc_intervals(p, o, groups, 7, pairs_order=order)
    without = discrimination.grouped_auc_intervals(p, o, groups, 7)
    assert np.isfinite(with_order[0][6])
    for a, b in zip(with_order, without):
        assert np.allclose(a, b, equal_nan=True, rtol=0, atol=1e-12)


def test_auc_without_both_outcomes_is_undefined():
    assert math.isnan(discrimination.auc([0.2, 0.9], [1, 1]))


def test_bootstrap_interval_is_the_percentile_of_scikit_learn_on_the_same_resamples():
    rng = np.random.default_rng(3)
    p = rng.integers(0, 11, 25) / 10
    o = (rng.random(25) < p).astype(float)
    low, high = discrimination.grouped_auc_intervals(p, o, np.zeros(25, dtype=int), 1)
    # the same draws, made again: positions into the pairs sorted by probability
    order = np.argsort(p, kind="stable")
    ps, os_ = p[order], o[order]
    picks = np.random.default_rng(0).integers(0, 25, (1000, 25))
    areas = [roc_auc_score(os_[row], ps[row]) for row in picks if len(set(os_[row])) == 2]
    assert (low[0], high[0]) == pytest.approx(tuple(np.quantile(areas, [0.025, 0.975])),
                                              abs=1e-12)


def test_delong_interval_matches_its_structural_components_by_hand():
    rng = np.random.default_rng(5)
    p = rng.integers(0, 21, 400) / 20
    o = (rng.random(400) < p).astype(float)
    low, high = discrimination.grouped_auc_intervals(p, o, np.zeros(400, dtype=int), 1)
    pos, neg = p[o == 1], p[o == 0]
    psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    area = psi.mean()
    variance = psi.mean(axis=1).var(ddof=1) / pos.size + psi.mean(axis=0).var(ddof=1) / neg.size
    half = 1.959963984540054 * math.sqrt(variance)
    assert area == pytest.approx(roc_auc_score(o, p))
    assert (low[0], high[0]) == pytest.approx((area - half, area + half), abs=1e-12)


def test_right_side_counts_fifty_percent_as_half():
    assert discrimination.right_side([0.9, 0.1, 0.5, 0.4, 0.7], [1, 0, 0, 1, 0]).tolist() == [
        1.0, 1.0, 0.5, 0.0, 0.0]


def explicit_two_way_fit(forecasters, questions, briers):
    """Forecaster and question dummies (the first question's dropped), numpy's lstsq."""
    users, items = sorted(set(forecasters)), sorted(set(questions))
    x = np.zeros((len(briers), len(users) + len(items) - 1))
    for row, (f, q) in enumerate(zip(forecasters, questions)):
        x[row, users.index(f)] = 1
        if items.index(q):
            x[row, len(users) + items.index(q) - 1] = 1
    coefficients = np.linalg.lstsq(x, np.asarray(briers), rcond=None)[0]
    return coefficients[:len(users)]


def unbalanced_panel(seed):
    """Six forecasters of different skill on 40 questions, each answering a random subset."""
    rng = np.random.default_rng(seed)
    rows = []
    for q in range(40):
        outcome = rng.random() < 0.5
        for f in range(6):
            if rng.random() < 0.6 or f == 0:
                noise = 0.1 + 0.08 * f
                p = np.clip((0.8 if outcome else 0.2) + rng.normal(0, noise), 0, 1)
                rows.append((f, q, (p - outcome) ** 2))
    return rows


@pytest.mark.parametrize("seed", range(3))
def test_fixed_effects_agree_with_an_explicit_least_squares_fit(seed):
    rows = unbalanced_panel(seed)
    f, q, b = (np.array(column) for column in zip(*rows))
    fit = adjusted.fixed_effects(f, q, b, 6, 40)
    reference = explicit_two_way_fit(f, q, b)
    np.testing.assert_allclose(fit.forecaster - fit.forecaster.mean(),
                               reference - reference.mean(), atol=1e-10)
    values, low, high = adjusted.adjusted_briers(f, q * 7 + 3, b, np.full(b.size, 0.25), 6,
                                                 n_resamples=50)
    np.testing.assert_allclose(values - values.mean(), reference - reference.mean(), atol=1e-10)
    assert np.all(low <= values) and np.all(values <= high)


def test_always_fifty_percent_on_every_question_scores_exactly_a_quarter():
    rows = unbalanced_panel(7) + [(6, q, 0.25) for q in range(40)]
    f, q, b = (np.array(column) for column in zip(*rows))
    values, _, _ = adjusted.adjusted_briers(f, q, b, np.full(b.size, 0.25), 7, n_resamples=0)
    assert values[6] == pytest.approx(0.25, abs=1e-12)
    assert adjusted.brier_index(values[6]) == pytest.approx(50)


def test_separate_groups_of_forecasters_are_each_re_centred_on_their_own_questions():
    # A and B share questions 0-1; C alone on question 2, scoring 0.09 there
    f = np.array([0, 1, 0, 1, 2])
    q = np.array([0, 0, 1, 1, 2])
    b = np.array([0.04, 0.16, 0.09, 0.25, 0.09])
    values, _, _ = adjusted.adjusted_briers(f, q, b, np.full(5, 0.25), 3, n_resamples=0)
    # by hand: B is 0.14 worse than A on each shared question; C, alone on its question,
    # keeps its own Brier (always 50% would score 0.25 there, and does)
    assert values[1] - values[0] == pytest.approx(0.14)
    assert values[2] == pytest.approx(0.09)


def test_calibration_band_is_the_binomial_five_to_ninety_five_percent_range():
    for n, p in [(10, 0.7), (37, 0.13), (200, 0.5), (3, 0.95)]:
        low, high = calibration.calibration_band(n, p)
        # by hand: the smallest k with P(X <= k) >= 5%, and with P(X <= k) >= 95%
        cdf = np.cumsum([math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(n + 1)])
        assert low == np.argmax(cdf >= 0.05 - 1e-12) / n
        assert high == np.argmax(cdf >= 0.95 - 1e-12) / n


# --- through the CLI ---------------------------------------------------------------------------

PANEL = {"Ann": [0.9, 0.2, 0.7, 0.6, 0.5, 0.1], "Bea": [0.6, 0.4, 0.5, None, 0.8, 0.3],
         "Cal": [None, 0.3, 0.9, 0.2, 0.5, None]}
OUTCOMES = [1, 0, 1, 0, 1, 0]
MADE = ["2024-02-01", "2024-05-01", "2024-11-01", "2025-01-15", "2025-04-01", "2025-08-01"]


@pytest.fixture
def panel(forecasts, tmp_path):
    import_panel(forecasts, tmp_path, PANEL, OUTCOMES, made=MADE, resolved="2025-12-30")
    return forecasts


def pairs_of(name):
    return [(p, o) for p, o in zip(PANEL[name], OUTCOMES) if p is not None]


def test_score_json_carries_auc_and_right_side(panel):
    rows = {row["forecaster"]: row for row in panel.json("score")}
    for name in PANEL:
        p, o = zip(*pairs_of(name))
        assert rows[name]["auc"] == pytest.approx(roc_auc_score(o, p))
        assert rows[name]["auc_ci_low"] <= rows[name]["auc"] <= rows[name]["auc_ci_high"]
        right = [0.5 if x == 0.5 else float((x > 0.5) == y) for x, y in zip(p, o)]
        assert rows[name]["right_side"] == pytest.approx(np.mean(right))
    assert "AUC" in panel.ok("score").stdout


def test_score_adjusted_follows_the_explicit_fit(panel):
    rows = {row["forecaster"]: row for row in panel.json("score", "--adjusted")}
    names = sorted(PANEL)
    f, q, b = [], [], []
    for name in names:
        for at, (p, o) in enumerate(zip(PANEL[name], OUTCOMES)):
            if p is not None:
                f.append(name), q.append(at), b.append((p - o) ** 2)
    reference = explicit_two_way_fit(f, q, b)
    got = np.array([rows[name]["adjusted_brier"] for name in names])
    np.testing.assert_allclose(got - got.mean(), reference - reference.mean(), atol=1e-9)
    for name in names:
        row = rows[name]
        assert row["brier_index"] == pytest.approx(100 * (1 - math.sqrt(row["adjusted_brier"])))
        assert row["adjusted_ci_low"] <= row["adjusted_brier"] <= row["adjusted_ci_high"]
    board = panel.json("leaderboard", "--rank-by", "adjusted", "--min-questions", "1")
    assert [row["forecaster"] for row in board] == [names[i] for i in np.argsort(got)]
    assert "Adj. Brier" in panel.ok("leaderboard", "--rank-by", "adjusted").stdout


def test_adjusted_on_the_zero_to_two_scale_doubles(panel):
    one = {r["forecaster"]: r for r in panel.json("score", "--adjusted")}
    two = {r["forecaster"]: r for r in panel.json("score", "--adjusted", "--brier-scale", "2")}
    for name in PANEL:
        assert two[name]["adjusted_brier"] == pytest.approx(2 * one[name]["adjusted_brier"])
        assert two[name]["brier_index"] == pytest.approx(one[name]["brier_index"])


def test_adjusted_with_a_breakdown_is_one_clear_line(panel):
    result = panel("score", "--adjusted", "--by-tag")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_calibration_bins_count_events(panel):
    report = panel.json("calibration", "--by", "Ann")
    bins = [b for b in report["bins"] if b["forecaster"] == "Ann"]
    assert sum(b["events"] for b in bins) == sum(o for _, o in pairs_of("Ann"))
    assert all(b["events"] == round(b["observed"] * b["n"]) for b in bins)


def test_calibration_by_period_splits_on_when_forecasts_were_made(panel):
    report = panel.json("calibration", "--by", "Ann", "--by-period", "year")
    periods = {(b["period"], b["n"]) for b in report["decomposition"] if b["forecaster"] == "Ann"}
    assert periods == {("2024", 3), ("2025", 3)}
    quarters = {b["period"] for b in panel.json("calibration", "--by-period", "quarter")["bins"]}
    assert quarters == {"2024-Q1", "2024-Q2", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3"}
    chart = panel.ok("calibration", "--by", "Ann", "--by-period", "year", "--chart").stdout
    assert "period 2024" in chart and "period 2025" in chart
    result = panel("calibration", "--by-period", "year", "--by-tag")
    assert result.exit_code == 2 and "just one" in result.output


def test_calibration_band_through_the_cli(panel):
    report = panel.json("calibration", "--interval", "band")
    for row in report["bins"]:
        low, high = calibration.calibration_band(row["n"], row["mean_forecast"])
        assert (row["ci_low"], row["ci_high"]) == (pytest.approx(low), pytest.approx(high))
    assert "Calibrated 5-95%" in panel.ok("calibration", "--interval", "band").stdout


def test_a_forecast_and_its_fold_mirror_in_the_cli_bins(panel):
    bins = panel.json("calibration", "--bins", "11")["bins"]
    # 0.05 and 0.95 are edges: each goes to the bin nearer 50%
    assert calibration.bin_index([int(0.05 * PPM), int(0.95 * PPM)]).tolist() == [1, 9]
    assert all(b["lo"] < b["hi"] for b in bins)


def test_bin_labels_are_alike_at_any_bin_count(panel):
    shown = panel.ok("calibration", "--by", "Ann", "--bins", "21").stdout
    assert "2.5%-7.5%" in shown or "7.5%-12.5%" in shown or "87.5%-92.5%" in shown
    assert "2%-8%" not in shown and "8%-12%" not in shown
    assert "5%-15%" in panel.ok("calibration", "--by", "Ann").stdout


@pytest.fixture
def updates(forecasts, tmp_path):
    """Dee: 30% then 80% on a yes (right from 2025-03-01, 121 days before the 2025-06-30
    cutoff); 90% on a no (never right); 70% then 60% on a yes (right from the first, 180 days)."""
    lines = [{"type": "question", "id": f"q{q}", "text": f"Event {q}", "resolves": "2025-06-30"}
             for q in range(3)]
    for q, p, made in [(0, 0.3, "2025-01-01"), (0, 0.8, "2025-03-01"), (1, 0.9, "2025-01-01"),
                       (2, 0.7, "2025-01-01"), (2, 0.6, "2025-02-01")]:
        lines.append({"type": "forecast", "question": f"q{q}", "by": "Dee", "p": p, "made": made})
    for q, outcome in enumerate(["yes", "no", "yes"]):
        lines.append({"type": "resolution", "question": f"q{q}", "outcome": outcome,
                      "resolved": "2025-06-30"})
    path = tmp_path / "updates.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    forecasts.ok("import", str(path))
    return forecasts


def test_settled_days_count_from_the_last_switch_to_the_right_side(updates):
    forecasts = updates
    (row,) = forecasts.json("score", "--settled")
    assert row["settled_questions"] == 2
    assert row["settled_days"] == np.median([121, 180])
    assert "Settled (days)" in forecasts.ok("score", "--settled").stdout
    result = forecasts("score", "--settled", "--by-tag")
    assert result.exit_code != 0 and len(result.output.strip().splitlines()) == 1


def test_time_weighted_calibration_weighs_each_forecast_by_the_time_it_stood(updates):
    report = updates.json("calibration", "--weight", "time")
    bins = {row["centre"]: row for row in report["bins"]}
    # by hand: q0 is open 180 days, 30% for 59 of them, 80% for 121; q2 70% for 31, 60% for 149
    assert bins[0.3]["weight"] == pytest.approx(59 / 180)
    assert bins[0.8]["weight"] == pytest.approx(121 / 180)
    assert bins[0.7]["weight"] == pytest.approx(31 / 180)
    assert bins[0.6]["weight"] == pytest.approx(149 / 180)
    assert bins[0.9]["weight"] == pytest.approx(1.0) and bins[0.9]["observed"] == 0
    # the weighted Brier is the time-averaged Brier of score (another path through the code)
    (part,) = report["decomposition"]
    (row,) = updates.json("score", "--time-averaged")
    assert part["brier"] == pytest.approx(row["brier"], abs=1e-12)
    parts = part["reliability"] - part["resolution"] + part["uncertainty"] + part["residual"]
    assert parts == pytest.approx(part["brier"], abs=1e-12)
    assert updates.json("calibration")["bins"][0].get("weight") is None


def test_relative_history_leaves_out_questions_nobody_else_answered(panel):
    from forecasts.charts import history_series
    from forecasts.store import Store

    panel.ok("add", "A question only Ann forecast", "--by", "Ann", "-p", "0.9", "--on",
             "2025-01-01", "--resolves", "2025-03-01")
    panel.ok("resolve", "7", "no", "--on", "2025-03-01")  # six imported before it
    ann = {row["forecaster"]: row for row in panel.json("score")}["Ann"]
    store = Store.open(panel.db)
    (series,) = history_series(store, by=["Ann"], score="relative")
    store.close()
    assert len(series["values"]) == ann["shared_questions"] == ann["questions"] - 1
    assert series["means"][-1] == pytest.approx(ann["relative_brier"], abs=1e-12)


def test_the_new_scores_on_a_database_with_nothing_resolved(forecasts):
    forecasts.ok("add", "It rains tomorrow", "--by", "Ann", "-p", "0.7", "--on", "2025-01-01",
                 "--resolves", "2025-02-01")
    shown = forecasts.ok("score", "--adjusted", "--settled").stdout
    assert f"No resolved questions to score yet in {forecasts.db}." in shown
    assert forecasts.json("score", "--adjusted", "--settled") == []
    assert forecasts.json("calibration", "--weight", "time", "--by-period", "year")["bins"] == []


def test_batched_bootstrap_of_many_groups_is_each_groups_own_bootstrap():
    rng = np.random.default_rng(11)
    sizes = [8, 8, 8, 12, 90]  # three of one size share draws; 90 is bootstrapped by runs
    groups = np.repeat(np.arange(len(sizes)), sizes)
    p = rng.integers(0, 6, groups.size) / 5
    o = (rng.random(groups.size) < 0.3).astype(float)
    low, high = discrimination.grouped_auc_intervals(p, o, groups, len(sizes))
    draws = np.random.default_rng(0)
    picks = {size: draws.integers(0, size, (1000, size)) for size in sorted(set(sizes))}
    for group, size in enumerate(sizes):
        members = np.flatnonzero(groups == group)
        order = members[np.argsort(p[members], kind="stable")]
        areas = [roc_auc_score(o[order][row], p[order][row]) for row in picks[size]
                 if len(set(o[order][row])) == 2]
        expected = tuple(np.quantile(areas, [0.025, 0.975]))
        assert (low[group], high[group]) == pytest.approx(expected, abs=1e-12), group


def test_delong_for_many_groups_at_once_is_each_groups_own():
    rng = np.random.default_rng(8)
    sizes = [300, 120, 500]
    groups = np.repeat(np.arange(3), sizes)
    p = rng.integers(0, 21, groups.size) / 20
    o = (rng.random(groups.size) < p).astype(float)
    low, high = discrimination.grouped_auc_intervals(p, o, groups, 3)
    for group in range(3):
        pos, neg = p[(groups == group) & (o == 1)], p[(groups == group) & (o == 0)]
        assert min(pos.size, neg.size) >= 30
        psi = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
        variance = psi.mean(axis=1).var(ddof=1) / pos.size + \
            psi.mean(axis=0).var(ddof=1) / neg.size
        half = 1.959963984540054 * math.sqrt(variance)
        assert (low[group], high[group]) == pytest.approx(
            (max(0, psi.mean() - half), min(1, psi.mean() + half)), abs=1e-12)
