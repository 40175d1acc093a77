"""What a rule found wrong with some input: a stable code, a Chinese message, and how bad it is.

Every pure rule in ``desktop.domain`` reports problems with this one type, so that services,
dialogs and import reports can show, filter and count them the same way.

- ``code`` is stable and dotted (``"id_number.check_char"``); tests and callers match on it,
  never on the message, so the wording can be improved without breaking anything.
- ``message`` is one Chinese sentence for the clerk: what is wrong and what to do.
- ``severity`` is ``"error"`` (the value must be fixed before it is saved) or ``"warning"``
  (probably wrong, but an officer may confirm it and save anyway).
- ``field`` optionally names the input the problem belongs to, as the attribute name of the
  record or form (``"credit_code"``, ``"capacity"``), so a dialog can show it next to that field.
  Validators of a single value leave it ``None``; the rule that knows the field sets it
  (``with_field``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is. A ``StrEnum``, so ``Severity.ERROR == "error"`` holds."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input value, with a message that tells the clerk what to do."""

    code: str
    message: str
    severity: Severity
    field: str | None = None

    def __post_init__(self) -> None:
        # Accept the plain strings "error"/"warning" but store the enum, and refuse anything
        # else: a typo such as "warn" would otherwise silently count as neither.
        object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def is_error(self) -> bool:
        """True when the value must be corrected before it is saved."""
        return self.severity is Severity.ERROR


def has_errors(problems: Iterable[Problem]) -> bool:
    """True when any problem is an error (warnings alone do not block saving)."""
    return any(problem.is_error for problem in problems)


def with_field(problems: Iterable[Problem], field: str) -> tuple[Problem, ...]:
    """The same problems attributed to the input ``field`` (e.g. a validator's result for "phone")."""
    return tuple(replace(problem, field=field) for problem in problems)
