"""Aggregate forecasters: a crowd pooled from other forecasters, scored like anyone else.

``add_aggregate`` gives a forecaster of kind ``aggregate`` one forecast on every question that
enough of the chosen forecasters forecast: the pool (``pooling.pool``) of each one's latest
forecast made before the question's cutoff. The aggregate forecast is made when the latest of
the forecasts it pools was made, so it is scored on the same terms as its inputs; its text
records how many forecasts it pools and which. Like a baseline it is exempt from the
recorded-after-resolution rule: it uses nothing made after the cutoff. Run again, it adds a
forecast only where the pool changed.

It pools the forecasts as the corrections leave them (``forecasts retract``, ``reassign``,
``forecaster merge``): a retracted forecast is left out, a reassigned one counts for its new
forecaster and a merged forecaster's for the one it was merged into. A correction that changes
a pool is brought in by running it again, like a new forecast. When the new pool's latest input
is older than the aggregate's forecast it replaces (the input that made that one the latest was
taken back), the new forecast is dated as the one it replaces, so that it is the latest; it still
uses nothing made after that date.

Example::

    >>> from forecasts import tracker
    >>> store = Store.open(":memory:")
    >>> for who, p in (("Ann", "60%"), ("Bob", "90%"), ("Cy", "70%")):
    ...     _ = tracker.add(store, "It rains on 2025-01-02", by=who, probabilities=[p],
    ...                     on="2025-01-01", resolves="2025-01-02")
    >>> add_aggregate(store, "Median", method="median")["added"]
    1
    >>> add_aggregate(store, "Median", method="median")["unchanged"]
    1
"""

import numpy as np

from . import pooling
from .errors import InputError
from .store import Store

PPM = 1_000_000
EXCLUDED_KINDS = ("aggregate", "baseline")


def _role(method, alpha, who, tag, min_forecasters):
    role = f"{pooling.describe(method, alpha)} of the latest forecasts before the cutoff of {who}"
    if tag:
        role += f", on questions tagged {tag}"
    if min_forecasters > 1:
        role += f"; at least {min_forecasters} forecasters per question"
    return role


def _inputs(store, of_kind, by):
    """The forecasters pooled, and how the record names them."""
    everyone = store.forecasters()
    if by:
        chosen, wanted = [], [" ".join(name.split()) for name in by]
        for name in wanted:
            row = store.find_forecaster(name)
            if row is None:
                raise InputError(f"no forecaster named {name!r}")
            if row["kind"] == "aggregate":
                raise InputError(f"{row['name']} is an aggregate: pool forecasters, not pools")
            chosen.append(row)
        names = sorted({row["name"] for row in chosen})
        return chosen, "; ".join(names)
    if of_kind:
        chosen = [row for row in everyone if row["kind"] == of_kind]
        if not chosen:
            raise InputError(f"no forecasters of kind {of_kind!r}")
        return chosen, f"every forecaster of kind {of_kind}"
    chosen = [row for row in everyone if row["kind"] not in EXCLUDED_KINDS]
    return chosen, "every forecaster but baselines and aggregates"


def _p_text(method, forecasts):
    ids = ",".join(f"#{f['forecast_id']}" for f in forecasts)
    return f"{method} of {len(forecasts)} forecasts ({ids})"


def add_aggregate(store, name, method="median", alpha=None, of_kind=None, tag=None, by=(),
                  min_forecasters=1):
    """Create or bring up to date the aggregate forecaster ``name``; return what was added.

    The pooled forecasters are ``by`` (names), or every forecaster of kind ``of_kind``, or else
    everyone but baselines and aggregates; ``tag`` limits the questions (a tag no question has
    is refused). A question needs at least ``min_forecasters`` of them. ``no_longer_pooled``
    counts the questions where its forecast stands though corrections left too few forecasts
    to pool (nothing replaces it).
    """
    if method not in pooling.METHODS:
        raise InputError(f"unknown method {method!r}: use one of {', '.join(pooling.METHODS)}")
    if alpha is not None and method != "extremized":
        raise InputError("alpha is the extremizing power: give it with the extremized method")
    if of_kind and by:
        raise InputError("choose the forecasters by kind or by name, not both")
    alpha = pooling.DEFAULT_ALPHA if alpha is None else float(alpha)
    if not alpha > 0:
        raise InputError(f"alpha must be positive, not {alpha:g}")
    if min_forecasters < 1:
        raise InputError("min_forecasters must be at least 1")
    name = " ".join((name or "").split())
    if not name:
        raise InputError("the aggregate needs a name")
    chosen, who = _inputs(store, of_kind, by)
    if tag and not store.all_questions(tag=tag):
        raise InputError(f"tag: no question is tagged {tag!r}", field="tag")
    role = _role(method, alpha, who, tag, min_forecasters)
    summary = {"forecaster": name, "method": method, "alpha": alpha if method == "extremized"
               else None, "role": role, "inputs": len(chosen), "added": 0, "unchanged": 0,
               "too_few_forecasters": 0, "no_longer_pooled": 0}
    with store.transaction():
        existing = store.find_forecaster(name)
        if existing:
            summary["forecaster"] = existing["name"]
            if existing["kind"] != "aggregate":
                raise InputError(f"{existing['name']} is a {existing['kind']}, not an "
                                 "aggregate: choose another name")
            if existing["role"] != role:
                raise InputError(f"{existing['name']} is the {existing['role']}: choose "
                                 "another name for another pool")
        forecaster_id = store.forecaster_id(name, kind="aggregate", role=role)
        ids = [row["id"] for row in chosen if row["id"] != forecaster_id]
        by_question = {}
        for row in store.latest_forecasts_before_cutoff(ids, tag=tag):
            by_question.setdefault(row["question_id"], []).append(row)
        mine = {row["question_id"]: row
                for row in store.latest_forecasts_before_cutoff([forecaster_id], tag=tag)}
        # a question it forecast whose inputs corrections took away: its forecast stands
        summary["no_longer_pooled"] = sum(
            1 for question_id in mine
            if len(by_question.get(question_id, ())) < min_forecasters)
        for question_id, forecasts in by_question.items():
            if len(forecasts) < min_forecasters:
                summary["too_few_forecasters"] += 1
                continue
            made = max(f["made"] for f in forecasts)
            if question_id in mine:  # never dated before the forecast it would replace
                made = max(made, mine[question_id]["made"])
            p_text = _p_text(method, forecasts)
            if forecasts[0]["kind"] == "multiple_choice":
                option_ids = list(forecasts[0]["option_ppm"])
                matrix = [[f["option_ppm"].get(o, 0) / PPM for o in option_ids]
                          for f in forecasts]
                pooled = _as_ppm(pooling.pool(matrix, method, alpha), total=PPM)
                p_ppm = None
                option_ppm = {o: (int(ppm), f"{ppm / PPM:.6g}")
                              for o, ppm in zip(option_ids, pooled.tolist())}
                same = mine.get(question_id) and mine[question_id].get("option_ppm") == {
                    o: ppm for o, (ppm, _) in option_ppm.items()}
            else:
                p_ppm = int(_as_ppm(pooling.pool([[f["p_ppm"] / PPM] for f in forecasts],
                                                 method, alpha))[0])
                option_ppm = None
                same = mine.get(question_id) and mine[question_id]["p_ppm"] == p_ppm
            if same and mine[question_id]["made"] == made:
                summary["unchanged"] += 1
                continue
            store.add_forecast(question_id, forecaster_id, made, p_ppm=p_ppm, p_text=p_text,
                               option_ppm=option_ppm)
            summary["added"] += 1
    return summary


def _as_ppm(pooled, total=None):
    """Pooled probabilities as whole parts per million; with ``total``, adjusted (largest
    remainders) so that they add up to it exactly."""
    scaled = np.asarray(pooled, dtype=float) * PPM
    ppm = np.floor(scaled + 0.5).astype(np.int64) if total is None else np.floor(scaled).astype(
        np.int64)
    if total is not None:
        short = int(total - ppm.sum())
        order = np.argsort(-(scaled - ppm), kind="stable")
        ppm[order[:short]] += 1
    return np.clip(ppm, 0, PPM)


__all__ = ["Store", "add_aggregate"]
