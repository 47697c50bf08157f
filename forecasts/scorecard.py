"""Score tables from scored forecasts: per forecaster, per tag, per lead time; leaderboards.

The store gives one entry per (question, forecaster): that forecaster's latest forecast made
before the question's cutoff, as columns (``Store.scored_columns``) or as rows
(``Store.scored_forecasts``). This module holds them as parallel arrays and summarises them with
the pure functions of ``scoring`` and ``calibration``. It never touches the database.

Example::

    >>> rows = [{"question_id": 1, "forecaster": "A", "kind": "binary", "p_ppm": 800000,
    ...          "outcome": "yes", "made": "2025-01-01", "cutoff": "2025-02-01"}]
    >>> [(r["forecaster"], r["questions"], round(r["brier"], 4)) for r in score_table(rows)]
    [('A', 1, 0.04)]
"""

import datetime
import functools

import numpy as np

from . import calibration, metrics, scoring
from .ppm import PPM

LEAD_TIMES = [(7, "under a week"), (30, "1 week to 1 month"), (91, "1 to 3 months"),
              (365, "3 to 12 months"), (None, "over a year")]
UNTAGGED = "(untagged)"


def _first_seen_codes(keys):
    """Dense codes for integer ``keys``, numbered in the order each key first appears; and the
    position of each code's first appearance."""
    if keys.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.ones(keys.size, dtype=bool)
    starts[1:] = keys[1:] != keys[:-1]
    if scoring.distinct(keys[starts]).size == int(starts.sum()):  # each key in one run
        return np.cumsum(starts) - 1, np.flatnonzero(starts)
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    by_first = np.argsort(first, kind="stable")
    code = np.empty(unique.size, dtype=np.int64)
    code[by_first] = np.arange(unique.size)
    return code[inverse.reshape(-1)], first[by_first]


class Frame:
    """Parallel arrays, one entry per scored (question, forecaster) pair.

    Built from the columns of ``Store.scored_columns``; ``Frame.from_rows`` takes the rows of
    ``Store.scored_forecasts`` (or rows changed by hand, as ``rescale`` does).
    """

    def __init__(self, columns, tags_by_question=None, brier=None):
        c = columns
        self.question = np.asarray(c["question_id"], dtype=np.int64)
        self.forecaster = c["forecaster"]
        n = self.question.size
        # forecasters as codes in order of first appearance (the store orders rows by name)
        ids = c.get("forecaster_id")
        if ids is None:
            names = {}
            ids = np.fromiter((names.setdefault(name, len(names)) for name in self.forecaster),
                              dtype=np.int64, count=n)
        self.who, first = _first_seen_codes(np.asarray(ids, dtype=np.int64))
        self.names = [self.forecaster[i] for i in first.tolist()]
        self.binary = ~np.asarray(c["multiple_choice"], dtype=bool)
        self.outcome = np.asarray(c["outcome_yes"], dtype=float)
        self.p_ppm = np.asarray(c["p_ppm"], dtype=np.int64)
        self.option_start = np.asarray(c["option_start"], dtype=np.int64)
        self.option_count = np.asarray(c["option_count"], dtype=np.int64)
        self.option_ppm = np.asarray(c["option_ppm"], dtype=np.int64)
        self.outcome_index = np.asarray(c["outcome_index"], dtype=np.int64)
        self.options = np.where(self.binary, 2, self.option_count)
        if brier is not None:
            self.brier = brier
        self.made_day = np.asarray(c["made_day"]) if "made_day" in c else None
        self.lead_days = (np.asarray(c["cutoff_day"]) - self.made_day
                          if "made_day" in c else None)
        self.tags_by_question = tags_by_question

    # The scores are worked out when first asked for: a calibration report needs none of them.

    @functools.cached_property
    def brier(self):
        n = len(self)
        brier = np.empty(n)
        brier[self.binary] = scoring.brier_binary(self.p_ppm[self.binary] / PPM,
                                                  self.outcome[self.binary])
        if not self.binary.all():
            multi = ~self.binary
            brier[multi] = _multiple_choice_briers(
                self.option_ppm / PPM, self.option_start[multi], self.option_count[multi],
                self.outcome_index[multi])
        return brier

    @functools.cached_property
    def p_outcome(self):
        """The probability each forecast gave to what happened: p or 1 - p, or the option's."""
        p_outcome = np.empty(len(self))
        p_outcome[self.binary] = scoring.prob_of_outcome(self.p_ppm[self.binary] / PPM,
                                                         self.outcome[self.binary])
        if not self.binary.all():
            multi = ~self.binary
            chosen = self.option_start[multi] + self.outcome_index[multi]
            p_outcome[multi] = self.option_ppm[chosen] / PPM
        return p_outcome

    @functools.cached_property
    def log(self):
        return scoring.log_score(self.p_outcome)

    @functools.cached_property
    def relative(self):
        return scoring.relative_to_question_median(self.question, self.brier)

    @functools.cached_property
    def peer(self):
        return scoring.peer_log_scores(self.question, self.log)

    @classmethod
    def from_rows(cls, rows, tags_by_question=None):
        """A frame of scored rows (dicts as ``Store.scored_forecasts`` gives them); a row's
        ``time_averaged_brier``, when it has one, stands for its Brier score."""
        multi = [r["kind"] != "binary" for r in rows]
        counts = [len(r["option_ppm"]) if m else 0 for r, m in zip(rows, multi)]
        columns = {
            "question_id": np.array([r["question_id"] for r in rows], dtype=np.int64),
            "forecaster": np.array([r["forecaster"] for r in rows] + [None], dtype=object)[:-1],
            "multiple_choice": np.array(multi, dtype=bool),
            "outcome_yes": np.array([r.get("outcome") == "yes" for r in rows], dtype=bool),
            "p_ppm": np.array([-1 if m else r["p_ppm"] for r, m in zip(rows, multi)],
                              dtype=np.int64),
            "option_count": np.array(counts, dtype=np.int64),
            "option_start": np.cumsum([0] + counts)[:-1].astype(np.int64),
            "option_ppm": np.array([p for r, m in zip(rows, multi) if m
                                    for p in r["option_ppm"]], dtype=np.int64),
            "outcome_index": np.array([r["outcome_index"] if m else -1
                                       for r, m in zip(rows, multi)], dtype=np.int64),
        }
        if all("made" in r and "cutoff" in r for r in rows):
            columns["made_day"] = np.array([_day(r["made"]) for r in rows], dtype=np.int64)
            columns["cutoff_day"] = np.array([_day(r["cutoff"]) for r in rows], dtype=np.int64)
        brier = None
        if any("time_averaged_brier" in r for r in rows):
            brier = cls(columns).brier
            for i, row in enumerate(rows):
                if "time_averaged_brier" in row:
                    brier[i] = row["time_averaged_brier"]
        return cls(columns, tags_by_question, brier=brier)

    def __len__(self):
        return self.question.size

    def tag_lists(self):
        """Each pair's tags, as (row index, tag) arrays in row order; untagged questions get
        '(untagged)'."""
        tags = self.tags_by_question or {}
        questions, inverse = np.unique(self.question, return_inverse=True)
        per_question = [tags.get(q) or [UNTAGGED] for q in questions.tolist()]
        sizes = np.array([len(t) for t in per_question], dtype=np.int64)
        flat = np.array([t for ts in per_question for t in ts] + [None], dtype=object)[:-1]
        starts = np.cumsum(sizes) - sizes
        inverse = inverse.reshape(-1)
        rows = np.repeat(np.arange(len(self)), sizes[inverse])
        offset = np.arange(rows.size) - np.repeat(np.cumsum(sizes[inverse]) - sizes[inverse],
                                                  sizes[inverse])
        return rows, flat[starts[inverse[rows]] + offset]

    def lead_time_codes(self):
        """Each pair's lead-time group, as an index into LEAD_TIMES."""
        limits = [limit for limit, _ in LEAD_TIMES if limit is not None]
        return np.searchsorted(limits, self.lead_days, side="right")

    def pairs(self):
        """(p_ppm, outcome, row) of every (probability, outcome) pair: one per binary forecast,
        one per option of a multiple-choice forecast, in row order."""
        per_row = np.where(self.binary, 1, self.option_count)
        row = np.repeat(np.arange(len(self)), per_row)
        offset = np.arange(row.size) - np.repeat(np.cumsum(per_row) - per_row, per_row)
        binary = self.binary[row]
        p = np.empty(row.size, dtype=np.int64)
        o = np.empty(row.size, dtype=np.int64)
        p[binary] = self.p_ppm[row[binary]]
        o[binary] = self.outcome[row[binary]]
        multi = ~binary
        p[multi] = self.option_ppm[self.option_start[row[multi]] + offset[multi]]
        o[multi] = offset[multi] == self.outcome_index[row[multi]]
        return p, o, row


def _multiple_choice_briers(probs, start, count, outcome_index):
    """Halved Brier sum of each multiple-choice forecast, added up option by option as
    ``scoring.brier_multiple_choice`` does (numpy sums fewer than 8 numbers in order)."""
    total = np.zeros(start.size)
    for j in range(int(count.max(initial=0))):
        has = count > j
        term = probs[start[has] + j] - (outcome_index[has] == j)
        total[has] = total[has] + term * term if j else term * term
    long = np.flatnonzero(count >= 8)
    for i in long.tolist():
        total[i] = 2 * scoring.brier_multiple_choice(probs[start[i]:start[i] + count[i]],
                                                     outcome_index[i])
    return 0.5 * total


def _radix_key(codes, n_codes):
    """``codes`` (0 .. n_codes-1) as 16-bit integers when they fit, which numpy sorts stably
    by radix rather than by comparison."""
    return codes.astype(np.uint16) if n_codes <= 1 << 16 else codes


JULIAN_DAY_OF_ORDINAL_0 = 1721424  # day numbers as the store gives them: julianday, truncated
JULIAN_DAY_OF_1970 = 2440587
PERIODS = ("year", "quarter")


def _day(text):
    return datetime.date.fromisoformat(text).toordinal() + JULIAN_DAY_OF_ORDINAL_0


def period_codes(days, period):
    """Labels of the years ('2024') or quarters ('2024-Q3') of julian ``days``, in order, and
    each day's code into them.

    >>> labels, codes = period_codes(np.array([_day("2024-08-01"), _day("2023-12-31")]),
    ...                              "quarter")
    >>> labels, codes.tolist()
    (['2023-Q4', '2024-Q3'], [1, 0])
    """
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: use 'year' or 'quarter'")
    dates = (np.asarray(days, dtype=np.int64) - JULIAN_DAY_OF_1970).astype("datetime64[D]")
    months = dates.astype("datetime64[M]").astype(np.int64)  # since 1970-01
    keys = months // 12 if period == "year" else months // 3
    unique, codes = np.unique(keys, return_inverse=True)
    if period == "year":
        labels = [str(1970 + int(k)) for k in unique]
    else:
        labels = [f"{1970 + int(k) // 4}-Q{int(k) % 4 + 1}" for k in unique]
    return labels, codes.reshape(-1)


def _frame(data, tags_by_question=None):
    if isinstance(data, Frame):
        if tags_by_question is not None:
            data.tags_by_question = tags_by_question
        return data
    if isinstance(data, dict):
        return Frame(data, tags_by_question)
    return Frame.from_rows(data, tags_by_question)


def _same_pair_next(question, who):
    """Whether each forecast of a history (pairs together, oldest first) is followed by another
    of the same (question, forecaster)."""
    same_pair_next = np.zeros(question.size, dtype=bool)
    same_pair_next[:-1] = (question[1:] == question[:-1]) & (who[1:] == who[:-1])
    return same_pair_next


def _held_until(same_pair_next, made, cutoff):
    """The day each forecast stood until: the next forecast of its pair, or the cutoff."""
    return np.where(same_pair_next, np.roll(made, -1), cutoff)


def time_weights(history):
    """Metaculus-style weight of every forecast of ``history``: the share of its question's
    open life (opening to cutoff) that it stood, until the same forecaster's next forecast or
    the cutoff. ``history`` is ``Store.scored_columns(latest_only=False, dates=True,
    text=True)``; a question with no opening date opens at its first forecast here.

    >>> history = {"question_id": [1, 1], "forecaster_id": [7, 7], "made_day": [10, 30],
    ...            "cutoff_day": [50, 50], "opens": ["", ""]}
    >>> time_weights(history).tolist()
    [0.5, 0.5]
    """
    question = np.asarray(history["question_id"])
    who = np.asarray(history["forecaster_id"])
    made = np.asarray(history["made_day"], dtype=float)
    cutoff = np.asarray(history["cutoff_day"], dtype=float)
    held_until = _held_until(_same_pair_next(question, who), made, cutoff)
    first_made = {}
    for q, day in zip(question.tolist(), made.tolist()):
        first_made[q] = min(day, first_made.get(q, day))
    opens = np.array([_day(text[:10]) if text else first_made[q]
                      for q, text in zip(question.tolist(), history["opens"])], dtype=float)
    opens = np.minimum(opens, made)
    with np.errstate(invalid="ignore", divide="ignore"):
        life = cutoff - opens
        return np.where(life > 0, (held_until - made) / life, 1.0)


def time_averaged_frame(latest, history, tags_by_question=None):
    """A Frame of ``latest`` whose Brier score is the Good Judgment-style time-averaged Brier of
    each (question, forecaster): every forecast before the cutoff scored daily, carried forward
    from the first (``scoring.time_averaged_brier``, all pairs at once).

    ``latest`` and ``history`` are ``Store.scored_columns(dates=True)`` with the default
    ``latest_only`` and with ``latest_only=False``. Only the Brier score is time-averaged; log
    and peer scores use the latest forecast.
    """
    every = Frame(history)
    question, who = every.question, np.asarray(history["forecaster_id"])
    made, cutoff = np.asarray(history["made_day"]), np.asarray(history["cutoff_day"])
    # a pair's forecasts come together, oldest first (same day: in the order given)
    same_pair_next = _same_pair_next(question, who)
    last = ~same_pair_next
    if not np.array_equal(np.asarray(history["forecast_id"])[last], latest["forecast_id"]):
        raise ValueError("the history does not end in the latest forecasts")
    # each forecast counts from its day until the next forecast's day (0 days when another
    # follows the same day) or, for the last, the cutoff
    held_until = _held_until(same_pair_next, made, cutoff)
    pair = np.cumsum(last) - last
    first = np.flatnonzero(np.concatenate([[True], last[:-1]]))
    with np.errstate(invalid="ignore", divide="ignore"):
        brier = np.bincount(pair, weights=every.brier * (held_until - made)) / \
            (cutoff[last] - made[first])
    return Frame(latest, tags_by_question, brier=brier)


def _none_if_nan(value):
    return None if value is None or not np.isfinite(value) else float(value)


def _groups(frame, forecaster=None, by_tag=False, by_lead_time=False, by_period=None):
    """The pairs in each group: (row index, group code) arrays, groups numbered in the order
    they first appear, and each group's (forecaster, extra key, extra value). A question with two
    tags counts in both tags' groups; ``by_period`` ('year' or 'quarter') groups on the period
    in which each forecast was made."""
    rows = np.arange(len(frame))
    if by_period:
        extra = ("period", *period_codes(frame.made_day, by_period))
    elif by_tag:
        rows, values = frame.tag_lists()
        labels, value_code = np.unique(values.astype(str), return_inverse=True)
        extra = ("tag", labels.tolist(), value_code.reshape(-1))
    elif by_lead_time:
        extra = ("lead_time", [label for _, label in LEAD_TIMES], frame.lead_time_codes())
    else:
        extra = (None, [None], np.zeros(rows.size, dtype=np.int64))
    if forecaster:
        wanted = forecaster.lower()
        chosen = np.array([name.lower() == wanted for name in frame.names],
                          dtype=bool)[frame.who[rows]]
        rows, values_code = rows[chosen], extra[2][chosen]
        extra = (extra[0], extra[1], values_code)
    key, extra_labels, extra_code = extra
    codes, first = _first_seen_codes(frame.who[rows] * len(extra_labels) + extra_code)
    who_of = frame.who[rows[first]]
    extra_of = extra_code[first]
    keys = [(frame.names[w], key, extra_labels[e] if key else None)
            for w, e in zip(who_of.tolist(), extra_of.tolist())]
    return rows, codes, keys


def summarise_groups(frame, index, groups, n_groups, scale=1):
    """Score rows for the pairs ``index``, grouped by ``groups`` (codes 0 .. n_groups-1): the
    count, every metric of ``metrics.METRICS`` with its interval, and the shared questions.
    Relative metrics (``shared_only``) and their intervals use the shared questions alone."""
    counts = np.bincount(groups, minlength=n_groups)
    is_shared = shared_pairs(frame)[index]
    grouped = metrics.Groups(frame, index, groups, counts, scale, shared=is_shared)
    values = {metric.key: metric.values(grouped) for metric in metrics.METRICS}
    intervals = {}
    for only_shared in (False, True):
        chosen = [metric for metric in metrics.METRICS if metric.interval
                  and metric.per_forecast is not None and metric.shared_only == only_shared]
        if not chosen:
            continue
        keep = is_shared if only_shared else np.ones(index.size, dtype=bool)
        stacked = np.stack([metric.per_forecast(frame, index, scale)[keep] for metric in chosen])
        low = np.full((len(chosen), n_groups), np.nan)
        high = np.full((len(chosen), n_groups), np.nan)
        if keep.any():
            found_low, found_high = scoring.grouped_mean_intervals(stacked, groups[keep])
            low[:, :found_low.shape[1]] = found_low
            high[:, :found_high.shape[1]] = found_high
        for at, metric in enumerate(chosen):
            intervals[metric.interval] = (low[at], high[at])
    for metric in metrics.METRICS:
        if metric.per_group_interval is not None:
            intervals[metric.interval] = metric.per_group_interval(grouped)
    shared = np.bincount(groups, weights=is_shared, minlength=n_groups)
    for g in range(n_groups):
        row = {"questions": int(counts[g])}
        for metric in metrics.METRICS:
            row[metric.key] = _none_if_nan(values[metric.key][g])
            if metric.interval:
                low, high = intervals[metric.interval]
                row[f"{metric.interval}_low"] = _none_if_nan(low[g])
                row[f"{metric.interval}_high"] = _none_if_nan(high[g])
        row["shared_questions"] = int(shared[g])
        yield row


def shared_pairs(frame):
    """Whether each pair's question was answered by more than one forecaster."""
    codes, groups = scoring._group_codes(frame.question, len(frame))
    return np.bincount(codes, minlength=groups)[codes] > 1


def with_adjusted(table, frame, scale=1):
    """Add each forecaster's difficulty-adjusted Brier (``adjusted.adjusted_briers``), its
    interval and Brier Index to the per-forecaster ``table`` rows of ``frame``."""
    from . import adjusted

    chimp = scoring.chimp_brier(frame.options) * scale
    values, low, high = adjusted.adjusted_briers(frame.who, frame.question, frame.brier * scale,
                                                 chimp, len(frame.names))
    # re-centred on always 50% = 0.25 on the 0-1 scale, 0.5 on the 0-2 scale
    values, low, high = (x + 0.25 * (scale - 1) for x in (values, low, high))
    at = {name: i for i, name in enumerate(frame.names)}
    for row in table:
        i = at[row["forecaster"]]
        row["adjusted_brier"] = _none_if_nan(values[i])
        row["adjusted_ci_low"] = _none_if_nan(low[i])
        row["adjusted_ci_high"] = _none_if_nan(high[i])
        row["brier_index"] = _none_if_nan(adjusted.brier_index(values[i] / scale))
    return table


def with_settled(table, history):
    """Add to each row of ``table`` (per forecaster) ``settled_days``: the median, over the
    yes/no questions whose last forecast was on the right side of 50%, of the days before the
    cutoff from which their forecasts stayed there; and ``settled_questions``, how many such
    questions. ``history`` is ``Store.scored_columns(latest_only=False, dates=True)``."""
    from . import discrimination

    question = np.asarray(history["question_id"])
    who = np.asarray(history["forecaster_id"])
    binary = ~np.asarray(history["multiple_choice"], dtype=bool)
    question, who = question[binary], who[binary]
    starts = np.ones(question.size, dtype=bool)
    starts[1:] = ~_same_pair_next(question, who)[:-1]
    right = discrimination.right_side(np.asarray(history["p_ppm"])[binary] / PPM,
                                      np.asarray(history["outcome_yes"])[binary]) == 1
    days = discrimination.settled_days(starts, right, np.asarray(history["made_day"])[binary],
                                       np.asarray(history["cutoff_day"])[binary])
    names = np.asarray(history["forecaster"], dtype=object)[binary][starts]
    by_name = {}
    for name, value in zip(names.tolist(), days.tolist()):
        if value == value:  # not NaN
            by_name.setdefault(name, []).append(value)
    for row in table:
        values = by_name.get(row["forecaster"], [])
        row["settled_days"] = float(np.median(values)) if values else None
        row["settled_questions"] = len(values)
    return table


def score_table(rows, tags_by_question=None, scale=1, by_tag=False, by_lead_time=False,
                forecaster=None, adjusted=False):
    """Score rows per forecaster (and per tag or lead time when asked), best Brier first.

    ``rows``: the columns of ``Store.scored_columns``, the rows of ``Store.scored_forecasts``
    or a Frame. Relative and peer scores compare each forecaster with everyone else on the same
    questions, so ``rows`` must hold every forecaster; ``forecaster`` then picks whose rows to
    show, by current name (``Store.find_forecaster`` gives it for an old or merged name).
    ``adjusted`` adds the difficulty-adjusted Brier (``with_adjusted``) to rows per
    forecaster.
    """
    frame = _frame(rows, tags_by_question)
    index, groups, keys = _groups(frame, forecaster, by_tag, by_lead_time)
    if not keys:
        return []
    table = []
    for (name, extra, value), summary in zip(
            keys, summarise_groups(frame, index, groups, len(keys), scale)):
        row = {"forecaster": name, **({extra: value} if extra else {}), **summary,
               "scale": "0-2" if scale == 2 else "0-1"}
        table.append(row)
    if adjusted:
        if by_tag or by_lead_time:
            raise ValueError("the adjusted Brier is fitted per forecaster, not per tag or lead "
                             "time")
        with_adjusted(table, frame, scale)
    order = {label: i for i, (_, label) in enumerate(LEAD_TIMES)}
    table.sort(key=lambda r: (r.get("tag", ""), order.get(r.get("lead_time"), 0),
                              _rank_key(r["brier"]),
                              -r["questions"], r["forecaster"]))
    return table


UNRANKED_ALONE = "no question shared with another forecaster"


def _rank_key(score):
    """A score to rank on: equal scores that differ only in the last bits of the float (the
    order a sum was taken in) count as a tie, so the tie-breaks decide.

    >>> _rank_key(0.14654999999999993) == _rank_key(0.14654999999999999)
    True
    """
    return round(score, 12)


RANK_BY = {"relative": "relative_brier", "adjusted": "adjusted_brier"}


def leaderboard(rows, min_questions=1, scale=1, rank_by="relative"):
    """Forecasters ranked on mean relative Brier (own minus the question's median) over the
    questions they share with someone, best first; or, with ``rank_by="adjusted"``, on the
    difficulty-adjusted Brier.

    Only forecasters with at least ``min_questions`` scored questions are listed (each row's
    ``below_min_questions`` counts those left out). Those who
    share no question with anyone have no relative score: they come after the ranked ones,
    with ``rank`` None and ``unranked`` giving the reason.
    """
    key = RANK_BY[rank_by]
    everyone = score_table(rows, scale=scale, adjusted=rank_by == "adjusted")
    table = [r for r in everyone if r["questions"] >= min_questions]
    for row in table:  # how many had too few questions to be listed
        row["below_min_questions"] = len(everyone) - len(table)
    ranked = [r for r in table if r["relative_brier"] is not None and r[key] is not None]
    ranked.sort(key=lambda r: (_rank_key(r[key]), _rank_key(r["brier"]), r["forecaster"]))
    alone = sorted((r for r in table if r["relative_brier"] is None or r[key] is None),
                   key=lambda r: (-r["questions"], r["forecaster"]))
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
        row["unranked"] = None
    for row in alone:
        row["rank"] = None
        row["unranked"] = UNRANKED_ALONE
    return ranked + alone


def compare(rows, first, second, scale=1):
    """Head to head on the questions both forecast: each one's mean Brier and the paired
    bootstrap interval of the difference (first minus second; negative favours the first).
    ``first`` and ``second`` are current names, as ``Store.find_forecaster`` gives them."""
    frame = _frame(rows)
    names = {name.lower(): name for name in frame.names}
    scores = {}
    for wanted in (first, second):
        name = names.get(wanted.lower())
        if name is None:
            raise LookupError(f"{wanted} has no scored forecasts")
        mask = frame.who == frame.names.index(name)
        scores[name] = dict(zip(frame.question[mask].tolist(), frame.brier[mask] * scale))
    (a_name, a), (b_name, b) = scores.items()
    shared = sorted(set(a) & set(b))
    result = {"first": a_name, "second": b_name, "shared_questions": len(shared),
              "scale": "0-2" if scale == 2 else "0-1"}
    if not shared:
        return result
    a_scores = np.array([a[q] for q in shared])
    b_scores = np.array([b[q] for q in shared])
    difference, low, high = scoring.paired_bootstrap_difference(a_scores, b_scores)
    result.update({
        "first_brier": float(a_scores.mean()), "second_brier": float(b_scores.mean()),
        "difference": float(difference),
        "ci_low": _none_if_nan(low) if len(shared) > 1 else None,
        "ci_high": _none_if_nan(high) if len(shared) > 1 else None,
        "first_better": int((a_scores < b_scores).sum()),
        "second_better": int((b_scores < a_scores).sum()),
        "ties": int((a_scores == b_scores).sum()),
    })
    return result


def _grouped_calibration(frame, pairs, members, member_group, n_groups, bins, interval, fold,
                         row_weights=None):
    """``calibration.grouped_calibration`` of the pairs of the rows ``members`` of ``frame``
    (each row's pairs in order), the rows' groups ``member_group``; ``pairs`` as
    ``frame.pairs()`` gives them; ``row_weights`` a weight per row of ``frame``."""
    p_ppm, outcomes, pair_row = pairs
    per_row = np.bincount(pair_row, minlength=len(frame))
    first_pair = np.cumsum(per_row) - per_row
    counts = per_row[members]
    take = np.repeat(first_pair[members] - (np.cumsum(counts) - counts), counts)
    take += np.arange(take.size)
    pair_group = np.repeat(member_group, counts)
    p, o = p_ppm[take], outcomes[take]
    weights = None if row_weights is None else row_weights[pair_row[take]]
    del take
    if fold:
        p, o = calibration.fold(p, o)
    return calibration.grouped_calibration(p, o, pair_group, n_groups, bins=bins,
                                           interval=interval, weights=weights)


def calibration_report(rows, bins=11, interval="wilson", fold=False, forecaster=None,
                       by_lead_time=False, tags_by_question=None, by_period=None,
                       row_weights=None):
    """Calibration bins and the Murphy decomposition per forecaster, and overall.

    ``rows`` as for ``score_table``. Returns ``{"bins": [...], "decomposition": [...]}``; each
    bin row and each decomposition row names its ``forecaster`` ('(all)' for everyone
    together), and its ``lead_time``, ``tag`` or ``period`` when broken down by one (pass
    ``tags_by_question`` to break down by tag, ``by_period`` 'year' or 'quarter' to break down
    by when the forecasts were made, which needs the rows' dates). ``row_weights`` weighs
    each row's pairs (``time_weights``).
    """
    frame = _frame(rows, tags_by_question)
    by_tag = tags_by_question is not None and not by_lead_time and not by_period
    index, groups, keys = _groups(frame, forecaster, by_tag, by_lead_time, by_period)
    # each group's members in row order, groups one after another
    order = np.argsort(_radix_key(groups, len(keys)), kind="stable")
    members, member_group = index[order], groups[order]
    del index, groups, order
    pairs = frame.pairs()
    tables, parts = _grouped_calibration(frame, pairs, members, member_group, len(keys), bins,
                                         interval, fold, row_weights)
    if len({name for name, _, _ in keys}) > 1:
        # everyone together, once for each tag or lead time (in the order those first appear):
        # the groups with that tag or lead time, one after another. A pass of its own, so that
        # only one pass's arrays are held at a time.
        extras = {}
        for g, (_, extra, value) in enumerate(keys):
            extras.setdefault(value, (extra, len(extras)))
        extra_of = np.array([extras[value][1] for _, _, value in keys], dtype=np.int64)
        member_group = extra_of[member_group]
        everyone = np.argsort(_radix_key(member_group, len(extras)), kind="stable")
        more_tables, more_parts = _grouped_calibration(
            frame, pairs, members[everyone], member_group[everyone], len(extras), bins, interval,
            fold, row_weights)
        tables, parts = tables + more_tables, parts + more_parts
        keys = keys + [("(all)", extra, value) for value, (extra, _) in extras.items()]
    report = {"bins": [], "decomposition": []}
    for (name, extra, value), table, part in zip(keys, tables, parts):
        label = {"forecaster": name, **({extra: value} if extra else {})}
        report["bins"].extend({**label, **row} for row in table)
        report["decomposition"].append({**label, "pairs": part["n"], **part})
    return report
