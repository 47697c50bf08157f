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

from .scoring import NORMAL_INTERVAL_FROM, _normal_quantile, order_within_groups

__all__ = ["auc", "grouped_auc", "grouped_auc_intervals", "right_side"]


def pair_order(p, groups):
    """The order of the pairs by group and then probability, which every AUC here starts from:
    worked out once, it can be passed to ``grouped_auc`` and ``grouped_auc_intervals``.

    >>> pair_order([0.9, 0.2, 0.4], [1, 1, 0]).tolist()
    [2, 1, 0]
    """
    g = np.asarray(groups, dtype=np.int64)
    return order_within_groups(np.asarray(p, dtype=float), g, int(g.max(initial=0)) + 1)


def _sorted_runs(p, outcomes, groups, order=None):
    """The pairs sorted by group and probability (by ``order``, from ``pair_order``, when
    given), with each pair's run of equal probabilities in its group: (group, outcome, run
    code, run count)."""
    p = np.asarray(p, dtype=float)
    o = np.asarray(outcomes, dtype=float)
    g = np.asarray(groups, dtype=np.int64)
    if order is None:
        order = pair_order(p, g)
    g, p, o = g[order], p[order], o[order]
    new_run = np.ones(p.size, dtype=bool)
    new_run[1:] = (g[1:] != g[:-1]) | (p[1:] != p[:-1])
    run = np.cumsum(new_run) - 1
    return g, o, run, int(new_run.sum())


def grouped_auc(p, outcomes, groups, n_groups, pairs_order=None):
    """The Mann-Whitney AUC of each group's (probability, outcome) pairs; NaN for a group
    without both outcomes. ``pairs_order``: the pairs' ``pair_order``, if already known.

    >>> grouped_auc([0.9, 0.1, 0.4, 0.6, 0.7], [1, 0, 1, 0, 1], [0, 0, 1, 1, 2], 3).tolist()
    [1.0, 0.0, nan]
    """
    g, o, run, n_runs = _sorted_runs(p, outcomes, groups, pairs_order)
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


def _grouped_delong(p, o, groups, n_groups, z, order=None):
    """DeLong, DeLong & Clarke-Pearson (1988) for every group at once: AUC -+ z * its standard
    error, clipped to [0, 1] (NaN for a group without both outcomes). A positive's component
    is its share of the group's negatives below it (ties half), a negative's its share of the
    positives above it; the variance of each, over its outcome, makes the standard error."""
    g, o, run, n_runs = _sorted_runs(p, o, groups, order)
    positives_in_run = np.bincount(run, weights=o, minlength=n_runs)
    negatives_in_run = np.bincount(run, weights=1 - o, minlength=n_runs)
    run_group = np.zeros(n_runs, dtype=np.int64)
    run_group[run] = g
    positives = np.bincount(run_group, weights=positives_in_run, minlength=n_groups)
    negatives = np.bincount(run_group, weights=negatives_in_run, minlength=n_groups)
    negatives_below = np.cumsum(negatives_in_run) - negatives_in_run - (
        np.cumsum(negatives) - negatives)[run_group]
    positives_below = np.cumsum(positives_in_run) - positives_in_run - (
        np.cumsum(positives) - positives)[run_group]
    with np.errstate(invalid="ignore", divide="ignore"):
        below = (negatives_below + 0.5 * negatives_in_run) / negatives[run_group]
        above = (positives[run_group] - positives_below - 0.5 * positives_in_run) / \
            positives[run_group]

        def mean_and_variance(values, weights, count):
            total = np.bincount(run_group, weights=values * weights, minlength=n_groups)
            squares = np.bincount(run_group, weights=values * values * weights, minlength=n_groups)
            return total / count, (squares - total * total / count) / (count - 1)

        area, below_variance = mean_and_variance(below, positives_in_run, positives)
        _, above_variance = mean_and_variance(above, negatives_in_run, negatives)
        half = z * np.sqrt(np.maximum(below_variance, 0) / positives
                           + np.maximum(above_variance, 0) / negatives)
    return np.maximum(0.0, area - half), np.minimum(1.0, area + half)


# Groups up to this size are bootstrapped together, as quadratic forms in the resample counts
# (a size-n group costs n * n per resample); a larger group is bootstrapped on its own, by runs
# of equal probabilities (n per resample).
BATCHED_UP_TO = 64
# Groups times resamples times size held at once in a batch: about 16 MB of float64.
BATCH_CELLS = 2_000_000


def _counts(picks, size):
    """How many times each position is drawn in each resample: (resamples, size)."""
    n_resamples = picks.shape[0]
    offset = picks + np.arange(n_resamples)[:, None] * size
    return np.bincount(offset.ravel(), minlength=n_resamples * size).reshape(n_resamples, size)


def _percentiles(areas, tail):
    """Each row's two percentile-bootstrap bounds over its finite values (NaN rows of fewer
    than two), with np.quantile's linear interpolation."""
    areas = np.sort(areas, axis=1)  # NaN last
    finite = np.isfinite(areas).sum(axis=1)
    bounds = []
    for q in (tail, 1 - tail):
        position = q * np.maximum(finite - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(finite - 1, 0))
        a = np.take_along_axis(areas, below[:, None], axis=1)[:, 0]
        b = np.take_along_axis(areas, above[:, None], axis=1)[:, 0]
        bound = a + (b - a) * (position - below)
        bounds.append(np.where(finite >= 2, bound, np.nan))
    return bounds


def _bootstrap_by_runs(p, o, times):
    """The AUC of each resample (``times``: counts per pair sorted by probability) of one group,
    by runs of equal probabilities; NaN for a resample with one outcome only."""
    starts = np.flatnonzero(np.concatenate([[True], p[1:] != p[:-1]]))
    positives = np.add.reduceat(times * o, starts, axis=1)
    negatives = np.add.reduceat(times * (1 - o), starts, axis=1)
    below = np.cumsum(negatives, axis=1) - negatives
    with np.errstate(invalid="ignore", divide="ignore"):
        return (positives * (below + 0.5 * negatives)).sum(axis=1) / (
            positives.sum(axis=1) * negatives.sum(axis=1))


def _pair_times(times):
    """Per resample, how many times each ordered pair of positions is drawn (the products of
    ``times``), flat: (resamples, size * size), as float32, which holds these counts and the
    sums below exactly (all are halves of integers under 2**23)."""
    t = times.astype(np.float32)
    return (t[:, :, None] * t[:, None, :]).reshape(t.shape[0], -1)


def _bootstrap_batch(p, o, times, pair_times):
    """The AUC of each resample of each of a batch of groups of one size: ``p`` and ``o`` are
    (groups, size), each row sorted by probability; ``times`` (resamples, size) are the counts
    of a resample, ``pair_times`` their ``_pair_times``. A resample's wins are t K t, K holding
    1 for a positive above a negative and 1/2 for a tie: one matrix product of ``pair_times``
    and the flattened K of every group, (groups, resamples)."""
    higher = p[:, :, None] > p[:, None, :]
    tied = p[:, :, None] == p[:, None, :]
    wins_matrix = (higher + 0.5 * tied) * (o[:, :, None] * (1 - o[:, None, :]))
    wins = (wins_matrix.reshape(p.shape[0], -1).astype(np.float32) @ pair_times.T).astype(float)
    t = times.astype(float)
    positives = o @ t.T
    with np.errstate(invalid="ignore", divide="ignore"):
        return wins / (positives * (p.shape[1] - positives))


def _bootstrap_intervals(p, o, members_of, tail, n_resamples, rng):
    """Percentile bootstrap intervals of the AUC of the groups ``members_of`` (group -> index
    array), resampling each group's pairs: one set of resample draws per group size, shared by
    the groups of that size, in order of size. Resamples with one outcome only have no AUC and
    are left out."""
    by_size = {}
    for group, members in members_of.items():
        by_size.setdefault(members.size, []).append(group)
    bounds = {}
    for size in sorted(by_size):
        times = _counts(rng.integers(0, size, (n_resamples, size)), size)
        groups = by_size[size]
        sorted_members = [members_of[g][np.argsort(p[members_of[g]], kind="stable")]
                          for g in groups]
        if size > BATCHED_UP_TO:
            areas = np.stack([_bootstrap_by_runs(p[m], o[m], times) for m in sorted_members])
        else:
            chunk = max(1, BATCH_CELLS // (n_resamples * size))
            index = np.stack(sorted_members)
            pair_times = _pair_times(times)
            areas = np.concatenate([_bootstrap_batch(p[index[i:i + chunk]], o[index[i:i + chunk]],
                                                     times, pair_times)
                                    for i in range(0, len(groups), chunk)])
        for group, low, high in zip(groups, *_percentiles(areas, tail)):
            bounds[group] = (float(low), float(high))
    return bounds


def grouped_auc_intervals(p, outcomes, groups, n_groups, confidence=0.95, n_resamples=1000,
                          seed=0, normal_from=NORMAL_INTERVAL_FROM, pairs_order=None):
    """95% intervals of each group's AUC: DeLong's when the group has at least ``normal_from``
    forecasts of each outcome, the percentile bootstrap otherwise; NaN without both outcomes.
    ``pairs_order``: the pairs' ``pair_order``, if already known.

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
    order = np.argsort(g, kind="stable")
    edges = np.searchsorted(g[order], np.arange(n_groups + 1))
    positives = np.bincount(g, weights=o, minlength=n_groups)
    negatives = np.bincount(g, minlength=n_groups) - positives
    large = (positives >= normal_from) & (negatives >= normal_from)
    if large.any():
        kept = large[g]
        kept_order = None
        if pairs_order is not None:  # the same order, among the kept pairs
            kept_order = (np.cumsum(kept) - 1)[pairs_order[kept[pairs_order]]]
        delong_low, delong_high = _grouped_delong(p[kept], o[kept], g[kept], n_groups, z,
                                                  kept_order)
        low[large], high[large] = delong_low[large], delong_high[large]
    small = {group: order[edges[group]:edges[group + 1]] for group in
             np.flatnonzero((positives > 0) & (negatives > 0) & ~large).tolist()}
    bounds = _bootstrap_intervals(p, o, small, tail, n_resamples, np.random.default_rng(seed))
    for group, (group_low, group_high) in bounds.items():
        low[group], high[group] = group_low, group_high
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
