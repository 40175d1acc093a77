"""Errors a user can cause or fix. Each carries a Chinese message that says what is wrong and what to do.

The CLI prints the message and exits with status 1; the GUI shows it in a dialog. Anything else that
escapes is a bug and is reported as one.
"""

from __future__ import annotations


class TuoyuError(Exception):
    """A problem with the user's input, data or environment, explained in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StorageError(TuoyuError):
    """The database or data folder cannot be used as asked."""


class NewerSchemaError(StorageError):
    """The database was written by a newer Tuoyu; it is left untouched."""


class NotFoundError(TuoyuError):
    """A record named by the user does not exist."""
