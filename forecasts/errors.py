"""The errors the library raises: one hierarchy, each with the exit code a client should use.

Library messages name fields ("probability", "resolves"), never command-line flags; the CLI maps
each class to its exit code and wording. Every message is one line a user can act on.

Example::

    >>> from forecasts.errors import ForecastsError, InputError, NotFound
    >>> issubclass(NotFound, ForecastsError), InputError.exit_code, NotFound.exit_code
    (True, 2, 2)
    >>> try:
    ...     raise InputError("probability: 150% is above 100%")
    ... except ForecastsError as error:
    ...     print(error, error.exit_code)
    probability: 150% is above 100% 2
"""

from __future__ import annotations

__all__ = [
    "ForecastsError", "InputError", "NotFound", "StorageError", "NewerDatabase", "ChartError",
    "NotAllowed", "NotSignedIn",
]


class ForecastsError(Exception):
    """Base of every error forecasts raises on purpose; the message is one line."""

    exit_code = 1


class InputError(ForecastsError, ValueError):
    """Input the user must correct (a usage error): nothing was written.

    ``field`` names the input at fault when the message starts with it, so that a client can
    say it its own way (the CLI swaps in the flag):

    >>> error = InputError("made: 2030-01-01 is in the future", field="made")
    >>> error.field, error.worded("--on")
    ('made', '--on: 2030-01-01 is in the future')
    """

    exit_code = 2

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field

    def worded(self, name: str) -> str:
        """The message with the leading field name replaced by ``name``."""
        message = str(self)
        if self.field and message.startswith(self.field):
            return name + message[len(self.field):]
        return message


class NotFound(ForecastsError, LookupError):
    """The question, forecaster, option or file asked for does not exist: the user typed a
    name or number to correct, so it exits as input errors do."""

    exit_code = 2


class StorageError(ForecastsError):
    """The database cannot be opened, read or written as asked."""


class NewerDatabase(StorageError):
    """The database was written by a newer version of forecasts."""


class ChartError(ForecastsError):
    """A chart cannot be drawn or saved as asked."""


class NotAllowed(ForecastsError):
    """The account's role does not allow this (a member resolving, a reader writing)."""


class NotSignedIn(ForecastsError):
    """No valid credentials: log in, or send a live API token."""
