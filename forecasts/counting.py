"""Which forecasts count: the one rule that the scores, the SQL views, ``show`` and the exports
follow.

A forecast counts when its question is resolved yes, no or to an option (not ambiguous or
annulled), it was made before the question's cutoff (the earlier of the resolution date and the
date the outcome became known), and it was recorded no later than the question's first
resolution was (a forecast entered once the outcome was known could use it), unless its
forecaster is a rule that cannot use it: a baseline, or an aggregate (it pools forecasts made
before the cutoff). Of the forecasts that count, each
forecaster's latest on a question (by the date made, then the order recorded) is the one scored.

A forecast made before the cutoff but recorded on or after the day the outcome became known (an
old quote entered from an article, a late import) still counts, flagged ``recorded after the
outcome became known``; with ``strict_recorded`` (``score --strict-recorded``) it is left out.

``Store.scored_columns`` applies this rule in numpy and the ``forecast_scores`` and
``counted_forecast_scores`` views in SQL; ``tests/test_counting.py`` holds both to this module.

Example::

    >>> why_not_counted(made="2025-03-01", recorded="2025-03-01T10:00:00Z",
    ...                 cutoff="2025-06-01", first_resolved="2025-06-01T09:00:00Z")
    >>> why_not_counted(made="2025-07-01", recorded="2025-07-01T10:00:00Z",
    ...                 cutoff="2025-06-01", first_resolved="2025-06-01T09:00:00Z")
    'made on or after the resolution date'
"""

from __future__ import annotations

from .store import VOID_OUTCOMES

MADE_TOO_LATE = "made on or after the resolution date"
RECORDED_TOO_LATE = "recorded after the question was resolved"
VOID_QUESTION = "the question is ambiguous or annulled"
RECORDED_AFTER_KNOWN = "recorded after the outcome became known"
RULE_KINDS = ("baseline", "aggregate")  # forecaster kinds exempt from the recorded-late rule


def cutoff(resolves: str | None, resolved: str | None) -> str | None:
    """The date from which forecasts on a question are too late: the earlier of its resolution
    date and the date its outcome became known (whichever are known).

    >>> cutoff("2025-12-31", "2025-06-01"), cutoff(None, "2025-06-01"), cutoff("2025-12-31", None)
    ('2025-06-01', '2025-06-01', '2025-12-31')
    """
    dates = [d for d in (resolves, resolved) if d]
    return min(dates) if dates else None


def recorded_after_known(recorded: str, known: str | None, by_rule: bool = False) -> bool:
    """Whether a forecast was recorded (UTC) on or after the day its question's outcome became
    known (``known``, the resolution's date); a rule (baseline, aggregate) cannot use it.

    >>> recorded_after_known("2025-06-01T08:00:00Z", "2025-06-01")
    True
    >>> recorded_after_known("2025-05-31T23:00:00Z", "2025-06-01")
    False
    """
    return bool(known) and recorded[:10] >= known and not by_rule


def reasons_not_counted(made: str, recorded: str, cutoff: str | None,
                        first_resolved: str | None, by_rule: bool = False,
                        outcome: str | None = "yes", known: str | None = None,
                        strict_recorded: bool = False) -> list[str]:
    """Every reason a forecast is left out of scores; empty when it counts (``outcome`` None:
    the question is open, nothing is scored yet). ``strict_recorded`` also leaves out a forecast
    recorded on or after ``known``, the day the outcome became known.

    >>> reasons_not_counted("2025-07-01", "2025-07-01T00:00:00Z", "2025-06-01",
    ...                     "2025-06-02T00:00:00Z")
    ['made on or after the resolution date', 'recorded after the question was resolved']
    >>> reasons_not_counted("2025-05-01", "2025-06-01T12:00:00Z", "2025-06-01",
    ...                     "2025-06-05T00:00:00Z", known="2025-06-01", strict_recorded=True)
    ['recorded after the outcome became known']
    """
    if outcome in VOID_OUTCOMES:
        return [VOID_QUESTION]
    reasons = []
    if cutoff and made >= cutoff:
        reasons.append(MADE_TOO_LATE)
    if first_resolved and recorded > first_resolved and not by_rule:
        reasons.append(RECORDED_TOO_LATE)
    if strict_recorded and recorded_after_known(recorded, known, by_rule) and not reasons:
        reasons.append(RECORDED_AFTER_KNOWN)
    return reasons


def why_not_counted(made: str, recorded: str, cutoff: str | None, first_resolved: str | None,
                    by_rule: bool = False, outcome: str | None = "yes", known: str | None = None,
                    strict_recorded: bool = False) -> str | None:
    """The first reason a forecast is left out of scores, or None when it counts.

    >>> why_not_counted("2025-03-01", "2025-07-01T00:00:00Z", "2025-06-01",
    ...                 "2025-06-02T00:00:00Z")
    'recorded after the question was resolved'
    >>> why_not_counted("2025-03-01", "2025-07-01T00:00:00Z", "2025-06-01",
    ...                 "2025-06-02T00:00:00Z", by_rule=True)
    """
    reasons = reasons_not_counted(made, recorded, cutoff, first_resolved, by_rule, outcome,
                                  known, strict_recorded)
    return reasons[0] if reasons else None


def counted_forecasts(forecasts: list[dict], strict_recorded: bool = False) -> list[dict]:
    """The forecasts that score, from rows of one or many resolved questions: each forecaster's
    latest that counts on each question. Rows need ``question_id``, ``forecaster``, ``made``,
    ``forecast_id`` (the order recorded) and the arguments of ``why_not_counted`` (``known``, the
    day the outcome became known, for ``strict_recorded``).

    >>> rows = [dict(question_id=1, forecaster="A", made=m, forecast_id=i, recorded=m,
    ...              cutoff="2025-06-01", first_resolved="2025-06-02", outcome="yes")
    ...         for i, m in enumerate(["2025-01-01", "2025-02-01", "2025-07-01"])]
    >>> [r["forecast_id"] for r in counted_forecasts(rows)]
    [1]
    """
    latest = {}
    for row in forecasts:
        if row["outcome"] is None or why_not_counted(
                row["made"], row["recorded"], row["cutoff"], row["first_resolved"],
                row.get("by_rule", False), row["outcome"], row.get("known"), strict_recorded):
            continue
        key = (row["question_id"], row["forecaster"])
        if key not in latest or (row["made"], row["forecast_id"]) > (
                latest[key]["made"], latest[key]["forecast_id"]):
            latest[key] = row
    return sorted(latest.values(), key=lambda r: r["forecast_id"])
