"""Discrimination: whether a forecaster gives higher probabilities to what happens.

Pure functions over yes/no forecasts (probability, outcome 0/1), all groups at once:

- the area under the ROC curve, as the Mann-Whitney statistic: the chance that a forecast of
  something that happened is higher than one of something that did not, ties counting half;
- its 95% interval: the percentile bootstrap over forecasts for a group with fewer than 30
  forecasts on either side, DeLong's normal interval (to which that bootstrap converges) for
  larger ones, as ``scoring.grouped_mean_intervals`` does for mean scores;
- the share of forecasts on the right side of 50% (a forecast of exactly 50% counts half).

Example::

    >>> float(auc([0.9, 0.6, 0.6, 0.2], [1, 1, 0, 0]))
    0.875
    >>> right_side([0.9, 0.5, 0.3], [1, 1, 1]).tolist()
    [1.0, 0.5, 0.0]
"""

import numpy as np

from .scoring import NORMAL_INTERVAL_FROM, _normal_quantile, _row_quantiles

__all__ = ["auc", "grouped_auc", "grouped_auc_intervals", "right_side"]


def _sorted_runs(p, outcomes, groups):
    """The pairs sorted by group and probability, with each pair's run of equal probabilities
    in its group: (group, outcome, run code, run count)."""
    p = np.asarray(p, dtype=float)
    o = np.asarray(outcomes, dtype=float)
    g = np.asarray(groups, dtype=np.int64)
    order = np.lexsort((p, g))
    g, p, o = g[order], p[order], o[order]
    new_run = np.ones(p.size, dtype=bool)
    new_run[1:] = (g[1:] != g[:-1]) | (p[1:] != p[:-1])
    run = np.cumsum(new_run) - 1
    return g, o, run, int(new_run.sum())


def grouped_auc(p, outcomes, groups, n_groups):
    """The Mann-Whitney AUC of each group's (probability, outcome) pairs; NaN for a group
    without both outcomes.

    >>> grouped_auc([0.9, 0.1, 0.4, 0.6, 0.7], [1, 0, 1, 0, 1], [0, 0, 1, 1, 2], 3).tolist()
    [1.0, 0.0, nan]
    """
    g, o, run, n_runs = _sorted_runs(p, outcomes, groups)
    positives_in_run = np.bincount(run, weights=o, minlength=n_runs)
    negatives_in_run = np.bincount(run, weights=1 - o, minlength=n_runs)
    run_group = np.zeros(n_runs, dtype=np.int64)
    run_group[run] = g
    # negatives below each run within its group: a cumulative sum restarted at each group
    negatives_before = np.cumsum(negatives_in_run) - negatives_in_run
    group_negatives = np.bincount(run_group, weights=negatives_in_run, minlength=n_groups)
    group_start = np.cumsum(group_negatives) - group_negatives
    below = negatives_before - group_start[run_group]
    wins = positives_in_run * (below + 0.5 * negatives_in_run)
    positives = np.bincount(run_group, weights=positives_in_run, minlength=n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.bincount(run_group, weights=wins, minlength=n_groups) / (
            positives * group_negatives)


def auc(p, outcomes):
    """The Mann-Whitney AUC of one set of pairs (NaN without both outcomes)."""
    return grouped_auc(p, outcomes, np.zeros(np.size(p), dtype=np.int64), 1)[0]


def right_side(p, outcomes):
    """Per forecast: 1 if it was on the side of 50% that happened, 0.5 at exactly 50%, else 0."""
    p = np.asarray(p, dtype=float)
    happened = np.asarray(outcomes, dtype=float) == 1
    return np.where(p == 0.5, 0.5, ((p > 0.5) == happened).astype(float))


def _delong_interval(p, o, z):
    """DeLong, DeLong & Clarke-Pearson (1988): AUC -+ z * its standard error, clipped to [0, 1]."""
    positives, negatives = np.sort(p[o == 1]), np.sort(p[o == 0])
    # each positive's share of negatives below it (ties half), and each negative's of positives
    # above it
    below = (np.searchsorted(negatives, positives, "left")
             + np.searchsorted(negatives, positives, "right")) / (2 * negatives.size)
    above = 1 - (np.searchsorted(positives, negatives, "left")
                 + np.searchsorted(positives, negatives, "right")) / (2 * positives.size)
    area = below.mean()
    half = z * np.sqrt(below.var(ddof=1) / positives.size + above.var(ddof=1) / negatives.size)
    return max(0.0, area - half), min(1.0, area + half)


def _bootstrap_interval(p, o, tail, n_resamples, rng):
    """Percentile bootstrap of the AUC, resampling the pairs; resamples with one outcome only
    have no AUC and are left out."""
    order = np.argsort(p, kind="stable")
    p, o = p[order], o[order]
    size = p.size
    starts = np.flatnonzero(np.concatenate([[True], p[1:] != p[:-1]]))
    picks = rng.integers(0, size, (n_resamples, size))
    picks += np.arange(n_resamples)[:, None] * size
    times = np.bincount(picks.ravel(), minlength=n_resamples * size).reshape(n_resamples, size)
    positives = np.add.reduceat(times * o, starts, axis=1)
    negatives = np.add.reduceat(times * (1 - o), starts, axis=1)
    below = np.cumsum(negatives, axis=1) - negatives
    with np.errstate(invalid="ignore", divide="ignore"):
        areas = (positives * (below + 0.5 * negatives)).sum(axis=1) / (
            positives.sum(axis=1) * negatives.sum(axis=1))
    areas = areas[np.isfinite(areas)]
    if areas.size < 2:
        return np.nan, np.nan
    low, high = _row_quantiles(areas[None, :], (tail, 1 - tail))
    return float(low[0]), float(high[0])


def grouped_auc_intervals(p, outcomes, groups, n_groups, confidence=0.95, n_resamples=1000,
                          seed=0, normal_from=NORMAL_INTERVAL_FROM):
    """95% intervals of each group's AUC: DeLong's when the group has at least ``normal_from``
    forecasts of each outcome, the percentile bootstrap otherwise; NaN without both outcomes.

    >>> low, high = grouped_auc_intervals([0.9, 0.8, 0.3, 0.6, 0.2], [1, 1, 0, 1, 0],
    ...                                   [0, 0, 0, 0, 0], 1)
    >>> float(low[0]), float(high[0])
    (1.0, 1.0)
    """
    p = np.asarray(p, dtype=float)
    o = np.asarray(outcomes, dtype=float)
    g = np.asarray(groups, dtype=np.int64)
    low = np.full(n_groups, np.nan)
    high = np.full(n_groups, np.nan)
    tail = (1 - confidence) / 2
    z = _normal_quantile(1 - tail)
    rng = np.random.default_rng(seed)
    order = np.argsort(g, kind="stable")
    edges = np.searchsorted(g[order], np.arange(n_groups + 1))
    positives = np.bincount(g, weights=o, minlength=n_groups)
    negatives = np.bincount(g, minlength=n_groups) - positives
    for group in np.flatnonzero((positives > 0) & (negatives > 0)).tolist():
        members = order[edges[group]:edges[group + 1]]
        if min(positives[group], negatives[group]) >= normal_from:
            low[group], high[group] = _delong_interval(p[members], o[members], z)
        else:
            low[group], high[group] = _bootstrap_interval(p[members], o[members], tail,
                                                          n_resamples, rng)
    return low, high


def settled_days(pair_starts, right, made_day, cutoff_day):
    """Per (question, forecaster) pair: how many days before the cutoff its forecasts went to the
    right side of 50% for good, NaN when the last one is not on the right side.

    The forecasts come pair by pair, oldest first; ``pair_starts`` marks each pair's first,
    ``right`` whether each forecast is strictly on the right side.

    >>> settled_days([1, 0, 0, 1], [1, 0, 1, 0], [10, 20, 30, 10], [50, 50, 50, 40]).tolist()
    [20.0, nan]
    """
    starts = np.flatnonzero(np.asarray(pair_starts, dtype=bool))
    right = np.asarray(right, dtype=bool)
    made = np.asarray(made_day, dtype=float)
    cutoff = np.asarray(cutoff_day, dtype=float)
    if starts.size == 0:
        return np.empty(0)
    positions = np.arange(right.size)
    last_wrong = np.maximum.reduceat(np.where(right, -1, positions), starts)
    lasts = np.append(starts[1:], right.size) - 1
    settled_at = np.maximum(last_wrong + 1, starts)
    days = cutoff[lasts] - made[np.minimum(settled_at, lasts)]
    return np.where(right[lasts], days, np.nan)
