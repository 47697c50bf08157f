"""The errors the library raises: one hierarchy, each with the exit code a client should use.

Library messages name fields ("probability", "resolves"), never command-line flags; the CLI maps
each class to its exit code and wording. Every message is one line a user can act on.

Example::

    >>> from forecasts.errors import ForecastsError, InputError, NotFound
    >>> issubclass(NotFound, ForecastsError), InputError.exit_code, NotFound.exit_code
    (True, 2, 1)
    >>> try:
    ...     raise InputError("probability: 150% is above 100%")
    ... except ForecastsError as error:
    ...     print(error, error.exit_code)
    probability: 150% is above 100% 2
"""

__all__ = [
    "ForecastsError", "InputError", "NotFound", "StorageError", "NewerDatabase", "ChartError",
]


class ForecastsError(Exception):
    """Base of every error forecasts raises on purpose; the message is one line."""

    exit_code = 1


class InputError(ForecastsError, ValueError):
    """Input the user must correct (a usage error): nothing was written."""

    exit_code = 2


class NotFound(ForecastsError, LookupError):
    """The question, forecaster, option or file asked for does not exist."""


class StorageError(ForecastsError):
    """The database cannot be opened, read or written as asked."""


class NewerDatabase(StorageError):
    """The database was written by a newer version of forecasts."""


class ChartError(ForecastsError):
    """A chart cannot be drawn or saved as asked."""
