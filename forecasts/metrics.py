"""The scores every score table reports, declared once: key, header, format, function, note.

A metric is either the mean over a group's forecasts of one value per forecast (``per_forecast``;
such a metric can carry a 95% bootstrap interval) or a value worked out from the group as a
whole (``per_group``). The score table, its JSON and CSV, the footnotes under the table and the
HTML leaderboard all read ``METRICS``: a new score is one entry here (and its test).

Example::

    >>> [metric.key for metric in METRICS]  # doctest: +NORMALIZE_WHITESPACE
    ['brier', 'log_score', 'skill_vs_chimp', 'skill_vs_base_rate', 'relative_brier',
     'peer_log_score', 'auc', 'right_side']
    >>> METRIC["relative_brier"].interval, METRIC["relative_brier"].header
    ('relative_ci', 'Rel. Brier')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import numpy as np

# numpy and the scoring module load when a score is worked out, not when the CLI starts: the
# write path (log, resolve) never needs them.

__all__ = ["Metric", "Groups", "METRICS", "METRIC", "RANKED_ON", "leaderboard_metrics",
           "metric_columns", "metric_notes"]


@dataclass(frozen=True)
class Groups:
    """The scored pairs ``index`` of a frame, numbered into groups ``groups`` (0 .. n - 1).

    ``scale`` multiplies Brier-type scores (2 for Good Judgment's 0-2 scale); ``shared`` says
    of each pair whether another forecaster answered its question too.
    """

    frame: object
    index: np.ndarray
    groups: np.ndarray
    counts: np.ndarray
    scale: float = 1
    shared: np.ndarray | None = None

    def mean(self, values: np.ndarray) -> np.ndarray:
        """Each group's mean of ``values`` (one per pair in ``index``)."""
        import numpy as np

        return np.bincount(self.groups, weights=values, minlength=self.counts.size) / \
            np.maximum(self.counts, 1)

    def shared_mean(self, values: np.ndarray) -> np.ndarray:
        """Each group's mean of ``values`` over its shared questions (NaN where it has none)."""
        import numpy as np

        weights = self.shared.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.groups, weights=values * weights,
                               minlength=self.counts.size) / \
                np.bincount(self.groups, weights=weights, minlength=self.counts.size)

    def binary_mean(self, values: np.ndarray) -> np.ndarray:
        """Each group's mean of ``values`` over its yes/no questions (NaN where it has none)."""
        import numpy as np

        binary = self.frame.binary[self.index]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.groups, weights=values * binary,
                               minlength=self.counts.size) / self.binary_counts

    @functools.cached_property
    def binary_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(probability, outcome, group) of the yes/no forecasts."""
        from .ppm import PPM

        binary = self.frame.binary[self.index]
        rows = self.index[binary]
        return self.frame.p_ppm[rows] / PPM, self.frame.outcome[rows], self.groups[binary]

    @functools.cached_property
    def binary_pair_order(self) -> np.ndarray:
        """The yes/no pairs' order by group and probability, shared by the AUC and its interval."""
        from .discrimination import pair_order

        p, _, groups = self.binary_pairs
        return pair_order(p, groups)

    @functools.cached_property
    def binary_counts(self) -> np.ndarray:
        import numpy as np

        return np.bincount(self.groups, weights=self.frame.binary[self.index],
                           minlength=self.counts.size)


@dataclass(frozen=True)
class Metric:
    """One score: how it is named, shown, explained and worked out.

    ``per_forecast(frame, index, scale)`` gives one value per scored pair, averaged per group;
    ``per_group(groups)`` gives one value per group. ``interval`` names the bootstrap interval
    (fields ``<interval>_low`` and ``<interval>_high``), for a ``per_forecast`` metric.
    ``note`` is its line under the score table ("" when the previous metric's note covers it);
    ``shown_in`` lists the tables that show it: "score", "leaderboard", "report".
    A ``per_group`` metric with an ``interval`` gives it with ``per_group_interval(groups)``,
    as (low, high) arrays.
    ``shared_only`` metrics (scores relative to the others on a question) are averaged over
    the questions another forecaster answered too: a lone question has nobody to compare with,
    so it says nothing either way, and a forecaster with none has no value (NaN).
    Leaderboards rank on ``RANKED_ON`` and show it first.
    """

    key: str
    header: str
    note: str
    per_forecast: Callable | None = None
    per_group: Callable | None = None
    interval: str | None = None
    format: str = ".3f"
    signed: bool = False
    shown_in: tuple[str, ...] = ("score",)
    long_header: str = ""
    shared_only: bool = False
    per_group_interval: Callable | None = None

    @property
    def title(self) -> str:
        """The header where there is room for it (leaderboards): ``long_header`` or ``header``."""
        return self.long_header or self.header

    def values(self, groups: Groups) -> np.ndarray:
        """This metric for every group (NaN where it is undefined)."""
        if self.per_forecast is not None:
            values = self.per_forecast(groups.frame, groups.index, groups.scale)
            if self.shared_only and groups.shared is not None:
                return groups.shared_mean(values)
            return groups.mean(values)
        return self.per_group(groups)


def _brier(frame, index, scale):
    return frame.brier[index] * scale


def _relative(frame, index, scale):
    return frame.relative[index] * scale


def _skill_vs_chimp(groups):
    from . import scoring

    chimp = scoring.chimp_brier(groups.frame.options[groups.index]) * groups.scale
    return scoring.brier_skill(groups.mean(_brier(groups.frame, groups.index, groups.scale)),
                               groups.mean(chimp))


def _skill_vs_base_rate(groups):
    """Against always forecasting the base rate of the group's yes/no questions."""
    import numpy as np

    from . import scoring

    binary_brier = groups.binary_mean(_brier(groups.frame, groups.index, groups.scale))
    base_rate = groups.binary_mean(groups.frame.outcome[groups.index])
    with np.errstate(invalid="ignore", divide="ignore"):
        return scoring.brier_skill(binary_brier, base_rate * (1 - base_rate) * groups.scale)


def _auc(groups):
    from . import discrimination

    return discrimination.grouped_auc(*groups.binary_pairs, groups.counts.size,
                                      pairs_order=groups.binary_pair_order)


def _auc_interval(groups):
    from . import discrimination

    return discrimination.grouped_auc_intervals(*groups.binary_pairs, groups.counts.size,
                                                pairs_order=groups.binary_pair_order)


def _right_side(groups):
    from . import discrimination
    from .ppm import PPM

    frame, index = groups.frame, groups.index
    return groups.binary_mean(discrimination.right_side(frame.p_ppm[index] / PPM,
                                                         frame.outcome[index]))


def _brier_note(scale):
    if scale == "0-2":
        return "Brier on the 0-2 scale (Good Judgment Open's: twice the 0-1 score)."
    return ("Brier on the 0-1 scale: 0 is perfect, always 50% scores 0.25; multiple choice is "
            "the Brier (1950) sum over options, halved.")


def _log_note(scale):
    from .scoring import LOG_CLIP

    return ("Log score: mean natural log of the probability given to what happened (0 is "
            f"perfect; probabilities clipped to [{LOG_CLIP}, {1 - LOG_CLIP:g}]).")


METRICS = (
    Metric("brier", "Brier", _brier_note, per_forecast=_brier, interval="brier_ci",
           shown_in=("score", "leaderboard", "report")),
    Metric("log_score", "Log score", _log_note,
           per_forecast=lambda frame, index, scale: frame.log[index],
           shown_in=("score", "report")),
    Metric("skill_vs_chimp", "Skill/50%",
           "Skill/50%, Skill/base: 1 - Brier / Brier of always 50% (uniform over options), and of "
           "always the base rate of the forecaster's yes/no questions; above 0 beats it.",
           per_group=_skill_vs_chimp),
    Metric("skill_vs_base_rate", "Skill/base", "", per_group=_skill_vs_base_rate),
    Metric("relative_brier", "Rel. Brier",
           "Rel. Brier: own Brier minus the median Brier of everyone on the same question "
           "(negative is better than the crowd). Peer log: Metaculus-style peer score on the "
           "log score (positive is better). Both are averaged over the questions shared with "
           "at least one other forecaster; with none shared they have no value.",
           per_forecast=_relative, interval="relative_ci", signed=True,
           shown_in=("score", "leaderboard", "report"), long_header="Relative Brier",
           shared_only=True),
    Metric("peer_log_score", "Peer log", "",
           per_forecast=lambda frame, index, scale: frame.peer[index], format=".1f", signed=True,
           shown_in=("score", "leaderboard", "report"), shared_only=True),
    Metric("auc", "AUC",
           "AUC: area under the ROC curve of the yes/no forecasts, the chance that a forecast of "
           "something that happened was higher than one of something that did not (ties half; "
           "0.5 is no discrimination). Right side: share of yes/no forecasts on the side of 50% "
           "that happened (50% counts half).",
           per_group=_auc, interval="auc_ci", per_group_interval=_auc_interval),
    Metric("right_side", "Right side", "", per_group=_right_side, format=".2f"),
)
METRIC = {metric.key: metric for metric in METRICS}
RANKED_ON = "relative_brier"


def leaderboard_metrics(table: str = "leaderboard") -> list[Metric]:
    """The metrics a leaderboard ``table`` shows, the one it ranks on first.

    >>> [metric.key for metric in leaderboard_metrics("report")]
    ['relative_brier', 'brier', 'log_score', 'peer_log_score']
    """
    return sorted((metric for metric in METRICS if table in metric.shown_in),
                  key=lambda metric: metric.key != RANKED_ON)


def metric_columns(table: str = "score") -> list[tuple[str, str]]:
    """(key, header) columns of the metrics ``table`` shows, each interval after its metric.

    >>> metric_columns("leaderboard")[:3]
    [('brier', 'Brier'), ('brier_ci', '95% CI'), ('relative_brier', 'Rel. Brier')]
    """
    columns = []
    for metric in METRICS:
        if table in metric.shown_in:
            columns.append((metric.key, metric.header))
            if metric.interval:
                columns.append((metric.interval, "95% CI"))
    return columns


def metric_notes(scale: str = "0-1") -> list[str]:
    """The footnote lines under a score table, one per metric that has its own.

    >>> metric_notes()[0][:27]
    'Brier on the 0-1 scale: 0 i'
    """
    notes = (metric.note(scale) if callable(metric.note) else metric.note for metric in METRICS)
    return [note for note in notes if note]
