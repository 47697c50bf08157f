"""Difficulty-adjusted Brier scores: a fair comparison of forecasters who answered different
questions (ForecastBench's method).

Each scored forecast's Brier score is fitted, by least squares, as a forecaster effect plus a
question effect (two-way fixed effects). A forecaster's effect says how much better or worse
than others they did on the same questions, however hard those were. It is re-centred so that
always forecasting 50% (uniform over the options) scores 0.25: the adjusted Brier is the effect
minus the effect such a forecaster would have had on the same questions, plus 0.25. The Brier
Index is 100 * (1 - sqrt(adjusted Brier)): 100 is perfect, always 50% scores 50.

Effects are identified within a connected set of forecasters and questions (linked by who
answered what); each such set is re-centred on its own questions. Intervals: 95% percentile
bootstrap over questions, refitting each resample.

Example::

    >>> fit = fixed_effects([0, 1, 0, 1], [0, 0, 1, 1], [0.01, 0.09, 0.25, 0.49], 2, 2)
    >>> [round(float(x), 2) for x in fit.forecaster - fit.forecaster[0]]
    [0.0, 0.16]
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["Fit", "fixed_effects", "adjusted_briers", "brier_index"]


@dataclass(frozen=True)
class Fit:
    """Least-squares effects: ``forecaster`` and ``question`` (NaN for those without data),
    and each forecaster's and question's connected ``component``."""

    forecaster: np.ndarray
    question: np.ndarray
    forecaster_component: np.ndarray
    question_component: np.ndarray


def fixed_effects(forecasters, questions, briers, n_forecasters, n_questions, weights=None):
    """Fit ``brier = forecaster effect + question effect`` by (weighted) least squares.

    ``forecasters`` and ``questions`` are codes (0 .. n - 1) of each scored forecast. The
    question effects are eliminated, leaving a forecasters-by-forecasters system; in each
    connected component one forecaster's effect is fixed at 0 (the fit is unique only up to a
    constant per component).
    """
    from scipy import sparse
    from scipy.sparse import csgraph
    from scipy.sparse.linalg import spsolve

    f = np.asarray(forecasters, dtype=np.int64)
    q = np.asarray(questions, dtype=np.int64)
    b = np.asarray(briers, dtype=float)
    w = np.ones(b.size) if weights is None else np.asarray(weights, dtype=float)
    kept = w > 0
    f, q, b, w = f[kept], q[kept], b[kept], w[kept]
    incidence = sparse.csr_matrix((w, (f, q)), shape=(n_forecasters, n_questions))
    per_forecaster = np.asarray(incidence.sum(axis=1)).ravel()
    per_question = np.asarray(incidence.sum(axis=0)).ravel()
    forecaster_sums = np.bincount(f, weights=w * b, minlength=n_forecasters)
    question_sums = np.bincount(q, weights=w * b, minlength=n_questions)
    with np.errstate(invalid="ignore", divide="ignore"):
        inverse_count = np.where(per_question > 0, 1 / per_question, 0)
    scaled = incidence @ sparse.diags(inverse_count)
    system = (sparse.diags(per_forecaster) - scaled @ incidence.T).tocsr()
    target = forecaster_sums - scaled @ question_sums
    graph = sparse.bmat([[None, incidence], [incidence.T, None]]).tocsr()
    _, labels = csgraph.connected_components(graph, directed=False)
    forecaster_component = labels[:n_forecasters]
    question_component = labels[n_forecasters:]
    present = per_forecaster > 0
    # the first forecaster of each component is its reference
    _, reference = np.unique(np.where(present, forecaster_component, -1), return_index=True)
    free = present.copy()
    free[reference] = False
    effects = np.where(present, 0.0, np.nan)
    if free.any():
        chosen = np.flatnonzero(free)
        reduced = system[chosen][:, chosen].tocsc()
        solved = spsolve(reduced, target[chosen])
        effects[chosen] = np.atleast_1d(solved)
    answered = incidence.T @ np.nan_to_num(effects)
    with np.errstate(invalid="ignore", divide="ignore"):
        question_effects = np.where(per_question > 0,
                                    (question_sums - answered) / per_question, np.nan)
    return Fit(effects, question_effects, forecaster_component, question_component)


def _recentred(fit, chimp_by_question, weights_by_question):
    """Each forecaster's effect re-centred so that always 50% (uniform) scores 0.25."""
    answered = np.isfinite(fit.question)
    component = fit.question_component[answered]
    w = weights_by_question[answered]
    size = int(max(fit.question_component.max(initial=0),
                   fit.forecaster_component.max(initial=0))) + 1
    total = np.bincount(component, weights=w, minlength=size)
    # the effect always-50% would have: its mean Brier minus the questions' effects
    chimp_effect = np.bincount(component, weights=w * (chimp_by_question[answered]
                                                       - fit.question[answered]),
                               minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        chimp_effect = chimp_effect / total
    return fit.forecaster - chimp_effect[fit.forecaster_component] + 0.25


def brier_index(adjusted):
    """100 * (1 - sqrt(adjusted Brier)), NaN for a negative score.

    >>> float(brier_index(0.25)), float(brier_index(0.04))
    (50.0, 80.0)
    """
    adjusted = np.asarray(adjusted, dtype=float)
    with np.errstate(invalid="ignore"):
        return (100 * (1 - np.sqrt(adjusted)))[()]


def adjusted_briers(forecasters, questions, briers, chimp, n_forecasters, confidence=0.95,
                    n_resamples=500, seed=0):
    """Adjusted Brier of each forecaster with its bootstrap interval over questions.

    ``questions`` are any integer ids, ``chimp`` each forecast's Brier score of always 50%
    (uniform over its question's options; 0.25 for yes/no on the 0-1 scale). Returns
    (adjusted, low, high), one per forecaster code.
    """
    f = np.asarray(forecasters, dtype=np.int64)
    ids, q = np.unique(np.asarray(questions, dtype=np.int64), return_inverse=True)
    q = q.reshape(-1)
    b = np.asarray(briers, dtype=float)
    chimp_by_question = np.zeros(ids.size)
    chimp_by_question[q] = np.asarray(chimp, dtype=float)
    fit = fixed_effects(f, q, b, n_forecasters, ids.size)
    adjusted = _recentred(fit, chimp_by_question, np.ones(ids.size))
    low = np.full(n_forecasters, np.nan)
    high = np.full(n_forecasters, np.nan)
    if ids.size < 2 or n_resamples < 2:
        return adjusted, low, high
    rng = np.random.default_rng(seed)
    draws = np.empty((n_resamples, n_forecasters))
    for at in range(n_resamples):
        times = np.bincount(rng.integers(0, ids.size, ids.size), minlength=ids.size)
        refit = fixed_effects(f, q, b, n_forecasters, ids.size, weights=times[q].astype(float))
        draws[at] = _recentred(refit, chimp_by_question, times.astype(float))
    tail = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):
        enough = np.isfinite(draws).sum(axis=0) >= 2
    if enough.any():
        bounds = np.nanquantile(draws[:, enough], (tail, 1 - tail), axis=0)
        low[enough], high[enough] = bounds
    return adjusted, low, high
