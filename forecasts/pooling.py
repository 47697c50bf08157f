"""Pooling several forecasters' probabilities into one: pure numpy functions, no database.

Each function takes the forecasts of one question as a 2-D array, one row per forecaster and one
column per option (a yes/no question has one column: the probability of yes), and returns the
pooled probabilities, one per column. Multiple-choice pools are taken option by option and then
renormalised to sum to 1; a yes/no pool is the pool of the yes column.

- ``median``: the median of each column (the mean of the two middle values for an even count),
  the pool ForecastBench's "Superforecaster median forecast" uses.
- ``mean``: the arithmetic mean (a linear opinion pool).
- ``geometric-mean-odds``: the geometric mean of the odds, ``p / (1 - p)``, turned back into a
  probability: the mean of the log-odds.
- ``extremized``: the geometric mean of the odds raised to the power ``alpha`` (Satopää et al.
  2014's logit model with equal weights; alpha above 1 pushes the pool away from 50%, which
  corrects for forecasters who each hold part of the evidence).

The log-odds pools clip every probability to ``[ODDS_CLIP, 1 - ODDS_CLIP]`` first, so a single 0%
or 100% does not force the pool to 0 or 1.

Example::

    >>> pool([[0.6], [0.7], [0.9]], "median").tolist()
    [0.7]
    >>> round(float(pool([[0.2], [0.8]], "geometric-mean-odds")[0]), 6)
    0.5
    >>> [round(x, 4) for x in pool([[0.5, 0.3, 0.2], [0.7, 0.2, 0.1]], "mean").tolist()]
    [0.6, 0.25, 0.15]

References: Satopää, V. A., Baron, J., Foster, D. P., Mellers, B. A., Tetlock, P. E. and Ungar,
L. H. (2014). Combining multiple probability predictions using a simple logit model.
International Journal of Forecasting 30(2), 344-356.
"""

import numpy as np

METHODS = ("median", "mean", "geometric-mean-odds", "extremized")
DEFAULT_ALPHA = 2.5
#: Probabilities are clipped to [ODDS_CLIP, 1 - ODDS_CLIP] before taking odds.
ODDS_CLIP = 0.001

__all__ = ["METHODS", "DEFAULT_ALPHA", "ODDS_CLIP", "pool", "describe"]


def _log_odds(p):
    p = np.clip(p, ODDS_CLIP, 1 - ODDS_CLIP)
    return np.log(p) - np.log1p(-p)


def _from_log_odds(x):
    return 1 / (1 + np.exp(-x))


def pool(probabilities, method="median", alpha=DEFAULT_ALPHA):
    """The pooled forecast of ``probabilities`` (forecasters x options) by ``method``.

    Parameters
    ----------
    probabilities : array_like, shape (n, k)
        One row per forecaster. ``k == 1``: the probability of yes of a yes/no question;
        ``k >= 2``: the probability of each option of a multiple-choice question.
    method : one of METHODS
    alpha : float
        The extremizing power, for ``extremized`` only (1 gives the geometric mean of odds).

    Returns
    -------
    numpy.ndarray, shape (k,)
        The pooled probabilities; for ``k >= 2`` they sum to 1.

    Raises
    ------
    ValueError
        On an unknown method, no forecasts, or probabilities outside [0, 1].

    Examples
    --------
    >>> round(float(pool([[0.6], [0.8]], "extremized", alpha=2)[0]), 4)
    0.8571
    """
    p = np.asarray(probabilities, dtype=float)
    if p.ndim == 1:
        p = p[:, None]
    if method not in METHODS:
        raise ValueError(f"unknown pooling method {method!r}: use one of {', '.join(METHODS)}")
    if p.ndim != 2 or p.shape[0] == 0 or p.shape[1] == 0:
        raise ValueError("pool needs at least one forecast")
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("probabilities must be in [0, 1] (and not NaN)")
    if not alpha > 0:
        raise ValueError(f"alpha must be positive, not {alpha!r}")
    if method == "median":
        pooled = np.median(p, axis=0)
    elif method == "mean":
        pooled = p.mean(axis=0)
    else:
        power = alpha if method == "extremized" else 1.0
        pooled = _from_log_odds(power * _log_odds(p).mean(axis=0))
    if p.shape[1] > 1:
        total = pooled.sum()
        pooled = pooled / total if total > 0 else np.full(p.shape[1], 1 / p.shape[1])
    return pooled


def describe(method, alpha=DEFAULT_ALPHA):
    """A short description of a pooling method, for an aggregate's record.

    >>> describe("extremized", 2.5)
    'extremized: geometric mean of the odds to the power 2.5'
    """
    return {"median": "median", "mean": "mean",
            "geometric-mean-odds": "geometric mean of the odds",
            "extremized": f"extremized: geometric mean of the odds to the power {alpha:g}"}[method]
