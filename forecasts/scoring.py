"""Proper scoring rules as pure numpy functions: no database, no click.

Conventions (DESIGN.md, SCORING.md): Brier on the 0-1 scale; a multiple-choice forecast scores the
Brier (1950) sum over its options halved, which equals the binary score for two options. The 0-2
scale of Brier (1950) and Good Judgment Open is exactly twice these numbers: a caller multiplies.
Log scores are natural logs of the probability given to what happened, positively oriented (0 is
best), with probabilities clipped to ``[LOG_CLIP, 1 - LOG_CLIP]``.

Relative scores take a long table as parallel arrays (one score per question and forecaster);
intervals bootstrap over questions; ``time_averaged_brier`` scores Good Judgment-style daily
carried-forward forecasts. scipy is not needed here: everything is numpy.

Size: every proper scoring rule and interval with its doctest examples; the functions are
short, pure and independent of one another.
"""

import numpy as np

from .ppm import PPM

#: Log scores clip probabilities to [LOG_CLIP, 1 - LOG_CLIP] before taking the log. SCORING.md asks
#: for an explicit, documented epsilon but recommends no value. 0.01 leaves the default phrase scale
#: (0.01-0.98) and the ICD 203, NATO and PHIA scales untouched (only IPCC's 0.005/0.995 and Kent's
#: 0/1 are clipped) and caps the cost of a wrong "certain" forecast (or of an unlisted
#: multiple-choice option, stored as 0) at ln 0.01 = -4.61, about 6.6 coin flips (ln 0.5 = -0.69),
#: so one slip cannot swamp a forecaster's mean the way scikit-learn's machine-epsilon clip (-36.04)
#: or scoringrules' unclipped -inf does. The price: beyond 99 % the rule stops rewarding extra
#: confidence, so it stays proper but not strictly proper there.
LOG_CLIP = 0.01

#: Resampled values held in memory at once by the bootstrap (chunks of whole resamples).
BOOTSTRAP_CHUNK = 1 << 22


def brier_binary(p, outcome):
    """Brier score of binary forecasts, elementwise: ``(p - o)**2``.

    Parameters
    ----------
    p : array_like
        Forecast probabilities of the event, in [0, 1].
    outcome : array_like
        1 where the event happened, 0 where it did not.

    Returns
    -------
    numpy.ndarray
        One score per forecast, in [0, 1]; 0 is perfect, a constant 0.5 scores 0.25.

    References
    ----------
    Brier, G. W. (1950). Verification of forecasts expressed in terms of probability.
    Monthly Weather Review 78(1), 1-3.

    Examples
    --------
    >>> brier_binary([0.7, 0.2], [1, 0]).round(4).tolist()
    [0.09, 0.04]
    """
    p = np.asarray(p, dtype=float)
    return (p - np.asarray(outcome, dtype=float)) ** 2


def brier_multiple_choice(probs, outcome_index):
    """Halved Brier (1950) score of one multiple-choice forecast: ``0.5 * sum_k (f_k - o_k)**2``.

    Parameters
    ----------
    probs : array_like
        Probability of each option, summing to 1.
    outcome_index : int
        Position of the option that happened.

    Returns
    -------
    float
        In [0, 1]; with two options it equals the binary Brier score of the first option.

    Examples
    --------
    >>> brier_multiple_choice([0.25, 0.5, 0.25], 1)
    0.1875
    """
    probs = np.asarray(probs, dtype=float)
    onehot = np.zeros_like(probs)
    onehot[outcome_index] = 1.0
    return float(0.5 * np.sum((probs - onehot) ** 2))


def question_briers(rows):
    """Brier score of each scored forecast row from ``Store.scored_forecasts``.

    Binary rows give ``p_ppm`` and ``outcome`` ('yes' or 'no'); multiple-choice rows give
    ``option_ppm`` and ``outcome_index``.

    Examples
    --------
    >>> question_briers([{"kind": "binary", "p_ppm": 700000, "outcome": "yes"}]).round(4).tolist()
    [0.09]
    """
    scores = np.empty(len(rows))
    binary = [i for i, r in enumerate(rows) if r["kind"] == "binary"]
    if binary:
        p = np.array([rows[i]["p_ppm"] for i in binary], dtype=float) / PPM
        o = np.array([rows[i]["outcome"] == "yes" for i in binary], dtype=float)
        scores[binary] = brier_binary(p, o)
    for i, row in enumerate(rows):
        if row["kind"] != "binary":
            probs = np.asarray(row["option_ppm"], dtype=float) / PPM
            scores[i] = brier_multiple_choice(probs, row["outcome_index"])
    return scores


def mean_brier_by_forecaster(rows):
    """Questions scored and mean Brier per forecaster, best (lowest) first.

    Examples
    --------
    >>> rows = [{"forecaster": "A", "kind": "binary", "p_ppm": 750000, "outcome": "yes"},
    ...         {"forecaster": "A", "kind": "binary", "p_ppm": 250000, "outcome": "no"}]
    >>> mean_brier_by_forecaster(rows)
    [{'forecaster': 'A', 'questions': 2, 'brier': 0.0625}]
    """
    scores = question_briers(rows)
    names = np.array([r["forecaster"] for r in rows], dtype=object)
    table = []
    for name in dict.fromkeys(names):
        mine = scores[names == name]
        table.append({"forecaster": name, "questions": int(mine.size),
                      "brier": float(np.mean(mine))})
    table.sort(key=lambda r: (r["brier"], -r["questions"], r["forecaster"]))
    return table


# --------------------------------------------------------------------------- log score


def prob_of_outcome(p, outcome):
    """Probability a binary forecast gave to what happened: ``p`` if it happened, else ``1 - p``.

    Parameters
    ----------
    p : array_like
        Forecast probabilities of the event, in [0, 1].
    outcome : array_like
        1 (or True) where the event happened, 0 where it did not.

    Returns
    -------
    numpy.ndarray
        ``p_of_outcome = o * p + (1 - o) * (1 - p)``, elementwise; feed it to `log_score`.

    Examples
    --------
    >>> prob_of_outcome([0.7, 0.2], [1, 0]).round(4).tolist()
    [0.7, 0.8]
    """
    p = np.asarray(p, dtype=float)
    o = np.asarray(outcome, dtype=float)
    return np.where(o == 1, p, 1 - p)


def log_score(p_of_outcome, clip=LOG_CLIP):
    """Log score, elementwise: ``ln(clip(p, clip, 1 - clip))`` of the probability of what happened.

    Positively oriented: 0 is best (certainty on what happened), every score is <= 0, a 50 % binary
    forecast scores ln 0.5 = -0.693. For a binary forecast ``p_of_outcome`` is ``p`` if the event
    happened and ``1 - p`` if not (`prob_of_outcome`); for multiple choice it is the probability of
    the option that happened.

    Parameters
    ----------
    p_of_outcome : array_like
        Probabilities given to the outcome that happened, in [0, 1].
    clip : float, default LOG_CLIP (0.01)
        Probabilities are clipped to ``[clip, 1 - clip]`` first, so a wrong certain forecast costs
        ``ln(clip)`` rather than minus infinity. ``clip=0`` gives the unclipped Good (1952) score
        (``-inf`` for a probability of 0), the convention of scoringrules.

    Returns
    -------
    numpy.ndarray
        One score per forecast, in ``[ln(clip), ln(1 - clip)]``.

    Raises
    ------
    ValueError
        If a probability is outside [0, 1] or NaN, or ``clip`` is outside [0, 0.5).

    Notes
    -----
    ``LS = ln p_outcome``. The loss form used by ``sklearn.metrics.log_loss`` (mean over forecasts,
    clipped at machine epsilon) and ``scoringrules.log_score`` (unclipped) is ``-LS``. Metaculus
    rescales: its baseline score is ``100 * ln(K * p) / ln(K)`` for K options.

    References
    ----------
    Good, I. J. (1952). Rational decisions. J. Royal Statistical Society B 14(1), 107-114.

    Examples
    --------
    >>> log_score([1.0, 0.5, 0.0]).round(4).tolist()
    [-0.0101, -0.6931, -4.6052]
    >>> log_score([1.0, 0.5], clip=0).round(4).tolist()
    [0.0, -0.6931]
    """
    if not 0 <= clip < 0.5:
        raise ValueError(f"clip must be in [0, 0.5), got {clip!r}")
    p = np.asarray(p_of_outcome, dtype=float)
    if not np.all((p >= 0) & (p <= 1)):
        raise ValueError("probabilities must be in [0, 1] (and not NaN)")
    with np.errstate(divide="ignore"):
        return np.log(np.clip(p, clip, 1 - clip))


# --------------------------------------------------------------------------- references and skill


def chimp_brier(n_options):
    """Brier score of the uniform ("dart-throwing chimp") forecast on our 0-1 scale.

    Parameters
    ----------
    n_options : int or array_like of int
        Number of options K >= 2 (2 for a binary question).

    Returns
    -------
    float or numpy.ndarray
        ``0.5 * (1 - 1/K)``: 0.25 for a binary question, 1/3 for three options. It is the halved
        Brier (1950) sum of forecasting 1/K on every option, whichever option happens.

    Raises
    ------
    ValueError
        If K is below 2.

    Notes
    -----
    ``0.5 * [(1 - 1/K)**2 + (K - 1) / K**2] = 0.5 * (1 - 1/K)``. Twice it on the 0-2 scale.

    References
    ----------
    Brier, G. W. (1950). Monthly Weather Review 78(1), 1-3. Tetlock, P. E. (2005). Expert Political
    Judgment (the "dart-throwing chimpanzee" baseline).

    Examples
    --------
    >>> chimp_brier(2)
    0.25
    >>> round(chimp_brier(3), 6)
    0.333333
    """
    k = np.asarray(n_options)
    if not np.all(k >= 2):
        raise ValueError(f"a question needs at least 2 options, got {n_options!r}")
    out = 0.5 * (1 - 1 / k.astype(float))
    return float(out) if out.ndim == 0 else out


def brier_skill(brier, reference):
    """Brier skill score ``1 - brier / reference``: 1 is perfect, 0 no better than the reference.

    Parameters
    ----------
    brier : float or array_like
        Mean Brier score of the forecaster (same scale as ``reference``).
    reference : float or array_like
        Mean Brier score of the reference forecast, e.g. `chimp_brier` or `base_rate_brier`.

    Returns
    -------
    float or numpy.ndarray
        The skill; NaN (never -inf, and without a warning) where either input is None or NaN or the
        reference is not positive, e.g. the base-rate reference of a sample whose outcomes are all
        equal.

    Notes
    -----
    ``BSS = 1 - BS / BS_ref``. R ``verification::brier`` returns ``-Inf`` when ``BS_ref = 0``;
    we return NaN: the skill is undefined, not infinitely bad.

    References
    ----------
    Murphy, A. H. (1973). A new vector partition of the probability score. J. Appl. Meteor. 12,
    595-600. SCORING.md section 1.4.

    Examples
    --------
    >>> brier_skill(0.125, chimp_brier(2))
    0.5
    >>> brier_skill(0.1, 0.0)
    nan
    """
    def as_float(x):
        return np.asarray(np.nan if x is None else x, dtype=float)

    b, r = as_float(brier), as_float(reference)
    ok = r > 0
    out = np.where(ok, 1 - b / np.where(ok, r, 1.0), np.nan)
    return float(out) if out.ndim == 0 else out


def base_rate_brier(outcomes):
    """Brier score of always forecasting the sample base rate ō of binary outcomes: ``ō(1 - ō)``.

    Parameters
    ----------
    outcomes : array_like
        1 (or True) where the event happened, 0 where it did not; at least one.

    Returns
    -------
    float
        The climatological reference of the Brier skill score, equal to the uncertainty term of
        the Murphy (1973) decomposition; 0 when every outcome is the same.

    Raises
    ------
    ValueError
        If ``outcomes`` is empty or holds values other than 0 and 1.

    References
    ----------
    Murphy, A. H. (1973). J. Appl. Meteor. 12, 595-600.

    Examples
    --------
    >>> base_rate_brier([1, 0, 0, 0])
    0.1875
    """
    o = np.asarray(outcomes, dtype=float).ravel()
    if o.size == 0:
        raise ValueError("no outcomes")
    if not np.all((o == 0) | (o == 1)):
        raise ValueError("outcomes must be 0 or 1")
    rate = o.mean()
    return float(rate * (1 - rate))


# --------------------------------------------------------------------------- relative scores


def _group_codes(question_ids, n, forecaster_ids=None):
    """Dense integer code per row for any hashable ids, and the number of groups."""
    if isinstance(question_ids, np.ndarray) and question_ids.dtype.kind in "iu":
        if question_ids.shape != (n,):
            raise ValueError(f"{question_ids.size} question ids for {n} scores")
        if n and 0 <= question_ids.min() and question_ids.max() <= 4 * n + 65536:
            # small non-negative ids (the store's): number them through a table, no sort
            present = np.zeros(int(question_ids.max()) + 1, dtype=bool)
            present[question_ids] = True
            codes = (np.cumsum(present) - 1)[question_ids]
            groups = int(codes.max()) + 1
        else:
            unique, codes = np.unique(question_ids, return_inverse=True)
            codes, groups = codes.reshape(-1), unique.size
        ids = question_ids.tolist() if forecaster_ids is not None else None
    else:
        ids = (question_ids.tolist() if isinstance(question_ids, np.ndarray)
               else list(question_ids))
        if len(ids) != n:
            raise ValueError(f"{len(ids)} question ids for {n} scores")
        lookup = {}
        codes = np.fromiter((lookup.setdefault(q, len(lookup)) for q in ids), dtype=np.intp,
                            count=n)
        groups = len(lookup)
    if forecaster_ids is not None:
        who = (forecaster_ids.tolist() if isinstance(forecaster_ids, np.ndarray)
               else list(forecaster_ids))
        if len(who) != n:
            raise ValueError(f"{len(who)} forecaster ids for {n} scores")
        seen = set()
        for pair in zip(ids, who):
            if pair in seen:
                raise ValueError(f"more than one score for (question, forecaster) {pair!r}")
            seen.add(pair)
    return codes, groups


def _finite_scores(scores):
    s = np.asarray(scores, dtype=float)
    if s.ndim != 1:
        raise ValueError("scores must be one-dimensional")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    return s


def distinct(values):
    """The distinct values, sorted: ``np.unique(values)`` without its check for a masked array,
    whose first use imports numpy.ma (about 9 ms of every report's start-up).

    >>> distinct(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(np.asarray(values).ravel())
    keep = np.ones(ordered.size, dtype=bool)
    keep[1:] = ordered[1:] != ordered[:-1]
    return ordered[keep]


def order_within_groups(values, codes, n_groups):
    """The order that sorts by group code, and by value within each group (ties in any order),
    as ``np.lexsort((values, codes))`` up to ties: the values sorted first, then a stable radix
    sort of the codes (``0 .. n_groups-1``), 16 bits at a time; several times faster.

    >>> order_within_groups(np.array([0.5, 0.2, 0.9, 0.1]), np.array([1, 0, 1, 0]), 2).tolist()
    [3, 1, 0, 2]
    """
    order = np.argsort(values)
    grouped = np.asarray(codes)[order]
    for shift in range(0, max(n_groups - 1, 1).bit_length(), 16):
        step = np.argsort(((grouped >> shift) & 0xFFFF).astype(np.uint16), kind="stable")
        order, grouped = order[step], grouped[step]
    return order


def relative_to_question_median(question_ids, scores, forecaster_ids=None):
    """Each score minus the median score of all forecasters on the same question.

    Parameters
    ----------
    question_ids : array_like of hashable
        Question of each row.
    scores : array_like of float
        One finite score per (question, forecaster), e.g. Brier scores.
    forecaster_ids : array_like of hashable, optional
        When given, a repeated (question, forecaster) pair raises ``ValueError``.

    Returns
    -------
    numpy.ndarray
        ``s_iq - median_j s_jq``, the median taken over every forecaster on question q, including i.
        For Brier scores negative is better. On each question the median of these is 0; a lone
        forecaster on a question gets 0 (they are their own median), so uncontested questions
        neither help nor hurt.

    Notes
    -----
    Good Judgment Open's "vs median" comparison, here static (one score per pair) rather than
    daily. Scores on other questions never affect a question's values.

    References
    ----------
    Good Judgment Open FAQ, "How are my forecasts scored for accuracy?", https://www.gjopen.com/faq

    Examples
    --------
    >>> relative = relative_to_question_median(["q1", "q1", "q1", "q2"], [0.04, 0.16, 0.01, 0.3])
    >>> relative.round(4).tolist()
    [0.0, 0.12, -0.03, 0.0]
    """
    s = _finite_scores(scores)
    codes, groups = _group_codes(question_ids, s.size, forecaster_ids)
    if s.size == 0:
        return s.copy()
    ordered = s[order_within_groups(s, codes, groups)]
    counts = np.bincount(codes, minlength=groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    median = 0.5 * (ordered[starts + (counts - 1) // 2] + ordered[starts + counts // 2])
    return s - median[codes]


def peer_log_scores(question_ids, log_scores, forecaster_ids=None, scale=100.0):
    """Metaculus peer score ``100 * N/(N-1) * (ln p_i - mean_j ln p_j)`` over N forecasters.

    Parameters
    ----------
    question_ids : array_like of hashable
        Question of each row.
    log_scores : array_like of float
        One finite log score ``ln p_outcome`` per (question, forecaster), from `log_score`.
    forecaster_ids : array_like of hashable, optional
        When given, a repeated (question, forecaster) pair raises ``ValueError``.
    scale : float, default 100
        Metaculus reports points, 100 times the log difference; pass 1 for nats.

    Returns
    -------
    numpy.ndarray
        Positive is better. Equals ``100 * (ln p_i - ln GM_others)``, the mean log advantage over
        every other forecaster on the question, so the scores on a question sum to 0. A lone
        forecaster on a question gets 0 (nobody to beat).

    Notes
    -----
    ``peer_i = 100 * N/(N-1) * ln(p_i / GM)``, GM the geometric mean of the probabilities all N
    forecasters (i included) gave to the outcome; this is ``scoring/score_math.py`` of
    Metaculus/metaculus for a single ("spot") time, without its time averaging.

    References
    ----------
    Metaculus scores FAQ, https://www.metaculus.com/help/scores-faq/ ("What is the Peer score?").

    Examples
    --------
    >>> import math
    >>> peer_log_scores([1, 1, 2], [math.log(0.8), math.log(0.4), math.log(0.5)]).round(2).tolist()
    [69.31, -69.31, 0.0]
    """
    s = _finite_scores(log_scores)
    codes, groups = _group_codes(question_ids, s.size, forecaster_ids)
    if s.size == 0:
        return s.copy()
    counts = np.bincount(codes, minlength=groups).astype(float)
    mean = np.bincount(codes, weights=s, minlength=groups) / counts
    n = counts[codes]
    factor = np.divide(n, n - 1, out=np.zeros_like(n), where=n > 1)
    return scale * factor * (s - mean[codes])


def peer_brier(question_ids, briers, forecaster_ids=None):
    """ForecastBench peer score: mean Brier of all forecasters on the question minus one's own.

    Parameters
    ----------
    question_ids : array_like of hashable
        Question of each row.
    briers : array_like of float
        One finite Brier score per (question, forecaster).
    forecaster_ids : array_like of hashable, optional
        When given, a repeated (question, forecaster) pair raises ``ValueError``.

    Returns
    -------
    numpy.ndarray
        ``mean_j B_jq - B_iq`` with the mean over every forecaster on q, i included. Positive is
        better (the opposite orientation of `relative_to_question_median`); the scores on a question
        sum to 0 and a lone forecaster gets 0.

    Notes
    -----
    Unlike `peer_log_scores` the average includes the forecaster: with N forecasters this is
    (N-1)/N times the advantage over the mean of the others.

    References
    ----------
    ForecastBench, ``peer_score()`` in ``src/leaderboard/main.py`` of
    forecastingresearch/forecastbench (SCORING.md section 1.12).

    Examples
    --------
    >>> peer_brier(["q", "q", "r"], [0.04, 0.16, 0.25]).round(4).tolist()
    [0.06, -0.06, 0.0]
    """
    s = _finite_scores(briers)
    codes, groups = _group_codes(question_ids, s.size, forecaster_ids)
    if s.size == 0:
        return s.copy()
    counts = np.bincount(codes, minlength=groups)
    mean = np.bincount(codes, weights=s, minlength=groups) / counts
    return mean[codes] - s


# --------------------------------------------------------------------------- bootstrap intervals


def _bootstrap_means(values, n_resamples, seed):
    """Means of ``n_resamples`` resamples with replacement, drawn in chunks of whole resamples."""
    rng = np.random.default_rng(seed)
    n = values.size
    dtype = np.int32 if n < 2**31 else np.int64
    rows = max(1, BOOTSTRAP_CHUNK // n)
    means = np.empty(n_resamples)
    for first in range(0, n_resamples, rows):
        k = min(rows, n_resamples - first)
        index = rng.integers(0, n, size=(k, n), dtype=dtype)
        means[first:first + k] = values[index].mean(axis=1)
    return means


def _check_bootstrap(values, confidence, n_resamples):
    v = np.asarray(values, dtype=float)
    if v.ndim != 1:
        raise ValueError("values must be one-dimensional (one score per question)")
    if not np.all(np.isfinite(v)):
        raise ValueError("values must be finite")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    if int(n_resamples) < 1:
        raise ValueError("n_resamples must be at least 1")
    return v


def bootstrap_mean_interval(values, confidence=0.95, n_resamples=2000, seed=0):
    """Percentile bootstrap interval of the mean of per-question scores.

    Parameters
    ----------
    values : array_like of float
        One finite score per question (average a forecaster's several forecasts on a question
        first: the resampling unit is the question).
    confidence : float, default 0.95
        Coverage of the two-sided interval.
    n_resamples : int, default 2000
        Resamples of the questions, with replacement.
    seed : int, default 0
        Seed of ``numpy.random.default_rng``; the same seed gives the same interval.

    Returns
    -------
    (float, float)
        ``(low, high)``: the ``(1 - confidence)/2`` and ``(1 + confidence)/2`` quantiles (numpy's
        default linear interpolation) of the resampled means; ``(nan, nan)`` for fewer than two
        values (one question says nothing about its spread). Zero width when all values are equal.

    Raises
    ------
    ValueError
        If a value is not finite or ``confidence`` is not in (0, 1).

    Notes
    -----
    Percentile rather than BCa (SCORING.md 1.11): BCa returns NaN with warnings when all scores are
    equal (every perfect forecaster), while the percentile interval is well defined and equals
    ``scipy.stats.bootstrap(..., method='percentile')`` with the same generator. Resamples are drawn
    as a matrix of indices ``rng.integers(0, n, (n_resamples, n))``, in chunks of at most
    ``BOOTSTRAP_CHUNK`` cells, so 2000 resamples of 100 000 questions take a couple of seconds and
    bounded memory; for ``n_resamples * n <= BOOTSTRAP_CHUNK`` the draws are exactly those of one
    ``rng.integers`` call.

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13.

    Examples
    --------
    >>> low, high = bootstrap_mean_interval([0.04, 0.09, 0.25, 0.01, 0.16], seed=1)
    >>> bool(low < 0.11 < high)
    True
    >>> [round(x, 12) for x in bootstrap_mean_interval([0.2, 0.2, 0.2])]
    [0.2, 0.2]
    >>> bootstrap_mean_interval([0.3])
    (nan, nan)
    """
    v = _check_bootstrap(values, confidence, n_resamples)
    if v.size < 2:
        return (float("nan"), float("nan"))
    means = _bootstrap_means(v, int(n_resamples), seed)
    tail = (1 - confidence) / 2
    low, high = np.percentile(means, [100 * tail, 100 * (1 - tail)])
    return (float(low), float(high))


#: Groups with at least this many values get the normal interval in ``grouped_mean_intervals``.
NORMAL_INTERVAL_FROM = 30


def grouped_mean_intervals(values, groups, confidence=0.95, n_resamples=1000, seed=0,
                           normal_from=NORMAL_INTERVAL_FROM):
    """95% intervals of the mean of ``values`` within each group, all groups at once.

    Groups of fewer than ``normal_from`` values get the percentile bootstrap of
    ``bootstrap_mean_interval`` (resampling within the group); larger groups get the normal
    interval ``mean +- z * sd / sqrt(n)`` with the bootstrap's plug-in standard deviation
    (``ddof=0``), to which the percentile bootstrap converges (the usual central-limit rule of
    thumb of 30 values). Groups of one value get NaN. A score table holds a group per forecaster
    (and tag), so this keeps the intervals of a million forecasts to a few vectorised passes.

    Small groups of the same size share their resamples (the positions drawn), so each size
    costs one matrix product however many groups have it. Each group's interval is still the
    percentile bootstrap of that group alone; only intervals of different groups are not
    independent draws, and no statement here combines them.

    Parameters
    ----------
    values : array_like of float
        One score per question and group member; or several such rows (shape ``(k, n)``),
        whose intervals then come from the same resamples, as ``k`` calls would draw them.
    groups : array_like of int
        Group code of each value, ``0 .. G-1``.

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        Lower and upper bounds, one per group code (shape ``(k, G)`` for ``k`` rows of values).

    Examples
    --------
    >>> low, high = grouped_mean_intervals([0.1, 0.3, 0.2, 0.2, 0.9], [0, 0, 1, 1, 2])
    >>> [round(float(x), 3) for x in low], [round(float(x), 3) for x in high]
    ([0.1, 0.2, nan], [0.3, 0.2, nan])
    """
    v = np.asarray(values, dtype=float)
    rows = np.atleast_2d(v)
    g = np.asarray(groups, dtype=np.int64)
    n_groups = int(g.max()) + 1 if g.size else 0
    counts = np.bincount(g, minlength=n_groups)
    low = np.full((rows.shape[0], n_groups), np.nan)
    high = np.full((rows.shape[0], n_groups), np.nan)
    tail = (1 - confidence) / 2
    z = _normal_quantile(1 - tail)
    large = counts >= max(normal_from, 2)
    if large.any():
        for values_, low_, high_ in zip(rows, low, high):
            sums = np.bincount(g, weights=values_, minlength=n_groups)
            squares = np.bincount(g, weights=values_ * values_, minlength=n_groups)
            with np.errstate(invalid="ignore", divide="ignore"):
                mean = sums / counts
                sd = np.sqrt(np.maximum(squares / counts - mean * mean, 0))
                half = z * sd / np.sqrt(counts)
            low_[large], high_[large] = (mean - half)[large], (mean + half)[large]
    small = (counts >= 2) & ~large
    if small.any():
        rng = np.random.default_rng(seed)
        members = np.argsort(g, kind="stable")
        first = np.cumsum(counts) - counts
        k = rows.shape[0]
        for size in distinct(counts[small]).tolist():
            codes = np.flatnonzero(counts == size)
            # a row per group (and row of values), holding its values
            table = rows[:, members[first[codes][:, None] + np.arange(size)]]
            # a resample is how many times it draws each position: means are then one product
            picks = rng.integers(0, size, (n_resamples, size))
            picks += np.arange(n_resamples)[:, None] * size
            times = np.bincount(picks.ravel(), minlength=n_resamples * size)
            means = table.reshape(k * codes.size, size) @ (times.reshape(n_resamples, size).T
                                                           / size)
            bounds = _row_quantiles(means, (tail, 1 - tail)).reshape(2, k, codes.size)
            low[:, codes], high[:, codes] = bounds
    if v.ndim == 1:
        return low[0], high[0]
    return low, high


def _row_quantiles(rows, quantiles):
    """The ``quantiles`` of each row of a 2-D array, as ``np.quantile(rows, quantiles, axis=1)``
    gives them (its default linear interpolation), found with one partition of the rows in place.

    >>> rows = np.array([[4.0, 1.0, 3.0, 2.0], [0.5, 0.5, 0.1, 0.9]])
    >>> _row_quantiles(rows, (0.25, 0.5)).tolist()
    [[1.75, 0.4], [2.5, 0.5]]
    """
    n = rows.shape[1]
    q = np.asarray(quantiles, dtype=float)
    position = q * (n - 1)
    below = np.floor(position).astype(np.int64)
    above = np.minimum(below + 1, n - 1)
    rows.sort(axis=1)  # numpy sorts short rows faster than it partitions them at four places
    a, b = rows[:, below].T, rows[:, above].T
    t = (position - below)[:, None]
    # numpy's lerp: from the nearer end, so a value between equal neighbours is that value
    return np.where(t < 0.5, a + (b - a) * t, b - (b - a) * (1 - t))


def _normal_quantile(q):
    # the standard library's, because importing scipy.stats costs about half a second
    if q == 0.975:
        return 1.9599639845400536  # NormalDist().inv_cdf(0.975), without importing statistics
    from statistics import NormalDist

    return NormalDist().inv_cdf(q)


def paired_bootstrap_difference(a, b, confidence=0.95, n_resamples=2000, seed=0):
    """Mean of ``a - b`` over shared questions, with a paired percentile bootstrap interval.

    Parameters
    ----------
    a, b : array_like of float
        Scores of two forecasters on the same questions, aligned: ``a[i]`` and ``b[i]`` are on
        question i.
    confidence, n_resamples, seed
        As in `bootstrap_mean_interval`.

    Returns
    -------
    (float, float, float)
        ``(mean_difference, low, high)``. For Brier scores a negative difference means ``a`` is
        better. Questions are resampled jointly (the same indices for both forecasters), which is
        the bootstrap of the per-question differences. Fewer than two questions give
        ``(mean_difference, nan, nan)`` (``nan`` for none); identical arrays give ``(0, 0, 0)``.

    Raises
    ------
    ValueError
        If ``a`` and ``b`` differ in length, or as in `bootstrap_mean_interval`.

    Notes
    -----
    Equivalent to ``scipy.stats.bootstrap((a, b), lambda x, y: np.mean(x - y), paired=True,
    method='percentile')`` up to the random stream.

    References
    ----------
    Efron, B. and Tibshirani, R. J. (1993). An Introduction to the Bootstrap.

    Examples
    --------
    >>> difference, low, high = paired_bootstrap_difference([0.01, 0.04, 0.09], [0.25, 0.16, 0.36])
    >>> round(difference, 4), bool(low <= difference <= high < 0)
    (-0.21, True)
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"a and b must be aligned on the same questions: {a.shape} vs {b.shape}")
    d = _check_bootstrap(a - b, confidence, n_resamples) if a.size else np.empty(0)
    if d.size == 0:
        return (float("nan"), float("nan"), float("nan"))
    low, high = bootstrap_mean_interval(d, confidence, n_resamples, seed)
    return (float(d.mean()), low, high)


# --------------------------------------------------------------------------- time-averaged Brier


def _as_datetime64(values):
    out = np.asarray(values)
    if out.dtype.kind != "M":
        out = out.astype("datetime64")
    return out


def daily_brier(forecast_dates, probs, outcome, *, cutoff, start=None):
    """Brier score of each day from a forecaster's first forecast to the day before ``cutoff``.

    Each day is scored with the latest forecast made on or before that day (carried forward until
    updated); the day of a forecast is scored with it. See `time_averaged_brier`.

    Parameters
    ----------
    forecast_dates : array_like
        When each forecast was made: ISO date or datetime strings, ``datetime.date`` /
        ``datetime.datetime`` or ``numpy.datetime64``. Only the calendar day matters for which days
        a forecast scores; within a day the latest (and, on ties, the last given) forecast counts.
    probs : array_like
        Binary: 1-D, the probability of the event per forecast. Multiple choice: 2-D,
        ``(forecasts, options)``.
    outcome : int
        Binary: 1 if the event happened, 0 if not. Multiple choice: index of the option that
        happened.
    cutoff : date-like (keyword)
        First day that is not scored (the question's close or resolution date); forecasts from
        that day on are ignored.
    start : date-like, optional (keyword)
        First day the question could be scored (its open date). Days before
        ``max(start, first forecast day)`` are never scored; a forecast made before ``start`` is
        carried into it.

    Returns
    -------
    days : numpy.ndarray of datetime64[D]
        The scored days, consecutive; empty if no forecast was made before ``cutoff``.
    scores : numpy.ndarray of float
        Brier score of each day on our 0-1 scale (halved Brier 1950 sum for multiple choice).

    Examples
    --------
    >>> days, scores = daily_brier(["2025-01-02", "2025-01-04"], [0.6, 0.9], 1, cutoff="2025-01-06")
    >>> [str(d) for d in days], scores.round(2).tolist()
    (['2025-01-02', '2025-01-03', '2025-01-04', '2025-01-05'], [0.16, 0.16, 0.01, 0.01])
    """
    when = _as_datetime64(forecast_dates)
    f = np.asarray(probs, dtype=float)
    if when.ndim != 1 or when.size == 0:
        raise ValueError("forecast_dates must be a non-empty 1-D sequence")
    if f.ndim not in (1, 2) or f.shape[0] != when.size:
        raise ValueError(f"probs must have one entry (binary) or row (multiple choice) per "
                         f"forecast: {f.shape} for {when.size} dates")
    if not np.all((f >= 0) & (f <= 1)):
        raise ValueError("probabilities must be in [0, 1] (and not NaN)")
    if f.ndim == 1:
        if outcome not in (0, 1):
            raise ValueError(f"a binary outcome must be 0 or 1, got {outcome!r}")
        per_forecast = brier_binary(f, outcome)
    else:
        if not 0 <= int(outcome) < f.shape[1] or int(outcome) != outcome:
            raise ValueError(f"outcome must index one of {f.shape[1]} options, got {outcome!r}")
        onehot = np.zeros(f.shape[1])
        onehot[int(outcome)] = 1.0
        per_forecast = 0.5 * np.sum((f - onehot) ** 2, axis=1)
    order = np.argsort(when, kind="stable")
    forecast_days = when[order].astype("datetime64[D]")
    per_forecast = per_forecast[order]
    first = forecast_days[0]
    if start is not None:
        first = max(first, _as_datetime64(start).astype("datetime64[D]"))
    end = _as_datetime64(cutoff).astype("datetime64[D]")
    days = np.arange(first, max(first, end), dtype="datetime64[D]")
    latest = np.searchsorted(forecast_days, days, side="right") - 1
    return days, per_forecast[latest]


def time_averaged_brier(forecast_dates, probs, outcome, *, cutoff, start=None):
    """Good Judgment-style time-averaged Brier score of one forecaster on one question.

    Parameters
    ----------
    forecast_dates, probs, outcome, cutoff, start
        As in `daily_brier`.

    Returns
    -------
    float
        Mean of the daily Brier scores over the days from the forecaster's first forecast (or
        ``start`` if later) to the day before ``cutoff``, with forecasts carried forward; on our
        0-1 scale (Good Judgment Open's 0-2 figure is twice it). NaN if no forecast was made
        before ``cutoff``.

    Notes
    -----
    ``TB = (1/D) sum_d B(f_d, o)`` over the D active days, ``f_d`` the latest forecast on or before
    day d. Days before the first forecast are left out (Good Judgment Open's personal score), not
    scored as 0 (Metaculus' coverage rule) nor imputed as the crowd median; to compare
    forecasters who joined late, score them against the daily median with `daily_brier`.

    References
    ----------
    Good Judgment Open FAQ, section "How are my forecasts scored for accuracy?",
    https://www.gjopen.com/faq ; SCORING.md section 1.8.

    Examples
    --------
    >>> round(time_averaged_brier(["2025-01-02", "2025-01-04"], [0.6, 0.9], 1,
    ...                           start="2025-01-01", cutoff="2025-01-06"), 6)
    0.085
    >>> round(time_averaged_brier(["2025-01-02"], [[0.2, 0.5, 0.3]], 1, cutoff="2025-01-04"), 6)
    0.19
    """
    _, scores = daily_brier(forecast_dates, probs, outcome, cutoff=cutoff, start=start)
    return float(scores.mean()) if scores.size else float("nan")
