"""What an import from a sheet tells the clerk: counts, problems row by row, and the copy they went into.

The register's import (``institution_import``) and a roster's (``children_import``) report the same way:
the sheet's own problems and those found against the database, in row order, and, when asked, a copy of
the workbook with each error beside its row. Each import plans and writes in its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from desktop.excel.error_copy import write_error_copy
from desktop.excel.sheet_checks import CellError
from desktop.excel.sheet_data import SheetRow
from desktop.services.changes import Changes

__all__ = ["ImportReport", "build_report"]


@dataclass(frozen=True)
class ImportReport:
    file: Path
    sheet_name: str
    dry_run: bool
    committed: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[CellError, ...] = ()
    warnings: tuple[CellError, ...] = ()
    notes: tuple[str, ...] = ()
    error_copy: Path | None = None
    changes: Changes = field(default_factory=Changes)

    def as_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [asdict(e) for e in self.errors],
            "warnings": [asdict(w) for w in self.warnings],
            "committed": self.committed,
            "dry_run": self.dry_run,
            "sheet": self.sheet_name,
            "error_copy": str(self.error_copy) if self.error_copy else None,
        }


class _Parsed(Protocol):
    @property
    def errors(self) -> tuple[CellError, ...]: ...
    @property
    def warnings(self) -> tuple[CellError, ...]: ...
    @property
    def notes(self) -> tuple[str, ...]: ...


class _Plan(Protocol):
    creates: list[Any]
    updates: list[Any]
    unchanged: int
    errors: list[CellError]
    warnings: list[CellError]


def build_report(
    path: Path,
    sheet_name: str,
    parsed: _Parsed,
    plan: _Plan,
    *,
    dry_run: bool,
    committed: bool,
    errors_to: Path | None,
    changes: Changes | None = None,
    find_header: Callable[[Sequence[SheetRow]], int | None],
) -> ImportReport:
    """The report of a parsed sheet and its plan; with ``errors_to``, errors go into a copy of the workbook.

    ``find_header`` finds the header in that copy (the register's, a roster's).
    """
    errors = tuple(sorted((*parsed.errors, *plan.errors), key=lambda e: (e.row, e.column)))
    warnings = tuple(sorted((*parsed.warnings, *plan.warnings), key=lambda e: (e.row, e.column)))
    copy = None
    if errors and errors_to is not None:
        copy = errors_to
        write_error_copy(path, copy, errors, sheet_name=sheet_name, find_header=find_header)
    return ImportReport(
        path,
        sheet_name,
        dry_run,
        committed,
        len(plan.creates),
        len(plan.updates),
        plan.unchanged,
        errors,
        warnings,
        parsed.notes,
        copy,
        changes or Changes(),
    )
