"""The scoring functions against scikit-learn, scipy, properscoring, scoringrules and the
shared vectors.

Reference vectors: ../shared/data/reference_vectors.json (SCORING.md section 4); the tests that
need them skip cleanly when the shared folder is absent.
"""

import json
import math
import time
from pathlib import Path

import numpy as np
import properscoring
import pytest
import scoringrules
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from sklearn.metrics import brier_score_loss, log_loss

from forecasts import scoring
from forecasts.scoring import (
    LOG_CLIP,
    base_rate_brier,
    bootstrap_mean_interval,
    brier_binary,
    brier_multiple_choice,
    brier_skill,
    chimp_brier,
    daily_brier,
    log_score,
    mean_brier_by_forecaster,
    paired_bootstrap_difference,
    peer_brier,
    peer_log_scores,
    prob_of_outcome,
    relative_to_question_median,
    time_averaged_brier,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE = SHARED / "data" / "reference_vectors.json"


def _number(value):
    """Strict-JSON non-finite strings back to floats; None stays None."""
    if isinstance(value, str):
        return float(value.replace("Infinity", "inf").replace("NaN", "nan"))
    return value


@pytest.fixture(scope="module")
def cases():
    if not REFERENCE.is_file():
        pytest.skip(f"{REFERENCE} is not present beside the checkout")
    return {case["name"]: case for case in json.loads(REFERENCE.read_text())["cases"]}


def long_table(matrix):
    """(question, forecaster, value) rows of a forecaster x question matrix, None = not answered."""
    rows = [(q, f, v) for f, row in enumerate(matrix) for q, v in enumerate(row) if v is not None]
    return ([r[0] for r in rows], [r[1] for r in rows], np.array([r[2] for r in rows], dtype=float))


def as_matrix(shape, questions, forecasters, values):
    out = np.full(shape, np.nan)
    out[forecasters, questions] = values
    return out


def assert_cells(ours, expected, abs_tol):
    expected = np.array([[np.nan if v is None else v for v in row] for row in expected])
    assert np.array_equal(np.isnan(ours), np.isnan(expected))
    assert ours[~np.isnan(ours)] == pytest.approx(expected[~np.isnan(expected)], abs=abs_tol)


# --------------------------------------------------------------------------- log score


def test_log_clip_is_documented_value():
    assert LOG_CLIP == 0.01
    assert log_score(0.0) == pytest.approx(math.log(0.01), abs=1e-15)
    assert log_score(1.0) == pytest.approx(math.log(0.99), abs=1e-15)
    assert log_score(0.0, clip=0) == -np.inf
    assert log_score(1.0, clip=0) == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_binary_log_score_matches_sklearn_log_loss_inside_the_clip(seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(LOG_CLIP, 1 - LOG_CLIP, size=300)
    o = (rng.uniform(size=300) < p).astype(int)
    ours = log_score(prob_of_outcome(p, o))
    assert -ours.mean() == pytest.approx(log_loss(o, p, labels=[0, 1]), abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_multiple_choice_log_score_matches_sklearn_log_loss(seed):
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet([2, 2, 2, 2], size=200)
    probs = np.clip(probs, LOG_CLIP, 1 - LOG_CLIP)
    probs /= probs.sum(axis=1, keepdims=True)
    probs = np.clip(probs, LOG_CLIP, 1 - LOG_CLIP)  # renormalising can leave a cell just outside
    probs /= probs.sum(axis=1, keepdims=True)
    y = np.array([rng.choice(4, p=row) for row in probs])
    ours = log_score(probs[np.arange(y.size), y], clip=0)
    assert -ours.mean() == pytest.approx(log_loss(y, probs, labels=[0, 1, 2, 3]), abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_log_score_matches_scoringrules(seed):
    rng = np.random.default_rng(seed)
    p = np.round(rng.uniform(size=200), 3)
    p[:3] = [0.0, 1.0, 0.5]
    o = (rng.uniform(size=200) < p).astype(int)
    theirs = -scoringrules.log_score(o, p)  # loss form, unclipped
    assert log_score(prob_of_outcome(p, o), clip=0) == pytest.approx(theirs, abs=1e-12)
    inside = (p >= LOG_CLIP) & (p <= 1 - LOG_CLIP)
    assert log_score(prob_of_outcome(p, o))[inside] == pytest.approx(theirs[inside], abs=1e-12)


@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
def test_log_score_matches_reference_blocks(cases, name):
    case = cases[name]
    block = case["log_score"]
    p = prob_of_outcome(case["forecasts"], case["outcomes"])
    assert p == pytest.approx(block["p_of_outcome"], abs=1e-12)
    unclipped = log_score(p, clip=0)
    assert unclipped == pytest.approx(block["ln_p_per_forecast"], abs=1e-12)
    assert unclipped.mean() == pytest.approx(block["mean_ln_p"], abs=1e-12)
    assert -unclipped.mean() == pytest.approx(block["sklearn_log_loss"], abs=1e-12)
    assert -unclipped.mean() == pytest.approx(block["scoringrules_log_score_mean"], abs=1e-12)
    # With the default clip only probabilities outside [0.01, 0.99] move (all_outcomes_zero: 1.0).
    clipped = log_score(p)
    inside = (p >= LOG_CLIP) & (p <= 1 - LOG_CLIP)
    assert clipped[inside] == pytest.approx(np.array(block["ln_p_per_forecast"])[inside], abs=1e-12)
    assert clipped[~inside] == pytest.approx(np.log(np.clip(p[~inside], LOG_CLIP, 1 - LOG_CLIP)))


def test_multiple_choice_log_score_matches_reference(cases):
    case = cases["multiple_choice_3opt_10q"]
    f = np.array(case["forecasts"])
    p = f[np.arange(len(f)), case["outcomes_index"]]
    assert p == pytest.approx(case["log_score"]["p_of_outcome"], abs=1e-12)
    assert log_score(p).mean() == pytest.approx(case["log_score"]["mean_ln_p"], abs=1e-12)


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan")])
def test_log_score_rejects_non_probabilities(bad):
    with pytest.raises(ValueError):
        log_score([0.5, bad])


def test_log_score_rejects_bad_clip():
    with pytest.raises(ValueError):
        log_score(0.5, clip=0.5)


@given(st.floats(0.02, 0.98), st.floats(0.0, 1.0))
def test_clipped_log_score_is_proper_inside_the_clip(q, r):
    """Reporting one's belief q maximises the expected score; any other report r does no better."""
    def expected(report):
        return q * log_score(report) + (1 - q) * log_score(1 - report)
    assert expected(q) >= expected(r) - 1e-12


# ------------------------------------------------------------------- chimp, base rate, skill


@pytest.mark.parametrize("k", range(2, 11))
def test_chimp_brier_is_the_uniform_forecast(k):
    uniform = np.full(k, 1 / k)
    for outcome in range(k):
        assert chimp_brier(k) == pytest.approx(brier_multiple_choice(uniform, outcome), abs=1e-15)
    assert chimp_brier(k) == pytest.approx(0.5 * (1 - 1 / k), abs=1e-15)


def test_chimp_brier_binary_and_vector():
    assert chimp_brier(2) == 0.25
    assert chimp_brier(np.int64(2)) == 0.25
    assert chimp_brier([2, 4]).tolist() == [0.25, 0.375]
    with pytest.raises(ValueError):
        chimp_brier(1)


@pytest.mark.parametrize("seed", range(3))
def test_base_rate_brier_is_the_brier_of_the_constant_base_rate(seed):
    o = (np.random.default_rng(seed).uniform(size=50) < 0.3).astype(int)
    constant = brier_score_loss(o, np.full(50, o.mean()))
    assert base_rate_brier(o) == pytest.approx(constant, abs=1e-15)


@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
def test_skill_scores_match_reference_blocks(cases, name):
    case = cases[name]
    expected = case["brier_skill_score"]
    brier = brier_binary(case["forecasts"], case["outcomes"]).mean()
    assert brier_skill(brier, chimp_brier(2)) == pytest.approx(expected["vs_constant_0.5"],
                                                               abs=1e-12)
    climatology = _number(expected["vs_sample_climatology"])
    ours = brier_skill(brier, base_rate_brier(case["outcomes"]))
    if np.isfinite(climatology):
        assert ours == pytest.approx(climatology, abs=1e-12)
    else:  # R verification gives -Inf when all outcomes are equal; we say "undefined"
        assert base_rate_brier(case["outcomes"]) == 0
        assert math.isnan(ours)


def test_brier_skill_is_none_and_nan_safe():
    assert brier_skill(0.1, 0.2) == pytest.approx(0.5)
    for brier, reference in [(0.1, 0), (0, 0), (None, 0.25), (0.1, None), (float("nan"), 0.25),
                             (0.1, float("nan"))]:
        assert math.isnan(brier_skill(brier, reference))
    both = brier_skill(np.array([0.1, 0.1]), np.array([0.2, 0.0]))
    assert both[0] == pytest.approx(0.5) and math.isnan(both[1])


def test_base_rate_brier_rejects_bad_outcomes():
    with pytest.raises(ValueError):
        base_rate_brier([])
    with pytest.raises(ValueError):
        base_rate_brier([0, 2])


# ------------------------------------------------------------------- relative and peer scores


@pytest.fixture(scope="module")
def case4(cases):
    case = cases["relative_scores_shared_questions"]
    f = case["forecasts"]
    questions, forecasters, p = long_table(f)
    o = np.array(case["outcomes"])[questions]
    return case, (len(f), len(f[0])), questions, forecasters, p, o


def test_brier_minus_question_median_matches_reference(case4):
    case, shape, questions, forecasters, p, o = case4
    ours = relative_to_question_median(questions, brier_binary(p, o), forecaster_ids=forecasters)
    expected = case["brier_minus_question_median"]
    assert_cells(as_matrix(shape, questions, forecasters, ours), expected["per_cell"], 1e-12)
    means = [ours[np.array(forecasters) == i].mean() for i in range(shape[0])]
    assert means == pytest.approx(expected["mean_per_expert"], abs=1e-12)


def test_metaculus_peer_matches_reference(case4):
    case, shape, questions, forecasters, p, o = case4
    ours = peer_log_scores(questions, log_score(prob_of_outcome(p, o)), forecaster_ids=forecasters)
    expected = case["metaculus_peer_spot"]
    assert_cells(as_matrix(shape, questions, forecasters, ours), expected["per_cell"], 1e-10)
    who = np.array(forecasters)
    assert [ours[who == i].mean() for i in range(shape[0])] == pytest.approx(
        expected["mean_per_expert"], abs=1e-10)
    assert [ours[who == i].sum() for i in range(shape[0])] == pytest.approx(
        expected["sum_per_expert"], abs=1e-10)


def test_forecastbench_peer_matches_reference(case4):
    case, shape, questions, forecasters, p, o = case4
    ours = peer_brier(questions, brier_binary(p, o), forecaster_ids=forecasters)
    expected = case["forecastbench_peer_brier"]
    assert_cells(as_matrix(shape, questions, forecasters, ours), expected["per_cell"], 1e-12)
    who = np.array(forecasters)
    assert [ours[who == i].mean() for i in range(shape[0])] == pytest.approx(
        expected["mean_per_expert"], abs=1e-12)


def test_metaculus_peer_equals_faq_form_and_geometric_mean_form():
    rng = np.random.default_rng(11)
    p = rng.uniform(0.05, 0.95, size=5)
    ours = peer_log_scores(["q"] * 5, np.log(p))
    faq = [100 * np.mean([np.log(p[i]) - np.log(p[j]) for j in range(5) if j != i])
           for i in range(5)]
    gm = np.exp(np.log(p).mean())
    source = 100 * 5 / 4 * np.log(p / gm)
    assert ours == pytest.approx(faq, abs=1e-10)
    assert ours == pytest.approx(source, abs=1e-10)
    assert peer_log_scores(["q"] * 5, np.log(p), scale=1) == pytest.approx(source / 100, abs=1e-12)


def test_lone_forecaster_scores_zero_relative_to_everyone():
    q, s = ["solo", "pair", "pair"], [0.3, 0.1, 0.2]
    assert relative_to_question_median(q, s)[0] == 0
    assert peer_brier(q, s)[0] == 0
    assert peer_log_scores(q, np.log([0.3, 0.1, 0.2]))[0] == 0


def test_relative_scores_accept_any_hashable_ids_and_empty_input():
    q = [("2025", 1), "x", 3, ("2025", 1), 3.0]  # 3 and 3.0 are the same question, as in a dict
    s = [0.1, 0.2, 0.3, 0.5, 0.4]
    assert relative_to_question_median(q, s).round(12).tolist() == [-0.2, 0.0, -0.05, 0.2, 0.05]
    for function in (relative_to_question_median, peer_brier, peer_log_scores):
        assert function([], []).size == 0


def test_relative_scores_reject_bad_tables():
    with pytest.raises(ValueError):
        relative_to_question_median([1, 1], [0.1, 0.2], forecaster_ids=["A", "A"])
    with pytest.raises(ValueError):
        peer_brier([1, 2], [0.1])
    with pytest.raises(ValueError):
        peer_log_scores([1, 2], [0.1, -np.inf])


# A table: questions, each answered by 1..6 distinct forecasters, one score per pair.
tables = st.lists(
    st.lists(st.floats(0.0, 1.0), min_size=1, max_size=6),
    min_size=1, max_size=8,
).map(lambda qs: ([q for q, row in enumerate(qs) for _ in row],
                  [f for row in qs for f in range(len(row))],
                  np.array([v for row in qs for v in row])))


@settings(max_examples=200, deadline=None)
@given(tables)
def test_median_relative_scores_have_zero_median_per_question(table):
    questions, forecasters, scores = table
    rel = relative_to_question_median(questions, scores, forecaster_ids=forecasters)
    q = np.array(questions)
    for question in set(questions):
        assert np.median(rel[q == question]) == pytest.approx(0, abs=1e-12)
        assert rel[q == question] == pytest.approx(
            scores[q == question] - np.median(scores[q == question]), abs=1e-15)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_peer_scores_sum_to_zero_per_question(table):
    questions, forecasters, scores = table
    log = log_score(scores)
    peer = peer_log_scores(questions, log, forecaster_ids=forecasters)
    fb = peer_brier(questions, scores, forecaster_ids=forecasters)
    q = np.array(questions)
    for question in set(questions):
        assert peer[q == question].sum() == pytest.approx(0, abs=1e-9)
        assert fb[q == question].sum() == pytest.approx(0, abs=1e-12)


@settings(max_examples=200, deadline=None)
@given(tables, tables, st.randoms(use_true_random=False))
def test_unrelated_questions_change_nothing(table, other, random):
    questions, forecasters, scores = table
    extra_q, extra_f, extra_s = other
    all_q = list(questions) + [("other", q) for q in extra_q]
    all_f = list(forecasters) + list(extra_f)
    order = list(range(len(all_q)))
    random.shuffle(order)
    back = np.argsort(order)
    n = len(questions)
    for function, values in ((relative_to_question_median, scores), (peer_brier, scores),
                             (peer_log_scores, log_score(scores))):
        alone = function(questions, values, forecaster_ids=forecasters)
        all_values = np.concatenate([values, log_score(extra_s) if function is peer_log_scores
                                     else extra_s])
        mixed = function([all_q[i] for i in order], all_values[order],
                         forecaster_ids=[all_f[i] for i in order])[back]
        assert mixed[:n] == pytest.approx(alone, abs=1e-12)


@given(st.lists(st.integers(0, 1), min_size=1, max_size=30), st.integers(2, 6), st.data())
def test_a_perfect_forecaster_scores_zero_brier(outcomes, k, data):
    o = np.array(outcomes)
    assert np.all(brier_binary(o, o) == 0)
    assert base_rate_brier(o) >= 0
    index = data.draw(st.integers(0, k - 1))
    assert brier_multiple_choice(np.eye(k)[index], index) == 0
    dates = [f"2025-01-{d:02d}" for d in range(1, len(outcomes) + 1)]
    assert time_averaged_brier(dates, np.full(len(dates), float(o[0])), int(o[0]),
                               cutoff="2025-03-01") == 0
    # and never scores worse than the question median
    others = data.draw(st.lists(st.floats(0, 1), min_size=1, max_size=5))
    q = ["q"] * (len(others) + 1)
    assert relative_to_question_median(q, [0.0, *others])[0] <= 0
    assert peer_brier(q, [0.0, *others])[0] >= 0


# --------------------------------------------------------------------------- bootstrap


@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
def test_bootstrap_matches_reference_figures(cases, name):
    block = cases[name]["bootstrap_ci95_mean_brier"]
    briers = np.array(cases[name]["brier"]["per_forecast"])
    # Same generator and resample count as the hand-rolled reference: identical draws.
    exact = bootstrap_mean_interval(briers, n_resamples=9999, seed=42)
    assert exact == pytest.approx(block["manual_percentile_rng42_integers"], abs=1e-12)
    assert exact == pytest.approx(block["percentile"], abs=1e-12)
    # Our defaults (2000 resamples, seed 0): Monte Carlo error, SCORING.md's 1e-2 tolerance.
    assert bootstrap_mean_interval(briers) == pytest.approx(block["percentile"], abs=1e-2)
    # BCa is a different method: same ballpark only.
    assert bootstrap_mean_interval(briers) == pytest.approx(block["BCa"], abs=2.5e-2)


@pytest.mark.parametrize("seed", range(4))
def test_bootstrap_equals_scipy_percentile_with_the_same_generator(seed):
    rng = np.random.default_rng(100 + seed)
    a, b = rng.uniform(size=25), rng.uniform(size=25)
    ours = bootstrap_mean_interval(a, confidence=0.9, n_resamples=1500, seed=seed)
    theirs = stats.bootstrap((a,), np.mean, confidence_level=0.9, n_resamples=1500,
                             method="percentile", rng=np.random.default_rng(seed))
    assert ours == pytest.approx(tuple(theirs.confidence_interval), abs=1e-12)
    difference, low, high = paired_bootstrap_difference(a, b, n_resamples=1500, seed=seed)
    theirs = stats.bootstrap((a, b), lambda x, y, axis=-1: np.mean(x - y, axis=axis),
                             paired=True, n_resamples=1500, method="percentile",
                             rng=np.random.default_rng(seed))
    assert difference == pytest.approx(a.mean() - b.mean(), abs=1e-12)
    assert (low, high) == pytest.approx(tuple(theirs.confidence_interval), abs=1e-12)


def test_bootstrap_is_deterministic_for_a_seed():
    values = np.random.default_rng(5).uniform(size=300)
    assert bootstrap_mean_interval(values, seed=7) == bootstrap_mean_interval(values, seed=7)
    assert bootstrap_mean_interval(values, seed=7) != bootstrap_mean_interval(values, seed=8)
    other = values[::-1].copy()
    assert paired_bootstrap_difference(values, other, seed=3) == \
        paired_bootstrap_difference(values, other, seed=3)


def test_bootstrap_chunking_keeps_determinism(monkeypatch):
    values = np.random.default_rng(6).uniform(size=500)
    whole = bootstrap_mean_interval(values, seed=1)
    monkeypatch.setattr(scoring, "BOOTSTRAP_CHUNK", 1000)  # two resamples per chunk
    chunked = bootstrap_mean_interval(values, seed=1)
    assert chunked == bootstrap_mean_interval(values, seed=1)
    assert chunked == pytest.approx(whole, abs=0.01)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 2), min_size=2, max_size=40), st.integers(0, 2**32 - 1))
def test_bootstrap_interval_contains_the_mean(values, seed):
    low, high = bootstrap_mean_interval(values, n_resamples=500, seed=seed)
    mean = np.mean(values)
    assert low - 1e-12 <= mean <= high + 1e-12


def test_bootstrap_interval_narrows_with_n():
    rng = np.random.default_rng(9)
    widths = []
    for n in (25, 100, 400, 1600):
        low, high = bootstrap_mean_interval(rng.uniform(size=n))
        widths.append(high - low)
    assert widths == sorted(widths, reverse=True)
    # roughly 1/sqrt(n): the sd of a uniform is 0.2887, so width ~ 2 * 1.96 * 0.2887 / sqrt(n)
    assert widths[-1] == pytest.approx(2 * 1.96 * 0.2887 / 40, rel=0.15)


def test_bootstrap_degenerate_inputs():
    assert all(math.isnan(x) for x in bootstrap_mean_interval([0.3]))
    assert all(math.isnan(x) for x in bootstrap_mean_interval([]))
    low, high = bootstrap_mean_interval([0.25] * 10)
    assert low == high == pytest.approx(0.25)
    with pytest.raises(ValueError):
        bootstrap_mean_interval([0.1, float("nan")])
    with pytest.raises(ValueError):
        bootstrap_mean_interval([0.1, 0.2], confidence=1.0)


def test_paired_difference_of_identical_arrays_is_zero_with_zero_width():
    values = np.random.default_rng(4).uniform(size=200)
    assert paired_bootstrap_difference(values, values.copy()) == (0.0, 0.0, 0.0)


def test_paired_difference_edge_cases():
    difference, low, high = paired_bootstrap_difference([0.1], [0.3])
    assert difference == pytest.approx(-0.2) and math.isnan(low) and math.isnan(high)
    assert all(math.isnan(x) for x in paired_bootstrap_difference([], []))
    with pytest.raises(ValueError):
        paired_bootstrap_difference([0.1, 0.2], [0.1])


def test_bootstrap_is_fast_at_100k_questions():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(size=100_000), rng.uniform(size=100_000)
    started = time.perf_counter()
    low, high = bootstrap_mean_interval(a)
    elapsed = time.perf_counter() - started
    assert low < a.mean() < high and high - low < 0.01
    assert elapsed < 30
    difference, low, high = paired_bootstrap_difference(a, b, n_resamples=200)
    assert low < difference < high


# --------------------------------------------------------------------------- time-averaged Brier


def day(n):
    return str(np.datetime64("2025-01-01") + n)


@pytest.fixture(scope="module")
def case5(cases):
    return cases["time_averaged_daily"]


SCHEDULE = {"A": {2: 0.6, 5: 0.8, 8: 0.9}, "B": {0: 0.5, 6: 0.3}}  # from the case description


def test_time_averaged_brier_matches_reference(case5):
    for who, updates in SCHEDULE.items():
        dates, probs = [day(d) for d in updates], list(updates.values())
        days, daily = daily_brier(dates, probs, 1, start=day(0), cutoff=day(10))
        expected = [v for v in case5["daily_two_sided_brier_0_2"][who] if v is not None]
        assert 2 * daily == pytest.approx(expected, abs=1e-12)
        assert str(days[0]) == day(10 - len(expected)) and len(days) == len(expected)
        carried = [v for v in case5["daily_forecast"][who] if v is not None]
        assert 2 * daily == pytest.approx(2 * (np.array(carried) - 1) ** 2, abs=1e-12)
        ours = time_averaged_brier(dates, probs, 1, start=day(0), cutoff=day(10))
        assert 2 * ours == pytest.approx(case5["gjopen_style_brier_mean_over_active_days"][who],
                                         abs=1e-12)
        # as a two-option multiple-choice question (yes = option 0): the same number
        two = np.column_stack([probs, 1 - np.array(probs)])
        assert time_averaged_brier(dates, two, 0, start=day(0), cutoff=day(10)) == \
            pytest.approx(ours, abs=1e-12)


def test_daily_brier_composes_into_the_reference_daily_median_comparison(case5):
    series = {}
    for who, updates in SCHEDULE.items():
        days, daily = daily_brier([day(d) for d in updates], list(updates.values()), 1,
                                  start=day(0), cutoff=day(10))
        series[who] = dict(zip((days - np.datetime64(day(0))).astype(int).tolist(), 2 * daily))
    median = [np.median([s[d] for s in series.values() if d in s]) for d in range(10)]
    assert median == pytest.approx(case5["daily_median_two_sided_brier"], abs=1e-12)
    for who, s in series.items():
        diffs = [s[d] - median[d] for d in s]
        expected = case5["relative_to_daily_median"][who]
        assert np.mean(diffs) == pytest.approx(expected["mean_diff_over_active_days"], abs=1e-12)
        assert np.sum(diffs) / 10 == pytest.approx(
            expected["participation_weighted_sum_over_all_days"], abs=1e-12)
        assert len(diffs) == expected["active_days"]


def test_time_averaged_brier_date_handling():
    # several forecasts on one day: the latest counts, and input order need not be sorted
    dates = ["2025-01-03T18:00", "2025-01-01", "2025-01-03T09:00"]
    days, daily = daily_brier(dates, [0.9, 0.5, 0.1], 1, cutoff="2025-01-05")
    assert [str(d) for d in days] == ["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"]
    assert daily == pytest.approx([0.25, 0.25, 0.01, 0.01])
    # datetime64 input, a forecast before start carried into it, forecasts after cutoff ignored
    dates = np.array(["2024-12-25", "2025-01-02", "2025-02-01"], dtype="datetime64[D]")
    days, daily = daily_brier(dates, [0.2, 0.4, 1.0], 0, start="2025-01-01", cutoff="2025-01-04")
    assert str(days[0]) == "2025-01-01" and daily == pytest.approx([0.04, 0.16, 0.16])
    # no forecast before cutoff: nothing scored
    assert math.isnan(time_averaged_brier(["2025-03-01"], [0.5], 1, cutoff="2025-02-01"))
    with pytest.raises(ValueError):
        time_averaged_brier(["2025-01-01"], [0.5], 2, cutoff="2025-02-01")
    with pytest.raises(ValueError):
        time_averaged_brier(["2025-01-01"], [[0.5, 0.5]], 2, cutoff="2025-02-01")
    with pytest.raises(ValueError):
        time_averaged_brier(["2025-01-01", "2025-01-02"], [0.5], 1, cutoff="2025-02-01")


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.integers(0, 40), st.floats(0, 1), min_size=1, max_size=8),
       st.integers(0, 1), st.integers(0, 45), st.one_of(st.none(), st.integers(0, 20)))
def test_time_averaged_brier_equals_a_day_by_day_loop(updates, outcome, cutoff, start):
    expected_days = []
    current = None
    for d in range(-5, cutoff):
        if d in updates:
            current = updates[d]
        if current is not None and (start is None or d >= start):
            expected_days.append((current - outcome) ** 2)
    ours = time_averaged_brier([day(d) for d in updates], list(updates.values()), outcome,
                               cutoff=day(cutoff), start=None if start is None else day(start))
    if expected_days:
        assert ours == pytest.approx(np.mean(expected_days), abs=1e-12)
    else:
        assert math.isnan(ours)


# Brier scores against scikit-learn and properscoring, and through the CLI ----------------

@pytest.mark.parametrize("seed", range(5))
def test_binary_brier_matches_sklearn_and_properscoring(seed):
    rng = np.random.default_rng(seed)
    p = rng.uniform(size=200)
    o = (rng.uniform(size=200) < p).astype(int)
    ours = brier_binary(p, o)
    assert ours.mean() == pytest.approx(brier_score_loss(o, p), abs=1e-12)
    assert ours == pytest.approx(properscoring.brier_score(o, p), abs=1e-12)


@pytest.mark.parametrize("name", ["binary_20", "all_outcomes_zero"])
def test_binary_brier_matches_reference_vectors(cases, name):
    case = cases[name]
    ours = brier_binary(case["forecasts"], case["outcomes"])
    assert ours == pytest.approx(case["brier"]["per_forecast"], abs=1e-12)
    assert ours.mean() == pytest.approx(case["brier"]["sklearn_brier_score_loss"], abs=1e-12)


def test_multiple_choice_brier_is_the_halved_brier_1950_sum(cases):
    case = cases["multiple_choice_3opt_10q"]
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


def test_mean_brier_by_forecaster_ranks_lowest_first():
    rows = [{"forecaster": "A", "kind": "binary", "p_ppm": 900000, "outcome": "no"},
            {"forecaster": "B", "kind": "binary", "p_ppm": 100000, "outcome": "no"},
            {"forecaster": "B", "kind": "multiple_choice", "option_ppm": [500000, 500000],
             "outcome_index": 0}]
    table = mean_brier_by_forecaster(rows)
    assert [r["forecaster"] for r in table] == ["B", "A"]
    assert table[0]["brier"] == pytest.approx((0.01 + 0.25) / 2)


def test_cli_score_matches_sklearn_on_reference_case(forecasts, cases, tmp_path):
    """The whole path: import the reference forecasts, score through the CLI."""
    case = cases["binary_20"]
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
