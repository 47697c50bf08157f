"""Calibration tables: bins centred on round numbers, observed frequencies and their intervals.

Every binary forecast, and every option of a multiple-choice forecast, is one
(probability, outcome) pair. Probabilities arrive as integer parts per million, so bin edges are
exact: a 70% forecast is always in the middle of the bin centred on 70%.

The Murphy (1973) decomposition of the Brier score is here too, with the two within-bin terms of
Stephenson, Coelho & Jolliffe (2008) folded into one ``residual`` so that the parts add up to the
Brier score exactly, whatever the binning.
"""

import numpy as np

from .ppm import PPM
from .scoring import distinct

Z_95 = 1.959963984540054  # two-sided 95% normal quantile, scipy.special.ndtri(0.975)
INTERVAL_METHODS = ("wilson", "jeffreys", "exact", "band")
BAND_COVERAGE = 0.90  # Metaculus draws the 5%-95% range


def bin_index(p_ppm, bins=11):
    """Bin of each probability when ``bins`` bins are centred on 0, 1/(bins-1), ..., 1.

    With the default 11 bins the centres are 0%, 10%, ..., 100%, and each bin runs 5 points
    either side of its centre. An edge belongs to the bin nearer 50%, so the bins are mirror
    images under folding: 5% is in the 10% bin and 95% in the 90% bin; 0% and 100% have bins of
    their own half-width.

    Examples
    --------
    >>> bin_index([0, 49999, 50000, 700000, 950000, 950001, 1000000]).tolist()
    [0, 0, 1, 7, 9, 10, 10]
    """
    p_ppm = np.asarray(p_ppm, dtype=np.int64)
    twice = 2 * p_ppm * (bins - 1)
    below_middle = twice < PPM * (bins - 1)
    return np.where(below_middle, (twice + PPM) // (2 * PPM), -((PPM - twice) // (2 * PPM)))


def wilson_interval(successes, n, z=Z_95):
    """Wilson score interval for a binomial proportion (Wilson 1927).

    .. math:: \\frac{k + z^2/2}{n + z^2} \\pm \\frac{z\\sqrt{k(n-k)/n + z^2/4}}{n + z^2}

    The low end is exactly 0 when ``successes == 0`` and the high end exactly 1 when
    ``successes == n`` (the formula gives these up to rounding).

    Examples
    --------
    >>> [round(float(x), 4) for x in wilson_interval(7, 10)]
    [0.3968, 0.8922]
    """
    successes = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        phat = successes / n
        denominator = 1 + z * z / n
        centre = (phat + z * z / (2 * n)) / denominator
        half = z * np.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denominator
    low = np.where((successes == 0) & (n > 0), 0.0, centre - half)
    high = np.where((successes == n) & (n > 0), 1.0, centre + half)
    return low[()], high[()]


def binomial_interval(successes, n, method="wilson", confidence=0.95):
    """Two-sided interval for a binomial proportion: ``successes`` events out of ``n``.

    Parameters
    ----------
    successes, n : array_like
        Event counts and trial counts; broadcast against each other. ``n == 0`` gives NaN.
    method : {"wilson", "jeffreys", "exact"}
        * ``"wilson"``: score interval (Wilson 1927), see :func:`wilson_interval`.
        * ``"jeffreys"``: equal-tailed quantiles of Beta(k + 1/2, n - k + 1/2), with
          low = 0 when k = 0 and high = 1 when k = n (Brown, Cai & DasGupta 2001).
        * ``"exact"``: Clopper & Pearson (1934),
          :math:`[B(\\alpha/2; k, n-k+1),\\ B(1-\\alpha/2; k+1, n-k)]`, with low = 0 when k = 0
          and high = 1 when k = n.
    confidence : float
        Coverage, strictly between 0 and 1 (:math:`\\alpha = 1 - \\text{confidence}`).

    Returns
    -------
    low, high : float or ndarray
        Same shape as the broadcast inputs.

    References
    ----------
    Brown, L. D., Cai, T. T. & DasGupta, A. (2001) "Interval estimation for a binomial
    proportion", *Statistical Science* 16:101-133.

    Examples
    --------
    >>> low, high = binomial_interval([0, 2, 3], 3, method="exact")
    >>> low.round(4).tolist(), high.round(4).tolist()
    ([0.0, 0.0943, 0.2924], [0.7076, 0.9916, 1.0])
    """
    _check_interval_method(method)
    if method == "band":
        raise ValueError("the band is where a calibrated forecaster's frequency would fall, "
                         "not an interval of the frequency: use calibration_band")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, not {confidence!r}")
    successes, n = np.broadcast_arrays(np.asarray(successes, dtype=float),
                                       np.asarray(n, dtype=float))
    if np.any(n < 0) or np.any(successes < 0) or np.any(successes > n):
        raise ValueError("successes must be between 0 and n")
    alpha = 1 - confidence
    if method == "wilson":
        if confidence == 0.95:
            z = Z_95
        else:
            from scipy.special import ndtri
            z = float(ndtri(1 - alpha / 2))
        return wilson_interval(successes, n, z)

    from scipy.stats import beta

    empty = n == 0
    failures = n - successes
    if method == "jeffreys":
        a_low, b_low = successes + 0.5, failures + 0.5
        a_high, b_high = a_low, b_low
    else:
        a_low, b_low = successes, failures + 1
        a_high, b_high = successes + 1, failures
    none, all_ = (successes == 0) & ~empty, (successes == n) & ~empty
    # Parameters of the Beta quantiles that the conventions replace are set to 1 (never used),
    # so that scipy sees no invalid shape.
    low = beta.ppf(alpha / 2, np.where(none | empty, 1, a_low), np.where(empty, 1, b_low))
    high = beta.ppf(1 - alpha / 2, np.where(empty, 1, a_high), np.where(all_ | empty, 1, b_high))
    low = np.where(empty, np.nan, np.where(none, 0.0, low))
    high = np.where(empty, np.nan, np.where(all_, 1.0, high))
    return low[()], high[()]


def calibration_band(n, mean_forecast, coverage=BAND_COVERAGE):
    """Where the observed frequency of ``n`` forecasts would fall, with probability
    ``coverage``, if they were perfectly calibrated: the 5% and 95% quantiles of
    Binomial(n, mean_forecast) / n (Metaculus' calibration band).

    Examples
    --------
    >>> [float(x) for x in calibration_band(10, 0.7)]
    [0.5, 0.9]
    """
    from scipy.stats import binom

    n, mean_forecast = np.broadcast_arrays(np.asarray(n, dtype=float),
                                           np.asarray(mean_forecast, dtype=float))
    tail = (1 - coverage) / 2
    with np.errstate(invalid="ignore", divide="ignore"):
        low = binom.ppf(tail, n, mean_forecast) / n
        high = binom.ppf(1 - tail, n, mean_forecast) / n
    empty = n == 0
    return np.where(empty, np.nan, low)[()], np.where(empty, np.nan, high)[()]


def _frequency_interval(events, n, mean_forecast, method):
    """The interval of each bin's row: of its observed frequency, or the band."""
    if method == "band":
        return calibration_band(n, mean_forecast)
    return binomial_interval(events, n, method=method)


def bin_summary(p, outcomes, bin_ids):
    """Count, events, mean forecast and observed frequency of each non-empty bin.

    Parameters
    ----------
    p : array_like of float
        Forecast probabilities in [0, 1].
    outcomes : array_like of {0, 1}
        Whether each forecast event happened.
    bin_ids : array_like
        Bin label of each forecast (any sortable labels, e.g. from :func:`bin_index`).

    Returns
    -------
    dict of ndarray
        ``bin`` (sorted labels), ``n``, ``events``, ``mean_forecast`` and ``observed``, one entry
        per label that occurs; ``group`` maps each forecast to its position in those arrays.

    Examples
    --------
    >>> s = bin_summary([0.7, 0.7, 0.1], [1, 0, 0], [7, 7, 1])
    >>> s["bin"].tolist(), s["n"].tolist(), s["observed"].tolist()
    ([1, 7], [1, 2], [0.0, 0.5])
    """
    p, outcomes = _check_pairs(p, outcomes)
    bin_ids = np.asarray(bin_ids)
    if bin_ids.shape != p.shape:
        raise ValueError("bin_ids must have one label per forecast")
    labels, group = np.unique(bin_ids, return_inverse=True)
    group = group.reshape(-1)
    n = np.bincount(group)
    events = np.bincount(group, weights=outcomes)
    return {"bin": labels, "n": n, "events": events,
            "mean_forecast": np.bincount(group, weights=p) / n, "observed": events / n,
            "group": group}


def calibration_table(p_ppm, outcomes, bins=11, interval="wilson"):
    """One row per non-empty bin: range, count, mean forecast, observed frequency, 95% interval.

    Parameters
    ----------
    p_ppm : array_like of int
        Forecast probabilities in parts per million.
    outcomes : array_like of {0, 1}
        Whether each forecast event happened.
    bins : int
        Number of bins, centred on 0, 1/(bins-1), ..., 1.
    interval : {"wilson", "jeffreys", "exact"}
        How the 95% interval of the observed frequency is computed (:func:`binomial_interval`).

    Examples
    --------
    >>> rows = calibration_table([700000, 700000, 100000], [1, 0, 0])
    >>> [(r["centre"], r["n"], r["observed"]) for r in rows]
    [(0.1, 1, 0.0), (0.7, 2, 0.5)]
    """
    _check_interval_method(interval)
    p_ppm, outcomes = _check_ppm_pairs(p_ppm, outcomes)
    if p_ppm.size == 0:
        return []
    summary = bin_summary(p_ppm / PPM, outcomes, bin_index(p_ppm, bins))
    low, high = _frequency_interval(summary["events"], summary["n"],
                                    summary["mean_forecast"], interval)
    width = 1 / (bins - 1)
    rows = []
    for i, b in enumerate(summary["bin"]):
        centre = b * width
        rows.append({
            "centre": round(float(centre), 6),
            "lo": round(max(0.0, centre - width / 2), 6),
            "hi": round(min(1.0, centre + width / 2), 6),
            "n": int(summary["n"][i]),
            "events": int(round(summary["events"][i])),
            "mean_forecast": float(summary["mean_forecast"][i]),
            "observed": float(summary["observed"][i]),
            "ci_low": float(low[i]),
            "ci_high": float(high[i]),
            "interval": interval,
        })
    return rows


def fold(p_ppm, outcomes):
    """Restate every forecast below 50% as a forecast of the opposite outcome.

    A pair (p, o) with p < 50% becomes (1 - p, 1 - o), the way Scott Alexander grades his yearly
    predictions ("converted 5% predictions into 95% predictions of the opposite"); pairs at 50% or
    more are unchanged. The Brier score is unchanged; binned reliability and resolution are not.

    Returns
    -------
    p_ppm, outcomes : ndarray of int64
        New arrays, the same length as the inputs.

    Examples
    --------
    >>> p, o = fold([50000, 500000, 700000], [0, 1, 1])
    >>> p.tolist(), o.tolist()
    ([950000, 500000, 700000], [1, 1, 1])
    """
    p_ppm, outcomes = _check_ppm_pairs(p_ppm, outcomes)
    below = p_ppm < PPM // 2
    return np.where(below, PPM - p_ppm, p_ppm), np.where(below, 1 - outcomes, outcomes)


def murphy_decomposition(p, outcomes, bin_ids):
    """Brier score split into reliability, resolution, uncertainty and a within-bin residual.

    With N forecasts :math:`f_i`, outcomes :math:`o_i`, base rate :math:`\\bar o`, and in bin k
    :math:`n_k` forecasts with mean :math:`\\bar f_k` and observed frequency :math:`\\bar o_k`:

    .. math::

        BS &= \\mathrm{REL} - \\mathrm{RES} + \\mathrm{UNC} + (\\mathrm{WBV} - \\mathrm{WBC}) \\\\
        \\mathrm{REL} &= \\tfrac1N \\textstyle\\sum_k n_k (\\bar f_k - \\bar o_k)^2, \\quad
        \\mathrm{RES} = \\tfrac1N \\sum_k n_k (\\bar o_k - \\bar o)^2, \\quad
        \\mathrm{UNC} = \\bar o (1 - \\bar o) \\\\
        \\mathrm{WBV} &= \\tfrac1N \\textstyle\\sum_i (f_i - \\bar f_{k(i)})^2, \\quad
        \\mathrm{WBC} = \\tfrac2N \\sum_i (f_i - \\bar f_{k(i)})(o_i - \\bar o_{k(i)})

    ``residual`` is WBV - WBC; it is 0 when every forecast in a bin is the same (Murphy's exact
    case), so the four parts always add up to ``brier``. Reliability uses the bin-mean forecast,
    not the bin midpoint.

    Parameters
    ----------
    p : array_like of float
        Forecast probabilities in [0, 1] (divide parts per million by 1e6).
    outcomes : array_like of {0, 1}
        Whether each forecast event happened.
    bin_ids : array_like
        Bin label of each forecast; any labels (e.g. from :func:`bin_index`).

    Returns
    -------
    dict
        ``brier``, ``reliability``, ``resolution``, ``uncertainty``, ``residual``, ``n``,
        ``base_rate``, ``within_bin_variance`` (WBV), ``within_bin_covariance`` (WBC), and
        Tetlock's (2005) names ``calibration_index`` (= reliability), ``discrimination_index``
        (= resolution) and ``normalised_discrimination`` (resolution / uncertainty; None when
        every outcome is the same).

    References
    ----------
    Murphy, A. H. (1973) "A new vector partition of the probability score", *J. Appl. Meteor.*
    12:595-600. Stephenson, D. B., Coelho, C. A. S. & Jolliffe, I. T. (2008) "Two extra
    components in the Brier score decomposition", *Weather and Forecasting* 23:752-757.
    Tetlock, P. E. (2005) *Expert Political Judgment*, Technical Appendix.

    Examples
    --------
    >>> d = murphy_decomposition([0.7, 0.7, 0.2, 0.1], [1, 0, 0, 0], [7, 7, 1, 1])
    >>> {k: round(d[k], 6) for k in ("brier", "reliability", "resolution", "residual")}
    {'brier': 0.1575, 'reliability': 0.03125, 'resolution': 0.0625, 'residual': 0.00125}
    >>> parts = d["reliability"] - d["resolution"] + d["uncertainty"] + d["residual"]
    >>> abs(parts - d["brier"]) < 1e-12
    True
    """
    p, outcomes = _check_pairs(p, outcomes)
    if p.size == 0:
        raise ValueError("the decomposition needs at least one forecast")
    summary = bin_summary(p, outcomes, bin_ids)
    n, group = summary["n"], summary["group"]
    count = p.size
    base_rate = float(outcomes.mean())
    brier = float(np.mean((p - outcomes) ** 2))
    reliability = float(np.sum(n * (summary["mean_forecast"] - summary["observed"]) ** 2) / count)
    resolution = float(np.sum(n * (summary["observed"] - base_rate) ** 2) / count)
    uncertainty = base_rate * (1 - base_rate)
    forecast_spread = p - summary["mean_forecast"][group]
    outcome_spread = outcomes - summary["observed"][group]
    within_bin_variance = float(np.mean(forecast_spread ** 2))
    within_bin_covariance = float(2 * np.mean(forecast_spread * outcome_spread))
    return {
        "brier": brier,
        "reliability": reliability,
        "resolution": resolution,
        "uncertainty": uncertainty,
        "residual": within_bin_variance - within_bin_covariance,
        "n": int(count),
        "base_rate": base_rate,
        "within_bin_variance": within_bin_variance,
        "within_bin_covariance": within_bin_covariance,
        "calibration_index": reliability,
        "discrimination_index": resolution,
        "normalised_discrimination": resolution / uncertainty if uncertainty > 0 else None,
    }


def decomposition_for_bins(p_ppm, outcomes, bins=11):
    """:func:`murphy_decomposition` with the bins of :func:`bin_index` (centred on round numbers).

    Examples
    --------
    >>> d = decomposition_for_bins([700000, 700000, 100000], [1, 0, 0])
    >>> d["n"], round(d["reliability"], 6), d["residual"]
    (3, 0.03, 0.0)
    """
    p_ppm, outcomes = _check_ppm_pairs(p_ppm, outcomes)
    return murphy_decomposition(p_ppm / PPM, outcomes, bin_index(p_ppm, bins))


def grouped_calibration(p_ppm, outcomes, groups, n_groups, bins=11, interval="wilson",
                        weights=None):
    """:func:`calibration_table` and :func:`decomposition_for_bins` of many groups at once.

    Parameters
    ----------
    p_ppm, outcomes : array_like
        The pairs of every group, each group's pairs together and in group order.
    groups : array_like of int
        Group code (0 .. n_groups-1) of each pair, non-decreasing.
    n_groups : int
        Number of groups; every group has at least one pair.
    weights : array_like of float, optional
        A weight per pair (``--weight time``: the share of the question's open life the forecast
        stood). Mean forecasts, observed frequencies and the decomposition are then weighted
        means; each bin's interval uses its effective size (sum w)^2 / sum w^2; ``n`` and
        ``events`` stay counts of pairs, and each row gains its ``weight`` (sum w).

    Returns
    -------
    (list, list)
        For each group, its calibration table (a list of bin rows) and its decomposition, equal
        to what the two functions give for the group's pairs alone.

    Examples
    --------
    >>> tables, parts = grouped_calibration([700000, 700000, 100000], [1, 0, 0], [0, 0, 1], 2)
    >>> [[(r["centre"], r["n"]) for r in t] for t in tables], [d["n"] for d in parts]
    ([[(0.7, 2)], [(0.1, 1)]], [2, 1])
    """
    _check_interval_method(interval)
    p_ppm, outcomes = _check_ppm_pairs(p_ppm, outcomes)
    groups = np.asarray(groups, dtype=np.int64)
    if groups.shape != p_ppm.shape or np.any(np.diff(groups) < 0):
        raise ValueError("groups must give one non-decreasing code per pair")
    if weights is not None:  # a forecast replaced the day it was made stood for no time
        weights = np.asarray(weights, dtype=float)
        stood = weights != 0
        p_ppm, outcomes, groups, weights = (x[stood] for x in (p_ppm, outcomes, groups, weights))
    p, o = _check_pairs(p_ppm / PPM, outcomes)
    cell = groups * bins + bin_index(p_ppm, bins)
    size = n_groups * bins
    n = np.bincount(cell, minlength=size)
    filled = np.flatnonzero(n)
    n = n[filled]
    events = np.bincount(cell, weights=o, minlength=size)[filled]
    if weights is None:
        w, mass = None, n
        mean_forecast = np.bincount(cell, weights=p, minlength=size)[filled] / n
        observed = events / n
        low, high = _frequency_interval(events, n, mean_forecast, interval)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != p.shape or np.any(~np.isfinite(w)) or np.any(w < 0):
            raise ValueError("weights must give one finite, non-negative weight per pair")
        mass = np.bincount(cell, weights=w, minlength=size)[filled]
        squares = np.bincount(cell, weights=w * w, minlength=size)[filled]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_forecast = np.bincount(cell, weights=w * p, minlength=size)[filled] / mass
            observed = np.bincount(cell, weights=w * o, minlength=size)[filled] / mass
            effective = np.where(squares > 0, mass * mass / squares, 0)
        seen = np.nan_to_num(observed) * effective
        if interval == "band":
            effective = np.round(effective)
        low, high = _frequency_interval(np.minimum(seen, effective), effective,
                                        np.nan_to_num(mean_forecast), interval)
    at = np.zeros(size, dtype=np.int64)
    at[filled] = np.arange(filled.size)
    at = at[cell]
    forecast_spread = p - mean_forecast[at]
    outcome_spread = o - observed[at]
    pair_edges = np.searchsorted(groups, np.arange(n_groups + 1))
    cell_edges = np.searchsorted(filled, np.arange(n_groups + 1) * bins)
    width = 1 / (bins - 1)
    edges = {}  # a bin's centre and ends, as calibration_table gives them
    for b in distinct(filled % bins):
        centre = b * width
        edges[int(b)] = (round(float(centre), 6), round(max(0.0, centre - width / 2), 6),
                         round(min(1.0, centre + width / 2), 6))
    cells = zip((filled % bins).tolist(), n.tolist(), events.tolist(), mean_forecast.tolist(),
                observed.tolist(),
                np.broadcast_to(low, n.shape).tolist(), np.broadcast_to(high, n.shape).tolist())
    rows = [{"centre": edges[b][0], "lo": edges[b][1], "hi": edges[b][2], "n": count,
             "events": int(round(happened)), "mean_forecast": mean, "observed": seen,
             "ci_low": lo, "ci_high": hi, "interval": interval}
            for b, count, happened, mean, seen, lo, hi in cells]
    if w is not None:
        for row, weight in zip(rows, mass.tolist()):
            row["weight"] = weight
    # each group's decomposition, from sums over its pairs and over its bins
    count = np.diff(pair_edges).astype(float)
    cell_group = filled // bins
    total = count if w is None else np.bincount(groups, weights=w, minlength=n_groups)

    def per_group(values, codes=groups):
        if w is not None and codes is groups:
            values = values * w
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(codes, weights=values, minlength=n_groups) / total

    base_rate = per_group(o)
    brier = per_group((p - o) ** 2)
    reliability = per_group(mass * (mean_forecast - observed) ** 2, cell_group)
    resolution = per_group(mass * (observed - base_rate[cell_group]) ** 2, cell_group)
    uncertainty = base_rate * (1 - base_rate)
    within_bin_variance = per_group(forecast_spread ** 2)
    within_bin_covariance = 2 * per_group(forecast_spread * outcome_spread)
    tables = [rows[first:last] for first, last in zip(cell_edges[:-1].tolist(),
                                                       cell_edges[1:].tolist())]
    parts = [{
        "brier": brier_,
        "reliability": reliability_,
        "resolution": resolution_,
        "uncertainty": uncertainty_,
        "residual": variance - covariance,
        "n": int(count_),
        "base_rate": base_rate_,
        "within_bin_variance": variance,
        "within_bin_covariance": covariance,
        "calibration_index": reliability_,
        "discrimination_index": resolution_,
        "normalised_discrimination": resolution_ / uncertainty_ if uncertainty_ > 0 else None,
    } for brier_, reliability_, resolution_, uncertainty_, variance, covariance, count_, base_rate_
        in zip(brier.tolist(), reliability.tolist(), resolution.tolist(), uncertainty.tolist(),
               within_bin_variance.tolist(), within_bin_covariance.tolist(), count.tolist(),
               base_rate.tolist())]
    return tables, parts


def _check_interval_method(method):
    if method not in INTERVAL_METHODS:
        raise ValueError(f"unknown interval method {method!r}: use 'wilson', 'jeffreys', "
                         "'exact' or 'band'")


def _check_pairs(p, outcomes):
    p = np.asarray(p, dtype=float)
    outcomes = np.asarray(outcomes, dtype=float)
    if p.ndim != 1 or p.shape != outcomes.shape:
        raise ValueError("forecasts and outcomes must be 1-D arrays of the same length")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("forecasts must not be outside of the unit interval [0, 1]")
    if np.any((outcomes != 0) & (outcomes != 1)):
        raise ValueError("outcomes must be 0 or 1")
    return p, outcomes


def _check_ppm_pairs(p_ppm, outcomes):
    p_ppm = np.asarray(p_ppm)
    outcomes = np.asarray(outcomes)
    if p_ppm.ndim != 1 or p_ppm.shape != outcomes.shape:
        raise ValueError("forecasts and outcomes must be 1-D arrays of the same length")
    if np.any((p_ppm < 0) | (p_ppm > PPM)) or np.any(p_ppm != np.round(p_ppm)):
        raise ValueError("forecasts must be whole parts per million between 0 and 1,000,000")
    if np.any((outcomes != 0) & (outcomes != 1)):
        raise ValueError("outcomes must be 0 or 1")
    return p_ppm.astype(np.int64), outcomes.astype(np.int64)
