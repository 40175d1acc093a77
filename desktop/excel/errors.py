"""The one error a file can cause before any row is looked at: it cannot be read as a sheet."""

from __future__ import annotations

from desktop.errors import TuoyuError


class ExcelFileError(TuoyuError):
    """The file cannot be read as a sheet; nothing was imported.

    ``message`` says in Chinese what is wrong and what to do. ``code`` is stable and dotted
    (``"excel.encrypted"``) so that tests, the CLI's ``--json`` output and the GUI can tell the
    cases apart without matching on the wording.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
