"""forecasts: keep score on predictions.

Log forecasts (who said it, the verbatim words, a probability, a resolution date), resolve them
when the outcome is known, and score every forecaster with Brier scores and calibration tables.
The command line is one client of this library; anything it does, a script can do.

Example::

    >>> import forecasts
    >>> db = forecasts.open_db(":memory:")
    >>> forecasts.add(db, "It rains on 2025-01-02", by="Alice", probabilities=["probably"],
    ...               on="2025-01-01", resolves="2025-01-02")["probability"]
    '70% ("probably", default scale)'
    >>> _ = forecasts.resolve(db, 1, "yes", on="2025-01-02")
    >>> [(row["forecaster"], round(row["brier"], 2)) for row in forecasts.scores(db)]
    [('Alice', 0.09)]

Errors are the classes of ``forecasts.errors`` (``InputError`` for input to correct,
``NotFound`` for a question or forecaster that is not there), each with a one-line message.
"""

from .errors import ChartError, ForecastsError, InputError, NewerDatabase, NotFound, StorageError
from .store import Store
from .tracker import (
    add,
    backup,
    compare,
    forecast,
    leaderboard,
    list_questions,
    question_detail,
    question_log,
    resolve,
    scores,
)

# the module forecasts.calibration keeps its name; its table for a database is this
from .tracker import calibration as calibration_report

__all__ = [
    "open_db", "Store",
    "add", "forecast", "resolve", "list_questions", "question_detail", "question_log",
    "scores", "leaderboard", "compare", "calibration_report", "backup",
    "ForecastsError", "InputError", "NotFound", "StorageError", "NewerDatabase", "ChartError",
]


def open_db(path: str = "predictions.db", create: bool = True) -> Store:
    """Open (creating and upgrading as needed) the forecasts database at ``path``.

    ``":memory:"`` gives a database that lives as long as the object; ``create=False`` opens
    an existing file only (a missing one reads as empty).

    >>> list_questions(open_db(":memory:"))
    []
    """
    return Store.open(path, create=create)
